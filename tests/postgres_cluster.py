"""A throwaway PostgreSQL cluster for the tests: initdb in a temporary folder, a server that
listens only on a Unix socket in that folder (no TCP port), stopped and removed at the end.

`Cluster(password_login=True)` also listens on 127.0.0.1 (a free port) with `scram-sha-256`
for every TCP connection (the socket stays `trust`, for the set-up), as a real server would:
`add_role(name, password)` makes a role that can only get in over TCP with its password.

PostgreSQL refuses to run as root; as root the cluster is made and run as `nobody` (its folder
handed over to it), and the tests connect through the socket as that role. The binaries are
found on PATH or in Debian's /usr/lib/postgresql/<version>/bin (`.ci/system-deps` installs them).
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

_numbers = itertools.count(1)


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
        self.root = Path(tempfile.mkdtemp(prefix="secpg-"))  # short: a socket path has ~100 bytes
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
