"""The årshjul SVG: valid XML, the month names in the language, one mark per meeting, same bytes."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
from babel.dates import get_month_names

from exports.arshjul import arshjul_svg, majority_language
from secretary.domain.model import Meeting, Milestone
from secretary.domain.planning import plan_year
from secretary.domain.presets import load_preset
from tests.conftest import run_cli

SVG = "{http://www.w3.org/2000/svg}"


def planned_year(preset: str, year: int):
    """The preset's bodies and milestones with the year's plan turned into meetings."""
    data = load_preset(preset)
    plan = plan_year(year, data.bodies.values(), data.meetings.values(), data.memberships.values())
    meetings = [m for m in data.meetings.values()]
    for p in plan.new:
        meetings.append(Meeting(id=p.meeting, body=p.body, start=p.start, end=p.end))
    return data, meetings


def marks(root, css_class: str) -> list:
    return [e for e in root.iter() if css_class in (e.get("class") or "").split()]


def texts(root) -> list[str]:
    return ["".join(e.itertext()) for e in root.iter(f"{SVG}text")]


@pytest.mark.parametrize(("preset", "language"), [("midtjylland", "da"), ("ludvika", "sv")])
def test_wheel_is_valid_xml_with_months_and_one_mark_per_meeting(preset, language):
    data, meetings = planned_year(preset, 2027)
    svg = arshjul_svg(2027, data.bodies.values(), meetings, data.milestones.values())
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    months = [e for e in marks(root, "month")]
    names = get_month_names("wide", context="stand-alone", locale=language)
    assert ["".join(e.itertext()).casefold() for e in months] == [names[m].casefold() for m in range(1, 13)]
    in_year = [
        m for m in meetings
        if m.status != "cancelled" and m.start.astimezone(ZoneInfo(data.bodies[m.body].timezone)).year == 2027
    ]
    drawn = marks(root, "meeting")
    assert len(drawn) == len(in_year) > 0
    assert sorted((e.get("data-body"), e.get("data-date")) for e in drawn) == sorted(
        (m.body, m.start.date().isoformat()) for m in in_year
    )
    rings = {e.get("data-body") for e in marks(root, "ring")}
    assert rings == {m.body for m in in_year}
    expected_milestones = [m for m in data.milestones.values() if m.occurs_in(2027)]
    assert len(marks(root, "milestone")) == len(expected_milestones)
    legend = texts(root)
    for body_id in rings:
        assert data.bodies[body_id].label in legend


def test_same_input_gives_the_same_bytes():
    data, meetings = planned_year("midtjylland", 2028)
    first = arshjul_svg(2028, data.bodies.values(), meetings, data.milestones.values())
    second = arshjul_svg(2028, reversed(list(data.bodies.values())), reversed(meetings), data.milestones.values())
    assert first == second


def test_even_year_milestones_only_in_even_years():
    data = load_preset("midtjylland")
    even = ET.fromstring(arshjul_svg(2028, data.bodies.values(), [], data.milestones.values()))
    odd = ET.fromstring(arshjul_svg(2027, data.bodies.values(), [], data.milestones.values()))
    assert "rammeaftale-udkast-dassos" in {e.get("data-milestone") for e in marks(even, "milestone")}
    assert "rammeaftale-udkast-dassos" not in {e.get("data-milestone") for e in marks(odd, "milestone")}


def test_language_option_and_majority():
    data = load_preset("ludvika")
    assert majority_language(data.bodies.values()) == "sv"
    root = ET.fromstring(arshjul_svg(2027, data.bodies.values(), [], [], language="en"))
    assert "".join(marks(root, "month")[0].itertext()) == "January"
    with pytest.raises(ValueError):
        arshjul_svg(2027, data.bodies.values(), [], [], language="de")


def test_cancelled_meetings_are_not_drawn_and_text_is_cleaned():
    data = load_preset("midtjylland")
    # model_copy skips validation: a control character that slipped past the model must still not break the XML
    body = data.bodies["dassos"].model_copy(update={"abbreviation": "DAS\x01SOS <&>"})
    start = dt.datetime(2027, 3, 4, 9, tzinfo=ZoneInfo("Europe/Copenhagen"))
    meetings = [
        Meeting(id="a", body="dassos", start=start, end=start + dt.timedelta(hours=2)),
        Meeting(id="b", body="dassos", start=start + dt.timedelta(days=60), end=start + dt.timedelta(days=60, hours=2),
                status="cancelled"),
    ]
    milestone = Milestone(id="m", title="Frist <rammeaftale> & co", month=3, day=9, recurs="yearly")
    root = ET.fromstring(arshjul_svg(2027, [body], meetings, [milestone]))
    assert len(marks(root, "meeting")) == 1
    assert any("DASSOS <&>" in t for t in texts(root))
    assert any("Frist <rammeaftale> & co" in t for t in texts(root))


def test_cli_export_arshjul(demo_db, tmp_path):
    out = tmp_path / "wheel.svg"
    result = run_cli("export", "arshjul", "2027", "-o", str(out), "--db", str(demo_db))
    assert result.returncode == 0, result.stderr.decode()
    root = ET.fromstring(out.read_bytes())
    assert len(marks(root, "meeting")) == 3  # the demo's three 2027 meetings
    one = run_cli("export", "arshjul", "2027", "--body", "fu", "--lang", "en", "--db", str(demo_db))
    root = ET.fromstring(one.stdout)
    assert {e.get("data-body") for e in marks(root, "meeting")} == {"fu"}


@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="needs rsvg-convert (librsvg2-bin)")
def test_wheel_renders_to_png(tmp_path):
    data, meetings = planned_year("ludvika", 2027)
    source = tmp_path / "wheel.svg"
    source.write_bytes(arshjul_svg(2027, data.bodies.values(), meetings, data.milestones.values()))
    target = tmp_path / "wheel.png"
    subprocess.run(["rsvg-convert", "-o", str(target), str(source)], check=True, timeout=60)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
