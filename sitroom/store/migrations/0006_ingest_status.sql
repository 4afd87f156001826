-- How each ingest ended, and who ran it, so that a run killed mid-way is closed on the next
-- start instead of being left "unfinished" for ever.
ALTER TABLE ingests ADD COLUMN status TEXT NOT NULL DEFAULT 'running';
    -- running | completed | failed (the run itself stopped on an error) | interrupted
ALTER TABLE ingests ADD COLUMN pid INTEGER;     -- process that ran it
ALTER TABLE ingests ADD COLUMN host TEXT;       -- machine that ran it (a pid means nothing elsewhere)
UPDATE ingests SET status = 'completed' WHERE finished_at IS NOT NULL;
CREATE INDEX ingests_running ON ingests(status) WHERE status = 'running';
-- The web view pages the timeline by (published, position); the store reads posts of a source.
CREATE INDEX IF NOT EXISTS post_versions_post_version ON post_versions(post_id, version);
-- Runs left unfinished before this migration were cut short: nothing can finish them now.
UPDATE ingests SET status = 'interrupted' WHERE finished_at IS NULL;
