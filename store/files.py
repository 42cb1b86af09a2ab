"""Crash-safe file primitives: atomic replace with fsync, private modes, change stamps."""

from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path

from secretary.domain.errors import StoreWriteFailed

FILE_MODE = 0o600
DIR_MODE = 0o700
TMP_MARK = ".tmp-"


def stamp(path: Path) -> tuple[int, int, int] | None:
    """What identifies one version of a file: an atomic replace always changes the inode."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_dir(path: Path) -> None:
    """Create missing folders one level at a time, each private and made durable."""
    if path.is_dir():
        return
    ensure_dir(path.parent)
    try:
        path.mkdir(mode=DIR_MODE)
    except FileExistsError:
        return
    fsync_dir(path.parent)


def describe_os_error(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        reason = "the disk is full"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = "permission denied"
    else:
        reason = exc.strerror or str(exc)
    return f"could not save {path}: {reason}; nothing was changed"


def _later_than_previous(fd: int, path: Path) -> None:
    """Give the new version an mtime after the one it replaces.

    `stamp` tells versions apart by (inode, size, mtime). Filesystems reuse a freed
    inode at once (ext4 alternates two), and a coarse clock gives writes in one tick
    the same mtime, so version n+2 could carry version n's stamp and a reader would
    keep a stale cache and overwrite the newer data. Strictly rising mtimes rule that out.
    """
    try:
        previous = os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return
    current = os.fstat(fd)
    step = 1
    while current.st_mtime_ns <= previous and step <= 10**10:
        os.utime(fd, ns=(current.st_atime_ns, previous + step))
        current = os.fstat(fd)
        step *= 1000  # filesystems with coarse timestamps drop a 1 ns step


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves the old or the new file, never a mix."""
    tmp = path.with_name(f"{path.name}{TMP_MARK}{os.getpid()}-{secrets.token_hex(4)}")
    replaced = False
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            _later_than_previous(fd, path)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        replaced = True
        fsync_dir(path.parent)
    except OSError as exc:
        if replaced:
            raise StoreWriteFailed(f"saved {path}, but the folder could not be flushed to disk: {exc.strerror}") from None
        try:
            tmp.unlink()
        except OSError:
            pass
        raise StoreWriteFailed(describe_os_error(path, exc)) from None


def read_bytes(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def remove_stale_temporaries(root: Path) -> list[Path]:
    """Delete temporary files a killed writer left; call only while holding the write lock."""
    removed: list[Path] = []
    if not root.exists():
        return removed
    for path in root.rglob(f"*{TMP_MARK}*"):
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            pass
    return removed
