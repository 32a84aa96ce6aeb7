"""Playthrough files as pytest tests: a scripted run plus what must hold along the way.

Each YAML file with ``kind: playthrough`` under ``tests/playthroughs/`` (or a folder
named by the ``offramp_playthroughs`` ini option, or a file named on the command line)
becomes one test item named after the playthrough, marked ``playthrough`` (so
``pytest -m playthrough`` selects them all), skipped or expected to fail when the file
says ``skip:`` or ``xfail:`` with a reason. A failure names the file position of the broken expectation, the
step it was checked at, what was expected and what the session actually held.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from ..engine import ChoiceError, EngineError, load_library
from ..engine.diagnostics import Diagnostics
from ..engine.library import YAML_SUFFIXES, read_file
from ..engine.session import Session
from ..errors import OfframpError
from ..paths import story_paths

DEFAULT_DIR = Path("tests") / "playthroughs"
_LIBRARY = pytest.StashKey[dict]()


def pytest_addoption(parser) -> None:
    parser.addini("offramp_playthroughs", "extra folders holding playthrough YAML files (kind: playthrough)",
                  type="paths", default=[])
    parser.addini("offramp_story", "extra story folders holding the scenarios that playthroughs name",
                  type="paths", default=[])


def _folders(config) -> list[Path]:
    return [config.rootpath / DEFAULT_DIR, *config.getini("offramp_playthroughs")]


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "playthrough: a playthrough file (kind: playthrough) run by offramp")
    config.stash[_LIBRARY] = {}
    # configured folders outside what pytest will walk are added when no path was named
    if config.args_source == pytest.Config.ArgsSource.TESTPATHS:
        walked = [Path(a).resolve() for a in config.args]
        for folder in config.getini("offramp_playthroughs"):
            folder = Path(folder).resolve()
            if folder.is_dir() and not any(folder == w or w in folder.parents for w in walked):
                config.args.append(str(folder))


def pytest_collect_file(file_path: Path, parent):
    if file_path.suffix not in YAML_SUFFIXES:
        return None
    resolved = file_path.resolve()
    named = parent.session.isinitpath(file_path)  # `pytest path/to/file.yaml` collects it wherever it is
    if not named and not any(resolved.is_relative_to(folder.resolve()) for folder in _folders(parent.config)):
        return None
    return PlaythroughFile.from_parent(parent, path=file_path)


class PlaythroughFile(pytest.File):
    def collect(self):
        diags = Diagnostics()
        source = read_file(self.path, diags)
        if source is None or source.kind != "playthrough":
            if diags or source is None:
                yield BrokenPlaythrough.from_parent(self, name=self.path.stem, problems=[str(d) for d in diags])
            return
        name = str(source.data.get("name") or self.path.stem)
        item = PlaythroughItem.from_parent(self, name=name, source=source)
        item.add_marker(pytest.mark.playthrough)
        if "skip" in source.data:
            item.add_marker(pytest.mark.skip(reason=str(source.data["skip"])))
        if "xfail" in source.data:
            item.add_marker(pytest.mark.xfail(reason=str(source.data["xfail"]), raises=PlaythroughFailure,
                                              strict=True))
        yield item


class PlaythroughFailure(OfframpError):
    """A broken expectation, already worded for the reader."""


class BrokenPlaythrough(pytest.Item):
    def __init__(self, *, problems, **kwargs):
        super().__init__(**kwargs)
        self.problems = problems

    def runtest(self):
        raise PlaythroughFailure("the playthrough file has errors:\n" + "\n".join(self.problems))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, PlaythroughFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, 0, f"playthrough file {self.path.name}"


class PlaythroughItem(BrokenPlaythrough):
    def __init__(self, *, source, **kwargs):
        super().__init__(problems=[], **kwargs)
        self.source = source

    def runtest(self):
        scenario = _scenario(self.config, self.source)
        problems = check(scenario, self.source, _story(self.config))
        if problems:
            raise PlaythroughFailure(f"playthrough {self.name!r} ({self.source.path}) failed:\n"
                                     + "\n\n".join(problems))

    def reportinfo(self):
        return self.path, 0, f"playthrough: {self.name}"


def _story(config) -> tuple[str, ...]:
    """The extra story folders the ``offramp_story`` ini option names."""
    return tuple(str(p) for p in config.getini("offramp_story"))


def _scenario(config, source):
    """The compiled scenario a playthrough names, from a library loaded once per story setup."""
    extra = _story(config)
    cache = config.stash[_LIBRARY]
    if extra not in cache:
        cache[extra] = load_library(story_paths(extra))
    library = cache[extra]
    ident = str(source.data["scenario"])
    if ident in library.scenarios:
        return library.scenarios[ident]
    where = _where(source, source.data, "scenario")
    if ident in library.scenario_files:
        errors = "\n".join(str(d) for d in library.diagnostics.sorted() if d.severity == "error")
        raise PlaythroughFailure(f"{where}: scenario {ident!r} has errors:\n{errors}")
    known = ", ".join(sorted(library.scenarios)) or "none"
    raise PlaythroughFailure(f"{where}: no scenario {ident!r} (known: {known}; "
                             "add a story folder with the offramp_story ini option)")


def _where(source, rec, key) -> str:
    """file:line:col of a field's value (its key when the value is a number)."""
    pos = getattr(rec.get(key), "pos", None) or rec.where(key)
    return f"{source.path}:{pos.line}:{pos.col}"


def _within(actual, expected) -> bool:
    if isinstance(expected, list):
        return expected[0] <= actual <= expected[1]
    return abs(actual - expected) < 1e-9


def _show(expected) -> str:
    return f"in [{expected[0]:g}, {expected[1]:g}]" if isinstance(expected, list) else f"= {expected:g}"


