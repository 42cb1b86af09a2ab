"""Building blocks shared by the agenda and the minutes: paragraphs, fields, the page, the package.

Every string that came from a user passes through `exports.text.clean` here,
so no caller can forget it. The finished package is rewritten with fixed
timestamps and a stable entry order: the same data gives the same bytes.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable

from babel.dates import format_date, format_time
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from lxml.etree import SubElement

from exports.documents.labels import labels
from exports.documents.template import has_style, open_template
from exports.text import clean
from secretary.domain.model import Body, Meeting

A4 = (Cm(21.0), Cm(29.7))
LONG_LIST = 6
# Without a template: one sans-serif face for the whole document, as municipal documents use.
DEFAULT_FONT = ("Arial", Pt(10.5))
_BLANK_LINES = re.compile(r"\n[ \t]*\n+")
_BULLET = re.compile(r"^[ \t]*[-•*][ \t]+")
_SUBHEADING = re.compile(r"^[ \t]*#{1,3}[ \t]+")
# Letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko … and their presentation forms).
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
LINK_SCHEMES = ("http://", "https://", "mailto:")
# Placeholders a template's header or footer may hold (README, "Templates").
PLACEHOLDERS = ("{{page}}", "{{pages}}", "{{document}}", "{{signature}}")
_PLACEHOLDER = re.compile(r"(\{\{(?:page|pages|document|signature)\}\})")

_APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>secretary</Application><DocSecurity>0</DocSecurity>"
    "<Company>{company}</Company></Properties>"
)


def text(value: object) -> str:
    """User text made safe for XML, with one kind of line break."""
    if value is None:
        return ""
    return clean(str(value)).replace("\r\n", "\n").replace("\r", "\n")


def xml_escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class DocxWriter:
    """One document being written in a body's language."""

    def __init__(
        self,
        meeting: Meeting,
        body: Body,
        secretariat: str,
        template: bytes | None,
        template_name: str = "template",
    ):
        self.meeting = meeting
        self.body = body
        self.secretariat = secretariat
        self.L = labels(body.language)
        self.locale = self.L["locale"]
        self.templated = template is not None
        self.doc: Document = open_template(template, template_name)
        # python-docx looks a style up by scanning every style on each use; resolve the ids once.
        self._style_ids = {
            name: self.doc.styles[name].style_id
            for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "List Bullet")
            if has_style(self.doc, name)
        }
        self._list_style = "List Bullet" if "List Bullet" in self._style_ids else None
        self._has_heading3 = "Heading 3" in self._style_ids
        self._break_before_heading = False
        # python-docx inserts each paragraph before the body's sectPr by scanning the
        # whole body: quadratic. Detach sectPr while writing, append, put it back in finish().
        self._body = self.doc.element.body
        self._sect_pr = self._body.sectPr
        if self._sect_pr is not None:
            self._body.remove(self._sect_pr)
        if not self.templated:
            self.doc.styles["Normal"].font.size = DEFAULT_FONT[1]
            title = self.doc.styles["Title"]
            title.font.size = Pt(20)
            title.paragraph_format.space_after = Pt(6)
            for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet"):
                _set_font(self.doc.styles[name], DEFAULT_FONT[0])

    # -- dates -------------------------------------------------------------------

    def local(self, moment: dt.datetime) -> dt.datetime:
        from zoneinfo import ZoneInfo

        return moment.astimezone(ZoneInfo(self.body.timezone))

    def long_date(self, day: dt.date, weekday: bool = False) -> str:
        if self.body.language == "en":
            return format_date(day, "EEEE d MMMM y" if weekday else "d MMMM y", locale=self.locale)
        value = format_date(day, "full" if weekday else "long", locale=self.locale)
        return value

    def line_date(self, day: dt.date, weekday: bool = True) -> str:
        """A date that starts a line: Danish and Swedish capitalise the weekday there."""
        value = self.long_date(day, weekday)
        return value[:1].upper() + value[1:]

    def clock(self, moment: dt.datetime) -> str:
        # Danish and Swedish write 09.00 (Retskrivningsordbogen, Språkrådet); English 09:00.
        pattern = "HH:mm" if self.body.language == "en" else "HH.mm"
        return format_time(moment, pattern, locale=self.locale)

    def time_span(self, start: dt.datetime | None = None, end: dt.datetime | None = None) -> str:
        start, end = self.local(start or self.meeting.start), self.local(end or self.meeting.end)
        span = self.L["time_value"].format(start=self.clock(start), end=self.clock(end))
        if end.date() != start.date():
            span += f" ({self.long_date(end.date())})"
        return span

    # -- paragraphs ----------------------------------------------------------------

    def add_paragraph(self, value: str = ""):
        """A new paragraph at the end of the body, its text already safe."""
        element = OxmlElement("w:p")
        self._body.append(element)
        paragraph = Paragraph(element, self.doc._body)
        if value:
            add_run(paragraph, value)
        return paragraph

    def styled(self, value: str, style: str):
        """A paragraph in one of the styles resolved at start (the template's own)."""
        paragraph = self.add_paragraph(text(value))
        paragraph._p.get_or_add_pPr().style = self._style_ids[style]
        return paragraph

    def has(self, style: str) -> bool:
        return style in self._style_ids

    def title(self, value: str) -> None:
        self.styled(value, "Title")

    def heading(self, value: str, level: int = 1, keep_with_next: bool = True):
        paragraph = self.styled(value, f"Heading {level}")
        if self._break_before_heading:
            paragraph.paragraph_format.page_break_before = True
            self._break_before_heading = False
        paragraph.paragraph_format.keep_with_next = keep_with_next
        return paragraph

    def subheading(self, value: str) -> None:
        """A part of an item (Sagsfremstilling, Beslut …): Heading 3 when there is one."""
        if self._has_heading3:
            self.heading(value, 3)
            return
        paragraph = self.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.space_before = Pt(8)
        add_run(paragraph, text(value), bold=True)

    def label(self, value: str, size: float | None = None) -> None:
        """A small bold caption kept with what follows (the Swedish first page's parts)."""
        paragraph = self.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.space_before = Pt(6)
        paragraph.paragraph_format.space_after = Pt(0)
        add_run(paragraph, text(value), bold=True, size=size)

    def paragraph(self, value: str = "", *, italic: bool = False, bold: bool = False, size: float | None = None):
        paragraph = self.add_paragraph()
        if value:
            add_run(paragraph, text(value), bold=bold, italic=italic, size=size)
        return paragraph

    def prose(self, value: str | None) -> None:
        """User text with its structure: blank lines separate paragraphs, single newlines break
        lines, lines beginning "- " or "• " (or "* ") are a bulleted list, lines beginning "# " a
        sub-heading (bold, kept with what follows)."""
        body = text(value).strip("\n")
        if not body.strip():
            return
        for block in _BLANK_LINES.split(body):
            lines: list[str] = []
            for line in block.split("\n"):
                if _BULLET.match(line):
                    self._flush(lines)
                    self.bullet(_BULLET.sub("", line, count=1))
                elif _SUBHEADING.match(line):
                    self._flush(lines)
                    heading = self.add_paragraph()
                    heading.paragraph_format.keep_with_next = True
                    heading.paragraph_format.space_before = Pt(6)
                    add_run(heading, _SUBHEADING.sub("", line, count=1).strip(), bold=True)
                elif line.strip():
                    lines.append(line)
            self._flush(lines)

    def _flush(self, lines: list[str]) -> None:
        if lines:
            add_run(self.add_paragraph(), "\n".join(lines))
            lines.clear()

    def bullet(self, value: str):
        if self._list_style:
            return self.styled(value, self._list_style)
        paragraph = self.add_paragraph("•\t" + text(value))
        paragraph.paragraph_format.left_indent = Cm(0.63)
        paragraph.paragraph_format.first_line_indent = Cm(-0.63)
        paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(0.63))
        return paragraph

    def link_bullet(self, title: str, href: str) -> None:
        """A list entry whose title is a real hyperlink (http, https, mailto); other addresses as text."""
        href = text(href).strip()
        if not href.lower().startswith(LINK_SCHEMES):
            self.bullet(f"{title} ({href})" if href else title)
            return
        paragraph = self.bullet("")
        add_hyperlink(paragraph, text(title), href)

    def labelled(self, pairs: Iterable[tuple[str, str]], separator: str = "   ") -> None:
        """One line of `Label: value` pairs (case number, kind, presenter)."""
        paragraph = self.add_paragraph()
        first = True
        for label, value in pairs:
            if not first:
                add_run(paragraph, separator)
            first = False
            add_run(paragraph, f"{label}: ", bold=True)
            add_run(paragraph, text(value))
        paragraph.paragraph_format.space_after = Pt(4)

    def facts(
        self,
        rows: Iterable[tuple[str, list[str]]],
        label_cm: float = 5.2,
        *,
        size: float | None = None,
        join_long: bool = True,
        trailing: bool = True,
    ) -> None:
        """A borderless two-column table: label on the left, one line per value on the right
        (`join_long`: more than six values as one paragraph); `size` in points."""
        rows = [(label, values) for label, values in rows if values]
        if not rows:
            return
        table = self.doc._body.add_table(len(rows), 2, Cm(16))  # sectPr is detached: no page width to ask
        table.autofit = False
        widths = (Cm(label_cm), Cm(16 - label_cm))  # 5.2: 'Sammanträdesdatum' fits on one line
        for row, (label, values) in zip(table.rows, rows, strict=True):
            left, right = row.cells
            left.width, right.width = widths
            add_run(left.paragraphs[0], text(label), bold=True, size=size)
            if join_long and len(values) > LONG_LIST:
                values = ["; ".join(values)]  # 20 municipalities read better as one paragraph
            first = right.paragraphs[0]
            for index, value in enumerate(values):
                paragraph = first if index == 0 else right.add_paragraph()
                add_run(paragraph, text(value), size=size)
            for paragraph in (*left.paragraphs, *right.paragraphs):
                paragraph.paragraph_format.space_after = Pt(0)
                paragraph.paragraph_format.space_before = Pt(0)
            right.paragraphs[-1].paragraph_format.space_after = Pt(2 if size else 4)
        _set_column_widths(table, widths)
        if trailing:
            self.add_paragraph()

    def grid(self, rows: list[list[tuple[str, str]]], widths_cm: tuple[float, float, float, float],
             size: float | None = None) -> None:
        """A borderless four-column table of label/value pairs, one or two pairs a row (a single
        pair's value spans the rest of the row): the Swedish anslag in few lines."""
        table = self.doc._body.add_table(len(rows), 4, Cm(sum(widths_cm)))
        table.autofit = False
        widths = [Cm(v) for v in widths_cm]
        for row, pairs in zip(table.rows, rows, strict=True):
            cells = row.cells
            for cell, width in zip(cells, widths, strict=True):
                cell.width = width
            table_cells = cells
            if len(pairs) == 1:
                merged = cells[1].merge(cells[3])
                merged.width = Cm(sum(widths_cm[1:]))
                slots = [(cells[0], merged)]
            else:
                slots = [(cells[0], cells[1]), (cells[2], cells[3])]
            for (label_cell, value_cell), (label, value) in zip(slots, pairs, strict=False):
                add_run(label_cell.paragraphs[0], text(label), bold=True, size=size)
                add_run(value_cell.paragraphs[0], text(value), size=size)
            for cell in table_cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.space_after = Pt(2)
                    paragraph.paragraph_format.space_before = Pt(0)
        _set_column_widths(table, widths)

    def signature(self, role: str, name: str = "") -> None:
        """A signature line with the role beneath (Swedish justering)."""
        line = self.add_paragraph("_" * 40)
        line.paragraph_format.space_before = Pt(12)
        line.paragraph_format.space_after = Pt(0)
        line.paragraph_format.keep_with_next = True
        caption = self.add_paragraph()
        add_run(caption, text(role), bold=True)
        if name:
            add_run(caption, f"   {text(name)}")

    def signatures_side_by_side(self, signers: list[tuple[str, str]]) -> None:
        """Signature lines beside each other (half the width each), role and name beneath each."""
        table = self.doc._body.add_table(1, len(signers), Cm(8 * len(signers)))
        table.autofit = False
        width = Cm(8)
        for cell, (role, name) in zip(table.rows[0].cells, signers, strict=True):
            cell.width = width
            line = cell.paragraphs[0]
            add_run(line, "_" * 30)
            line.paragraph_format.space_before = Pt(10)
            line.paragraph_format.space_after = Pt(0)
            caption = cell.add_paragraph()
            add_run(caption, text(role), bold=True)
            if name:
                add_run(caption, f"   {text(name)}")
            caption.paragraph_format.space_after = Pt(0)
        _set_column_widths(table, [width] * len(signers))

    def new_page_at_next_heading(self) -> None:
        """Start the next heading on a new page (no empty page when the page is full).

        A trailing empty paragraph (after a table) is dropped: on a full page it
        would spill onto a page of its own, and the break would leave that page blank.
        """
        last = self._body[-1] if len(self._body) else None
        if last is not None and last.tag == qn("w:p") and not "".join(last.itertext()).strip():
            self._body.remove(last)
        self._break_before_heading = True

    # -- finishing -------------------------------------------------------------------

    def finish(
        self,
        title: str,
        subject: str,
        category: str,
        header: str,
        status: str = "",
        keywords: str = "",
        comments: str = "",
        signature: str = "",
    ) -> bytes:
        """The package; `status` (e.g. "Udkast", "Ej justerat") goes to the content status and
        keywords; `signature` ("Justerandes signatur") is printed in every page's footer."""
        if self._sect_pr is not None:
            self._body.append(self._sect_pr)
        self._page_setup()
        self._languages()
        self._right_to_left()
        self._header_footer(header, signature)
        when = self.meeting.last_modified or self.meeting.start
        when = when.astimezone(dt.UTC).replace(microsecond=0)
        props = self.doc.core_properties
        props.title = text(title)[:255]
        props.subject = text(subject)[:255]
        props.category = category
        props.author = text(self.secretariat)[:255]
        props.last_modified_by = text(self.secretariat)[:255]
        props.comments = text(comments)[:255]
        props.keywords = text("; ".join(p for p in (status, keywords) if p))[:255]
        if status:
            props.content_status = text(status)[:255]
        props.language = self.L["word_lang"]
        props.revision = 1
        props.created = when.replace(tzinfo=None)
        props.modified = when.replace(tzinfo=None)
        buffer = io.BytesIO()
        self.doc.save(buffer)
        app = _APP_XML.format(company=xml_escape(text(self.secretariat))).encode()
        return stable_zip(buffer.getvalue(), when, {"docProps/app.xml": app})

    def _page_setup(self) -> None:
        for section in self.doc.sections:
            section.page_width, section.page_height = A4
            if not self.templated:
                section.left_margin = section.right_margin = Cm(2.5)
                section.top_margin = Cm(2.5)
                section.bottom_margin = Cm(2.2)
                section.header_distance = section.footer_distance = Cm(1.2)

    def _languages(self) -> None:
        """Spell-checking language in the styles: the defaults and every style that sets its own."""
        lang = self.L["word_lang"]
        styles = self.doc.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        if defaults is None:
            defaults = OxmlElement("w:docDefaults")
            styles.insert(0, defaults)
        rpr_default = _child(defaults, "w:rPrDefault", first=True)
        rpr = _child(rpr_default, "w:rPr")
        _child(rpr, "w:lang").set(qn("w:val"), lang)
        for element in styles.iter(qn("w:lang")):
            element.set(qn("w:val"), lang)

    def _right_to_left(self) -> None:
        """Paragraphs whose first letter is of a right-to-left script read right to left (w:bidi),
        and their runs of such letters are marked w:rtl."""
        if not any(_RTL.search(t.text or "") for t in self._body.iter(_W_T)):
            return
        for paragraph in self._body.iter(qn("w:p")):
            runs = paragraph.findall(f".//{_W_R}")
            letters = "".join(t.text or "" for t in paragraph.iter(_W_T))
            if not _RTL.search(letters):
                continue
            if _first_strong_is_rtl(letters):
                ppr = paragraph.find(qn("w:pPr"))
                if ppr is None:
                    ppr = OxmlElement("w:pPr")
                    paragraph.insert(0, ppr)
                bidi = OxmlElement("w:bidi")
                ppr.insert(1 if ppr.find(qn("w:pStyle")) is not None else 0, bidi)
            for run in runs:
                if _RTL.search("".join(t.text or "" for t in run.iter(_W_T))):
                    rpr = run.find(_W_RPR)
                    if rpr is None:
                        rpr = OxmlElement("w:rPr")
                        run.insert(0, rpr)
                    rpr.append(OxmlElement("w:rtl"))

    def _header_footer(self, header_text: str, signature: str) -> None:
        """Page header and footer. Without a template: the identification in the header, the page
        number in the footer. A template keeps its own header and footer (the letterhead): its
        placeholders {{page}}, {{pages}}, {{document}} and {{signature}} are filled in, and what has
        no place there (page numbers, unless the template has its own PAGE field; the identification,
        unless the header is empty) goes in a footer line of its own."""
        if not self.templated:
            section = self.doc.sections[0]
            for part in (section.header, section.footer):
                part.is_linked_to_previous = False
                for paragraph in part.paragraphs:
                    for child in list(paragraph._p):
                        if not child.tag.endswith("}pPr"):
                            paragraph._p.remove(child)
            head = section.header.paragraphs[0]
            add_run(head, text(header_text), size=8)
            head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            foot = section.footer.paragraphs[0]
            if signature:  # one line: the boxes to initial on the left, the page number on the right
                _signature_line(foot, signature)
                foot.paragraph_format.tab_stops.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.RIGHT)
                add_run(foot, "\t", size=8)
            else:
                foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _page_x_of_y(foot, self.L["page"])
            return
        values = {"{{document}}": text(header_text), "{{signature}}": signature}
        placed: set[str] = set()
        has_page_field = False
        for section in self.doc.sections:
            parts: list = [section.header, section.footer]
            if section.different_first_page_header_footer:
                parts += [section.first_page_header, section.first_page_footer]
            for part in parts:
                if part.is_linked_to_previous:
                    continue
                placed |= _fill_placeholders(part._element, values)
                has_page_field = has_page_field or _has_page_field(part._element)
        section = self.doc.sections[0]
        header_empty = section.header.is_linked_to_previous or _is_empty(section.header._element)
        lines: list[tuple[str, bool]] = []  # (text, with page numbers)
        if "{{document}}" not in placed and header_empty:
            section.header.is_linked_to_previous = False
            head = section.header.paragraphs[0]
            add_run(head, text(header_text), size=8)
            head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            placed.add("{{document}}")
        identification = "" if "{{document}}" in placed else text(header_text)
        if identification.startswith(f"{text(self.secretariat)} · "):  # the letterhead names the issuer already
            identification = identification[len(text(self.secretariat)) + 3:]
        page = not has_page_field and "{{page}}" not in placed
        if identification or page:
            lines.append((identification, page))
        footers = [section.footer]
        if section.different_first_page_header_footer:
            footers.append(section.first_page_footer)
        for footer in footers:
            footer.is_linked_to_previous = False
            if signature and "{{signature}}" not in placed:
                _signature_line(_new_paragraph(footer), signature)
            for identification_text, with_page in lines:
                paragraph = _new_paragraph(footer)
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                if identification_text:
                    add_run(paragraph, identification_text + ("  ·  " if with_page else ""), size=8)
                if with_page:
                    _page_x_of_y(paragraph, self.L["page"])


