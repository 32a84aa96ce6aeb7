"""Rewrite the codes table of docs/reference.md from the descriptors in game/engine/codes.py.

Run ``python -m game.tools.reference_doc`` after adding or changing a code; the test
``tests/engine/test_codes.py`` fails until the document is in step.
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..engine.codes import with_table

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "reference.md"


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else REFERENCE
    target.write_text(with_table(target.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote the codes table of {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
