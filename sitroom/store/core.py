"""Core tables: sources, documents, posts, post_versions, ingests (read stage).

The record never loses or duplicates a post: a post's id comes from its source and its
identity on the page (`records.make_post_id`), a changed post gets a new row in
`post_versions` and keeps every earlier one, and a post that a complete re-read of its page no
longer lists is marked `vanished_at`, never deleted. Each document is written in one
transaction, so a crash mid-ingest leaves the store as it was before that document.

The SQL here is the common dialect of SQLite and PostgreSQL (`?` placeholders, which the
PostgreSQL backend turns into its own; ON CONFLICT; RETURNING); what differs between them
(connecting, full-text search, JSON lists, time-bounded queries, listing tables) is a hook
that each backend defines: `sitroom.store.sqlite.SqliteStore` and
`sitroom.store.postgres.PostgresStore`.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from functools import cache
from importlib import resources
from typing import Any

import yaml

from sitroom.records import (
    Document,
    DocumentSummary,
    Ingest,
    IngestResult,
    Post,
    PostVersion,
    StoredPost,
    make_post_id,
)
from sitroom.store.api import PostQuery
from sitroom.store.rows import Row, record
from sitroom.util.jsonable import from_iso, to_iso, utcnow

DEFAULT_DB = "sitroom.db"
EXPORTABLE_TABLES = ("posts", "post_versions", "documents", "sources", "ingests")


def default_db_path() -> str:
    return os.environ.get("SITROOM_DB") or DEFAULT_DB


@cache
def identity_rules() -> dict[str, float]:
    """sitroom/data/post_identity.yaml: when a post with a new key is an edited old one."""
    text = resources.files("sitroom.data").joinpath("post_identity.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _cut_short(body: str, stored: str) -> bool:
    """The new text is the stored text cut off (a prefix of it, shorter)."""
    body = body.rstrip()
    return bool(body) and len(body) < len(stored.rstrip()) and stored.startswith(body)


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


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


# Bounds on one full-text search: sitroom/data/serve.yaml's `search` (each is commented there).
_SEARCH = yaml.safe_load(resources.files("sitroom.data").joinpath("serve.yaml").read_text("utf-8"))[
    "search"
]
SEARCH_MAX_CHARS: int = _SEARCH["max_chars"]
SEARCH_MAX_TERMS: int = _SEARCH["max_terms"]
SEARCH_SECONDS: float = _SEARCH["seconds"]  # a search is interrupted past this (QueryTooSlow)


def search_words(text: str) -> list[str]:
    """The words of a search, each once, at most SEARCH_MAX_TERMS of them, from at most
    SEARCH_MAX_CHARS of text: what either backend's full-text search looks for."""
    words = re.findall(r"\w+", text[:SEARCH_MAX_CHARS], flags=re.UNICODE)
    return list(dict.fromkeys(words))[:SEARCH_MAX_TERMS]


