"""Bad input gets a clear error, and one bad input never stops a batch."""

from __future__ import annotations

import io
import socket

import pytest
from typer.testing import CliRunner

from sitroom.cli import app
from sitroom.read import ReadError, read_bytes, read_path
from sitroom.read.inputs import iter_inputs

LIVE = (
    "Summary\n\n  • Water levels are rising along the river\n\n"
    "  2. Barriers raisedpublished at 10:15 British Summer Time 3 June 2024\n\n"
    "    Crews raised the barriers overnight near the bridge.\n\n"
    "  1. Schools closedpublished at 09:00 British Summer Time 3 June 2024\n\n"
    "    All schools in the valley are closed today.\n"
)


def test_empty_input():
    with pytest.raises(ReadError, match="is empty"):
        read_bytes(b"   \n\t ", source="empty.txt")


def test_binary_input():
    with pytest.raises(ReadError, match="binary"):
        read_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), source="picture.png")


def test_oversized_input(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 5000)
    with pytest.raises(ReadError, match="over the .* limit"):
        read_path(big, max_bytes=10_000)
    with pytest.raises(ReadError, match="over the .* limit"):
        read_bytes(big.read_bytes(), source="big.txt", max_bytes=10_000)


def test_wrongly_encoded_input_is_detected_not_a_crash():
    data = LIVE.replace("Crews", "Crews from Malmö and Köln").encode("cp1252")
    doc = read_bytes(data, source="latin.txt")
    assert any("decoded as" in w for w in doc.warnings)
    assert "Malmö" in doc.posts[-1].body or "Malmö" in " ".join(p.body for p in doc.posts)


def test_declared_charset_is_used():
    page = '<html><head><meta charset="windows-1252"><title>t</title></head><body><p>Café “strike” ends</p></body></html>'
    doc = read_bytes(page.encode("cp1252"), source="page.html")
    assert "Café “strike” ends" in doc.posts[0].body
    assert not any("decoded as" in w for w in doc.warnings)


def test_truncated_html_keeps_what_parses(fixtures_dir):
    text = (fixtures_dir / "html" / "guardian_live.html").read_text()
    cut = (
        text[: text.index('<article id="block-66a1e9aa')]
        + '<article id="block-66a1e9aa0000111122223333"><p>About 1,2'
    )
    doc = read_bytes(cut.encode(), source="cut.html")
    assert any("truncated" in w for w in doc.warnings)
    assert [p.title for p in doc.posts if p.kind == "post"][0] == "Unions reject pay offer"


def test_truncated_live_text_keeps_what_parses():
    doc = read_bytes(LIVE[: LIVE.index("All schools") - 40].encode(), source="cut.txt")
    assert doc.posts and any(p.title == "Barriers raised" for p in doc.posts)


def test_non_http_scheme_is_refused():
    [item] = list(iter_inputs(["file:///etc/passwd"]))
    with pytest.raises(ReadError, match="only http and https"):
        item.load()
    [item] = list(iter_inputs(["javascript:alert(1)"]))
    with pytest.raises(ReadError, match="only http and https"):
        item.load()


def test_unreachable_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nothing listens there
    [item] = list(iter_inputs([f"http://127.0.0.1:{port}/live"]))
    with pytest.raises(ReadError, match="cannot reach it"):
        item.load()


def test_missing_file_and_empty_glob():
    items = list(iter_inputs(["/no/such/page.txt", "/no/such/*.html"]))
    messages = []
    for item in items:
        with pytest.raises(ReadError) as info:
            item.load()
        messages.append(str(info.value))
    assert "no such file" in messages[0] and "no files match" in messages[1]


def test_inputs_expand_folders_globs_and_stdin(tmp_path):
    (tmp_path / "a.txt").write_text(LIVE)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text(LIVE)
    (tmp_path / ".hidden").write_text("x")
    found = list(
        iter_inputs([str(tmp_path), str(tmp_path / "*.txt"), "-"], stdin=io.BytesIO(b"data"))
    )
    sources = [i.source for i in found]
    assert sources[:2] == [
        str((tmp_path / "a.txt").resolve()),
        str((tmp_path / "sub" / "b.txt").resolve()),
    ]
    assert sources.count(str((tmp_path / "a.txt").resolve())) == 1  # named twice, read once
    assert found[-1].kind == "stdin" and found[-1].load()[0] == b"data"


def test_batch_goes_on_past_bad_inputs_and_exits_non_zero(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(LIVE)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    db = tmp_path / "r.db"
    result = CliRunner().invoke(
        app,
        [
            "ingest",
            str(empty),
            str(binary),
            str(good),
            "ftp://x/y",
            "--db",
            str(db),
            "--no-enrich",
            "--json",
        ],
    )
    assert result.exit_code == 1
    import json

    payload = json.loads(result.stdout)
    by_source = {r["source"]: r for r in payload["results"]}
    assert (
        by_source[str(good.resolve())]["new"] == 3
        and by_source[str(good.resolve())]["error"] is None
    )
    assert "is empty" in by_source[str(empty.resolve())]["error"]
    assert "binary" in by_source[str(binary.resolve())]["error"]
    assert "only http and https" in by_source["ftp://x/y"]["error"]
    assert "3 of 4 inputs failed" in result.stderr
