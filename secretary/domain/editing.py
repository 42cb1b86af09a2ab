"""What the editing services share: validated construction, new ids, undo records.

Kept apart from services.py so that the agenda, registry and overview mixins
can use it without importing the Secretary class (no import cycle).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import ValidationError

from secretary.domain.changes import Written
from secretary.domain.errors import InvalidField, StaleEdit
from secretary.domain.messages import product_message
from secretary.domain.model import FieldError, Record
from secretary.i18n import _

T = TypeVar("T", bound=Record)


def field_error(exc: ValidationError, where: str) -> InvalidField:
    """The first problem of a pydantic error as one field, value and message."""
    err = exc.errors()[0]
    path = ".".join(str(part) for part in err["loc"])
    cause = (err.get("ctx") or {}).get("error")
    if isinstance(cause, FieldError):
        name = f"{path}.{cause.field}" if path else cause.field
        return InvalidField(where, name, cause.value, cause.message)
    message = product_message(err)
    value = None if err["type"] == "missing" else err.get("input")
    return InvalidField(where, path or "object", value, message)


def build(model: type[T], data: dict[str, Any], where: str) -> T:
    """Validate `data` as `model` (strings parse as dates etc.); InvalidField on the first problem."""
    try:
        return model.model_validate(data, strict=False)
    except ValidationError as exc:
        raise field_error(exc, where) from None


def changed(obj: T, where: str, **changes: Any) -> T:
    """`obj.replace(**changes)` with the problem reported as InvalidField."""
    try:
        return obj.replace(**changes)
    except ValidationError as exc:
        raise field_error(exc, where) from None


def refuse_stale(where: str, current: Record, based_on: Record | None, written: Written | None = None) -> None:
    """StaleEdit when the stored object (`current`, read inside the transaction) is no longer the
    copy a form was filled from (`based_on`): naming the fields that differ, and who changed it
    and when if the store keeps that. Nothing is written over another's acknowledged change."""
    if based_on is None or current == based_on:
        return
    fields = ", ".join(name for name in type(current).model_fields if getattr(current, name) != getattr(based_on, name))
    if written is not None:
        raise StaleEdit(_(
            "{what} was changed elsewhere, by {who} at {when}, since this form was opened (fields: {fields}); "
            "nothing was saved: look at it again and redo the change"
        ).format(what=where, who=written.by, when=written.at.isoformat(timespec="seconds"), fields=fields))
    raise StaleEdit(_(
        "{what} was changed elsewhere since this form was opened (fields: {fields}); "
        "nothing was saved: look at it again and redo the change"
    ).format(what=where, fields=fields))


def slug(text: str, limit: int = 40) -> str:
    """A readable id part: 'Forretningsudvalget Ø' → 'forretningsudvalget-o'."""
    text = text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa").replace("Æ", "ae").replace("Ø", "oe").replace("Å", "aa")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:limit].strip("-")
    return cleaned or "x"


def short_token() -> str:
    import uuid  # see services.new_uid

    return uuid.uuid4().hex[:8]


def unique_id(base: str, taken) -> str:
    """`base`, or `base-2`, `base-3` … whichever is not in `taken`."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


@dataclass(frozen=True)
class Deleted:
    """What a delete removed, kept so that `undo_delete` can put it back exactly."""

    kind: str  # "body", "person", "membership", "meeting", "item"
    obj: Record
    meeting_id: str | None = None
    index: int | None = None
    extra: tuple = field(default_factory=tuple)

    @property
    def label(self) -> str:
        name = getattr(self.obj, "title", None) or getattr(self.obj, "name", None) or self.obj.id  # type: ignore[attr-defined]
        return f"{self.kind} {name}"
