"""What a page may show, as plain data: the site's public filter.

Templates never see a domain object, only the dicts made here, so no template (the
product's or an organisation's theme) can print a closed item's content, a person's
e-mail or phone, a full version or a token: they are never handed over.

Rules (DESIGN.md, the meeting's life):
- a meeting not yet dispatched shows only its date and its body;
- its agenda is shown once published (`published.agenda`), its minutes once published
  (`published.minutes`; Danish draft minutes from `published.draft_minutes`, marked "Udkast");
- a closed item shows only its number and the closed-item notice (`item_title`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date

from exports.documents.filenames import document_filename
from exports.site.strings import strings
from secretary.domain.life import is_dispatched
from secretary.domain.model import Body, Item, Meeting, Membership, Milestone, Organisation, Person
from secretary.domain.publicity import public_title

LOCALES = {"da": "da_DK", "sv": "sv_SE", "en": "en_GB"}
ROLE_ORDER = ("chair", "vice_chair", "member", "substitute", "observer", "secretary")


@dataclass(frozen=True)
class SiteInput:
    """Everything the site is made from; the service gathers it (only what is stored, no clock)."""

    today: dt.date
    bodies: list[Body]
    organisations: Mapping[str, Organisation]
    people: Mapping[str, Person]
    memberships: list[Membership]
    meetings: list[Meeting]
    milestones: list[Milestone] = field(default_factory=list)
    public_url: str | None = None


# -- the one rule for a closed item's title ------------------------------------------------


def item_title(item: Item, language: str) -> str:
    """The title a page shows for an item: its own for an open item; for a closed one its public
    title, else the closed-item notice — the one rule every public output follows
    (secretary/domain/publicity.py)."""
    return public_title(item, language)


def public_copy(meeting: Meeting, language: str) -> Meeting:
    """The meeting with each closed item's title replaced by what the site shows (`item_title`):
    what the public .docx downloads are rendered from."""
    items = [item if item.public else item.replace(title=item_title(item, language)) for item in meeting.items]
    return meeting.replace(items=[item.model_dump() for item in items])


# -- small formatters -------------------------------------------------------------------------


def long_date(day: dt.date, language: str) -> str:
    return format_date(day, "long", locale=LOCALES[language])


def paragraphs(text: str | None) -> list[list[str]]:
    """Text as paragraphs (blank lines apart), each a list of lines."""
    if not text:
        return []
    blocks = [block.strip("\n") for block in text.replace("\r\n", "\n").split("\n\n")]
    return [block.split("\n") for block in blocks if block.strip()]


def safe_href(href: str) -> str | None:
    """An http(s) address to link to, or None (no javascript:, data: or file paths)."""
    href = href.strip()
    if href.startswith(("https://", "http://")) and not any(c.isspace() for c in href):
        return href
    return None


def cadence_text(body: Body, language: str) -> str:
    from secretary.domain.cadence import target_range

    words = strings(language)
    target = target_range(body)
    if target is None:
        return words["cadence.as_needed"]
    low, high = target
    count = f"{low}" if low == high else f"{low}–{high}"
    return words[f"cadence.{body.cadence.kind}"].format(count=count)


# -- paths (relative to the site's root) -------------------------------------------------------


def body_path(body_id: str) -> str:
    return f"bodies/{body_id}/"


def year_path(body_id: str, year: int) -> str:
    return f"bodies/{body_id}/{year}/"


def meeting_path(meeting_id: str) -> str:
    return f"meetings/{meeting_id}/"


def arshjul_path(body_id: str, year: int) -> str:
    return f"bodies/{body_id}/arshjul-{year}.svg"


def feed_path(body_id: str) -> str:
    return f"calendars/{body_id}.ics"


def page_file(path: str) -> str:
    """The file a page path is written to: 'bodies/x/' → 'bodies/x/index.html'."""
    return path + "index.html" if path.endswith("/") or path == "" else path


# -- meetings ---------------------------------------------------------------------------------


def local(moment: dt.datetime, body: Body) -> dt.datetime:
    return moment.astimezone(ZoneInfo(body.timezone))


def meeting_day(meeting: Meeting, body: Body) -> dt.date:
    return local(meeting.start, body).date()


def agenda_published(meeting: Meeting) -> bool:
    return is_dispatched(meeting) and meeting.published.agenda is not None


def minutes_published(meeting: Meeting) -> bool:
    return meeting.minutes.status == "approved" and meeting.published.minutes is not None


def draft_minutes_published(meeting: Meeting) -> bool:
    return not minutes_published(meeting) and meeting.published.draft_minutes is not None and meeting.status == "held"


def offered_documents(meeting: Meeting, body: Body) -> list[tuple[str, str]]:
    """The public .docx a meeting's page offers: (kind, file name)."""
    offered = []
    if agenda_published(meeting) and meeting.status != "cancelled":
        offered.append(("agenda", document_filename(meeting, body, "agenda", True)))
    if minutes_published(meeting) or draft_minutes_published(meeting):
        offered.append(("minutes", document_filename(meeting, body, "minutes", True)))
    return offered


