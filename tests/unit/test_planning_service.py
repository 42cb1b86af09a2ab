"""Planning through the service and the CLI on temporary databases: apply, idempotence, held meetings, problems."""

from __future__ import annotations

import datetime as dt
import json
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from secretary.cli.bootstrap import create_database, open_secretary
from secretary.domain.planning import PlanningProblem, plan_year
from secretary.domain.presets import load_preset
from secretary.services.facade import Secretary
from tests.conftest import db_files, run_cli
from tests.unit.planning_helpers import violations

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def sec(demo_db) -> Secretary:
    return open_secretary(demo_db, clock=lambda: NOW)


def test_apply_stores_planned_meetings_with_standing_items_then_nothing_more(sec):
    plan = sec.planning.plan(2028)
    stored = sec.planning.apply_plan(2028)
    assert len(stored) == len(plan.new) > 0
    assert {m.id for m in stored} == {p.meeting for p in plan.new}
    for meeting in stored:
        assert meeting.id == f"{meeting.body}-{meeting.start.date().isoformat()}"
        assert meeting.status == "planned"
        assert [i.kind for i in meeting.items] == ["approve_agenda", "approve_minutes", "any_other_business"]
        assert meeting.items[0].title == "Godkendelse af dagsorden"
        assert meeting.items[2].title == "Eventuelt"
        assert meeting.uid and meeting.last_modified
    before = db_files(sec.store.db.path)
    assert sec.planning.apply_plan(2028) == []
    assert db_files(sec.store.db.path) == before, "a second apply must not write a byte"
    again = sec.planning.plan(2028)
    assert again.new == ()
    assert {p.meeting for p in again.proposals} >= {m.id for m in stored}


def test_applied_years_in_a_row_keep_the_rules_across_new_year(ludvika_db):
    sec = open_secretary(ludvika_db, clock=lambda: NOW)
    for year in (2026, 2027, 2028):
        sec.planning.apply_plan(year)
    data = load_preset("ludvika")
    meetings = sec.records.meetings()
    by_body: dict[str, list[dt.date]] = {}
    for meeting in meetings:
        by_body.setdefault(meeting.body, []).append(meeting.start.date())
    for body_id, days in by_body.items():
        days.sort()
        gap = data.bodies[body_id].planning.min_gap_days
        assert all((b - a).days >= gap for a, b in pairwise(days)), body_id


def test_a_body_with_half_its_meetings_held_gets_only_the_rest(sec):
    held = [dt.datetime(2028, 1, 18, 9, tzinfo=CPH), dt.datetime(2028, 3, 21, 9, tzinfo=CPH)]
    later = open_secretary(sec.store.location, clock=lambda: dt.datetime(2028, 4, 1, tzinfo=dt.UTC))
    for start in held:  # held as the life has it: dispatched a week before, then held
        meeting = sec.agenda.schedule_meeting("dassos", start)
        later.agenda.dispatch(meeting.id, at=start - dt.timedelta(days=7))
        later.agenda.mark_held(meeting.id)
    sec.store.refresh()
    plan = sec.planning.plan(2028, "dassos")
    assert plan.problems == ()
    new = [p for p in plan.new if p.body == "dassos"]
    assert len(new) == 2  # 4 a year (the minimum of 4–5), 2 held
    assert all(p.day > dt.date(2028, 3, 21) for p in new), "the rest is spread over the rest of the year"
    assert all((b.day - a.day).days >= 49 for a, b in pairwise(plan.proposals))
    existing = [p for p in plan.proposals if p.status == "existing"]
    assert [p.reason.split(";")[0] for p in existing] == ["held", "held"]


def test_a_held_body_that_met_its_target_gets_nothing(sec):
    for month in (2, 4, 9, 11):
        sec.agenda.save_meeting(sec.agenda.schedule_meeting("kontaktudvalget", dt.datetime(2029, month, 6, 10, tzinfo=CPH)))
    plan = sec.planning.plan(2029, "kontaktudvalget")
    assert plan.new == ()
    assert any("already planned or held" in note for note in plan.notes)


