"""Reliability round two (issue 21), class 9: input the validator never sees: duplicate keys,
deep nesting, unbounded files (/dev/zero, a FIFO, a template whose part unpacks to gigabytes)."""

from __future__ import annotations

import io
import os
import time
import zipfile

import pytest

from secretary.domain.errors import InvalidData
from secretary.domain.interchange import parse_bytes, parse_document
from tests.conftest import db_files, run_cli

CLOSED_THEN_PUBLIC = (
    b'{"format": "secretary/1", "meetings": [{"id": "dup-m", "body": "dassos",'
    b' "start": "2031-06-02T09:00:00+02:00", "end": "2031-06-02T11:00:00+02:00",'
    b' "items": [{"id": "dup-i", "number": "1", "title": "Closed", "public": false,'
    b' "closed_reason": "personal data", "public": true}]}]}'
)


def out(result) -> str:
    return result.stdout.decode() + result.stderr.decode()


@pytest.mark.parametrize(
    "data, words",
    [
        (CLOSED_THEN_PUBLIC, ["meeting 'dup-m' item 'dup-i'", "'public'", "False and True", "more than once"]),
        (b'{"format": "secretary/1", "format": "secretary/9"}', ["document", "'format'", "more than once"]),
        (b'{"format": "secretary/1", "bodies": [' + b"[" * 300 + b"]" * 300 + b"]}", ["body #1", "nested deeper"]),
        (b'{"format": "secretary/1", "bodies": [' + b"[" * 1000 + b"]" * 1000 + b"]}", ["nested deeper"]),
    ],
    ids=["closed item made public", "format twice", "nested 300", "nested 1000"],
)
def test_duplicate_keys_and_deep_nesting_are_refused_by_name(demo_db, tmp_path, data, words):
    source = tmp_path / "hostile.json"
    source.write_bytes(data)
    before = db_files(demo_db)
    result = run_cli("import", str(source), "--db", str(demo_db))
    assert result.returncode == 1, out(result)
    assert "unexpected error" not in out(result) and "Traceback" not in out(result), out(result)
    for word in words:
        assert word in out(result), out(result)
    assert {k: v for k, v in db_files(demo_db).items() if k != "hostile.json"} == {k: v for k, v in before.items() if k != "hostile.json"}


def test_a_valid_document_still_parses_as_before():
    raw = parse_bytes(b'{"format": "secretary/1", "organisations": [{"id": "o", "name": "O", "kind": "other", "country": "DK"}]}')
    assert parse_document(raw).organisations["o"].name == "O"
    with pytest.raises(InvalidData, match="not valid JSON"):
        parse_bytes(b'{"format": NaN}')


@pytest.mark.parametrize("kind", ["/dev/zero", "fifo without a writer", "fifo that never writes"])
def test_unbounded_inputs_are_refused_at_once(demo_db, tmp_path, kind):
    if kind == "/dev/zero":
        source = "/dev/zero"
    else:
        source = str(tmp_path / "pipe")
        os.mkfifo(source)
    holder = None
    if kind == "fifo that never writes":
        holder = os.open(source, os.O_RDWR)  # a writer that never writes
    started = time.monotonic()
    try:
        env = {"SECRETARY_LOCK_TIMEOUT": "1", "SECRETARY_PIPE_IDLE": "1"}
        result = run_cli("import", source, "--db", str(demo_db), env=env, timeout=60)
    finally:
        if holder is not None:
            os.close(holder)
    assert result.returncode == 1, out(result)
    assert source in out(result) and "unexpected error" not in out(result), out(result)
    assert time.monotonic() - started < 30


def test_a_template_part_that_unpacks_beyond_the_limit_is_refused_unread():
    from exports.documents.template import MAX_MEMBER_BYTES, TemplateError, check_template

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/media/huge.bin", b"\0" * (MAX_MEMBER_BYTES + 1))
    started = time.monotonic()
    with pytest.raises(TemplateError, match="huge.bin"):
        check_template(buffer.getvalue(), "letterhead.docx")
    assert time.monotonic() - started < 5
