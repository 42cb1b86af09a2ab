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
from tests.documents_data import CLOSED_SECRETS, LANGUAGES, build, closed_texts, leaked, xml_parts

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
    secrets = closed_texts(meeting)
    assert set(CLOSED_SECRETS.values()) <= set(secrets)
    found = leaked(render(lang, kind, public), secrets)
    if public:
        assert found == []
    else:  # the full version does carry them: the search can fail
        assert {s for _, s in found} >= {CLOSED_SECRETS["background"], CLOSED_SECRETS["recommendation"]}


def test_public_keeps_number_and_title_of_a_closed_item_with_the_notice():
    for lang, notice in (("da", "Lukket punkt"), ("sv", "Ärendet är sekretessbelagt"), ("en", "Closed item")):
        text = body_text(render(lang, "minutes", True))
        meeting, _, _ = build(lang)
        closed = next(i for i in meeting.items if not i.public)
        assert closed.title in text
        assert notice in text


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
    assert "Mødeleder\nAnna Ærø-Åström (Viborg Kommune)" in text and "Referent\nEva Ek (Viborg Kommune)" in text
    assert "Anna Ærø-Åström (Viborg Kommune), formand" in text
    assert "Cai Østergaard (Aarhus Kommune) (suppleant for Bo Öberg (Aarhus Kommune))" in text
    assert "Afbud" in text and "Fraværende" in text and "Øvrige deltagere" in text
    assert "Rammeaftale 2027-28: Udviklingsstrategi & <økonomi> 🚀" in text
    assert "Oversendt til" in text and "FU – Forretningsudvalget" in text
    assert "Følg op: Rammeaftale 2027-28: (ansvarlig: Eva Ek, frist: 1. april 2027, udført)" in text
    assert "Referatet er godkendt den 18. marts 2027 af Forretningsudvalget." in text
    titles = [p.text for p in docx.Document(io.BytesIO(render("da", "agenda", False))).paragraphs
              if p.style.name == "Heading 1"]
    assert titles[1:4] == ["1. Godkendelse af dagsorden", "2. Rammeaftale 2027-28: Udviklingsstrategi & <økonomi> 🚀",
                           "3. Orientering om takstudvikling"]


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
    headers = " ".join(v for k, v in parts.items() if k.startswith(("word/header", "word/footer")))
    text = body_text(data)
    assert ("BREVHOVED Viborg Kommune" in headers, "Prinsens Allé 5" in headers) == (True, True)
    assert ("Georgia" in parts["word/styles.xml"], 'w:val="da-DK"' in parts["word/styles.xml"]) == (True, True)
    assert ("Skabelonens egen brødtekst" in text, "Referat" in text) == (False, True)


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
    assert "/" not in name and not name.startswith(".") and name == "etc-pass-wd-2027-03-04-kallelse.docx"
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


def test_cli_errors_name_the_problem(demo_db, tmp_path):
    missing = run_cli("--db", str(demo_db), "export", "agenda", "no-such-meeting", "-o", str(tmp_path / "x.docx"))
    assert missing.returncode == 1 and b"no-such-meeting" in missing.stderr and b"Traceback" not in missing.stderr
    bad = tmp_path / "bad.docx"
    bad.write_bytes(make_template(drop_style="Heading 2"))
    result = run_cli("--db", str(demo_db), "export", "agenda", "dassos-2026-10-08", "--template", str(bad),
                     "-o", str(tmp_path / "y.docx"))
    assert result.returncode == 1
    assert b"style 'Heading 2' is missing" in result.stderr and str(bad).encode() in result.stderr


def test_cli_uses_the_body_template_beside_the_database(demo_db, tmp_path):
    (demo_db.parent / "templates").mkdir()
    (demo_db.parent / "templates" / "dassos.docx").write_bytes(make_template())
    target = tmp_path / "t.docx"
    result = run_cli("--db", str(demo_db), "export", "agenda", "dassos-2026-10-08", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert any("BREVHOVED" in part for part in xml_parts(target.read_bytes()).values())
