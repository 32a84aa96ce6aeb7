"""Turn checked story files into compiled scenarios, reporting every semantic problem.

Schema checks (types, required fields) happen in library.py; here we resolve
references, compile every expression once with the names in scope, and check the
shape of each scenario's graph.
"""
from __future__ import annotations

import dataclasses
import hashlib
from collections import deque
from collections.abc import Callable, Iterable
from typing import Protocol

from ..errors import OfframpError
from . import codes, tags
from . import expr as ex
from .cascade import MissingNames, Site
from .diagnostics import Diagnostic, Diagnostics, Pos
from .effects import prepare
from .library import Library, SourceFile
from .machine import build_machine
from .model import (
    Actor,
    Choice,
    Ending,
    Issue,
    Line,
    Move,
    Outcome,
    PointsRule,
    Policy,
    Reaction,
    Round,
    Scenario,
    Skill,
    Tactic,
    Var,
    Variant,
)
from .personas import Persona, resolve_all
from .schema import Checked, PStr, Rec
from .spec import ROLES
from .state import BUILTIN_NAMES
from .suggest import hint
from .text import Template, TemplateError

SPEAKERS = {"narrator": ("Narrator", "narrator"), "you": ("You", "you")}


class _Tallies(Protocol):
    """What has() and count() read: the session's counts of the tactics used."""

    def has(self, tag: str) -> bool: ...

    def count(self, tag: str) -> int: ...


def _has(ctx: _Tallies, tag: str) -> bool:
    return ctx.has(tag)


def _count(ctx: _Tallies, tag: str) -> int:
    return ctx.count(tag)


class _Words(Protocol):
    """What said() reads: the trainee's last words (only a line's condition may ask)."""

    def said(self, word: str) -> bool: ...


def _said(ctx: _Words, word: str) -> bool:
    return ctx.said(word)


FUNCTIONS = {
    **ex.BUILTINS,
    "has": ex.Function("has", (ex.STR,), ex.BOOL, _has),
    "count": ex.Function("count", (ex.STR,), ex.NUM, _count),
    "said": ex.Function("said", (ex.STR,), ex.BOOL, _said),
}


def _origin(path: str, src: object) -> str:
    """Where an expression's text starts, for messages while playing (after a quote, if quoted)."""
    pos = getattr(src, "pos", None) or Pos()
    quoted = getattr(src, "style", "") in ("'", '"')
    return f"{path}:{pos.line}:{pos.col + quoted}"



def _offset(src: PStr, err: ex.ExprError | TemplateError) -> Pos:
    """Map an error inside an expression or text onto the file, as closely as the YAML style allows."""
    pos = getattr(src, "pos", None) or Pos()
    style = getattr(src, "style", "")
    if style in ("|", ">"):  # block scalars are re-flowed by YAML: point at the block itself
        return pos
    if isinstance(err, TemplateError):
        line_off, col = 0, err.offset
    else:
        line_off, col = err.line, err.col
    if line_off:
        return Pos(pos.line + line_off, col + 1)
    return Pos(pos.line, pos.col + col + (1 if style in ("'", '"') else 0))


