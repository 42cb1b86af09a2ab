"""Full-text search over everything a secretary has written, across all years.

An in-memory inverted index: every body, person, meeting, agenda item and
action is a document; its text is cut into casefolded word tokens (letters of
any script, so æ, ø, å, ä, ö are word letters; digits too). A query matches a
document when every query word is one of its tokens, the last word as a prefix
so that results follow the typing ("kapac" finds "kapacitetsjustering").

Postings are stored two ways, whichever is smaller: a word in few documents
keeps an `array` of document numbers; a word in more than 1/32 of them keeps a
bitmask (a Python int), so intersecting and uniting common words (and the many
words a one-letter prefix expands to) is a C-speed `&` or `|` over bytes.

The index keeps no texts: a document is its kind, ids, title and rank, and the
snippet of a hit is cut from the stored object when the hit is returned.

The index is built from the store's raw partitions (no pydantic validation) and
follows changes per partition: `refresh` re-reads only the partitions whose
storage generation moved; `update_meeting` re-indexes one meeting at once.
Replaced documents are tombstoned and the index compacts itself when a quarter
of it is dead.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
import threading
import time
import unicodedata
from array import array
from bisect import bisect_left, insort
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from itertools import repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NamedTuple, cast

if TYPE_CHECKING:
    from secretary.domain.model import Meeting
    from secretary.services.ports import Store

WORD = re.compile(r"\w+")
DEFAULT_LIMIT = 50
SNIPPET_BEFORE = 40
SNIPPET_AFTER = 100
REFRESH_FROM_DISK_EVERY = 1.0  # seconds: typing sends a query per key; stat the files at most this often
SOURCES_KEPT = 128  # meetings whose hits' texts are kept for the next snippets (typing repeats hits)

# Results come grouped by kind (bodies, people, then meetings with their items and
# actions), newest meeting first; the build numbers documents in this order, so the
# best matches are the lowest numbers and a query needs no sort over all matches.
_BODY, _PERSON, _MEETING = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: what it is, where it lives, and the words around the match."""

    kind: str  # "body" | "person" | "meeting" | "item" | "action"
    id: str
    meeting_id: str | None
    title: str
    snippet: str
    item_id: str | None = None  # for an action: the item it belongs to


class _Doc(NamedTuple):
    kind: str
    id: str
    meeting_id: str | None
    item_id: str | None
    title: str
    group: int
    newer_first: int  # 10,000,000 minus the meeting's day number; 0 for bodies and people
    position: int  # in its meeting: the meeting 0, then its items and actions in order

    @property
    def rank(self) -> tuple:
        """(group, newer-first day, meeting or own id, position): smaller comes first."""
        return (self.group, self.newer_first, self.meeting_id or self.id, self.position)


# The searchable texts of a document, title first: computed to index it and again,
# from the stored object, for the snippet of a hit; the index does not keep them.
Fields = tuple[str, ...]


def normalise(text: str) -> str:
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.casefold()


def tokens(text: str) -> list[str]:
    return WORD.findall(normalise(text))


def _day_number(start: str) -> int:
    try:
        return dt.date.fromisoformat(start[:10]).toordinal()
    except (TypeError, ValueError):
        return 0


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _get(source: Any, name: str) -> str:
    """A text attribute of a raw secretary/1 dict or of a validated model alike."""
    return _text(source.get(name) if isinstance(source, dict) else getattr(source, name, None))


def _start(meeting: Any) -> str:
    if isinstance(meeting, dict):
        return _text(meeting.get("start"))
    start = getattr(meeting, "start", None)
    return start.isoformat() if start is not None else ""


def _meeting_fields(meeting: Any, body_label: str) -> Fields:
    day = _start(meeting)[:10]
    title = _get(meeting, "title") or f"{body_label} {day}".strip()
    return (title, body_label, day, _get(meeting, "location"))


_ITEM_TEXTS = ("title", "case_number", "background", "recommendation", "decision", "presenter")
_item_texts = attrgetter(*_ITEM_TEXTS)


