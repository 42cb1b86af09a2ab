"""Real e-mail: agendas, minutes and hearings sent to the secretariat's own mail server.

Messages are built with the standard library's `email` package (multipart, UTF-8
headers, the agenda or minutes as .docx, an iCalendar invitation `METHOD:REQUEST`
with the meeting's stable UID from `exports.invitation`) and sent with `smtplib`
(STARTTLS or implicit TLS, login) to the server named in the `[mail]` table of the
configuration file (`secretary.services.paths.config_path`: `$SECRETARY_CONFIG`, else
`config.toml` in the user config directory). Other tables of that file belong to
other readers and are left alone.

The password comes from the environment variable named by `password_env` (default
SECRETARY_MAIL_PASSWORD) or from `password_file` (mode 0600); it is never stored in
the database, never written to a log, never part of an error text.

One refused recipient does not stop the others; nothing is marked sent unless the
server accepted it; failures are recorded per recipient (`Mailing`) and the same
command sends again to those only. `dry_run` writes the messages as .eml files into
the outbox folder instead and records nothing.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import re
import smtplib
import ssl
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Literal

from secretary.domain import life
from secretary.domain.errors import LifeRefused, MailFailed, SecretaryError
from secretary.domain.model import Body, Mailing, MailRecipient, Meeting
from secretary.i18n import _
from secretary.services.agenda import AgendaService
from secretary.services.clock import Clock
from secretary.services.documents import DocumentService
from secretary.services.paths import config_path, read_config
from secretary.services.ports import Store
from secretary.services.records import Records

SECURITY = ("starttls", "tls", "none")
DEFAULT_PASSWORD_ENV = "SECRETARY_MAIL_PASSWORD"
MAIL_KEYS = ("host", "port", "user", "from", "from_name", "reply_to", "security", "password_env", "password_file",
             "cafile", "outbox", "timeout")
DOCX = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
OUTBOX_FOLDER = "outbox"
_ADDRESS = re.compile(r"^[^@\s<>\"(),;:]+@[^@\s<>\"(),;:]+\.[^@\s<>\"(),;:]+$")


# -- configuration ------------------------------------------------------------------------


@dataclass(frozen=True)
class MailSettings:
    """The `[mail]` table: the secretariat's server and its sender."""

    host: str
    port: int
    sender: str
    security: Literal["starttls", "tls", "none"] = "starttls"
    user: str = ""
    sender_name: str = ""
    reply_to: str = ""
    password_env: str = DEFAULT_PASSWORD_ENV
    password_file: Path | None = None
    cafile: Path | None = None
    outbox: Path | None = None
    timeout: float = 30.0
    source: Path | None = None

    def describe(self) -> str:
        return f"{self.host}:{self.port} ({self.security})"

    @property
    def reply_address(self) -> str:
        return self.reply_to or self.sender

    def password(self) -> str | None:
        """From $password_env, else from password_file (which must be private: 0600)."""
        value = os.environ.get(self.password_env)
        if value:
            return value
        if self.password_file is None:
            return None
        path = self.password_file
        try:
            info = path.stat()
        except OSError as exc:
            raise MailFailed(_("configuration {source}: [mail] password_file {path}: cannot read it ({strerror})").format(
                                 source=self.source, path=path, strerror=exc.strerror,
                             )) from None
        if not stat.S_ISREG(info.st_mode):
            raise MailFailed(_("configuration {source}: [mail] password_file {path}: not a regular file").format(
                                 source=self.source, path=path,
                             ))
        mode = stat.S_IMODE(info.st_mode)
        if mode & 0o077:
            raise MailFailed(
                _("configuration {source}: [mail] password_file {path}: readable by others (mode {mode:o}); "
                  "make it private: chmod 600 {path}").format(source=self.source, path=path, mode=mode)
            )
        try:
            return path.read_text(encoding="utf-8").strip("\r\n")
        except (OSError, UnicodeDecodeError):
            raise MailFailed(_("configuration {source}: [mail] password_file {path}: cannot read it").format(
                                 source=self.source, path=path,
                             )) from None


