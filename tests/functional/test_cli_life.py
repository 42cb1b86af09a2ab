"""The meeting's life on the command line: every step, every guard, and what is stored.

The commands run in-process through `secretary.cli.main` with the clock frozen (the
composition root's `open_secretary` is given the test's clock), so that "now" is
known; a refused step exits 1 with one line naming the rule, and the database's
files are byte-identical afterwards (`db_files`). The walk with the real console
script and a moved system clock is in test_tui_tmux.py.
"""

from __future__ import annotations

import datetime as dt

import orjson
import pytest

from secretary import cli
from secretary.cli import bootstrap
from tests.conftest import db_files, reopen

PLANNED = "dassos-2027-01-14"
HELD = "dassos-2026-10-08"
SWEDISH = "sun-2026-11-19"
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch, tmp_path):
    """The CLI's clock, movable; the secretary's name from a config.toml ($SECRETARY_CONFIG)."""
    moving = Clock(NOW)
    original = bootstrap.open_secretary
    monkeypatch.setattr(bootstrap, "open_secretary", lambda path, clock=None, actor=None: original(path, moving, actor))
    config = tmp_path / "config.toml"
    config.write_text('name = "Anne Sørensen"\nlanguage = "da"\n', encoding="utf-8")
    monkeypatch.setenv("SECRETARY_CONFIG", str(config))
    return moving


def run(capsys, db, *args: str) -> tuple[int, str, str]:
    code = cli.main([*args, "--db", str(db)])
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys, db, *args: str, rule: str) -> str:
    """The step is refused: exit 1, one line naming the rule, nothing written."""
    before = db_files(db)
    code, out, err = run(capsys, db, *args)
    assert code == 1, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and rule in lines[0] and "Traceback" not in err, err
    assert db_files(db) == before
    return lines[0]


def stored(db, meeting_id):
    from secretary.cli.bootstrap import open_secretary

    return open_secretary(db, clock=lambda: NOW).records.meeting(meeting_id)


def test_a_planned_meeting_refuses_every_later_step_and_nothing_is_written(demo_db, clock, capsys):
    refused(capsys, demo_db, "meeting", "held", PLANNED, rule="only after its agenda is dispatched")
    refused(capsys, demo_db, "minutes", "draft", PLANNED, rule="before the meeting is held")
    refused(capsys, demo_db, "minutes", "send", PLANNED, rule="before the meeting is held")
    refused(capsys, demo_db, "minutes", "approve", PLANNED, "--at-once", rule="before the meeting is held")
    refused(capsys, demo_db, "minutes", "reopen", PLANNED, "--reason", "x", rule="only approved minutes can be reopened")
    refused(capsys, demo_db, "meeting", "publish", PLANNED, "--agenda", rule="before it is dispatched")
    refused(capsys, demo_db, "meeting", "publish", PLANNED, "--minutes", rule="before they are approved")
    refused(capsys, demo_db, "meeting", "cancel", PLANNED, "--reason", "  ", rule="a cancellation needs a reason")
    refused(capsys, demo_db, "meeting", "dispatch", PLANNED, "--on", "2027-02-01T10:00", rule="time still to come")


