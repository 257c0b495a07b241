-- Labelled examples in blocks: one row per model and checkpoint of a partition, instead of one row per example (and
-- its two indexes) — the rows per example were about a third of the monitor's CPU time per record. A block's body is
-- its examples as GET /api/monitoring/{model}/examples serves them, one JSON object per line, ordered by event time
-- and prediction id; `times` is the JSON array of their event times in the same order (for ranges, counts and
-- pruning without parsing the lines). The primary key makes a retried checkpoint write its block once.
CREATE TABLE labelled_example_blocks (
    consumer_group TEXT    NOT NULL,
    model          TEXT    NOT NULL,
    partition      INTEGER NOT NULL,
    sequence       INTEGER NOT NULL,
    first_time     INTEGER NOT NULL,
    last_time      INTEGER NOT NULL,
    examples       INTEGER NOT NULL,
    times          TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    PRIMARY KEY (consumer_group, model, partition, sequence)
);
CREATE INDEX ix_labelled_example_blocks_time ON labelled_example_blocks (model, first_time);

-- The examples stored one per row so far, as one block per consumer group, model and UTC day (partition -1).
INSERT INTO labelled_example_blocks (consumer_group, model, partition, sequence, first_time, last_time, examples, times, body)
SELECT consumer_group, model, -1, event_time / 86400000, MIN(event_time), MAX(event_time), COUNT(*),
       json_group_array(event_time ORDER BY event_time, prediction_id),
       group_concat(json_object(
           'predictionId', prediction_id, 'model', model, 'version', version,
           'timestamp', strftime('%Y-%m-%dT%H:%M:%f', event_time / 1000.0, 'unixepoch') || '+00:00',
           'features', json(features),
           'actual', CASE WHEN actual_number IS NULL THEN actual ELSE actual_number END,
           'prediction', prediction, 'score', score), char(10) ORDER BY event_time, prediction_id)
FROM labelled_examples
GROUP BY consumer_group, model, event_time / 86400000;

DROP TABLE labelled_examples;
