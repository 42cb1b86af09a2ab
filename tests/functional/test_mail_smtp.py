"""E-mail against a real SMTP server on loopback (aiosmtpd, STARTTLS and AUTH): hearings, agendas with
their invitation, minutes for comments, a refused recipient, a server that is down, and no password anywhere."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys

import icalendar
import pytest
import vobject
from docx import Document as WordDocument

from secretary.cli.bootstrap import create_database, open_secretary
from secretary.domain.errors import MailFailed, SecretaryError
from secretary.domain.presets import load_preset
from tests.smtp_helpers import PASSWORD, SmtpServer

pytestmark = pytest.mark.external  # openssl makes the server's certificate

CLI = [sys.executable, "-c", "import sys; from secretary.cli import main; sys.exit(main())"]
MUNICIPALITIES = ["horsens", "odder", "aarhus", "skive", "region-midtjylland"]


class Clock:
    def __init__(self, when: dt.datetime):
        self.now = when

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def world(tmp_path, monkeypatch):
    """A Midtjylland database whose DASSOS seats are held by people with e-mail addresses
    (Skive's seat has nobody with an address), a config naming the loopback server."""
    server = SmtpServer(tmp_path)
    monkeypatch.setenv("SECRETARY_CONFIG", str(server.config(tmp_path)))
    monkeypatch.setenv("TEST_SMTP_PASSWORD", PASSWORD)
    data = load_preset("midtjylland")
    people, seats = {}, {}
    for seat in data.memberships.values():
        if seat.body == "dassos" and seat.role == "member" and seat.organisation:
            pid = f"direktor-{seat.organisation}"
            email = "" if seat.organisation == "skive" else f"direktor@{seat.organisation}.example"
            people[pid] = {"id": pid, "name": f"Direktør {data.organisations[seat.organisation].name}",
                           "organisation": seat.organisation, "email": email}
            seats[seat.id] = {**seat.model_dump(mode="json"), "person": pid}
    from secretary.domain.model import Membership, Person

    data.people.update({k: Person.model_validate(v) for k, v in people.items()})
    data.memberships.update({k: Membership.model_validate(v, strict=False) for k, v in seats.items()})
    clock = Clock(dt.datetime(2027, 1, 5, 9, 0, tzinfo=dt.UTC))
    path = tmp_path / "db.json"
    create_database(path, data, clock)
    with server:
        yield server, open_secretary(path, clock), clock, path


def test_hearing_one_message_per_member_organisation_in_danish_with_the_deadline_written_out(world):
    server, sec, clock, _ = world
    clock.now = dt.datetime(2027, 3, 4, 9, 0, tzinfo=dt.UTC)
    case = sec.cases.new("Bostedet Åhave", "horsens", 40, 28, affected=["aarhus", "odder"], case_number="27.12.00-P20-1-27")
    case, result = sec.cases.start_hearing(case.id)
    assert case.hearing_deadline == dt.date(2027, 3, 18)
    members = sec.cases.members(case)
    assert len(members) == 20  # 19 municipalities and the region
    assert len(server.received) == 19  # Skive's seat has no address: recorded, not sent
    assert server.handler.logins and all(login.endswith(":ok") for login in server.handler.logins)
    failed = [d for d in case.deliveries if d.status == "failed"]
    assert [d.organisation for d in failed] == ["skive"] and "no person with an e-mail address" in failed[0].error
    horsens = next(r for r in server.received if r.rcpt_tos == ["direktor@horsens.example"])
    message = horsens.message
    assert str(message["Subject"]) == "Mailhøring: Kapacitetsjustering: Bostedet Åhave (27.12.00-P20-1-27)"
    assert message["Reply-To"].addresses[0].addr_spec == "svar@viborg.example"
    assert message["From"].addresses[0].display_name == "Sekretariat for Rammeaftaler"
    text = message.get_body(("plain",)).get_content()
    assert "Til Horsens Kommune" in text
    assert "Svar venligst senest torsdag den 18. marts 2027 til svar@viborg.example" in text
    assert "Horsens Kommune ønsker at ændre kapaciteten på Bostedet Åhave fra 40 til 28 pladser (−12)." in text
    # The rule's reason in the body's language too (it was English inside the Danish text).
    assert "skal ændringen godkendes: 12 pladser > 10: godkendelse i DASSOS/FU eller ved mailhøring (14 dage)." in text
    assert "places" not in text and "approval" not in text
    assert b"Subject: =?utf-8?" in horsens.data  # the header travelled RFC 2047-encoded


def test_hearing_to_a_decision_and_the_information_item_on_the_next_dassos_agenda(world):
    server, sec, clock, _ = world
    clock.now = dt.datetime(2027, 3, 4, 9, 0, tzinfo=dt.UTC)
    later = sec.agenda.schedule_meeting("dassos", "2027-04-15 09:00")
    case = sec.cases.new("Bostedet Åhave", "horsens", 40, 28)
    case, _ = sec.cases.start_hearing(case.id)
    sec.cases.respond(case.id, "odder", "approve", "Ingen indvendinger", on=dt.date(2027, 3, 8))
    with pytest.raises(SecretaryError, match="organisation 'kl' is not a member of 'dassos'"):
        sec.cases.respond(case.id, "kl", "approve")
    # A reminder goes to those who have not answered, not to Odder; Skive's never arrived and still cannot.
    clock.now = dt.datetime(2027, 3, 15, 9, 0, tzinfo=dt.UTC)
    before = len(server.received)
    _, reminded = sec.cases.remind(case.id)
    assert len(server.received) - before == 18
    assert not any(r.rcpt_tos == ["direktor@odder.example"] for r in server.received[before:])
    assert "Påmindelse om mailhøring" in str(server.received[-1].message["Subject"])
    assert [row[0] for row in reminded.rows if row[2] == "failed"] == ["Skive Kommune"]
    # The deadline passes: silence is consent; the case is decided and reported to the next DASSOS meeting.
    clock.now = dt.datetime(2027, 3, 19, 9, 0, tzinfo=dt.UTC)
    assert sec.cases.settle() == [f"case {case.id}: approved by e-mail hearing (deadline 2027-03-18); "
                                  "19 did not answer (silence is consent)"]
    closed = sec.cases.close(case.id)
    assert (closed.status, closed.outcome, closed.decided_by, closed.reported_at) == ("closed", "approved", "hearing", later.id)
    item = next(i for i in sec.records.meeting(later.id).items if i.title == "Orientering om kapacitetsjusteringer")
    assert item.kind == "information"
    assert "Bostedet Åhave (Horsens Kommune): 40 → 28 pladser, godkendt ved mailhøring 2027-03-19" in item.background


def test_an_objection_sends_the_case_to_the_next_meeting_as_a_decision_item(world):
    server, sec, clock, _ = world
    clock.now = dt.datetime(2027, 3, 4, 9, 0, tzinfo=dt.UTC)
    later = sec.agenda.schedule_meeting("dassos", "2027-04-15 09:00")
    case = sec.cases.new("Lille Hus", "skive", 3, 0, closure=True)
    case, _ = sec.cases.start_hearing(case.id, deadline_days=7)
    assert case.hearing_deadline == dt.date(2027, 3, 11)
    sec.cases.respond(case.id, "aarhus", "object", "Vi bruger alle tre pladser")
    clock.now = dt.datetime(2027, 3, 12, 9, 0, tzinfo=dt.UTC)
    sec.cases.settle()
    moved = sec.cases.get(case.id)
    assert (moved.status, moved.meeting) == ("at_meeting", later.id)
    item = sec.records.meeting(later.id).item(moved.item)
    assert item.title == "Lukning af tilbud: Lille Hus" and item.kind == "decision"
    assert "indsigelse fra Aarhus Kommune" in item.background and "Vi bruger alle tre pladser" in item.background
    # The decision recorded at the meeting closes the case.
    sec.agenda.record_decision(later.id, item.id, "Lukningen godkendes.", "approved")
    clock.now = dt.datetime(2027, 4, 16, 9, 0, tzinfo=dt.UTC)
    sec.cases.settle()
    done = sec.cases.get(case.id)
    assert (done.status, done.outcome, done.decided_by, done.decided_on) == ("closed", "approved", later.id, dt.date(2027, 4, 15))
    assert done.reported_at is None  # decided at DASSOS's own meeting: nothing to report to it


def test_agenda_dispatch_attachments_open_and_the_invitation_parses_in_two_readers(world):
    server, sec, clock, _ = world
    report = sec.mail.send("dassos-2027-01-14", "agenda")
    meeting = sec.records.meeting("dassos-2027-01-14")
    assert meeting.status == "invited" and meeting.history[-1].action == "dispatch"
    assert report.recorded == "agenda dispatched (version 1)"
    assert len(server.received) == 19
    # Skive's director has no address; the KKR consultant's and the secretariat's seats name nobody.
    failed = sorted(row[0] for row in report.rows if row[2] == "failed")
    assert failed == ["Direktør Skive Kommune", "KL (Kommunernes Landsforening)", "Viborg Kommune"]
    message = server.received[0].message
    parts = {part.get_filename(): part for part in message.iter_attachments()}
    docx_name = next(name for name in parts if name.endswith(".docx"))
    word = WordDocument(io.BytesIO(parts[docx_name].get_content()))
    assert "Dagsorden" in "\n".join(p.text for p in word.paragraphs)
    invitation = parts["invitation.ics"]
    assert invitation.get_content_type() == "text/calendar" and invitation.get_param("method") == "REQUEST"
    data = invitation.get_content()
    data = data.encode() if isinstance(data, str) else data
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["METHOD"]) == "REQUEST"
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["UID"]) == meeting.uid
    parsed = vobject.readOne(data.decode())
    assert parsed.vevent.uid.value == meeting.uid and parsed.method.value == "REQUEST"
    attendees = {a.value.lower() for a in parsed.vevent.contents["attendee"]}
    assert "mailto:direktor@horsens.example" in attendees
    # Again: only those not reached are tried (they still cannot be); nothing is dispatched twice.
    sent = len(server.received)
    again = sec.mail.send("dassos-2027-01-14", "agenda")
    assert len(again.rows) == 3 and again.sent == 0 and again.recorded == ""
    assert len(server.received) == sent
    assert [e.action for e in sec.records.meeting("dassos-2027-01-14").history].count("dispatch") == 1


