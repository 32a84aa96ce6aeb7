"""Garbage in never gives a traceback: every bad file gets a coded diagnostic and exit 1.

Each case is written to a temporary folder and checked twice: through the real
``offramp validate`` (exit code, output, no traceback) and in-process (the loader
returns diagnostics instead of raising).
"""
from __future__ import annotations

import pytest

from game.engine import load_library
from game.engine.yamlsource import MAX_BYTES, MAX_DEPTH, MAX_NODES

from .helpers import no_traceback, offramp

SCENARIO_HEAD = "format: 1\nkind: scenario\nid: garbage\ntitle: G\nsummary: S\ndifficulty: introductory\nminutes: 5\n"


def billion_laughs() -> str:
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def ten_megabytes() -> str:
    line = "note: " + "x" * 94 + "\n"  # 101 bytes
    return line * (10 * 1024 * 1024 // len(line) + 1)


CASES = {
    "invalid-syntax": ("E001", "format: 1\nkind: scenario\nrounds: {opening: [\n  title: }\n"),
    "top-level-list": ("E003", "- format: 1\n- kind: scenario\n"),
    "top-level-scalar": ("E003", "just a sentence, not a story\n"),
    "list-for-mapping": ("E003", SCENARIO_HEAD + "cast: {adversary: volkov}\nstart: a\nrounds: [a, b]\nendings: {}\n"),
    "scalar-for-mapping": ("E003", SCENARIO_HEAD + "cast: volkov\nstart: a\nrounds: {}\nendings: {}\n"),
    "empty": ("E010", ""),
    "only-whitespace": ("E010", "\n\n   \n"),
    "binary": ("E006", bytes(range(256)) * 4),
    "not-utf8": ("E006", "title: caf\xe9\n".encode("latin-1")),
    "tab-indented": ("E001", "format: 1\nkind: scenario\nrounds:\n\topening:\n\t\ttitle: Tabs\n"),
    "billion-laughs": ("E008", billion_laughs()),
    "ten-megabytes": ("E006", ten_megabytes()),
    "deep-brackets": ("E008", "a: " + "[" * 10_000 + "]" * 10_000 + "\n"),
    "yaml-merge-of-scalar": ("E003", "base: &b 3\nthing:\n  <<: *b\n"),
}


def write(tmp_path, name, content):
    path = tmp_path / f"{name}.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", CASES)
def test_garbage_gets_a_diagnostic_not_a_traceback(tmp_path, name):
    code, content = CASES[name]
    path = write(tmp_path, name, content)

    library = load_library([path])
    assert code in {d.code for d in library.diagnostics if d.path == str(path)}, library.diagnostics

    result = offramp("validate", path, timeout=60)
    no_traceback(result)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{path.name}:" in result.stdout and f"error {code}:" in result.stdout, result.stdout


@pytest.mark.parametrize("text", [
    "a: " + "[" * 10_000 + "]" * 10_000 + "\n",  # PyYAML >= 6.0.4 refuses this in its scanner
    "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n",  # under PyYAML's limit, over ours
    "".join(" " * i + "k:\n" for i in range(MAX_DEPTH + 5)),  # block nesting
], ids=["flow-10000", "flow-just-over", "block"])
def test_deep_nesting_gets_one_code_and_one_message_whoever_notices_first(tmp_path, text):
    path = write(tmp_path, "deep", text)
    found = [d for d in load_library([path]).diagnostics if d.path == str(path)]
    assert [(d.code, d.message) for d in found] == [("E008", f"the document nests more than {MAX_DEPTH} levels deep")]
    assert found[0].line >= 1


def test_the_caps_are_below_the_attacks():
    """The two cases above only prove something if they exceed the loader's limits."""
    assert 10 ** 10 > MAX_NODES
    assert len(ten_megabytes()) > MAX_BYTES


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system",
    "!!python/object/new:os.system",
    "!!python/name:os.system",
])
def test_python_tags_never_run(tmp_path, tag):
    marker = tmp_path / "pwned"
    path = write(tmp_path, "tagged", f'format: 1\nkind: scenario\nsummary: {tag} ["touch {marker}"]\n'
                                     f'title: {tag} ["touch {marker}"]\n')
    library = load_library([path])
    assert "E007" in {d.code for d in library.diagnostics}
    result = offramp("validate", path)
    no_traceback(result)
    assert result.returncode == 1
    assert "error E007:" in result.stdout
    assert not marker.exists()


@pytest.mark.parametrize("text, line, col", [
    ("format: 1\nkind: scenario\nrounds:\n\topening:\n\t\ttitle: Tabs\n", 4, 1),
    ("a: 1\nb:\n  - x\n \t- y\n", 4, 2),
])
def test_a_tab_in_the_indentation_is_named_as_a_tab(tmp_path, text, line, col):
    path = write(tmp_path, "tabs", text)
    found = [d for d in load_library([path]).diagnostics if d.path == str(path)]
    assert [(d.code, d.line, d.col) for d in found] == [("E001", line, col)]
    assert "a tab character" in found[0].message and "spaces" in found[0].message
