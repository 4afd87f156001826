-- What is known about a page besides its text: its own URL (a saved file's original address,
-- from a corpus manifest or `ingest --url`) and when the copy was taken (the reference point
-- for times the page leaves out); and whether a document's date was inferred.
ALTER TABLE sources ADD COLUMN url TEXT;
ALTER TABLE sources ADD COLUMN retrieved TEXT;
ALTER TABLE documents ADD COLUMN time_inferred INTEGER NOT NULL DEFAULT 0;
