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
