"""What the TUI's first screen loads: only what it shows (issue 19). Each check runs in a fresh
interpreter, since an import anywhere in the test session would hide a new eager one."""

from __future__ import annotations

import json
import subprocess
import sys

# Loaded by other sections, documents, e-mail or commands: never on the way to the first screen.
NOT_FOR_THE_FIRST_SCREEN = (
    "smtplib", "docx", "tantivy", "openpyxl", "jinja2", "holidays", "urllib.request", "icalendar",
    "secretary.services.mail", "secretary.services.documents", "secretary.services.search",
    "secretary.services.scorecard", "secretary.services.site", "secretary.services.agenda",
    "secretary.cli.scorecard", "secretary.cli.planning", "secretary.cli.data", "secretary.cli.meeting",
)


def _loaded(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_overview_answers_without_loading_other_sections_code(tmp_path):
    from secretary.cli.bootstrap import create_database
    from secretary.domain.presets import load_preset

    path = tmp_path / "db" / "secretary.json"
    create_database(path, load_preset("midtjylland"))  # here: making a database loads the import's code
    code = f"""
import datetime as dt, json, sys
from pathlib import Path
from secretary.cli.bootstrap import open_secretary
import screens.app, screens.overview
sec = open_secretary(Path({str(path)!r}))
today = dt.date(2026, 11, 26)
with sec.store.reading():
    found = dict(upcoming=len(sec.overview.upcoming_meetings(today)), deadlines=len(sec.overview.deadlines_due(today)),
                 overdue=sec.overview.overdue_actions_first(today, 6)[1], waiting=len(sec.cases.waiting(today)),
                 hearings=len(sec.cases.hearings_closing(today)))
print(json.dumps(dict(found=found, modules=sorted(sys.modules))))
"""
    result = _loaded(code)
    assert result["found"]["upcoming"] and result["found"]["deadlines"], result["found"]  # the demo has answers to show
    loaded = set(result["modules"])
    assert not loaded & set(NOT_FOR_THE_FIRST_SCREEN), sorted(loaded & set(NOT_FOR_THE_FIRST_SCREEN))


def test_secretary_alone_parses_without_the_command_modules_and_a_command_still_parses():
    code = """
import json, sys
from secretary.cli.entry import parse
tui = parse(["--db", "x.json", "--lang", "da"])
after_tui = sorted(m for m in sys.modules if m.startswith("secretary.cli."))
command = parse(["--db", "x.json", "bodies"])
print(json.dumps(dict(tui=[tui.command, tui.db, tui.interface_lang], after_tui=after_tui, command=command.command)))
"""
    result = _loaded(code)
    assert result["tui"] == [None, "x.json", "da"]
    assert not {"secretary.cli.data", "secretary.cli.meeting", "secretary.cli.scorecard"} & set(result["after_tui"]), result["after_tui"]
    assert result["command"] == "bodies"


def test_a_bad_option_before_any_command_is_explained_once_with_the_whole_usage():
    cli = [sys.executable, "-c", "import sys; from secretary.cli import main; sys.exit(main())"]
    out = subprocess.run([*cli, "--lang", "xx"], capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.count("usage:") == 1 and "COMMAND" in out.stderr and "'xx'" in out.stderr, out.stderr
