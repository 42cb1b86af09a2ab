"""Pure rules of an agenda: the standing items, numbering, the Swedish paragraphs (§).

Moved here from secretary/services/agenda.py, which imports them: the meeting's
life (secretary/domain/life.py) and the documents need them without a service.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from secretary.domain.model import Item, Meeting

# The standing items every new meeting starts with, in the body's language.
# A Swedish nämnd chooses its justerare at the meeting ("Val av justerare"), first
# on the list; the item is a decision like any other (no kind of its own yet).
STANDING_ITEMS: dict[str, tuple[tuple[str, str], ...]] = {
    "da": (
        ("approve_agenda", "Godkendelse af dagsorden"),
        ("approve_minutes", "Godkendelse af referat fra sidste møde"),
        ("any_other_business", "Eventuelt"),
    ),
    "sv": (
        ("decision", "Val av justerare"),
        ("approve_agenda", "Godkännande av dagordning"),
        ("approve_minutes", "Justering av föregående protokoll"),
        ("any_other_business", "Övriga frågor"),
    ),
    "en": (
        ("approve_agenda", "Approval of the agenda"),
        ("approve_minutes", "Approval of the minutes of the last meeting"),
        ("any_other_business", "Any other business"),
    ),
}

ELECT_ADJUSTERS = "Val av justerare"


# The item a meeting prepared from the last one gets for that meeting's open actions.
FOLLOW_UP_TITLES = {"da": "Opfølgning på aktioner fra sidste møde", "sv": "Uppföljning av åtgärder från föregående möte",
                    "en": "Follow-up of actions from the last meeting"}


def standing_agenda(meeting_id: str, language: str) -> list[dict]:
    """The standing items of a new meeting, numbered, as item fields for the model."""
    return [
        {"id": f"{meeting_id}-s{n}", "number": str(n), "title": text, "kind": kind}
        for n, (kind, text) in enumerate(STANDING_ITEMS[language], 1)
    ]


def template_agenda(meeting_id: str, template) -> list[dict]:
    """A body's agenda template (`Body.agenda_template`) as the numbered items of a new meeting."""
    return [
        {"id": f"{meeting_id}-s{n}", "number": str(n), "title": item.title.strip(), "kind": item.kind, "public": item.public}
        for n, item in enumerate(template, 1)
    ]


def renumber(items: list[Item]) -> list[Item]:
    """Items numbered 1, 2, 3 … in their order."""
    return [item if item.number == str(n) else item.replace(number=str(n)) for n, item in enumerate(items, 1)]


def insert_before_aob(items: list[Item], item: Item) -> list[Item]:
    """Add an item at the end, but before a trailing 'any other business'."""
    items = list(items)
    at = len(items)
    if items and items[-1].kind == "any_other_business":
        at -= 1
    items.insert(at, item)
    return items


# -- Swedish paragraphs (§) ------------------------------------------------------------

_PARAGRAPH = re.compile(r"^§ ([1-9][0-9]{0,5})$")


def paragraph_value(number: int) -> str:
    """The stored form of a frozen paragraph number: '§ 12'."""
    return f"§ {number}"


def paragraph_int(value: str) -> int | None:
    """12 for '§ 12'; None for anything else."""
    match = _PARAGRAPH.match(value)
    return int(match.group(1)) if match else None


def _earlier(meeting: Meeting, others: Iterable[Meeting]) -> list[Meeting]:
    return sorted(
        (
            other
            for other in others
            if other.id != meeting.id
            and other.body == meeting.body
            and other.status != "cancelled"
            and other.start.year == meeting.start.year
            and (other.start, other.id) < (meeting.start, meeting.id)
        ),
        key=lambda m: (m.start, m.id),
    )


def paragraph_offset(meeting: Meeting, year_meetings: Iterable[Meeting]) -> int:
    """The last paragraph number the body's earlier meetings of the year used.

    §§ run through the calendar year per body. A meeting whose §§ are frozen
    (justerat protokoll) counts with its frozen numbers: cancelling an earlier
    meeting does not move them, and later meetings continue after them.
    """
    used = 0
    for other in _earlier(meeting, year_meetings):
        frozen = [n for n in map(paragraph_int, other.minutes.paragraphs.values()) if n is not None]
        used += len(other.items)
        if frozen:
            used = max(used, max(frozen))
    return used


def paragraph_numbers(meeting: Meeting, year_meetings: Iterable[Meeting]) -> dict[str, str]:
    """Every item's paragraph ('§ 12') by item id: the frozen number when there is one.

    Items without a frozen number (an item added after a protokoll was reopened)
    continue after the meeting's highest frozen number, or after the earlier
    meetings' paragraphs when nothing is frozen.
    """
    frozen = meeting.minutes.paragraphs
    known = [n for n in map(paragraph_int, frozen.values()) if n is not None]
    following = max(known) if known else paragraph_offset(meeting, year_meetings)
    numbers: dict[str, str] = {}
    for item in meeting.items:
        if item.id in frozen:
            numbers[item.id] = frozen[item.id]
        else:
            following += 1
            numbers[item.id] = paragraph_value(following)
    return numbers
