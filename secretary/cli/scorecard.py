"""Scorecard commands: `scorecard` (show), `scorecard set`, `scorecard import-kolada`,
`export report` (the annual report .docx) and `export scorecard` (.xlsx / .csv)."""

from __future__ import annotations

import argparse
import os
import ssl
import sys
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import orjson
from rich.console import Console
from rich.table import Table
from rich.text import Text

from secretary.cli.common import add_db_argument, open_secretary, write_output
from secretary.domain.errors import InvalidData, SecretaryError
from secretary.domain.interchange import FORMAT, parse_bytes, to_jsonable
from secretary.domain.scorecard import LABELS, Scorecard, parse_number, parse_years
from secretary.i18n import _
from secretary.services.paths import read_limited

KOLADA_URL = "https://api.kolada.se/v2"
KOLADA_MAX_BYTES = 50 * 1024 * 1024


def register(commands, exports) -> None:
    card = commands.add_parser("scorecard", help=_("the styrkort: indicators by year, targets, national averages"))
    owner = card.add_mutually_exclusive_group()
    owner.add_argument("--org", metavar="ID", help=_("an organisation's scorecard"))
    owner.add_argument("--body", metavar="ID", help=_("a body's scorecard (with the figures its meetings produce)"))
    card.add_argument("--years", metavar="2013-2017", help=_("years to show (default: every year with a figure)"))
    card.add_argument("--json", action="store_true", help=_("print secretary/1 JSON (the indicators and the table)"))
    add_db_argument(card)
    card.set_defaults(handler=cmd_scorecard)
    actions = card.add_subparsers(dest="scorecard_action", metavar="ACTION")

    put = actions.add_parser("set", help=_("set one year of one indicator"))
    put.add_argument("indicator", metavar="INDICATOR")
    put.add_argument("year", metavar="YEAR", type=int)
    result = put.add_mutually_exclusive_group()
    result.add_argument("--result", metavar="V", help=_('the result ("93", "28,2", "i.u." for no data, "" to clear)'))
    result.add_argument("--not-measured", action="store_true", help=_("not measured that year (the survey was not done)"))
    put.add_argument("--target", metavar="V", help=_('the target (måltal); "" clears it'))
    put.add_argument("--national", metavar="V", help=_('the national average (rikssnitt); "i.u." for no data, "" clears it'))
    put.add_argument("--note", metavar="T", help=_('a footnote for that year; "" clears it'))
    add_db_argument(put)
    put.set_defaults(handler=cmd_set)

    kolada = actions.add_parser("import-kolada", help=_("results and national averages from a Kolada API v2 response"))
    kolada.add_argument("file", metavar="FILE.json", help=_("the response (with --fetch: where the fetched response is kept)"))
    kolada.add_argument("--fetch", action="store_true", help=_("fetch it first over HTTPS ({KOLADA_URL}; $SECRETARY_KOLADA_URL)").format(
        KOLADA_URL=KOLADA_URL,
    ))
    kolada.add_argument("--kpi", metavar="ID,...", help=_("KPI ids (with --fetch: required; else: only these)"))
    kolada.add_argument("--municipality", metavar="CODE", help=_("the municipality whose values are the results (e.g. 2084)"))
    kolada.add_argument("--years", metavar="2013-2017", help=_("years (with --fetch: required; else: only these)"))
    add_db_argument(kolada)
    kolada.set_defaults(handler=cmd_import_kolada)

    report = exports.add_parser("report", help=_("the annual report (kvalitetsberättelse / årsrapport) as .docx"))
    report.add_argument("year", metavar="YEAR", type=int)
    who = report.add_mutually_exclusive_group(required=True)
    who.add_argument("--org", metavar="ID")
    who.add_argument("--body", metavar="ID")
    report.add_argument("-o", "--output", metavar="FILE.docx")
    add_db_argument(report)
    report.set_defaults(handler=cmd_export_report)

    sheet = exports.add_parser("scorecard", help=_("every scorecard as .xlsx or .csv"))
    sheet.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    sheet.add_argument("-o", "--output", metavar="FILE")
    add_db_argument(sheet)
    sheet.set_defaults(handler=cmd_export_scorecard)


