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

from tests.documents_data import LANGUAGES, build, closed_texts

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
    """Whitespace collapsed; symbols (emoji) dropped, as the PDF font may not carry them."""
    text = "".join(c for c in text if unicodedata.category(c) != "So")
    return re.sub(r"\s+", " ", text).strip()


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
    position = text.index(expected["date"])
    for _round in range(2 if kind == "agenda" else 1):
        for item in meeting.items:
            found = text.find(normal(item.title), position)
            assert found >= 0, item.title
            position = found + 1
    if kind == "minutes":
        for item in meeting.items:
            if item.decision and (item.public or not public):
                assert normal(item.decision) in text, item.decision
    secrets = [normal(s) for s in closed_texts(meeting)]
    present = [s for s in secrets if s in text]
    if public:
        assert present == []
    else:
        assert present, "the full version shows the closed item"
