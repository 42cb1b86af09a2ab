"""What every command shares: the --db option, opening the database, printing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import orjson

from secretary.cli import bootstrap
from secretary.domain.interchange import FORMAT, to_jsonable
from secretary.services.facade import Secretary
from secretary.services.paths import resolve_db


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    """--db is accepted before and after the command (`secretary --db X bodies`, `secretary bodies --db X`)."""
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="database file or postgresql://USER@HOST/DBNAME")


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
        print(f"secretary: note: {store.read_only_message}", file=sys.stderr)


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

        raise NotFound(f"-o {output}: the folder {target.parent} does not exist")
    atomic_write(target, data)
    print(f"wrote {what} to {target}", file=sys.stderr)
