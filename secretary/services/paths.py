"""Where things live: the database, the log. Flags beat the environment beats the platform default."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

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
