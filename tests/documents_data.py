"""Meetings built in code for the document tests: one body per language (da, sv, en).

Every meeting has open items of each kind and one closed item whose texts are
distinctive, so a test can search a public document for them.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from exports.documents import DocumentContext
from secretary.domain.model import (
    Action,
    Amendment,
    Attachment,
    Attendance,
    Body,
    Item,
    Meeting,
    Membership,
    Minutes,
    Organisation,
    Person,
)

LANGUAGES = ("da", "sv", "en")

_TEXT = {
    "da": {
        "org": [("viborg", "Viborg Kommune"), ("aarhus", "Aarhus Kommune"), ("region", "Region Midtjylland")],
        "body": ("dassos", "DASSOS", "Den Administrative Styregruppe for Social- og Specialundervisningsområdet"),
        "other": ("fu", "FU", "Forretningsudvalget"),
        "secretariat": "Sekretariat for Rammeaftaler",
        "tz": "Europe/Copenhagen",
        "place": "Viborg Rådhus, Prinsens Allé 5, lokale M1",
        "items": [
            ("approve_agenda", "Godkendelse af dagsorden", "", "Det indstilles, at dagsordenen godkendes.", "Godkendt.", "approved"),
            ("decision", "Rammeaftale 2027-28: Udviklingsstrategi & <økonomi> 🚀",
             "Rammeaftalen er toårig & udarbejdes i lige år.\n\nSekretariatet har udarbejdet et udkast.\nLinje to i samme afsnit.",
             "Det indstilles, at DASSOS godkender udkastet.", "Godkendt med bemærkninger om æøå-tegn.", "approved"),
            ("information", "Orientering om takstudvikling", "Takstgruppen har udarbejdet en rapport.", "",
             "Taget til efterretning.", "noted"),
            ("discussion", "Kapacitetsjustering på Kildebakken", "Herning Kommune ønsker at reducere pladserne.",
             "Sagen drøftes.", "Sagen oversendes til Forretningsudvalget.", "referred"),
        ],
        "closed": "Forhandling om køb af pladser",
        "public_title": "Indkøbssag",
        "aob": ("any_other_business", "Eventuelt", "", "", "Intet.", "noted"),
        "titles": {"eva": "chefkonsulent", "dina": "kontorchef", "hans": "advokat"},
        "structure": "# Fokusområder\n- Borgere med komplekse behov\n• Kapacitet og takster",
        "summary": "Udkastet til udviklingsstrategien forelægges til godkendelse.",
        "economy": "Sagen har ingen økonomiske konsekvenser for kommunerne.",
        "competence": "DASSOS",
        "send_to": ["Kommunerne i Midtjylland"],
        "amend_note": "Beslutningen er præciseret",
    },
    "sv": {
        "org": [("ludvika", "Ludvika kommun"), ("smedjebacken", "Smedjebackens kommun"), ("region", "Region Dalarna")],
        "body": ("sun", "SUN", "Social- och utbildningsnämnden"),
        "other": ("kf", "KF", "Kommunfullmäktige"),
        "secretariat": "Ludvika kommun, Nämndsekretariatet",
        "tz": "Europe/Stockholm",
        "place": "Stadshuset, sammanträdesrum Väsman",
        "items": [
            ("approve_agenda", "Godkännande av dagordning", "", "Dagordningen godkänns.", "Dagordningen godkänns.", "approved"),
            ("decision", "Kvalitetsrapport 2017 för socialtjänsten & <styrkort> 🚀",
             "Förvaltningen har sammanställt styrkortet.\n\nMåltalen följs upp per år.\nRad två i samma stycke.",
             "Nämnden godkänner kvalitetsrapporten.", "Nämnden godkänner kvalitetsrapporten för år 2017.", "approved"),
            ("information", "Information om Barnahus", "Samrådet har träffats två gånger.", "",
             "Informationen noteras till protokollet.", "noted"),
            ("discussion", "Lokalförsörjning för HVB", "Behovet av platser har ökat.",
             "Ärendet överlämnas till kommunfullmäktige.", "Ärendet överlämnas till kommunfullmäktige.", "referred"),
        ],
        "closed": "Enskilt ärende om placering",
        "public_title": "Ärende enligt SoL",
        "aob": ("any_other_business", "Övriga frågor", "", "", "Inga övriga frågor.", "noted"),
        "titles": {"eva": "nämndsekreterare", "dina": "enhetschef", "hans": "jurist"},
        "structure": "# Styrtal\n- Andel brukare som är nöjda\n• Väntetid till särskilt boende",
        "summary": "Förvaltningen redovisar kvalitetsrapporten för 2017.",
        "economy": "Ärendet medför inga ekonomiska konsekvenser.",
        "competence": "Social- och utbildningsnämnden",
        "send_to": ["Socialförvaltningen", "Kommunstyrelsen"],
        "amend_note": "Beslutet förtydligat",
    },
    "en": {
        "org": [("northtown", "Northtown Council"), ("southville", "Southville Council"), ("region", "The Region")],
        "body": ("board", "JB", "Joint Board for Specialised Social Services"),
        "other": ("exec", "EC", "Executive Committee"),
        "secretariat": "Joint Secretariat",
        "tz": "Europe/Copenhagen",
        "place": "Town Hall, Room 4",
        "items": [
            ("approve_agenda", "Approval of the agenda", "", "The agenda is approved.", "Approved.", "approved"),
            ("decision", "Framework agreement 2027-28 & <budget> 🚀",
             "The agreement runs for two years & is drafted in even years.\n\nA draft is attached.\nSecond line of the paragraph.",
             "The board approves the draft.", "Approved with comments on the timetable.", "approved"),
            ("information", "Report on tariffs", "The tariff group has written a report.", "",
             "The board noted the report.", "noted"),
            ("discussion", "Capacity change at Hillside", "Northtown wishes to reduce places.",
             "The matter is referred.", "The matter is referred to the Executive Committee.", "referred"),
        ],
        "closed": "Negotiation on the purchase of places",
        "public_title": None,
        "aob": ("any_other_business", "Any other business", "", "", "None.", "noted"),
        "titles": {"eva": "senior adviser", "dina": "head of unit", "hans": "solicitor"},
        "structure": "# Priorities\n- Citizens with complex needs\n• Capacity and tariffs",
        "summary": "The draft strategy is presented for approval.",
        "economy": "No financial consequences for the councils.",
        "competence": "the Joint Board",
        "send_to": [],
        "amend_note": "The decision was clarified",
    },
}

# Texts only the closed item holds: none of them may reach a public document.
CLOSED_SECRETS = {
    "background": "Hemmelig baggrund: kommunens bud er 1.234.567 kr. pr. plads",
    "recommendation": "Hemmelig indstilling: acceptér buddet fra Leverandør Zeta",
    "decision": "Hemmelig beslutning: Zeta får kontrakten på 17 pladser",
    "attachment": "Hemmeligt bilag: tilbud fra Leverandør Zeta",
    "action": "Hemmelig opfølgning: underskriv kontrakt med Zeta",
    "owner": "Forhandlingsleder Quintus Zeta",
    "case_number": "99.99.99-Z99-1-27",
    "presenter": "Chefforhandler Xerxes Zeta",
    "closed_reason": "Zeta-forhandling, offentlighedslovens § 33, nr. 3",
    "amendment": "Hemmelig rettelse: Zeta får 18 pladser",
}
# Only present for the closed item: never named in a public version.
CLOSED_GUEST = "Hans Hemmeligsen"


def _when(tz: str, day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=ZoneInfo(tz))


def build(language: str) -> tuple[Meeting, Body, DocumentContext]:
    """The meeting of 4 March 2027 with its body and context, in one language."""
    t = _TEXT[language]
    body_id, abbreviation, name = t["body"]
    other_id, other_abbreviation, other_name = t["other"]
    tz = t["tz"]
    body = Body(id=body_id, name=name, abbreviation=abbreviation, kind="administrative", language=language, timezone=tz)
    other = Body(id=other_id, name=other_name, abbreviation=other_abbreviation, kind="political", language=language, timezone=tz)
    organisations = {oid: Organisation(id=oid, name=oname, kind="municipality", country="SE" if language == "sv" else "DK")
                     for oid, oname in t["org"]}
    (org1, _), (org2, _), (org3, _) = t["org"]
    people = {
        "anna": Person(id="anna", name="Anna Ærø-Åström", organisation=org1),
        "bo": Person(id="bo", name="Bo Öberg", organisation=org2),
        "cai": Person(id="cai", name="Cai Østergaard", organisation=org2),
        "dina": Person(id="dina", name="Dina Dahl", organisation=org3),
        "eva": Person(id="eva", name="Eva Ek", organisation=org1),
        "finn": Person(id="finn", name="Finn Fog", organisation=None),
        "gry": Person(id="gry", name="Gry Gram", organisation=org3),
        "hans": Person(id="hans", name=CLOSED_GUEST, title=t["titles"]["hans"], organisation=None),
    }
    for pid in ("eva", "dina"):
        people[pid] = people[pid].replace(title=t["titles"][pid])
    start = dt.date(2026, 1, 1)
    memberships = (
        Membership(id="m-anna", body=body_id, person="anna", role="chair", start=start),
        Membership(id="m-bo", body=body_id, person="bo", role="vice_chair", start=start),
        Membership(id="m-dina", body=body_id, person="dina", start=start),
        Membership(id="m-gry", body=body_id, person="gry", start=start),
        Membership(id="m-cai", body=body_id, person="cai", role="substitute", start=start),
        Membership(id="m-eva", body=body_id, person="eva", role="secretary", voting=False, start=start),
    )
    items = []
    for index, (kind, title, background, recommendation, decision, outcome) in enumerate(t["items"]):
        items.append(Item(
            id=f"i{index + 1}", number=str(index + 1), title=title, kind=kind,
            case_number=f"27.00.00-A00-{index + 1}-27" if kind == "decision" else None,
            presenter="Anna Ærø-Åström" if kind != "approve_agenda" else None,
            background=background, recommendation=recommendation,
            attachments=[Attachment(title=f"{t['items'][1][1][:12]} – bilag {index + 1}", href="https://example.org/b.pdf")]
            if kind == "decision" else [],
            decision=decision, outcome=outcome,
            referred_to=other_id if outcome == "referred" else None,
            actions=[Action(id=f"a{index + 1}", what=f"Følg op: {title[:20]}", owner="Eva Ek", due=dt.date(2027, 4, 1),
                            done=index == 1)] if kind == "decision" else [],
        ))
    items[1] = items[1].replace(
        background=items[1].background + "\n\n" + t["structure"], summary=t["summary"], economy=t["economy"],
        competence=t["competence"], send_to=t["send_to"],
        motions=[{"by": "Dina Dahl", "text": items[1].recommendation}],
        vote={"yes": 3, "no": 1, "abstained": 0, "result": items[1].decision},
        reservations=[{"by": "Gry Gram"}], notes=[{"by": "Cai Østergaard", "text": items[1].title[:20]}],
    )
    s = CLOSED_SECRETS
    items.append(Item(
        id="closed", number=str(len(items) + 1), title=t["closed"], kind="decision", public=False,
        closed_reason=s["closed_reason"], case_number=s["case_number"], presenter=s["presenter"],
        background=s["background"] + "\n\n" + s["background"] + " (fortsat)", recommendation=s["recommendation"],
        attachments=[Attachment(title=s["attachment"])], decision=s["decision"], outcome="approved",
        actions=[Action(id="secret-action", what=s["action"], owner=s["owner"], due=dt.date(2027, 3, 18))],
        public_title=t["public_title"],
    ))
    kind, title, background, recommendation, decision, outcome = t["aob"]
    items.append(Item(id="aob", number=str(len(items) + 1), title=title, kind=kind, decision=decision, outcome=outcome))
    attendance = [
        Attendance(person="anna", status="present"),
        Attendance(person="bo", status="apologies"),
        Attendance(person="cai", status="present", substitute_for="bo", arrived="09:20", arrived_item="i2"),
        Attendance(person="dina", status="present", not_items=["closed"], left="11:30", left_item="closed"),
        Attendance(person="gry", status="absent"),
        Attendance(person="finn", status="guest"),
        Attendance(person="hans", status="guest", only_items=["closed"]),
        Attendance(organisation=org3, status="guest"),
    ]
    amendments = [
        Amendment(on=dt.date(2027, 3, 22), by="Anna Ærø-Åström", what="item closed (decision): x", item="closed",
                  fields=["decision"], note=s["amendment"]),
        Amendment(on=dt.date(2027, 3, 23), by="Anna Ærø-Åström", what="item 2 (decision): x", item="i2",
                  fields=["decision"], note=t["amend_note"]),
    ]
    minutes = {
        "da": Minutes(status="approved", approved_on=dt.date(2027, 3, 18), approved_by="Forretningsudvalget",
                      amendments=amendments),
        # Justerat by two justerare, posted (anslag), §§ frozen: the Swedish life done.
        "sv": Minutes(
            status="approved", approved_on=dt.date(2027, 3, 9), approval_mode="justering", justerare=["dina", "gry"],
            justering_place="Stadshuset, Ludvika", justering_at=_when(tz, dt.date(2027, 3, 9), 15),
            posted_on=dt.date(2027, 3, 9), appeal_ends=dt.date(2027, 3, 30), removal_on=dt.date(2027, 3, 30),
            paragraphs={item.id: f"§ {6 + n}" for n, item in enumerate(items)}, amendments=amendments,
        ),
        "en": Minutes(status="sent"),
    }[language]
    modified = dt.datetime(2027, 3, 5, 8, 30, 12, tzinfo=dt.UTC)
    meeting = Meeting(
        id=f"{body_id}-2027-03-04", body=body_id,
        start=_when(tz, dt.date(2027, 3, 4), 9), end=_when(tz, dt.date(2027, 3, 4), 12),
        location=t["place"], status="held", attendance=attendance, items=items, minutes=minutes,
        uid="fixture@secretary", last_modified=modified,
        dispatched_at=_when(tz, dt.date(2027, 2, 25), 10), agenda_version=1,
        actual_start=_when(tz, dt.date(2027, 3, 4), 9), actual_end=_when(tz, dt.date(2027, 3, 4), 11).replace(minute=50),
        chair="anna", minute_taker="eva",
    )
    # An earlier meeting the same year (its 5 items take §§ 1–5) and one the year before.
    earlier = Meeting(
        id=f"{body_id}-2027-01-20", body=body_id, start=_when(tz, dt.date(2027, 1, 20), 9),
        end=_when(tz, dt.date(2027, 1, 20), 11), status="held",
        items=[Item(id=f"e{i}", number=str(i), title=f"Earlier {i}") for i in range(1, 6)],
    )
    cancelled = earlier.replace(id=f"{body_id}-2027-02-10", start=_when(tz, dt.date(2027, 2, 10), 9),
                                end=_when(tz, dt.date(2027, 2, 10), 11), status="cancelled")
    context = DocumentContext(
        organisation=t["secretariat"], people=people, organisations=organisations,
        bodies={body_id: body, other_id: other}, memberships=memberships,
        year_meetings=(earlier, cancelled, meeting),
    )
    return meeting, body, context


def closed_titles(meeting: Meeting) -> list[str]:
    """The own titles of the meeting's closed items: no public output may print them either."""
    return [item.title for item in meeting.items if not item.public]


