"""The wheel ships the four top-level packages; their generic names are guarded here."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("secretary", "screens", "store", "exports")


def test_wheel_holds_and_imports_each_package(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )
    wheel = next(tmp_path.glob("secretary-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for package in PACKAGES:
        assert f"{package}/__init__.py" in names
    assert "secretary/domain/presets/midtjylland.json" in names
    assert "exports/site/templates/base.html" in names and "exports/site/templates/style.css" in names
    for lang in ("da", "sv", "en"):  # the interface's compiled catalogs travel with the code
        assert f"secretary/i18n/locale/{lang}/LC_MESSAGES/secretary.mo" in names
    assert not any(name.startswith("tests/") for name in names)
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        check=True, capture_output=True,
    )
    code = (
        "import importlib, sys; sys.path.insert(0, sys.argv[1]);"
        f"mods = [importlib.import_module(p) for p in {PACKAGES!r}];"
        "print(all(m.__file__.startswith(sys.argv[1]) for m in mods))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(target)], cwd=tmp_path, capture_output=True, text=True)
    assert out.stdout.strip() == "True", out.stderr
    # Installed, the catalogs are found beside the code: Danish without the source tree.
    danish = (
        "import sys; sys.path.insert(0, sys.argv[1]); from secretary import i18n;"
        "i18n.set_language('da'); print(i18n.LOCALE_DIR.is_relative_to(sys.argv[1]), i18n._('Meetings'))"
    )
    out = subprocess.run([sys.executable, "-c", danish, str(target)], cwd=tmp_path, capture_output=True, text=True)
    assert out.stdout.split() == ["True", "Møder"], out.stderr
