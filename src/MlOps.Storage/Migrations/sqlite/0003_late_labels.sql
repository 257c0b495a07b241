-- Outcomes that arrive after their prediction's window was final still count towards that window's performance:
-- each checkpoint appends what it joined late, and the window closer folds it into the stored result.
CREATE TABLE window_label_partials (
    consumer_group TEXT    NOT NULL,
    model          TEXT    NOT NULL,
    version        TEXT    NOT NULL,
    window_start   INTEGER NOT NULL,
    window_end     INTEGER NOT NULL,
    partition      INTEGER NOT NULL,
    sequence       INTEGER NOT NULL,
    payload        TEXT    NOT NULL,
    PRIMARY KEY (consumer_group, model, version, window_start, partition, sequence)
);

-- The merged metric accumulators of a closed window, so late labels can be added to them.
ALTER TABLE window_results ADD COLUMN performance_state TEXT NULL;
