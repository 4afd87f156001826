-- A view of every post as it reads now (its latest version, with its source), for people
-- who query the file directly; and full-text search over it that datasette finds by itself
-- (an FTS5 table whose content="latest_posts": datasette offers a search box on the view).

CREATE VIEW latest_posts AS
SELECT
--@ sqlite
       p.rowid AS rowid,                  -- the FTS rowid (posts.rowid); PostgreSQL has none
--@ end
       p.id, s.source, s.outlet, p.kind, p.key, p.position,
       v.published, v.time_inferred, v.title, v.body, v.labels, v.bylines, v.media,
       p.url, p.latest_version AS version, v.id AS version_id,
       p.first_seen, p.last_seen, p.vanished_at, p.document_id
FROM posts p
JOIN post_versions v ON v.post_id = p.id AND v.version = p.latest_version
JOIN documents d ON d.id = p.document_id
JOIN sources s ON s.id = d.source_id;

-- The index keeps no copy of the text: title and body are read from latest_posts.
-- (PostgreSQL's full-text search is the post_versions.search column of 0001.)
--@ sqlite
DROP TABLE posts_fts;
CREATE VIRTUAL TABLE posts_fts USING fts5(
    title, body, content="latest_posts", content_rowid="rowid", tokenize = 'porter unicode61'
);
INSERT INTO posts_fts (posts_fts) VALUES ('rebuild');
--@ end
