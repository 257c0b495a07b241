-- The merged feature profiles of a closed window (Brotli-compressed profile JSON), so its drift report can draw the
-- window's distributions after its partials are gone. NULL for windows closed before this column existed.
ALTER TABLE window_results ADD COLUMN profile BLOB NULL;
