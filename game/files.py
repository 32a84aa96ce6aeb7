"""The one way offramp reads a file a user handed it: story YAML, policies, playthroughs, saves.

A path can name a FIFO (reading blocks forever), a device (``/dev/zero`` never ends) or a
huge sparse file (its size costs nothing on disk and everything in memory). So the file is
opened without blocking, checked with ``fstat`` on the open handle (no race with a rename),
refused unless it is a regular file within the size limit, and read through that handle,
never past the limit even if it grows meanwhile.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import OfframpError

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # POSIX: opening a FIFO must not wait for a writer
_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


class FileRefused(OfframpError, OSError):
    """The path cannot be read as a file: ``reason`` says why in words meant for the user."""

    def __init__(self, path, reason: str):
        super().__init__(reason)
        self.path, self.reason = str(path), reason

    def __str__(self) -> str:
        return self.reason


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_limited(path: Path | str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; FileRefused otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _BINARY)
    except OSError as err:
        raise FileRefused(path, f"cannot open it: {err.strerror or err}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(path, f"it is {_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise FileRefused(path, f"it is {info.st_size:,} bytes; the limit is {limit:,}")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise FileRefused(path, f"it grew past the limit of {limit:,} bytes while being read")
        return b"".join(chunks)
    except FileRefused:
        raise
    except OSError as err:
        raise FileRefused(path, f"cannot read it: {err.strerror or err}") from None
    finally:
        os.close(fd)