def closed_texts(meeting: Meeting) -> list[str]:
    """Every text of the meeting's closed items except number and title, line by line
    (their corrections' notes included)."""
    texts: list[str] = []
    for item in meeting.items:
        if item.public:
            continue
        fields = [item.closed_reason, item.case_number, item.presenter, item.background, item.recommendation,
                  item.decision]
        fields += [a.title for a in item.attachments] + [a.href for a in item.attachments]
        fields += [a.what for a in item.actions] + [a.owner for a in item.actions]
        fields += [a.note for a in meeting.minutes.amendments if a.item == item.id]
        for value in fields:
            for line in (value or "").splitlines():
                if line.strip():
                    texts.append(line.strip())
    return texts


def xml_parts(data: bytes) -> dict[str, str]:
    """Every XML part of a .docx as searchable text: the raw XML, its text nodes joined, its attribute values."""
    import io
    import zipfile

    from lxml import etree

    parts = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            raw = archive.read(name)
            root = etree.fromstring(raw)
            joined = "".join(root.itertext())
            attributes = " ".join(v for element in root.iter() for v in element.attrib.values())
            parts[name] = "\n".join([raw.decode("utf-8"), joined, attributes])
    return parts


def leaked(data: bytes, secrets: list[str]) -> list[tuple[str, str]]:
    """(part, secret) for every secret found in any XML part (as text or XML-escaped)."""
    from xml.sax.saxutils import escape

    found = []
    for name, content in xml_parts(data).items():
        for secret in secrets:
            if secret in content or escape(secret) in content:
                found.append((name, secret))
    return found
