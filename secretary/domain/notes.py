"""The notes the program writes into an item's decision, in the body's language, dates written out.

"Udsat til mødet den 14. januar 2027." / "Bordlagt till sammanträdet den 14 januari 2027." /
"Carried over to the meeting on 14 January 2027."; a referral names the body and, when it has
one, the meeting the item goes to.
"""

from __future__ import annotations

import datetime as dt

_LOCALES = {"da": "da_DK", "sv": "sv_SE", "en": "en_GB"}
_CARRIED_OVER = {
    "da": "Udsat til mødet den {date}.",
    "sv": "Bordlagt till sammanträdet den {date}.",
    "en": "Carried over to the meeting on {date}.",
}
_REFERRED = {"da": "Oversendt til {body}.", "sv": "Överlämnas till {body}.", "en": "Referred to {body}."}
_REFERRED_ON = {
    "da": "Oversendt til {body}, mødet den {date}.",
    "sv": "Överlämnas till {body}, sammanträdet den {date}.",
    "en": "Referred to {body}, the meeting on {date}.",
}


def written_date(day: dt.date, language: str) -> str:
    """'14. januar 2027', '14 januari 2027', '14 January 2027'."""
    from babel.dates import format_date  # Babel's dates load their locale data: only when a note is written

    return format_date(day, "d MMMM y" if language == "en" else "long", locale=_LOCALES.get(language, "en_GB"))


def carry_over_note(language: str, day: dt.date) -> str:
    return _CARRIED_OVER.get(language, _CARRIED_OVER["en"]).format(date=written_date(day, language))


def referral_note(language: str, body: str, day: dt.date | None = None) -> str:
    if day is None:
        return _REFERRED.get(language, _REFERRED["en"]).format(body=body)
    return _REFERRED_ON.get(language, _REFERRED_ON["en"]).format(body=body, date=written_date(day, language))
