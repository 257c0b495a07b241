-- Platform notifications: every alert (from the bus or from Alertmanager) once, its deliveries to each webhook
-- receiver, and every attempt. An alert inside its (model, feature, kind) cool-down is kept with suppressed = 1 and
-- no deliveries, so the history shows it.
CREATE TABLE alerts (
    id           TEXT    NOT NULL PRIMARY KEY,
    message_id   TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    model        TEXT    NOT NULL,
    feature      TEXT    NOT NULL,
    event_type   TEXT    NOT NULL,
    source       TEXT    NOT NULL,
    summary      TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    suppressed   INTEGER NOT NULL,
    created_at   INTEGER  NOT NULL,
    UNIQUE (message_id, feature)
);
CREATE INDEX ix_alerts_key ON alerts (model, feature, kind, created_at);
CREATE INDEX ix_alerts_created ON alerts (created_at);

CREATE TABLE alert_deliveries (
    alert_id         TEXT    NOT NULL REFERENCES alerts (id),
    receiver         TEXT    NOT NULL,
    delivery_id      TEXT    NOT NULL,
    state            TEXT    NOT NULL,
    attempts         INTEGER NOT NULL,
    next_attempt_at  INTEGER  NULL,
    delivered_at     INTEGER  NULL,
    last_error       TEXT    NULL,
    PRIMARY KEY (alert_id, receiver)
);
CREATE INDEX ix_alert_deliveries_due ON alert_deliveries (state, next_attempt_at);

CREATE TABLE alert_attempts (
    delivery_id  TEXT    NOT NULL,
    attempt      INTEGER NOT NULL,
    at           INTEGER  NOT NULL,
    status_code  INTEGER NULL,
    error        TEXT    NULL,
    duration_ms  INTEGER NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
