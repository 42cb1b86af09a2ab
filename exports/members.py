"""A body's member list as .csv or .docx: pure, deterministic (the same data gives the same bytes).

The list is the secretariat's own working document (who sits for whom, how to reach them),
in the body's language like its other documents; it is not a public output.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence

from secretary.domain.model import Body, Membership, Organisation, Person

LABELS = {
    "da": {
        "title": "Medlemsliste",
        "as_of": "Pr. {date}",
        "role": "Rolle",
        "name": "Navn",
        "org": "Organisation",
        "job": "Stilling",
        "email": "E-mail",
        "phone": "Telefon",
        "from": "Fra",
        "to": "Til",
        "voting": "Stemmeret",
        "yes": "ja",
        "no": "nej",
        "seat": "(plads uden navngiven person)",
    },
    "sv": {
        "title": "Ledamotsförteckning",
        "as_of": "Per {date}",
        "role": "Roll",
        "name": "Namn",
        "org": "Organisation",
        "job": "Befattning",
        "email": "E-post",
        "phone": "Telefon",
        "from": "Från",
        "to": "Till",
        "voting": "Rösträtt",
        "yes": "ja",
        "no": "nej",
        "seat": "(plats utan namngiven person)",
    },
    "en": {
        "title": "Member list",
        "as_of": "As of {date}",
        "role": "Role",
        "name": "Name",
        "org": "Organisation",
        "job": "Job title",
        "email": "E-mail",
        "phone": "Phone",
        "from": "From",
        "to": "To",
        "voting": "Voting",
        "yes": "yes",
        "no": "no",
        "seat": "(seat with no named person)",
    },
}
ROLES = {
    "da": {
        "chair": "formand",
        "vice_chair": "næstformand",
        "member": "medlem",
        "substitute": "suppleant",
        "observer": "observatør",
        "secretary": "sekretær",
    },
    "sv": {
        "chair": "ordförande",
        "vice_chair": "vice ordförande",
        "member": "ledamot",
        "substitute": "ersättare",
        "observer": "adjungerad",
        "secretary": "sekreterare",
    },
    "en": {
        "chair": "chair",
        "vice_chair": "vice chair",
        "member": "member",
        "substitute": "substitute",
        "observer": "observer",
        "secretary": "secretary",
    },
}
ROLE_ORDER = ("chair", "vice_chair", "member", "substitute", "observer", "secretary")


def member_rows(body: Body, seats: Sequence[Membership], people: Mapping[str, Person], orgs: Mapping[str, Organisation]) -> list[list[str]]:
    """One row per seat: role, name, organisation, job title, e-mail, phone, voting, from, to."""
    lang = body.language if body.language in LABELS else "en"
    words = LABELS[lang]
    ordered = sorted(seats, key=lambda s: (ROLE_ORDER.index(s.role) if s.role in ROLE_ORDER else 99, _name(s, people).casefold(), s.id))
    rows = []
    for seat in ordered:
        person = people.get(seat.person or "")
        org = orgs.get(seat.organisation or (person.organisation if person else "") or "")
        rows.append(
            [
                ROLES[lang].get(seat.role, seat.role),
                person.name if person else words["seat"],
                (org.name if org else ""),
                person.title if person else "",
                person.email if person else "",
                person.phone if person else "",
                words["yes"] if seat.voting else words["no"],
                seat.start.isoformat(),
                seat.end.isoformat() if seat.end else "",
            ]
        )
    return rows


def _name(seat: Membership, people: Mapping[str, Person]) -> str:
    person = people.get(seat.person or "")
    return person.name if person else ""


def header(body: Body) -> list[str]:
    words = LABELS[body.language if body.language in LABELS else "en"]
    return [words[k] for k in ("role", "name", "org", "job", "email", "phone", "voting", "from", "to")]


def members_csv(body: Body, seats: Sequence[Membership], people: Mapping[str, Person], orgs: Mapping[str, Organisation]) -> bytes:
    """UTF-8 with a BOM and semicolons: what Excel opens as columns in Denmark and Sweden."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header(body))
    writer.writerows(member_rows(body, seats, people, orgs))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def members_docx(
    body: Body, seats: Sequence[Membership], people: Mapping[str, Person], orgs: Mapping[str, Organisation], as_of: dt.date
) -> bytes:
    """A landscape-free, plain document: the body's name, the date, a table of the seats."""
    from docx import Document
    from docx.shared import Pt

    from exports.documents.writer import stable_zip

    lang = body.language if body.language in LABELS else "en"
    words = LABELS[lang]
    doc = Document()
    doc.add_heading(f"{words['title']}: {body.name}", level=1)
    doc.add_paragraph(words["as_of"].format(date=as_of.isoformat()))
    columns = header(body)
    keep = [0, 1, 2, 4, 5, 8]  # role, name, organisation, e-mail, phone, to: what fits a portrait page
    table = doc.add_table(rows=1, cols=len(keep))
    table.style = "Table Grid"
    for cell, index in zip(table.rows[0].cells, keep, strict=True):
        cell.text = columns[index]
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in member_rows(body, seats, people, orgs):
        cells = table.add_row().cells
        for cell, index in zip(cells, keep, strict=True):
            cell.text = row[index]
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)
    props = doc.core_properties
    moment = dt.datetime(as_of.year, as_of.month, as_of.day, 12, 0, 0, tzinfo=dt.UTC)
    props.title = f"{words['title']}: {body.name}"
    props.author = ""
    props.last_modified_by = ""
    props.created = moment
    props.modified = moment
    props.revision = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    return stable_zip(buffer.getvalue(), moment)
