"""A real consumer: LibreOffice turns each golden .docx into a PDF, pdftotext reads it back.

Checks the header, every item title in order, every decision in the full minutes,
the page footer, and that no closed content reaches a public version.
Skips when soffice or pdftotext is not installed (.ci/system-deps installs them).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from secretary.domain.publicity import public_title
from tests.documents_data import CLOSED_GUEST, LANGUAGES, build, closed_texts, closed_titles

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "docx"
HEADER = {
    "da": {"agenda": "Dagsorden", "minutes": "Referat", "date": "Torsdag den 4. marts 2027", "page": "Side 1 af"},
    "sv": {"agenda": "Kallelse med föredragningslista", "minutes": "Protokoll", "date": "Torsdag 4 mars 2027",
           "page": "Sida 1 av"},
    "en": {"agenda": "Agenda", "minutes": "Minutes", "date": "Thursday 4 March 2027", "page": "Page 1 of"},
}

pytestmark = [
    pytest.mark.external,
    pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="needs soffice and pdftotext"),
]


def normal(text: str) -> str:
    """Whitespace collapsed (emoji stay: .ci/system-deps installs an emoji font)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


@pytest.fixture(scope="module")
def pdf_texts(tmp_path_factory) -> dict[str, str]:
    """Every golden document converted in one soffice run (own profile: parallel runs do not clash)."""
    folder = tmp_path_factory.mktemp("lo")
    documents = sorted(GOLDEN.glob("*.docx"))
    assert len(documents) == 12
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder / "pdf"), *map(str, documents)],
        check=True, capture_output=True, timeout=300,
    )
    texts = {}
    for document in documents:
        pdf = folder / "pdf" / (document.stem + ".pdf")
        result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                                timeout=60)
        texts[document.stem] = normal(result.stdout.decode("utf-8"))
    return texts


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", ["agenda", "minutes"])
@pytest.mark.parametrize("public", [False, True], ids=["full", "public"])
def test_pdf_shows_header_items_in_order_and_decisions(pdf_texts, lang, kind, public):
    text = pdf_texts[f"{lang}-{kind}{'-public' if public else ''}"]
    meeting, body, context = build(lang)
    expected = HEADER[lang]
    for needle in (expected[kind], expected["date"], expected["page"], normal(body.name), normal(meeting.location)):
        assert needle in text, needle
    # Titles in order, each after the previous one; an agenda lists them twice
    # (the list of items, then the items themselves).
    # Titles in order, each after the previous one: the list of items, then the items
    # themselves; a public version shows a closed item by its public title only.
    position = text.index(expected["date"])
    for _round in range(2):
        for item in meeting.items:
            title = public_title(item, lang) if public else item.title
            found = text.find(normal(title), position)
            assert found >= 0, title
            position = found + 1
    if kind == "minutes":
        for item in meeting.items:
            if item.decision and (item.public or not public):
                assert normal(item.decision) in text, item.decision
    secrets = [normal(s) for s in closed_texts(meeting) + closed_titles(meeting) + [CLOSED_GUEST]]
    present = [s for s in secrets if s in text]
    if public:
        assert present == []
    else:
        assert present, "the full version shows the closed item"
    assert "Sagstype" not in text


def test_danish_pdf_has_contents_suffixes_and_one_organisation_per_participant(pdf_texts):
    for kind in ("agenda", "minutes"):
        text = pdf_texts[f"da-{kind}"]
        contents = text.index("Punkter på dagsordenen" if kind == "agenda" else "Punkter ")
        assert contents < text.index("1. Godkendelse af dagsorden (B)") < text.index("Sagsfremstilling")
        assert "(O)" in text and "(D)" in text and "Sagstype:" not in text
    text = pdf_texts["da-minutes"]
    people = text[text.index("Deltagere"):text.index("Godkendelse af referatet")]
    organisations = ["Viborg Kommune", "Aarhus Kommune", "Region Midtjylland"]
    for line in re.split(r"(?<=\)) |(?<=Kommune) |(?<=Midtjylland) ", people):
        assert sum(line.count(o) for o in organisations) <= 1, line
    assert "Cai Østergaard, Aarhus Kommune (for Bo Öberg)" in people and "((" not in people
    assert "Mødeleder Anna Ærø-Åström, Viborg Kommune" in text and "Referent Eva Ek, chefkonsulent, Viborg Kommune" in text
    assert "Beslutning Godkendt. Udfald" not in text
    assert "🚀" in text  # the emoji renders (an emoji font, not the body font)


def test_swedish_pdf_keeps_the_order_of_a_paragraph_and_the_signature_on_every_page(pdf_texts):
    text = pdf_texts["sv-minutes"]
    start = text.index("§ 7 Kvalitetsrapport", text.index("§ 7 Kvalitetsrapport") + 1)  # after the contents list
    section = text[start:text.index("§ 8 Information", start)]
    order = ["Beslut ", "Ärendebeskrivning", "Yrkanden", "Omröstning", "Reservation", "Protokollsanteckning",
             "Beslutsunderlag", "Beslutet skickas till"]
    positions = [section.index(label) for label in order]
    assert positions == sorted(positions), positions
    pages = text.count("Sida ")
    assert pages >= 2 and text.count("Justerandes signatur") == pages
    first = text[:text.index("Sida 1 av")]
    assert first.index("Beslutande") < first.index("Ersättare") if "Ersättare " in first else True
    assert "Eva Ek" not in first[first.index("Beslutande"):first.index("Övriga närvarande")]
    kallelse = pdf_texts["sv-agenda"]
    assert "Ledamöter" in kallelse and "Ersättare" in kallelse
    assert "Dnr: 27.00.00-A00-2-27 Föredragande: Anna Ærø-Åström" in kallelse


