"""Fixtures for saves and transcripts: one small library per test session, a fresh saves folder per test."""
from __future__ import annotations

import pytest

from game.saves import SaveStore

from .helpers import SCENARIO, library_with


@pytest.fixture(scope="session")
def library():
    return library_with()


@pytest.fixture(scope="session")
def scenario(library):
    return library.scenarios[SCENARIO]


@pytest.fixture
def store(tmp_path):
    return SaveStore(tmp_path / "saves")
