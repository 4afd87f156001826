"""Analysis tables: claims, disputes and their sides, events, indicator points, quantities,
the key the saved analysis was computed at, and each claim's kept reading and embedding."""

from __future__ import annotations

import json

import numpy as np

from sitroom.analyse.records import (
    Analysis,
    Claim,
    Dispute,
    Event,
    IndicatorPoint,
    QuantitySeries,
    Side,
)

ANALYSIS_TABLES = (
    "claims",
    "dispute_sides",
    "disputes",
    "events",
    "indicator_points",
    "quantity_series",
)


def _iso(value):
    from sitroom.store.core import to_iso

    return to_iso(value)


def _dt(value):
    from sitroom.store.core import from_iso

    return from_iso(value)


def _claim_row(c: Claim) -> tuple:
    return (
        c.id, c.post_id, c.source, _iso(c.time), c.actor, c.text, c.modality, int(c.negated),
        c.subject, c.predicate, c.object, c.stance, c.stance_reason, c.confidence, c.kind, c.cue,
        json.dumps(c.signals), json.dumps(c.figures), json.dumps(c.places), c.field, c.start,
        c.end,
    )  # fmt: skip


def _claim(r) -> Claim:
    return Claim(
        id=r["id"], text=r["text"], actor=r["actor"], modality=r["modality"],
        negated=bool(r["negated"]), post_id=r["post_id"], source=r["source"],
        time=_dt(r["time"]), signals=json.loads(r["signals"]),
        figures=[tuple(f) for f in json.loads(r["figures"])], places=json.loads(r["places"]),
        field=r["field"], start=r["start"], end=r["end"], subject=r["subject"],
        predicate=r["predicate"], object=r["object"], cue=r["cue"], stance=r["stance"],
        stance_reason=r["stance_reason"], confidence=r["confidence"], kind=r["kind"],
    )  # fmt: skip


def _event_row(n: int, e: Event) -> tuple:
    return (
        n, e.indicator, e.category, e.weight, e.actor, e.target, _iso(e.time), e.place,
        e.modality, e.text, e.post_id, e.source, e.about, e.claim_id,
    )  # fmt: skip


def _event(r) -> Event:
    return Event(
        r["indicator"], r["category"], r["weight"], r["actor"], _dt(r["time"]), r["place"],
        r["modality"], r["text"], r["post_id"], r["source"], r["target"], r["about"],
        r["claim_id"],
    )  # fmt: skip


