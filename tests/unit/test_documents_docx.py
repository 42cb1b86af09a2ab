"""Word agendas and minutes (exports/documents): golden files, public versions, templates.

Golden files live in tests/golden/docx/. After an intended change to the documents,
regenerate them with

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/test_documents_docx.py

and look at the diff (and at a PDF of them) before committing.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import docx
import pytest

from exports.documents import REQUIRED_STYLES, TemplateError, agenda_docx, build_context, check_template, minutes_docx
from exports.documents.filenames import document_filename, safe_stem
from secretary.domain.model import Item, Meeting
from tests.conftest import run_cli
from tests.documents_data import (
    CLOSED_GUEST,
    CLOSED_SECRETS,
    LANGUAGES,
    build,
    closed_texts,
    closed_titles,
    leaked,
    xml_parts,
)

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "docx"
RENDER = {"agenda": agenda_docx, "minutes": minutes_docx}
CASES = [(lang, kind, public) for lang in LANGUAGES for kind in RENDER for public in (False, True)]


def golden_name(lang: str, kind: str, public: bool) -> str:
    return f"{lang}-{kind}{'-public' if public else ''}.docx"


def render(lang: str, kind: str, public: bool, **kwargs) -> bytes:
    meeting, body, context = build(lang)
    return RENDER[kind](meeting, body, context, public=public, **kwargs)


def entries(data: bytes) -> list[tuple[str, tuple, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(i.filename, i.date_time, archive.read(i.filename)) for i in archive.infolist()]


def body_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines += [cell.text for cell in row.cells]
    return "\n".join(lines)


@pytest.mark.parametrize(("lang", "kind", "public"), CASES, ids=[golden_name(*c) for c in CASES])
def test_golden(lang, kind, public):
    data = render(lang, kind, public)
    path = GOLDEN / golden_name(lang, kind, public)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1"
    # Compare entries (name, order, timestamp, content) rather than raw bytes: the
    # deflate stream may differ between zlib builds while the document is the same.
    got, want = entries(data), entries(path.read_bytes())
    assert [(n, d) for n, d, _ in got] == [(n, d) for n, d, _ in want]
    for (name, _, content), (_, _, expected) in zip(got, want, strict=True):
        assert content == expected, f"{name} differs from {path.name}; UPDATE_GOLDEN=1 if intended"


@pytest.mark.parametrize("kind", RENDER)
def test_same_data_gives_same_bytes_with_the_meetings_timestamp(kind):
    first, second = render("da", kind, False), render("da", kind, False)
    assert first == second
    stamps = {d for _, d, _ in entries(first)}
    assert stamps == {(2027, 3, 5, 8, 30, 12)}  # meeting.last_modified, not now
    names = [n for n, _, _ in entries(first)]
    assert names[0] == "[Content_Types].xml" and names[1:] == sorted(names[1:])
    assert "docProps/thumbnail.jpeg" not in names


@pytest.mark.parametrize(("lang", "kind", "public"), CASES, ids=[golden_name(*c) for c in CASES])
def test_public_version_holds_no_closed_text_in_any_part(lang, kind, public):
    meeting, _, _ = build(lang)
    secrets = closed_texts(meeting) + closed_titles(meeting) + [CLOSED_GUEST]
    expected = {v for k, v in CLOSED_SECRETS.items() if k != "amendment" or meeting.minutes.amendments}
    assert expected <= set(secrets)
    found = leaked(render(lang, kind, public), secrets)
    if public:
        assert found == []
    else:  # the full version does carry them: the search can fail
        assert {s for _, s in found} >= {CLOSED_SECRETS["background"], CLOSED_SECRETS["recommendation"]}


def test_public_shows_a_closed_item_by_number_and_public_title_or_the_notice_never_its_own_title():
    for lang, notice, public_title in (("da", "Lukket punkt", "Indkøbssag"), ("sv", "Ärendet är sekretessbelagt",
                                       "Ärende enligt SoL"), ("en", "Closed item", None)):
        meeting, _, _ = build(lang)
        closed = next(i for i in meeting.items if not i.public)
        assert closed.public_title == public_title
        for kind in RENDER:
            text = body_text(render(lang, kind, True))
            assert closed.title not in text
            assert notice in text
            number = "§ 10 " if (lang, kind) == ("sv", "minutes") else "5. "
            assert number + (public_title or notice) in text, (lang, kind)
            full = body_text(render(lang, kind, False))
            assert closed.title in full and (public_title is None or public_title in full)


def test_full_version_with_closed_items_says_not_for_publication_on_page_one_in_properties_and_file_name():
    for lang, notice, suffix in (("da", "Indeholder lukkede punkter – ikke til offentliggørelse", "med-lukkede-punkter"),
                                 ("sv", "Innehåller sekretessbelagda uppgifter – ej för offentliggörande", "med-sekretess"),
                                 ("en", "Contains closed items – not for publication", "with-closed-items")):
        meeting, body, _ = build(lang)
        for kind in RENDER:
            data = render(lang, kind, False)
            first_lines = body_text(data).split("\n")[:4]
            assert notice in first_lines
            props = docx.Document(io.BytesIO(data)).core_properties
            assert notice in props.keywords and notice == props.comments
            assert notice not in body_text(render(lang, kind, True))
            assert document_filename(meeting, body, kind, False).endswith(f"-{suffix}.docx")
            assert suffix not in document_filename(meeting, body, kind, True)
        open_only = meeting.replace(items=[i for i in meeting.items if i.public])
        assert suffix not in document_filename(open_only, body, "minutes", False)
        _, _, context = build(lang)
        assert notice not in body_text(minutes_docx(open_only, body, context, public=False))


def test_a_guest_present_only_for_a_closed_item_is_named_only_in_the_full_version():
    for lang in LANGUAGES:
        for kind in RENDER:
            assert CLOSED_GUEST in body_text(render(lang, kind, False)) or kind == "agenda"
            assert CLOSED_GUEST not in body_text(render(lang, kind, True))


def test_corrections_after_approval_are_said_with_their_date_in_public_never_shown():
    text = body_text(render("da", "minutes", True))
    assert "Punktet er rettet den 22. marts 2027." in text and "22. marts 2027: punkt 5 er rettet." in text
    assert "23. marts 2027: punkt 2 er rettet." in text and "Beslutningen er præciseret" not in text
    full = body_text(render("da", "minutes", False))
    assert "23. marts 2027, Anna Ærø-Åström: punkt 2 (beslutning): Beslutningen er præciseret" in full
    assert CLOSED_SECRETS["amendment"] in full
    sv = body_text(render("sv", "minutes", False))
    assert "23 mars 2027, Anna Ærø-Åström: § 7 (beslut): Beslutet förtydligat" in sv
    assert "Paragrafen är rättad den 22 mars 2027." in body_text(render("sv", "minutes", True))


def test_public_versions_of_the_demo_meetings_leak_nothing(demo_db):
    from secretary.cli.bootstrap import open_secretary

    secretary = open_secretary(demo_db)
    for listed in secretary.records.meetings():
        meeting, body, sources = secretary.records.document_sources(listed.id)
        context = build_context(meeting, sources)
        # Names the header prints anyway (an action owner may be a member organisation).
        allowed = [item.title for item in meeting.items] + [o.name for o in context.organisations.values()]
        allowed += [p.name for p in context.people.values()]
        for item in meeting.items:
            if item.public:
                allowed += [item.background, item.recommendation, item.decision or "", item.presenter or "",
                            item.case_number or ""]
                allowed += [a.title for a in item.attachments] + [a.what + a.owner for a in item.actions]
        secrets = [s for s in closed_texts(meeting) if not any(s in a for a in allowed)]
        assert secrets, meeting.id
        for render_fn in (agenda_docx, minutes_docx):
            assert leaked(render_fn(meeting, body, context, public=True), secrets) == []
            assert leaked(render_fn(meeting, body, context, public=False), secrets)


def test_header_people_and_items_in_danish():
    text = body_text(render("da", "minutes", False))
    assert "Referat" in text
    assert "Torsdag den 4. marts 2027" in text
    assert "kl. 09.00–11.50" in text  # the minutes: the actual times recorded when held
    assert "kl. 09.00–12.00" in body_text(render("da", "agenda", False))  # the agenda: the planned times
    # Mødeleder and referent named; name, title, organisation once; the role in one parenthesis
    assert "Mødeleder\nAnna Ærø-Åström, Viborg Kommune" in text
    assert "Referent\nEva Ek, chefkonsulent, Viborg Kommune" in text
    assert "Anna Ærø-Åström, Viborg Kommune (formand)" in text
    assert "Dina Dahl, kontorchef, Region Midtjylland" in text
    assert "Cai Østergaard, Aarhus Kommune (for Bo Öberg)" in text
    assert "sekretariat)" not in text and ", sekretariat" not in text  # no role word in place of a title
    assert "Afbud" in text and "Fraværende" in text and "Øvrige deltagere" in text
    assert "Cai Østergaard: ankom kl. 09.20 under punkt 2" in text
    assert "Dina Dahl: gik kl. 11.30 efter punkt 5; deltog ikke i behandlingen af punkt 5" in text
    assert "Dina Dahl deltog ikke i behandlingen af punktet." in text
    assert "Rammeaftale 2027-28: Udviklingsstrategi & <økonomi> 🚀" in text
    assert "Oversendt til" in text and "FU – Forretningsudvalget" in text
    assert "Følg op: Rammeaftale 2027-28: (ansvarlig: Eva Ek, frist: 1. april 2027, udført)" in text
    assert "Referatet er godkendt den 18. marts 2027 af Forretningsudvalget." in text
    assert "Sagstype" not in text and "Sagstype" not in body_text(render("da", "agenda", False))
    # "Udfald: Godkendt" is not repeated under "Beslutning: Godkendt."
    assert "Godkendt.\nUdfald" not in text and "Udfald: Godkendt" not in text.split("5. Forhandling")[0]
    assert "Resumé\nUdkastet til udviklingsstrategien" in text and "Økonomi\nSagen har ingen" in text
    assert "Beslutningskompetence\nSagen afgøres i DASSOS." in text
    for lang, kind in (("da", "agenda"), ("da", "minutes")):
        titles = [p.text for p in docx.Document(io.BytesIO(render(lang, kind, False))).paragraphs
                  if p.style.name == "Heading 1"]
        assert titles[0] in ("Punkter på dagsordenen", "Punkter")  # the contents list comes first
        assert titles[1:4] == ["1. Godkendelse af dagsorden (B)", "2. Rammeaftale 2027-28: Udviklingsstrategi & <økonomi> 🚀 (B)",
                               "3. Orientering om takstudvikling (O)"]
        assert "4. Kapacitetsjustering på Kildebakken (D)" in titles and "6. Eventuelt" in titles


def test_item_text_keeps_its_structure_and_attachments_are_hyperlinks():
    data = render("da", "agenda", False)
    document = docx.Document(io.BytesIO(data))
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert "Borgere med komplekse behov" in bullets and "Kapacitet og takster" in bullets
    heading = next(p for p in document.paragraphs if p.text == "Fokusområder")
    assert heading.runs[0].bold and heading.paragraph_format.keep_with_next
    parts = xml_parts(data)
    assert "<w:hyperlink" in parts["word/document.xml"]
    rels = parts["word/_rels/document.xml.rels"]
    assert 'Target="https://example.org/b.pdf"' in rels and 'TargetMode="External"' in rels


def test_agenda_lists_members_substitutes_and_the_secretariat_apart():
    text = body_text(render("sv", "agenda", False))
    assert "Ledamöter\nAnna Ærø-Åström, Ludvika kommun (ordförande)" in text
    assert "Ersättare\nCai Østergaard, Smedjebackens kommun" in text
    assert "Sekreterare\nEva Ek, nämndsekreterare, Ludvika kommun" in text
    assert "Dnr: 27.00.00-A00-2-27   Föredragande: Anna Ærø-Åström" in text
    assert "Ärendetyp" not in text


def test_swedish_paragraph_order_debate_and_attendance_groups():
    text = body_text(render("sv", "minutes", False))
    start = text.index("§ 7 Kvalitetsrapport", text.index("§ 11 Övriga frågor"))  # after the contents list
    section = text[start:text.index("§ 8 Information", start)]
    order = ["Beslut\n", "Sammanfattning", "Ärendebeskrivning", "Ekonomiska konsekvenser", "Beslutsinstans",
             "Förslag till beslut", "Yrkanden", "Omröstning", "Reservation", "Protokollsanteckning",
             "Beslutsunderlag", "Beslutet skickas till"]
    positions = [section.index(label) for label in order]
    assert positions == sorted(positions)
    assert "Dina Dahl yrkar: Nämnden godkänner kvalitetsrapporten." in section
    assert "Ja: 3. Nej: 1. Avstår: 0." in section and "Gry Gram reserverar sig mot beslutet." in section
    assert "Socialförvaltningen" in section and "Kommunstyrelsen" in section
    first = text[:text.index("Utses att justera")]
    voting = first[first.index("Beslutande"):first.index("Övriga närvarande")]
    assert "Anna Ærø-Åström, Ludvika kommun (ordförande)" in voting
    assert "Cai Østergaard, Smedjebackens kommun (tjänstgörande ersättare för Bo Öberg)" in voting
    assert "Eva Ek" not in voting  # the secretary is never among Beslutande
    assert "Sekreterare\nEva Ek, nämndsekreterare, Ludvika kommun" in first
    footer = next(v for k, v in xml_parts(render("sv", "minutes", False)).items() if k.startswith("word/footer"))
    assert "Justerandes signatur" in footer and " PAGE " in footer


def test_carry_over_and_referral_notes_write_the_date_out():
    from secretary.domain.notes import carry_over_note, referral_note

    assert carry_over_note("da", dt.date(2027, 1, 14)) == "Udsat til mødet den 14. januar 2027."
    assert carry_over_note("sv", dt.date(2027, 1, 14)) == "Bordlagt till sammanträdet den 14 januari 2027."
    assert referral_note("da", "FU", dt.date(2027, 1, 14)) == "Oversendt til FU, mødet den 14. januar 2027."
    assert referral_note("en", "EC") == "Referred to EC."


def test_right_to_left_paragraphs_are_set_right_to_left_and_bidi_overrides_are_gone():
    meeting, body, context = build("da")
    arabic = meeting.items[2].replace(background="مرحبا بكم في الاجتماع\n\nLatin first مرحبا", title="Punkt \u202eevil")
    data = agenda_docx(meeting.replace(items=[arabic if i.id == arabic.id else i for i in meeting.items]), body,
                       context, public=False)
    xml = xml_parts(data)["word/document.xml"]
    rtl = xml[:xml.index("مرحبا بكم")]
    assert "<w:bidi/>" in rtl[rtl.rindex("<w:p>"):]
    latin = xml[:xml.index("Latin first")]
    assert "<w:bidi/>" not in latin[latin.rindex("<w:p>"):]
    assert "\u202e" not in xml and "Punkt evil" in xml
    styles = xml_parts(data)["word/styles.xml"]
    assert 'w:eastAsia="Arial"' not in styles and 'w:cs="Arial"' not in styles  # no one font for every script


def test_swedish_protocol_paragraphs_run_through_the_year_and_carry_justering_and_anslag():
    text = body_text(render("sv", "minutes", False))
    # 5 items at the January meeting (the cancelled February meeting does not count): §§ 6–11.
    assert "§ 6 Godkännande av dagordning" in text
    assert "§ 11 Övriga frågor" in text
    assert "§§ 6–11" in text
    assert "Utses att justera" in text and "Dina Dahl" in text
    assert "Datum då anslaget sätts upp\n2027-03-09" in text
    assert "Datum då anslaget tas ned\n2027-03-30" in text  # three weeks later
    assert "Justerande" in text and "Ordförande" in text and "Sekreterare" in text
    agenda = body_text(render("sv", "agenda", False))
    assert "Kallelse med föredragningslista" in agenda and "Torsdag 4 mars 2027" in agenda
    assert "1. Godkännande av dagordning" in agenda


def test_english_minutes_note_the_approval_at_the_next_meeting():
    text = body_text(render("en", "minutes", False))
    assert "Thursday 4 March 2027" in text
    assert "The minutes have been circulated and will be approved at the next meeting." in text


@pytest.mark.parametrize(("lang", "page", "word_lang"), [("da", "Side", "da-DK"), ("sv", "Sida", "sv-SE"), ("en", "Page", "en-GB")])
def test_page_fields_properties_a4_and_language(lang, page, word_lang):
    data = render(lang, "agenda", False)
    parts = xml_parts(data)
    footer = next(v for k, v in parts.items() if k.startswith("word/footer"))
    assert page in footer and " PAGE " in footer and " NUMPAGES " in footer and 'fldCharType="begin"' in footer
    styles = parts["word/styles.xml"]  # large: compare as booleans so a failure prints briefly
    assert (f'w:val="{word_lang}"' in styles, 'w:val="en-US"' in styles) == (True, False)
    document = docx.Document(io.BytesIO(data))
    props = document.core_properties
    meeting, body, context = build(lang)
    assert props.author == context.organisation == props.last_modified_by
    assert body.abbreviation in props.title
    assert props.created == props.modified == dt.datetime(2027, 3, 5, 8, 30, 12, tzinfo=dt.UTC)
    assert ("python-docx" in parts["docProps/core.xml"], "Microsoft" in parts["docProps/app.xml"]) == (False, False)
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_dates_fall_back_to_the_meeting_start_without_last_modified():
    meeting, body, context = build("da")
    data = agenda_docx(meeting.replace(last_modified=None), body, context, public=False)
    assert {d for _, d, _ in entries(data)} == {(2027, 3, 4, 8, 0, 0)}  # 09:00 CET in UTC


def test_control_characters_are_removed_and_special_text_survives():
    meeting, body, context = build("da")
    dirty = Item.model_construct(**{**meeting.items[1].model_dump(), "attachments": [], "actions": [],
                                    "title": "Bad\x00\x0b title & <x> 🚀 æøå\ufffe", "background": "a\x1fb\r\nc"})
    broken = Meeting.model_construct(**{**dict(meeting), "items": [dirty]})
    for public in (False, True):
        text = body_text(agenda_docx(broken, body, context, public=public))
        assert "Bad title & <x> 🚀 æøå" in text
    assert "ab\nc" in body_text(agenda_docx(broken, body, context, public=False))


# -- templates ----------------------------------------------------------------------------


def make_template(drop_style: str | None = None) -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "BREVHOVED Viborg Kommune"
    document.sections[0].footer.paragraphs[0].text = "Prinsens Allé 5 · 8800 Viborg"
    document.styles["Normal"].font.name = "Georgia"
    document.add_paragraph("Skabelonens egen brødtekst, der skal fjernes")
    if drop_style:
        style = document.styles[drop_style].element
        style.getparent().remove(style)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_template_keeps_letterhead_and_styles_and_drops_its_body():
    data = render("da", "minutes", True, template=make_template())
    parts = xml_parts(data)
    header = " ".join(v for k, v in parts.items() if k.startswith("word/header"))
    footer = " ".join(v for k, v in parts.items() if k.startswith("word/footer"))
    text = body_text(data)
    assert ("BREVHOVED Viborg Kommune" in header, "Prinsens Allé 5" in footer) == (True, True)
    assert "Referat" not in header  # the letterhead is not overwritten …
    # … the identification and the page numbers go in a footer line of their own
    assert ("Referat – DASSOS – 4. marts 2027" in footer, " PAGE " in footer, " NUMPAGES " in footer) == (True, True, True)
    assert "Sekretariat for Rammeaftaler" not in footer  # the letterhead names the issuer
    assert footer.index("Prinsens Allé 5") < footer.index("Referat – DASSOS")
    assert ("Georgia" in parts["word/styles.xml"], 'w:val="da-DK"' in parts["word/styles.xml"]) == (True, True)
    assert ("Skabelonens egen brødtekst" in text, "Referat" in text) == (False, True)


def make_placeholder_template() -> bytes:
    """A letterhead whose footer has places for the page number and the identification,
    "{{page}}" split over two runs as Word often stores it."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "BREVHOVED Ludvika kommun"
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = "Ludvika kommun · {{document}} · sida {{pa"
    footer.add_run("ge}} av {{pages}}")
    document.sections[0].footer.add_paragraph("Signatur: {{signature}}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_template_placeholders_are_filled_where_the_template_has_them():
    data = render("sv", "minutes", False, template=make_placeholder_template())
    parts = xml_parts(data)
    footers = [v for k, v in parts.items() if k.startswith("word/footer")]
    assert len(footers) == 1
    footer = footers[0]
    assert "{{" not in footer and " PAGE " in footer and " NUMPAGES " in footer
    assert "Ludvika kommun · Ludvika kommun, Nämndsekretariatet · Protokoll – SUN – 4 mars 2027" in footer
    assert "Signatur: Justerandes signatur" in footer
    assert footer.count('w:fldCharType="begin"') == 2  # PAGE and NUMPAGES: no page line of our own
    header = " ".join(v for k, v in parts.items() if k.startswith("word/header"))
    assert "BREVHOVED Ludvika kommun" in header and "Protokoll" not in header


def test_template_without_heading_2_is_enough():
    assert "Heading 2" not in REQUIRED_STYLES
    data = render("da", "agenda", False, template=make_template(drop_style="Heading 2"))
    assert "Dagsorden" in body_text(data)


@pytest.mark.parametrize("style", REQUIRED_STYLES)
def test_template_missing_a_required_style_is_rejected_naming_it(style):
    template = make_template(drop_style=style)
    with pytest.raises(TemplateError, match=f"style '{style}' is missing"):
        check_template(template, "brevpapir.docx")
    with pytest.raises(TemplateError, match=f"template brevpapir.docx: style '{style}'"):
        render("da", "agenda", False, template=template, template_name="brevpapir.docx")


def test_template_that_is_not_a_word_document_is_rejected():
    with pytest.raises(TemplateError, match="not a Word document"):
        check_template(b"PK not really", "x.docx")


# -- file names and the command line ----------------------------------------------------


def test_derived_file_names_stay_plain():
    meeting, body, _ = build("sv")
    assert document_filename(meeting, body, "minutes", True) == "SUN-2027-03-04-protokoll-offentlig.docx"
    evil = body.replace(abbreviation="../../etc/pass wd")
    name = document_filename(meeting, evil, "agenda", False)
    assert "/" not in name and not name.startswith(".") and name == "etc-pass-wd-2027-03-04-kallelse-med-sekretess.docx"
    assert safe_stem("..", "fallback") == "fallback"
    assert safe_stem("Hjerneskadesamråd børn/unge", "x") == "Hjerneskadesamråd-børn-unge"


def test_cli_writes_agenda_and_public_minutes(demo_db, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    result = run_cli("--db", str(demo_db), "export", "agenda", "dassos-2026-10-08", "-o", str(out / "a.docx"))
    assert result.returncode == 0, result.stderr
    assert "Dagsorden" in body_text((out / "a.docx").read_bytes())
    import subprocess

    default = subprocess.run(
        [str(Path(run_cli.__globals__["SECRETARY"])), "export", "minutes", "dassos-2026-10-08", "--public",
         "--db", str(demo_db)],
        cwd=out, capture_output=True, timeout=120,
    )
    assert default.returncode == 0, default.stderr
    made = out / "DASSOS-2026-10-08-referat-offentlig.docx"
    assert made.exists()
    assert "Lukket punkt" in body_text(made.read_bytes())


def test_cli_exports_an_extract_of_one_item(demo_db, tmp_path):
    target = tmp_path / "extract.docx"
    result = run_cli("--db", str(demo_db), "export", "extract", "dassos-2026-10-08", "3", "-o", str(target))
    assert result.returncode == 0, result.stderr
    text = body_text(target.read_bytes())
    assert text.startswith("Beslutningsudskrift") and "Udskriftens rigtighed bekræftes" in text
    missing = run_cli("--db", str(demo_db), "export", "extract", "dassos-2026-10-08", "99", "-o", str(tmp_path / "x.docx"))
    assert missing.returncode == 1 and b"item '99': no such item" in missing.stderr
    assert b"Traceback" not in missing.stderr and not (tmp_path / "x.docx").exists()


def test_extract_of_a_swedish_paragraph_carries_the_justering_and_public_hides_a_closed_one():
    from exports.documents import extract_docx, find_item

    meeting, body, context = build("sv")
    assert find_item(meeting, body, context, "§ 7").id == "i2" and find_item(meeting, body, context, "i2").id == "i2"
    text = body_text(extract_docx(meeting, body, context, "i2", public=False))
    assert text.startswith("Protokollsutdrag") and "§ 7 Kvalitetsrapport" in text
    assert "Utses att justera" in text and "Justeringens plats och tid" in text and "Utdragsbestyrkande" in text
    assert "Datum då anslaget sätts upp" in text and "§ 8" not in text
    closed = extract_docx(meeting, body, context, "closed", public=True)
    assert leaked(closed, closed_texts(meeting) + closed_titles(meeting)) == []
    assert "§ 10 Ärende enligt SoL" in body_text(closed)


def test_cli_warns_when_an_agenda_invites_no_members(demo_db, tmp_path):
    from secretary.cli.bootstrap import open_secretary
    from secretary.services.documents import agenda_warnings

    secretary = open_secretary(demo_db)
    meeting, body, sources = secretary.records.document_sources("dassos-2026-10-08")
    context = build_context(meeting, sources)
    assert agenda_warnings(meeting, body, context.memberships) == ()
    assert agenda_warnings(meeting, body, [s for s in context.memberships if s.role == "secretary"])
    with secretary.store.transaction():
        for seat in list(sources.memberships.values()):
            if seat.body == "dassos":
                secretary.store.memberships.save(seat.replace(end=dt.date(2026, 1, 1), start=min(seat.start, dt.date(2026, 1, 1))))
    result = run_cli("--db", str(demo_db), "export", "agenda", "dassos-2026-10-08", "-o", str(tmp_path / "a.docx"))
    assert result.returncode == 0, result.stderr
    assert b"warning: meeting 'dassos-2026-10-08': the agenda invites no members" in result.stderr


def test_cli_errors_name_the_problem(demo_db, tmp_path):
    missing = run_cli("--db", str(demo_db), "export", "agenda", "no-such-meeting", "-o", str(tmp_path / "x.docx"))
    assert missing.returncode == 1 and b"no-such-meeting" in missing.stderr and b"Traceback" not in missing.stderr
    bad = tmp_path / "bad.docx"
    bad.write_bytes(make_template(drop_style="Heading 1"))
    result = run_cli("--db", str(demo_db), "export", "agenda", "dassos-2026-10-08", "--template", str(bad),
                     "-o", str(tmp_path / "y.docx"))
    assert result.returncode == 1
    assert b"style 'Heading 1' is missing" in result.stderr and str(bad).encode() in result.stderr


def test_cli_uses_the_body_template_beside_the_database(demo_db, tmp_path):
    (demo_db.parent / "templates").mkdir()
    (demo_db.parent / "templates" / "dassos.docx").write_bytes(make_template())
    target = tmp_path / "t.docx"
    result = run_cli("--db", str(demo_db), "export", "agenda", "dassos-2026-10-08", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert any("BREVHOVED" in part for part in xml_parts(target.read_bytes()).values())