def mail_settings(path: Path | None = None) -> MailSettings:
    """The `[mail]` table of the configuration file, checked: each problem names the file, the key and the value."""
    source = path or config_path()
    table = read_config(source).get("mail")
    if table is None:
        raise MailFailed(
            _("no [mail] table in the configuration {source}: add host, port, from and security (and "
              "user, password_env or password_file to log in); see README, 'E-mail'").format(source=source)
        )
    if not isinstance(table, dict):
        raise MailFailed(_("configuration {source}: mail must be a table ([mail])").format(source=source))

    def bad(key: str, value: object, why: str) -> MailFailed:
        return MailFailed(_("configuration {source}: [mail] {key}: value {value!r}: {why}").format(
                              source=source, key=key, value=value, why=why,
                          ))

    unknown = sorted(set(table) - set(MAIL_KEYS))
    if unknown:
        raise bad(unknown[0], table[unknown[0]], f"unknown key; the keys are {', '.join(MAIL_KEYS)}")

    def text(key: str, required: bool = False) -> str:
        value = table.get(key, "")
        if not isinstance(value, str):
            raise bad(key, value, "must be a string")
        if required and not value.strip():
            raise bad(key, value if key in table else None, "is required")
        return value.strip()

    def where(key: str) -> Path | None:
        value = text(key)
        if not value:
            return None
        found = Path(value).expanduser()
        return found if found.is_absolute() else source.parent / found

    host = text("host", required=True)
    security = text("security") or "starttls"
    if security not in SECURITY:
        raise bad("security", security, f"not one of {', '.join(SECURITY)}")
    port = table.get("port", 465 if security == "tls" else 587)
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise bad("port", port, "not a port number (1-65535)")
    timeout = table.get("timeout", 30)
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or not 0 < timeout <= 600:
        raise bad("timeout", timeout, "not a number of seconds (up to 600)")
    sender = text("from", required=True)
    for key, value in (("from", sender), ("reply_to", text("reply_to"))):
        if value and not _ADDRESS.match(value):
            raise bad(key, value, "not an e-mail address")
    password_env = text("password_env") or DEFAULT_PASSWORD_ENV
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", password_env):
        raise bad("password_env", password_env, "not the name of an environment variable")
    return MailSettings(
        host=host, port=port, sender=sender, security=security,  # type: ignore[arg-type]
        user=text("user"), sender_name=text("from_name"), reply_to=text("reply_to"),
        password_env=password_env, password_file=where("password_file"), cafile=where("cafile"),
        outbox=where("outbox"), timeout=float(timeout), source=source,
    )


# -- messages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    maintype: str
    subtype: str
    params: tuple[tuple[str, str], ...] = ()


def is_address(value: str) -> bool:
    return bool(_ADDRESS.match(value.strip()))


def _address(name: str, address: str) -> Address:
    local, _at, domain = address.strip().partition("@")
    return Address(display_name=name, username=local, domain=domain)


def compose(
    settings: MailSettings,
    *,
    to: Sequence[tuple[str, str]],
    subject: str,
    text: str,
    attachments: Sequence[Attachment] = (),
    when: dt.datetime,
) -> EmailMessage:
    """One message: UTF-8 text, the attachments, From/Reply-To the secretariat's."""
    message = EmailMessage()
    message["From"] = _address(settings.sender_name, settings.sender)
    message["To"] = [_address(name, address) for name, address in to]
    if settings.reply_address != settings.sender:
        message["Reply-To"] = _address(settings.sender_name, settings.reply_address)
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message.set_content(text, charset="utf-8")
    for part in attachments:
        message.add_attachment(
            part.data, maintype=part.maintype, subtype=part.subtype, filename=part.filename, params=dict(part.params)
        )
    return message


