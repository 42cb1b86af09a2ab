"""The interchange format `secretary/1`: parse with exact error messages, dump deterministically."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import orjson
from pydantic import Field, ValidationError

from secretary.domain.errors import InvalidData
from secretary.domain.messages import problem_line, product_message
from secretary.domain.model import (
    COLLECTIONS,
    NOUNS,
    Body,
    Case,
    FieldError,
    Indicator,
    Meeting,
    Membership,
    Milestone,
    Organisation,
    Person,
    Record,
)
from secretary.domain.model import noun as noun_of
from secretary.i18n import _

FORMAT = "secretary/1"
MAX_DOCUMENT_BYTES = 200 * 1024 * 1024
MAX_DEPTH = 64  # a secretary/1 document nests 8 levels; anything near this is not one


class Document(Record):
    """One secretary/1 document as validated objects."""

    format: str
    organisations: list[Organisation] = Field(default_factory=list)
    bodies: list[Body] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    memberships: list[Membership] = Field(default_factory=list)
    meetings: list[Meeting] = Field(default_factory=list)
    milestones: list[Milestone] = Field(default_factory=list)
    cases: list[Case] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)


@dataclass
class Dataset:
    """Objects by collection and id: what a database holds, or an import adds."""

    organisations: dict[str, Organisation] = field(default_factory=dict)
    bodies: dict[str, Body] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    memberships: dict[str, Membership] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)
    milestones: dict[str, Milestone] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)

    def collections(self):
        for name in COLLECTIONS:
            yield name, getattr(self, name)

    def count(self) -> int:
        return sum(len(objects) for _, objects in self.collections())


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "…"


def _describe(raw: Any, loc: tuple) -> tuple[str, str | None]:
    """Turn a pydantic location into ("meeting 'x' item '3'", "field")."""
    parts: list[str] = []
    node = raw
    last_field: str | None = None
    i = 0
    while i < len(loc):
        key = loc[i]
        if isinstance(key, str) and i + 1 < len(loc) and isinstance(loc[i + 1], int) and key in NOUNS:
            index = loc[i + 1]
            child = None
            if isinstance(node, dict) and isinstance(node.get(key), list) and index < len(node[key]):
                child = node[key][index]
            ident = child.get("id") if isinstance(child, dict) else None
            noun = noun_of(key)
            parts.append(f"{noun} {ident!r}" if isinstance(ident, str) else f"{noun} #{index + 1}")
            node = child
            i += 2
            continue
        if isinstance(key, str):
            last_field = key if last_field is None else f"{last_field}.{key}"
            node = node.get(key) if isinstance(node, dict) else None
        else:
            last_field = f"{last_field}[{key}]" if last_field else f"[{key}]"
            node = node[key] if isinstance(node, list) and key < len(node) else None
        i += 1
    return (" ".join(parts) or "document"), last_field


def format_validation_error(error: ValidationError, raw: Any, prefix: str = "") -> list[str]:
    problems = []
    for err in error.errors():
        where, field_name = _describe(raw, tuple(err["loc"]))
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, FieldError):
            field_name = f"{field_name}.{cause.field}" if field_name else cause.field
            message, value = cause.message, cause.value
        else:
            message, value = product_message(err), err.get("input")
            if err["type"] == "missing":
                value = None
        value_text = _("(missing)") if err["type"] == "missing" else _short(value)
        problems.append(prefix + problem_line(where, field_name, value_text, message))
    return problems


class _Duplicate:
    """What the duplicate-key pass puts where a key appeared twice in one object."""

    __slots__ = ("values",)

    def __init__(self, values: list):
        self.values = values


def parse_bytes(data: bytes, source: str = "input") -> Any:
    """Decode a document: valid UTF-8 JSON, no key twice in one object, bounded size and depth.

    orjson decodes (fast, strict: no NaN, no lone surrogates, exact positions in its errors);
    the standard library's parser, whose object_pairs_hook sees every key of every object,
    then refuses a key given twice (orjson, like most parsers, keeps the last one silently:
    `"public": false, …, "public": true` would make a closed item public).
    """
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InvalidData([f"{source}: the file is {len(data)} bytes, more than the limit of {MAX_DOCUMENT_BYTES}"])
    try:
        decoded = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise InvalidData([f"{source}: not valid JSON: {exc}"]) from None
    duplicates = []

    def pairs_hook(pairs):
        result = dict(pairs)
        if len(result) != len(pairs):
            duplicates.append(pairs)
        return result

    try:
        json.loads(data, object_pairs_hook=pairs_hook)
    except RecursionError:
        raise InvalidData([f"{source}: values are nested deeper than {MAX_DEPTH} levels; this is not a secretary/1 document"]) from None
    except ValueError as exc:  # orjson accepted it; the standard parser should too
        raise InvalidData([f"{source}: not valid JSON: {exc}"]) from None
    if duplicates:
        raise InvalidData([_duplicate_problem(data)])
    return decoded


def _walk(raw: Any):
    """Every (location, value) of a decoded document, depth first, without recursion."""
    stack: list[tuple[tuple[Any, ...], Any]] = [((), raw)]
    while stack:
        loc, node = stack.pop()
        yield loc, node
        if isinstance(node, dict):
            stack.extend(((*loc, key), value) for key, value in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend(((*loc, index), value) for index, value in reversed(list(enumerate(node))))


def _duplicate_problem(data: bytes) -> str:
    """The first key given twice, named by object and field (parses again, marking duplicates)."""

    def marking(pairs):
        result: dict = {}
        for key, value in pairs:
            if key in result:
                previous = result[key]
                result[key] = _Duplicate([*(previous.values if isinstance(previous, _Duplicate) else [previous]), value])
            else:
                result[key] = value
        return result

    marked = json.loads(data, object_pairs_hook=marking)
    for loc, node in _walk(marked):
        if isinstance(node, _Duplicate):
            where, field_name = _describe(marked, loc)
            shown = " and ".join(_short(value) for value in node.values[:3])
            return f"{where}: field {field_name!r}: values {shown}: the key appears more than once in one object"
    return "document: a key appears more than once in one object"  # pragma: no cover


def _too_deep(raw: Any) -> str | None:
    """The place where values nest deeper than MAX_DEPTH, named; None when none does.

    Cheap: a document is wide, not deep, so only containers are followed and the walk stops
    at the first one too deep."""
    stack: list[tuple[tuple[Any, ...], Any]] = [((), raw)]
    while stack:
        loc, node = stack.pop()
        if len(loc) > MAX_DEPTH:
            where, field_name = _describe(raw, loc[:8])
            field_text = f"field {field_name!r}" if field_name else "the object"
            return f"{where}: {field_text}: values nested deeper than {MAX_DEPTH} levels; this is not a secretary/1 document"
        if isinstance(node, dict):
            stack.extend(((*loc, key), value) for key, value in node.items() if isinstance(value, (dict, list)))
        elif isinstance(node, list):
            stack.extend(((*loc, index), value) for index, value in enumerate(node) if isinstance(value, (dict, list)))
    return None


def parse_document(raw: Any) -> Dataset:
    """Validate one secretary/1 document (already decoded JSON) into a Dataset.

    Checks types, values, duplicate ids and references inside the document;
    references to objects already in a database are checked by `check_references`.
    """
    if not isinstance(raw, dict):
        raise InvalidData([f"document: the top level must be an object, not {type(raw).__name__}"])
    fmt = raw.get("format")
    if fmt != FORMAT:
        shown = "(missing)" if "format" not in raw else _short(fmt)
        raise InvalidData([f"document: field 'format': value {shown}: unknown format, expected {FORMAT!r}"])
    try:
        encoded = orjson.dumps(raw)
    except orjson.JSONEncodeError:  # nested deeper than orjson writes (254 levels)
        raise InvalidData([_too_deep(raw) or "document: values nested too deeply"]) from None
    try:
        doc = Document.model_validate_json(encoded, strict=True)
    except ValidationError as exc:
        raise InvalidData(format_validation_error(exc, raw)) from None
    dataset = Dataset()
    problems: list[str] = []
    for name in COLLECTIONS:
        target = getattr(dataset, name)
        for obj in getattr(doc, name):
            if obj.id in target:
                problems.append(_("{kind} {obj!r}: field 'id': value {obj!r}: appears twice in the document").format(
                                    kind=noun_of(name), obj=obj.id,
                                ))
            target[obj.id] = obj
    if problems:
        raise InvalidData(problems)
    problems = check_lives(dataset)
    if problems:
        raise InvalidData(problems)
    return dataset


def check_lives(data: Dataset) -> list[str]:
    """The meeting's life of every meeting in `data` is consistent (secretary/domain/life.py):
    no approved minutes of a meeting not held, no justering without a justerare, …"""
    from secretary.domain.life import check_life, check_links

    problems: list[str] = []
    for meeting in data.meetings.values():
        problems.extend(check_life(meeting, data.bodies.get(meeting.body)))
    problems.extend(check_links(data.meetings))
    return problems


def check_references(data: Dataset, known: Dataset | None = None) -> list[str]:
    """Every reference in `data` must name an object in `data` or in `known`."""

    def exists(collection: str, ident: str | None) -> bool:
        if ident is None:
            return True
        return ident in getattr(data, collection) or (known is not None and ident in getattr(known, collection))

    problems: list[str] = []

    def need(where: str, field_name: str, collection: str, ident: str | None) -> None:
        if not exists(collection, ident):
            problems.append(_("{where}: field {field_name!r}: value {ident!r}: no {kind} has this id").format(
                                where=where, field_name=field_name, ident=ident, kind=noun_of(collection),
                            ))

    for body in data.bodies.values():
        where = f"body {body.id!r}"
        need(where, "reports_to", "bodies", body.reports_to)
        need(where, "decides_on_behalf_of", "bodies", body.decides_on_behalf_of)
        for target in body.advises:
            need(where, "advises", "bodies", target)
    for person in data.people.values():
        need(f"person {person.id!r}", "organisation", "organisations", person.organisation)
    for seat in data.memberships.values():
        where = f"membership {seat.id!r}"
        need(where, "body", "bodies", seat.body)
        need(where, "person", "people", seat.person)
        need(where, "organisation", "organisations", seat.organisation)
    for meeting in data.meetings.values():
        where = f"meeting {meeting.id!r}"
        need(where, "body", "bodies", meeting.body)
        for n, row in enumerate(meeting.attendance, 1):
            need(f"{where} attendance #{n}", "person", "people", row.person)
            need(f"{where} attendance #{n}", "organisation", "organisations", row.organisation)
            need(f"{where} attendance #{n}", "substitute_for", "people", row.substitute_for)
            need(f"{where} attendance #{n}", "seat", "memberships", row.seat)
            filled = (data.memberships.get(row.seat) or (known.memberships.get(row.seat) if known else None)) if row.seat else None
            if filled is not None and filled.body != meeting.body:
                problems.append(_("{where} attendance #{n}: field 'seat': value {seat!r}: a "
                                  "seat of body {body!r}, not of {meeting_body!r}").format(
                                    where=where, n=n, seat=row.seat, body=filled.body, meeting_body=meeting.body,
                                ))
            items = {item.id for item in meeting.items}
            for name, ref in row.item_refs():
                if ref not in items:
                    problems.append(_("{where} attendance #{n}: field {name!r}: value {ref!r}: no item of the meeting has this id").format(
                                        where=where, n=n, name=name, ref=ref,
                                    ))
        for n, amendment in enumerate(meeting.minutes.amendments, 1):
            if amendment.item is not None and amendment.item not in {item.id for item in meeting.items}:
                problems.append(_("{where} amendment #{n}: field 'item': value {item!r}: no item of the meeting has this id").format(
                                    where=where, n=n, item=amendment.item,
                                ))
        for item in meeting.items:
            need(f"{where} item {item.id!r}", "referred_to", "bodies", item.referred_to)
        need(where, "chair", "people", meeting.chair)
        need(where, "minute_taker", "people", meeting.minute_taker)
        minutes = meeting.minutes
        for approver in minutes.approvers:
            need(where, "minutes.approvers", "people", approver)
        for justerare in minutes.justerare:
            need(where, "minutes.justerare", "people", justerare)
        for n, comment in enumerate(minutes.comments, 1):
            need(f"{where} comment #{n}", "person", "people", comment.person)
    for milestone in data.milestones.values():
        need(f"milestone {milestone.id!r}", "body", "bodies", milestone.body)
    for body in data.bodies.values():
        for n, rule in enumerate(body.case_rules, 1):
            for decider in rule.deciders:
                need(f"body {body.id!r} rule #{n}", "deciders", "bodies", decider)
    for case in data.cases.values():
        # The meeting a case went to is not checked: a case keeps its history when a meeting goes.
        where = f"case {case.id!r}"
        need(where, "body", "bodies", case.body)
        need(where, "operator", "organisations", case.operator)
        for org in case.affected:
            need(where, "affected", "organisations", org)
        for n, contact in enumerate(case.contacted, 1):
            need(f"{where} contact #{n}", "organisation", "organisations", contact.organisation)
        for n, response in enumerate(case.responses, 1):
            need(f"{where} response #{n}", "organisation", "organisations", response.organisation)
        for n, delivery in enumerate(case.deliveries, 1):
            need(f"{where} delivery #{n}", "organisation", "organisations", delivery.organisation)
    for indicator in data.indicators.values():
        where = f"indicator {indicator.id!r}"
        need(where, "organisation", "organisations", indicator.organisation)
        need(where, "body", "bodies", indicator.body)
        need(where, "of_organisation", "organisations", indicator.of_organisation)
    return problems


def to_jsonable(obj: Record) -> dict:
    return obj.model_dump(mode="json")


def dump_document(data: Dataset) -> bytes:
    """The whole dataset as secretary/1, deterministically (sorted by id, fixed field order)."""
    out: dict[str, Any] = {"format": FORMAT}
    for name, objects in data.collections():
        out[name] = [to_jsonable(objects[key]) for key in sorted(objects)]
    return orjson.dumps(out, option=orjson.OPT_INDENT_2) + b"\n"
