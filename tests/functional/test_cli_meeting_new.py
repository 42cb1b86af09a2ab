"""`secretary meeting new` (from a body's template, its last meeting, or empty), `secretary
meeting unanswered`, the body's agenda template through export/import, and the errors of the
services (not only the CLI's own) in the chosen language."""

from __future__ import annotations

import json

import orjson
import pytest

from secretary import cli, i18n
from secretary.domain.errors import InvalidData
from tests.conftest import db_files, run_cli


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.set_language("en")


def run(capsys, db, *args: str) -> tuple[int, str, str]:
    code = cli.main([*args, "--db", str(db)])
    out, err = capsys.readouterr()
    return code, out, err


def stored_meeting(capsys, db, meeting_id: str) -> dict:
    code, out, err = run(capsys, db, "meeting", "show", meeting_id, "--json")
    assert code == 0, err
    return orjson.loads(out)["meeting"]


def test_new_meeting_from_the_template_by_default_from_last_and_empty(demo_db, capsys):
    # FU has a template in the demo (the seed's FU agendas): the default takes it.
    code, out, err = run(capsys, demo_db, "meeting", "new", "fu", "--start", "2027-05-05 13:00", "--place", "Lokale M1")
    assert code == 0, err
    new_id = out.strip()
    assert new_id == "fu-2027-05-05"
    meeting = stored_meeting(capsys, demo_db, new_id)
    assert [(i["title"], i["kind"]) for i in meeting["items"]] == [
        ("Godkendelse af dagsorden", "approve_agenda"), ("Godkendelse af referat fra sidste møde", "approve_minutes"),
    ]
    assert meeting["location"] == "Lokale M1" and meeting["start"].startswith("2027-05-05T13:00:00+02:00")

    # DASSOS has no template: the default is empty (the standard standing items of Danish).
    code, out, err = run(capsys, demo_db, "meeting", "new", "dassos", "--start", "2027-06-10 09:00", "--end", "2027-06-10 11:30")
    assert code == 0, err
    empty = stored_meeting(capsys, demo_db, out.strip())
    assert [i["kind"] for i in empty["items"]] == ["approve_agenda", "approve_minutes", "any_other_business"]
    assert empty["end"].startswith("2027-06-10T11:30")

    # From the last one: DASSOS 14 January 2027 carries over its undecided items.
    last = stored_meeting(capsys, demo_db, "dassos-2027-01-14")
    undecided = [i["title"] for i in last["items"] if i["kind"] in ("decision", "discussion", "information") and i["outcome"] is None]
    code, out, err = run(capsys, demo_db, "meeting", "new", "dassos", "--start", "2027-03-10 09:00", "--from", "last")
    assert code == 0, err
    carried = [i["title"] for i in stored_meeting(capsys, demo_db, out.strip())["items"]]
    assert undecided and all(title in carried for title in undecided)

    # --from template on a body without one: exit 1, nothing written.
    before = db_files(demo_db)
    code, out, err = run(capsys, demo_db, "meeting", "new", "dassos", "--start", "2027-07-01 09:00", "--from", "template")
    assert code == 1 and out == ""
    assert "body 'dassos': field 'agenda_template'" in err and "Traceback" not in err
    assert db_files(demo_db) == before
    code, out, err = run(capsys, demo_db, "meeting", "new", "nope", "--start", "2027-07-01 09:00")
    assert code == 1 and "no body with id 'nope'" in err
    code, out, err = run(capsys, demo_db, "meeting", "new", "fu", "--start", "2027-07-0x 09:00")
    assert code == 1 and "--start: value '2027-07-0x 09:00'" in err
    assert db_files(demo_db) == before


def test_unanswered_lists_the_seats_without_attendance(demo_db, capsys):
    code, out, err = run(capsys, demo_db, "meeting", "unanswered", "dassos-2027-01-14", "--json")
    assert code == 0, err
    rows = orjson.loads(out)["unanswered"]
    meeting = stored_meeting(capsys, demo_db, "dassos-2027-01-14")
    answered = {(a["person"], a["organisation"]) for a in meeting["attendance"]}
    assert rows and all((r["person"], r["organisation"]) not in answered for r in rows)
    assert {"person", "person_name", "organisation", "organisation_name", "role", "membership"} <= set(rows[0])
    code, out, err = run(capsys, demo_db, "meeting", "unanswered", "dassos-2027-01-14")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].split() == ["person", "organisation", "role"] and len(lines) == len(rows) + 1
    assert rows[0]["organisation_name"] in lines[1]
    code, out, err = run(capsys, demo_db, "meeting", "unanswered", "nope")
    assert code == 1 and "no meeting with id 'nope'" in err and out == ""