def _first_strong_is_rtl(value: str) -> bool:
    import unicodedata

    for char in value:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def _new_paragraph(part):
    """A paragraph at the end of a header or footer (its first when that one is empty)."""
    paragraphs = part.paragraphs
    if len(paragraphs) == 1 and _is_empty(paragraphs[0]._p):
        return paragraphs[0]
    return part.add_paragraph()


def _is_empty(element) -> bool:
    """No text, no field, no picture."""
    if "".join(t.text or "" for t in element.iter(_W_T)).strip():
        return False
    return not element.xpath(".//w:fldSimple|.//w:fldChar|.//w:drawing|.//w:pict")


def _has_page_field(element) -> bool:
    codes = [e.get(qn("w:instr")) or "" for e in element.iter(qn("w:fldSimple"))]
    codes += [e.text or "" for e in element.iter(qn("w:instrText"))]
    return any(code.split()[:1] == ["PAGE"] for code in codes)


def _signature_line(paragraph, label: str) -> None:
    """'Justerandes signatur' with boxes to initial on every page (a footer line)."""
    add_run(paragraph, f"{label}:  ", size=8, bold=True)
    add_run(paragraph, "__________   __________", size=8)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT


def _fill_placeholders(part_element, values: dict[str, str]) -> set[str]:
    """Replace {{page}}, {{pages}}, {{document}} and {{signature}} in a header or footer; returns
    those found. A placeholder may be split over several runs (Word does that): consecutive runs
    holding only text are joined first, keeping the first run's formatting."""
    found: set[str] = set()
    for paragraph in part_element.iter(qn("w:p")):
        if "{{" not in "".join(t.text or "" for t in paragraph.iter(_W_T)):
            continue
        children = list(paragraph)
        index = 0
        while index < len(children):
            group = []
            while index < len(children) and _text_only_run(children[index]):
                group.append(children[index])
                index += 1
            if not group:
                index += 1
                continue
            joined = "".join(t.text or "" for run in group for t in run.iter(_W_T))
            if not _PLACEHOLDER.search(joined):
                continue
            position = paragraph.index(group[0])
            rpr = group[0].find(_W_RPR)
            for run in group:
                paragraph.remove(run)
            new_runs = []
            for piece in _PLACEHOLDER.split(joined):
                if not piece:
                    continue
                if piece in ("{{page}}", "{{pages}}"):
                    found.add(piece)
                    new_runs += _field_runs("PAGE" if piece == "{{page}}" else "NUMPAGES", rpr)
                    continue
                if piece in values:
                    found.add(piece)
                    piece = values[piece] or ""
                    if not piece:
                        continue
                run = OxmlElement("w:r")
                if rpr is not None:
                    run.append(copy.deepcopy(rpr))
                element = SubElement(run, _W_T)
                element.text = piece
                element.set(_XML_SPACE, "preserve")
                new_runs.append(run)
            for offset, run in enumerate(new_runs):
                paragraph.insert(position + offset, run)
    return found


