"""`secretary export site -o DIR`: the published site as static files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from secretary.cli.common import add_db_argument, open_secretary
from secretary.i18n import _


def register(commands, exports) -> None:
    site = exports.add_parser("site", help=_("the published site (public agendas, minutes, feeds) as static files"))
    site.add_argument("-o", "--output", metavar="DIR", required=True, help=_("folder to write the site into"))
    site.add_argument("--full", action="store_true", help=_("render every file again (default: only what changed)"))
    add_db_argument(site)
    site.set_defaults(handler=cmd_export_site)


def cmd_export_site(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    folder = Path(args.output).expanduser()
    report = secretary.site.export(folder, incremental=not args.full)
    print(_("wrote the site to {folder}: {written} files written, {unchanged} unchanged, {removed} removed").format(
        folder=folder, written=len(report.written), unchanged=report.unchanged, removed=len(report.removed),
    ), file=sys.stderr)
    return 0
