"""Libraries loaded once per test session: the bundled story, and the bundled story plus fixtures."""
from __future__ import annotations

import pytest

from game.engine import load_library
from game.paths import story_paths

from .helpers import FIXTURES


@pytest.fixture(scope="session")
def bundled():
    return load_library(story_paths())


@pytest.fixture(scope="session")
def lab_library():
    library = load_library(story_paths([FIXTURES]))
    problems = [str(d) for d in library.diagnostics]
    assert not problems, "the test fixtures must load cleanly:\n" + "\n".join(problems)
    return library


@pytest.fixture(scope="session")
def lab(lab_library):
    """Every tactic in one room that loops back to itself, persona moves off."""
    return lab_library.scenarios["lab"]


@pytest.fixture(scope="session")
def drift(lab_library):
    """A room where only Volkov's own seeded moves change the board."""
    return lab_library.scenarios["drift"]
