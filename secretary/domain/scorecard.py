"""The scorecard (styrkort / nøgletal): indicators with results, targets and national averages
by year, the judgement met / missed, the figures a body's own meetings produce, and how
numbers are written. Pure: no store, no clock (today is an argument).

The records themselves (`Indicator`, `IndicatorValue`) live in secretary/domain/model.py
beside every other stored record (the store's COLLECTIONS name them); this module is
their rules. A computed indicator is computed here from `MeetingFacts`: what the scorecard
needs of one meeting, read from a validated `Meeting` or straight from its stored document
(twenty years of a body are never validated to count their agendas).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo

from secretary.domain.cadence import target_range
from secretary.domain.deadlines import deadlines
from secretary.domain.model import (
    COMPUTED_METRICS,
    INDICATOR_UNITS,
    Body,
    Indicator,
    IndicatorValue,
    Meeting,
    Membership,
)
from secretary.domain.rows import MeetingRow
from secretary.i18n import _, pgettext

__all__ = [
    "COMPUTED_METRICS", "INDICATOR_UNITS", "Indicator", "IndicatorValue", "Computed", "MeetingFacts",
    "MetricProvider", "Row", "Cell", "Scorecard", "judge", "format_value", "compute_body_year",
]

Judgement = Literal["met", "missed"]

# -- writing numbers ---------------------------------------------------------------------------

UNIT_SUFFIX = {"percent": " %", "number": "", "kr": " kr", "tkr": " tkr", "kr_per_inhabitant": " kr/inv", "per_inhabitant": "/inv"}
UNIT_SUFFIX_DA = {**UNIT_SUFFIX, "kr_per_inhabitant": " kr/indb.", "per_inhabitant": "/indb."}
NOT_MEASURED = {"sv": "–", "da": "–", "en": "–"}
NO_DATA = {"sv": "i.u.", "da": "i.o.", "en": "n/a"}


def format_number(value: float | int, language: str = "sv") -> str:
    """4142 → "4 142" (sv, en) / "4.142" (da); 28.2 → "28,2"; the decimals as given, no more."""
    text = repr(float(value)) if isinstance(value, float) else str(value)
    if isinstance(value, float) and value.is_integer() and "e" not in text:
        text = str(int(value))
    if "e" in text or "E" in text:
        text = f"{value:f}".rstrip("0").rstrip(".")
    negative = text.startswith("-")
    whole, _point, decimals = text.lstrip("-").partition(".")
    group = "." if language == "da" else " "
    digits = ""
    while len(whole) > 3:
        digits = group + whole[-3:] + digits
        whole = whole[:-3]
    digits = whole + digits
    return ("-" if negative else "") + digits + ("," + decimals if decimals else "")


def format_value(value: float | int | None, unit: str, language: str = "sv", *, suffix: bool = True) -> str:
    if value is None:
        return ""
    units = UNIT_SUFFIX_DA if language == "da" else UNIT_SUFFIX
    # Amounts carry their unit in the indicator's title ("… kr/inv", "… tkr"), as the seed's table does.
    shown = units[unit] if suffix and unit == "percent" else ""
    return format_number(value, language) + shown


def result_text(value: IndicatorValue | None, unit: str, language: str = "sv") -> str:
    """The result cell: the number, "–" when not measured, "i.u." when there is no data, else ""."""
    if value is None:
        return ""
    if value.result is not None:
        return format_value(value.result, unit, language)
    if value.result_missing == "not_measured":
        return NOT_MEASURED.get(language, "–")
    if value.result_missing == "no_data":
        return NO_DATA.get(language, "n/a")
    return ""


def national_text(value: IndicatorValue | None, unit: str, language: str = "sv") -> str:
    if value is None:
        return ""
    if value.national is not None:
        return format_value(value.national, unit, language)
    return NO_DATA.get(language, "n/a") if value.national_missing == "no_data" else ""


def target_text(value: IndicatorValue | None, unit: str, language: str = "sv") -> str:
    return format_value(value.target, unit, language) if value is not None and value.target is not None else ""


def parse_number(text: str, what: str) -> float | int:
    """A number as a person types it: "93", "28,2", "4 142", "8.61" (ValueError naming `what`)."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace("%", "").replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        raise ValueError(f"{what}: value {text!r}: not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"{what}: value {text!r}: not a finite number")
    return int(number) if number.is_integer() and "." not in cleaned else number


