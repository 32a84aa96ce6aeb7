"""Mutated scenario, persona and playthrough files: the loader and validator report, never crash."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given

from .budget import FUZZ
from .mutations import apply, mutation_lists
from .story_inputs import load_and_use, targets

TARGETS = targets()


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


def test_the_unmutated_inputs_load_cleanly(workdir):
    from game.engine import load_library

    for kind, (data, others) in TARGETS.items():
        path = workdir / f"clean-{kind}.yaml"
        path.write_bytes(data)
        library = load_library([*others, path])
        assert not library.diagnostics.errors, [str(d) for d in library.diagnostics.errors]


@pytest.mark.parametrize("kind", sorted(TARGETS))
@FUZZ
@given(mutations=mutation_lists)
def test_mutated_story_files_never_crash_the_loader(kind, workdir, mutations):
    data, others = TARGETS[kind]
    path = workdir / f"{kind}.yaml"
    path.write_bytes(apply(data, mutations))
    load_and_use(path, others)