class _Scope:
    """Compiles expressions and templates for one scenario, remembering the names they use."""

    def __init__(self, diags: Diagnostics, tactics: dict[str, Tactic], scenario_path: str, anchor: Pos,
                 missing: MissingNames):
        self.diags, self.missing = diags, missing
        self.scenario_path, self.anchor = scenario_path, anchor
        self.tactics = tactics
        self.names: dict[str, str] = {}
        self.variables: dict[str, Var] = {}  # what effects may write, with the bounds they are fitted to
        self.speakers: dict[str, str] = {}  # speaker id -> display name, put in the texts that name them
        self.traits: dict[str, float] = {}  # trait -> its value in this scenario: expressions read it as a constant
        self.derived: dict[str, ex.Compiled] = {}  # derived value -> its rule: expressions call it where they read it
        self.used: set[str] = set()
        # names whose declaration failed: None (its own error says why) or the missing name it reads
        self.broken: dict[str, str | None] = {}
        self.last_missing: str | None = None

    def report(self, path: str, pos: Pos, code: codes.Code, message: str) -> None:
        """Report a problem; one met in a shared file (catalogue, rules, persona) of another story
        folder is also shown at the scenario that needs it, so validating an instructor's folder
        names it (a shared file of the scenario's own folder is shown there already)."""
        self.diags.add(path, pos, code, message)
        if path != self.scenario_path and not self.missing.same_folder(path, self.scenario_path):
            self.diags.add(self.scenario_path, self.anchor, code,
                           f"{message} (at {path}:{pos.line}:{pos.col}, needed by this scenario)")

    def unknown(self, name: str, path: str, pos: Pos, code: codes.Code, message: str) -> None:
        """A place needing a name nothing declares: grouped with every other place needing it
        (cascade.py), so one missing declaration is one error."""
        if name in self.broken:  # a derived value or variable whose own declaration failed
            root = self.broken[name]
            if root is None:
                return
            name, message = root, f"{message}, a derived value that reads unknown name {root!r}"
        self.last_missing = name
        self.missing.add(self.scenario_path, self.anchor, name, Site(path, pos, code, message))

    def _expr_error(self, path: str, src: PStr, err: ex.ExprError) -> None:
        message = f"{err.message} (in {str(src)!r})"
        if err.code is codes.UNKNOWN_NAME and err.name:
            self.unknown(err.name, path, _offset(src, err), err.code, message)
        else:
            self.report(path, _offset(src, err), err.code, message)

    def _check_calls(self, path: str, src: PStr, compiled: ex.Compiled, words: bool = False) -> None:
        """Tags must exist; said() may only choose a line (``words``), so no score or outcome
        ever depends on how a move was worded, only on the move."""
        for name, args in compiled.calls:
            if name == "said" and not words:
                self.report(path, src.pos, codes.NOT_ALLOWED, "said() reads the trainee's words: it may only "
                            "choose which line is shown (an 'if:' under lines), never a score, route or effect")
            elif name == "said" and not (args and args[0] and args[0].strip()):
                self.report(path, src.pos, codes.NOT_ALLOWED, "said() needs a word in quotes, e.g. said('encircl')")
            if name in ("has", "count") and args and args[0] is not None:
                tag = args[0]
                if not tags.known(tag, self.tactics):
                    self.report(path, src.pos, codes.UNKNOWN_TACTIC, f"{name}() names unknown tactic {tag!r}")

    def cond(self, path: str, src: PStr | None, expect: str | None = ex.BOOL,
             words: bool = False) -> ex.Compiled | None:
        if src is None:
            return None
        try:
            compiled = ex.compile_expr(str(src), self.names, FUNCTIONS, expect, fixed=self.traits,
                                       derived=self.derived)
        except ex.ExprError as err:
            self._expr_error(path, src, err)
            return None
        self._check_calls(path, src, compiled, words)
        self._notes(path, src, compiled)
        self.used |= compiled.names
        return dataclasses.replace(compiled, origin=_origin(path, src))

    def _notes(self, path: str, src: PStr, compiled: ex.Compiled) -> None:
        for message, line, col in compiled.notes:
            self.report(path, _offset(src, ex.ExprError(codes.NOT_FINITE, message, line, col)), codes.NOT_FINITE,
                        f"{message} (in {str(src)!r})")

    def number(self, path: str, src: PStr | None) -> ex.Compiled | None:
        return self.cond(path, src, ex.NUM)

    def probability(self, path: str, src: Checked) -> ex.Compiled | None:  # src: None or a PStr (read once compiled)
        """A chance from 0 to 1; a constant outside that range is refused (40 meant 0.40)."""
        compiled = self.number(path, src)
        value = _constant(compiled)
        if value is not None and not 0 <= value <= 1:
            meant = f" (did you mean {value / 100:g}?)" if value == int(value) and 1 < value <= 100 else ""
            self.report(path, src.pos, codes.OUT_OF_RANGE, f"a probability runs from 0 to 1, not {value:g}{meant}")
        return compiled

    def weight(self, path: str, src: Checked) -> ex.Compiled | None:  # src: None or a PStr (read once compiled)
        """A move's weight: how likely it is against the others, never negative."""
        compiled = self.number(path, src)
        value = _constant(compiled)
        if value is not None and value < 0:
            self.report(path, src.pos, codes.OUT_OF_RANGE, f"a weight may not be negative ({value:g})")
        return compiled

    def effects(self, path: str, sources: Iterable[PStr] | None) -> tuple[ex.Effect, ...]:
        out = []
        for src in sources or ():
            try:
                effect = ex.compile_effect(str(src), self.names, self.variables, FUNCTIONS, fixed=self.traits,
                                           derived=self.derived)
            except ex.ExprError as err:
                self._expr_error(path, src, err)
                continue
            self._check_calls(path, src, effect.value)
            self._notes(path, src, effect.value)
            self.used |= effect.names | {effect.target}
            out.append(dataclasses.replace(effect, origin=_origin(path, src),
                                           prepared=prepare(self.variables[effect.target], effect,
                                                            _constant(effect.value))))
        return tuple(out)

    def text(self, path: str, src: PStr) -> Template:
        try:
            template = Template(str(src))
        except TemplateError as err:
            self.report(path, _offset(src, err), codes.UNKNOWN_TEXT_NAME, str(err))
            return Template("")
        for name, offset in template.names:
            if name not in self.names and name not in self.speakers:
                self.unknown(name, path, _offset(src, TemplateError("", offset)), codes.UNKNOWN_TEXT_NAME,
                             f"text names unknown value {{{name}}}")
            self.used.add(name)
        return template.bind(self.speakers)

    def text_cond(self, path: str, src: Checked) -> ex.Compiled | None:  # src: None or a PStr (read once compiled)
        """A condition choosing which text is shown: it may not roll dice, so a session that
        skips narration (autoplay, exploration) plays exactly the same game. It may ask what the
        trainee said (said()), since the words only change what is shown."""
        compiled = self.cond(path, src, words=True)
        if compiled is not None and any(name == "chance" for name, _ in compiled.calls):
            self.report(path, src.pos, codes.NOT_ALLOWED,
                        "chance() cannot decide which text is shown; use it in effects")
            return None
        return compiled

    def variants(self, path: str, raw: Iterable[Rec] | None) -> tuple[Variant, ...]:
        return tuple(Variant(self.text_cond(path, v.get("if")), self.text(path, v["text"])) for v in raw or ())


