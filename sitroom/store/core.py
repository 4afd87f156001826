"""Core tables: sources, documents, posts, post_versions, ingests, and FTS5 over posts.

The record never loses or duplicates a post: a post's id comes from its source and its
identity on the page (`records.make_post_id`), a changed post gets a new row in
`post_versions` and keeps every earlier one, and a post that a complete re-read of its page no
longer lists is marked `vanished_at`, never deleted. Each document is written in one
transaction, so a crash mid-ingest leaves the store as it was before that document.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sitroom.records import (
    Document,
    DocumentSummary,
    IngestResult,
    Post,
    PostVersion,
    StoredPost,
    make_post_id,
)
from sitroom.store.api import PostQuery
from sitroom.store.migrate import migrate
from sitroom.store.rows import record
from sitroom.util.jsonable import from_iso, to_iso, utcnow

DEFAULT_DB = "sitroom.db"
EXPORTABLE_TABLES = ("posts", "post_versions", "documents", "sources", "ingests")


def default_db_path() -> str:
    return os.environ.get("SITROOM_DB") or DEFAULT_DB


def _content(post: Post) -> dict[str, Any]:
    """The fields whose change makes a new version."""
    return {
        "title": post.title,
        "body": post.body,
        "published": to_iso(post.published),
        "time_inferred": bool(post.time_inferred),
        "labels": list(post.labels),
        "bylines": [asdict(b) for b in post.bylines],
        "media": [asdict(m) for m in post.media],
    }


def content_hash(post: Post) -> str:
    canonical = json.dumps(_content(post), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def fts_query(text: str) -> str | None:
    """User text as a safe FTS5 query: every word quoted, all required.

    FTS5 has its own syntax (quotes, AND/OR/NEAR, column filters); quoting each word keeps a
    query like `Nato's "chief` from being a syntax error."""
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    if not words:
        return None
    return " ".join(f'"{w}"' for w in words)


_POST_SELECT = """
SELECT p.id, p.document_id, s.source, s.outlet, p.key, p.position, p.kind, p.url,
       p.first_seen, p.last_seen, p.vanished_at, p.latest_version AS version,
       v.id AS version_id, v.title, v.body, v.published, v.time_inferred, v.labels,
       v.bylines, v.media
