"""secretary/domain/publicity.py: the one rule of what public outputs show of an item."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from secretary.domain.model import Item
from secretary.domain.publicity import closed_notice, public_heading, public_title, shown_title

CLOSED = Item(id="c", number="7", title="Tilsynssag vedr. borger (Jens Peter Hansen, f. 1987)", public=False,
              closed_reason="Personoplysninger")


def test_a_closed_item_shows_its_public_title_or_only_the_notice():
    assert public_heading(CLOSED, "da") == "7. Lukket punkt"
    assert public_heading(CLOSED, "sv", "§ 12") == "§ 12 Ärendet är sekretessbelagt"
    assert public_heading(CLOSED, "en") == "7. Closed item"
    named = CLOSED.replace(public_title="Personalesag")
    assert public_heading(named, "da") == "7. Personalesag" and public_title(named, "sv") == "Personalesag"
    assert shown_title(named, "da", public=False) == CLOSED.title and shown_title(named, "da", public=True) == "Personalesag"
    assert closed_notice("xx") == "Closed item"


def test_an_open_item_shows_its_own_title():
    item = Item(id="o", number="", title="Rammeaftale 2027-28", public_title="ignored")
    assert public_heading(item, "da") == "Rammeaftale 2027-28"


@pytest.mark.parametrize("value", ["", "  ", "Tilsynssag vedr. borger (Jens Peter Hansen, f. 1987)",
                                   "Sag: tilsynssag vedr. borger (jens peter hansen, f. 1987)"])
def test_a_public_title_that_is_blank_or_repeats_the_own_title_is_refused(value):
    with pytest.raises(ValidationError, match="is blank|repeats the closed item.s own title"):
        CLOSED.replace(public_title=value)
