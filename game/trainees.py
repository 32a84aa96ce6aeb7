"""Trainees kept apart: a checked name, and the folder that holds only that trainee's games.

A served class shares one saves folder; each trainee's saves, autosaves, best scores,
exports and results live in ``SAVES/trainees/NAME/``, so no two trainees read or write
the same file. A name is normalised (Unicode NFKC, case-folded, spaces become '-') so
"Ana Silva" and "ana silva" are one trainee, and anything that is not a letter, a
digit, '-', '_' or '.' is refused rather than silently dropped: two different names
can never land in one folder.
"""
from __future__ import annotations

import getpass
import os
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from .errors import OfframpError

FOLDER = "trainees"
MAX_NAME_CHARS = 40
_ALLOWED_PUNCTUATION = "-_."
_DEVICE_NAMES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


class TraineeError(OfframpError, ValueError):
    """A trainee name that cannot be used; the message says what to type instead."""


def normalise(name: str) -> str:
    """The trainee's folder name for ``name``, or TraineeError saying what is wrong."""
    text = unicodedata.normalize("NFKC", name or "").strip().casefold()
    text = "-".join(text.split())
    if not text:
        raise TraineeError("a trainee name is needed, e.g. 'ana-silva'")
    if len(text) > MAX_NAME_CHARS:
        raise TraineeError(f"the trainee name is longer than {MAX_NAME_CHARS} characters")
    bad = next((ch for ch in text if not (ch.isalnum() or ch in _ALLOWED_PUNCTUATION)), None)
    if bad is not None:
        raise TraineeError(f"the trainee name cannot hold {bad!r}: use letters, digits, spaces, '-', '_' and '.'")
    if text[0] in _ALLOWED_PUNCTUATION or text[-1] in _ALLOWED_PUNCTUATION or ".." in text:
        raise TraineeError("a trainee name starts and ends with a letter or digit")
    if text.split(".")[0] in _DEVICE_NAMES:
        raise TraineeError(f"{text!r} is a device name on Windows; add a letter, e.g. '{text}-1'")
    return text


def local_trainee() -> str:
    """Who plays when no name is given on this machine: the OS user, else 'trainee'."""
    try:
        return normalise(getpass.getuser())
    except (TraineeError, OSError, KeyError, ImportError):
        return "trainee"


def saves_folder(base, trainee: str | None) -> Path | None:
    """The folder for a named trainee inside ``base`` (None means the default saves folder);
    without a name, ``base`` itself, as before trainees existed."""
    if trainee is None:
        return Path(base) if base else None
    from .saves import default_directory

    root = Path(base).expanduser() if base else default_directory()
    return root / FOLDER / normalise(trainee)


def unique_path(directory: Path, stem: str, suffix: str) -> Path:
    """A new file ``directory/stem-TIME[-n]suffix`` created empty and exclusively, so two
    exports in the same second (or by two processes) never overwrite each other."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    directory.mkdir(parents=True, exist_ok=True)
    for attempt in range(1000):
        tail = f"-{attempt + 1}" if attempt else ""
        path = directory / f"{stem}-{stamp}{tail}{suffix}"
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"no free name for {stem}{suffix} in {directory}")