FROM posts p
JOIN post_versions v ON v.post_id = p.id AND v.version = p.latest_version
JOIN documents d ON d.id = p.document_id
JOIN sources s ON s.id = d.source_id
"""


def _stored_post(row: sqlite3.Row) -> StoredPost:
    return record(StoredPost, row)


class CoreStore:
    """The SQLite record. Use `SqliteStore.open(path)` or `open_store(path)`; it creates and migrates the file."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        # One connection is shared by the web server's threads; SQLite serialises writes
        # anyway, and the lock keeps a transaction from interleaving with another thread's.
        self._lock = threading.RLock()

    @classmethod
    def open(cls, path: str | Path | None = None):  # -> Store
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

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")

    def _rows(self, sql: str, params: tuple | list = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self.conn.execute(sql, params).fetchall()

    # --- ingests -----------------------------------------------------------------------

    def begin_ingest(self, argv: str) -> int:
        with self._transaction() as conn:
            cur = conn.execute(
                "INSERT INTO ingests (started_at, argv) VALUES (?, ?)", (to_iso(utcnow()), argv)
            )
            return int(cur.lastrowid)

    def finish_ingest(self, ingest_id: int, ok: int, failed: int, errors: list[str]) -> None:
        with self._transaction() as conn:
            conn.execute(
                "UPDATE ingests SET finished_at = ?, ok = ?, failed = ?, errors = ? WHERE id = ?",
                (to_iso(utcnow()), ok, failed, json.dumps(errors, ensure_ascii=False), ingest_id),
            )

    # --- writing -----------------------------------------------------------------------

    def ingest_document(self, doc: Document, *, ingest_id: int | None = None) -> IngestResult:
        """Store one read of one page: new posts, new versions of changed posts, vanished
        posts marked. All in one transaction."""
        result = IngestResult(source=doc.source, document_id=None, warnings=list(doc.warnings))
        now = to_iso(doc.fetched_at or utcnow())
        with self._transaction() as conn:
            source_id = self._upsert_source(conn, doc, now)
            document_id = self._upsert_document(conn, doc, source_id, now, ingest_id)
            result.document_id = document_id
            existing = {
                row["key"]: row
                for row in conn.execute(
                    "SELECT p.rowid, p.id, p.key, p.latest_version, p.vanished_at, "
                    "v.content_hash FROM posts p JOIN post_versions v "
                    "ON v.post_id = p.id AND v.version = p.latest_version "
                    "WHERE p.document_id = ?",
                    (document_id,),
                )
            }
            seen: set[str] = set()
            for post in doc.posts:
                if post.key in seen:
                    result.warnings.append(f"post key {post.key!r} appears twice; kept the first")
                    continue
                seen.add(post.key)
                digest = content_hash(post)
                row = existing.get(post.key)
                if row is None:
                    self._insert_post(conn, doc, document_id, post, digest, now, ingest_id)
                    result.new += 1
                elif row["content_hash"] != digest:
                    self._add_version(conn, row, post, digest, now, ingest_id)
                    result.updated += 1
                else:
                    conn.execute(
                        "UPDATE posts SET last_seen = ?, position = ?, vanished_at = NULL "
                        "WHERE id = ?",
                        (now, post.position, row["id"]),
                    )
                    result.unchanged += 1
            # Only a complete read of a page says a post is gone: feeds drop old entries as a
            # matter of course, and a truncated read simply did not reach the rest.
            if doc.kind != "feed" and not doc.warnings:
                for key, row in existing.items():
                    if key not in seen and row["vanished_at"] is None:
                        conn.execute(
                            "UPDATE posts SET vanished_at = ? WHERE id = ?", (now, row["id"])
                        )
                        result.vanished += 1
        return result

    def _upsert_source(self, conn: sqlite3.Connection, doc: Document, now: str) -> int:
        row = conn.execute("SELECT id FROM sources WHERE source = ?", (doc.source,)).fetchone()
        if row:
            conn.execute(
                "UPDATE sources SET last_seen = ?, outlet = COALESCE(?, outlet), "
                "url = COALESCE(?, url), retrieved = COALESCE(?, retrieved) WHERE id = ?",
                (now, doc.outlet, doc.url, to_iso(doc.retrieved), row["id"]),
            )
            return int(row["id"])
        cur = conn.execute(
            "INSERT INTO sources (source, outlet, url, retrieved, first_seen, last_seen) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (doc.source, doc.outlet, doc.url, to_iso(doc.retrieved), now, now),
        )
        return int(cur.lastrowid)

    def _upsert_document(
        self,
        conn: sqlite3.Connection,
        doc: Document,
        source_id: int,
        now: str,
        ingest_id: int | None,
    ) -> int:
        fields = (
            doc.kind,
            doc.format,
            doc.title,
            to_iso(doc.published),
            json.dumps([asdict(b) for b in doc.bylines], ensure_ascii=False),
            json.dumps(doc.summary, ensure_ascii=False),
            json.dumps(doc.warnings, ensure_ascii=False),
            int(doc.time_inferred),
        )
        row = conn.execute("SELECT id FROM documents WHERE source_id = ?", (source_id,)).fetchone()
        if row:
            conn.execute(
                "UPDATE documents SET kind = ?, format = ?, title = ?, published = ?, "
                "bylines = ?, summary = ?, warnings = ?, time_inferred = ?, last_ingest_id = ?, "
                "last_seen = ? WHERE id = ?",
                (*fields, ingest_id, now, row["id"]),
            )
            return int(row["id"])
        cur = conn.execute(
            "INSERT INTO documents (source_id, kind, format, title, published, bylines, summary, "
            "warnings, time_inferred, first_ingest_id, last_ingest_id, first_seen, last_seen) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (source_id, *fields, ingest_id, ingest_id, now, now),
        )
        return int(cur.lastrowid)

    def _version_row(
        self, post_id: str, version: int, post: Post, digest: str, now: str, ingest_id: int | None
    ) -> tuple:
        content = _content(post)
        return (
            post_id,
            version,
            content["title"],
            content["body"],
            content["published"],
            int(content["time_inferred"]),
            json.dumps(content["labels"], ensure_ascii=False),
            json.dumps(content["bylines"], ensure_ascii=False),
            json.dumps(content["media"], ensure_ascii=False),
            now,
            ingest_id,
            digest,
        )

    _INSERT_VERSION = (
        "INSERT INTO post_versions (post_id, version, title, body, published, time_inferred, "
        "labels, bylines, media, seen_at, ingest_id, content_hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )

    def _insert_post(
        self,
        conn: sqlite3.Connection,
        doc: Document,
        document_id: int,
        post: Post,
        digest: str,
        now: str,
        ingest_id: int | None,
    ) -> None:
        post_id = make_post_id(doc.source, post.key)
        cur = conn.execute(
            "INSERT INTO posts (id, document_id, key, position, kind, url, published, "
            "first_seen, last_seen, latest_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            (
                post_id,
                document_id,
                post.key,
                post.position,
                post.kind,
                post.url,
                to_iso(post.published),
                now,
                now,
            ),
        )
        conn.execute(
            self._INSERT_VERSION, self._version_row(post_id, 1, post, digest, now, ingest_id)
        )
        conn.execute(
            "INSERT INTO posts_fts (rowid, title, body) VALUES (?, ?, ?)",
            (cur.lastrowid, post.title or "", post.body),
        )

    def _add_version(
        self,
        conn: sqlite3.Connection,
        row: sqlite3.Row,
        post: Post,
        digest: str,
        now: str,
        ingest_id: int | None,
    ) -> None:
        version = row["latest_version"] + 1
        conn.execute(
            self._INSERT_VERSION,
            self._version_row(row["id"], version, post, digest, now, ingest_id),
        )
        conn.execute(
            "UPDATE posts SET latest_version = ?, published = ?, position = ?, last_seen = ?, "
            "vanished_at = NULL, url = COALESCE(?, url) WHERE id = ?",
            (version, to_iso(post.published), post.position, now, post.url, row["id"]),
        )
        conn.execute("DELETE FROM posts_fts WHERE rowid = ?", (row["rowid"],))
        conn.execute(
            "INSERT INTO posts_fts (rowid, title, body) VALUES (?, ?, ?)",
            (row["rowid"], post.title or "", post.body),
        )

    # --- HTTP state for follow -----------------------------------------------------------

    def set_source_http_state(
        self, source: str, etag: str | None, last_modified: str | None
    ) -> None:
        with self._transaction() as conn:
            conn.execute(
                "UPDATE sources SET etag = ?, last_modified = ? WHERE source = ?",
                (etag, last_modified, source),
            )

    def source_http_state(self, source: str) -> tuple[str | None, str | None]:
        rows = self._rows("SELECT etag, last_modified FROM sources WHERE source = ?", (source,))
        return (rows[0]["etag"], rows[0]["last_modified"]) if rows else (None, None)

    # --- reading -------------------------------------------------------------------------

    def posts(self, query: PostQuery | None = None) -> list[StoredPost]:
        q = query or PostQuery()
        where, params = ["1 = 1"], []
        if q.kinds:
            where.append(f"p.kind IN ({', '.join('?' for _ in q.kinds)})")
            params += list(q.kinds)
        if q.since:
            where.append("v.published >= ?")
            params.append(to_iso(q.since))
        if q.until:
            where.append("v.published < ?")
            params.append(to_iso(q.until))
        if q.label:
            where.append("EXISTS (SELECT 1 FROM json_each(v.labels) WHERE lower(value) = lower(?))")
            params.append(q.label)
        if q.author:
            where.append(
                "EXISTS (SELECT 1 FROM json_each(v.bylines) "
                "WHERE json_extract(value, '$.name') LIKE ?)"
            )
            params.append(f"%{q.author}%")
        if q.source:
            where.append("(s.source LIKE ? OR s.outlet LIKE ?)")
            params += [f"%{q.source}%", f"%{q.source}%"]
        if q.text:
            where.append("(v.title LIKE ? OR v.body LIKE ?)")
            params += [f"%{q.text}%", f"%{q.text}%"]
        if not q.include_vanished:
            where.append("p.vanished_at IS NULL")
        direction = "ASC" if q.order == "time" else "DESC"
        # Posts of one minute keep the page's order: a higher position is older.
        position_dir = "DESC" if q.order == "time" else "ASC"
        sql = (
            _POST_SELECT
            + " WHERE "
            + " AND ".join(where)
            + f" ORDER BY v.published IS NULL, v.published {direction}, p.position {position_dir}"
        )
        if q.limit:
            sql += " LIMIT ?"
            params.append(q.limit)
        return [_stored_post(r) for r in self._rows(sql, params)]

    def post(self, post_id: str) -> StoredPost | None:
        """A post by id, or by an unambiguous prefix of its id."""
        rows = self._rows(_POST_SELECT + " WHERE p.id LIKE ? LIMIT 2", (f"{post_id}%",))
        return _stored_post(rows[0]) if len(rows) == 1 else None

    def post_versions(self, post_id: str) -> list[PostVersion]:
        rows = self._rows(
            "SELECT * FROM post_versions WHERE post_id = ? ORDER BY version", (post_id,)
        )
        return [record(PostVersion, r) for r in rows]

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
        rows = self._rows(sql, (match, limit))
        return [(_stored_post(r), r["snip"], float(r["rank"])) for r in rows]

    def documents(self) -> list[DocumentSummary]:
        rows = self._rows(
            "SELECT d.id, s.source, s.outlet, s.url, s.retrieved, d.kind, d.format, d.title, "
            "d.published, d.time_inferred, d.first_seen, d.last_seen, "
            "(SELECT count(*) FROM posts p WHERE p.document_id = d.id AND p.kind != 'summary') "
            "AS posts, "
            "(SELECT count(*) FROM posts p WHERE p.document_id = d.id AND p.vanished_at IS NOT NULL) "
            "AS vanished, "
            "(SELECT min(published) FROM posts p WHERE p.document_id = d.id) AS first_post, "
            "(SELECT max(published) FROM posts p WHERE p.document_id = d.id) AS last_post "
            "FROM documents d JOIN sources s ON s.id = d.source_id ORDER BY d.id"
        )
        return [record(DocumentSummary, r) for r in rows]

    def document_record(self, document_id: int) -> Document:
        """The document as of its latest read, rebuilt from the latest post versions."""
        rows = self._rows(
            "SELECT d.*, s.source, s.outlet, s.url, s.retrieved FROM documents d "
            "JOIN sources s ON s.id = d.source_id "
            "WHERE d.id = ?",
            (document_id,),
        )
        if not rows:
            raise KeyError(f"no document {document_id}")
        posts = [p.as_post() for p in self._document_posts(document_id)]
        return record(Document, rows[0], posts=posts, fetched_at=from_iso(rows[0]["last_seen"]))

    def _document_posts(self, document_id: int) -> list[StoredPost]:
        rows = self._rows(
            _POST_SELECT + " WHERE p.document_id = ? AND p.vanished_at IS NULL ORDER BY p.position",
            (document_id,),
        )
        return [_stored_post(r) for r in rows]

    def document_post_ids(self, document_id: int) -> dict[str, str]:
        """post key -> post id for a document's current posts."""
        rows = self._rows("SELECT key, id FROM posts WHERE document_id = ?", (document_id,))
        return {r["key"]: r["id"] for r in rows}

    def latest_change_id(self) -> int:
        rows = self._rows("SELECT coalesce(max(id), 0) AS n FROM post_versions")
        return int(rows[0]["n"])

    def post_ids_since(self, change_id: int) -> list[str]:
        rows = self._rows(
            "SELECT post_id, max(id) AS last FROM post_versions WHERE id > ? "
            "GROUP BY post_id ORDER BY last",
            (change_id,),
        )
        return [r["post_id"] for r in rows]

    def export_rows(self, table: str) -> Iterator[dict[str, Any]]:
        """Every row of one of the record's tables, for `sitroom export`."""
        if table not in self.exportable_tables():
            raise ValueError(
                f"cannot export {table!r}; choose one of {', '.join(self.exportable_tables())}"
            )
        for row in self._rows(f"SELECT * FROM {table}"):  # noqa: S608 -- table is whitelisted
            yield dict(row)

    def exportable_tables(self) -> tuple[str, ...]:
        names = {
            r["name"] for r in self._rows("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        extra = ("actors", "aliases", "mentions", "quotes", "figures", "places", "claims", "events")
        return EXPORTABLE_TABLES + tuple(t for t in extra if t in names)
