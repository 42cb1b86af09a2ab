"""exports/text.py: the one sanitizer shared by every exporter."""

from __future__ import annotations

from exports.text import clean


def test_clean_removes_what_xml_and_icalendar_cannot_carry():
    assert clean("a\x00b\x07c\x0bd\x0ce\x1ff") == "abcdef"
    assert clean("x\ufffey\uffffz") == "xyz"
    assert clean("lone \ud800 surrogate") == "lone  surrogate"


def test_clean_keeps_tab_newline_carriage_return_and_all_other_text():
    text = "Æble\tøre\nå\r\nÄö – “quotes” € 😀 \u2028"
    assert clean(text) == text
