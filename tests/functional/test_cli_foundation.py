"""The foundation's promises, through the real console script."""

from __future__ import annotations

import json

import pytest

from tests.conftest import db_files, run_cli


def _json(result) -> dict:
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


@pytest.fixture
def mj(tmp_path):
    db = tmp_path / "mj.json"
    result = run_cli("init", "--preset", "midtjylland", "--db", str(db))
    assert result.returncode == 0, result.stderr.decode()
    return db


def test_midtjylland_bodies_show_the_seed_cadences_and_lines(mj):
    doc = _json(run_cli("bodies", "--db", str(mj), "--json"))
    assert doc["format"] == "secretary/1"
    bodies = {b["id"]: b for b in doc["bodies"]}
    assert bodies["dassos"]["cadence"] == {"kind": "per_year", "min": 4, "max": 5}
    assert bodies["kontaktudvalget"]["cadence"] == {"kind": "per_year", "min": 4, "max": 4}
    assert bodies["fu"]["cadence"] == {"kind": "per_year", "min": 2, "max": 4}
    assert bodies["fu"]["decides_on_behalf_of"] == "dassos"
    assert bodies["takstgruppen"]["cadence"]["kind"] == "as_needed"
    assert "dassos" in bodies["hjerneskadesamraad-voksne"]["advises"]


def test_forretningsudvalget_2018_2019_seats_with_hedensted_as_chair(mj):
    doc = _json(run_cli("memberships", "--db", str(mj), "--body", "fu", "--year", "2019", "--json"))
    seats = [s for s in doc["memberships"] if s["start"] == "2018-01-01" and s["end"] == "2019-12-31"]
    holders = {s["organisation"]: s["role"] for s in seats}
    assert set(holders) == {
        "hedensted", "norddjurs", "herning", "randers", "skanderborg",
        "holstebro", "viborg", "aarhus", "region-midtjylland",
    }
    assert holders["hedensted"] == "chair"
    assert all(s["person"] is None for s in seats)


def test_nineteen_municipalities_and_the_region(mj):
    doc = _json(run_cli("export", "json", "--db", str(mj)))
    kinds = [o["kind"] for o in doc["organisations"] if o["country"] == "DK"]
    assert kinds.count("municipality") == 19
    assert kinds.count("region") == 1


def test_ludvika_preset_is_swedish(tmp_path):
    db = tmp_path / "lu.json"
    assert run_cli("init", "--preset", "ludvika", "--db", str(db)).returncode == 0
    doc = _json(run_cli("bodies", "--db", str(db), "--json"))
    assert doc["bodies"], "the Ludvika preset has bodies"
    assert {b["language"] for b in doc["bodies"]} == {"sv"}
    assert {b["timezone"] for b in doc["bodies"]} == {"Europe/Stockholm"}
    cadences = {b["id"]: b["cadence"] for b in doc["bodies"]}
    assert cadences["barnhalsoteam"]["kind"] == "monthly"
    assert cadences["mentorsgrupp"] == {"kind": "per_year", "min": 8, "max": 10}


def test_demo_meetings_have_standing_open_and_closed_items(mj):
    doc = _json(run_cli("meetings", "--db", str(mj), "--json"))
    assert len(doc["meetings"]) >= 3
    for meeting in doc["meetings"]:
        assert meeting["demo"] is True
        kinds = [item["kind"] for item in meeting["items"]]
        assert kinds[0] == "approve_agenda"
        assert "any_other_business" in kinds
        assert any(not item["public"] and item["closed_reason"] for item in meeting["items"])
        assert any(item["public"] for item in meeting["items"])
        assert meeting["uid"] and meeting["last_modified"]
    assert any(item["decision"] for m in doc["meetings"] for item in m["items"])


@pytest.mark.parametrize("preset", ["midtjylland", "ludvika", "empty"])
def test_export_import_export_is_byte_identical(tmp_path, preset):
    source, target = tmp_path / "a.json", tmp_path / "b.json"
    assert run_cli("init", "--preset", preset, "--db", str(source)).returncode == 0
    first = tmp_path / "first.json"
    assert run_cli("export", "json", "--db", str(source), "-o", str(first)).returncode == 0
    assert run_cli("init", "--preset", "empty", "--db", str(target)).returncode == 0
    imported = run_cli("import", str(first), "--db", str(target))
    assert imported.returncode == 0, imported.stderr.decode()
    second = run_cli("export", "json", "--db", str(target))
    assert second.stdout == first.read_bytes()


