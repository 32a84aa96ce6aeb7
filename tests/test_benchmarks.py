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
    record = make_record("2026-01-01T00:00:00Z", {name: json.loads(json.dumps(result))})
    section = run_all.figures_section([("benchmarks/records/x.json", record)])
    for key, value in figures.items():
        assert f"| {key} | {value} |" in section
    assert name + ": " + ", ".join(f"{k} {figures[k]}" for k in run_all.HEADLINES[name]) in run_all.headline(record)


def make_record(time: str, results: dict) -> dict:
    return {"time": time, "quick": True, "machine": run_all.machine(), "load_before": [0.5],
            "commit": {"hash": time[:7], "subject": "s", "dirty": False}, "benchmarks": results}


def test_the_readme_shows_each_benchmark_from_the_newest_record_that_ran_it():
    def result(value):
        return {"args": [], "status": "ok", "figures": {"x": value}, "output": f"x {value}", "seconds": 1}

    full = make_record("2026-01-01T00:00:00Z", {"bench_a": result(1), "bench_b": result(2)})
    only_b = make_record("2026-02-01T00:00:00Z", {"bench_b": result(3)})

    section = run_all.figures_section([("records/full.json", full), ("records/only-b.json", only_b)])

    sources, a, b = section.replace("### `bench_b.py`", "### `bench_a.py`").split("### `bench_a.py`")
    assert "- `records/full.json`: 2026-01-01" in sources and sources.strip().endswith(": bench_b.")
    assert "From `full.json`." in a and "| x | 1 |" in a
    assert "From `only-b.json`." in b and "| x | 3 |" in b and "| x | 2 |" not in b


def test_a_benchmark_that_returns_no_figures_is_recorded_as_failed(tmp_path):
    (tmp_path / "bench_silent.py").write_text(
        "def main(argv=None):\n    print('  12 things: 0.5 s')\n", encoding="utf-8")

    result = run_all.run_one("bench_silent", [], timeout=60, folder=tmp_path)

    assert result["status"] == "failed (main returned None, not a dict of figures)"
    assert result["figures"] == {}
    assert result["output"] == "  12 things: 0.5 s"  # printed output kept, first line's indent included