LABELS = {
    "sv": {"strategic_areas": "Strategiska målområden", "internal_areas": "Interna målområden", "goal": "Kommunövergripande mål",
           "indicator": "Styrtal", "results": "Resultat", "national": "Rikssnitt", "target": "Måltal",
           "met": "uppnått", "missed": "ej uppnått", "report": "Kvalitetsberättelse", "scorecard": "Styrkort",
           "meetings": "Mötena", "decisions": "Årets beslut", "body": "Forum", "year": "År"},
    "da": {"strategic_areas": "Strategiske målområder", "internal_areas": "Interne målområder", "goal": "Mål",
           "indicator": "Nøgletal", "results": "Resultat", "national": "Landsgennemsnit", "target": "Mål",
           "met": "opfyldt", "missed": "ikke opfyldt", "report": "Årsrapport", "scorecard": "Nøgletal",
           "meetings": "Møderne", "decisions": "Årets beslutninger", "body": "Forum", "year": "År"},
    "en": {"strategic_areas": "Strategic goal areas", "internal_areas": "Internal goal areas", "goal": "Goal",
           "indicator": "Indicator", "results": "Results", "national": "National average", "target": "Target",
           "met": "met", "missed": "missed", "report": "Annual report", "scorecard": "Scorecard",
           "meetings": "The meetings", "decisions": "The year's decisions", "body": "Body", "year": "Year"},
}

# -- judging -----------------------------------------------------------------------------------


def judge(result: float | int | None, target: float | int | None, better: str | None,
          target_range_: tuple[int, int] | None = None) -> Judgement | None:
    """Met or missed against the target; None when there is no result, no target or no direction.

    Higher is better: met when result ≥ target. Lower is better: met when result ≤ target.
    A range (meetings a year, "4–5"): met when the result lies in it.
    """
    if result is None:
        return None
    if target_range_ is not None:
        low, high = target_range_
        return "met" if low <= result <= high else "missed"
    if target is None or better is None:
        return None
    if better == "higher":
        return "met" if result >= target else "missed"
    return "met" if result <= target else "missed"


# -- the scorecard as a table --------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    year: int
    result: float | int | None
    text: str  # as printed: "93 %", "8,61", "–", "i.u.", ""
    judgement: Judgement | None
    note: str = ""
    marker: str = ""  # "*", "**": the footnote's mark after the figure


@dataclass(frozen=True)
class Row:
    """One line of the styrkort: an indicator with a cell per year, its rikssnitt and måltal."""

    indicator: Indicator
    cells: tuple[Cell, ...]
    national: str  # of the last year shown
    target: str  # of the last year shown (måltal)
    judgement: Judgement | None  # the last year's result against its target
    computed: Computed | None = None  # set on rows computed from meetings (the last year's)
    computations: tuple[Computed, ...] = ()  # every year's, for computed rows

    @property
    def series(self) -> list[float | None]:
        return [None if cell.result is None else float(cell.result) for cell in self.cells]


@dataclass(frozen=True)
class Scorecard:
    """The styrkort of one owner (an organisation or a body) over some years."""

    owner_kind: Literal["organisation", "body"]
    owner: str
    owner_name: str
    name: str  # the scorecard's name within the owner ("Social välfärd"), or ""
    language: str
    years: tuple[int, ...]
    rows: tuple[Row, ...]
    footnotes: tuple[tuple[str, str], ...] = ()  # (marker, text) in order of first use

    @property
    def title(self) -> str:
        word = {"sv": "Styrkort", "da": "Styrkort", "en": "Scorecard"}.get(self.language, "Scorecard")  # DESIGN.md's glossary
        year = f" {self.years[-1]}" if self.years else ""
        return f"{word}{year} {self.name or self.owner_name}"

    def areas(self) -> list[tuple[str, str, list[Row]]]:
        """(area kind, area, rows) in the order the rows come."""
        groups: list[tuple[str, str, list[Row]]] = []
        for row in self.rows:
            key = (row.indicator.area_kind, row.indicator.area)
            if groups and (groups[-1][0], groups[-1][1]) == key:
                groups[-1][2].append(row)
            else:
                groups.append((key[0], key[1], [row]))
        return groups


