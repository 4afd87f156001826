-- The analysis of the record: claims, disputes with their sides, events and the escalation
-- index, as of `analysis_runs.change_id` (the record's change counter when it was computed).
-- Recomputed when the record changes; kept so datasette and pandas can query it.

CREATE TABLE analysis_runs (
    id INTEGER PRIMARY KEY CHECK (id = 1),   -- one current analysis
    change_id INTEGER NOT NULL,
    computed_at TEXT NOT NULL
);

CREATE TABLE claims (
    id TEXT PRIMARY KEY,
    post_id TEXT NOT NULL,
    source TEXT NOT NULL,
    time TEXT,
    actor TEXT,                           -- canonical speaker; NULL = the outlet's own reporting
    text TEXT NOT NULL,                   -- verbatim
    modality TEXT NOT NULL,               -- asserted | denied | observed | announced | predicted | hypothetical | questioned
    negated INTEGER NOT NULL,
    subject TEXT, predicate TEXT, object TEXT,
    signals TEXT NOT NULL DEFAULT '[]',   -- JSON list of indicator ids
    figures TEXT NOT NULL DEFAULT '[]',   -- JSON [[value, unit]]
    places TEXT NOT NULL DEFAULT '[]',
    field TEXT, start INTEGER, end INTEGER
);
CREATE INDEX claims_actor ON claims(actor);

CREATE TABLE disputes (
    id INTEGER PRIMARY KEY,
    topic TEXT NOT NULL,
    signal TEXT,
    reason TEXT,
    first TEXT,
    latest TEXT
);

CREATE TABLE dispute_sides (
    dispute_id INTEGER NOT NULL REFERENCES disputes(id),
    side TEXT NOT NULL,                   -- asserts | denies
    actor TEXT NOT NULL,
    claims TEXT NOT NULL,                 -- JSON list of claim ids
    posts TEXT NOT NULL,                  -- JSON list of post ids
    first TEXT,
    latest TEXT
);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,               -- position in the analysis (indicator points refer to it)
    indicator TEXT NOT NULL,
    category TEXT NOT NULL,               -- PLOVER category, or PUBLIC_STATEMENT / CYBER_ATTACK / EVACUATE
    weight REAL NOT NULL,
    actor TEXT, target TEXT, time TEXT, place TEXT, modality TEXT,
    text TEXT NOT NULL,
    post_id TEXT NOT NULL,
    source TEXT NOT NULL
);

CREATE TABLE indicator_points (
    bucket TEXT PRIMARY KEY,              -- a day, 2022-02-15
    idx REAL NOT NULL,
    contributions TEXT NOT NULL,          -- JSON {indicator id: weight sum}
    events TEXT NOT NULL                  -- JSON list of events.id
);

CREATE TABLE quantity_series (
    id INTEGER PRIMARY KEY,
    unit TEXT NOT NULL,
    counted TEXT NOT NULL,
    points TEXT NOT NULL                  -- JSON [[time, value, text, post id, source]]
);
