"""Read a YAML file into plain containers that remember where every value came from.

We build ``YMap``/``YSeq``/``YScalar`` straight from PyYAML's parser events, never
from its constructor, so no tag can run code. Building from events ourselves lets us
refuse duplicate keys, leave scalar typing to the schema (so ``no`` in a text field
stays the word "no"), and stop as soon as a document grows too big or too deep:
PyYAML's own composer reads the whole file first and is slow on huge inputs, and
libyaml's C composer crashes on very deep nesting.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml
from yaml.resolver import Resolver

from ..errors import OfframpError
from ..files import FileRefused, read_limited
from ..text_safety import UNSAFE, clean
from . import codes
from .diagnostics import Diagnostics, Pos

# the C parser is much faster; fall back to pure Python where libyaml is absent
_Loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 2 * 1024 * 1024
MAX_NODES = 100_000  # the largest bundled scenario has under 2,000; this bounds the time a file can take
MAX_DEPTH = 100
TOO_DEEP = f"the document nests more than {MAX_DEPTH} levels deep"

_Y = "tag:yaml.org,2002:"
SCALAR_TAGS = {_Y + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
MERGE_TAG = _Y + "merge"
_IMPLICIT = Resolver.yaml_implicit_resolvers  # first character -> [(tag, pattern)], YAML 1.1
_NO_KEY = object()


class YMap(dict[str, "YValue"]):
    """A mapping with the position of itself and of each key."""

    __slots__ = ("pos", "key_pos")

    def __init__(self, pos: Pos):
        super().__init__()
        self.pos = pos
        self.key_pos: dict[str, Pos] = {}


class YSeq(list["YValue"]):
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


# a value as read; None where the reader refused it (a tag) and already said so
YValue = YMap | YSeq | YScalar | None


class _Mark(Protocol):
    """Where PyYAML's parser is (the pure-Python and the libyaml marks alike)."""

    line: int
    column: int


def _pos(mark: _Mark | None) -> Pos:
    return Pos(mark.line + 1, mark.column + 1) if mark is not None else Pos()


def _implicit_tag(text: str, plain: bool) -> str:
    """The tag PyYAML's resolver gives an untagged scalar (only plain ones are ever guessed)."""
    if plain:
        for tag, pattern in _IMPLICIT.get(text[:1], ()):
            if pattern.match(text):
                return str(tag)
    return _Y + "str"


def _too_deep(exc: yaml.MarkedYAMLError) -> bool:
    """PyYAML 6.0.4 and later stop deep flow collections in the scanner, before our own depth check
    sees them; either way the author gets the same E008."""
    return "nesting depth" in str(exc.problem or "")


def _tab_near(text: str, mark: _Mark | None) -> Pos | None:
    """Where a tab sits in the indentation of the line PyYAML stopped on, if one does: its own
    messages ("found character that cannot start any token") never say the word."""
    if mark is None:
        return None
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    indent = line[:len(line) - len(line.lstrip(" \t"))]
    return Pos(mark.line + 1, indent.index("\t") + 1) if "\t" in indent else None


class _Stop(OfframpError):
    """The document cannot be read any further: one diagnostic says why."""

    def __init__(self, code: codes.Code, pos: Pos | None, message: str):
        super().__init__(message)
        self.code, self.pos, self.message = code, pos, message


@dataclass
class _Open:
    """A mapping or list being built: ``value`` is None when its tag was refused."""

    value: YMap | YSeq | None
    pos: Pos
    anchor: str | None
    first_count: int
    key: YValue | object = _NO_KEY  # a mapping's key waiting for its value, with its position
    key_pos: Pos | None = None
    merges: list[YMap] = field(default_factory=list)


