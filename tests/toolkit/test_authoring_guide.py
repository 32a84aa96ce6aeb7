"""docs/authoring.md is executable: the newcomer's path and the worked example really work."""
from __future__ import annotations

import ast
import re
import shlex
import subprocess
import sys

import yaml

from game.engine import load_library
from game.engine.compiler import BUILTIN_NAMES
from game.engine.diagnostics import Diagnostics
from game.engine.library import read_file
from game.paths import story_paths
from game.tools import explore as ex
from game.tools.pytest_plugin import check

from .helpers import PLUGIN_ARGS, ROOT, child_env, offramp

GUIDE = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"^ *```{language}\n(.*?)^ *```", GUIDE, flags=re.S | re.M)


def _dedent(block: str) -> str:
    lines = block.splitlines()
    indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
    return "\n".join(line[indent:] for line in lines) + "\n"


def _by_kind(kind: str) -> str:
    return next(b for b in _blocks("yaml") if f"\nkind: {kind}\n" in b)


def test_newcomers_path_runs_as_written(tmp_path):
    commands = [line[2:] for line in _blocks("console")[0].splitlines() if line.startswith("$ ")]
    assert [shlex.split(c)[:2] for c in commands] == [
        ["offramp", "new"], ["offramp", "validate"], ["offramp", "explore"], ["offramp", "record"], ["pytest"]]
    edit = _dedent(next(b for b in _blocks("yaml") if b.lstrip().startswith("# add under rounds.opening.choices")))
    ini = _dedent(_blocks("ini")[0])
    (tmp_path / "pytest.ini").write_text(ini + "asyncio_default_fixture_loop_scope = function\n", encoding="utf-8")
    (tmp_path / "tests" / "playthroughs").mkdir(parents=True)
    for command in commands:
        args = shlex.split(command)
        if args[0] == "pytest":
            result = subprocess.run([sys.executable, "-m", "pytest", *PLUGIN_ARGS, "-q"], cwd=tmp_path, env=child_env(),
                                    capture_output=True, text=True, timeout=300)
            assert result.returncode == 0 and "1 passed" in result.stdout, result.stdout + result.stderr
            continue
        result = offramp(*args[1:], cwd=tmp_path)
        assert result.returncode == 0, f"{command}\n{result.stdout}{result.stderr}"
        if args[1] == "new":  # step 2: the edit the guide suggests
            path = tmp_path / "my-story" / "first-meeting.yaml"
            text = path.read_text(encoding="utf-8")
            anchor = "      - id: lecture-him\n"
            path.write_text(text.replace(anchor, edit.split("\n", 1)[1] + anchor), encoding="utf-8")
        if args[1] == "explore":
            assert "OK: every round, choice and ending is reachable" in result.stdout
    recorded = yaml.safe_load((tmp_path / "tests" / "playthroughs" / "first-meeting-door.yaml").read_text())
    assert recorded["choices"] == ["mirror-him", "ask-how"]


def test_worked_example_validates_and_explores_clean(tmp_path):
    (tmp_path / "deputy-vael.yaml").write_text(_by_kind("persona"), encoding="utf-8")
    (tmp_path / "grain-corridor.yaml").write_text(_by_kind("scenario"), encoding="utf-8")
    library = load_library(story_paths([tmp_path]))
    assert [str(d) for d in library.diagnostics] == []
    report = ex.explore(library.scenarios["grain-corridor"])
    assert report["exhaustive"] and not ex.has_problems(report), report
    assert {e["outcome"] for e in report["endings"].values()} == {
        "durable_settlement", "fragile_ceasefire", "capitulation", "walk_away"}
    playthrough = tmp_path / "grain.yaml"
    playthrough.write_text(_by_kind("playthrough"), encoding="utf-8")
    diags = Diagnostics()
    source = read_file(playthrough, diags)
    assert not diags, [str(d) for d in diags]
    assert check(library.scenarios["grain-corridor"], source) == []


def test_worked_example_rewards_knowing_when_not_to_sign(tmp_path):
    """What the guide says of its example under the signing rule: with the exit built in the round
    before, signing opens the corridor and beats leaving; signing into a feint ends on paper, and
    walking out of it scores more."""
    from game.engine import Session

    (tmp_path / "deputy-vael.yaml").write_text(_by_kind("persona"), encoding="utf-8")
    (tmp_path / "grain-corridor.yaml").write_text(_by_kind("scenario"), encoding="utf-8")
    scenario = load_library(story_paths([tmp_path])).scenarios["grain-corridor"]
    seen = set()
    for seed in range(30):
        for opening in ("name-the-worry", "demand-it-now"):
            before = Session.replay(scenario, seed, [opening, "accept-joint-inspections", "his-initiative"])
            signed, walked = before.fork(), before.fork()
            signed.choose("sign-the-corridor")
            walked.choose("walk-away")
            total = {"signed": signed.scores()["total"], "walked": walked.scores()["total"]}
            if before.values["feinting"]:
                seen.add("feint")
                assert signed.ending == "paper-corridor" and total["walked"] > total["signed"], (seed, total)
            elif signed.ending == "corridor-open":
                seen.add("ripe")
                assert total["signed"] > total["walked"], (seed, total)
    assert seen == {"feint", "ripe"}


def _names(source: str) -> set[str]:
    tree = ast.parse(str(source).strip(), mode="exec")
    called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} - called - {"true", "false"}


def test_the_guide_lists_what_a_persona_must_declare():
    """The sentence in the guide equals what the bundled rules and catalogue read but do not declare."""
    library = load_library(story_paths())
    rules = library.rules["standard"].data
    sources = list(rules.get("derived", {}).values()) + list(rules.get("each_round", []))
    sources += [rules["catastrophe"]] if "catastrophe" in rules else []
    for reaction in rules.get("reactions", []):
        sources += [reaction.get("if"), reaction.get("chance"), *reaction.get("effects", [])]
    for tactic in library.tactics.values():
        sources += [raw.get("if") for _, raw in tactic.scoring]
    read = set().union(*(_names(s) for s in sources if s is not None))
    needed = read - set(rules.get("state", {})) - set(rules.get("derived", {})) - set(BUILTIN_NAMES)
    sentence = re.search(r"standard rules and catalogue read (.*?)\. Leave", GUIDE, flags=re.S).group(1)
    assert set(re.findall(r"`([a-z_]+)`", sentence)) == needed