def indicator_order(indicator: Indicator) -> tuple:
    return (indicator.scorecard, 0 if indicator.area_kind == "strategic" else 1, indicator.order, indicator.id)


def build_rows(indicators: Sequence[Indicator], years: Sequence[int], language: str,
               computed: Mapping[str, Mapping[int, Computed]] | None = None) -> tuple[tuple[Row, ...], tuple[tuple[str, str], ...]]:
    """Rows for `indicators` over `years`, with footnote markers ("*", "**", …) numbered by first use.

    `computed` holds, by indicator id, the figures computed from meetings for each year
    (their results stand where a stored indicator has its own)."""
    notes: dict[str, str] = {}
    rows = []
    last = years[-1] if years else None
    for indicator in sorted(indicators, key=indicator_order):
        by_year = (computed or {}).get(indicator.id, {})
        cells = []
        for year in years:
            value = indicator.value(year)
            figure = by_year.get(year)
            if figure is not None:
                result: float | int | None = figure.value
                text = "" if figure.value is None else format_value(figure.value, indicator.unit, language)
                target = value.target if value is not None else None
                verdict = judge(result, target, indicator.better, figure.target_range if target is None else None)
            else:
                result = value.result if value is not None else None
                text = result_text(value, indicator.unit, language)
                verdict = judge(result, value.target if value else None, indicator.better)
            note = value.note if value is not None else ""
            marker = ""
            if note:
                # A note on a figure is marked ("8,61*"); one on an empty cell ("the survey was not
                # done") is printed below the table without a mark, as the seed's styrkort does.
                if note not in notes:
                    notes[note] = ""
                if result is not None and not notes[note]:
                    notes[note] = "*" * (1 + sum(1 for m in notes.values() if m))
                marker = notes[note] if result is not None else ""
            cells.append(Cell(year, result, text, verdict, note, marker))
        last_value = indicator.value(last) if last is not None else None
        last_figure = by_year.get(last) if last is not None else None
        shown_target = target_text(last_value, indicator.unit, language)
        if not shown_target and last_figure is not None and last_figure.target_range is not None:
            low, high = last_figure.target_range
            shown_target = str(low) if low == high else f"{low}–{high}"
        rows.append(Row(
            indicator, tuple(cells), national_text(last_value, indicator.unit, language), shown_target,
            cells[-1].judgement if cells else None, last_figure,
            tuple(by_year[y] for y in years if y in by_year),
        ))
    return tuple(rows), tuple((marker, note) for note, marker in notes.items())


# -- what the meetings produce -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActionFacts:
    id: str
    due: dt.date | None
    done: bool
    done_on: dt.date | None


@dataclass(frozen=True, slots=True)
class MeetingFacts:
    """What the computed indicators need of one meeting, days in the body's own time zone."""

    id: str
    body: str
    start: dt.datetime
    day: dt.date
    status: str
    dispatched_on: dt.date | None
    minutes_status: str
    sent_on: dt.date | None
    approved_on: dt.date | None
    comment_deadline: dt.date | None
    attendance: tuple[tuple[str | None, str | None, str], ...]  # (person, organisation, status)
    actions: tuple[ActionFacts, ...]

    @classmethod
    def of_meeting(cls, meeting: Meeting, body: Body) -> MeetingFacts:
        zone = ZoneInfo(body.timezone)
        minutes = meeting.minutes
        return cls(
            meeting.id, meeting.body, meeting.start, meeting.start.astimezone(zone).date(), meeting.status,
            meeting.dispatched_at.astimezone(zone).date() if meeting.dispatched_at else None,
            minutes.status, minutes.sent_on, minutes.approved_on, minutes.comment_deadline,
            tuple((row.person, row.organisation, row.status) for row in meeting.attendance),
            tuple(ActionFacts(a.id, a.due, a.done, a.done_on) for item in meeting.items for a in item.actions),
        )

    @classmethod
    def of_document(cls, key: str, raw: Mapping[str, Any], body: Body, zone: ZoneInfo | None = None) -> MeetingFacts:
        """From a stored meeting document (already valid: the store validated it when it was written)."""
        zone = zone or ZoneInfo(body.timezone)
        start = dt.datetime.fromisoformat(raw["start"])
        dispatched = raw.get("dispatched_at")
        minutes = raw.get("minutes") or {}

        def day(name: str) -> dt.date | None:
            text = minutes.get(name)
            return dt.date.fromisoformat(text) if text else None

        actions = []
        for item in raw.get("items") or ():
            for action in item.get("actions") or ():
                due, done_on = action.get("due"), action.get("done_on")
                actions.append(ActionFacts(
                    action["id"], dt.date.fromisoformat(due) if due else None, bool(action.get("done")),
                    dt.date.fromisoformat(done_on) if done_on else None,
                ))
        return cls(
            key, raw["body"], start, start.astimezone(zone).date(), raw.get("status", "planned"),
            dt.datetime.fromisoformat(dispatched).astimezone(zone).date() if dispatched else None,
            minutes.get("status", "none"), day("sent_on"), day("approved_on"), day("comment_deadline"),
            tuple((row.get("person"), row.get("organisation"), row["status"]) for row in raw.get("attendance") or ()),
            tuple(actions),
        )

    def row(self) -> MeetingRow:
        """The index row deadlines.py reads (same answer as the meeting)."""
        return MeetingRow(self.id, self.body, self.start, self.status, "", minutes_status=self.minutes_status,
                          dispatched=self.dispatched_on is not None, comment_deadline=self.comment_deadline)