@dataclass(frozen=True)
class Envelope:
    """A message to send, and the key its result is recorded under (a person, an organisation)."""

    key: str
    addresses: tuple[str, ...]
    message: EmailMessage


@dataclass
class Outcome:
    """What the server did with one envelope."""

    key: str
    accepted: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    error: str = ""
    written: Path | None = None  # dry run: the .eml file

    @property
    def ok(self) -> bool:
        return bool(self.accepted) and not self.refused and not self.error

    def problem(self) -> str:
        if self.error:
            return self.error
        return "; ".join(f"{address}: {why}" for address, why in self.refused.items())


def _redact(text: str, secret: str | None) -> str:
    """`text` without the password in any form a server or a library could echo it."""
    if not secret:
        return text
    forms = {secret, base64.b64encode(secret.encode()).decode()}
    for form in forms:
        text = text.replace(form, "********")
    return text


def _smtp_reply(exc: smtplib.SMTPResponseException) -> str:
    message = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {' '.join(message.split())}"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return _smtp_reply(exc)
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({exc.reason or exc.__class__.__name__})"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or exc.__class__.__name__


class SmtpSender:
    """Sends envelopes over one SMTP connection: STARTTLS or implicit TLS, then login."""

    def __init__(self, settings: MailSettings):
        self.settings = settings

    def _connect(self, password: str | None) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context(cafile=str(s.cafile) if s.cafile else None)
        smtp: smtplib.SMTP
        if s.security == "tls":
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            smtp.ehlo()
            if s.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if s.user:
                if password is None:
                    raise MailFailed(
                        _("[mail] user {user!r} needs a password: set ${password_env} or password_file (mode 0600)").format(
                            user=s.user, password_env=s.password_env,
                        )
                    )
                mechanisms = smtp.esmtp_features.get("auth", "").upper().split()
                if "PLAIN" in mechanisms:  # one mechanism: a refused login is not tried again another way
                    smtp.user, smtp.password = s.user, password
                    smtp.auth("PLAIN", smtp.auth_plain)
                else:
                    smtp.login(s.user, password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, envelopes: Sequence[Envelope]) -> list[Outcome]:
        s = self.settings
        password = s.password() if s.user else None
        try:
            smtp = self._connect(password)
        except MailFailed:
            raise
        except smtplib.SMTPAuthenticationError as exc:
            raise MailFailed(_redact(
                f"the mail server {s.describe()} refused the login of {s.user!r} ({_smtp_reply(exc)}); nothing was sent", password
            )) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise MailFailed(_redact(f"the mail server {s.describe()}: {exc}; nothing was sent", password)) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise MailFailed(_redact(
                f"cannot reach the mail server {s.describe()}: {_reason(exc)}; nothing was sent", password
            )) from None
        outcomes: list[Outcome] = []
        try:
            for envelope in envelopes:
                outcome = Outcome(envelope.key)
                outcomes.append(outcome)
                try:
                    refused = smtp.send_message(envelope.message, from_addr=s.sender, to_addrs=list(envelope.addresses))
                    outcome.refused = {a: _smtp_reply(smtplib.SMTPResponseException(code, msg)) for a, (code, msg) in refused.items()}
                    outcome.accepted = [a for a in envelope.addresses if a not in refused]
                except smtplib.SMTPRecipientsRefused as exc:
                    outcome.refused = {
                        a: _smtp_reply(smtplib.SMTPResponseException(code, msg)) for a, (code, msg) in exc.recipients.items()
                    }
                except smtplib.SMTPServerDisconnected as exc:
                    outcome.error = _redact(f"the server closed the connection ({_reason(exc)})", password)
                    break
                except (OSError, smtplib.SMTPException) as exc:
                    outcome.error = _redact(_reason(exc), password)
                    if isinstance(exc, OSError):
                        break
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
        for envelope in envelopes[len(outcomes):]:
            outcomes.append(Outcome(envelope.key, error="not sent: the connection to the mail server was lost"))
        return outcomes


