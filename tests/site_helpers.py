"""The Midtjylland demo made ready to publish: closed items carrying unique markers, a person
with e-mail and phone, a feed token, published agendas and minutes (through the life's steps)."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import re
import zipfile

AT = dt.datetime(2026, 10, 20, 10, 0, tzinfo=dt.UTC)
EMAIL, PHONE = "leak.person@example.dk", "+45 12 34 56 78"
TEAMS = "https://teams.microsoft.com/l/meetup-join/demo"


def prepare(sec) -> dict:
    """Markers in every field of every closed item; publish what the demo's life allows."""
    markers: list[str] = []
    titles: list[str] = []
    counter = iter(range(10_000))

    def mark(meeting):
        items = []
        for item in meeting.items:
            if item.public:
                items.append(item)
                continue
            fields = {}
            for name in ("background", "recommendation", "decision", "closed_reason", "case_number", "presenter"):
                fields[name] = f"LEAKMARK{next(counter):04d}Q"
                markers.append(fields[name])
            attachment = f"LEAKMARK{next(counter):04d}Q"
            markers.append(attachment)
            fields["attachments"] = [{"title": attachment, "href": f"https://example.org/{attachment}"}]
            title = f"TITLEMARK{next(counter):04d}Q"
            titles.append(title)
            fields["title"] = f"Lukket sag {title}"
            items.append(item.replace(**fields))
        return meeting.replace(items=[i.model_dump() for i in items])

    for meeting in sec.records.meetings():
        sec.agenda.update_meeting(meeting.id, mark)
    person = sec.records.people()[0]
    with sec.store.transaction():
        sec.store.people.save(person.replace(email=EMAIL, phone=PHONE))
    token = sec.feeds.issue_feed_token(person.id)

    # Through the meeting's life, as a secretary would: publish, approve at once, publish the minutes.
    held = "dassos-2026-10-08"
    sec.agenda.edit_meeting(held, online_url=TEAMS)
    sec.agenda.publish(held, "agenda")
    sec.agenda.approve_minutes(held, at_once=True, on=sec.records.meeting(held).start.date())
    sec.agenda.publish(held, "minutes")
    sec.agenda.publish("fu-2026-12-02", "agenda")
    return {"markers": markers, "titles": titles, "token": token, "person": person}


def texts(name: str, data: bytes) -> str:
    """What a file says, for a leak check: a .docx's XML, Pagefind's gzip files unpacked."""
    if name.endswith(".docx"):
        with zipfile.ZipFile(io.BytesIO(data)) as docx:
            return " ".join(re.sub(r"<[^>]+>", "", docx.read(n).decode("utf-8", "replace")) for n in docx.namelist())
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8", "replace").replace("\r\n ", "")


def leaks(name: str, data: bytes, secrets: dict) -> list[str]:
    text = texts(name, data)
    found = [m for m in secrets["markers"] + secrets["titles"] if m in text]
    found += [s for s in (EMAIL, PHONE, secrets["token"]) if s in text]
    return found
