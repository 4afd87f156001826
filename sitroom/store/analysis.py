"""Analysis tables: claims, disputes and their sides, events, indicator points, quantities."""

from __future__ import annotations

import json


def _iso(value):
    from sitroom.store.core import to_iso

    return to_iso(value)


def _dt(value):
    from sitroom.store.core import from_iso

    return from_iso(value)


class AnalysisStore:
    def save_analysis(self, analysis, change_id: int) -> None:
        """Replace the saved analysis with `analysis`, computed at record change `change_id`."""
        from sitroom.store.core import to_iso, utcnow

        with self.transaction() as conn:
            for table in (
                "claims",
                "dispute_sides",
                "disputes",
                "events",
                "indicator_points",
                "quantity_series",
            ):
                conn.execute(f"DELETE FROM {table}")  # noqa: S608 -- fixed names
            conn.executemany(
                "INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        c.id,
                        c.post_id,
                        c.source,
                        _iso(c.time),
                        c.actor,
                        c.text,
                        c.modality,
                        int(c.negated),
                        c.subject,
                        c.predicate,
                        c.object,
                        json.dumps(c.signals),
                        json.dumps(c.figures),
                        json.dumps(c.places),
                        c.field,
                        c.start,
                        c.end,
                    )
                    for c in analysis.claims
                ],
            )
            for d in analysis.disputes:
                cur = conn.execute(
                    "INSERT INTO disputes (topic, signal, reason, first, latest) VALUES (?, ?, ?, ?, ?)",
                    (d.topic, d.signal, d.reason, _iso(d.first), _iso(d.latest)),
                )
                for side_name, sides in (("asserts", d.asserts), ("denies", d.denies)):
                    conn.executemany(
                        "INSERT INTO dispute_sides VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [
                            (
                                cur.lastrowid,
                                side_name,
                                s.actor,
                                json.dumps(s.claims),
                                json.dumps(s.posts),
                                _iso(s.first),
                                _iso(s.latest),
                            )
                            for s in sides
                        ],
                    )
            conn.executemany(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        n,
                        e.indicator,
                        e.category,
                        e.weight,
                        e.actor,
                        e.target,
                        _iso(e.time),
                        e.place,
                        e.modality,
                        e.text,
                        e.post_id,
                        e.source,
                    )
                    for n, e in enumerate(analysis.events)
                ],
            )
            conn.executemany(
                "INSERT INTO indicator_points VALUES (?, ?, ?, ?)",
                [
                    (p.bucket, p.index, json.dumps(p.contributions), json.dumps(p.events))
                    for p in analysis.indicators
                ],
            )
            conn.executemany(
                "INSERT INTO quantity_series (unit, counted, points) VALUES (?, ?, ?)",
                [
                    (
                        q.unit,
                        q.counted,
                        json.dumps(
                            [[_iso(t), v, text, pid, src] for t, v, text, pid, src in q.points]
                        ),
                    )
                    for q in analysis.quantities
                ],
            )
            conn.execute(
                "INSERT OR REPLACE INTO analysis_runs VALUES (1, ?, ?)",
                (change_id, to_iso(utcnow())),
            )

    def saved_analysis(self, change_id: int):
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
        if not run or run[0][0] != change_id:
            return None
        claims = [
            Claim(
                id=r["id"],
                text=r["text"],
                actor=r["actor"],
                modality=r["modality"],
                negated=bool(r["negated"]),
                post_id=r["post_id"],
                source=r["source"],
                time=_dt(r["time"]),
                signals=json.loads(r["signals"]),
                figures=[tuple(f) for f in json.loads(r["figures"])],
                places=json.loads(r["places"]),
                field=r["field"],
                start=r["start"],
                end=r["end"],
                subject=r["subject"],
                predicate=r["predicate"],
                object=r["object"],
            )
            for r in self._rows("SELECT * FROM claims")
        ]
        disputes = []
        for d in self._rows("SELECT * FROM disputes ORDER BY id"):
            sides: dict[str, list[Side]] = {"asserts": [], "denies": []}
            for s in self._rows("SELECT * FROM dispute_sides WHERE dispute_id = ?", (d["id"],)):
                sides[s["side"]].append(
                    Side(
                        s["actor"],
                        json.loads(s["claims"]),
                        json.loads(s["posts"]),
                        _dt(s["first"]),
                        _dt(s["latest"]),
                    )
                )
            disputes.append(
                Dispute(
                    d["topic"],
                    d["signal"],
                    sides["asserts"],
                    sides["denies"],
                    _dt(d["first"]),
                    _dt(d["latest"]),
                    d["reason"],
                )
            )
        events = [
            Event(
                r["indicator"],
                r["category"],
                r["weight"],
                r["actor"],
                _dt(r["time"]),
                r["place"],
                r["modality"],
                r["text"],
                r["post_id"],
                r["source"],
                r["target"],
            )
            for r in self._rows("SELECT * FROM events ORDER BY id")
        ]
        points = [
            IndicatorPoint(
                r["bucket"], r["idx"], json.loads(r["contributions"]), json.loads(r["events"])
            )
            for r in self._rows("SELECT * FROM indicator_points ORDER BY bucket")
        ]
        quantities = [
            QuantitySeries(
                r["unit"],
                r["counted"],
                [(_dt(t), v, text, pid, src) for t, v, text, pid, src in json.loads(r["points"])],
            )
            for r in self._rows("SELECT * FROM quantity_series ORDER BY id")
        ]
        return Analysis(
            claims=claims,
            links=[],
            disputes=disputes,
            events=events,
            indicators=points,
            quantities=quantities,
        )