def test_an_agenda_dispatched_to_everyone_is_not_sent_twice(world):
    server, sec, clock, _ = world
    for seat in ("dassos-2019-kkr-konsulent", "dassos-2019-sekretariat"):
        sec.registry.delete_membership(seat)
    sec.registry.edit_person("direktor-skive", email="direktor@skive.example")
    report = sec.mail.send("dassos-2027-01-14", "agenda")
    assert report.failed == 0 and report.sent == 20
    with pytest.raises(SecretaryError, match="nothing was added or changed since; every invitee was reached already"):
        sec.mail.send("dassos-2027-01-14", "agenda")
    assert len(server.received) == 20


def test_a_refused_recipient_does_not_stop_the_others_and_is_sent_again(world):
    server, sec, clock, _ = world
    server.handler.refuse = {"direktor@odder.example"}
    report = sec.mail.send("dassos-2027-01-14", "agenda")
    refused = [row for row in report.rows if row[1] == "direktor@odder.example"]
    assert refused[0][2] == "failed" and "550" in refused[0][3]
    assert len(server.received) == 18
    mailing = sec.store.mailings.get("dassos-2027-01-14-agenda-1")
    assert {r.address: r.status for r in mailing.recipients}["direktor@odder.example"] == "failed"
    assert sec.records.meeting("dassos-2027-01-14").status == "invited"
    server.handler.refuse = set()
    again = sec.mail.send("dassos-2027-01-14", "agenda")
    assert [r.rcpt_tos for r in server.received[18:]] == [["direktor@odder.example"]]
    assert again.recorded == "" and [a.action for a in sec.records.meeting("dassos-2027-01-14").history].count("dispatch") == 1
    mailing = sec.store.mailings.get("dassos-2027-01-14-agenda-1")
    assert {r.address: r.status for r in mailing.recipients}["direktor@odder.example"] == "sent"


