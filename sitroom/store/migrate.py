"""Versioned schema migrations: every `NNNN_name.sql` file shipped in store/migrations, in order.

SQLite's are in store/migrations, PostgreSQL's in store/migrations/postgres under the same
numbers and names: a change to the schema is one numbered migration written in both dialects.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from importlib import resources

MIGRATION_RE = re.compile(r"^(\d{4})_[\w-]+\.sql$")


def available_migrations(dialect: str = "sqlite") -> list[tuple[int, str, str]]:
    """(number, file name, SQL) for every migration the package ships for `dialect` (sqlite or
    postgres), in order."""
    folder = resources.files("sitroom.store").joinpath("migrations")
    if dialect != "sqlite":
        folder = folder.joinpath(dialect)
    found = []
    for entry in folder.iterdir():
        match = MIGRATION_RE.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply the migrations this database lacks, each in its own transaction.

    Returns the names applied. Safe to call on every open."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    done = {number for (number,) in conn.execute("SELECT number FROM schema_migrations")}
    applied = []
    for number, name, sql in available_migrations():
        if number in done:
            continue
        # executescript commits first; wrap the script so a failing migration leaves nothing.
        try:
            conn.executescript(
                "BEGIN;\n" + sql + "\nINSERT INTO schema_migrations (number, name, applied_at) "
                f"VALUES ({number}, '{name}', "
                f"'{datetime.now(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}');\nCOMMIT;"
            )
        except sqlite3.Error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied
