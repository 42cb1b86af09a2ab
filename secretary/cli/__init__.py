"""The command line, the feed/site server and the composition root (secretary.cli.bootstrap).

The package itself stays empty: the TUI's first screen imports the composition root, and
importing a package runs its `__init__`, so the parser and every command module are loaded
only by the entry point (secretary.cli.entry), never on the way to the first screen.
"""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    """`secretary …`: see secretary.cli.entry."""
    from secretary.cli.entry import main as run

    return run(argv)
