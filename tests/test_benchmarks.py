"""Every benchmark's figures reach the record that benchmarks/run_all.py writes, and the README.

Each benchmark runs for real, in the child process run_all starts, with the smallest arguments
that still print and return every figure (run_all.SMOKE); the test checks what run_all made of
it, not the figures' values (speed is never asserted in tests).
"""
from __future__ import annotations

import json

import pytest

from benchmarks import run_all

pytestmark = pytest.mark.slow


def test_every_benchmark_has_smoke_arguments():
    assert set(run_all.SMOKE) == set(run_all.benchmarks())
    assert set(run_all.QUICK) == set(run_all.benchmarks())


@pytest.mark.parametrize("name", run_all.benchmarks())
def test_figures_reach_the_record_and_the_readme(name):
    result = run_all.run_one(name, run_all.SMOKE[name], timeout=300)

    assert result["status"] == "ok", result["output"]
    figures = result["figures"]
    assert figures and all(isinstance(v, int | float | str | bool) for v in figures.values()), figures
    assert set(run_all.HEADLINES[name]) <= set(figures)  # what .ci/run prints is among them
    assert result["output"] and run_all.MARK not in result["output"]
    record = {"time": "2026-01-01T00:00:00Z", "quick": True, "machine": run_all.machine(),
              "commit": {"hash": "abc1234", "subject": "s", "dirty": False}, "load_before": [0.5],
              "benchmarks": {name: json.loads(json.dumps(result))}}
    section = run_all.figures_section(record, "benchmarks/records/x.json")
    for key, value in figures.items():
        assert f"| {key} | {value} |" in section
    assert name + ": " + ", ".join(f"{k} {figures[k]}" for k in run_all.HEADLINES[name]) in run_all.headline(record)


def test_a_benchmark_that_returns_no_figures_is_recorded_as_failed(tmp_path):
    (tmp_path / "bench_silent.py").write_text(
        "def main(argv=None):\n    print('  12 things: 0.5 s')\n", encoding="utf-8")

    result = run_all.run_one("bench_silent", [], timeout=60, folder=tmp_path)

    assert result["status"] == "failed (main returned None, not a dict of figures)"
    assert result["figures"] == {}
    assert result["output"] == "  12 things: 0.5 s"  # printed output kept, first line's indent included
