"""JSON Schemas for every story file kind, generated from the loader's own definitions.

The loader checks files with ``game.engine.spec.KINDS``; each schema type there also
knows its JSON Schema, so editors (through a YAML language server) and third-party
validators see exactly the rules offramp applies. The generated files are shipped in
``game/schemas/``; run ``python -m game.tools.jsonschema`` to rewrite them after
changing spec.py (a test fails while they differ).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from ..engine.spec import KINDS

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
BESIDE = "schemas"  # the folder, next to a file offramp writes, that holds the schema its modeline names
# Where the bundled story keeps each kind, for editors that map schemas by file pattern.
LAYOUT = {"scenario": ["**/scenarios/*.yaml"], "persona": ["**/personas/*.yaml"],
          "policy": ["**/policies/*.yaml"], "playthrough": ["**/playthroughs/*.yaml"],
          "tactics": ["**/tactics.yaml"], "rules": ["**/rules.yaml"]}


def schema(kind: str) -> dict:
    """The JSON Schema of one file kind (``scenario``, ``persona``, ...)."""
    body = KINDS[kind].json()
    return {"$schema": DIALECT, "$id": f"urn:offramp:schema:format-1:{kind}",
            "title": f"offramp {kind} file (format 1)", **body}


def text(kind: str) -> str:
    return json.dumps(schema(kind), indent=2, sort_keys=False) + "\n"


def shipped_path(kind: str) -> Path:
    return SCHEMA_DIR / f"{kind}.json"


def write_all(folder: Path = SCHEMA_DIR) -> list[Path]:
    return [_write(folder, kind) for kind in KINDS]


def _write(folder: Path, kind: str) -> Path:
    """Write one schema into ``folder`` (created if need be), leaving a current copy untouched."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}.json"
    wanted = text(kind)
    if not path.is_file() or path.read_text(encoding="utf-8") != wanted:
        path.write_text(wanted, encoding="utf-8")
    return path


def modeline(target: Path, kind: str) -> str:
    """The yaml-language-server modeline for a file about to be written at ``target``.

    The schema is written into ``schemas/`` beside the file and named by a relative path, so the
    file and its schema move together and work on any machine (an absolute path into this
    installation would not)."""
    path = _write(target.parent / BESIDE, kind)
    return f"# yaml-language-server: $schema={Path(os.path.relpath(path, target.parent)).as_posix()}"


def editor_settings(project: Path, schema_folder: str = ".offramp/schemas") -> dict:
    """VS Code settings that map every kind's schema onto the story layout's file patterns."""
    folder = project / schema_folder
    write_all(folder)
    return {f"./{schema_folder}/{kind}.json": LAYOUT[kind] for kind in KINDS}


if __name__ == "__main__":
    for path in write_all():
        print(path)