def compile_library(lib: Library, *, compile_scenarios: bool = True) -> None:
    diags = lib.diagnostics
    by_kind: dict[str, list[SourceFile]] = {}
    for source in lib.files:
        by_kind.setdefault(source.kind, []).append(source)
    _catalogue(lib, by_kind.get("tactics", []), diags)
    for kind, table in (("rules", lib.rules), ("persona", lib.personas), ("scenario", lib.scenario_files)):
        for source in by_kind.get(kind, []):
            ident = source.data["id"]
            first = table.get(ident)
            if first is None:
                table[ident] = source
            elif first.layer != source.layer:  # an instructor's folder replacing an earlier one's file
                keep, lose = (source, first) if source.layer > first.layer else (first, source)
                table[ident] = keep
                replaced(diags, keep.path, keep.data["id"].pos, f"{kind} id {ident!r}", lose.path)
            else:  # reported at both files: the one a reader overlooks may be either
                diags.add(source.path, ident.pos, codes.DUPLICATE_ID,
                          f"{kind} id {ident!r} is also used by {first.path}")
                diags.add(first.path, first.data["id"].pos, codes.DUPLICATE_ID,
                          f"{kind} id {ident!r} is also used by {source.path}")
    policy_layers: dict[str, int] = {}
    for source in sorted(by_kind.get("policy", []), key=lambda s: s.layer):
        _policy(lib, source, diags, policy_layers)
    lib.playthroughs.extend(by_kind.get("playthrough", []))
    for source in lib.personas.values():
        _check_persona_refs(lib, source, diags)
    lib.resolved = resolve_all(lib.personas, diags)
    if compile_scenarios:
        missing = MissingNames({f.path: f.layer for f in lib.files})
        for ident, source in lib.scenario_files.items():
            before = diags.error_count
            scenario = compile_scenario(lib, source, diags, missing)
            if scenario is not None and diags.error_count == before and not missing.misses(source.path):
                lib.scenarios[ident] = scenario
        missing.report(diags)
    # the same catalogue or persona mistake is met once per scenario using it: report it once
    diags.dedupe()


def replaced(diags: Diagnostics, path: str, pos: Pos | None, what: str, earlier: str) -> None:
    """The notice (W109) that a later story folder replaces an id of an earlier one, on purpose."""
    diags.add(path, pos, codes.REPLACED_ID, f"{what} replaces the one in {earlier} (a later story folder wins)")


