"""Pilot tests of what the TUI hands to the outside world: .docx exports, feed addresses, the year plan.

Each test checks what was written or stored (the file on disk, a fresh service on the
same database), not only what the screen shows.
"""

from __future__ import annotations

import stat

import docx
from textual.widgets import DataTable, Static

from screens.app import SecretaryCommands
from screens.bodies import BodiesScreen
from screens.dialogs import ConfirmScreen, ErrorScreen
from screens.documents import ExportScreen
from screens.feeds import PersonFeedScreen
from screens.meeting import MeetingScreen
from screens.people import PeopleScreen
from screens.year import PlanScreen, YearScreen
from tests.documents_data import closed_texts, leaked
from tests.functional.tui_helpers import build_app, press, settle, stored

SIZE = (80, 24)
HELD = "dassos-2026-10-08"


async def open_meeting(pilot, meeting_id: str) -> MeetingScreen:
    await press(pilot, "m")
    pilot.app.push_screen(MeetingScreen(meeting_id))
    await settle(pilot)
    assert isinstance(pilot.app.screen, MeetingScreen)
    return pilot.app.screen


def shown(widget: Static) -> str:
    """The widget's text as a terminal would show it, at the widget's width."""
    import io

    from rich.console import Console

    console = Console(file=io.StringIO(), width=max(40, widget.size.width), color_system=None, legacy_windows=False)
    console.print(widget.content)
    return console.file.getvalue()


def closed_only_texts(sec, meeting_id: str) -> list[str]:
    """Texts of the meeting's closed items that appear nowhere a public document may print."""
    meeting = sec.records.meeting(meeting_id)
    # Titles stay public; names of organisations and people are printed in the header anyway.
    public_texts = [i.title for i in meeting.items] + [o.name for o in sec.records.organisations()] + [p.name for p in sec.records.people()]
    for item in meeting.items:
        if item.public:
            public_texts += [item.background, item.recommendation, item.decision or ""]
    secrets = [s for s in closed_texts(meeting) if not any(s in p for p in public_texts)]
    assert secrets  # the demo meeting has closed content, so the check below can fail
    return secrets


async def test_export_public_minutes_from_the_dialog_writes_a_docx_without_closed_text(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_meeting(pilot, HELD)
        await press(pilot, "E")
        assert isinstance(app.screen, ExportScreen)
        await press(pilot, "4")  # public minutes
        assert app.screen is screen
        await settle(pilot)
    folder = demo_db.parent / "exports"
    written = folder / "DASSOS-2026-10-08-referat-offentlig.docx"
    assert written.is_file()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and stat.S_IMODE(written.stat().st_mode) == 0o600
    data = written.read_bytes()
    text = "\n".join(p.text for p in docx.Document(written).paragraphs)
    assert "Referat" in text and "Lukket punkt" in text
    secrets = closed_only_texts(stored(demo_db), HELD)
    assert leaked(data, secrets) == []
    # The same bytes as `secretary export minutes --public` would write.
    assert data == stored(demo_db).documents.render(HELD, "minutes", True).data


async def test_export_full_agenda_from_the_palette(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_meeting(pilot, HELD)
        commands = {title: run for title, _, run in SecretaryCommands(screen)._commands()}
        for title in ("export: agenda (.docx)", "export: public agenda (.docx)", "export: minutes (.docx)",
                      "export: public minutes (.docx)"):
            assert title in commands
        await commands["export: agenda (.docx)"]()
        await settle(pilot)
    written = demo_db.parent / "exports" / "DASSOS-2026-10-08-dagsorden-med-lukkede-punkter.docx"  # holds closed items
    data = written.read_bytes()
    assert "Dagsorden" in "\n".join(p.text for p in docx.Document(written).paragraphs)
    assert leaked(data, closed_only_texts(stored(demo_db), HELD))  # the full version holds the closed items


async def test_export_into_a_folder_that_cannot_be_made_shows_an_error(demo_db, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("SECRETARY_EXPORTS", str(blocker / "exports"))
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_meeting(pilot, HELD)
        await press(pilot, "E", "1")
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert "export folder" in shown(app.screen.query_one("#error-message", Static))


async def test_body_page_shows_and_copies_the_feed_addresses(demo_db, monkeypatch):
    monkeypatch.setenv("SECRETARY_PUBLIC_HOST", "kalender.example.dk")
    app = build_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "b")
        bodies = app.screen
        assert isinstance(bodies, BodiesScreen)
        bodies.select_body("dassos")
        await settle(pilot)
        page = shown(bodies.query_one("#bd-page", Static))
        assert "webcal://kalender.example.dk/calendars/dassos.ics" in page
        assert "https://kalender.example.dk/calendars/dassos.ics" in page
        await press(pilot, "c")
        assert app.clipboard == "webcal://kalender.example.dk/calendars/dassos.ics"
        await press(pilot, "C")
        assert app.clipboard == "https://kalender.example.dk/calendars/dassos.ics"


async def test_body_feed_host_defaults_to_the_local_server(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "b")
        app.screen.select_body("fu")
        await settle(pilot)
        assert "webcal://localhost:8080/calendars/fu.ics" in shown(app.screen.query_one("#bd-page", Static))


async def test_person_feed_token_issued_copied_then_revoked(demo_db):
    person = "henning-hansen"
    assert stored(demo_db).feeds.feed_token(person) is None
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "p")
        people = app.screen
        assert isinstance(people, PeopleScreen)
        table = people.query_one("#pp-people", DataTable)
        table.move_cursor(row=table.get_row_index(person))
        await press(pilot, "c")
        dialog = app.screen
        assert isinstance(dialog, PersonFeedScreen)
        await press(pilot, "r")  # nothing to revoke yet: no question asked
        assert app.screen is dialog
        await press(pilot, "i")
        token = stored(demo_db).feeds.feed_token(person)
        assert token is not None
        urls = shown(dialog.query_one("#feed-urls", Static)).replace("\n", "")  # 80 columns wrap the address
        assert f"webcal://localhost:8080/calendars/p/{token}.ics" in urls
        await press(pilot, "C")
        assert app.clipboard == f"https://localhost:8080/calendars/p/{token}.ics"
        # A new address replaces the old one, after a question.
        await press(pilot, "i")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "y")
        renewed = stored(demo_db).feeds.feed_token(person)
        assert renewed is not None and renewed != token
        # Revoking asks first; "no" keeps it.
        await press(pilot, "r")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")
        assert stored(demo_db).feeds.feed_token(person) == renewed
        await press(pilot, "r", "y")
        assert app.screen is dialog
        assert stored(demo_db).feeds.person_for_token(renewed) is None
        await press(pilot, "escape")
        assert app.screen is people
    assert stored(demo_db).feeds.feed_token(person) is None