def like_pattern(text: str) -> str:
    """`text` as a LIKE pattern matching it anywhere, its own % and _ taken literally
    (use with ESCAPE '\\')."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _stored_post(row: Row) -> StoredPost:
    return record(StoredPost, row)


class CoreStore:
    """What both backends share: every read-stage operation, written once.

    A backend subclass opens the connection (`open`), says how a transaction begins
    (`_BEGIN`) and how to ask for no limit (`_NO_LIMIT`), and fills the hooks:
    `_open_reader`, `_rows_within`, `_index_post`/`_unindex_post` (full-text index upkeep),
    `search`, `_LABEL_FILTER`/`_AUTHOR_FILTER` (membership in a JSON list) and `_table_names`.
    `conn` needs only `execute(sql, params)` returning a cursor whose rows are read by column
    name, `executemany` and `close`."""

    _BEGIN = "BEGIN"
    _NO_LIMIT: int | None = None  # the LIMIT value that means "no limit"
    # A condition on `v` (the post version) that its labels hold ? (any case).
    _LABEL_FILTER = ""
    # A condition on `v` that one of its bylines' names is LIKE ? (ESCAPE '\\').
    _AUTHOR_FILTER = ""

    def __init__(self, conn: Any, path: str) -> None:
        self.conn = conn
        self.path = path
        # Writes share one connection behind a lock. With `readers()` on (the web server),
        # reads outside a transaction use a connection of their own thread, so a slow query
        # never makes other requests wait.
        self._lock = threading.RLock()
        self._local = threading.local()
        self._readers = False
        self._reader_conns: list[tuple[threading.Thread, Any]] = []

    def close(self) -> None:
        for _, reader in self._reader_conns:
            reader.close()
        self.conn.close()

    def readers(self, on: bool = True) -> None:
        """Serve reads from a connection per thread (where the backend can)."""
        self._readers = on and self.path != ":memory:"

    def _open_reader(self) -> Any:
        """A new read-only connection to the same database."""
        raise NotImplementedError

    def _reader(self) -> Any | None:
        """This thread's read connection, or None to use the shared one."""
        if not self._readers or getattr(self._local, "in_transaction", False):
            return None
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open_reader()
            self._local.conn = conn
            with self._lock:
                # A thread that has ended never reads again: its connection is closed (a
                # server's worker threads come and go).
                for _, old in [r for r in self._reader_conns if not r[0].is_alive()]:
                    old.close()
                self._reader_conns = [r for r in self._reader_conns if r[0].is_alive()]
                self._reader_conns.append((threading.current_thread(), conn))
        return conn

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self._lock:
            self.conn.execute(self._BEGIN)
            outer = getattr(self._local, "in_transaction", False)
            self._local.in_transaction = True
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
            finally:
                self._local.in_transaction = outer

    def _rows(self, sql: str, params: tuple | list = ()) -> list[Row]:
        reader = self._reader()
        if reader is not None:
            return reader.execute(sql, params).fetchall()
        with self._lock:
            return self.conn.execute(sql, params).fetchall()

    def _rows_within(self, seconds: float, sql: str, params: tuple | list) -> list[Row]:
        """`_rows`, interrupted (QueryTooSlow) once `seconds` have passed."""
        raise NotImplementedError

    def _index_post(self, conn: Any, post_id: str, title: str, body: str) -> None:
        """Put the post's latest text in the full-text index (after it is written)."""

    def _unindex_post(self, conn: Any, post_id: str) -> None:
        """Take the post's current text out of the full-text index (before it changes)."""

    def _table_names(self) -> set[str]:
        raise NotImplementedError

    # --- ingests -----------------------------------------------------------------------

    def begin_ingest(self, argv: str) -> int:
        """A new ingest row (status 'running'); runs of this machine whose process is gone
        are closed first as 'interrupted'."""
        self.close_interrupted_ingests()
        with self._transaction() as conn:
            cur = conn.execute(
                "INSERT INTO ingests (started_at, argv, status, pid, host) "
                "VALUES (?, ?, 'running', ?, ?) RETURNING id",
                (to_iso(utcnow()), argv, os.getpid(), socket.gethostname()),
            )
            return int(cur.fetchone()["id"])

    def finish_ingest(
        self,
        ingest_id: int,
        ok: int,
        failed: int,
        errors: list[str],
        status: str = "completed",
    ) -> None:
        """Close an ingest row: status is completed, failed or interrupted."""
        with self._transaction() as conn:
            conn.execute(
                "UPDATE ingests SET finished_at = ?, ok = ?, failed = ?, errors = ?, status = ? "
                "WHERE id = ?",
                (
                    to_iso(utcnow()),
                    ok,
                    failed,
                    json.dumps(errors, ensure_ascii=False),
                    status,
                    ingest_id,
                ),
            )

    def close_interrupted_ingests(self) -> int:
        """Mark 'interrupted' every running ingest of this host whose process has ended."""
        host = socket.gethostname()
        rows = self._rows(
            "SELECT id, pid FROM ingests WHERE status = 'running' AND host = ?", (host,)
        )
        dead = [r["id"] for r in rows if r["pid"] is None or not _process_alive(r["pid"])]
        if dead:
            with self._transaction() as conn:
                conn.executemany(
                    "UPDATE ingests SET status = 'interrupted', finished_at = ? "
                    "WHERE id = ? AND status = 'running'",
                    [(to_iso(utcnow()), i) for i in dead],
                )
        return len(dead)

    def ingests(self, limit: int = 20) -> list[Ingest]:
        """The latest ingest runs, newest first, with how each ended."""
        rows = self._rows("SELECT * FROM ingests ORDER BY id DESC LIMIT ?", (limit,))
        return [record(Ingest, r) for r in rows]

    # --- writing -----------------------------------------------------------------------

    def ingest_document(self, doc: Document, *, ingest_id: int | None = None) -> IngestResult:
        """Store one read of one page: new posts, new versions of changed posts, vanished
        posts marked. All in one transaction.

        A post new under its key may be an old one whose title was edited (same time, byline
        and similar text: `post_identity.yaml`); it then keeps its id and gets a version. A
        read that cuts the page's last post short (its text a prefix of the stored text) keeps
        the stored text and is incomplete; an incomplete read marks nothing vanished, and no
        read marks vanished the posts older than all it lists (below a cut, or paged away)."""
        result = IngestResult(source=doc.source, document_id=None, warnings=list(doc.warnings))
        now = to_iso(doc.fetched_at or utcnow())
        with self._transaction() as conn:
            source_id = self._upsert_source(conn, doc, now)
            document_id = self._upsert_document(conn, doc, source_id, now, ingest_id)
            result.document_id = document_id
            existing = {
                row["key"]: row
                for row in conn.execute(
                    "SELECT p.id, p.key, p.latest_version, p.vanished_at, "
                    "v.content_hash, v.published, v.bylines, v.body FROM posts p "
                    "JOIN post_versions v ON v.post_id = p.id AND v.version = p.latest_version "
                    "WHERE p.document_id = ?",
                    (document_id,),
                )
            }
            keys = {p.key for p in doc.posts}
            unlisted = {k: r for k, r in existing.items() if k not in keys}
            complete = self._store_posts(
                conn, doc, document_id, existing, unlisted, result, now, ingest_id
            )
            # Only a complete read of a page says a post is gone: feeds drop old entries as a
            # matter of course, and a truncated read simply did not reach the rest.
            if doc.kind != "feed" and not doc.warnings and complete:
                self._mark_vanished(conn, doc, unlisted, result, now)
        return result

    def _store_posts(self, conn, doc, document_id, existing, unlisted, result, now, ingest_id):
        """New posts, versions and touches for one read; False when the read proved cut."""
        complete = True
        last_key = doc.posts[-1].key if doc.posts else None
        seen: set[str] = set()
        for post in doc.posts:
            if post.key in seen:
                result.warnings.append(f"post key {post.key!r} appears twice; kept the first")
                continue
            seen.add(post.key)
            digest = content_hash(post)
            row = existing.get(post.key) or self._renamed(conn, post, unlisted)
            if row is None:
                self._insert_post(conn, doc, document_id, post, digest, now, ingest_id)
                result.new += 1
            elif row["content_hash"] != digest and not (
                post.key == last_key and _cut_short(post.body, row["body"])
            ):
                self._add_version(conn, row, post, digest, now, ingest_id)
                result.updated += 1
            else:
                if row["content_hash"] != digest:
                    complete = False
                    result.warnings.append(
                        f"the last post's text stops short of the stored text (page cut "
                        f"off?); kept the stored text of {post.title or post.key!r} (incomplete)"
                    )
                conn.execute(
                    "UPDATE posts SET last_seen = ?, position = ?, vanished_at = NULL WHERE id = ?",
                    (now, post.position, row["id"]),
                )
                result.unchanged += 1
        return complete

    def _renamed(self, conn, post: Post, unlisted: dict[str, Any]):
        """The unlisted post of the page that `post` is an edit of (its title changed), or
        None. Its key becomes the post's new key; its id stays."""
        if post.published is None or post.kind != "post":
            return None
        when = to_iso(post.published)
        names = [b.name for b in post.bylines]
        floor = float(identity_rules()["edited_title_min_body_similarity"])
        best, best_score = None, floor
        for row in unlisted.values():
            if row["published"] != when or [b["name"] for b in json.loads(row["bylines"])] != names:
                continue
            score = difflib.SequenceMatcher(None, row["body"][:3000], post.body[:3000]).ratio()
            if score >= best_score:
                best, best_score = row, score
        if best is not None:
            del unlisted[best["key"]]
            conn.execute("UPDATE posts SET key = ? WHERE id = ?", (post.key, best["id"]))
        return best

    def _mark_vanished(self, conn, doc: Document, unlisted, result, now: str) -> None:
        times = [to_iso(p.published) for p in doc.posts if p.published and p.kind != "summary"]
        oldest = min(times) if times else None
        going = [r for r in unlisted.values() if r["vanished_at"] is None]
        below = [r for r in going if oldest and r["published"] and r["published"] < oldest]
        if len(below) < identity_rules()["below_cut_min_posts"]:
            below = []  # one oldest post missing was taken down, not cut off
        skip = {r["id"] for r in below}  # older than all this read lists: below a cut
        for row in going:
            if row["id"] not in skip:
                conn.execute("UPDATE posts SET vanished_at = ? WHERE id = ?", (now, row["id"]))
                result.vanished += 1

    def _upsert_source(self, conn: Any, doc: Document, now: str) -> int:
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
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (doc.source, doc.outlet, doc.url, to_iso(doc.retrieved), now, now),
        )
        return int(cur.fetchone()["id"])

    def _upsert_document(
        self,
        conn: Any,
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
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (source_id, *fields, ingest_id, ingest_id, now, now),
        )
        return int(cur.fetchone()["id"])

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
        conn: Any,
        doc: Document,
        document_id: int,
        post: Post,
        digest: str,
        now: str,
        ingest_id: int | None,
    ) -> None:
        post_id = make_post_id(doc.source, post.key)
        conn.execute(
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
        self._index_post(conn, post_id, post.title or "", post.body)

    def _add_version(
        self,
        conn: Any,
        row: Row,
        post: Post,
        digest: str,
        now: str,
        ingest_id: int | None,
    ) -> None:
        version = row["latest_version"] + 1
        # Take the old words out of the index while the post still shows the old version.
        self._unindex_post(conn, row["id"])
        conn.execute(
            self._INSERT_VERSION,
            self._version_row(row["id"], version, post, digest, now, ingest_id),
        )
        conn.execute(
            "UPDATE posts SET latest_version = ?, published = ?, position = ?, last_seen = ?, "
            "vanished_at = NULL, url = COALESCE(?, url) WHERE id = ?",
            (version, to_iso(post.published), post.position, now, post.url, row["id"]),
        )
        self._index_post(conn, row["id"], post.title or "", post.body)

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

    def _post_filter(self, q: PostQuery) -> tuple[str, list]:
        where, params = ["1 = 1"], []
        if q.kinds:
            # `|| ''` keeps SQLite from using the kind index (nearly every post matches it):
            # it then walks posts_published in the order asked and stops at the limit.
            where.append(f"(p.kind || '') IN ({', '.join('?' for _ in q.kinds)})")
            params += list(q.kinds)
        # posts.published is the latest version's (kept in step on every write): indexed.
        if q.since:
            where.append("p.published >= ?")
            params.append(to_iso(q.since))
        if q.until:
            where.append("p.published < ?")
            params.append(to_iso(q.until))
        if q.label:
            where.append(self._LABEL_FILTER)
            params.append(q.label)
        if q.author:
            where.append(self._AUTHOR_FILTER)
            params.append(like_pattern(q.author))
        if q.source:
            where.append("(s.source LIKE ? ESCAPE '\\' OR s.outlet LIKE ? ESCAPE '\\')")
            params += [like_pattern(q.source)] * 2
        if q.text:
            where.append("(v.title LIKE ? ESCAPE '\\' OR v.body LIKE ? ESCAPE '\\')")
            params += [like_pattern(q.text)] * 2
        if not q.include_vanished:
            where.append("p.vanished_at IS NULL")
        return " WHERE " + " AND ".join(where), params

    def posts(self, query: PostQuery | None = None) -> list[StoredPost]:
        q = query or PostQuery()
        where, params = self._post_filter(q)
        # Posts of one minute keep the page's order: a higher position is older. Undated
        # posts come last either way.
        if q.order == "time":
            order = " ORDER BY p.published IS NULL, p.published ASC, p.position DESC"
        else:
            order = " ORDER BY p.published DESC NULLS LAST, p.position ASC"
        sql = _POST_SELECT + where + order
        if q.limit or q.offset:
            sql += " LIMIT ? OFFSET ?"
            params += [q.limit or self._NO_LIMIT, max(0, q.offset)]
        return [_stored_post(r) for r in self._rows(sql, params)]

    def count_posts(self, query: PostQuery | None = None) -> int:
        q = query or PostQuery()
        where, params = self._post_filter(q)
        if any((q.label, q.author, q.source, q.text)):
            sql = "SELECT count(*) AS n FROM (" + _POST_SELECT + where + ") AS q"
        else:  # filters on posts alone: counted without the joins
            sql = "SELECT count(*) AS n FROM posts p" + where
        return int(self._rows(sql, params)[0]["n"])

    def post(self, post_id: str) -> StoredPost | None:
        """A post by id, or by an unambiguous prefix of its id (ids are 16 hex digits; both
        lookups use the primary key's index)."""
        post_id = post_id.strip().lower()
        if not post_id or not re.fullmatch(r"[0-9a-f]{1,16}", post_id):
            return None
        if len(post_id) == 16:
            rows = self._rows(_POST_SELECT + " WHERE p.id = ?", (post_id,))
        else:
            rows = self._rows(
                _POST_SELECT + " WHERE p.id >= ? AND p.id < ? LIMIT 2", (post_id, post_id + "g")
            )
        return _stored_post(rows[0]) if len(rows) == 1 else None

    def post_versions(self, post_id: str) -> list[PostVersion]:
        rows = self._rows(
            "SELECT * FROM post_versions WHERE post_id = ? ORDER BY version", (post_id,)
        )
        return [record(PostVersion, r) for r in rows]

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

    def record_state(self) -> tuple[str, str]:
        reader = self._reader()
        stamp = self._data_version(reader) if reader is not None else None
        memo = getattr(self._local, "record_state", None)
        if stamp is not None and memo is not None and memo[0] == stamp:
            return memo[1]  # nothing was committed since this thread last asked
        posts = self._rows(
            "SELECT coalesce(max(id), 0) AS a, count(*) AS b, "
            "(SELECT count(*) FROM posts WHERE vanished_at IS NOT NULL) AS c FROM post_versions"
        )
        # Edits and vanishings count here too: what is shown of a post's enrichment is its
        # latest version's, of posts still on their page.
        enriched = self._rows(
            "SELECT count(*) AS a, coalesce(max(enriched_at), '') AS b, "
            "(SELECT count(*) FROM actors) AS c, (SELECT count(*) FROM roles) AS d, "
            "(SELECT count(*) FROM post_versions) - (SELECT count(*) FROM posts) AS e, "
            "(SELECT count(*) FROM posts WHERE vanished_at IS NOT NULL) AS f "
            "FROM enriched_versions"
        )
        state = ("|".join(map(str, tuple(posts[0]))), "|".join(map(str, tuple(enriched[0]))))
        if stamp is not None:
            self._local.record_state = (stamp, state)
        return state

    def _data_version(self, conn: Any) -> int | str | None:
        """A number that changes when another connection commits, where the backend has one
        (then `record_state` is asked of the database only after a commit)."""
        return None

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
        names = self._table_names()
        extra = ("actors", "aliases", "mentions", "quotes", "figures", "places", "claims", "events")
        return EXPORTABLE_TABLES + tuple(t for t in extra if t in names)
