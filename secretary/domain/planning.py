"""Year planning: the meetings of every body for one year, with a reason for each date.

A pure module: it takes the bodies, the meetings already stored (of the year and,
when given, of the year before and after), the memberships and a year, and
returns a `Plan`. `Secretary.plan` feeds it from the store; nothing here reads or
writes the database.

The rules, in the order a secretariat applies them:

- Cadence. `per_year` min–max: the minimum is planned (`aim="max"` plans the
  maximum). A body meets its minimum for sure; the difference up to the maximum
  is the reserve for extraordinary meetings (DASSOS 4–5 plans 4 and keeps room
  for a fifth when the framework agreement needs one), and a meeting added later
  is welcome while a planned one cancelled is not. `monthly`: one meeting in
  every month the body may meet in (the 2nd occurrence of its first allowed
  weekday, moved to the nearest possible day). `per_term`: one in the spring
  term (January–June) and one in the autumn term (August–December); a per_term
  min of 4 means two per term. `as_needed`: nothing is proposed, and the plan
  says so.
- Already planned, invited and held meetings are kept and counted; only the rest
  is proposed (a per_year body with 2 of 4 held gets 2). Cancelled meetings do
  not count, and the planner does not put a new meeting of that body on the day
  of a cancelled one.
- Meetings are spread evenly over the months the body may meet in; the already
  counted meetings take the even positions nearest to them, the new ones fill
  the rest.
- A proposed meeting falls on an allowed weekday (`planning.weekdays`, ISO 1–7),
  at `planning.start_time` for `planning.duration_minutes` in the body's time
  zone (aware datetimes), never on a day off of the body's country
  (secretary.workdays: DK/SE public holidays plus the days off in practice),
  never in an excluded month, and at least `planning.min_gap_days` days from
  every other meeting of the body (existing ones and those of the neighbouring
  years included; never two on one day).
- Before-relation. When body P reports to body T or decides on behalf of it
  (FU → DASSOS → KD-net → KKR), P's meetings prepare T's: no meeting of T may
  start on the day of a meeting of P or within the following `before_days` − 1
  days. Put the other way: the next meeting of T after any meeting of P is at
  least `before_days` days later (calendar days, each meeting's date in its own
  body's time zone), so that P's recommendations reach T's agenda. The rule is
  checked in both directions (placing P, and placing T after P's existing
  meetings). Beyond the rule the planner aligns: P's new meetings are aimed at
  exactly `before_days` before those of T's meetings that no meeting of P
  prepares yet, chosen evenly when P meets less often than T. `advises` is a
  softer tie and is not a before-relation.
- Seats. A seat is held by a person (a membership with a person) or by an
  organisation (a membership with an organisation and no person). No holder of
  an active seat on that day is booked into two meetings of different bodies
  whose times overlap.

Bodies are planned so that a body is placed after the bodies it prepares for
(T before P), in id order otherwise; everything is deterministic. A meeting that
cannot be placed is never placed in violation: it becomes a `Problem` naming the
cadence and the constraints that ruled out every day. A final check runs every
rule over the whole year's plan (existing meetings included) and turns any
violation into a problem, so nothing is ever violated silently.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal
from zoneinfo import ZoneInfo

from secretary.domain.cadence import allowed_months, cadence_text, target_range
from secretary.domain.errors import SecretaryError
from secretary.domain.model import Body, Meeting, Membership
from secretary.domain.workdays import country_of
from secretary.domain.workdays import days_off as country_days_off
from secretary.i18n import N_, _, month_names, ngettext, weekday_names

UTC = dt.UTC

# The constraints a problem can name.
CADENCE = "cadence"
WEEKDAYS = "weekdays"
HOLIDAY = "holiday"
EXCLUDED_MONTHS = "excluded_months"
MIN_GAP = "min_gap_days"
SAME_DAY = "same_day"
BEFORE = "before"
SEAT = "seat_overlap"
CONSTRAINTS = (CADENCE, WEEKDAYS, HOLIDAY, EXCLUDED_MONTHS, MIN_GAP, SAME_DAY, BEFORE, SEAT)

SPRING = (1, 2, 3, 4, 5, 6)
AUTUMN = (8, 9, 10, 11, 12)
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July",
               "August", "September", "October", "November", "December")  # fmt: skip
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

DaysOff = Callable[[str, int], Mapping[dt.date, str]]


@dataclass(frozen=True)
class Proposal:
    """One meeting of the year's plan: an existing one, or one the planner proposes."""

    body: str
    start: dt.datetime
    end: dt.datetime
    status: Literal["proposed", "existing"]
    reason: str
    meeting: str  # the existing meeting's id, or the id `apply_plan` stores the proposal under
    day: dt.date  # the meeting's date in its body's time zone

    def as_json(self) -> dict:
        return {
            "body": self.body,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "status": self.status,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Problem:
    """A constraint the plan cannot meet, named, with a message for the secretary.

    `constraint` is one of CONSTRAINTS. A meeting that could not be placed is a
    `cadence` problem whose `causes` are the constraints that ruled out every
    day it could have had.
    """

    body: str
    constraint: str
    message: str
    causes: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()  # every body the problem involves (body first)

    def __str__(self) -> str:
        return self.message

    def involves(self, body: str) -> bool:
        return body == self.body or body in self.bodies


AS_NEEDED = N_("meets as needed; nothing proposed")


class PlanNote(str):
    """One note of the planner, typed: which body, its label, the text, and whether it says the
    body meets as needed. Still the string "[fu] FU: …" for those who print or filter notes."""

    body: str
    label: str
    text: str

    def __new__(cls, body: str, label: str, text: str) -> PlanNote:
        note = super().__new__(cls, f"[{body}] {label}: {text}")
        note.body, note.label, note.text = body, label, text
        return note

    def __reduce__(self):  # copy/pickle rebuild from the parts, not the joined string
        return (PlanNote, (self.body, self.label, self.text))

    @property
    def as_needed(self) -> bool:
        return self.text in (AS_NEEDED, _(AS_NEEDED))

    @property
    def shown(self) -> str:
        """The note as the user reads it: "FU: …"."""
        return f"{self.label}: {self.text}"


@dataclass(frozen=True)
class Plan:
    """The year's plan: every meeting (existing and proposed), the problems and the notes."""

    year: int
    proposals: tuple[Proposal, ...]
    problems: tuple[Problem, ...] = ()
    notes: tuple[PlanNote, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def new(self) -> tuple[Proposal, ...]:
        return tuple(p for p in self.proposals if p.status == "proposed")

    def for_body(self, body: str) -> Plan:
        return Plan(
            self.year,
            tuple(p for p in self.proposals if p.body == body),
            tuple(p for p in self.problems if p.involves(body)),
            tuple(n for n in self.notes if n.body == body),
        )

    def as_json(self) -> list[dict]:
        return [p.as_json() for p in self.proposals]


class PlanningProblem(SecretaryError):
    """The plan cannot meet a constraint; `--apply` stores nothing until it can."""

    title = N_("Plan not possible")

    def __init__(self, year: int, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        lines = [_("the plan for {year} cannot meet {count} constraint(s); nothing was stored:").format(
            year=year, count=len(self.problems),
        )]
        lines += [f"  [{p.constraint}] {p.message}" for p in self.problems]
        super().__init__("\n".join(lines))


def meeting_id(body: str, day: dt.date, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """The id a planned meeting is stored under: "<body>-<YYYY-MM-DD>", "-2", "-3" … if taken."""
    base = f"{body[:53]}-{day.isoformat()}"  # ids are at most 64 characters
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def meeting_times(body: Body, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Start and end of a meeting of `body` on `day`, aware, in the body's time zone."""
    zone = ZoneInfo(body.timezone)
    hours, minutes = (int(part) for part in body.planning.start_time.split(":"))
    start = dt.datetime(day.year, day.month, day.day, hours, minutes, tzinfo=zone)
    start = start.astimezone(UTC).astimezone(zone)  # a time the clock skips (DST) becomes a real one
    end = (start.astimezone(UTC) + dt.timedelta(minutes=body.planning.duration_minutes)).astimezone(zone)
    return start, end


def plan_year(
    year: int,
    bodies: Iterable[Body],
    existing_meetings: Iterable[Meeting],
    memberships: Iterable[Membership],
    *,
    before_days: int = 7,
    aim: Literal["min", "max"] = "min",
    days_off: DaysOff = country_days_off,
    today: dt.date | None = None,
) -> Plan:
    """Plan `year` for every body; see the module docstring for the rules.

    `existing_meetings` may hold meetings of any year: those of `year` are kept
    and counted, those of the year before and after constrain gaps, before-
    relations and seats across the turn of the year; older and newer ones are
    ignored. `days_off(country, year)` gives the days no meeting is planned on.
    With `today`, no meeting is proposed on `today` or before it: a meeting whose
    window lies wholly in the past is not proposed (a note says how many).
    """
    if before_days < 0:
        raise ValueError("before_days must be 0 or more")
    planner = _Planner(year, list(bodies), list(existing_meetings), list(memberships), before_days, aim, days_off)
    planner.today = today
    return planner.run()


# -- the planner -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Booking:
    """A meeting occupying a day and a time: existing (kept) or proposed (new)."""

    body: str
    meeting: str
    start: dt.datetime
    end: dt.datetime
    day: dt.date
    status: str  # a meeting status, or "proposed"

    @property
    def proposed(self) -> bool:
        return self.status == "proposed"


@dataclass(frozen=True)
class _Slot:
    """A meeting to place: the ideal day, the window it must fall in and why it is there."""

    ideal: dt.date
    lo: dt.date
    hi: dt.date
    why: str
    late_penalty: int = 1  # > 1 when the meeting prepares another: a later day is worse than an earlier one


class _Planner:
    def __init__(self, year, bodies, meetings, memberships, before_days, aim, days_off):
        self.year = year
        self.first, self.last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        self.bodies: dict[str, Body] = {b.id: b for b in sorted(bodies, key=lambda b: b.id)}
        self.before_days = before_days
        self.aim = aim
        self.days_off = days_off
        self.problems: list[Problem] = []
        self.notes: list[PlanNote] = []
        self.past_slots: dict[str, int] = {}  # meetings of a body's cadence that would fall before `today`
        self.reasons: dict[str, str] = {}
        self.failures: list[tuple[_Slot, list[tuple[str, str]]]] = []
        self.by_body: dict[str, list[_Booking]] = defaultdict(list)
        self.by_utc_day: dict[dt.date, list[_Booking]] = defaultdict(list)
        self.cancelled_days: dict[str, set[dt.date]] = defaultdict(set)
        self.taken_ids: set[str] = set()
        self.seats: dict[str, list[Membership]] = defaultdict(list)
        for seat in sorted(memberships, key=lambda s: s.id):
            self.seats[seat.body].append(seat)
        self._holders: dict[tuple[str, dt.date], frozenset] = {}
        self._static: dict[tuple[str, dt.date], tuple[str, str] | None] = {}
        self._times: dict[tuple[str, dt.date], tuple[dt.datetime, dt.datetime]] = {}
        self.targets: dict[str, list[tuple[str, str]]] = {}
        self.preparers: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for body in self.bodies.values():
            found: list[tuple[str, str]] = []
            relations = ((body.decides_on_behalf_of, N_("{body} decides on behalf of {other}")),
                         (body.reports_to, N_("{body} reports to {other}")))
            for other, relation in relations:
                if other and other != body.id and other in self.bodies and other not in [t for t, _ in found]:
                    found.append((other, _(relation).format(body=body.label, other=self.bodies[other].label)))
            self.targets[body.id] = found
            for other, text in found:
                self.preparers[other].append((body.id, text))
        for meeting in sorted(meetings, key=lambda m: (m.start, m.id)):
            self.taken_ids.add(meeting.id)
            body = self.bodies.get(meeting.body)
            start = meeting.start.astimezone(ZoneInfo(body.timezone)) if body else meeting.start
            day = start.date()
            if abs(day.year - year) > 1:
                continue
            if meeting.status == "cancelled":
                self.cancelled_days[meeting.body].add(day)
                continue
            end = meeting.end.astimezone(start.tzinfo)
            self._book(_Booking(meeting.body, meeting.id, start, end, day, meeting.status))
            if day.year == year:
                self.reasons[meeting.id] = _existing_reason(meeting, body)

    # -- helpers --------------------------------------------------------------------------

    def label(self, body_id: str) -> str:
        body = self.bodies.get(body_id)
        return body.label if body else body_id

    def _book(self, booking: _Booking) -> None:
        self.by_body[booking.body].append(booking)
        self.by_body[booking.body].sort(key=lambda b: (b.day, b.start, b.meeting))
        self.by_utc_day[booking.start.astimezone(UTC).date()].append(booking)

    def in_year(self, body_id: str) -> list[_Booking]:
        return [b for b in self.by_body[body_id] if b.day.year == self.year]

    def holders(self, body_id: str, day: dt.date) -> frozenset:
        key = (body_id, day)
        if key not in self._holders:
            self._holders[key] = frozenset(
                ("person", s.person) if s.person else ("organisation", s.organisation)
                for s in self.seats[body_id]
                if s.active_on(day)
            )
        return self._holders[key]

    def holiday(self, body: Body, day: dt.date) -> str | None:
        return self.days_off(country_of(body), day.year).get(day)

    def static_check(self, body: Body, day: dt.date) -> tuple[str, str] | None:
        """Rules that depend on the day alone: excluded month, weekday, day off (cached per body and day)."""
        key = (body.id, day)
        if key not in self._static:
            self._static[key] = self._static_check(body, day)
        return self._static[key]

    def times(self, body: Body, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        key = (body.id, day)
        if key not in self._times:
            self._times[key] = meeting_times(body, day)
        return self._times[key]

    def _static_check(self, body: Body, day: dt.date) -> tuple[str, str] | None:
        if day.month in body.planning.excluded_months:
            return EXCLUDED_MONTHS, _("{month} is an excluded month").format(month=month_names()[day.month - 1])
        if day.isoweekday() not in body.planning.weekdays:
            return WEEKDAYS, _("{weekday} is not a meeting day").format(weekday=weekday_names()[day.weekday()])
        name = self.holiday(body, day)
        if name:
            return HOLIDAY, _("{day} is {holiday}").format(day=day.isoformat(), holiday=name)
        return None

    def dynamic_check(self, body: Body, day: dt.date, start: dt.datetime, end: dt.datetime) -> tuple[str, str] | None:
        """Rules that depend on the other meetings: same day, gap, before-relations, seats."""
        if day in self.cancelled_days[body.id]:
            return SAME_DAY, _("a meeting of {body} on {day} was cancelled").format(body=body.label, day=day.isoformat())
        gap = body.planning.min_gap_days
        for other in self.by_body[body.id]:
            distance = abs((day - other.day).days)
            if distance == 0:
                return SAME_DAY, _("{body} already meets on {day}").format(body=body.label, day=day.isoformat())
            if distance < gap:
                return MIN_GAP, _("{distance} days from the meeting on {day} (min_gap_days {gap})").format(
                    distance=distance, day=other.day.isoformat(), gap=gap,
                )
        lead = self.before_days
        for target, text in self.targets[body.id]:
            for other in self.by_body[target]:
                if 0 <= (other.day - day).days < lead:
                    return BEFORE, f"{self.label(target)} meets on {other.day.isoformat()}, less than {lead} days later ({text})"
        for preparer, text in self.preparers[body.id]:
            for other in self.by_body[preparer]:
                if 0 <= (day - other.day).days < lead:
                    return BEFORE, f"{self.label(preparer)} met on {other.day.isoformat()}, less than {lead} days before ({text})"
        mine = self.holders(body.id, day)
        if mine:
            utc_day = start.astimezone(UTC).date()
            for offset in (-1, 0, 1):
                for other in self.by_utc_day.get(utc_day + dt.timedelta(days=offset), ()):
                    if other.body == body.id or not (other.start < end and start < other.end):
                        continue
                    shared = mine & self.holders(other.body, other.day)
                    if shared:
                        who = ", ".join(sorted(h[1] for h in shared)[:3])
                        return SEAT, f"{who} also sit in {self.label(other.body)}, meeting {_clock(other)}"
        return None

    # -- running --------------------------------------------------------------------------

    def order(self) -> list[Body]:
        """Bodies that others prepare for come first (T before P); id order otherwise; cycles broken by id."""
        remaining = dict(self.bodies)
        done: list[Body] = []
        placed: set[str] = set()
        while remaining:
            ready = [b for b in remaining.values() if all(t in placed for t, _ in self.targets[b.id])]
            pick = ready[0] if ready else next(iter(remaining.values()))
            done.append(pick)
            placed.add(pick.id)
            del remaining[pick.id]
        return done

    def run(self) -> Plan:
        for body in self.order():
            self.plan_body(body)
        self.verify()
        year_bookings = sorted(
            (b for bookings in self.by_body.values() for b in bookings if b.day.year == self.year),
            key=lambda b: (b.start.astimezone(UTC), b.body, b.meeting),
        )
        proposals = tuple(
            Proposal(
                body=b.body,
                start=b.start,
                end=b.end,
                status="proposed" if b.proposed else "existing",
                reason=self.reasons.get(b.meeting, ""),
                meeting=b.meeting,
                day=b.day,
            )
            for b in year_bookings
        )
        problems = sorted(dict.fromkeys(self.problems), key=lambda p: (p.body, p.constraint, p.message))
        return Plan(self.year, proposals, tuple(problems), tuple(self.notes))

    def note(self, body: Body, text: str) -> None:
        self.notes.append(PlanNote(body.id, body.label, text))

    def plan_body(self, body: Body) -> None:
        target = target_range(body)
        if body.retired is not None and body.retired <= self.last:
            if target is not None:
                self.note(body, _("retired on {retired}; nothing proposed").format(retired=body.retired.isoformat()))
            return
        if target is None:
            self.note(body, _(AS_NEEDED))
            return
        counted = self.in_year(body.id)
        low, high = target
        if len(counted) > high:
            self.problems.append(
                Problem(body.id, CADENCE, _("{body}: {count} meetings in {year}, more than the cadence's maximum {high} "
                                            "({cadence_text}); the planner removes none").format(
                                              body=body.label, count=len(counted), year=self.year, high=high,
                                              cadence_text=cadence_text(body),
                                          ), bodies=(body.id,))
            )
        if body.cadence.kind == "monthly":
            slots, total = self.monthly_slots(body, counted, target)
        elif body.cadence.kind == "per_term":
            slots, total = self.term_slots(body, counted, low)
        else:
            slots, total = self.per_year_slots(body, counted, target)
        if not slots:
            if total and len(counted) >= total:
                self.note(body, _("{count} meetings already planned or held ({cadence_text}); nothing proposed").format(
                                    count=len(counted), cadence_text=cadence_text(body),
                                ))
            elif not total:
                self.note(body, _("the cadence asks for no meeting ({cadence_text}); nothing proposed").format(
                                    cadence_text=cadence_text(body),
                                ))
            return
        if self.today is not None:
            past = [slot for slot in slots if slot.ideal <= self.today or slot.hi <= self.today]
            if past:
                slots = [slot for slot in slots if slot not in past]
                self.past_slots[body.id] = self.past_slots.get(body.id, 0) + len(past)
                self.note(body, ngettext("{count} meeting of the cadence would fall before today ({today}); not proposed",
                                             "{count} meetings of the cadence would fall before today ({today}); not proposed",
                                             len(past)).format(
                                    count=len(past), today=self.today.isoformat(),
                                ))
        placed = []
        self.failures = []
        for slot in sorted(slots, key=lambda s: (s.ideal, s.why)):
            booking = self.place(body, slot)
            if booking is not None:
                placed.append(booking)
        self.report_failures(body, len(slots))
        ordinal = {b.meeting: i for i, b in enumerate(self.in_year(body.id), 1)}
        count = max(total, len(ordinal))
        low, high = target
        aim = ""
        if body.cadence.kind == "per_year" and low != high:
            aim = _(", minimum planned") if self.aim == "min" else _(", maximum planned")
        for booking in placed:
            self.reasons[booking.meeting] = (
                _("{number} of {count} ({cadence}{aim}): {reason}").format(
                    number=ordinal[booking.meeting], count=count, cadence=cadence_text(body), aim=aim,
                    reason=self.reasons[booking.meeting],
                )
            )

    today: dt.date | None = None

    def place(self, body: Body, slot: _Slot) -> _Booking | None:
        days = [slot.lo + dt.timedelta(days=k) for k in range((slot.hi - slot.lo).days + 1)]
        if self.today is not None:
            days = [day for day in days if day > self.today]  # never a date in the past

        def preference(day: dt.date):
            distance = (day - slot.ideal).days
            return (abs(distance) * (slot.late_penalty if distance > 0 else 1), day)

        skipped: list[tuple[str, str]] = []
        for day in sorted(days, key=preference):
            failure = self.static_check(body, day)
            if failure is None:
                start, end = self.times(body, day)
                failure = self.dynamic_check(body, day, start, end)
                if failure is None:
                    ident = meeting_id(body.id, day, self.taken_ids)
                    self.taken_ids.add(ident)
                    booking = _Booking(body.id, ident, start, end, day, "proposed")
                    self._book(booking)
                    self.reasons[ident] = self.explain(body, slot, day, skipped)
                    return booking
            skipped.append(failure)
        self.failures.append((slot, skipped))
        return None

    def report_failures(self, body: Body, slots: int) -> None:
        """One cadence problem for the meetings of a body that found no day, naming what ruled the days out."""
        if not self.failures:
            return
        causes: Counter = Counter()
        example: dict[str, str] = {}
        for _day, skipped in self.failures:
            causes.update(constraint for constraint, _ in skipped)
            for constraint, detail in skipped:
                example.setdefault(constraint, detail)
        slot = self.failures[0][0]
        window = f"{slot.lo.isoformat()}–{slot.hi.isoformat()}"
        summary = "; ".join(
            f"{constraint} ({example[constraint]})"
            for constraint, _ in sorted(causes.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        missing = len(self.failures)
        self.problems.append(
            Problem(
                body.id,
                CADENCE,
                ngettext("{body}: cannot place {missing} of the {slots} meeting to plan ({cadence_text}); "
                         "the first ({why}) finds no possible day in {window}. Ruled out by: {ruled_out}",
                         "{body}: cannot place {missing} of the {slots} meetings to plan ({cadence_text}); "
                         "the first ({why}) finds no possible day in {window}. Ruled out by: {ruled_out}", slots).format(
                    body=body.label, missing=missing, slots=slots, cadence_text=cadence_text(body), why=slot.why, window=window,
                    ruled_out=summary or _("an empty window"),
                ),
                causes=tuple(sorted(causes)) or (EXCLUDED_MONTHS,),
                bodies=(body.id, *self.related(body.id)),
            )
        )
        self.failures = []

    def related(self, body_id: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys([t for t, _ in self.targets[body_id]] + [p for p, _ in self.preparers[body_id]]))

    def explain(self, body: Body, slot: _Slot, day: dt.date, skipped: list[tuple[str, str]]) -> str:
        text = slot.why
        if day == slot.ideal:
            return text
        interesting = [detail for constraint, detail in skipped if constraint != WEEKDAYS]
        if interesting:
            shown = list(dict.fromkeys(interesting))[:3]
            text += f"; moved to the nearest possible day ({'; '.join(shown)})"
        else:
            text += "; nearest allowed weekday"
        return text

    # -- slots per cadence -----------------------------------------------------------------

    def spread(self, days: list[dt.date], n: int, counted: list[_Booking]) -> list[dt.date]:
        """Ideal days for the n − len(counted) meetings still to place among `days` (the allowed days).

        Without counted meetings the n meetings sit at the centres of n equal
        shares of the allowed days (months excluded do not count as time). The
        counted meetings take the positions (ranks) nearest to them, and the free
        ranks are spread evenly between their fixed neighbours, so two held
        meetings in the spring leave the rest evenly over the autumn.
        """
        if not days or n <= 0:
            return []
        size = len(days)
        ideals = [(i + 0.5) * size / n for i in range(n)]
        fixed = sorted(bisect.bisect_left(days, b.day) for b in counted if days[0] <= b.day <= days[-1])
        ranks: set[int] = set()
        for index in fixed[:n]:
            free_ranks = [i for i in range(n) if i not in ranks]
            ranks.add(min(free_ranks, key=lambda i: (abs(ideals[i] - index), i)))
        # Pair ranks and positions in order so that the anchors never cross.
        anchors = [(-0.5, 0.0), *zip(sorted(ranks), fixed[:n], strict=True), (n - 0.5, float(size))]  # a rank for each
        result = []
        for rank in range(n):
            if rank in ranks:
                continue
            (r0, x0), (r1, x1) = next((a, b) for a, b in pairwise(anchors) if a[0] < rank < b[0])
            position = x0 + (x1 - x0) * (rank - r0) / (r1 - r0)
            result.append(days[min(size - 1, max(0, int(position)))])
        return result

    def allowed_days(self, body: Body, months: Iterable[int]) -> list[dt.date]:
        wanted = set(months) - set(body.planning.excluded_months)
        return [d for d in _days(self.first, self.last) if d.month in wanted]

    def per_year_slots(self, body: Body, counted: list[_Booking], target: tuple[int, int]) -> tuple[list[_Slot], int]:
        low, high = target
        n = low if self.aim == "min" else high
        if n == 0 or len(counted) >= n:
            return [], n
        days = self.allowed_days(body, range(1, 13))
        if not days:
            self.problems.append(Problem(body.id, CADENCE, _("{body}: every month is excluded (excluded_months {excluded_months}); "
                                                             "no meeting can be planned").format(
                                                               body=body.label, excluded_months=body.planning.excluded_months,
                                                           ),
                                         causes=(EXCLUDED_MONTHS,), bodies=(body.id,)))
            return [], n
        free = self.spread(days, n, counted)
        slots: list[_Slot] = []
        for target_booking, text in self.alignment(body, len(free)):
            aim_day = target_booking.day - dt.timedelta(days=self.before_days)
            nearest = min(free, key=lambda d: (abs((d - aim_day).days), d))
            free.remove(nearest)
            slots.append(_Slot(aim_day, self.first, self.last,
                               _("{before_days} days before {label} on {day} ({text})").format(
                                   before_days=self.before_days, label=self.label(target_booking.body), day=target_booking.day.isoformat(),
                                   text=text,
                               ), late_penalty=3))
        for ideal in free:
            slots.append(_Slot(ideal, self.first, self.last, _("evenly spread, aimed at {ideal}").format(
                                                                 ideal=ideal.isoformat(),
                                                             )))
        return slots, n

    def alignment(self, body: Body, k: int) -> list[tuple[_Booking, str]]:
        """Meetings of the body this one prepares that no meeting of it prepares yet, chosen evenly (at most k)."""
        if k <= 0:
            return []
        lead = dt.timedelta(days=self.before_days)
        mine = self.by_body[body.id]
        for target, text in self.targets[body.id]:
            theirs = [b for b in self.by_body[target] if b.day.year == self.year]
            if not theirs:
                continue
            uncovered = []
            previous: dt.date | None = None
            for meeting in theirs:
                covered = any(
                    (previous is None or p.day > previous) and p.day <= meeting.day - lead for p in mine
                )
                if not covered and meeting.day - lead >= self.first:
                    uncovered.append(meeting)
                previous = meeting.day
            m = min(k, len(uncovered))
            return [(uncovered[int((j + 0.5) * len(uncovered) / m)], text) for j in range(m)]
        return []

    def monthly_slots(self, body: Body, counted: list[_Booking], target: tuple[int, int]) -> tuple[list[_Slot], int]:
        low, high = target
        months = allowed_months(body)
        if low > len(months):
            self.problems.append(Problem(body.id, CADENCE, _("{body}: the cadence asks for {low} monthly meetings but only {count} months "
                                                             "are not "
                                                             "excluded (excluded_months {excluded_months})").format(
                                                               body=body.label, low=low, count=len(months),
                                                               excluded_months=body.planning.excluded_months,
                                                           ),
                                         causes=(EXCLUDED_MONTHS,), bodies=(body.id,)))
        wanted = min(len(months), high)
        if wanted < len(months):  # fewer meetings than months: every other month, evenly
            months = [months[int((i + 0.5) * len(months) / wanted)] for i in range(wanted)]
        have = {b.day.month for b in counted}
        missing = wanted - len(counted)
        weekday = min(body.planning.weekdays)
        slots = []
        for month in months:
            if missing <= 0:
                break
            if month in have:
                continue
            first = dt.date(self.year, month, 1)
            last = _month_end(first)
            ideal = first + dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7)
            slots.append(_Slot(ideal, first, last, _("{month}, aimed at the 2nd {weekday} ({ideal})").format(
                                                       month=month_names()[month - 1], weekday=weekday_names()[weekday - 1],
                                                       ideal=ideal.isoformat(),
                                                   )))
            missing -= 1
        return slots, wanted

    def term_slots(self, body: Body, counted: list[_Booking], total: int) -> tuple[list[_Slot], int]:
        slots = []
        for term, months, n in (("spring", SPRING, math.ceil(total / 2)), ("autumn", AUTUMN, total // 2)):
            have = [b for b in counted if b.day.month in months]
            if len(have) >= n:
                continue
            days = self.allowed_days(body, months)
            term_text = _("spring term") if term == "spring" else _("autumn term")
            if not days:
                self.problems.append(Problem(body.id, CADENCE, _("{body}: every month of the {term} is excluded "
                                                                 "(excluded_months {excluded_months})").format(
                                                                   body=body.label, term=term_text,
                                                                   excluded_months=body.planning.excluded_months,
                                                               ),
                                             causes=(EXCLUDED_MONTHS,), bodies=(body.id,)))
                continue
            for ideal in self.spread(days, n, have):
                slots.append(_Slot(ideal, days[0], days[-1], _("{term} ({first_month}–{last_month}), aimed at {ideal}").format(
                                                                 term=term_text, first_month=month_names()[months[0] - 1],
                                                                 last_month=month_names()[months[-1] - 1], ideal=ideal.isoformat(),
                                                             )))
        return slots, total

    # -- the final check ----------------------------------------------------------------------

    def verify(self) -> None:
        """Every rule over the whole plan; a violation becomes a problem (proposals never should)."""
        year = self.year

        def touches(*bookings: _Booking) -> bool:
            return any(b.day.year == year for b in bookings)

        def who(b: _Booking) -> str:
            kind = _("proposed") if b.proposed else _("existing")
            return f"{self.label(b.body)} {b.day.isoformat()} ({kind})"

        for body_id, bookings in sorted(self.by_body.items()):
            body = self.bodies.get(body_id)
            if body is None:
                continue
            for b in bookings:
                if b.proposed:
                    failure = self.static_check(body, b.day)
                    if failure:
                        self.problems.append(Problem(body_id, failure[0], f"{who(b)}: {failure[1]}", bodies=(body_id,)))
            for a, b in pairwise(bookings):
                if not touches(a, b):
                    continue
                distance = (b.day - a.day).days
                if distance == 0:
                    self.problems.append(Problem(body_id, SAME_DAY, _("{first} and {second} are on the same day").format(
                                                                        first=who(a), second=who(b),
                                                                    ),
                                                 bodies=(body_id,)))
                elif distance < body.planning.min_gap_days:
                    self.problems.append(Problem(body_id, MIN_GAP, _("{first} and {second} are {distance} days apart; "
                                                                     "min_gap_days is {min_gap_days}").format(
                                                                       first=who(a), second=who(b), distance=distance,
                                                                       min_gap_days=body.planning.min_gap_days,
                                                                   ), bodies=(body_id,)))
            for target, text in self.targets[body_id]:
                for p in bookings:
                    for t in self.by_body[target]:
                        if touches(p, t) and 0 <= (t.day - p.day).days < self.before_days:
                            self.problems.append(Problem(
                                body_id, BEFORE, _("{later} is {days} days after {earlier}; {text}, so it must meet at least "
                                                   "{before_days} days before").format(
                                                     later=who(t), days=(t.day - p.day).days, earlier=who(p), text=text,
                                                     before_days=self.before_days,
                                                 ), bodies=(body_id, target)))
            wanted = target_range(body)
            if wanted is not None and (body.retired is None or body.retired > self.last):
                count = len(self.in_year(body_id))
                low = wanted[0] if self.aim == "min" or body.cadence.kind != "per_year" else wanted[1]
                low -= self.past_slots.get(body_id, 0)  # those fell before today: a note says so
                if count < low and not any(p.body == body_id and p.constraint == CADENCE for p in self.problems):
                    self.problems.append(Problem(body_id, CADENCE, _("{body}: {count} meetings in {year}, fewer than {low} "
                                                                     "({cadence_text})").format(
                                                                       body=body.label, count=count, year=year, low=low,
                                                                       cadence_text=cadence_text(body),
                                                                   ), bodies=(body_id,)))
        seen = set()
        for bookings in self.by_utc_day.values():
            for a in bookings:
                for offset in (-1, 0, 1):
                    for b in self.by_utc_day.get(a.start.astimezone(UTC).date() + dt.timedelta(days=offset), ()):
                        pair = tuple(sorted((a.meeting, b.meeting)))
                        if a.body == b.body or pair in seen or not touches(a, b):
                            continue
                        if not (a.start < b.end and b.start < a.end):
                            continue
                        seen.add(pair)
                        shared = self.holders(a.body, a.day) & self.holders(b.body, b.day)
                        if shared:
                            first, second = sorted((a, b), key=lambda x: (x.body, x.meeting))
                            names = ", ".join(sorted(h[1] for h in shared)[:5])
                            self.problems.append(Problem(
                                first.body, SEAT, _("{first} and {second} overlap in time and share the seat(s) of {names}").format(
                                                      first=who(first), second=who(second), names=names,
                                                  ), bodies=(first.body, second.body)))


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]


def _month_end(first: dt.date) -> dt.date:
    following = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _clock(booking: _Booking) -> str:
    return f"{booking.day.isoformat()} {booking.start.strftime('%H:%M')}–{booking.end.strftime('%H:%M')}"


def _existing_reason(meeting: Meeting, body: Body | None) -> str:
    status = {
        "planned": _("already planned"),
        "invited": _("already planned, invitation sent"),
        "held": _("held"),
    }.get(meeting.status, meeting.status)
    if body is None:
        return _("{status}; its body {body!r} is unknown").format(status=status, body=meeting.body)
    target = target_range(body)
    if target is None:
        return _("{status} (the body meets as needed)").format(status=status)
    return _("{status}; counts toward {cadence}").format(status=status, cadence=cadence_text(body))
