"""Writer processes for the round-two harnesses (issue 21): restore killed at every file-changing
call, and imports killed at random moments while readers read.

    python tests/reliability2_worker.py zygote DB     fork one child per line on stdin:
        "restorepoint TARGET NAME"   restore backup NAME, SIGKILL at the TARGET-th file-changing call
        "import TRIAL SEED"          the crash harness's import loop (tests/reliability_worker.py)
"""

from __future__ import annotations

import os
import random
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from secretary.cli.bootstrap import open_secretary  # noqa: E402
from store.database import Database  # noqa: E402
from store.tinydb_store import TinyStore  # noqa: E402
from tests.reliability_worker import import_loop, kill_at_call, say  # noqa: E402

CALLS = ("write", "fsync", "replace", "unlink", "rename", "utime", "rmdir", "mkdir")


def restorepoint_child(db_path: str, target: int, name: str) -> None:
    db = Database(Path(db_path))
    counter = kill_at_call(target, CALLS)
    TinyStore(db).backups.restore(name)
    say(f"done {counter['n']}")


def zygote(db_path: str) -> None:
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            break
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                if parts[0] == "restorepoint":
                    restorepoint_child(db_path, int(parts[1]), parts[2])
                else:
                    import_loop(open_secretary(Path(db_path)), int(parts[1]), random.Random(int(parts[2])))
            except BaseException as exc:  # noqa: BLE001 - report, never hide
                say(f"error {type(exc).__name__}: {exc}".replace("\n", " "))
                code = 3
            finally:
                os._exit(code)
        say(f"pid {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"exit {status}")


if __name__ == "__main__":
    zygote(sys.argv[2])
