"""The one text sanitizer every exporter shares (Word, iCalendar, SVG, HTML).

Removed everywhere: what XML 1.0 and iCalendar cannot carry (C0 controls other
than tab, newline and carriage return, U+FFFE/U+FFFF, lone surrogates), the C1
controls U+0080–U+009F (never text, often the trace of a wrong decoding) and
the bidirectional embedding, override and isolate controls U+202A–U+202E and
U+2066–U+2069, which can make a line read differently from what it holds
("Trojan Source"). Right-to-left text itself is kept: the documents set its
paragraphs right-to-left from the letters, not from hidden controls.
"""

from __future__ import annotations

import re

_UNCARRIABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x80-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """`text` without the characters XML 1.0 and iCalendar cannot carry, C1 controls and bidi overrides."""
    return _UNCARRIABLE.sub("", text)
