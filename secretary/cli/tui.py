"""The default command: start the TUI; on the very first run create the Midtjylland demo.

This is the one place outside screens/ that reaches Textual, through a lazy
import, so that every other command starts without loading it.
"""

from __future__ import annotations

import argparse
import sys

from secretary.cli.bootstrap import create_database, database_exists, describe, open_secretary
from secretary.cli.common import db_path
from secretary.cli.keymap import load_keymap
from secretary.domain.presets import load_preset
from secretary.i18n import _
from secretary.services.paths import keymap_path


def register(commands, exports) -> None:
    tui = commands.add_parser("tui", help=_("start the terminal interface (the default)"))
    tui.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=_("database file or postgresql://USER@HOST/DBNAME"))
    tui.set_defaults(handler=run_tui)


def run_tui(args: argparse.Namespace) -> int:
    keymap = user_keymap()  # a bad keys.toml stops here, before a database is created or Textual starts
    path = db_path(args)
    notices = []
    if not database_exists(path):
        secretary = create_database(path, load_preset("midtjylland"))
        first = _("First run: created the Midtjylland demo database at {path}").format(path=describe(secretary.store))
        print(first, file=sys.stderr)  # also after the TUI has gone
        notices.append(first)
    else:
        secretary = open_secretary(path)
    from screens.app import make_app  # the console entry point alone starts the TUI

    app = make_app(secretary, keymap=keymap, notices=notices)
    app.run()
    return app.return_code or 0


def user_keymap() -> dict[str, str]:
    """The user's keys.toml, checked against the TUI's binding ids; {} when there is none.

    The binding ids come from importing every screen, so that is done only when the file
    exists: the start screen does not wait for the other screens' code (benchmarks/).
    """
    path = keymap_path()
    if not path.exists():
        return {}
    return load_keymap(path, [row[0] for row in tui_bindings()])


def tui_bindings() -> list[tuple[str, str, str]]:
    """(id, default key, description) of every key of the TUI (`secretary keys` lists them).

    Here, beside `run_tui`, so that this module stays the one place outside screens/ that
    reaches Textual (the layering contract's single exception).
    """
    from screens.app import binding_ids

    return binding_ids()
