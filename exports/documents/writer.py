"""Building blocks shared by the agenda and the minutes: paragraphs, fields, the page, the package.

Every string that came from a user passes through `exports.text.clean` here,
so no caller can forget it. The finished package is rewritten with fixed
timestamps and a stable entry order: the same data gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable

from babel.dates import format_date, format_time
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
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

    def paragraph(self, value: str = "", *, italic: bool = False, bold: bool = False, size: float | None = None):
        paragraph = self.add_paragraph()
        if value:
            add_run(paragraph, text(value), bold=bold, italic=italic, size=size)
        return paragraph

    def prose(self, value: str | None) -> None:
        """User text: blank lines separate paragraphs, single newlines break lines."""
        body = text(value).strip("\n")
        if not body.strip():
            return
        for block in _BLANK_LINES.split(body):
            if block.strip():
                add_run(self.add_paragraph(), block)

    def bullet(self, value: str) -> None:
        if self._list_style:
            self.styled(value, self._list_style)
        else:
            self.add_paragraph("• " + text(value))

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

    def facts(self, rows: Iterable[tuple[str, list[str]]], label_cm: float = 5.2) -> None:
        """A borderless two-column table: label on the left, one line per value on the right."""
        rows = [(label, values) for label, values in rows if values]
        if not rows:
            return
        table = self.doc._body.add_table(len(rows), 2, Cm(16))  # sectPr is detached: no page width to ask
        table.autofit = False
        widths = (Cm(label_cm), Cm(16 - label_cm))  # 5.2: 'Sammanträdesdatum' fits on one line
        for row, (label, values) in zip(table.rows, rows, strict=True):
            left, right = row.cells
            left.width, right.width = widths
            add_run(left.paragraphs[0], text(label), bold=True)
            if len(values) > LONG_LIST:
                values = ["; ".join(values)]  # 20 municipalities read better as one paragraph
            first = right.paragraphs[0]
            for index, value in enumerate(values):
                paragraph = first if index == 0 else right.add_paragraph()
                add_run(paragraph, text(value))
            for paragraph in (*left.paragraphs, *right.paragraphs):
                paragraph.paragraph_format.space_after = Pt(0)
                paragraph.paragraph_format.space_before = Pt(0)
            right.paragraphs[-1].paragraph_format.space_after = Pt(4)
        _set_column_widths(table, widths)
        self.add_paragraph()

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
        """Two signature lines beside each other (the two justerare), role and name beneath each."""
        table = self.doc._body.add_table(1, len(signers), Cm(16))
        table.autofit = False
        width = Cm(16 / len(signers))
        for cell, (role, name) in zip(table.rows[0].cells, signers, strict=True):
            cell.width = width
            line = cell.paragraphs[0]
            add_run(line, "_" * 30)
            line.paragraph_format.space_before = Pt(12)
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

    def finish(self, title: str, subject: str, category: str, header: str, status: str = "") -> bytes:
        """The package; `status` (e.g. "Udkast", "Ej justerat") goes to the content status and keywords."""
        if self._sect_pr is not None:
            self._body.append(self._sect_pr)
        self._page_setup()
        self._languages()
        if not self.templated or not _has_own_footer(self.doc):
            self._header_footer(header)
        when = self.meeting.last_modified or self.meeting.start
        when = when.astimezone(dt.UTC).replace(microsecond=0)
        props = self.doc.core_properties
        props.title = text(title)[:255]
        props.subject = text(subject)[:255]
        props.category = category
        props.author = text(self.secretariat)[:255]
        props.last_modified_by = text(self.secretariat)[:255]
        props.comments = ""
        props.keywords = text(status)[:255]
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

    def _header_footer(self, header_text: str) -> None:
        section = self.doc.sections[0]
        for part in (section.header, section.footer):
            part.is_linked_to_previous = False
            for paragraph in part.paragraphs:
                for child in list(paragraph._p):
                    if not child.tag.endswith("}pPr"):
                        paragraph._p.remove(child)
        head = section.header.paragraphs[0]
        run = head.add_run(text(header_text))
        run.font.size = Pt(8)
        head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        foot = section.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_x_of_y(foot, self.L["page"])


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
    """A font for every script; theme attributes would win over the names, so drop them."""
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme"):
            del fonts.attrib[attribute]
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), name)


def _has_own_footer(document: Document) -> bool:
    """True when the template's first section has a footer with something in it."""
    section = document.sections[0]
    footer = section.footer
    if footer.is_linked_to_previous:
        return False
    return any(p.text.strip() for p in footer.paragraphs) or bool(footer._element.xpath(".//w:fldSimple|.//w:fldChar|.//w:drawing"))


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

