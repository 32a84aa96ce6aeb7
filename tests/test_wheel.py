"""The wheel is the product: build it, install it in a fresh venv far from the checkout, play from it.

Needs network access to PyPI (the build backend and the dependencies); CI has it.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STEP_LIMIT = 60  # no bundled scenario needs this many choices; a story that loops forever fails instead

pytestmark = pytest.mark.wheel


def check(cmd, *, cwd, env=None, timeout=600) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{cmd} exited {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    check([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--quiet", "-w", str(out)], cwd=out)
    (built,) = out.glob("offramp-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """A fresh venv with the wheel and its dependencies; returns a runner for its ``offramp``."""
    home = tmp_path_factory.mktemp("user")
    assert ROOT not in home.parents, "the venv must live outside the checkout"
    env_dir = home / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    check([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
          cwd=home)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "OFFRAMP_STORY", "VIRTUAL_ENV")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"))

    def offramp(*args, expect=0, extra_env=None) -> subprocess.CompletedProcess:
        done = subprocess.run([str(bin_dir / "offramp"), *args], cwd=home, env={**env, **(extra_env or {})},
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == expect, f"offramp {' '.join(args)}: exit {done.returncode}\n{done.stderr}"
        return done

    offramp.env_dir = env_dir
    return offramp


def test_wheel_carries_the_story_and_the_schemas_and_not_the_tests(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    story = [n for n in names if n.startswith("game/_story/")]
    checkout_story = sorted(str(p.relative_to(ROOT / "story")) for p in (ROOT / "story").rglob("*.yaml"))
    assert sorted(n.removeprefix("game/_story/") for n in story if n.endswith(".yaml")) == checkout_story
    schemas = sorted(f"game/schemas/{p.name}" for p in (ROOT / "game" / "schemas").glob("*.json"))
    assert schemas and set(schemas) <= set(names)
    guides = sorted(f"game/_docs/{p.name}" for p in (ROOT / "docs").glob("*.md"))
    assert guides and set(guides) <= set(names)  # `offramp docs TOPIC` reads them
    assert not [n for n in names if n.startswith("tests/")]
    assert "game/py.typed" in names  # type checkers read offramp's annotations (PEP 561)


def test_installed_version_matches_the_package(installed):
    from game import __version__

    assert installed("--version").stdout.strip() == f"offramp {__version__}"


def test_installed_list_finds_the_bundled_story_inside_the_venv(installed):
    listing = json.loads(installed("list", "--json").stdout)
    (folder,) = listing["story_folders"]
    assert Path(folder).is_relative_to(installed.env_dir), folder
    assert listing["scenarios"], "the wheel ships no scenario"
    for row in listing["scenarios"]:
        assert row["playable"], row
        assert Path(row["path"]).is_relative_to(installed.env_dir)


def test_installed_game_adds_instructors_folders_from_option_and_environment(installed, tmp_path):
    tutorial = (ROOT / "story" / "scenarios" / "tutorial.yaml").read_text()
    assert "\nid: tutorial\n" in tutorial
    for name in ("drill-a", "drill-b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "drill.yaml").write_text(tutorial.replace("\nid: tutorial\n", f"\nid: {name}\n", 1))

    def ids(*args, **kwargs) -> set[str]:
        return {row["id"] for row in json.loads(installed("list", "--json", *args, **kwargs).stdout)["scenarios"]}

    bundled = ids()
    assert ids("--story", str(tmp_path / "drill-a"), "--story", str(tmp_path / "drill-b")) == bundled | {
        "drill-a", "drill-b"}
    assert ids(extra_env={"OFFRAMP_STORY": str(tmp_path / "drill-b")}) == bundled | {"drill-b"}
    missing = installed("list", "--story", str(tmp_path / "nowhere"), expect=2)
    assert "nowhere" in missing.stderr and "folder" in missing.stderr


def test_installed_validate_checks_the_bundled_story(installed):
    report = json.loads(installed("validate", "--json").stdout)
    assert report["errors"] == 0, report["diagnostics"]


def test_installed_validate_names_file_line_col_of_an_instructors_mistake(installed, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: scenario\nformat: 1\nid: broken\nminutes: lots\n")
    done = installed("validate", str(broken), expect=1)
    assert f"{broken}:4:10: error" in done.stdout


def test_installed_run_reaches_an_ending(installed):
    scenario = "tutorial"
    choices: list[str] = []
    for _ in range(STEP_LIMIT):
        state = json.loads(installed("run", scenario, "--seed", "3", "--json",
                                     *[a for c in choices for a in ("--choose", c)]).stdout)
        if state["ending"]:
            break
        assert state["choices"], f"dead end after {choices}"
        choices.append(state["choices"][0])
    else:
        pytest.fail(f"no ending after {STEP_LIMIT} choices: {choices}")
    assert state["history"] == choices
    assert state["debrief"]["ending"]
    assert set(state["scores"]) >= {"empathy", "brinkmanship", "offramps", "total"}


def test_installed_commands_each_show_an_example_in_help(installed):
    from game.cli import build_parser

    commands = build_parser()._subparsers._group_actions[0].choices
    assert "serve" in commands
    for name in commands:
        text = installed(name, "--help").stdout
        assert f"example: offramp {name}" in " ".join(text.split()), f"offramp {name} --help has no example:\n{text}"
