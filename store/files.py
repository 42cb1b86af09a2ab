"""Crash-safe file primitives: atomic replace with fsync, private modes, change stamps."""

from __future__ import annotations

import errno
import os
import secrets
import stat as stat_module
from pathlib import Path

from secretary.domain.errors import StoreDamaged, StoreWriteFailed
from secretary.i18n import _

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
    """Create missing folders one level at a time, each private (whatever the umask) and durable."""
    if path.is_dir():
        return
    ensure_dir(path.parent)
    try:
        path.mkdir(mode=DIR_MODE)
    except FileExistsError:
        return
    os.chmod(path, DIR_MODE)  # mkdir's mode is filtered by the umask
    fsync_dir(path.parent)


def not_a_link(path: Path, what: str = "folder") -> None:
    """Refuse a symbolic link, or a file of the wrong kind, where the store keeps its own `what`.

    The store never follows a link out of the database folder: a linked backups or journal
    folder would have a snapshot written, or files deleted, wherever the link points.
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    except NotADirectoryError:
        raise StoreDamaged(_("{parent}: is a file where secretary keeps a folder; move it away").format(parent=path.parent)) from None
    if stat_module.S_ISLNK(st.st_mode):
        raise StoreDamaged(
            _("{path}: is a symbolic link where secretary keeps its own {what}; secretary does not "
              "follow links out of the database folder: replace the link by a real {what}").format(
                path=path, what=what,
            )
        )
    if what == "folder" and not stat_module.S_ISDIR(st.st_mode):
        raise StoreDamaged(_("{path}: is a file where secretary keeps a folder; move it away").format(path=path))
    if what == "file" and not stat_module.S_ISREG(st.st_mode):
        raise StoreDamaged(_("{path}: is not a regular file (a folder or a device) where secretary keeps a file; move it away").format(
                               path=path,
                           ))


def ensure_own_dir(path: Path, top: Path) -> None:
    """`ensure_dir` for the store's own folders: every level from `top` down must be a real folder."""
    for level in [path, *path.parents]:
        not_a_link(level)
        if level == top:
            break
    ensure_dir(path)


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


def write_new(path: Path, data: bytes, later_than: Path | None = None) -> None:
    """Create `path` (it must not exist) private, holding `data`, flushed to disk; its mtime after
    `later_than`'s (the file it will replace). Raises OSError; the caller removes a partial file."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)  # the mode of os.open is filtered by the umask
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        if later_than is not None:
            _later_than_previous(fd, later_than)
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves the old or the new file, never a mix."""
    tmp = path.with_name(f"{path.name}{TMP_MARK}{os.getpid()}-{secrets.token_hex(4)}")
    replaced = False
    try:
        write_new(tmp, data, later_than=path)
        os.replace(tmp, path)
        replaced = True
        fsync_dir(path.parent)
    except OSError as exc:
        if replaced:
            raise StoreWriteFailed(_("saved {path}, but the folder could not be flushed to disk: {strerror}").format(
                                       path=path, strerror=exc.strerror,
                                   )) from None
        try:
            tmp.unlink()
        except OSError:
            pass
        raise StoreWriteFailed(describe_os_error(path, exc)) from None


def read_bytes(path: Path) -> bytes | None:
    """A stored file's bytes, or None when it does not exist. A link, a folder, a FIFO or a
    device where the store keeps a file is refused (StoreDamaged), never followed or waited on."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise StoreDamaged(
                _("{path}: is a symbolic link where secretary keeps its own file; secretary does not follow "
                  "links out of the database folder: replace the link by the file itself").format(path=path)
            ) from None
        if exc.errno == errno.ENOTDIR:
            raise StoreDamaged(_("{parent}: is a file where secretary keeps a folder; move it away").format(parent=path.parent)) from None
        raise
    try:
        st = os.fstat(fd)
        if not stat_module.S_ISREG(st.st_mode):
            kind = "a folder" if stat_module.S_ISDIR(st.st_mode) else "not a regular file"
            raise StoreDamaged(_("{path}: is {kind} where secretary keeps a file; move it away").format(path=path, kind=kind))
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            return handle.read()
    finally:
        if fd >= 0:
            os.close(fd)


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
