"""`secretary case show` in the reader's language: a history step's kind, the status, the outcome
and who decided are the stored keys said in Danish or Swedish; a step's detail is printed exactly
as stored, in whatever language the session that wrote it spoke (stored data is never rewritten)."""

from __future__ import annotations

import datetime as dt

import orjson
import pytest

from secretary import i18n
from secretary.cli.entry import main

CASE = "2026-bostedet-aahave"
KINDS = {"da": {"new": "oprettet", "close": "lukket", "report": "orienteret"},
         "sv": {"new": "registrerat", "close": "avslutat", "report": "rapporterat"},
         "en": {"new": "new", "close": "close", "report": "report"}}


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.set_language("en")


def run(capsys, db, lang: str, *args: str) -> str:
    code = main(["--lang", lang, *args, "--db", str(db)])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


@pytest.fixture
def case_db(demo_db, capsys):
    """A case registered in a Danish session and closed in a Swedish one: its history's details
    are stored in two languages."""
    run(capsys, demo_db, "da", "case", "new", "--offer", "Bostedet Åhave", "--operator", "horsens", "--before", "40",
        "--after", "38", "--affected", "aarhus", "--on", dt.date.today().isoformat())
    run(capsys, demo_db, "sv", "case", "close", CASE)
    return demo_db


@pytest.mark.parametrize("lang", ["da", "sv", "en"])
def test_history_details_are_printed_as_stored_and_their_kinds_in_the_readers_language(case_db, capsys, lang):
    stored = orjson.loads(run(capsys, case_db, "en", "case", "show", CASE, "--json"))
    stored = stored["cases"][0]
    history = stored["history"]
    assert [e["action"] for e in history] == ["new", "close", "report"]
    assert "pladser" in history[0]["detail"] and "platser" in history[1]["detail"]  # written by a Danish, then a Swedish session
    # The whole line in the writer's language, not a Swedish reason with English glued on.
    assert "inte registrerad som kontaktad: aarhus" in history[1]["detail"] and "not recorded" not in history[1]["detail"]
    assert history[2]["detail"].startswith("informationspunkt vid sammanträdet "), history[2]["detail"]
    shown = run(capsys, case_db, lang, "case", "show", CASE).splitlines()
    steps = [line for line in shown if line.startswith("    ") and line[4:8].isdigit()]
    assert len(steps) == len(history)
    for line, event in zip(steps, history, strict=True):
        at = dt.datetime.fromisoformat(event["at"]).isoformat(timespec="minutes")
        assert line == f"    {at} {KINDS[lang][event['action']]}: {event['detail']}"  # the detail verbatim
    outcome = next(line for line in shown if stored["decided_on"] in line and "(" in line)
    if lang == "da":
        assert "status lukket" in "\n".join(shown) and "ingen forudgående godkendelse krævet" in outcome and "(driftsherren)" in outcome
    elif lang == "sv":
        assert "status avslutat" in "\n".join(shown) and "inget föregående godkännande krävs" in outcome and "(huvudmannen)" in outcome
    else:
        assert "status closed" in "\n".join(shown) and "not_required" in outcome and "(operator)" in outcome  # English as before
