"""Shared set-up for the TUI tests: the bundled library, a fresh saves folder, an app factory."""
from __future__ import annotations

from pathlib import Path

import pytest

from game.engine import load_library
from game.paths import story_paths
from game.tui.app import OfframpApp

FIXTURE_STORY = Path(__file__).parent / "fixtures" / "story"
SEED = 7


@pytest.fixture(scope="session")
def library():
    return load_library(story_paths())


@pytest.fixture(scope="session")
def faulty_library():
    return load_library(story_paths([FIXTURE_STORY]))


@pytest.fixture
def saves(tmp_path) -> Path:
    return tmp_path / "saves"


@pytest.fixture
def make_app(library, saves):
    """An app on the bundled story, a throwaway saves folder and a fixed theme and seed."""
    def make(**options) -> OfframpApp:
        options.setdefault("library", library)
        options.setdefault("seed", SEED)
        options.setdefault("theme", "dark")
        return OfframpApp(saves_dir=saves, **options)
    return make


def text_of(widget) -> str:
    """The plain text a Static shows."""
    return widget.render().plain
