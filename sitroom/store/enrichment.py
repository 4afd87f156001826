"""Enrichment tables: actors, aliases, roles, mentions, quotes, figures, places.

Rows belong to one post version. Listings read the latest version of each post, so an
edited post shows what it says now, while the rows found in its earlier versions stay in the
tables for anyone who wants the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sitroom.records import Actor, Figure, Mention, Place, PostEnrichment, Quote, Role


def _iso(value: datetime | None) -> str | None:
    from sitroom.store.core import to_iso

    return to_iso(value)


def _dt(value: str | None) -> datetime | None:
    from sitroom.store.core import from_iso

    return from_iso(value)


@dataclass
class Cited:
    """Where an enrichment item was found: enough to cite it."""

    post_id: str
    version_id: int
    published: datetime | None
    source: str
    outlet: str | None
    title: str | None


@dataclass
class StoredQuote(Cited):
    quote: Quote = None  # type: ignore[assignment]


@dataclass
class StoredFigure(Cited):
    figure: Figure = None  # type: ignore[assignment]


@dataclass
class StoredPlace:
    canonical: str
    kind: str
    country_code: str | None
    lat: float | None
    lon: float | None
    count: int
    names: list[str] = field(default_factory=list)
    posts: list[str] = field(default_factory=list)


@dataclass
class ActorSummary:
    name: str
    type: str
    learned: bool
    mentions: int
    quotes: int
    first_seen: datetime | None
    last_seen: datetime | None


@dataclass
class ActorDetail:
    name: str
    type: str
    learned: bool
    description: str | None
    aliases: list[str]
    roles: list[Role]
    surfaces: list[str]  # every form the posts used for this actor
    mentions: list[tuple[datetime | None, str, str]]  # (time, post id, surface), oldest first


_LATEST = """
JOIN posts p ON p.id = x.post_id
JOIN post_versions v ON v.id = x.version_id AND v.version = p.latest_version
JOIN documents d ON d.id = p.document_id
JOIN sources s ON s.id = d.source_id
"""
_CITED_COLUMNS = (
    "x.post_id, x.version_id, v.published AS published, s.source, s.outlet, v.title AS title"
)


def _cited(row) -> dict[str, Any]:
    return {
        "post_id": row["post_id"],
        "version_id": row["version_id"],
        "published": _dt(row["published"]),
        "source": row["source"],
        "outlet": row["outlet"],
        "title": row["title"],
    }


class EnrichmentStore:
    # --- writing -----------------------------------------------------------------------

    def versions_needing_enrichment(self, enricher_version: str) -> dict[int, list[int]]:
        """document id -> latest post version ids not yet enriched by `enricher_version`."""
        rows = self._rows(
            "SELECT p.document_id, v.id FROM posts p "
            "JOIN post_versions v ON v.post_id = p.id AND v.version = p.latest_version "
            "LEFT JOIN enriched_versions e ON e.version_id = v.id "
            "WHERE p.vanished_at IS NULL AND (e.version_id IS NULL OR e.enricher_version != ?) "
            "ORDER BY p.document_id, v.id",
            (enricher_version,),
        )
        pending: dict[int, list[int]] = {}
        for row in rows:
            pending.setdefault(row[0], []).append(row[1])
        return pending

    def document_version_ids(self, document_id: int) -> dict[str, int]:
        """post key -> id of the post's latest version."""
        rows = self._rows(
            "SELECT p.key, v.id FROM posts p JOIN post_versions v "
            "ON v.post_id = p.id AND v.version = p.latest_version WHERE p.document_id = ?",
            (document_id,),
        )
        return {r[0]: r[1] for r in rows}

    def save_document_enrichment(
        self,
        document_id: int,
        by_version: dict[int, PostEnrichment],
        enricher_version: str,
        *,
        actors: list[Actor] = (),
        roles: list[Role] = (),
    ) -> None:
        """Replace the enrichment rows of these versions, in one transaction."""
        from sitroom.store.core import to_iso, utcnow

        now = to_iso(utcnow())
        with self.transaction() as conn:
            for actor in actors:
                self._upsert_actor(conn, actor)
            for role in roles:
                row = conn.execute(
                    "SELECT id FROM actors WHERE name = ?", (role.holder,)
                ).fetchone()
                if row:
                    conn.execute(
                        "INSERT OR IGNORE INTO roles (actor_id, title, start, end, learned) VALUES (?, ?, ?, ?, 1)",
                        (
                            row[0],
                            role.title,
                            role.start and role.start.isoformat(),
                            role.end and role.end.isoformat(),
                        ),
                    )
            for version_id, result in by_version.items():
                post_id = conn.execute(
                    "SELECT post_id FROM post_versions WHERE id = ?", (version_id,)
                ).fetchone()[0]
                for table in ("mentions", "quotes", "figures", "places"):
                    conn.execute(f"DELETE FROM {table} WHERE version_id = ?", (version_id,))  # noqa: S608
                conn.executemany(
                    "INSERT INTO mentions (version_id, post_id, actor, surface, field, start, end, via) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (version_id, post_id, m.actor, m.surface, m.field, m.start, m.end, m.via)
                        for m in result.mentions
                    ],
                )
                conn.executemany(
                    "INSERT INTO quotes (version_id, post_id, speaker, speaker_surface, kind, text, cue, field, start, end, confidence) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            version_id,
                            post_id,
                            q.speaker,
                            q.speaker_surface,
                            q.kind,
                            q.text,
                            q.cue,
                            q.field,
                            q.start,
                            q.end,
                            q.confidence,
                        )
                        for q in result.quotes
                    ],
                )
                conn.executemany(
                    "INSERT INTO figures (version_id, post_id, text, value, value_max, unit, approx, counted, field, start, end) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            version_id,
                            post_id,
                            f.text,
                            f.value,
                            f.value_max,
                            f.unit,
                            int(f.approx),
                            f.counted,
                            f.field,
                            f.start,
                            f.end,
                        )
                        for f in result.figures
                    ],
                )
                conn.executemany(
                    "INSERT INTO places (version_id, post_id, name, canonical, kind, country_code, lat, lon, field, start, end) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            version_id,
                            post_id,
                            p.name,
                            p.canonical,
                            p.kind,
                            p.country_code,
                            p.lat,
                            p.lon,
                            p.field,
                            p.start,
                            p.end,
                        )
                        for p in result.places
                    ],
                )
                conn.execute(
                    "INSERT OR REPLACE INTO enriched_versions (version_id, enricher_version, enriched_at) VALUES (?, ?, ?)",
                    (version_id, enricher_version, now),
                )

    def _upsert_actor(self, conn, actor: Actor) -> None:
        row = conn.execute("SELECT id FROM actors WHERE name = ?", (actor.name,)).fetchone()
        if row is None:
            cur = conn.execute(
                "INSERT INTO actors (name, type, description, learned) VALUES (?, ?, ?, ?)",
                (actor.name, actor.type, actor.description, int(actor.learned)),
            )
            actor_id = cur.lastrowid
        else:
            actor_id = row[0]
        conn.executemany(
            "INSERT OR IGNORE INTO aliases (actor_id, alias) VALUES (?, ?)",
            [(actor_id, alias) for alias in actor.aliases],
        )

    # --- reading -------------------------------------------------------------------------

    def enrichment_for_document(self, document_id: int) -> dict[str, PostEnrichment]:
        """What was found in each post's latest version, by post key."""
        versions = self.document_version_ids(document_id)
        by_version = {vid: PostEnrichment(post_key=key) for key, vid in versions.items()}
        if not by_version:
            return {}
        marks = ", ".join("?" for _ in by_version)
        ids = list(by_version)
        for r in self._rows(
            f"SELECT * FROM mentions WHERE version_id IN ({marks}) ORDER BY field, start", ids
        ):
            by_version[r["version_id"]].mentions.append(
                Mention(r["surface"], r["actor"], r["field"], r["start"], r["end"], r["via"])
            )
        for r in self._rows(
            f"SELECT * FROM quotes WHERE version_id IN ({marks}) ORDER BY field, start", ids
        ):
            by_version[r["version_id"]].quotes.append(_quote(r))
        for r in self._rows(
            f"SELECT * FROM figures WHERE version_id IN ({marks}) ORDER BY field, start", ids
        ):
            by_version[r["version_id"]].figures.append(_figure(r))
        for r in self._rows(
            f"SELECT * FROM places WHERE version_id IN ({marks}) ORDER BY field, start", ids
        ):
            by_version[r["version_id"]].places.append(_place(r))
        return {e.post_key: e for e in by_version.values()}

    def quotes(
        self,
        speaker: str | None = None,
        about: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        source: str | None = None,
        kind: str | None = None,
        limit: int | None = None,
    ) -> list[StoredQuote]:
        """Who said what, newest first. `speaker` matches a canonical name or any alias."""
        where, params = ["1 = 1"], []
        if speaker:
            where.append(
                "(lower(x.speaker) = lower(?) OR x.speaker LIKE ? OR x.speaker IN "
                "(SELECT a.name FROM actors a JOIN aliases al ON al.actor_id = a.id WHERE lower(al.alias) = lower(?)))"
            )
            params += [speaker, f"%{speaker}%", speaker]
        if about:
            where.append("x.text LIKE ?")
            params.append(f"%{about}%")
        if since:
            where.append("v.published >= ?")
            params.append(_iso(since))
        if until:
            where.append("v.published < ?")
            params.append(_iso(until))
        if source:
            where.append("(s.source LIKE ? OR s.outlet LIKE ?)")
            params += [f"%{source}%", f"%{source}%"]
        if kind:
            where.append("x.kind = ?")
            params.append(kind)
        sql = f"SELECT x.*, {_CITED_COLUMNS} FROM quotes x {_LATEST} WHERE {' AND '.join(where)} ORDER BY v.published DESC, x.start"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [StoredQuote(**_cited(r), quote=_quote(r)) for r in self._rows(sql, params)]

    def figures(
        self,
        unit: str | None = None,
        since: datetime | None = None,
        source: str | None = None,
        limit: int | None = None,
    ) -> list[StoredFigure]:
        where, params = ["1 = 1"], []
        if unit:
            where.append("lower(x.unit) = lower(?)")
            params.append(unit)
        if since:
            where.append("v.published >= ?")
            params.append(_iso(since))
        if source:
            where.append("(s.source LIKE ? OR s.outlet LIKE ?)")
            params += [f"%{source}%", f"%{source}%"]
        sql = f"SELECT x.*, {_CITED_COLUMNS} FROM figures x {_LATEST} WHERE {' AND '.join(where)} ORDER BY v.published, x.start"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [StoredFigure(**_cited(r), figure=_figure(r)) for r in self._rows(sql, params)]

    def places(self, since: datetime | None = None) -> list[StoredPlace]:
        where, params = "1 = 1", []
        if since:
            where, params = "v.published >= ?", [_iso(since)]
        rows = self._rows(
            f"SELECT x.canonical, x.kind, x.country_code, x.lat, x.lon, count(*) AS n, "
            f"group_concat(DISTINCT x.name) AS names, group_concat(DISTINCT x.post_id) AS posts "
            f"FROM places x {_LATEST} WHERE {where} GROUP BY x.canonical, x.kind ORDER BY n DESC",
            params,
        )
        return [
            StoredPlace(
                r[0], r[1], r[2], r[3], r[4], r[5], (r[6] or "").split(","), (r[7] or "").split(",")
            )
            for r in rows
        ]

    def actors_summary(self, since: datetime | None = None) -> list[ActorSummary]:
        cond, params = "", []
        if since:
            cond, params = " AND v.published >= ?", [_iso(since)]
        rows = self._rows(
            "SELECT a.name, a.type, a.learned, "
            f"(SELECT count(*) FROM mentions x {_LATEST} WHERE x.actor = a.name{cond}) AS mentions, "
            f"(SELECT count(*) FROM quotes x {_LATEST} WHERE x.speaker = a.name{cond}) AS quotes, "
            f"(SELECT min(v.published) FROM mentions x {_LATEST} WHERE x.actor = a.name{cond}) AS first_seen, "
            f"(SELECT max(v.published) FROM mentions x {_LATEST} WHERE x.actor = a.name{cond}) AS last_seen "
            "FROM actors a",
            params * 4,
        )
        found = [
            ActorSummary(
                r["name"],
                r["type"],
                bool(r["learned"]),
                r["mentions"],
                r["quotes"],
                _dt(r["first_seen"]),
                _dt(r["last_seen"]),
            )
            for r in rows
            if r["mentions"] or r["quotes"]
        ]
        return sorted(found, key=lambda a: (-(a.mentions + 2 * a.quotes), a.name))

    def actor_detail(self, name: str) -> ActorDetail | None:
        rows = self._rows(
            "SELECT * FROM actors WHERE lower(name) = lower(?) OR id IN "
            "(SELECT actor_id FROM aliases WHERE lower(alias) = lower(?)) ORDER BY lower(name) = lower(?) DESC LIMIT 1",
            (name, name, name),
        )
        if not rows:
            # A surname alone ("Lind") names the one actor whose name ends with it.
            rows = self._rows(
                "SELECT * FROM actors WHERE lower(name) LIKE '% ' || lower(?) LIMIT 2", (name,)
            )
            if len(rows) != 1:
                return None
        actor = rows[0]
        aliases = [
            r[0]
            for r in self._rows(
                "SELECT alias FROM aliases WHERE actor_id = ? ORDER BY alias", (actor["id"],)
            )
        ]
        roles = [
            Role(
                title=r["title"], holder=actor["name"], start=_date(r["start"]), end=_date(r["end"])
            )
            for r in self._rows(
                "SELECT * FROM roles WHERE actor_id = ? ORDER BY start", (actor["id"],)
            )
        ]
        mentions = [
            (_dt(r["published"]), r["post_id"], r["surface"])
            for r in self._rows(
                f"SELECT {_CITED_COLUMNS}, x.surface FROM mentions x {_LATEST} WHERE x.actor = ? ORDER BY v.published",
                (actor["name"],),
            )
        ]
        return ActorDetail(
            name=actor["name"],
            type=actor["type"],
            learned=bool(actor["learned"]),
            description=actor["description"],
            aliases=aliases,
            roles=roles,
            surfaces=sorted({m[2] for m in mentions}),
            mentions=mentions,
        )


def _date(value: str | None):
    from datetime import date

    return date.fromisoformat(value) if value else None


def _quote(r) -> Quote:
    return Quote(
        text=r["text"],
        kind=r["kind"],
        speaker=r["speaker"],
        field=r["field"],
        start=r["start"],
        end=r["end"],
        speaker_surface=r["speaker_surface"],
        cue=r["cue"],
        confidence=r["confidence"] if r["confidence"] is not None else 1.0,
    )


def _figure(r) -> Figure:
    return Figure(
        text=r["text"],
        value=r["value"],
        unit=r["unit"],
        field=r["field"],
        start=r["start"],
        end=r["end"],
        approx=bool(r["approx"]),
        counted=r["counted"],
        value_max=r["value_max"],
    )


def _place(r) -> Place:
    return Place(
        name=r["name"],
        canonical=r["canonical"],
        kind=r["kind"],
        field=r["field"],
        start=r["start"],
        end=r["end"],
        country_code=r["country_code"],
        lat=r["lat"],
        lon=r["lon"],
    )
