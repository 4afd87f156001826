"""Analysis tables: claims, disputes and their sides, events, indicator points, quantities,
the key the saved analysis was computed at (migration 0005), and each claim's kept reading
(proposition, stance) and sentence embedding.

The incremental runner (sitroom/analyse/incremental.py) keeps what it needs to redo only
what changed in the same key-value table as the readings, under keys starting `run:`: per
post what its claims were made from, per time block each claim's nearest neighbours.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from sitroom.records import (
    Analysis,
    Claim,
    Dispute,
    Event,
    IndicatorPoint,
    QuantitySeries,
    Side,
)
from sitroom.store.rows import Row, insert_records, insert_sql, record, upsert_sql
from sitroom.util.jsonable import from_iso, to_iso, utcnow

_CLAIM_COLUMNS = (
    "id", "post_id", "source", "time", "actor", "text", "modality", "negated", "subject",
    "predicate", "object", "stance", "stance_reason", "confidence", "kind", "cue", "signals",
    "figures", "places", "field", "start", "end",
)  # fmt: skip
_DISPUTE_COLUMNS = ("topic", "proposition", "signal", "reason", "first", "latest", "related")
_SIDE_COLUMNS = ("dispute_id", "side", "actor", "claims", "posts", "first", "latest", "stances")
_EVENT_COLUMNS = (
    "id", "indicator", "category", "weight", "actor", "target", "time", "place", "modality",
    "text", "post_id", "source", "about", "claim_id",
)  # fmt: skip
_SERIES_COLUMNS = ("key", "unit", "counted", "place", "points")
_TABLES = ("claims", "dispute_sides", "disputes", "events", "indicator_points", "quantity_series")


@dataclass
class RunState:
    """What the incremental analysis runner keeps beside the analysis."""

    rows: dict[str, Any]  # state rows to write, by key (JSON values)
    dropped: list[str]  # state keys to remove
    posts: set[str] | None = None  # the posts whose claims changed (None: all of them)
    # Of the saved analysis: tables whose rows stay as they are ("disputes" covers their
    # sides), and the first event that changed (those before it stay; None: all are written).
    unchanged: frozenset[str] = frozenset()
    events_from: int | None = None
    sweep: bool = True  # remove the kept state of other analysers (a scan of the table)


class AnalysisStore:
    def analysis_state(self) -> str:
        """The state of everything in the record the analysis reads: post versions, vanished
        posts, the enrichment of each version and the enricher version that made it."""
        versions = self._rows("SELECT coalesce(max(id), 0) AS a, count(*) AS b FROM post_versions")
        vanished = self._rows("SELECT count(*) AS a FROM posts WHERE vanished_at IS NOT NULL")
        enriched = self._rows(
            "SELECT count(*) AS a, coalesce(max(enriched_at), '') AS b, "
            f"coalesce({self._GROUP_CONCAT.format('enricher_version')}, '') AS c "
            "FROM enriched_versions"
        )
        return "|".join(str(v) for row in (versions, vanished, enriched) for v in tuple(row[0]))

    def save_analysis(self, analysis: Analysis, key: str | int) -> None:
        """Replace the saved analysis with `analysis`, computed at analysis key `key`."""
        with self._transaction() as conn:
            _write_analysis(conn, analysis, key)

    def saved_analysis(self, key: str | int | None) -> Analysis | None:
        """The saved analysis if it was computed at analysis key `key`, else None."""
        run = self._rows("SELECT key FROM analysis_runs WHERE id = 1")
        if not run or key is None or run[0]["key"] != str(key):
            return None
        disputes = []
        for d in self._rows("SELECT * FROM disputes ORDER BY id"):
            sides: dict[str, list[Side]] = {"asserts": [], "denies": []}
            for s in self._rows("SELECT * FROM dispute_sides WHERE dispute_id = ?", (d["id"],)):
                sides[s["side"]].append(record(Side, s))
            disputes.append(record(Dispute, d, asserts=sides["asserts"], denies=sides["denies"]))
        return Analysis(
            claims=[_claim(r) for r in self._rows("SELECT * FROM claims")],
            links=[],
            disputes=disputes,
            events=[record(Event, r) for r in self._rows("SELECT * FROM events ORDER BY id")],
            indicators=[
                record(IndicatorPoint, r, index=r["idx"])
                for r in self._rows("SELECT * FROM indicator_points ORDER BY bucket")
            ],
            quantities=[
                record(QuantitySeries, r, where=r["place"])
                for r in self._rows("SELECT * FROM quantity_series ORDER BY id")
            ],
        )

    def claim_readings(self, keys: list[str]) -> dict[str, tuple[dict, np.ndarray | None]]:
        """Kept readings and embeddings by key (keys not kept are absent)."""
        found: dict[str, tuple[dict, np.ndarray | None]] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = self._rows(
                f"SELECT key, reading, vector FROM claim_readings WHERE key IN ({marks})",  # noqa: S608
                chunk,
            )
            for r in rows:
                vector = np.frombuffer(r["vector"], dtype=np.float32) if r["vector"] else None
                found[r["key"]] = (json.loads(r["reading"]), vector)
        return found

    def save_claim_readings(self, readings: dict[str, tuple[dict, np.ndarray | None]]) -> None:
        """Keep readings and embeddings by key."""
        with self._transaction() as conn:
            conn.executemany(
                upsert_sql("claim_readings", ("key", "reading", "vector"), key=("key",)),
                [
                    (k, json.dumps(r), None if v is None else np.asarray(v, np.float32).tobytes())
                    for k, (r, v) in readings.items()
                ],
            )

    def analysed_posts(self, documents: list[int] | None = None) -> list[Row]:
        """Every current post (not vanished) with what its claims are made from: id,
        document_id, position, published, and `stamp` (its latest version, that version's
        enrichment and enricher version, its document's source); only those of `documents`
        when given."""
        where, params = "p.vanished_at IS NULL", []
        if documents is not None:
            where += f" AND p.document_id IN ({', '.join('?' for _ in documents)})"
            params = list(documents)
        return self._rows(
            "SELECT p.id, p.document_id, p.position, v.published, "
            "v.id || '|' || coalesce(v.published, '') || '|' || "
            "coalesce(e.enricher_version, '') || '|' || coalesce(e.enriched_at, '') || '|' || "
            "s.source AS stamp "
            "FROM posts p JOIN post_versions v ON v.post_id = p.id AND v.version = p.latest_version "
            "JOIN documents d ON d.id = p.document_id JOIN sources s ON s.id = d.source_id "
            "LEFT JOIN enriched_versions e ON e.version_id = v.id "
            f"WHERE {where} ORDER BY p.document_id, p.position",  # noqa: S608 -- marks only
            params,
        )

    def analysis_marks(self) -> tuple[int, str, int]:
        """(newest post version id, newest enrichment time, posts vanished): from two sets
        of marks, `documents_changed_since` tells which documents a run must read again."""
        row = self._rows(
            "SELECT (SELECT coalesce(max(id), 0) FROM post_versions) AS v, "
            "(SELECT coalesce(max(enriched_at), '') FROM enriched_versions) AS e, "
            "(SELECT count(*) FROM posts WHERE vanished_at IS NOT NULL) AS g"
        )[0]
        return int(row["v"]), str(row["e"]), int(row["g"])

    def documents_changed_since(self, version: int, enriched_at: str) -> list[int]:
        """Documents with a post version newer than `version`, or a post version enriched at
        `enriched_at` or later (times have seconds: the same second may hold later work)."""
        rows = self._rows(
            "SELECT DISTINCT p.document_id FROM post_versions v "
            "JOIN posts p ON p.id = v.post_id WHERE v.id > ? "
            "UNION SELECT DISTINCT p.document_id FROM enriched_versions e "
            "JOIN post_versions v ON v.id = e.version_id JOIN posts p ON p.id = v.post_id "
            "WHERE e.enriched_at >= ?",
            (version, enriched_at),
        )
        return sorted(int(r["document_id"]) for r in rows)

    def analysis_run_key(self) -> str | None:
        """The key the saved analysis was computed at (None: nothing saved)."""
        run = self._rows("SELECT key FROM analysis_runs WHERE id = 1")
        return str(run[0]["key"]) if run else None

    def saved_claims(self) -> list[Claim]:
        """The claims of the saved analysis, whatever its key."""
        return [_claim(r) for r in self._rows("SELECT * FROM claims")]

    def kept_state(self, prefix: str) -> dict[str, Any]:
        """The runner's kept state: every key starting with `prefix`, its JSON value."""
        rows = self._rows(
            "SELECT key, reading FROM claim_readings WHERE substr(key, 1, ?) = ?",
            (len(prefix), prefix),
        )
        return {r["key"]: json.loads(r["reading"]) for r in rows}

    def save_analysis_state(self, analysis: Analysis, key: str, run: RunState) -> None:
        """Save the analysis and, in the same transaction, the runner's state: its rows
        written, its dropped keys removed, and any `run:` row of another prefix removed. With
        `run.posts`, only the claims of those posts changed: only theirs are rewritten."""
        state, dropped, posts = run.rows, run.dropped, run.posts
        with self._transaction() as conn:
            _write_analysis(conn, analysis, key, posts, run)
            prefixes = {k.split(":", 2)[1] for k in state} if run.sweep else set()
            for prefix in prefixes:
                conn.execute(
                    "DELETE FROM claim_readings WHERE substr(key, 1, 4) = 'run:' "
                    "AND substr(key, 1, ?) != ?",
                    (len(prefix) + 5, f"run:{prefix}:"),
                )
            for start in range(0, len(dropped), 500):
                chunk = dropped[start : start + 500]
                marks = ", ".join("?" for _ in chunk)
                conn.execute(f"DELETE FROM claim_readings WHERE key IN ({marks})", chunk)  # noqa: S608
            conn.executemany(  # a generator: a first run's rows are not all held as text
                upsert_sql("claim_readings", ("key", "reading", "vector"), key=("key",)),
                ((k, json.dumps(v), None) for k, v in state.items()),
            )


def _write_analysis(
    conn: Any,
    analysis: Analysis,
    key: str | int,
    posts: set[str] | None = None,
    run: RunState | None = None,
) -> None:
    """Replace the analysis tables' rows with `analysis` (inside the caller's transaction);
    rows go in batches (executemany), not one statement each. With `posts`, the claims of
    other posts are the same as those saved: only those of `posts` are replaced; `run` may
    say which other rows are as saved."""
    same = run.unchanged if run else frozenset()
    events_from = run.events_from if run else None
    for table in _TABLES:
        if table == "claims" and posts is not None or table in same:
            continue
        if table == "dispute_sides" and "disputes" in same:
            continue
        if table == "events" and events_from is not None:
            conn.execute("DELETE FROM events WHERE id >= ?", (events_from,))
            continue
        conn.execute(f"DELETE FROM {table}")  # noqa: S608 -- fixed names
    claims = analysis.claims
    if posts is not None:
        ids = sorted(posts)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            conn.execute(f"DELETE FROM claims WHERE post_id IN ({marks})", chunk)  # noqa: S608
        claims = [c for c in claims if c.post_id in posts]
    insert_records(conn, "claims", _CLAIM_COLUMNS, claims, "INSERT OR REPLACE", key=("id",))
    if "disputes" not in same:
        _write_disputes(conn, analysis.disputes)
    if "events" not in same:
        first = events_from or 0
        _insert_rows(
            conn, "events", _EVENT_COLUMNS,
            [_event_row(n, e) for n, e in enumerate(analysis.events[first:], first)],
        )  # fmt: skip
    if "indicator_points" not in same:
        points = ("bucket", "idx", "contributions", "events")
        _insert_rows(
            conn, "indicator_points", points,
            [(p.bucket, p.index, json.dumps(p.contributions), json.dumps(p.events))
             for p in analysis.indicators if "T" not in p.bucket],
        )  # fmt: skip
    if "quantity_series" not in same:
        series = [_series_row(q) for q in analysis.quantities]
        _insert_rows(conn, "quantity_series", _SERIES_COLUMNS, series)
    conn.execute(
        upsert_sql("analysis_runs", ("id", "key", "computed_at"), key=("id",)),
        (1, str(key), to_iso(utcnow())),
    )


def _write_disputes(conn: Any, disputes: list[Dispute]) -> None:
    for d in disputes:
        cur = conn.execute(
            insert_sql("disputes", _DISPUTE_COLUMNS) + " RETURNING id",
            (d.topic, d.proposition, d.signal, d.reason, to_iso(d.first),
             to_iso(d.latest), json.dumps(d.related)),
        )  # fmt: skip
        dispute_id = cur.fetchone()["id"]
        conn.executemany(
            insert_sql("dispute_sides", _SIDE_COLUMNS),
            [_side_row(dispute_id, name, side)
             for name, sides in (("asserts", d.asserts), ("denies", d.denies)) for side in sides],
        )  # fmt: skip


def _side_row(dispute_id: int, name: str, s: Side) -> tuple:
    """A side's row (what `columns_of` gives, without its generic walk: a side of a long
    story cites thousands of claims)."""
    return (dispute_id, name, s.actor, json.dumps(s.claims, ensure_ascii=False),
            json.dumps(s.posts, ensure_ascii=False), to_iso(s.first), to_iso(s.latest),
            json.dumps(s.stances, ensure_ascii=False))  # fmt: skip


def _insert_rows(conn: Any, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if rows:
        conn.executemany(insert_sql(table, columns), rows)


def _claim(r: Row) -> Claim:
    """A claim from its row, field by field (what `record(Claim, r)` gives, several times
    faster: the runner reads every claim of the record)."""
    return Claim(
        id=r["id"], text=r["text"], actor=r["actor"], modality=r["modality"],
        negated=bool(r["negated"]), post_id=r["post_id"], source=r["source"],
        time=from_iso(r["time"]), signals=json.loads(r["signals"]),
        figures=[tuple(f) for f in json.loads(r["figures"])], places=json.loads(r["places"]),
        field=r["field"], start=r["start"], end=r["end"], subject=r["subject"],
        predicate=r["predicate"], object=r["object"], cue=r["cue"], stance=r["stance"],
        stance_reason=r["stance_reason"], confidence=r["confidence"], kind=r["kind"],
    )  # fmt: skip


def _series_row(q: QuantitySeries) -> tuple:
    """A series' row (what `columns_of` gives, without its generic walk over every point:
    a large record has thousands of series, and every run writes them)."""
    points = [[to_iso(t), value, text, post, source] for t, value, text, post, source in q.points]
    return (q.key, q.unit, q.counted, q.where, json.dumps(points, ensure_ascii=False))


def _event_row(n: int, e: Event) -> tuple:
    """An event's row (what `columns_of` gives; its fields are text and numbers but the time,
    and a record has tens of thousands of events)."""
    return tuple(
        n if c == "id" else to_iso(e.time) if c == "time" else getattr(e, c) for c in _EVENT_COLUMNS
    )
