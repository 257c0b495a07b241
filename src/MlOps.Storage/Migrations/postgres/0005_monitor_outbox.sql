-- The bus events a closed window raises (DriftDetected, PerformanceDegraded, DataQualityDegraded), written in the
-- transaction that stores the window; a relay publishes them (at least once, with this stable message id) and
-- marks them published. A crash between the commit and the publish loses nothing: the relay sends them after restart.
CREATE TABLE monitor_outbox (
    message_id     TEXT    NOT NULL PRIMARY KEY,
    consumer_group TEXT    NOT NULL,
    message_type   TEXT    NOT NULL,
    payload        TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL,
    published_at   BIGINT  NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT    NULL
);
CREATE INDEX ix_monitor_outbox_pending ON monitor_outbox (published_at, created_at);
