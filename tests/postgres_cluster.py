"""A throwaway PostgreSQL cluster for the tests: initdb in a temporary folder, a server that
listens only on a Unix socket in that folder (no TCP port), stopped and removed at the end.

`Cluster(password_login=True)` also listens on 127.0.0.1 (a free port) with `scram-sha-256`
for every TCP connection (the socket stays `trust`, for the set-up), as a real server would:
`add_role(name, password)` makes a role that can only get in over TCP with its password.

A killed test run (SIGKILL, a lost terminal) leaves its cluster behind: the server keeps running
from its folder /tmp/secpg-*. Each new cluster first sweeps the stale ones (`sweep_stale`): a
folder whose owner file names a process that is gone, or — made before folders named their
owner — whose postmaster.pid names a process that is gone. A folder whose owner lives (another
engineer's test session, running now) is never touched, nor one of an older fixture whose server
still runs (its owner cannot be told).

PostgreSQL refuses to run as root; as root the cluster is made and run as `nobody` (its folder
handed over to it), and the tests connect through the socket as that role. The binaries are
found on PATH or in Debian's /usr/lib/postgresql/<version>/bin (`.ci/system-deps` installs them).
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

_numbers = itertools.count(1)

PREFIX = "secpg-"
# Who made a cluster folder: "<pid> <start time of that process>" (the start time tells a pid
# the system gave to a new process since from the owner's).
OWNER_FILE = "owner"
# A folder of an older fixture (no owner file) without a postmaster.pid is being made (initdb
# takes seconds) or was left half removed: swept once it is this old.
UNOWNED_GRACE_SECONDS = 15 * 60


def find_binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


class Cluster:
    def __init__(self, durable: bool = False, password_login: bool = False) -> None:
        initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
        if not (initdb and pg_ctl):
            raise RuntimeError("PostgreSQL is not installed (initdb, pg_ctl): run .ci/system-deps")
        self.pg_ctl = pg_ctl
        sweep_stale()
        self.root = Path(tempfile.mkdtemp(prefix=PREFIX))  # short: a socket path has ~100 bytes
        (self.root / OWNER_FILE).write_text(_owner_line(os.getpid()))
        self.data = self.root / "data"
        self.user = None
        if os.geteuid() == 0:
            self.user = "nobody"
            shutil.chown(self.root, user=self.user)
        os.chmod(self.root, 0o755)
        self.role = self.user or _login()
        auth = ["--auth-local=trust", "--auth-host=scram-sha-256"] if password_login else ["--auth=trust"]
        self._run([initdb, "-D", str(self.data), "-U", self.role, *auth, "-E", "UTF8", "--no-instructions", "--locale=C"])
        self.port = _free_port() if password_login else 5432
        listen = "127.0.0.1" if password_login else ""
        options = f"-k {self.root} -p {self.port} -c listen_addresses='{listen}' -c max_connections=300"
        if password_login:
            options += " -c password_encryption=scram-sha-256"
        if not durable:  # tests need no crash safety from a server removed at the end; benchmarks do
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run([pg_ctl, "-D", str(self.data), "-l", str(self.root / "log"), "-w", "-o", options, "start"])
        self.admin_url = self.url("postgres")

    def _run(self, command: list[str]) -> None:
        result = subprocess.run(command, capture_output=True, text=True, user=self.user, cwd=self.root)
        if result.returncode:
            raise RuntimeError(f"{command[0]} failed: {result.stderr or result.stdout}")

    def url(self, database: str) -> str:
        port = f"&port={self.port}" if self.port != 5432 else ""
        return f"postgresql://{self.role}@/{database}?host={self.root}{port}"

    def tcp_url(self, user: str, database: str) -> str:
        """What a user types: user, host and port, no password (password_login clusters)."""
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def add_role(self, name: str, password: str, database: str) -> None:
        """A login role with a password (stored as a SCRAM verifier) that owns a new empty database."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(name), sql.Literal(password)))
            conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(database), sql.Identifier(name)))

    def log_text(self) -> str:
        return (self.root / "log").read_text(errors="replace")

    def create_database(self, name: str | None = None) -> str:
        import psycopg

        name = name or f"t{os.getpid()}_{next(_numbers)}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def execute(self, url: str, sql: str, params: tuple = ()) -> list[tuple]:
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            cur = conn.execute(sql, params)  # type: ignore[call-overload]
            return cur.fetchall() if cur.description else []

    def stop(self) -> None:
        subprocess.run([self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"], capture_output=True, user=self.user)
        shutil.rmtree(self.root, ignore_errors=True)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _login() -> str:
    import getpass

    return getpass.getuser()


# -- stale clusters of killed runs ------------------------------------------------------------

def _process_start(pid: int) -> str | None:
    """The start time of process `pid` (field 22 of /proc/<pid>/stat), or None when unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[-1].split()  # after the command name, which may hold spaces
    return fields[19] if len(fields) > 19 else None


def _owner_line(pid: int) -> str:
    return f"{pid} {_process_start(pid) or '?'}\n"


def _alive(pid: int, start: str | None = None) -> bool:
    """Whether process `pid` exists (and, given its start time, is still that process). In doubt: alive."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, under another user
    try:
        if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0] == "Z":
            return False  # ended, not yet reaped by its parent
    except (OSError, IndexError):
        pass
    if start is None or start == "?":
        return True
    now = _process_start(pid)
    return now is None or now == start


def _server(data: Path) -> tuple[bool, int | None, bool]:
    """What data/postmaster.pid says: (whether it exists, the pid it names when that process
    lives, whether that process is the server of `data` — its command line names the folder)."""
    try:
        first = (data / "postmaster.pid").read_text().split("\n", 1)[0]
    except FileNotFoundError:
        return False, None, False
    except OSError:
        return True, -1, False  # unreadable: a process that may be a server (never touched)
    try:
        pid = int(first)
    except ValueError:
        return True, None, False  # torn: written by a server that did not finish starting
    if not _alive(pid):
        return True, None, False
    try:
        argv = [arg for arg in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") if arg]
    except OSError:
        return True, -1, False
    here = os.path.realpath(data)
    return True, pid, any(os.path.realpath(os.fsdecode(arg)) == here for arg in argv[1:])


def _looks_like_a_server(pid: int) -> bool:
    try:
        argv0 = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
    except OSError:
        return True  # cannot tell: say it is
    return os.path.basename(os.fsdecode(argv0)) in ("postgres", "postmaster")


def stale(root: Path) -> bool:
    """Whether the cluster folder `root` belongs to no running test session."""
    try:
        pid, _sep, start = (root / OWNER_FILE).read_text().strip().partition(" ")
        return not _alive(int(pid), start or None)
    except FileNotFoundError:
        pass  # an older fixture's: judged by its server
    except (OSError, ValueError):
        return False  # being written, or unreadable: leave it
    has_pid_file, server, ours = _server(root / "data")
    if server is not None and (ours or server < 0 or _looks_like_a_server(server)):
        return False  # a server runs there (or may): its session may be using it
    if has_pid_file:
        return True  # the server it names is gone (its number may be another program's now)
    try:
        age = time.time() - root.stat().st_mtime
    except OSError:
        return False
    return age > UNOWNED_GRACE_SECONDS


def sweep_stale(folder: Path | None = None) -> list[Path]:
    """Stop the servers of stale cluster folders in `folder` (the temporary folder) and remove
    the folders; returns those removed. Never raises: a folder it may not touch stays."""
    removed = []
    for root in sorted(Path(folder or tempfile.gettempdir()).glob(f"{PREFIX}*")):
        try:
            if not root.is_dir() or root.is_symlink() or not stale(root):
                continue
            _has, pid, ours = _server(root / "data")
            if pid is not None and ours:
                os.kill(pid, signal.SIGQUIT)  # the postmaster's immediate shutdown
                deadline = time.monotonic() + 30
                while _alive(pid) and time.monotonic() < deadline:
                    time.sleep(0.05)
                if _alive(pid):
                    continue
            shutil.rmtree(root, ignore_errors=True)
            if not root.exists():
                removed.append(root)
        except OSError:
            continue
    return removed
