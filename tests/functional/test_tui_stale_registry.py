"""A registry form open while another session saves the same person: the form's save is refused
and says so, what was typed stays; ctrl+r loads the stored version, and a save then keeps both."""

from __future__ import annotations

from textual.widgets import Input, Static

from screens import strings as S
from screens.dialogs import FormScreen
from tests.functional.tui_helpers import build_app, press, settle, stored

SIZE = (100, 30)


async def test_a_person_form_based_on_an_old_copy_is_refused_typing_kept_and_reload_offered(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "p", "e")
        form = app.screen
        assert isinstance(form, FormScreen) and form.record is not None
        person = form.record
        # Meanwhile another secretary (another process) saves the same person: acknowledged.
        stored(demo_db).registry.edit_person(person.id, phone="+45 87 65 43 21")
        form.query_one("#f-email", Input).value = "typed@example.dk"
        await press(pilot, "ctrl+s")
        assert app.screen is form, "the form stays open with the conflict shown"
        error = str(form.query_one("#form-error", Static).render())
        assert "changed elsewhere" in error and repr(person.id) in error and "phone" in error
        assert S.FORM_STALE_RELOAD in error
        assert form.query_one("#f-email", Input).value == "typed@example.dk", "what was typed is kept"
        assert stored(demo_db).records.person(person.id).email == person.email, "nothing of the refused save"
        await press(pilot, "ctrl+r")  # the stored version, with the other's phone
        assert form.query_one("#f-phone", Input).value == "+45 87 65 43 21"
        assert form.query_one("#f-email", Input).value == person.email
        assert S.FORM_RELOADED in str(form.query_one("#form-error", Static).render())
        form.query_one("#f-email", Input).value = "typed@example.dk"
        await press(pilot, "ctrl+s")
        assert app.screen is not form, "based on the fresh copy the save goes through"
    kept = stored(demo_db).records.person(person.id)
    assert kept.phone == "+45 87 65 43 21" and kept.email == "typed@example.dk"


async def test_undo_after_an_item_edit_never_puts_back_what_another_session_changed_meanwhile(demo_db):
    """The meeting screen's copy is older than the store (another process closed one item); the
    user edits another item and presses u: the undo takes back the user's edit only, the other
    item stays closed (before: the screen's whole old copy was put back, the closed item public again)."""
    from textual.widgets import DataTable

    from tests.functional.test_tui_flows import PLANNED, open_meeting

    app = build_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await open_meeting(pilot, PLANNED)
        public = [i for i in screen.meeting.items if i.public and i.kind in ("decision", "information", "discussion")]
        closed_elsewhere, edited = public[0], public[1]
        stored(demo_db).agenda.edit_item(PLANNED, closed_elsewhere.id, public=False, closed_reason="Personsag")
        table = screen.query_one("#mg-items", DataTable)
        table.move_cursor(row=table.get_row_index(edited.id))
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#f-presenter", Input).value = "Ny oplægsholder"
        await press(pilot, "ctrl+s")
        assert app.screen is not form
        assert stored(demo_db).records.meeting(PLANNED).item(edited.id).presenter == "Ny oplægsholder"
        await press(pilot, "u")
        await settle(pilot)
    meeting = stored(demo_db).records.meeting(PLANNED)
    assert meeting.item(edited.id).presenter == edited.presenter, "the user's edit is undone"
    assert meeting.item(closed_elsewhere.id).public is False, "the other session's change is kept"
