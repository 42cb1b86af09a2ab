"""The scorecard's documents: the annual report (.docx with a PNG chart per goal area), and the
styrkort as .xlsx and .csv. Pure and deterministic: the same data gives the same bytes (fixed
document properties and zip timestamps, PNGs without dates or software tags)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from typing import Any

from secretary.domain.scorecard import LABELS, Report, Row, Scorecard, format_number

MARK = {"met": "✓", "missed": "✗", None: ""}
PAGE_TEXT_CM = 18.4  # A4 less 1.3 cm margins


def _nbsp(text: str) -> str:
    """Figures never break inside ("33 168", "93 %"): the spaces in them are no-break spaces."""
    return text.replace(" ", "\u00a0")
# One fixed moment for every file's properties and zip entries: a document's bytes depend on its data only.
EPOCH = dt.datetime(2000, 1, 1)


def _labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["en"])


# -- charts ----------------------------------------------------------------------------------------


def area_chart_png(area: str, rows: Sequence[Row], years: Sequence[int], language: str) -> bytes:
    """A line per indicator of one goal area over the years (results; the target as a dashed mark)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import pyplot as plt

    params: Any = {"font.family": "DejaVu Sans", "font.size": 8, "svg.hashsalt": "secretary", "path.simplify": False}
    with matplotlib.rc_context(params):
        fig, ax = plt.subplots(figsize=(6.4, 2.9), dpi=110)
        try:
            xs = list(years)
            for n, row in enumerate(rows):
                ys = [cell.result for cell in row.cells]
                label = _wrap(row.indicator.title, 70)
                points = [(x, y) for x, y in zip(xs, ys, strict=True) if y is not None]
                color = f"C{n % 10}"
                if points:
                    ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", color=color, label=label)
                    for x, y in points:  # labels above the line for one series, below for the next
                        ax.annotate(format_number(y, language), (x, y), textcoords="offset points",
                                    xytext=(0, 6 if n % 2 == 0 else -11), ha="center", fontsize=7, color=color)
                else:
                    ax.plot([], [], color=color, label=label + " (–)")
                last = row.indicator.value(xs[-1]) if xs else None
                if last is not None and last.target is not None:
                    ax.plot([xs[-1]], [last.target], marker="_", markersize=18, color=color, linestyle="none")
            ax.set_title(area, fontsize=10, loc="left")
            from matplotlib.ticker import FuncFormatter

            ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: format_number(round(value, 6), language)))
            ax.margins(y=0.18)
            ax.set_xticks(xs)
            ax.set_xticklabels([str(x) for x in xs])
            ax.set_xlim(xs[0] - 0.5, xs[-1] + 0.5)
            ax.grid(axis="y", color="#dddddd", linewidth=0.6)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), fontsize=7, frameon=False, ncol=1)
            fig.tight_layout()
            out = io.BytesIO()
            fig.savefig(out, format="png", metadata={"Software": None}, bbox_inches="tight")
            return out.getvalue()
        finally:
            plt.close(fig)


def _wrap(text: str, width: int) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return "\n".join(lines)


# -- the annual report ---------------------------------------------------------------------------------


def _stable_zip(data: bytes) -> bytes:
    from exports.documents.writer import stable_zip

    return stable_zip(data, EPOCH.replace(tzinfo=dt.UTC))


