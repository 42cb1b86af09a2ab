"""Which language the interface speaks: --lang, then $SECRETARY_LANG, then `language` in
config.toml, then $LC_ALL / $LC_MESSAGES / $LANG, else English."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from secretary.i18n import DEFAULT, normalize
from secretary.services.settings import setting

LANG_ENV = "SECRETARY_LANG"


def lang_flag(argv: Sequence[str]) -> str | None:
    """The value of --lang in argv (`--lang da`, `--lang=da`), read before the parser is built
    so that `--help` itself is in that language."""
    for n, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and n + 1 < len(argv):
            return argv[n + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def choose_language(flag: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    for candidate in (flag, env.get(LANG_ENV), setting("language")):
        found = normalize(candidate)
        if found:
            return found
    # POSIX order: the first of LC_ALL, LC_MESSAGES, LANG that is set decides (C/POSIX: English).
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if value:
            return normalize(value) or DEFAULT
    return DEFAULT
