-- A model's base dataset: labelled rows (feature columns + actual) that every retraining run trains on, besides the
-- labelled examples the monitor collected. The CSV is stored content-addressed with the artifacts.
CREATE TABLE base_datasets (
    model_name   TEXT    NOT NULL PRIMARY KEY REFERENCES models (name),
    sha256       TEXT    NOT NULL,
    size         INTEGER  NOT NULL,
    rows         INTEGER  NOT NULL,
    file_name    TEXT    NOT NULL,
    uploaded_by  TEXT    NOT NULL,
    uploaded_at  INTEGER  NOT NULL
);
