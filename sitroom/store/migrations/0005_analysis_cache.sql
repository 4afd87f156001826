-- The analysis, keyed on everything it depends on, and each claim's reading kept by a key of
-- its words. The analysis tables hold derived data only: they are rebuilt, not migrated.
--
-- analysis_runs.key: a digest of the record's state (post versions, vanished posts, the
-- enrichment of each version and its enricher version), the indicator catalogue and word
-- lists, and the analyser version. A saved analysis with another key is stale.

DROP TABLE IF EXISTS analysis_runs;
DROP TABLE IF EXISTS claims;
DROP TABLE IF EXISTS dispute_sides;
DROP TABLE IF EXISTS disputes;
DROP TABLE IF EXISTS events;
DROP TABLE IF EXISTS indicator_points;
DROP TABLE IF EXISTS quantity_series;

CREATE TABLE analysis_runs (
    id INTEGER PRIMARY KEY CHECK (id = 1),   -- one current analysis
    key TEXT NOT NULL,
    computed_at TEXT NOT NULL
);

CREATE TABLE claims (
    id TEXT PRIMARY KEY,                  -- stable: post id, offset and words
    post_id TEXT NOT NULL,
    source TEXT NOT NULL,
    time TEXT,
    actor TEXT,                           -- canonical speaker; NULL = the outlet's own reporting
    text TEXT NOT NULL,                   -- verbatim
    modality TEXT NOT NULL,               -- asserted | denied | observed | announced | predicted | hypothetical | questioned
    negated INTEGER NOT NULL,
    subject TEXT, predicate TEXT, object TEXT,   -- the proposition, positive
    stance TEXT,                          -- supports | rejects | unclear (toward its proposition)
    stance_reason TEXT,
    confidence REAL,
    kind TEXT,                            -- what it counts as: event | denial | warning | accusation | none
    cue TEXT,                             -- the verb introducing a quote
    signals TEXT NOT NULL DEFAULT '[]',   -- JSON list of indicator ids, the claim's event first
    figures TEXT NOT NULL DEFAULT '[]',   -- JSON [[value, unit]]
    places TEXT NOT NULL DEFAULT '[]',
    field TEXT, start INTEGER, end INTEGER
);
CREATE INDEX claims_actor ON claims(actor);

CREATE TABLE disputes (
    id INTEGER PRIMARY KEY,
    topic TEXT NOT NULL,
    proposition TEXT,
    signal TEXT,
    reason TEXT,                          -- how the rejecting side rejects (not observed, denial, ...)
    first TEXT,
    latest TEXT,
    related TEXT NOT NULL DEFAULT '[]'    -- JSON claim ids on no side
);

CREATE TABLE dispute_sides (
    dispute_id INTEGER NOT NULL REFERENCES disputes(id),
    side TEXT NOT NULL,                   -- asserts (supports) | denies (rejects)
    actor TEXT NOT NULL,
    claims TEXT NOT NULL,                 -- JSON list of claim ids
    posts TEXT NOT NULL,                  -- JSON list of post ids
    first TEXT,
    latest TEXT,
    stances TEXT NOT NULL DEFAULT '[]'    -- JSON [[claim id, stance, reason, confidence]]
);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,               -- position in the analysis (indicator points refer to it)
    indicator TEXT NOT NULL,              -- a signal, or denial | warning | accusation
    category TEXT NOT NULL,               -- PLOVER category, or PUBLIC_STATEMENT / CYBER_ATTACK / EVACUATE
    weight REAL NOT NULL,
    actor TEXT, target TEXT, time TEXT, place TEXT, modality TEXT,
    text TEXT NOT NULL,
    post_id TEXT NOT NULL,
    source TEXT NOT NULL,
    about TEXT,                           -- for a denial, warning or accusation: the signal
    claim_id TEXT
);
--@ postgres
-- ALTER TABLE events ALTER COLUMN id DROP IDENTITY;   -- ids are given, never generated
--@ end

CREATE TABLE indicator_points (
    bucket TEXT PRIMARY KEY,              -- a day, 2022-02-15 (hours are derived from events)
    idx REAL NOT NULL,
    contributions TEXT NOT NULL,          -- JSON {indicator id: weight sum}
    events TEXT NOT NULL                  -- JSON list of events.id
);

CREATE TABLE quantity_series (
    id INTEGER PRIMARY KEY,
    key TEXT,                             -- unit|counted|where|magnitude
    unit TEXT NOT NULL,
    counted TEXT NOT NULL,
    place TEXT,
    points TEXT NOT NULL                  -- JSON [[time, value, text, post id, source]]
);

-- Each claim's parse (proposition and stance, JSON) and sentence embedding (float32), by
-- analyser version + catalogue digest + a digest of its words, modality and cue.
CREATE TABLE claim_readings (
    key TEXT PRIMARY KEY,
    reading TEXT NOT NULL,
    vector BLOB
);
