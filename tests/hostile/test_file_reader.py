"""Issue 16, item 3: every file offramp opens goes through one reader that refuses a FIFO, a device
or an oversized file before reading a byte, with a clear message; nothing hangs or fills memory."""
from __future__ import annotations

import os
import shutil

import pytest

from game.paths import bundled_story

from .helpers import no_traceback, offramp

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")


def test_validate_refuses_a_fifo_instead_of_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "story.yaml"
    os.mkfifo(fifo)
    result = offramp("validate", fifo, timeout=180)
    no_traceback(result)
    assert result.returncode == 1
    assert f"{fifo}:1:1: error E006: cannot use this file: it is a named pipe (FIFO)" in result.stdout


def test_autoplay_refuses_a_fifo_as_its_policy_file(tmp_path):
    fifo = tmp_path / "policy.yaml"
    os.mkfifo(fifo)
    result = offramp("autoplay", "tutorial", "--policy", fifo, "--seeds", "1", timeout=180)
    no_traceback(result)
    assert result.returncode == 1 and "named pipe" in result.stderr


def test_a_fifo_save_slot_is_refused_when_loading_and_when_saving_over_it(tmp_path):
    saves = tmp_path / "saves"
    saves.mkdir()
    os.mkfifo(saves / "trap.json")
    loading = offramp("run", "--load", "trap", "--saves-dir", saves, timeout=180)
    no_traceback(loading)
    assert loading.returncode == 1 and "named pipe" in loading.stderr
    saving = offramp("run", "tutorial", "--save", "trap", "--saves-dir", saves, timeout=180)
    no_traceback(saving)
    listing = offramp("saves", "--saves-dir", saves, timeout=180)
    no_traceback(listing)


def test_a_symlink_to_dev_zero_is_refused_not_read_until_memory_runs_out(tmp_path):
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    result = offramp("validate", link, timeout=180)
    no_traceback(result)
    assert result.returncode == 1 and "it is a device, not a regular file" in result.stdout


def test_a_huge_sparse_file_in_a_story_folder_is_refused_by_its_size(tmp_path):
    folder = tmp_path / "story"
    shutil.copytree(bundled_story() / "policies", folder)
    with open(folder / "huge.yaml", "wb") as handle:  # 1.5 GB that takes no disk space
        handle.truncate(1536 * 1024 * 1024)
    result = offramp("validate", folder, timeout=180)  # under a 1 GiB memory limit (see helpers)
    no_traceback(result)
    assert result.returncode == 1
    assert "it is 1,610,612,736 bytes; the limit is 2,097,152" in result.stdout
