"""The årshjul (annual cycle) as an SVG wheel: domain objects in, bytes out.

Twelve month sectors sized by their number of days, starting with January at
twelve o'clock and running clockwise; one ring per body that meets in the year
(the bodies that prepare for others inside, the bodies they prepare for further
out, so the flow FU → DASSOS → KD-net → KKR runs outward), each meeting a dot on
its body's ring at its date with the day of the month in it; the milestones as
numbered diamonds on the outer ring, their titles listed beside the wheel with
the legend of the rings. Month names come from Babel in the wheel's language.

Every meeting mark carries class "meeting" and data-body/data-date, every
milestone mark class "milestone", so the picture can be checked by a program.
No clock is read and every coordinate is rounded: the same data give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise
from zoneinfo import ZoneInfo

import drawsvg as draw
from babel.dates import get_month_names

from exports.text import clean
from secretary.domain.model import Body, Meeting, Milestone

LANGUAGES = ("da", "sv", "en")

LABELS = {
    "da": {"title": "Årshjul", "meetings": "Møder", "milestones": "Milepæle", "one": "møde", "many": "møder",
           "none": "Ingen møder eller milepæle i året."},
    "sv": {"title": "Årshjul", "meetings": "Möten", "milestones": "Milstolpar", "one": "möte", "many": "möten",
           "none": "Inga möten eller milstolpar under året."},
    "en": {"title": "Annual cycle", "meetings": "Meetings", "milestones": "Milestones", "one": "meeting",
           "many": "meetings", "none": "No meetings or milestones this year."},
}  # fmt: skip

# Okabe–Ito and Tableau colours: distinguishable for most colour-blind readers, dark enough for white digits.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7F3C8D",
           "#4E79A7", "#B07AA1", "#59A14F", "#9C755F", "#EDC948", "#76B7B2", "#F28E2B", "#E15759")  # fmt: skip
INK = "#1f2933"
MUTED = "#6b7785"
FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"

WIDTH = 1560
WHEEL = 1000  # the wheel's square; the legend and the milestone list sit to its right
CX, CY = 500.0, 560.0
MONTH_INNER, MONTH_OUTER = 392.0, 442.0
MILESTONE_RING = 466.0
RINGS_OUTER = 380.0
RINGS_INNER_MIN = 110.0
RING_MAX = 54.0


def majority_language(bodies: Iterable[Body]) -> str:
    """The language most bodies use (ties: da, then sv, then en)."""
    counts: Counter[str] = Counter(b.language for b in bodies)
    if not counts:
        return "da"
    return max(LANGUAGES, key=lambda lang: (counts[lang], -LANGUAGES.index(lang)))


def month_names(language: str) -> list[str]:
    """The twelve month names, capitalised as labels on the wheel."""
    names = get_month_names("wide", context="stand-alone", locale=language)
    return [names[m][:1].upper() + names[m][1:] for m in range(1, 13)]


def arshjul_svg(
    year: int,
    bodies: Iterable[Body],
    meetings: Iterable[Meeting],
    milestones: Iterable[Milestone],
    *,
    language: str | None = None,
    title: str | None = None,
) -> bytes:
    """The year's wheel as SVG bytes.

    Rings are drawn for the bodies among `bodies` that have a meeting in `year`
    (cancelled meetings are left out: the wheel shows the year's plan); a
    milestone is shown when it occurs in the year and belongs to no body or to
    one of `bodies`. `language` defaults to the majority language of the bodies.
    """
    bodies = sorted(bodies, key=lambda b: b.id)
    known = {b.id: b for b in bodies}
    by_body: dict[str, list[tuple[dt.datetime, Meeting]]] = {}
    for meeting in meetings:
        body = known.get(meeting.body)
        if body is None or meeting.status == "cancelled":
            continue
        local = meeting.start.astimezone(ZoneInfo(body.timezone))
        if local.year == year:
            by_body.setdefault(body.id, []).append((local, meeting))
    ringed = sorted((known[b] for b in by_body), key=lambda b: (-_depth(b, known), b.label.casefold(), b.id))
    language = language or majority_language(ringed or bodies)
    if language not in LABELS:
        raise ValueError(f"language {language!r}: choose one of {', '.join(LANGUAGES)}")
    words = LABELS[language]
    shown_milestones = sorted(
        ((_milestone_day(m, year), m) for m in milestones if m.body is None or m.body in known),
        key=lambda pair: (pair[0] or dt.date.max, pair[1].id),
    )
    shown_milestones = [(day, m) for day, m in shown_milestones if day is not None]
    colours = {b.id: PALETTE[i % len(PALETTE)] for i, b in enumerate(ringed)}

    legend_lines = len(ringed) * 2.2 + sum(len(_wrap(m.title)) + 0.4 for _, m in shown_milestones) + 8
    height = max(1080, int(120 + legend_lines * 22))
    drawing = draw.Drawing(WIDTH, height, font_family=FONT)
    drawing.append(draw.Rectangle(0, 0, WIDTH, height, fill="#ffffff"))
    heading = title or f"{words['title']} {year}"
    drawing.append(draw.Text(clean(heading), 30, 40, 52, fill=INK, font_weight="bold", class_="title"))

    _draw_months(drawing, year, month_names(language))
    ring_width = min(RING_MAX, (RINGS_OUTER - RINGS_INNER_MIN) / max(1, len(ringed)))
    hub = RINGS_OUTER - ring_width * len(ringed)
    _draw_hub(drawing, year, words, hub)
    for index, body in enumerate(ringed):
        inner = hub + index * ring_width
        _draw_ring_band(drawing, year, body, inner, inner + ring_width, colours[body.id])
    _draw_month_lines(drawing, year, hub)
    label_at = _quietest_angle(year, [local.date() for pairs in by_body.values() for local, _ in pairs])
    for index, body in enumerate(ringed):
        inner = hub + index * ring_width
        _draw_ring_label(drawing, body, inner, inner + ring_width, colours[body.id], label_at)
        _draw_marks(drawing, year, body, sorted(by_body[body.id], key=lambda p: (p[0], p[1].id)),
                    inner, inner + ring_width, colours[body.id])
    _draw_milestones(drawing, year, shown_milestones)
    _draw_legend(drawing, year, language, words, ringed, by_body, colours, shown_milestones)
    return drawing.as_svg().encode("utf-8")


# -- geometry ------------------------------------------------------------------------------


def _r(value: float) -> float:
    """Coordinates rounded to 0.01: shorter files, and the same bytes on every platform."""
    return round(value + 0.0, 2) + 0.0


def _angle(year: int, day: dt.date, fraction: float = 0.5) -> float:
    """Clockwise from twelve o'clock, in radians; `fraction` of the day (0.5 = noon)."""
    days = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
    return 2 * math.pi * ((day - dt.date(year, 1, 1)).days + fraction) / days


def _point(angle: float, radius: float) -> tuple[float, float]:
    return _r(CX + radius * math.sin(angle)), _r(CY - radius * math.cos(angle))


def _sector(start: float, end: float, inner: float, outer: float, **style) -> draw.Path:
    large = 1 if end - start > math.pi else 0
    path = draw.Path(**style)
    path.M(*_point(start, outer)).A(_r(outer), _r(outer), 0, large, 1, *_point(end, outer))
    path.L(*_point(end, inner)).A(_r(inner), _r(inner), 0, large, 0, *_point(start, inner)).Z()
    return path


def _tangential(angle: float) -> float:
    """Rotation (degrees) that lays text along the circle, upright in the lower half."""
    degrees = math.degrees(angle)
    return _r(degrees + 180 if 90 < degrees < 270 else degrees)


def _month_span(year: int, month: int) -> tuple[float, float]:
    first = dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return _angle(year, first, 0.0), _angle(year, following, 0.0) if month < 12 else 2 * math.pi


# -- parts ---------------------------------------------------------------------------------


def _draw_months(drawing: draw.Drawing, year: int, names: list[str]) -> None:
    group = draw.Group(class_="months")
    for month in range(1, 13):
        start, end = _month_span(year, month)
        fill = "#e8edf2" if month % 2 else "#d5dde6"
        group.append(_sector(start, end, MONTH_INNER, MONTH_OUTER, fill=fill, stroke="#ffffff", stroke_width=2))
        middle = (start + end) / 2
        x, y = _point(middle, (MONTH_INNER + MONTH_OUTER) / 2)
        group.append(draw.Text(names[month - 1], 17, x, y, fill=INK, text_anchor="middle", dy="0.35em",
                               font_weight="bold", transform=f"rotate({_tangential(middle)} {x} {y})",
                               class_="month", data_month=str(month)))
    drawing.append(group)


def _draw_hub(drawing: draw.Drawing, year: int, words: dict, radius: float) -> None:
    drawing.append(draw.Circle(CX, CY, _r(radius - 4), fill="#f4f6f8", stroke="#c9d2dc", stroke_width=1))
    size = max(22, min(64, radius * 0.42))
    drawing.append(draw.Text(str(year), _r(size), CX, _r(CY + size * 0.12), fill=INK, text_anchor="middle",
                             font_weight="bold", class_="year"))
    drawing.append(draw.Text(words["title"], _r(size * 0.34), CX, _r(CY + size * 0.62), fill=MUTED,
                             text_anchor="middle"))


def _draw_month_lines(drawing: draw.Drawing, year: int, hub: float) -> None:
    group = draw.Group(class_="month-lines", stroke="#ffffff", stroke_width=2)
    for month in range(1, 13):
        start, _ = _month_span(year, month)
        x1, y1 = _point(start, hub - 4)
        x2, y2 = _point(start, RINGS_OUTER)
        group.append(draw.Line(x1, y1, x2, y2))
    drawing.append(group)


def _draw_ring_band(drawing, year: int, body: Body, inner: float, outer: float, colour: str) -> None:
    drawing.append(draw.Circle(CX, CY, _r((inner + outer) / 2), fill="none", stroke=colour, stroke_opacity=0.16,
                               stroke_width=_r(outer - inner - 2), class_="ring", data_body=body.id))
    for month in sorted(set(body.planning.excluded_months)):  # the months the body never meets: washed out
        start, end = _month_span(year, month)
        drawing.append(_sector(start, end, inner + 1, outer - 1, fill="#f7f8fa", class_="excluded"))


def _quietest_angle(year: int, days: list[dt.date]) -> tuple[float, float]:
    """The middle and the width (radians) of the widest stretch of the year without any meeting."""
    angles = sorted({_angle(year, day) for day in days})
    if not angles:
        return math.pi, 2 * math.pi
    best = (0.0, 0.0)
    for a, b in pairwise([*angles, angles[0] + 2 * math.pi]):
        if b - a > best[1] + 1e-9:
            best = ((a + b) / 2 % (2 * math.pi), b - a)
    return best


def _draw_ring_label(drawing, body: Body, inner: float, outer: float, colour: str, where: tuple[float, float]) -> None:
    """The body's name written along its ring, in the stretch of the year where no ring has a meeting."""
    angle, width = where
    middle = (inner + outer) / 2
    size = _r(min(13.0, (outer - inner) * 0.5))
    room = max(0.0, (width - 0.12) * middle)  # arc length free of marks, minus room for the marks' own size
    fits = int(room / (size * 0.62))
    if fits < 3:
        return
    x, y = _point(angle, middle)
    drawing.append(draw.Text(clean(_shorten(body.label, fits)), size, x, y, fill=colour, text_anchor="middle",
                             dy="0.35em", font_weight="bold", transform=f"rotate({_tangential(angle)} {x} {y})",
                             stroke="#ffffff", stroke_width=3, paint_order="stroke", stroke_linejoin="round",
                             class_="ring-label", data_body=body.id))


def _draw_marks(drawing, year, body: Body, meetings, inner: float, outer: float, colour: str) -> None:
    group = draw.Group(class_="marks", data_body=body.id)
    middle = (inner + outer) / 2
    size = min(15.0, (outer - inner) * 0.36)
    for local, meeting in meetings:
        x, y = _point(_angle(year, local.date()), middle)
        held = meeting.status == "held"
        mark = draw.Circle(x, y, _r(size), fill=colour, stroke="#ffffff", stroke_width=1.5,
                           class_="meeting", data_body=body.id, data_date=local.date().isoformat(),
                           data_status=meeting.status, fill_opacity=0.7 if held else 1)
        mark.append_title(clean(f"{body.label} {local.strftime('%Y-%m-%d %H:%M')} ({meeting.status})"))
        group.append(mark)
        if size >= 8:
            group.append(draw.Text(str(local.day), _r(size * 1.02), x, y, fill="#ffffff", text_anchor="middle",
                                   dy="0.35em", font_weight="bold", class_="day"))
    drawing.append(group)


def _draw_milestones(drawing: draw.Drawing, year: int, milestones) -> None:
    group = draw.Group(class_="milestones")
    group.append(draw.Circle(CX, CY, MILESTONE_RING, fill="none", stroke="#c9d2dc", stroke_width=1,
                             stroke_dasharray="3 5"))
    for number, angle, (day, milestone) in _fanned(year, milestones):
        x, y = _point(angle, MILESTONE_RING)
        s = 11
        diamond = draw.Lines(x, _r(y - s), _r(x + s), y, x, _r(y + s), _r(x - s), y, close=True,
                             fill="#ffffff", stroke=INK, stroke_width=1.6, class_="milestone",
                             data_date=day.isoformat(), data_milestone=milestone.id)
        diamond.append_title(clean(milestone.title))
        group.append(diamond)
        group.append(draw.Text(str(number), 11, x, y, fill=INK, text_anchor="middle", dy="0.36em",
                               font_weight="bold"))
    drawing.append(group)


def _draw_legend(drawing, year, language, words, ringed, by_body, colours, milestones) -> None:
    x = WHEEL + 30
    y = 110.0
    names = month_names(language)
    if not ringed and not milestones:
        drawing.append(draw.Text(words["none"], 16, x, y, fill=MUTED))
        return
    if ringed:
        drawing.append(draw.Text(words["meetings"], 20, x, y, fill=INK, font_weight="bold"))
        y += 30
        for body in reversed(ringed):  # outermost ring first, as the eye meets them
            count = len(by_body[body.id])
            drawing.append(draw.Circle(x + 10, _r(y - 6), 9, fill=colours[body.id], class_="legend-swatch",
                                       data_body=body.id))
            noun = words["one"] if count == 1 else words["many"]
            drawing.append(draw.Text(clean(body.label), 16, x + 28, y, fill=INK, font_weight="bold",
                                     class_="legend-label"))
            drawing.append(draw.Text(f"{count} {noun}", 14, WIDTH - 30, y, fill=MUTED, text_anchor="end"))
            if body.name != body.label:
                y += 19
                drawing.append(draw.Text(clean(_shorten(body.name, 68)), 13, x + 28, y, fill=MUTED))
            y += 27
        y += 14
    if milestones:
        drawing.append(draw.Text(words["milestones"], 20, x, y, fill=INK, font_weight="bold"))
        y += 30
        for number, (day, milestone) in enumerate(milestones, 1):
            when = names[day.month - 1] if milestone.day is None and milestone.date is None else (
                f"{day.day}. {names[day.month - 1].lower()}" if language != "en" else f"{day.day} {names[day.month - 1]}"
            )
            drawing.append(draw.Text(str(number), 13, x + 10, y, fill=INK, text_anchor="middle", font_weight="bold"))
            drawing.append(draw.Lines(x + 10, y - 16, x + 20, y - 6, x + 10, y + 4, x, y - 6, close=True,
                                      fill="none", stroke=INK, stroke_width=1.2))
            drawing.append(draw.Text(when, 14, x + 28, y, fill=MUTED, font_weight="bold"))
            y += 19
            for line in _wrap(milestone.title):
                drawing.append(draw.Text(clean(line), 14, x + 28, y, fill=INK))
                y += 18
            y += 9


# -- helpers -------------------------------------------------------------------------------


def _fanned(year: int, milestones) -> list[tuple[int, float, tuple[dt.date, Milestone]]]:
    """Numbered milestones with their angles; those that would overlap are fanned out side by side.

    Milestones given only by month all sit mid-month, so three September ones
    would hide each other: a cluster is spread along the ring around its centre.
    """
    step = 27 / MILESTONE_RING  # a diamond's width, in radians at the ring
    clusters: list[list[tuple[int, float, tuple]]] = []
    for number, pair in enumerate(milestones, 1):
        angle = _angle(year, pair[0])
        if clusters and angle - clusters[-1][-1][1] < step:
            clusters[-1].append((number, angle, pair))
        else:
            clusters.append([(number, angle, pair)])
    fanned = []
    for cluster in clusters:
        centre = sum(angle for _, angle, _ in cluster) / len(cluster)
        for j, (number, _, pair) in enumerate(cluster):
            fanned.append((number, centre + (j - (len(cluster) - 1) / 2) * step, pair))
    return fanned


def _milestone_day(milestone: Milestone, year: int) -> dt.date | None:
    """The milestone's day in the year; one given only by month sits mid-month on the wheel."""
    day = milestone.occurs_in(year)
    if day is not None and milestone.date is None and milestone.day is None:
        return day.replace(day=15)
    return day


def _depth(body: Body, known: dict[str, Body]) -> int:
    """How many steps up the reports-to / decides-on-behalf-of chain lead (cycles stop)."""
    seen = {body.id}
    depth = 0
    current = body
    while True:
        parent = current.decides_on_behalf_of or current.reports_to
        if parent is None or parent in seen or parent not in known:
            return depth
        seen.add(parent)
        current = known[parent]
        depth += 1


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, 58) or [""]


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
