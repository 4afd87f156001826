-- Every post as it reads now (PostgreSQL dialect of ../0012_latest_posts.sql). PostgreSQL has
-- no rowid and needs no separate index: full-text search is post_versions.search (0001).
CREATE VIEW latest_posts AS
SELECT p.id, s.source, s.outlet, p.kind, p.key, p.position,
       v.published, v.time_inferred, v.title, v.body, v.labels, v.bylines, v.media,
       p.url, p.latest_version AS version, v.id AS version_id,
       p.first_seen, p.last_seen, p.vanished_at, p.document_id
FROM posts p
JOIN post_versions v ON v.post_id = p.id AND v.version = p.latest_version
JOIN documents d ON d.id = p.document_id
JOIN sources s ON s.id = d.source_id;
