"""One exception base class: every error offramp defines derives from OfframpError."""
from __future__ import annotations

import importlib
import inspect
import pkgutil

import game
from game.errors import OfframpError


def test_every_exception_class_of_offramp_derives_from_offramp_error():
    found = []
    for info in pkgutil.walk_packages(game.__path__, "game."):
        if info.name == "game.__main__":  # running it starts the program
            continue
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, BaseException):
                found.append(cls)
    assert len(found) >= 10  # ChoiceError, EngineError, SaveError, UserError, ExprError, ...
    assert [c.__qualname__ for c in found if not issubclass(c, OfframpError)] == []
