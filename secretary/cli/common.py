"""What every command shares: the --db option, opening the database, printing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import orjson

from secretary.cli import bootstrap
from secretary.domain.interchange import FORMAT, to_jsonable
from secretary.i18n import _
from secretary.services.facade import Secretary
from secretary.services.paths import resolve_db


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    """--db is accepted before and after the command (`secretary --db X bodies`, `secretary bodies --db X`)."""
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=_("database file or postgresql://USER@HOST/DBNAME"))


def db_path(args: argparse.Namespace) -> Path | str:
    """The database the command names: a path, or a postgresql:// URL."""
    return resolve_db(getattr(args, "db", None))


def open_secretary(args: argparse.Namespace) -> Secretary:
    """The services over the database the command's --db (or $SECRETARY_DB) names."""
    secretary = bootstrap.open_secretary(db_path(args))
    notice_read_only(secretary.store)
    return secretary


def notice_read_only(store) -> None:
    """Say once, on stderr, that a database whose folder cannot be written was opened read-only."""
    if store.read_only:
        print("secretary: " + _("note: {note}").format(note=store.read_only_message), file=sys.stderr)


def print_collection(name: str, objects) -> None:
    """The --json form of a listing: a secretary/1 document holding just that collection."""
    document = {"format": FORMAT, name: [to_jsonable(obj) for obj in objects]}
    sys.stdout.buffer.write(orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.flush()


def write_output(data: bytes, output: str | None, what: str) -> None:
    """Write to -o FILE (atomically, private) or to standard output."""
    if output in (None, "-"):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from store.files import atomic_write

    target = Path(output).expanduser()
    if not target.parent.exists():
        from secretary.domain.errors import NotFound

        raise NotFound(_("-o {output}: the folder {folder} does not exist").format(output=output, folder=target.parent))
    atomic_write(target, data)
    print(_("wrote {what} to {path}").format(what=what, path=target), file=sys.stderr)


def print_rows(columns: list[str], rows: list[list[str]]) -> None:
    """A listing: on a terminal a table fitted to its width; to a pipe or a file one row per
    line at full width (columns padded, never wrapped, the last one not padded), so that
    `grep`, `sort` and `cut` see whole rows."""
    cells = [[" ".join(str(cell).split()) for cell in row] for row in rows]  # one line per row, whatever was typed
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(*columns, box=None, pad_edge=False)
        for row in cells:
            table.add_row(*row)
        # Names and titles are printed as typed: "[udkast]" is not markup, ":smile:" not an emoji.
        Console(soft_wrap=False, markup=False, emoji=False).print(table)
        return
    from rich.cells import cell_len

    lines = [list(columns)] + cells
    widths = [max(cell_len(line[i]) for line in lines) for i in range(len(columns))]
    out = []
    for line in lines:
        padded = [cell + " " * (width - cell_len(cell)) for cell, width in zip(line[:-1], widths[:-1], strict=True)]
        out.append("  ".join(padded + [line[-1]]).rstrip())
    sys.stdout.write("\n".join(out) + "\n")
    sys.stdout.flush()
