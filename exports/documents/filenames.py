"""Safe file names for documents: body abbreviation + date + kind, never a path."""

from __future__ import annotations

import re
import unicodedata

from exports.documents.labels import labels
from secretary.domain.model import Body, Meeting

_UNSAFE = re.compile(r"[^\w.-]+")
_DASHES = re.compile(r"-{2,}")


def safe_stem(value: str, fallback: str) -> str:
    """Letters (å, ø, ä included), digits, '-', '_' and '.': no separators, no leading dot."""
    stem = _UNSAFE.sub("-", unicodedata.normalize("NFC", value))
    stem = _DASHES.sub("-", stem).strip("-._")[:60].strip("-._")
    return stem or fallback


def document_filename(meeting: Meeting, body: Body, kind: str, public: bool) -> str:
    """E.g. 'DASSOS-2026-10-08-dagsorden.docx' or 'SUN-2027-03-04-protokoll-offentlig.docx'.

    `kind` is 'agenda' or 'minutes'; the words are the body's language.
    """
    L = labels(body.language)
    parts = [safe_stem(body.abbreviation or body.name, body.id), meeting.start.date().isoformat(), L[f"{kind}_file"]]
    if public:
        parts.append(L["public_file"])
    return "-".join(parts) + ".docx"
