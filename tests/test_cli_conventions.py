"""The command line follows the conventions: --version, clear one-line errors on stderr for
bad values and files, read commands never create a record, and the way out is always named."""

from __future__ import annotations

import re
import socket
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitroom.cli import app
from sitroom.records import Document, Post
from sitroom.store import open_store

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()

ARTICLE = """Harbour reopens after storm

The northern harbour reopened to shipping on Tuesday after engineers checked the sea wall.

"The wall held, and the cranes are safe to use," the harbour master told reporters.
"""


def run(*args: str, **kwargs):
    return runner.invoke(app, list(args), **kwargs)


def one_line_error(result) -> str:
    """The error a command printed: exactly one non-empty line on stderr, no traceback."""
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture()
def db(db_target):
    """A record of one post, on each backend."""
    path = db_target
    with open_store(path) as store:
        store.ingest_document(
            Document(
                source="https://example.org/live/harbour",
                kind="live",
                format="live-text",
                posts=[Post(key="a", position=0, title="Harbour reopens", body=ARTICLE)],
            )
        )
    return path


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert re.fullmatch(r"sitroom \S+\n", result.stdout)


@pytest.mark.parametrize(
    "command",
    [
        ["posts"],
        ["search", "harbour"],
        ["quotes"],
        ["actors"],
        ["figures"],
        ["sources"],
        ["brief"],
        ["export"],
        ["enrich"],
        ["disputes"],
        ["show", "abc"],
    ],
)
def test_read_commands_refuse_a_record_that_does_not_exist(tmp_path, command):
    missing = tmp_path / "typo.db"
    result = run(*command, "--db", str(missing))
    assert result.exit_code == 2
    line = one_line_error(result)
    assert f"no record at {missing}" in line and "sitroom ingest" in line
    assert not missing.exists()


def test_db_from_the_environment_is_checked_too(tmp_path):
    missing = tmp_path / "env.db"
    result = run("posts", env={"SITROOM_DB": str(missing)})
    assert result.exit_code == 2
    assert "no record at" in one_line_error(result)
    assert not missing.exists()


def test_ingest_creates_the_file_but_not_missing_folders(tmp_path):
    page = tmp_path / "harbour.txt"
    page.write_text(ARTICLE, encoding="utf-8")
    inside_missing = tmp_path / "no" / "such" / "folder" / "record.db"
    result = run("ingest", str(page), "--db", str(inside_missing), "--no-enrich")
    assert result.exit_code == 2
    assert "does not exist" in one_line_error(result)
    assert not (tmp_path / "no").exists()
    fresh = tmp_path / "fresh.db"
    result = run("ingest", str(page), "--db", str(fresh), "--no-enrich")
    assert result.exit_code == 0, result.output
    assert fresh.is_file()


