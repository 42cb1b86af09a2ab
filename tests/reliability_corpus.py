"""Hostile import input: one valid secretary/1 document and ≥ 50 ways to break it.

Each case is (name, build, expected): `build()` returns the bytes of an import
file; `expected` lists what the error message must name (object, field, value).
The valid base imports into the Midtjylland demo; every case must be refused
with exit 1, a message naming what is wrong, no traceback, and nothing written.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable

import orjson

BASE: dict = {
    "format": "secretary/1",
    "organisations": [
        {"id": "hostile-org", "name": "Hostile Org", "short_name": "HO", "kind": "municipality", "country": "DK"}
    ],
    "bodies": [
        {
            "id": "hostile-body",
            "name": "Hostile Body",
            "abbreviation": "HB",
            "kind": "working_group",
            "language": "da",
            "timezone": "Europe/Copenhagen",
            "reports_to": "dassos",
            "cadence": {"kind": "per_year", "min": 2, "max": 4},
        }
    ],
    "people": [
        {"id": "hostile-person", "name": "Hanne Hostile", "organisation": "hostile-org", "email": "h@example.org"}
    ],
    "memberships": [
        {
            "id": "hostile-seat",
            "body": "hostile-body",
            "person": "hostile-person",
            "role": "member",
            "voting": True,
            "start": "2026-01-01",
            "end": None,
        }
    ],
    "meetings": [
        {
            "id": "hostile-meeting",
            "body": "hostile-body",
            "start": "2026-05-04T09:00:00+02:00",
            "end": "2026-05-04T11:00:00+02:00",
            "location": "Viborg",
            "status": "planned",
            "attendance": [{"person": "hostile-person", "status": "present"}],
            "items": [
                {
                    "id": "hostile-item",
                    "number": "1",
                    "title": "Budget",
                    "kind": "decision",
                    "public": False,
                    "closed_reason": "personal data",
                    "actions": [
                        {"id": "hostile-action", "what": "Follow up", "owner": "HH", "due": "2026-06-01", "done": False}
                    ],
                }
            ],
            "minutes": {"status": "none"},
        }
    ],
    "milestones": [
        {"id": "hostile-milestone", "title": "Deadline", "body": "hostile-body", "date": "2026-09-01", "recurs": "once"}
    ],
}


def base() -> dict:
    return copy.deepcopy(BASE)


def valid_bytes() -> bytes:
    return orjson.dumps(BASE)


Case = tuple[str, Callable[[], bytes], list[str]]
CASES: list[Case] = []


def case(name: str, *expected: str):
    """Register a mutation of the base document (a function that edits `doc` in place)."""

    def register(mutate: Callable[[dict], object]):
        def build() -> bytes:
            doc = base()
            mutate(doc)
            return json.dumps(doc).encode()  # stdlib: carries ints beyond 64 bits and lone surrogates

        CASES.append((name, build, list(expected)))
        return mutate

    return register


def raw_case(name: str, data: bytes | Callable[[], bytes], *expected: str) -> None:
    CASES.append((name, data if callable(data) else (lambda: data), list(expected)))


M = "meeting 'hostile-meeting'"
I = "item 'hostile-item'"


def meeting(doc):
    return doc["meetings"][0]


def item(doc):
    return doc["meetings"][0]["items"][0]


# --- whole-document problems -------------------------------------------------------
raw_case("empty file", b"", "not valid JSON")
raw_case("whitespace only", b"  \n\t ", "not valid JSON")
raw_case("truncated json", lambda: valid_bytes()[:-40], "not valid JSON")
raw_case("not utf-8", b'{"format": "secretary/1", "organisations": [{"id": "x\xff\xfe"}]}', "not valid JSON")
raw_case("latin-1 encoded name", lambda: valid_bytes().replace(b"Hanne", "Hånne".encode("latin-1")), "not valid JSON")
raw_case("utf-16 file", lambda: json.dumps(BASE).encode("utf-16"), "not valid JSON")
raw_case("top-level array", b'[{"format": "secretary/1"}]', "document", "top level", "list")
raw_case("top-level string", b'"secretary/1"', "document", "top level", "str")
raw_case("top-level null", b"null", "document", "top level")
raw_case("NaN literal", lambda: valid_bytes().replace(b'"min":2', b'"min":NaN'), "not valid JSON")
raw_case("Infinity literal", lambda: valid_bytes().replace(b'"min":2', b'"min":Infinity'), "not valid JSON")
raw_case("deeply nested json", lambda: b'{"format": "secretary/1", "bodies": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "not valid JSON")
raw_case("trailing garbage", lambda: valid_bytes() + b"}", "not valid JSON")
raw_case(
    "duplicate json key",
    lambda: valid_bytes().replace(b'"format":"secretary/1"', b'"format":"secretary/1","format":"secretary/2"'),
    "format",
    "secretary/2",
)


@case("missing format tag", "document", "'format'", "(missing)")
def _(doc):
    del doc["format"]


@case("wrong format tag", "document", "'format'", "secretary/2")
def _(doc):
    doc["format"] = "secretary/2"


@case("format tag of wrong type", "document", "'format'", "1")
def _(doc):
    doc["format"] = 1


@case("unknown top-level collection", "document", "widgets", "is not a field of this object")
def _(doc):
    doc["widgets"] = []  # (was "cases", then "indicators": secretary/1 has both now)


@case("collection is an object", "document", "'meetings'")
def _(doc):
    doc["meetings"] = {"hostile-meeting": meeting(doc)}


# --- ids ---------------------------------------------------------------------------
@case("id with ../", "organisation", "'id'", "../etc")
def _(doc):
    doc["organisations"][0]["id"] = "../etc"
    doc["people"][0]["organisation"] = "../etc"


@case("body id escaping the folder", "body", "'id'", "../../x")
def _(doc):
    doc["bodies"][0]["id"] = "../../x"


@case("id with a slash", "meeting", "'id'", "a/b")
def _(doc):
    meeting(doc)["id"] = "a/b"


@case("empty id", "person", "'id'", "''")
def _(doc):
    doc["people"][0]["id"] = ""


@case("id of 500 characters", "organisation", "'id'", "aaaa")
def _(doc):
    doc["organisations"][0]["id"] = "a" * 500


@case("upper-case id", "milestone", "'id'", "Deadline")
def _(doc):
    doc["milestones"][0]["id"] = "Deadline"


@case("id of wrong type", "organisation", "'id'", "42")
def _(doc):
    doc["organisations"][0]["id"] = 42


@case("duplicate organisation ids", "organisation 'hostile-org'", "'id'", "appears twice")
def _(doc):
    doc["organisations"].append(dict(doc["organisations"][0]))


@case("duplicate meeting ids", "meeting 'hostile-meeting'", "'id'", "appears twice")
def _(doc):
    doc["meetings"].append(copy.deepcopy(meeting(doc)))


@case("duplicate item ids", M, "'items'", "hostile-item", "two items")
def _(doc):
    meeting(doc)["items"].append(copy.deepcopy(item(doc)))


# --- references ----------------------------------------------------------------------
@case("dangling meeting body", M, "'body'", "no-such-body")
def _(doc):
    meeting(doc)["body"] = "no-such-body"


@case("dangling person organisation", "person 'hostile-person'", "'organisation'", "ghost-org")
def _(doc):
    doc["people"][0]["organisation"] = "ghost-org"


@case("dangling membership person", "membership 'hostile-seat'", "'person'", "ghost")
def _(doc):
    doc["memberships"][0]["person"] = "ghost"


@case("dangling reports_to", "body 'hostile-body'", "'reports_to'", "nowhere")
def _(doc):
    doc["bodies"][0]["reports_to"] = "nowhere"


@case("dangling advises", "body 'hostile-body'", "'advises'", "nobody")
def _(doc):
    doc["bodies"][0]["advises"] = ["nobody"]


@case("dangling attendance person", M, "'person'", "ghost")
def _(doc):
    meeting(doc)["attendance"][0]["person"] = "ghost"


@case("dangling referred_to", I, "'referred_to'", "ghost-body")
def _(doc):
    item(doc)["outcome"] = "referred"
    item(doc)["referred_to"] = "ghost-body"


@case("dangling milestone body", "milestone 'hostile-milestone'", "'body'", "ghost")
def _(doc):
    doc["milestones"][0]["body"] = "ghost"


# --- missing and unknown fields -----------------------------------------------------------
@case("missing organisation name", "organisation 'hostile-org'", "'name'", "(missing)")
def _(doc):
    del doc["organisations"][0]["name"]


@case("missing meeting start", M, "'start'", "(missing)")
def _(doc):
    del meeting(doc)["start"]


@case("missing item title", I, "'title'", "(missing)")
def _(doc):
    del item(doc)["title"]


@case("missing membership body", "membership 'hostile-seat'", "'body'", "(missing)")
def _(doc):
    del doc["memberships"][0]["body"]


@case("unknown field on a person", "person 'hostile-person'", "'password'", "hunter2")
def _(doc):
    doc["people"][0]["password"] = "hunter2"


@case("unknown field on an item", I, "'secret'", "True")
def _(doc):
    item(doc)["secret"] = True


@case("seat with neither person nor organisation", "membership 'hostile-seat'", "'person'", "None")
def _(doc):
    doc["memberships"][0]["person"] = None


# --- wrong types ----------------------------------------------------------------------------
@case("bool as string", I, "'public'", "'false'")
def _(doc):
    item(doc)["public"] = "false"


@case("voting as int", "membership 'hostile-seat'", "'voting'", "1")
def _(doc):
    doc["memberships"][0]["voting"] = 1


@case("number as string", "body 'hostile-body'", "'cadence.min'", "'2'")
def _(doc):
    doc["bodies"][0]["cadence"]["min"] = "2"


@case("float where int", "body 'hostile-body'", "'cadence.max'", "4.5")
def _(doc):
    doc["bodies"][0]["cadence"]["max"] = 4.5


@case("huge int", "body 'hostile-body'", "'cadence.max'", "1e+21")
def _(doc):
    doc["bodies"][0]["cadence"]["max"] = 10**21


@case("negative int", "body 'hostile-body'", "'term_years'", "-3")
def _(doc):
    doc["bodies"][0]["term_years"] = -3


@case("list where string", "organisation 'hostile-org'", "'name'", "['Hostile']")
def _(doc):
    doc["organisations"][0]["name"] = ["Hostile"]


@case("object where list", M, "'items'")
def _(doc):
    meeting(doc)["items"] = {"a": 1}


@case("null where string", "organisation 'hostile-org'", "'name'", "None")
def _(doc):
    doc["organisations"][0]["name"] = None


@case("meeting is a string", "meeting #1", "the object", "'hostile-meeting'")
def _(doc):
    doc["meetings"][0] = "hostile-meeting"


# --- enumerations ---------------------------------------------------------------------------
@case("unknown body kind", "body 'hostile-body'", "'kind'", "'parliament'")
def _(doc):
    doc["bodies"][0]["kind"] = "parliament"


@case("unknown meeting status", M, "'status'", "'postponed'")
def _(doc):
    meeting(doc)["status"] = "postponed"


@case("unknown language", "body 'hostile-body'", "'language'", "'de'")
def _(doc):
    doc["bodies"][0]["language"] = "de"


@case("unknown timezone", "body 'hostile-body'", "'timezone'", "'Mars/Olympus'")
def _(doc):
    doc["bodies"][0]["timezone"] = "Mars/Olympus"


@case("unknown country", "organisation 'hostile-org'", "'country'", "'NO'")
def _(doc):
    doc["organisations"][0]["country"] = "NO"


@case("referred without a body", I, "'referred_to'", "None")
def _(doc):
    item(doc)["outcome"] = "referred"


# --- dates and times ------------------------------------------------------------------------
@case("start without zone", M, "'start'", "2026-05-04T09:00:00'")
def _(doc):
    meeting(doc)["start"] = "2026-05-04T09:00:00"


@case("end before start", M, "'end'", "2026-05-04T08:00:00+02:00", "not after start")
def _(doc):
    meeting(doc)["end"] = "2026-05-04T08:00:00+02:00"


@case("end equal to start", M, "'end'", "2026-05-04T09:00:00+02:00")
def _(doc):
    meeting(doc)["end"] = meeting(doc)["start"]


@case("impossible date 2027-02-30", "action 'hostile-action'", "'due'", "2027-02-30")
def _(doc):
    item(doc)["actions"][0]["due"] = "2027-02-30"


@case("impossible datetime", M, "'start'", "2026-13-04T09:00:00+02:00")
def _(doc):
    meeting(doc)["start"] = "2026-13-04T09:00:00+02:00"


@case("date as number", "membership 'hostile-seat'", "'start'", "20260101")
def _(doc):
    doc["memberships"][0]["start"] = 20260101


@case("membership end before start", "membership 'hostile-seat'", "'end'", "2025-01-01")
def _(doc):
    doc["memberships"][0]["end"] = "2025-01-01"


@case("day that does not exist in month", "milestone 'hostile-milestone'", "'day'", "31")
def _(doc):
    doc["milestones"][0].update({"recurs": "yearly", "date": None, "month": 2, "day": 31})


@case("start time 25:00", "body 'hostile-body'", "'planning.start_time'", "'25:00'")
def _(doc):
    doc["bodies"][0]["planning"] = {"start_time": "25:00"}


@case("weekday 8", "body 'hostile-body'", "'planning.weekdays[0]'", "8")
def _(doc):
    doc["bodies"][0]["planning"] = {"weekdays": [8]}


@case("cadence min above max", "body 'hostile-body'", "'cadence.min'", "9")
def _(doc):
    doc["bodies"][0]["cadence"] = {"kind": "per_year", "min": 9, "max": 4}


@case("approved minutes without a date", M, "'minutes.approved_on'", "None")
def _(doc):
    meeting(doc)["minutes"] = {"status": "approved"}


# --- text ----------------------------------------------------------------------------------------
@case("NUL in a name", "person 'hostile-person'", "'name'", "U+0000")
def _(doc):
    doc["people"][0]["name"] = "Hanne\x00Hostile"


@case("escape sequence in a title", I, "'title'", "U+001B")
def _(doc):
    item(doc)["title"] = "Budget\x1b[31mred"


@case("form feed in background", I, "'background'", "U+000C")
def _(doc):
    item(doc)["background"] = "page\x0cbreak"


@case("lone surrogate", "not valid JSON", "surrogate", "char 75")
def _(doc):
    doc["organisations"][0]["name"] = "\ud800"


@case("U+FFFF noncharacter", M, "'location'", "U+FFFF")
def _(doc):
    meeting(doc)["location"] = "Viborg\uffff"


@case("10 MB string", I, "'background'", "is longer than 200000 characters")
def _(doc):
    item(doc)["background"] = "x" * 10_000_000


@case("empty name", "organisation 'hostile-org'", "'name'", "''")
def _(doc):
    doc["organisations"][0]["name"] = ""


@case("uid with spaces", M, "'uid'", "'a b'")
def _(doc):
    meeting(doc)["uid"] = "a b"


@case("nested junk inside an item", I, "attachment #1", "[[[['deep']]]]")
def _(doc):
    item(doc)["attachments"] = [[[[["deep"]]]]]