def test_a_constraint_that_cannot_be_met_is_a_problem_and_apply_stores_nothing(tmp_path):
    data = load_preset("midtjylland")
    dassos = data.bodies["dassos"]
    data.bodies["dassos"] = dassos.replace(planning={**dassos.planning.model_dump(), "min_gap_days": 120})
    sec = create_database(tmp_path / "db.json", data, clock=lambda: NOW)
    plan = sec.planning.plan(2028)
    problems = [p for p in plan.problems if p.body == "dassos"]
    assert problems and problems[0].constraint == "cadence"
    assert "min_gap_days" in problems[0].causes
    assert "min_gap_days" in problems[0].message
    before = len(sec.records.meetings())
    with pytest.raises(PlanningProblem) as raised:
        sec.planning.apply_plan(2028)
    assert "min_gap_days" in str(raised.value)
    assert len(sec.records.meetings()) == before
    # The proposals that were possible still satisfy every rule: never a silent violation.
    assert [v for v in violations(plan, data.bodies, list(data.memberships.values())) if v.involves_proposal] == []


def test_a_conflict_between_existing_meetings_is_reported(sec):
    sec.agenda.save_meeting(sec.agenda.schedule_meeting("fu", dt.datetime(2028, 5, 2, 13, tzinfo=CPH)))
    sec.agenda.save_meeting(sec.agenda.schedule_meeting("dassos", dt.datetime(2028, 5, 4, 9, tzinfo=CPH)))
    plan = sec.planning.plan(2028)
    before = [p for p in plan.problems if p.constraint == "before"]
    assert before and before[0].bodies == ("fu", "dassos")
    assert "2 days after" in before[0].message


def test_body_filter_narrows_the_plan_and_unknown_body_is_an_error(sec):
    whole = sec.planning.plan(2028)
    fu = sec.planning.plan(2028, "fu")
    assert fu.proposals == tuple(p for p in whole.proposals if p.body == "fu")
    from secretary.domain.errors import NotFound

    with pytest.raises(NotFound):
        sec.planning.plan(2028, "nobody")


def test_plan_year_is_pure_and_takes_injected_days_off():
    data = load_preset("ludvika")
    every_tuesday_off = lambda country, year: {  # noqa: E731
        dt.date(year, 1, 1) + dt.timedelta(days=k): "Tuesday off"
        for k in range(366)
        if (dt.date(year, 1, 1) + dt.timedelta(days=k)).isoweekday() == 2
    }
    plan = plan_year(2027, data.bodies.values(), [], data.memberships.values(), days_off=every_tuesday_off)
    assert plan.new and all(p.day.isoweekday() != 2 for p in plan.new)


# -- the command line ---------------------------------------------------------------------


def test_cli_plan_json_apply_twice(demo_db):
    first = run_cli("plan", "2028", "--apply", "--json", "--db", str(demo_db))
    assert first.returncode == 0, first.stderr.decode()
    entries = json.loads(first.stdout)
    assert entries and all(set(e) == {"body", "start", "end", "status", "reason"} for e in entries)
    assert all(dt.datetime.fromisoformat(e["start"]).utcoffset() is not None for e in entries)
    proposed = sum(1 for e in entries if e["status"] == "proposed")
    assert f"stored {proposed} planned meetings".encode() in first.stderr
    second = run_cli("plan", "2028", "--apply", "--db", str(demo_db))
    assert second.returncode == 0
    assert b"stored 0 planned meetings" in second.stderr
    assert b"existing" in second.stdout and b"proposed  " not in second.stdout


def test_cli_plan_problem_exits_1_and_names_the_constraint(tmp_path):
    data = load_preset("ludvika")
    body = data.bodies["mentorsgrupp"]
    data.bodies["mentorsgrupp"] = body.replace(planning={**body.planning.model_dump(), "weekdays": [6]},
                                               cadence={"kind": "per_year", "min": 60, "max": 60})
    create_database(tmp_path / "db.json", data)
    result = run_cli("plan", "2027", "--apply", "--db", str(tmp_path / "db.json"))
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "[cadence]" in err and "min_gap_days" in err and "nothing was stored" in err
    assert "Traceback" not in err
    listed = run_cli("meetings", "--year", "2027", "--json", "--db", str(tmp_path / "db.json"))
    assert json.loads(listed.stdout)["meetings"] == []


def test_cli_plan_rejects_a_bad_year(demo_db):
    result = run_cli("plan", "20x7", "--db", str(demo_db))
    assert result.returncode == 2
