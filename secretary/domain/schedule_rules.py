"""The body's own scheduling rules applied to one meeting: warnings for an edit or a move, never refusals.

The year planner (planning.py) never proposes a day that breaks them; a secretary
may still choose one (the chair asked for it), so an edit is stored and the
screen or command says which rule the new time breaks.
"""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from secretary.domain.model import Body, Meeting
from secretary.domain.workdays import country_of, day_off
from secretary.i18n import _, month_names, weekday_names

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")


def schedule_warnings(meeting: Meeting, body: Body, others: Iterable[Meeting] = ()) -> list[str]:
    """Each rule of `body.planning` the meeting's day breaks, named with the rule:
    weekdays, excluded_months, holiday, min_gap_days (against the body's other meetings not cancelled)."""
    if meeting.status == "cancelled":
        return []
    zone = ZoneInfo(body.timezone)
    day = meeting.start.astimezone(zone).date()
    rules = body.planning
    found = []
    if day.isoweekday() not in rules.weekdays:
        allowed = ", ".join(weekday_names()[d - 1] for d in sorted(rules.weekdays))
        found.append(_("weekdays: {weekday} {day} is not a meeting day of {body} ({allowed})").format(
                         weekday=weekday_names()[day.weekday()], day=day.isoformat(), body=body.label, allowed=allowed,
                     ))
    if day.month in rules.excluded_months:
        found.append(_("excluded_months: {body} does not meet in {month}").format(
                         body=body.label, month=month_names()[day.month - 1],
                     ))
    holiday = day_off(country_of(body), day)
    if holiday:
        found.append(_("holiday: {day} is {holiday}").format(day=day.isoformat(), holiday=holiday))
    gap = rules.min_gap_days
    for other in sorted(others, key=lambda m: (m.start, m.id)):
        if other.id == meeting.id or other.body != body.id or other.status == "cancelled":
            continue
        distance = abs((other.start.astimezone(zone).date() - day).days)
        if distance < gap:
            found.append(_("min_gap_days: {distance} days from the meeting on {start} (at least {gap})").format(
                             distance=distance, start=other.start.astimezone(zone).date().isoformat(), gap=gap,
                         ))
            break
    return found