class CastError(OfframpError, ValueError):
    """A cast that does not fit a scenario; ``diagnostics`` say why, at file:line:col."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


def recast(lib: Library, scenario_id: str, cast: dict[str, str], keep: bool = True) -> Scenario:
    """Compile a scenario again with other personas in some roles (``--cast ROLE=PERSONA``) and, with
    ``keep``, put it in the library in place of the original, so every screen and tool plays the
    recast talks (a save replays its own cast without ``keep``). Raises CastError with the
    diagnostics when the cast does not fit."""
    diags = Diagnostics()
    for role in cast:
        if role not in ROLES:
            diags.add(lib.scenario_files[scenario_id].path, None, codes.OUT_OF_RANGE,
                      f"there is no role {role!r} to cast; roles: {', '.join(ROLES)}")
    source = lib.scenario_files[scenario_id]
    missing = MissingNames({f.path: f.layer for f in lib.files})
    scenario = None if diags else compile_scenario(lib, source, diags, missing, recast=cast)
    missing.report(diags)
    if scenario is None or diags.errors:
        raise CastError(diags.errors)
    if keep:
        lib.scenarios[scenario_id] = scenario
    return scenario


def _catalogue(lib: Library, sources: list[SourceFile], diags: Diagnostics) -> None:
    layers: dict[tuple[str, str], SourceFile] = {}  # (table, id) -> the SourceFile that defined it

    def take(table_name: str, ident: PStr, source: SourceFile) -> bool:
        """Whether ``source`` may define ``ident``: first, or from a later folder (with a notice)."""
        first = layers.get((table_name, ident))
        if first is not None and first.layer == source.layer:
            diags.add(source.path, ident.pos, codes.DUPLICATE_ID, f"{table_name} {ident!r} is defined twice")
        elif first is not None:
            if first.layer > source.layer:
                return False
            replaced(diags, source.path, ident.pos, f"{table_name} {ident!r}", first.path)
        layers[(table_name, ident)] = source
        return True

    for source in sorted(sources, key=lambda s: s.layer):
        data = source.data
        for table, key in ((lib.sources, "sources"), (lib.concepts, "concepts")):
            for ident, value in data.get(key, {}).items():
                if take(key[:-1], ident, source):
                    table[ident] = value
        for ident, value in data.get("skills", {}).items():
            if take("skill", ident, source):
                lib.skills[str(ident)] = Skill(str(ident), str(value["title"]), str(value["score"]),
                                               str(value.get("description", "")))
        for ident, value in data["tactics"].items():
            if not take("tactic", ident, source):
                continue
            lib.tactics[ident] = Tactic(str(ident), str(value["name"]), str(value["skill"]), str(value["concept"]),
                                        str(value["description"]), str(value.get("hint", "")),
                                        [(source.path, rule) for rule in value.get("scoring", [])])
    for source in sources:
        for concept in source.data.get("concepts", {}).values():
            if concept["source"] not in lib.sources:
                diags.add(source.path, concept["source"].pos, codes.UNKNOWN_CONCEPT,
                          f"unknown source {concept['source']!r}")
        for value in source.data["tactics"].values():
            if value["concept"] not in lib.concepts:
                diags.add(source.path, value["concept"].pos, codes.UNKNOWN_CONCEPT,
                          f"unknown concept {value['concept']!r}")
            for named in [value["skill"]] + [r["skill"] for r in value.get("scoring", []) if "skill" in r]:
                if named not in lib.skills:
                    diags.add(source.path, named.pos, codes.UNKNOWN_SKILL,
                              f"unknown skill {named!r}{hint(named, lib.skills)}; the catalogue's skills: "
                              + (", ".join(lib.skills) or "none declared"))
    if not lib.tactics and lib.files:
        diags.add(lib.files[0].path, None, codes.MISSING_FIELD,
                  "no tactics catalogue found (a file with kind: tactics)")


def _policy(lib: Library, source: SourceFile, diags: Diagnostics, layers: dict[str, int]) -> None:
    data = source.data
    _check_tag_patterns(lib, source.path, data["prefer"], diags)
    first = lib.policies.get(data["id"])
    if first is not None and layers[data["id"]] == source.layer:
        diags.add(source.path, data["id"].pos, codes.DUPLICATE_ID, f"policy id {data['id']!r} is used twice")
        return
    if first is not None:
        replaced(diags, source.path, data["id"].pos, f"policy id {data['id']!r}", first.path)
    layers[data["id"]] = source.layer
    lib.policies[data["id"]] = Policy(str(data["id"]), str(data.get("description", "")),
                                      {str(k): float(v) for k, v in data["prefer"].items()},
                                      bool(data.get("random", False)), source.path)


def _check_tag_patterns(lib: Library, path: str, patterns: Iterable[PStr], diags: Diagnostics) -> None:
    for pattern in patterns:
        if not tags.known(pattern, lib.tactics):
            diags.add(path, pattern.pos, codes.UNKNOWN_TACTIC,
                      f"unknown tactic {pattern!r}{hint(pattern, lib.tactics)}")


def _check_persona_refs(lib: Library, source: SourceFile, diags: Diagnostics) -> None:
    """Checks that need no scenario: tags and concepts named by reactions and moves."""
    for reaction in source.data.get("reactions", []):
        _check_tag_patterns(lib, source.path, reaction.get("tags", []), diags)
    for item in source.data.get("reactions", []) + source.data.get("moves", []):
        concept = item.get("concept")
        if concept is not None and concept not in lib.concepts:
            diags.add(source.path, concept.pos, codes.UNKNOWN_CONCEPT, f"unknown concept {concept!r}")


def _var(name: PStr, raw: Rec, owner: str, diags: Diagnostics) -> Var | None:
    vtype = str(raw.get("type", "int"))
    initial = raw["initial"]
    if vtype == "bool":
        if not isinstance(initial, bool):
            diags.add(owner, raw.where("initial"), codes.BAD_BOUNDS,
                      f"{name} is a bool; its initial value must be true or false")
            return None
        low = high = None
    else:
        if isinstance(initial, bool):
            diags.add(owner, raw.where("initial"), codes.BAD_BOUNDS,
                      f"{name} is a number; its initial value cannot be {initial}")
            return None
        low, high = raw.get("min", 0), raw.get("max", 100)
        if low > high:
            diags.add(owner, raw.where("min"), codes.BAD_BOUNDS, f"{name}: min {low} is above max {high}")
            return None
        if not low <= initial <= high:
            diags.add(owner, raw.where("initial"), codes.BAD_BOUNDS,
                      f"{name}: initial {initial} is outside {low}..{high}")
            return None
        initial = int(initial) if vtype == "int" else float(initial)
    return Var(str(name), vtype, initial, low, high, raw.get("max_step"), bool(raw.get("visible", False)),
               str(raw.get("label", name)), str(raw.get("description", "")), owner,
               bool(raw.get("chart", False)), float(raw.get("swing", 0)))


def compile_scenario(lib: Library, source: SourceFile, diags: Diagnostics, missing: MissingNames,
                     recast: dict[str, str] | None = None) -> Scenario | None:
    """``recast`` maps roles to persona ids that replace the scenario's own cast (``--cast``)."""
    data, path = source.data, source.path
    scope = _Scope(diags, lib.tactics, path, data.where("cast"), missing)

    rules_id = data.get("rules", "standard")
    rules = lib.rules.get(rules_id)
    if rules is None:
        diags.add(path, data.where("rules"), codes.UNKNOWN_SCENARIO, f"unknown rules {rules_id!r}")
        return None
    cast: dict[str, Persona] = {}
    for role, persona_id in {**data["cast"], **(recast or {})}.items():
        persona = lib.resolved.get(persona_id)
        where = getattr(persona_id, "pos", None) or data.where("cast")
        if persona is None:
            message = (f"persona {persona_id!r} has errors (see its file)" if persona_id in lib.personas
                       else f"unknown persona {persona_id!r}{hint(persona_id, lib.personas)}")
            diags.add(path, where, codes.UNKNOWN_PERSONA, message)
            continue
        if persona.abstract:
            diags.add(path, where, codes.ARCHETYPE_CAST,
                      f"{persona_id!r} is an archetype: cast a persona that extends it")
            continue
        cast[str(role)] = persona
    if "adversary" not in data["cast"]:
        diags.add(path, data.where("cast"), codes.MISSING_FIELD, "the cast needs an adversary")
    if len(cast) != len({**data["cast"], **(recast or {})}):
        return None

    # names in scope: variables (rules, personas, scenario), traits, built-ins, derived values
    variables: dict[str, Var] = {}
    owners = [(rules.path, rules.data.get("state", {}))]
    owners += [(p.origin("state", str(n)), {n: raw})
               for p in cast.values() for n, raw in p.data.get("state", {}).items()]
    owners.append((path, data.get("variables", {})))
    for owner, decls in owners:
        for name, raw in decls.items():
            if name in variables:
                diags.add(owner, name.pos, codes.DUPLICATE_ID,
                          f"variable {name!r} is also declared in {variables[name].owner}")
                continue
            var = _var(name, raw, owner, diags)
            if var is not None:
                variables[str(name)] = var
            else:
                scope.broken[str(name)] = None
    constants: dict[str, float] = {}
    for persona in cast.values():
        for name, value in persona.data.get("traits", {}).items():
            if name in constants or name in variables:
                diags.add(persona.origin("traits", str(name)), name.pos, codes.DUPLICATE_ID,
                          f"trait {name!r} clashes with another trait or variable")
                continue
            constants[str(name)] = value
    for name, value in data.get("setup", {}).items():  # traits tuned for this scenario (checked below)
        if name in constants and name not in BUILTIN_NAMES and not isinstance(value, bool):
            constants[str(name)] = value
    scope.traits = {n: v for n, v in constants.items() if n not in BUILTIN_NAMES}  # final before anything reads them
    constants.update({n: 0 for n in BUILTIN_NAMES})
    for name, var in variables.items():
        scope.names[name] = ex.BOOL if var.type == "bool" else ex.NUM
    scope.names.update({name: ex.NUM for name in constants})
    scope.variables = variables
    derived = scope.derived  # filled in order: a derived value may read those before it
    for name, src in rules.data.get("derived", {}).items():
        if name in scope.names:
            diags.add(rules.path, name.pos, codes.DUPLICATE_ID,
                      f"derived value {name!r} clashes with a variable or trait")
            continue
        scope.last_missing = None
        compiled = scope.cond(rules.path, src, None)
        if compiled is None:
            scope.broken[str(name)] = scope.last_missing
        if compiled is not None and any(fn in ("has", "count", "chance") for fn, _ in compiled.calls):
            scope.report(rules.path, src.pos, codes.NOT_ALLOWED, "a derived value reads the state only: "
                         "has(), count() and chance() belong in conditions and effects")
        elif compiled is not None:
            derived[str(name)] = compiled
            scope.names[str(name)] = compiled.type

    for name, value in data.get("setup", {}).items():
        var = variables.get(name)
        if name in constants and name not in BUILTIN_NAMES:  # a trait tuned for this scenario (set above)
            if isinstance(value, bool):
                diags.add(path, name.pos, codes.BAD_BOUNDS, f"setup gives the trait {name!r} a value of the wrong type")
        elif var is None:
            traits = sorted(n for n in constants if n not in BUILTIN_NAMES)
            scope.unknown(str(name), path, name.pos, codes.UNKNOWN_VARIABLE,
                          f"setup names {name!r}, neither a variable nor a trait of the cast"
                          f"{hint(name, [*variables, *constants])}. setup may change a variable's starting value "
                          f"(declared by the rules, a cast persona or this scenario's state) or one of the cast's "
                          f"traits ({', '.join(traits) or 'none'}) for this scenario")
        elif (var.type == "bool") != isinstance(value, bool):
            diags.add(path, name.pos, codes.BAD_BOUNDS, f"setup gives {name!r} a value of the wrong type")
        else:
            variables[name] = dataclasses.replace(var, initial=var.fit(value, None))

    # speakers: cast roles, extra characters, the narrator and the trainee
    speakers = {k: v[0] for k, v in SPEAKERS.items()}
    speaker_roles = {k: v[1] for k, v in SPEAKERS.items()}
    for role, persona in cast.items():
        speakers[role] = str(persona.data["name"])
        speaker_roles[role] = role
    for ident, raw in data.get("characters", {}).items():
        if ident in speakers:
            diags.add(path, ident.pos, codes.DUPLICATE_ID, f"character {ident!r} clashes with a cast role")
        speakers[str(ident)] = str(raw["name"])
        speaker_roles[str(ident)] = "character"
    scope.speakers = speakers

    def speaker(owner_path: str, name: PStr | None, default: str, lenient: bool = False) -> str:
        if name is None or (lenient and name in ROLES and name not in speakers):
            return default  # a persona written for a fuller cast speaks for itself here
        if name not in speakers:
            scope.report(owner_path, name.pos, codes.UNKNOWN_SPEAKER,
                         f"unknown speaker {name!r}; known: {', '.join(sorted(speakers))}")
            return default
        return str(name)

    # actors: the board first, then the cast in role order
    actors = [_actor(lib, scope, rules, "rules", "board", "board", speaker)]
    for role, persona in cast.items():
        actors.append(_actor(lib, scope, persona, persona.id, str(persona.data["name"]), role, speaker))
    each_round = scope.effects(rules.path, rules.data.get("each_round"))
    catastrophe_risk = scope.probability(rules.path, rules.data.get("catastrophe"))

    scoring = {}
    for tactic in lib.tactics.values():
        rules_out = []
        for tpath, raw in tactic.scoring:
            rules_out.append(PointsRule(scope.cond(tpath, raw.get("if")), raw["points"], str(raw["why"]),
                                        str(raw["skill"]) if "skill" in raw else None))
        scoring[tactic.id] = tuple(rules_out)

    outcomes = {}
    for kind, raw in rules.data.get("outcomes", {}).items():
        outcomes[str(kind)] = Outcome(str(kind), str(raw["title"]), raw["points"], str(raw.get("concept", "")))
    issues = {str(n): Issue(str(n), str(r["label"]), r["divisible"], str(r.get("description", "")))
              for n, r in data.get("issues", {}).items()}

    # rounds, endings and routes share one id space so a goto is never ambiguous
    round_ids, ending_ids, route_ids = set(data["rounds"]), set(data["endings"]), set(data.get("routes", {}))
    for ident in (round_ids & ending_ids) | (round_ids & route_ids) | (ending_ids & route_ids):
        diags.add(path, ident.pos if isinstance(ident, PStr) else None, codes.DUPLICATE_ID,
                  f"{ident!r} is used for more than one of round, ending and route")
    targets = round_ids | ending_ids

    def check_target(name: PStr, allow_routes: bool) -> bool:
        if name in targets or (allow_routes and name in route_ids):
            return True
        kinds = "round, ending or route" if allow_routes else "round or ending"
        known = targets | route_ids if allow_routes else targets
        diags.add(path, name.pos, codes.UNKNOWN_ROUND, f"unknown {kinds} {name!r}{hint(name, known)}")
        return False

    routes: dict[str, tuple[tuple[ex.Compiled | None, str], ...]] = {}
    for ident, entries in data.get("routes", {}).items():
        route = []
        for entry in entries:
            check_target(entry["goto"], False)
            route.append((scope.cond(path, entry.get("if")), str(entry["goto"])))
        if route and route[-1][0] is not None:
            diags.add(path, entries[-1].pos, codes.NO_WAY_OUT, f"route {ident!r} needs a last entry without 'if'")
        routes[str(ident)] = tuple(route)
    triggers = []
    for entry in data.get("triggers", []):
        if check_target(entry["goto"], False):
            triggers.append((scope.cond(path, entry.get("if")), str(entry["goto"])))
    catastrophe = data.get("catastrophe")
    if catastrophe is not None and catastrophe not in ending_ids:
        diags.add(path, catastrophe.pos, codes.UNKNOWN_ROUND,
                  f"unknown ending {catastrophe!r}{hint(catastrophe, ending_ids)}")
        catastrophe = None

    rounds = {}
    for ident, raw in data["rounds"].items():
        rounds[str(ident)] = _round(ident, raw, path, scope, issues, variables, speaker, check_target, diags)
    _check_premises(data["rounds"], path, {m.id for actor in actors for m in actor.moves}, diags)
    endings = {}
    for ident, raw in data["endings"].items():
        if raw["outcome"] not in outcomes:
            diags.add(path, raw["outcome"].pos, codes.OUT_OF_RANGE,
                      f"the rules give no points for outcome {raw['outcome']!r}")
        score = tuple(PointsRule(scope.cond(path, r.get("if")), r["points"], str(r["why"]), None)
                      for r in raw.get("score", []))
        endings[str(ident)] = Ending(str(ident), str(raw["outcome"]), str(raw["title"]),
                                     scope.text(path, raw["text"]), score)
    start = data["start"]
    if start not in round_ids:
        diags.add(path, start.pos, codes.UNKNOWN_ROUND, f"the start {start!r} is not a round{hint(start, round_ids)}")
        return None

    _check_graph(data, path, routes, triggers, catastrophe, diags)
    scope.used |= {name for entry in rounds.values() for c in entry.choices for name in c.reveals}
    for name, var in variables.items():
        if name not in scope.used and not var.chart and not var.swing:  # the debrief reads those
            decl = next((d for o, d in owners if name in d), None)
            where = next((k.pos for k in decl if k == name), None) if decl else None
            diags.add(var.owner, where, codes.UNUSED_VARIABLE, f"variable {name!r} is declared but never used")

    digest = hashlib.sha256("".join(sorted({source.digest, rules.digest, *(p.digest for p in cast.values()),
                                             *(f.digest for f in lib.files if f.kind == "tactics")})).encode())
    scenario = Scenario(
        id=str(data["id"]), title=str(data["title"]), summary=str(data["summary"]),
        difficulty=str(data["difficulty"]), minutes=int(data["minutes"]), path=path,
        content_hash=digest.hexdigest()[:16], vars=variables, constants=constants, derived=derived,
        rounds=rounds, endings=endings, routes=routes, triggers=tuple(triggers),
        catastrophe=catastrophe and str(catastrophe),
        catastrophe_risk=catastrophe_risk, each_round=each_round, actors=tuple(actors), speakers=speakers,
        speaker_roles=speaker_roles, scoring=scoring, outcomes=outcomes, issues=issues, start=str(start),
        cast={role: p.id for role, p in cast.items()},
        tactics=lib.tactics,
        skills=lib.skills,
        concepts={str(k): {"title": str(v["title"]), "summary": str(v["summary"]), "source": str(v["source"])}
                  for k, v in lib.concepts.items()},
        sources={str(k): {key: str(val) for key, val in v.items()} for k, v in lib.sources.items()},
    )
    scenario.machine = build_machine(scenario)
    return scenario


