"""The PostgreSQL backend's own parts: its migrations mirror SQLite's, the SQL it is handed
is translated safely, URLs are told from paths, and the CLI works end to end on it.

(What every backend must do is tests/test_store_contract.py, run on both.)"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sitroom.cli.app import app
from sitroom.store import PostgresStore, SqliteStore, is_database_url, open_store
from sitroom.store.migrate import available_migrations
from sitroom.store.postgres import _pg_sql, masked_url
from sitroom.store.rows import insert_sql, upsert_sql

runner = CliRunner()


def test_every_sqlite_migration_has_a_postgres_one_of_the_same_number_and_name():
    sqlite = [(n, name) for n, name, _ in available_migrations()]
    postgres = [(n, name) for n, name, _ in available_migrations("postgres")]
    assert postgres == sqlite


def test_postgres_migrations_use_no_sqlite_only_syntax():
    for _, name, sql in available_migrations("postgres"):
        code = "\n".join(line.split("--")[0] for line in sql.splitlines())
        for sqlite_only in ("VIRTUAL TABLE", "AUTOINCREMENT", "INTEGER PRIMARY KEY", " REAL"):
            assert sqlite_only not in code.upper(), (name, sqlite_only)


def test_shared_sql_becomes_psycopg_sql():
    assert _pg_sql("SELECT * FROM posts WHERE id = ? AND title LIKE ?") == (
        "SELECT * FROM posts WHERE id = %s AND title ILIKE %s"
    )
    # a literal % is doubled so psycopg does not read it as a placeholder
    assert _pg_sql("SELECT 1 WHERE name LIKE '% ' || ?") == "SELECT 1 WHERE name ILIKE '%% ' || %s"
    assert _pg_sql("SELECT 'ILIKE' WHERE a ILIKE ?") == "SELECT 'ILIKE' WHERE a ILIKE %s"
    with pytest.raises(ValueError, match="SQLite's own"):
        _pg_sql("INSERT OR REPLACE INTO claims (id) VALUES (?)")


def test_insert_sql_speaks_both_dialects():
    assert insert_sql("roles", ("title", "end"), "INSERT OR IGNORE") == (
        'INSERT INTO roles ("title", "end") VALUES (?, ?) ON CONFLICT DO NOTHING'
    )
    assert upsert_sql("runs", ("id", "change_id"), key=("id",)) == (
        'INSERT INTO runs ("id", "change_id") VALUES (?, ?) '
        'ON CONFLICT ("id") DO UPDATE SET "change_id" = excluded."change_id"'
    )


def test_urls_are_told_from_paths_and_passwords_kept_out_of_messages():
    assert is_database_url("postgresql://ada@db.example/sitroom")
    assert is_database_url("postgres://ada@db.example/sitroom")
    assert not is_database_url("records/postgresql.db")
    assert not is_database_url("sitroom.db")
    assert masked_url("postgresql://ada:s3cret@db.example:5433/sitroom") == (
        "postgresql://ada:***@db.example:5433/sitroom"
    )
    assert (
        masked_url("postgresql://ada@db.example/sitroom") == "postgresql://ada@db.example/sitroom"
    )


def test_unreachable_database_is_a_clear_oserror_without_the_password():
    url = "postgresql://ada:s3cret@127.0.0.1:1/nothing?connect_timeout=2"
    with pytest.raises(OSError, match="cannot open database") as raised:
        open_store(url)
    assert "s3cret" not in str(raised.value)


def test_open_store_picks_the_backend(tmp_path, pg_url):
    with open_store(tmp_path / "a.db") as s:
        assert isinstance(s, SqliteStore)
    with open_store(pg_url) as s:
        assert isinstance(s, PostgresStore)
    # opening again finds every migration applied and applies none
    with open_store(pg_url) as s:
        assert s.latest_change_id() == 0


def test_cli_ingest_enrichless_listing_and_search_on_postgres(tmp_path, pg_url, live_text):
    page = tmp_path / "flood.txt"
    page.write_text(
        live_text(
            [
                ("09:00", "Levees hold in Ostrava", "The levees held overnight in Ostrava."),
                ("10:30", "Bridge closed", "The old bridge in Brno is closed to traffic."),
            ]
        )
    )
    result = runner.invoke(app, ["ingest", str(page), "--db", pg_url, "--no-enrich", "--json"])
    assert result.exit_code == 0, result.output
    posts = runner.invoke(app, ["posts", "--db", pg_url, "--json"])
    assert posts.exit_code == 0, posts.output
    assert [p["title"] for p in json.loads(posts.output) if p["kind"] == "post"] == [
        "Levees hold in Ostrava",
        "Bridge closed",
    ]
    found = runner.invoke(app, ["search", "bridges", "--db", pg_url, "--json"])
    assert found.exit_code == 0, found.output
    assert [hit["post"]["title"] for hit in json.loads(found.output)] == ["Bridge closed"]
