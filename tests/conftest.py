"""Plugins for the whole suite.

``game.tools.pytest_plugin`` collects tests/playthroughs/*.yaml as tests. Once the package
is installed with its ``pytest11`` entry point, pytest loads it by itself (and listing it
here too would register it twice). ``pytester`` lets tests/toolkit run the plugin against
throwaway projects; pytest only accepts ``pytest_plugins`` in a top-level conftest.
"""
from importlib.metadata import entry_points

_INSTALLED = any(ep.name == "offramp" for ep in entry_points(group="pytest11"))
pytest_plugins = ["pytester"] + ([] if _INSTALLED else ["game.tools.pytest_plugin"])
