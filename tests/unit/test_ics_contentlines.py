"""exports/contentlines.py writes what icalendar reads back exactly (escaping, folding, UTF-8)."""

from __future__ import annotations

import icalendar
from hypothesis import given, settings
from hypothesis import strategies as st

from exports.contentlines import LIMIT, EventLines, fold
from exports.text import clean

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=400).map(clean)


@settings(max_examples=300, deadline=None)
@given(summary=TEXT, location=TEXT)
def test_text_round_trips_through_icalendar(summary, location):
    event = EventLines()
    event.text("UID", "x@y")
    event.text("SUMMARY", summary)
    event.text("LOCATION", location)
    raw = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n" + event.to_bytes() + b"END:VCALENDAR\r\n"
    for line in raw.split(b"\r\n"):
        assert len(line) <= LIMIT
        line.decode("utf-8")  # never a split UTF-8 sequence
    [parsed] = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    expected = lambda s: s.replace("\r\n", "\n").replace("\r", "\n")  # noqa: E731 - CR normalised to LF
    assert str(parsed["SUMMARY"]) == expected(summary)
    assert str(parsed["LOCATION"]) == expected(location)
    assert parsed.errors == []


def test_fold_keeps_short_lines_and_splits_long_ones_on_character_boundaries():
    assert fold("SUMMARY:kort") == b"SUMMARY:kort\r\n"
    folded = fold("SUMMARY:" + "ø" * 100)
    lines = folded.split(b"\r\n")
    assert all(len(line) <= LIMIT for line in lines)
    assert b"".join(line.removeprefix(b" ") for line in lines).decode() == "SUMMARY:" + "ø" * 100
