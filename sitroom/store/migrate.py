"""Versioned schema migrations: every `NNNN_name.sql` file shipped in store/migrations, in order.

Each is written once, in SQLite's dialect; PostgreSQL runs its translation
(store/dialects.py), or, where a migration ships one, its own file of the same number and name
in store/migrations/postgres.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources
from importlib.resources.abc import Traversable

from sitroom.store.dialects import to_postgres

MIGRATION_RE = re.compile(r"^(\d{4})_[\w-]+\.sql$")
# How each dialect gets a migration written in SQLite's: a new backend adds its translation.
TRANSLATIONS: dict[str, Callable[[str], str]] = {"sqlite": lambda sql: sql, "postgres": to_postgres}


def _shipped(folder: Traversable) -> dict[str, str]:
    """File name -> SQL of the migrations in `folder` (none where it is missing)."""
    if not folder.is_dir():
        return {}
    return {
        entry.name: entry.read_text(encoding="utf-8")
        for entry in folder.iterdir()
        if MIGRATION_RE.match(entry.name)
    }


def available_migrations(dialect: str = "sqlite") -> list[tuple[int, str, str]]:
    """(number, file name, SQL) for every migration the package ships, in order, in `dialect`
    (sqlite or postgres): translated, or the dialect's own file of that name where it ships
    one (store/migrations/<dialect>/)."""
    if dialect not in TRANSLATIONS:
        raise ValueError(f"no migrations for dialect {dialect!r}: one of {', '.join(TRANSLATIONS)}")
    folder = resources.files("sitroom.store").joinpath("migrations")
    own = _shipped(folder.joinpath(dialect)) if dialect != "sqlite" else {}
    translate = TRANSLATIONS[dialect]
    return sorted(
        (int(name[:4]), name, own.get(name) or translate(sql))
        for name, sql in _shipped(folder).items()
    )


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
