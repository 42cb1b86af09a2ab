"""The user's settings file, read tolerantly: `config.toml` in the user config directory.

One reader for every key (`language`, `name`, …): a missing file, a file that is not TOML,
or a key of the wrong type gives the default, never an error; unknown keys are ignored,
so that keys added by other features never break this reader. $SECRETARY_CONFIG names
another file (tests, several setups).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import platformdirs

APP = "secretary"
CONFIG_ENV = "SECRETARY_CONFIG"


def config_path() -> Path:
    env = os.environ.get(CONFIG_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP, appauthor=False)) / "config.toml"


def read_settings(path: Path | None = None) -> dict[str, Any]:
    """Every key of the settings file; {} when it is missing or unreadable."""
    try:
        with open(path or config_path(), "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def setting(key: str, default: str | None = None, path: Path | None = None) -> str | None:
    """One string setting ("language", "name"); the default when it is absent or not a string."""
    value = read_settings(path).get(key)
    return value.strip() if isinstance(value, str) and value.strip() else default
