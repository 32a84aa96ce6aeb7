"""Plugins for the whole suite.

``game.tools.pytest_plugin`` collects tests/playthroughs/*.yaml as tests; remove it from
this list once pyproject.toml registers it through the ``pytest11`` entry point and the
package is installed (registering it twice is an error). ``pytester`` lets
tests/toolkit run the plugin against throwaway projects; pytest only accepts
``pytest_plugins`` in a top-level conftest like this one.
"""
pytest_plugins = ["pytester", "game.tools.pytest_plugin"]
