"""Days off: the public holidays (and de facto days off) of a body's country.

The `holidays` package knows the official days. A secretariat also never meets on
days that are off in practice, so the package's extra categories are added:

- Denmark (`public` + `optional`): the official days plus Grundlovsdag (5 June),
  juleaftensdag (24 December), nytårsaftensdag (31 December) and 1 May, which
  most public-sector agreements give off (in whole or from noon), so no meeting
  of municipal and regional staff is planned on them.
- Sweden (`public` + `de_facto`): the official days plus midsommarafton,
  julafton and nyårsafton. Sundays, which the Swedish calendar counts as
  holidays, are left out here: they are weekend days, and a body whose planning
  allows Sundays may meet on one.

Names are in English, like every other message of the planner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import holidays

from secretary.domain.model import Body

COUNTRY_OF_TIMEZONE = {"Europe/Copenhagen": "DK", "Europe/Stockholm": "SE"}

_CATEGORIES = {"DK": ("public", "optional"), "SE": ("public", "de_facto")}


def country_of(body: Body) -> str:
    """The country whose holidays a body keeps: the one of its time zone."""
    return COUNTRY_OF_TIMEZONE[body.timezone]


@lru_cache(maxsize=64)
def days_off(country: str, year: int) -> Mapping[dt.date, str]:
    """The days off of a country in a year, by date, with their (English) names."""
    extra: dict[str, Any] = {"include_sundays": False} if country == "SE" else {}
    calendar = holidays.country_holidays(
        country, years=year, categories=_CATEGORIES[country], language="en_US", **extra
    )
    return MappingProxyType({day: calendar[day] for day in sorted(calendar) if day.year == year})


def day_off(country: str, day: dt.date) -> str | None:
    """The name of the holiday on `day`, or None on an ordinary day."""
    return days_off(country, day.year).get(day)
