"""Progress on standard error for commands that can run for a while (explore, autoplay).

A bar is drawn only when standard error is a terminal and ``--quiet`` was not given, so
pipes, CI logs and JSON output stay clean; the summary line at the end says what was
done and how long it took. Rich comes with Textual, so this costs no new dependency.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def reporting(quiet: bool) -> Iterator:
    """Yield a ``progress(what, done, total)`` callback (or None), then print the summary."""
    started = time.monotonic()
    shown: dict = {}
    if quiet or not sys.stderr.isatty():
        callback = None
        bar = None
    else:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                       console=Console(stderr=True), transient=True)
        bar.start()

        def callback(what: str, done: int, total: int | None) -> None:
            if what not in shown:
                shown[what] = bar.add_task(what, total=total)
            bar.update(shown[what], completed=done, total=total)

    try:
        yield callback
    finally:
        if bar is not None:
            bar.stop()
    if not quiet:
        print(f"done in {time.monotonic() - started:.1f} s", file=sys.stderr)
