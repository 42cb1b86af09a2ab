"""secretary/documents.py: the template lookup, export folder and atomic export writes shared by CLI and TUI."""

from __future__ import annotations

import stat

import pytest

from secretary.cli.bootstrap import open_secretary
from secretary.domain.errors import NotFound, SecretaryError
from secretary.services.documents import export_folder, find_template, write_export
from store.tinydb_store import PrivateFiles


def test_template_lookup_prefers_the_flag_then_the_body_then_the_default(tmp_path):
    db = tmp_path / "db.json"
    assert find_template(db, "dassos") == (None, "template")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "default.docx").write_bytes(b"default")
    assert find_template(db, "dassos")[0] == b"default"
    (folder / "dassos.docx").write_bytes(b"body")
    assert find_template(db, "dassos")[0] == b"body"
    assert find_template(db, "fu")[0] == b"default"
    flag = tmp_path / "mine.docx"
    flag.write_bytes(b"flag")
    assert find_template(db, "dassos", str(flag)) == (b"flag", str(flag))
    with pytest.raises(NotFound, match="missing.docx"):
        find_template(db, "dassos", str(tmp_path / "missing.docx"))


def test_export_folder_beside_the_database_unless_configured(tmp_path, monkeypatch):
    assert export_folder(tmp_path / "db.json") == tmp_path / "exports"
    monkeypatch.setenv("SECRETARY_EXPORTS", str(tmp_path / "elsewhere"))
    assert export_folder(tmp_path / "db.json") == tmp_path / "elsewhere"


def test_write_export_makes_private_folders_and_replaces_whole_files(tmp_path):
    target = tmp_path / "a" / "b" / "x.docx"
    write_export(PrivateFiles(), target, b"one")
    write_export(PrivateFiles(), target, b"two")
    assert target.read_bytes() == b"two"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "a").stat().st_mode) == 0o700
    assert [p.name for p in target.parent.iterdir()] == ["x.docx"]  # no temporary file left behind
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(SecretaryError, match="export folder"):
        write_export(PrivateFiles(), blocker / "x.docx", b"")


def test_export_document_names_the_file_from_the_meeting(demo_db):
    path = open_secretary(demo_db).documents.export("dassos-2026-10-08", "agenda", public=True)
    assert path == demo_db.parent / "exports" / "DASSOS-2026-10-08-dagsorden-offentlig.docx"
    assert path.read_bytes()[:2] == b"PK"