class OutboxWriter:
    """The dry run: each message as an .eml file in a new folder of the outbox; nothing is sent."""

    def __init__(self, folder: Path, write: Callable[[Path, bytes], object]):
        self.folder = folder
        self.write = write

    def send(self, envelopes: Sequence[Envelope]) -> list[Outcome]:
        outcomes = []
        for n, envelope in enumerate(envelopes, 1):
            safe = re.sub(r"[^A-Za-z0-9._-]+", "-", envelope.key)[:60] or "message"
            target = self.folder / f"{n:03d}-{safe}.eml"
            self.write(target, envelope.message.as_bytes())
            outcomes.append(Outcome(envelope.key, written=target))
        return outcomes


# -- who gets a meeting's documents --------------------------------------------------------------


@dataclass(frozen=True)
class Invitee:
    """One recipient of a meeting's agenda or minutes: who, at which address, which version."""

    key: str
    name: str
    address: str
    version: Literal["full", "public"]
    person: str | None = None
    organisation: str | None = None
    problem: str = ""


def invitees(meeting: Meeting, body: Body, records: Records) -> list[Invitee]:
    """The invited: every seat of the body on the meeting's day (observers get the public version),
    and the guests in the attendance. A seat no person with an e-mail address holds is listed
    with its problem, so the secretary sees whom the e-mail cannot reach."""
    day = life.meeting_day(meeting, body)
    people = {p.id: p for p in records.people()}
    orgs = {o.id: o for o in records.organisations()}
    found: list[Invitee] = []
    seen: set[str] = set()

    def add(person_id: str | None, organisation: str | None, version: Literal["full", "public"], what: str) -> None:
        person = people.get(person_id) if person_id else None
        org = orgs.get(organisation) if organisation else None
        label = person.name if person else (org.name if org else what)
        if person is None:
            key = f"org:{organisation}"
            if key not in seen:
                seen.add(key)
                found.append(Invitee(key, label, "", version, None, organisation, f"no person holds the seat of {label}"))
            return
        if person.id in seen:
            return
        seen.add(person.id)
        address = person.email.strip()
        problem = "" if is_address(address) else ("no e-mail address" if not address else f"not an e-mail address: {address!r}")
        found.append(Invitee(person.id, person.name, address, version, person.id, organisation or person.organisation, problem))

    seats = sorted((s for s in records.memberships(body=body.id) if s.active_on(day)), key=lambda s: (s.role != "chair", s.id))
    for seat in seats:
        add(seat.person, seat.organisation, "public" if seat.role == "observer" else "full", seat.id)
    for row in meeting.attendance:
        if row.status == "guest" and row.person:
            add(row.person, row.organisation, "public", row.person)
    return found


# -- the service ----------------------------------------------------------------------------------

