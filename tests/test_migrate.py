"""Migration runner: ordered, recorded, idempotent, and a failing migration leaves nothing."""

from __future__ import annotations

import sqlite3

import pytest

from sitroom.store.migrate import available_migrations, migrate


def test_shipped_migrations_are_numbered_in_order():
    numbers = [n for n, _, _ in available_migrations()]
    assert numbers == sorted(set(numbers))
    assert numbers[0] == 1


def test_migrate_twice_applies_once(tmp_path):
    conn = sqlite3.connect(tmp_path / "m.db")
    first = migrate(conn)
    assert first == [name for _, name, _ in available_migrations()]
    assert migrate(conn) == []
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"sources", "documents", "posts", "post_versions", "ingests"} <= tables


def test_failing_migration_rolls_back(tmp_path, monkeypatch):
    import sitroom.store.migrate as runner

    good = available_migrations()
    bad = (9999, "9999_broken.sql", "CREATE TABLE half_done (x INTEGER);\nNOT VALID SQL;")
    monkeypatch.setattr(runner, "available_migrations", lambda: [*good, bad])
    conn = sqlite3.connect(tmp_path / "m.db")
    with pytest.raises(sqlite3.Error):
        migrate(conn)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "half_done" not in tables
    numbers = {r[0] for r in conn.execute("SELECT number FROM schema_migrations")}
    assert 9999 not in numbers
