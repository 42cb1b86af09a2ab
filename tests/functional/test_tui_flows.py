"""Pilot tests of a secretary's day: every flow checked on what is stored, by re-opening the database."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Input, Select, Static, TextArea

from screens.app import SecretaryCommands
from screens.bodies import BodiesScreen
from screens.dialogs import ConfirmScreen, ErrorScreen, FormScreen, HelpScreen
from screens.meeting import AttendanceScreen, MeetingScreen
from screens.meetings import MeetingsScreen
from screens.overview import OverviewScreen
from screens.search import SearchScreen
from secretary.domain.errors import SecretaryError
from tests.functional.tui_helpers import TODAY, build_app, press, settle, stored, type_text

SIZE = (80, 24)
HELD = "dassos-2026-10-08"
PLANNED = "dassos-2027-01-14"


def rows(table: DataTable) -> list[str]:
    return [str(key.value) for key in table.rows]


async def open_meeting(pilot, meeting_id: str) -> MeetingScreen:
    """From the meetings list, as a user would: filter the year, find the row, press enter."""
    await press(pilot, "m")
    year = pilot.app.screen.query_one("#mt-year", Input)
    year.value = meeting_id.split("-")[-3]
    await settle(pilot)
    table = pilot.app.screen.query_one("#meetings-table", DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(meeting_id))
    await press(pilot, "enter")
    assert isinstance(pilot.app.screen, MeetingScreen)
    return pilot.app.screen


async def test_starts_on_the_overview_with_what_needs_doing(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert rows(app.screen.query_one("#ov-next", DataTable))[0] == "fu-2026-12-02"
        assert f"{HELD}|minutes_due" in rows(app.screen.query_one("#ov-deadlines", DataTable))
        assert rows(app.screen.query_one("#ov-minutes", DataTable)) == [HELD]
        assert rows(app.screen.query_one("#ov-actions", DataTable)) == [f"{HELD}|{HELD}-6|{HELD}-6-a1"]


async def test_every_section_is_reachable_by_its_key(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, mode in (("b", "bodies"), ("p", "people"), ("m", "meetings"), ("a", "actions"), ("slash", "search")):
            await press(pilot, key)
            assert app.current_mode == mode
            if mode == "search":
                await press(pilot, "escape")  # out of the search box, so letters are keys again
        await press(pilot, "o")
        assert app.current_mode == "overview"


async def test_create_meeting_from_the_meetings_list(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "m", "n")
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#f-body", Select).value = "dassos"
        form.query_one("#f-date", Input).focus()
        await type_text(pilot, "2026-12-16")
        form.query_one("#f-title", Input).focus()
        await type_text(pilot, "Ekstra møde")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, MeetingScreen)
        meeting_id = app.screen.meeting_id
    meeting = stored(demo_db).records.meeting(meeting_id)
    assert meeting.body == "dassos" and meeting.title == "Ekstra møde"
    assert meeting.start.isoformat() == "2026-12-16T09:00:00+01:00"  # the body's usual start time
    assert [i.kind for i in meeting.items] == ["approve_agenda", "approve_minutes", "any_other_business"]


async def test_form_errors_show_on_the_field_and_nothing_is_saved(demo_db):
    app = build_app(demo_db)
    before = set(stored(demo_db).overview.meeting_rows())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "m", "n")
        form = app.screen
        form.query_one("#f-body", Select).value = "dassos"
        form.query_one("#f-date", Input).focus()
        await type_text(pilot, "2026-13-40")
        await press(pilot, "ctrl+s")
        assert app.screen is form
        message = form.query_one("#e-date", Static)
        assert "not a date" in str(message.render()) and message.display
        await press(pilot, "escape")  # the form was changed: escape asks before discarding
        await press(pilot, "y")
        assert isinstance(app.screen, MeetingsScreen)
    assert set(stored(demo_db).overview.meeting_rows()) == before


async def test_add_and_reorder_items(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_meeting(pilot, PLANNED)
        count = len(screen.meeting.items)
        await press(pilot, "n")
        app.screen.query_one("#f-title", Input).focus()
        await type_text(pilot, "Budget")
        app.screen.query_one("#f-case_number", Input).value = "27.00-9"
        await press(pilot, "ctrl+s")
        assert app.screen is screen
        items = stored(demo_db).records.meeting(PLANNED).items
        assert len(items) == count + 1
        budget = next(i for i in items if i.title == "Budget")
        assert items[-1].kind == "any_other_business" and items[-2].id == budget.id
        assert budget.case_number == "27.00-9"
        # The cursor is on the new item; move it up twice.
        table = screen.query_one("#mg-items", DataTable)
        table.move_cursor(row=table.get_row_index(budget.id))
        await press(pilot, "shift+up", "shift+up")
    items = stored(demo_db).records.meeting(PLANNED).items
    position = [i.id for i in items].index(budget.id)
    assert position == count - 3
    assert [i.number for i in items] == [str(n) for n in range(1, count + 2)]


async def test_closed_item_needs_a_reason(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_meeting(pilot, PLANNED)
        await press(pilot, "n")
        form = app.screen
        form.query_one("#f-title", Input).value = "Personalesag"
        form.query_one("#f-public").value = False
        await press(pilot, "ctrl+s")
        assert app.screen is form
        assert "reason" in str(form.query_one("#e-closed_reason", Static).render())
        form.query_one("#f-closed_reason", Input).value = "Personsag"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, MeetingScreen)
    item = next(i for i in stored(demo_db).records.meeting(PLANNED).items if i.title == "Personalesag")
    assert item.public is False and item.closed_reason == "Personsag"


async def test_delete_item_asks_and_can_be_undone(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_meeting(pilot, PLANNED)
        victim = screen.meeting.items[2]
        table = screen.query_one("#mg-items", DataTable)
        table.move_cursor(row=2)
        await press(pilot, "d")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "y")
        assert victim.id not in [i.id for i in stored(demo_db).records.meeting(PLANNED).items]
        await press(pilot, "u")
    assert stored(demo_db).records.meeting(PLANNED).items[2].id == victim.id


async def test_carry_over_moves_the_item_to_the_next_meeting(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_meeting(pilot, "fu-2026-12-02")
        item = next(i for i in screen.meeting.items if i.kind == "decision")
        table = screen.query_one("#mg-items", DataTable)
        table.move_cursor(row=table.get_row_index(item.id))
        await press(pilot, "c")
    sec = stored(demo_db)
    assert item.id not in [i.id for i in sec.records.meeting("fu-2026-12-02").items]
    assert item.title in [i.title for i in sec.records.meeting("fu-2027-03-03").items]


async def test_mark_attendance(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_meeting(pilot, PLANNED)
        await press(pilot, "t")
        attendance = app.screen
        assert isinstance(attendance, AttendanceScreen)
        first, second = rows(attendance.query_one("#at-table", DataTable))[:2]
        await press(pilot, "1", "2")  # each mark steps to the next row
    # Every seat is its own row (keyed by the seat): what was marked is stored on that seat.
    marks = {f"seat:{r.seat}": r.status for r in stored(demo_db).records.meeting(PLANNED).attendance if r.seat}
    assert marks[first] == "present" and marks[second] == "apologies"


async def test_record_decision_and_action(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_meeting(pilot, "fu-2026-12-02")
        item = next(i for i in screen.meeting.items if i.kind == "decision")
        await press(pilot, "M")
        assert screen.mode == "minutes"
        table = screen.query_one("#mg-items", DataTable)
        table.move_cursor(row=table.get_row_index(item.id))
        await press(pilot, "enter")
        form = app.screen
        form.query_one("#f-decision", TextArea).focus()
        await type_text(pilot, "Godkendt med bemærkninger.")
        form.query_one("#f-outcome", Select).value = "approved"
        await press(pilot, "ctrl+s")
        await press(pilot, "n")
        form = app.screen
        form.query_one("#f-what", Input).focus()
        await type_text(pilot, "Send notat")
        form.query_one("#f-owner", Input).value = "Sekretariatet"
        form.query_one("#f-due", Input).value = "2026-12-20"
        await press(pilot, "ctrl+s")
        assert app.screen is screen
    saved = stored(demo_db).records.meeting("fu-2026-12-02").item(item.id)
    assert saved.decision == "Godkendt med bemærkninger." and saved.outcome == "approved"
    assert [(a.what, a.owner, a.due) for a in saved.actions] == [("Send notat", "Sekretariatet", dt.date(2026, 12, 20))]


async def test_approve_minutes_then_the_lock_then_amend(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_meeting(pilot, HELD)
        await press(pilot, "M", "J")  # J: approve (the held meeting's draft minutes), by a named member
        form = app.screen
        form.query_one("#f-approvers", Select).value = "henning-hansen"
        await press(pilot, "ctrl+s")
        assert app.screen is screen and screen.locked
        assert "locked" in str(screen.query_one("#mg-header", Static).render())
        minutes = stored(demo_db).records.meeting(HELD).minutes
        assert minutes.status == "approved" and minutes.approvers == ["henning-hansen"]
        assert minutes.approved_on == dt.date(2026, 11, 23)
        # A change now is refused, with the way out named.
        await press(pilot, "enter")
        assert isinstance(app.screen, ErrorScreen)
        assert "amendment" in str(app.screen.query_one("#error-message", Static).render())
        await press(pilot, "escape")
        # A amends: recorded with date, who and what.
        table = screen.query_one("#mg-items", DataTable)
        table.move_cursor(row=table.get_row_index(f"{HELD}-5"))
        await press(pilot, "A")
        form = app.screen
        form.query_one("#f-decision", TextArea).text = "Taget til efterretning med tak."
        form.query_one("#f-by", Input).value = "Formanden"
        form.query_one("#f-reason", Input).value = "Rettelse efter mødet"
        await press(pilot, "ctrl+s")
        assert app.screen is screen
    meeting = stored(demo_db).records.meeting(HELD)
    assert meeting.item(f"{HELD}-5").decision == "Taget til efterretning med tak."
    assert meeting.minutes.amendments[0].by == "Formanden"
    assert "Rettelse" in meeting.minutes.amendments[0].what


async def test_search_as_you_type_and_open(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "slash")
        assert isinstance(app.screen, SearchScreen)
        await type_text(pilot, "kildebak")
        await settle(pilot)
        table = app.screen.query_one("#sr-table", DataTable)
        assert table.row_count >= 1
        kinds = [app.screen.hits[str(k.value)].kind for k in table.rows]
        assert "item" in kinds
        table.focus()
        table.move_cursor(row=kinds.index("item"))
        await press(pilot, "enter")
        assert isinstance(app.screen, MeetingScreen) and app.screen.meeting_id == HELD
        assert app.screen.current_item().id == f"{HELD}-4"


async def test_actions_mark_done_and_undo(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "a")
        table = app.screen.query_one("#ac-table", DataTable)
        assert rows(table)[0] == f"{HELD}|{HELD}-6|{HELD}-6-a1"  # overdue first
        await press(pilot, "x")
        assert stored(demo_db).records.meeting(HELD).item(f"{HELD}-6").actions[0].done is True
        assert f"{HELD}|{HELD}-6|{HELD}-6-a1" not in rows(table)
        await press(pilot, "u")
    assert stored(demo_db).records.meeting(HELD).item(f"{HELD}-6").actions[0].done is False


async def test_new_body_and_cadence_on_the_body_page(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "b")
        bodies = app.screen
        assert isinstance(bodies, BodiesScreen)
        bodies.select_body("dassos")
        await settle(pilot)
        page = str(bodies.query_one("#bd-page", Static).render())
        assert "DASSOS: 1 of 4–5 planned in 2026" in page
        await press(pilot, "n")
        form = app.screen
        form.query_one("#f-name", Input).value = "Ad hoc gruppe om botilbud"
        form.query_one("#f-abbreviation", Input).value = "AHB"
        form.query_one("#f-reports_to", Select).value = "dassos"
        form.query_one("#f-cadence_kind", Select).value = "per_year"
        form.query_one("#f-cadence_min", Input).value = "5"
        form.query_one("#f-cadence_max", Input).value = "2"
        await press(pilot, "ctrl+s")
        assert app.screen is form  # min > max: shown on the field
        assert "greater" in str(form.query_one("#e-cadence_min", Static).render())
        form.query_one("#f-cadence_max", Input).value = "6"
        await press(pilot, "ctrl+s")
        assert app.screen is bodies
    body = stored(demo_db).records.body("ahb")
    assert body.reports_to == "dassos" and body.cadence.min == 5 and body.cadence.max == 6


async def test_people_new_person_and_who_sat_in_fu_2019(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "p", "n")
        form = app.screen
        form.query_one("#f-name", Input).value = "Anne Ærø"
        form.query_one("#f-organisation", Select).value = "viborg"
        form.query_one("#f-email", Input).value = "anne@viborg.dk"
        await press(pilot, "ctrl+s")
        await press(pilot, "2")
        screen = app.screen
        screen.query_one("#pp-body", Select).value = "fu"
        screen.query_one("#pp-year", Input).value = "2019"
        await settle(pilot)
        seats = rows(screen.query_one("#pp-seats", DataTable))
        assert "fu-2018-hedensted" in seats
        assert all(stored(demo_db).records.membership(s).body == "fu" for s in seats)
    assert stored(demo_db).records.person("anne-aeroe").email == "anne@viborg.dk"


async def test_help_lists_the_keys_of_the_current_screen(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_meeting(pilot, PLANNED)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        described = [row[1] for row in app.screen.rows]
        assert "Carry" in described and "Refer" in described and "Quit" in described
        await press(pilot, "escape")
        assert isinstance(app.screen, MeetingScreen)


async def test_palette_offers_the_screens_commands_by_category(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_meeting(pilot, PLANNED)
        titles = [title for title, _, _ in SecretaryCommands(app.screen)._commands()]
        assert "agenda: carry" in titles and "go to: bodies" in titles
        assert "minutes: decision" not in titles  # agenda mode: minutes commands are not offered
        await press(pilot, "M")
        titles = [title for title, _, _ in SecretaryCommands(app.screen)._commands()]
        assert "minutes: decision" in titles


async def test_every_binding_has_an_id(demo_db):
    from screens import actions, bodies, dialogs, meeting, meetings, overview, people, search
    from screens.app import SecretaryApp

    classes = [SecretaryApp, overview.OverviewScreen, bodies.BodiesScreen, people.PeopleScreen, meetings.MeetingsScreen,
               meeting.MeetingScreen, meeting.AttendanceScreen, actions.ActionsScreen, search.SearchScreen,
               dialogs.FormScreen, dialogs.ConfirmScreen, dialogs.ErrorScreen, dialogs.HelpScreen]
    missing = [f"{cls.__name__}:{b.key}" for cls in classes for b in cls.BINDINGS if not b.id]
    assert missing == []


async def test_a_failing_worker_shows_a_dialog_not_a_traceback(demo_db, monkeypatch):
    app = build_app(demo_db)

    def broken(*args, **kwargs):
        raise SecretaryError("the database is on holiday")

    monkeypatch.setattr(app.secretary.overview, "upcoming_meetings", broken)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert "holiday" in str(app.screen.query_one("#error-message", Static).render())
        await press(pilot, "escape")
        assert isinstance(app.screen, OverviewScreen)


async def test_cancel_meeting_stays_visible(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "m")
        table = app.screen.query_one("#meetings-table", DataTable)
        table.move_cursor(row=table.get_row_index("fu-2026-12-02"))
        await press(pilot, "x")  # a cancellation needs its reason
        app.screen.query_one("#f-cancel_reason", Input).value = "Ingen sager"
        await press(pilot, "ctrl+s")
        assert "fu-2026-12-02" in rows(table)
        assert "CANCELLED" in [str(c) for c in table.get_row("fu-2026-12-02")]
    cancelled = stored(demo_db).records.meeting("fu-2026-12-02")
    assert cancelled.status == "cancelled" and cancelled.cancelled_reason == "Ingen sager"


async def test_enter_on_a_term_ending_opens_people(demo_db):
    """The overview's "terms ending" rows open People (the call was a coroutine never awaited)."""
    sec = stored(demo_db)
    seat = next(s for s in sec.records.memberships() if s.start < TODAY and (s.end is None or s.end > TODAY))
    sec.registry.edit_membership(seat.id, end=TODAY + dt.timedelta(days=10))
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#ov-terms", DataTable)
        assert table.row_count >= 1
        table.focus()
        await settle(pilot)
        await press(pilot, "enter")
        assert app.current_mode == "people"


