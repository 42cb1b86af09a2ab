"""Bodies and meetings for the tests of the meeting's life (secretary/domain/life.py)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from secretary.domain import life
from secretary.domain.agenda_rules import standing_agenda
from secretary.domain.model import Body, Item, Meeting

CPH, STO = ZoneInfo("Europe/Copenhagen"), ZoneInfo("Europe/Stockholm")
ACTOR = "Sekretær Sofie"

DA = Body(id="dassos", name="DASSOS", kind="administrative", language="da", timezone="Europe/Copenhagen")
SV = Body(id="sun", name="Social- och utbildningsnämnden", abbreviation="SUN", kind="political", language="sv",
          timezone="Europe/Stockholm", minutes_office="Stadshuset, Ludvika")


def at(day: dt.date | str, hour: int = 9, minute: int = 0, tz=CPH) -> dt.datetime:
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def meeting(body: Body = DA, day: str = "2027-03-04", ident: str | None = None, extra_items: int = 2) -> Meeting:
    tz = CPH if body.language != "sv" else STO
    ident = ident or f"{body.id}-{day}"
    items = standing_agenda(ident, body.language)
    for n in range(extra_items):
        items.insert(len(items) - 1, {"id": f"{ident}-x{n}", "title": f"Sag {n}", "kind": "decision"})
    for n, item in enumerate(items, 1):
        item["number"] = str(n)
    return Meeting.model_validate(
        {"id": ident, "body": body.id, "start": at(day, 9, tz=tz), "end": at(day, 12, tz=tz), "location": "Rådhuset",
         "items": [Item.model_validate(i) for i in items]},
        strict=False,
    )


def held(body: Body = DA, day: str = "2027-03-04", **kwargs) -> Meeting:
    """A meeting dispatched a week before and held on its day."""
    tz = CPH if body.language != "sv" else STO
    m = meeting(body, day, **kwargs)
    m = life.dispatch(m, body, at=m.start - dt.timedelta(days=7), actor=ACTOR)
    return life.mark_held(m, body, at=at(day, 12, 30, tz=tz), actor=ACTOR)


def drafted(body: Body = DA, day: str = "2027-03-04", **kwargs) -> Meeting:
    m = held(body, day, **kwargs)
    return life.draft_minutes(m, body, at=m.end + dt.timedelta(hours=2), actor=ACTOR)
