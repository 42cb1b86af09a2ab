"""The command line: `secretary [--db PATH] COMMAND …`. Exit 0 ok, 1 user error, 2 usage error."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable
from types import ModuleType

from secretary.cli import argparse_texts
from secretary.cli.common import add_db_argument
from secretary.domain.errors import SecretaryError
from secretary.i18n import LANGUAGES, _, set_language
from secretary.i18n.select import choose_language, lang_flag
from secretary.services.paths import log_path

# One-shot commands that only read: each reads one commit's state (no commit replaces a file
# while they run; a writer waits for them only while it replaces its files).
READING_COMMANDS = frozenset({"bodies", "people", "memberships", "meetings", "export", "plan", "due"})


def command_modules() -> list[ModuleType]:
    """Each module adds its commands; `export` is shared, so modules add to its subparsers.
    Imported only when a command is named: `secretary` alone starts the TUI without them."""
    from secretary.cli import calendars, data, documents, keys, members, tui
    from secretary.cli import cases as cases_cli
    from secretary.cli import meeting as meeting_cli
    from secretary.cli import planning as planning_cli
    from secretary.cli import scorecard as scorecard_cli
    from secretary.cli import site as site_cli

    return [data, tui, calendars, documents, planning_cli, keys, members, site_cli, meeting_cli, cases_cli, scorecard_cli]


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    """The whole parser; without its commands, the options before a command (and no -h)."""
    parser = argparse.ArgumentParser(
        prog="secretary",
        description=_("Meetings, agendas, minutes and calendars for collaboration bodies."),
        add_help=with_commands,
        exit_on_error=with_commands,  # without commands, a mistake is left for the whole parser to explain
    )
    parser.add_argument(
        "--lang", metavar="LANG", dest="interface_lang", choices=LANGUAGES,
        help=_("language of the interface: da, sv or en (default: $SECRETARY_LANG, config.toml, $LANG)"),
    )
    parser.add_argument(
        "--db", metavar="PATH",
        help=_("database file or postgresql://USER@HOST/DBNAME (default: $SECRETARY_DB or the user data directory)"),
    )
    if not with_commands:
        parser.set_defaults(command=None)
        return parser
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    export = commands.add_parser("export", help=_("write JSON, documents, calendars or the årshjul"))
    add_db_argument(export)
    exports = export.add_subparsers(dest="export_kind", metavar="KIND", required=True)
    for module in command_modules():
        module.register(commands, exports)
    return parser


def parse(argv: list[str] | None) -> argparse.Namespace:
    """The arguments; `secretary [--db X] [--lang L]` (the TUI, what most starts are) is parsed
    without importing the eleven command modules (a tenth of the time to the first screen)."""
    words = sys.argv[1:] if argv is None else argv
    try:
        args, rest = build_parser(with_commands=False).parse_known_args(words)
    except argparse.ArgumentError:  # a bad --lang: the whole parser says so, with the commands' usage
        rest = words
    if not rest:
        return args
    return build_parser().parse_args(words)


def _tui() -> Callable[[argparse.Namespace], int | None]:
    from secretary.cli.tui import run_tui

    return run_tui


def main(argv: list[str] | None = None) -> int:
    # The language first, so that --help and every message after it are in it.
    set_language(choose_language(lang_flag(sys.argv[1:] if argv is None else argv)))
    argparse_texts.install()
    args = parse(argv)
    try:
        handler = getattr(args, "handler", None) or _tui()
        if args.command in READING_COMMANDS:
            from secretary.cli.bootstrap import read_session
            from secretary.cli.common import db_path

            with read_session(db_path(args)):
                return handler(args) or 0
        return handler(args) or 0
    except SecretaryError as exc:
        print(f"secretary: {exc}", file=sys.stderr)  # the message is the error's own, translated where raised
        return 1
    except KeyboardInterrupt:
        print("secretary: " + _("interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the user gets one line; the details go to the log
        where = _log_exception()
        print(
            "secretary: "
            + _("unexpected error: {kind}: {message}. Details: {log}").format(kind=type(exc).__name__, message=exc, log=where),
            file=sys.stderr,
        )
        return 1


def _log_exception() -> str:
    """Append the traceback to the log: its folder and the file private (0700/0600) whatever the umask."""
    import os

    from store.files import ensure_dir

    path = log_path()
    try:
        ensure_dir(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        os.fchmod(fd, 0o600)
        with open(fd, "a", encoding="utf-8") as log:
            traceback.print_exc(file=log)
        return str(path)
    except OSError:
        return _("(the log could not be written)")
