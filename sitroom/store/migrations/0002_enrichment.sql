-- Who and what the posts name, who said what, the figures stated and the places named.
-- Every row points at the post version it was found in (version_id) and carries the exact
-- character span in that version's title or body, so the text shown is always verbatim.

CREATE TABLE actors (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,            -- canonical name
    type TEXT NOT NULL,                   -- person | org
    description TEXT,
    learned INTEGER NOT NULL DEFAULT 0    -- 1 = learned from the text, not from the registry
);

CREATE TABLE aliases (
    actor_id INTEGER NOT NULL REFERENCES actors(id),
    alias TEXT NOT NULL,
    UNIQUE (actor_id, alias)
);

CREATE TABLE roles (
    actor_id INTEGER NOT NULL REFERENCES actors(id),
    title TEXT NOT NULL,                  -- "Nato secretary general", "the Czech deputy foreign minister"
    start TEXT,                           -- ISO date or NULL
    end TEXT,
    learned INTEGER NOT NULL DEFAULT 0,
    UNIQUE (actor_id, title)
);

CREATE TABLE enriched_versions (
    version_id INTEGER PRIMARY KEY REFERENCES post_versions(id),
    enricher_version TEXT NOT NULL,       -- sitroom.enrich.pipeline.ENRICHER_VERSION
    enriched_at TEXT NOT NULL
);

CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES post_versions(id),
    post_id TEXT NOT NULL REFERENCES posts(id),
    actor TEXT NOT NULL,                  -- canonical name (actors.name)
    surface TEXT NOT NULL,                -- as written
    field TEXT NOT NULL,                  -- title | body
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    via TEXT                              -- name | alias | surname | role | pronoun
);
CREATE INDEX mentions_actor ON mentions(actor);
CREATE INDEX mentions_version ON mentions(version_id);

CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES post_versions(id),
    post_id TEXT NOT NULL REFERENCES posts(id),
    speaker TEXT,                         -- canonical name; NULL when sitroom abstained
    speaker_surface TEXT,
    kind TEXT NOT NULL,                   -- direct | indirect
    text TEXT NOT NULL,                   -- verbatim: the version's field[start:end]
    cue TEXT,
    field TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    confidence REAL
);
CREATE INDEX quotes_speaker ON quotes(speaker);
CREATE INDEX quotes_version ON quotes(version_id);

CREATE TABLE figures (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES post_versions(id),
    post_id TEXT NOT NULL REFERENCES posts(id),
    text TEXT NOT NULL,
    value REAL NOT NULL,
    value_max REAL,
    unit TEXT NOT NULL,
    approx INTEGER NOT NULL DEFAULT 0,
    counted TEXT,
    field TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL
);
CREATE INDEX figures_unit ON figures(unit);
CREATE INDEX figures_version ON figures(version_id);

CREATE TABLE places (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES post_versions(id),
    post_id TEXT NOT NULL REFERENCES posts(id),
    name TEXT NOT NULL,                   -- as written
    canonical TEXT NOT NULL,              -- gazetteer name
    kind TEXT NOT NULL,                   -- country | city | region
    country_code TEXT,
    lat REAL,
    lon REAL,
    field TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL
);
CREATE INDEX places_version ON places(version_id);