def meeting_summary(meeting: Meeting, body: Body) -> dict:
    """A meeting in a list: date, body, and (once dispatched) time, place and status."""
    language = body.language
    words = strings(language)
    day = meeting_day(meeting, body)
    row: dict = {
        "id": meeting.id,
        "path": meeting_path(meeting.id),
        "date": long_date(day, language),
        "iso_date": day.isoformat(),
        "body": body.label,
        "body_name": body.name,
        "body_path": body_path(body.id),
        "dispatched": is_dispatched(meeting),
        "link_text": words["open_meeting"].format(body=body.label, date=long_date(day, language)),
        "cancelled": meeting.status == "cancelled",
        "status": words[f"status.{meeting.status}"] if is_dispatched(meeting) or meeting.status == "cancelled" else "",
        "time": "",
        "place": "",
    }
    if is_dispatched(meeting):
        start, end = local(meeting.start, body), local(meeting.end, body)
        row["time"] = f"{start:%H:%M}–{end:%H:%M}"
        row["place"] = meeting.location
    return row


def _item_view(item: Item, meeting: Meeting, language: str, *, minutes: bool) -> dict:
    words = strings(language)
    view: dict = {
        "number": meeting.minutes.paragraphs.get(item.id, item.number) if minutes else item.number,
        "title": item_title(item, language),
        "public": item.public,
    }
    if not item.public:
        return view  # the number and the notice: nothing else of a closed item leaves
    view.update({
        "kind": words.get(f"kind.{item.kind}", ""),
        "case_number": item.case_number or "",
        "presenter": item.presenter or "",
        "background": paragraphs(item.background),
        "recommendation": paragraphs(item.recommendation),
        "attachments": [{"title": a.title, "href": safe_href(a.href)} for a in item.attachments],
        "decision": paragraphs(item.decision) if minutes else [],
        "outcome": words.get(f"outcome.{item.outcome}", "") if minutes and item.outcome else "",
    })
    return view


def _attendance(meeting: Meeting, people: Mapping[str, Person], organisations: Mapping[str, Organisation]) -> dict:
    present, apologies = [], []
    for row in meeting.attendance:
        person = people.get(row.person) if row.person else None
        organisation = organisations.get(row.organisation or (person.organisation if person else None) or "")
        name = person.name if person else (organisation.name if organisation else "")
        if not name:
            continue
        text = f"{name} ({organisation.short_name or organisation.name})" if person and organisation else name
        if row.status in ("present", "guest"):
            present.append(text)
        elif row.status == "apologies":
            apologies.append(text)
    return {"present": present, "apologies": apologies}


def meeting_page(meeting: Meeting, body: Body, data: SiteInput) -> dict:
    """A meeting's page: what the life has made public of it, and nothing else."""
    language = body.language
    words = strings(language)
    summary = meeting_summary(meeting, body)
    page: dict = {
        "meeting": summary,
        "title": words["meeting_title"].format(body=body.label, date=summary["date"]),
        "year": meeting_day(meeting, body).year,
        "year_path": year_path(body.id, meeting_day(meeting, body).year),
        "year_link": words["open_year"].format(year=meeting_day(meeting, body).year, body=body.label),
        "body_link": words["open_body"].format(body=body.label),
        "meeting_title": "",
        "online": "",
        "agenda": None,
        "minutes": None,
        "draft": False,
        "draft_note": "",
        "documents": [],
        "notice": "",
    }
    if not is_dispatched(meeting):
        page["notice"] = words["not_dispatched"]
        return page
    page["meeting_title"] = meeting.title
    page["online"] = safe_href(meeting.online_url) or ""
    if agenda_published(meeting):
        page["agenda"] = [_item_view(item, meeting, language, minutes=False) for item in meeting.items]
    else:
        page["notice"] = words["not_published"]
    if minutes_published(meeting) or draft_minutes_published(meeting):
        page["minutes"] = [_item_view(item, meeting, language, minutes=True) for item in meeting.items]
        page["attendance"] = _attendance(meeting, data.people, data.organisations)
        if draft_minutes_published(meeting):
            page["draft"] = True
            assert meeting.published.draft_minutes is not None
            page["draft_note"] = words["draft_note"].format(date=long_date(meeting.published.draft_minutes, language))
    elif meeting.status == "held":
        page["minutes_notice"] = words["minutes_not_published"]
    day = summary["date"]
    page["documents"] = [
        {"file": name, "text": words[f"download_{kind}"].format(date=day), "kind": kind}
        for kind, name in offered_documents(meeting, body)
    ]
    return page


