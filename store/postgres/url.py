"""Database URLs: which ones name a PostgreSQL server, and the refusal of one that carries a password.

Nothing here imports psycopg, so the command line can tell a URL from a path cheaply.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from secretary.domain.errors import SecretaryError
from secretary.i18n import _

SCHEMES = ("postgresql://", "postgres://")

WHERE_THE_PASSWORD_GOES = (
    "put the password in ~/.pgpass (one line host:port:dbname:user:password, chmod 600), "
    "or name another such file in $PGPASSFILE; for a managed server, client certificates "
    "($PGSSLCERT, $PGSSLKEY) or $PGPASSWORD in the service's environment also work"
)


def is_server_url(value: object) -> bool:
    return isinstance(value, str) and value.lower().startswith(SCHEMES)


def check_url(url: str) -> str:
    """The URL as given, after refusing one that carries a password (the command line and the
    shell history would keep it); the error never repeats the password."""
    parts = urlsplit(url)
    if parts.password is not None or "password" in {key.lower() for key in parse_qs(parts.query)}:
        raise SecretaryError(
            _("the database URL {url} carries a password: it would be kept in the shell history and "
              "shown in process lists, so it is refused; {hint}").format(
                url=redacted(url), hint=WHERE_THE_PASSWORD_GOES,
            )
        )
    if not parts.path.strip("/"):
        raise SecretaryError(_("the database URL {url} names no database: use postgresql://USER@HOST/DBNAME").format(
                                 url=redacted(url),
                             ))
    return url


def redacted(url: str) -> str:
    """The URL without a password (safe to print and to log; what `--db` can be given again)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    if parts.port:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}@" if parts.username else ""
    query = "&".join(pair for pair in parts.query.split("&") if pair and pair.split("=", 1)[0].lower() != "password")
    return f"{parts.scheme}://{user}{host}{parts.path}" + (f"?{query}" if query else "")


def database_name(url: str) -> str:
    return urlsplit(url).path.strip("/") or "secretary"


def host_name(url: str) -> str:
    parts = urlsplit(url)
    return parts.hostname or "local"
