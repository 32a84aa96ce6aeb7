"""The headless save commands: run --save/--load, saves, and where the saves folder is."""
from __future__ import annotations

import json

from game.cli import main

from .helpers import offramp, play


def _run(capsys, *args):
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_run_save_then_load_continues_the_same_game(tmp_path, scenario, capsys):
    reference = play(scenario, seed=6, steps=3)
    first, second, third = (c for _, c in reference.history)
    folder = str(tmp_path / "saves")
    code, out, _ = _run(capsys, "run", "tutorial", "--seed", "6", "--choose", first, "--choose", second,
                        "--save", "drill", "--saves-dir", folder, "--json")
    assert code == 0 and json.loads(out)["saved"].endswith("drill.json")
    code, out, err = _run(capsys, "run", "--load", "drill", "--choose", third, "--saves-dir", folder, "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["notice"] is None and data["seed"] == 6
    assert data["history"] == [first, second, third]
    assert data["state"] == reference.variables()


def test_run_load_prints_from_the_round_it_resumes(tmp_path, scenario, capsys):
    session = play(scenario, seed=2, steps=2)
    folder = str(tmp_path / "saves")
    main(["run", "tutorial", "--seed", "2", *sum((["--choose", c] for _, c in session.history), []),
          "--save", "s", "--saves-dir", folder])
    capsys.readouterr()
    code, out, _ = _run(capsys, "run", "--load", "s", "--saves-dir", folder)
    assert code == 0
    assert out.lstrip().startswith(f"== Round {session.turn + 1}: {session.round.title} ==")
    assert out.count("== ") == 1


def test_run_refuses_mixed_up_options_with_a_clear_message(tmp_path, scenario, capsys):
    folder = str(tmp_path / "saves")
    main(["run", "tutorial", "--save", "s", "--saves-dir", folder])
    capsys.readouterr()
    assert _run(capsys, "run", "--load", "s", "--seed", "3", "--saves-dir", folder)[2] == (
        "offramp: --seed cannot be used with --load: a save keeps the seed it was played with\n")
    code, _, err = _run(capsys, "run", "second-phase", "--load", "s", "--saves-dir", folder)
    assert code == 1 and "is a game of 'tutorial', not 'second-phase'" in err
    code, _, err = _run(capsys, "run", "--saves-dir", folder)
    assert code == 2 and "name a scenario to run" in err
    code, _, err = _run(capsys, "run", "tutorial", "--save", "../outside", "--saves-dir", folder)
    assert code == 1 and "cannot be used: it contains '/'" in err
    assert not (tmp_path / "outside.json").exists()


def test_saves_lists_slots_as_text_and_json(tmp_path, scenario, capsys):
    folder = tmp_path / "saves"
    assert _run(capsys, "saves", "--saves-dir", str(folder))[1] == f"no saves in {folder}\n"
    main(["run", "tutorial", "--save", "fresh", "--saves-dir", str(folder)])
    (folder / "junk.json").write_text("not json", encoding="utf-8")
    capsys.readouterr()
    code, out, _ = _run(capsys, "saves", "--saves-dir", str(folder))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"saves in {folder}:"
    assert lines[1].split()[:4] == ["fresh", "tutorial", "round", scenario.start]
    assert lines[2].split()[:2] == ["junk", "UNREADABLE"] and "is not a save file" in lines[2]
    listing = json.loads(_run(capsys, "saves", "--saves-dir", str(folder), "--json")[1])
    assert listing["directory"] == str(folder)
    by_slot = {s["slot"]: s for s in listing["saves"]}
    assert by_slot["fresh"]["readable"] and by_slot["fresh"]["scenario"] == "tutorial"
    assert by_slot["fresh"]["round"] == scenario.start and by_slot["fresh"]["saved_at"].endswith("Z")
    assert not by_slot["junk"]["readable"] and "not JSON" in by_slot["junk"]["error"]


def test_the_saves_folder_comes_from_the_environment_or_the_working_folder(tmp_path):
    env_folder = tmp_path / "from-env"
    done = offramp("run", "tutorial", "--save", "a", env_extra={"OFFRAMP_SAVES": str(env_folder)}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (env_folder / "a.json").is_file()
    (tmp_path / "saves").mkdir()
    done = offramp("run", "tutorial", "--save", "b", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "saves" / "b.json").is_file()
    listed = offramp("saves", "--json", cwd=tmp_path)
    assert [s["slot"] for s in json.loads(listed.stdout)["saves"]] == ["b"]


def test_a_saves_dir_that_is_a_file_is_refused_with_the_fix(tmp_path, capsys):
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("hello", encoding="utf-8")
    assert main(["saves", "--saves-dir", str(not_a_folder)]) == 1
    err = capsys.readouterr().err
    assert "is a file, not a folder" in err and "Traceback" not in err
