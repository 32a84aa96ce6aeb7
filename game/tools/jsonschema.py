"""JSON Schemas for every story file kind, generated from the loader's own definitions.

The loader checks files with ``game.engine.spec.KINDS``; each schema type there also
knows its JSON Schema, so editors (through a YAML language server) and third-party
validators see exactly the rules offramp applies. The generated files are shipped in
``game/schemas/``; run ``python -m game.tools.jsonschema`` to rewrite them after
changing spec.py (a test fails while they differ).
"""
from __future__ import annotations

import json
from pathlib import Path

from ..engine.spec import KINDS

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema(kind: str) -> dict:
    """The JSON Schema of one file kind (``scenario``, ``persona``, ...)."""
    body = KINDS[kind].json()
    return {"$schema": DIALECT, "title": f"offramp {kind} file (format 1)", **body}


def text(kind: str) -> str:
    return json.dumps(schema(kind), indent=2, sort_keys=False) + "\n"


def shipped_path(kind: str) -> Path:
    return SCHEMA_DIR / f"{kind}.json"


def write_all(folder: Path = SCHEMA_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = folder / f"{kind}.json"
        path.write_text(text(kind), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_all():
        print(path)