def test_export_into_a_missing_folder_is_an_error(db, tmp_path):
    target = tmp_path / "missing" / "posts.jsonl"
    result = run("export", "--db", str(db), "-o", str(target))
    assert result.exit_code == 2
    assert "does not exist" in one_line_error(result)
    assert not target.parent.exists()
    result = run("export", "--db", str(db), "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "is a folder" in one_line_error(result)


@pytest.mark.parametrize("command", ["enrich", "ingest"])
@pytest.mark.parametrize(
    "content, expect",
    [
        (None, "no such file"),
        ("actors:\n  - name: [unclosed\n", "not an actor registry"),
        ("actors:\n  - type: person\n", "not an actor registry"),
        ("- just\n- a list\n", "not an actor registry"),
    ],
)
def test_bad_actor_files_give_one_line(db, tmp_path, command, content, expect):
    actors = tmp_path / "actors.yaml"
    if content is not None:
        actors.write_text(content, encoding="utf-8")
    page = tmp_path / "harbour.txt"
    page.write_text(ARTICLE, encoding="utf-8")
    args = [command, str(page)] if command == "ingest" else [command]
    result = run(*args, "--db", str(db), "--actors", str(actors))
    assert result.exit_code == 2
    line = one_line_error(result)
    assert expect in line and "--actors" in line


def test_modality_must_be_one_the_tool_knows(db):
    result = run("claims", "--db", str(db), "--modality", "nonsense")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "--modality" in result.stderr and "asserted" in result.stderr


@pytest.mark.parametrize(
    "args, option",
    [
        (["posts", "--since", "the day after never"], "since"),
        (["export", "--format", "xml"], "format"),
        (["quotes", "--kind", "shouted"], "kind"),
        (["brief", "--format", "pdf"], "format"),
    ],
)
def test_bad_option_values_are_usage_errors_on_stderr(db, args, option):
    result = run(*args, "--db", str(db))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert option in result.stderr


def test_serve_on_a_busy_port_names_the_way_out(db):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("serve", "--db", str(db), "--port", str(port))
    assert result.exit_code == 2
    line = one_line_error(result)
    assert f"port {port}" in line and f"--port {port + 1}" in line


def test_follow_reports_failures_on_stderr(db):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = run("follow", f"http://127.0.0.1:{port}/live", "--once", "--db", str(db))
    assert result.exit_code == 1
    assert "error" in result.stderr
    assert "error" not in result.stdout


def test_ingest_summary_has_totals_and_whole_source_names(tmp_path):
    long_dir = tmp_path / "a-folder-with-a-rather-long-name-for-the-coverage-of-the-storm"
    long_dir.mkdir()
    for n in range(2):
        (long_dir / f"harbour-update-number-{n}-from-the-northern-quay.txt").write_text(
            ARTICLE.replace("Tuesday", f"Tuesday ({n})"), encoding="utf-8"
        )
    result = run("ingest", str(long_dir), "--db", str(tmp_path / "r.db"), "--no-enrich")
    assert result.exit_code == 0, result.output
    # The source column, its folded pieces joined again: every name is there whole.
    column = "".join(
        line.split("│")[1].strip() for line in result.stdout.splitlines() if line.startswith("│")
    )
    for n in range(2):
        name = str(long_dir / f"harbour-update-number-{n}-from-the-northern-quay.txt")
        assert name in column
    assert re.search(r"total: 2 inputs\s*│\s*2\s*│\s*0\s*│\s*0\s*│\s*0", result.stdout)


def test_ctrl_c_says_what_is_left_and_how_to_resume(db, tmp_path, monkeypatch):
    import sitroom.cli.read_cmds as read_cmds

    def stored_then_stopped(store, items, **kwargs):
        store.ingest_document(
            Document(
                source="https://example.org/live/second",
                kind="live",
                format="live-text",
                posts=[Post(key="b", position=0, title="Second", body=ARTICLE)],
            )
        )
        raise KeyboardInterrupt

    monkeypatch.setattr(read_cmds, "ingest_sources", stored_then_stopped)
    page = tmp_path / "harbour.txt"
    page.write_text(ARTICLE, encoding="utf-8")
    result = run("ingest", str(page), "--db", str(db))
    assert result.exit_code == 130
    assert "Traceback" not in result.output
    err = " ".join(result.stderr.split())
    assert "interrupted during ingest" in err
    assert "2 post versions in 2 documents are not enriched yet" in err
    # (the terminal may fold a long database URL: compare without the folds)
    assert f"sitroom enrich --db {db}".replace(" ", "") in "".join(err.split())


def test_package_metadata_is_complete():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    # No project URLs until the project has a public address: an invented one would mislead.
    assert "urls" not in project
    assert "Programming Language :: Python :: 3.11" in project["classifiers"]
    assert any(c.startswith("License ::") for c in project["classifiers"])
    assert project["keywords"] and project["description"]


@pytest.mark.parametrize(
    "args, option",
    [
        (["serve", "--port", "99999"], "--port"),
        (["posts", "--limit", "0"], "--limit"),
        (["quotes", "--limit", "-5"], "--limit"),
    ],
)
def test_out_of_range_numbers_are_usage_errors(db, args, option):
    result = run(*args, "--db", str(db))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert option in result.stderr


def test_brief_takes_json_like_every_listing(db):
    import json

    result = run("brief", "--json", "--db", str(db))
    assert result.exit_code == 0, result.output
    briefing = json.loads(result.stdout)
    assert briefing["posts"] == 1
