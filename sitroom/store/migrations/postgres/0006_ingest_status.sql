-- How each ingest ended, and who ran it (PostgreSQL dialect of ../0006_ingest_status.sql).
ALTER TABLE ingests ADD COLUMN status TEXT NOT NULL DEFAULT 'running';
ALTER TABLE ingests ADD COLUMN pid INTEGER;
ALTER TABLE ingests ADD COLUMN host TEXT;
UPDATE ingests SET status = 'completed' WHERE finished_at IS NOT NULL;
CREATE INDEX ingests_running ON ingests(status) WHERE status = 'running';
CREATE INDEX IF NOT EXISTS post_versions_post_version ON post_versions(post_id, version);
UPDATE ingests SET status = 'interrupted' WHERE finished_at IS NULL;
