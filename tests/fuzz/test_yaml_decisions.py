"""Each YAML 1.1/1.2 corner decided in docs/reference.md ("YAML decisions"), tested as written there."""
from __future__ import annotations

from string import Template

import pytest

from game.engine import load_library
from game.engine.yamlsource import MAX_BYTES, MAX_DEPTH, MAX_NODES

from .story_inputs import PERSONAS, RULES, TACTICS

PROBE = Template("""\
format: 1
kind: scenario
id: yaml-probe
title: $title
summary: Probing how YAML values are read.
difficulty: introductory
minutes: $minutes
cast: {adversary: volkov}
characters:
  $character: {name: Norbert}
variables:
  probe: {type: number, initial: $initial, min: -100, max: 5000, visible: $visible}
start: only
rounds:
  only:
    title: Only
    text: "Probe is {probe}."
    choices:
      - {id: end, text: End it., tags: [empathy.label], goto: done, effects: ["probe += 1"]}
endings:
  done: {outcome: stalemate, title: Done, text: It ends.}
$extra""")
DEFAULTS = {"title": "Probe", "minutes": "5", "character": "aide", "initial": "3", "visible": "true", "extra": ""}


def load(tmp_path, text: str | bytes):
    path = tmp_path / "probe.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    library = load_library([TACTICS, RULES, *PERSONAS, path])
    mine = [d for d in library.diagnostics if d.path == str(path)]
    return library.scenarios.get("yaml-probe"), {d.code for d in mine if d.severity == "error"}, mine


def probe(tmp_path, **fields):
    return load(tmp_path, PROBE.substitute({**DEFAULTS, **fields}))


def test_the_probe_itself_is_valid(tmp_path):
    scenario, codes, _ = probe(tmp_path)
    assert codes == set() and scenario.title == "Probe" and scenario.vars["probe"].initial == 3


class TestTags:
    @pytest.mark.parametrize("value", [
        "!!python/object/apply:os.system ['touch $$MARK']",
        "!!python/object/new:os.system ['touch $$MARK']",
        "!!python/name:os.system",
        "!!binary aGk=",
        "!!set {a, b}",
        "!!omap [a: 1]",
        "!local thing",
    ])
    def test_tags_that_would_build_objects_are_refused_and_nothing_runs(self, tmp_path, value):
        mark = tmp_path / "ran"
        scenario, codes, _ = probe(tmp_path, title=value.replace("$$MARK", str(mark)))
        assert "E007" in codes and scenario is None
        assert not mark.exists()

    def test_tag_handles_declared_in_the_file_are_refused_too(self, tmp_path):
        text = "%TAG !e! tag:example.com,2000:\n---\n" + PROBE.substitute(DEFAULTS, title="!e!thing x")
        assert "E007" in load(tmp_path, text)[1]

    def test_standard_tags_are_accepted_and_the_field_still_decides(self, tmp_path):
        scenario, codes, _ = probe(tmp_path, title="!!str 5", minutes="!!int 7", initial="!!float 4")
        assert codes == set()
        assert scenario.title == "5" and scenario.minutes == 7 and scenario.vars["probe"].initial == 4


class TestKeys:
    def test_duplicate_keys_are_an_error_not_an_overwrite(self, tmp_path):
        assert "E002" in probe(tmp_path, extra="title: Again\n")[1]

    @pytest.mark.parametrize("key", ["on", "no", "yes", "off", "null"])
    def test_keys_are_always_text(self, tmp_path, key):
        scenario, codes, _ = probe(tmp_path, character=key)
        assert codes == set() and scenario.speakers[key] == "Norbert"

    def test_collections_as_keys_are_refused(self, tmp_path):
        assert "E003" in probe(tmp_path, extra="? [a, b]\n: 1\n")[1]


class TestAnchorsAndMerges:
    def test_anchors_aliases_and_merge_keys_work(self, tmp_path):
        text = PROBE.substitute(DEFAULTS, title="&t Shared title").replace(
            "summary: Probing how YAML values are read.", "summary: *t").replace(
            "  aide: {name: Norbert}\n", "  aide: &person {name: Norbert}\n  twin: {<<: *person}\n").replace(
            '    title: Only\n    text: "Probe is {probe}."\n',
            "    <<: {title: Merged, text: From a merge.}\n    title: Explicit wins\n")
        scenario, codes, _ = load(tmp_path, text)
        assert codes == set()
        assert scenario.summary == "Shared title"
        assert scenario.speakers["twin"] == "Norbert"
        assert scenario.rounds["only"].title == "Explicit wins"  # explicit keys win over merged ones
        assert scenario.rounds["only"].text.render(str) == "From a merge."

    def test_merged_keys_fill_in_what_is_missing(self, tmp_path):
        text = PROBE.substitute(DEFAULTS).replace(
            "    title: Only\n    text: \"Probe is {probe}.\"\n",
            "    <<: [{text: First source wins.}, {text: Second source loses., title: From the second}]\n")
        scenario, codes, _ = load(tmp_path, text)
        assert codes == set()
        assert scenario.rounds["only"].title == "From the second"
        assert scenario.rounds["only"].text.render(str) == "First source wins."

    def test_merging_a_non_mapping_is_refused(self, tmp_path):
        assert "E003" in probe(tmp_path, extra="base: &b 3\nthing:\n  <<: *b\n")[1]

    def test_an_alias_inside_its_own_anchor_is_refused(self, tmp_path):
        _, codes, diags = probe(tmp_path, extra="loop: &loop [*loop]\n")
        assert codes == {"E008"} and "used inside its own anchor" in diags[0].message

    def test_an_undefined_alias_and_a_redefined_anchor_are_syntax_errors(self, tmp_path):
        assert probe(tmp_path, title="*nowhere")[1] == {"E001"}
        assert probe(tmp_path, title="&a x", extra="other: &a y\n")[1] == {"E001"}

    def test_an_alias_bomb_stops_at_the_value_cap(self, tmp_path):
        lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 9)]
        _, codes, diags = probe(tmp_path, extra="\n".join(lines) + "\n")
        assert codes == {"E008"} and f"{MAX_NODES:,} values" in diags[0].message
        assert 10 ** 9 > MAX_NODES


