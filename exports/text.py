"""The one text sanitizer every exporter shares (Word, iCalendar, HTML)."""

from __future__ import annotations

import re

# XML 1.0 and iCalendar cannot carry C0 controls other than tab, newline and
# carriage return, nor U+FFFE/U+FFFF, nor lone surrogates.
_UNCARRIABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """`text` without the characters XML 1.0 and iCalendar cannot carry."""
    return _UNCARRIABLE.sub("", text)
