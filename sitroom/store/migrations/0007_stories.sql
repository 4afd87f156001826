-- Stories: the developing stories of the record, each a group of documents (pages, articles,
-- feeds). Grouping is automatic (sitroom/analyse/stories.py) except where a user filed a
-- document or a source under a story (`sitroom follow --story`, `sitroom stories merge`).
CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    name TEXT UNIQUE,                     -- the user's name for it; NULL = not named by a user
    label TEXT NOT NULL DEFAULT '',       -- automatic label (its most telling words)
    created_at TEXT NOT NULL
);

CREATE TABLE story_documents (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id),
    story_id INTEGER NOT NULL REFERENCES stories(id),
    filed INTEGER NOT NULL DEFAULT 0      -- 1 = filed by a user: regrouping never moves it
);
CREATE INDEX story_documents_story ON story_documents(story_id);

-- Sources filed under a story before (or after) their first read: `sitroom follow --story`.
CREATE TABLE story_sources (
    source TEXT PRIMARY KEY,              -- as sources.source
    story_id INTEGER NOT NULL REFERENCES stories(id)
);
