"""The diagnostic codes are descriptors in game/engine/codes.py, and docs/reference.md is generated from them."""
from __future__ import annotations

import re

from game.engine import codes
from game.engine.codes import CODES, Code, markdown_table, with_table

from .helpers import ROOT

REFERENCE = ROOT / "docs" / "reference.md"
ENGINE = ROOT / "game" / "engine"
GAME = ROOT / "game"


def test_reference_codes_table_is_generated_from_the_descriptors():
    document = REFERENCE.read_text(encoding="utf-8")
    assert markdown_table() in document, "run: python -m game.tools.reference_doc"
    assert with_table(document) == document


def test_the_table_lists_every_code_once_with_its_meaning():
    rows = re.findall(r"^\| ([EW]\d{3}) \| ([^|]+) \|", markdown_table(), re.M)
    assert [code for code, _ in rows] == list(CODES)
    assert all(CODES[code].title == title.strip() for code, title in rows)


def test_codes_are_unique_stable_and_complete():
    descriptors = [v for v in vars(codes).values() if isinstance(v, Code)]
    assert len({d.code for d in descriptors}) == len(descriptors), "two descriptors share a code"
    for d in descriptors:
        assert re.fullmatch(r"[EW]\d{3}", d.code), d
        assert d.severity == ("warning" if d.code[0] == "W" else "error")
        assert d.title and d.explanation and d.example, d.code


def test_the_engine_reports_only_through_descriptors_and_each_one_is_reported():
    for path in ENGINE.glob("*.py"):
        if path.name == "codes.py":
            continue
        literal = re.search(r"""["'][EW]\d{3}["']""", path.read_text(encoding="utf-8"))
        assert literal is None, f"{path.name} names a code as a string: {literal.group(0)}; use game.engine.codes"
    used: set[str] = set()  # the engine reports most codes, the tools a few (the explorer's E307)
    for path in GAME.rglob("*.py"):
        if path.name != "codes.py":
            used |= set(re.findall(r"\bcodes\.([A-Z][A-Z0-9_]+)\b", path.read_text(encoding="utf-8")))
    names = {name for name, v in vars(codes).items() if isinstance(v, Code)}
    assert used <= names
    assert names - used == set(), f"descriptors nothing reports: {sorted(names - used)}"
