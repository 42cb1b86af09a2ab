"""The Word minutes follow the meeting's life: drafts, justering, anslag, frozen §§, the header."""

from __future__ import annotations

import datetime as dt
import io

import docx

from exports.documents import build_context, minutes_docx
from secretary.domain.interchange import Dataset
from secretary.domain.model import Membership, Person
from tests.documents_data import build
from tests.unit.test_documents_docx import body_text


def props(data: bytes):
    return docx.Document(io.BytesIO(data)).core_properties


def header(data: bytes) -> str:
    return docx.Document(io.BytesIO(data)).sections[0].header.paragraphs[0].text


def danish_draft():
    meeting, body, context = build("da")
    draft = meeting.replace(minutes=meeting.minutes.replace(
        status="sent", approved_on=None, approved_by=None, sent_on=dt.date(2027, 3, 8),
        comment_deadline=dt.date(2027, 3, 15)))
    return draft, body, context


def swedish_not_justerat():
    meeting, body, context = build("sv")
    minutes = meeting.minutes.replace(status="draft", approved_on=None, approval_mode=None, justering_place="",
                                      justering_at=None, posted_on=None, appeal_ends=None, removal_on=None,
                                      paragraphs={})
    return meeting.replace(minutes=minutes), body, context


def test_danish_minutes_not_approved_say_udkast_in_heading_header_and_properties():
    meeting, body, context = danish_draft()
    data = minutes_docx(meeting, body, context, public=False)
    text = body_text(data)
    assert text.startswith("Referat – Udkast\n")
    assert "Udkast" in header(data)
    p = props(data)
    assert "Udkast" in p.title and p.content_status == "Udkast" and p.keywords.split("; ")[0] == "Udkast"
    assert "godkendt den" not in text
    assert "Referatet er udsendt til bemærkninger den 8. marts 2027 med frist den 15. marts 2027." in text
    approved = minutes_docx(*build("da"), public=False)
    assert not body_text(approved).startswith("Referat – Udkast") and props(approved).content_status == "Godkendt"


def test_danish_approval_notes_follow_the_mode():
    meeting, body, context = build("da")
    minutes = meeting.minutes
    members = meeting.replace(minutes=minutes.replace(approval_mode="members", approvers=["anna", "dina"]))
    text = body_text(minutes_docx(members, body, context, public=False))
    assert "Referatet er godkendt den 18. marts 2027 af Anna Ærø-Åström og Dina Dahl." in text
    once = meeting.replace(minutes=minutes.replace(approval_mode="at_once", approved_on=dt.date(2027, 3, 4)))
    assert "Referatet er godkendt på mødet den 4. marts 2027." in body_text(minutes_docx(once, body, context, public=False))


def test_swedish_protokoll_not_justerat_says_so_and_claims_no_anslag():
    meeting, body, context = swedish_not_justerat()
    data = minutes_docx(meeting, body, context, public=False)
    text = body_text(data)
    assert text.startswith("Protokoll – Ej justerat\n") and "Ej justerat" in header(data)
    assert props(data).content_status == "Ej justerat"
    assert "Protokollet är justerat" not in text and "Anslag/bevis" not in text
    assert "Datum då anslaget sätts upp" not in text
    assert "Protokollet är inte justerat." in text


def test_justering_shows_place_time_and_both_justerare_with_signature_lines_and_the_recorded_anslag():
    meeting, body, context = build("sv")
    text = body_text(minutes_docx(meeting, body, context, public=False))
    assert "Justeringens plats och tid\nStadshuset, Ludvika, 9 mars 2027 kl. 15.00" in text
    assert "Utses att justera\nDina Dahl\nGry Gram" in text
    assert text.count("Justerande") == 2 and "Dina Dahl" in text and "Gry Gram" in text
    assert "Datum då anslaget sätts upp\n2027-03-09" in text and "Sista dag för överklagande\n2027-03-30" in text
    assert "Protokollet är justerat. Justeringen har tillkännagivits genom anslag." in text
    unposted = meeting.replace(minutes=meeting.minutes.replace(posted_on=None, appeal_ends=None, removal_on=None))
    text = body_text(minutes_docx(unposted, body, context, public=False))
    assert "har ännu inte tillkännagivits genom anslag" in text and "genom anslag.\n" not in text.replace(
        "ännu inte tillkännagivits genom anslag.", "")


def test_frozen_paragraphs_win_over_the_count_through_the_year():
    meeting, body, context = build("sv")
    frozen = meeting.replace(minutes=meeting.minutes.replace(
        paragraphs={item.id: f"§ {40 + n}" for n, item in enumerate(meeting.items)}))
    text = body_text(minutes_docx(frozen, body, context, public=False))
    assert "§ 40 Godkännande av dagordning" in text and "§§ 40–45" in text
    # without the earlier meeting the count would start at 1; the frozen numbers stay
    alone = type(context)(**{**context.__dict__, "year_meetings": (frozen,)})
    assert "§ 40 Godkännande av dagordning" in body_text(minutes_docx(frozen, body, alone, public=False))
    unfrozen = meeting.replace(minutes=meeting.minutes.replace(paragraphs={}))
    assert "§ 1 Godkännande av dagordning" in body_text(
        minutes_docx(unfrozen, body, type(context)(**{**context.__dict__, "year_meetings": (unfrozen,)}), public=False))


def test_the_header_names_the_body_and_its_secretariat_never_the_secretary_as_a_person():
    meeting, body, _ = build("da")
    people = {"eva": Person(id="eva", name="Eva Ek", organisation="viborg"), "solo": Person(id="solo", name="Sara Solo")}
    from secretary.domain.model import Organisation

    orgs = {"viborg": Organisation(id="viborg", name="Viborg Kommune", kind="municipality", country="DK")}
    seat = Membership(id="s", body=body.id, person="eva", role="secretary", start=dt.date(2026, 1, 1))
    data = Dataset(bodies={body.id: body}, people=people, organisations=orgs, memberships={"s": seat},
                   meetings={meeting.id: meeting})
    assert build_context(meeting, data).organisation == "Viborg Kommune"
    lonely = Dataset(bodies={body.id: body}, people=people,
                     memberships={"s": seat.replace(person="solo")}, meetings={meeting.id: meeting})
    assert build_context(meeting, lonely).organisation != "Sara Solo"
    named = body.replace(secretariat="Sekretariat for Rammeaftaler, Viborg")
    ctx = build_context(meeting, Dataset(bodies={body.id: named}, meetings={meeting.id: meeting}))
    data_bytes = minutes_docx(meeting, named, ctx, public=False)
    assert header(data_bytes).startswith("Sekretariat for Rammeaftaler, Viborg · Referat") and body.label in header(data_bytes)
    assert props(data_bytes).author == "Sekretariat for Rammeaftaler, Viborg"


def test_an_item_changed_after_dispatch_is_marked_in_the_agenda():
    from exports.documents import agenda_docx

    meeting, body, context = build("da")
    marked = meeting.replace(items=[i.replace(addendum=True) if i.id == "i3" else i for i in meeting.items])
    assert "3. Orientering om takstudvikling (O) (tillæg)" in body_text(agenda_docx(marked, body, context, public=False))