class _Builder:
    """Turns parser events into positioned containers, counting values as aliases expand them."""

    def __init__(self, path: str, diags: Diagnostics):
        self.path, self.diags = path, diags
        self.count = 0
        self.root_pos: Pos | None = None
        self.anchors: dict[str, tuple[YValue, int, Pos]] = {}  # name -> (value, size, where)
        self.building: set[str] = set()  # anchors of collections still open
        self.stack: list[_Open] = []
        self.root: YValue = None
        self.placed = False  # whether the root has been placed (a second document is refused)

    def build(self, events: Iterable[yaml.Event]) -> YValue:
        handlers: dict[type, Callable[[Any], None]] = {
                    yaml.ScalarEvent: self.scalar, yaml.MappingStartEvent: self.start,
                    yaml.SequenceStartEvent: self.start, yaml.MappingEndEvent: self.end,
                    yaml.SequenceEndEvent: self.end, yaml.AliasEvent: self.alias,
                    yaml.DocumentStartEvent: self.document}
        for event in events:
            handler = handlers.get(type(event))
            if handler is not None:
                handler(event)
        return self.root

    def document(self, event: yaml.Event) -> None:
        if self.placed:
            raise _Stop(codes.YAML_SYNTAX, _pos(event.start_mark),
                        "only one YAML document per file (remove the second '---')")

    def grow(self, size: int, pos: Pos) -> None:
        if self.root_pos is None:
            self.root_pos = pos
        self.count += size
        if self.count > MAX_NODES:
            raise _Stop(codes.TOO_LARGE, self.root_pos,
                        f"the document expands to more than {MAX_NODES:,} values (aliases repeated too often?)")

    def scalar(self, event: yaml.ScalarEvent) -> None:
        pos = _pos(event.start_mark)
        self.grow(1, pos)
        tag = event.tag
        if tag is None or tag == "!":
            tag = _implicit_tag(event.value, event.implicit[0])
        value: YScalar | None = None
        text = event.value
        if UNSAFE.search(text):  # e.g. "\e]0;...\a" in a double-quoted string would reach the terminal
            text = clean(text)
            self.diags.add(self.path, pos, codes.CONTROL_CHARACTERS,
                           "terminal control characters removed from this text")
        if tag in SCALAR_TAGS or tag == MERGE_TAG:
            value = YScalar(text, tag, pos, event.style or "")
        else:
            self.diags.add(self.path, pos, codes.UNSUPPORTED_TAG, f"tag {tag!r} is not allowed; write plain values")
        self.remember(event.anchor, value, 1, pos)
        self.place(value, pos)

    def start(self, event: yaml.CollectionStartEvent) -> None:
        pos = _pos(event.start_mark)
        self.grow(1, pos)
        if len(self.stack) >= MAX_DEPTH:
            raise _Stop(codes.TOO_LARGE, pos, TOO_DEEP)
        is_map = isinstance(event, yaml.MappingStartEvent)
        expected = _Y + ("map" if is_map else "seq")
        value: YMap | YSeq | None = YMap(pos) if is_map else YSeq(pos)
        if event.tag not in (None, "!", expected):
            self.diags.add(self.path, pos, codes.UNSUPPORTED_TAG,
                           f"tag {event.tag!r} is not allowed on {'a mapping' if is_map else 'a list'}")
            value = None
        if event.anchor:
            self.building.add(event.anchor)
        self.stack.append(_Open(value, pos, event.anchor, self.count - 1))

    def end(self, _event: yaml.Event) -> None:
        done = self.stack.pop()
        if isinstance(done.value, YMap):
            for source in done.merges:  # explicit keys win over merged ones, as YAML specifies
                for key, item in source.items():
                    if key not in done.value.key_pos:
                        done.value.key_pos[key] = source.key_pos[key]
                        done.value[key] = item
        if done.anchor:
            self.building.discard(done.anchor)
        self.remember(done.anchor, done.value, self.count - done.first_count, done.pos)
        self.place(done.value, done.pos)

    def alias(self, event: yaml.AliasEvent) -> None:
        pos, name = _pos(event.start_mark), event.anchor
        if name in self.building:
            raise _Stop(codes.TOO_LARGE, pos, f"the alias *{name} is used inside its own anchor, so it would never end")
        if name not in self.anchors:
            raise _Stop(codes.YAML_SYNTAX, pos, f"found undefined alias {name!r}")
        value, size, _ = self.anchors[name]
        self.grow(size, pos)
        self.place(value, pos)

    def remember(self, anchor: str | None, value: YValue, size: int, pos: Pos) -> None:
        if not anchor:
            return
        if anchor in self.anchors:
            first = self.anchors[anchor][2]
            raise _Stop(codes.YAML_SYNTAX, pos, f"the anchor &{anchor} is defined twice (first at line {first.line})")
        self.anchors[anchor] = (value, size, pos)

    def place(self, value: YValue, pos: Pos) -> None:
        """Put a finished value where it belongs: the root, a list, a key, or a key's value."""
        if not self.stack:
            self.root, self.placed = value, True
            return
        parent = self.stack[-1]
        if isinstance(parent.value, YSeq):
            parent.value.append(value)
        elif parent.key is _NO_KEY:
            parent.key, parent.key_pos = value, pos
        else:
            key, key_pos = parent.key, parent.key_pos or pos
            parent.key = _NO_KEY
            if isinstance(parent.value, YMap):
                self.pair(parent.value, parent.merges, key, key_pos, value, pos)

    def pair(self, mapping: YMap, merges: list[YMap], key: YValue | object, key_pos: Pos, value: YValue,
             pos: Pos) -> None:
        if isinstance(key, YScalar) and key.tag == MERGE_TAG:
            for source in value if isinstance(value, YSeq) else [value]:
                if isinstance(source, YMap):
                    merges.append(source)
                else:
                    self.diags.add(self.path, getattr(source, "pos", pos), codes.WRONG_TYPE,
                                   "a merge key (<<) takes a mapping")
            return
        if not isinstance(key, YScalar):
            self.diags.add(self.path, key_pos, codes.WRONG_TYPE, "mapping keys must be plain words")
            return
        if key.text in mapping.key_pos:
            first = mapping.key_pos[key.text]
            self.diags.add(self.path, key_pos, codes.DUPLICATE_KEY,
                           f"duplicate key {key.text!r} (first at line {first.line})")
            return
        mapping.key_pos[key.text] = key_pos
        mapping[key.text] = value


