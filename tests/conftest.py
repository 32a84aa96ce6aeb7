"""Plugins and Hypothesis settings for the whole suite.

``game.tools.pytest_plugin`` collects tests/playthroughs/*.yaml as tests. Once the package
is installed with its ``pytest11`` entry point, pytest loads it by itself (and listing it
here too would register it twice). ``pytester`` lets tests/toolkit run the plugin against
throwaway projects; pytest only accepts ``pytest_plugins`` in a top-level conftest.
"""
import os
from importlib.metadata import entry_points

from hypothesis import settings

# No test may depend on how fast this machine is: Hypothesis runs without deadlines everywhere
# (speed is measured in benchmarks/). Under CI the same examples are tried on every run.
settings.register_profile("offramp", deadline=None)
settings.register_profile("ci", parent=settings.get_profile("offramp"), derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "offramp")

_INSTALLED = any(ep.name == "offramp" for ep in entry_points(group="pytest11"))
pytest_plugins = ["pytester"] + ([] if _INSTALLED else ["game.tools.pytest_plugin"])
