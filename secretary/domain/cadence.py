"""Cadence: how often a body should meet, and how a year measures up to it.

A pure module (no store): the body page, the planner and a later scorecard all
ask the same question, "DASSOS: 3 of 4–5".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from secretary.domain.model import Body, Meeting
from secretary.i18n import _


def allowed_months(body: Body) -> list[int]:
    """The months a body may meet in (every month not excluded by its planning)."""
    return [m for m in range(1, 13) if m not in body.planning.excluded_months]


def target_range(body: Body) -> tuple[int, int] | None:
    """Meetings a year as (min, max); None when the body meets as needed.

    As `Cadence.target()`, except that a monthly cadence without an explicit
    min/max means one meeting in every month the body may meet in (11 with
    July excluded, 10 with July and August excluded).
    """
    cadence = body.cadence
    if cadence.kind == "monthly":
        months = len(allowed_months(body))
        low = cadence.min if cadence.min is not None else months
        high = cadence.max if cadence.max is not None else max(low, months)
        return (low, max(low, high))
    return cadence.target()


def cadence_text(body: Body) -> str:
    """The target in words: "4–5 a year", "monthly (11)", "once per term (2)", "as needed"."""
    target = target_range(body)
    if target is None:
        return _("as needed")
    low, high = target
    count = f"{low}" if low == high else f"{low}–{high}"
    if body.cadence.kind == "monthly":
        return _("monthly ({count} a year)").format(count=count)
    if body.cadence.kind == "per_term":
        return _("once per term ({count} a year)").format(count=count)
    return _("{count} a year").format(count=count)


@dataclass(frozen=True)
class CadenceStatus:
    """One body's meetings in one year against its target.

    `planned` counts meetings not yet held (status planned or invited); `held`
    the held ones; together they are what counts toward the target. Cancelled
    meetings are shown but never counted.
    """

    body: str
    label: str
    year: int
    kind: str
    target: tuple[int, int] | None
    planned: int
    held: int
    cancelled: int

    @property
    def counted(self) -> int:
        return self.planned + self.held

    @property
    def state(self) -> Literal["as_needed", "below", "met", "above"]:
        if self.target is None:
            return "as_needed"
        low, high = self.target
        if self.counted < low:
            return "below"
        if self.counted > high:
            return "above"
        return "met"

    @property
    def missing(self) -> int:
        """Meetings still to plan to reach the minimum (0 when met or as needed)."""
        return 0 if self.target is None else max(0, self.target[0] - self.counted)

    def target_text(self) -> str:
        if self.target is None:
            return _("as needed")
        low, high = self.target
        return f"{low}" if low == high else f"{low}–{high}"

    def __str__(self) -> str:
        if self.target is None:
            return _("{label}: {count} (as needed)").format(label=self.label, count=self.counted)
        return _("{label}: {count} of {target}").format(label=self.label, count=self.counted, target=self.target_text())

    def detail(self) -> str:
        """"DASSOS: 3 of 4–5 (1 held, 2 planned, 1 cancelled)"."""
        parts = [_("{count} held").format(count=self.held), _("{count} planned").format(count=self.planned)]
        if self.cancelled:
            parts.append(_("{count} cancelled").format(count=self.cancelled))
        return f"{self} ({', '.join(parts)})"


def meeting_year(meeting: Meeting, body: Body) -> int:
    """The year of a meeting on the body's own calendar (a meeting at 00:30 on 1 January counts there)."""
    return meeting.start.astimezone(ZoneInfo(body.timezone)).year


def cadence_status(body: Body, meetings: Iterable[Meeting], year: int) -> CadenceStatus:
    """Count `body`'s meetings in `year` (other bodies' meetings are ignored) against its target."""
    planned = held = cancelled = 0
    for meeting in meetings:
        if meeting.body != body.id or meeting_year(meeting, body) != year:
            continue
        if meeting.status == "cancelled":
            cancelled += 1
        elif meeting.status == "held":
            held += 1
        else:
            planned += 1
    return CadenceStatus(
        body=body.id,
        label=body.label,
        year=year,
        kind=body.cadence.kind,
        target=target_range(body),
        planned=planned,
        held=held,
        cancelled=cancelled,
    )