def test_minutes_sent_for_comments_with_the_deadline_in_danish(world):
    server, sec, clock, _ = world
    clock.now = dt.datetime(2026, 10, 12, 9, 0, tzinfo=dt.UTC)
    sec.mail.send("dassos-2026-10-08", "minutes")
    meeting = sec.records.meeting("dassos-2026-10-08")
    assert meeting.minutes.status == "sent" and meeting.minutes.comment_deadline == dt.date(2026, 10, 19)
    text = server.received[0].message.get_body(("plain",)).get_content()
    assert "senest mandag den 19. oktober 2026" in text
    assert str(server.received[0].message["Subject"]) == "Referat til kommentering: DASSOS 2026-10-08"


def down(tmp_path, server, monkeypatch) -> int:
    """Point the configuration at a loopback port where no server listens."""
    from tests.smtp_helpers import free_port

    folder = tmp_path / "down"
    folder.mkdir(exist_ok=True)
    port = free_port()
    text = server.config(folder).read_text().replace(f"port = {server.port}", f"port = {port}")
    (folder / "config.toml").write_text(text)
    monkeypatch.setenv("SECRETARY_CONFIG", str(folder / "config.toml"))
    return port


def test_a_server_that_is_down_is_a_clear_error_and_nothing_is_marked_sent(world, tmp_path, monkeypatch):
    server, sec, clock, _ = world
    port = down(tmp_path, server, monkeypatch)
    before = sec.records.meeting("dassos-2027-01-14")
    with pytest.raises(MailFailed) as caught:
        sec.mail.send("dassos-2027-01-14", "agenda")
    assert str(caught.value) == (f"cannot reach the mail server 127.0.0.1:{port} (starttls): Connection refused; "
                                 "nothing was sent")
    assert sec.records.meeting("dassos-2027-01-14") == before
    assert sec.store.mailings.get("dassos-2027-01-14-agenda-1") is None
    clock.now = dt.datetime(2027, 3, 4, 9, 0, tzinfo=dt.UTC)
    case = sec.cases.new("Bostedet", "horsens", 40, 28)
    with pytest.raises(MailFailed):
        sec.cases.start_hearing(case.id)
    assert sec.cases.get(case.id) == case


