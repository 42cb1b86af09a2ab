"""Full-text search over everything a secretary has written, across all years (Tantivy).

Every body, person, meeting, agenda item, decision and action is a document of a
persistent Tantivy index (BM25 ranking) in the folder the store gives for derived
data (`PATH.d/search/` for the TinyDB store). Each text is indexed three ways: as
plain lower-cased words (prefixes while typing, phrases, fuzzy matching, case
numbers) and stemmed in Danish or Swedish, after the language of its body (both
for the registry), so "takster" finds "takst" and "taxor" finds "taxa".

The index is derived data. It records the store's change generation it reflects
(`state.json` beside it); on open it asks the store what changed since and
re-indexes those (body, year) groups, or rebuilds itself in a background thread
when it is missing, damaged, of another version or too far behind. After each
commit of this process a worker thread brings it up to date; a query first
catches up with what any process committed, so results always follow the data.
Catching up puts the meetings that changed (a digest of each meeting's stored form
tells them apart) into an overlay: an index in memory searched beside the one on
disk, whose documents of those meetings are masked. A moment later the worker
writes them to disk (Tantivy's commit, which fsyncs: ~10–200 ms) under Tantivy's
writer lock, which also keeps two processes from writing at once; see "following
the data" below. Nothing here can fail a save: a failed update only leaves the
index stale, and the next query or commit tries again.

The index holds closed items too (the secretary sees everything); each hit says
whether it is public, and nothing serves search publicly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import secrets
import shutil
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from secretary.domain.changes import Generation

if TYPE_CHECKING:
    import tantivy

    from secretary.domain.changes import Changes
    from secretary.services.ports import Files, Store

log = logging.getLogger("secretary.search")

INDEX_VERSION = 3  # of the documents and fields below; an index of another version is rebuilt
DEFAULT_LIMIT = 50
KINDS = ("body", "person", "meeting", "item", "decision", "action")
SNIPPET_BEFORE = 24  # a narrow column still shows the match
SNIPPET_AFTER = 110
CATCH_UP_LIMIT = 60  # changed groups re-indexed while a query waits; more: rebuilt in the background
WRITER_HEAP = 64_000_000  # bytes Tantivy buffers before it writes a segment
MERGE_AT_SEGMENTS = 24  # after an update, wait for Tantivy's merges when there are more segments
OVERLAY_HEAP = 15_000_000  # the in-memory overlay's writer (Tantivy's least)
OVERLAY_UNITS = 40  # changed meetings (and the registry) kept in memory; more are written to disk at once
FLUSH_DELAY = 1.0  # seconds without a new change before the overlay is written to disk
FLUSH_LATEST = 10.0  # and at the latest this long after its first change, however busy
IDLE_SECONDS = 5.0  # an update worker with nothing to do ends after this
STATE = "state.json"
REGISTRY = "registry"
WORD = re.compile(r"\w+")
FILTER = re.compile(r"(?<!\S)(kind|body|year):(\S*)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: what it is, where it lives, and the words around the match."""

    kind: str  # "body" | "person" | "meeting" | "item" | "decision" | "action"
    id: str
    meeting_id: str | None
    title: str
    snippet: str
    item_id: str | None = None  # for an action or a decision: the item it belongs to
    body: str = ""  # the body's id (for a meeting, item, decision, action or the body itself)
    body_label: str = ""
    date: dt.date | None = None  # the meeting's day
    marks: tuple[tuple[int, int], ...] = ()  # (start, end) of each match in `snippet`
    public: bool = True  # False for a closed item and what belongs to it
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class SearchStatus:
    """What the index is doing: "closed" (not opened yet), "ready", "building" (done of total
    groups), "stale" (an update failed; the next query tries again) or "failed"."""

    state: str
    done: int = 0
    total: int = 0
    message: str = ""

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


def normalise(text: str) -> str:
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.casefold()


def tokens(text: str) -> list[str]:
    """Casefolded word tokens (letters of any script and digits), as the plain field holds them."""
    return [t for t in WORD.findall(normalise(text)) if t.replace("_", "")]


# -- the documents ------------------------------------------------------------------------


@dataclass(slots=True)
class _Doc:
    key: str
    part: str
    kind: str
    id: str
    title: str
    texts: list[str]
    language: str  # "da", "sv" or "" (both)
    body: str = ""
    meeting: str = ""
    item: str = ""
    day: str = ""
    public: bool = True
    case: str = ""
    digest: int = 0  # a meeting's: what its stored form was when indexed (which meetings an edit changed)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _language(code: str) -> str:
    code = (code or "").lower()
    return "sv" if code.startswith("sv") else "da" if code.startswith("da") else ""


