"""The PostgreSQL backend: the same record in a PostgreSQL database (psycopg 3).

`open_store("postgresql://user@host:port/dbname")` opens it. It shares every query with the
SQLite backend (store/core.py, enrichment.py, analysis.py, written in the dialect the two have
in common) and adds what differs: the connection, full-text search with a tsvector column
(`post_versions.search`, GIN-indexed), JSON lists read with jsonb functions, and its own
migrations (store/migrations, translated by store/dialects.py).

The shared SQL uses `?` placeholders and SQLite's case-insensitive LIKE; `_pg_sql` turns
them into psycopg's `%s` and PostgreSQL's ILIKE, once per statement text.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

from sitroom.records import StoredPost
from sitroom.store.analysis import AnalysisStore
from sitroom.store.api import QueryTooSlow
from sitroom.store.core import (
    _POST_SELECT,
    SEARCH_SECONDS,
    CoreStore,
    _stored_post,
    search_words,
)
from sitroom.store.enrichment import EnrichmentStore
from sitroom.store.migrate import available_migrations
from sitroom.store.stories import StoryStore

URL_SCHEMES = ("postgresql://", "postgres://")
# Serialises migrations between processes that open the same database at once (any number).
_MIGRATION_LOCK = 0x5177_0000
# ts_headline options giving what SQLite's snippet() gives: [matched] words, a short passage.
_HEADLINE = "StartSel=[, StopSel=], MaxWords=20, MinWords=12, ShortWord=2"


def is_database_url(target: str) -> bool:
    """Whether `target` names a PostgreSQL database rather than a SQLite file."""
    return target.startswith(URL_SCHEMES)


def masked_url(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


@lru_cache(maxsize=1024)
def _pg_sql(sql: str) -> str:
    """A statement of the shared dialect in psycopg's: `?` -> `%s` (a literal `%` doubled),
    LIKE -> ILIKE (SQLite's LIKE ignores case)."""
    if re.match(r"\s*INSERT\s+OR\s", sql, flags=re.IGNORECASE):
        raise ValueError("INSERT OR ... is SQLite's own: use rows.insert_sql with a key")
    sql = sql.replace("%", "%%").replace("?", "%s")
    return re.sub(r"\bLIKE\b", "ILIKE", sql)


class Row(tuple):
    """A result row read by position or by column name, like sqlite3.Row."""

    _names: tuple[str, ...] = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor: psycopg.Cursor) -> Any:
    names = tuple(c.name for c in cursor.description or ())
    row_class = type(
        "Row", (Row,), {"_names": names, "_index": {n: i for i, n in enumerate(names)}}
    )
    return row_class


