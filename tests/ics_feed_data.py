"""A small dataset for the calendar feed tests: a Danish and a Swedish body,
summer and winter meetings in both zones, a closed item with secrets, a
cancelled meeting, a person with a bounded seat and an organisation seat."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from secretary.domain.interchange import Dataset
from secretary.domain.model import Body, Item, Meeting, Membership, Milestone, Organisation, Person

CPH = ZoneInfo("Europe/Copenhagen")
STO = ZoneInfo("Europe/Stockholm")
STAMP = dt.datetime(2026, 1, 5, 8, 30, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 2, 1, 12, 0, tzinfo=dt.UTC)

SECRET_TITLE = "Personsag XYZZY-TITLE"
SECRET_BACKGROUND = "Baggrund XYZZY-BACKGROUND"
SECRET_DECISION = "Beslutning XYZZY-DECISION"
SECRET_REASON = "XYZZY-REASON"
SECRETS = (SECRET_TITLE, SECRET_BACKGROUND, SECRET_DECISION, SECRET_REASON, "XYZZY")


def _items(prefix: str) -> list[Item]:
    return [
        Item(id=f"{prefix}-1", number="1", title="Godkendelse af dagsorden", kind="approve_agenda"),
        Item(id=f"{prefix}-2", number="2", title="Rammeaftale 2027-28, udkast", background="Offentlig baggrund"),
        Item(
            id=f"{prefix}-3",
            number="3",
            title=SECRET_TITLE,
            public=False,
            closed_reason=SECRET_REASON,
            background=SECRET_BACKGROUND,
            decision=SECRET_DECISION,
            recommendation="XYZZY-RECOMMENDATION",
        ),
        Item(id=f"{prefix}-4", number="4", title="Eventuelt", kind="any_other_business"),
    ]


def meeting(mid: str, body: str, start: dt.datetime, hours: int = 3, **fields) -> Meeting:
    values = dict(
        id=mid,
        body=body,
        start=start,
        end=start + dt.timedelta(hours=hours),
        location="Viborg Rådhus, lokale M1" if body == "dk" else "Ludvika, Stadshuset",
        items=_items(mid),
        uid=f"uid-{mid}@example.org",
        sequence=0,
        last_modified=STAMP,
    )
    values.update(fields)
    return Meeting(**values)


def bodies() -> dict[str, Body]:
    return {
        "dk": Body(id="dk", name="Dansk styregruppe", abbreviation="DASSOS", kind="administrative",
                   language="da", timezone="Europe/Copenhagen"),
        "se": Body(id="se", name="Samverkansforum", abbreviation="SVF", kind="network",
                   language="sv", timezone="Europe/Stockholm"),
    }


def meetings() -> dict[str, Meeting]:
    found = [
        meeting("dk-winter", "dk", dt.datetime(2026, 1, 14, 9, 0, tzinfo=CPH)),
        meeting("dk-summer", "dk", dt.datetime(2026, 6, 10, 9, 0, tzinfo=CPH)),
        meeting("se-winter", "se", dt.datetime(2026, 2, 11, 13, 0, tzinfo=STO), title="Vinter"),
        meeting("se-summer", "se", dt.datetime(2026, 8, 19, 13, 0, tzinfo=STO)),
        meeting("dk-cancelled", "dk", dt.datetime(2026, 3, 4, 9, 0, tzinfo=CPH), status="cancelled", sequence=1),
    ]
    return {m.id: m for m in found}


def dataset() -> Dataset:
    data = Dataset()
    data.organisations = {"kommune": Organisation(id="kommune", name="Kommunen", kind="municipality", country="DK")}
    data.bodies = bodies()
    data.people = {
        "anna": Person(id="anna", name="Anna Andersen"),
        "bo": Person(id="bo", name="Bo Berg"),
    }
    data.memberships = {
        # Anna sits in the Danish body from March (not the January meeting) and in the Swedish one all year.
        "dk-anna": Membership(id="dk-anna", body="dk", person="anna", start=dt.date(2026, 3, 1)),
        "se-anna": Membership(id="se-anna", body="se", person="anna", start=dt.date(2025, 1, 1),
                              end=dt.date(2026, 12, 31)),
        "dk-kommune": Membership(id="dk-kommune", body="dk", organisation="kommune", start=dt.date(2020, 1, 1)),
    }
    data.meetings = meetings()
    data.milestones = {
        "ms-yearly": Milestone(id="ms-yearly", title="Årsrapport", body="dk", month=5, day=1, recurs="yearly"),
    }
    return data