@dataclass(frozen=True)
class Computed:
    """One figure computed from a body's meetings in one year, and how."""

    metric: str
    body: str
    year: int
    value: float | int | None  # None: nothing to measure yet (no meeting whose deadline has come)
    numerator: int
    denominator: int
    how: str  # the rule, in words
    meetings: tuple[str, ...]  # the meetings it was computed from
    details: tuple[str, ...] = ()  # one line per meeting (or action): what counted and why
    of_organisation: str | None = None
    target_range: tuple[int, int] | None = None  # meetings a year: the body's cadence
    unit: str = "percent"
    better: Literal["higher", "lower"] = "higher"

    def summary(self) -> str:
        if self.value is None:
            return f"{self.metric}: nothing to measure yet"
        if self.unit == "percent":
            return f"{self.numerator} of {self.denominator} ({format_number(self.value, 'en')} %)"
        return f"{self.numerator}"


def _percent(numerator: int, denominator: int) -> float | int | None:
    if not denominator:
        return None
    value = round(100 * numerator / denominator, 1)
    return int(value) if value.is_integer() else value


class MetricProvider(Protocol):
    """An extension point: figures from data other than meetings (the cases issue adds
    "hearings answered by the deadline" here). Called for a body and a year."""

    name: str

    def __call__(self, body: Body, year: int, today: dt.date) -> list[Computed]: ...


def compute_body_year(
    body: Body,
    facts: Sequence[MeetingFacts],
    year: int,
    today: dt.date,
    seats: Iterable[Membership] = (),
    person_organisation: Mapping[str, str | None] | None = None,
) -> list[Computed]:
    """Every computed figure of `body` in `year` from its meetings (`facts`: all of the body's
    meetings, any year: an action of December is due in January)."""
    of_year = sorted((f for f in facts if f.body == body.id and f.day.year == year), key=lambda f: (f.start, f.id))
    dues = due_dates(body, of_year)
    figures = [
        meetings_held(body, of_year, year),
        agendas_on_time(body, of_year, year, today, dues),
        minutes_sent_on_time(body, of_year, year, today, dues),
        minutes_approved_on_time(body, of_year, year, today, dues),
        *attendance(body, of_year, year, list(seats), person_organisation or {}),
        *actions(body, [f for f in facts if f.body == body.id], year, today),
    ]
    return figures


def meetings_held(body: Body, facts: Sequence[MeetingFacts], year: int) -> Computed:
    held = [f.id for f in facts if f.status == "held"]
    planned = [f.id for f in facts if f.status in ("planned", "invited")]
    cancelled = [f.id for f in facts if f.status == "cancelled"]
    target = target_range(body)
    wanted = _("as needed") if target is None else (f"{target[0]}" if target[0] == target[1] else f"{target[0]}–{target[1]}")
    how = _("meetings of {body} in {year} with status 'held' ({held}), against the cadence {wanted}; "
            "{planned} not yet held and {cancelled} cancelled are not counted").format(
                body=body.id, year=year, held=len(held), wanted=wanted, planned=len(planned), cancelled=len(cancelled))
    details = tuple([_("{meeting}: held").format(meeting=key) for key in held]
                    + [_("{meeting}: not held yet").format(meeting=key) for key in planned]
                    + [_("{meeting}: cancelled").format(meeting=key) for key in cancelled])
    return Computed("meetings_held", body.id, year, len(held), len(held), len(held), how, tuple(held), details,
                    target_range=target, unit="number")


