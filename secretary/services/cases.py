"""Capacity adjustment cases (kapacitetsjusteringer): register, route, hear, decide, report.

A case follows the rule of its body (DASSOS) in force on its date
(secretary/domain/cases.py). A change that needs approval goes either to a meeting
of one of the rule's deciders (DASSOS or Forretningsudvalget) as a decision item,
whose recorded decision closes the case, or to an e-mail hearing of the body's
member organisations (one message per organisation, through `MailService`), whose
outcome after the deadline follows the rule. Decided cases are reported to the
body's next meeting in one information item ("Orientering om kapacitetsjusteringer").

Every write runs in one transaction; meetings change only through the agenda
service (and so the `MeetingWriter`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from secretary.domain import cases as rules
from secretary.domain.editing import build, refuse_stale, slug, unique_id
from secretary.domain.errors import CaseRefused, MailFailed, NotFound, SecretaryError
from secretary.domain.life import meeting_day
from secretary.domain.model import Body, Case, CaseEvent, Contact, Delivery, HearingResponse, Meeting
from secretary.i18n import _
from secretary.services.clock import Clock
from secretary.services.ports import Store
from secretary.services.records import Records

if TYPE_CHECKING:
    from collections.abc import Callable

    from secretary.services.agenda import AgendaService
    from secretary.services.mail import MailService, MailSettings

MEMBER_ROLES = ("chair", "vice_chair", "member")
ANSWERS = ("approve", "object", "none")

HEARING_TEXTS = {
    "da": {
        "subject": "Mailhøring: {title}{number}",
        "reminder_subject": "Påmindelse om mailhøring: {title}{number}",
        "greeting": "Til {org}",
        "intro": "Sekretariatet sender hermed en kapacitetsjustering i mailhøring i {body} efter arbejdsgangen ved "
                 "kapacitetsjusteringer.",
        "reminder_intro": "Vi har endnu ikke modtaget jeres svar i mailhøringen om kapacitetsjusteringen nedenfor.",
        "answer": "Svar venligst senest {deadline} til {reply} med et af svarene: godkender / gør indsigelse / ingen bemærkninger.",
        "silence": "Manglende svar inden fristen betragtes som godkendelse.",
        "no_silence": "Manglende svar inden fristen betragtes ikke som godkendelse.",
        "case": "Sagsnummer: {number}",
        "closing": "Med venlig hilsen\n{sender}",
    },
    "sv": {
        "subject": "Remiss via e-post: {title}{number}",
        "reminder_subject": "Påminnelse om remiss: {title}{number}",
        "greeting": "Till {org}",
        "intro": "Sekretariatet skickar härmed en kapacitetsjustering på remiss via e-post i {body} enligt arbetsgången för "
                 "kapacitetsjusteringar.",
        "reminder_intro": "Vi har ännu inte fått ert svar på remissen om kapacitetsjusteringen nedan.",
        "answer": "Svara senast {deadline} till {reply} med ett av svaren: godkänner / invänder / inga synpunkter.",
        "silence": "Uteblivet svar inom svarstiden räknas som godkännande.",
        "no_silence": "Uteblivet svar inom svarstiden räknas inte som godkännande.",
        "case": "Diarienummer: {number}",
        "closing": "Med vänlig hälsning\n{sender}",
    },
    "en": {
        "subject": "E-mail hearing: {title}{number}",
        "reminder_subject": "Reminder of the e-mail hearing: {title}{number}",
        "greeting": "To {org}",
        "intro": "The secretariat sends the capacity adjustment below to an e-mail hearing of {body}, by the workflow for "
                 "capacity adjustments.",
        "reminder_intro": "We have not yet received your answer to the e-mail hearing on the capacity adjustment below.",
        "answer": "Please answer by {deadline} to {reply} with one of: approve / object / no comment.",
        "silence": "No answer by the deadline counts as approval.",
        "no_silence": "No answer by the deadline does not count as approval.",
        "case": "Case number: {number}",
        "closing": "Kind regards\n{sender}",
    },
}


@dataclass(frozen=True)
class Addressee:
    """A member organisation of the deciding body and where its hearing message goes."""

    organisation: str
    name: str
    people: tuple[tuple[str, str], ...]  # (name, address)
    problem: str = ""


@dataclass
class MailResult:
    """Per organisation: sent, failed (why), or written (dry run)."""

    rows: list[tuple[str, str, str, str]]  # (organisation, addresses, status, problem)

    @property
    def sent(self) -> int:
        return sum(1 for row in self.rows if row[2] == "sent")


class CaseService:
    """The case register and its hearings."""

    def __init__(self, store: Store, clock: Clock, records: Records,
                 agenda: Callable[[], AgendaService], mail: Callable[[], MailService]):
        self.store = store
        self.clock = clock
        self.records = records
        # Asked for when a case writes an item or sends a hearing: the start screen reads cases
        # without loading the agenda's and e-mail's code (smtplib, email).
        self._agenda = agenda
        self._mail = mail

    @property
    def agenda(self) -> AgendaService:
        return self._agenda()

    @property
    def mail(self) -> MailService:
        return self._mail()

    # -- reading -------------------------------------------------------------------------------

    def today(self) -> dt.date:
        return self.clock().date()

    def get(self, case_id: str) -> Case:
        found = self.store.cases.get(case_id)
        if found is None:
            raise NotFound(_("no case with id {case_id!r}").format(case_id=case_id))
        return found

    def all(self) -> list[Case]:
        return sorted(self.store.cases.all().values(), key=lambda c: (c.dated, c.id))

    def routing(self, case: Case, lang: str | None = None) -> rules.Routing:
        """The case's route; its reason in `lang` (a document's language), else the interface's."""
        bodies = {b.id: b for b in self.records.bodies()}
        return rules.routing(case, self.records.body(case.body), bodies, lang)

    def rule(self, case: Case):
        return rules.rule_for(self.records.body(case.body), case.dated)

    def names(self) -> dict[str, str]:
        return {o.id: o.name for o in self.records.organisations()}

    def default_body(self) -> Body:
        """The body whose rules of procedure hold a rule for capacity adjustments."""
        with_rules = [b for b in self.records.bodies(include_retired=False) if b.case_rules]
        if not with_rules:
            raise SecretaryError(_("no body has a rule for capacity adjustments (case_rules); add one to the deciding body"))
        return sorted(with_rules, key=lambda b: b.id)[0]

    def members(self, case: Case, day: dt.date | None = None) -> list[str]:
        """The member organisations of the deciding body on `day` (a voting seat, chair or member)."""
        day = day or case.hearing_sent or self.today()
        people = {p.id: p for p in self.records.people()}
        found: set[str] = set()
        for seat in self.records.memberships(body=case.body):
            if not seat.active_on(day) or seat.role not in MEMBER_ROLES or not seat.voting:
                continue
            org = seat.organisation or (people[seat.person].organisation if seat.person in people else None)  # type: ignore[index]
            if org is not None:
                found.add(org)
        names = self.names()
        return sorted(found, key=lambda o: ((names.get(o) or o).lower(), o))

    def addressees(self, case: Case, day: dt.date | None = None) -> list[Addressee]:
        """Each member organisation with the people who hold its seat and their e-mail addresses."""
        from secretary.services import mail

        day = day or case.hearing_sent or self.today()
        people = {p.id: p for p in self.records.people()}
        names = self.names()
        body = self.records.body(case.body)
        seats = [s for s in self.records.memberships(body=case.body) if s.active_on(day) and s.person in people]
        found = []
        for org in self.members(case, day):
            holders = [people[s.person] for s in seats  # type: ignore[index]
                       if (s.organisation or people[s.person].organisation) == org]  # type: ignore[index]
            reachable = tuple(sorted({(p.name, p.email.strip()) for p in holders if mail.is_address(p.email)}))
            problem = "" if reachable else f"no person with an e-mail address holds the seat of {names.get(org, org)} in {body.label}"
            found.append(Addressee(org, names.get(org, org), reachable, problem))
        return found

    def hearing_result(self, case: Case, today: dt.date | None = None, lang: str | None = None) -> rules.HearingResult:
        return rules.hearing_result(case, self.rule(case), self.members(case), today or self.today(), lang)

    def item_of(self, case: Case) -> tuple[Meeting, Any] | None:
        """The meeting and item the case went to, when both are still there."""
        if not case.meeting or not case.item:
            return None
        meeting = self.store.meetings.get(case.meeting)
        if meeting is None:
            return None
        try:
            return meeting, meeting.item(case.item)
        except KeyError:
            return None

    # -- writing helpers ---------------------------------------------------------------------

    def _event(self, case: Case, action: str, detail: str = "", at: dt.datetime | None = None) -> list[dict]:
        event = CaseEvent(at=at or self.clock(), action=action, detail=detail)  # type: ignore[arg-type]
        return [*(e.model_dump() for e in case.history), event.model_dump()]

    def _save(self, case: Case, action: str, detail: str = "", **changes: Any) -> Case:
        data = case.model_dump()
        data.update(changes)
        data["history"] = self._event(case, action, detail)
        updated = build(Case, data, _("case {case!r}").format(case=case.id))
        with self.store.transaction():
            self.store.cases.save(updated)
        return updated

    def _org(self, org: str, what: str) -> str:
        if self.store.organisations.get(org) is None:
            raise NotFound(_("{what}: no organisation with id {org!r}").format(what=what, org=org))
        return org

    # -- new -----------------------------------------------------------------------------------

    def new(
        self,
        offer: str,
        operator: str,
        before: int,
        after: int,
        *,
        closure: bool = False,
        affected: Sequence[str] = (),
        effect: dt.date | None = None,
        case_number: str = "",
        on: dt.date | None = None,
        body: str | None = None,
    ) -> Case:
        """Register a case; its route follows from the rule in force on its date (`on`, default today)."""
        home = self.records.body(body) if body else self.default_body()
        day = on or self.today()
        rules.rule_for(home, day)  # refuses a date no rule covers
        self._org(operator, _("case operator"))
        for org in affected:
            self._org(org, _("case affected"))
        if closure and after is None:
            after = 0
        with self.store.transaction():
            ident = unique_id(f"{day.year}-{slug(offer, 40)}", self.store.cases.all())
            data = {
                "id": ident, "body": home.id, "offer": offer.strip(), "operator": operator, "places_before": before,
                "places_after": after, "closure": closure, "affected": list(dict.fromkeys(affected)), "effect": effect,
                "case_number": case_number.strip(), "dated": day,
            }
            case = build(Case, data, _("case {ident!r}").format(ident=ident))
            routed = self.routing(case)
            case = case.replace(route=None if routed.needs_approval else "none",
                                history=[CaseEvent(at=self.clock(), action="new", detail=routed.reason).model_dump()])
            self.store.cases.save(case)
        return case

    def record_contact(self, case_id: str, organisation: str, on: dt.date | None = None, note: str = "") -> Case:
        """The operator contacted an affected organisation before the change (required for every case)."""
        case = self.get(case_id)
        self._org(organisation, _("case {case_id!r} contact").format(case_id=case_id))
        day = on or self.today()
        contacts = [c for c in case.contacted if c.organisation != organisation]
        contacts.append(Contact(organisation=organisation, on=day, note=note))
        return self._save(case, "contact", _("{organisation} on {day}").format(organisation=organisation, day=day.isoformat()),
                          contacted=[c.model_dump() for c in contacts])

    def edit(self, case_id: str, based_on: Case | None = None, **changes: Any) -> Case:
        """Change a case's own fields (offer, places, affected, …) while it is open; refused
        (StaleEdit) when the stored case is no longer `based_on`, the copy a form was filled from."""
        with self.store.transaction():
            return self._edit(case_id, based_on, changes)

    def _edit(self, case_id: str, based_on: Case | None, changes: dict[str, Any]) -> Case:
        case = self.get(case_id)
        if based_on is not None and case != based_on:
            refuse_stale(f"case {case_id!r}", case, based_on, self.store.cases.last_written(case_id))
        if case.status != "open":
            raise CaseRefused(case.id, _("only an open case can be edited (status: {status})").format(status=case.status))
        allowed = {"offer", "operator", "places_before", "places_after", "closure", "affected", "effect", "case_number", "dated"}
        unknown = sorted(set(changes) - allowed)
        if unknown:
            raise SecretaryError(_("case {case!r}: field {unknown!r} cannot be edited").format(
                                     case=case.id, unknown=unknown[0],
                                 ))
        for org in [changes.get("operator"), *(changes.get("affected") or [])]:
            if org:
                self._org(org, _("case {case!r}").format(case=case.id))
        data = {**case.model_dump(), **changes}
        updated = build(Case, data, _("case {case!r}").format(case=case.id))
        routed = self.routing(updated)
        return self._save(updated, "new", _("edited: {reason}").format(reason=routed.reason),
                          route=None if routed.needs_approval else "none")

    # -- routes --------------------------------------------------------------------------------

    def _need_approval(self, case: Case) -> rules.Routing:
        routed = self.routing(case)
        if not routed.needs_approval:
            raise CaseRefused(case.id, _("{reason}; close the case instead (case close {case})").format(
                                           reason=routed.reason, case=case.id,
                                       ))
        return routed

    def route_to_meeting(self, case_id: str, meeting_id: str) -> Case:
        """The case becomes a decision item on a meeting of one of the rule's deciders."""
        case = self.get(case_id)
        if case.status not in ("open",):
            raise CaseRefused(case.id, _("only an open case can be routed (status: {status})").format(status=case.status))
        routed = self._need_approval(case)
        meeting = self.records.meeting(meeting_id)
        deciders = routed.rule.deciders or [case.body]
        if meeting.body not in deciders:
            bodies = {b.id: b for b in self.records.bodies()}
            raise CaseRefused(case.id, _("meeting {meeting!r} is of {body!r}; the rule lets {deciders} decide").format(
                                           meeting=meeting.id, body=meeting.body,
                                           deciders=rules.deciders_label(self.records.body(case.body), routed.rule, bodies),
                                       ))
        if meeting.status not in ("planned", "invited"):
            raise CaseRefused(case.id, _("meeting {meeting!r} is {status}; choose a meeting still to come").format(
                                           meeting=meeting.id, status=meeting.status,
                                       ))
        # The item is written in the language of the body that meets, whoever runs the command.
        return self._to_meeting(case, meeting, self.routing(case, self.records.body(meeting.body).language).reason, "route")

    def _to_meeting(self, case: Case, meeting: Meeting, reason: str, action: str) -> Case:
        body = self.records.body(meeting.body)
        texts = rules.item_texts(case, body, self.names(), reason)
        with self.store.transaction():
            item = self.agenda.add_item(
                meeting.id, texts["title"], "decision", case_number=case.case_number or None,
                background=texts["background"], recommendation=texts["recommendation"],
            )
            return self._save(case, action, _("to meeting {meeting} item {number}").format(meeting=meeting.id, number=item.number),
                              status="at_meeting", route="meeting", meeting=meeting.id, item=item.id)

    def hearing_recipients(self, case_id: str) -> list[Addressee]:
        case = self.get(case_id)
        return self.addressees(case, self.today() if case.hearing_sent is None else case.hearing_sent)

    def start_hearing(self, case_id: str, deadline_days: int | None = None) -> tuple[Case, MailResult]:
        """E-mail the hearing to every member organisation; the deadline is today + the rule's days.

        Nothing is written when the mail server cannot be used or accepted no message; a
        message it refused is recorded as failed and sent again by `remind`."""
        case = self.get(case_id)
        if case.status != "open":
            raise CaseRefused(case.id, _("only an open case can go to a hearing (status: {status})").format(status=case.status))
        routed = self._need_approval(case)
        if deadline_days is not None and not 1 <= deadline_days <= 120:
            raise SecretaryError(_("case {case!r}: --deadline-days: value {deadline_days}: not between 1 and 120").format(
                                     case=case.id, deadline_days=deadline_days,
                                 ))
        today = self.today()
        deadline = rules.hearing_deadline(today, routed.rule, deadline_days)
        draft = case.replace(route="hearing", status="hearing", hearing_sent=today, hearing_deadline=deadline)
        addressees = self.addressees(draft, today)
        if not addressees:
            raise CaseRefused(case.id, _("{body!r} has no member organisations on {today}").format(
                                           body=case.body, today=today.isoformat(),
                                       ))
        settings = self.mail.settings()
        deliveries, result = self._send(draft, addressees, "hearing", settings)
        if not result.sent:
            raise MailFailed(_("case {case!r}: no hearing message was accepted; nothing was recorded: ").format(case=case.id)
                             + "; ".join(f"{row[0]}: {row[3]}" for row in result.rows if row[3])[:1500])
        updated = self._save(
            draft, "hearing", _("sent to {sent} of {count}; deadline {deadline}").format(
                sent=result.sent, count=len(addressees), deadline=deadline.isoformat()),
            deliveries=[*(d.model_dump() for d in case.deliveries), *(d.model_dump() for d in deliveries)],
        )
        return updated, result

    def _send(self, case: Case, addressees: Iterable[Addressee], kind: str, settings: MailSettings,
              reminder_for: set[str] | None = None) -> tuple[list[Delivery], MailResult]:
        from secretary.services.mail import Envelope, compose, long_date

        body = self.records.body(case.body)
        rule = self.rule(case)
        t = HEARING_TEXTS[body.language]
        texts = rules.item_texts(case, body, self.names(), self.routing(case, body.language).reason)
        number = f" ({case.case_number})" if case.case_number else ""
        assert case.hearing_deadline is not None
        deadline = long_date(case.hearing_deadline, body.language)
        now = self.clock()
        envelopes, addressed = [], list(addressees)
        for who in addressed:
            if who.problem:
                continue
            reminding = reminder_for is not None and who.organisation in reminder_for
            lines = [t["greeting"].format(org=who.name), "",
                     t["reminder_intro"] if reminding else t["intro"].format(body=body.name), "",
                     texts["title"], "", texts["background"], ""]
            if case.case_number:
                lines += [t["case"].format(number=case.case_number), ""]
            lines += [t["answer"].format(deadline=deadline, reply=settings.reply_address),
                      t["silence"] if rule.silence_is_consent else t["no_silence"], "",
                      t["closing"].format(sender=settings.sender_name or settings.sender), ""]
            subject = t["reminder_subject" if reminding else "subject"].format(title=texts["title"], number=number)
            message = compose(settings, to=list(who.people), subject=subject, text="\n".join(lines), when=now)
            envelopes.append(Envelope(who.organisation, tuple(a for _, a in who.people), message))
        outcomes, _folder = self.mail.deliver(settings, envelopes, dry_run=False, what=f"{kind} of {case.id}")
        by_org = {o.key: o for o in outcomes}
        deliveries, rows = [], []
        for who in addressed:
            outcome = by_org.get(who.organisation)
            ok = outcome is not None and outcome.ok
            problem = who.problem or (outcome.problem() if outcome and not ok else "")
            used = "reminder" if reminder_for is not None and who.organisation in reminder_for else "hearing"
            deliveries.append(Delivery(organisation=who.organisation, kind=used,  # type: ignore[arg-type]
                                       addresses=[a for _, a in who.people], status="sent" if ok else "failed",
                                       at=now, error=problem[:500]))
            rows.append((who.name, ", ".join(a for _, a in who.people), "sent" if ok else "failed", problem))
        return deliveries, MailResult(rows)

    def respond(self, case_id: str, organisation: str, answer: str, text: str = "", on: dt.date | None = None) -> Case:
        """A member organisation's answer in the hearing (a later answer replaces an earlier one)."""
        case = self.get(case_id)
        if answer not in ANSWERS:
            raise SecretaryError(_("case {case!r}: --answer: value {answer!r}: not one of {answers}").format(
                                     case=case.id, answer=answer, answers=', '.join(ANSWERS),
                                 ))
        if case.status != "hearing" or case.hearing_sent is None:
            raise CaseRefused(case.id, _("answers are recorded during an e-mail hearing (status: {status})").format(
                                           status=case.status,
                                       ))
        self._org(organisation, _("case {case!r} response").format(case=case.id))
        members = self.members(case)
        if organisation not in members:
            raise CaseRefused(case.id, _("organisation {organisation!r} is not a member of {body!r}, so it is not heard").format(
                                           organisation=organisation, body=case.body,
                                       ))
        day = on or self.today()
        if day < case.hearing_sent:
            raise CaseRefused(case.id, _("an answer on {day} is before the hearing was sent ({hearing_sent})").format(
                                           day=day.isoformat(), hearing_sent=case.hearing_sent.isoformat(),
                                       ))
        kept = [r for r in case.responses if r.organisation != organisation]
        replaced = len(kept) != len(case.responses)
        kept.append(HearingResponse(organisation=organisation, answer=answer, text=text.strip(), on=day))  # type: ignore[arg-type]
        detail = _("{organisation}: {answer}").format(organisation=organisation, answer=rules.answer_word(answer)) + (
            _(" (replaces the earlier answer)") if replaced else "")
        return self._save(case, "respond", detail, responses=[r.model_dump() for r in kept])

    def reminder_due(self, case: Case, today: dt.date | None = None) -> bool:
        day = rules.reminder_day(case, self.rule(case))
        today = today or self.today()
        return (case.status == "hearing" and day is not None and case.hearing_deadline is not None
                and day <= today <= case.hearing_deadline and bool(rules.unanswered(case, self.members(case))))

    def remind(self, case_id: str) -> tuple[Case, MailResult]:
        """E-mail those who have not answered: a reminder, or the hearing again where it never arrived."""
        case = self.get(case_id)
        if case.status != "hearing" or case.hearing_deadline is None:
            raise CaseRefused(case.id, _("reminders go out during an e-mail hearing (status: {status})").format(
                                           status=case.status,
                                       ))
        if self.today() > case.hearing_deadline:
            raise CaseRefused(case.id, _("the hearing closed on {hearing_deadline}; close the case instead").format(
                                           hearing_deadline=case.hearing_deadline.isoformat(),
                                       ))
        silent = set(rules.unanswered(case, self.members(case)))
        if not silent:
            raise CaseRefused(case.id, _("every member organisation has answered; nobody to remind"))
        reached = {d.organisation for d in case.deliveries if d.status == "sent"}
        targets = [a for a in self.addressees(case) if a.organisation in silent]
        deliveries, result = self._send(case, targets, "reminder", self.mail.settings(), reminder_for=silent & reached)
        updated = self._save(case, "remind", _("sent to {sent} of {count} not answered").format(sent=result.sent, count=len(targets)),
                             deliveries=[*(d.model_dump() for d in case.deliveries), *(d.model_dump() for d in deliveries)])
        return updated, result

    # -- outcome -------------------------------------------------------------------------------

    def settle(self, today: dt.date | None = None) -> list[str]:
        """Apply what is due: hearings whose deadline passed get their outcome by the rule (an
        objection sends the case to the next meeting); a decision recorded on a case's item closes
        it. Returns what changed, one line per case."""
        today = today or self.today()
        done = []
        for case in self.all():
            line = self._settle_one(case, today)
            if line:
                done.append(_("case {case}: {line}").format(case=case.id, line=line))
        return done

    def _settle_one(self, case: Case, today: dt.date) -> str:
        if case.status == "hearing" and case.hearing_deadline is not None and today > case.hearing_deadline:
            result = self.hearing_result(case, today)
            decided = case.hearing_deadline + dt.timedelta(days=1)
            if result.state == "approved":
                with self.store.transaction():
                    updated = self._save(case, "settle", result.reason, status="decided", outcome="approved",
                                         decided_on=decided, decided_by="hearing")
                    self._report(updated)
                return result.reason
            following = self._next_meeting(case, self.clock())
            if following is None:
                self._save(case, "settle", result.reason + _("; no meeting is planned yet: route it with case route --meeting"),
                           status="open")
                return result.reason + _("; no meeting planned: route it with --meeting")
            in_document = self.hearing_result(case, today, self.records.body(following.body).language).reason
            self._to_meeting(case.replace(status="open"), following, in_document, "settle")
            return f"{result.reason}: meeting {following.id}"
        if case.status == "at_meeting":
            found = self.item_of(case)
            if found is None:
                return ""
            meeting, item = found
            if item.outcome in ("approved", "rejected"):
                day = meeting_day(meeting, self.records.body(meeting.body))
                with self.store.transaction():
                    updated = self._save(case, "decide", _("{outcome} at meeting {meeting} item {number}").format(
                                             outcome=rules.outcome_word(item.outcome), meeting=meeting.id, number=item.number),
                                         status="closed", outcome=item.outcome, decided_on=day, decided_by=meeting.id)
                    self._report(updated)
                return f"{item.outcome} at meeting {meeting.id}"
        return ""

    def _next_meeting(self, case: Case, after: dt.datetime) -> Meeting | None:
        """The case's body's next meeting still to come (not held, not cancelled)."""
        later = sorted(
            (row.start, key) for key, row in self.store.meetings.rows().items()
            if row.body == case.body and row.status in ("planned", "invited") and row.start > after
        )
        return self.records.meeting(later[0][1]) if later else None

    def close(self, case_id: str) -> Case:
        """Close a case: a small change (no approval needed), a hearing decided by its rule, or a
        case whose meeting recorded the decision. Refused while a decision is still to come."""
        case = self.get(case_id)
        self._settle_one(case, self.today())
        case = self.get(case_id)
        if case.status == "closed":
            return case
        if case.status == "decided":
            return self._save(case, "close", _("outcome {outcome}").format(outcome=rules.outcome_word(case.outcome)), status="closed")
        if case.status == "hearing":
            assert case.hearing_deadline is not None
            raise CaseRefused(case.id, _("the hearing is open until {hearing_deadline}").format(
                                           hearing_deadline=case.hearing_deadline.isoformat(),
                                       ))
        if case.status == "at_meeting":
            raise CaseRefused(case.id, _("no decision (approved or rejected) is recorded yet on its item at meeting {meeting!r}").format(
                                           meeting=case.meeting,
                                       ))
        routed = self.routing(case)
        if routed.needs_approval:
            raise CaseRefused(case.id, _("{reason}: route it first (case route {case} --meeting M | --hearing)").format(
                                           reason=routed.reason, case=case.id,
                                       ))
        today = self.today()
        missing = [o for o in case.affected if o not in {c.organisation for c in case.contacted}]
        detail = routed.reason + (_("; not recorded as contacted: {organisations}").format(organisations=", ".join(missing))
                                  if missing else "")
        with self.store.transaction():
            updated = self._save(case, "close", detail, status="closed", outcome="not_required", decided_on=today,
                                 decided_by="operator")
            self._report(updated)
        return updated

    # -- afterwards: the information item ---------------------------------------------------------

    def _report(self, case: Case) -> None:
        """Put the decided case on the information item of its body's next meeting (created once)."""
        if case.decided_by and self.store.meetings.get(case.decided_by) is not None:
            decided_at = self.records.meeting(case.decided_by)
            if decided_at.body == case.body:
                return  # decided at the body's own meeting: it knows
        following = self._next_meeting(case, self.clock())
        if following is None:
            return
        reported = self._save(case, "report", _("information item on meeting {meeting}").format(meeting=following.id),
                              reported_at=following.id)
        self._information_item(following, reported)

    def _information_item(self, meeting: Meeting, newest: Case) -> None:
        body = self.records.body(meeting.body)
        listed = [c for c in self.store.cases.all().values() if c.reported_at == meeting.id and c.id != newest.id] + [newest]
        listed.sort(key=lambda c: (c.decided_on or dt.date.min, c.id))
        texts = rules.information_texts(listed, body, self.names())
        existing = [i for i in meeting.items if i.kind == "information" and i.title == texts["title"]]
        if existing:
            self.agenda.edit_item(meeting.id, existing[0].id, background=texts["background"],
                                  recommendation=texts["recommendation"])
        else:
            self.agenda.add_item(meeting.id, texts["title"], "information", background=texts["background"],
                                 recommendation=texts["recommendation"])

    # -- the rule, as the body's data ---------------------------------------------------------------

    def set_rule(self, body_id: str, valid_from: dt.date | None, **parameters: Any) -> Body:
        """Add or change the version of a body's rule valid from `valid_from` (its rules of procedure)."""
        body = self.records.body(body_id)
        rules_now = [r.model_dump() for r in body.case_rules if r.valid_from != valid_from]
        current = next((r for r in body.case_rules if r.valid_from == valid_from), None)
        data = {**(current.model_dump() if current else {}), **parameters, "valid_from": valid_from}
        rules_now.append(data)
        rules_now.sort(key=lambda r: r["valid_from"] or dt.date.min)
        changed = build(Body, {**body.model_dump(), "case_rules": rules_now}, _("body {body!r} rule").format(body=body.id))
        with self.store.transaction():
            self.store.bodies.save(changed)
        return changed

    # -- the overview ---------------------------------------------------------------------------

    def hearings_closing(self, today: dt.date, days: int = 7) -> list[Case]:
        """Hearings whose deadline falls within `days` days (or has passed unsettled), soonest first."""
        horizon = today + dt.timedelta(days=days)
        found = [c for c in self.store.cases.all().values()
                 if c.status == "hearing" and c.hearing_deadline is not None and c.hearing_deadline <= horizon]
        return sorted(found, key=lambda c: (c.hearing_deadline or today, c.id))

    def waiting(self, today: dt.date) -> list[tuple[Case, str]]:
        """Cases waiting for the secretary: to route, to close, a deadline passed, a decision recorded."""
        found = []
        for case in self.store.cases.all().values():
            if case.status == "open":
                found.append((case, "route" if case.route is None else "close"))
            elif case.status == "decided":
                found.append((case, "close"))
            elif case.status == "hearing" and case.hearing_deadline is not None and today > case.hearing_deadline:
                found.append((case, "deadline passed"))
            elif case.status == "hearing" and self.reminder_due(case, today):
                found.append((case, "remind"))
            elif case.status == "at_meeting":
                item = self.item_of(case)
                if item is not None and item[1].outcome in ("approved", "rejected"):
                    found.append((case, "decision recorded"))
        return sorted(found, key=lambda pair: (pair[0].dated, pair[0].id))
