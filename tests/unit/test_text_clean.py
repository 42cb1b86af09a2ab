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


def test_clean_removes_c1_controls_and_bidi_overrides_but_keeps_right_to_left_letters():
    assert clean("a\x80b\x85c\x9fd") == "abcd"
    for control in [*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))]:
        assert clean(f"x{control}y") == "xy", f"U+{ord(control):04X}"
    # The neighbours survive: U+2029 (paragraph separator), U+202F (narrow no-break space), U+206A…
    assert clean("\u2029\u202f\u206a") == "\u2029\u202f\u206a"
    assert clean("مرحبا שלום") == "مرحبا שלום"
    assert clean("\u00a0é") == "\u00a0é"  # U+00A0 begins Latin-1 proper