async def test_an_edit_based_on_a_stale_copy_is_refused_not_written_over(demo_db):
    """Attack class 1: a screen open while another process closed an item; the screen's save of
    the item (another field changed) must not make the item public again."""
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_meeting(pilot, PLANNED)
        target = next(i for i in screen.meeting.items if i.public and i.kind in ("decision", "information", "discussion"))
        table = screen.query_one("#mg-items", DataTable)
        table.move_cursor(row=table.get_row_index(target.id))
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, FormScreen)
        # Meanwhile, an acknowledged write by another process closes the item.
        other = stored(demo_db)
        other.agenda.edit_item(PLANNED, target.id, public=False, closed_reason="Personsag")
        form.query_one("#f-presenter", Input).value = "Ny oplægsholder"
        await press(pilot, "ctrl+s")
        assert app.screen is form, "the form stays open with the conflict shown"
        assert "changed elsewhere" in str(form.query_one("#form-error", Static).render())
    item = stored(demo_db).records.meeting(PLANNED).item(target.id)
    assert item.public is False and item.closed_reason == "Personsag" and item.presenter != "Ny oplægsholder"


async def test_a_read_only_database_says_so_in_the_tui(demo_db):
    """Attack class 7: a database opened read-only is named as such on screen, not only on stderr."""
    from screens.app import make_app

    sec = stored(demo_db)
    sec.store.db._read_only_reason = "the folder or the file is not writable"  # as Database finds a ro mount
    app = make_app(sec, today=TODAY, notices=["First run: created the Midtjylland demo database at x"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.sub_title == "read-only"
        shown = [n.message for n in app._notifications]
        assert any(m.startswith("Read-only:") and "not writable" in m for m in shown), shown
        assert any(m.startswith("First run:") for m in shown), shown
