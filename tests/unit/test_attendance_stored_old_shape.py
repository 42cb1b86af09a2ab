"""A database written before the attendance fields were one set (the meeting's life stored
`from_item`/`until_item`): it reads as `arrived_item`/`left_item`, `check` finds it sound, and the
next save of the meeting writes only the new names."""

from __future__ import annotations

import json

import orjson

from store.storage import decode, encode
from tests.conftest import run_cli
from tests.functional.tui_helpers import stored

MEETING = "dassos-2026-10-08"


def _partition(db):
    return db.parent / f"{db.name}.d" / "meetings" / "dassos" / "2026.json"


def test_a_stored_row_with_the_old_names_reads_checks_and_is_rewritten_in_the_new(demo_db):
    path = _partition(demo_db)
    data = decode(path, path.read_bytes())
    document = data["meetings"][MEETING]
    third, fifth = document["items"][2]["id"], document["items"][4]["id"]
    row = next(r for r in document["attendance"] if r["status"] == "present")
    row.pop("arrived_item", None), row.pop("left_item", None)
    row.update(from_item=third, until_item=fifth)
    path.write_bytes(encode(data))  # as an older program wrote it (sealed: not damage)

    sec = stored(demo_db)
    read = next(r for r in sec.records.meeting(MEETING).attendance if (r.person, r.seat) == (row.get("person"), row.get("seat")))
    assert (read.arrived_item, read.left_item) == (third, fifth)
    assert run_cli("check", "--db", str(demo_db)).returncode == 0
    assert b"from_item" in path.read_bytes(), "reading does not write"

    sec.agenda.edit_meeting(MEETING, location="Regionshuset Viborg, lokale 2")
    raw = path.read_bytes()
    assert b"from_item" not in raw and b"until_item" not in raw
    rows = orjson.loads(raw)["meetings"][MEETING]["attendance"]
    assert any((r.get("arrived_item"), r.get("left_item")) == (third, fifth) for r in rows)
    exported = json.loads(run_cli("export", "json", "--db", str(demo_db)).stdout)
    assert "from_item" not in json.dumps(exported)