class AnalysisStore:
    def analysis_state(self) -> str:
        """The state of everything in the record the analysis reads: post versions, vanished
        posts, the enrichment of each version (and by which enricher version)."""
        versions = self._rows("SELECT coalesce(max(id), 0), count(*) FROM post_versions")[0]
        vanished = self._rows("SELECT count(*) FROM posts WHERE vanished_at IS NOT NULL")[0]
        enriched = self._rows(
            "SELECT count(*), coalesce(max(enriched_at), ''), "
            "coalesce(group_concat(DISTINCT enricher_version), '') FROM enriched_versions"
        )[0]
        return "|".join(str(v) for v in (*versions, *vanished, *enriched))

    def save_analysis(self, analysis: Analysis, key: str) -> None:
        """Replace the saved analysis with `analysis`, computed at analysis key `key`."""
        from sitroom.store.core import to_iso, utcnow

        with self.transaction() as conn:
            for table in ANALYSIS_TABLES:
                conn.execute(f"DELETE FROM {table}")  # noqa: S608 -- fixed names
            conn.executemany(
                f"INSERT OR REPLACE INTO claims VALUES ({', '.join('?' * 22)})",
                [_claim_row(c) for c in analysis.claims],
            )
            for d in analysis.disputes:
                cur = conn.execute(
                    "INSERT INTO disputes (topic, proposition, signal, reason, first, latest, related) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (d.topic, d.proposition, d.signal, d.reason, _iso(d.first), _iso(d.latest),
                     json.dumps(d.related)),
                )  # fmt: skip
                for side_name, sides in (("asserts", d.asserts), ("denies", d.denies)):
                    conn.executemany(
                        "INSERT INTO dispute_sides VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [
                            (cur.lastrowid, side_name, s.actor, json.dumps(s.claims),
                             json.dumps(s.posts), _iso(s.first), _iso(s.latest),
                             json.dumps(s.stances))
                            for s in sides
                        ],
                    )  # fmt: skip
            conn.executemany(
                f"INSERT INTO events VALUES ({', '.join('?' * 14)})",
                [_event_row(n, e) for n, e in enumerate(analysis.events)],
            )
            daily = [p for p in analysis.indicators if "T" not in p.bucket]
            conn.executemany(
                "INSERT INTO indicator_points VALUES (?, ?, ?, ?)",
                [
                    (p.bucket, p.index, json.dumps(p.contributions), json.dumps(p.events))
                    for p in daily
                ],
            )
            conn.executemany(
                "INSERT INTO quantity_series (key, unit, counted, place, points) VALUES (?, ?, ?, ?, ?)",
                [
                    (q.key, q.unit, q.counted, q.where,
                     json.dumps([[_iso(t), v, text, pid, src] for t, v, text, pid, src in q.points]))
                    for q in analysis.quantities
                ],
            )  # fmt: skip
            conn.execute(
                "INSERT OR REPLACE INTO analysis_runs VALUES (1, ?, ?)", (key, to_iso(utcnow()))
            )

    def _saved_disputes(self) -> list[Dispute]:
        disputes = []
        for d in self._rows("SELECT * FROM disputes ORDER BY id"):
            sides: dict[str, list[Side]] = {"asserts": [], "denies": []}
            for s in self._rows("SELECT * FROM dispute_sides WHERE dispute_id = ?", (d["id"],)):
                sides[s["side"]].append(
                    Side(s["actor"], json.loads(s["claims"]), json.loads(s["posts"]),
                         _dt(s["first"]), _dt(s["latest"]), json.loads(s["stances"]))
                )  # fmt: skip
            disputes.append(
                Dispute(d["topic"], d["signal"], sides["asserts"], sides["denies"],
                        _dt(d["first"]), _dt(d["latest"]), d["reason"] or "",
                        d["proposition"] or "", json.loads(d["related"]))
            )  # fmt: skip
        return disputes

    def saved_analysis(self, key: str | None) -> Analysis | None:
        """The saved analysis if it was computed at analysis key `key`, else None."""
        run = self._rows("SELECT key FROM analysis_runs WHERE id = 1")
        if not run or key is None or run[0][0] != key:
            return None
        points = [
            IndicatorPoint(
                r["bucket"], r["idx"], json.loads(r["contributions"]), json.loads(r["events"])
            )
            for r in self._rows("SELECT * FROM indicator_points ORDER BY bucket")
        ]
        quantities = [
            QuantitySeries(
                r["unit"], r["counted"],
                [(_dt(t), v, text, pid, src) for t, v, text, pid, src in json.loads(r["points"])],
                r["key"] or "", r["place"],
            )
            for r in self._rows("SELECT * FROM quantity_series ORDER BY id")
        ]  # fmt: skip
        return Analysis(
            claims=[_claim(r) for r in self._rows("SELECT * FROM claims")],
            links=[],
            disputes=self._saved_disputes(),
            events=[_event(r) for r in self._rows("SELECT * FROM events ORDER BY id")],
            indicators=points,
            quantities=quantities,
        )

    def claim_readings(self, keys: list[str]) -> dict[str, tuple[dict, np.ndarray | None]]:
        """Kept readings and embeddings by key (keys not kept are absent)."""
        found: dict[str, tuple[dict, np.ndarray | None]] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            rows = self._rows(
                f"SELECT key, reading, vector FROM claim_readings WHERE key IN ({', '.join('?' * len(chunk))})",  # noqa: S608
                chunk,
            )
            for r in rows:
                vector = np.frombuffer(r["vector"], dtype=np.float32) if r["vector"] else None
                found[r["key"]] = (json.loads(r["reading"]), vector)
        return found

    def save_claim_readings(self, readings: dict[str, tuple[dict, np.ndarray | None]]) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO claim_readings VALUES (?, ?, ?)",
                [
                    (k, json.dumps(r), None if v is None else np.asarray(v, np.float32).tobytes())
                    for k, (r, v) in readings.items()
                ],
            )
