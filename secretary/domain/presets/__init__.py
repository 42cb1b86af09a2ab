"""Presets: whole databases as secretary/1 data files, built from the seed documents."""

from __future__ import annotations

from importlib import resources

from secretary.domain.errors import NotFound
from secretary.domain.interchange import Dataset, parse_bytes, parse_document
from secretary.i18n import _

PRESETS = ("midtjylland", "ludvika", "empty")


def load_preset(name: str) -> Dataset:
    if name == "empty":
        return Dataset()
    if name not in PRESETS:
        raise NotFound(_("no preset {name!r}; choose one of: {presets}").format(name=name, presets=', '.join(PRESETS)))
    data = resources.files(__package__).joinpath(f"{name}.json").read_bytes()
    return parse_document(parse_bytes(data, source=f"preset {name}"))
