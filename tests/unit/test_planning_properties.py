"""Property tests: with random cadences, preferences, relations, seats and existing meetings,
the plan either satisfies every constraint or names the constraint it cannot meet."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secretary.domain.model import Body, Meeting, Membership
from secretary.domain.planning import CONSTRAINTS, plan_year
from tests.unit.planning_helpers import shortfalls, violations

YEAR = 2027
IDS = ("b0", "b1", "b2", "b3")


@st.composite
def bodies_and_data(draw):
    count = draw(st.integers(1, 4))
    ids = IDS[:count]
    bodies = []
    for body_id in ids:
        kind = draw(st.sampled_from(["per_year", "per_year", "monthly", "per_term", "as_needed"]))
        cadence: dict = {"kind": kind}
        if kind == "per_year":
            low = draw(st.integers(0, 14))
            cadence.update(min=low, max=low + draw(st.integers(0, 3)))
        elif kind == "per_term" and draw(st.booleans()):
            low = draw(st.sampled_from([2, 3, 4]))
            cadence.update(min=low, max=low)
        others = [o for o in ids if o != body_id]
        relation = draw(st.sampled_from([None, *others])) if others else None
        decides = draw(st.booleans())
        bodies.append(
            Body.model_validate(
                {
                    "id": body_id,
                    "name": f"Body {body_id}",
                    "abbreviation": body_id.upper(),
                    "kind": "administrative",
                    "language": draw(st.sampled_from(["da", "sv", "en"])),
                    "timezone": draw(st.sampled_from(["Europe/Copenhagen", "Europe/Stockholm"])),
                    "reports_to": relation if not decides else None,
                    "decides_on_behalf_of": relation if decides else None,
                    "cadence": cadence,
                    "planning": {
                        "weekdays": sorted(draw(st.sets(st.integers(1, 7), min_size=1, max_size=7))),
                        "start_time": f"{draw(st.integers(0, 23)):02d}:{draw(st.sampled_from([0, 30])):02d}",
                        "duration_minutes": draw(st.sampled_from([30, 60, 120, 180, 300])),
                        "excluded_months": sorted(draw(st.sets(st.integers(1, 12), max_size=12))),
                        "min_gap_days": draw(st.integers(0, 120)),
                    },
                }
            )
        )
    seats = []
    for body in bodies:
        if draw(st.booleans()):  # an organisation seat shared by the bodies that draw it
            seats.append(Membership(id=f"{body.id}-org", body=body.id, organisation="org", start=dt.date(2020, 1, 1)))
        if draw(st.booleans()):  # a person who leaves mid-year
            seats.append(Membership(id=f"{body.id}-p", body=body.id, person="anna", start=dt.date(2020, 1, 1),
                                    end=dt.date(YEAR, draw(st.integers(1, 12)), 1)))
    meetings = []
    for body in bodies:
        for n in range(draw(st.integers(0, 3))):
            day = dt.date(YEAR + draw(st.sampled_from([-1, 0, 0, 0, 1])), 1, 1) + dt.timedelta(days=draw(st.integers(0, 364)))
            start = dt.datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo(body.timezone))
            meetings.append(
                Meeting(
                    id=f"{body.id}-x{n}",
                    body=body.id,
                    start=start,
                    end=start + dt.timedelta(hours=2),
                    status=draw(st.sampled_from(["planned", "held", "cancelled"])),
                )
            )
    return bodies, meetings, seats, draw(st.sampled_from([0, 7, 14]))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies_and_data())
def test_every_constraint_holds_or_a_problem_names_it(case):
    bodies, meetings, seats, lead = case
    plan = plan_year(YEAR, bodies, meetings, seats, before_days=lead)
    known = {b.id: b for b in bodies}

    assert all(p.constraint in CONSTRAINTS for p in plan.problems)
    assert all(set(p.causes) <= set(CONSTRAINTS) for p in plan.problems)

    found = violations(plan, known, seats, before_days=lead)
    # A proposal never breaks a rule; a conflict among existing meetings is always named.
    assert [v for v in found if v.involves_proposal] == []
    for violation in found:
        assert any(
            p.constraint == violation.constraint and all(p.involves(b) for b in violation.bodies) for p in plan.problems
        ), violation

    # A cadence the plan does not reach is a cadence problem that says what ruled the days out.
    for body_id in shortfalls(plan, known):
        named = [p for p in plan.problems if p.body == body_id and p.constraint == "cadence"]
        assert named, body_id
        assert all(p.causes for p in named if "cannot place" in p.message)

    if not plan.problems:
        assert found == [] and shortfalls(plan, known) == []

    # Existing meetings are kept as they are; cancelled ones are not in the plan.
    listed = {p.meeting for p in plan.proposals if p.status == "existing"}
    expected = {
        m.id for m in meetings
        if m.status != "cancelled" and m.start.astimezone(ZoneInfo(known[m.body].timezone)).year == YEAR
    }
    assert listed == expected

    # Deterministic.
    assert plan_year(YEAR, list(reversed(bodies)), list(reversed(meetings)), seats, before_days=lead) == plan
