"""argparse's own words (usage, errors) in the interface's language.

argparse looks its texts up through the `_` and `ngettext` of its module at the moment it
prints them; `install()` points those at our catalogs. The texts below are argparse's
msgids (Python 3.11), marked so that `python -m secretary.i18n update` brings them in.
"""

from __future__ import annotations

import argparse

from secretary.i18n import N_, gettext, ngettext

TEXTS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("ignored explicit argument %r"),
)


def install() -> None:
    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
