"""The annual report and the spreadsheets as their readers see them: LibreOffice renders the
report (text and page images, the charts in it), openpyxl and LibreOffice Calc read the .xlsx."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.conftest import run_cli

pytestmark = [
    pytest.mark.external,
    pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdftoppm")),
                       reason="needs soffice, pdftotext and pdftoppm"),
]


def _soffice(folder: Path, target: str, *files: Path, outdir: Path | None = None) -> None:
    subprocess.run(["soffice", f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--convert-to", target,
                    "--outdir", str(outdir or folder), *map(str, files)], check=True, capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scorecard-docs")
    db = str(folder / "db.json")
    assert run_cli("--db", db, "init", "--preset", "ludvika").returncode == 0
    for name, args in (("report.docx", ["report", "2017", "--org", "ludvika"]), ("again.docx", ["report", "2017", "--org", "ludvika"]),
                       ("styrkort.xlsx", ["scorecard"]), ("styrkort.csv", ["scorecard", "--format", "csv"])):
        result = run_cli("--db", db, "export", *args, "-o", str(folder / name))
        assert result.returncode == 0, result.stderr.decode()
    _soffice(folder, "pdf", folder / "report.docx")
    return folder


def test_report_is_deterministic_and_holds_real_pngs(made):
    data = (made / "report.docx").read_bytes()
    assert data == (made / "again.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        images = [n for n in package.namelist() if n.startswith("word/media/")]
        assert len(images) == 4  # Barn och unga, Livsmiljö, Medarbetare, Ekonomi (Arbete och näringsliv has no result)
        for name in images:
            png = package.read(name)
            assert png[:8] == b"\x89PNG\r\n\x1a\n"
            assert b"tIME" not in png and b"Software" not in png  # no date, no tool stamp in the image
        core = package.read("docProps/core.xml").decode()
        assert "2000-01-01T00:00:00Z" in core


def test_report_renders_in_libreoffice_with_the_styrkort_and_its_charts(made):
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(made / "report.pdf"), "-"], check=True,
                          capture_output=True, timeout=60).stdout.decode()
    flat = re.sub(r"\s+", " ", text.replace("\u00a0", " "))
    for needle in ("Kvalitetsberättelse 2017", "Styrkort 2017 Social välfärd", "Strategiska målområden",
                   "Kommunövergripande mål", "Interna målområden", "Rikssnitt", "Måltal",
                   "Brukare och klienter upplever ett gott bemötande", "83 %", "84 %", "95 %",
                   "28,2", "56,3", "8,61 %*", "4 142", "33 168", "89 900", "87 477", "55 476", "i.u.",
                   "Barnenkäten genomfördes inte år 2016.", "Medarbetarenkät genomfördes inte år 2015-2017.",
                   "Utveckling per målområde", "Mötena 2017", "Så har talen räknats", "Årets beslut i korthet"):
        assert needle in flat, needle
    pages = made / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(made / "report.pdf"), str(pages)], check=True, timeout=120)
    images = sorted(made.glob("page-*.png"))
    assert 2 <= len(images) <= 5
    # The chart pages carry colour (matplotlib's lines), the text pages are black on white.
    from PIL import Image

    coloured = 0
    for image in images:
        picture = Image.open(image).convert("RGB")
        raw = picture.tobytes()
        colours = {p for p in zip(raw[0::3], raw[1::3], raw[2::3], strict=True) if max(p) - min(p) > 60}
        coloured += len(colours) > 20
    assert coloured >= 1


def test_xlsx_reads_back_in_openpyxl_and_libreoffice_calc_with_the_same_figures(made):
    from openpyxl import load_workbook

    book = load_workbook(made / "styrkort.xlsx")
    sheet = book["ludvika-Social välfärd"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Styrkort 2017 Social välfärd"
    header = rows[1]
    assert list(header[5:10]) == [2013, 2014, 2015, 2016, 2017]
    by_id = {row[0]: row for row in rows[2:] if row[0] and str(row[0]).startswith("sv-")}
    assert by_id["sv-forsorjningsstod"][5:10] == (41536, 42010, 46944, 47534, 55476)
    assert by_id["sv-sjukfranvaro"][5:10] == (7.05, 8.85, 9.1, 8.61, 8.7)
    assert by_id["sv-nojda-medarbetare"][5:10] == (28.2, 56.3, "–", "–", "–")
    assert by_id["sv-gott-bemotande"][10:13] == (84, 95, "missed")
    assert by_id["sv-atgardsplan-unga"][10] == "i.u."
    assert book.properties.creator == "secretary"
    # LibreOffice Calc converts the same workbook to CSV: the same figures.
    # Comma-separated, double quotes, UTF-8 (76), from the first sheet (Ludvika's).
    _soffice(made, "csv:Text - txt - csv (StarCalc):44,34,76,1", made / "styrkort.xlsx", outdir=made / "calc")
    calc = list(csv.reader((made / "calc" / "styrkort.csv").read_text(encoding="utf-8").splitlines()))
    calc_ids = {row[0]: row for row in calc if row and row[0].startswith("sv-")}
    assert calc_ids["sv-forsorjningsstod"][5:10] == ["41536", "42010", "46944", "47534", "55476"]
    assert calc_ids["sv-sjukfranvaro"][5:10] == ["7.05", "8.85", "9.1", "8.61", "8.7"]
    assert calc_ids["sv-placeringskostnad"][5:10] == ["33168", "27441", "42995", "89900", "87477"]


def test_csv_export_holds_every_year_of_every_indicator(made, tmp_path):
    db = str(tmp_path / "db.json")
    assert run_cli("--db", db, "init", "--preset", "ludvika").returncode == 0
    out = run_cli("--db", db, "export", "scorecard", "--format", "csv").stdout.decode()
    rows = list(csv.DictReader(io.StringIO(out)))
    ludvika = [r for r in rows if r["owner"] == "ludvika"]
    assert len(ludvika) == 10 * 5
    cell = {(r["indicator"], r["year"]): r for r in ludvika}
    assert cell[("sv-skolsituation", "2017")]["result"] == "93" and cell[("sv-skolsituation", "2017")]["target"] == "85"
    assert cell[("sv-skolsituation", "2013")]["result"] == ""
    assert cell[("sv-barn-delaktiga", "2016")]["result"] == "not_measured"
    assert cell[("sv-atgardsplan-vuxna", "2017")]["national"] == "i.u."
    assert cell[("sv-bruttokostnad-ifo", "2016")]["result"] == "4263"
