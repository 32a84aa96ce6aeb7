"""Issue 16, item 7: validating many invalid files costs time linear in their number. Each file
used to rebuild the list of all errors so far (twice), so 20,000 bad files took 5x the time of
10,000. The test counts diagnostics scanned, not seconds (benchmarks/ has the timings)."""
from __future__ import annotations

from game.engine import diagnostics as diagnostics_module
from game.engine import load_library


def _scanned_while_loading(folder, count: int, monkeypatch) -> int:
    for index in range(count):
        (folder / f"bad-{index:05}.yaml").write_text("kind: scenario\nformat: 1\nid: [oops\n", encoding="utf-8")
    scanned = [0]
    original = diagnostics_module.Diagnostics.errors

    def counting(self):
        scanned[0] += len(self)
        return original.fget(self)

    monkeypatch.setattr(diagnostics_module.Diagnostics, "errors", property(counting))
    library = load_library([folder], compile_scenarios=False)
    assert sum(d.severity == "error" for d in library.diagnostics) >= count
    return scanned[0]


def test_loading_invalid_files_never_rescans_the_diagnostics_so_far(tmp_path, monkeypatch):
    small, large = tmp_path / "small", tmp_path / "large"
    small.mkdir()
    large.mkdir()
    few = _scanned_while_loading(small, 200, monkeypatch)
    many = _scanned_while_loading(large, 400, monkeypatch)
    assert many <= 2 * few + 400, f"{few} diagnostics scanned for 200 files, {many} for 400: not linear"