Dues = dict[str, dict[str, dt.date]]


def due_dates(body: Body, facts: Iterable[MeetingFacts]) -> Dues:
    """Each meeting's deadlines (deadlines.py: the dates the TUI and the feeds show), by meeting id."""
    return {f.id: {line.kind: line.due for line in deadlines(f.row(), body, with_approval=True)}
            for f in facts if f.status != "cancelled"}


def _deadline(fact: MeetingFacts, body: Body, kind: str, dues: Dues | None) -> dt.date:
    if dues is None or fact.id not in dues:
        dues = due_dates(body, [fact])
    return dues[fact.id][kind]


class _OnTime:
    """The tally of an "on time" figure: of the meetings it counts, those done by their deadline,
    with a line for every meeting looked at (counted or not, and why)."""

    def __init__(self) -> None:
        self.on_time = self.counted = 0
        self.used: list[str] = []
        self.details: list[str] = []

    def skip(self, detail: str) -> None:
        self.details.append(detail)

    def judge(self, fact: MeetingFacts, due: dt.date, done_on: dt.date | None, today: dt.date, *,
              waiting: str, missed: str, done: str, done_as: str, **values: str) -> None:
        """Not done: not counted before its deadline (`waiting`), late once it has passed (`missed`);
        done: on time or late (`done`, the day as `done_as`). Each text is formatted with the
        meeting as {fact}, the deadline as {due} and `values`, only for the case met."""
        values = dict(values, fact=fact.id, due=due.isoformat())
        if done_on is None and due >= today:
            self.details.append(waiting.format(**values))
            return
        self.counted += 1
        self.used.append(fact.id)
        if done_on is None:
            self.details.append(missed.format(**values))
            return
        ok = done_on <= due
        self.on_time += ok
        self.details.append(done.format(**values, **{done_as: done_on.isoformat()}, verdict=_("on time") if ok else _("late")))

    def computed(self, key: str, body: Body, year: int, how: str) -> Computed:
        return Computed(key, body.id, year, _percent(self.on_time, self.counted), self.on_time, self.counted, how,
                        tuple(self.used), tuple(self.details))


def agendas_on_time(body: Body, facts: Sequence[MeetingFacts], year: int, today: dt.date,
                    dues: Dues | None = None) -> Computed:
    tally = _OnTime()
    for fact in facts:
        if fact.status == "cancelled":
            continue
        if fact.dispatched_on is None and fact.status in ("invited", "held"):
            tally.skip(_("{fact}: dispatched, but when is not recorded; not counted").format(fact=fact.id))
            continue
        due = _deadline(fact, body, "agenda_dispatch", dues)
        tally.judge(
            fact, due, fact.dispatched_on, today,
            waiting=_("{fact}: not dispatched, deadline {due} not reached; not counted"),
            missed=_("{fact}: not dispatched by the deadline {due}: late"),
            done=_("{fact}: dispatched {dispatched_on}, deadline {due}: {verdict}"), done_as="dispatched_on",
        )
    how = _("agendas of {body}'s meetings in {year} dispatched on or before the dispatch deadline "
            "(the meeting's day − {days} days), of the meetings not cancelled whose agenda went out or whose deadline has passed").format(
                body=body.id, year=year, days=body.deadlines.agenda_dispatch_days)
    return tally.computed("agendas_on_time", body, year, how)


def minutes_sent_on_time(body: Body, facts: Sequence[MeetingFacts], year: int, today: dt.date,
                         dues: Dues | None = None) -> Computed:
    tally = _OnTime()
    for fact in facts:
        if fact.status != "held":
            continue
        out = min((d for d in (fact.sent_on, fact.approved_on) if d is not None), default=None)
        if out is None and fact.minutes_status in ("sent", "approved"):
            tally.skip(_("{fact}: minutes {minutes_status}, but when is not recorded; not counted").format(
                           fact=fact.id, minutes_status=fact.minutes_status,
                       ))
            continue
        due = _deadline(fact, body, "minutes_due", dues)
        tally.judge(
            fact, due, out, today,
            waiting=_("{fact}: minutes not out yet, deadline {due} not reached; not counted"),
            missed=_("{fact}: minutes not sent by the deadline {due}: late"),
            done=_("{fact}: minutes out {out}, deadline {due}: {verdict}"), done_as="out",
        )
    how = _("minutes of {body}'s held meetings in {year} sent (or approved) on or before the minutes deadline "
            "(the meeting's day + {days} days)").format(body=body.id, year=year, days=body.deadlines.minutes_due_days)
    return tally.computed("minutes_sent_on_time", body, year, how)


