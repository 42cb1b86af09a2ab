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
