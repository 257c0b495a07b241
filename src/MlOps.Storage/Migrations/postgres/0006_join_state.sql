-- Join state on disk: predictions waiting for their outcome (and joined ones, kept as tombstones so a retried
-- duplicate is not counted again) and outcomes waiting for their prediction, one row each, written in the
-- checkpoint transaction with the offsets. The monitor keeps only a bounded cache of them in memory. Expired by
-- event time (the pending TTL behind the model's watermark) through the second index.
CREATE TABLE pending_predictions (
    consumer_group    TEXT    NOT NULL,
    partition         INTEGER NOT NULL,
    prediction_id     TEXT    NOT NULL,
    model             TEXT    NOT NULL,
    version           TEXT    NOT NULL,
    window_start      BIGINT  NOT NULL,
    window_end        BIGINT  NOT NULL,
    prediction        TEXT    NOT NULL,
    prediction_number DOUBLE PRECISION    NULL,
    score             DOUBLE PRECISION    NULL,
    event_time        BIGINT  NOT NULL,
    joined            INTEGER NOT NULL,
    features          TEXT    NULL,
    PRIMARY KEY (consumer_group, partition, prediction_id)
);
CREATE INDEX ix_pending_predictions_time ON pending_predictions (consumer_group, partition, model, event_time);

CREATE TABLE waiting_outcomes (
    consumer_group TEXT    NOT NULL,
    partition      INTEGER NOT NULL,
    prediction_id  TEXT    NOT NULL,
    model          TEXT    NOT NULL,
    actual         TEXT    NOT NULL,
    actual_number  DOUBLE PRECISION    NULL,
    event_time     BIGINT  NOT NULL,
    PRIMARY KEY (consumer_group, partition, prediction_id)
);
CREATE INDEX ix_waiting_outcomes_time ON waiting_outcomes (consumer_group, partition, model, event_time);

-- Each checkpoint of a partition takes the next number (it keys the late labels it writes); kept here now that
-- the join log, which held it before, is gone.
ALTER TABLE partition_watermarks ADD COLUMN checkpoint_sequence BIGINT NOT NULL DEFAULT 0;