def minutes_approved_on_time(body: Body, facts: Sequence[MeetingFacts], year: int, today: dt.date,
                             dues: Dues | None = None) -> Computed:
    tally = _OnTime()
    word = pgettext("minutes state", "justerat") if body.language == "sv" else pgettext("minutes state", "approved")
    for fact in facts:
        if fact.status != "held":
            continue
        due = _deadline(fact, body, "approval", dues)
        tally.judge(
            fact, due, fact.approved_on, today,
            waiting=_("{fact}: not {word} yet, deadline {due} not reached; not counted"),
            missed=_("{fact}: not {word} by the deadline {due}: late"),
            done=_("{fact}: {word} {approved_on}, deadline {due}: {verdict}"), done_as="approved_on", word=word,
        )
    how = _("minutes of {body}'s held meetings in {year} {word} on or before the approval deadline "
            "(the comment deadline, else the minutes deadline + {days} days)").format(
                body=body.id, year=year, word=word, days=body.deadlines.comment_days)
    return tally.computed("minutes_approved_on_time", body, year, how)


EXPECTED_ROLES = ("chair", "vice_chair", "member")


def attendance(body: Body, facts: Sequence[MeetingFacts], year: int, seats: Sequence[Membership],
               person_organisation: Mapping[str, str | None]) -> list[Computed]:
    """Per organisation: of the held meetings with attendance recorded, those where it was present.

    Expected at a meeting: every organisation holding a chair's, vice chair's or member's seat
    on the day, and every organisation the attendance names as present, apologies or absent."""
    present: dict[str, list[str]] = {}
    expected: dict[str, list[str]] = {}
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    terms = []  # the seats held some time in the year, as (start, end, organisation)
    for seat in seats:
        if seat.body != body.id or seat.role not in EXPECTED_ROLES or seat.start > last or (seat.end and seat.end < first):
            continue
        org = seat.organisation or (person_organisation.get(seat.person) if seat.person else None)
        if org:
            terms.append((seat.start, seat.end or last, org))
    for fact in facts:
        if fact.status != "held" or not fact.attendance:
            continue
        came: set[str] = set()
        day = fact.day
        due = {org for start, end, org in terms if start <= day <= end}
        for person, organisation, status in fact.attendance:
            org = organisation or (person_organisation.get(person) if person else None)
            if not org or status == "guest":
                continue
            due.add(org)
            if status == "present":
                came.add(org)
        for org in due:
            expected.setdefault(org, []).append(fact.id)
            if org in came:
                present.setdefault(org, []).append(fact.id)
    figures = []
    for org in sorted(expected):
        used = expected[org]
        came_to = set(present.get(org, ()))
        details = tuple(f"{key}: {'present' if key in came_to else 'not present'}" for key in used)
        how = _("held meetings of {body} in {year} with attendance recorded where {organisation} was present "
                "(someone of it, or its seat), of those where it held a seat or was named in the attendance").format(
                    body=body.id, year=year, organisation=org)
        figures.append(Computed("attendance", body.id, year, _percent(len(came_to), len(used)), len(came_to), len(used),
                                how, tuple(used), details, of_organisation=org))
    return figures


