-- Model registry: models, immutable versions, aliases with history, promotion requests and approvals,
-- and an append-only audit log. Times are Unix milliseconds (UTC); JSON documents are TEXT.
CREATE TABLE models (
    name            TEXT    NOT NULL PRIMARY KEY,
    description     TEXT    NOT NULL DEFAULT '',
    owner           TEXT    NOT NULL DEFAULT '',
    task            TEXT    NOT NULL,
    schema_json     TEXT    NOT NULL,
    monitoring_json TEXT    NOT NULL,
    policy_json     TEXT    NOT NULL,
    created_by      TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL
);

CREATE TABLE model_versions (
    model_name          TEXT    NOT NULL REFERENCES models (name),
    version             INTEGER NOT NULL,
    artifact_sha256     TEXT    NOT NULL,
    artifact_size       BIGINT  NOT NULL,
    artifact_file_name  TEXT    NOT NULL,
    training_from       BIGINT  NULL,
    training_to         BIGINT  NULL,
    metrics_json        TEXT    NOT NULL,
    reference_profile   TEXT    NULL,
    parent_version      INTEGER NULL,
    run_id              TEXT    NULL,
    tags_json           TEXT    NOT NULL,
    created_by          TEXT    NOT NULL,
    created_at          BIGINT  NOT NULL,
    PRIMARY KEY (model_name, version)
);

CREATE TABLE aliases (
    model_name  TEXT    NOT NULL REFERENCES models (name),
    alias       TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    updated_by  TEXT    NOT NULL,
    updated_at  BIGINT  NOT NULL,
    PRIMARY KEY (model_name, alias),
    FOREIGN KEY (model_name, version) REFERENCES model_versions (model_name, version)
);

CREATE TABLE alias_history (
    id               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_name       TEXT    NOT NULL,
    alias            TEXT    NOT NULL,
    version          INTEGER NULL,
    previous_version INTEGER NULL,
    reason           TEXT    NOT NULL,
    changed_by       TEXT    NOT NULL,
    changed_at       BIGINT  NOT NULL
);
CREATE INDEX ix_alias_history_model ON alias_history (model_name, alias, id);

CREATE TABLE promotion_requests (
    id                  TEXT    NOT NULL PRIMARY KEY,
    model_name          TEXT    NOT NULL REFERENCES models (name),
    version             INTEGER NOT NULL,
    champion_version    INTEGER NULL,
    state               TEXT    NOT NULL,
    requested_by        TEXT    NOT NULL,
    requested_at        BIGINT  NOT NULL,
    expires_at          BIGINT  NOT NULL,
    approvals_required  INTEGER NOT NULL,
    evidence_json       TEXT    NOT NULL,
    notes               TEXT    NOT NULL DEFAULT '',
    decided_by          TEXT    NULL,
    decided_at          BIGINT  NULL,
    decision_comment    TEXT    NULL,
    row_version         INTEGER NOT NULL,
    FOREIGN KEY (model_name, version) REFERENCES model_versions (model_name, version)
);
-- At most one pending request per model: a second one is a conflict, enforced by the database.
CREATE UNIQUE INDEX ux_promotion_pending ON promotion_requests (model_name) WHERE state = 'pending';
CREATE INDEX ix_promotion_state ON promotion_requests (state, requested_at);

CREATE TABLE promotion_approvals (
    request_id  TEXT    NOT NULL REFERENCES promotion_requests (id),
    approver    TEXT    NOT NULL,
    comment     TEXT    NOT NULL DEFAULT '',
    approved_at BIGINT  NOT NULL,
    PRIMARY KEY (request_id, approver)
);

CREATE TABLE audit_log (
    id          BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          BIGINT  NOT NULL,
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    model_name  TEXT    NULL,
    entity      TEXT    NOT NULL,
    entity_id   TEXT    NOT NULL,
    before_json TEXT    NULL,
    after_json  TEXT    NULL
);
CREATE INDEX ix_audit_model ON audit_log (model_name, id);

-- The audit log is append-only, also for anyone with SQL access to the database.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
