"""What a public output may show of an item: one rule for every public output.

Public documents (agenda, minutes, extracts), the calendar feeds and the published
site all name items through `public_heading` (or `public_title`), so a closed
item's own title, which often names a person ("Tilsynssag vedr. borger … (Jens
Peter Hansen, f. 1987)"), never reaches any of them. A closed item shows its
number and its public title ("Personalesag", "Ärende enligt SoL") or, without
one, only the closed-item notice of the language.
"""

from __future__ import annotations

from secretary.domain.model import Item

CLOSED_NOTICE = {"da": "Lukket punkt", "sv": "Ärendet är sekretessbelagt", "en": "Closed item"}


def closed_notice(language: str) -> str:
    """"Lukket punkt" / "Ärendet är sekretessbelagt" / "Closed item" (English for an unknown language)."""
    return CLOSED_NOTICE.get(language, CLOSED_NOTICE["en"])


def public_title(item: Item, language: str) -> str:
    """The title a public output may print: an open item's own title; a closed item's public
    title, or the closed-item notice when it has none."""
    if item.public:
        return item.title
    shown = (item.public_title or "").strip()
    return shown or closed_notice(language)


def public_heading(item: Item, language: str, number: str | None = None) -> str:
    """The item's public heading: number and public title ("5. Personalesag", "§ 9 Ärendet är
    sekretessbelagt", "5. Lukket punkt"); `number` defaults to the item's own, and a Swedish
    paragraph ("§ 9") is followed by a space rather than a full stop."""
    shown = public_title(item, language)
    number = item.number if number is None else number
    if not number:
        return shown
    if number.startswith("§"):
        return f"{number} {shown}"
    return f"{number}. {shown}"


def shown_title(item: Item, language: str, public: bool) -> str:
    """The title a document prints: the item's own in an internal (full) version, the public one otherwise."""
    return public_title(item, language) if public else item.title
