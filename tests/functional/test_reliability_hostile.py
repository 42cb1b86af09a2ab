"""Hostile import input through the real CLI, generated documents, and the export/import round trip."""

from __future__ import annotations

import hashlib
import json
import os

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secretary.cli.bootstrap import open_secretary
from secretary.domain.errors import SecretaryError
from tests.conftest import run_cli
from tests.reliability_corpus import BASE, CASES, valid_bytes


def tree_state(db) -> dict[str, tuple[str, int]]:
    """Hash and mtime of every file of the database folder except the lock's owner note and backups."""
    state = {}
    for path in sorted(db.parent.rglob("*")):
        if path.is_file() and ".backups" not in str(path) and not path.name.endswith(".owner"):
            state[str(path.relative_to(db.parent))] = (hashlib.sha256(path.read_bytes()).hexdigest(),
                                                       path.stat().st_mtime_ns)
    return state


def test_the_corpus_is_large_enough_and_its_base_imports(demo_db, tmp_path):
    assert len(CASES) >= 50
    assert len({name for name, _, _ in CASES}) == len(CASES)
    source = tmp_path / "valid.json"
    source.write_bytes(valid_bytes())
    result = run_cli("import", str(source), "--db", str(demo_db))
    assert result.returncode == 0, result.stderr.decode()


@pytest.mark.parametrize("name,build,expected", CASES, ids=[c[0] for c in CASES])
def test_hostile_import_is_refused_naming_object_field_value(demo_db, tmp_path, name, build, expected):
    source = tmp_path / "hostile.json"
    source.write_bytes(build())
    before = tree_state(demo_db)
    result = run_cli("import", str(source), "--db", str(demo_db))
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 1, err
    assert "Traceback" not in err and "unexpected error" not in err, err
    for part in expected:
        assert part in err, f"{part!r} not in {err[:500]!r}"
    assert len(err) < 20_000  # a 10 MB value is shortened, not echoed
    assert tree_state(demo_db) == before


# -- generated documents: mutations of a valid document -------------------------------------

LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30),
    st.sampled_from(["", "../x", "2027-02-30", "2026-05-04T09:00:00", "25:00", "\x00", "dassos", "ghost"]),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths(value, (*prefix, index))


ALL_PATHS = [p for p in paths(BASE) if p]


@st.composite
def mutated_documents(draw):
    doc = json.loads(json.dumps(BASE))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(ALL_PATHS))
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            action = draw(st.sampled_from(["replace", "delete", "add"]))
            if action == "delete" and isinstance(parent, dict):
                parent.pop(path[-1], None)
            elif action == "add" and isinstance(parent, dict):
                parent[draw(st.text(min_size=1, max_size=8))] = draw(LEAVES)
            else:
                parent[path[-1]] = draw(LEAVES)
        except (KeyError, IndexError, TypeError):
            continue
    return doc


@settings(max_examples=int(os.environ.get("SECRETARY_TRIALS", "200")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(doc=mutated_documents())
def test_generated_documents_import_fully_or_not_at_all(demo_db, doc):
    secretary = open_secretary(demo_db)
    before = tree_state(demo_db)
    exported = secretary.data.export_json()
    try:
        secretary.data.import_bytes(json.dumps(doc).encode())
    except SecretaryError as exc:
        assert str(exc)
        assert tree_state(demo_db) == before, "a refused import wrote something"
        assert open_secretary(demo_db).data.export_json() == exported
    else:
        assert secretary.store.check() == []
        # Everything the document holds is now stored (as validated objects).
        stored = orjson.loads(secretary.data.export_json())
        for name in ("organisations", "bodies", "people", "memberships", "milestones"):
            ids = {obj["id"] for obj in stored[name]}
            assert {obj["id"] for obj in doc.get(name, [])} <= ids


# -- round trip -------------------------------------------------------------------------------

@pytest.mark.parametrize("preset", ["midtjylland", "ludvika"])
def test_export_import_export_is_byte_identical_and_a_second_import_writes_nothing(tmp_path, preset):
    first = tmp_path / "first.json"
    assert run_cli("init", "--preset", preset, "--db", str(first)).returncode == 0
    exported = tmp_path / "export.json"
    assert run_cli("export", "json", "-o", str(exported), "--db", str(first)).returncode == 0
    second = tmp_path / "second" / "db.json"
    assert run_cli("init", "--preset", "empty", "--db", str(second)).returncode == 0
    assert run_cli("import", str(exported), "--db", str(second)).returncode == 0
    again = run_cli("export", "json", "--db", str(second))
    assert again.stdout == exported.read_bytes()
    before = tree_state(second)
    result = run_cli("import", str(exported), "--db", str(second))
    assert result.returncode == 0
    assert b"nothing changed" in result.stderr
    assert tree_state(second) == before  # bytes and mtimes of every database file