def meeting_digest(raw: dict, body_label: str, language: str) -> int:
    """What a meeting's documents are made from, in 8 bytes (never 0): equal digests, equal documents."""
    data = orjson.dumps(raw, option=orjson.OPT_SORT_KEYS) + f"\x00{body_label}\x00{language}".encode()
    return (int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big") >> 1) or 1  # an i64 field


def _id_hash(meeting_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(meeting_id.encode(), digest_size=8).digest(), "big") >> 1


def meeting_documents(raw: dict, body_label: str, language: str, part: str, digest: int = 0) -> Iterator[_Doc]:
    """The documents of one stored meeting (its raw secretary/1 dict)."""
    meeting_id = raw["id"]
    body = _text(raw.get("body"))
    day = _text(raw.get("start"))[:10]
    title = _text(raw.get("title")) or f"{body_label} {day}".strip()
    common = {"part": part, "language": language, "body": body, "meeting": meeting_id, "day": day}
    yield _Doc(f"meeting:{meeting_id}", kind="meeting", id=meeting_id, title=title, digest=digest,
               texts=[title, body_label, day, _text(raw.get("location"))], **common)
    for item in raw.get("items") or ():
        item_id = _text(item.get("id"))
        public = item.get("public", True) is not False
        number = _text(item.get("number"))
        item_title = _text(item.get("title"))
        shown = f"{number} {item_title}".strip() if number else item_title
        case = _text(item.get("case_number"))
        yield _Doc(f"item:{meeting_id}:{item_id}", kind="item", id=item_id, title=shown, item=item_id, public=public,
                   case=normalise(case), texts=[shown, case, _text(item.get("background")),
                                                _text(item.get("recommendation")), _text(item.get("presenter"))], **common)
        decision = _text(item.get("decision"))
        if decision:
            yield _Doc(f"decision:{meeting_id}:{item_id}", kind="decision", id=item_id, title=shown, item=item_id,
                       public=public, case=normalise(case), texts=[decision], **common)
        for action in item.get("actions") or ():
            what = _text(action.get("what"))
            yield _Doc(f"action:{meeting_id}:{_text(action.get('id'))}", kind="action", id=_text(action.get("id")),
                       title=what, item=item_id, public=public, texts=[what, _text(action.get("owner"))], **common)


def registry_documents(store: Store) -> Iterator[_Doc]:
    organisations = store.organisations.all()
    for body in store.bodies.all().values():
        yield _Doc(f"body:{body.id}", REGISTRY, "body", body.id, body.name, language=_language(body.language), body=body.id,
                   texts=[body.name, body.abbreviation or "", body.terms_of_reference or "", *body.tasks, body.composition or ""])
    for person in store.people.all().values():
        org = organisations.get(person.organisation) if person.organisation else None
        org_text = f"{org.name} {org.short_name or ''}" if org else ""
        yield _Doc(f"person:{person.id}", REGISTRY, "person", person.id, person.name, language="",
                   texts=[person.name, person.title or "", org_text, person.email or ""])


# -- the engine -----------------------------------------------------------------------------


def _tantivy():
    import tantivy  # a tenth of the first search: loaded when search is first used

    return tantivy


class _Analyzers:
    def __init__(self) -> None:
        t = _tantivy()
        simple = t.Tokenizer.simple

        def chain(*filters):
            builder = t.TextAnalyzerBuilder(simple()).filter(t.Filter.remove_long(60)).filter(t.Filter.lowercase())
            for one in filters:
                builder = builder.filter(one)
            return builder.build()

        self.plain = chain()
        self.da = chain(t.Filter.stemmer("danish"))
        self.sv = chain(t.Filter.stemmer("swedish"))

    def register(self, index: tantivy.Index) -> None:
        index.register_tokenizer("sec_plain", self.plain)
        index.register_tokenizer("sec_da", self.da)
        index.register_tokenizer("sec_sv", self.sv)


def _schema() -> tantivy.Schema:
    t = _tantivy()
    builder = t.SchemaBuilder()
    for name in ("key", "part", "kind", "body", "id", "meeting", "item", "day", "case", "shown"):
        builder.add_text_field(name, stored=name != "case", tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("year", stored=False, indexed=True, fast=True)
    builder.add_integer_field("mhash", stored=False, indexed=False, fast=True)  # a meeting doc's id, hashed
    builder.add_integer_field("digest", stored=False, indexed=False, fast=True)  # and its stored form's
    builder.add_integer_field("public", stored=True, indexed=False)
    builder.add_text_field("title", stored=False, tokenizer_name="sec_plain")
    builder.add_text_field("words", stored=True, tokenizer_name="sec_plain")
    builder.add_text_field("da", stored=False, tokenizer_name="sec_da")
    builder.add_text_field("sv", stored=False, tokenizer_name="sec_sv")
    return builder.build()


def _document(doc: _Doc) -> tantivy.Document:
    t = _tantivy()
    text = "\n".join(part for part in doc.texts if part)
    fields: dict[str, Any] = {"key": doc.key, "part": doc.part, "kind": doc.kind, "id": doc.id, "shown": doc.title,
                              "words": text, "public": int(doc.public)}
    if doc.kind != "decision":  # a decision is found by its own words; its item's title is only shown
        fields["title"] = doc.title
    if doc.kind == "meeting" and doc.digest:
        fields["mhash"] = _id_hash(doc.id)
        fields["digest"] = doc.digest
    for name in ("body", "meeting", "item", "day", "case"):
        value = getattr(doc, name)
        if value:
            fields[name] = value
    if doc.day[:4].isdigit():
        fields["year"] = int(doc.day[:4])
    if doc.language in ("da", ""):
        fields["da"] = text
    if doc.language in ("sv", ""):
        fields["sv"] = text
    return t.Document(**fields)


class _Query:
    """A query's text understood: words (the last maybe a prefix), phrases, filters."""

    def __init__(self, text: str, kinds: Iterable[str] | None, body: str | None, year: int | None):
        self.kinds = {k for k in (kinds or ()) if k}
        self.body = body
        self.year = year
        self.phrases: list[list[str]] = []
        self.words: list[str] = []
        self.prefix: str | None = None
        self.prefix_phrase: list[str] | None = None
        self.cases: list[str] = []
        rest = FILTER.sub(self._filter, text)
        quoted = rest.split('"')
        open_quote = len(quoted) % 2 == 0  # an unclosed quote: the phrase is being typed
        chunks: list[tuple[str, bool]] = []  # (text, inside quotes)
        for n, part in enumerate(quoted):
            if part.strip():
                chunks.append((part, n % 2 == 1))
        typing = bool(text) and not text[-1:].isspace() and not text.rstrip().endswith('"')
        for n, (part, phrase) in enumerate(chunks):
            last = n == len(chunks) - 1 and (typing or (open_quote and phrase))
            if phrase:
                words = tokens(part)
                if last:
                    self.prefix_phrase = words
                elif words:
                    self.phrases.append(words)
                continue
            pieces = part.split()
            for m, piece in enumerate(pieces):
                words = tokens(piece)
                is_last = last and m == len(pieces) - 1
                if len(words) > 1:  # a case number, a hyphenated name: its words in order
                    self.cases.append(normalise(piece))
                    if is_last:
                        self.prefix_phrase = words
                    else:
                        self.phrases.append(words)
                elif words and is_last:
                    self.prefix = words[0]
                elif words:
                    self.words.append(words[0])

    def _filter(self, match: re.Match) -> str:
        name, value = match.group(1).lower(), match.group(2)
        if name == "kind":
            self.kinds.update(k for k in value.lower().split(",") if k)
        elif name == "body" and value:
            self.body = value
        elif name == "year" and value.isdigit():
            self.year = int(value)
        return " "

    @property
    def empty(self) -> bool:
        return not (self.words or self.prefix or self.phrases or self.prefix_phrase)

    def terms(self) -> list[str]:
        """Every word of the query, for the snippet's marks."""
        out = [*self.words, *(w for p in self.phrases for w in p), *(self.prefix_phrase or ())]
        if self.prefix:
            out.append(self.prefix)
        return out


class _Engine:
    """A Tantivy index and what it takes to query and change it."""

    def __init__(self, index: tantivy.Index, analyzers: _Analyzers, path: Path | None, build: str = ""):
        self.index = index
        self.schema = index.schema
        self.analyzers = analyzers
        self.path = path
        self.build = build  # names one build of the index on disk: another process's rebuild shows here
        self.kept_writer: Any = None  # the overlay's: one writer for its life (an index in memory locks nothing else)

    @classmethod
    def create(cls, analyzers: _Analyzers, path: Path | None) -> _Engine:
        t = _tantivy()
        index = t.Index(_schema(), path=str(path) if path is not None else None, reuse=False)
        analyzers.register(index)
        index.config_reader("Manual")  # reloaded when this process says: what it sees changes with its mask
        return cls(index, analyzers, path, secrets.token_hex(8) if path is not None else "")

    @staticmethod
    def read_state(path: Path) -> dict:
        """The index's `state.json` (ValueError when it is unreadable or of another version)."""
        try:
            state = orjson.loads((path / STATE).read_bytes())
        except (OSError, orjson.JSONDecodeError) as exc:
            raise ValueError(f"no readable {STATE}: {exc}") from None
        if not isinstance(state, dict) or state.get("version") != INDEX_VERSION or not isinstance(state.get("epoch"), str) \
                or not isinstance(state.get("number"), int):
            raise ValueError(f"an index of another version ({state.get('version') if isinstance(state, dict) else '?'})")
        return state

    @classmethod
    def open(cls, analyzers: _Analyzers, path: Path) -> tuple[_Engine, Generation]:
        """The index at `path` and the generation it reflects; ValueError when it cannot serve."""
        t = _tantivy()
        state = cls.read_state(path)
        index = t.Index.open(str(path))
        index.config_reader("Manual")
        analyzers.register(index)
        engine = cls(index, analyzers, path, str(state.get("build", "")))
        searcher = index.searcher()
        searcher.search(t.Query.all_query(), 1)  # reads the segments' headers: a damaged file shows here
        if searcher.num_docs == 0 and state.get("documents", 0):
            raise ValueError("the index lost its documents")
        return engine, Generation(state["epoch"], state["number"])

    def write_state(self, generation: Generation, files: Files | None, documents: int) -> None:
        if self.path is None:
            return
        data = orjson.dumps({"version": INDEX_VERSION, "epoch": generation.epoch, "number": generation.number,
                             "documents": documents, "build": self.build})
        if files is not None:
            files.write(self.path / STATE, data)
        else:
            tmp = self.path / f"{STATE}.tmp-{os.getpid()}"
            tmp.write_bytes(data)
            os.replace(tmp, self.path / STATE)

    def writer(self, heap: int = WRITER_HEAP) -> tantivy.IndexWriter:
        return self.index.writer(heap_size=heap, num_threads=1)

    # -- querying -----------------------------------------------------------------------

    def query(self, parsed: _Query) -> tantivy.Query:
        t = _tantivy()
        q, schema, occur = t.Query, self.schema, t.Occur
        must: list = []
        a = self.analyzers

        def stems(word: str) -> list:
            out = []
            for name, analyzer in (("da", a.da), ("sv", a.sv)):
                for stem in dict.fromkeys(analyzer.analyze(word)):
                    out.append(q.term_query(schema, name, stem))
            return out

        for word in parsed.words:
            group = [*stems(word), q.boost_query(q.term_query(schema, "title", word), 2.0)]
            if len(word) >= 5:
                group.append(q.boost_query(q.fuzzy_term_query(schema, "words", word, distance=1), 0.3))
            must.append(q.boolean_query([(occur.Should, one) for one in group]))
        if parsed.prefix:
            word = parsed.prefix
            group = [*stems(word), q.fuzzy_term_query(schema, "words", word, distance=0, prefix=True),
                     q.boost_query(q.fuzzy_term_query(schema, "title", word, distance=0, prefix=True), 2.0)]
            must.append(q.boolean_query([(occur.Should, one) for one in group]))
        for words in parsed.phrases:
            phrase = q.phrase_query(schema, "words", words) if len(words) > 1 else q.term_query(schema, "words", words[0])
            must.append(phrase)
        if parsed.prefix_phrase:
            words = parsed.prefix_phrase
            must.append(q.phrase_prefix_query(schema, "words", words))
        for case in parsed.cases:  # a whole case number found as it is written ranks first
            must.append(q.boolean_query([(occur.Must, q.all_query()),
                                         (occur.Should, q.boost_query(q.term_query(schema, "case", case), 5.0))]))
        if not must:
            must.append(q.all_query())
        if parsed.kinds:
            must.append(q.const_score_query(q.term_set_query(schema, "kind", sorted(parsed.kinds)), 0.0))
        if parsed.body:
            must.append(q.const_score_query(q.term_query(schema, "body", parsed.body), 0.0))
        if parsed.year is not None:
            must.append(q.const_score_query(q.term_query(schema, "year", parsed.year), 0.0))
        return q.boolean_query([(occur.Must, one) for one in must])

    def search(self, parsed: _Query, limit: int, masked: frozenset[str] = frozenset(),
               searcher: tantivy.Searcher | None = None) -> list[tuple[float, dict]]:
        """The best `limit` documents, leaving out those of the parts in `masked` (their
        newer documents are in the overlay)."""
        t = _tantivy()
        searcher = searcher if searcher is not None else self.index.searcher()
        query = self.query(parsed)
        if masked:
            query = t.Query.boolean_query([(t.Occur.Must, query), *((t.Occur.MustNot, one) for one in self.masks(masked))])
        found = searcher.search(query, limit, count=False)
        return [(score, searcher.doc(address).to_dict()) for score, address in found.hits]

    def masks(self, units: Iterable[str]) -> list[tantivy.Query]:
        """Queries for the documents of these units (REGISTRY, or "meeting:<id>")."""
        t = _tantivy()
        meetings = sorted(unit.removeprefix("meeting:") for unit in units if unit.startswith("meeting:"))
        out = [t.Query.term_set_query(self.schema, "meeting", meetings)] if meetings else []
        if REGISTRY in units:
            out.append(t.Query.term_query(self.schema, "part", REGISTRY))
        return out

    def count(self, units: frozenset[str]) -> int:
        """Documents of these units."""
        searcher = self.index.searcher()
        return sum(int(getattr(searcher.search(one, 1, count=True), "count", 0) or 0) for one in self.masks(units))

    def digests(self, part: str, ids: Iterable[str]) -> dict[str, int]:
        """The digest of each meeting this index holds in `part` (0: unknown), read from the fast
        fields; `ids` are the meetings expected there (any other is named from its stored document)."""
        t = _tantivy()
        q = t.Query
        searcher = self.index.searcher()
        query = q.boolean_query([(t.Occur.Must, q.term_query(self.schema, "part", part)),
                                 (t.Occur.Must, q.term_query(self.schema, "kind", "meeting"))])
        addresses = [address for _score, address in searcher.search(query, 100_000, count=False).hits]
        if not addresses:
            return {}
        by_hash = {_id_hash(meeting_id): meeting_id for meeting_id in ids}
        out: dict[str, int] = {}
        for address, hashed, digest in zip(addresses, searcher.fast_field_values("mhash", addresses),
                                           searcher.fast_field_values("digest", addresses), strict=True):
            meeting = by_hash.get(int(hashed)) if hashed else None
            if meeting is None:  # gone from the partition (or moved): rare, so its stored document is read
                meeting = searcher.doc(address).get_first("meeting")
            if meeting:
                out[meeting] = int(digest or 0)
        return out

    def replace_units(self, writer: tantivy.IndexWriter, units: dict[str, list[_Doc]]) -> int:
        """Replace the documents of each unit (REGISTRY, or "meeting:<id>") with these."""
        count = 0
        for unit, docs in sorted(units.items()):
            if unit == REGISTRY:
                count += self.replace(writer, REGISTRY, docs)
            else:
                count += self.replace(writer, unit.removeprefix("meeting:"), docs, field="meeting")
        return count

    # -- changing -----------------------------------------------------------------------

    def replace(self, writer: tantivy.IndexWriter, part: str, docs: Iterable[_Doc], field: str = "part") -> int:
        """Replace the documents whose `field` is `part` with these."""
        writer.delete_documents_by_term(field, part)
        count = 0
        for doc in docs:
            writer.add_document(_document(doc))
            count += 1
        return count

    def documents(self) -> int:
        return self.index.searcher().num_docs


# -- snippets -----------------------------------------------------------------------------


def _marks_pattern(parsed: _Query, analyzers: _Analyzers) -> re.Pattern | None:
    """Words that begin with a query word or one of its stems (stems are the words' beginnings)."""
    alternatives: set[str] = set()
    for word in parsed.terms():
        alternatives.add(word)
        for analyzer in (analyzers.da, analyzers.sv):
            alternatives.update(s for s in analyzer.analyze(word) if len(s) >= min(3, len(word)))
    if not alternatives:
        return None
    ordered = sorted(alternatives, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")\w*", re.IGNORECASE)


def snippet(text: str, title: str, pattern: re.Pattern | None) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The words around the first match (outside the title when there is one), with the marks."""
    fields = text.split("\n")
    body = [f for f in fields if f != title] or fields
    chosen, at = "", 0
    if pattern is not None:
        for one in [*body, title]:
            match = pattern.search(one) if one else None
            if match:
                chosen, at = one, match.start()
                break
    if not chosen:
        chosen = next((f for f in body if f and f != title), "")
    piece = _around(chosen, at)
    marks = tuple((m.start(), m.end()) for m in pattern.finditer(piece)) if pattern is not None else ()
    return piece, marks


def _around(text: str, at: int) -> str:
    start = max(0, at - SNIPPET_BEFORE)
    if start:
        space = text.find(" ", start, at)
        start = space + 1 if space != -1 else start
    end = min(len(text), at + SNIPPET_AFTER)
    if end < len(text):
        space = text.rfind(" ", at, end)
        end = space if space > at else end
    piece = " ".join(text[start:end].split())
    return ("…" if start else "") + piece + ("…" if end < len(text) else "")


def _first(doc: dict, name: str) -> Any:
    values = doc.get(name)
    return values[0] if values else None


# -- the service ---------------------------------------------------------------------------


@dataclass
class _Progress:
    done: int = 0
    total: int = 0


@dataclass
class _Pending:
    wake: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None


class SearchService:
    """Search as the screens and commands ask it (see the module's doc): `query` answers from
    the persistent index, which follows every commit."""

    def __init__(self, store: Store, files: Files | None = None):
        self.store = store
        self.files = files
        self._lock = threading.RLock()  # the engine, the status and the generation
        self._write = threading.Lock()  # one change of the index at a time in this process
        self._ready = threading.Event()
        self._engine: _Engine | None = None
        self._analyzers: _Analyzers | None = None
        self._generation: Generation | None = None
        self._state = "closed"
        self._message = ""
        self._progress = _Progress()
        self._builder: threading.Thread | None = None
        self._updates = _Pending()
        self._listening = False
        self._closing = False
        self._worker_lock = threading.Lock()  # starting and ending the update worker
        # The overlay: an index in memory of the parts changed since the index on disk was
        # written, searched beside it while the disk's documents of those parts are masked.
        self._overlay: _Engine | None = None
        self._pending: dict[str, list[_Doc]] = {}  # part → its documents now
        self._masked: frozenset[str] = frozenset()
        self._pending_since: float | None = None  # monotonic time of the first change not on disk
        self._spare: _Engine | None = None  # an emptied overlay kept for the next change (its writer made)
        self.last_update_seconds = 0.0  # the last catch-up: from the change log to a query seeing it
        self.last_flush_seconds = 0.0  # the last write of the overlay to disk (Tantivy's commit)

    # -- asking ---------------------------------------------------------------------------

    def query(
        self,
        text: str,
        limit: int = DEFAULT_LIMIT,
        *,
        kinds: Iterable[str] | None = None,
        body: str | None = None,
        year: int | None = None,
        wait: float | None = None,
    ) -> list[Hit]:
        """The best `limit` documents for `text` (words, the last one a prefix while typing;
        phrases in quotes; `kind:`, `body:` and `year:` in the text or as arguments), ranked.

        While the index is being built the call waits for it (`wait` seconds at most; None:
        as long as it takes) and answers [] when it is not ready by then (`status()` says why).
        """
        if limit <= 0 or not text or not text.strip():
            return []
        parsed = _Query(text, kinds, body, year)
        if parsed.empty and not (parsed.kinds or parsed.body or parsed.year):
            return []
        engine = self._ready_engine(wait)
        if engine is None:
            return []
        self._catch_up()
        if not self._ready.is_set():  # catching up found the index too far behind: it is rebuilt
            engine = self._ready_engine(wait)
            if engine is None:
                return []
        with self._lock:  # one consistent view: the disk's searcher, the overlay's, the mask
            engine = self._engine or engine
            searcher = engine.index.searcher()
            overlay = (self._overlay, self._overlay.index.searcher()) if self._overlay is not None else None
            masked = self._masked
        rows = engine.search(parsed, limit, masked, searcher)
        if overlay is not None:
            # Scores of two indexes are of two corpora (the overlay's word statistics are its
            # few parts'): close enough for the seconds until the overlay is on disk.
            rows = sorted([*rows, *overlay[0].search(parsed, limit, searcher=overlay[1])], key=lambda row: -row[0])[:limit]
        pattern = _marks_pattern(parsed, engine.analyzers)
        return [self._hit(score, doc, pattern) for score, doc in rows]

    def status(self) -> SearchStatus:
        with self._lock:
            return SearchStatus(self._state, self._progress.done, self._progress.total, self._message)

    def open(self) -> SearchStatus:
        """Open the index (or start building it in the background) without waiting."""
        self._ensure_open()
        return self.status()

    def wait_ready(self, timeout: float | None = None) -> bool:
        self._ensure_open()
        return self._ready.wait(timeout)

    def rebuild(self) -> None:
        """Build the index again from the data, in the background."""
        with self._lock:
            self._start_build()

    def documents(self) -> int:
        """Documents in the index (0 while there is none)."""
        with self._lock:
            engine, overlay, masked = self._engine, self._overlay, self._masked
        if engine is None:
            return 0
        return engine.documents() - engine.count(masked) + (overlay.documents() if overlay is not None else 0)

    def catch_up(self) -> None:
        """Bring the index up to what every process has committed now (a query does this itself)."""
        self._ensure_open()
        self._catch_up()

    def flush(self) -> bool:
        """Write what is kept in memory to the index on disk now (the update worker does this
        itself a moment after the last change); False when it could not be written yet."""
        return self._flush()

    def close(self) -> None:
        """Stop the update worker and write what it kept in memory (tests, the end of a process);
        the index stays on disk."""
        self._closing = True
        self._updates.wake.set()
        for thread in (self._updates.thread, self._builder):
            if thread is not None and thread is not threading.current_thread():
                thread.join(timeout=30)
        try:
            self._flush()
        except Exception:  # noqa: BLE001 - derived data: the next process catches up from the change log
            log.info("the search index's last changes were not written; the next process catches up")

    def _hit(self, score: float, doc: dict, pattern: re.Pattern | None) -> Hit:
        kind = _first(doc, "kind") or ""
        text = _first(doc, "words") or ""
        title = _first(doc, "shown") or ""
        piece, marks = snippet(text, title, pattern)
        body = _first(doc, "body") or ""
        owner = self.store.bodies.get(body) if body else None
        day = _first(doc, "day")
        try:
            date = dt.date.fromisoformat(day) if day else None
        except ValueError:
            date = None
        public = _first(doc, "public")
        return Hit(kind, _first(doc, "id") or "", _first(doc, "meeting"), title, piece,
                   _first(doc, "item") if kind in ("action", "decision") else None, body,
                   owner.label if owner is not None else body, date, marks, public != 0, float(score))

    # -- opening and building -------------------------------------------------------------

    def _ready_engine(self, wait: float | None) -> _Engine | None:
        self._ensure_open()
        if not self._ready.wait(wait):
            return None
        return self._engine

    def _ensure_open(self) -> None:
        with self._lock:
            if self._state != "closed":
                return
            if not self._listening:
                self.store.on_commit(self._committed)
                self._listening = True
            self._analyzers = _Analyzers()
            folder = self._folder()
            if folder is not None and (folder / "index").is_dir():
                try:
                    engine, generation = _Engine.open(self._analyzers, folder / "index")
                except Exception as exc:  # noqa: BLE001 - whatever is wrong with derived data, it is built again
                    log.info("the search index is rebuilt: %s", str(exc))
                else:
                    changes = self.store.changes_since(generation)
                    if changes is not None and not changes.everything and len(changes.partitions) <= CATCH_UP_LIMIT:
                        self._engine, self._generation = engine, generation
                        self._set_state("ready")
                        self._ready.set()
                        return
                    log.info("the search index is rebuilt: it is too far behind the data")
            self._start_build()

    def _folder(self) -> Path | None:
        return self.store.derived_folder("search")

    def _start_build(self) -> None:
        if self._builder is not None and self._builder.is_alive():
            return
        self._ready.clear()  # queries wait (or, with wait=0, answer [] while `status` shows progress)
        self._set_state("building")
        self._builder = threading.Thread(target=self._build, name="search-index-build", daemon=True)
        self._builder.start()

    def _set_state(self, state: str, message: str = "") -> None:
        with self._lock:
            self._state, self._message = state, message

    def _build(self) -> None:
        try:
            self._build_now()
        except Exception as exc:  # noqa: BLE001 - derived data: the next query tries again
            log.exception("building the search index failed")
            with self._lock:
                # Without an index the next query tries again ("closed"); with one it serves, stale.
                self._set_state("closed" if self._engine is None else "stale", str(exc))
                self._ready.set()

    def _build_now(self) -> None:
        assert self._analyzers is not None
        folder = self._folder()
        target = self.store.change_generation()  # read before the data: a commit meanwhile is caught up later
        self.store.refresh()
        place = None
        if folder is not None:
            _tidy(folder)
            place = folder / f"build-{os.getpid()}-{secrets.token_hex(4)}"
            place.mkdir(mode=0o700)
        engine = _Engine.create(self._analyzers, place)
        keys = sorted(self.store.meetings.partition_keys())
        with self._lock:
            self._progress = _Progress(0, len(keys) + 1)
        writer = engine.writer()
        count = engine.replace(writer, REGISTRY, registry_documents(self.store))
        languages = self._languages()
        for body, year in keys:
            count += engine.replace(writer, f"{body}/{year}", self._partition_docs(body, year, languages))
            with self._lock:
                self._progress.done += 1
        writer.commit()
        writer.wait_merging_threads()
        engine.index.reload()  # the reader follows commits on its own time: an index in memory is queried at once
        engine.write_state(target, self.files, count)
        if folder is not None and place is not None:
            current = folder / "index"
            if current.exists():
                os.replace(current, folder / f"old-{os.getpid()}-{secrets.token_hex(4)}")
            os.replace(place, current)
            _tidy(folder)
            engine, _generation = _Engine.open(self._analyzers, current)
        with self._write, self._lock:
            self._engine, self._generation = engine, target
            self._overlay, self._pending, self._masked, self._pending_since = None, {}, frozenset(), None
            self._progress.done = self._progress.total
            self._set_state("ready")
            self._ready.set()
        self._catch_up()

    def _languages(self) -> dict[str, tuple[str, str]]:
        return {key: (body.label, _language(body.language)) for key, body in self.store.bodies.all().items()}

    def _partition_docs(self, body: str, year: int, languages: dict[str, tuple[str, str]]) -> Iterator[_Doc]:
        _generation, rows = self.store.meetings.documents(body, year)
        label, language = languages.get(body, (body, ""))
        part = f"{body}/{year}"
        for raw in rows.values():
            yield from meeting_documents(raw, label, language, part, meeting_digest(raw, label, language))

    # -- following the data -------------------------------------------------------------
    #
    # A change becomes searchable in memory at once: the changed parts' documents go into the
    # overlay (an index without files, no fsync) and the disk's documents of those parts are
    # masked. A moment later (FLUSH_DELAY without a new change, FLUSH_LATEST at the latest) the
    # update worker writes them to the index on disk (Tantivy's commit: its fsyncs) and the
    # state file, under Tantivy's writer lock, which is also what keeps two processes from
    # writing the index at once: the one that finds it held tries again later, serving from its
    # overlay meanwhile. A process that ends before its overlay is written loses nothing: the
    # state file still names the generation the disk reflects, and the next process catches up
    # from the store's change log.

    def _committed(self, _changes: Changes) -> None:
        """After a commit of this process: wake the worker (never fails, never waits)."""
        if self._engine is None:
            return
        self._wake_worker()

    def _wake_worker(self) -> None:
        with self._worker_lock:
            pending = self._updates
            pending.wake.set()
            if self._closing:
                return
            if pending.thread is None or not pending.thread.is_alive():
                pending.thread = threading.Thread(target=self._worker, name="search-index-update", daemon=True)
                pending.thread.start()

    def _worker(self) -> None:
        pending = self._updates
        while not self._closing:
            since = self._pending_since
            if self._pending and since is not None and time.monotonic() - since >= FLUSH_LATEST:
                self._flush_or_postpone()
                continue
            woke = pending.wake.wait(timeout=FLUSH_DELAY if self._pending else IDLE_SECONDS)
            if self._closing:
                return
            if woke:
                pending.wake.clear()
                self._catch_up()
                continue  # a new change: the write to disk waits for a quiet moment
            if self._pending:
                self._flush_or_postpone()
                continue
            with self._worker_lock:  # idle: the next commit starts another worker
                if not pending.wake.is_set() and not self._pending:
                    pending.thread = None
                    return

    def _flush_or_postpone(self) -> None:
        if not self._flush():
            with self._lock:
                self._pending_since = time.monotonic()  # another process writes the index: later

    def _catch_up(self) -> None:
        """Bring the index up to the store's change generation (what any process committed)."""
        if self._engine is None or self._generation is None:
            return
        if self.store.change_generation() == self._generation:
            return
        with self._write:
            base = self._generation
            engine = self._engine
            if engine is None or base is None or self.store.change_generation() == base:
                return
            started = time.perf_counter()
            try:
                # One commit's state: the generation and the partitions read together, so what is
                # kept is exactly that generation's (never newer than the generation it is filed under).
                with self.store.reading():
                    target = self.store.change_generation()
                    changes = self.store.changes_since(base)
                    if changes is None or changes.everything or len(changes.partitions) > CATCH_UP_LIMIT * 4:
                        with self._lock:
                            self._start_build()
                        return
                    if changes.registry:
                        self.store.refresh()  # the registry another process replaced is read again
                    units = self._changed_units(engine, changes)
                pending = {**self._pending, **units}
                if engine.path is None or len(pending) > OVERLAY_UNITS:
                    self._write_units(engine, pending, target)  # many (or no disk): into the index itself
                    overlay, pending = None, {}
                else:
                    overlay = self._overlay or self._spare or _Engine.create(self._analyzers or _Analyzers(), None)
                    self._spare = None
                    if units:
                        if overlay.kept_writer is None:
                            overlay.kept_writer = overlay.writer(OVERLAY_HEAP)
                        try:
                            overlay.replace_units(overlay.kept_writer, units)
                            overlay.kept_writer.commit()
                        except BaseException:
                            overlay.kept_writer.rollback()
                            raise
            except Exception as exc:  # noqa: BLE001 - derived data: stale until the next try
                reason = str(exc)
                del exc  # with its traceback, which holds Tantivy's writer (and its lock) alive
                log.warning("the search index could not be updated (%s); it is marked stale", reason)
                self._set_state("stale", reason)
                return
            with self._lock:
                if overlay is not None:
                    overlay.index.reload()  # the overlay's new documents and the mask, seen together
                else:
                    engine.index.reload()
                self._overlay, self._pending, self._masked = overlay, pending, frozenset(pending)
                self._pending_since = (self._pending_since or time.monotonic()) if pending else None
                self._generation = target
                if self._state == "stale":
                    self._set_state("ready")
            self.last_update_seconds = time.perf_counter() - started
        if pending:
            self._wake_worker()  # to write the overlay to disk a moment later

    def _changed_units(self, engine: _Engine, changes: Changes) -> dict[str, list[_Doc]]:
        """The documents now of each meeting that changed (none for one that is gone) in the
        changed partitions, and of the registry when it changed: a meeting whose stored form
        has the digest the index (or the overlay) holds is left as it is."""
        units: dict[str, list[_Doc]] = {}
        if changes.registry:
            units[REGISTRY] = list(registry_documents(self.store))
        languages = self._languages()
        present: set[str] = set()
        gone: set[str] = set()
        for body, year in sorted(changes.partitions):
            part = f"{body}/{year}"
            _generation, rows = self.store.meetings.documents(body, year)
            label, language = languages.get(body, (body, ""))
            held = engine.digests(part, rows.keys())  # what the disk holds, unless the overlay holds newer
            for unit, docs in self._pending.items():
                if unit.startswith("meeting:"):
                    meeting_id = unit.removeprefix("meeting:")
                    if docs and docs[0].part == part:
                        held[meeting_id] = next((d.digest for d in docs if d.kind == "meeting"), 0)
                    elif meeting_id in held:
                        del held[meeting_id]  # moved away, or gone: the overlay says so
            for raw in rows.values():
                meeting_id = raw["id"]
                present.add(meeting_id)
                digest = meeting_digest(raw, label, language)
                if held.get(meeting_id) != digest:
                    units[f"meeting:{meeting_id}"] = list(meeting_documents(raw, label, language, part, digest))
            gone.update(held.keys() - rows.keys())
        for meeting_id in gone - present:  # deleted (a meeting moved to another changed partition is present)
            units[f"meeting:{meeting_id}"] = []
        return units

    def _flush(self) -> bool:
        """Write the overlay's parts to the index on disk; True when done or nothing to do."""
        with self._write:
            engine, generation, pending = self._engine, self._generation, self._pending
            if not pending or engine is None or generation is None:
                return True
            started = time.perf_counter()
            try:
                self._write_units(engine, pending, generation)
            except _Replaced:
                self._reopen()
                return False
            except Exception as exc:  # noqa: BLE001 - derived data: the overlay serves, the worker tries again
                reason = str(exc)
                del exc
                log.info("the search index could not be written yet (%s); tried again", reason)
                return False
            with self._lock:
                engine.index.reload()
                overlay = self._overlay
                self._overlay, self._pending, self._masked, self._pending_since = None, {}, frozenset(), None
            self.last_flush_seconds = time.perf_counter() - started
            self._spare = _emptied(overlay)  # the next edit's overlay, its writer ready
        return True

    def _write_units(self, engine: _Engine, units: dict[str, list[_Doc]], generation: Generation) -> None:
        """Replace these units' documents in `engine` and record `generation` in its state file
        (the state never goes back: when another process wrote a later one, that one stays).
        Raises when Tantivy's writer lock is held by another process (or this one)."""
        writer: Any = engine.writer()
        try:
            on_disk = None
            if engine.path is not None:
                state = _Engine.read_state(engine.path)
                if str(state.get("build", "")) != engine.build:
                    raise _Replaced()
                on_disk = Generation(state["epoch"], state["number"])
            if on_disk is not None and on_disk.epoch == generation.epoch and on_disk.number >= generation.number:
                writer.rollback()  # another process has written all of this (and more) already
                engine.index.reload()
            else:
                engine.replace_units(writer, units)
                writer.commit()
                engine.index.reload()
                engine.write_state(generation, self.files, engine.documents())  # still holding the writer lock
                if engine.index.searcher().num_segments > MERGE_AT_SEGMENTS:
                    writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            writer = None  # the traceback keeps this frame: drop Tantivy's writer lock now
            raise
        del writer
        engine.index.reload()

    def _reopen(self) -> None:
        """Another process built the index on disk again: use its build (and catch up from it)."""
        folder = self._folder()
        assert self._analyzers is not None
        try:
            if folder is None:
                raise ValueError("no folder")
            engine, generation = _Engine.open(self._analyzers, folder / "index")
        except Exception:  # noqa: BLE001 - whatever is wrong with derived data, it is built again
            with self._lock:
                self._start_build()
            return
        with self._lock:
            self._engine = engine
            current = self._generation
            if current is None or current.epoch != generation.epoch or current.number > generation.number:
                self._generation = generation  # the next catch-up reads what the new build lacks


def _emptied(overlay: _Engine | None) -> _Engine | None:
    """The overlay with no documents (None when it cannot be emptied: a new one is made)."""
    if overlay is None or overlay.kept_writer is None:
        return None
    try:
        overlay.kept_writer.delete_all_documents()
        overlay.kept_writer.commit()
        overlay.index.reload()
    except Exception:  # noqa: BLE001 - a new overlay serves as well
        return None
    return overlay


class _Replaced(Exception):
    """The index on disk is another build than the one this process opened."""


def _tidy(folder: Path) -> None:
    """Remove what an earlier build left (a replaced index, a build that was killed an hour ago)."""
    for leftover in folder.iterdir():
        if leftover.name.startswith("old-") or (leftover.name.startswith("build-") and _older_than(leftover, 3600)):
            shutil.rmtree(leftover, ignore_errors=True)


def _older_than(path: Path, seconds: float) -> bool:
    try:
        return time.time() - path.stat().st_mtime > seconds
    except OSError:
        return False