TEXTS = {
    "da": {
        "agenda_subject": "Dagsorden: {body} {date}",
        "agenda_text": "Kære {name}\n\nHermed dagsorden til møde i {body} {when}{place}.\n\n"
                       "Dagsordenen er vedhæftet, og mødet er vedhæftet som kalenderinvitation.\n\nMed venlig hilsen\n{sender}\n",
        "minutes_subject": "Referat til kommentering: {body} {date}",
        "minutes_text": "Kære {name}\n\nHermed udkast til referat af mødet i {body} {date}.\n\n"
                        "Eventuelle bemærkninger sendes senest {deadline} til {reply}.\n\nMed venlig hilsen\n{sender}\n",
        "place": ", {place}",
        "when": "{day} kl. {time}",
        "date_pattern": "EEEE 'den' d. MMMM y",
        "test_subject": "Prøvebesked fra secretary",
        "test_text": "Denne besked bekræfter, at secretary kan sende e-mail via {server}.\n",
    },
    "sv": {
        "agenda_subject": "Kallelse: {body} {date}",
        "agenda_text": "Hej {name}\n\nHärmed kallelse till sammanträde med {body} {when}{place}.\n\n"
                       "Kallelsen med föredragningslista är bifogad, och sammanträdet som kalenderinbjudan.\n\n"
                       "Med vänlig hälsning\n{sender}\n",
        "minutes_subject": "Protokoll för synpunkter: {body} {date}",
        "minutes_text": "Hej {name}\n\nHärmed utkast till protokoll från sammanträdet med {body} {date}.\n\n"
                        "Eventuella synpunkter skickas senast {deadline} till {reply}.\n\nMed vänlig hälsning\n{sender}\n",
        "place": ", {place}",
        "when": "{day} kl. {time}",
        "date_pattern": "EEEE 'den' d MMMM y",
        "test_subject": "Testmeddelande från secretary",
        "test_text": "Detta meddelande bekräftar att secretary kan skicka e-post via {server}.\n",
    },
    "en": {
        "agenda_subject": "Agenda: {body} {date}",
        "agenda_text": "Dear {name}\n\nPlease find the agenda of the meeting of {body} on {when}{place}.\n\n"
                       "The agenda is attached, and the meeting as a calendar invitation.\n\nKind regards\n{sender}\n",
        "minutes_subject": "Minutes for comments: {body} {date}",
        "minutes_text": "Dear {name}\n\nPlease find the draft minutes of the meeting of {body} on {date}.\n\n"
                        "Please send any comments by {deadline} to {reply}.\n\nKind regards\n{sender}\n",
        "place": ", {place}",
        "when": "{day} at {time}",
        "date_pattern": "EEEE d MMMM y",
        "test_subject": "Test message from secretary",
        "test_text": "This message confirms that secretary can send e-mail through {server}.\n",
    },
}
LOCALES = {"da": "da_DK", "sv": "sv_SE", "en": "en_GB"}


def long_date(day: dt.date, language: str) -> str:
    """"torsdag den 18. marts 2027" (Babel, in the body's language)."""
    from babel.dates import format_date

    return format_date(day, TEXTS[language]["date_pattern"], locale=LOCALES[language])


@dataclass
class SendReport:
    """What one send did: per recipient, and whether the meeting's life recorded the step."""

    what: str
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)  # (name, address, status, problem)
    recorded: str = ""
    dry_run: bool = False
    folder: Path | None = None

    @property
    def sent(self) -> int:
        return sum(1 for row in self.rows if row[2] == "sent")

    @property
    def failed(self) -> int:
        return sum(1 for row in self.rows if row[2] == "failed")


Kind = Literal["agenda", "minutes"]


