"""The published site (issue 17): only what is public and published, deterministic, incremental."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import httpx
import pytest

from secretary.cli.bootstrap import open_secretary
from secretary.cli.server import make_app
from tests.conftest import NOW
from tests.server_helpers import serving
from tests.site_helpers import TEAMS, leaks, prepare


@pytest.fixture
def published(demo_db, monkeypatch):
    monkeypatch.setenv("SECRETARY_PUBLIC_URL", "https://moeder.example.dk/")
    sec = open_secretary(demo_db, clock=lambda: NOW)
    return sec, prepare(sec)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_no_file_of_the_exported_site_holds_a_closed_item_contact_data_or_a_token(published, tmp_path):
    sec, secrets = published
    sec.site.export(tmp_path / "site")
    files = _files(tmp_path / "site")
    assert any(name.endswith(".docx") for name in files) and any(name.startswith("pagefind/") for name in files)
    assert {name: found for name, data in files.items() if (found := leaks(name, data, secrets))} == {}
    # The full documents do hold the markers: the check above looks where they would be.
    full = sec.documents.render("dassos-2026-10-08", "minutes", public=False).data
    assert leaks("x.docx", full, secrets)
    page = files["meetings/dassos-2026-10-08/index.html"].decode()
    assert "Lukket punkt" in page and TEAMS in page
    assert not any(name.startswith("calendars/p/") for name in files)


def test_no_page_the_server_answers_holds_a_closed_item_contact_data_or_a_token(published):
    sec, secrets = published
    paths = sorted(sec.site.pages(NOW))
    with serving(make_app(open_secretary(sec.store.location), clock=lambda: NOW)) as url, \
            httpx.Client(base_url=url, timeout=30) as client:
        front = client.get("/")
        assert front.status_code == 200 and front.headers["content-encoding"] == "gzip"
        search = [p for p in re.findall(r'(?:src|href)="\.\./(pagefind/[^"]+)"', client.get("/search/").text)]
        assert search
        answered = 0
        for path in paths + search + ["pagefind/pagefind-entry.json"]:
            response = client.get("/" + path)
            assert response.status_code == 200, path
            assert leaks(path, response.content, secrets) == [], path
            answered += 1
        assert answered > 30


def test_a_meeting_not_dispatched_shows_only_its_date_and_body(published):
    sec, _secrets = published
    pages = sec.site.pages(NOW)
    html = pages["meetings/dassos-2027-01-14/index.html"].make().decode()
    meeting = sec.records.meeting("dassos-2027-01-14")
    main = html.split('<main id="main"', 1)[1]
    assert "14. januar 2027" in main and "Dialogforum" not in main
    for item in meeting.items:
        if len(item.title) > 6:
            assert item.title not in main, item.title
    assert meeting.location not in main and "09:00" not in main and "<html lang=\"da\">" in html
    # The published agenda shows its open items, the closed one by its number and the notice only.
    agenda = pages["meetings/fu-2026-12-02/index.html"].make().decode()
    fu = sec.records.meeting("fu-2026-12-02")
    for item in fu.items:
        if item.public:
            assert item.title.replace("&", "&amp;") in agenda or item.title in agenda, item.title
        else:
            assert f"{item.number}. Lukket punkt" in agenda


def test_same_data_same_bytes_and_a_second_export_rewrites_only_what_changed(published, tmp_path):
    sec, _secrets = published
    first = sec.site.export(tmp_path / "a")
    sec.site.export(tmp_path / "b")
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    again = sec.site.export(tmp_path / "a")
    assert again.written == [] and again.rendered == 0 and again.unchanged >= len(first.written) - 60
    sec.agenda.update_meeting("fu-2027-03-03", lambda m: m.replace(location="Et nyt sted"))
    changed = sec.site.export(tmp_path / "a")
    pages = [p for p in changed.written if not p.startswith("pagefind/")]
    assert "calendars/fu.ics" in pages and "calendars/all.ics" in pages
    assert "meetings/dassos-2026-10-08/index.html" not in pages
    assert len(pages) <= 6, pages  # the meeting, its year page and its body page at most, and the feeds
    assert b"Et nyt sted" in (tmp_path / "a" / "calendars/fu.ics").read_bytes()


def test_swedish_notice_board_lists_a_posted_protokoll_until_its_removal_date(ludvika_db):
    days = {}
    for today in (dt.date(2026, 11, 24), dt.date(2026, 11, 25), dt.date(2026, 12, 16), dt.date(2026, 12, 17)):
        sec = open_secretary(ludvika_db, clock=lambda today=today: dt.datetime.combine(today, dt.time(12), dt.UTC))
        html = sec.site.pages()["anslagstavla/index.html"].make().decode()
        assert '<html lang="sv">' in html
        days[today] = "meetings/sun-2026-11-19/" in html
        if days[today]:
            assert "25 november 2026" in html and "16 december 2026" in html
    assert days == {dt.date(2026, 11, 24): False, dt.date(2026, 11, 25): True, dt.date(2026, 12, 16): True,
                    dt.date(2026, 12, 17): False}


def test_a_theme_beside_the_database_overrides_the_stylesheet_and_a_template(published):
    sec, _secrets = published
    theme = Path(sec.store.location).parent / "site-theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "theme.css").write_text(":root { --accent: #5a1a6b; }\n")
    (theme / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    (theme / "name.txt").write_text("Region Midtjylland\n")
    base = (Path(__file__).parents[2] / "exports/site/templates/base.html").read_text()
    (theme / "templates" / "base.html").write_text(base.replace("<footer", "<!-- THEMED --><footer"))
    pages = sec.site.pages(NOW)
    assert b"--accent: #5a1a6b" in pages["style.css"].make()
    front = pages["index.html"].make().decode()
    assert "<!-- THEMED -->" in front and "Region Midtjylland" in front and 'src="assets/logo.svg"' in front
    assert "assets/logo.svg" in pages
