-- Streaming monitor state. A checkpoint writes, in ONE transaction, a partition's partial window profiles,
-- its join-state changes and the next offsets of its topic partitions: a restart resumes exactly there.
CREATE TABLE monitor_offsets (
    consumer_group TEXT    NOT NULL,
    topic          TEXT    NOT NULL,
    partition      INTEGER NOT NULL,
    next_offset    INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (consumer_group, topic, partition)
);

CREATE TABLE window_partials (
    consumer_group TEXT    NOT NULL,
    model          TEXT    NOT NULL,
    version        TEXT    NOT NULL,
    window_start   INTEGER NOT NULL,
    window_end     INTEGER NOT NULL,
    partition      INTEGER NOT NULL,
    payload        TEXT    NOT NULL,
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (consumer_group, model, version, window_start, partition)
);
CREATE INDEX ix_window_partials_end ON window_partials (consumer_group, window_end);

-- Append-only log of join-state changes per partition (new pending predictions, joined or expired ones),
-- one row per checkpoint; compacted into a single snapshot row from time to time.
CREATE TABLE join_log (
    consumer_group TEXT    NOT NULL,
    partition      INTEGER NOT NULL,
    sequence       INTEGER NOT NULL,
    payload        TEXT    NOT NULL,
    PRIMARY KEY (consumer_group, partition, sequence)
);

CREATE TABLE window_results (
    consumer_group TEXT    NOT NULL,
    model          TEXT    NOT NULL,
    version        TEXT    NOT NULL,
    window_start   INTEGER NOT NULL,
    window_end     INTEGER NOT NULL,
    closed_at      INTEGER NOT NULL,
    predictions    INTEGER NOT NULL,
    labelled       INTEGER NOT NULL,
    drifted_share  REAL    NOT NULL,
    dataset_drift  INTEGER NOT NULL,
    result_json    TEXT    NOT NULL,
    PRIMARY KEY (consumer_group, model, version, window_start)
);
CREATE INDEX ix_window_results_model ON window_results (model, window_start);

-- Per partition: every window ending at or before sealed_until is final on that partition (later events for it
-- are counted as too late). A window is closed once every partition has sealed it.
CREATE TABLE partition_watermarks (
    consumer_group TEXT    NOT NULL,
    partition      INTEGER NOT NULL,
    sealed_until   INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (consumer_group, partition)
);