def _years(text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    try:
        return parse_years(text)
    except ValueError as exc:
        raise SecretaryError(str(exc)) from None


# -- showing ---------------------------------------------------------------------------------------


def scorecard_json(card: Scorecard) -> dict[str, Any]:
    rows = []
    for row in card.rows:
        entry: dict[str, Any] = {
            "indicator": row.indicator.id, "title": row.indicator.title, "area": row.indicator.area,
            "area_kind": row.indicator.area_kind, "goal": row.indicator.goal, "unit": row.indicator.unit,
            "source": row.indicator.source,
            "cells": [{"year": c.year, "result": c.result, "text": c.text + c.marker, "judgement": c.judgement, "note": c.note}
                      for c in row.cells],
            "national": row.national, "target": row.target, "judgement": row.judgement,
        }
        if row.computations:
            entry["computed"] = [
                {"year": f.year, "value": f.value, "numerator": f.numerator, "denominator": f.denominator, "how": f.how,
                 "meetings": list(f.meetings), "details": list(f.details)}
                for f in row.computations
            ]
        rows.append(entry)
    return {"owner_kind": card.owner_kind, "owner": card.owner, "name": card.name, "title": card.title,
            "language": card.language, "years": list(card.years), "rows": rows,
            "footnotes": [{"marker": m, "text": t} for m, t in card.footnotes]}


MARK = {"met": "✓", "missed": "✗", None: ""}


def print_scorecard(console: Console, card: Scorecard) -> None:
    L = LABELS.get(card.language, LABELS["en"])
    console.print(Text(card.title, style="bold"))
    for kind in ("strategic", "internal"):
        groups = [g for g in card.areas() if g[0] == kind]
        if not groups:
            continue
        last = card.years[-1]
        columns = [L["strategic_areas" if kind == "strategic" else "internal_areas"]]
        if kind == "strategic":
            columns.append(L["goal"])
        columns += [L["indicator"], *map(str, card.years), f"{L['national']} {last}", f"{L['target']} {last}"]
        table = Table(*columns, box=None, pad_edge=False, show_lines=False)
        for _kind, area, rows in groups:
            previous_goal = None
            for n, row in enumerate(rows):
                goal = row.indicator.goal if row.indicator.goal != previous_goal else ""
                previous_goal = row.indicator.goal
                cells = [f"{c.text}{c.marker}{' ' + MARK[c.judgement] if c.judgement else ''}" for c in row.cells]
                line = [area if n == 0 else ""]
                if kind == "strategic":
                    line.append(goal)
                line += [row.indicator.title, *cells, row.national, row.target]
                table.add_row(*line)
        console.print(table)
    for marker, note in card.footnotes:
        console.print(f"{marker + ' ' if marker else ''}{note}")
    console.print()


def cmd_scorecard(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    years = _years(args.years)
    cards = secretary.scorecard.scorecards(organisation=args.org, body=args.body, years=years)
    if args.json:
        owners = {(c.owner_kind, c.owner) for c in cards}
        indicators = [
            i for i in secretary.scorecard.indicators()
            if ("organisation", i.organisation) in owners or ("body", i.body) in owners
        ]
        shown = []
        for indicator in indicators:
            data = to_jsonable(indicator)
            if years:
                data["values"] = [v for v in data["values"] if v["year"] in years]
            shown.append(data)
        document = {"format": FORMAT, "indicators": shown, "scorecards": [scorecard_json(c) for c in cards]}
        sys.stdout.buffer.write(orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")
        sys.stdout.flush()
        return 0
    console = Console(soft_wrap=False, markup=False, emoji=False, width=max(160, Console().width))
    if not cards:
        console.print(_("no scorecards"))
    for card in cards:
        print_scorecard(console, card)
    return 0


# -- writing ---------------------------------------------------------------------------------------


def _number(text: str | None, what: str, *, allow_no_data: bool = False) -> Any:
    """UNSET when not given; None to clear; "i.u." where allowed; else a number."""
    from secretary.services.scorecard import UNSET

    if text is None:
        return UNSET
    if text.strip() == "":
        return None
    if allow_no_data and text.strip().lower() in ("i.u.", "iu", "i.o."):
        return "i.u."
    try:
        return parse_number(text, what)
    except ValueError as exc:
        raise SecretaryError(str(exc)) from None


def cmd_set(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    result = _number(args.result, "--result", allow_no_data=True)
    national = _number(args.national, "--national", allow_no_data=True)
    target = _number(args.target, "--target")
    changes: dict[str, Any] = {"target": target, "not_measured": args.not_measured}
    if result == "i.u.":
        changes["no_data"] = True
    else:
        changes["result"] = result
    if national == "i.u.":
        changes["national_no_data"] = True
    else:
        changes["national"] = national
    if args.note is not None:
        changes["note"] = args.note
    indicator = secretary.scorecard.set_value(args.indicator, args.year, **changes)
    print(_("indicator {id!r}: {year} saved").format(id=indicator.id, year=args.year), file=sys.stderr)
    return 0


def fetch_kolada(kpis: list[str], municipality: str, years: tuple[int, ...]) -> bytes:
    """GET /data/kpi/{kpis}/municipality/{code},0000/year/{years} over HTTPS, following next_page."""
    base = os.environ.get("SECRETARY_KOLADA_URL", KOLADA_URL).rstrip("/")
    parsed = urllib.parse.urlsplit(base)
    if parsed.scheme != "https" or not parsed.hostname:
        raise SecretaryError(_("$SECRETARY_KOLADA_URL: value {base!r}: must be an https:// address").format(base=base))
    context = ssl.create_default_context(cafile=os.environ.get("SECRETARY_KOLADA_CA") or None)
    codes = ",".join(dict.fromkeys([municipality, "0000"]))
    url = (f"{base}/data/kpi/{','.join(kpis)}/municipality/{codes}/year/{','.join(map(str, years))}")
    values: list[Any] = []
    pages = 0
    while url:
        pages += 1
        if pages > 100:
            raise SecretaryError(_("Kolada: more than 100 pages; narrow --kpi or --years"))
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/json"}),
                                        timeout=30, context=context) as response:
                body = response.read(KOLADA_MAX_BYTES + 1)
        except OSError as exc:  # URLError, ssl errors, timeouts
            reason = getattr(exc, "reason", exc)
            raise SecretaryError(_("Kolada: {host}: {reason}").format(
                host=urllib.parse.urlsplit(url).netloc, reason=reason,
            )) from None
        if len(body) > KOLADA_MAX_BYTES:
            raise SecretaryError(_("Kolada: the response is larger than {KOLADA_MAX_BYTES} bytes").format(
                KOLADA_MAX_BYTES=KOLADA_MAX_BYTES,
            ))
        page = parse_bytes(body, "the Kolada response")
        if not isinstance(page, dict) or not isinstance(page.get("values"), list):
            raise SecretaryError(_("Kolada: the response is not a data response (no list 'values')"))
        values.extend(page["values"])
        following = page.get("next_page")
        if following:
            nxt = urllib.parse.urlsplit(urllib.parse.urljoin(url, following))
            if (nxt.scheme, nxt.netloc) != (parsed.scheme, parsed.netloc):
                raise SecretaryError(_("Kolada: next_page {next_page!r} leaves {host}").format(
                    next_page=following, host=parsed.netloc,
                ))
            url = nxt.geturl()
        else:
            url = ""
    return orjson.dumps({"count": len(values), "values": values}, option=orjson.OPT_INDENT_2) + b"\n"


def cmd_import_kolada(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    years = _years(args.years)
    kpis = [k.strip() for k in args.kpi.split(",") if k.strip()] if args.kpi else None
    if args.municipality is not None and not (len(args.municipality) == 4 and args.municipality.isdigit()):
        raise SecretaryError(_("--municipality: value {municipality!r}: not a municipality code like 2084").format(
            municipality=args.municipality,
        ))
    source = Path(args.file)
    if args.fetch:
        if not kpis or not args.municipality or not years:
            raise SecretaryError(_("--fetch needs --kpi ID,..., --municipality CODE and --years"))
        known = {i.kpi for i in secretary.scorecard.indicators() if i.kpi}
        unknown = [k for k in kpis if k not in known]
        if unknown:
            raise InvalidData([f"--kpi: KPI {k!r}: no indicator has this KPI id (set an indicator's 'kpi')" for k in unknown])
        data = fetch_kolada(kpis, args.municipality, years)
        write_output(data, str(source), "the Kolada response")
    else:
        data = read_limited(source, KOLADA_MAX_BYTES, "the Kolada file")
    raw = parse_bytes(data, str(source))
    changed = secretary.scorecard.import_kolada(raw, str(source), municipality=args.municipality, years=years, kpis=kpis)
    print(_("imported {source}: {values} values, {indicators} indicators changed").format(
        source=source, values=changed['values'], indicators=changed['indicators'],
    ), file=sys.stderr)
    return 0


def cmd_export_report(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    data = secretary.scorecard.report_docx(args.year, organisation=args.org, body=args.body)
    write_output(data, args.output, f"the report {args.year} of {args.org or args.body}")
    return 0


def cmd_export_scorecard(args: argparse.Namespace) -> int:
    secretary = open_secretary(args)
    data = secretary.scorecard.scorecard_xlsx() if args.format == "xlsx" else secretary.scorecard.scorecard_csv()
    write_output(data, args.output, f"the scorecards ({args.format})")
    return 0
