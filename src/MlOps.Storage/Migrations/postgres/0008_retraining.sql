-- Retraining: each model's retraining policy, the saga rows of the orchestrator and the runs it reports.
ALTER TABLE models ADD COLUMN retraining_json TEXT NOT NULL DEFAULT '{}';

-- One row per model (correlation id derived from its name). The instance is state_json; version is checked in
-- every UPDATE's WHERE (optimistic concurrency); deadline (Unix ms) is the one the saga waits for, swept by the
-- orchestrator's deadline sweeper.
CREATE TABLE retraining_sagas (
    correlation_id  TEXT    NOT NULL PRIMARY KEY,
    model           TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    current_state   TEXT    NOT NULL,
    deadline        BIGINT  NULL,
    state_json      TEXT    NOT NULL,
    updated_at      BIGINT  NOT NULL
);
CREATE INDEX ix_retraining_sagas_deadline ON retraining_sagas (deadline);

-- Every run (skipped ones too), written in the same transaction as its saga row.
CREATE TABLE retraining_runs (
    id                  TEXT    NOT NULL PRIMARY KEY,
    model               TEXT    NOT NULL,
    state               TEXT    NOT NULL,
    trigger_kind        TEXT    NOT NULL,
    reason              TEXT    NOT NULL,
    challenger_version  TEXT    NULL,
    promotion_id        TEXT    NULL,
    history_json        TEXT    NOT NULL,
    created_at          BIGINT  NOT NULL,
    updated_at          BIGINT  NOT NULL
);
CREATE INDEX ix_retraining_runs_model ON retraining_runs (model, created_at);
