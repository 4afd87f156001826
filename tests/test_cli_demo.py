"""`sitroom demo` builds its record on either backend, and never empties a database."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sitroom.cli.app import app
from sitroom.store import is_database_url

runner = CliRunner()


@pytest.mark.slow
def test_demo_builds_the_record_on_each_backend(db_target):
    result = runner.invoke(app, ["demo", "--db", db_target])
    assert result.exit_code == 0, result.output
    assert "Read" in result.stdout and "Enriched" in result.stdout
    posts = json.loads(runner.invoke(app, ["posts", "--db", db_target, "--json"]).stdout)
    disputes = runner.invoke(app, ["disputes", "--db", db_target, "--json"])
    assert disputes.exit_code == 0, disputes.output
    assert len(posts) > 10 and json.loads(disputes.stdout)
    again = runner.invoke(app, ["demo", "--db", db_target])
    if is_database_url(db_target):
        assert again.exit_code == 2
        assert "already holds a record" in again.stderr and "--keep" in again.stderr
    else:
        assert again.exit_code == 0, again.output  # a file is replaced
    after = json.loads(runner.invoke(app, ["posts", "--db", db_target, "--json"]).stdout)
    assert len(after) == len(posts)
