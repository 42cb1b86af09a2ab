"""One set of per-item attendance fields: files of the meeting's life (`from_item`/`until_item`) and of
the documents work (`arrived_item`/`left_item`) both import, give the same minutes, and export as
the one set; run through the CLI as a user would, the .docx read back as text."""

from __future__ import annotations

import io
import json
import shutil

import docx
import pytest

from tests.conftest import run_cli


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _fresh(preset_folder, target):
    shutil.copytree(preset_folder, target, ignore=shutil.ignore_patterns("*.backups"))
    return target / "db.json"


def _meeting_and_person(db):
    data = json.loads(run_cli("export", "json", "--db", str(db)).stdout)
    meetings = [m for m in data["meetings"] if len(m["items"]) >= 5]
    meeting = next((m for m in meetings if (m.get("minutes") or {}).get("status") != "approved"), None)
    if meeting is None:  # only a justerat protokoll (Ludvika's demo): imported as a new meeting beside it
        meeting = dict(meetings[0], id=f"{meetings[0]['id']}-b", uid=f"attendance-test-{meetings[0]['id']}@test")
    free = [p["id"] for p in data["people"] if p["id"] not in {r.get("person") for r in meeting.get("attendance") or ()}]
    if free:
        return dict(meeting, attendance=[*(meeting.get("attendance") or ()), {"person": free[0], "status": "present"}]), free[0]
    return meeting, next(r["person"] for r in meeting["attendance"] if r["status"] == "present" and r.get("person"))


def _with(meeting, person, **fields):
    """The meeting with `person`'s attendance row carrying `fields` (and no other item fields)."""
    rows = []
    for row in meeting["attendance"]:
        if row.get("person") == person:
            row = {k: v for k, v in row.items() if k not in ("arrived_item", "left_item", "from_item", "until_item")}
            row.update(fields)
        rows.append(row)
    return dict(meeting, attendance=rows)


@pytest.mark.parametrize(("preset", "arrived", "left"), [
    ("midtjylland", "ankom under punkt 3", "gik efter punkt 5"),
    ("ludvika", "anlände under ", "lämnade sammanträdet efter "),
])
def test_old_files_of_either_shape_import_give_the_same_minutes_and_export_one_set(_preset_dbs, tmp_path, preset, arrived,
                                                                                   left):
    meeting, person = _meeting_and_person(_fresh(_preset_dbs[preset], tmp_path / "probe"))
    third, fifth = meeting["items"][2]["id"], meeting["items"][4]["id"]
    shapes = {"life": {"from_item": third, "until_item": fifth}, "documents": {"arrived_item": third, "left_item": fifth}}
    texts, exported = {}, {}
    for shape, row in shapes.items():
        db = _fresh(_preset_dbs[preset], tmp_path / shape)
        file = tmp_path / f"{shape}.json"
        old = _with(meeting, person, **row)
        file.write_text(json.dumps({"format": "secretary/1", "meetings": [old]}))
        done = run_cli("import", str(file), "--db", str(db))
        assert done.returncode == 0, done.stderr.decode()
        out = tmp_path / f"{shape}.docx"
        made = run_cli("export", "minutes", meeting["id"], "-o", str(out), "--db", str(db))
        assert made.returncode == 0, made.stderr.decode()
        texts[shape] = _docx_text(out.read_bytes())
        exported[shape] = run_cli("export", "json", "--db", str(db)).stdout.decode()
    assert texts["life"] == texts["documents"], "either shape gives the same minutes"
    line = next(line for line in texts["life"].splitlines() if arrived in line)
    assert left in line, line
    if preset == "ludvika":  # Swedish minutes name the item by its frozen or running §
        assert "§" in line.split(arrived, 1)[1] and "§" in line.split(left, 1)[1], line
    for text in exported.values():
        assert "from_item" not in text and "until_item" not in text, "export json writes the one set only"
    rows = next(m for m in json.loads(exported["life"])["meetings"] if m["id"] == meeting["id"])["attendance"]
    assert {"person": person, "arrived_item": third, "left_item": fifth}.items() <= next(
        r for r in rows if r.get("person") == person).items()


def test_a_row_naming_two_different_items_for_one_arrival_is_refused_and_nothing_written(demo_db, tmp_path):
    meeting, person = _meeting_and_person(demo_db)
    both = _with(meeting, person, from_item=meeting["items"][2]["id"], arrived_item=meeting["items"][1]["id"])
    file = tmp_path / "both.json"
    file.write_text(json.dumps({"format": "secretary/1", "meetings": [both]}))
    before = run_cli("export", "json", "--db", str(demo_db)).stdout
    refused = run_cli("import", str(file), "--db", str(demo_db))
    assert refused.returncode == 1
    message = refused.stderr.decode()
    assert "from_item" in message and meeting["items"][2]["id"] in message and "arrived_item" in message, message
    assert "Traceback" not in message and len(message.strip().splitlines()) == 1, message
    assert run_cli("export", "json", "--db", str(demo_db)).stdout == before