def _constant(compiled: ex.Compiled | None) -> float | None:
    """The value of an expression that reads nothing and rolls nothing, else None."""
    if compiled is None or compiled.names or compiled.calls:
        return None
    try:
        value: float = compiled({})  # it compiled as a number
    except ex.ExprRuntimeError:  # 1/0: fails when played, with the expression named (E400)
        return None
    return value


def _actor(lib: Library, scope: _Scope, source: SourceFile | Persona, ident: str, name: str, role: str,
           speaker: Callable[..., str]) -> Actor:
    """The rules or a resolved persona as an actor; each value is compiled against the file that wrote it."""
    data = source.data
    origin = getattr(source, "origin", lambda *key: source.path)
    default_speaker = role if role != "board" else "narrator"

    def at(section: str, item: Rec) -> Callable[[str], str]:
        return lambda field: origin(section, str(item["id"]), field)

    reactions = []
    for r in data.get("reactions", []):
        where = at("reactions", r)
        reactions.append(Reaction(
            str(r["id"]), ident, tuple(str(t) for t in r["tags"]), scope.cond(where("if"), r.get("if")),
            scope.probability(where("chance"), r.get("chance")), scope.effects(where("effects"), r.get("effects")),
            str(r["why"]), str(r.get("concept", "")), scope.variants(where("lines"), r.get("lines")),
            overhears=bool(r.get("overhears", False)), backfire=bool(r.get("backfire", False))))
    moves = []
    for m in data.get("moves", []):
        where = at("moves", m)
        moves.append(Move(
            str(m["id"]), ident, str(m["kind"]),
            speaker(where("speaker"), m.get("speaker"), default_speaker, lenient=True),
            scope.cond(where("if"), m.get("if")), scope.weight(where("weight"), m.get("weight")),
            scope.effects(where("effects"), m.get("effects")), str(m["why"]), str(m.get("concept", "")),
            scope.variants(where("lines"), m.get("lines")), bool(m.get("once", False))))
    return Actor(ident, name, role, tuple(reactions), tuple(moves),
                 scope.probability(origin("move_chance"), data.get("move_chance")))


