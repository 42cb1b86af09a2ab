"""The planner on the two presets over 2026–2030: every rule holds, checked independently."""

from __future__ import annotations

import datetime as dt

import pytest

from secretary.domain.planning import plan_year
from secretary.domain.presets import load_preset
from tests.unit.planning_helpers import is_day_off, required, shortfalls, violations

YEARS = range(2026, 2031)


@pytest.fixture(scope="module")
def presets():
    return {name: load_preset(name) for name in ("midtjylland", "ludvika")}


def plan_for(data, year, **options):
    return plan_year(year, data.bodies.values(), data.meetings.values(), data.memberships.values(), **options)


@pytest.mark.parametrize("preset", ["midtjylland", "ludvika"])
@pytest.mark.parametrize("year", YEARS)
def test_preset_plans_meet_every_constraint(presets, preset, year):
    data = presets[preset]
    plan = plan_for(data, year)
    assert plan.problems == ()
    assert plan.new, "a preset year with cadence bodies needs proposals"
    assert violations(plan, data.bodies, list(data.memberships.values())) == []
    assert shortfalls(plan, data.bodies) == []
    for proposal in plan.new:
        body = data.bodies[proposal.body]
        assert proposal.day.year == year
        assert proposal.day.isoweekday() <= 5, "no weekend: every preset body meets on weekdays"
        assert proposal.day.month not in body.planning.excluded_months
        assert not is_day_off(body, proposal.day)
        local = proposal.start.astimezone(proposal.start.tzinfo)
        assert local.strftime("%H:%M") == body.planning.start_time
        assert str(proposal.start.tzinfo) == body.timezone
        assert proposal.reason


@pytest.mark.parametrize("preset", ["midtjylland", "ludvika"])
def test_per_year_bodies_get_exactly_the_minimum_and_as_needed_bodies_nothing(presets, preset):
    data = presets[preset]
    plan = plan_for(data, 2028)
    for body in data.bodies.values():
        count = sum(1 for p in plan.proposals if p.body == body.id)
        if body.cadence.kind == "per_year":
            assert count == body.cadence.min, body.id
        elif body.cadence.kind == "as_needed":
            assert not [p for p in plan.new if p.body == body.id]
            assert any(note.startswith(f"[{body.id}]") and "as needed" in note for note in plan.notes)
        elif body.cadence.kind == "monthly":
            months = {p.day.month for p in plan.proposals if p.body == body.id}
            assert months == set(range(1, 13)) - set(body.planning.excluded_months)
        else:
            assert required(body) == {"spring": 1, "autumn": 1}
            terms = sorted("spring" if p.day.month <= 6 else "autumn" for p in plan.proposals if p.body == body.id)
            assert terms == ["autumn", "spring"]


def test_fu_meets_before_dassos_aligned_to_the_lead(presets):
    data = presets["midtjylland"]
    plan = plan_for(data, 2028)
    dassos = sorted(p.day for p in plan.proposals if p.body == "dassos")
    for fu in (p for p in plan.new if p.body == "fu"):
        following = [d for d in dassos if d >= fu.day]
        assert following and (following[0] - fu.day).days >= 7
        assert "before DASSOS" in fu.reason


def test_a_longer_lead_is_respected(presets):
    data = presets["midtjylland"]
    plan = plan_for(data, 2029, before_days=21)
    assert plan.problems == ()
    assert violations(plan, data.bodies, list(data.memberships.values()), before_days=21) == []


def test_existing_meetings_are_listed_and_counted(presets):
    data = presets["midtjylland"]
    plan = plan_for(data, 2027)
    existing = {p.meeting for p in plan.proposals if p.status == "existing"}
    assert existing == {"dassos-2027-01-14", "takstgruppen-2027-02-10", "fu-2027-03-03"}
    assert sum(1 for p in plan.proposals if p.body == "dassos") == 4
    assert sum(1 for p in plan.new if p.body == "fu") == 1


def test_the_plan_is_deterministic(presets):
    data = presets["ludvika"]
    first = plan_for(data, 2027)
    reordered = plan_year(
        2027,
        reversed(list(data.bodies.values())),
        reversed(list(data.meetings.values())),
        reversed(list(data.memberships.values())),
    )
    assert first == reordered
    assert first.as_json() == plan_for(data, 2027).as_json()


def test_json_objects_have_the_issue_shape(presets):
    plan = plan_for(presets["midtjylland"], 2027)
    for entry in plan.as_json():
        assert set(entry) == {"body", "start", "end", "status", "reason"}
        assert entry["status"] in ("proposed", "existing")
        start = dt.datetime.fromisoformat(entry["start"])
        assert start.utcoffset() is not None