# -- bodies -----------------------------------------------------------------------------------


def current_members(body: Body, data: SiteInput) -> list[dict]:
    """The seats held today: name, title and organisation only (no e-mail, no phone)."""
    rows: list[dict[str, Any]] = []
    words = strings(body.language)
    for seat in data.memberships:
        if seat.body != body.id or not seat.active_on(data.today):
            continue
        person = data.people.get(seat.person) if seat.person else None
        org_id = seat.organisation or (person.organisation if person else None)
        organisation = data.organisations.get(org_id) if org_id else None
        rows.append({
            "name": person.name if person else "",
            "title": person.title if person else "",
            "organisation": organisation.name if organisation else "",
            "role": words[f"role.{seat.role}"],
            "order": (ROLE_ORDER.index(seat.role), (person.name if person else "").casefold(),
                      organisation.name.casefold() if organisation else "", seat.id),
        })
    rows.sort(key=lambda r: r["order"])
    for row in rows:
        del row["order"]
    return rows


def _body_link(body_id: str | None, bodies: Mapping[str, Body], language: str) -> dict | None:
    if body_id is None or body_id not in bodies:
        return None
    other = bodies[body_id]
    return {"path": body_path(other.id), "text": strings(language)["open_body"].format(body=other.name)}


def subscribe_links(body: Body, public_url: str | None) -> list[dict]:
    """The feed's subscribe buttons: webcal://, https, Google and Outlook (absolute addresses
    need the public site address; without it only the download link, relative, is offered)."""
    from urllib.parse import quote

    words = strings(body.language)
    links = []
    if public_url:
        https = f"{public_url}/{feed_path(body.id)}"
        webcal = "webcal://" + https.split("://", 1)[1]
        links.append({"href": webcal, "text": words["feed_webcal"].format(body=body.label), "absolute": True})
        links.append({"href": https, "text": words["feed_https"].format(body=body.label), "absolute": True})
        links.append({"href": "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe=""),
                      "text": words["feed_google"].format(body=body.label), "absolute": True})
        links.append({"href": "https://outlook.office.com/calendar/0/addfromweb?url=" + quote(https, safe="")
                      + "&name=" + quote(body.label, safe=""),
                      "text": words["feed_outlook"].format(body=body.label), "absolute": True})
    else:
        links.append({"href": feed_path(body.id), "text": words["feed_https"].format(body=body.label), "absolute": False})
    return links


def body_page(body: Body, meetings: list[Meeting], data: SiteInput, bodies: Mapping[str, Body], arshjul_year: int | None) -> dict:
    language = body.language
    words = strings(language)
    years: dict[int, int] = {}
    for meeting in meetings:
        year = meeting_day(meeting, body).year
        years[year] = years.get(year, 0) + 1
    reporting = []
    for key, target in (("reports_to", body.reports_to), ("decides_on_behalf_of", body.decides_on_behalf_of)):
        link = _body_link(target, bodies, language)
        if link:
            reporting.append({"label": words[key], "links": [link]})
    advises = [link for link in (_body_link(b, bodies, language) for b in body.advises) if link]
    if advises:
        reporting.append({"label": words["advises"], "links": advises})
    upcoming = [meeting_summary(m, body) for m in meetings if meeting_day(m, body) >= data.today][:5]
    return {
        "title": body.name,
        "abbreviation": body.abbreviation,
        "terms_of_reference": paragraphs(body.terms_of_reference),
        "tasks": list(body.tasks),
        "composition": paragraphs(body.composition),
        "reporting": reporting,
        "members": current_members(body, data),
        "cadence": cadence_text(body, language),
        "website": safe_href(body.website) or safe_href("https://" + body.website) if body.website else None,
        "arshjul": {"path": arshjul_path(body.id, arshjul_year), "year": arshjul_year,
                    "alt": words["arshjul_alt"].format(year=arshjul_year, body=body.label)} if arshjul_year else None,
        "feeds": subscribe_links(body, data.public_url),
        "years": [{"year": y, "count": years[y], "path": year_path(body.id, y),
                   "text": words["meetings_in_year"].format(year=y)} for y in sorted(years, reverse=True)],
        "upcoming": upcoming,
    }


