"""`secretary keys` and a bad keys.toml, through the real console script."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import run_cli


def test_keys_lists_every_binding_with_the_keymap_applied(tmp_path):
    keys = tmp_path / "keys.toml"
    keys.write_text('"nav.meetings" = "f5"\n"nav.search" = ["f", "slash"]\n', encoding="utf-8")
    result = run_cli("keys", env={"SECRETARY_KEYS": str(keys)}, timeout=60)
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    for binding_id in ("nav.meetings", "app.quit", "agenda.move_up", "form.save", "year.plan"):
        assert binding_id in out
    line = next(line for line in out.splitlines() if line.startswith("nav.meetings"))
    assert line.split()[1:4] == ["f5", "m", "Meetings"]
    assert str(keys) in out

    doc = json.loads(run_cli("keys", "--json", env={"SECRETARY_KEYS": str(keys)}, timeout=60).stdout)
    assert doc["keymap"] == str(keys) and doc["exists"] is True
    by_id = {row["id"]: row for row in doc["bindings"]}
    assert by_id["nav.search"] == {"id": "nav.search", "key": "f,slash", "default": "slash", "description": "Search"}
    assert by_id["app.quit"]["key"] == by_id["app.quit"]["default"] == "q"


def test_keys_without_a_file_names_where_it_would_be(tmp_path):
    result = run_cli("keys", "--json", env={"XDG_CONFIG_HOME": str(tmp_path / "config")}, timeout=60)
    assert result.returncode == 0, result.stderr.decode()
    doc = json.loads(result.stdout)
    assert doc["keymap"] == str(tmp_path / "config" / "secretary" / "keys.toml") and doc["exists"] is False


def test_a_bad_keymap_stops_the_tui_before_it_starts(demo_db, tmp_path):
    keys = tmp_path / "keys.toml"
    keys.write_text('"nav.meetings" = "f5"\n"nav.meetngs" = "f6"\n', encoding="utf-8")
    result = run_cli("tui", "--db", str(demo_db), env={"SECRETARY_KEYS": str(keys)}, timeout=60)
    err = result.stderr.decode()
    assert result.returncode == 1
    assert err.startswith(f"secretary: {keys}: unknown binding id 'nav.meetngs'")
    assert "secretary keys" in err and "Traceback" not in err


def test_a_toml_error_stops_the_tui_and_creates_no_database(tmp_path):
    keys = tmp_path / "keys.toml"
    keys.write_text('"app.quit" = \n', encoding="utf-8")
    db = tmp_path / "new.json"
    result = run_cli("--db", str(db), env={"SECRETARY_KEYS": str(keys)}, timeout=60)
    err = result.stderr.decode()
    assert result.returncode == 1
    assert f"{keys}: not valid TOML" in err and "line 1" in err and "Traceback" not in err
    assert not db.exists()


def test_keys_with_a_bad_file_says_so(tmp_path):
    keys = tmp_path / "keys.toml"
    keys.write_text('"app.quit" = 3\n', encoding="utf-8")
    result = run_cli("keys", env={"SECRETARY_KEYS": str(keys)}, timeout=60)
    assert result.returncode == 1
    assert f"{keys}: 'app.quit': value 3: not a key" in result.stderr.decode()


def test_without_a_keymap_file_the_tui_start_does_not_import_the_screens(tmp_path):
    code = (
        "import sys\n"
        "from secretary.cli.tui import user_keymap\n"
        "assert user_keymap() == {}\n"
        "assert 'textual' not in sys.modules and 'screens.meeting' not in sys.modules, 'imported'\n"
    )
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr.decode()