def _cell(cell, value: str, *, bold: bool = False, size: float = 7.0, align_right: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if align_right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(value)
    run.bold = bold
    run.font.size = Pt(size)


def _narrow_margins(table) -> None:
    """Cell margins of 0.1 cm left and right (Word's default is 0.19): the figures fit their columns."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), "57")
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    tbl_pr.append(margins)


def _scorecard_tables(doc, card: Scorecard) -> None:
    from docx.shared import Cm, Pt

    L = _labels(card.language)
    last = card.years[-1]
    for kind in ("strategic", "internal"):
        groups = [g for g in card.areas() if g[0] == kind]
        if not groups:
            continue
        strategic = kind == "strategic"
        header = [L["strategic_areas" if strategic else "internal_areas"]]
        if strategic:
            header.append(L["goal"])
        header += [L["indicator"], *map(str, card.years), f"{L['national']} {last}", f"{L['target']} {last}"]
        rows = [(area, row, n) for _k, area, members in groups for n, row in enumerate(members)]
        table = doc.add_table(rows=1 + len(rows), cols=len(header))
        table.style = "Table Grid"
        table.autofit = False
        _narrow_margins(table)
        # "Kommunövergripande" and "Medarbetare" each fit on one line of their column.
        fixed = 2.3 + (3.4 if strategic else 0)
        figure_cm, side_cm = 1.25, 1.5
        text_cm = max(3.5, PAGE_TEXT_CM - fixed - figure_cm * len(card.years) - 2 * side_cm)
        widths = ([Cm(2.3)] + ([Cm(3.4)] if strategic else []) + [Cm(text_cm)] + [Cm(figure_cm)] * len(card.years)
                  + [Cm(side_cm)] * 2)
        for n, value in enumerate(header):
            _cell(table.rows[0].cells[n], value, bold=True, size=6.5)
        previous_goal = None
        for r, (area, row, n) in enumerate(rows, 1):
            cells = table.rows[r].cells
            values = [area if n == 0 else ""]
            if strategic:
                values.append(row.indicator.goal if row.indicator.goal != previous_goal or n == 0 else "")
                previous_goal = row.indicator.goal
            values.append(row.indicator.title)
            for c, value in enumerate(values):
                _cell(cells[c], value, bold=(c == 0))
            for c, figure in enumerate(row.cells, len(values)):
                mark = f"\u00a0{MARK[figure.judgement]}" if figure.judgement else ""
                _cell(cells[c], _nbsp(f"{figure.text}{figure.marker}") + mark, align_right=True)
            _cell(cells[len(values) + len(row.cells)], _nbsp(row.national), align_right=True)
            _cell(cells[len(values) + len(row.cells) + 1], _nbsp(row.target), align_right=True)
        for row_ in table.rows:
            for c, width in enumerate(widths):
                row_.cells[c].width = width
        from exports.documents.writer import _set_column_widths

        _set_column_widths(table, widths)
        doc.add_paragraph().paragraph_format.space_after = Pt(2)
    for marker, note in card.footnotes:
        paragraph = doc.add_paragraph()
        run = paragraph.add_run(f"{marker + ' ' if marker else ''}{note}")
        run.italic = True
        run.font.size = Pt(8)


REPORT_WORDS = {
    "sv": {"kind_org": "Kvalitetsberättelse", "kind_body": "Årsrapport", "charts": "Utveckling per målområde",
           "meeting_figures": "Mötena {year}", "held": "Genomförda möten", "target": "Mål", "agendas": "Kallelser i tid",
           "minutes": "Protokoll i tid", "approved": "Justerade i tid", "actions": "Åtgärder i tid", "overdue": "Försenade åtgärder",
           "how": "Så har talen räknats", "decisions": "Årets beslut i korthet", "no_decisions": "Inga beslut registrerade.",
           "closed": "{n} beslut i ärenden som inte är offentliga redovisas inte här.", "no_meetings": "Inga möten.",
           "contents": "Innehåll", "legend": "✓ måltalet uppnått · ✗ måltalet inte uppnått", "none": "–"},
    "da": {"kind_org": "Årsrapport", "kind_body": "Årsrapport", "charts": "Udvikling pr. målområde",
           "meeting_figures": "Møderne {year}", "held": "Afholdte møder", "target": "Mål", "agendas": "Dagsordener til tiden",
           "minutes": "Referater til tiden", "approved": "Godkendt til tiden", "actions": "Opfølgning til tiden",
           "overdue": "Opfølgning over tid", "how": "Sådan er tallene regnet", "decisions": "Årets beslutninger i korte træk",
           "no_decisions": "Ingen beslutninger registreret.", "closed": "{n} beslutninger på lukkede punkter vises ikke her.",
           "no_meetings": "Ingen møder.", "contents": "Indhold", "legend": "✓ målet nået · ✗ målet ikke nået", "none": "–"},
    "en": {"kind_org": "Annual report", "kind_body": "Annual report", "charts": "Trends by goal area",
           "meeting_figures": "The meetings {year}", "held": "Meetings held", "target": "Target", "agendas": "Agendas on time",
           "minutes": "Minutes on time", "approved": "Approved on time", "actions": "Actions on time", "overdue": "Overdue actions",
           "how": "How the figures are computed", "decisions": "The year's decisions in short", "no_decisions": "No decisions recorded.",
           "closed": "{n} decisions on closed items are not shown here.", "no_meetings": "No meetings.",
           "contents": "Contents", "legend": "✓ target met · ✗ target missed", "none": "–"},
}


METRIC_COLUMN = {"meetings_held": "held", "agendas_on_time": "agendas", "minutes_sent_on_time": "minutes",
                 "minutes_approved_on_time": "approved", "actions_on_time": "actions", "actions_overdue": "overdue"}
HOW = {
    "sv": {
        "meetings_held": "möten med status genomfört under året, mot forumets mål för antal möten per år.",
        "agendas_on_time": "andel av årets möten (ej inställda) där kallelsen skickades senast på forumets sista dag "
                           "för kallelse (mötesdagen minus forumets antal dagar); möten vars frist inte har passerats räknas inte.",
        "minutes_sent_on_time": "andel av årets genomförda möten där protokollet skickades (eller justerades) senast "
                                "på dagen då protokollet ska vara klart (mötesdagen plus forumets antal dagar).",
        "minutes_approved_on_time": "andel av årets genomförda möten där protokollet justerades senast på fristen "
                                    "för justering (sista dag för synpunkter, annars protokollets frist plus forumets "
                                    "dagar för synpunkter).",
        "actions_on_time": "andel av åtgärderna med förfallodag under året som blev klara senast på förfallodagen, "
                           "av dem som är klara (med datum) eller försenade.",
        "actions_overdue": "åtgärder med förfallodag under året som inte är klara och vars förfallodag har passerats.",
    },
    "da": {
        "meetings_held": "møder med status afholdt i året, mod forummets mål for antal møder om året.",
        "agendas_on_time": "andel af årets møder (ikke aflyste), hvor dagsordenen blev udsendt senest på fristen "
                           "(mødedagen minus forummets antal dage); møder, hvis frist ikke er nået, tælles ikke.",
        "minutes_sent_on_time": "andel af årets afholdte møder, hvor referatet blev udsendt (eller godkendt) senest "
                                "på referatfristen (mødedagen plus forummets antal dage).",
        "minutes_approved_on_time": "andel af årets afholdte møder, hvor referatet blev godkendt senest på fristen "
                                    "(høringsfristen, ellers referatfristen plus forummets dage til bemærkninger).",
        "actions_on_time": "andel af opfølgningerne med frist i året, der blev udført senest på fristen, "
                           "af dem der er udført (med dato) eller over tid.",
        "actions_overdue": "opfølgninger med frist i året, der ikke er udført, og hvis frist er overskredet.",
    },
    "en": {
        "meetings_held": "meetings held in the year, against the body's target of meetings a year.",
        "agendas_on_time": "share of the year's meetings (not cancelled) whose agenda went out by the dispatch "
                           "deadline (the meeting's day less the body's days); meetings whose deadline has not come are not counted.",
        "minutes_sent_on_time": "share of the year's held meetings whose minutes were sent (or approved) by the "
                                "minutes deadline (the meeting's day plus the body's days).",
        "minutes_approved_on_time": "share of the year's held meetings whose minutes were approved by the approval "
                                    "deadline (the comment deadline, else the minutes deadline plus the body's comment days).",
        "actions_on_time": "share of the actions due in the year done by their due date, of those done (with a date) or overdue.",
        "actions_overdue": "actions due in the year, not done, whose due date has passed.",
    },
}


def _figure_text(figure, none: str) -> str:
    if figure is None or figure.value is None:
        return none
    if figure.unit == "percent":
        return f"{format_number(figure.value, 'sv')} % ({figure.numerator}/{figure.denominator})"
    return format_number(figure.value, "sv")


def report_docx(report: Report) -> bytes:
    """The year's report: title, the styrkort tables, a chart per goal area, the meeting figures
    of the bodies it covers with how they were computed, and the year's public decisions in short."""
    from docx import Document
    from docx.shared import Cm, Pt

    language = report.language
    W = REPORT_WORDS.get(language, REPORT_WORDS["en"])
    doc = Document()
    for section in doc.sections:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(1.3)
        section.top_margin = section.bottom_margin = Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.name = "DejaVu Sans"
    normal.font.size = Pt(9.5)
    kind = W["kind_org"] if report.owner_kind == "organisation" else W["kind_body"]
    names = [c.name for c in report.scorecards if c.name]
    title = f"{kind} {report.year}"
    doc.add_heading(title, level=0)
    doc.add_paragraph(", ".join([report.owner_name, *names]))

    for card in report.scorecards:
        doc.add_heading(card.title, level=1)
        legend = doc.add_paragraph(W["legend"])
        legend.runs[0].font.size = Pt(8)
        _scorecard_tables(doc, card)
    charted = [(card, area, rows) for card in report.scorecards for _k, area, rows in card.areas()
               if any(cell.result is not None for row in rows for cell in row.cells)]
    if charted:
        doc.add_heading(W["charts"], level=1)
        for card, area, rows in charted:
            png = area_chart_png(area, rows, card.years, language)
            doc.add_picture(io.BytesIO(png), width=Cm(15.5))

    doc.add_heading(W["meeting_figures"].format(year=report.year), level=1)
    held_bodies = [
        b for b in report.meeting_figures
        if (held := b.figure("meetings_held")) is not None and (held.target_range is not None or held.details)
    ]
    if held_bodies:
        header = [_labels(language)["body"], W["held"], W["target"], W["agendas"], W["minutes"], W["approved"],
                  W["actions"], W["overdue"]]
        table = doc.add_table(rows=1 + len(held_bodies), cols=len(header))
        table.style = "Table Grid"
        for n, value in enumerate(header):
            _cell(table.rows[0].cells[n], value, bold=True)
        for r, one in enumerate(held_bodies, 1):
            held = one.figure("meetings_held")
            target = held.target_range if held is not None else None
            values = [
                one.body.label, _figure_text(held, W["none"]),
                W["none"] if target is None else (str(target[0]) if target[0] == target[1] else f"{target[0]}–{target[1]}"),
                _figure_text(one.figure("agendas_on_time"), W["none"]), _figure_text(one.figure("minutes_sent_on_time"), W["none"]),
                _figure_text(one.figure("minutes_approved_on_time"), W["none"]),
                _figure_text(one.figure("actions_on_time"), W["none"]), _figure_text(one.figure("actions_overdue"), W["none"]),
            ]
            for c, value in enumerate(values):
                _cell(table.rows[r].cells[c], _nbsp(value) if c else value, bold=(c == 0), align_right=(c > 0))
        widths = [Cm(3.6)] + [Cm((PAGE_TEXT_CM - 3.6) / 7)] * 7
        for row_ in table.rows:
            for c, width in enumerate(widths):
                row_.cells[c].width = width
        from exports.documents.writer import _set_column_widths

        _set_column_widths(table, widths)
        doc.add_heading(W["how"], level=2)
        for metric in ("meetings_held", "agendas_on_time", "minutes_sent_on_time", "minutes_approved_on_time",
                       "actions_on_time", "actions_overdue"):
            paragraph = doc.add_paragraph(style="List Bullet")
            head = paragraph.add_run(f"{W[METRIC_COLUMN[metric]]}: ")
            head.bold = True
            head.font.size = Pt(8)
            paragraph.add_run(HOW[language if language in HOW else "en"][metric]).font.size = Pt(8)
    else:
        doc.add_paragraph(W["no_meetings"])

    doc.add_heading(W["decisions"], level=1)
    if report.decisions:
        for decision in report.decisions:
            paragraph = doc.add_paragraph(style="List Bullet")
            head = paragraph.add_run(f"{decision.day.isoformat()} {decision.body} {decision.number} {decision.title}: ".replace("  ", " "))
            head.bold = True
            head.font.size = Pt(8.5)
            text = " ".join(decision.decision.split())
            body = paragraph.add_run(text if len(text) <= 400 else text[:399] + "…")
            body.font.size = Pt(8.5)
    else:
        doc.add_paragraph(W["no_decisions"])
    if report.closed_items:
        doc.add_paragraph(W["closed"].format(n=report.closed_items)).runs[0].italic = True

    props = doc.core_properties
    props.title = title
    props.subject = ", ".join([report.owner_name, *names])
    props.author = report.issued_by[:255]
    props.last_modified_by = report.issued_by[:255]
    props.category = kind
    props.keywords = ""
    props.comments = ""
    props.language = {"sv": "sv-SE", "da": "da-DK"}.get(language, "en-GB")
    props.revision = 1
    props.created = EPOCH
    props.modified = EPOCH
    props.last_printed = EPOCH
    buffer = io.BytesIO()
    doc.save(buffer)
    return _stable_zip(buffer.getvalue())


# -- spreadsheets ------------------------------------------------------------------------------------------


def _sheet_rows(card: Scorecard) -> list[list[object]]:
    L = _labels(card.language)
    last = card.years[-1]
    header: list[object] = ["id", "area", "goal", L["indicator"], "unit",
                            *card.years, f"{L['national']} {last}", f"{L['target']} {last}", "judgement"]
    rows: list[list[object]] = [header]
    for row in card.rows:
        figures: list[object] = []
        for cell in row.cells:
            figures.append(cell.result if cell.result is not None else (cell.text or None))
        last_value = row.indicator.value(last)
        national: object = last_value.national if last_value is not None and last_value.national is not None else (row.national or None)
        target: object = last_value.target if last_value is not None and last_value.target is not None else (row.target or None)
        rows.append([row.indicator.id, row.indicator.area, row.indicator.goal, row.indicator.title, row.indicator.unit,
                     *figures, national, target, row.judgement])
    return rows


def _sheet_name(card: Scorecard, taken: set[str]) -> str:
    base = "".join(ch for ch in f"{card.owner}{'-' + card.name if card.name else ''}" if ch not in "[]:*?/\\")[:28] or "scorecard"
    name, n = base, 2
    while name.lower() in taken:
        name, n = f"{base[:25]}-{n}", n + 1
    taken.add(name.lower())
    return name


def scorecards_xlsx(cards: Sequence[Scorecard]) -> bytes:
    """A sheet per scorecard: id, area, goal, indicator, unit, a column per year (numbers as numbers,
    "–" / "i.u." as text), national average, target, judgement; footnotes below."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for card in cards or ():
        sheet = book.create_sheet(_sheet_name(card, taken))
        sheet.append([card.title])
        sheet["A1"].font = Font(bold=True)
        for values in _sheet_rows(card):
            sheet.append(values)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for note_marker, note in card.footnotes:
            sheet.append([f"{note_marker + ' ' if note_marker else ''}{note}"])
        sheet.column_dimensions["D"].width = 60
        for row in sheet.iter_rows(min_row=3):
            row[3].alignment = Alignment(wrap_text=True, vertical="top")
    if not book.worksheets:
        book.create_sheet("scorecard").append(["no scorecards"])
    props = book.properties
    props.creator = "secretary"
    props.lastModifiedBy = "secretary"
    props.created = EPOCH
    props.modified = EPOCH
    props.title = "Styrkort"
    out = io.BytesIO()
    book.save(out)
    return _stable_xlsx(out.getvalue())


def _stable_xlsx(data: bytes) -> bytes:
    """openpyxl stamps docProps/core.xml's modified with now whatever the properties say: fixed here,
    with the zip entries' times and order."""
    out = io.BytesIO()
    stamp = EPOCH.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        names = sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
        for name in names:
            content = source.read(name)
            if name == "docProps/core.xml":
                import re

                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
                content = re.sub(rb"(<dcterms:created[^>]*>)[^<]*(</dcterms:created>)", rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, content, compresslevel=6)
    return out.getvalue()


def scorecards_csv(cards: Sequence[Scorecard]) -> bytes:
    """One CSV for every scorecard: owner, scorecard, indicator, area, goal, unit, year, result
    (a number with a decimal point, or "not_measured" / "i.u." / ""), target, national, note."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["owner_kind", "owner", "scorecard", "indicator", "title", "area", "goal", "unit", "year",
                     "result", "target", "national", "judgement", "note"])
    for card in cards:
        for row in card.rows:
            for cell in row.cells:
                value = row.indicator.value(cell.year)
                result: object = cell.result if cell.result is not None else ""
                if cell.result is None and value is not None and value.result_missing:
                    result = "not_measured" if value.result_missing == "not_measured" else "i.u."
                national: object = ""
                if value is not None:
                    national = value.national if value.national is not None else ("i.u." if value.national_missing else "")
                target = "" if value is None or value.target is None else value.target
                writer.writerow([card.owner_kind, card.owner, card.name, row.indicator.id, row.indicator.title,
                                 row.indicator.area, row.indicator.goal, row.indicator.unit, cell.year, result, target,
                                 national, cell.judgement or "", cell.note])
    return out.getvalue().encode("utf-8")
