"""The SQLite backend: one database file in WAL mode, FTS5 for search, JSON1 for lists."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from pathlib import Path
from typing import Any

from sitroom.records import StoredPost
from sitroom.store.analysis import AnalysisStore
from sitroom.store.api import QueryTooSlow
from sitroom.store.core import (
    _POST_SELECT,
    SEARCH_SECONDS,
    CoreStore,
    _stored_post,
    default_db_path,
    search_words,
)
from sitroom.store.enrichment import EnrichmentStore
from sitroom.store.migrate import migrate
from sitroom.store.stories import StoryStore


def fts_query(text: str) -> str | None:
    """User text as a safe FTS5 query: every word quoted, all required.

    FTS5 has its own syntax (quotes, AND/OR/NEAR, column filters); quoting each word keeps a
    query like `Nato's "chief` from being a syntax error."""
    words = search_words(text)
    if not words:
        return None
    return " ".join(f'"{w}"' for w in words)


class SqliteStore(CoreStore, EnrichmentStore, AnalysisStore, StoryStore):
    """The record in one SQLite file (WAL mode), created and migrated on open."""

    _BEGIN = "BEGIN IMMEDIATE"
    _NO_LIMIT = -1
    _LABEL_FILTER = "EXISTS (SELECT 1 FROM json_each(v.labels) WHERE lower(value) = lower(?))"
    _AUTHOR_FILTER = (
        "EXISTS (SELECT 1 FROM json_each(v.bylines) "
        "WHERE json_extract(value, '$.name') LIKE ? ESCAPE '\\')"
    )
    _GROUP_CONCAT = "group_concat(DISTINCT {})"

    def shared_url(self) -> str | None:
        return None  # one writer: a cluster's workers hand their work to this process

    @classmethod
    def open(cls, path: str | Path | None = None) -> SqliteStore:
        path = str(path if path is not None else default_db_path())
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
        except sqlite3.Error as exc:
            raise OSError(f"cannot open database {path}: {exc}") from exc
        conn.row_factory = sqlite3.Row
        try:
            if path != ":memory:":
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            migrate(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise OSError(f"{path} is not a sitroom database (or is damaged): {exc}") from exc
        return cls(conn, path)

    def _open_reader(self) -> sqlite3.Connection:
        # WAL lets readers run beside the writer; this one may only read.
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA query_only=ON")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    def _data_version(self, conn: sqlite3.Connection) -> int:
        return int(conn.execute("PRAGMA data_version").fetchone()[0])

    def _rows_within(self, seconds: float, sql: str, params: tuple | list) -> list[sqlite3.Row]:
        """`_rows`, interrupted by SQLite's progress handler once `seconds` have passed."""
        deadline = time.monotonic() + seconds

        def over() -> int:
            return 1 if time.monotonic() > deadline else 0

        reader = self._reader()
        with contextlib.ExitStack() as stack:
            if reader is None:
                stack.enter_context(self._lock)
            conn = reader or self.conn
            conn.set_progress_handler(over, 10_000)
            try:
                return conn.execute(sql, params).fetchall()
            except sqlite3.OperationalError as exc:
                if "interrupted" in str(exc):
                    raise QueryTooSlow(f"the query took over {seconds:g} s; narrow it") from exc
                raise
            finally:
                conn.set_progress_handler(None, 0)

    # posts_fts is an external-content FTS5 index over the latest_posts view (rowid =
    # posts.rowid): it keeps no copy of the text, so it is told what to add and remove.

    def _index_post(self, conn: Any, post_id: str, title: str, body: str) -> None:
        conn.execute(
            "INSERT INTO posts_fts (rowid, title, body) SELECT rowid, ?, ? FROM posts WHERE id = ?",
            (title, body, post_id),
        )

    def _unindex_post(self, conn: Any, post_id: str) -> None:
        # The index reads the old words from latest_posts, which still shows the old version.
        (rowid,) = conn.execute("SELECT rowid FROM posts WHERE id = ?", (post_id,)).fetchone()
        conn.execute("DELETE FROM posts_fts WHERE rowid = ?", (rowid,))

    def search(self, text: str, limit: int = 20) -> list[tuple[StoredPost, str, float]]:
        """Ranked full-text search over the latest version of every post (bm25)."""
        match = fts_query(text)
        if match is None:
            return []
        sql = (
            "WITH hits AS (SELECT rowid, bm25(posts_fts) AS rank, "
            "snippet(posts_fts, 1, '[', ']', '…', 16) AS snip FROM posts_fts "
            "WHERE posts_fts MATCH ? ORDER BY rank LIMIT ?) "
            + _POST_SELECT.replace("SELECT p.id", "SELECT hits.rank, hits.snip, p.id", 1)
            + " JOIN hits ON hits.rowid = p.rowid ORDER BY hits.rank"
        )
        rows = self._rows_within(SEARCH_SECONDS, sql, (match, limit))
        return [(_stored_post(r), r["snip"], float(r["rank"])) for r in rows]

    def _table_names(self) -> set[str]:
        return {
            r["name"] for r in self._rows("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
