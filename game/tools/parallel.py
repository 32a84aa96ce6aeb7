"""Many games on several cores, with results that never depend on how many.

Work is cut into fixed chunks (ranges of seeds) whatever the number of processes, each
chunk is played on its own (its own generators, its own counts), and the chunks' results
come back in chunk order for the caller to merge. So ``--jobs 1`` and ``--jobs 8`` give the
same answer, byte for byte. Workers are forked: they inherit the compiled scenario instead
of receiving it (compiled expressions are closures, which cannot be pickled). Where fork
is not available (Windows, macOS's default), the chunks run one after the other.
"""
from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

CHUNK = 100  # runs per chunk: the unit of work, and of the least-used counts of explore --random

_work: tuple[Callable, tuple] | None = None  # (function, its leading arguments), inherited by forked workers


def cores() -> int:
    """The cores this process may run on: the default for ``--jobs``."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def chunks(first: int, count: int, size: int = CHUNK) -> list[range]:
    """``count`` seeds from ``first`` in fixed ranges of ``size``."""
    return [range(start, min(start + size, first + count)) for start in range(first, first + count, size)]


def _call(chunk: Any) -> Any:
    assert _work is not None
    function, args = _work
    return function(*args, chunk)


def run_chunks(function: Callable, args: tuple, work: Sequence, jobs: int = 1,
               deadline: float | None = None) -> Iterator:
    """``function(*args, chunk)`` for each chunk, yielded in chunk order. ``jobs`` > 1 plays
    chunks in that many forked processes. Past ``deadline`` (``time.monotonic()``) no new chunk
    is started, though the first always is; a caller that stops reading early leaves no process
    behind."""
    global _work
    if jobs <= 1 or len(work) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for index, chunk in enumerate(work):
            if index and deadline is not None and time.monotonic() > deadline:
                return
            yield function(*args, chunk)
        return
    _work = (function, args)
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(work)), mp_context=multiprocessing.get_context("fork"))
    try:
        pending: dict[int, Future] = {}
        queued = iter(enumerate(work))
        for index, chunk in queued:  # keep every worker busy, one chunk ahead at most
            pending[index] = pool.submit(_call, chunk)
            if len(pending) >= 2 * jobs:
                break
        for index in range(len(work)):
            if index not in pending:
                return  # not started: the deadline had passed
            while not pending[index].done():
                wait(pending.values(), return_when=FIRST_COMPLETED)
            yield pending.pop(index).result()
            if deadline is None or time.monotonic() <= deadline:
                for more, chunk in queued:
                    pending[more] = pool.submit(_call, chunk)
                    break
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _work = None