def test_import_with_one_bad_value_writes_nothing_and_names_it(mj, tmp_path):
    doc = _json(run_cli("export", "json", "--db", str(mj)))
    doc["meetings"][1]["items"][2]["outcome"] = "maybe"
    doc["bodies"][0]["name"] = "Renamed, but must not be written"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    before = db_files(mj)
    result = run_cli("import", str(bad), "--db", str(mj))
    err = result.stderr.decode()
    assert result.returncode == 1
    meeting_id = doc["meetings"][1]["id"]
    item_id = doc["meetings"][1]["items"][2]["id"]
    assert f"meeting '{meeting_id}'" in err and f"item '{item_id}'" in err
    assert "field 'outcome'" in err and "'maybe'" in err
    assert "Traceback" not in err
    assert db_files(mj) == before


def test_import_with_a_dangling_reference_writes_nothing(mj, tmp_path):
    doc = {"format": "secretary/1", "memberships": [
        {"id": "x1", "body": "no-such-body", "organisation": "aarhus", "start": "2027-01-01"}]}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    before = db_files(mj)
    result = run_cli("import", str(bad), "--db", str(mj))
    assert result.returncode == 1
    assert "membership 'x1': field 'body': value 'no-such-body'" in result.stderr.decode()
    assert db_files(mj) == before


def test_import_upserts_by_id(mj, tmp_path):
    doc = {"format": "secretary/1", "organisations": [
        {"id": "aarhus", "name": "Aarhus Kommune (ny)", "short_name": "Aarhus", "kind": "municipality", "country": "DK"},
        {"id": "new-org", "name": "Ny Forening", "short_name": "", "kind": "association", "country": "DK"}]}
    path = tmp_path / "up.json"
    path.write_text(json.dumps(doc))
    assert run_cli("import", str(path), "--db", str(mj)).returncode == 0
    orgs = {o["id"]: o for o in _json(run_cli("export", "json", "--db", str(mj)))["organisations"]}
    assert orgs["aarhus"]["name"] == "Aarhus Kommune (ny)"
    assert "new-org" in orgs and "hedensted" in orgs


def test_check_is_sound_then_names_a_broken_reference(mj):
    assert run_cli("check", "--db", str(mj)).returncode == 0
    registry = json.loads(mj.read_bytes())
    first = sorted(registry["memberships"])[0]
    registry["memberships"][first]["body"] = "ghost"
    mj.write_text(json.dumps(registry))
    result = run_cli("check", "--db", str(mj))
    assert result.returncode == 1
    assert f"membership {first!r}: field 'body': value 'ghost'" in result.stdout.decode()


def test_database_files_are_private(mj):
    for path in [mj, *mj.parent.rglob("*.json")]:
        assert path.stat().st_mode & 0o077 == 0, path


def test_usage_error_exits_2_and_user_error_exits_1(tmp_path):
    assert run_cli("bodies", "--year", "notayear").returncode == 2
    missing = run_cli("bodies", "--db", str(tmp_path / "none.json"))
    assert missing.returncode == 1
    assert b"no database at" in missing.stderr and b"Traceback" not in missing.stderr


def test_init_refuses_to_overwrite_without_force(mj):
    again = run_cli("init", "--preset", "empty", "--db", str(mj))
    assert again.returncode == 1 and b"--force" in again.stderr
    forced = run_cli("init", "--preset", "empty", "--db", str(mj), "--force")
    assert forced.returncode == 0
    assert _json(run_cli("bodies", "--db", str(mj), "--json"))["bodies"] == []
    assert run_cli("restore", "--list", "--db", str(mj)).stdout.strip(), "the replaced data is kept as a backup"


def test_db_from_environment(mj):
    result = run_cli("bodies", "--json", env={"SECRETARY_DB": str(mj)})
    assert any(b["id"] == "dassos" for b in _json(result)["bodies"])
