"""The body's agenda template in the TUI: edited in the body form (one title a line), and a new
meeting started from it (the same service as `secretary meeting new`)."""

from __future__ import annotations

from textual.widgets import Input, Select, TextArea

from screens.bodies import BodiesScreen
from screens.dialogs import FormScreen
from screens.meeting import MeetingScreen
from tests.functional.tui_helpers import build_app, press, settle, stored, type_text

SIZE = (80, 24)


async def test_edit_the_template_then_a_new_meeting_starts_from_it(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "b")
        bodies = app.screen
        assert isinstance(bodies, BodiesScreen)
        bodies.select_body("dassos")
        await settle(pilot)
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, FormScreen)
        area = form.query_one("#f-agenda_template", TextArea)
        assert area.text == ""  # DASSOS has no template in the demo
        area.text = "Godkendelse af dagsorden\nMeddelelser fra formanden\nPersonalesag (closed)\nEventuelt\n"
        await press(pilot, "ctrl+s")
        assert app.screen is bodies
        template = stored(demo_db).records.body("dassos").agenda_template
        assert [(t.title, t.kind, t.public) for t in template] == [
            ("Godkendelse af dagsorden", "approve_agenda", True), ("Meddelelser fra formanden", "decision", True),
            ("Personalesag", "decision", False), ("Eventuelt", "any_other_business", True),
        ]
        # The body form shows it back as it was typed.
        await press(pilot, "e")
        assert app.screen.query_one("#f-agenda_template", TextArea).text.splitlines()[2] == "Personalesag (closed)"
        await press(pilot, "escape")
        # s: a new meeting of this body; "start from" is the template, since it has one.
        await press(pilot, "s")
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#f-source", Select).value == "template"
        form.query_one("#f-date", Input).focus()
        await type_text(pilot, "2027-06-10")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, MeetingScreen)
        meeting_id = app.screen.meeting_id
    meeting = stored(demo_db).records.meeting(meeting_id)
    assert [(i.number, i.title, i.public) for i in meeting.items] == [
        ("1", "Godkendelse af dagsorden", True), ("2", "Meddelelser fra formanden", True), ("3", "Personalesag", False),
        ("4", "Eventuelt", True),
    ]


async def test_the_new_meeting_form_can_start_empty_or_from_the_last_meeting(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "m", "n")
        form = app.screen
        form.query_one("#f-body", Select).value = "fu"
        form.query_one("#f-source", Select).value = "empty"
        form.query_one("#f-date", Input).focus()
        await type_text(pilot, "2027-05-05")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, MeetingScreen)
        empty_id = app.screen.meeting_id
    items = stored(demo_db).records.meeting(empty_id).items
    assert [i.kind for i in items] == ["approve_agenda", "approve_minutes", "any_other_business"]  # not FU's template
