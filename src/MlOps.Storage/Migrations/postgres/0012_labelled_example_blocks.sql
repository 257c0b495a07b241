-- Labelled examples in blocks: one row per model and checkpoint of a partition, instead of one row per example (and
-- its two indexes) — the rows per example were about a third of the monitor's CPU time per record. A block's body is
-- its examples as GET /api/monitoring/{model}/examples serves them, one JSON object per line, ordered by event time
-- and prediction id; `times` is the JSON array of their event times in the same order (for ranges, counts and
-- pruning without parsing the lines). The primary key makes a retried checkpoint write its block once.
CREATE TABLE labelled_example_blocks (
    consumer_group TEXT    NOT NULL,
    model          TEXT    NOT NULL,
    partition      INTEGER NOT NULL,
    sequence       BIGINT  NOT NULL,
    first_time     BIGINT  NOT NULL,
    last_time      BIGINT  NOT NULL,
    examples       INTEGER NOT NULL,
    times          TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    PRIMARY KEY (consumer_group, model, partition, sequence)
);
CREATE INDEX ix_labelled_example_blocks_time ON labelled_example_blocks (model, first_time);

-- The examples stored one per row so far, as one block per consumer group, model and UTC day (partition -1).
INSERT INTO labelled_example_blocks (consumer_group, model, partition, sequence, first_time, last_time, examples, times, body)
SELECT consumer_group, model, -1, event_time / 86400000, MIN(event_time), MAX(event_time), COUNT(*),
       json_agg(event_time ORDER BY event_time, prediction_id COLLATE "C")::text,
       string_agg(json_build_object(
           'predictionId', prediction_id, 'model', model, 'version', version,
           'timestamp', to_char(to_timestamp(event_time / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') || '+00:00',
           'features', features::json,
           'actual', CASE WHEN actual_number IS NULL THEN to_json(actual) ELSE to_json(actual_number) END,
           'prediction', prediction, 'score', score)::text, chr(10) ORDER BY event_time, prediction_id COLLATE "C")
FROM labelled_examples
GROUP BY consumer_group, model, event_time / 86400000;

DROP TABLE labelled_examples;