def test_dry_run_writes_eml_files_and_records_nothing(world, tmp_path):
    server, sec, clock, path = world
    report = sec.mail.send("dassos-2027-01-14", "agenda", dry_run=True)
    files = sorted(report.folder.glob("*.eml"))
    assert len(files) == 19 and not server.received
    assert report.folder.parent == path.parent / "outbox"
    assert sec.records.meeting("dassos-2027-01-14").status == "planned"
    assert b"METHOD:REQUEST" in files[0].read_bytes().replace(b"=\r\n", b"") or b"text/calendar" in files[0].read_bytes()


def test_no_password_in_any_error_log_or_file(world, tmp_path, monkeypatch):
    server, sec, clock, path = world
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "SECRETARY_DB": str(path), "XDG_STATE_HOME": str(tmp_path / "state"),
           "TEST_SMTP_PASSWORD": PASSWORD + "-wrong"}
    run = subprocess.run([*CLI, "send", "agenda", "dassos-2027-01-14"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1 and "refused the login of 'sekretariat' (535" in run.stderr
    env["TEST_SMTP_PASSWORD"] = PASSWORD
    run_ok = subprocess.run([*CLI, "mail", "test"], env=env, capture_output=True, text=True, timeout=60)
    assert run_ok.returncode == 0, run_ok.stderr
    assert run_ok.stdout.startswith(f"sent a test message to rammeaftaler@viborg.example through 127.0.0.1:{server.port} (starttls)")
    down(tmp_path, server, monkeypatch)
    env["SECRETARY_CONFIG"] = os.environ["SECRETARY_CONFIG"]
    run_down = subprocess.run([*CLI, "send", "agenda", "dassos-2027-01-14"], env=env, capture_output=True, text=True, timeout=60)
    assert run_down.returncode == 1 and "nothing was sent" in run_down.stderr
    seen = run.stdout + run.stderr + run_ok.stdout + run_ok.stderr + run_down.stdout + run_down.stderr
    for folder in (tmp_path,):
        for file in folder.rglob("*"):
            if file.is_file():
                seen += file.read_bytes().decode("utf-8", "replace")
    assert PASSWORD not in seen and PASSWORD + "-wrong" not in seen


def test_implicit_tls_and_a_password_file_that_must_be_private(tmp_path, monkeypatch):
    folder = tmp_path / "tls"
    folder.mkdir()
    server = SmtpServer(folder, mode="tls")
    secret = folder / "password"
    secret.write_text(PASSWORD + "\n")
    secret.chmod(0o644)
    monkeypatch.setenv("SECRETARY_CONFIG", str(server.config(folder, password_env="UNSET_VARIABLE_X", password_file=str(secret))))
    monkeypatch.delenv("UNSET_VARIABLE_X", raising=False)
    path = tmp_path / "db.json"
    create_database(path, load_preset("empty"))
    sec = open_secretary(path)
    with server:
        with pytest.raises(MailFailed, match="readable by others .mode 644.; make it private: chmod 600"):
            sec.mail.test()
        secret.chmod(0o600)
        assert "(tls)" in sec.mail.test()
        assert len(server.received) == 1 and server.received[0].rcpt_tos == ["rammeaftaler@viborg.example"]
