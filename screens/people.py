"""People and their memberships: contact details, seats, terms ending, who sat where and when."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select, Static, TabbedContent, TabPane

from screens import strings as S
from screens.base import SectionScreen, Table, fmt_date, short
from screens.dialogs import ConfirmScreen
from screens.feeds import PersonFeedScreen
from screens.forms import body_options, membership_form, person_form
from screens.keybar import KeyBar
from secretary.i18n import N_

PEOPLE_ONLY = {"new_person", "edit_person", "delete_person", "feed"}
SEATS_ONLY = {"new_seat", "edit_seat", "end_seat", "delete_seat"}


class PeopleScreen(SectionScreen):
    """Two tabs: people, and memberships filtered by body and year ('who sat in FU in 2019?')."""

    SECTION = "people"
    BINDINGS = [
        # The tab titles name these keys ("1 People", "2 Memberships"), so the footer need not.
        Binding("1", "tab('tab-people')", N_("People"), id="people.tab_people", show=False),
        Binding("2", "tab('tab-seats')", N_("Memberships"), id="people.tab_seats", show=False),
        Binding("n", "new_person", N_("New person"), id="people.new"),
        Binding("e", "edit_person", N_("Edit"), id="people.edit"),
        Binding("d", "delete_person", N_("Delete"), id="people.delete", tooltip=N_("u undoes")),
        Binding("c", "feed", N_("Calendar feed"), id="people.feed", tooltip=N_("The person's calendar feed address: issue, copy, revoke")),
        Binding("n", "new_seat", N_("New seat"), id="seats.new"),
        Binding("e", "edit_seat", N_("Edit"), id="seats.edit"),
        Binding("x", "end_seat", N_("End today"), id="seats.end", tooltip=N_("The term ends today; history is kept")),
        Binding("d", "delete_seat", N_("Delete"), id="seats.delete", tooltip=N_("u undoes")),
        Binding("f", "filter", N_("Filter"), id="seats.filter", tooltip=N_("Body and year")),
        Binding("escape", "to_list", N_("To the list"), id="people.to_list", show=False, tooltip=N_("Out of the filter, back to the list")),
    ]

    def compose(self) -> ComposeResult:
        yield self.nav()
        with TabbedContent(id="pp-tabs", initial="tab-people"):
            with TabPane(f"1 {S.P_PEOPLE_TAB}", id="tab-people"):
                yield Table(id="pp-people")
            with TabPane(f"2 {S.P_SEATS_TAB}", id="tab-seats"):
                with Horizontal(classes="filter-bar"):
                    yield Select([], prompt=S.P_FILTER_BODY, id="pp-body", compact=True)
                    yield Input("", placeholder=S.P_FILTER_YEAR, id="pp-year", type="integer", max_length=4, compact=True)
                yield Static("", id="pp-count", classes="hint")
                yield Table(id="pp-seats")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#pp-people", DataTable).add_columns(S.COL_NAME, S.COL_JOB, S.COL_ORG, S.COL_EMAIL, S.COL_PHONE)
        self.query_one("#pp-seats", DataTable).add_columns(S.COL_BODY, S.COL_HOLDER, S.COL_ORG, S.COL_ROLE, S.COL_FROM, S.COL_TO)
        self.query_one("#pp-body", Select).set_options(body_options(self.secretary_app, include_retired=True))
        self.query_one("#pp-people", DataTable).focus()
        self.reload()

    @property
    def tab(self) -> str:
        return self.query_one("#pp-tabs", TabbedContent).active

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return True
        try:
            tab = self.tab
        except Exception:  # noqa: BLE001 - before compose finished
            return True
        if action in PEOPLE_ONLY and tab != "tab-people":
            return False
        if action in SEATS_ONLY | {"filter"} and tab != "tab-seats":
            return False
        return True

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()
        if self.tab == "tab-seats" and self._seats_stale:
            self._fill_seats()
        table = "#pp-people" if self.tab == "tab-people" else "#pp-seats"
        self.query_one(table, DataTable).focus()

    def action_tab(self, tab: str) -> None:
        self.query_one("#pp-tabs", TabbedContent).active = tab

    def action_to_list(self) -> None:
        self.query_one("#pp-people" if self.tab == "tab-people" else "#pp-seats", DataTable).focus()

    def action_filter(self) -> None:
        self.query_one("#pp-body", Select).focus()

    @on(Select.Changed, "#pp-body")
    @on(Input.Changed, "#pp-year")
    def _filter_changed(self) -> None:
        self._fill_seats()

    def reload(self) -> None:
        self.people = {p.id: p for p in self.sec.records.people()}
        self.orgs = {o.id: o.short_name or o.name for o in self.sec.records.organisations()}
        self.labels = {b.id: b.label for b in self.sec.records.bodies()}
        table = self.query_one("#pp-people", DataTable)
        keep = self.selected_key(table)
        table.clear()
        for person in sorted(self.people.values(), key=lambda p: p.name.casefold()):
            table.add_row(
                short(person.name, 24), short(person.title, 14), short(self.orgs.get(person.organisation or "", S.NONE), 12),
                short(person.email, self.room(66, 10)), short(person.phone, 14), key=person.id,
            )
        self.keep_cursor(table, keep)
        # The seats table is filled when it is shown: twenty years are thousands of seats,
        # and a DataTable measures every cell of every row it is given (0.4 s at scale 1).
        self._seats_stale = True
        if self.tab == "tab-seats":
            self._fill_seats()

    _seats_stale = True

    def _fill_seats(self) -> None:
        self._seats_stale = False
        body = self.query_one("#pp-body", Select).value
        year_text = self.query_one("#pp-year", Input).value.strip()
        year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
        body_id = None if body is Select.NULL else str(body)
        seats = self.call(lambda: self.sec.records.memberships(body=body_id, year=year)) or []
        ending = {s.id for s in self.sec.overview.memberships_ending(self.today)}
        table = self.query_one("#pp-seats", DataTable)
        keep = self.selected_key(table)
        table.clear()
        for seat in seats:
            person = self.people.get(seat.person or "")
            end = fmt_date(seat.end) + (" " + S.P_ENDING_MARK if seat.id in ending else "")
            table.add_row(
                short(self.labels.get(seat.body, seat.body), 10),
                short(person.name if person else S.P_NO_PERSON, 14),
                short(self.orgs.get(seat.organisation or "", S.NONE), 12),
                S.ROLES[seat.role],
                fmt_date(seat.start),
                end,
                key=seat.id,
            )
        self.keep_cursor(table, keep)
        self.query_one("#pp-count", Static).update(S.SR_COUNT.format(count=len(seats)) + " · " + S.P_ENDING_HINT)

    def on_data_table_row_selected(self, event) -> None:
        event.stop()
        if event.data_table.id == "pp-people":
            self.action_edit_person()
        else:
            self.action_edit_seat()

    def select_person(self, person_id: str) -> None:
        self.action_tab("tab-people")
        self.keep_cursor(self.query_one("#pp-people", DataTable), person_id)

    # -- people ---------------------------------------------------------------------------

    def _person_key(self) -> str | None:
        return self.selected_key(self.query_one("#pp-people", DataTable))

    def _seat_key(self) -> str | None:
        return self.selected_key(self.query_one("#pp-seats", DataTable))

    def _done(self, result) -> None:
        if result is not None:
            self.notify(S.SAVED)
        self.reload()
        if result is not None:
            table = "#pp-people" if self.tab == "tab-people" else "#pp-seats"
            self.keep_cursor(self.query_one(table, DataTable), result.id)

    def action_new_person(self) -> None:
        self.app.push_screen(person_form(self.secretary_app, None), self._done)

    def _done_undoable(self, form, put_back):
        def done(result) -> None:
            self._done(result)
            before = form.record  # what the save was based on (the fresh copy after a reload)
            if result is not None and result != before:  # u puts it back as it was
                self.secretary_app.offer_undo(getattr(before, "name", before.id), lambda: put_back(before, result))
                self.notify(S.SAVED_UNDO, timeout=6)

        return done

    def action_edit_person(self) -> None:
        key = self._person_key()
        if key and key in self.people:
            person = self.people[key]
            form = person_form(self.secretary_app, person)
            self.app.push_screen(form, self._done_undoable(form, self.sec.registry.put_back))

    def action_delete_person(self) -> None:
        key = self._person_key()
        if key:
            self._confirm_delete(key, lambda: self.sec.registry.delete_person(key))

    def action_feed(self) -> None:
        key = self._person_key()
        if key and key in self.people:
            self.app.push_screen(PersonFeedScreen(self.people[key], self.sec, self.call))

    def _confirm_delete(self, what: str, delete) -> None:
        def answer(yes: bool | None) -> None:
            if not yes:
                return
            deleted = self.call(delete)
            if deleted is not None:
                self.secretary_app.offer_undo(what, lambda: self.sec.undo_delete(deleted))
                self.notify(S.DELETED_UNDO.format(what=what), timeout=8)
                self.reload()

        self.app.push_screen(ConfirmScreen(S.CONFIRM_DELETE.format(what=what)), answer)

    # -- memberships --------------------------------------------------------------------------

    def action_new_seat(self) -> None:
        body = self.query_one("#pp-body", Select).value
        body_id = None if body is Select.NULL else str(body)
        self.app.push_screen(membership_form(self.secretary_app, None, body_id), self._done)

    def action_edit_seat(self) -> None:
        key = self._seat_key()
        seat = self.call(lambda: self.sec.records.membership(key)) if key else None
        if seat is not None:
            form = membership_form(self.secretary_app, seat)
            self.app.push_screen(form, self._done_undoable(form, self.sec.registry.put_back))

    def action_end_seat(self) -> None:
        key = self._seat_key()
        if key and self.call(lambda: self.sec.registry.end_membership(key, self.today)) is not None:
            self.notify(S.M_ENDED.format(what=key, date=self.today.isoformat()))
            self.reload()

    def action_delete_seat(self) -> None:
        key = self._seat_key()
        if key:
            self._confirm_delete(key, lambda: self.sec.registry.delete_membership(key))
