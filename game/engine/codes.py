"""Every diagnostic code as one descriptor: what it means, why it is raised, and an example.

As in Yarn Spinner's diagnostic definitions, a code is an object, not a string: the
engine reports problems with these objects (``diags.add(path, pos, codes.UNKNOWN_ROUND, ...)``),
and the table in docs/reference.md is generated from them (``python -m game.tools.reference_doc``
rewrites it; ``tests/engine/test_codes.py`` fails when the two drift apart).
Codes are stable: an ``E`` is an error, a ``W`` a warning.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Code:
    """One kind of problem an author can make."""

    code: str  # stable: E... for errors, W... for warnings
    title: str  # the short meaning shown in the table
    explanation: str  # why it is refused and how to fix it
    example: str  # a line of YAML (or an expression) that gets this code

    @property
    def severity(self) -> str:
        return "warning" if self.code.startswith("W") else "error"

    def __str__(self) -> str:
        return self.code


# files and YAML
YAML_SYNTAX = Code(
    "E001", "YAML syntax error",
    "The file is not valid YAML, or holds more than one document, or an alias names an anchor that is "
    "not defined yet. The message gives PyYAML's reason at the position where reading stopped.",
    "choices: [unclosed")
DUPLICATE_KEY = Code(
    "E002", "duplicate key in a mapping",
    "A key written twice in one mapping; YAML would silently keep the last one, offramp refuses both.",
    "title: Talks\ntitle: Talks again")
WRONG_TYPE = Code(
    "E003", "wrong type of value",
    "The field expects another kind of value (text, number, list, mapping, true/false). Words such as "
    "yes/no/on/off are not true/false here: write true or false.",
    "visible: yes")
MISSING_FIELD = Code(
    "E004", "required field missing",
    "A field the file kind requires is absent (see the field tables above and `offramp schema KIND`).",
    "choices: [{id: listen, text: Listen.}]   # no goto")
UNKNOWN_FIELD = Code(
    "E005", "unknown field",
    "A key the file kind does not define, usually a typo; the message suggests the closest known field.",
    "tilte: Talks")
UNREADABLE = Code(
    "E006", "file unreadable (missing, binary, not UTF-8, or too large)",
    "The file could not be read as UTF-8 text within the size limit. Save it as UTF-8 text.",
    "# a file saved in Latin-1, with é as the byte 0xE9")
UNSUPPORTED_TAG = Code(
    "E007", "unsupported YAML tag (nothing is ever constructed from tags)",
    "A tag that would build an object (Python objects, sets, binary data, local tags) is refused, so no "
    "story file can run code. Remove the tag.",
    "effect: !!python/object/apply:os.system [ls]")
TOO_LARGE = Code(
    "E008", "document too large after expanding aliases, or nested too deeply",
    "Aliases would expand the document past the size limit (the 'billion laughs' attack), an alias is "
    "used inside its own anchor, or values nest more than 100 levels deep (whichever of PyYAML and "
    "offramp notices first, the code is the same). Write the data out plainly.",
    "a: &a [*a]")
OUT_OF_RANGE = Code(
    "E009", "value out of range or not allowed",
    "A number outside the field's bounds or not written in plain decimal, or a word that is not one of "
    "the field's allowed values.",
    "difficulty: expert")
EMPTY_FILE = Code(
    "E010", "file is empty",
    "The file holds no YAML document (it is empty or only comments). Delete it or give it content.",
    "# only a comment")
UNKNOWN_KIND = Code(
    "E011", "unknown file kind or format version",
    "Every story file starts with `format: 1` and a `kind:` this offramp reads (tactics, rules, "
    "persona, scenario, policy, playthrough).",
    "format: 2")
CONTROL_CHARACTERS = Code(
    "W012", "terminal control characters removed from text",
    "A text held an escape sequence or a control character (written with YAML escapes such as \\e or "
    "\\a), which would drive the trainee's terminal; it was removed. Write plain text.",
    'text: "Volkov waits.\\e]0;new window title\\a"')
# references and ids
UNKNOWN_ROUND = Code(
    "E100", "unknown round or ending",
    "A goto, route or start names a round or ending the scenario does not define.",
    "goto: nowhere")
UNKNOWN_PERSONA = Code(
    "E101", "unknown persona",
    "A scenario's cast names a persona id that no persona file defines.",
    "cast: {adversary: volkoff}")
UNKNOWN_SPEAKER = Code(
    "E102", "unknown character or speaker",
    "A line's speaker is not the narrator, you, or a character of the cast.",
    "lines: [{speaker: stranger, text: Hello}]")
UNKNOWN_VARIABLE = Code(
    "E103", "unknown variable",
    "A setup, reveal or chart names a variable no rules, persona or scenario declares. A setup may also "
    "name a trait of a cast persona (risk_appetite, ...) to tune it for that scenario; anything else is this.",
    "setup: {patience: 5}")
UNKNOWN_TACTIC = Code(
    "E104", "unknown tactic",
    "A choice's tags or a rule names a tactic that is not in the tactics catalogue.",
    "tags: [empathy.hug]")
DUPLICATE_ID = Code(
    "E105", "duplicate id",
    "Two things of one kind share an id (choices of a scenario, scenarios, personas, variables). Ids are "
    "how saves, transcripts and tests refer to things, so each must be unique.",
    "choices: [{id: listen, goto: a}, {id: listen, goto: b}]")
UNKNOWN_ISSUE = Code(
    "E106", "unknown issue",
    "A choice concedes or splits an issue the scenario does not declare.",
    "concedes: [borders]")
UNKNOWN_SCENARIO = Code(
    "E107", "unknown scenario",
    "A scenario names rules, or a playthrough names a scenario, that no loaded file defines.",
    "rules: harsh")
UNKNOWN_CONCEPT = Code(
    "E108", "unknown concept or source",
    "A tactic names a doctrine concept or a concept names a source that the catalogue does not define.",
    "concept: charisma")
UNKNOWN_SKILL = Code(
    "E110", "unknown skill",
    "A tactic or a scoring rule names a skill that no tactics catalogue declares under skills.",
    "skill: charm")
PERSONA_CYCLE = Code(
    "E112", "persona inheritance goes round in a circle",
    "A persona's extends: leads, through other personas, back to itself, so nothing it inherits can be "
    "resolved. Make one of them extend the archetype (or nothing) instead.",
    "id: hardliner\nextends: moderate   # while moderate extends hardliner")
ARCHETYPE_CAST = Code(
    "E113", "an archetype cast in a role",
    "A persona marked abstract: true holds shared psychology for others to extend and is never played "
    "itself. Cast a persona that extends it, or write one in a few lines (`offramp docs authoring`).",
    "cast: {adversary: aggressor}")
UNKNOWN_MOVE = Code(
    "E114", "unknown persona move",
    "A round's premise: names a move that no persona of the cast can make, so the round would announce "
    "that move again instead of being about it. Use a move id from a cast persona (`offramp persona show ID`).",
    "premise: [refocus]   # the move is refocus-feint")
REPLACED_ID = Code(
    "W109", "an id from a later story folder replaces an earlier folder's (on purpose)",
    "A later story folder (OFFRAMP_STORY, then --story, then validate's own paths) defines an id the "
    "bundled story or an earlier folder defines; the later file is used everywhere. Rename it if that "
    "was not meant.",
    "id: tutorial   # in an instructor's folder")
# expressions
EXPRESSION_SYNTAX = Code(
    "E200", "expression syntax error",
    "The condition or effect is not a well-formed expression.",
    "if: rapport >=")
NOT_ALLOWED = Code(
    "E201", "construct not allowed in an expression",
    "Expressions allow names, numbers, comparisons, arithmetic, and/or/not and a few functions; "
    "anything else (attributes, calls of unknown functions, names starting with '_') is refused.",
    "if: rapport.__class__")
UNKNOWN_NAME = Code(
    "E202", "unknown name in an expression",
    "The expression reads a name that is not a declared variable, trait, derived value or built-in. "
    "All the places that need one missing name are one error, at the first of them, listing the "
    "others; a scenario whose own folder holds none of them gets one error at its cast naming them all.",
    "if: raport > 3")
TYPE_MISMATCH = Code(
    "E203", "type mismatch in an expression",
    "A number where a yes/no is needed or the other way round, e.g. adding to a true/false variable.",
    "if: rapport + 1")
TOO_COMPLEX = Code(
    "E204", "expression too long or too deeply nested",
    "Expressions are at most 400 characters and 32 levels deep; split the logic into derived values.",
    "if: -(-(-(-(-(-(-(-(-(-(-(-(-(-(-(-(-(-(-(-(-(-(-(-(-(-(-(-(-(-(-(-(-rapport)))))))))))))))))))))))))))))))) > 1")
ARGUMENT_COUNT = Code(
    "E205", "wrong number of arguments",
    "A function is called with more or fewer arguments than it takes.",
    "if: chance()")
READ_ONLY = Code(
    "E206", "assignment to a read-only name",
    "An effect assigns to a trait, a derived value or a built-in such as turn; only variables change.",
    "effects: ['maximalism -= 10']")
UNKNOWN_TEXT_NAME = Code(
    "E207", "text interpolation names an unknown value",
    "A `{name}` in a text is not a variable or a speaker; write `{{` and `}}` for literal braces.",
    "text: Your rapport is {raport}.")
NOT_FINITE = Code(
    "W208", "a constant in an expression is not a finite number (infinite or NaN)",
    "A number literal overflows to infinity, or arithmetic on literals gives NaN; playing it would stop "
    "with E400, since no variable may hold such a value. Write a finite number.",
    "effects: ['rapport = 1e999 - 1e999']")
# story structure
UNREACHABLE = Code(
    "E300", "round unreachable from the start",
    "No path of gotos and routes leads from the start to this round, so no trainee can ever play it.",
    "# a round that no goto or route names")
NO_WAY_OUT = Code(
    "E301", "round has no way out",
    "A round whose choices all lead back into it, or a route without a fallback entry, could trap the "
    "trainee; every round needs a path to an ending.",
    "routes: {sign: [{if: 'rapport >= 30', goto: done}]}")
ENDING_NEVER_TARGETED = Code(
    "W302", "ending never targeted",
    "An ending no goto, route or trigger names: it can never be reached. Remove it or route to it.",
    "# an ending that no goto, route or trigger names")
UNUSED_VARIABLE = Code(
    "W303", "variable declared but never used",
    "A variable no condition, effect, text or chart reads or writes; it is probably left over.",
    "variables: {patience: {initial: 5}}")
EMPTY_TEXT = Code(
    "E304", "empty text",
    "A text or expression that must say something is empty (including `~` and `null`).",
    "text: ''")
BAD_BOUNDS = Code(
    "E305", "invalid initial value or bounds",
    "A variable's initial value is of the wrong type or outside min..max, or min is above max.",
    "variables: {patience: {initial: 150, max: 100}}")
STUCK_ROUND = Code(
    "E307", "a round can be reached with every choice closed",
    "The explorer's search reached this round in a state where every choice's `if:` is false, so the "
    "trainee would have nothing to pick. Give the round one choice without a condition.",
    "choices: [{id: early, if: 'turn < 1', text: Too late., goto: done}]")
# runtime (reported by the engine while playing)
EXPRESSION_FAILED = Code(
    "E400", "expression failed while playing",
    "An expression failed on real values, such as a division by zero; the session stops with the "
    "expression's position instead of a traceback.",
    "effects: ['rapport /= escalation']   # while escalation is 0")

CODES: dict[str, Code] = {c.code: c for c in globals().values() if isinstance(c, Code)}

TABLE_START = "<!-- codes table: generated by `python -m game.tools.reference_doc` from game/engine/codes.py -->"
TABLE_END = "<!-- end of codes table -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ⏎ ")


def markdown_table() -> str:
    """The codes table of docs/reference.md, between its two marker comments."""
    rows = [TABLE_START, "", "| code | meaning | why, and what to do | example |", "|---|---|---|---|"]
    for c in CODES.values():
        rows.append(f"| {c.code} | {_cell(c.title)} | {_cell(c.explanation)} | `{_cell(c.example)}` |")
    return "\n".join([*rows, "", TABLE_END])


def with_table(document: str) -> str:
    """``document`` with the text between the markers replaced by the current table."""
    before, _, rest = document.partition(TABLE_START)
    _, found, after = rest.partition(TABLE_END)
    if not found:
        raise ValueError("the document has no codes table markers")
    return before + markdown_table() + after

