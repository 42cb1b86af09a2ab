"""The meeting's life in the TUI (Pilot): each key does its step through the same service method
as the command, refused steps change nothing, and the overview's deadlines close as steps are done."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Input, Select, Static

from screens.app import make_app
from screens.dialogs import ConfirmScreen, ErrorScreen, FormScreen
from screens.meeting import AttendanceScreen, LifeScreen, MeetingScreen
from screens.overview import OverviewScreen
from secretary.cli.bootstrap import open_secretary
from tests.conftest import db_files
from tests.functional.tui_helpers import TODAY, press, settle, stored

SIZE = (80, 24)
PLANNED = "dassos-2027-01-14"
SWEDISH = "sun-2026-11-19"


class Clock:
    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def build(db, clock):
    return make_app(open_secretary(db, clock=clock, actor="Anne Sørensen"), today=TODAY)


async def open_meeting(pilot, meeting_id: str) -> MeetingScreen:
    pilot.app.push_screen(MeetingScreen(meeting_id))
    await settle(pilot)
    assert isinstance(pilot.app.screen, MeetingScreen)
    return pilot.app.screen


def life_line(screen: MeetingScreen) -> str:
    return str(screen.query_one("#mg-life", Static).render())


def deadline_keys(app) -> dict[str, str]:
    table = app.screen.query_one("#ov-deadlines", DataTable)
    return {str(row.key.value): str(table.get_row(row.key)[-1]) for row in table.ordered_rows}


async def test_planned_to_published_by_the_keys_on_the_meeting_screen(demo_db):
    clock = Clock(dt.datetime(2027, 1, 10, 9, 0, tzinfo=dt.UTC))
    app = build(demo_db, clock)
    app._today = dt.date(2027, 1, 10)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        keys = deadline_keys(app)
        assert keys[f"{PLANNED}|agenda_dispatch"] == "D dispatch" and keys[f"{PLANNED}|items_due"] == "D dispatch"
        screen = await open_meeting(pilot, PLANNED)
        assert "planned" in str(screen.query_one("#mg-header", Static).render())
        assert "D dispatch" in life_line(screen) and "H held" not in life_line(screen)
        before = db_files(demo_db)
        await press(pilot, "H", "W", "S", "J", "R", "O")  # none of them comes next: nothing opens, nothing is written
        assert app.screen is screen and db_files(demo_db) == before
        await press(pilot, "D")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "y")
        meeting = stored(demo_db).records.meeting(PLANNED)
        assert meeting.status == "invited" and meeting.history[-1].actor == "Anne Sørensen"
        assert meeting.dispatched_at == clock.now
        assert "H held" in life_line(screen) and "P publish agenda" in life_line(screen)
        await press(pilot, "H")  # before the meeting's start: the service refuses, the form says why
        assert isinstance(app.screen, FormScreen)
        await press(pilot, "ctrl+s")
        assert "only from its start" in str(app.screen.query_one("#form-error", Static).render())
        await press(pilot, "escape")
        assert stored(demo_db).records.meeting(PLANNED).status == "invited"
        await press(pilot, "escape")
        app.screen.reload()
        await settle(pilot)
        keys = deadline_keys(app)
        assert f"{PLANNED}|agenda_dispatch" not in keys and f"{PLANNED}|items_due" not in keys

        clock.now = dt.datetime(2027, 1, 14, 11, 30, tzinfo=dt.UTC)
        screen = await open_meeting(pilot, PLANNED)
        await press(pilot, "H")
        form = app.screen
        form.query_one("#f-end_time", Input).value = "12:10"
        form.query_one("#f-chair", Select).value = "henning-hansen"
        await press(pilot, "ctrl+s")
        meeting = stored(demo_db).records.meeting(PLANNED)
        assert meeting.status == "held" and meeting.chair == "henning-hansen"
        assert meeting.actual_end == dt.datetime(2027, 1, 14, 11, 10, tzinfo=dt.UTC)
        await press(pilot, "W", "y")
        assert stored(demo_db).records.meeting(PLANNED).minutes.status == "draft"
        await press(pilot, "S")
        app.screen.query_one("#f-deadline", Input).value = "2027-01-21"
        await press(pilot, "ctrl+s")
        minutes = stored(demo_db).records.meeting(PLANNED).minutes
        assert minutes.status == "sent" and minutes.comment_deadline == dt.date(2027, 1, 21)
        clock.now = dt.datetime(2027, 1, 22, 9, 0, tzinfo=dt.UTC)
        await press(pilot, "J")
        await press(pilot, "ctrl+s")  # no member named: refused on the field
        assert "required" in str(app.screen.query_one("#e-approvers", Static).render())
        app.screen.query_one("#f-approvers", Select).value = "gerd-moeller-nielsen"
        await press(pilot, "ctrl+s")
        minutes = stored(demo_db).records.meeting(PLANNED).minutes
        assert minutes.status == "approved" and minutes.approvers == ["gerd-moeller-nielsen"]
        assert minutes.approved_on == dt.date(2027, 1, 22)
        assert "locked" in str(screen.query_one("#mg-header", Static).render())
        await press(pilot, "P", "y")
        meeting = stored(demo_db).records.meeting(PLANNED)
        assert meeting.published.minutes == dt.date(2027, 1, 22)
        assert "published" in str(screen.query_one("#mg-header", Static).render())
        await press(pilot, "L")
        assert isinstance(app.screen, LifeScreen)
        history = app.screen.query_one("#life-history", DataTable)
        assert [str(history.get_row_at(n)[2]) for n in range(history.row_count)] == [
            "dispatched", "held", "minutes drafted", "minutes sent", "approved", "minutes published"]
        await press(pilot, "escape")
        # Reopening needs a reason; it is logged.
        await press(pilot, "R", "ctrl+s")
        assert isinstance(app.screen, FormScreen) and stored(demo_db).records.meeting(PLANNED).minutes.status == "approved"
        app.screen.query_one("#f-reopen_reason", Input).value = "Fejl i punkt 4"
        await press(pilot, "ctrl+s")
        meeting = stored(demo_db).records.meeting(PLANNED)
        assert meeting.minutes.status == "sent" and meeting.history[-1].detail == "Fejl i punkt 4"


async def test_cancel_needs_a_reason_and_a_dispatched_meeting_cannot_be_deleted(demo_db):
    clock = Clock(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC))
    app = build(demo_db, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "m")
        year = app.screen.query_one("#mt-year", Input)
        year.value = "2026"
        await settle(pilot)
        table = app.screen.query_one("#meetings-table", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index("fu-2026-12-02"))  # invited (dispatched)
        before = db_files(demo_db)
        await press(pilot, "d", "y")
        assert isinstance(app.screen, ErrorScreen)
        assert "cancel it instead" in str(app.screen.query_one("#error-message", Static).render())
        await press(pilot, "escape")
        assert db_files(demo_db) == before
        await press(pilot, "x", "ctrl+s")  # no reason: refused on the field
        assert isinstance(app.screen, FormScreen) and db_files(demo_db) == before
        await press(pilot, "escape")
    screen_app = build(demo_db, clock)
    async with screen_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_meeting(pilot, "fu-2026-12-02")
        await press(pilot, "x")
        screen_app.screen.query_one("#f-cancel_reason", Input).value = "Formanden er syg"
        await press(pilot, "ctrl+s")
        assert "CANCELLED" in str(screen.query_one("#mg-header", Static).render())
    meeting = stored(demo_db).records.meeting("fu-2026-12-02")
    assert meeting.status == "cancelled" and meeting.cancelled_reason == "Formanden er syg"
    assert meeting.history[-1].action == "cancel" and meeting.history[-1].actor == "Anne Sørensen"


async def test_swedish_justering_needs_a_justerare_then_the_anslag(ludvika_db):
    clock = Clock(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC))
    sec = open_secretary(ludvika_db, clock=clock)
    sec.agenda.reopen_minutes(SWEDISH, "Fel justerare")
    frozen = sec.records.meeting(SWEDISH).minutes.paragraphs
    app = build(ludvika_db, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_meeting(pilot, SWEDISH)
        assert "J justera" in life_line(screen)
        await press(pilot, "J", "ctrl+s")
        assert "required" in str(app.screen.query_one("#e-justerare1", Static).render())
        app.screen.query_one("#f-justerare1", Select).value = "demo-agnes-exempelsson"
        app.screen.query_one("#f-justerare2", Select).value = "demo-dan-pahittad"
        await press(pilot, "ctrl+s")
        minutes = stored(ludvika_db).records.meeting(SWEDISH).minutes
        assert minutes.approval_mode == "justering" and minutes.justerare == ["demo-agnes-exempelsson", "demo-dan-pahittad"]
        assert minutes.paragraphs == frozen and minutes.justering_place  # the body's office or the meeting's place
        assert "justerat" in str(screen.query_one("#mg-header", Static).render()) and "O post anslag" in life_line(screen)
        await press(pilot, "O", "ctrl+s")
        minutes = stored(ludvika_db).records.meeting(SWEDISH).minutes
        assert minutes.posted_on == dt.date(2026, 11, 23) and minutes.appeal_ends == dt.date(2026, 12, 14)


async def test_edit_meeting_form_stores_every_field_and_warns_on_the_bodys_rules(demo_db):
    clock = Clock(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC))
    app = build(demo_db, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_meeting(pilot, PLANNED)
        await press(pilot, "v")
        form = app.screen
        form.query_one("#f-start_date", Input).value = "2027-01-16"  # a Saturday
        form.query_one("#f-start_time", Input).value = "10:00"
        form.query_one("#f-end_time", Input).value = "11:30"
        form.query_one("#f-online_url", Input).value = "https://meet.example/d"
        form.query_one("#f-minute_taker", Select).value = "gerd-moeller-nielsen"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, MeetingScreen)
        assert any("weekdays: Saturday" in n.message for n in app._notifications)
    meeting = stored(demo_db).records.meeting(PLANNED)
    assert meeting.start == dt.datetime(2027, 1, 16, 9, 0, tzinfo=dt.UTC)
    assert meeting.end == dt.datetime(2027, 1, 16, 10, 30, tzinfo=dt.UTC)
    assert meeting.online_url == "https://meet.example/d" and meeting.minute_taker == "gerd-moeller-nielsen"


async def test_every_seat_is_a_row_and_a_substitute_stands_in_for_a_seat(demo_db):
    clock = Clock(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC))
    sec = open_secretary(demo_db, clock=clock)
    viborg = [s for s in sec.records.memberships(body="dassos") if s.organisation == "viborg" and s.person is None]
    assert len(viborg) == 2  # Viborg as member and Viborg as secretariat
    app = build(demo_db, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_meeting(pilot, PLANNED)
        await press(pilot, "t")
        assert isinstance(app.screen, AttendanceScreen)
        table = app.screen.query_one("#at-table", DataTable)
        keys = [str(row.key.value) for row in table.ordered_rows]
        assert {f"seat:{s.id}" for s in viborg} <= set(keys)
        table.move_cursor(row=keys.index(f"seat:{viborg[1].id}"))
        await press(pilot, "s")
        form = app.screen
        form.query_one("#f-substitute", Select).value = "henning-hansen"
        form.query_one("#f-arrived_item", Select).value = f"{PLANNED}-3"
        await press(pilot, "ctrl+s")
        table.move_cursor(row=keys.index(f"seat:{viborg[0].id}"))
        await press(pilot, "2")
    rows = {r.seat: r for r in stored(demo_db).records.meeting(PLANNED).attendance if r.seat}
    assert rows[viborg[1].id].person == "henning-hansen" and rows[viborg[1].id].status == "present"
    assert rows[viborg[1].id].arrived_item == f"{PLANNED}-3"
    assert rows[viborg[0].id].status == "apologies" and rows[viborg[0].id].person is None
