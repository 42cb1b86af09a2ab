"""The TUI as a Danish and a Swedish secretary start it: the README's command in tmux, with
LANG=da_DK.UTF-8 or SECRETARY_LANG=sv, every screen reached, every label in the language."""

from __future__ import annotations

import re
import shutil

import pytest

from tests.functional.test_tui_tmux import SECRETARY, tmux  # noqa: F401 - the fixture

pytestmark = [pytest.mark.external, pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]

# Words of the English interface that must not be left on a Danish or Swedish screen (the data,
# in the body's language, is Danish in the demo and may say anything).
ENGLISH = re.compile(
    r"\b(Overview|Bodies|People|Meetings|Actions|Search|Help|Quit|Refresh|Delete|Edit|Filter|Open|New|Minutes|Agenda|"
    r"Attendance|Decision|Outcome|Background|Recommendation|Commands|planned|invited|held|draft|present|apologies|"
    r"Today is|Next meetings|Deadlines|Terms of reference|Current members|Cadence|January|March|Memberships)\b"
)

WALKS = {
    "da": {
        "env": "env -u SECRETARY_LANG -u LC_ALL -u LC_MESSAGES LANG=da_DK.UTF-8",
        "steps": [
            (None, ["Kommende møder", "I dag er det", "? Hjælp", "q Afslut", "o Overblik", "b Fora", "m Møder", "a Opgaver"]),
            ("b", ["Mødefrekvens", "Kommissorium", "Kalenderadresse", "Nyt forum"]),
            ("p", ["1 Personer", "2 Medlemskaber", "Navn", "Stilling"]),
            ("2", ["fundet", "Forum (alle)", "Rolle"]),
            ("m", ["Kommende", "Dato", "Referat", "Titel / sted", "indkaldt"]),
            ("Enter", ["Dagsorden:", "Godkendelse af dagsorden", "Sagsfremstilling", "Fremmøde"]),
            ("M", ["Referat:", "Beslutning", "Udfald"]),
            ("t", ["Fremmøde ·", "Medlem", "Rolle"]),
            ("Escape", ["Referat:"]),
            ("?", ["Taster på dette skærmbillede", "Overalt", "Dette skærmbillede"]),
            ("Escape", ["Referat:"]),
            ("y", ["År 2026", "Mødefrekvens 2026", "Januar", "Marts"]),
            ("a", ["Åbne", "Frist", "Hvem", "OVERSKREDET"]),
            ("/", ['Ord, "en frase", et sagsnummer']),
        ],
    },
    "sv": {
        "env": "env -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8 SECRETARY_LANG=sv",
        "steps": [
            (None, ["Kommande sammanträden", "I dag är det", "? Hjälp", "q Avsluta", "o Översikt", "b Forum", "m Sammanträden"]),
            ("b", ["Sammanträdesfrekvens", "Uppdragsbeskrivning", "Kalenderadress", "Nytt forum"]),
            ("p", ["1 Personer", "2 Uppdrag", "Namn", "Befattning"]),
            ("2", ["träffar", "Forum (alla)", "Roll"]),
            ("m", ["Kommande", "Datum", "Protokoll", "Rubrik / plats", "kallat"]),
            ("Enter", ["Kallelse:", "Ärendebeskrivning", "Närvaro"]),
            ("M", ["Protokoll:", "Beslut", "Utfall"]),
            ("t", ["Närvaro ·", "Ledamot", "Roll"]),
            ("Escape", ["Protokoll:"]),
            ("?", ["Tangenter i den här vyn", "Överallt", "Den här vyn"]),
            ("Escape", ["Protokoll:"]),
            ("y", ["År 2026", "Sammanträdesfrekvens 2026", "Januari", "Mars"]),
            ("a", ["Öppna", "Senast", "Vem", "FÖRSENAD"]),
            ("/", ['Ord, "en fras", ett diarienummer']),
        ],
    },
}


@pytest.mark.parametrize("lang", ["da", "sv"])
def test_every_screen_speaks_the_language(tmp_path, tmux, lang):  # noqa: F811 - the fixture
    walk = WALKS[lang]
    db = tmp_path / "demo.json"
    sock = tmp_path / "tmux.sock"
    command = f"{walk['env']} {SECRETARY} --db {db}; tmux -S {sock} wait-for -S done; sleep 60"
    tmux.run("new-session", "-d", "-s", tmux.session, "-x", "80", "-y", "24", "sh", "-c", command)
    for key, expected in walk["steps"]:
        if key is not None:
            tmux.keys(key)
        shown = ""
        for text in expected:
            shown = tmux.wait_for(text)
        top, bottom = shown.splitlines()[0], shown.rstrip("\n").splitlines()[-1]
        for line in (top, bottom):
            assert not ENGLISH.search(line), f"English left on the {lang} screen after {key!r}: {line!r}"
        if key not in ("?", "/"):
            assert ("Hjælp" if lang == "da" else "Hjälp") in bottom and ("Afslut" if lang == "da" else "Avsluta") in bottom, bottom
    tmux.keys("Escape", "q")
