"""Capacity adjustments (kapacitetsjusteringer): the body's rule, a case's route, a hearing's outcome.

The operating municipality or the region changes the number of places at an offer
covered by the framework agreement. The body's rules of procedure (`Body.case_rules`,
one `CaseRule` per version, by valid-from date) say what the change needs:

- a change of more than `threshold` places, or the closure of a whole offer whatever
  its size: approval at a meeting of one of the `deciders` (DASSOS or
  Forretningsudvalget) or by an e-mail hearing with a deadline of `hearing_days`;
- a smaller change: no prior approval; the operator contacts the affected
  municipalities first (as for every change).

A case follows the version in force on its date; the Midtjylland preset holds the
rule of 1 March 2017 and the one before it (every change needed approval). After a
hearing's deadline the outcome follows the rule: an objection sends the case to the
next meeting as an item; silence is consent unless the rule says otherwise.

Everything here is pure: the case, the rule, the day in; a result or a refusal out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from secretary.domain.errors import CaseRefused, SecretaryError
from secretary.domain.model import Body, Case, CaseRule, HearingResponse
from secretary.i18n import _, ngettext, pgettext, translations

Route = Literal["none", "approval"]


def rule_for(body: Body, day: dt.date) -> CaseRule:
    """The version of the body's rule in force on `day`: the latest valid-from not after it
    (a rule without valid-from is the one before every dated one)."""
    in_force = [r for r in body.case_rules if r.valid_from is None or r.valid_from <= day]
    if not in_force:
        if not body.case_rules:
            raise SecretaryError(_("body {body!r} has no rule for capacity adjustments (case_rules is empty)").format(
                                     body=body.id,
                                 ))
        first = min(r.valid_from for r in body.case_rules if r.valid_from is not None)
        raise SecretaryError(
            _("body {body!r}: no rule for capacity adjustments was in force on {day} (the first is valid "
              "from {first})").format(body=body.id, day=day.isoformat(), first=first.isoformat())
        )
    return max(in_force, key=lambda r: r.valid_from or dt.date.min)


def later_rule(body: Body, rule: CaseRule) -> CaseRule | None:
    """The version that replaced `rule`, if any."""
    after = [r for r in body.case_rules if r.valid_from is not None and (rule.valid_from is None or r.valid_from > rule.valid_from)]
    return min(after, key=lambda r: r.valid_from or dt.date.min) if after else None


def deciders_label(body: Body, rule: CaseRule, bodies: Mapping[str, Body]) -> str:
    """"DASSOS/FU": the bodies whose meeting may approve, by their short names."""
    ids = rule.deciders or [body.id]
    return "/".join(bodies[i].label if i in bodies else i for i in ids)


@dataclass(frozen=True)
class Routing:
    """What a case needs by its rule, and why, in words."""

    route: Route
    reason: str
    rule: CaseRule

    @property
    def needs_approval(self) -> bool:
        return self.route == "approval"


def needs_approval(case: Case, rule: CaseRule) -> bool:
    if case.closure:
        return rule.closure_needs_approval or abs(case.change) > rule.threshold
    return abs(case.change) > rule.threshold


def _language(lang: str | None):
    """gettext and ngettext of `lang` (a document's language), or of the interface when None."""
    if lang is None:
        return _, ngettext
    found = translations(lang)
    return found.gettext, found.ngettext


def routing(case: Case, body: Body, bodies: Mapping[str, Body], lang: str | None = None) -> Routing:
    """The route the case's rule gives it, with the reason in `lang` (a document's language;
    None: the interface's): "12 places > 10: approval needed at DASSOS/FU or by e-mail hearing (14 days)"."""
    gettext, ngettext = _language(lang)
    rule = rule_for(body, case.dated)
    deciders = deciders_label(body, rule, bodies)
    where = gettext("approval needed at {deciders} or by e-mail hearing ({days} days)").format(deciders=deciders, days=rule.hearing_days)
    size = abs(case.change)
    places = ngettext("{count} place", "{count} places", size).format(count=size)
    older = ""
    newer = later_rule(body, rule)
    if newer is not None and newer.valid_from is not None:
        older = gettext("dated {dated}, before the rule of {valid_from}: ").format(dated=case.dated.isoformat(),
                                                                             valid_from=newer.valid_from.isoformat())
    if case.closure and rule.closure_needs_approval:
        reason = older + gettext("closure of the whole offer ({places}), whatever its size: {where}").format(places=places, where=where)
        return Routing("approval", reason, rule)
    if size > rule.threshold:
        if rule.threshold == 0:
            reason = older + gettext("every change needs approval ({places}) at {deciders} or by e-mail hearing ({days} days)").format(
                places=places, deciders=deciders, days=rule.hearing_days)
            return Routing("approval", reason, rule)
        return Routing("approval", older + gettext("{places} > {threshold}: {where}").format(places=places, threshold=rule.threshold,
                                                                                       where=where), rule)
    reason = older + gettext("{places} ≤ {threshold}: no prior approval needed; "
                       "the operator contacts the affected municipalities before the change").format(places=places,
                                                                                                      threshold=rule.threshold)
    return Routing("none", reason, rule)


def hearing_deadline(sent: dt.date, rule: CaseRule, days: int | None = None) -> dt.date:
    return sent + dt.timedelta(days=rule.hearing_days if days is None else days)


def reminder_day(case: Case, rule: CaseRule) -> dt.date | None:
    """The day reminders go to those who have not answered (`reminder_days` before the deadline)."""
    if case.hearing_deadline is None:
        return None
    return case.hearing_deadline - dt.timedelta(days=rule.reminder_days)


def unanswered(case: Case, members: Iterable[str]) -> list[str]:
    answered = {r.organisation for r in case.responses}
    return [org for org in members if org not in answered]


@dataclass(frozen=True)
class HearingResult:
    """A hearing's state by its rule on a day."""

    state: Literal["open", "approved", "to_meeting"]
    reason: str
    objections: tuple[HearingResponse, ...] = ()
    silent: tuple[str, ...] = ()


def hearing_result(case: Case, rule: CaseRule, members: Sequence[str], today: dt.date, lang: str | None = None) -> HearingResult:
    """What the hearing gives on `today`: open until its deadline has passed; then an
    objection sends the case to the next meeting as an item; without one, silence is consent
    unless the rule says otherwise (then a member's silence also sends it to a meeting)."""
    if case.hearing_deadline is None:
        raise CaseRefused(case.id, _("has no e-mail hearing"))
    gettext = _language(lang)[0]
    objections = tuple(r for r in case.responses if r.answer == "object")
    silent = tuple(unanswered(case, members))
    deadline = case.hearing_deadline.isoformat()
    if today <= case.hearing_deadline:
        answered = len(members) - len(silent)
        return HearingResult("open", gettext("hearing open until {deadline}: {answered} of {members} answered").format(
            deadline=deadline, answered=answered, members=len(members)), objections, silent)
    if objections:
        who = ", ".join(r.organisation for r in objections)
        return HearingResult("to_meeting", gettext("objection from {who}: the case goes to the next meeting as an item").format(who=who),
                             objections, silent)
    if silent and not rule.silence_is_consent:
        return HearingResult(
            "to_meeting", gettext("{silent} did not answer by {deadline} and the rule does not count silence as consent: "
              "the case goes to the next meeting as an item").format(silent=len(silent), deadline=deadline), objections, silent,
        )
    consent = gettext("; {silent} did not answer (silence is consent)").format(silent=len(silent)) if silent else ""
    return HearingResult("approved", gettext("approved by e-mail hearing (deadline {deadline})").format(deadline=deadline) + consent,
                         objections, silent)


def change_text(case: Case) -> str:
    """"40 → 28 places (−12)" or "3 → 0 places (closure)"."""
    sign = "+" if case.change > 0 else "−"
    what = _("closure") if case.closure else f"{sign}{abs(case.change)}"
    return _("{before} → {after} places ({change})").format(before=case.places_before, after=case.places_after, change=what)


# -- the texts a case puts on an agenda and into a hearing -----------------------------------

TEXTS = {
    "da": {
        "title": "Kapacitetsjustering: {offer}",
        "closure_title": "Lukning af tilbud: {offer}",
        "background": "{operator} ønsker at ændre kapaciteten på {offer} fra {before} til {after} pladser ({change}).",
        "closure_bg": "{operator} ønsker at lukke {offer} ({before} pladser).",
        "effect": "Ændringen har virkning fra {effect}.",
        "affected": "Berørte kommuner: {names}.",
        "contacted": "Driftsherren har kontaktet: {names}.",
        "rule": "Efter arbejdsgangen ved kapacitetsjusteringer skal ændringen godkendes: {reason}.",
        "objection": "Sagen blev sendt i mailhøring med frist {deadline}; indsigelse fra {names}.",
        "recommendation": "Det indstilles, at {title_lower} godkendes.",
        "info_title": "Orientering om kapacitetsjusteringer",
        "info_line": "{offer} ({operator}): {before} → {after} pladser, {outcome} {day}",
        "info_recommendation": "Det indstilles, at orienteringen tages til efterretning.",
        "approved": "godkendt",
        "rejected": "ikke godkendt",
        "not_required": "gennemført uden forudgående godkendelse",
        "withdrawn": "trukket tilbage",
        "by_hearing": "ved mailhøring",
    },
    "sv": {
        "title": "Kapacitetsjustering: {offer}",
        "closure_title": "Nedläggning av verksamhet: {offer}",
        "background": "{operator} vill ändra kapaciteten på {offer} från {before} till {after} platser ({change}).",
        "closure_bg": "{operator} vill lägga ned {offer} ({before} platser).",
        "effect": "Ändringen gäller från {effect}.",
        "affected": "Berörda kommuner: {names}.",
        "contacted": "Huvudmannen har kontaktat: {names}.",
        "rule": "Enligt arbetsgången för kapacitetsjusteringar ska ändringen godkännas: {reason}.",
        "objection": "Ärendet skickades på remiss via e-post med svar senast {deadline}; invändning från {names}.",
        "recommendation": "Förslag till beslut: {title_lower} godkänns.",
        "info_title": "Information om kapacitetsjusteringar",
        "info_line": "{offer} ({operator}): {before} → {after} platser, {outcome} {day}",
        "info_recommendation": "Förslag till beslut: informationen noteras.",
        "approved": "godkänd",
        "rejected": "inte godkänd",
        "not_required": "genomförd utan föregående godkännande",
        "withdrawn": "återkallad",
        "by_hearing": "genom remiss via e-post",
    },
    "en": {
        "title": "Capacity adjustment: {offer}",
        "closure_title": "Closure of an offer: {offer}",
        "background": "{operator} wants to change the capacity of {offer} from {before} to {after} places ({change}).",
        "closure_bg": "{operator} wants to close {offer} ({before} places).",
        "effect": "The change takes effect on {effect}.",
        "affected": "Affected municipalities: {names}.",
        "contacted": "The operator has contacted: {names}.",
        "rule": "By the workflow for capacity adjustments the change needs approval: {reason}.",
        "objection": "The case was sent to an e-mail hearing with the deadline {deadline}; objection from {names}.",
        "recommendation": "It is recommended that the {title_lower} is approved.",
        "info_title": "Information on capacity adjustments",
        "info_line": "{offer} ({operator}): {before} → {after} places, {outcome} {day}",
        "info_recommendation": "It is recommended that the information is noted.",
        "approved": "approved",
        "rejected": "not approved",
        "not_required": "made without prior approval",
        "withdrawn": "withdrawn",
        "by_hearing": "by e-mail hearing",
    },
}


def item_texts(case: Case, body: Body, names: Mapping[str, str], reason: str) -> dict[str, str]:
    """Title, background and recommendation of the decision item a case becomes, in the body's language."""
    t = TEXTS[body.language]
    title = (t["closure_title"] if case.closure else t["title"]).format(offer=case.offer)
    operator = names.get(case.operator, case.operator)
    sign = "+" if case.change > 0 else "−"
    if case.closure:
        parts = [t["closure_bg"].format(operator=operator, offer=case.offer, before=case.places_before)]
    else:
        parts = [t["background"].format(operator=operator, offer=case.offer, before=case.places_before,
                                        after=case.places_after, change=f"{sign}{abs(case.change)}")]
    if case.effect:
        parts.append(t["effect"].format(effect=case.effect.isoformat()))
    if case.affected:
        parts.append(t["affected"].format(names=", ".join(names.get(o, o) for o in case.affected)))
    if case.contacted:
        parts.append(t["contacted"].format(names=", ".join(f"{names.get(c.organisation, c.organisation)} ({c.on.isoformat()})"
                                                            for c in case.contacted)))
    parts.append(t["rule"].format(reason=reason))
    objections = [r for r in case.responses if r.answer == "object"]
    if objections and case.hearing_deadline:
        parts.append(t["objection"].format(deadline=case.hearing_deadline.isoformat(),
                                           names=", ".join(names.get(r.organisation, r.organisation) for r in objections)))
        parts.extend(f"{names.get(r.organisation, r.organisation)}: {r.text}" for r in objections if r.text)
    title_lower = title[0].lower() + title[1:]
    return {
        "title": title,
        "background": "\n\n".join(parts),
        "recommendation": t["recommendation"].format(title_lower=title_lower),
    }


def information_texts(cases: Sequence[Case], body: Body, names: Mapping[str, str]) -> dict[str, str]:
    """The information item "Orientering om kapacitetsjusteringer" listing decided cases."""
    t = TEXTS[body.language]
    lines = []
    for case in cases:
        outcome = t[case.outcome or "approved"]
        if case.decided_by == "hearing":
            outcome = f"{outcome} {t['by_hearing']}"
        lines.append("- " + t["info_line"].format(
            offer=case.offer, operator=names.get(case.operator, case.operator), before=case.places_before,
            after=case.places_after, outcome=outcome, day=case.decided_on.isoformat() if case.decided_on else "",
        ).rstrip())
    return {"title": t["info_title"], "background": "\n".join(lines), "recommendation": t["info_recommendation"]}


# A case's stored keys (its status, outcome, who decided, a hearing answer, a history step's
# kind) in the reader's language, for the command line, the TUI and the history's own lines;
# English says the key as stored. A meeting that decided is named by its id, as stored.
def status_word(key: str) -> str:
    words = {
        "open": pgettext("case status", "open"), "at_meeting": pgettext("case status", "at_meeting"),
        "hearing": pgettext("case status", "hearing"), "decided": pgettext("case status", "decided"),
        "closed": pgettext("case status", "closed"),
    }
    return words.get(key, key)


def outcome_word(key: str | None) -> str:
    words = {
        "approved": pgettext("case outcome", "approved"), "rejected": pgettext("case outcome", "rejected"),
        "not_required": pgettext("case outcome", "not_required"), "withdrawn": pgettext("case outcome", "withdrawn"),
    }
    return words.get(key or "", key or "")


def decided_by_word(key: str) -> str:
    words = {"hearing": pgettext("case decided by", "hearing"), "operator": pgettext("case decided by", "operator")}
    return words.get(key, key)


def answer_word(key: str) -> str:
    words = {
        "approve": pgettext("hearing answer", "approve"), "object": pgettext("hearing answer", "object"),
        "none": pgettext("hearing answer", "none"),
    }
    return words.get(key, key)


def step_word(key: str) -> str:
    words = {
        "new": pgettext("case history", "new"), "contact": pgettext("case history", "contact"),
        "route": pgettext("case history", "route"), "hearing": pgettext("case history", "hearing"),
        "respond": pgettext("case history", "respond"), "remind": pgettext("case history", "remind"),
        "settle": pgettext("case history", "settle"), "decide": pgettext("case history", "decide"),
        "close": pgettext("case history", "close"), "report": pgettext("case history", "report"),
        "mail": pgettext("case history", "mail"),
    }
    return words.get(key, key)