def test_a_service_error_is_in_danish_with_lang_da_and_in_swedish_with_the_environment(demo_db):
    done = run_cli("--lang", "da", "meeting", "new", "nope", "--start", "2027-07-01 09:00", "--db", str(demo_db))
    assert done.returncode == 1
    assert "intet forum med id 'nope'" in done.stderr.decode(), done.stderr
    refused = run_cli("meeting", "held", "dassos-2027-01-14", "--db", str(demo_db), env={"SECRETARY_LANG": "sv"})
    assert refused.returncode == 1
    text = refused.stderr.decode()
    assert "ett sammanträde kan markeras som hållet först när kallelsen är utskickad" in text, text
    dk = run_cli("--lang", "da", "meeting", "held", "dassos-2027-01-14", "--db", str(demo_db))
    assert "et møde kan først markeres som afholdt, når dagsordenen er udsendt" in dk.stderr.decode(), dk.stderr


def test_the_agenda_template_round_trips_and_is_validated(demo_db, capsys, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("io")  # beside the database's folder, not in it
    out_file = tmp_path / "all.json"
    assert run(capsys, demo_db, "export", "json", "-o", str(out_file))[0] == 0
    document = json.loads(out_file.read_text())
    fu = next(b for b in document["bodies"] if b["id"] == "fu")
    assert [t["title"] for t in fu["agenda_template"]] == ["Godkendelse af dagsorden", "Godkendelse af referat fra sidste møde"]
    dassos = next(b for b in document["bodies"] if b["id"] == "dassos")
    dassos["agenda_template"] = [{"title": "Meddelelser", "kind": "information"}, {"title": "Personalesag", "public": False}]
    out_file.write_text(json.dumps(document))
    assert run(capsys, demo_db, "import", str(out_file))[0] == 0
    assert run(capsys, demo_db, "export", "json", "-o", str(tmp_path / "again.json"))[0] == 0
    again = json.loads((tmp_path / "again.json").read_text())
    assert next(b for b in again["bodies"] if b["id"] == "dassos")["agenda_template"] == [
        {"title": "Meddelelser", "kind": "information", "public": True}, {"title": "Personalesag", "kind": "decision", "public": False},
    ]
    # An old file (no agenda_template at all) still imports.
    for body in again["bodies"]:
        body.pop("agenda_template")
    (tmp_path / "old.json").write_text(json.dumps(again))
    assert run(capsys, demo_db, "import", str(tmp_path / "old.json"))[0] == 0
    # Bad templates: the object, the field and the value named; nothing written.
    before = db_files(demo_db)
    for template, said in (
        ([{"title": "Eventuelt", "kind": "other"}], "field 'agenda_template[0].kind': value 'other'"),
        ([{"title": "Eventuelt"}, {"title": "eventuelt"}], "names a standing item twice: eventuelt"),
        ([{"title": "two\nlines"}], "field 'agenda_template[0].title'"),
        ([{"title": ""}], "agenda_template[0].title"),
    ):
        next(b for b in again["bodies"] if b["id"] == "fu")["agenda_template"] = template
        (tmp_path / "bad.json").write_text(json.dumps(again))
        code, out, err = run(capsys, demo_db, "import", str(tmp_path / "bad.json"))
        assert code == 1 and "body 'fu'" in err and said in err, err
        assert db_files(demo_db) == before


def test_the_template_is_checked_by_the_model_in_danish(sec):
    i18n.set_language("da")
    with pytest.raises(InvalidData) as caught:
        sec.registry.edit_body("fu", agenda_template=[{"title": "A"}, {"title": "a"}])
    assert "nævner et fast punkt to gange" in str(caught.value)