def _item_fields(item: Any) -> Fields:
    return tuple(map(_text, map(item.get, _ITEM_TEXTS) if isinstance(item, dict) else _item_texts(item)))


def _action_fields(action: Any) -> Fields:
    return (_get(action, "what"), _get(action, "owner"))


def _children(source: Any, name: str) -> Iterable[Any]:
    return (source.get(name) if isinstance(source, dict) else getattr(source, name, None)) or ()


def _body_fields(body: Any) -> Fields:
    return (body.name, body.abbreviation, body.terms_of_reference, *body.tasks, body.composition)


def _person_fields(person: Any, organisations: dict) -> Fields:
    org = organisations.get(person.organisation) if person.organisation else None
    org_text = f"{org.name} {org.short_name}" if org else ""
    return (person.name, person.title, org_text, person.email)


def meeting_documents(raw: dict, body_label: str) -> list[tuple[_Doc, Fields]]:
    """The documents of one stored meeting (its raw secretary/1 dict), each with its texts."""
    meeting_id = raw["id"]
    newer_first = 10_000_000 - _day_number(_start(raw))
    fields = _meeting_fields(raw, body_label)
    docs = [(_Doc("meeting", meeting_id, meeting_id, None, fields[0], _MEETING, newer_first, 0), fields)]
    for item in _children(raw, "items"):
        item_id = item["id"]
        fields = _item_fields(item)
        number = _get(item, "number")
        title = f"{number} {fields[0]}".strip() if number else fields[0]
        docs.append((_Doc("item", item_id, meeting_id, item_id, title, _MEETING, newer_first, len(docs)),
                     fields))
        for action in _children(item, "actions"):
            fields = _action_fields(action)
            docs.append((_Doc("action", action["id"], meeting_id, item_id, fields[0],
                              _MEETING, newer_first, len(docs)), fields))
    return docs


