"""The command line prints names and titles as they were typed: no markup, no emoji codes."""

from __future__ import annotations

import orjson

from tests.conftest import run_cli

TRICKY = "Anna [udkast] [/] :smile: Hansen"


def test_listings_and_the_plan_print_brackets_and_colons_as_typed(demo_db, tmp_path):
    doc = {
        "format": "secretary/1",
        "people": [{"id": "tricky", "name": TRICKY, "title": "[b]Konsulent[/b]", "organisation": None, "email": "", "phone": ""}],
    }
    source = tmp_path / "tricky.json"
    source.write_bytes(orjson.dumps(doc))
    assert run_cli("import", str(source), "--db", str(demo_db)).returncode == 0

    people = run_cli("people", "--db", str(demo_db), env={"COLUMNS": "200"})
    assert people.returncode == 0, people.stderr.decode()
    out = people.stdout.decode()
    assert TRICKY in out and "[b]Konsulent[/b]" in out

    exported = orjson.loads(run_cli("export", "json", "--db", str(demo_db)).stdout)
    body = next(b for b in exported["bodies"] if b["id"] == "dassos")
    body["abbreviation"] = "DASSOS [/]"
    source.write_bytes(orjson.dumps({"format": "secretary/1", "bodies": [body]}))
    assert run_cli("import", str(source), "--db", str(demo_db)).returncode == 0
    plan = run_cli("plan", "2027", "--body", "dassos", "--db", str(demo_db), env={"COLUMNS": "200"})
    assert plan.returncode in (0, 1), plan.stderr.decode()
    assert "Traceback" not in plan.stderr.decode() and "unexpected error" not in plan.stderr.decode()
    assert "DASSOS [/]" in plan.stdout.decode()
