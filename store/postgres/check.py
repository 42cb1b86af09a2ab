"""`secretary check` on PostgreSQL: every document validated, the index columns against the
meetings, and the references between objects (the domain's check_references)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from pydantic import ValidationError

from secretary.domain.interchange import Dataset, check_references, format_validation_error
from secretary.domain.model import COLLECTIONS, Meeting
from secretary.domain.model import noun as noun_of
from secretary.i18n import _
from store.check import _check_feed_tokens
from store.postgres.collections import registry_models
from store.postgres.schema import LATEST
from store.repositories import Placement


def check_store(store: Any) -> list[str]:
    """Every problem found, each naming the table and the object; [] when the data is sound.
    `store` is the open store.postgres.store.PgStore (not named: the store imports this module)."""
    label = store.label
    problems: list[str] = []
    version = store._schema_version()
    if version != LATEST:
        problems.append(_("{label}: schema version {version}, expected {latest}").format(
                            label=label, version=version, latest=LATEST,
                        ))
        return problems
    dataset = Dataset()
    models = registry_models()
    registry: dict[str, dict[str, dict]] = {}
    for collection, key, raw in store._query("SELECT collection, id, doc FROM registry ORDER BY collection, id").fetchall():
        registry.setdefault(collection, {})[key] = raw
    for collection in sorted(set(registry) - set(models)):
        problems.append(_("{label}: table registry: unknown collection {collection!r} ({count} documents)").format(
                            label=label, collection=collection, count=len(registry[collection]),
                        ))
    for name in COLLECTIONS:
        if name == "meetings":
            continue
        target = getattr(dataset, name)
        for key, raw in registry.get(name, {}).items():
            try:
                model: Any = COLLECTIONS[name]
                obj = model.model_validate(raw, strict=False)
            except ValidationError as exc:
                problems.extend(format_validation_error(exc, raw, prefix=f"{label}: {noun_of(name)} {key!r}: "))
                continue
            if obj.id != key:
                problems.append(_("{label}: {kind} stored under {key!r} has id {obj!r}").format(
                                    label=label, kind=noun_of(name), key=key, obj=obj.id,
                                ))
            target[obj.id] = obj
    problems.extend(_check_feed_tokens(SimpleNamespace(path=label), registry, dataset))  # type: ignore[arg-type]

    for key, body, year, start, row, raw in store._query(
        "SELECT id, body, year, start_at, row, doc FROM meetings ORDER BY id"
    ).fetchall():
        try:
            meeting = Meeting.model_validate(raw, strict=False)
        except ValidationError as exc:
            problems.extend(format_validation_error(exc, raw, prefix=_("{label}: meeting {key!r}: ").format(label=label, key=key)))
            continue
        if meeting.id != key:
            problems.append(_("{label}: meeting stored under {key!r} has id {meeting!r}").format(
                                label=label, key=key, meeting=meeting.id,
                            ))
        dataset.meetings[meeting.id] = meeting
        place = Placement.of(meeting)
        if (body, year, start) != (place.body, place.year, place.start):
            problems.append(
                _("{label}: meeting {key!r} is indexed under {body}/{year} {start}, "
                  "but is {actual_body}/{actual_year} {actual_start}").format(
                    label=label, key=key, body=body, year=year, start=start,
                    actual_body=place.body, actual_year=place.year, actual_start=place.start,
                )
            )
        expected = place.row()
        stored = dict(row) if isinstance(row, dict) else {}
        stored["actions"] = [list(action) for action in stored.get("actions") or []]
        expected["actions"] = [list(action) for action in expected["actions"]]
        stale = [name for name in Placement.FIELDS if stored.get(name) != expected[name]]
        if stale:
            problems.append(_("{label}: meeting {key!r}: index fields {stale} differ from the meeting").format(
                                label=label, key=key, stale=', '.join(stale),
                            ))
    problems.extend(check_references(dataset))
    for (digest,) in store._query("SELECT digest FROM revoked_tokens WHERE digest !~ '^[0-9a-f]{64}$'").fetchall():
        problems.append(_("{label}: table revoked_tokens: {digest}… is not a SHA-256 digest").format(
                            label=label, digest=digest[:8],
                        ))
    return problems
