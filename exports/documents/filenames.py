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


def _suffix(meeting: Meeting, public: bool, L: dict[str, str], closed: bool | None = None) -> list[str]:
    """'offentlig' for a public version; 'med-lukkede-punkter' for a full version holding closed items."""
    if public:
        return [L["public_file"]]
    if closed if closed is not None else any(not item.public for item in meeting.items):
        return [L["internal_file"]]
    return []


def document_filename(meeting: Meeting, body: Body, kind: str, public: bool) -> str:
    """E.g. 'DASSOS-2026-10-08-dagsorden.docx', 'SUN-2027-03-04-protokoll-offentlig.docx' or
    'DASSOS-2026-10-08-referat-med-lukkede-punkter.docx' (a full version that holds closed items).

    `kind` is 'agenda' or 'minutes'; the words are the body's language.
    """
    L = labels(body.language)
    parts = [safe_stem(body.abbreviation or body.name, body.id), meeting.start.date().isoformat(), L[f"{kind}_file"]]
    parts += _suffix(meeting, public, L)
    return "-".join(parts) + ".docx"


def extract_filename(meeting: Meeting, body: Body, number: str, public: bool, closed: bool) -> str:
    """E.g. 'SUN-2027-03-04-protokollsutdrag-paragraf-9.docx', 'DASSOS-2026-10-08-beslutningsudskrift-punkt-5.docx'."""
    L = labels(body.language)
    parts = [safe_stem(body.abbreviation or body.name, body.id), meeting.start.date().isoformat(), L["extract_file"],
             L["extract_item_file"], safe_stem(number.replace("§", ""), "x")]
    parts += _suffix(meeting, public, L, closed)
    return "-".join(parts) + ".docx"
