"""The published site's public address: what feeds link to and subscribe buttons name."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from secretary.domain.errors import SecretaryError
from secretary.i18n import _

PUBLIC_URL_ENV = "SECRETARY_PUBLIC_URL"
CONFIG_FILE = "site.toml"

__all__ = ["CONFIG_FILE", "PUBLIC_URL_ENV", "public_url"]


def public_url(location: Path) -> str | None:
    """The site's public address without a trailing slash: $SECRETARY_PUBLIC_URL, else
    `public_url` in site.toml beside the database; None when neither is set."""
    value = os.environ.get(PUBLIC_URL_ENV, "").strip()
    if not value:
        config = Path(location).parent / CONFIG_FILE
        if config.is_file():
            try:
                value = str(tomllib.loads(config.read_text("utf-8")).get("public_url", "")).strip()
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise SecretaryError(_("{config}: cannot read it ({exc})").format(config=config, exc=exc)) from None
    if not value:
        return None
    if not value.startswith(("https://", "http://")) or any(c.isspace() for c in value):
        raise SecretaryError(_("public site address {value!r}: must start with https:// (or http://) and hold no spaces").format(
                                 value=value,
                             ))
    return value.rstrip("/")