def _convert(folder: Path, documents: dict[str, bytes]) -> dict[str, list[str]]:
    """.docx bytes → PDF (one soffice run) → text of each page."""
    for name, data in documents.items():
        (folder / f"{name}.docx").write_bytes(data)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), *(str(folder / f"{n}.docx") for n in documents)],
        check=True, capture_output=True, timeout=300,
    )
    pages = {}
    for name in documents:
        raw = subprocess.run(["pdftotext", "-enc", "UTF-8", str(folder / f"{name}.pdf"), "-"], check=True,
                             capture_output=True, timeout=60).stdout.decode("utf-8")
        pages[name] = [re.sub(r"\s+", " ", page).strip() for page in raw.split("\f") if page.strip()]
        fonts = subprocess.run(["pdffonts", str(folder / f"{name}.pdf")], capture_output=True, timeout=60)
        pages[f"{name}:fonts"] = [fonts.stdout.decode("utf-8", "replace")]
    return pages


@pytest.fixture(scope="module")
def more_pdfs(tmp_path_factory) -> dict[str, list[str]]:
    import dataclasses
    import datetime as dt

    from exports.documents import extract_docx, minutes_docx
    from secretary.domain.model import Attendance, Membership, Person

    documents = {}
    meeting, body, context = build("sv")
    documents["sv-extract"] = extract_docx(meeting, body, context, "i2", public=False)
    documents["sv-extract-closed-public"] = extract_docx(meeting, body, context, "closed", public=True)
    da = build("da")
    documents["da-extract"] = extract_docx(*da, "i2", public=True)
    # Twelve Beslutande (chair, a serving substitute, Dina and nine more), two ersättare, two officials.
    people, seats, attendance = dict(context.people), list(context.memberships), list(meeting.attendance)
    towns = list(context.organisations)
    for n in range(9):
        people[f"l{n}"] = Person(id=f"l{n}", name=f"Margareta Johansson-Lindqvist {n}", organisation=towns[n % 3])
        seats.append(Membership(id=f"m-l{n}", body=body.id, person=f"l{n}", start=dt.date(2026, 1, 1)))
        attendance.append(Attendance(person=f"l{n}", status="present"))
    for n in range(2):
        people[f"e{n}"] = Person(id=f"e{n}", name=f"Ersättare Persson {n}", organisation=towns[n])
        seats.append(Membership(id=f"m-e{n}", body=body.id, person=f"e{n}", role="substitute", start=dt.date(2026, 1, 1)))
        attendance.append(Attendance(person=f"e{n}", status="present"))
        people[f"t{n}"] = Person(id=f"t{n}", name=f"Tjänsteperson Andersson {n}", title="förvaltningschef",
                                 organisation=towns[0])
        attendance.append(Attendance(person=f"t{n}", status="guest"))
    big = meeting.replace(attendance=[a.model_dump() for a in attendance])
    documents["sv-twelve"] = minutes_docx(big, body, dataclasses.replace(context, people=people, memberships=tuple(seats)),
                                          public=False)
    from exports.documents import agenda_docx

    da_meeting, da_body, da_context = da
    scripts = da_meeting.items[2].replace(title="Møde med Ελλάδα og Україна 🤝 ✅",
                                          background="مرحبا بكم في الاجتماع\n\nשלום לכולם")
    documents["da-scripts"] = agenda_docx(da_meeting.replace(items=[scripts]), da_body, da_context, public=True)
    return _convert(tmp_path_factory.mktemp("lo-more"), documents)


def test_emoji_and_other_scripts_render_in_libreoffice(more_pdfs, tmp_path_factory):
    text = " ".join(more_pdfs["da-scripts"])
    assert "Møde med Ελλάδα og Україна 🤝 ✅" in text
    assert "مرحبا" in text and "שלום" in text
    fonts = more_pdfs["da-scripts:fonts"][0]
    assert "Symbola" in fonts or "Emoji" in fonts, fonts  # the emoji come from a font that has them


def test_swedish_first_page_holds_twelve_beslutande_the_justering_and_the_anslag(more_pdfs):
    first, second = more_pdfs["sv-twelve"][:2]
    assert first.count("Margareta Johansson-Lindqvist") == 9 and "Ersättare Persson 1" in first
    for needle in ("Utses att justera", "Justerande Dina Dahl", "Datum då anslaget tas ned", "Förvaringsplats för protokollet",
                   "Underskrift", "Justerandes signatur", "Sida 1 av"):
        assert needle in first, needle
    assert "§ 6 Godkännande av dagordning" not in first and "§ 6 Godkännande av dagordning" in second


def test_extract_pdf_holds_one_paragraph_with_the_justering(more_pdfs):
    text = " ".join(more_pdfs["sv-extract"])
    assert text.startswith("Protokollsutdrag") or "Protokollsutdrag" in text[:200]
    assert "§ 7 Kvalitetsrapport" in text and "§ 8" not in text and "§ 6" not in text
    for needle in ("Utses att justera", "Justeringens plats och tid", "Justerande", "Utdragsbestyrkande",
                   "Datum då anslaget sätts upp", "Justerandes signatur"):
        assert needle in text, needle
    closed = " ".join(more_pdfs["sv-extract-closed-public"])
    meeting, _, _ = build("sv")
    assert "§ 10 Ärende enligt SoL" in closed
    assert not [s for s in closed_texts(meeting) + closed_titles(meeting) if normal(s) in closed]
    danish = " ".join(more_pdfs["da-extract"])
    assert "Beslutningsudskrift" in danish and "2. Rammeaftale 2027-28" in danish and "Udskriftens rigtighed" in danish
