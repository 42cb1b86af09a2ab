"""A capacity adjustment as a secretary takes it, in tmux: a 12-place reduction at Horsens' offer is
registered, sent to an e-mail hearing (a real SMTP server on loopback receives it), answered row by
row, decided after the deadline (the clock moved by faketime) and reported on the next DASSOS agenda."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys

import pytest

from secretary.cli.bootstrap import create_database, open_secretary
from secretary.domain.model import Membership, Person
from secretary.domain.presets import load_preset
from tests.functional.test_tui_tmux import SECRETARY
from tests.smtp_helpers import PASSWORD, SmtpServer
from tests.tmux_helpers import tmux_session

pytestmark = [
    pytest.mark.external,
    pytest.mark.skipif(shutil.which("tmux") is None or shutil.which("faketime") is None, reason="needs tmux and faketime"),
]


@pytest.fixture
def tmux(tmp_path):
    yield from tmux_session("secretary-cases", tmp_path)


def test_a_12_place_reduction_through_an_e_mail_hearing_to_a_decision(tmp_path, tmux):
    data = load_preset("midtjylland")
    for seat in list(data.memberships.values()):
        if seat.body == "dassos" and seat.role == "member" and seat.organisation:
            pid = f"direktor-{seat.organisation}"
            data.people[pid] = Person(id=pid, name=f"Direktør {seat.organisation}", organisation=seat.organisation,
                                      email=f"direktor@{seat.organisation}.example")
            data.memberships[seat.id] = Membership.model_validate({**seat.model_dump(), "person": pid})
    db = tmp_path / "db.json"
    create_database(db, data)
    server = SmtpServer(tmp_path)
    config = server.config(tmp_path)
    env = {**os.environ, "SECRETARY_DB": str(db), "SECRETARY_CONFIG": str(config), "TEST_SMTP_PASSWORD": PASSWORD,
           "PYTHONPATH": os.pathsep.join(sys.path)}
    today = dt.date.today()
    with server:
        made = subprocess.run([SECRETARY, "case", "new", "--offer", "Bostedet Åhave", "--operator", "horsens", "--before", "40",
                               "--after", "28", "--affected", "aarhus,odder", "--case-number", "27.12.00-P20-1-27"],
                              env=env, capture_output=True, text=True, timeout=60)
        assert made.returncode == 0, made.stderr
        assert "route: 12 places > 10: approval needed at DASSOS/FU or by e-mail hearing (14 days)" in made.stdout
        case_id = made.stdout.split(":", 1)[0].removeprefix("case ")

        def start(when: str | None) -> None:
            prefix = f"faketime '{when}' " if when else ""
            exports = " ".join(f"{k}='{env[k]}'" for k in ("SECRETARY_DB", "SECRETARY_CONFIG", "TEST_SMTP_PASSWORD", "PYTHONPATH"))
            tmux.new_session("-d", "-s", tmux.session, "-x", "120", "-y", "40", "sh", "-c",
                             f"{exports} {prefix}{SECRETARY}; sleep 30")

        start(None)
        tmux.wait_for("Next meetings")
        tmux.keys("k")
        tmux.wait_for("40 → 28 places")
        tmux.keys("Enter")
        tmux.wait_for("Not in a hearing.")
        tmux.keys("h")
        shown = tmux.wait_for("member organisations, deadline")
        assert "Horsens Kommune: direktor@horsens.example" in shown  # the confirmation names the recipients
        tmux.keys("y")
        shown = tmux.wait_for("0 of 20 answered")
        assert "mail sent" in shown and len(server.received) == 20
        tmux.keys("1")  # Aarhus (the first row) approves
        tmux.wait_for("1 of 20 answered")
        tmux.keys("q")
        tmux.kill_server()  # and wait until it is gone: a session started while it shuts down dies with it
        # After the deadline: silence is consent; the case is decided, closed, and told to DASSOS.
        start((today + dt.timedelta(days=15)).isoformat() + " 10:00:00")
        tmux.wait_for("Next meetings")
        tmux.keys("k")
        tmux.wait_for("decided")
        tmux.keys("Enter")
        tmux.wait_for("Outcome: approved")
        tmux.keys("x")
        tmux.wait_for("closed")
        tmux.keys("q")
    sec = open_secretary(db)
    case = sec.cases.get(case_id)
    assert (case.status, case.outcome, case.decided_by) == ("closed", "approved", "hearing")
    meeting = sec.records.meeting(case.reported_at)
    assert meeting.body == "dassos"
    item = next(i for i in meeting.items if i.title == "Orientering om kapacitetsjusteringer")
    assert "Bostedet Åhave (Horsens Kommune): 40 → 28 pladser, godkendt ved mailhøring" in item.background
