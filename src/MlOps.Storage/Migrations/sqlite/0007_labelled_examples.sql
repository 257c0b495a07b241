-- Labelled examples for retraining: when an outcome joins its prediction, the checkpoint that records the join
-- copies the prediction's features, version, prediction and score with the actual value here. Bounded per model
-- (newest MlOps:Monitoring:ExamplesPerModel, at most ExamplesRetention old) by the monitor.
CREATE TABLE labelled_examples (
    consumer_group    TEXT    NOT NULL,
    model             TEXT    NOT NULL,
    prediction_id     TEXT    NOT NULL,
    version           TEXT    NOT NULL,
    event_time        INTEGER  NOT NULL,
    features          TEXT    NOT NULL,
    actual            TEXT    NOT NULL,
    actual_number     REAL    NULL,
    prediction        TEXT    NOT NULL,
    score             REAL    NULL,
    PRIMARY KEY (consumer_group, model, prediction_id)
);
CREATE INDEX ix_labelled_examples_time ON labelled_examples (model, event_time);