def _check_premises(rounds: Rec, path: str, move_ids: set[str], diags: Diagnostics) -> None:
    """A round's premise names moves of the cast: a misspelt one would be announced all the same."""
    for raw in rounds.values():
        for move in raw.get("premise", ()):
            if move not in move_ids:
                diags.add(path, move.pos, codes.UNKNOWN_MOVE,
                          f"premise names {move!r}, not a move of the cast{hint(move, move_ids)}")


def _round(ident: PStr, raw: Rec, path: str, scope: _Scope, issues: dict[str, Issue], variables: dict[str, Var],
           speaker: Callable[..., str], check_target: Callable[[PStr, bool], bool], diags: Diagnostics) -> Round:
    lines = tuple(Line(speaker(path, ln["speaker"], "narrator"), scope.text_cond(path, ln.get("if")),
                       scope.text(path, ln["text"]), bool(ln.get("coach", False)))
                  for ln in raw.get("lines", []))
    choices, by_id = [], {}
    for c in raw["choices"]:
        cid = c["id"]
        if cid in by_id:
            diags.add(path, cid.pos, codes.DUPLICATE_ID, f"choice id {cid!r} is used twice in round {ident!r}")
            continue
        choice_tags = list(c.get("tags", []))
        for tag in choice_tags:
            if tag not in scope.tactics:
                diags.add(path, tag.pos, codes.UNKNOWN_TACTIC, f"unknown tactic {tag!r}{hint(tag, scope.tactics)}")
        for field, implied in (("concedes", "discipline.concede_indivisible"), ("splits",
                                                                                "discipline.split_indivisible")):
            for issue in c.get(field, []):
                if issue not in issues:
                    diags.add(path, issue.pos, codes.UNKNOWN_ISSUE, f"unknown issue {issue!r}{hint(issue, issues)}")
                elif not issues[issue].divisible and implied not in choice_tags:
                    choice_tags.append(implied)
        for name in c.get("reveals", []):
            if name not in variables:
                scope.unknown(str(name), path, name.pos, codes.UNKNOWN_VARIABLE,
                              f"reveals unknown variable {name!r}{hint(name, variables)}")
        check_target(c["goto"], True)
        choice = Choice(str(cid), scope.text(path, c["text"]), scope.text(path, c["say"]) if "say" in c else None,
                        tuple(str(t) for t in choice_tags), scope.cond(path, c.get("if")), str(c.get("hint", "")),
                        scope.effects(path, c.get("effects")), tuple(str(n) for n in c.get("reveals", [])),
                        tuple(str(n) for n in c.get("concedes", [])), tuple(str(n) for n in c.get("splits", [])),
                        str(c["goto"]))
        choices.append(choice)
        by_id[choice.id] = choice
    present = raw.get("present")
    for role in present or ():
        if role not in ROLES:
            diags.add(path, role.pos, codes.OUT_OF_RANGE,
                      f"present names {role!r}, not a cast role; roles: {', '.join(ROLES)}")
    return Round(str(ident), str(raw["title"]), scope.text(path, raw["text"]), lines,
                 scope.effects(path, raw.get("on_enter")), bool(raw.get("moves", True)), tuple(choices), by_id,
                 None if present is None else tuple(str(r) for r in present),
                 tuple(str(m) for m in raw.get("premise", ())))