class Connection:
    """The psycopg connection as the shared store code uses it (sqlite3's calls)."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.raw = conn

    def execute(self, sql: str, params: tuple | list = ()) -> psycopg.Cursor:
        return self.raw.execute(_pg_sql(sql), tuple(params))

    def executemany(self, sql: str, rows: list[tuple]) -> None:
        with self.raw.cursor() as cur:
            cur.executemany(_pg_sql(sql), rows)

    def close(self) -> None:
        self.raw.close()


def migrate(conn: Connection) -> list[str]:
    """Apply the PostgreSQL migrations this database lacks, in one transaction (DDL is
    transactional here: a failing migration leaves nothing), holding an advisory lock so that
    processes opening the database at once (a cluster's workers) apply each once."""
    applied = []
    conn.execute("BEGIN")
    try:
        conn.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        done = {r["number"] for r in conn.execute("SELECT number FROM schema_migrations")}
        for number, name, sql in available_migrations("postgres"):
            if number in done:
                continue
            conn.raw.execute(sql.encode("utf-8"))  # the file as written: no placeholders
            conn.execute(
                "INSERT INTO schema_migrations (number, name, applied_at) VALUES (?, ?, ?)",
                (number, name, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")),
            )
            applied.append(name)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return applied


class PostgresStore(CoreStore, EnrichmentStore, AnalysisStore, StoryStore):
    """The record in a PostgreSQL database, created (its tables) and migrated on open."""

    _BEGIN = "BEGIN"
    _NO_LIMIT = None  # LIMIT NULL
    _LABEL_FILTER = (
        "EXISTS (SELECT 1 FROM jsonb_array_elements_text(v.labels::jsonb) AS l(value) "
        "WHERE lower(l.value) = lower(?))"
    )
    _AUTHOR_FILTER = (
        "EXISTS (SELECT 1 FROM jsonb_array_elements(v.bylines::jsonb) AS b(value) "
        "WHERE b.value->>'name' LIKE ? ESCAPE '\\')"
    )
    _GROUP_CONCAT = "string_agg(DISTINCT {}, ',')"
    _url = ""  # as given to open(), password and all, for the read connections

    @classmethod
    def open(cls, url: str) -> PostgresStore:
        shown = masked_url(url)
        try:
            raw = psycopg.connect(url, autocommit=True, row_factory=_row_factory)
        except psycopg.Error as exc:
            raise OSError(f"cannot open database {shown}: {exc}") from exc
        conn = Connection(raw)
        try:
            migrate(conn)
        except psycopg.Error as exc:
            conn.close()
            raise OSError(f"{shown} is not a sitroom database (or is damaged): {exc}") from exc
        store = cls(conn, shown)
        store._url = url
        return store

    def shared_url(self) -> str | None:
        return self._url

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Connection]:
        """A write transaction in pipeline mode: statements whose results are not read are
        sent without waiting for the server (one round trip per read result and one at
        commit, not one per statement)."""
        with self._lock:
            if getattr(self._local, "in_transaction", False):
                with super()._transaction() as conn:
                    yield conn
                return
            with self.conn.raw.pipeline(), super()._transaction() as conn:
                yield conn

    def _open_reader(self) -> Connection:
        raw = psycopg.connect(self._url, autocommit=True, row_factory=_row_factory)
        raw.execute("SET default_transaction_read_only = on")
        return Connection(raw)

    def _data_version(self, conn: Connection) -> str:
        # The server's current snapshot (xmin:xmax:in-progress ids) changes whenever a writing
        # transaction starts or ends: while it is the same, nothing was committed since and
        # record_state need not count the tables again (counting 100k rows on every request
        # cost 200-900 ms a request under load)
        return str(conn.execute("SELECT pg_current_snapshot()::text").fetchone()[0])

    def _rows_within(self, seconds: float, sql: str, params: tuple | list) -> list[Row]:
        """`_rows` under a statement_timeout: PostgreSQL cancels it past `seconds`."""
        reader = self._reader()
        with contextlib.ExitStack() as stack:
            if reader is None:
                stack.enter_context(self._lock)
            conn = reader or self.conn
            conn.execute("BEGIN")
            try:
                conn.execute(f"SET LOCAL statement_timeout = {int(seconds * 1000)}")
                return conn.execute(sql, params).fetchall()
            except psycopg.errors.QueryCanceled as exc:
                raise QueryTooSlow(f"the query took over {seconds:g} s; narrow it") from exc
            finally:
                conn.execute("ROLLBACK")  # it only read

    def search(self, text: str, limit: int = 20) -> list[tuple[StoredPost, str, float]]:
        """Ranked full-text search over the latest version of every post (ts_rank, negated
        so that lower is better as in SQLite)."""
        words = search_words(text)
        if not words:
            return []
        select = (
            "SELECT -ts_rank(v.search, q.query) AS rank, "
            "ts_headline('english', v.body, q.query, ?) AS snip, p.id"
        )
        sql = (
            "WITH q AS (SELECT plainto_tsquery('english', ?) AS query) "
            + _POST_SELECT.replace("SELECT p.id", select, 1)
            + " CROSS JOIN q WHERE v.search @@ q.query ORDER BY rank, p.id LIMIT ?"
        )
        rows = self._rows_within(SEARCH_SECONDS, sql, (" ".join(words), _HEADLINE, limit))
        return [(_stored_post(r), r["snip"], float(r["rank"])) for r in rows]

    def _table_names(self) -> set[str]:
        rows = self._rows(
            "SELECT table_name AS name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
        return {r["name"] for r in rows}
