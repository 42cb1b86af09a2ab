"""A real SMTP server on loopback for the tests: aiosmtpd with STARTTLS (or implicit TLS) and AUTH.

The certificate is made by `openssl` for 127.0.0.1 at test time; the client trusts it through
the `[mail] cafile` setting, so the TLS handshake and the host name check are real.
"""

from __future__ import annotations

import socket
import ssl
import subprocess
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER = "sekretariat"
PASSWORD = "hemmeligt-kodeord-7Qx!"  # must never appear in a log or an error text


def make_certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True,
    )
    return cert, key


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return BytesParser(policy=policy.default).parsebytes(self.data)  # type: ignore[return-value]


@dataclass
class Handler:
    refuse: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd on 127.0.0.1: STARTTLS required before AUTH (mode "starttls") or TLS from the start ("tls")."""

    def __init__(self, folder: Path, mode: str = "starttls"):
        self.cert, self.key = make_certificate(folder)
        self.handler = Handler()
        self.port = free_port()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)

        def authenticate(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
            self.handler.logins.append(f"{mechanism}:{'ok' if ok else 'refused'}")
            return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself

        options = {"authenticator": authenticate, "auth_required": True}
        if mode == "tls":
            # aiosmtpd 1.4 does not see implicit TLS as TLS when it decides whether to offer AUTH.
            self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, ssl_context=context,
                                         auth_require_tls=False, **options)
        else:
            self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, tls_context=context,
                                         require_starttls=True, **options)
        self.mode = mode

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def config(self, folder: Path, **extra: str) -> Path:
        """A config.toml naming this server, with another table the mail reader must leave alone."""
        lines = [
            "[secretary]", 'name = "Sekretariatet"', "",
            "[mail]", 'host = "127.0.0.1"', f"port = {self.port}", f'security = "{self.mode}"', f'user = "{USER}"',
            'from = "rammeaftaler@viborg.example"', 'from_name = "Sekretariat for Rammeaftaler"',
            'reply_to = "svar@viborg.example"', f'cafile = "{self.cert}"', 'timeout = 10',
        ]
        settings = {"password_env": "TEST_SMTP_PASSWORD", **extra}
        lines += [f'{key} = "{value}"' for key, value in settings.items()]
        path = folder / "config.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path