def actions(body: Body, facts: Sequence[MeetingFacts], year: int, today: dt.date) -> list[Computed]:
    """Follow-ups due in `year` (from any of the body's meetings): done by the due date, and overdue."""
    on_time = late = 0
    overdue = 0
    used: set[str] = set()
    details = []
    overdue_details = []
    for fact in facts:
        for action in fact.actions:
            if action.due is None or action.due.year != year:
                continue
            if action.done:
                if action.done_on is None:
                    details.append(_("{fact} {action}: done, the day not recorded; not counted").format(
                                       fact=fact.id, action=action.id,
                                   ))
                    continue
                used.add(fact.id)
                ok = action.done_on <= action.due
                on_time += ok
                late += not ok
                verdict = _("on time") if ok else _("late")
                details.append(_("{fact} {action}: due {due}, done {done_on}: {verdict}").format(
                                   fact=fact.id, action=action.id,
                                   due=action.due.isoformat(), done_on=action.done_on.isoformat(), verdict=verdict,
                               ))
            elif action.due < today:
                used.add(fact.id)
                late += 1
                overdue += 1
                details.append(_("{fact} {action}: due {due}, not done: overdue").format(
                                   fact=fact.id, action=action.id, due=action.due.isoformat(),
                               ))
                overdue_details.append(_("{fact} {action}: due {due}, not done").format(
                                           fact=fact.id, action=action.id, due=action.due.isoformat(),
                                       ))
            else:
                details.append(_("{fact} {action}: due {due}, not due yet; not counted").format(
                                   fact=fact.id, action=action.id, due=action.due.isoformat(),
                               ))
    meetings = tuple(sorted(used))
    done_how = _("actions of {body}'s meetings due in {year} done on or before their due date, of those done "
                 "(with the day recorded) or overdue on {today}").format(body=body.id, year=year, today=today.isoformat())
    overdue_how = _("actions of {body}'s meetings due in {year} and not done on {today}").format(
        body=body.id, year=year, today=today.isoformat())
    return [
        Computed("actions_on_time", body.id, year, _percent(on_time, on_time + late), on_time, on_time + late, done_how,
                 meetings, tuple(details)),
        Computed("actions_overdue", body.id, year, overdue, overdue, overdue, overdue_how, meetings, tuple(overdue_details),
                 unit="number", better="lower"),
    ]


METRIC_TITLES: dict[str, dict[str, str]] = {
    "sv": {
        "meetings_held": "Genomförda möten", "agendas_on_time": "Kallelser skickade i tid",
        "minutes_sent_on_time": "Protokoll klara i tid", "minutes_approved_on_time": "Protokoll justerade i tid",
        "attendance": "Närvaro {org}", "actions_on_time": "Åtgärder klara i tid", "actions_overdue": "Försenade åtgärder",
    },
    "da": {
        "meetings_held": "Afholdte møder", "agendas_on_time": "Dagsordener udsendt til tiden",
        "minutes_sent_on_time": "Referater udsendt til tiden", "minutes_approved_on_time": "Referater godkendt til tiden",
        "attendance": "Fremmøde {org}", "actions_on_time": "Opfølgninger udført til tiden", "actions_overdue": "Opfølgninger over tid",
    },
    "en": {
        "meetings_held": "Meetings held", "agendas_on_time": "Agendas dispatched on time",
        "minutes_sent_on_time": "Minutes sent on time", "minutes_approved_on_time": "Minutes approved on time",
        "attendance": "Attendance {org}", "actions_on_time": "Actions done on time", "actions_overdue": "Overdue actions",
    },
}
MEETINGS_AREA = {"sv": "Mötena", "da": "Møderne", "en": "The meetings"}


def computed_id(body: str, metric: str, organisation: str | None = None) -> str:
    """The id a body's computed indicator has: "dassos--agendas-on-time", "dassos--attendance--aarhus"."""
    ident = f"{body}--{metric.replace('_', '-')}"
    return f"{ident}--{organisation}" if organisation else ident


def computed_indicator(body: Body, figure: Computed, organisation_name: Callable[[str], str],
                       stored: Indicator | None = None) -> Indicator:
    """The indicator a computed figure is shown as: the stored one (targets) or a default."""
    if stored is not None:
        return stored
    titles = METRIC_TITLES.get(body.language, METRIC_TITLES["en"])
    org = figure.of_organisation
    title = titles[figure.metric].format(org=organisation_name(org) if org else "")
    return Indicator.model_validate({
        "id": computed_id(body.id, figure.metric, org), "title": title, "body": body.id,
        "area": MEETINGS_AREA.get(body.language, "The meetings"), "area_kind": "internal",
        "order": 1000 + COMPUTED_METRICS.index(figure.metric), "unit": figure.unit, "better": figure.better,
        "source": "computed", "metric": figure.metric, "of_organisation": org,
    })


