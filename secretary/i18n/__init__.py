"""The interface's language: gettext catalogs (Babel) for Danish, Swedish and English.

    from secretary.i18n import _, N_
    print(_("wrote {what} to {path}").format(what=..., path=...))

- `_(msgid)` translates now, into the language chosen at start-up (`set_language`).
- `N_(msgid)` only marks a text for the catalogs and returns it unchanged: for texts fixed
  at import time (a key's label in a `Binding`, an error class's title), translated with
  `_()` where they are shown.
- `lazy(msgid)` (written `_()` in screens/strings.py) is a text translated each time it is
  read: screens/strings.py turns its module constants into these, so `S.NAME` is in the
  language of the moment even though the module was imported before it was chosen.

The catalogs live in secretary/i18n/locale/<lang>/LC_MESSAGES/secretary.{po,mo} and ship
in the wheel; `python -m secretary.i18n update` brings new texts into them (see README).
Nothing here reads the settings file: secretary/i18n/select.py does, for the CLI.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
from pathlib import Path
from typing import Any

DOMAIN = "secretary"
LANGUAGES = ("en", "da", "sv")
DEFAULT = "en"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
# Babel locales for dates and numbers; English keeps ISO dates (the product's own form).
BABEL_LOCALES = {"da": "da_DK", "sv": "sv_SE", "en": "en_GB"}

_current: dict[str, Any] = {"lang": DEFAULT, "translations": _gettext.NullTranslations(), "version": 0}


def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog of `lang` (English: the English catalog, else identity)."""
    try:
        return _gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[lang])
    except OSError:
        if lang == DEFAULT:
            return _gettext.NullTranslations()
        raise


def normalize(value: str | None) -> str | None:
    """"da", "da_DK.UTF-8", "sv-SE", "Swedish"? → "da" / "sv" / "en"; None when not one of ours."""
    if not value:
        return None
    text = value.strip().lower()
    names = {"danish": "da", "dansk": "da", "swedish": "sv", "svenska": "sv", "english": "en"}
    if text in names:
        return names[text]
    code = text.replace("-", "_").split(".")[0].split("@")[0].split("_")[0]
    if code == "c" or code == "posix":
        return None
    return code if code in LANGUAGES else None


def set_language(lang: str | None) -> str:
    """Use `lang` from now on (unknown: English); returns the language in use."""
    chosen = normalize(lang) or DEFAULT
    _current["lang"] = chosen
    _current["translations"] = translations(chosen)
    _current["version"] += 1
    return chosen


def language() -> str:
    return _current["lang"]


def version() -> int:
    """Changes whenever the language does: caches of translated texts key on it."""
    return _current["version"]


def gettext(msgid: str) -> str:
    if not msgid:
        return msgid
    return _current["translations"].gettext(msgid)


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current["translations"].ngettext(singular, plural, n)


def pgettext(context: str, msgid: str) -> str:
    """A text whose English is shared by different meanings ("Open": a key, an item's state)."""
    return _current["translations"].pgettext(context, msgid)


def N_(msgid: str) -> str:  # noqa: N802 - the gettext convention
    """Mark `msgid` for the catalogs; translate it with `_()` where it is shown."""
    return msgid


class Lazy:
    """A text of screens/strings.py: its English msgid, translated when the constant is read."""

    __slots__ = ("context", "msgid")

    def __init__(self, msgid: str, context: str | None = None):
        self.msgid = msgid
        self.context = context

    def __repr__(self) -> str:
        return f"Lazy({self.msgid!r})"

    def __str__(self) -> str:
        return self.text()

    def text(self) -> str:
        return pgettext(self.context, self.msgid) if self.context else gettext(self.msgid)


def lazy(msgid: str) -> Lazy:
    return Lazy(msgid)


def lazy_p(context: str, msgid: str) -> Lazy:
    """`_p("column", "Title")` in screens/strings.py: a Lazy with a context."""
    return Lazy(msgid, context)


def resolve(value: Any) -> Any:
    """A constant with every Lazy inside it (dicts, tuples, lists) translated; the rest as it is."""
    if isinstance(value, Lazy):
        return value.text()
    if isinstance(value, dict):
        return {key: resolve(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return tuple(resolve(item) for item in value)
    if isinstance(value, list):
        return [resolve(item) for item in value]
    return value


# -- dates and numbers in the language's own form ----------------------------------------------


def format_date(value: dt.date | dt.datetime | None, none: str = "—") -> str:
    """A date as the interface shows it: 2026-03-04 (en, sv), 04.03.2026 (da)."""
    if value is None:
        return none
    if isinstance(value, dt.datetime):
        value = value.date()
    lang = language()
    if lang == "en":
        return value.isoformat()
    from babel.dates import format_date as babel_date

    return babel_date(value, format="short", locale=BABEL_LOCALES[lang])


def format_long_date(value: dt.date) -> str:
    """"Wednesday 4 March 2026", "onsdag den 4. marts 2026", "onsdag 4 mars 2026"."""
    from babel.dates import format_date as babel_date

    lang = language()
    if lang == "en":
        return babel_date(value, format="EEEE d MMMM y", locale="en_GB")
    return babel_date(value, format="full", locale=BABEL_LOCALES[lang])


def format_number(value: int | float) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=BABEL_LOCALES[language()])


def month_names() -> tuple[str, ...]:
    """January … December in the interface's language, capitalised as a heading."""
    from babel.dates import get_month_names

    names = get_month_names("wide", locale=BABEL_LOCALES[language()])
    return tuple(names[m][:1].upper() + names[m][1:] for m in range(1, 13))


def weekday_names() -> tuple[str, ...]:
    """Monday … Sunday in the interface's language (as Babel writes them: "mandag", "måndag")."""
    from babel.dates import get_day_names

    names = get_day_names("wide", locale=BABEL_LOCALES[language()])
    return tuple(names[d] for d in range(7))


def weekday_abbr(value: dt.date) -> str:
    from babel.dates import format_date as babel_date

    return babel_date(value, format="EEE", locale=BABEL_LOCALES[language()]).rstrip(".")


def parse_user_date(text: str) -> dt.date:
    """A date typed in a form: 2026-03-04 always; 4.3.2026 or 4/3/2026 (day first) too. ValueError otherwise."""
    text = text.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    for sep in (".", "/"):
        parts = text.split(sep)
        if len(parts) == 3 and all(p.strip().isdigit() for p in parts):
            day, month, year = (int(p) for p in parts)
            if year < 100:
                year += 2000
            return dt.date(year, month, day)
    raise ValueError(text)
