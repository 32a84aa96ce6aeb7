"""Ways to spoil a valid file: byte flips, truncation, line edits and YAML's odd corners.

A mutation is a tuple (operation, a, b) of two free integers that the operation reduces
to positions or table indexes, so hypothesis can shrink a failure to a small, readable case.
"""
from __future__ import annotations

from hypothesis import strategies as st

# Values YAML 1.1 and 1.2 read differently, tags that would build objects, and syntax fragments.
EDGE_SCALARS = [
    "no", "on", "off", "yes", "y", "~", "null", "", "0x1f", "0o17", "0b101", "017", "1_000", "1__0.5",
    "1:30", ".inf", "-.inf", ".nan", "1e999", "1e3", "-0", "+5", "2026-01-01", "2026-01-01T10:00:00Z",
    "9" * 5000, "'quoted'", '"\\ud800"', '"\\x00"', "!!python/object/apply:os.system ['echo pwned']",
    "!!python/name:os.system", "!!binary aGk=", "!!set {a, b}", "!!omap [a: 1]", "!custom x", "!!str 5",
    "!!int '5'", "*undefined", "&anchor value", "[", "{", "}", "]", "|", ">", "- item", "? key", ": value",
    "%", "@", "`", "\t", "\\", "{a: 1, a: 2}", "[*x, *x]", "&x [1, 2]", "&b {c: 1}", "<<: *b",
    "[" * 150 + "]" * 150, "[" * 60 + "]" * 60, "{{x}}", "{unknown_name}", "1 / 0", "x ** 2",
    "__import__('os')", "open('/etc/passwd')", "\u2028", "\x85", "\ufeff",
]

# Whole lines (or blocks) inserted between lines.
SNIPPETS = [
    "---", "...", "--- !!python/object:object {}", "%YAML 1.2", "%TAG !e! tag:example.com,2000:",
    "base: &base {title: merged}", "<<: *base", "<<: [*base, *base]", "<<: 5",
    "bomb0: &b0 [x, x, x, x, x, x, x, x, x, x]\nbomb1: &b1 [*b0, *b0, *b0, *b0, *b0, *b0, *b0, *b0, *b0, *b0]\n"
    "bomb2: &b2 [*b1, *b1, *b1, *b1, *b1, *b1, *b1, *b1, *b1, *b1]\n"
    "bomb3: &b3 [*b2, *b2, *b2, *b2, *b2, *b2, *b2, *b2, *b2, *b2]\n"
    "bomb4: [*b3, *b3, *b3, *b3, *b3, *b3, *b3, *b3, *b3, *b3]",
    "loop: &loop [*loop]", "? [complex, key]\n: 1", "on: true", "no: 1", "~: x", "format: 2",
    "kind: playthrough", "kind: 7", "id: Bad Id", "x: !!python/object/apply:os.system ['echo pwned']",
    "\x00", "\t- tab", "  - nested: [1, {a: *undefined}]",
]

OPERATIONS = ("flip", "truncate", "delete_line", "duplicate_line", "swap_lines", "replace_value",
              "insert_snippet", "indent")

mutation = st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 1 << 20), st.integers(0, 1 << 20))
mutation_lists = st.lists(mutation, min_size=1, max_size=5)


def apply(data: bytes, mutations) -> bytes:
    for operation, a, b in mutations:
        data = _apply_one(data, operation, a, b)
    return data


def _apply_one(data: bytes, operation: str, a: int, b: int) -> bytes:
    if operation == "flip":
        if not data:
            return data
        i = a % len(data)
        return data[:i] + bytes([data[i] ^ (b % 255 + 1)]) + data[i + 1:]
    if operation == "truncate":
        return data[: a % (len(data) + 1)]
    lines = data.split(b"\n")
    i, j = a % len(lines), b % len(lines)
    if operation == "delete_line":
        del lines[i]
    elif operation == "duplicate_line":
        lines.insert(i, lines[i])
    elif operation == "swap_lines":
        lines[i], lines[j] = lines[j], lines[i]
    elif operation == "replace_value":
        head, sep, _ = lines[i].partition(b": ")
        value = EDGE_SCALARS[b % len(EDGE_SCALARS)].encode("utf-8", "surrogatepass")
        lines[i] = head + b": " + value if sep else lines[i][: len(lines[i]) - len(lines[i].lstrip())] + value
    elif operation == "insert_snippet":
        indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())] if b % 2 else b""
        snippet = SNIPPETS[(b // 2) % len(SNIPPETS)].encode("utf-8")
        lines.insert(i, b"\n".join(indent + part for part in snippet.split(b"\n")))
    elif operation == "indent":
        lines[i] = b" " * (b % 5) + lines[i].lstrip(b" ") if b % 2 else b"  " + lines[i]
    return b"\n".join(lines)


def tree_nodes(value, out):
    """Every (container, key) in a tree of dicts and lists, depth first: the places a fuzzer may edit."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        out.append((value, key))
        tree_nodes(child, out)
    return out
