"""A real password login: a server that asks `scram-sha-256` of every TCP connection on 127.0.0.1,
a role with a password, and the console script logging in as a person would — the password from
a `.pgpass` file ($PGPASSFILE, mode 0600) or from $PGPASSWORD, never from the command line.

The password is looked for in everything the program shows or keeps: stdout, stderr, the log
file, the process list of a running `secretary serve`, the server's own log.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import SECRETARY

ROLE, DATABASE = "sekretaer", "sekretariat"
PASSWORD = "Kodeord-" + secrets.token_hex(8)  # distinctive: found only where it leaked


@pytest.fixture(scope="module")
def server():
    from tests.postgres_cluster import Cluster

    cluster = Cluster(password_login=True)
    cluster.add_role(ROLE, PASSWORD, DATABASE)
    yield cluster
    cluster.stop()


@pytest.fixture(scope="module")
def url(server):
    return server.tcp_url(ROLE, DATABASE)


class Person:
    """One user's environment: a home of their own, no libpq password settings unless given."""

    def __init__(self, home: Path):
        self.home = home
        self.outputs: list[str] = []

    def env(self, **extra: str) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items()
               if not key.startswith("PG") and key not in ("SECRETARY_DB", "SECRETARY_FILES")}
        env.update(HOME=str(self.home), XDG_STATE_HOME=str(self.home / "state"), XDG_DATA_HOME=str(self.home / "data"),
                   XDG_CONFIG_HOME=str(self.home / "config"))
        env.update(extra)
        return env

    def run(self, *args: str, **extra: str) -> subprocess.CompletedProcess:
        done = subprocess.run([SECRETARY, *args], capture_output=True, timeout=120, env=self.env(**extra), cwd=self.home)
        self.outputs += [done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace")]
        return done

    def pgpass(self, line: str, mode: int = 0o600) -> Path:
        path = self.home / "pgpass"
        path.write_text(line + "\n")
        path.chmod(mode)
        return path

    def kept_files(self) -> str:
        """Everything the program wrote under the home (the log, templates, exports), as text."""
        texts = []
        for path in self.home.rglob("*"):
            if path.is_file() and path.name != "pgpass":
                texts.append(path.read_bytes().decode(errors="replace"))
        return "\n".join(texts)


@pytest.fixture
def person(tmp_path):
    return Person(tmp_path)


@pytest.fixture(scope="module")
def initialised(server, url, tmp_path_factory):
    """`secretary init` over TCP with the password from a .pgpass file (once for the module)."""
    person = Person(tmp_path_factory.mktemp("init"))
    pgpass = person.pgpass(f"127.0.0.1:{server.port}:{DATABASE}:{ROLE}:{PASSWORD}")
    done = person.run("init", "--preset", "midtjylland", "--db", url, PGPASSFILE=str(pgpass))
    assert done.returncode == 0, done.stderr.decode()
    assert PASSWORD not in "".join(person.outputs) + person.kept_files()
    return url


def _assert_nowhere(person: Person, server) -> None:
    assert all(PASSWORD not in text for text in person.outputs), "the password is in an output"
    assert PASSWORD not in person.kept_files(), "the password is in a file the program wrote (the log, …)"
    assert PASSWORD not in server.log_text(), "the password is in the server's log"


def test_the_password_from_a_pgpass_file_logs_in_and_is_not_on_the_command_line(initialised, server, person):
    pgpass = person.pgpass(f"127.0.0.1:{server.port}:{DATABASE}:{ROLE}:{PASSWORD}")
    listed = person.run("bodies", "--db", initialised, "--json", PGPASSFILE=str(pgpass))
    assert listed.returncode == 0, listed.stderr.decode()
    assert '"dassos"' in listed.stdout.decode()
    assert person.run("check", "--db", initialised, PGPASSFILE=str(pgpass)).returncode == 0

    # A long-running process: what `ps` shows of it, and that it is logged in over TCP with the role.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    serving = subprocess.Popen([SECRETARY, "serve", "--db", initialised, "--port", str(port)], cwd=person.home,
                               env=person.env(PGPASSFILE=str(pgpass)), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(600):  # until it answers HTTP (it has opened the database by then)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/calendars/all.ics", timeout=5) as answer:
                    assert answer.status == 200
                    break
            except urllib.error.HTTPError as exc:
                raise AssertionError(f"serve answered {exc.code}") from None
            except OSError:
                assert serving.poll() is None, serving.stderr.read().decode() if serving.stderr else ""
                time.sleep(0.1)
        else:
            raise AssertionError("serve did not answer")
        ps = subprocess.run(["ps", "-eo", "pid,args", "ww"], capture_output=True, text=True).stdout
        assert f"--db {initialised}" in ps, "the serving process is in the list, with its URL"
        assert PASSWORD not in ps
        assert PASSWORD.encode() not in Path(f"/proc/{serving.pid}/cmdline").read_bytes()
        logged_in = server.execute(server.admin_url, "SELECT count(*) FROM pg_stat_activity WHERE usename = %s "
                                   "AND client_addr = '127.0.0.1' AND datname = %s", (ROLE, DATABASE))[0][0]
        assert logged_in >= 1, "the role is connected over TCP, where only its password lets it in"
    finally:
        serving.terminate()
        out, err = serving.communicate(timeout=30)
        person.outputs += [out.decode(errors="replace"), err.decode(errors="replace")]
    _assert_nowhere(person, server)


def test_the_password_from_pgpassword_logs_in(initialised, server, person):
    listed = person.run("meetings", "--db", initialised, "--json", PGPASSWORD=PASSWORD)
    assert listed.returncode == 0, listed.stderr.decode()
    assert '"meetings"' in listed.stdout.decode()
    _assert_nowhere(person, server)


def test_a_wrong_or_missing_password_is_a_clear_error_without_any_password(initialised, server, person):
    wrong = "Forkert-" + secrets.token_hex(6)
    for name, extra, says in [
        ("wrong", {"PGPASSWORD": wrong}, "password authentication failed"),
        ("none", {}, "no password supplied"),
        ("pgpass readable by others",
         {"PGPASSFILE": str(person.pgpass(f"127.0.0.1:{server.port}:{DATABASE}:{ROLE}:{PASSWORD}", mode=0o644))},
         "no password supplied"),
    ]:
        done = person.run("bodies", "--db", initialised, **extra)
        message = done.stderr.decode()
        assert done.returncode == 1, (name, message)
        assert says in message and "127.0.0.1" in message, (name, message)
        assert "Traceback" not in message, name
        assert wrong not in message and wrong not in done.stdout.decode(), name
    assert "permissions should be u=rw" in message, "libpq says why it passed over the .pgpass file"
    assert wrong not in person.kept_files() and wrong not in server.log_text()
    _assert_nowhere(person, server)


def test_a_url_carrying_the_real_password_is_refused_before_connecting(initialised, server, person):
    before = server.execute(server.admin_url, "SELECT count(*) FROM pg_stat_activity WHERE usename = %s", (ROLE,))[0][0]
    for url in [initialised.replace(f"{ROLE}@", f"{ROLE}:{PASSWORD}@"), f"{initialised}?password={PASSWORD}"]:
        done = person.run("bodies", "--db", url)
        assert done.returncode == 1 and ".pgpass" in done.stderr.decode(), done.stderr.decode()
        done = person.run("bodies", SECRETARY_DB=url)
        assert done.returncode == 1 and "carries a password" in done.stderr.decode()
    assert server.execute(server.admin_url, "SELECT count(*) FROM pg_stat_activity WHERE usename = %s", (ROLE,))[0][0] == before
    _assert_nowhere(person, server)
