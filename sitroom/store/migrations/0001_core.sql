-- Core record: where pages come from, what each read found, and every version of every post.
-- Times are ISO-8601 UTC text ("2022-02-16T17:36:00Z") so they sort and read well anywhere.

CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL UNIQUE,          -- URL (without fragment), absolute file path, or "stdin"
    outlet TEXT,                          -- "BBC", "The Guardian", a feed's title
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    etag TEXT,                            -- HTTP validators kept for conditional GET by `follow`
    last_modified TEXT
);

CREATE TABLE ingests (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    argv TEXT,
    ok INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    errors TEXT NOT NULL DEFAULT '[]'     -- JSON list of "source: message"
);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL UNIQUE REFERENCES sources(id),
    kind TEXT NOT NULL,                   -- live | article | feed
    format TEXT NOT NULL,                 -- the reader that produced it
    title TEXT,
    published TEXT,
    bylines TEXT NOT NULL DEFAULT '[]',   -- JSON [{"name", "role"}]
    summary TEXT NOT NULL DEFAULT '[]',   -- JSON list of the page's Summary bullets (latest read)
    warnings TEXT NOT NULL DEFAULT '[]',  -- JSON list, from the latest read
    first_ingest_id INTEGER REFERENCES ingests(id),
    last_ingest_id INTEGER REFERENCES ingests(id),
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
);

CREATE TABLE posts (
    id TEXT PRIMARY KEY,                  -- sha1(source + post key)[:16]: stable across re-reads
    document_id INTEGER NOT NULL REFERENCES documents(id),
    key TEXT NOT NULL,                    -- the post's identity on its page
    position INTEGER NOT NULL,            -- place in the latest read (1 = top; 0 = summary)
    kind TEXT NOT NULL,                   -- post | summary | article | entry
    url TEXT,
    published TEXT,                       -- latest version's time, copied for fast filtering
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    vanished_at TEXT,                     -- set when a complete re-read no longer lists the post
    latest_version INTEGER NOT NULL,
    UNIQUE (document_id, key)
);
CREATE INDEX posts_published ON posts(published);
CREATE INDEX posts_document ON posts(document_id, position);
CREATE INDEX posts_kind ON posts(kind);

CREATE TABLE post_versions (
    id INTEGER PRIMARY KEY,               -- grows with every change: the record's change counter
    post_id TEXT NOT NULL REFERENCES posts(id),
    version INTEGER NOT NULL,             -- 1, 2, ... per post
    title TEXT,
    body TEXT NOT NULL,
    published TEXT,
    time_inferred INTEGER NOT NULL DEFAULT 0,
    labels TEXT NOT NULL DEFAULT '[]',    -- JSON list
    bylines TEXT NOT NULL DEFAULT '[]',   -- JSON [{"name", "role"}]
    media TEXT NOT NULL DEFAULT '[]',     -- JSON [{"kind", "caption", "source", "alt"}]
    seen_at TEXT NOT NULL,
    ingest_id INTEGER REFERENCES ingests(id),
    content_hash TEXT NOT NULL,
    UNIQUE (post_id, version)
);
CREATE INDEX post_versions_post ON post_versions(post_id);

-- Full-text search: English stems of each post's title and body.
--@ sqlite
-- An index over the latest version of each post (rowid = posts.rowid).
CREATE VIRTUAL TABLE posts_fts USING fts5(title, body, tokenize = 'porter unicode61');
--@ postgres
-- -- A column of every version, the title weighted above the body.
-- ALTER TABLE post_versions ADD COLUMN search tsvector GENERATED ALWAYS AS (
--     setweight(to_tsvector('english', coalesce(title, '')), 'A')
--     || setweight(to_tsvector('english', body), 'B')
-- ) STORED;
-- CREATE INDEX post_versions_search ON post_versions USING gin (search);
--@ end
