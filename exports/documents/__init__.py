"""Word agendas and minutes: pure functions from a meeting to .docx bytes.

`agenda_docx`, `minutes_docx` and `extract_docx` (one item) are the entry points; `DocumentContext` holds
what a document needs beyond the meeting and its body.
"""

from exports.documents.agenda import agenda_docx
from exports.documents.context import DocumentContext, build_context
from exports.documents.extract import extract_docx, find_item
from exports.documents.minutes import minutes_docx
from exports.documents.template import REQUIRED_STYLES, TemplateError, check_template

__all__ = [
    "REQUIRED_STYLES",
    "DocumentContext",
    "TemplateError",
    "agenda_docx",
    "build_context",
    "check_template",
    "extract_docx",
    "find_item",
    "minutes_docx",
]
