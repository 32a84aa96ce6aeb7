"""Persona inheritance: an archetype holds the psychology once, variants override only what differs."""
from __future__ import annotations

from pathlib import Path

from game.engine import Session, load_library
from game.paths import bundled_story

STORY = bundled_story()
VARIANT = """\
format: 1
kind: persona
id: test-cautious
extends: volkov
name: Marshal Test
traits:
  risk_appetite: 10
reactions:
  - id: label-heard
    lines:
      - text: "The marshal nods."
  - id: shrug-at-labels
    tags: [empathy.label]
    if: "emotion >= 90"
    why: Too angry to be heard.
"""


def library_with(tmp_path: Path, *texts: str):
    for index, text in enumerate(texts):
        (tmp_path / f"extra{index}.yaml").write_text(text, encoding="utf-8")
    return load_library([STORY, tmp_path])


def test_volkov_inherits_the_archetype_and_speaks_in_his_own_voice():
    library = load_library([STORY], compile_scenarios=False)
    volkov, archetype = library.resolved["volkov"], library.resolved["aggressor"]
    assert volkov.chain == ("volkov", "aggressor") and archetype.abstract and not volkov.abstract
    assert [r["id"] for r in volkov.data["reactions"]] == [r["id"] for r in archetype.data["reactions"]]
    assert set(volkov.data["state"]) == set(archetype.data["state"])
    own = {str(r["id"]) for r in library.personas["volkov"].data.get("reactions", [])}
    for reaction in volkov.data["reactions"]:
        expected = library.personas["volkov" if reaction["id"] in own else "aggressor"].path
        assert volkov.origin("reactions", str(reaction["id"]), "lines") == expected
        assert volkov.origin("reactions", str(reaction["id"]), "effects") == archetype.path
    assert volkov.data["traits"]["maximalism"] > archetype.data["traits"]["maximalism"]


def test_a_variant_overrides_fields_and_its_new_reactions_come_first(tmp_path):
    library = library_with(tmp_path, VARIANT)
    assert not library.diagnostics.errors, [str(d) for d in library.diagnostics.errors]
    variant, volkov = library.resolved["test-cautious"], library.resolved["volkov"]
    ids = [r["id"] for r in variant.data["reactions"]]
    assert ids[0] == "shrug-at-labels" and ids[1:] == [r["id"] for r in volkov.data["reactions"]]
    heard = next(r for r in variant.data["reactions"] if r["id"] == "label-heard")
    original = next(r for r in volkov.data["reactions"] if r["id"] == "label-heard")
    assert heard["effects"] == original["effects"] and heard["tags"] == original["tags"]
    assert [str(v["text"]) for v in heard["lines"]] == ["The marshal nods."]
    assert variant.data["traits"] == {**volkov.data["traits"], "risk_appetite": 10}
    assert variant.digest != volkov.digest


def test_a_mistake_in_an_override_is_reported_in_the_variant_file(tmp_path):
    text = VARIANT.replace('if: "emotion >= 90"', 'if: "emotoin >= 90"')
    library = library_with(tmp_path, text, "format: 1\nkind: scenario\nid: test-cast\ntitle: T\nsummary: S\n"
                           "difficulty: introductory\nminutes: 5\ncast: {adversary: test-cautious}\nstart: r\n"
                           "rounds:\n  r:\n    title: R\n    text: R.\n    choices:\n"
                           "      - {id: label, text: Label., tags: [empathy.label], goto: done}\n"
                           "endings:\n  done: {outcome: stalemate, title: Done, text: Done.}\n")
    errors = [d for d in library.diagnostics.errors if d.code == "E202"]
    assert errors and all(d.path.endswith("extra0.yaml") for d in errors[:1]), [str(d) for d in errors]
    assert (errors[0].line, errors[0].col) == (14, 10)


def test_setup_may_tune_a_trait_for_one_scenario(tmp_path):
    base = (STORY / "scenarios" / "ceasefire-table.yaml").read_text(encoding="utf-8")
    tuned = base.replace("id: ceasefire-table\n", "id: ceasefire-tuned\n", 1)
    tuned = tuned.replace("\nsetup:\n", "\nsetup:\n  risk_appetite: 5\n", 1)
    library = library_with(tmp_path, tuned)
    assert not library.diagnostics.errors, [str(d) for d in library.diagnostics.errors]
    plain, tuned = library.scenarios["ceasefire-table"], library.scenarios["ceasefire-tuned"]
    assert plain.constants["risk_appetite"] == 70 and tuned.constants["risk_appetite"] == 5

    def move_chances(scenario):
        session = Session(scenario, 1)
        while session.choices() and session.turn < 4:
            session.choose(session.choices()[0].id)
        return [e["p"] for e in session.log if e["type"] == "roll" and e["what"] == "volkov acts"]
    assert move_chances(plain) and max(move_chances(tuned)) < min(move_chances(plain))


def test_setup_with_a_name_it_cannot_change_says_what_setup_may_change(tmp_path):
    base = (STORY / "scenarios" / "ceasefire-table.yaml").read_text(encoding="utf-8")
    tuned = base.replace("id: ceasefire-table\n", "id: ceasefire-tuned\n", 1)
    tuned = tuned.replace("\nsetup:\n", "\nsetup:\n  risk_apetite: 20\n  bravado: 3\n", 1)
    library = library_with(tmp_path, tuned)
    errors = {d.message.split("'")[1]: d for d in library.diagnostics.errors}
    assert set(errors) == {"risk_apetite", "bravado"}, [str(d) for d in library.diagnostics.errors]
    assert all(d.code == "E103" and "unknown variable" not in d.message for d in errors.values())
    assert "did you mean 'risk_appetite'?" in errors["risk_apetite"].message
    message = errors["bravado"].message
    listed = message.partition("traits (")[2].partition(")")[0].split(", ")
    assert "starting value" in message and {"maximalism", "risk_appetite", "power_fear"} <= set(listed), message
