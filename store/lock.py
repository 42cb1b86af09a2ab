"""One writer at a time across processes, with the holder named when another has to give up."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import filelock

from secretary.domain.errors import StoreBusy
from store.files import FILE_MODE, read_bytes

DEFAULT_TIMEOUT = 10.0


def lock_timeout() -> float:
    try:
        return float(os.environ.get("SECRETARY_LOCK_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


class WriteLock:
    """An exclusive OS file lock plus an owner file that says which process holds it."""

    def __init__(self, path: Path, timeout: float | None = None):
        self.path = path
        self.owner_path = path.with_name(path.name + ".owner")
        self.timeout = lock_timeout() if timeout is None else timeout
        self._lock = filelock.FileLock(str(path), timeout=self.timeout, mode=FILE_MODE, thread_local=False)
        self._local = threading.RLock()

    def holder(self) -> str:
        owner = read_bytes(self.owner_path)
        return owner.decode("utf-8", "replace").strip() if owner else "unknown"

    def acquire(self, timeout: float | None = None) -> None:
        self._local.acquire()
        try:
            self._lock.acquire(timeout=self.timeout if timeout is None else timeout)
        except filelock.Timeout:
            self._local.release()
            raise StoreBusy(
                f"database is in use by another secretary process, {self.holder()}; "
                "try again when it has finished, or open it read-only"
            ) from None
        except BaseException:
            self._local.release()
            raise
        if self._lock.lock_counter == 1:
            # Only for the message a waiting process prints, so no fsync: it costs
            # two disk flushes per save and a stale pid after a crash does no harm.
            try:
                fd = os.open(self.owner_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
                try:
                    os.write(fd, f"pid {os.getpid()}\n".encode())
                finally:
                    os.close(fd)
            except OSError:
                pass

    def try_acquire(self) -> bool:
        try:
            self.acquire(timeout=0)
            return True
        except StoreBusy:
            return False

    def release(self) -> None:
        try:
            self._lock.release()
        finally:
            self._local.release()