def _state(session) -> str:
    where = f"ending {session.ending!r} ({session.outcome})" if session.ended else f"round {session.round_id!r}"
    values = ", ".join(f"{k}={v:g}" if not isinstance(v, bool) else f"{k}={v}"
                       for k, v in session.variables().items())
    return f"    actual state: {where} after {session.turn} choice(s)\n    values: {values}"


def _step_name(session, step: int) -> str:
    if step == 0:
        return "at the start (step 0)"
    round_id, choice = session.history[step - 1]
    return f"at step {step} (after choice {choice!r} in round {round_id!r})"


def reader(session, story=()):
    """The free-text reader for the session's story, trained once per process on the corpus of
    the last story folder that has one (a project's own story may bring its own corpus)."""
    from ..recognize import for_story

    return for_story(story_paths(story), session.scenario.tactics)


def check(scenario, source, story=()) -> list[str]:
    """Play a playthrough and return one readable message per broken expectation; ``story``: the
    extra story folders it was loaded with (their corpus reads its ``say:`` steps)."""
    data, expect = source.data, source.data["expect"]
    session = Session(scenario, int(data["seed"]))
    checkpoints: dict[int, list] = {}
    for point in expect.get("at", []):
        checkpoints.setdefault(int(point["step"]), []).append(point)
    problems = _checkpoint(source, session, checkpoints.get(0, []), 0)
    for step, choice_id in enumerate(data["choices"], start=1):
        if isinstance(choice_id, dict):  # {say: ...}: a typed line, read as the move it makes
            line = choice_id["say"]
            heard = session.say(str(line), [(r.tag, r.confidence) for r in
                                             reader(session, story).read(str(line), session.last_words())])
            if heard.choice is None:
                problems.append(f"{source.path}:{line.pos.line}:{line.pos.col}: step {step}: saying {str(line)!r} "
                                f"played nothing: {heard.reason}" + (f" (read as {' + '.join(heard.tags)})"
                                                                    if heard.tags else "") + f"\n{_state(session)}")
                return problems
            problems += _checkpoint(source, session, checkpoints.get(step, []), step)
            continue
        try:
            session.choose(str(choice_id))
        except (ChoiceError, EngineError) as err:
            pos = choice_id.pos
            problems.append(f"{source.path}:{pos.line}:{pos.col}: step {step}: choosing {str(choice_id)!r} "
                            f"failed: {err}\n{_state(session)}")
            return problems
        problems += _checkpoint(source, session, checkpoints.get(step, []), step)
    for step in sorted(s for s in checkpoints if s > len(data["choices"])):
        problems.append(f"{_where(source, checkpoints[step][0], 'step')}: checkpoint at step {step}, "
                        f"but the playthrough makes only {len(data['choices'])} choice(s)")
    return problems + _final(source, session, expect)


def _checkpoint(source, session, points, step) -> list[str]:
    problems = []
    for point in points:
        if "round" in point and point["round"] != session.round_id:
            actual = f"round {session.round_id!r}" if not session.ended else f"the ending {session.ending!r}"
            problems.append(f"{_where(source, point, 'round')}: {_step_name(session, step)}\n"
                            f"    expected: round {point['round']!r}\n    actual:   {actual}\n{_state(session)}")
        for name, expected in point.get("values", {}).items():
            try:
                actual = session.values[name]
            except KeyError:
                problems.append(f"{source.path}:{name.pos.line}:{name.pos.col}: {_step_name(session, step)}: "
                                f"scenario {session.scenario.id!r} has no value called {str(name)!r}")
                continue
            if not _within(actual, expected):
                problems.append(f"{source.path}:{name.pos.line}:{name.pos.col}: {_step_name(session, step)}\n"
                                f"    expected: {name} {_show(expected)}\n    actual:   {name} = {actual:g}\n"
                                f"{_state(session)}")
    return problems


def _final(source, session, expect) -> list[str]:
    problems, at_end = [], f"at the end (step {session.turn})"
    for key, actual in (("ending", session.ending), ("outcome", session.outcome)):
        if key in expect and str(expect[key]) != actual:
            problems.append(f"{_where(source, expect, key)}: {at_end}\n    expected: {key} {str(expect[key])!r}\n"
                            f"    actual:   {key} {actual!r}\n{_state(session)}")
    if "round" in expect and (session.ended or expect["round"] != session.round_id):
        actual = f"the ending {session.ending!r}" if session.ended else f"round {session.round_id!r}"
        problems.append(f"{_where(source, expect, 'round')}: {at_end}\n    expected: still in round "
                        f"{str(expect['round'])!r}\n    actual:   {actual}\n{_state(session)}")
    scores = session.scores()
    for key, expected in expect.get("scores", {}).items():
        if key not in scores:  # score keys are the story's skills, so the schema cannot list them
            problems.append(f"{source.path}:{key.pos.line}:{key.pos.col}: scenario {session.scenario.id!r} has no "
                            f"score {str(key)!r}; its scores: {', '.join(scores)}")
            continue
        if not _within(scores[key], expected):
            problems.append(f"{source.path}:{key.pos.line}:{key.pos.col}: {at_end}\n"
                            f"    expected: {key} score {_show(expected)}\n    actual:   {key} score = {scores[key]:g}"
                            f"\n    all scores: " + ", ".join(f"{k} {v:g}" for k, v in scores.items()))
    if expect.get("text"):
        transcript = "\n".join(beat.text for beat in session.beats)
        for wanted in expect["text"]:
            if wanted not in transcript:
                problems.append(f"{source.path}:{wanted.pos.line}:{wanted.pos.col}: {at_end}\n"
                                f"    expected the text {str(wanted)!r} to appear\n"
                                f"    actual:   it is not in the {len(session.beats)} beat(s) of the transcript")
    return problems
