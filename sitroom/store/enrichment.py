"""Enrichment tables: actors, aliases, roles, mentions, quotes, figures, places.

Rows belong to one post version. Listings read the latest version of each post, so an
edited post shows what it says now, while the rows found in its earlier versions stay in the
tables for anyone who wants the history.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar, Unpack

from sitroom.records import (
    Actor,
    ActorDetail,
    ActorSummary,
    Figure,
    Mention,
    Place,
    PostEnrichment,
    Quote,
    Role,
    StoredFigure,
    StoredPlace,
    StoredQuote,
)
from sitroom.store.api import FigureFilters, Listing, QuoteFilters, check_filters
from sitroom.store.rows import Row, insert_records, record, upsert_sql
from sitroom.util.jsonable import from_iso, to_iso, utcnow

# Columns of each enrichment table filled from the record's field of the same name; every
# table also has version_id and post_id.
_COLUMNS = {
    "mentions": ("actor", "surface", "field", "start", "end", "via"),
    "quotes": (
        "speaker",
        "speaker_surface",
        "kind",
        "text",
        "cue",
        "field",
        "start",
        "end",
        "confidence",
    ),
    "figures": (
        "text",
        "value",
        "value_max",
        "unit",
        "approx",
        "bound",
        "counted",
        "field",
        "start",
        "end",
    ),
    "places": (
        "name",
        "canonical",
        "kind",
        "country_code",
        "lat",
        "lon",
        "field",
        "start",
        "end",
    ),
}
T = TypeVar("T")

_ITEMS = {"mentions": Mention, "quotes": Quote, "figures": Figure, "places": Place}

_LATEST = """
JOIN posts p ON p.id = x.post_id
JOIN post_versions v ON v.id = x.version_id AND v.version = p.latest_version
JOIN documents d ON d.id = p.document_id
JOIN sources s ON s.id = d.source_id
"""
# The same, for counting: only the latest version of each post.
_LATEST_ONLY = """
JOIN posts p ON p.id = x.post_id
JOIN post_versions v ON v.id = x.version_id AND v.version = p.latest_version
"""
_CITED_COLUMNS = (
    "x.post_id, x.version_id, v.published AS published, s.source, s.outlet, v.title AS title, "
    "v.time_inferred AS time_inferred"
)


class _Where:
    """AND-ed SQL conditions with their parameters; a condition is added only when the value
    it filters on is given."""

    def __init__(self) -> None:
        self.parts: list[str] = ["1 = 1"]
        self.params: list[object] = []

    def add(self, value: object, condition: str, *params: object) -> None:
        if value:
            self.parts.append(condition)
            self.params += params

    def window(self, since: datetime | None, until: datetime | None) -> None:
        """Posts published from `since` and before `until`."""
        self.add(since, "v.published >= ?", to_iso(since))
        self.add(until, "v.published < ?", to_iso(until))

    def source(self, source: str | None) -> None:
        """Posts of a source or outlet whose name contains `source`."""
        self.add(source, "(s.source LIKE ? OR s.outlet LIKE ?)", f"%{source}%", f"%{source}%")

    def __str__(self) -> str:
        return " AND ".join(self.parts)


class EnrichmentStore:
    # An aggregate of the distinct values of one column, joined by commas.
    _GROUP_CONCAT = ""

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
            pending.setdefault(row["document_id"], []).append(row["id"])
        return pending

    def document_version_ids(self, document_id: int) -> dict[str, int]:
        """post key -> id of the post's latest version."""
        rows = self._rows(
            "SELECT p.key, v.id FROM posts p JOIN post_versions v "
            "ON v.post_id = p.id AND v.version = p.latest_version WHERE p.document_id = ?",
            (document_id,),
        )
        return {r["key"]: r["id"] for r in rows}

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
        now = to_iso(utcnow())
        with self._transaction() as conn:
            for actor in actors:
                self._upsert_actor(conn, actor)
            for role in roles:
                self._insert_role(conn, role)
            for version_id, result in by_version.items():
                post_id = conn.execute(
                    "SELECT post_id FROM post_versions WHERE id = ?", (version_id,)
                ).fetchone()["post_id"]
                for table, columns in _COLUMNS.items():
                    conn.execute(f"DELETE FROM {table} WHERE version_id = ?", (version_id,))  # noqa: S608
                    insert_records(
                        conn,
                        table,
                        ("version_id", "post_id", *columns),
                        getattr(result, table),
                        version_id=version_id,
                        post_id=post_id,
                    )
                conn.execute(
                    upsert_sql(
                        "enriched_versions",
                        ("version_id", "enricher_version", "enriched_at"),
                        key=("version_id",),
                    ),
                    (version_id, enricher_version, now),
                )

    def _insert_role(self, conn, role: Role) -> None:
        row = conn.execute("SELECT id FROM actors WHERE name = ?", (role.holder,)).fetchone()
        if row:
            insert_records(
                conn,
                "roles",
                ("actor_id", "title", "start", "end", "learned"),
                [role],
                "INSERT OR IGNORE",
                actor_id=row["id"],
                learned=True,
            )

    def _upsert_actor(self, conn, actor: Actor) -> None:
        row = conn.execute("SELECT id FROM actors WHERE name = ?", (actor.name,)).fetchone()
        if row is None:
            cur = conn.execute(
                "INSERT INTO actors (name, type, description, learned) VALUES (?, ?, ?, ?) "
                "RETURNING id",
                (actor.name, actor.type, actor.description, int(actor.learned)),
            )
            actor_id = cur.fetchone()["id"]
        else:
            actor_id = row["id"]
        conn.executemany(
            "INSERT INTO aliases (actor_id, alias) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [(actor_id, alias) for alias in actor.aliases],
        )

    # --- reading -------------------------------------------------------------------------

    def enrichment_for_version(self, version_id: int, post_key: str) -> PostEnrichment:
        """What was found in one post version (a post page needs no more)."""
        found = PostEnrichment(post_key=post_key)
        for table, cls in _ITEMS.items():
            for r in self._rows(
                f"SELECT * FROM {table} WHERE version_id = ? ORDER BY field, start",  # noqa: S608
                (version_id,),
            ):
                getattr(found, table).append(_item(cls, r))
        return found

    def enrichment_for_document(self, document_id: int) -> dict[str, PostEnrichment]:
        """What was found in each post's latest version, by post key."""
        versions = self.document_version_ids(document_id)
        by_version = {vid: PostEnrichment(post_key=key) for key, vid in versions.items()}
        if not by_version:
            return {}
        marks = ", ".join("?" for _ in by_version)
        for table, cls in _ITEMS.items():
            for r in self._rows(
                f"SELECT * FROM {table} WHERE version_id IN ({marks}) ORDER BY field, start",  # noqa: S608
                list(by_version),
            ):
                getattr(by_version[r["version_id"]], table).append(_item(cls, r))
        return {e.post_key: e for e in by_version.values()}

    def quotes(self, **filters: Unpack[QuoteFilters]) -> list[StoredQuote]:
        """Who said what, newest first. `speaker` matches a canonical name or any alias."""
        check_filters(filters, QuoteFilters)
        speaker, about, kind = (filters.get(key) for key in ("speaker", "about", "kind"))
        where = _Where()
        where.add(
            speaker,
            "(lower(x.speaker) = lower(?) OR x.speaker LIKE ? OR x.speaker IN "
            "(SELECT a.name FROM actors a JOIN aliases al ON al.actor_id = a.id "
            "WHERE lower(al.alias) = lower(?)))",
            speaker,
            f"%{speaker}%",
            speaker,
        )
        where.add(about, "x.text LIKE ?", f"%{about}%")
        where.add(kind, "x.kind = ?", kind)
        rows = self._cited("quotes", where, filters, order="v.published DESC, x.start")
        return [record(StoredQuote, r, quote=_item(Quote, r)) for r in rows]

    def figures(self, **filters: Unpack[FigureFilters]) -> list[StoredFigure]:
        """Figures stated in posts, oldest first."""
        check_filters(filters, FigureFilters)
        unit = filters.get("unit")
        where = _Where()
        where.add(unit, "lower(x.unit) = lower(?)", unit)
        rows = self._cited("figures", where, filters, order="v.published, x.start")
        return [record(StoredFigure, r, figure=_item(Figure, r)) for r in rows]

    def _cited(self, table: str, where: _Where, filters: Listing, order: str) -> list[Row]:
        """The rows of an enrichment table that `where` and the listing's `filters` keep, each
        with the post it was found in."""
        where.window(filters.get("since"), filters.get("until"))
        where.source(filters.get("source"))
        sql = (
            f"SELECT x.*, {_CITED_COLUMNS} FROM {table} x {_LATEST} "  # noqa: S608
            f"WHERE {where} ORDER BY {order}"
        )
        if limit := filters.get("limit"):
            sql += f" LIMIT {int(limit)}"
        return self._rows(sql, where.params)

    def places(self, since: datetime | None = None) -> list[StoredPlace]:
        where, params = "1 = 1", []
        if since:
            where, params = "v.published >= ?", [to_iso(since)]
        rows = self._rows(
            # One canonical place has one gazetteer entry: min() picks it in either dialect.
            f"SELECT x.canonical, x.kind, min(x.country_code) AS country_code, "
            f"min(x.lat) AS lat, min(x.lon) AS lon, count(*) AS count, "
            f"{self._GROUP_CONCAT.format('x.name')} AS names, "
            f"{self._GROUP_CONCAT.format('x.post_id')} AS posts "
            f"FROM places x {_LATEST} WHERE {where} GROUP BY x.canonical, x.kind "
            f"ORDER BY count DESC",
            params,
        )
        return [
            record(
                StoredPlace,
                r,
                names=(r["names"] or "").split(","),
                posts=(r["posts"] or "").split(","),
            )
            for r in rows
        ]

    def actors_summary(self, since: datetime | None = None) -> list[ActorSummary]:
        cond, params = "", []
        if since:
            cond, params = " AND v.published >= ?", [to_iso(since)]
        # One pass over mentions and one over quotes, grouped (not four subqueries per actor).
        rows = self._rows(
            "WITH m AS (SELECT x.actor AS name, count(*) AS n, min(v.published) AS first_seen, "
            f"max(v.published) AS last_seen FROM mentions x {_LATEST} WHERE 1 = 1{cond} "
            "GROUP BY x.actor), "
            f"q AS (SELECT x.speaker AS name, count(*) AS n FROM quotes x {_LATEST} "
            f"WHERE 1 = 1{cond} GROUP BY x.speaker) "
            "SELECT a.name, a.type, a.learned, coalesce(m.n, 0) AS mentions, "
            "coalesce(q.n, 0) AS quotes, m.first_seen, m.last_seen "
            "FROM actors a LEFT JOIN m ON m.name = a.name LEFT JOIN q ON q.name = a.name "
            "WHERE m.n IS NOT NULL OR q.n IS NOT NULL",
            params * 2,
        )
        found = [record(ActorSummary, r) for r in rows if r["mentions"] or r["quotes"]]
        return sorted(found, key=lambda a: (-(a.mentions + 2 * a.quotes), a.name))

    def actor_name(self, name: str) -> str | None:
        """The canonical name of the actor `name` names (its name or an alias, in any case;
        or a surname alone, when one actor's name ends with it); None when none."""
        row = self._actor_row(name)
        return row["name"] if row is not None else None

    def _actor_row(self, name: str) -> Row | None:
        rows = self._rows(
            "SELECT * FROM actors WHERE lower(name) = lower(?) OR id IN "
            "(SELECT actor_id FROM aliases WHERE lower(alias) = lower(?)) "
            "ORDER BY lower(name) = lower(?) DESC LIMIT 1",
            (name, name, name),
        )
        if not rows:
            # A surname alone ("Lind") names the one actor whose name ends with it.
            rows = self._rows(
                "SELECT * FROM actors WHERE lower(name) LIKE '% ' || lower(?) LIMIT 2", (name,)
            )
            if len(rows) != 1:
                return None
        return rows[0]

    def actor_detail(
        self, name: str, *, limit: int | None = None, offset: int = 0
    ) -> ActorDetail | None:
        """One actor: aliases, roles, the forms the posts name it by and how often it is
        mentioned and quoted (grouped counts), with its mentions oldest first: all of them,
        or with `limit` that many from `offset` (the counts are of all)."""
        actor = self._actor_row(name)
        if actor is None:
            return None
        held, aid = actor["name"], actor["id"]
        aliases = [
            r["alias"]
            for r in self._rows(
                "SELECT alias FROM aliases WHERE actor_id = ? ORDER BY alias", (aid,)
            )
        ]
        roles = [
            record(Role, r, holder=held)
            for r in self._rows("SELECT * FROM roles WHERE actor_id = ? ORDER BY start", (aid,))
        ]
        # One pass over its mentions: each form the posts used, how often, and in how many posts.
        surfaces = self._rows(
            "WITH m AS MATERIALIZED (SELECT x.surface, x.post_id "  # noqa: S608
            f"FROM mentions x {_LATEST_ONLY} WHERE x.actor = ?) "
            "SELECT surface, count(*) AS n, (SELECT count(DISTINCT post_id) FROM m) AS posts "
            "FROM m GROUP BY surface ORDER BY surface",
            (held,),
        )
        sql = (
            f"SELECT {_CITED_COLUMNS}, x.surface FROM mentions x {_LATEST} "  # noqa: S608
            "WHERE x.actor = ? ORDER BY v.published, x.post_id, x.start"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        mentions = [
            (from_iso(r["published"]), r["post_id"], r["surface"]) for r in self._rows(sql, (held,))
        ]
        return record(
            ActorDetail,
            actor,
            aliases=aliases,
            roles=roles,
            surfaces=[r["surface"] for r in surfaces],
            mentions=mentions,
            mention_count=sum(r["n"] for r in surfaces),
            quote_count=self._count(f"quotes x {_LATEST_ONLY} WHERE x.speaker = ?", held),
            post_count=surfaces[0]["posts"] if surfaces else 0,
        )

    def actor_quotes(self, name: str, limit: int, offset: int = 0) -> list[StoredQuote]:
        """What the actor named `name` (its canonical name) said, newest first: `limit`
        quotes from `offset`."""
        sql = (
            f"SELECT x.*, {_CITED_COLUMNS} FROM quotes x {_LATEST} "  # noqa: S608
            "WHERE x.speaker = ? ORDER BY v.published DESC, x.post_id, x.start "
            f"LIMIT {int(limit)} OFFSET {int(offset)}"
        )
        return [record(StoredQuote, r, quote=_item(Quote, r)) for r in self._rows(sql, (name,))]

    def _count(self, rows: str, *params: object) -> int:
        return self._rows(f"SELECT count(*) AS n FROM {rows}", params)[0]["n"]  # noqa: S608


def _item(cls: type[T], row: Row) -> T:
    """A mention, quote, figure or place from its row."""
    item = record(cls, row)
    if isinstance(item, Quote) and item.confidence is None:  # rows from before the column
        item.confidence = 1.0
    return item