def test_dispatch_records_time_and_actor_closes_the_agenda_deadlines_and_forbids_deletion(demo_db, clock, capsys):
    code, out, _ = run(capsys, demo_db, "due", "--json", "--days", "60")
    before = {(d["meeting"], d["kind"]): d for d in orjson.loads(out)["deadlines"]}
    assert before[(PLANNED, "agenda_dispatch")]["command"] == f"secretary meeting dispatch {PLANNED}"
    assert before[(PLANNED, "items_due")]["step"] == "dispatch"
    code, _, err = run(capsys, demo_db, "meeting", "dispatch", PLANNED)
    assert code == 0 and "invited" in err
    meeting = stored(demo_db, PLANNED)
    assert meeting.status == "invited" and meeting.dispatched_at == NOW and meeting.agenda_version == 1
    assert [(e.action, e.actor, e.at) for e in meeting.history] == [("dispatch", "Anne Sørensen", NOW)]
    code, out, _ = run(capsys, demo_db, "due", "--json", "--days", "60")
    after = {(d["meeting"], d["kind"]) for d in orjson.loads(out)["deadlines"]}
    assert (PLANNED, "agenda_dispatch") not in after and (PLANNED, "items_due") not in after
    refused(capsys, demo_db, "meeting", "delete", PLANNED, rule="cannot be deleted; cancel it instead")
    refused(capsys, demo_db, "meeting", "dispatch", PLANNED, rule="nothing was added or changed since")
    refused(capsys, demo_db, "meeting", "held", PLANNED, rule="only from its start")
    # An item changed after dispatch is an addendum, which can be dispatched again.
    secretary = bootstrap.open_secretary(demo_db)
    secretary.agenda.edit_item(PLANNED, f"{PLANNED}-3", title="Anbefalinger (rettet)")
    assert stored(demo_db, PLANNED).item(f"{PLANNED}-3").addendum
    assert run(capsys, demo_db, "meeting", "dispatch", PLANNED)[0] == 0
    assert stored(demo_db, PLANNED).agenda_version == 2


def test_the_whole_danish_life_with_its_guards(demo_db, clock, capsys):
    assert run(capsys, demo_db, "meeting", "dispatch", PLANNED, "--on", "2026-11-20T10:00")[0] == 0
    assert run(capsys, demo_db, "meeting", "publish", PLANNED)[0] == 0  # the agenda: what comes next
    assert stored(demo_db, PLANNED).published.agenda == NOW.date()
    clock.now = dt.datetime(2027, 1, 14, 11, 30, tzinfo=dt.UTC)
    refused(capsys, demo_db, "minutes", "approve", PLANNED, "--at-once", rule="before the meeting is held")
    assert run(capsys, demo_db, "meeting", "held", PLANNED, "--start", "09:05", "--end", "12:10")[0] == 0
    meeting = stored(demo_db, PLANNED)
    assert meeting.status == "held" and meeting.actual_end.astimezone(meeting.start.tzinfo).strftime("%H:%M") == "12:10"
    refused(capsys, demo_db, "meeting", "cancel", PLANNED, "--reason", "for sent", rule="only a planned or invited meeting")
    refused(capsys, demo_db, "meeting", "delete", PLANNED, rule="cannot be deleted")
    refused(capsys, demo_db, "minutes", "send", PLANNED, rule="only draft minutes can be sent")
    assert run(capsys, demo_db, "minutes", "draft", PLANNED)[0] == 0
    assert run(capsys, demo_db, "minutes", "send", PLANNED, "--deadline", "2027-01-25")[0] == 0
    minutes = stored(demo_db, PLANNED).minutes
    assert minutes.status == "sent" and minutes.sent_on == dt.date(2027, 1, 14) and minutes.comment_deadline == dt.date(2027, 1, 25)
    refused(capsys, demo_db, "minutes", "approve", PLANNED, "--by", "henning-hansen", "--on", "2027-01-13",
            rule="before the meeting (2027-01-14)")
    refused(capsys, demo_db, "minutes", "approve", PLANNED, rule="need the members who approve them")
    refused(capsys, demo_db, "minutes", "approve", PLANNED, "--by", "henning-hansen", "--place", "Viborg",
            rule="Danish minutes are approved")
    refused(capsys, demo_db, "minutes", "post", PLANNED, rule="Swedish protokoll only")
    refused(capsys, demo_db, "meeting", "publish", PLANNED, "--minutes", rule="before they are approved")
    clock.now = dt.datetime(2027, 1, 26, 9, 0, tzinfo=dt.UTC)
    assert run(capsys, demo_db, "minutes", "approve", PLANNED, "--by", "henning-hansen,gerd-moeller-nielsen")[0] == 0
    minutes = stored(demo_db, PLANNED).minutes
    assert minutes.status == "approved" and minutes.approval_mode == "members" and minutes.approved_on == dt.date(2027, 1, 26)
    assert minutes.approvers == ["henning-hansen", "gerd-moeller-nielsen"]
    refused(capsys, demo_db, "meeting", "edit", PLANNED, "--title", "Nyt navn", rule="a change now must be made as an amendment")
    refused(capsys, demo_db, "minutes", "approve", PLANNED, "--at-once", rule="approved again")
    refused(capsys, demo_db, "minutes", "reopen", PLANNED, "--reason", " ", rule="needs a reason")
    assert run(capsys, demo_db, "meeting", "publish", PLANNED, "--minutes")[0] == 0
    code, out, _ = run(capsys, demo_db, "meeting", "show", PLANNED, "--json")
    shown = orjson.loads(out)
    assert shown["stage"] == "published"
    assert [s["action"] for s in shown["next_steps"]] == ["amend", "reopen_minutes"]
    assert [e["action"] for e in shown["meeting"]["history"]] == [
        "dispatch", "publish_agenda", "held", "draft", "send", "approve", "publish_minutes"]
    # Reopening needs a reason; it is logged and clears the approval and the publication.
    assert run(capsys, demo_db, "minutes", "reopen", PLANNED, "--reason", "Fejl i punkt 3")[0] == 0
    meeting = stored(demo_db, PLANNED)
    assert meeting.minutes.status == "sent" and meeting.minutes.approved_on is None and meeting.published.minutes is None
    assert meeting.history[-1].action == "reopen" and meeting.history[-1].detail == "Fejl i punkt 3"
    code, out, _ = run(capsys, demo_db, "meeting", "show", PLANNED)
    assert "Anne Sørensen  reopen  Fejl i punkt 3" in out and "secretary minutes approve" in out


