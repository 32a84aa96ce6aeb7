"""``load_library``: read and check every story file, then compile the scenarios.

It sits above both steps so that neither needs the other: ``library`` reads files
and knows nothing of the compiler, and the compiler works on a ``Library``.
"""
from __future__ import annotations

import gc
from collections.abc import Iterable
from pathlib import Path

from .compiler import compile_library
from .library import Library, drop_identical, read_file, story_files


def load_library(paths: Iterable[str | Path], *, compile_scenarios: bool = True) -> Library:
    """Load all story files under ``paths``; problems are collected, never raised."""
    lib = Library()
    collecting = gc.isenabled()
    gc.disable()  # loading makes many small objects that all live on; collector passes only cost time
    try:
        for path, layer in story_files(paths):
            source = read_file(path, lib.diagnostics)
            if source is not None:
                source.layer = layer
                lib.files.append(source)
        lib.files = drop_identical(lib.files)
        compile_library(lib, compile_scenarios=compile_scenarios)
    finally:
        if collecting:
            gc.enable()
    return lib
