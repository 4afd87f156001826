"""Analysis tables: claims, disputes and their sides, events, indicator points, quantities,
the key the saved analysis was computed at (migration 0005), and each claim's kept reading
(proposition, stance) and sentence embedding."""

from __future__ import annotations

import json

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
from sitroom.store.rows import insert_records, insert_sql, record, upsert_sql
from sitroom.util.jsonable import to_iso, utcnow

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
            for table in _TABLES:
                conn.execute(f"DELETE FROM {table}")  # noqa: S608 -- fixed names
            insert_records(
                conn, "claims", _CLAIM_COLUMNS, analysis.claims, "INSERT OR REPLACE", key=("id",)
            )
            for d in analysis.disputes:
                cur = conn.execute(
                    insert_sql("disputes", _DISPUTE_COLUMNS) + " RETURNING id",
                    (d.topic, d.proposition, d.signal, d.reason, to_iso(d.first),
                     to_iso(d.latest), json.dumps(d.related)),
                )  # fmt: skip
                dispute_id = cur.fetchone()["id"]
                for side_name, sides in (("asserts", d.asserts), ("denies", d.denies)):
                    insert_records(
                        conn, "dispute_sides", _SIDE_COLUMNS, sides,
                        dispute_id=dispute_id, side=side_name,
                    )  # fmt: skip
            for n, event in enumerate(analysis.events):
                insert_records(conn, "events", _EVENT_COLUMNS, [event], id=n)
            daily = [p for p in analysis.indicators if "T" not in p.bucket]
            for point in daily:
                insert_records(
                    conn, "indicator_points", ("bucket", "idx", "contributions", "events"),
                    [point], idx=point.index,
                )  # fmt: skip
            for series in analysis.quantities:
                insert_records(
                    conn, "quantity_series", _SERIES_COLUMNS, [series], place=series.where
                )
            conn.execute(
                upsert_sql("analysis_runs", ("id", "key", "computed_at"), key=("id",)),
                (1, str(key), to_iso(utcnow())),
            )

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
            claims=[record(Claim, r) for r in self._rows("SELECT * FROM claims")],
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
