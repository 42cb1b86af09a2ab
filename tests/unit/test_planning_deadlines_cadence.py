"""Deadlines per meeting, the cadence check and the days off the planner keeps."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from secretary.domain.cadence import cadence_status, target_range
from secretary.domain.deadlines import deadlines
from secretary.domain.model import Meeting
from secretary.domain.presets import load_preset
from secretary.domain.workdays import day_off, days_off

CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture(scope="module")
def midt():
    return load_preset("midtjylland")


def meeting(body: str, start: dt.datetime, status: str = "planned", ident: str | None = None, **extra) -> Meeting:
    return Meeting(id=ident or f"{body}-{start.date().isoformat()}", body=body, start=start,
                   end=start + dt.timedelta(hours=2), status=status, **extra)


def test_deadlines_follow_the_body_rules(midt):
    dassos = midt.bodies["dassos"].replace(deadlines={"items_due_days": 21, "agenda_dispatch_days": 8, "minutes_due_days": 10})
    found = deadlines(meeting("dassos", dt.datetime(2027, 3, 11, 9, tzinfo=CPH)), dassos)
    assert [(d.kind, d.due) for d in found] == [
        ("items_due", dt.date(2027, 2, 18)),
        ("agenda_dispatch", dt.date(2027, 3, 3)),
        ("minutes_due", dt.date(2027, 3, 21)),
    ]
    assert [d.label() for d in found] == ["Frist for punkter", "Udsendelse af dagsorden", "Frist for referat"]
    assert found[0].label("sv") == "Sista dag för ärenden"
    assert not any(d.done for d in found)
    assert found[0].overdue(dt.date(2027, 2, 19)) and not found[0].overdue(dt.date(2027, 2, 18))


def test_deadlines_use_the_day_in_the_body_time_zone(midt):
    # 23:30 UTC on 31 January is 00:30 on 1 February in Copenhagen.
    late = meeting("dassos", dt.datetime(2027, 1, 31, 23, 30, tzinfo=dt.UTC))
    found = deadlines(late, midt.bodies["dassos"])
    assert found[2].due == dt.date(2027, 2, 15)  # 1 February + 14


def test_deadlines_done_and_cancelled(midt):
    body = midt.bodies["fu"]
    start = dt.datetime(2027, 5, 4, 13, tzinfo=CPH)
    held = meeting("fu", start, "held", minutes={"status": "sent"})
    assert all(d.done for d in deadlines(held, body))
    invited = meeting("fu", start, "invited")
    assert [d.done for d in deadlines(invited, body)] == [True, True, False]
    assert deadlines(meeting("fu", start, "cancelled"), body) == []
    with pytest.raises(ValueError):
        deadlines(held, midt.bodies["dassos"])


def test_cadence_status_counts_against_the_target(midt):
    dassos = midt.bodies["dassos"]
    meetings = [
        meeting("dassos", dt.datetime(2027, 1, 14, 9, tzinfo=CPH), "held"),
        meeting("dassos", dt.datetime(2027, 4, 14, 9, tzinfo=CPH), "invited"),
        meeting("dassos", dt.datetime(2027, 6, 14, 9, tzinfo=CPH), "planned"),
        meeting("dassos", dt.datetime(2027, 9, 14, 9, tzinfo=CPH), "cancelled"),
        meeting("dassos", dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC), "held", ident="dassos-newyear"),  # 2027 locally
        meeting("dassos", dt.datetime(2028, 1, 14, 9, tzinfo=CPH)),
        meeting("fu", dt.datetime(2027, 2, 14, 9, tzinfo=CPH)),
    ]
    status = cadence_status(dassos, meetings, 2027)
    assert (status.held, status.planned, status.cancelled) == (2, 2, 1)
    assert str(status) == "DASSOS: 4 of 4–5"
    assert status.state == "met" and status.missing == 0
    assert status.detail() == "DASSOS: 4 of 4–5 (2 held, 2 planned, 1 cancelled)"
    short = cadence_status(dassos, meetings[:2], 2027)
    assert str(short) == "DASSOS: 2 of 4–5" and short.state == "below" and short.missing == 2
    ku = cadence_status(midt.bodies["kontaktudvalget"], [], 2027)
    assert str(ku) == "Kontaktudvalget: 0 of 4"
    takst = cadence_status(midt.bodies["takstgruppen"], [meeting("takstgruppen", dt.datetime(2027, 2, 10, 10, tzinfo=CPH))], 2027)
    assert str(takst) == "Takstgruppen: 1 (as needed)" and takst.state == "as_needed"


def test_monthly_target_counts_the_months_the_body_may_meet_in():
    ludvika = load_preset("ludvika")
    hvb = ludvika.bodies["hvb-ifo"]
    assert target_range(hvb) == (11, 11)
    no_summer = hvb.replace(planning={**hvb.planning.model_dump(), "excluded_months": [7, 8]})
    assert target_range(no_summer) == (10, 10)
    assert target_range(ludvika.bodies["vinr-natverk"]) == (2, 2)
    assert target_range(ludvika.bodies["kf"]) is None


def test_days_off_include_the_danish_and_swedish_days_off_in_practice():
    dk = days_off("DK", 2027)
    for day in (dt.date(2027, 6, 5), dt.date(2027, 12, 24), dt.date(2027, 12, 31), dt.date(2027, 3, 25), dt.date(2027, 5, 6)):
        assert day in dk, day  # Grundlovsdag, juleaften, nytårsaften, skærtorsdag, Kristi himmelfart
    assert dt.date(2027, 4, 23) not in dk  # store bededag was abolished from 2024
    se = days_off("SE", 2027)
    assert day_off("SE", dt.date(2027, 6, 25)) == "Midsummer Eve"
    assert dt.date(2027, 6, 6) in se and dt.date(2027, 12, 24) in se
    assert not any(day.isoweekday() == 7 and name == "Sunday" for day, name in se.items())
    assert day_off("DK", dt.date(2027, 3, 10)) is None
