"""Where things live: the database, the log. Flags beat the environment beats the platform default."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from secretary.i18n import _

APP = "secretary"


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP, appauthor=False)) / "secretary.json"


def resolve_db_path(flag: str | None) -> Path:
    if flag:
        return Path(flag).expanduser()
    env = os.environ.get("SECRETARY_DB")
    if env:
        return Path(env).expanduser()
    return default_db_path()


SERVER_SCHEMES = ("postgresql://", "postgres://")


def resolve_db(flag: str | None) -> Path | str:
    """--db, else $SECRETARY_DB, else the default file: a path, or a postgresql:// URL kept as it is."""
    value = flag or os.environ.get("SECRETARY_DB") or ""
    if value.lower().startswith(SERVER_SCHEMES):
        return value
    return resolve_db_path(flag)


def log_path() -> Path:
    return Path(platformdirs.user_log_dir(APP, appauthor=False)) / "secretary.log"


PUBLIC_HOST_ENV = "SECRETARY_PUBLIC_HOST"
DEFAULT_PUBLIC_HOST = "localhost:8080"


def public_host() -> str:
    """The host[:port] that feed subscription URLs name: $SECRETARY_PUBLIC_HOST (the web server
    that members reach, e.g. kalender.rammeaftale.dk), else localhost:8080 (`secretary serve`)."""
    return os.environ.get(PUBLIC_HOST_ENV, "").strip() or DEFAULT_PUBLIC_HOST


KEYS_ENV = "SECRETARY_KEYS"


def keymap_path() -> Path:
    """The user's keymap for the TUI: $SECRETARY_KEYS, else keys.toml in the user config directory
    (~/.config/secretary/keys.toml on Linux). It need not exist."""
    env = os.environ.get(KEYS_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP, appauthor=False)) / "keys.toml"


CONFIG_ENV = "SECRETARY_CONFIG"


def config_path() -> Path:
    """The user's settings: $SECRETARY_CONFIG, else config.toml in the user config directory
    (~/.config/secretary/config.toml on Linux, beside keys.toml). It need not exist."""
    env = os.environ.get(CONFIG_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP, appauthor=False)) / "config.toml"


PIPE_IDLE_SECONDS = 10.0  # a pipe that sends nothing for this long is given up on ($SECRETARY_PIPE_IDLE)


def pipe_idle_seconds() -> float:
    try:
        return max(0.1, float(os.environ.get("SECRETARY_PIPE_IDLE", PIPE_IDLE_SECONDS)))
    except ValueError:
        return PIPE_IDLE_SECONDS


def read_limited(path: Path, limit: int, what: str = "file") -> bytes:
    """A file's bytes, bounded before reading: a regular file larger than `limit` is refused
    unread, a pipe (`/dev/stdin`, a FIFO) is read up to `limit` and given up on when it sends
    nothing for $SECRETARY_PIPE_IDLE seconds (default 10; or has no writer), anything else (`/dev/zero`, a folder, a
    device) is refused. The error (SecretaryError) names the file."""
    import select
    import stat

    from secretary.domain.errors import NotFound, SecretaryError

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # O_NONBLOCK: opening a FIFO does not wait
    except OSError as exc:
        raise NotFound(_("cannot read {what} {path}: {strerror}").format(what=what, path=path, strerror=exc.strerror)) from None
    try:
        st = os.fstat(fd)
        pipe = stat.S_ISFIFO(st.st_mode) or stat.S_ISSOCK(st.st_mode)
        if not (pipe or stat.S_ISREG(st.st_mode)):
            kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file (a device)"
            raise SecretaryError(_("cannot read {what} {path}: it is {kind}").format(what=what, path=path, kind=kind))
        if st.st_size > limit:
            raise SecretaryError(_("cannot read {what} {path}: it is {size} bytes, more than the limit of {limit}").format(
                                     what=what, path=path, size=st.st_size, limit=limit,
                                 ))
        chunks, total, idle = [], 0, pipe_idle_seconds()
        while True:
            if pipe and not select.select([fd], [], [], idle)[0]:
                raise SecretaryError(_("cannot read {what} {path}: nothing arrived for {idle:g} s").format(
                                         what=what, path=path, idle=idle,
                                     ))
            try:
                chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            except BlockingIOError:
                continue
            except OSError as exc:
                raise NotFound(_("cannot read {what} {path}: {strerror}").format(what=what, path=path, strerror=exc.strerror)) from None
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise SecretaryError(_("cannot read {what} {path}: it is more than the limit of {limit} bytes").format(
                                         what=what, path=path, limit=limit,
                                     ))
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_config(path: Path | None = None) -> dict:
    """The configuration file as a dict ({} when there is none). A file that is not TOML is an
    error naming the file and the line; tables that a reader does not know are left to others."""
    import tomllib

    from secretary.domain.errors import SecretaryError

    target = path or config_path()
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise SecretaryError(_("cannot read the configuration {target}: {strerror}").format(
                                 target=target, strerror=exc.strerror,
                             )) from None
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SecretaryError(_("configuration {target}: not valid TOML: {exc}").format(target=target, exc=exc)) from None
