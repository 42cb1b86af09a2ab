"""The user's keymap for the TUI: a small TOML file mapping binding ids to keys.

    "nav.meetings" = "f5"
    "agenda.move_up" = ["ctrl+up", "K"]

Read and checked here, without Textual: the CLI refuses a bad file with one message
naming the file and the problem before the TUI starts. The TUI applies the result
with `App.set_keymap` (Textual's format: binding id → "key[,key]").
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

from secretary.domain.errors import InvalidData
from secretary.i18n import N_, _

GLOBAL_PREFIXES = ("nav.", "app.")  # the app's own keys: live on every screen
LIST_HINT = N_("press ? in the TUI or run `secretary keys` to list them")


class InvalidKeymap(InvalidData):
    """The keymap file cannot be used: every problem names the file."""

    title = N_("Invalid keymap")


def load_keymap(path: Path, known_ids: Collection[str]) -> dict[str, str]:
    """The keymap in `path` as Textual wants it ({binding id: "key[,key]"}); {} when there is no file.

    Raises InvalidKeymap (a SecretaryError) naming the file and each problem: TOML syntax
    (with tomllib's line and column), a value that is not a key or a list of keys, an empty
    key, a key with a space, an unknown binding id, one key given to two of the app's global
    (`nav.*`, `app.*`) bindings.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise InvalidKeymap([_("{path}: cannot be read: {reason}").format(path=path, reason=error.strerror or error)]) from None
    import tomllib  # deferred: 2 ms of every start, and most users have no keymap file

    try:
        document = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise InvalidKeymap([_("{path}: not UTF-8 text (byte {byte})").format(path=path, byte=error.start)]) from None
    except tomllib.TOMLDecodeError as error:
        raise InvalidKeymap([_("{path}: not valid TOML: {reason}").format(path=path, reason=error)]) from None

    known = set(known_ids)
    problems: list[str] = []
    keymap: dict[str, str] = {}
    for binding_id, value in _flatten(document):
        if binding_id not in known:
            problems.append(_("{path}: unknown binding id {id!r} ({hint})").format(path=path, id=binding_id, hint=_(LIST_HINT)))
            continue
        keys = _keys(value)
        if keys is None:
            problems.append(
                _(
                    '{path}: {id!r}: value {value!r}: not a key; write a key such as "ctrl+n" or a list of keys such as ["f", "slash"]'
                ).format(path=path, id=binding_id, value=value)
            )
            continue
        if not keys:
            problems.append(_("{path}: {id!r}: no key given").format(path=path, id=binding_id))
            continue
        bad = False
        for key in keys:
            if not key:
                problems.append(_("{path}: {id!r}: value {value!r}: an empty key").format(path=path, id=binding_id, value=value))
                bad = True
            elif any(ch.isspace() for ch in key):
                problems.append(
                    _('{path}: {id!r}: key {key!r} has a space; write keys without spaces ("ctrl+n"), several keys as a list').format(
                        path=path, id=binding_id, key=key
                    )
                )
                bad = True
        if not bad:
            keymap[binding_id] = ",".join(keys)

    problems.extend(_global_clashes(path, keymap))
    if problems:
        raise InvalidKeymap(problems)
    return keymap


def _flatten(table: Mapping[str, object], prefix: str = ""):
    """(binding id, value) pairs: `nav.meetings = "f5"` (a dotted TOML key) and
    `[nav]` tables read as "nav.meetings" too, so the quotes may be left out."""
    for name, value in table.items():
        full = f"{prefix}{name}"
        if isinstance(value, dict):
            yield from _flatten(value, full + ".")
        else:
            yield full, value


def _keys(value: object) -> list[str] | None:
    """The keys of one entry ("a,b" is two keys, as in Textual), or None for a value of the wrong type."""
    if isinstance(value, str):
        return value.split(",")
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return [key for item in value for key in item.split(",")]
    return None


def _global_clashes(path: Path, keymap: Mapping[str, str]) -> list[str]:
    """One key given to two global bindings: Textual would silently keep one of them."""
    owner: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in keymap.items():
        if not binding_id.startswith(GLOBAL_PREFIXES):
            continue
        for key in dict.fromkeys(keys.split(",")):
            first = owner.setdefault(key, binding_id)
            if first != binding_id:
                problems.append(
                    _("{path}: key {key!r} is given to both {first!r} and {second!r}").format(
                        path=path, key=key, first=first, second=binding_id
                    )
                )
    return problems
