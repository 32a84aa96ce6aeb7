"""Persona inheritance: a persona that says ``extends:`` is its parent with its own fields on top.

The doctrine's psychology of an aggressor is written once, in an archetype; a
persona such as Volkov overrides only what differs (traits, voice, a reaction or
a move). Merging is field by field, and every merged value remembers the file it
came from, so a mistake in an inherited line is still reported where it was written.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from . import codes
from .diagnostics import Diagnostics
from .schema import Checked, Rec
from .suggest import hint

SECTIONS = ("reactions", "moves")  # lists merged by id, in the parent's order
REQUIRED = {"reactions": ("tags", "why"), "moves": ("kind", "why", "lines")}
TOP_REQUIRED = ("name", "role")
NOT_INHERITED = ("id", "extends", "abstract")


class Source(Protocol):
    """What a persona is resolved from: a checked persona file (``library.SourceFile``)."""

    path: str
    data: Rec
    digest: str


@dataclass
class Persona:
    """A persona with everything it inherits resolved."""

    id: str
    path: str  # its own file
    data: dict[str, Checked]
    digest: str  # covers every file of the chain
    chain: tuple[str, ...]  # its id, then its parent's, up to the root
    abstract: bool
    origins: dict[tuple[str, ...], str] = field(default_factory=dict)  # (section, key[, field]) -> file that wrote it

    def origin(self, *key: str) -> str:
        """The file that wrote a value: the most specific key recorded, else the persona's own file."""
        while key:
            if key in self.origins:
                return self.origins[key]
            key = key[:-1]
        return self.path


def resolve_all(sources: Mapping[str, Source], diags: Diagnostics) -> dict[str, Persona]:
    """Every persona whose chain resolves; unknown parents and cycles are reported at ``extends:``."""
    resolved: dict[str, Persona] = {}
    failed: set[str] = set()

    def resolve(ident: str, trail: list[str]) -> Persona | None:
        if ident in resolved or ident in failed:
            return resolved.get(ident)
        source = sources[ident]
        parent_id = source.data.get("extends")
        parent = None
        if parent_id is not None:
            if parent_id not in sources:
                diags.add(source.path, parent_id.pos, codes.UNKNOWN_PERSONA,
                          f"extends unknown persona {parent_id!r}{hint(parent_id, sources)}")
                failed.add(ident)
                return None
            if parent_id in trail:  # named at every persona of the loop, whichever was read first
                members = trail[trail.index(parent_id):]
                loop = " -> ".join([*members, str(parent_id)])
                for member in members:
                    extends = sources[member].data["extends"]
                    diags.add(sources[member].path, extends.pos, codes.PERSONA_CYCLE,
                              f"persona inheritance goes round in a circle: {loop}")
                    failed.add(member)
                return None
            parent = resolve(parent_id, [*trail, str(parent_id)])
            if parent is None:
                failed.add(ident)
                return None
        persona = _merge(parent, source)
        if _complete(persona, diags):
            resolved[ident] = persona
        else:
            failed.add(ident)
        return resolved.get(ident)

    for ident in sources:
        resolve(ident, [str(ident)])
    return resolved


def _merge(parent: Persona | None, source: Source) -> Persona:
    own, path = source.data, source.path
    data: dict[str, Checked] = {k: v for k, v in (parent.data if parent else {}).items() if k not in NOT_INHERITED}
    origins = dict(parent.origins) if parent else {}
    for key, value in own.items():
        if key in ("traits", "state") or key in SECTIONS:
            continue
        data[key] = value
        origins[(key,)] = path
    traits = dict(data.get("traits", {}))
    for name, value in own.get("traits", {}).items():
        traits[name] = value
        origins[("traits", str(name))] = path
    data["traits"] = traits
    state = dict(data.get("state", {}))
    for name, raw in own.get("state", {}).items():
        state[name] = _merge_fields(state.get(name), raw, ("state", str(name)), path, origins)
    data["state"] = state
    for section in SECTIONS:
        inherited = list(data.get(section, []))
        index = {str(item["id"]): i for i, item in enumerate(inherited)}
        added = []
        for item in own.get(section, []):
            slot = (section, str(item["id"]))
            if slot[1] in index:
                inherited[index[slot[1]]] = _merge_fields(inherited[index[slot[1]]], item, slot, path, origins)
            else:
                added.append(_merge_fields(None, item, slot, path, origins))
        data[section] = added + inherited  # its own reactions come first, so they win a shared tag
    parts = [source.digest, parent.digest if parent else ""]
    return Persona(str(own["id"]), path, data, hashlib.sha256("".join(parts).encode()).hexdigest(),
                   (str(own["id"]), *(parent.chain if parent else ())), bool(own.get("abstract", False)), origins)


def _merge_fields(old: Rec | None, new: Rec, key: tuple[str, ...], path: str,
                  origins: dict[tuple[str, ...], str]) -> Rec:
    """A mapping whose fields are the old ones with the new ones on top; positions kept per field."""
    merged = Rec(new.pos, {**(old.key_pos if old is not None else {}), **new.key_pos})
    if old is not None:
        merged.update(old)
    else:
        origins[key] = path
    for name, value in new.items():
        merged[name] = value
        origins[(*key, name)] = path
    return merged


def _complete(persona: Persona, diags: Diagnostics) -> bool:
    """Fields that may be inherited must be there once the chain is resolved."""
    ok = True
    for name in TOP_REQUIRED:
        if name not in persona.data:
            diags.add(persona.path, None, codes.MISSING_FIELD,
                      f"persona {persona.id!r} needs {name!r} (itself or from what it extends)")
            ok = False
    for name, raw in persona.data.get("state", {}).items():
        if "initial" not in raw:
            diags.add(persona.origin("state", str(name)), raw.pos, codes.MISSING_FIELD,
                      f"variable {name!r} needs an initial value (itself or from what it extends)")
            ok = False
    for section, needed in REQUIRED.items():
        for item in persona.data.get(section, []):
            for name in needed:
                if name not in item:
                    diags.add(persona.origin(section, str(item["id"])), item.pos, codes.MISSING_FIELD,
                              f"{section[:-1]} {item['id']!r} needs the field {name!r} "
                              "(itself or from the persona it extends)")
                    ok = False
    return ok