def parse_years(text: str) -> tuple[int, ...]:
    """"2013-2017" or "2013,2015" or "2017" → years (ValueError naming the value)."""
    years: list[int] = []
    try:
        for part in text.split(","):
            part = part.strip()
            if "-" in part:
                first, last = (int(p) for p in part.split("-", 1))
                if last < first or last - first > 200:
                    raise ValueError
                years.extend(range(first, last + 1))
            else:
                years.append(int(part))
    except ValueError:
        raise ValueError(f"--years: value {text!r}: not years like 2013-2017 or 2013,2015") from None
    if not years or any(not 1900 <= y <= 2200 for y in years):
        raise ValueError(f"--years: value {text!r}: years must lie in 1900-2200")
    return tuple(sorted(set(years)))


@dataclass
class KoladaValue:
    kpi: str
    municipality: str
    year: int
    value: float | int | None  # None: Kolada has no figure (i.u.)


def parse_kolada(raw: Any, source: str = "input") -> list[KoladaValue]:
    """The totals (gender T) of a Kolada API v2 data response; ValueError naming what is wrong."""
    if not isinstance(raw, dict) or not isinstance(raw.get("values"), list):
        raise ValueError(f"{source}: not a Kolada data response (an object with a list 'values')")
    found: list[KoladaValue] = []
    for n, entry in enumerate(raw["values"], 1):
        where = f"{source}: value #{n}"
        if not isinstance(entry, dict):
            raise ValueError(f"{where}: not an object")
        kpi, municipality, period = entry.get("kpi"), entry.get("municipality"), entry.get("period")
        if not isinstance(kpi, str) or not kpi:
            raise ValueError(f"{where}: field 'kpi': value {kpi!r}: not a KPI id")
        if not isinstance(municipality, str) or not (len(municipality) == 4 and municipality.isdigit()):
            raise ValueError(f"{where} (KPI {kpi}): field 'municipality': value {municipality!r}: not a municipality code like 2084")
        year = period if isinstance(period, int) and not isinstance(period, bool) else None
        if isinstance(period, str) and len(period) == 4 and period.isdigit():
            year = int(period)
        if year is None or not 1900 <= year <= 2200:
            raise ValueError(f"{where} (KPI {kpi}, municipality {municipality}): field 'period': value {period!r}: not a year")
        totals = [v for v in entry.get("values") or () if isinstance(v, dict) and v.get("gender") == "T"]
        if len(totals) != 1:
            raise ValueError(f"{where} (KPI {kpi}, municipality {municipality}, {year}): field 'values': "
                             f"{len(totals)} totals (gender T), expected one")
        number = totals[0].get("value")
        if number is not None and (isinstance(number, bool) or not isinstance(number, int | float)
                                   or number != number or abs(number) > 1e15):
            raise ValueError(f"{where} (KPI {kpi}, municipality {municipality}, {year}): field 'value': "
                             f"value {number!r}: not a number")
        if isinstance(number, float) and number.is_integer():
            number = int(number)
        found.append(KoladaValue(kpi, municipality, year, number))
    return found


@dataclass(frozen=True)
class BodyYear:
    """The computed meeting figures of one body in one year (the report's table)."""

    body: Body
    year: int
    figures: tuple[Computed, ...]

    def figure(self, metric: str) -> Computed | None:
        return next((f for f in self.figures if f.metric == metric and f.of_organisation is None), None)


@dataclass(frozen=True)
class Decision:
    meeting: str
    day: dt.date
    body: str
    number: str
    title: str
    decision: str
    outcome: str | None


@dataclass(frozen=True)
class Report:
    """What the annual report (kvalitetsberättelse / årsrapport) of one owner and year holds."""

    year: int
    language: str
    owner_kind: Literal["organisation", "body"]
    owner: str
    owner_name: str
    scorecards: tuple[Scorecard, ...]
    meeting_figures: tuple[BodyYear, ...]
    decisions: tuple[Decision, ...]
    closed_items: int  # decisions of closed items: counted, never shown
    issued_by: str


RIKET = "0000"


@dataclass
class KoladaPlan:
    """What an import changes: indicator id → year → {field: value}."""

    changes: dict[str, dict[int, dict[str, Any]]] = field(default_factory=dict)

    def set(self, indicator: str, year: int, **values: Any) -> None:
        self.changes.setdefault(indicator, {}).setdefault(year, {}).update(values)
