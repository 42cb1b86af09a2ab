"""Cases: capacity adjustments (kapacitetsjusteringer), their route by the rule, and their e-mail hearings.

The list shows every case with its route in words; enter opens a case: its facts, the rule,
and the hearing with a row per member organisation and its answer. Sending the hearing
and reminding ask first, naming every recipient. Each action calls the same service
method as its command (`secretary case …`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from screens import strings as S
from screens.base import SectionScreen, Table, short
from screens.dialogs import ConfirmScreen, FieldSpec, FormScreen, parse_date, parse_int
from screens.keybar import KeyBar
from secretary.domain import cases as rules
from secretary.domain.errors import InvalidField
from secretary.domain.model import Case
from secretary.i18n import N_, gettext
from secretary.services.cases import Addressee


def _orgs(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _number(values: dict[str, Any], name: str) -> int:
    value = parse_int(values[name], name)
    if value is None:
        raise InvalidField(gettext("form"), name, values[name], S.FIELD_REQUIRED)
    return value


def case_form(screen: SectionScreen, case: Case | None) -> FormScreen[Case]:
    sec = screen.sec
    org_options = [(Text(o.short_name or o.name), o.id) for o in sec.records.organisations()]

    def submit(values: dict[str, Any]) -> Case:
        fields = {
            "closure": bool(values["closure"]), "affected": _orgs(values["affected"]),
            "effect": parse_date(values["effect"], "effect"), "case_number": values["case_number"].strip(),
        }
        offer = (values["offer"] or "").strip()
        operator = values["operator"]
        if not operator:
            raise InvalidField(gettext("form"), "operator", None, S.FIELD_REQUIRED)
        before, after = _number(values, "places_before"), _number(values, "places_after")
        dated = parse_date(values["dated"], "dated")
        if case is None:
            return sec.cases.new(offer, operator, before, after, on=dated, **fields)
        return sec.cases.edit(case.id, based_on=case, offer=offer, operator=operator, places_before=before, places_after=after,
                              dated=dated or case.dated, **fields)

    current = case
    fields = [
        FieldSpec("offer", value=current.offer if current else ""),
        FieldSpec("operator", "select", current.operator if current else None, org_options, allow_blank=True),
        FieldSpec("places_before", value=str(current.places_before) if current else ""),
        FieldSpec("places_after", value=str(current.places_after) if current else ""),
        FieldSpec("closure", "check", current.closure if current else False),
        FieldSpec("affected", value=", ".join(current.affected) if current else ""),
        FieldSpec("effect", value=current.effect.isoformat() if current and current.effect else "", placeholder=gettext("YYYY-MM-DD")),
        FieldSpec("case_number", value=current.case_number if current else ""),
        FieldSpec("dated", value=(current.dated if current else screen.today).isoformat()),
    ]
    reload = None if case is None else (lambda: case_form(screen, sec.cases.get(case.id)))
    return FormScreen(S.CS_NEW if case is None else S.CS_EDIT.format(case=case.id), fields, submit, reload, record=case)


class CasesScreen(SectionScreen):
    """Every case, its status and its route by the rule."""

    SECTION = "cases"
    DEFAULT_CSS = "#cs-rule { height: auto; color: $text-muted; padding: 0 1; }"
    BINDINGS = [
        Binding("n", "new", N_("New"), id="cases.new", tooltip=N_("Register a capacity adjustment")),
        Binding("e", "edit", N_("Edit"), id="cases.edit", tooltip=N_("Edit an open case")),
        Binding("r", "reload", N_("Refresh"), id="cases.refresh"),
    ]

    def compose(self) -> ComposeResult:
        yield self.nav()
        yield Static(S.CS_TITLE, classes="section-title")
        yield Static("", id="cs-rule", markup=False)
        yield Table(id="cs-table")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#cs-table", DataTable)
        # The status first: at 80 columns the route (the longest) is what is cut, not the status.
        table.add_columns(S.COL_STATUS, S.COL_OFFER, S.COL_OPERATOR, S.COL_CHANGE, S.COL_CASE_NUMBER, S.COL_ROUTE)
        table.focus()
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        # Due outcomes first (a hearing past its deadline, a decision recorded at a meeting): a write, on the UI thread.
        self.call(lambda: self.sec.cases.settle(self.today))
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="cases", description="cases")
    def load(self) -> None:
        sec = self.sec
        names = {o.id: o.short_name or o.name for o in sec.records.organisations()}
        rule_line = ""
        try:
            body = sec.cases.default_body()
            rule = rules.rule_for(body, self.today)
            bodies = {b.id: b for b in sec.records.bodies()}
            rule_line = S.CS_RULE.format(
                body=body.label, since=rule.valid_from.isoformat() if rule.valid_from else S.CS_RULE_FIRST,
                threshold=rule.threshold, deciders=rules.deciders_label(body, rule, bodies), days=rule.hearing_days,
                silence=S.CS_SILENCE_IS if rule.silence_is_consent else S.CS_SILENCE_NOT,
            )
        except Exception:  # noqa: BLE001 - no body holds a rule: the list still shows
            rule_line = ""
        rows = []
        for case in sec.cases.all():
            reason = sec.cases.routing(case).reason
            rows.append((case.id, (S.CS_STATUS[case.status], short(case.offer, 24), short(names.get(case.operator, case.operator), 14),
                                   rules.change_text(case), case.case_number or S.NONE, short(reason, self.room(110, 30)))))
        self.app.call_from_thread(self._fill, rule_line, rows)

    def _fill(self, rule_line: str, rows: list) -> None:
        self.query_one("#cs-rule", Static).update(rule_line)
        table = self.query_one("#cs-table", DataTable)
        keep = self.selected_key(table)
        table.clear()
        if not rows:
            table.add_row(S.CS_EMPTY, "", "", "", "", "", key=Table.PLACEHOLDER)
        for key, cells in rows:
            table.add_row(*cells, key=key)
        self.keep_cursor(table, keep)

    def _current(self) -> str | None:
        key = self.selected_key(self.query_one("#cs-table", DataTable))
        return None if key in (None, Table.PLACEHOLDER) else key

    def action_new(self) -> None:
        def done(case: Case | None) -> None:
            if case is not None:
                self.notify(f"{case.id}: {self.sec.cases.routing(case).reason}", timeout=8)
                self.reload()
                self.app.push_screen(CaseScreen(case.id))

        self.app.push_screen(case_form(self, None), done)

    def action_edit(self) -> None:
        key = self._current()
        if key:
            self.app.push_screen(case_form(self, self.sec.cases.get(key)), lambda _c: self.reload())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = self._current()
        if key:
            self.app.push_screen(CaseScreen(key))


class CaseScreen(SectionScreen):
    """One case: its facts, its route, and its hearing with a row per member organisation."""

    SECTION = "cases"
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="case.back"),
        Binding("h", "hearing", N_("Hearing"), id="case.hearing", tooltip=N_("Send the e-mail hearing (shows the recipients first)")),
        Binding("t", "meeting", N_("To meeting"), id="case.meeting", tooltip=N_("A decision item on a DASSOS or FU meeting")),
        Binding("1", "answer('approve')", N_("Approve"), id="case.approve", show=False),
        Binding("2", "answer('object')", N_("Object"), id="case.object", show=False),
        Binding("3", "answer('none')", N_("No comment"), id="case.none", show=False),
        Binding("w", "answer_form", N_("Answer"), id="case.answer", tooltip=N_("Record the selected organisation's answer with a text")),
        Binding("r", "remind", N_("Remind"), id="case.remind", tooltip=N_("E-mail those who have not answered")),
        Binding("c", "contact", N_("Contacted"), id="case.contact", tooltip=N_("Record that an affected organisation was contacted")),
        Binding("x", "close_case", N_("Close"), id="case.close", tooltip=N_("Close a decided case")),
    ]

    def __init__(self, case_id: str):
        super().__init__()
        self.case_id = case_id

    def compose(self) -> ComposeResult:
        yield self.nav()
        with VerticalScroll(id="case-box", can_focus=False):
            yield Static("", id="case-facts", markup=False)
            yield Static(S.CS_HEARING, classes="section-title")
            yield Table(id="case-hearing", open_label=None)
            yield Static(S.CS_KEYS_HINT, classes="hint")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#case-hearing", DataTable)
        table.add_columns(S.COL_ORGANISATION, S.COL_ANSWER, S.COL_MAIL)
        table.focus()
        self.reload()
        # Focusing a long hearing table scrolls the facts above it out of view: they come first.
        self.call_after_refresh(lambda: self.query_one("#case-box", VerticalScroll).scroll_home(animate=False))

    def reload(self) -> None:
        sec = self.sec
        case = sec.cases.get(self.case_id)
        names = sec.cases.names()
        routed = sec.cases.routing(case)
        lines = [
            f"{case.offer} — {names.get(case.operator, case.operator)}   ({case.id})",
            f"{rules.change_text(case)}" + (gettext(", effect {effect}").format(effect=case.effect.isoformat()) if case.effect else "")
            + f"   {S.COL_CASE_NUMBER}: {case.case_number or S.NONE}   {S.COL_STATUS}: {S.CS_STATUS[case.status]}",
            f"{S.COL_ROUTE}: {routed.reason}",
        ]
        if case.affected:
            contacted = {c.organisation: c.on for c in case.contacted}
            lines.append(gettext("Affected (berørte): ") + ", ".join(
                names.get(o, o) + (f" ✓ {contacted[o].isoformat()}" if o in contacted else " ✗") for o in case.affected))
        if case.meeting:
            lines.append(gettext("Meeting: {meeting}").format(meeting=case.meeting))
        if case.hearing_deadline:
            state = sec.cases.hearing_result(case, self.today).reason if case.status == "hearing" else S.CS_STATUS[case.status]
            lines.append(gettext("Deadline: {deadline} — {state}").format(deadline=case.hearing_deadline.isoformat(), state=state))
        if case.outcome:
            lines.append(gettext("Outcome: {outcome} {decided_on} {decided_by}").format(
                outcome=rules.outcome_word(case.outcome), decided_on=case.decided_on.isoformat() if case.decided_on else '',
                decided_by=rules.decided_by_word(case.decided_by),
            ))
        if case.reported_at:
            lines.append(gettext("Reported: {reported_at} (Orientering om kapacitetsjusteringer)").format(reported_at=case.reported_at))
        self.query_one("#case-facts", Static).update("\n".join(lines))
        table = self.query_one("#case-hearing", DataTable)
        keep = self.selected_key(table)
        table.clear()
        answers = {r.organisation: r for r in case.responses}
        mails = {delivery.organisation: delivery for delivery in case.deliveries}
        members = sec.cases.members(case, case.hearing_sent or self.today)
        if case.status != "hearing" and not case.responses:
            table.add_row(S.CS_NO_HEARING, "", "", key=Table.PLACEHOLDER)
        else:
            for org in members:
                answer = answers.get(org)
                said = S.CS_NO_ANSWER if answer is None else (
                    f"{S.CS_ANSWERS[answer.answer]} {answer.on.isoformat()}" + (f": {short(answer.text, 30)}" if answer.text else ""))
                sent = mails.get(org)
                mail = "" if sent is None else (S.CS_MAIL_SENT if sent.status == "sent"
                                                 else S.CS_MAIL_FAILED.format(error=short(sent.error, 40)))
                table.add_row(names.get(org, org), said, mail, key=org)
        self.keep_cursor(table, keep)

    def _org(self) -> str | None:
        key = self.selected_key(self.query_one("#case-hearing", DataTable))
        return None if key in (None, Table.PLACEHOLDER) else key

    def _recipients(self, addressees: list[Addressee]) -> str:
        return "\n".join(f"{a.name}: {', '.join(addr for _, addr in a.people) or S.CS_NO_ADDRESS}" for a in addressees)

    def action_hearing(self) -> None:
        sec = self.sec
        case = self.call(lambda: sec.cases.get(self.case_id))
        if case is None:
            return
        addressees: list[Addressee] = self.call(lambda: sec.cases.hearing_recipients(self.case_id)) or []
        rule = sec.cases.rule(case)
        deadline = self.today + dt.timedelta(days=rule.hearing_days)
        question = S.CS_SEND_HEARING.format(case=case.id, count=len(addressees), deadline=deadline.isoformat(),
                                            recipients=self._recipients(addressees))

        def answer(yes: bool | None) -> None:
            if yes:
                done = self.call(lambda: sec.cases.start_hearing(self.case_id))
                if done is not None:
                    self.notify(S.CS_SENT.format(sent=done[1].sent, count=len(done[1].rows)), timeout=8)
                self.reload()

        self.app.push_screen(ConfirmScreen(question), answer)

    def action_remind(self) -> None:
        sec = self.sec
        case = sec.cases.get(self.case_id)
        silent = set(rules.unanswered(case, sec.cases.members(case)))
        targets = [a for a in sec.cases.addressees(case) if a.organisation in silent]
        question = S.CS_SEND_REMIND.format(count=len(targets), recipients=self._recipients(targets))

        def answer(yes: bool | None) -> None:
            if yes:
                done = self.call(lambda: sec.cases.remind(self.case_id))
                if done is not None:
                    self.notify(S.CS_SENT.format(sent=done[1].sent, count=len(done[1].rows)), timeout=8)
                self.reload()

        self.app.push_screen(ConfirmScreen(question), answer)

    def action_meeting(self) -> None:
        sec = self.sec
        case = sec.cases.get(self.case_id)
        deciders = sec.cases.rule(case).deciders or [case.body]
        labels = {b.id: b.label for b in sec.records.bodies()}
        options = [(Text(f"{labels.get(m.body, m.body)} {m.start.date().isoformat()}"), m.id)
                   for m in sorted((m for body in deciders for m in sec.records.meetings(body=body)), key=lambda m: m.start)
                   if m.status in ("planned", "invited") and m.start.date() >= self.today]

        def submit(values: dict[str, Any]) -> Case:
            if not values["meeting"]:
                raise InvalidField(gettext("form"), "meeting", None, S.FIELD_REQUIRED)
            return sec.cases.route_to_meeting(self.case_id, values["meeting"])

        def done(routed: Case | None) -> None:
            if routed is not None:
                self.notify(S.CS_ROUTED.format(case=routed.id, meeting=routed.meeting), timeout=8)
                self.reload()

        form = FormScreen(S.CS_ROUTE_MEETING.format(case=case.id), [FieldSpec("meeting", "select", None, options)], submit)
        self.app.push_screen(form, done)

    def action_answer(self, answer: str) -> None:
        org = self._org()
        if org:
            self.call(lambda: self.sec.cases.respond(self.case_id, org, answer, on=self.today))
            self.reload()

    def action_answer_form(self) -> None:
        org = self._org()
        if not org:
            self.notify(S.SELECT_FIRST)
            return
        options = [(Text(label), value) for value, label in S.CS_ANSWERS.items()]

        def submit(values: dict[str, Any]) -> Case:
            return self.sec.cases.respond(self.case_id, org, values["answer"] or "", values["text"],
                                          parse_date(values["on"], "on") or self.today)

        fields = [FieldSpec("answer", "select", "approve", options, allow_blank=False), FieldSpec("text", "area", ""),
                  FieldSpec("on", value=self.today.isoformat())]
        self.app.push_screen(FormScreen(S.CS_ANSWER.format(org=self.sec.cases.names().get(org, org)), fields, submit),
                             lambda _c: self.reload())

    def action_contact(self) -> None:
        case = self.sec.cases.get(self.case_id)
        options = [(Text(self.sec.cases.names().get(o, o)), o) for o in case.affected] or \
                  [(Text(o.short_name or o.name), o.id) for o in self.sec.records.organisations()]

        def submit(values: dict[str, Any]) -> Case:
            if not values["organisation"]:
                raise InvalidField(gettext("form"), "organisation", None, S.FIELD_REQUIRED)
            return self.sec.cases.record_contact(self.case_id, values["organisation"], parse_date(values["on"], "on") or self.today)

        fields = [FieldSpec("organisation", "select", None, options), FieldSpec("on", value=self.today.isoformat())]
        self.app.push_screen(FormScreen(S.CS_CONTACT, fields, submit), lambda _c: self.reload())

    def action_close_case(self) -> None:
        closed = self.call(lambda: self.sec.cases.close(self.case_id))
        if closed is not None:
            self.notify(S.CS_CLOSED.format(case=closed.id, outcome=rules.outcome_word(closed.outcome)), timeout=8)
        self.reload()
