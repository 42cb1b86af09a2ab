"""The user's settings (config.toml): who the secretary is, and (for a later issue) the language.

```toml
name = "Anne Sørensen"   # recorded as the actor of every step of a meeting's life
language = "da"          # da | sv | en: the TUI's language (read, not yet used)
```

The file need not exist: the actor is then the login name. A bad file stops the
program with one line naming the file, the key and the value.
"""

from __future__ import annotations

import getpass
import tomllib
from dataclasses import dataclass
from pathlib import Path

from secretary.domain.errors import SecretaryError
from secretary.i18n import _
from secretary.services.paths import config_path

KEYS = ("name", "language")
LANGUAGES = ("da", "sv", "en")


@dataclass(frozen=True)
class UserConfig:
    name: str
    language: str | None = None


def login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container): still someone
        return "secretary"


def load_config(path: Path | None = None) -> UserConfig:
    """config.toml (default: config_path()); missing file or keys: the login name, no language."""
    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return UserConfig(login_name())
    except OSError as exc:
        raise SecretaryError(_("cannot read the settings {path}: {reason}").format(path=path, reason=exc.strerror)) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SecretaryError(_("settings {path}: not TOML: {reason}").format(path=path, reason=exc)) from None
    # Tables ([mail], …) belong to their own readers; a top-level key nobody reads is a typo.
    unknown = sorted(key for key in set(data) - set(KEYS) if not isinstance(data[key], dict))
    if unknown:
        raise SecretaryError(_("settings {path}: key {key!r}: unknown (known: {known})").format(
            path=path, key=unknown[0], known=', '.join(KEYS),
        ))
    name = data.get("name", "")
    if not isinstance(name, str) or len(name) > 200 or any(ord(c) < 32 for c in name):
        raise SecretaryError(_("settings {path}: key 'name': value {name!r}: a name on one line").format(path=path, name=name))
    language = data.get("language")
    if language is not None and language not in LANGUAGES:
        raise SecretaryError(_("settings {path}: key 'language': value {language!r}: one of {languages}").format(
            path=path, language=language, languages=', '.join(LANGUAGES),
        ))
    return UserConfig(name.strip() or login_name(), language)
