"""Every kind of bad save gets its own clear message, in the API and the CLI, and spoils no other slot."""
from __future__ import annotations

import json

import pytest

from game.cli import main
from game.saves import SaveError

from .helpers import offramp, play


def _edit(field, value):
    def change(data):
        data[field] = value
        return json.dumps(data).encode()
    return change


def _edit_snapshot_value(data):
    name = sorted(data["snapshot"]["values"])[0]
    value = data["snapshot"]["values"][name]
    data["snapshot"]["values"][name] = (not value) if isinstance(value, bool) else value + 7
    return json.dumps(data).encode()


def _edit_choice_log(data):
    data["choices"] = data["choices"][:-1]
    return json.dumps(data).encode()


def _flip_inside(raw: bytes) -> bytes:
    middle = raw.index(b'"snapshot"')
    return raw[:middle] + b"\x01" + raw[middle + 1:]


BAD_SAVES = {
    # kind: (how to spoil a good save's bytes, the message the trainee sees)
    "truncated": (lambda raw: raw[: len(raw) // 2], "is truncated: the file stops after"),
    "truncated at a line end": (lambda raw: raw[: raw.rindex(b"\n", 0, len(raw) // 3)], "is truncated"),
    "corrupted JSON": (_flip_inside, "is corrupted: invalid JSON at line"),
    "corrupted bytes": (lambda raw: raw[:100] + b"\xff\xfe" + raw[102:], "is corrupted: byte 100 is not UTF-8 text"),
    "hand-edited value": (lambda raw: _edit_snapshot_value(json.loads(raw)),
                          "was damaged or edited by hand: it does not replay as recorded"),
    "hand-edited choice log": (lambda raw: _edit_choice_log(json.loads(raw)),
                               "its snapshot and its record disagree about 'choices'"),
    "hand-edited field type": (lambda raw: _edit("seed", "seven")(json.loads(raw)),
                               "field 'seed' should be a whole number (found 'seven')"),
    "hand-edited missing field": (lambda raw: json.dumps({k: v for k, v in json.loads(raw).items()
                                                          if k != "choices"}).encode(),
                                  "field 'choices' should be a list (missing)"),
    "newer version": (lambda raw: _edit("version", 99)(json.loads(raw)),
                      "was written in save format 99 by a newer offramp"),
    "unknown version": (lambda raw: _edit("version", "1.0")(json.loads(raw)), "has save format '1.0'"),
    "foreign JSON": (lambda raw: b'{"name": "left-pad", "version": "1.3.0"}',
                     'is not an offramp save: it is JSON, but has no "kind": "offramp-save"'),
    "foreign JSON list": (lambda raw: b"[1, 2, 3]\n", "is not an offramp save"),
    "not JSON": (lambda raw: b"format: 1\nkind: scenario\n", "is not a save file: it is not JSON"),
    "empty": (lambda raw: b"", "is empty: the file holds no data"),
    "only whitespace": (lambda raw: b"\n  \n", "is empty"),
}


NEEDS_THE_STORY = {"hand-edited value"}


@pytest.fixture
def slots(store, scenario):
    """A good slot 'good' and the raw bytes of a good save to spoil into 'bad'."""
    session = play(scenario, seed=4, steps=3)
    store.save(session, "good")
    raw = store.save(session, "bad").read_bytes()
    assert not (store.directory / "bad.json.bak").exists()  # no fallback: the message itself is under test
    return raw


@pytest.mark.parametrize("kind", list(BAD_SAVES))
def test_each_kind_of_bad_save_has_a_clear_message(kind, store, library, slots):
    spoil, message = BAD_SAVES[kind]
    (store.directory / "bad.json").write_bytes(spoil(slots))
    with pytest.raises(SaveError) as err:
        store.load(library, "bad")
    assert message in err.value.message
    assert err.value.message.startswith("the save 'bad' ")
    listed = {i.slot: i for i in store.list()}
    if kind in NEEDS_THE_STORY:  # listing reads files only; replaying needs the scenario
        assert listed["bad"].readable
    else:
        assert not listed["bad"].readable and message in listed["bad"].error
    assert listed["good"].readable and listed["good"].error is None
    assert store.load(library, "good").session.turn == 3


@pytest.mark.parametrize("kind", ["truncated", "hand-edited choice log", "foreign JSON", "empty"])
def test_the_cli_says_the_same_with_exit_1_and_no_traceback(kind, store, slots, capsys):
    spoil, message = BAD_SAVES[kind]
    (store.directory / "bad.json").write_bytes(spoil(slots))
    for command in (["run", "--load", "bad"], ["transcript", "bad"]):
        assert main([*command, "--saves-dir", str(store.directory)]) == 1
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err
    assert main(["run", "--load", "good", "--saves-dir", str(store.directory), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["history"]
    assert main(["saves", "--saves-dir", str(store.directory)]) == 0
    listing = capsys.readouterr().out
    assert "bad" in listing and "UNREADABLE" in listing and message in listing


def test_the_installed_command_prints_one_line_not_a_traceback(store, slots):
    (store.directory / "bad.json").write_bytes(slots[:500])
    done = offramp("run", "--load", "bad", "--saves-dir", store.directory)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "offramp: the save 'bad' is truncated: the file stops after 500 bytes, before the end of the save"]