class SearchIndex:
    """The inverted index; `build` it from a store, then `query` and keep it fresh."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._docs: list[_Doc | None] = []
        self._built = 0  # documents below this number are in rank order
        self._postings: dict[str, array | int] = {}
        self._vocab: list[str] | None = None
        self._dead: set[int] = set()
        self._dead_bits = 0
        self._by_meeting: dict[str, array] = {}  # document numbers of each meeting
        self._meeting_home: dict[str, tuple[str, int]] = {}
        self._partitions: dict[tuple[str, int], tuple[int, list[str]]] = {}
        self._index_generation = -1
        self._partition_keys: set[tuple[str, int]] = set()
        self._registry_docs: list[int] = []
        self._registry_generation = -1
        self._body_labels: dict[str, str] = {}
        self._given: dict[str, Meeting] = {}  # meetings handed to update_meeting: the snippet source
        self._store: Store | None = None  # where the snippets of hits are read from
        self._sources: dict[str, dict[tuple, Fields]] = {}  # per meeting, hits' texts read lately; oldest first
        self._last_disk_check = 0.0
        self.build_seconds = 0.0

    # -- building ---------------------------------------------------------------

    @classmethod
    def build(cls, store: Store) -> SearchIndex:
        started = time.perf_counter()
        index = cls()
        index._store = store
        with index._lock:
            index._add_all(index._read_all(store))
        index._last_disk_check = time.monotonic()
        index.build_seconds = time.perf_counter() - started
        return index

    def _read_all(self, store: Store) -> Iterable[tuple[_Doc, Fields]]:
        """Every document with its texts, partition by partition (the texts are not kept)."""
        yield from self._registry_documents(store)
        for key in sorted(self._current_partitions(store)):
            generation, rows = store.meetings.documents(*key)
            self._partitions[key] = (generation, list(rows))
            for meeting_id, raw in rows.items():
                self._meeting_home[meeting_id] = key
                yield from self._meeting_docs(raw)

    def _add_all(self, pairs: Iterable[tuple[_Doc, Fields]]) -> None:
        """Index the documents of an empty index in one pass, then number them in rank order."""
        lists: defaultdict[str, array] = defaultdict(partial(array, "I"))  # 4 bytes a posting, not 36
        docs: list[_Doc] = []
        for number, (doc, fields) in enumerate(pairs):
            docs.append(doc)
            words = set(WORD.findall(normalise("\n".join(fields))))
            # C-speed inner loop: lists[word].append(number) for every word
            deque(map(array.append, map(lists.__getitem__, words), repeat(number)), maxlen=0)
        order = sorted(range(len(docs)), key=lambda n: docs[n].rank)
        final = array("I", bytes(4 * len(docs)))  # reading number -> rank number
        for position, number in enumerate(order):
            final[number] = position
        for token, ids in lists.items():
            lists[token] = array("I", map(final.__getitem__, ids))
        self._set_docs([docs[n] for n in order])
        self._merge(lists)

    def _set_docs(self, docs: list[_Doc]) -> None:
        """Make `docs` (in rank order, no dead ones) the documents of the index."""
        self._docs, self._built = list(docs), len(docs)  # a slot becomes None when its document dies
        self._dead, self._dead_bits = set(), 0
        self._by_meeting, self._registry_docs = {}, []
        for number, doc in enumerate(docs):
            if doc.kind in ("body", "person"):
                self._registry_docs.append(number)
            else:
                assert doc.meeting_id is not None  # every other document belongs to a meeting
                self._by_meeting.setdefault(doc.meeting_id, array("I")).append(number)

    def _merge(self, lists: dict[str, array]) -> None:
        """Turn build-time lists into arrays, or bitmasks for the common words."""
        count = len(self._docs)
        threshold = max(64, count // 32)
        postings = self._postings
        for token, ids in lists.items():
            found = postings.get(token)
            if found is None:
                postings[token] = _bits(ids, count) if len(ids) > threshold else array("I", ids)
            elif isinstance(found, int):
                postings[token] = found | _bits(ids, count)
            else:
                found.extend(ids)
        self._vocab = None

    def _add(self, doc: _Doc, fields: Fields) -> int:
        """Index one document after the build (incremental updates)."""
        number = len(self._docs)
        self._docs.append(doc)
        postings = self._postings
        for word in set(WORD.findall(normalise("\n".join(fields)))):
            found = postings.get(word)
            if found is None:
                postings[word] = array("I", [number])
                if self._vocab is not None:
                    insort(self._vocab, word)
            elif isinstance(found, int):
                postings[word] = found | (1 << number)
            else:
                found.append(number)
        return number

    def _registry_documents(self, store: Store) -> list[tuple[_Doc, Fields]]:
        organisations = store.organisations.all()
        bodies = store.bodies.all()
        self._body_labels = {key: body.label for key, body in bodies.items()}
        docs = []
        for body in bodies.values():
            docs.append((_Doc("body", body.id, None, None, body.name, _BODY, 0, 0), _body_fields(body)))
        for person in store.people.all().values():
            docs.append((_Doc("person", person.id, None, None, person.name, _PERSON, 0, 0),
                         _person_fields(person, organisations)))
        self._registry_generation = store.registry_generation()
        return docs

    def _meeting_docs(self, raw: dict) -> list[tuple[_Doc, Fields]]:
        body = raw.get("body", "")
        return meeting_documents(raw, self._body_labels.get(body, body))

    def _current_partitions(self, store: Store) -> set[tuple[str, int]]:
        """The (body, year) keys holding meetings; recomputed only when the meeting index changed."""
        generation = store.index_generation()
        if generation != self._index_generation:
            self._partition_keys = store.meetings.partition_keys()
            self._index_generation = store.index_generation()
        return self._partition_keys

    # -- keeping fresh ----------------------------------------------------------------

    def update_meeting(self, meeting: Meeting) -> None:
        """Re-index one meeting now (after an edit), without waiting for `refresh`."""
        raw = meeting.model_dump(mode="json")
        with self._lock:
            self._replace_meeting(raw, (meeting.body, meeting.year))
            self._given[meeting.id] = meeting  # possibly unsaved: the snippets come from it
            self._maybe_compact()

    def remove_meeting(self, meeting_id: str) -> None:
        with self._lock:
            self._drop_meeting(meeting_id)

    def _replace_meeting(self, raw: dict, home: tuple[str, int]) -> None:
        meeting_id = raw["id"]
        self._drop_meeting(meeting_id)
        self._by_meeting[meeting_id] = array("I", [self._add(doc, fields) for doc, fields in self._meeting_docs(raw)])
        self._meeting_home[meeting_id] = home

    def _drop_meeting(self, meeting_id: str) -> None:
        for number in self._by_meeting.pop(meeting_id, ()):
            self._kill(number)
        self._meeting_home.pop(meeting_id, None)
        self._given.pop(meeting_id, None)
        self._sources.pop(meeting_id, None)

    def _kill(self, number: int) -> None:
        if number not in self._dead:
            self._dead.add(number)
            self._dead_bits |= 1 << number
            self._docs[number] = None

    def refresh(self, store: Store) -> int:
        """Re-read the partitions (and the registry) whose storage generation changed; how many."""
        with self._lock:
            self._store = store
            now = time.monotonic()
            if now - self._last_disk_check >= REFRESH_FROM_DISK_EVERY:
                store.refresh()  # see what other processes wrote
                self._last_disk_check = now
            changed = 0
            if store.registry_generation() != self._registry_generation:
                for number in self._registry_docs:
                    self._kill(number)
                self._registry_docs = [self._add(*pair) for pair in self._registry_documents(store)]
                changed += 1
            keys = self._current_partitions(store)
            for key in [key for key in self._partitions if key not in keys]:
                self._drop_partition(key)
                changed += 1
            for key in keys:
                known = self._partitions.get(key)
                if known is not None and known[0] == store.meetings.generation(*key):
                    continue
                self._drop_partition(key)
                generation, rows = store.meetings.documents(*key)
                for raw in rows.values():
                    self._replace_meeting(raw, key)
                self._partitions[key] = (generation, list(rows))
                changed += 1
            if changed:
                self._maybe_compact()
            return changed

    def _drop_partition(self, key: tuple[str, int]) -> None:
        _generation, ids = self._partitions.pop(key, (0, []))
        for meeting_id in ids:
            if self._meeting_home.get(meeting_id) == key:  # not moved into a partition read already
                self._drop_meeting(meeting_id)

    def _maybe_compact(self) -> None:
        """Renumber the live documents in rank order and their postings (no texts re-read)."""
        if len(self._dead) <= max(1000, len(self._docs) // 4):
            return
        live = sorted((doc.rank, n, doc) for n, doc in enumerate(self._docs) if doc is not None)  # n is unique: docs never compared
        renumber = [-1] * len(self._docs)
        for position, (_rank, number, _doc) in enumerate(live):
            renumber[number] = position
        lists: dict[str, array] = {}
        for token, found in self._postings.items():
            old = _lowest(found, None) if isinstance(found, int) else found
            ids = array("I", [n for n in map(renumber.__getitem__, old) if n >= 0])
            if ids:
                lists[token] = ids
        self._set_docs([doc for _rank, _number, doc in live])
        self._postings, self._vocab = {}, None
        self._merge(lists)

    # -- querying ------------------------------------------------------------------

    @property
    def size(self) -> int:
        """Live documents."""
        return len(self._docs) - len(self._dead)

    def query(self, text: str, limit: int = DEFAULT_LIMIT) -> list[Hit]:
        """Documents holding every word of `text` (the last one as a prefix unless followed by a space)."""
        words = tokens(text)
        if not words or limit <= 0:
            return []
        prefix = None if text[-1:].isspace() else words.pop()
        with self._lock:
            numbers = self._match(list(dict.fromkeys(words)), prefix, limit)
            docs = cast("list[_Doc]", self._docs)  # _match returns live documents only
            best = [docs[n] for n in heapq.nsmallest(limit, numbers, key=lambda n: (docs[n].rank, n))]
            texts = self._texts(best)
        patterns = _patterns(words, prefix)
        return [_hit(doc, texts.get((doc.kind, doc.id, doc.meeting_id), ()), patterns) for doc in best]

    def _texts(self, docs: list[_Doc]) -> dict[tuple, Fields]:
        """The searchable texts of `docs`, for their snippets: cut from the registry, from the
        meetings given to update_meeting, from the texts kept for recent hits, or from the raw
        stored partitions (one read a partition, no validation). Kept texts of a meeting are
        dropped whenever it is re-indexed, so they never outlive the index's view."""
        store = self._store
        texts: dict[tuple, Fields] = {}
        if store is None:
            return texts
        needed: dict[str, list[_Doc]] = {}
        for doc in docs:
            key = (doc.kind, doc.id, doc.meeting_id)
            if doc.kind == "body":
                body = store.bodies.get(doc.id)
                if body is not None:
                    texts[key] = _body_fields(body)
            elif doc.kind == "person":
                person = store.people.get(doc.id)
                if person is not None:
                    texts[key] = _person_fields(person, store.organisations.all())
            else:
                assert doc.meeting_id is not None  # every other document belongs to a meeting
                kept = self._sources.get(doc.meeting_id)
                if kept is not None and key in kept:
                    texts[key] = kept[key]
                else:
                    needed.setdefault(doc.meeting_id, []).append(doc)
        by_partition: dict[tuple[str, int], list[str]] = {}
        for meeting_id, wanted in needed.items():
            given = self._given.get(meeting_id)
            if given is not None:
                self._cut(meeting_id, given, wanted, texts)
            elif meeting_id in self._meeting_home:
                by_partition.setdefault(self._meeting_home[meeting_id], []).append(meeting_id)
        for home, meeting_ids in by_partition.items():
            _generation, rows = store.meetings.documents(*home)
            for meeting_id in meeting_ids:
                raw = rows.get(meeting_id)
                if raw is not None:
                    self._cut(meeting_id, raw, needed[meeting_id], texts)
        return texts

    def _cut(self, meeting_id: str, meeting: Any, docs: list[_Doc], texts: dict[tuple, Fields]) -> None:
        """Texts of `docs` from their `meeting` (raw dict or model) into `texts`, and keep them."""
        kept = self._sources.pop(meeting_id, None) or {}
        body = _get(meeting, "body")
        items = {_get(item, "id"): item for item in _children(meeting, "items")}
        for doc in docs:
            if doc.kind == "meeting":
                fields = _meeting_fields(meeting, self._body_labels.get(body, body))
            else:
                assert doc.item_id is not None  # items and actions know their item
                item = items.get(doc.item_id)
                if item is None:
                    continue
                if doc.kind == "item":
                    fields = _item_fields(item)
                else:
                    action = next((a for a in _children(item, "actions") if _get(a, "id") == doc.id), None)
                    if action is None:
                        continue
                    fields = _action_fields(action)
            texts[(doc.kind, doc.id, doc.meeting_id)] = kept[(doc.kind, doc.id, doc.meeting_id)] = fields
        self._sources[meeting_id] = kept
        while len(self._sources) > SOURCES_KEPT:
            del self._sources[next(iter(self._sources))]

    def _match(self, words: list[str], prefix: str | None, limit: int) -> list[int]:
        """Matching numbers: the `limit` lowest built ones (already in rank order) and every later one."""
        terms: list[tuple[int, array | int | set]] = []
        postings = self._postings
        count = len(self._docs)
        for word in words:
            found = postings.get(word)
            if found is None:
                return []
            terms.append((_size(found), found))
        if prefix is not None:
            bits = 0
            ids: set[int] = set()
            for word in self._expand(prefix):
                found = postings[word]
                if isinstance(found, int):
                    bits |= found
                else:
                    ids.update(found)
            if ids and (bits or len(ids) > count // 32):
                bits |= _bits(ids, count)
                ids = set()
            if bits:
                terms.append((bits.bit_count(), bits))
            elif ids:
                terms.append((len(ids), ids))
            else:
                return []
        terms.sort(key=lambda term: term[0])
        result: set[int] | int | None = None
        for _count, posting in terms:
            if result is None:
                result = posting if isinstance(posting, int) else set(posting)
            elif isinstance(result, set):
                if isinstance(posting, int):
                    result = {n for n in result if posting >> n & 1} if len(result) < 64 else _bits(result, count) & posting
                else:
                    result.intersection_update(posting)
            elif isinstance(posting, int):
                result &= posting
            else:
                result &= _bits(posting, count)
            if not result:
                return []
        if isinstance(result, int):
            result &= ~self._dead_bits
            built = result & ((1 << self._built) - 1)
            return _lowest(built, limit) + _lowest(result >> self._built << self._built, None)
        assert result is not None  # there is at least one term: a word or the prefix
        live = [n for n in result if n not in self._dead]
        return heapq.nsmallest(limit, (n for n in live if n < self._built)) + [n for n in live if n >= self._built]

    def _expand(self, prefix: str) -> list[str]:
        if self._vocab is None:
            self._vocab = sorted(self._postings)
        vocab = self._vocab
        start = bisect_left(vocab, prefix)
        end = start
        while end < len(vocab) and vocab[end].startswith(prefix):
            end += 1
        return vocab[start:end]


def _hit(doc: _Doc, fields: Fields, patterns: list[re.Pattern]) -> Hit:
    item_id = doc.item_id if doc.kind == "action" else None
    return Hit(doc.kind, doc.id, doc.meeting_id, doc.title, _snippet(fields, patterns), item_id)


def _size(found: array | int | set) -> int:
    return found.bit_count() if isinstance(found, int) else len(found)


_AS_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


def _bits(numbers: Iterable[int], count: int) -> int:
    """A bitmask with the given bits set (numbers below `count`), built at C speed."""
    flags = bytearray(count)
    deque(map(flags.__setitem__, numbers, repeat(1)), maxlen=0)
    if not count:
        return 0
    return int(flags.translate(_AS_DIGITS)[::-1], 2)


def _lowest(bits: int, limit: int | None) -> list[int]:
    """The positions of the lowest `limit` set bits (all when None), ascending."""
    if bits <= 0:
        return []
    digits = bin(bits)[:1:-1]  # least significant first
    out: list[int] = []
    position = digits.find("1")
    while position != -1 and (limit is None or len(out) < limit):
        out.append(position)
        position = digits.find("1", position + 1)
    return out


def _patterns(words: list[str], prefix: str | None) -> list[re.Pattern]:
    patterns = [re.compile(r"\b" + re.escape(word) + r"\b", re.IGNORECASE) for word in words]
    if prefix:
        patterns.append(re.compile(r"\b" + re.escape(prefix), re.IGNORECASE))
    return patterns


def _snippet(fields: Fields, patterns: list[re.Pattern]) -> str:
    """The words around the first match, in the first text field that has one (the title last)."""
    order = [*fields[1:], fields[0]] if len(fields) > 1 else list(fields)
    for text in order:
        if not text:
            continue
        for pattern in patterns:
            match = pattern.search(text)
            if match:
                return _around(text, match.start())
    for text in fields[1:]:
        if text:
            return _around(text, 0)
    return ""


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


class SearchService:
    """Search as the screens and commands ask it: the index is built on the first query and
    afterwards follows the store (each query re-reads only the groups whose generation changed)."""

    def __init__(self, store: Store):
        self.store = store
        self.index: SearchIndex | None = None

    def query(self, text: str, limit: int = DEFAULT_LIMIT) -> list[Hit]:
        if self.index is None:
            self.index = SearchIndex.build(self.store)
        else:
            self.index.refresh(self.store)
        return self.index.query(text, limit)
