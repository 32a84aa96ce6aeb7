"""Issue 16: random bytes and random YAML trees through ``validate``, ``run`` and save loading.

Every input must end in diagnostics, a game, a refused save or a one-line user error: never a
traceback and never the crash report that ``offramp`` writes for a bug in itself (exit 70).
The commands run in-process on a small library (the bundled catalogue, rules and personas) so an
example costs a fraction of a second. Hypothesis has no deadline; the number of examples per
target is 25 in CI (derandomized, the same inputs every run) and OFFRAMP_HOSTILE_EXAMPLES=N for a
longer random run.
"""
from __future__ import annotations

import copy
import io
import json
import os
import shutil
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.cli import INTERNAL_ERROR, main
from game.engine import load_library
from game.paths import bundled_story
from game.saves import SaveError, SaveStore
from tests.fuzz.mutations import tree_nodes

from .helpers import first_choices

STORY = bundled_story()
BASE = [STORY / "tactics.yaml", STORY / "rules.yaml", STORY / "personas"]
TUTORIAL = STORY / "scenarios" / "tutorial.yaml"
LONG_RUN = "OFFRAMP_HOSTILE_EXAMPLES" in os.environ
HOSTILE = settings(max_examples=int(os.environ.get("OFFRAMP_HOSTILE_EXAMPLES", "25")), deadline=None,
                   derandomize=not LONG_RUN, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                          HealthCheck.function_scoped_fixture])

# Words the story schema knows, so random trees reach past "unknown field" into the compiler.
FIELDS = ["format", "kind", "id", "title", "summary", "difficulty", "minutes", "cast", "adversary", "start",
          "rounds", "choices", "text", "tags", "goto", "effects", "if", "endings", "outcome", "variables",
          "type", "initial", "min", "max", "lines", "on_enter", "reveals", "route", "scenario", "seed",
          "expect", "prefer", "random", "ending"]
WORDS = ["scenario", "persona", "policy", "playthrough", "rules", "tactics", "volkov", "tutorial", "opening",
         "done", "stalemate", "empathy.label", "credibility += 1e999", "x = 1 / 0", "turn < 1", "1e999",
         "nan", ".inf", "\x1b]0;t\x07", "{credibility}", "a" * 300, "", "~", "yes", "-1", "0x10", "1_000"]
scalars = st.one_of(st.sampled_from(WORDS), st.integers(-10**6, 10**6), st.floats(), st.booleans(), st.none(),
                    st.text(max_size=40))
trees = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=5),
    st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=10)), inner, max_size=6)),
    max_leaves=60)
edits = st.lists(st.tuples(st.integers(0, 1 << 20), trees), min_size=1, max_size=3)


def _edited(tree, changes):
    tree = copy.deepcopy(tree)
    for where, replacement in changes:
        nodes = tree_nodes(tree, [])
        if nodes:
            container, key = nodes[where % len(nodes)]
            container[key] = copy.deepcopy(replacement)
    return tree


def _dump(tree) -> bytes:
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False).encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


@pytest.fixture(autouse=True)
def reports(workdir, monkeypatch):
    """Crash reports go to a folder the tests check is still empty after each run."""
    folder = workdir / "reports"
    monkeypatch.setenv("OFFRAMP_REPORTS", str(folder))
    return folder


def offramp_in_process(args, story: Path | None = None) -> tuple[int, str]:
    """``offramp ARGS`` over the small library (plus ``story``); (exit code, stdout + stderr)."""
    paths = [*BASE, *([story] if story else [])]
    out = io.StringIO()
    with mock.patch("game.cli.common.story_paths", lambda extra=(): list(paths)), \
            mock.patch("game.cli.story.story_paths", lambda extra=(): list(paths)), \
            redirect_stdout(out), redirect_stderr(out):
        code = main(args)
    return code, out.getvalue()


def check_no_crash(code: int, output: str, reports: Path) -> None:
    assert code != INTERNAL_ERROR and "Traceback" not in output, output
    assert not (reports.exists() and any(reports.iterdir())), output


def validate_and_run(folder: Path, reports: Path) -> None:
    """validate the folder, then run every scenario that compiled, taking first choices."""
    code, output = offramp_in_process(["validate", str(folder), "--json"], folder)
    check_no_crash(code, output, reports)
    library = load_library([*BASE, folder])
    for ident in library.scenarios:
        code, output = offramp_in_process(["run", ident, "--json"], folder)
        check_no_crash(code, output, reports)
        if code == 0:
            choices = json.loads(output)["choices"][:1]
            code, output = offramp_in_process(["run", ident, "--seed", "3", *[f"--choose={c}" for c in choices]],
                                              folder)
            check_no_crash(code, output, reports)


def _fresh(workdir: Path, name: str) -> Path:
    folder = workdir / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    return folder


@HOSTILE
@given(data=st.binary(max_size=4096))
def test_random_bytes_as_a_story_file(workdir, reports, data):
    folder = _fresh(workdir, "bytes")
    (folder / "random.yaml").write_bytes(data)
    validate_and_run(folder, reports)


@HOSTILE
@given(tree=trees)
def test_random_yaml_trees_as_a_story_file(workdir, reports, tree):
    folder = _fresh(workdir, "trees")
    (folder / "random.yaml").write_bytes(_dump(tree))
    validate_and_run(folder, reports)


@HOSTILE
@given(changes=edits)
def test_a_scenario_with_random_subtrees_validates_and_runs(workdir, reports, changes):
    scenario = yaml.safe_load(TUTORIAL.read_text(encoding="utf-8"))
    folder = _fresh(workdir, "edited")
    (folder / "tutorial.yaml").write_bytes(_dump(_edited(scenario, changes)))
    validate_and_run(folder, reports)


@pytest.fixture(scope="module")
def good_save(workdir):
    library = load_library([*BASE, TUTORIAL])
    store = SaveStore(workdir / "good-saves")
    data = store.save(first_choices(library.scenarios["tutorial"], 5, 3), "good").read_bytes()
    return library, data


def load_save(library, workdir: Path, reports: Path, data: bytes) -> None:
    """Load the bytes as a slot, through the store and through 'offramp run --load'."""
    saves = _fresh(workdir, "saves")
    (saves / "slot.json").write_bytes(data)
    try:
        SaveStore(saves).load(library, "slot")
    except SaveError:
        pass
    code, output = offramp_in_process(["run", "--load", "slot", "--saves-dir", str(saves), "--json"], TUTORIAL)
    check_no_crash(code, output, reports)
    code, output = offramp_in_process(["saves", "--saves-dir", str(saves)])
    check_no_crash(code, output, reports)


@HOSTILE
@given(data=st.binary(max_size=4096))
def test_random_bytes_as_a_save(workdir, reports, good_save, data):
    load_save(good_save[0], workdir, reports, data)


@HOSTILE
@given(changes=edits)
def test_a_save_with_random_subtrees_loads_or_is_refused(workdir, reports, good_save, changes):
    library, data = good_save
    tree = _edited(json.loads(data), changes)
    load_save(library, workdir, reports, json.dumps(tree).encode("utf-8", "surrogatepass"))
