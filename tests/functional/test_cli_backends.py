"""The foundation's promises through the real console script, on both backends (a TinyDB file
and a PostgreSQL database on the session's throwaway server), and moving data between them."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli


def _ok(result):
    assert result.returncode == 0, result.stderr.decode()
    return result


def _json(result) -> dict:
    return json.loads(_ok(result).stdout)


@pytest.fixture(params=["tinydb", "postgresql"])
def backend(request, tmp_path):
    """(name, --db value) of an empty place for a database of that backend."""
    if request.param == "tinydb":
        return "tinydb", str(tmp_path / "mj.json")
    return "postgresql", request.getfixturevalue("pg_url")


@pytest.fixture
def db(backend):
    _ok(run_cli("init", "--preset", "midtjylland", "--db", backend[1]))
    return backend[1]


def _break_a_reference(backend_name: str, db: str, pg_cluster=None) -> None:
    """Point one seat at a body that does not exist, behind the program's back."""
    if backend_name == "tinydb":
        from pathlib import Path

        path = Path(db)
        registry = json.loads(path.read_bytes())
        seat = next(iter(registry["memberships"]))
        registry["memberships"][seat]["body"] = "nowhere"
        path.write_text(json.dumps(registry))
        return
    pg_cluster.execute(
        db,
        "UPDATE registry SET doc = jsonb_set(doc, '{body}', '\"nowhere\"') "
        "WHERE collection = 'memberships' AND id = (SELECT min(id) FROM registry WHERE collection = 'memberships')",
    )


def test_listings_show_the_preset(db):
    bodies = {b["id"]: b for b in _json(run_cli("bodies", "--db", db, "--json"))["bodies"]}
    assert bodies["dassos"]["cadence"] == {"kind": "per_year", "min": 4, "max": 5}
    assert bodies["fu"]["decides_on_behalf_of"] == "dassos"
    seats = _json(run_cli("memberships", "--db", db, "--body", "fu", "--year", "2019", "--json"))["memberships"]
    assert {s["organisation"]: s["role"] for s in seats if s["end"] == "2019-12-31"}["hedensted"] == "chair"
    meetings = _json(run_cli("meetings", "--db", db, "--json"))["meetings"]
    assert meetings and all(m["body"] in bodies for m in meetings)
    table = _ok(run_cli("meetings", "--db", db, env={"COLUMNS": "300"})).stdout.decode()
    assert all(m["id"] in table for m in meetings)
    kinds = [o["kind"] for o in _json(run_cli("export", "json", "--db", db))["organisations"] if o["country"] == "DK"]
    assert kinds.count("municipality") == 19


def test_a_bad_import_writes_nothing_and_a_good_one_upserts(db, tmp_path):
    before = _ok(run_cli("export", "json", "--db", db)).stdout
    doc = json.loads(before)
    doc["meetings"][0]["start"] = "not a date"
    doc["organisations"].append({"id": "ny-kommune", "name": "Ny Kommune", "kind": "municipality", "country": "DK"})
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    result = run_cli("import", str(bad), "--db", db)
    assert result.returncode == 1
    assert "start" in result.stderr.decode() and "not a date" in result.stderr.decode()
    assert _ok(run_cli("export", "json", "--db", db)).stdout == before

    dangling = {"format": "secretary/1", "memberships": [{"id": "m-x", "body": "nowhere", "organisation": "aarhus",
                                                          "role": "member", "start": "2020-01-01"}]}
    bad.write_text(json.dumps(dangling))
    assert run_cli("import", str(bad), "--db", db).returncode == 1
    assert _ok(run_cli("export", "json", "--db", db)).stdout == before

    good = tmp_path / "good.json"
    good.write_text(json.dumps({"format": "secretary/1", "organisations": [
        {"id": "aarhus", "name": "Aarhus Kommune (ny)", "kind": "municipality", "country": "DK"}]}))
    _ok(run_cli("import", str(good), "--db", db))
    orgs = {o["id"]: o for o in _json(run_cli("export", "json", "--db", db))["organisations"]}
    assert orgs["aarhus"]["name"] == "Aarhus Kommune (ny)" and "hedensted" in orgs


def test_check_is_sound_then_names_a_broken_reference(backend, db, request):
    assert _ok(run_cli("check", "--db", db))
    _break_a_reference(backend[0], db, request.getfixturevalue("pg_cluster") if backend[0] == "postgresql" else None)
    result = run_cli("check", "--db", db)
    assert result.returncode == 1
    assert "nowhere" in result.stdout.decode()


def test_init_refuses_then_force_keeps_a_backup_that_restore_puts_back(db):
    before = _ok(run_cli("export", "json", "--db", db)).stdout
    again = run_cli("init", "--preset", "empty", "--db", db)
    assert again.returncode == 1 and "--force" in again.stderr.decode()
    _ok(run_cli("init", "--preset", "empty", "--db", db, "--force"))
    assert _json(run_cli("bodies", "--db", db, "--json"))["bodies"] == []
    names = _ok(run_cli("restore", "--list", "--db", db)).stdout.decode().split()
    kept = [name for name in names if name.endswith("-before-init")]
    assert kept, names
    _ok(run_cli("restore", kept[0], "--db", db))
    assert _ok(run_cli("export", "json", "--db", db)).stdout == before


def test_db_from_the_environment(db):
    result = run_cli("bodies", "--json", env={"SECRETARY_DB": db})
    assert any(b["id"] == "dassos" for b in _json(result)["bodies"])


def test_export_json_moves_between_backends_byte_for_byte(tmp_path, pg_url):
    tiny = str(tmp_path / "from.json")
    _ok(run_cli("init", "--preset", "midtjylland", "--db", tiny))
    original = _ok(run_cli("export", "json", "--db", tiny)).stdout
    dump = tmp_path / "dump.json"
    dump.write_bytes(original)
    _ok(run_cli("init", "--preset", "empty", "--db", pg_url))
    _ok(run_cli("import", str(dump), "--db", pg_url))
    on_server = _ok(run_cli("export", "json", "--db", pg_url)).stdout
    assert on_server == original
    back = str(tmp_path / "back.json")
    _ok(run_cli("init", "--preset", "empty", "--db", back))
    dump.write_bytes(on_server)
    _ok(run_cli("import", str(dump), "--db", back))
    assert _ok(run_cli("export", "json", "--db", back)).stdout == original
    assert _ok(run_cli("check", "--db", pg_url))


def test_a_url_with_a_password_is_refused_without_repeating_it(pg_url):
    with_password = pg_url.replace("@", ":hemmelig-kode@", 1)
    result = run_cli("bodies", "--db", with_password)
    assert result.returncode == 1
    message = result.stderr.decode()
    assert "password" in message and ".pgpass" in message
    assert "hemmelig-kode" not in message
    result = run_cli("bodies", env={"SECRETARY_DB": pg_url + "&password=hemmelig-kode"})
    assert result.returncode == 1 and "hemmelig-kode" not in result.stderr.decode()


def test_an_empty_server_database_says_how_to_initialise_it(pg_url):
    result = run_cli("bodies", "--db", pg_url)
    assert result.returncode == 1
    assert "secretary init --db" in result.stderr.decode()
    _ok(run_cli("init", "--db", pg_url))
    assert _json(run_cli("bodies", "--db", pg_url, "--json"))["bodies"]
