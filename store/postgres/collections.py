"""Which registry collections the PostgreSQL store keeps: every secretary/1 collection but
meetings, and the feed tokens (credentials: stored, never exported). A collection added to the
domain's COLLECTIONS is stored as rows of `registry` without a migration."""

from __future__ import annotations

from typing import cast

from secretary.domain.model import COLLECTIONS, Entity, FeedToken

CREDENTIALS: dict[str, type[Entity]] = {"feed_tokens": FeedToken}


def registry_models() -> dict[str, type[Entity]]:
    models: dict[str, type[Entity]] = {name: cast("type[Entity]", model) for name, model in COLLECTIONS.items() if name != "meetings"}
    return {**models, **CREDENTIALS}