def _check_graph(data: Rec, path: str, routes: dict[str, tuple[tuple[ex.Compiled | None, str], ...]],
                 triggers: list[tuple[ex.Compiled | None, str]], catastrophe: PStr | None, diags: Diagnostics) -> None:
    """Rounds unreachable from the start, rounds that can never reach an ending, endings never targeted."""
    rounds, endings = data["rounds"], data["endings"]

    def targets_of(goto: str) -> list[str]:
        return [t for _, t in routes[goto]] if goto in routes else [goto]

    edges = {r: {t for c in raw["choices"] for t in targets_of(c["goto"])} for r, raw in rounds.items()}
    anywhere = {t for _, t in triggers} | ({catastrophe} if catastrophe else set())
    seen, queue = {data["start"]}, deque([data["start"]])
    while queue:
        node = queue.popleft()
        for nxt in edges.get(node, set()) | (anywhere if node in rounds else set()):
            if nxt not in seen and (nxt in rounds or nxt in endings):
                seen.add(nxt)
                queue.append(nxt)
    for ident in rounds:
        if ident not in seen:
            diags.add(path, ident.pos, codes.UNREACHABLE, f"round {ident!r} cannot be reached from the start")
    for ident in endings:
        if ident not in seen:
            diags.add(path, ident.pos, codes.ENDING_NEVER_TARGETED, f"ending {ident!r} is never reached")
    # a round from which no ending can be reached traps the trainee: search backwards from the endings
    incoming: dict[str, set[str]] = {}
    for ident, outs in edges.items():
        for target in outs:
            incoming.setdefault(target, set()).add(ident)
    can_end, queue = set(endings), deque(endings)
    while queue:
        for source in incoming.get(queue.popleft(), ()):
            if source not in can_end:
                can_end.add(source)
                queue.append(source)
    for ident in rounds:
        if ident in seen and ident not in can_end:
            diags.add(path, ident.pos, codes.NO_WAY_OUT,
                      f"round {ident!r} has no way out: no ending can be reached from it")
