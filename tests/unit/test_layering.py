"""The package shape and the layering contract (see DESIGN.md, Layout)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_import_linter_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize("module", ["secretary.cli", "secretary.services.facade", "store.database", "exports"])
def test_core_modules_load_without_textual(module):
    code = f"import sys, {module}; print('textual' in sys.modules or any(m.startswith('screens') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
