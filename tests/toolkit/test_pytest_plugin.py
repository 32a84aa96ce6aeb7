"""The playthrough plugin, run against throwaway projects with pytester."""
from __future__ import annotations

from .helpers import PLUGIN_ARGS, ROOT, bundled

# textual-snapshot keeps a module-level temp folder that an in-process nested run would delete
PLUGIN = (*PLUGIN_ARGS, "-p", "no:textual-snapshot")
GOOD = """\
format: 1
kind: playthrough
name: tutorial signs away sovereignty
scenario: tutorial
seed: 1
choices: [name-the-fear, grant-the-veto]
expect:
  at:
    - {step: 1, round: encircled}
  round: what-would-it-take
"""


def _project(pytester, files: dict[str, str], ini: str = ""):
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n" + ini)
    for name, text in files.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_playthroughs_are_collected_with_readable_names(pytester):
    _project(pytester, {"tests/playthroughs/veto.yaml": GOOD, "tests/playthroughs/notes.yaml": "just: notes\n"})
    result = pytester.runpytest(*PLUGIN, "--collect-only", "-q")
    result.stdout.fnmatch_lines(["tests/playthroughs/veto.yaml::tutorial signs away sovereignty"])
    assert pytester.runpytest(*PLUGIN).parseoutcomes() == {"passed": 1, "failed": 1}  # notes.yaml is not a story file


def test_a_wrong_expectation_fails_with_step_expectation_and_actual_state(pytester):
    wrong = GOOD.replace("{step: 1, round: encircled}", "{step: 1, round: encircled, values: {rapport: [0, 1]}}")
    wrong = wrong.replace("round: what-would-it-take\n", "ending: durable-peace\n")
    _project(pytester, {"tests/playthroughs/wrong.yaml": wrong})
    result = pytester.runpytest(*PLUGIN)
    assert result.parseoutcomes() == {"failed": 1}
    result.stdout.fnmatch_lines([
        "*wrong.yaml:9:*: at step 1 (after choice 'name-the-fear' in round 'across-the-table')",
        "    expected: rapport in [[]0, 1[]]",
        "    actual:   rapport = *",
        "*wrong.yaml:*: at the end (step 2)",
        "    expected: ending 'durable-peace'",
        "    actual:   ending None",
        "    actual state: round 'what-would-it-take' after 2 choice(s)",
    ])
    assert "Traceback" not in result.stdout.str() and "def runtest" not in result.stdout.str()


def test_a_choice_that_is_not_open_names_the_step(pytester):
    _project(pytester, {"tests/playthroughs/bad.yaml": GOOD.replace("grant-the-veto", "sign-anything")})
    result = pytester.runpytest(*PLUGIN)
    result.stdout.fnmatch_lines(["*bad.yaml:6:*: step 2: choosing 'sign-anything' failed: *open choices: *"])


def test_a_malformed_playthrough_shows_file_line_col(pytester):
    _project(pytester, {"tests/playthroughs/typo.yaml": GOOD.replace("seed: 1", "seed: one")})
    result = pytester.runpytest(*PLUGIN)
    assert result.parseoutcomes() == {"failed": 1}
    result.stdout.fnmatch_lines(["*typo.yaml:5:7: error E003: *"])


def test_configured_folders_are_collected_too(pytester):
    _project(pytester, {"checks/veto.yaml": GOOD, "tests/test_nothing.py": "def test_ok():\n    pass\n"},
             ini="testpaths = tests\nofframp_playthroughs = checks")
    assert pytester.runpytest(*PLUGIN).parseoutcomes() == {"passed": 2}


def test_every_ending_of_every_bundled_scenario_has_a_playthrough():
    from game.engine.diagnostics import Diagnostics
    from game.engine.library import read_file

    covered = set()
    for path in sorted((ROOT / "tests" / "playthroughs").glob("*.yaml")):
        source = read_file(path, Diagnostics())
        if source is not None and "ending" in source.data["expect"]:
            covered.add((str(source.data["scenario"]), str(source.data["expect"]["ending"])))
    wanted = {(s.id, e) for s in bundled().scenarios.values() for e in s.endings}
    assert wanted - covered == set()


def test_an_unknown_scenario_is_named_with_its_position(pytester):
    _project(pytester, {"tests/playthroughs/lost.yaml": GOOD.replace("scenario: tutorial", "scenario: tutorail")})
    result = pytester.runpytest(*PLUGIN)
    result.stdout.fnmatch_lines(["*lost.yaml:4:11: no scenario 'tutorail' (known: *tutorial*"])


def test_the_playthrough_marker_selects_playthroughs_only(pytester):
    _project(pytester, {"tests/playthroughs/veto.yaml": GOOD, "tests/test_other.py": "def test_ok():\n    pass\n"})
    assert pytester.runpytest(*PLUGIN, "-m", "playthrough").parseoutcomes() == {"passed": 1, "deselected": 1}
    assert pytester.runpytest(*PLUGIN, "-m", "not playthrough").parseoutcomes() == {"passed": 1, "deselected": 1}


def test_a_file_named_on_the_command_line_is_collected_wherever_it_is(pytester):
    _project(pytester, {"elsewhere/veto.yaml": GOOD})
    assert pytester.runpytest(*PLUGIN, "elsewhere").parseoutcomes().get("passed") is None  # a folder: not walked
    assert pytester.runpytest(*PLUGIN, "elsewhere/veto.yaml").parseoutcomes() == {"passed": 1}


def test_skip_and_xfail_fields_carry_their_reasons(pytester):
    broken = GOOD.replace("round: what-would-it-take\n", "ending: durable-peace\n")
    _project(pytester, {
        "tests/playthroughs/skipped.yaml": GOOD.replace("seed: 1\n", "seed: 1\nskip: waiting for the new round\n"),
        "tests/playthroughs/known-bug.yaml": broken.replace("seed: 1\n", "seed: 1\nxfail: ending not written yet\n"),
        "tests/playthroughs/fixed-bug.yaml": GOOD.replace("seed: 1\n", "seed: 1\nxfail: was broken once\n"),
    })
    result = pytester.runpytest(*PLUGIN, "-rsxX")
    assert result.parseoutcomes() == {"skipped": 1, "xfailed": 1, "failed": 1}
    result.stdout.fnmatch_lines(["*XPASS(strict)* was broken once", "*short test summary*",
                                 "*waiting for the new round*", "*ending not written yet*"])


def test_say_steps_are_read_with_the_corpus_of_the_story_the_ini_option_names(pytester):
    """A project's own story folder may bring its own corpus: its say: steps are read with it."""
    line = "we offer the pineapple accord to you today"
    corpus = (ROOT / "story" / "corpus" / "tactics.jsonl").read_text(encoding="utf-8")
    corpus += f'{{"text": "{line}", "tags": ["empathy.label"], "context": {{"last": ""}}}}\n' * 20
    said = GOOD.replace("choices: [name-the-fear, grant-the-veto]", f'choices: [{{say: "{line}"}}]').replace(
        "  round: what-would-it-take\n", "  round: encircled\n")
    _project(pytester, {"tests/playthroughs/said.yaml": said})
    result = pytester.runpytest(*PLUGIN)  # the bundled corpus has never seen the words
    assert result.parseoutcomes() == {"failed": 1}
    result.stdout.fnmatch_lines(["*step 1: saying*pineapple*played nothing*"])
    _project(pytester, {"tests/playthroughs/said.yaml": said, "mystory/corpus/tactics.jsonl": corpus},
             ini="offramp_story = mystory")
    assert pytester.runpytest(*PLUGIN).parseoutcomes() == {"passed": 1}
