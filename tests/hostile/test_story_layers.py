"""Issue 16, item 8: one rule for an id defined in two story folders, the same in validate, run, list
and play. A later folder (OFFRAMP_STORY, then --story, then validate's own paths) replaces an earlier
folder's file on purpose, with a W109 notice; the same file in two folders (a checkout beside its
installed copy) is no clash at all; two files with one id in the same folder stay E105."""
from __future__ import annotations

import json
import shutil

import pytest

from game.paths import bundled_story

from .helpers import no_traceback, offramp


@pytest.fixture
def instructor(tmp_path):
    """An instructor's folder that replaces the bundled tutorial with its own version."""
    folder = tmp_path / "course"
    folder.mkdir()
    text = (bundled_story() / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    (folder / "tutorial.yaml").write_text(text.replace(title, "title: The Course Tutorial", 1), encoding="utf-8")
    return folder


def test_validate_and_run_agree_that_the_instructor_folder_wins(instructor):
    validate = offramp("validate", instructor)
    no_traceback(validate)
    assert validate.returncode == 0, validate.stdout
    assert f"{instructor / 'tutorial.yaml'}:3:5: warning W109: scenario id 'tutorial' replaces the one in" \
        in validate.stdout
    listing = offramp("list", "--json", "--story", instructor)
    rows = {row["id"]: row for row in json.loads(listing.stdout)["scenarios"]}
    assert rows["tutorial"]["title"] == "The Course Tutorial" and rows["tutorial"]["playable"]
    assert "W109" in listing.stderr
    run = offramp("run", "tutorial", "--story", instructor, "--json")
    assert run.returncode == 0 and json.loads(run.stdout)["scenario"] == "tutorial"


def test_a_copy_of_the_installed_story_validates_without_clashes(tmp_path):
    checkout = tmp_path / "checkout" / "story"
    shutil.copytree(bundled_story(), checkout)
    result = offramp("validate", checkout, cwd=tmp_path / "checkout")
    no_traceback(result)
    assert result.returncode == 0, result.stdout
    files = len(list(checkout.rglob("*.yaml")))  # each file once: the copy does not clash with the original
    assert result.stdout.strip().splitlines()[-1].startswith(f"0 error(s), 0 warning(s) in {files} valid file(s)")


def test_two_files_with_one_id_in_the_same_folder_still_clash(instructor):
    shutil.copyfile(instructor / "tutorial.yaml", instructor / "tutorial-copy.yaml")
    (instructor / "tutorial-copy.yaml").write_text(
        (instructor / "tutorial.yaml").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    result = offramp("validate", instructor)
    assert result.returncode == 1 and result.stdout.count("error E105") == 2