def _text_only_run(element) -> bool:
    if element.tag != _W_R:
        return False
    return all(child.tag in (_W_RPR, _W_T) for child in element)


def _field_runs(code: str, rpr) -> list:
    runs = []
    for kind in ("begin", "instr", "separate", "value", "end"):
        run = OxmlElement("w:r")
        if rpr is not None:
            run.append(copy.deepcopy(rpr))
        if kind == "instr":
            instr = SubElement(run, qn("w:instrText"))
            instr.text = f" {code} "
            instr.set(_XML_SPACE, "preserve")
        elif kind == "value":
            SubElement(run, _W_T).text = "1"
        else:
            SubElement(run, qn("w:fldChar")).set(qn("w:fldCharType"), kind)
        runs.append(run)
    return runs


def add_hyperlink(paragraph, title: str, href: str) -> None:
    """A real hyperlink (an external relationship), blue and underlined."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    rel_id = paragraph.part.relate_to(href, RT.HYPERLINK, is_external=True)
    link = SubElement(paragraph._p, qn("w:hyperlink"))
    link.set(qn("r:id"), rel_id)
    run = SubElement(link, _W_R)
    properties = SubElement(run, _W_RPR)
    SubElement(properties, qn("w:color")).set(_W_VAL, "0563C1")
    SubElement(properties, qn("w:u")).set(_W_VAL, "single")
    element = SubElement(run, _W_T)
    element.text = title
    element.set(_XML_SPACE, "preserve")


_W_R, _W_RPR, _W_T, _W_BR, _W_TAB = (qn(t) for t in ("w:r", "w:rPr", "w:t", "w:br", "w:tab"))
_W_B, _W_I, _W_SZ, _W_VAL, _XML_SPACE = (qn(t) for t in ("w:b", "w:i", "w:sz", "w:val", "xml:space"))


def add_run(paragraph, value: str, *, bold: bool = False, italic: bool = False, size: float | None = None) -> None:
    """Append a run as python-docx's `add_run(value)` would write it, without its per-element
    schema look-ups (they dominate the time of a long document): tab → w:tab, newline → w:br."""
    run = SubElement(paragraph._p, _W_R)
    if bold or italic or size:
        properties = SubElement(run, _W_RPR)
        if bold:
            SubElement(properties, _W_B)
        if italic:
            SubElement(properties, _W_I)
        if size:
            SubElement(properties, _W_SZ).set(_W_VAL, str(int(size * 2)))
    for piece in _PIECES.split(value):
        if piece == "\t":
            SubElement(run, _W_TAB)
        elif piece in ("\n", "\r"):
            SubElement(run, _W_BR)
        elif piece:
            element = SubElement(run, _W_T)
            element.text = piece
            if len(piece.strip()) < len(piece):
                element.set(_XML_SPACE, "preserve")


_PIECES = re.compile(r"([\t\n\r])")


def _set_font(style, name: str) -> None:
    """The Latin font (w:ascii, w:hAnsi) only: complex scripts (Arabic, Hebrew) and East Asian
    text keep their own fonts, and emoji fall back to an emoji font in Word and LibreOffice."""
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme"):
        if qn(attribute) in fonts.attrib:
            del fonts.attrib[qn(attribute)]
    for attribute in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attribute), name)


def _page_x_of_y(paragraph, pattern: str) -> None:
    """'Side {PAGE} af {NUMPAGES}' with real PAGE and NUMPAGES fields."""
    for piece in re.split(r"(\{PAGE\}|\{NUMPAGES\})", pattern):
        if piece in ("{PAGE}", "{NUMPAGES}"):
            _field(paragraph, piece.strip("{}"))
        elif piece:
            paragraph.add_run(piece).font.size = Pt(8)


def _field(paragraph, code: str) -> None:
    def fld_char(kind: str):
        run = paragraph.add_run()
        run.font.size = Pt(8)
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    fld_char("begin")
    run = paragraph.add_run()
    run.font.size = Pt(8)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    run._r.append(instr)
    fld_char("separate")
    paragraph.add_run("1").font.size = Pt(8)
    fld_char("end")


def _child(parent, tag: str, first: bool = False):
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found


def _set_column_widths(table, widths) -> None:
    """Word reads w:gridCol, LibreOffice the cell widths: set both."""
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=False):
        col.set(qn("w:w"), str(int(width.twips)))


def stable_zip(data: bytes, when: dt.datetime, replace: dict[str, bytes] | None = None) -> bytes:
    """Rewrite a .docx with one fixed timestamp and a stable order of entries.

    [Content_Types].xml first (some readers expect it), then the rest by name.
    """
    replace = replace or {}
    stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.UTC))
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second - stamp.second % 2)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        names = sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, replace.get(name, source.read(name)), compresslevel=6)
    return out.getvalue()

