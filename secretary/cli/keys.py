"""`secretary keys`: every key of the TUI by binding id, as the user's keymap leaves it."""

from __future__ import annotations

import argparse
import sys

import orjson

from secretary.cli.keymap import load_keymap
from secretary.cli.tui import tui_bindings
from secretary.i18n import _
from secretary.i18n import gettext as tr
from secretary.services.paths import keymap_path


def register(commands, exports) -> None:
    keys = commands.add_parser("keys", help=_("list the TUI's keys by binding id (remap them in keys.toml)"))
    keys.add_argument("--json", action="store_true", help=_("print JSON: the keymap file and every binding"))
    keys.set_defaults(handler=cmd_keys)


def cmd_keys(args: argparse.Namespace) -> int:
    rows = tui_bindings()  # the ids live in the screens' bindings: Textual loads here only
    path = keymap_path()
    keymap = load_keymap(path, [row[0] for row in rows])  # a bad file: one message, exit 1
    bindings = [
        {"id": binding_id, "key": keymap.get(binding_id, default), "default": default, "description": description}
        for binding_id, default, description in rows
    ]
    where = f"{path}" + ("" if path.exists() else " " + _("(not present: every key is the default)"))
    if args.json:
        document = {"keymap": str(path), "exists": path.exists(), "bindings": bindings}
        sys.stdout.buffer.write(orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")
        sys.stdout.flush()
        return 0
    # Plain columns, never cut: the ids are what the user copies into keys.toml.
    table = [(_("id"), _("key"), _("default"), _("description"))]
    table += [(row["id"], row["key"], row["default"], tr(row["description"])) for row in bindings]
    widths = [max(len(cells[i]) for cells in table) for i in range(3)]
    for cells in table:
        # zip stops after three columns: the description (the fourth) is not padded
        print("  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=False)) + "  " + cells[3])
    print("\n" + _("keymap file: {path}").format(path=where))
    return 0
