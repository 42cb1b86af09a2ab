"""The package shape and the layering contract (see DESIGN.md, Layout)."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_import_linter_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 6 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    "module", ["secretary.cli.entry", "secretary.services.facade", "secretary.domain.model", "store.database", "exports"]
)
def test_core_modules_load_without_textual(module):
    code = f"import sys, {module}; print('textual' in sys.modules or any(m.startswith('screens') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


PACKAGES = ("secretary", "store", "exports", "screens")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _product_imports() -> dict[str, set[str]]:
    """Every import between the product's modules, those under TYPE_CHECKING and inside functions included."""
    modules = {_module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")}
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
                # `from a.b import c` imports the module a.b.c when there is one, else names of a.b
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
            for target in targets:
                if target in modules and target != name:
                    graph[name].add(target)
    return graph


def test_no_import_cycle_between_modules_of_the_product():
    graph = _product_imports()
    assert len(graph) > 50, "the scan found the product's modules"
    cycles = []
    state: dict[str, int] = {}  # 1 on the path, 2 done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert cycles == []


def test_nothing_outside_store_and_the_composition_root_imports_store():
    offenders = sorted(
        f"{module} -> {target}"
        for module, targets in _product_imports().items()
        for target in targets
        if target.split(".")[0] == "store" and module.split(".")[0] != "store" and not module.startswith("secretary.cli")
    )
    assert offenders == []