def year_page(body: Body, year: int, meetings: list[Meeting]) -> dict:
    words = strings(body.language)
    return {
        "title": words["year_title"].format(body=body.label, year=year),
        "body_link": words["open_body"].format(body=body.label),
        "body_path": body_path(body.id),
        "meetings": [meeting_summary(m, body) for m in meetings],
    }


# -- the front page and the notice board ---------------------------------------------------------


def site_language(bodies: Iterable[Body]) -> str:
    from exports.arshjul import majority_language

    return majority_language(bodies)


def front_page(data: SiteInput, by_body: Mapping[str, list[Meeting]], bodies: Mapping[str, Body], language: str) -> dict:
    upcoming: list[tuple] = []
    published: list[tuple] = []
    for body_id, meetings in by_body.items():
        body = bodies[body_id]
        for meeting in meetings:
            day = meeting_day(meeting, body)
            if day >= data.today and meeting.status != "cancelled":
                upcoming.append((meeting.start, meeting.id, meeting, body))
            if minutes_published(meeting) or draft_minutes_published(meeting):
                published.append((meeting.published.minutes or meeting.published.draft_minutes, meeting.start, meeting.id,
                                  meeting, body))
    upcoming.sort(key=lambda row: (row[0], row[1]))
    published.sort(key=lambda row: (row[0], row[1], row[2]), reverse=True)
    listed = [b for b in data.bodies if b.retired is None or b.retired >= data.today]
    return {
        "bodies": [{"path": body_path(b.id), "name": b.name, "abbreviation": b.abbreviation,
                    "text": strings(language)["open_body"].format(body=b.name), "lang": b.language}
                   for b in sorted(listed, key=lambda b: b.name.casefold())],
        "upcoming": [meeting_summary(m, b) for _start, _id, m, b in upcoming[:10]],
        "latest": [meeting_summary(m, b) for *_rest, m, b in published[:10]],
    }


def on_notice_board(meeting: Meeting, body: Body, today: dt.date) -> bool:
    """A Swedish justerat protokoll whose anslag is up: posted, not yet taken down."""
    minutes = meeting.minutes
    return (body.language == "sv" and minutes.status == "approved" and minutes.posted_on is not None
            and minutes.posted_on <= today and (minutes.removal_on is None or today <= minutes.removal_on))


def notice_board(data: SiteInput, by_body: Mapping[str, list[Meeting]], bodies: Mapping[str, Body]) -> dict:
    rows = []
    for body_id, meetings in by_body.items():
        body = bodies[body_id]
        for meeting in meetings:
            if not on_notice_board(meeting, body, data.today):
                continue
            minutes = meeting.minutes
            assert minutes.posted_on is not None
            summary = meeting_summary(meeting, body)
            summary.update({
                "justerat": long_date(minutes.justering_at.astimezone(ZoneInfo(body.timezone)).date(), "sv")
                if minutes.justering_at else (long_date(minutes.approved_on, "sv") if minutes.approved_on else ""),
                "posted": long_date(minutes.posted_on, "sv"),
                "appeal_ends": long_date(minutes.appeal_ends, "sv") if minutes.appeal_ends else "",
                "removal": long_date(minutes.removal_on, "sv") if minutes.removal_on else "",
                "office": body.minutes_office,
                "body_name": body.name,
                "sort": (minutes.posted_on.isoformat(), meeting.start.isoformat(), meeting.id),
            })
            rows.append(summary)
    rows.sort(key=lambda r: r["sort"], reverse=True)
    for row in rows:
        del row["sort"]
    return {"notices": rows}
