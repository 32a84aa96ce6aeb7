"""One missing declaration is one error: the places that need an unknown name are grouped.

Without grouping, a persona that forgets one variable gave an error at every expression
reading it, in every scenario casting it, plus a "needed by this scenario" copy of each.
"""
from __future__ import annotations

import re
import shutil

from game.engine import load_library
from game.paths import bundled_story, story_paths

from .helpers import BROKEN, no_traceback, offramp

LABEL_HEARD = '    if: "emotion >= 25"\n'  # the condition of the archetype's first reaction (Volkov inherits it)
MISSPELT = '''    if: "emotion >= 25 and has('empathy.lable')"\n'''


def _without_variable(text: str, name: str) -> str:
    """A persona's text with the declaration of ``name`` (in its state mapping) cut out."""
    lines = text.splitlines(keepends=True)
    start = lines.index(f"  {name}:\n")
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("    "))
    return "".join(lines[:start] + lines[end:])


def test_a_persona_missing_one_variable_gives_one_error_listing_the_other_places(tmp_path):
    story = tmp_path / "story"
    shutil.copytree(bundled_story(), story)
    persona = story / "personas" / "aggressor.yaml"  # Volkov inherits his state from the archetype
    text = _without_variable(persona.read_text(encoding="utf-8"), "rapport")
    persona.write_text(text, encoding="utf-8")
    first_read = next(i for i, line in enumerate(text.splitlines(), 1)  # the first expression reading it
                      if re.search(r"\brapport \S?=", line))

    result = offramp("validate", story)
    no_traceback(result)
    errors = [line for line in result.stdout.splitlines() if ": error " in line]
    assert len(errors) == 1, result.stdout
    (error,) = errors
    assert f"aggressor.yaml:{first_read}:" in error and "error E202: unknown name 'rapport'" in error
    more = int(re.search(r"also needed at (\d+) more places", error).group(1))
    assert more >= 20  # the persona's other reads, the catalogue's, and those of all five scenarios
    for scenario in ("tutorial", "ceasefire-table", "leverage", "mediator", "second-phase"):
        assert f"{scenario}.yaml line" in error
    assert "needed by this scenario" not in result.stdout
    assert "1 error(s)" in result.stdout


def test_the_broken_fixture_persona_gives_exactly_one_diagnostic():
    library = load_library([*story_paths(), BROKEN])
    found = [d for d in library.diagnostics if "'hurt'" in d.message]
    assert [(d.path.rsplit("/", 1)[-1], d.code, d.line, d.col) for d in found] == [
        ("e202-cascade-persona.yaml", "E202", 23, 10)]
    message = found[0].message
    # its own later reads, the rules' derived `ripe` and the scenario's condition, effect and text
    assert "e202-cascade-persona.yaml lines 24, 27, 32" in message
    assert "e202-cascade-scenario.yaml lines 18, 23, 24" in message
    assert "rules.yaml line" in message
    assert "broken-e202-cascade" not in library.scenarios


def test_names_only_another_folder_reads_are_one_error_at_the_scenario():
    library = load_library([*story_paths(), BROKEN])
    scenario = str(BROKEN / "e202-catalogue-reads-undeclared-variable.yaml")
    at_scenario = [d for d in library.diagnostics if d.path == scenario]
    assert len(at_scenario) == 1
    message = at_scenario[0].message
    for name in ("stage", "emotion", "escalation", "ripe"):  # what the bundled catalogue reads
        assert message.count(f"'{name}'") == 1, message
    assert "needed by this scenario" in message
    bundled = str(bundled_story())
    assert not [d for d in library.diagnostics if d.path.startswith(bundled) and d.severity == "error"]


def test_a_variable_whose_declaration_is_refused_is_not_also_unknown_where_read(tmp_path):
    story = tmp_path / "story"
    shutil.copytree(bundled_story(), story)
    persona = story / "personas" / "aggressor.yaml"
    text = persona.read_text(encoding="utf-8")
    declaration = "  rapport:\n    chart: true\n    swing: 1\n    label: Rapport\n    initial: 10\n"
    assert declaration in text
    persona.write_text(text.replace(declaration, declaration.replace("initial: 10", "initial: 500")),
                       encoding="utf-8")
    library = load_library([bundled_story(), story])
    assert [(d.code, d.message) for d in library.diagnostics.errors] == [
        ("E305", "rapport: initial 500 is outside 0..100")]


def test_a_mistake_in_a_persona_of_the_scenarios_own_folder_is_not_copied_to_each_scenario(tmp_path):
    story = tmp_path / "story"
    shutil.copytree(bundled_story(), story)
    persona = story / "personas" / "aggressor.yaml"
    text = persona.read_text(encoding="utf-8")
    assert LABEL_HEARD in text
    persona.write_text(text.replace(LABEL_HEARD, MISSPELT, 1), encoding="utf-8")
    result = offramp("validate", story)
    errors = [line for line in result.stdout.splitlines() if ": error " in line]
    assert len(errors) == 1 and "aggressor.yaml" in errors[0] and "E104" in errors[0], result.stdout


def test_a_mistake_in_another_folders_persona_is_shown_at_the_scenario_that_needs_it(tmp_path):
    persona = (bundled_story() / "personas" / "aggressor.yaml").read_text(encoding="utf-8")
    (tmp_path / "volkov.yaml").write_text(  # a playable copy of the archetype, with one misspelt tag
        persona.replace("id: aggressor", "id: volkov-copy", 1).replace("abstract: true\n", "", 1)
        .replace(LABEL_HEARD, MISSPELT, 1),
        encoding="utf-8")
    mine = tmp_path / "mine"
    mine.mkdir()
    scenario = (bundled_story() / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    scenario = re.sub(r"adversary: \S+", "adversary: volkov-copy", scenario, count=1)
    (mine / "tutorial.yaml").write_text(scenario.replace("id: tutorial", "id: tutorial-copy", 1), encoding="utf-8")
    library = load_library([bundled_story(), tmp_path / "volkov.yaml", mine])
    at_scenario = [d for d in library.diagnostics if d.path == str(mine / "tutorial.yaml")]
    assert [(d.code, "needed by this scenario" in d.message) for d in at_scenario] == [("E104", True)]
