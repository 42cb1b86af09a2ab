"""Calendar commands: `export ics`, `feed-token` and `serve`."""

from __future__ import annotations

import argparse
import sys

from secretary.cli.common import add_db_argument, open_secretary, write_output
from secretary.domain.errors import SecretaryError
from secretary.i18n import _
from secretary.services.feeds import person_feed_path


def register(commands, exports) -> None:
    ics = exports.add_parser("ics", help=_("a calendar feed (.ics): one body, one person, or everything"))
    which = ics.add_mutually_exclusive_group()
    which.add_argument("--body", metavar="ID", help=_("only this body's meetings"))
    which.add_argument("--person", metavar="ID", help=_("the meetings of the bodies this person sits in"))
    ics.add_argument("--all-day", action="store_true", help=_("with --body: add milestones and deadlines"))
    ics.add_argument("-o", "--output", metavar="FILE.ics")
    add_db_argument(ics)
    ics.set_defaults(handler=cmd_export_ics)

    token = commands.add_parser("feed-token", help=_("issue (or revoke) the secret URL of a person's calendar feed"))
    token.add_argument("person", metavar="PERSON", help=_("person id"))
    token.add_argument("--revoke", action="store_true", help=_("make the person's feed URL stop working"))
    token.add_argument("--show", action="store_true", help=_("print the current URL path instead of issuing a new one"))
    add_db_argument(token)
    token.set_defaults(handler=cmd_feed_token)

    serve = commands.add_parser("serve", help=_("serve the calendar feeds over HTTP (read-only)"))
    serve.add_argument("--host", default="127.0.0.1", help=_("address to bind (default 127.0.0.1: this machine only)"))
    serve.add_argument("--port", type=int, default=8080, help=_("TCP port (default 8080)"))
    add_db_argument(serve)
    serve.set_defaults(handler=cmd_serve)


def cmd_export_ics(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    if args.all_day and not args.body:
        raise SecretaryError(_("--all-day: milestones and deadlines belong to one body; add --body ID"))
    if args.body:
        data, what = secretary.feeds.calendar_for_body(args.body, all_day=args.all_day), _("the calendar of {what}").format(what=args.body)
    elif args.person:
        data, what = secretary.feeds.calendar_for_person(args.person), _("the calendar of {what}").format(what=args.person)
    else:
        data, what = secretary.feeds.calendar_for_all(), _("the calendar of every body")
    write_output(data, args.output, what)
    return 0


def cmd_feed_token(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    if args.revoke:
        had = secretary.feeds.revoke_feed_token(args.person)
        message = _("revoked the feed token of {person}") if had else _("{person} had no feed token")
        print(message.format(person=args.person), file=sys.stderr)
        return 0
    if args.show:
        token = secretary.feeds.feed_token(args.person)
        if token is None:
            raise SecretaryError(
                _("person {person!r} has no feed token; issue one with: secretary feed-token {person}").format(person=args.person)
            )
    else:
        token = secretary.feeds.issue_feed_token(args.person)
        print(_("issued a new feed token for {person} (any earlier URL no longer works)").format(person=args.person), file=sys.stderr)
    print(person_feed_path(token))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from secretary.cli.server import create_server, make_app  # deferred: waitress only when serving

    if not 0 <= args.port <= 65535:
        raise SecretaryError(_("--port: value {port}: not a TCP port (0-65535)").format(port=args.port))
    secretary = open_secretary(args)
    try:
        server = create_server(make_app(secretary), host=args.host, port=args.port)
    except OSError as exc:
        raise SecretaryError(
            _("cannot listen on {host}:{port}: {reason}").format(host=args.host, port=args.port, reason=exc.strerror)
        ) from None
    url = f"http://{args.host}:{server.effective_port}/calendars/all.ics"
    print(_("serving calendar feeds on {url} (Ctrl-C stops)").format(url=url), file=sys.stderr)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0