def test_approval_at_the_next_meeting_links_both_meetings(demo_db, clock, capsys):
    clock.now = dt.datetime(2027, 1, 14, 12, 0, tzinfo=dt.UTC)  # the next DASSOS meeting has begun
    assert run(capsys, demo_db, "minutes", "approve", HELD, "--at-next-meeting")[0] == 0
    approved, approving = stored(demo_db, HELD), stored(demo_db, PLANNED)
    assert approved.minutes.approval_mode == "next_meeting" and approved.minutes.approved_at_meeting == PLANNED
    item = approving.item(approved.minutes.approved_at_item)
    assert item.kind == "approve_minutes" and item.approves_minutes_of == HELD
    assert approved.minutes.approved_on == dt.date(2027, 1, 14)


def test_the_next_meeting_cannot_approve_before_it_takes_place(demo_db, clock, capsys):
    refused(capsys, demo_db, "minutes", "approve", HELD, "--at-next-meeting", rule="has not yet taken place")


def test_the_swedish_life_justering_anslag_and_frozen_paragraphs(ludvika_db, clock, capsys):
    before = stored(ludvika_db, SWEDISH)
    frozen = dict(before.minutes.paragraphs)
    assert frozen and before.minutes.status == "approved"
    refused(capsys, ludvika_db, "meeting", "delete", SWEDISH, rule="cannot be deleted")
    assert run(capsys, ludvika_db, "minutes", "reopen", SWEDISH, "--reason", "Fel namn på justerare")[0] == 0
    refused(capsys, ludvika_db, "minutes", "approve", SWEDISH, rule="without a justerare")
    refused(capsys, ludvika_db, "minutes", "approve", SWEDISH, "--by", "demo-bertil-provstrom", "--at-next-meeting",
            rule="justerat by its justerare")
    refused(capsys, ludvika_db, "minutes", "approve", SWEDISH, "--by", "demo-bertil-provstrom", "--on", "2026-11-18",
            rule="before the meeting")
    code, _, err = run(capsys, ludvika_db, "minutes", "approve", SWEDISH, "--by", "demo-bertil-provstrom,demo-dan-pahittad",
                       "--place", "Stadshuset, Ludvika")
    assert code == 0, err
    minutes = stored(ludvika_db, SWEDISH).minutes
    assert minutes.approval_mode == "justering" and minutes.justerare == ["demo-bertil-provstrom", "demo-dan-pahittad"]
    assert minutes.justering_place == "Stadshuset, Ludvika" and minutes.paragraphs == frozen  # §§ never renumbered
    assert run(capsys, ludvika_db, "minutes", "post", SWEDISH, "--on", "2026-11-23")[0] == 0
    minutes = stored(ludvika_db, SWEDISH).minutes
    assert minutes.posted_on == dt.date(2026, 11, 23) and minutes.appeal_ends == dt.date(2026, 12, 14)
    refused(capsys, ludvika_db, "minutes", "post", SWEDISH, rule="posted already")


