"""A small declarative schema: one definition checks a file AND exports its JSON Schema.

Each type turns a positioned YAML value into a plain Python value (strings become
``PStr`` so later checks can still point at them) or reports a coded diagnostic.
Scalars are typed by the field, not by YAML 1.1 guessing.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from . import codes
from .diagnostics import Diagnostics, Pos
from .suggest import hint
from .yamlsource import YMap, YScalar, YSeq, YValue

INVALID = object()
# what a check returns: a PStr, a number, a bool, a list or a Rec of those; or INVALID after a diagnostic
Checked = Any
JSON = dict[str, Any]
_Y = "tag:yaml.org,2002:"
_DECIMAL_INT = re.compile(r"[-+]?[0-9]+\Z")
_DECIMAL_NUM = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\Z")
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}
MAX_NUMBER_CHARS = 40


class PStr(str):
    """A string that remembers where it was written."""

    __slots__ = ("pos", "style")
    pos: Pos
    style: str

    def __new__(cls, value: str, pos: Pos, style: str = "") -> PStr:
        obj = super().__new__(cls, value)
        obj.pos, obj.style = pos, style
        return obj


class Rec(dict[str, Checked]):
    """A checked mapping: values by field name, plus where each field was written."""

    __slots__ = ("pos", "key_pos")

    def __init__(self, pos: Pos, key_pos: dict[str, Pos]):
        super().__init__()
        self.pos, self.key_pos = pos, key_pos

    def where(self, key: str) -> Pos:
        return self.key_pos.get(key, self.pos)


@dataclass
class Ctx:
    path: str
    diags: Diagnostics

    def error(self, pos: Pos | None, code: codes.Code, message: str) -> object:
        self.diags.add(self.path, pos, code, message)
        return INVALID


def _pos_of(value: YValue) -> Pos | None:
    return getattr(value, "pos", None)


def _describe(value: YValue) -> str:
    if isinstance(value, YMap):
        return "a mapping"
    if isinstance(value, YSeq):
        return "a list"
    if value is None:
        return "nothing"
    return f"{value.text!r}" if value.text else "an empty value"


class Type:
    doc = ""

    def check(self, value: YValue, ctx: Ctx) -> Checked:
        raise NotImplementedError

    def json(self) -> JSON:
        raise NotImplementedError

    def _with_doc(self, schema: JSON) -> JSON:
        if self.doc:
            schema["description"] = self.doc
        return schema


def _numeric(value: YValue) -> bool:
    """Written as a number: YAML 1.1 says so, or YAML 1.2 does (``1e3`` has no dot, so 1.1 calls it text)."""
    if not isinstance(value, YScalar) or value.quoted:
        return False
    return value.tag in (_Y + "int", _Y + "float") or (
        value.tag == _Y + "str" and bool(_DECIMAL_NUM.match(value.text.strip())))


def _scalar(value: YValue, ctx: Ctx, expected: str) -> YScalar | None:
    """The scalar, or None after reporting what was found instead."""
    if not isinstance(value, YScalar):
        ctx.error(_pos_of(value), codes.WRONG_TYPE, f"expected {expected}, found {_describe(value)}")
        return None
    return value


@dataclass
class Str(Type):
    pattern: str | None = None
    what: str = "text"
    nonempty: bool = False
    doc: str = ""

    def check(self, value: YValue, ctx: Ctx) -> Checked:
        value = _scalar(value, ctx, self.what)
        if value is None:
            return INVALID
        if value.tag == _Y + "null" and not value.quoted:
            if self.nonempty or self.pattern:
                return ctx.error(value.pos, codes.EMPTY_TEXT if self.nonempty else codes.WRONG_TYPE,
                                 f"{self.what} is empty")
            return PStr("", value.pos)
        text = value.text
        if self.nonempty and not text.strip():
            return ctx.error(value.pos, codes.EMPTY_TEXT, f"{self.what} is empty")
        if self.pattern and not re.fullmatch(self.pattern, text):
            return ctx.error(value.pos, codes.WRONG_TYPE,
                             f"{text!r} is not a valid {self.what} (expected {self.pattern})")
        return PStr(text, value.pos, value.style)

    def json(self) -> JSON:
        schema: JSON = {"type": "string"}
        if self.pattern:
            schema["pattern"] = "^" + self.pattern + "$"
        elif self.nonempty:
            schema["minLength"] = 1
        return self._with_doc(schema)


@dataclass
class Num(Type):
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    doc: str = ""

    def check(self, value: YValue, ctx: Ctx) -> Checked:
        what = "a whole number" if self.integer else "a number"
        value = _scalar(value, ctx, what)
        if value is None:
            return INVALID
        text = value.text.strip()
        if not _numeric(value):
            return ctx.error(value.pos, codes.WRONG_TYPE, f"expected {what}, found {_describe(value)}")
        pattern = _DECIMAL_INT if self.integer else _DECIMAL_NUM
        if not pattern.match(text.replace("_", "")):
            return ctx.error(value.pos, codes.OUT_OF_RANGE, f"write {what} in plain decimal, not {text!r}")
        if len(text) > MAX_NUMBER_CHARS:  # int() refuses over 4,300 digits; no story needs 40
            return ctx.error(value.pos, codes.OUT_OF_RANGE, f"a number is at most {MAX_NUMBER_CHARS} characters long")
        digits = text.replace("_", "")  # YAML 1.1 allows 1_000; Python's float() refuses 1__0.5
        number = int(digits) if _DECIMAL_INT.match(digits) else float(digits)
        if isinstance(number, float) and not math.isfinite(number):
            return ctx.error(value.pos, codes.OUT_OF_RANGE, f"{text!r} is not a finite number")
        if self.minimum is not None and number < self.minimum:
            return ctx.error(value.pos, codes.OUT_OF_RANGE, f"{text} is below the minimum {self.minimum:g}")
        if self.maximum is not None and number > self.maximum:
            return ctx.error(value.pos, codes.OUT_OF_RANGE, f"{text} is above the maximum {self.maximum:g}")
        return number

    def json(self) -> JSON:
        schema: JSON = {"type": "integer" if self.integer else "number"}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return self._with_doc(schema)


@dataclass
class Bool(Type):
    doc: str = ""

    def check(self, value: YValue, ctx: Ctx) -> Checked:
        value = _scalar(value, ctx, "true or false")
        if value is None:
            return INVALID
        text = value.text.strip().lower()
        if not value.quoted and text in ("true", "false"):
            return text == "true"
        hint = " (YAML 1.1 words like yes/no/on/off are not accepted)" if text in _YAML11_BOOLS else ""
        return ctx.error(value.pos, codes.WRONG_TYPE, f"expected true or false, found {_describe(value)}{hint}")

    def json(self) -> JSON:
        return self._with_doc({"type": "boolean"})


@dataclass
class Enum(Type):
    values: tuple[str, ...] = ()
    doc: str = ""

    def check(self, value: YValue, ctx: Ctx) -> Checked:
        value = _scalar(value, ctx, "one of " + ", ".join(self.values))
        if value is None:
            return INVALID
        if value.text not in self.values:
            return ctx.error(value.pos, codes.OUT_OF_RANGE, f"{value.text!r} is not one of: {', '.join(self.values)}")
        return PStr(value.text, value.pos)

    def json(self) -> JSON:
        return self._with_doc({"type": "string", "enum": list(self.values)})


@dataclass
class Expr(Type):
    """Expression source, checked for shape here and compiled later with the names in scope."""

    numbers_ok: bool = False
    doc: str = ""

    def check(self, value: YValue, ctx: Ctx) -> Checked:
        value = _scalar(value, ctx, "an expression")
        if value is None:
            return INVALID
        if value.tag in (_Y + "int", _Y + "float", _Y + "bool") and not value.quoted:
            if not self.numbers_ok and value.tag != _Y + "bool":
                return ctx.error(value.pos, codes.WRONG_TYPE, f"expected a condition, found the number {value.text}")
        elif value.tag == _Y + "null" and not value.quoted:
            return ctx.error(value.pos, codes.EMPTY_TEXT, "the expression is empty")
        return PStr(value.text, value.pos, value.style)

    def json(self) -> JSON:
        schema = {"type": ["string", "number"]} if self.numbers_ok else {"type": ["string", "boolean"]}
        return self._with_doc(schema)


@dataclass
class OneOf(Type):
    """Try alternatives in order, by the shape of the value (scalar, list or mapping)."""

    options: tuple[Type, ...] = ()
    doc: str = ""

    def check(self, value: YValue, ctx: Ctx) -> Checked:
        for option in self.options:
            if _shape_fits(option, value):
                return option.check(value, ctx)
        return ctx.error(_pos_of(value), codes.WRONG_TYPE, f"unexpected {_describe(value)} here")

    def json(self) -> JSON:
        return self._with_doc({"anyOf": [o.json() for o in self.options]})


def _shape_fits(option: Type, value: YValue) -> bool:
    if isinstance(option, (Obj, MapOf)):
        return isinstance(value, YMap)
    if isinstance(option, List):
        return isinstance(value, YSeq)
    if isinstance(option, Num):
        return _numeric(value)
    if isinstance(option, Bool):
        return isinstance(value, YScalar) and value.tag == _Y + "bool"
    return isinstance(value, YScalar)


@dataclass
class List(Type):
    item: Type
    min_items: int = 0
    max_items: int | None = None
    doc: str = ""

    def check(self, value: YValue, ctx: Ctx) -> Checked:
        if not isinstance(value, YSeq):
            return ctx.error(_pos_of(value), codes.WRONG_TYPE, f"expected a list, found {_describe(value)}")
        if len(value) < self.min_items:
            return ctx.error(value.pos, codes.MISSING_FIELD, f"the list needs at least {self.min_items} item(s)")
        if self.max_items is not None and len(value) > self.max_items:
            return ctx.error(value.pos, codes.OUT_OF_RANGE, f"the list takes at most {self.max_items} item(s)")
        out = []
        for item in value:
            if item is None:  # refused by the reader (E007) and already reported
                continue
            checked = self.item.check(item, ctx)
            if checked is not INVALID:
                out.append(checked)
        return out

    def json(self) -> JSON:
        schema: JSON = {"type": "array", "items": self.item.json()}
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.max_items is not None:
            schema["maxItems"] = self.max_items
        return self._with_doc(schema)


@dataclass
class MapOf(Type):
    """A mapping from author-chosen keys (ids, names) to values of one type."""

    value: Type
    key_pattern: str = r"[a-z][a-z0-9_-]*"
    key_what: str = "id"
    doc: str = ""

    def check(self, value: YValue, ctx: Ctx) -> Checked:
        if not isinstance(value, YMap):
            return ctx.error(_pos_of(value), codes.WRONG_TYPE, f"expected a mapping, found {_describe(value)}")
        out = Rec(value.pos, value.key_pos)
        for key, item in value.items():
            if not re.fullmatch(self.key_pattern, key):
                ctx.error(value.key_pos[key], codes.WRONG_TYPE, f"{key!r} is not a valid {self.key_what}")
                continue
            if item is None:  # refused by the reader (E007) and already reported
                continue
            checked = self.value.check(item, ctx)
            if checked is not INVALID:
                out[PStr(key, value.key_pos[key])] = checked
        return out

    def json(self) -> JSON:
        return self._with_doc({
            "type": "object",
            "propertyNames": {"pattern": "^" + self.key_pattern + "$"},
            "additionalProperties": self.value.json(),
        })


@dataclass
class Field:
    type: Type
    required: bool = False


@dataclass
class Obj(Type):
    fields: dict[str, Field] = field(default_factory=dict)
    what: str = "mapping"
    doc: str = ""

    def check(self, value: YValue, ctx: Ctx) -> Checked:
        if not isinstance(value, YMap):
            return ctx.error(_pos_of(value), codes.WRONG_TYPE,
                             f"expected a {self.what} (a mapping), found {_describe(value)}")
        out = Rec(value.pos, value.key_pos)
        for key in value:
            if key not in self.fields:
                ctx.error(value.key_pos[key], codes.UNKNOWN_FIELD,
                          f"unknown field {key!r} in {self.what}{hint(key, self.fields)}")
        for name, spec in self.fields.items():
            if name in value and value[name] is None:  # refused by the reader (E007) and already reported
                continue
            if name in value:
                checked = spec.type.check(value[name], ctx)
                if checked is not INVALID:
                    out[name] = checked
            elif spec.required:
                ctx.error(value.pos, codes.MISSING_FIELD, f"{self.what} needs the field {name!r}")
        return out

    def json(self) -> JSON:
        return self._with_doc({
            "type": "object",
            "properties": {name: spec.type.json() for name, spec in self.fields.items()},
            "required": [name for name, spec in self.fields.items() if spec.required],
            "additionalProperties": False,
        })
