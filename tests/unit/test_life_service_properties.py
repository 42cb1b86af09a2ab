"""Property: random sequences of steps and edits through `sec.agenda` (the path the TUI and the CLI
take) never store a meeting that breaks a guard of its life; a refused step writes nothing; the
content of approved minutes changes only by recorded amendments; a dispatched or held meeting
is never deleted."""

from __future__ import annotations

import datetime as dt
import os
import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secretary.cli.bootstrap import open_secretary
from secretary.domain import life
from secretary.domain.errors import SecretaryError
from tests.conftest import db_files

MEETINGS = ("dassos-2026-10-08", "fu-2026-12-02", "dassos-2027-01-14", "takstgruppen-2027-02-10")
PEOPLE = ("henning-hansen", "gerd-moeller-nielsen")
OPS = ("dispatch", "held", "draft", "send", "comment", "approve", "approve_once", "approve_next", "publish_agenda",
       "publish_minutes", "reopen", "cancel", "delete", "edit_title", "move", "add_item", "delete_item", "decide",
       "attend", "amend", "advance")
TRIALS = max(5, int(os.environ.get("SECRETARY_TRIALS", "10")))

ops = st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, len(MEETINGS) - 1), st.integers(0, 30)), min_size=10, max_size=30)


class Clock:
    def __init__(self):
        self.now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)

    def __call__(self):
        return self.now


def do(sec, clock, op: str, meeting_id: str, n: int) -> None:
    agenda = sec.agenda
    if op == "advance":
        clock.now += dt.timedelta(days=n + 1)
    elif op == "dispatch":
        agenda.dispatch(meeting_id)
    elif op == "held":
        agenda.mark_held(meeting_id, chair=PEOPLE[n % 2])
    elif op == "draft":
        agenda.draft_minutes(meeting_id)
    elif op == "send":
        agenda.send_minutes(meeting_id)
    elif op == "comment":
        agenda.record_comment(meeting_id, PEOPLE[n % 2], "Rettelse")
    elif op == "approve":
        agenda.approve_minutes(meeting_id, by=[PEOPLE[n % 2]])
    elif op == "approve_once":
        agenda.approve_minutes(meeting_id, at_once=True)
    elif op == "approve_next":
        agenda.approve_minutes(meeting_id, at_next_meeting=True)
    elif op == "publish_agenda":
        agenda.publish(meeting_id, "agenda")
    elif op == "publish_minutes":
        agenda.publish(meeting_id, "minutes")
    elif op == "reopen":
        agenda.reopen_minutes(meeting_id, "Fejl" if n % 3 else " ")
    elif op == "cancel":
        agenda.cancel_meeting(meeting_id, "Aflyst" if n % 3 else "")
    elif op == "delete":
        agenda.delete_meeting(meeting_id)
    elif op == "edit_title":
        agenda.edit_meeting(meeting_id, title=f"Titel {n}")
    elif op == "move":
        meeting = sec.records.meeting(meeting_id)
        agenda.move_meeting(meeting_id, meeting.start + dt.timedelta(days=n - 15))
    elif op == "add_item":
        agenda.add_item(meeting_id, f"Sag {n}")
    elif op == "delete_item":
        items = sec.records.meeting(meeting_id).items
        agenda.delete_item(meeting_id, items[n % len(items)].id)
    elif op == "decide":
        items = sec.records.meeting(meeting_id).items
        agenda.record_decision(meeting_id, items[n % len(items)].id, "Godkendt", "approved")
    elif op == "attend":
        agenda.set_attendance(meeting_id, "present", organisation="viborg")
    elif op == "amend":
        items = sec.records.meeting(meeting_id).items
        agenda.amend_minutes(meeting_id, items[n % len(items)].id, by="Formanden", what="Stavefejl", decision=f"Rettet {n}")


def content(meeting) -> dict:
    return life._content(meeting)


@settings(max_examples=TRIALS, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sequence=ops)
def test_random_lives_through_the_service_never_break_a_guard(_preset_dbs, tmp_path_factory, sequence):
    folder = tmp_path_factory.mktemp("life")
    for item in _preset_dbs["midtjylland"].iterdir():
        (shutil.copytree if item.is_dir() else shutil.copy2)(item, folder / item.name)
    clock = Clock()
    sec = open_secretary(folder / "db.json", clock=clock, actor="Sekretær")
    for op, which, n in sequence:
        meeting_id = MEETINGS[which]
        before_meeting = sec.records.meeting(meeting_id) if meeting_id in sec.store.meetings.rows() else None
        before_files = db_files(folder / "db.json")
        try:
            do(sec, clock, op, meeting_id, n)
        except (SecretaryError, KeyError, IndexError, ZeroDivisionError):
            # A refused step or edit writes nothing at all.
            assert db_files(folder / "db.json") == before_files, (op, meeting_id)
            continue
        if op == "delete":
            assert before_meeting is not None and not life.is_dispatched(before_meeting)
            assert before_meeting.minutes.status == "none" and before_meeting.actual_start is None
            continue
        after = sec.records.meeting(meeting_id) if meeting_id in sec.store.meetings.rows() else None
        if before_meeting is not None and after is not None and life.is_approved(before_meeting) and op not in ("reopen",):
            if op == "amend":
                assert len(after.minutes.amendments) == len(before_meeting.minutes.amendments) + 1
            elif life.is_approved(after):
                assert content(after) == content(before_meeting), op  # approved minutes change only by amendment
        for meeting in sec.records.meetings():
            body = sec.records.body(meeting.body)
            assert life.check_life(meeting, body) == [], (op, meeting.id)
            if meeting.minutes.status in ("sent", "approved"):
                assert meeting.status == "held"
            if meeting.minutes.status == "approved":
                assert meeting.minutes.approved_on >= life.meeting_day(meeting, body)
        if before_meeting is not None and after is not None:
            for event in after.history[len(before_meeting.history):]:  # each step recorded now, by the secretary
                assert event.actor == "Sekretær" and event.at <= clock.now, (op, event)
