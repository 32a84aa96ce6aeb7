"""Inputs just under 1 MB, built to be slow: each gets its diagnostic (how long it takes is
measured in benchmarks/bench_load.py, never asserted here)."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

from game.engine import Session, load_library
from game.saves import SaveError, SaveStore

from .story_inputs import PERSONAS, RULES, TACTICS, TUTORIAL

MB = 1_000_000


def _story_cases() -> dict[str, tuple[str, set[str]]]:
    """name -> (YAML text under 1 MB, the diagnostic codes it must get)."""
    tutorial = TUTORIAL.read_text(encoding="utf-8")
    head = "format: 1\nkind: scenario\n"
    anchors = "".join(f"a{i}: &a{i} [x, x, x, x, x, x, x, x, x, x]\nb{i}: [" + ", ".join([f"*a{i}"] * 10) + "]\n"
                      for i in range(MB // 135))
    return {
        "a long comment": (tutorial + ("# " + "x" * 98 + "\n") * ((MB - len(tutorial)) // 101), set()),
        "one long line": (head + "title: " + "y" * (MB - 40) + "\n", {"E004"}),
        "many list items": (head + "list:\n" + "- x\n" * (MB // 4 - 10), {"E008"}),
        "a wide flow mapping": (head + "m: {" + ", ".join(f"k{i}: 1" for i in range(MB // 11)) + "}\n", {"E008"}),
        "many small anchors": (head + anchors, {"E008"}),
        "deep brackets": ("a: " + "[" * (MB // 2 - 5) + "]" * (MB // 2 - 5), {"E008"}),
        "deep indentation": ("".join(" " * i + "k:\n" for i in range(1400)), {"E008"}),
        "duplicate keys": (head + "k: 1\n" * (MB // 5 - 10), {"E002", "E008"}),
        "many documents": ("a: 1\n" + "---\na: 1\n" * (MB // 10), {"E001"}),
        "escaped characters": (head + 'title: "' + "\\u00e9" * (MB // 6 - 10) + '"\n', {"E004"}),
    }


STORY_CASES = _story_cases()


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


def test_the_cases_are_big_but_under_1_mb():
    for name, (text, _) in STORY_CASES.items():
        assert 0.85 * MB < len(text.encode("utf-8")) < MB, name


@pytest.mark.parametrize("name", sorted(STORY_CASES))
def test_a_story_file_near_1_mb_gets_its_diagnostic(name, workdir):
    text, codes = STORY_CASES[name]
    path = workdir / "big.yaml"
    path.write_text(text, encoding="utf-8")
    library = load_library([TACTICS, RULES, *PERSONAS, path])
    found = {d.code for d in library.diagnostics.errors if d.path == str(path)}
    assert found == codes, [str(d) for d in library.diagnostics.errors][:5]


@pytest.fixture(scope="module")
def save_setting(workdir):
    library = load_library([TACTICS, RULES, *PERSONAS, TUTORIAL])
    session = Session(library.scenarios["tutorial"], 1)
    session.choose(session.choices()[0].id)
    store = SaveStore(workdir / "saves")
    good = json.loads(store.save(session, "good").read_text(encoding="utf-8"))
    return library, store, good


def _save_cases(good: dict) -> dict[str, bytes]:
    many = dict(good, choices=[list(good["choices"][0])] * (MB // 90))
    many["snapshot"] = dict(good["snapshot"], choices=many["choices"])
    padded = dict(good, title="z" * (MB - 60_000))
    return {
        "a long choice log": json.dumps(many).encode(),
        "a long field": json.dumps(padded).encode(),
        "deep nesting": b"[" * (MB // 2 - 1) + b"]" * (MB // 2 - 1),
        "whitespace": b" " * (MB - 3) + b"{}",
    }


@pytest.mark.parametrize("name", ["a long choice log", "a long field", "deep nesting", "whitespace"])
def test_a_save_near_1_mb_loads_or_is_refused_with_a_message(name, save_setting):
    library, store, good = save_setting
    data = _save_cases(good)[name]
    assert len(data) < MB
    (store.directory / "big.json").write_bytes(data)
    try:
        store.load(library, "big")
    except SaveError as err:
        assert err.message.startswith("the save 'big' ")
    store.list()
