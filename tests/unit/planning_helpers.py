"""An independent check of a year plan, written from the rules rather than from the planner's code.

Used by the preset tests and the property tests: it recomputes holidays with the
`holidays` package directly, and every pairwise rule from the plan's own meetings.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from itertools import pairwise
from zoneinfo import ZoneInfo

import holidays

from secretary.domain.model import Body, Membership
from secretary.domain.planning import Plan, Proposal

DK_EXTRA = {(6, 5), (12, 24), (12, 31), (5, 1)}  # Grundlovsdag, juleaftensdag, nytårsaftensdag, 1 May
SE_EXTRA = {(12, 24), (12, 31)}  # julafton, nyårsafton (midsommarafton moves: checked by name below)


def is_day_off(body: Body, day: dt.date) -> bool:
    if body.timezone == "Europe/Copenhagen":
        return day in holidays.DK(years=day.year) or (day.month, day.day) in DK_EXTRA
    official = holidays.SE(years=day.year, include_sundays=False, language="sv")
    midsummer_eve = next(d for d, name in official.items() if name == "Midsommardagen") - dt.timedelta(days=1)
    return day in official or (day.month, day.day) in SE_EXTRA or day == midsummer_eve


@dataclass(frozen=True)
class Violation:
    constraint: str
    bodies: tuple[str, ...]
    proposals: tuple[Proposal, ...]

    @property
    def involves_proposal(self) -> bool:
        return any(p.status == "proposed" for p in self.proposals)


def holder(seat: Membership) -> tuple[str, str]:
    return ("person", seat.person) if seat.person else ("organisation", seat.organisation)


def holders(memberships: list[Membership], body: str, day: dt.date) -> set:
    return {holder(s) for s in memberships if s.body == body and s.active_on(day)}


def violations(plan: Plan, bodies: dict[str, Body], memberships: list[Membership], before_days: int = 7) -> list[Violation]:
    """Every broken rule in the plan (existing meetings included)."""
    found: list[Violation] = []
    by_body: dict[str, list[Proposal]] = {}
    for p in plan.proposals:
        by_body.setdefault(p.body, []).append(p)
    for p in plan.new:
        body = bodies[p.body]
        local = p.start.astimezone(ZoneInfo(body.timezone))
        assert p.start.tzinfo is not None and p.end.tzinfo is not None
        assert local.date() == p.day
        assert p.end.astimezone(dt.UTC) - p.start.astimezone(dt.UTC) == dt.timedelta(minutes=body.planning.duration_minutes)
        if p.day.isoweekday() not in body.planning.weekdays:
            found.append(Violation("weekdays", (p.body,), (p,)))
        if p.day.month in body.planning.excluded_months:
            found.append(Violation("excluded_months", (p.body,), (p,)))
        if is_day_off(body, p.day):
            found.append(Violation("holiday", (p.body,), (p,)))
    for body_id, meetings in by_body.items():
        body = bodies[body_id]
        days = sorted(meetings, key=lambda p: p.day)
        for a, b in pairwise(days):
            gap = (b.day - a.day).days
            if gap == 0:
                found.append(Violation("same_day", (body_id,), (a, b)))
            elif gap < body.planning.min_gap_days:
                found.append(Violation("min_gap_days", (body_id,), (a, b)))
        for target in {body.decides_on_behalf_of, body.reports_to} - {None, body_id}:
            for p in meetings:
                for t in by_body.get(target, []):
                    if 0 <= (t.day - p.day).days < before_days:
                        found.append(Violation("before", (body_id, target), (p, t)))
    everything = list(plan.proposals)
    for i, a in enumerate(everything):
        for b in everything[i + 1 :]:
            if a.body != b.body and a.start < b.end and b.start < a.end:
                if holders(memberships, a.body, a.day) & holders(memberships, b.body, b.day):
                    found.append(Violation("seat_overlap", (a.body, b.body), (a, b)))
    return found


def required(body: Body) -> dict[str, int] | None:
    """What the cadence demands in the year, per span: {"year": n} or per term / per month."""
    cadence = body.cadence
    if cadence.kind == "as_needed":
        return None
    if cadence.kind == "per_year":
        return {"year": cadence.min}
    if cadence.kind == "per_term":
        low = cadence.min if cadence.min is not None else 2
        return {"spring": math.ceil(low / 2), "autumn": low // 2}
    months = [m for m in range(1, 13) if m not in body.planning.excluded_months]
    high = cadence.max if cadence.max is not None else len(months)
    return {"year": max(cadence.min or 0, min(len(months), high))}


def shortfalls(plan: Plan, bodies: dict[str, Body]) -> list[str]:
    """Bodies whose cadence the plan does not reach."""
    short = []
    for body in bodies.values():
        need = required(body)
        if need is None or (body.retired is not None and body.retired.year <= plan.year):
            continue
        days = [p.day for p in plan.proposals if p.body == body.id]
        have = {
            "year": len(days),
            "spring": sum(1 for d in days if d.month <= 6),
            "autumn": sum(1 for d in days if d.month >= 8),
        }
        if any(have[span] < n for span, n in need.items()):
            short.append(body.id)
    return short