def test_edit_warns_on_the_bodys_rules_and_stores(demo_db, clock, capsys):
    code, _, err = run(capsys, demo_db, "meeting", "edit", PLANNED, "--start", "2027-01-16T10:00", "--location", "Aarhus",
                       "--online-url", "https://meet.example/dassos", "--chair", "henning-hansen",
                       "--minute-taker", "gerd-moeller-nielsen", "--title", "Ekstra møde")
    assert code == 0 and "warning" in err and "weekdays: Saturday 2027-01-16" in err
    meeting = stored(demo_db, PLANNED)
    assert meeting.start == dt.datetime(2027, 1, 16, 9, 0, tzinfo=dt.UTC) and meeting.end - meeting.start == dt.timedelta(hours=3)
    assert (meeting.location, meeting.online_url, meeting.chair, meeting.minute_taker, meeting.title) == (
        "Aarhus", "https://meet.example/dassos", "henning-hansen", "gerd-moeller-nielsen", "Ekstra møde")
    code, _, err = run(capsys, demo_db, "meeting", "edit", PLANNED, "--start", "2026-12-24T10:00", "--end", "2026-12-24T11:00")
    assert code == 0 and "holiday: 2026-12-24 is Christmas Eve" in err
    refused(capsys, demo_db, "meeting", "edit", PLANNED, "--chair", "nobody", rule="no person has this id")
    refused(capsys, demo_db, "meeting", "edit", PLANNED, "--end", "2026-12-24T09:00", rule="is not after start")


def test_import_cannot_skip_the_life_nor_change_approved_minutes(demo_db, clock, capsys, tmp_path):
    code, out, _ = run(capsys, demo_db, "export", "json")
    document = orjson.loads(out)
    planned = next(m for m in document["meetings"] if m["id"] == PLANNED)
    planned["status"] = "held"  # skipping dispatch, with no recorded history
    path = tmp_path / "skip.json"
    path.write_bytes(orjson.dumps(document))
    refused(capsys, demo_db, "import", str(path), rule="changes only through the meeting's life")
    secretary = reopen(bootstrap.open_secretary(demo_db))
    secretary.agenda.approve_minutes(HELD, by=["henning-hansen"])
    code, out, _ = run(capsys, demo_db, "export", "json")
    document = orjson.loads(out)
    held = next(m for m in document["meetings"] if m["id"] == HELD)
    held["items"][2]["title"] = "Ændret efter godkendelse"
    path.write_bytes(orjson.dumps(document))
    refused(capsys, demo_db, "import", str(path), rule="a change now must be made as a recorded amendment")


def test_config_name_is_the_actor_and_a_bad_config_is_named(demo_db, clock, capsys, tmp_path, monkeypatch):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\ncolour = "red"\n', encoding="utf-8")
    monkeypatch.setenv("SECRETARY_CONFIG", str(bad))
    before = db_files(demo_db)
    code, _, err = run(capsys, demo_db, "meeting", "dispatch", PLANNED)
    assert code == 1 and "key 'colour'" in err and str(bad) in err
    assert db_files(demo_db) == before
    monkeypatch.setenv("SECRETARY_CONFIG", str(tmp_path / "missing.toml"))  # no file: the login name
    assert run(capsys, demo_db, "meeting", "dispatch", PLANNED)[0] == 0
    from secretary.cli.config import login_name

    assert stored(demo_db, PLANNED).history[-1].actor == login_name()
