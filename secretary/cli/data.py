"""Commands on the data itself: init, import, export json, listings, check, restore."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from secretary.cli.bootstrap import create_database, describe, open_store
from secretary.cli.common import add_db_argument, db_path, open_secretary, print_collection, print_rows, write_output
from secretary.domain.cadence import cadence_text
from secretary.domain.errors import NotFound, StoreDamaged
from secretary.domain.interchange import MAX_DOCUMENT_BYTES
from secretary.domain.model import Entity
from secretary.domain.presets import PRESETS, load_preset
from secretary.i18n import _, ngettext
from secretary.services.paths import read_limited
from store.database import Database
from store.postgres.url import is_server_url


def register(commands, exports) -> None:
    init = commands.add_parser("init", help=_("create a database from a preset"))
    init.add_argument("--preset", choices=PRESETS, default="midtjylland")
    init.add_argument("--force", action="store_true", help=_("replace an existing database (a backup is kept)"))
    add_db_argument(init)
    init.set_defaults(handler=cmd_init)

    imp = commands.add_parser("import", help=_("upsert a secretary/1 JSON file, all or nothing"))
    imp.add_argument("file", metavar="FILE.json")
    add_db_argument(imp)
    imp.set_defaults(handler=cmd_import)

    export_json = exports.add_parser("json", help=_("the whole database as secretary/1"))
    export_json.add_argument("-o", "--output", metavar="FILE")
    add_db_argument(export_json)
    export_json.set_defaults(handler=cmd_export_json)

    for name, helptext in (
        ("bodies", _("list bodies")),
        ("people", _("list people")),
        ("memberships", _("list seats (memberships)")),
        ("meetings", _("list meetings")),
    ):
        listing = commands.add_parser(name, help=helptext)
        listing.add_argument("--body", metavar="ID")
        listing.add_argument("--year", metavar="YYYY", type=int)
        listing.add_argument("--json", action="store_true", help=_("print secretary/1 JSON"))
        add_db_argument(listing)
        listing.set_defaults(handler=cmd_list, collection=name)

    check = commands.add_parser("check", help=_("verify every file and reference; exit 0 when sound"))
    add_db_argument(check)
    check.set_defaults(handler=cmd_check)

    restore = commands.add_parser("restore", help=_("put back a backup (default: the newest)"))
    restore.add_argument("backup", nargs="?", metavar="NAME", help=_("backup name, e.g. 2026-11-23"))
    restore.add_argument("--list", action="store_true", help=_("list the backups"))
    add_db_argument(restore)
    restore.set_defaults(handler=cmd_restore)


def cmd_init(args: argparse.Namespace) -> int:
    path = db_path(args)
    # --force revokes every old feed token for good in the same commit that replaces the data.
    secretary = create_database(path, load_preset(args.preset), force=args.force)
    print(_("created the {preset} database at {path}").format(preset=args.preset, path=describe(secretary.store)), file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    source = Path(args.file)
    data = read_limited(source, MAX_DOCUMENT_BYTES, "the import file")  # /dev/zero, a FIFO: refused before reading
    changed = open_secretary(args).data.import_bytes(data, source=str(source))
    summary = ", ".join(f"{count} {name}" for name, count in changed.items() if count) or _("nothing changed")
    print(_("imported {file}: {summary}").format(file=source, summary=summary), file=sys.stderr)
    return 0


def cmd_export_json(args: argparse.Namespace) -> int:
    write_output(open_secretary(args).data.export_json(), args.output, _("the database"))
    return 0


def _headings() -> dict[str, str]:
    return {
        "id": _("id"), "abbreviation": _("abbreviation"), "name": _("name"), "kind": _("kind"), "cadence": _("cadence"),
        "reports_to": _("reports to"), "title": _("title"), "organisation": _("organisation"), "email": _("e-mail"),
        "body": _("body"), "holder": _("holder"), "role": _("role"), "voting": _("voting"), "start": _("start"), "end": _("end"),
        "status": _("status"), "location": _("place"),
    }


def cmd_list(args: argparse.Namespace) -> int:
    HEADINGS = _headings()  # noqa: N806 - read like a table
    secretary = open_secretary(args)
    name = args.collection
    objects: Sequence[Entity]
    if name == "bodies":
        bodies = [b for b in secretary.records.bodies() if args.body in (None, b.id)]
        columns = ["id", "abbreviation", "name", "kind", "cadence", "reports_to"]
        rows = [
            [b.id, b.abbreviation, b.name, b.kind, cadence_text(b), b.reports_to or ""] for b in bodies
        ]
        objects = bodies
    elif name == "people":
        people = secretary.records.people()
        if args.body or args.year:
            holders = {s.person for s in secretary.records.memberships(args.body, args.year)}
            people = [p for p in people if p.id in holders]
        columns = ["id", "name", "title", "organisation", "email"]
        rows = [[p.id, p.name, p.title, p.organisation or "", p.email] for p in people]
        objects = people
    elif name == "memberships":
        seats = secretary.records.memberships(args.body, args.year)
        columns = ["id", "body", "holder", "role", "voting", "start", "end"]
        rows = [
            [s.id, s.body, s.person or s.organisation or "", s.role, _("yes") if s.voting else _("no"),
             s.start.isoformat(), s.end.isoformat() if s.end else ""]
            for s in seats
        ]
        objects = seats
    else:
        meetings = secretary.records.meetings(args.body, args.year)
        columns = ["id", "body", "start", "end", "status", "location"]
        rows = [[m.id, m.body, m.start.isoformat(), m.end.isoformat(), m.status, m.location] for m in meetings]
        objects = meetings
    if args.json:
        print_collection(name, objects)
        return 0
    print_rows([HEADINGS.get(c, c) for c in columns], rows)
    return 0




def cmd_check(args: argparse.Namespace) -> int:
    path = db_path(args)
    if is_server_url(path):
        store = open_store(path)
        problems = store.check()
        for problem in problems:
            print(problem)
        if problems:
            print(_("secretary: {count} problem(s) in {store}").format(
                count=len(problems), store=describe(store),
            ), file=sys.stderr)
            return 1
        print(_("{store}: sound").format(store=describe(store)), file=sys.stderr)
        return 0
    db = Database(path)
    if not db.exists():
        raise NotFound(_("no database at {path}").format(path=path))
    from store.check import check_database

    # A commit a crash interrupted is finished first (as the next open would), so that it is not
    # reported as damage; then the state is judged as one commit left it (readers lock).
    try:
        for note in db.finish_interrupted():
            print(f"secretary: {note}", file=sys.stderr)
    except StoreDamaged:
        pass  # a damaged journal or a link: the check below names it
    try:
        with db.reading():
            problems = check_database(db)
    except StoreDamaged:
        problems = check_database(db)
    for problem in problems:
        print(problem)
    if problems:
        print(
            "secretary: "
            + ngettext("{count} problem in {path}", "{count} problems in {path}", len(problems)).format(count=len(problems), path=path),
            file=sys.stderr,
        )
        return 1
    print(_("{path}: sound").format(path=path), file=sys.stderr)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    target = db_path(args)
    if is_server_url(target):
        store = open_store(target)
        if args.list:
            for name in store.backups.names():
                print(name)
            return 0
        name = store.backups.restore(args.backup)
        print(_("restored {store} from backup {name}").format(store=describe(store), name=name), file=sys.stderr)
        return 0
    db = Database(target)
    from store.backups import list_backups, restore

    if args.list:
        for name in list_backups(db):
            print(name)
        return 0
    name = restore(db, args.backup)
    print(_("restored {path} from backup {name}").format(path=db.path, name=name), file=sys.stderr)
    return 0
