"""The benchmark harness runs end to end at a tiny scale and reports every documented key (no timing asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from benchmarks.generate import counts, generate

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = [
    "scale", "edit_ms", "edit_ms_tinydb_default", "edit_ms_sqlite", "first_screen_s",
    "first_screen_s_textual_minimal", "search_ms", "feeds_all_s", "minutes_docx_s",
    "minutes_docx_s_plain", "plan_all_s", "scorecard_s", "peak_mb", "site_full_s", "site_incremental_s",
    "search_first_ms", "search_update_ms", "search_stem_hits",
    "serve_rps_200", "serve_rps_304", "serve_rps_304_gzip", "serve_rps_static",
    "search_flush_ms", "feeds_all_cold_s", "feeds_all_cold_nocache_s",
]


def test_generator_is_deterministic_and_scales(tmp_path):
    first = generate(0.01, tmp_path / "a")
    again = generate(0.01, tmp_path / "b")
    assert first.counts == again.counts
    assert first.counts["items"] == 15 * first.counts["meetings"] == 15 * counts(0.01)["meetings"]
    substantive = first.counts["meetings"] * 12  # 15 items a meeting, 3 of them standing items without background
    assert 1024 <= first.counts["background_bytes"] / substantive <= 2048 + 300
    def index_files(generated):
        root = generated.product.with_name("secretary.json.d") / "index"
        return {path.name: path.read_bytes() for path in sorted(root.glob("*.json"))}

    assert index_files(first) and index_files(first) == index_files(again)
    assert counts(10)["bodies"] == 200 and counts(10)["people"] == 20_000 and counts(0.1)["meetings"] == 300
    cached = generate(0.01, tmp_path / "a")  # from the cache: same place, no regeneration
    assert cached.directory == first.directory
    from secretary.cli.bootstrap import open_secretary

    secretary = open_secretary(first.product)
    meeting_id, item_id = first.sample_item()
    assert secretary.records.meeting(meeting_id).item(item_id).background
    assert secretary.store.check() == []


def test_benchmark_run_reports_every_key(tmp_path):
    env = dict(os.environ, SECRETARY_BENCH_CACHE=str(tmp_path / "cache"))
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--scale", "0.01", "--json", "--repeat", "1", "--quiet"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout)
    readme = (ROOT / "benchmarks" / "README.md").read_text(encoding="utf-8")
    for key in REQUIRED:
        assert key in result, key
        assert f"`{key}`" in readme, f"{key} is not documented in benchmarks/README.md"
    assert result["scale"] == 0.01
    for key in REQUIRED[1:]:
        value = result[key]
        if value is None:  # a feature still missing is reported as null, with a note saying why
            assert result["notes"], key
            continue
        assert value > 0, key
    assert result["search_documents"] > 450


def test_only_picks_the_postgresql_parts_asked_for(tmp_path):
    import pytest

    from tests.postgres_cluster import find_binary

    if not find_binary("initdb"):
        pytest.skip("PostgreSQL is not installed (.ci/system-deps)")
    env = dict(os.environ, SECRETARY_BENCH_CACHE=str(tmp_path / "cache"))
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--scale", "0.01", "--repeat", "1", "--quiet", "--postgresql", "auto",
         "--postgresql-only", "--only", "pg_first_screen_s"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout)
    assert result["pg_first_screen_s"] > 0 and result["pg_load_s"] > 0
    assert not {"pg_edit_ms", "pg_search_ms", "pg_feeds_all_s", "edit_ms"} & set(result), sorted(result)
