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


def can_fork() -> bool:
    """Whether workers can be forked here (not on Windows; not by default on macOS)."""
    return "fork" in multiprocessing.get_all_start_methods()


class Background:
    """``function(*args)`` worked out in a forked process while the caller goes on with other
    work: ``result()`` waits for the answer (re-raising what the function raised), ``cancel()``
    ends the process when the answer is no longer wanted. With ``fork`` False nothing runs until
    ``result()`` is asked for, and then it runs in this process: the same answer, later."""

    def __init__(self, function: Callable, args: tuple, fork: bool = True):
        self._function, self._args = function, args
        self._process: Any = None
        if fork and can_fork():
            context = multiprocessing.get_context("fork")
            self._answer, end = context.Pipe(duplex=False)
            self._process = context.Process(target=_answer, args=(end, function, args), daemon=True)
            self._process.start()
            end.close()

    def result(self) -> Any:
        if self._process is None:
            return self._function(*self._args)
        try:
            ok, value = self._answer.recv()
        except EOFError:
            raise RuntimeError(f"the process working out {self._function.__name__} ended without an answer "
                               f"(exit status {self._process.exitcode})") from None
        finally:
            self._end()
        if not ok:
            raise value
        return value

    def cancel(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._end()

    def _end(self) -> None:
        self._process.join()
        self._answer.close()
        self._process = None


def _answer(end: Any, function: Callable, args: tuple) -> None:
    """The forked side of ``Background``: send (True, answer) or (False, the exception)."""
    try:
        reply: tuple[bool, Any] = (True, function(*args))
    except BaseException as err:  # noqa: BLE001 -- handed to the caller, who re-raises it
        reply = (False, err)
    try:
        end.send(reply)
    except Exception as err:  # noqa: BLE001 -- an answer or exception that cannot be pickled
        end.send((False, RuntimeError(f"{function.__name__} gave an answer that cannot be sent back: {err!r}")))
    end.close()


def _call(chunk: Any) -> Any:
    assert _work is not None
    function, args = _work
    return function(*args, chunk)


def _fits(began: float, done: int, ahead: int, workers: int, deadline: float | None) -> bool:
    """Whether a chunk started now, with ``ahead`` - 1 others before it shared by ``workers``,
    would end by ``deadline``, at the pace of the ``done`` chunks since ``began``."""
    if deadline is None:
        return True
    now = time.monotonic()
    per_chunk = (now - began) * workers / done
    return now + -(-ahead // workers) * per_chunk <= deadline


def run_chunks(function: Callable, args: tuple, work: Sequence, jobs: int = 1,
               deadline: float | None = None) -> Iterator:
    """``function(*args, chunk)`` for each chunk, yielded in chunk order. ``jobs`` > 1 plays
    chunks in that many forked processes. With a ``deadline`` (``time.monotonic()``) no chunk is
    started that, at the pace of the chunks so far, would end after it, though the first always
    is, and the results stop at the first chunk not started; a caller that stops reading early
    leaves no process behind."""
    global _work
    began = time.monotonic()
    if jobs <= 1 or len(work) <= 1 or not can_fork():
        for index, chunk in enumerate(work):
            if index and not _fits(began, index, 1, 1, deadline):
                return
            yield function(*args, chunk)
        return
    _work = (function, args)
    workers = min(jobs, len(work))
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    try:
        pending: dict[int, Future] = {}
        queued = iter(enumerate(work))
        for index, chunk in queued:  # keep every worker busy, one chunk ahead at most
            pending[index] = pool.submit(_call, chunk)
            if len(pending) >= 2 * workers:
                break
        for index in range(len(work)):
            if index not in pending or pending[index].cancelled():
                return  # not started: it would have ended after the deadline
            while not pending[index].done():
                wait(pending.values(), return_when=FIRST_COMPLETED)
            yield pending.pop(index).result()
            if _fits(began, index + 1, len(pending) + 1, workers, deadline):
                for more, chunk in queued:
                    pending[more] = pool.submit(_call, chunk)
                    break
            else:  # chunks no worker has taken yet are dropped, not waited for
                for future in pending.values():
                    future.cancel()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _work = None
