"""The organisation's own .docx template: letterhead, styles, headers and footers.

A template is any Word document (.docx, or a .dotx whose content type is
rewritten): its body is emptied, its styles, page set-up, headers and footers
are kept. It must define the paragraph styles every document uses (Normal, Title, Heading 1);
Subtitle, Heading 3 and List Bullet are used when present.
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from secretary.domain.errors import SecretaryError

REQUIRED_STYLES = ("Normal", "Title", "Heading 1")  # the styles every document uses; others are optional
# Bounds checked before anything is unpacked: a template is letterhead and styles, a few MB.
# (zipfile never inflates a member beyond the size its header declares, so these hold.)
MAX_TEMPLATE_BYTES = 32 * 1024 * 1024  # the .docx file itself (for whoever reads it from disk)
MAX_MEMBER_BYTES = 32 * 1024 * 1024  # one member, unpacked
MAX_UNPACKED_BYTES = 128 * 1024 * 1024  # every member together, unpacked
MAX_MEMBERS = 2000

_DOTX = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_DOCX = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


class TemplateError(SecretaryError):
    title = "Unusable template"


def open_template(template: bytes | None, name: str = "template") -> Document:
    """A python-docx Document to write into: the template emptied, or python-docx's default."""
    if template is None:
        document = docx.Document()
    else:
        document = _load(template, name)
        check_styles(document, name)
        _empty_body(document)
    _drop_thumbnail(document)
    return document


def check_template(template: bytes, name: str = "template") -> None:
    """Raise TemplateError (naming the file and the style) unless `template` can be used."""
    check_styles(_load(template, name), name)


def check_styles(document: Document, name: str) -> None:
    for style_name in REQUIRED_STYLES:
        style = _style(document, style_name)
        if style is None:
            raise TemplateError(
                f"template {name}: style {style_name!r} is missing; "
                f"a template needs the paragraph styles {', '.join(REQUIRED_STYLES)}"
            )


def _style(document: Document, style_name: str):
    try:
        style = document.styles[style_name]
    except KeyError:
        return None
    return style if style.type == WD_STYLE_TYPE.PARAGRAPH else None


def has_style(document: Document, style_name: str) -> bool:
    return _style(document, style_name) is not None


def _check_bounds(archive: zipfile.ZipFile, name: str, size: int) -> None:
    if size > MAX_TEMPLATE_BYTES:
        raise TemplateError(f"template {name}: the file is {size} bytes, more than the limit of {MAX_TEMPLATE_BYTES}")
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise TemplateError(f"template {name}: {len(members)} parts, more than the limit of {MAX_MEMBERS}")
    total = 0
    for info in members:
        if info.file_size > MAX_MEMBER_BYTES:
            raise TemplateError(
                f"template {name}: part {info.filename!r} unpacks to {info.file_size} bytes, more than the limit of {MAX_MEMBER_BYTES}"
            )
        total += info.file_size
    if total > MAX_UNPACKED_BYTES:
        raise TemplateError(f"template {name}: its parts unpack to {total} bytes, more than the limit of {MAX_UNPACKED_BYTES}")


def _load(template: bytes, name: str) -> Document:
    try:
        with zipfile.ZipFile(io.BytesIO(template)) as archive:
            _check_bounds(archive, name, len(template))
            types = archive.read("[Content_Types].xml")
            if _DOTX in types:
                template = _rewrite_entry(archive, "[Content_Types].xml", types.replace(_DOTX, _DOCX))
    except (zipfile.BadZipFile, KeyError, OSError):
        raise TemplateError(f"template {name}: not a Word document (.docx)") from None
    try:
        return docx.Document(io.BytesIO(template))
    except Exception as exc:  # python-docx raises ValueError, KeyError, lxml errors …
        raise TemplateError(f"template {name}: not a usable Word document ({type(exc).__name__})") from None


def _rewrite_entry(archive: zipfile.ZipFile, entry: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            target.writestr(info, data if info.filename == entry else archive.read(info.filename))
    return out.getvalue()


def _empty_body(document: Document) -> None:
    """Remove the template's body text; keep the final section (page set-up, header/footer links)."""
    body = document.element.body
    for child in list(body):
        if child.tag.endswith("}sectPr"):
            continue
        body.remove(child)


def _drop_thumbnail(document: Document) -> None:
    """A template's (or python-docx's) preview picture would show another document."""
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]