def parse_text(text: str, path: str, diags: Diagnostics) -> YValue:
    """Parse YAML text; returns the converted root, or None after adding diagnostics."""
    builder = _Builder(path, diags)
    try:
        root = builder.build(yaml.parse(text, Loader=_Loader))
    except _Stop as stop:
        diags.add(path, stop.pos, stop.code, stop.message)
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if _too_deep(exc):
            diags.add(path, _pos(mark) if mark else None, codes.TOO_LARGE, TOO_DEEP)
            return None
        tab = _tab_near(text, mark)
        if tab is not None:
            diags.add(path, tab, codes.YAML_SYNTAX,
                      "a tab character: YAML indents with spaces only; replace the tab with spaces")
            return None
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        diags.add(path, _pos(mark) if mark else None, codes.YAML_SYNTAX, message or "invalid YAML")
        return None
    except (yaml.YAMLError, ValueError) as exc:
        diags.add(path, None, codes.YAML_SYNTAX, f"invalid YAML: {exc}".splitlines()[0])
        return None
    if root is None and builder.root_pos is None:
        diags.add(path, None, codes.EMPTY_FILE, "the file holds no YAML document")
        return None
    return root


def read_source(path: Path, diags: Diagnostics, display: str | None = None) -> YValue:
    """Read and parse one file, refusing what is not a regular file, too large, binary or not UTF-8."""
    data = read_bytes(path, diags, display)
    return None if data is None else parse_bytes(data, display or str(path), diags)


def read_bytes(path: Path, diags: Diagnostics, display: str | None = None) -> bytes | None:
    """A story file's bytes through the one guarded reader, or None after an E006."""
    try:
        return read_limited(path, MAX_BYTES)
    except FileRefused as err:
        diags.add(display or str(path), None, codes.UNREADABLE, f"cannot use this file: {err.reason}")
        return None


def parse_bytes(data: bytes, name: str, diags: Diagnostics) -> YValue:
    if len(data) > MAX_BYTES:
        diags.add(name, None, codes.UNREADABLE, f"file is {len(data):,} bytes; the limit is {MAX_BYTES:,}")
        return None
    if b"\x00" in data:
        diags.add(name, None, codes.UNREADABLE, "this is a binary file, not YAML text")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        diags.add(name, None, codes.UNREADABLE, f"not UTF-8 text (byte {exc.start})")
        return None
    return parse_text(text, name, diags)
