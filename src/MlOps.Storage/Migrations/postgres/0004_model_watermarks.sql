-- Event time per model: each partition keeps a watermark per model it has seen, moved by that model's own events
-- (or by the clock once that model has been idle on the partition). A model's window closes when every partition
-- has passed it: by the partition's watermark for that model, or, where the partition has no events of the model,
-- by the partition's own watermark (partition_watermarks). A backfill of old events into one model is windowed by
-- its event time, whatever the other models' traffic does.
CREATE TABLE model_watermarks (
    consumer_group TEXT    NOT NULL,
    model          TEXT    NOT NULL,
    partition      INTEGER NOT NULL,
    watermark      BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    -- When this partition first saw the model: other partitions get IdleTimeout from the model's first sighting to
    -- report it before they stop holding its windows back.
    first_seen_at  BIGINT  NOT NULL,
    PRIMARY KEY (consumer_group, model, partition)
);
