"""One writer at a time across processes, with the holder named when another has to give up."""

from __future__ import annotations

import errno
import fcntl
import os
import threading
import time
from pathlib import Path

import filelock

from secretary.domain.errors import StoreBusy, StoreDamaged
from secretary.i18n import _
from store.files import FILE_MODE, not_a_link, read_bytes

# errno values that mean "this folder cannot be written": the database is opened read-only.
READ_ONLY_ERRNOS = (errno.EACCES, errno.EPERM, errno.EROFS)


class ReadOnlyFolder(Exception):
    """The lock file cannot be created or opened for writing: the folder is read-only."""

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
        try:
            owner = read_bytes(self.owner_path)
        except (OSError, StoreDamaged):
            owner = None
        return owner.decode("utf-8", "replace").strip() if owner else "unknown"

    def acquire(self, timeout: float | None = None) -> None:
        self._local.acquire()
        try:
            if self._lock.lock_counter == 0:
                # filelock opens the lock file with O_TRUNC: a link there would truncate its target.
                not_a_link(self.path, "file")
                not_a_link(self.owner_path, "file")
            self._lock.acquire(timeout=self.timeout if timeout is None else timeout)
        except filelock.Timeout:
            self._local.release()
            raise StoreBusy(
                _("database is in use by another secretary process, {holder}; try again when it has "
                  "finished, or open it read-only").format(holder=self.holder())
            ) from None
        except OSError as exc:
            self._local.release()
            if exc.errno in READ_ONLY_ERRNOS:
                raise ReadOnlyFolder(str(exc)) from None
            raise
        except BaseException:
            self._local.release()
            raise
        if self._lock.lock_counter == 1:
            # Only for the message a waiting process prints, so no fsync: it costs
            # two disk flushes per save and a stale pid after a crash does no harm.
            try:
                # O_NOFOLLOW: a link in its place must not have its target overwritten.
                fd = os.open(self.owner_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, FILE_MODE)
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


class ReadersLock:
    """Readers share the database folder; a commit holds it alone while it replaces its files.

    An flock on the folder itself (no file to create, so it works on a read-only folder too):
    a reader inside `shared()` sees no file replaced until it leaves, so it reads one commit's
    state, never half of one. Writers take it exclusively only around the replacement of their
    files (the journal's commit point and replay), not for the whole transaction.
    The caller serialises threads (Database holds its thread lock around both).
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self._fd: int | None = None
        self._shared = 0
        self._exclusive = 0

    def _open(self) -> int | None:
        if self._fd is None:
            try:
                self._fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
            except FileNotFoundError:
                return None  # no folder yet: a database of one file, replaced atomically
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                    not_a_link(self.folder)
                raise
        return self._fd

    def _flock(self, fd: int, mode: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        delay = 0.001
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusy(
                        _("the database is being read or written by another secretary process; try again shortly")
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.05)

    def acquire_shared(self, timeout: float) -> None:
        if self._shared == 0 and self._exclusive == 0:
            fd = self._open()
            if fd is not None:
                self._flock(fd, fcntl.LOCK_SH, timeout)
        self._shared += 1

    def release_shared(self) -> None:
        self._shared -= 1
        if self._shared == 0 and self._exclusive == 0 and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def acquire_exclusive(self, timeout: float) -> None:
        if self._exclusive == 0:
            fd = self._open()
            if fd is not None:
                self._flock(fd, fcntl.LOCK_EX, timeout)  # converts a shared lock of ours
        self._exclusive += 1

    def release_exclusive(self) -> None:
        self._exclusive -= 1
        if self._exclusive == 0 and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_SH if self._shared else fcntl.LOCK_UN)

    def suspend_shared(self) -> int:
        """Let go of a shared hold (before this process waits for the write lock); its depth."""
        held, self._shared = self._shared, 0
        if held and not self._exclusive and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        return held

    def resume_shared(self, held: int) -> None:
        if held:
            if not self._exclusive and self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_SH)
            self._shared = held

    def close(self) -> None:
        if self._fd is not None and not self._shared and not self._exclusive:
            os.close(self._fd)
            self._fd = None

    def __del__(self) -> None:
        if self._fd is not None:
            try:
                os.close(self._fd)
            except OSError:
                pass
