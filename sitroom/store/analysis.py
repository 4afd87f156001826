"""Analysis tables: claims, disputes and their sides, events, indicator points, quantities."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitroom.store.rows import insert_records, insert_sql, record, upsert_sql
from sitroom.util.jsonable import to_iso, utcnow

if TYPE_CHECKING:
    from sitroom.analyse.records import Analysis

_CLAIM_COLUMNS = (
    "id", "post_id", "source", "time", "actor", "text", "modality", "negated", "subject",
    "predicate", "object", "signals", "figures", "places", "field", "start", "end",
)  # fmt: skip
_SIDE_COLUMNS = ("dispute_id", "side", "actor", "claims", "posts", "first", "latest")
_EVENT_COLUMNS = (
    "id", "indicator", "category", "weight", "actor", "target", "time", "place", "modality",
    "text", "post_id", "source",
)  # fmt: skip
_TABLES = ("claims", "dispute_sides", "disputes", "events", "indicator_points", "quantity_series")


class AnalysisStore:
    def save_analysis(self, analysis: Analysis, change_id: int) -> None:
        """Replace the saved analysis with `analysis`, computed at record change `change_id`."""
        with self._transaction() as conn:
            for table in _TABLES:
                conn.execute(f"DELETE FROM {table}")  # noqa: S608 -- fixed names
            insert_records(
                conn, "claims", _CLAIM_COLUMNS, analysis.claims, "INSERT OR REPLACE", key=("id",)
            )
            for d in analysis.disputes:
                cur = conn.execute(
                    insert_sql("disputes", ("topic", "signal", "reason", "first", "latest"))
                    + " RETURNING id",
                    (d.topic, d.signal, d.reason, to_iso(d.first), to_iso(d.latest)),
                )
                dispute_id = cur.fetchone()["id"]
                for side_name, sides in (("asserts", d.asserts), ("denies", d.denies)):
                    insert_records(
                        conn,
                        "dispute_sides",
                        _SIDE_COLUMNS,
                        sides,
                        dispute_id=dispute_id,
                        side=side_name,
                    )
            for n, event in enumerate(analysis.events):
                insert_records(conn, "events", _EVENT_COLUMNS, [event], id=n)
            for point in analysis.indicators:
                insert_records(
                    conn,
                    "indicator_points",
                    ("bucket", "idx", "contributions", "events"),
                    [point],
                    idx=point.index,
                )
            insert_records(
                conn, "quantity_series", ("unit", "counted", "points"), analysis.quantities
            )
            conn.execute(
                upsert_sql("analysis_runs", ("id", "change_id", "computed_at"), key=("id",)),
                (1, change_id, to_iso(utcnow())),
            )

    def saved_analysis(self, change_id: int) -> Analysis | None:
        """The saved analysis if it was computed at `change_id`, else None."""
        from sitroom.analyse.records import (
            Analysis,
            Claim,
            Dispute,
            Event,
            IndicatorPoint,
            QuantitySeries,
            Side,
        )

        run = self._rows("SELECT change_id FROM analysis_runs WHERE id = 1")
        if not run or run[0]["change_id"] != change_id:
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
                record(QuantitySeries, r)
                for r in self._rows("SELECT * FROM quantity_series ORDER BY id")
            ],
        )
