"""Read a YAML file into plain containers that remember where every value came from.

PyYAML's composer gives us nodes with marks but never constructs objects, so no
tag can run code. We turn nodes into ``YMap``/``YSeq``/``YScalar`` ourselves, which
lets us refuse duplicate keys, cap alias expansion ("billion laughs") and leave
scalar typing to the schema (so ``no`` in a text field stays the word "no").
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from .diagnostics import Diagnostics, Pos

try:  # the C composer is much faster; fall back to pure Python where libyaml is absent
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the platform build
    from yaml import SafeLoader as _Loader

MAX_BYTES = 2 * 1024 * 1024
MAX_NODES = 100_000
MAX_FLOW_DEPTH = 100
_BRACKET = re.compile(r"[\[\]{}]")

_Y = "tag:yaml.org,2002:"
SCALAR_TAGS = {_Y + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
MERGE_TAG = _Y + "merge"


class YMap(dict):
    """A mapping with the position of itself and of each key."""

    __slots__ = ("pos", "key_pos")

    def __init__(self, pos: Pos):
        super().__init__()
        self.pos = pos
        self.key_pos: dict[str, Pos] = {}


class YSeq(list):
    __slots__ = ("pos",)

    def __init__(self, pos: Pos):
        super().__init__()
        self.pos = pos


class YScalar:
    """A scalar as written: its source text, the tag YAML would give it, and where it is."""

    __slots__ = ("text", "tag", "pos", "style")

    def __init__(self, text: str, tag: str, pos: Pos, style: str):
        self.text, self.tag, self.pos, self.style = text, tag, pos, style

    @property
    def quoted(self) -> bool:
        return self.style in ("'", '"')

    def __repr__(self) -> str:
        return f"YScalar({self.text!r}, {self.tag.rsplit(':', 1)[-1]})"


def _pos(mark) -> Pos:
    return Pos(mark.line + 1, mark.column + 1)


class _TooBig(Exception):
    pass


class _Converter:
    def __init__(self, path: str, diags: Diagnostics):
        self.path, self.diags, self.count = path, diags, 0

    def convert(self, node):
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig
        pos = _pos(node.start_mark)
        if isinstance(node, yaml.ScalarNode):
            if node.tag not in SCALAR_TAGS:
                self.diags.add(self.path, pos, "E007", f"tag {node.tag!r} is not allowed; write plain values")
                return None
            return YScalar(node.value, node.tag, pos, node.style or "")
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _Y + "seq":
                self.diags.add(self.path, pos, "E007", f"tag {node.tag!r} is not allowed on a list")
                return None
            seq = YSeq(pos)
            seq.extend(self.convert(item) for item in node.value)
            return seq
        if node.tag != _Y + "map":
            self.diags.add(self.path, pos, "E007", f"tag {node.tag!r} is not allowed on a mapping")
            return None
        return self.mapping(node, pos)

    def mapping(self, node, pos: Pos) -> YMap:
        result = YMap(pos)
        merged: list[YMap] = []
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:
                merged.extend(self.merge_sources(value_node))
                continue
            kpos = _pos(key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in SCALAR_TAGS:
                self.diags.add(self.path, kpos, "E003", "mapping keys must be plain words")
                self.count += 1
                continue
            key = key_node.value
            if key in result.key_pos:
                first = result.key_pos[key]
                self.diags.add(self.path, kpos, "E002", f"duplicate key {key!r} (first at line {first.line})")
                continue
            result.key_pos[key] = kpos
            result[key] = self.convert(value_node)
        for source in merged:  # explicit keys win over merged ones, as YAML specifies
            for key, value in source.items():
                if key not in result.key_pos:
                    result.key_pos[key] = source.key_pos[key]
                    result[key] = value
        return result

    def merge_sources(self, node) -> list[YMap]:
        nodes = node.value if isinstance(node, yaml.SequenceNode) else [node]
        sources = []
        for item in nodes:
            if isinstance(item, yaml.MappingNode):
                sources.append(self.mapping(item, _pos(item.start_mark)))
            else:
                self.diags.add(self.path, _pos(item.start_mark), "E003", "a merge key (<<) takes a mapping")
        return sources


def _too_deep(text: str) -> Pos | None:
    """Where ``[`` / ``{`` first nest deeper than MAX_FLOW_DEPTH (counted on the raw text).

    libyaml slows down quadratically with flow nesting and its C composer overflows
    the stack (a crash, not an exception) around 50,000 levels, so we look first.
    """
    if text.count("[") + text.count("{") <= MAX_FLOW_DEPTH:
        return None
    depth = 0
    for match in _BRACKET.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_FLOW_DEPTH:
                line = text.count("\n", 0, match.start())
                return Pos(line + 1, match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1)
        elif depth:
            depth -= 1
    return None


def parse_text(text: str, path: str, diags: Diagnostics):
    """Parse YAML text; returns the converted root, or None after adding diagnostics."""
    deep = _too_deep(text)
    if deep is not None:
        diags.add(path, deep, "E008", f"brackets nest more than {MAX_FLOW_DEPTH} levels deep")
        return None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        if "expected a single document" in message:
            message = "only one YAML document per file (remove the second '---')"
        diags.add(path, _pos(mark) if mark else None, "E001", message or "invalid YAML")
        return None
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        diags.add(path, None, "E001", f"invalid YAML: {exc}".splitlines()[0])
        return None
    if node is None:
        diags.add(path, None, "E010", "the file holds no YAML document")
        return None
    converter = _Converter(path, diags)
    try:
        return converter.convert(node)
    except _TooBig:
        diags.add(path, _pos(node.start_mark), "E008",
                  f"the document expands to more than {MAX_NODES:,} values (aliases repeated too often?)")
        return None
    except RecursionError:
        diags.add(path, _pos(node.start_mark), "E008", "the document is nested too deeply")
        return None


def read_source(path: Path, diags: Diagnostics, display: str | None = None):
    """Read and parse one file, refusing what is too large, binary or not UTF-8."""
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            diags.add(name, None, "E006", f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")
            return None
        data = path.read_bytes()
    except OSError as exc:
        diags.add(name, None, "E006", f"cannot read the file: {exc.strerror or exc}")
        return None
    return parse_bytes(data, name, diags)


def parse_bytes(data: bytes, name: str, diags: Diagnostics):
    if len(data) > MAX_BYTES:
        diags.add(name, None, "E006", f"file is {len(data):,} bytes; the limit is {MAX_BYTES:,}")
        return None
    if b"\x00" in data:
        diags.add(name, None, "E006", "this is a binary file, not YAML text")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        diags.add(name, None, "E006", f"not UTF-8 text (byte {exc.start})")
        return None
    return parse_text(text, name, diags)
