"""The trainee's best total per scenario, kept in a small JSON file beside the saves.

A damaged or missing file reads as "no best score yet": it must never stop a game.
"""
from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from ..files import read_limited

FILENAME = ".best-scores.json"  # a dotfile: never listed as a slot, never a slot name
MAX_BYTES = 1024 * 1024  # a few dozen scenarios take a few kilobytes


class BestScores:
    def __init__(self, directory: Path):
        self.path = Path(directory) / FILENAME

    def read(self) -> dict[str, dict]:
        try:
            data = json.loads(read_limited(self.path, MAX_BYTES))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if isinstance(v, dict) and isinstance(v.get("total"), (int, float))}

    def best(self, scenario_id: str) -> dict | None:
        return self.read().get(scenario_id)

    def record(self, session) -> bool:
        """Keep this ended session's total if it beats the best so far; True when it did."""
        if not session.ended:
            return False
        total = session.scores()["total"]
        data = self.read()
        previous = data.get(session.scenario.id)
        if previous is not None and previous["total"] >= total:
            return False
        data[session.scenario.id] = {"total": total, "ending": session.ending,
                                     "at": datetime.now(UTC).isoformat(timespec="seconds")}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".best-scores.", suffix=".tmp")
            try:  # a name of its own: two games of one trainee (two tabs) never share a temp file
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(json.dumps(data, indent=1, sort_keys=True))
                os.replace(temp, self.path)
            except BaseException:
                os.unlink(temp)
                raise
        except OSError:
            return False
        return True