class MailService:
    """Sends a meeting's agenda (with the invitation) or minutes, and the messages of cases."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        records: Records,
        documents: DocumentService,
        agenda: AgendaService,
        settings: Callable[[], MailSettings] = mail_settings,
    ):
        self.store = store
        self.clock = clock
        self.records = records
        self.documents = documents
        self.agenda = agenda
        self._settings = settings

    def settings(self) -> MailSettings:
        return self._settings()

    def outbox(self, settings: MailSettings) -> Path:
        return settings.outbox or self.store.location.parent / OUTBOX_FOLDER

    def deliver(
        self, settings: MailSettings, envelopes: Sequence[Envelope], *, dry_run: bool, what: str
    ) -> tuple[list[Outcome], Path | None]:
        """Send (or, dry, write to the outbox) every envelope; MailFailed when the server cannot be used."""
        if dry_run:
            stamp = self.clock().strftime("%Y%m%dT%H%M%S")
            folder = self.outbox(settings) / f"{stamp}-{re.sub(r'[^A-Za-z0-9._-]+', '-', what)[:80]}"
            return OutboxWriter(folder, self.documents.write).send(envelopes), folder
        return SmtpSender(settings).send(envelopes), None

    def actor(self, settings: MailSettings) -> str:
        return settings.sender_name or settings.sender

    # -- agenda and minutes --------------------------------------------------------------------

    def recipients(self, meeting_id: str) -> list[Invitee]:
        meeting = self.records.meeting(meeting_id)
        return invitees(meeting, self.records.body(meeting.body), self.records)

    @staticmethod
    def _mailing_id(meeting_id: str, kind: Kind, version: int) -> str:
        return f"{meeting_id[:48]}-{kind}-{version}"

    @staticmethod
    def _sends(meeting: Meeting) -> int:
        return sum(1 for event in meeting.history if event.action == "send")

    @staticmethod
    def _life_step(meeting: Meeting, body: Body, kind: Kind, at: dt.datetime, actor: str) -> Meeting:
        """The step of the life the message is (pure: refuses before anything is sent)."""
        if kind == "agenda":
            return life.dispatch(meeting, body, at=at, actor=actor)
        return life.send_minutes(meeting, body, at=at, actor=actor)

    def _record_step(self, meeting_id: str, kind: Kind, at: dt.datetime, actor: str) -> Meeting:
        """Record the dispatch or the sending for comments in the meeting's life: the same step the
        TUI's and the CLI's dispatch/send take (the secretary from config.toml is its actor)."""
        if kind == "agenda":
            return self.agenda.dispatch(meeting_id, at=at)
        return self.agenda.send_minutes(meeting_id, on=at.date())

    def send(self, meeting_id: str, kind: Kind, *, dry_run: bool = False) -> SendReport:
        """E-mail the agenda or the minutes to the invited, and record the step in the meeting's life.

        The first time: the step is checked first (an agenda already dispatched with nothing
        added is refused before anything leaves), sent to every invitee, and recorded when the
        server accepted at least one message. Again after failures: sent to those it did not
        reach, nothing recorded twice."""
        if kind not in ("agenda", "minutes"):
            raise SecretaryError(_("send: {kind!r} is not one of agenda, minutes").format(kind=kind))
        settings = self.settings()
        meeting = self.records.meeting(meeting_id)
        body = self.records.body(meeting.body)
        now = self.clock()
        actor = self.actor(settings)
        everyone = invitees(meeting, body, self.records)
        version = meeting.agenda_version if kind == "agenda" else self._sends(meeting)
        earlier = self.store.mailings.get(self._mailing_id(meeting.id, kind, version)) if version else None
        retry = earlier is not None and any(r.status == "failed" for r in earlier.recipients)
        stepped: Meeting | None = None
        if retry and kind == "agenda" and any(item.addendum for item in meeting.items):
            retry = False  # something was added since: a new version goes to everyone
        if retry and kind == "minutes" and meeting.minutes.status != "sent":
            retry = False
        if not retry:
            try:
                stepped = self._life_step(meeting, body, kind, now, actor)
            except LifeRefused as exc:
                if earlier is not None and not dry_run:
                    raise LifeRefused(meeting.id, _("{rule}; every invitee was reached already").format(rule=exc.rule)) from None
                raise
            version += 1
            targets = everyone
        else:
            assert earlier is not None
            failed = {r.person or f"org:{r.organisation}" for r in earlier.recipients if r.status == "failed"}
            targets = [i for i in everyone if i.key in failed]
        deadline = stepped.minutes.comment_deadline if stepped is not None else meeting.minutes.comment_deadline
        what = f"{kind} of {meeting.id}"
        envelopes = self._envelopes(meeting, body, kind, settings, [i for i in targets if not i.problem], now, deadline)
        outcomes, folder = self.deliver(settings, envelopes, dry_run=dry_run, what=what)
        report = SendReport(what=what, dry_run=dry_run, folder=folder)
        by_key = {o.key: o for o in outcomes}
        recipients: list[MailRecipient] = []
        for invitee in targets:
            outcome = by_key.get(invitee.key)
            problem = invitee.problem or (outcome.problem() if outcome and not outcome.ok and not dry_run else "")
            status = "written" if dry_run and outcome else ("sent" if outcome is not None and outcome.ok else "failed")
            report.rows.append((invitee.name, invitee.address, status, problem))
            recipients.append(MailRecipient(
                person=invitee.person, organisation=invitee.organisation, name=invitee.name[:500], address=invitee.address[:500],
                version=invitee.version, status="sent" if status == "sent" else "failed",
                at=now if status == "sent" else None, error=problem[:500],
            ))
        if dry_run:
            return report
        with self.store.transaction():
            kept = {(r.person, r.organisation): r for r in (earlier.recipients if retry and earlier else [])}
            for r in recipients:
                kept[(r.person, r.organisation)] = r
            record = not retry and report.sent > 0
            mailing = Mailing(id=self._mailing_id(meeting.id, kind, version), meeting=meeting.id, kind=kind, version=version,
                              recipients=list(kept.values()), recorded=(earlier.recorded if retry and earlier else False) or record)
            self.store.mailings.save(mailing)  # failures too: they are sent again next time
            if record:
                self._record_step(meeting.id, kind, now, actor)
                report.recorded = f"agenda dispatched (version {version})" if kind == "agenda" else "minutes sent for comments"
        return report

    def _envelopes(
        self, meeting: Meeting, body: Body, kind: Kind, settings: MailSettings, targets: Iterable[Invitee],
        now: dt.datetime, deadline: dt.date | None,
    ) -> list[Envelope]:
        from exports.invitation import invitation_ics

        targets = list(targets)
        if not targets:
            return []
        t = TEXTS[body.language]
        zone = life._tz(meeting, body)
        start = meeting.start.astimezone(zone)
        day = long_date(start.date(), body.language)
        documents = {}
        for version in sorted({i.version for i in targets}):
            documents[version] = self.documents.render(meeting.id, kind, version == "public")
        invitation = None
        if kind == "agenda":
            invitation = invitation_ics(
                meeting, body, organizer=(settings.sender_name, settings.sender),
                attendees=[(i.name, i.address) for i in targets],
            )
        subject = t[f"{kind}_subject"].format(body=body.label, date=start.date().isoformat())
        envelopes = []
        for invitee in targets:
            document = documents[invitee.version]
            parts = [Attachment(document.filename, document.data, *DOCX)]
            if invitation is not None:
                parts.append(Attachment("invitation.ics", invitation, "text", "calendar", (("method", "REQUEST"), ("charset", "utf-8"))))
            text = t[f"{kind}_text"].format(
                name=invitee.name, body=body.name, when=t["when"].format(day=day, time=start.strftime("%H:%M")),
                place=t["place"].format(place=meeting.location) if meeting.location else "", date=day,
                deadline=long_date(deadline, body.language) if deadline else "", reply=settings.reply_address,
                sender=settings.sender_name or settings.sender,
            )
            message = compose(settings, to=[(invitee.name, invitee.address)], subject=subject, text=text, attachments=parts, when=now)
            envelopes.append(Envelope(invitee.key, (invitee.address,), message))
        return envelopes

    def test(self) -> str:
        """Send a test message to the sender's own address; what happened, in one line."""
        settings = self.settings()
        t = TEXTS["en"]
        message = compose(settings, to=[(settings.sender_name, settings.sender)], subject=t["test_subject"],
                          text=t["test_text"].format(server=settings.describe()), when=self.clock())
        outcome = SmtpSender(settings).send([Envelope("test", (settings.sender,), message)])[0]
        if not outcome.ok:
            raise MailFailed(
                _("the mail server {server} did not accept the test message to {sender}: {problem}").format(
                    server=settings.describe(), sender=settings.sender, problem=outcome.problem(),
                )
            )
        login = f" as {settings.user!r}" if settings.user else ""
        return f"sent a test message to {settings.sender} through {settings.describe()}{login}"
