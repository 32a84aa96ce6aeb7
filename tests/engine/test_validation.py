"""`offramp validate`: the bundled story is clean, and each deliberate mistake is named precisely.

Every file in broken/ carries its own expectation in a comment line
``# expect: CODE LINE:COL[, CODE LINE:COL...]`` (or ``nothing`` for support files),
so adding a case is adding a file.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from game.engine import load_library
from game.engine.codes import CODES
from game.paths import story_paths
from game.tools.explore import check_stuck_rounds

from .helpers import BROKEN, no_traceback, offramp

EXPECT = re.compile(rb"^# expect: (.+)$", re.M)
RUNTIME_ONLY = {"E400"}  # reported while playing, never by the loader or compiler


def expected(path) -> set[tuple[str, int, int]]:
    match = EXPECT.search(path.read_bytes())
    assert match, f"{path.name} needs a '# expect: CODE LINE:COL' line"
    text = match.group(1).decode()
    if text.strip() == "nothing":
        return set()
    found = set()
    for item in text.split(","):
        code, _, where = item.strip().partition(" ")
        line, col = where.split(":")
        found.add((code, int(line), int(col)))
    return found


BROKEN_FILES = sorted(BROKEN.glob("*.yaml"))


@pytest.fixture(scope="module")
def broken_diagnostics():
    library = load_library([*story_paths(), BROKEN])  # the order validate uses: the checked folder last
    check_stuck_rounds(library)  # E307 comes from validate's bounded search, not from the loader
    by_file = defaultdict(set)
    for d in library.diagnostics:
        by_file[d.path].add((d.code, d.line, d.col))
    return by_file


def test_bundled_story_validates():
    result = offramp("validate", "story/")
    no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stdout


@pytest.mark.parametrize("path", BROKEN_FILES, ids=lambda p: p.stem)
def test_broken_file_gives_expected_diagnostics(path, broken_diagnostics):
    assert broken_diagnostics.get(str(path), set()) == expected(path)


def test_broken_folder_covers_every_loader_code():
    covered = {code for path in BROKEN_FILES for code, _, _ in expected(path)}
    assert covered == set(CODES) - RUNTIME_ONLY


def test_validate_cli_reports_broken_folder():
    result = offramp("validate", BROKEN, "--json")
    no_traceback(result)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    got = {(Path(d["path"]).name, d["code"], d["line"], d["col"]) for d in report["diagnostics"]}
    want = {(p.name, code, line, col) for p in BROKEN_FILES for code, line, col in expected(p)}
    assert got == want
    assert report["errors"] == sum(1 for d in report["diagnostics"] if d["severity"] == "error") > 0


def test_validate_text_lines_are_path_line_col():
    path = BROKEN / "e100-unknown-goto.yaml"
    ((code, line, col),) = expected(path)
    result = offramp("validate", path)
    assert result.returncode == 1
    assert re.search(rf"e100-unknown-goto\.yaml:{line}:{col}: error {code}: .*'corridor'", result.stdout), result.stdout


def test_warnings_alone_exit_zero():
    result = offramp("validate", BROKEN / "w303-unused-variable.yaml")
    assert result.returncode == 0, result.stdout
    assert "warning W303" in result.stdout


@pytest.mark.parametrize("args", [
    ("validate", "no/such/folder"),
    ("validate", "story/", "--story"),
    ("validate", "story/", "--no-such-option"),
], ids=["missing-path", "option-without-value", "unknown-option"])
def test_bad_usage_exits_2(args):
    result = offramp(*args)
    no_traceback(result)
    assert result.returncode == 2
    assert result.stderr.strip()


def test_a_mistyped_reference_gets_a_suggestion(tmp_path):
    from game.engine import load_library
    from game.paths import bundled_story

    scenario = (bundled_story() / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    broken = scenario.replace("tags: [empathy.label]", "tags: [empathy.lable]", 1)
    assert broken != scenario
    (tmp_path / "copy.yaml").write_text(broken.replace("id: tutorial", "id: tutorial-copy", 1), encoding="utf-8")
    library = load_library([bundled_story(), tmp_path])
    messages = [d.message for d in library.diagnostics if d.path.endswith("copy.yaml")]
    assert any("unknown tactic 'empathy.lable'; did you mean 'empathy.label'?" in m for m in messages), messages


@pytest.mark.parametrize("field, written, message", [
    ("move_chance", '"0.35"', None),
    ("move_chance", "40", "a probability runs from 0 to 1, not 40 (did you mean 0.4?)"),
    ("move_chance", '"1.5"', "a probability runs from 0 to 1, not 1.5"),
    ("move_chance", '"-0.1"', "a probability runs from 0 to 1, not -0.1"),
])
def test_a_constant_probability_outside_0_to_1_is_refused_where_written(tmp_path, field, written, message):
    from game.paths import bundled_story

    persona = (bundled_story() / "personas" / "shen.yaml").read_text(encoding="utf-8")
    lines = [f"{field}: {written}" if line.startswith(f"{field}:") else line for line in persona.splitlines()]
    (tmp_path / "shen.yaml").write_text("\n".join(lines).replace("id: shen", "id: shen-copy", 1), encoding="utf-8")
    scenario = (bundled_story() / "scenarios" / "mediator.yaml").read_text(encoding="utf-8")
    (tmp_path / "med.yaml").write_text(scenario.replace("id: mediator", "id: med-copy", 1)
                                       .replace("mediator: shen", "mediator: shen-copy"), encoding="utf-8")
    library = load_library([bundled_story(), tmp_path])
    found = [(d.code, d.line, d.message) for d in library.diagnostics if d.path.endswith("shen.yaml")]
    row = next(i for i, line in enumerate(lines, 1) if line.startswith(f"{field}:"))
    assert found == ([] if message is None else [("E009", row, message)])


def test_a_negative_constant_move_weight_is_refused(tmp_path):
    from game.paths import bundled_story

    persona = (bundled_story() / "personas" / "shen.yaml").read_text(encoding="utf-8")
    assert "    weight: " in persona
    head, _, tail = persona.partition("    weight: ")
    broken = head + '    weight: "-2"\n' + tail.partition("\n")[2]
    (tmp_path / "shen.yaml").write_text(broken.replace("id: shen", "id: shen-copy", 1), encoding="utf-8")
    scenario = (bundled_story() / "scenarios" / "mediator.yaml").read_text(encoding="utf-8")
    (tmp_path / "med.yaml").write_text(scenario.replace("id: mediator", "id: med-copy", 1)
                                       .replace("mediator: shen", "mediator: shen-copy"), encoding="utf-8")
    library = load_library([bundled_story(), tmp_path])
    assert [d.message for d in library.diagnostics if d.path.endswith("shen.yaml")] == [
        "a weight may not be negative (-2)"]