async def test_year_view_shows_meetings_milestones_and_cadence(demo_db):
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "y")
        year = app.screen
        assert isinstance(year, YearScreen) and app.current_mode == "year"
        assert year.year == 2026
        months = shown(year.query_one("#yr-months", Static))
        assert "08 DASSOS held" in months and "02 FU invited" in months
        assert "Ny toårig" not in months  # an odd-years milestone
        assert "DASSOS: 1 of 4–5" in shown(year.query_one("#yr-cadence", Static))
        await press(pilot, "right")
        assert year.year == 2027
        months = shown(year.query_one("#yr-months", Static))
        assert "01 ◆ Ny toårig" in months and "14 DASSOS planned" in months
        await press(pilot, "left_square_bracket", "left_square_bracket")
        assert year.year == 2025


async def test_plan_the_year_from_the_year_view_and_store_it(demo_db):
    expected = {p.meeting: p for p in stored(demo_db).planning.plan(2027).new}
    assert expected
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "y", "right", "P")
        dialog = app.screen
        assert isinstance(dialog, PlanScreen)
        listing = shown(dialog.query_one("#plan-text", Static))
        first = min(expected.values(), key=lambda p: p.start)
        assert first.reason[:40] in listing.replace("\n", " ")
        await press(pilot, "y")
        await settle(pilot)
        assert isinstance(app.screen, YearScreen)
        cadence = shown(app.screen.query_one("#yr-cadence", Static))
        assert "Kontaktudvalget: 4 of 4" in cadence
    sec = stored(demo_db)
    for ident, proposal in expected.items():
        meeting = sec.records.meeting(ident)
        assert meeting.status == "planned" and meeting.start == proposal.start and meeting.body == proposal.body
    assert sec.planning.plan(2027).new == ()  # stored: the next plan proposes nothing


async def test_plan_dialog_escape_stores_nothing(demo_db):
    before = set(r.id for r in stored(demo_db).overview.meeting_rows())
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "y", "P")
        assert isinstance(app.screen, PlanScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, YearScreen)
    assert set(r.id for r in stored(demo_db).overview.meeting_rows()) == before


async def test_new_bindings_have_ids_and_palette_titles(demo_db):
    from screens import strings as S

    classes = [YearScreen, PlanScreen, ExportScreen, PersonFeedScreen, MeetingScreen, BodiesScreen, PeopleScreen]
    assert [f"{c.__name__}:{b.key}" for c in classes for b in c.BINDINGS if not b.id] == []
    for command_id in ("nav.year", "meeting.export", "year.plan", "people.feed", "bodies.copy_webcal", "bodies.copy_https"):
        assert S.CMD[command_id][0].split(": ")[0] in {"go to", "export", "plan", "feed", "meeting", "edit", "help", "quit"}
    app = build_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "y")
        titles = [title for title, _, _ in SecretaryCommands(app.screen)._commands()]
        assert "plan: propose the year's meetings" in titles and "go to: year" in titles


async def test_a_plan_with_problems_is_shown_and_cannot_be_stored(demo_db, monkeypatch):
    from secretary.domain.planning import Plan, Problem

    before = set(r.id for r in stored(demo_db).overview.meeting_rows())
    app = build_app(demo_db)
    real = app.secretary.planning.plan(2027)
    problem = Problem("dassos", "holiday", "DASSOS: no day left in May that is not a holiday")
    monkeypatch.setattr(app.secretary.planning, "plan", lambda year, body=None, **kw: Plan(year, real.proposals, (problem,)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "y", "right", "P")
        dialog = app.screen
        assert isinstance(dialog, PlanScreen) and not dialog.storable
        assert "[holiday] DASSOS: no day left" in shown(dialog.query_one("#plan-text", Static))
        await press(pilot, "y")  # refused: the dialog stays, nothing is stored
        assert app.screen is dialog
        await press(pilot, "escape")
        assert isinstance(app.screen, YearScreen)
    assert set(r.id for r in stored(demo_db).overview.meeting_rows()) == before


async def test_a_failing_plan_worker_shows_the_error_dialog(demo_db, monkeypatch):
    from secretary.domain.planning import PlanningProblem, Problem

    app = build_app(demo_db)

    def refuse(year, body=None, **kw):
        raise PlanningProblem(year, [Problem("fu", "before", "FU cannot meet 7 days before DASSOS")])

    monkeypatch.setattr(app.secretary.planning, "apply_plan", refuse)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "y", "right", "P", "y")
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert "FU cannot meet" in shown(app.screen.query_one("#error-message", Static))
