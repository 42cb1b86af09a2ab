"""What the store's parts (storage, repositories, backups, migrations) need of the open database.

A Protocol, so that they name no class of store/database.py, which creates them: the
modules of store/ then import one way (database → its parts), with no cycle even for types.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol


class DatabaseHandle(Protocol):
    path: Path
    root: Path
    partitions: Path
    backup_root: Path
    lock: Any
    journal: Any
    repos: Any
    changes: Any
    _committed: list[str]
    transaction_number: int

    @property
    def registry(self) -> Any: ...

    index_dir: Path
    legacy_index: Path
    index_summary: Path
    listing_epoch: int

    def index_path(self, year: int) -> Path: ...

    def index_years(self) -> list[int]: ...

    def index_files(self) -> list[Path]: ...

    def partition_years(self) -> set[int]: ...

    def exists(self) -> bool: ...

    def handle(self, path: Path) -> Any: ...

    def storage(self, path: Path) -> Any: ...

    def partition_path(self, body: str, year: int) -> Path: ...

    def partition_files(self) -> list[Path]: ...

    def transaction(self) -> AbstractContextManager[Any]: ...

    def in_transaction(self) -> bool: ...

    def require_transaction(self) -> None: ...

    def mark_dirty(self, storage: Any) -> None: ...

    def damaged(self, path: Path, reason: str) -> Exception: ...

    def _clear_query_cache(self, path: Path) -> None: ...

    @property
    def thread_lock(self) -> Any: ...

    @property
    def read_only(self) -> bool: ...

    @property
    def read_only_message(self) -> str: ...

    _storages: dict[Path, Any]

    def is_own_file(self, path: Path) -> bool: ...

    def _notify(self) -> None: ...