class TestDocuments:
    def test_a_second_document_is_refused(self, tmp_path):
        _, codes, diags = load(tmp_path, PROBE.substitute(DEFAULTS) + "---\nformat: 1\n")
        assert codes == {"E001"} and "only one YAML document per file" in diags[0].message

    def test_a_leading_marker_a_final_marker_and_version_directives_are_fine(self, tmp_path):
        for text in ("---\n" + PROBE.substitute(DEFAULTS) + "...\n",
                     "%YAML 1.2\n---\n" + PROBE.substitute(DEFAULTS),
                     "%YAML 1.1\n---\n" + PROBE.substitute(DEFAULTS)):
            assert load(tmp_path, text)[1] == set()

    def test_a_utf8_byte_order_mark_is_fine(self, tmp_path):
        assert load(tmp_path, b"\xef\xbb\xbf" + PROBE.substitute(DEFAULTS).encode())[1] == set()

    @pytest.mark.parametrize("content, code", [
        (b"", "E010"),
        (b"# only a comment\n", "E010"),
        (b"title: caf\xe9\n", "E006"),
        (b"title: x\x00\n", "E006"),
        (b"x: " + b"y" * MAX_BYTES, "E006"),
    ])
    def test_empty_binary_non_utf8_and_oversized_files(self, tmp_path, content, code):
        assert load(tmp_path, content)[1] == {code}

    def test_nesting_deeper_than_the_cap_is_refused(self, tmp_path):
        deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
        assert probe(tmp_path, extra=f"deep: {deep}\n")[1] == {"E008"}
        indented = "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 1)) + "  " * (MAX_DEPTH + 1) + "end\n"
        assert probe(tmp_path, extra=indented)[1] == {"E008"}
        shallow = "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2)
        assert probe(tmp_path, extra=f"deep: {shallow}\n")[1] == {"E005"}  # parsed, then an unknown field


class TestScalars:
    @pytest.mark.parametrize("written, read", [
        ("no", "no"), ("on", "on"), ("yes", "yes"), ("off", "off"), ("1.0", "1.0"), ("0x1f", "0x1f"),
        ("017", "017"), ("2026-01-01", "2026-01-01"), (".inf", ".inf"), ("1e3", "1e3"), ("'quoted'", "quoted"),
        ("1_000", "1_000"),
    ])
    def test_text_fields_keep_exactly_what_was_written(self, tmp_path, written, read):
        scenario, codes, _ = probe(tmp_path, title=written)
        assert codes == set() and scenario.title == read

    @pytest.mark.parametrize("empty", ["", "~", "null"])
    def test_an_empty_required_text_is_refused(self, tmp_path, empty):
        assert "E304" in probe(tmp_path, title=empty)[1]

    @pytest.mark.parametrize("written, read", [("true", True), ("false", False), ("True", True), ("FALSE", False)])
    def test_yes_no_fields_take_true_and_false(self, tmp_path, written, read):
        scenario, codes, _ = probe(tmp_path, visible=written)
        assert codes == set() and scenario.vars["probe"].visible is read

    @pytest.mark.parametrize("written", ["yes", "no", "on", "off", "y", "n", "'true'", "1"])
    def test_yes_no_fields_refuse_yaml_11_words(self, tmp_path, written):
        _, codes, diags = probe(tmp_path, visible=written)
        assert codes == {"E003"}
        if written in ("yes", "no", "on", "off", "y", "n"):
            assert "yes/no/on/off are not accepted" in diags[0].message

    @pytest.mark.parametrize("written, read", [
        ("12", 12), ("-3", -3), ("2.5", 2.5), ("1e3", 1000.0), ("1_000", 1000), ("017", 17), ("+4", 4), ("0.", 0.0),
    ])
    def test_number_fields_take_plain_decimals(self, tmp_path, written, read):
        scenario, codes, _ = probe(tmp_path, initial=written)
        assert codes == set()
        assert scenario.vars["probe"].initial == read

    @pytest.mark.parametrize("written, code", [
        ("0x1f", "E009"), ("0b101", "E009"), ("1:30", "E009"), (".inf", "E009"), ("-.inf", "E009"),
        (".nan", "E009"), ("1e999", "E009"), ("9" * 41, "E009"), ("9" * 5000, "E009"),
        ("0o17", "E003"), ("'5'", "E003"), ("2026-01-01", "E003"), ("five", "E003"),
    ])
    def test_number_fields_refuse_everything_else(self, tmp_path, written, code):
        assert probe(tmp_path, initial=written)[1] == {code}

    def test_whole_number_fields_refuse_fractions(self, tmp_path):
        assert probe(tmp_path, minutes="2.5")[1] == {"E009"}
        assert probe(tmp_path, minutes="1e3")[1] == {"E009"}
