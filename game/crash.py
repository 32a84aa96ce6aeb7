"""When offramp itself fails: keep the traceback in a report file, show the user one clear message.

A story bug is an E400 with its file:line:col and needs no report. Anything else that
escapes while playing is a bug in offramp: the trainee sees what happened and where the
report is (to send it on), never a traceback, and the last autosave stays as it was.
"""
from __future__ import annotations

import os
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

from . import __version__
from .text_safety import clean

REPORTS_ENV = "OFFRAMP_REPORTS"


def report_directory() -> Path:
    """OFFRAMP_REPORTS, else the user's log folder (~/.local/state/offramp/log on Linux)."""
    env = os.environ.get(REPORTS_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs  # late: only a failure needs it

    return Path(platformdirs.user_log_dir("offramp"))


def write_report(err: BaseException, doing: str) -> Path | None:
    """Write the traceback and versions to a new report file; None when it cannot be written."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    text = (f"offramp {__version__} on Python {sys.version.split()[0]} ({sys.platform})\n"
            f"while {doing}\n\n" + "".join(traceback.format_exception(err)))
    try:
        directory = report_directory()
        directory.mkdir(parents=True, exist_ok=True)
        for attempt in range(100):
            path = directory / f"crash-{stamp}-{os.getpid()}{f'-{attempt}' if attempt else ''}.txt"
            try:
                with open(path, "x", encoding="utf-8") as handle:
                    handle.write(text)
                return path
            except FileExistsError:
                continue
    except OSError:
        return None
    return None


def summary(err: BaseException, report: Path | None) -> str:
    """One line for the user: what failed, and where the details are."""
    what = clean(f"{type(err).__name__}: {err}")[:300]
    where = (f"the details are in {clean(str(report))}" if report is not None
             else "no report could be written")
    return f"offramp hit an unexpected error ({what}); {where}. Please send it to the offramp maintainers."
