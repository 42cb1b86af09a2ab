"""Find text shown to people that is not marked for translation (used by tests/unit/test_i18n.py).

A string literal (or the literal part of an f-string) holding a word — two letters or more in
a row — is "text" where it is passed to something that shows it: a widget, a notification,
a Rich Text, a table's columns, a Binding's label or tooltip, print(), argparse's help and
description, an error raised for the user (in the screens, the CLI, the feed/site server, and
the services, the domain and the store below them: their errors reach the user as they are), a
refusal of the meeting's life, a planner's note or reason, a check's problem line. Marked text is
a call of _(), N_(), gettext or ngettext, or a constant of screens/strings.py (S.NAME).

Log-only texts stay English: a logging call (log.info, logger.warning …) is for whoever reads
the log, not for the secretary at the screen, and is not scanned.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORD = re.compile(r"[^\W\d_]{2,}")
MARKERS = {"_", "N_", "gettext", "ngettext"}
# Callees whose first positional argument is shown.
SHOWN_FIRST = {
    "Static", "Label", "Button", "Checkbox", "TabPane", "Option", "Tree", "Text", "notify", "update", "append",
    "print", "push_error", "ConfirmScreen", "ErrorScreen", "error", "exit", "SystemExit", "write", "_plain",
}
SHOWN_ALL = {"add_columns", "add_row"}
SHOWN_KEYWORDS = {"help", "description", "tooltip", "placeholder", "prompt", "title", "label", "epilog", "message"}
# Errors the user reads: their message is shown as it is.
ERRORS = re.compile(r"^(SecretaryError|InvalidData|InvalidField|NotFound|StoreBusy|StoreDamaged|StoreWriteFailed|"
                    r"MinutesLocked|StaleEdit|LifeRefused|ArgumentTypeError|InvalidKeymap|CaseRefused|MailFailed|PlanningProblem)$")
# Callees of the domain and the store whose text is a later argument: (name → position).
SHOWN_AT = {"_refuse": 1, "_need_held": 1, "_need_not_approved": 1, "Step": 1, "note": 1, "FieldError": 2, "InvalidField": 3,
            "LifeRefused": 1, "CaseRefused": 1, "build": 2, "changed": 1, "_org": 1, "add": 1,
            "Problem": 2, "_Slot": 3}


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def is_text(value: str) -> bool:
    """Holds a word to translate (the program's name, as in "secretary: …", is not one)."""
    return bool(WORD.search(value.replace("secretary", "")))


def _texts(node: ast.AST) -> list[str]:
    """The unmarked words in an argument: literals and f-string parts, not inside a marker call."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if is_text(node.value) else []
    if isinstance(node, ast.JoinedStr):
        found = [part.value for part in node.values if isinstance(part, ast.Constant) and is_text(str(part.value))]
        return found
    if isinstance(node, ast.BinOp):
        return _texts(node.left) + _texts(node.right)
    if isinstance(node, ast.IfExp):
        return _texts(node.body) + _texts(node.orelse)
    return []


def unmarked(path: Path) -> list[str]:
    """`path:line: 'text'` for each unmarked text in the file."""
    tree = ast.parse(path.read_text(), str(path))
    found: list[str] = []
    rel = path.relative_to(ROOT)

    def report(node: ast.AST, texts: list[str]) -> None:
        for text in texts:
            found.append(f"{rel}:{getattr(node, 'lineno', 0)}: {text!r}")

    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _callee(node)
        if name in MARKERS or name == "work":  # a worker's description is for the log, not shown
            continue
        args: list[ast.AST] = []
        if name == "Binding":
            args += node.args[2:3]  # key, action, description
        elif name in SHOWN_FIRST or ERRORS.match(name):
            args += node.args[:1]
        elif name in SHOWN_ALL:
            args += node.args
        if name in SHOWN_AT:
            args += node.args[SHOWN_AT[name]:SHOWN_AT[name] + 1]
        elif name in ("add_parser", "add_argument", "add_argument_group", "add_subparsers", "ArgumentParser"):
            pass
        args += [kw.value for kw in node.keywords if kw.arg in SHOWN_KEYWORDS]
        for arg in args:
            report(arg, _texts(arg))
    return found


def scanned_files() -> list[Path]:
    """The screens, the CLI (with the feed/site server, secretary/cli/server.py), the services,
    the domain and the store (the PostgreSQL backend too)."""
    files = [p for p in sorted((ROOT / "screens").glob("*.py")) if p.name != "strings.py"]
    files += sorted((ROOT / "secretary" / "cli").glob("*.py"))
    for folder in (ROOT / "secretary" / "services", ROOT / "secretary" / "domain", ROOT / "store"):
        files += sorted(folder.rglob("*.py"))
    return files
