"""A feed imported into khal (a fourth, independent reader) lists the meetings at the right local times."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from exports import ics
from tests import ics_feed_data as data

pytestmark = pytest.mark.external


def _khal() -> str:
    beside = Path(sys.executable).with_name("khal")
    found = str(beside) if beside.exists() else shutil.which("khal")
    if not found:
        pytest.skip("khal is not installed (pip install khal)")
    return found


def _config(folder: Path, zone: str) -> Path:
    vdir = folder / "vdir" / "feeds"
    vdir.mkdir(parents=True)
    config = folder / "config"
    config.write_text(
        f"""[calendars]
[[feeds]]
path = {vdir}
type = calendar
[locale]
local_timezone = {zone}
default_timezone = {zone}
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
[sqlite]
path = {folder / "khal.db"}
""",
        encoding="utf-8",
    )
    return config


def _run(*args: str) -> str:
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    result = subprocess.run(args, capture_output=True, timeout=120, env=env)
    if result.returncode != 0:
        pytest.skip(f"khal cannot run here: {result.stderr.decode(errors='replace')[-300:]}")
    return result.stdout.decode("utf-8")


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        (
            "Europe/Copenhagen",
            {
                "uid-dk-winter@example.org": "2026-01-14 09:00",
                "uid-dk-summer@example.org": "2026-06-10 09:00",
                "uid-se-winter@example.org": "2026-02-11 13:00",
                "uid-se-summer@example.org": "2026-08-19 13:00",
            },
        ),
        (
            "UTC",
            {
                "uid-dk-winter@example.org": "2026-01-14 08:00",
                "uid-dk-summer@example.org": "2026-06-10 07:00",
                "uid-se-winter@example.org": "2026-02-11 12:00",
                "uid-se-summer@example.org": "2026-08-19 11:00",
            },
        ),
    ],
)
def test_khal_imports_the_feed_and_lists_meetings_at_local_times(tmp_path, zone, expected):
    khal = _khal()
    feed = tmp_path / "all.ics"
    feed.write_bytes(ics.all_feed(data.bodies(), list(data.meetings().values()), now=data.NOW))
    config = _config(tmp_path, zone)
    _run(khal, "-c", str(config), "import", "--batch", "-a", "feeds", str(feed))
    listing = _run(khal, "-c", str(config), "list", "--format", "{uid}|{start}|{title}", "2026-01-01", "2026-12-31")
    seen = {}
    for line in listing.splitlines():
        if "|" in line:
            uid, start, title = line.split("|", 2)
            seen[uid] = (start, title)
    assert {uid: start for uid, (start, _) in seen.items() if uid in expected} == expected
    assert seen["uid-dk-cancelled@example.org"][1] == "AFLYST: DASSOS: møde"
    assert seen["uid-se-winter@example.org"][1] == "SVF: Vinter"
