"""`secretary check`: read every file from disk and say exactly what is wrong."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import TYPE_CHECKING

import orjson
from pydantic import ValidationError

from secretary.domain.errors import StoreDamaged
from secretary.domain.interchange import Dataset, check_references, format_validation_error
from secretary.domain.model import COLLECTIONS, FeedToken, Mailing
from secretary.domain.model import noun as noun_of
from secretary.i18n import _
from store.files import TMP_MARK, read_bytes
from store.repositories import Placement
from store.storage import META, SCHEMA_VERSION, schema_version, seal_problem

if TYPE_CHECKING:
    from store.database import Database


# Registry tables that are not secretary/1 collections (never exported): name → model.
CREDENTIAL_TABLES = {"feed_tokens": FeedToken}
# Logs kept beside the registry, never exported: name → model.
LOG_TABLES = {"mailings": Mailing}


def check_database(db: Database) -> list[str]:
    """Every problem found, each naming the file and the object; [] when the database is sound."""
    problems: list[str] = []
    dataset = Dataset()

    try:
        db.guard_links()
    except StoreDamaged as exc:
        problems.append(str(exc))

    def load(path, expected_tables):
        try:
            raw = read_bytes(path)
        except StoreDamaged as exc:
            problems.append(str(exc))
            return None
        if raw is None:
            problems.append(_("{path}: missing").format(path=path))
            return None
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            problems.append(_("{path}: readable by others (mode {mode:o}); it holds personal data, expected 600").format(
                                path=path, mode=mode,
                            ))
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            problems.append(_("{path}: not valid JSON ({exc}); the file may be truncated").format(path=path, exc=exc))
            return None
        if not isinstance(data, dict):
            problems.append(_("{path}: the top level is not an object").format(path=path))
            return None
        version = schema_version(data)
        if version != SCHEMA_VERSION:
            problems.append(_("{path}: schema version {version}, expected {schema_version}").format(
                                path=path, version=version, schema_version=SCHEMA_VERSION,
                            ))
            return None
        sealed = seal_problem(raw)
        if sealed is not None:
            problems.append(f"{path}: {sealed}")  # and what its content says, below
        extra = set(data) - set(expected_tables) - {META}
        if extra:
            problems.append(_("{path}: unexpected tables {extra}").format(path=path, extra=', '.join(sorted(extra))))
        return data

    def objects(path, data, name):
        model = COLLECTIONS[name]
        table = data.get(name) or {}
        if not isinstance(table, dict):
            problems.append(_("{path}: table {name!r} is not an object").format(path=path, name=name))
            return
        for key, raw in table.items():
            try:
                obj = model.model_validate(raw, strict=False)
            except ValidationError as exc:
                problems.extend(format_validation_error(exc, raw, prefix=f"{path}: {noun_of(name)} {key!r}: "))
                continue
            if obj.id != key:
                problems.append(_("{path}: {kind} stored under {key!r} has id {obj!r}").format(
                                    path=path, kind=noun_of(name), key=key, obj=obj.id,
                                ))
            yield obj

    registry_tables = [name for name in COLLECTIONS if name != "meetings"]
    registry = load(db.path, [*registry_tables, *CREDENTIAL_TABLES, *LOG_TABLES])
    if registry is not None:
        for name in registry_tables:
            target = getattr(dataset, name)
            for obj in objects(db.path, registry, name):
                target[obj.id] = obj

        problems.extend(_check_feed_tokens(db, registry, dataset))
        for name, model in LOG_TABLES.items():
            table = registry.get(name) or {}
            if not isinstance(table, dict):
                problems.append(_("{path}: table {name!r} is not an object").format(path=db.path, name=name))
                continue
            for key, raw in table.items():
                try:
                    model.model_validate(raw, strict=False)
                except ValidationError as exc:
                    problems.extend(format_validation_error(exc, raw, prefix=f"{db.path}: {name[:-1]} {key!r}: "))

    placements, where, unread_years, index_missing = _load_index(db, load, problems)
    split = bool(db.index_years())
    for path in db.partition_files():
        data = load(path, ["meetings"])
        if data is None:
            continue
        body = path.parent.name
        if not (path.stem.isdigit() and len(path.stem) == 4):
            problems.append(_("{path}: not a partition (the name must be a year, e.g. 2026.json)").format(path=path))
            continue
        year = int(path.stem)
        for meeting in objects(path, data, "meetings"):
            if meeting.id in dataset.meetings:
                problems.append(_("{path}: meeting {meeting!r} is stored twice").format(path=path, meeting=meeting.id))
            dataset.meetings[meeting.id] = meeting
            if (meeting.body, meeting.year) != (body, year):
                problems.append(_("{path}: meeting {meeting!r} belongs in {body}/{year}").format(
                                    path=path, meeting=meeting.id, body=meeting.body, year=meeting.year,
                                ))
            place = placements.get(meeting.id)
            index_path = where.get(meeting.id) or (db.index_path(year) if split else db.legacy_index)
            if place is not None and not isinstance(place, dict):
                problems.append(_("{index_path}: meeting {meeting!r}: index entry {place!r} is not an object").format(
                                    index_path=index_path, meeting=meeting.id, place=place,
                                ))
            elif place is None:
                if not index_missing and year not in unread_years:
                    problems.append(_("{index_path}: meeting {meeting!r} is missing from the index").format(
                        index_path=index_path, meeting=meeting.id))
            elif place.get("start") != meeting.start.isoformat() or place.get("body") != meeting.body:
                problems.append(_("{index_path}: meeting {meeting!r} is indexed with the wrong body or start").format(
                                    index_path=index_path, meeting=meeting.id,
                                ))
            else:
                # The overview and the lists answer from the index: what it says must be the meeting's.
                expected = orjson.loads(orjson.dumps(Placement.of(meeting).row()))
                missing = [name for name in Placement.FIELDS if name not in place]
                stale = [name for name in Placement.FIELDS if name in place and place[name] != expected[name]]
                if missing:
                    problems.append(
                        _("{index_path}: meeting {meeting!r}: index row written by an older version (no {missing}); "
                          "it is rebuilt when the database is opened while no other secretary process is writing").format(
                            index_path=index_path, meeting=meeting.id, missing=', '.join(missing),
                        )
                    )
                elif stale:
                    problems.append(_("{index_path}: meeting {meeting!r}: index fields {stale} differ from the meeting").format(
                                        index_path=index_path, meeting=meeting.id, stale=', '.join(stale),
                                    ))
    for key in placements:
        if key not in dataset.meetings:
            problems.append(_("{index_path}: meeting {key!r} is indexed but not stored").format(index_path=where[key], key=key))
    if split:
        _check_summary(db, load, problems, dataset.meetings, db.index_years(), unread_years)

    problems.extend(check_references(dataset))
    revoked = db.root / "revoked.json"
    if revoked.exists():
        load(revoked, ["tokens"])
    if db.journal.pending():
        try:
            db.journal.entries()
            problems.append(_("{directory}: an interrupted commit waits to be finished (open the database once to finish it)").format(
                                directory=db.journal.directory,
                            ))
        except StoreDamaged as exc:
            problems.append(str(exc))
    if db.root.exists():
        for leftover in db.root.rglob(f"*{TMP_MARK}*"):
            problems.append(_("{leftover}: temporary file left by an interrupted save").format(leftover=leftover))
    return problems


def _load_index(db: Database, load, problems: list[str]) -> tuple[dict, dict, set[int], bool]:
    """The meeting index as stored: every row by meeting id, the file each came from, the years
    whose file could not be read (their meetings are not also called "missing from the index"),
    and whether there is no index at all. The index is one file per year (PATH.d/index/<year>.json);
    a database not yet opened since the index was split has the one file PATH.d/index.json."""
    placements: dict[str, object] = {}
    where: dict[str, Path] = {}
    unread: set[int] = set()
    partitions = db.partition_files()
    years = db.index_years()
    if not years:
        legacy = db.legacy_index
        if not legacy.exists():
            if partitions:
                problems.append(_("{index_path}: missing; it is rebuilt from the partitions when the database is next opened "
                                  "for writing").format(index_path=db.index_dir))
            return placements, where, unread, bool(partitions)
        data = load(legacy, ["meetings"])
        table = (data or {}).get("meetings") or {}
        if not isinstance(table, dict):
            problems.append(_("{index_path}: table 'meetings' is not an object").format(index_path=legacy))
            table = {}
        return table, dict.fromkeys(table, legacy), unread, False
    for year in sorted(db.partition_years() - set(years)):
        unread.add(year)
        problems.append(_("{index_path}: missing; it is rebuilt from the partitions of {year} "
                          "when the database is next opened for writing").format(index_path=db.index_path(year), year=year))
    for year in years:
        path = db.index_path(year)
        data = load(path, ["meetings"])
        if data is None:
            unread.add(year)
            continue
        table = data.get("meetings") or {}
        if not isinstance(table, dict):
            problems.append(_("{index_path}: table 'meetings' is not an object").format(index_path=path))
            unread.add(year)
            continue
        for key, row in table.items():
            if key in placements:
                problems.append(_("{index_path}: meeting {key!r} is indexed twice (also in {other_path})").format(
                    index_path=path, key=key, other_path=where[key]))
                continue
            start = row.get("start") if isinstance(row, dict) else None
            if isinstance(start, str) and start[:4] != f"{year:04d}":
                problems.append(_("{index_path}: meeting {key!r} is indexed in the wrong year's file (it starts {start})").format(
                    index_path=path, key=key, start=start[:10]))
            placements[key] = row
            where[key] = path
    return placements, where, unread, False


def _check_summary(db: Database, load, problems: list[str], meetings: dict, years: list[int], unread: set[int]) -> None:
    """PATH.d/index/summary.json says, of each year, what its meetings say: open actions or
    not, which minutes states."""
    path = db.index_summary
    if not path.exists():
        problems.append(_("{index_path}: missing; it is rebuilt from the partitions when the database is next opened "
                          "for writing").format(index_path=path))
        return
    data = load(path, ["years"])
    if data is None:
        return
    table = data.get("years") or {}
    if not isinstance(table, dict):
        problems.append(_("{index_path}: table 'years' is not an object").format(index_path=path))
        return
    expected: dict[str, dict] = {f"{year:04d}": {"actions": False, "minutes": set()} for year in years if year not in unread}
    for meeting in meetings.values():
        flags = expected.get(f"{meeting.year:04d}")
        if flags is not None:
            place = Placement.of(meeting)
            flags["actions"] = flags["actions"] or bool(place.actions)
            flags["minutes"].add(place.minutes)
    for year, flags in expected.items():
        stored = table.get(year)
        if stored is None:
            continue  # a year the summary does not name is read whenever asked: slower, not wrong
        want = {"actions": flags["actions"], "minutes": sorted(flags["minutes"])}
        if stored != want:
            problems.append(_("{index_path}: year {year}: says {stored}, the year's meetings say {want}; "
                              "delete the file and open the database to have it written again").format(
                                  index_path=path, year=year, stored=stored, want=want))


def _check_feed_tokens(db: Database, registry: dict, dataset: Dataset) -> list[str]:
    """Each stored feed token is valid, belongs to a known person and is unique."""
    problems: list[str] = []
    table = registry.get("feed_tokens") or {}
    if not isinstance(table, dict):
        return [f"{db.path}: table 'feed_tokens' is not an object"]
    seen: set[str] = set()
    for key, raw in table.items():
        try:
            token = FeedToken.model_validate(raw, strict=False)
        except ValidationError as exc:
            # The message names the field but never shows the secret itself.
            fields = sorted({".".join(str(p) for p in err["loc"]) for err in exc.errors()})
            problems.append(_("{path}: feed token of {key!r}: invalid field(s) {fields}").format(
                                path=db.path, key=key, fields=', '.join(fields),
                            ))
            continue
        if token.id != key:
            problems.append(_("{path}: feed token stored under {key!r} has id {token!r}").format(
                                path=db.path, key=key, token=token.id,
                            ))
        if token.id not in dataset.people:
            problems.append(_("{path}: feed token of {key!r}: field 'id': value {key!r}: no such person").format(
                                path=db.path, key=key,
                            ))
        if token.token in seen:
            problems.append(_("{path}: feed token of {key!r}: field 'token': the same token is given to two people").format(
                                path=db.path, key=key,
                            ))
        seen.add(token.token)
    return problems
