"""The whole database as data: `secretary/1` import (upsert, all or nothing) and export."""

from __future__ import annotations

from secretary.domain.errors import InvalidData
from secretary.domain.interchange import Dataset, check_references, dump_document, parse_bytes, parse_document
from secretary.services.feeds import FeedService
from secretary.services.meeting_writer import MeetingWriter
from secretary.services.ports import Store
from secretary.services.records import Records


class DataService:
    """Imports and exports; `replace_all` is what `init --force` does."""

    def __init__(self, store: Store, records: Records, writer: MeetingWriter, feeds: FeedService):
        self.store = store
        self.records = records
        self.writer = writer
        self.feeds = feeds

    def export_json(self) -> bytes:
        return dump_document(self.records.dataset())

    def import_bytes(self, data: bytes, source: str = "input") -> dict[str, int]:
        return self.import_dataset(parse_document(parse_bytes(data, source)))

    def import_dataset(self, incoming: Dataset) -> dict[str, int]:
        """Upsert every object by id, all or nothing; returns how many objects changed per collection."""
        with self.store.transaction():
            problems = check_references(incoming, self.records.registry())
            if problems:
                raise InvalidData(problems)
            changed: dict[str, int] = {}
            for name, objects in incoming.collections():
                if name == "meetings":
                    continue
                repo = getattr(self.store, name)
                stored = repo.all()
                fresh = [obj for key, obj in sorted(objects.items()) if stored.get(key) != obj]
                repo.save_many(fresh)
                changed[name] = len(fresh)
            changed["meetings"] = self.writer.save_many(incoming.meetings.values(), imported=True)
        return changed

    def replace_all(self, dataset: Dataset, backup_name: str | None = None) -> None:
        """Make the database hold exactly `dataset` (init --force); the old state is kept as a backup.
        Feed tokens of people who are gone stop working."""
        store = self.store
        with store.transaction():
            # Every token of the old state is revoked for good first: a restored backup or the new
            # state's same person ids must not bring a feed URL back (attack class 11).
            self.feeds.revoke_all_feed_tokens()
            if backup_name and store.exists():
                store.backups.snapshot(backup_name)
            for name, _objects in dataset.collections():
                if name == "meetings":
                    for meeting_id in list(store.meetings.rows()):
                        store.meetings.delete(meeting_id)
                    continue
                repo = getattr(store, name)
                for key in list(repo.all()):
                    repo.delete(key)
            self.import_dataset(dataset)
            self.feeds.drop_orphan_feed_tokens()  # a replaced person's feed URL must stop working
