"""``load_library``: read and check every story file, then compile the scenarios.

It sits above both steps so that neither needs the other: ``library`` reads files
and knows nothing of the compiler, and the compiler works on a ``Library``.
"""
from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from pathlib import Path

from .compiler import compile_library
from .library import Library, drop_identical, read_file, story_files


def load_library(paths: Iterable[str | Path], *, compile_scenarios: bool = True,
                 progress: Callable[[str, int, int], None] | None = None) -> Library:
    """Load all story files under ``paths``; problems are collected, never raised.
    ``progress(what, done, total)``, if given, hears each file read and the compiling step."""
    lib = Library()
    collecting = gc.isenabled()
    gc.disable()  # loading makes many small objects that all live on; collector passes only cost time
    try:
        files = story_files(paths)
        for done, (path, layer) in enumerate(files, 1):
            source = read_file(path, lib.diagnostics)
            if source is not None:
                source.layer = layer
                lib.files.append(source)
            if progress is not None:
                progress("reading story files", done, len(files))
        lib.files = drop_identical(lib.files)
        if progress is not None:
            progress("compiling scenarios", 0, 1)
        compile_library(lib, compile_scenarios=compile_scenarios)
        if progress is not None:
            progress("compiling scenarios", 1, 1)
    finally:
        if collecting:
            gc.enable()
    return lib
