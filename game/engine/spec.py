"""The definition of every file kind: the single source for the loader and the JSON Schemas."""
from __future__ import annotations

from .schema import Bool, Enum, Expr, Field, List, MapOf, Num, Obj, OneOf, Str, Type

FORMAT = 1
ID = r"[a-z][a-z0-9_-]*"
NAME = r"[a-z][a-z0-9_]*"
TAG = r"[a-z_]+(\.[a-z_]+)*"
TAG_PATTERN = r"[a-z_]+(\.[a-z_]+)*(\.\*)?"
SKILL_SCORES = ("share", "penalty", "none")  # how a skill's points count; see docs/reference.md
OUTCOMES = ("durable_settlement", "fragile_ceasefire", "capitulation", "escalation", "stalemate", "walk_away")
ROLES = ("adversary", "spokesman", "mediator", "ally")
MOVE_KINDS = ("feint", "bluff", "escalation", "nuclear_signal", "offer", "stall", "support", "pressure")
DIFFICULTIES = ("introductory", "intermediate", "advanced")
SCORE_TOTALS = ("outcome", "total")  # score keys every game has besides its story's scored skills


def _id(what: str = "id", doc: str = "") -> Str:
    return Str(pattern=ID, what=what, doc=doc)


def _name(what: str = "name", doc: str = "") -> Str:
    return Str(pattern=NAME, what=what, doc=doc)


def _text(doc: str = "") -> Str:
    return Str(nonempty=True, doc=doc)


def _f(type_: Type, required: bool = False) -> Field:
    return Field(type_, required)


def _header(kind: str) -> dict[str, Field]:
    return {
        "format": _f(Num(minimum=FORMAT, maximum=FORMAT, integer=True, doc="Format version; always 1."), True),
        "kind": _f(Enum((kind,), doc="What this file holds."), True),
    }


COND = Expr(doc="A condition in the offramp expression language, e.g. \"rapport >= 30 and not feinting\".")
NUMBER_EXPR = Expr(numbers_ok=True, doc="A number or an expression giving one.")
EFFECTS = List(Str(nonempty=True, what="effect", doc="An effect such as \"rapport += 5\"."),
               doc="Effects applied in order.")

VARIABLE = Obj({
    "label": _f(_text("Name shown to trainees.")),
    "type": _f(Enum(("int", "number", "bool"), doc="int (default), number or bool.")),
    "initial": _f(OneOf((Num(), Bool()), doc="Starting value."), True),
    "min": _f(Num(doc="Lowest value; default 0 for numbers.")),
    "max": _f(Num(doc="Highest value; default 100 for numbers.")),
    "max_step": _f(Num(minimum=0, doc="The most the value may change in one step.")),
    "visible": _f(Bool(doc="Shown to the trainee from the start (default false).")),
    "description": _f(_text()),
    "chart": _f(Bool(doc="The debrief charts how this value moved (default false).")),
    "swing": _f(Num(minimum=0, doc="How much a change of one unit counts towards a turning point in the "
                                   "debrief (default 0: not counted).")),
}, what="variable")
VARIABLES = MapOf(VARIABLE, key_pattern=NAME, key_what="variable name")

VARIANT = Obj({"if": _f(COND), "text": _f(_text(), True)}, what="text variant")
POINTS = Obj({
    "if": _f(COND),
    "points": _f(Num(doc="Points awarded (negative for a penalty)."), True),
    "why": _f(_text("The lesson shown in the debrief."), True),
    "skill": _f(_name("skill id", doc="Score these points under another skill than the tactic's own.")),
}, what="scoring rule")

REACTION = Obj({
    "id": _f(_id("reaction id"), True),
    "tags": _f(List(Str(pattern=TAG_PATTERN, what="tactic tag or family"), min_items=1), True),
    "if": _f(COND),
    "chance": _f(NUMBER_EXPR),
    "effects": _f(EFFECTS),
    "why": _f(_text("Why this happened, in doctrine terms."), True),
    "concept": _f(_name("concept id")),
    "backfire": _f(Bool(doc="The move misfired at this moment: the tag it answers earns no points on that move.")),
    "lines": _f(List(VARIANT)),
    "overhears": _f(Bool(doc="Fires even in a round the persona is not present in (word of it reaches "
                             "him); its line is then narrated, not spoken by him.")),
}, what="reaction")

MOVE = Obj({
    "id": _f(_id("move id"), True),
    "kind": _f(Enum(MOVE_KINDS), True),
    "speaker": _f(_name("speaker")),
    "if": _f(COND),
    "weight": _f(NUMBER_EXPR),
    "effects": _f(EFFECTS),
    "why": _f(_text(), True),
    "concept": _f(_name("concept id")),
    "lines": _f(List(VARIANT, min_items=1), True),
    "once": _f(Bool(doc="Made at most once a game (an announcement such as a 'refocus').")),
}, what="move")

TACTICS = Obj({
    **_header("tactics"),
    "sources": _f(MapOf(Obj({
        "title": _f(_text(), True), "author": _f(_text(), True),
        "venue": _f(_text()), "url": _f(_text()),
    }, what="source"))),
    "skills": _f(MapOf(Obj({
        "title": _f(_text("Name shown to trainees, e.g. in the debrief's scores."), True),
        "score": _f(Enum(SKILL_SCORES, doc="share: scored 0-100 as the share of the points on offer; "
                                           "penalty: its (negative) points are subtracted from the total; "
                                           "none: not scored (tactics that only change the board)."), True),
        "description": _f(_text()),
    }, what="skill"), key_pattern=NAME, key_what="skill id")),
    "concepts": _f(MapOf(Obj({
        "title": _f(_text(), True), "source": _f(_id("source id"), True), "summary": _f(_text(), True),
    }, what="concept"), key_pattern=NAME, key_what="concept id")),
    "tactics": _f(MapOf(Obj({
        "name": _f(_text(), True),
        "skill": _f(_name("skill id", doc="One of the skills the catalogue declares."), True),
        "concept": _f(_name("concept id"), True),
        "description": _f(_text(), True),
        "hint": _f(_text()),
        "scoring": _f(List(POINTS)),
    }, what="tactic"), key_pattern=TAG, key_what="tactic id"), True),
}, what="tactics catalogue")

RULES = Obj({
    **_header("rules"),
    "id": _f(_id(), True),
    "description": _f(_text()),
    "state": _f(VARIABLES),
    "derived": _f(MapOf(Expr(numbers_ok=True), key_pattern=NAME, key_what="derived name")),
    "reactions": _f(List(REACTION)),
    "each_round": _f(EFFECTS),
    "catastrophe": _f(NUMBER_EXPR),
    "outcomes": _f(MapOf(Obj({
        "title": _f(_text(), True), "points": _f(Num(), True), "concept": _f(_name("concept id")),
    }, what="outcome"), key_pattern="|".join(OUTCOMES), key_what="outcome kind")),
}, what="rules")


def _overridable(obj: Obj, what: str) -> Obj:
    """The same fields, all optional but the id: a persona that extends another may give only
    what differs. Whether each required field is there is checked once inheritance is resolved."""
    return Obj({name: Field(spec.type, name == "id") for name, spec in obj.fields.items()}, what=what)


PERSONA = Obj({
    **_header("persona"),
    "id": _f(_id("persona id"), True),
    "extends": _f(_id("persona id", "The archetype or persona this one builds on; it inherits "
                                    "everything it does not override.")),
    "abstract": _f(Bool(doc="An archetype: other personas extend it, no scenario casts it.")),
    "name": _f(_text("Display name (required here or in what it extends).")),
    "role": _f(Enum(ROLES)),
    "description": _f(_text()),
    "traits": _f(MapOf(Num(), key_pattern=NAME, key_what="trait name")),
    "state": _f(MapOf(_overridable(VARIABLE, "variable"), key_pattern=NAME, key_what="variable name")),
    "move_chance": _f(NUMBER_EXPR),
    "reactions": _f(List(_overridable(REACTION, "reaction"))),
    "moves": _f(List(_overridable(MOVE, "move"))),
}, what="persona")

ROUTE_ENTRY = Obj({"if": _f(COND), "goto": _f(_id("round, ending or route id"), True)}, what="route entry")

CHOICE = Obj({
    "id": _f(_id("choice id"), True),
    "text": _f(_text("What the trainee picks."), True),
    "say": _f(_text("What the trainee says, when it differs from the menu text.")),
    "tags": _f(List(Str(pattern=TAG, what="tactic tag"))),
    "if": _f(COND),
    "hint": _f(_text("Coach hint shown in training mode.")),
    "effects": _f(EFFECTS),
    "reveals": _f(List(_name("variable"))),
    "concedes": _f(List(_name("issue"))),
    "splits": _f(List(_name("issue"))),
    "goto": _f(_id("round, ending or route id"), True),
}, what="choice")

ROUND = Obj({
    "title": _f(_text(), True),
    "text": _f(_text("Narration."), True),
    "lines": _f(List(Obj({
        "speaker": _f(_name("speaker"), True), "text": _f(_text(), True), "if": _f(COND),
        "coach": _f(Bool(doc="Coach material (advice on what to do): shown in training mode only.")),
    }, what="line"))),
    "on_enter": _f(EFFECTS),
    "moves": _f(Bool(doc="Whether a persona may act when this round opens (default true).")),
    "present": _f(List(_name("cast role"), doc="The cast roles in the room (default: all). A persona not "
                                                "present does not react to what is said here.")),
    "premise": _f(List(_id("move id"), doc="Persona moves this round is about: counted as made, so a "
                                           "move marked once is not announced again.")),
    "choices": _f(List(CHOICE, min_items=1), True),
}, what="round")

ENDING = Obj({
    "outcome": _f(Enum(OUTCOMES), True),
    "title": _f(_text(), True),
    "text": _f(_text("Why the session ended this way, in doctrine terms."), True),
    "score": _f(List(POINTS)),
}, what="ending")

SCENARIO = Obj({
    **_header("scenario"),
    "id": _f(_id("scenario id"), True),
    "title": _f(_text(), True),
    "summary": _f(_text(), True),
    "difficulty": _f(Enum(DIFFICULTIES), True),
    "minutes": _f(Num(minimum=1, maximum=600, integer=True), True),
    "rules": _f(_id("rules id")),
    "cast": _f(MapOf(_id("persona id"), key_pattern="|".join(ROLES), key_what="role"), True),
    "characters": _f(MapOf(Obj({"name": _f(_text(), True)}, what="character"), key_pattern=NAME,
                           key_what="character id")),
    "setup": _f(MapOf(OneOf((Num(), Bool())), key_pattern=NAME, key_what="variable name")),
    "variables": _f(VARIABLES),
    "issues": _f(MapOf(Obj({
        "label": _f(_text(), True), "divisible": _f(Bool(), True), "description": _f(_text()),
    }, what="issue"), key_pattern=NAME, key_what="issue name")),
    "start": _f(_id("round id"), True),
    "catastrophe": _f(_id("ending id")),
    "triggers": _f(List(ROUTE_ENTRY)),
    "routes": _f(MapOf(List(ROUTE_ENTRY, min_items=1))),
    "rounds": _f(MapOf(ROUND), True),
    "endings": _f(MapOf(ENDING), True),
}, what="scenario")

POLICY = Obj({
    **_header("policy"),
    "id": _f(_id("policy id"), True),
    "description": _f(_text()),
    "prefer": _f(MapOf(Num(), key_pattern=TAG_PATTERN, key_what="tactic tag or family"), True),
    "random": _f(Bool()),
}, what="policy")

RANGE = OneOf((Num(), List(Num(), min_items=2, max_items=2)), doc="A number or [low, high].")
PLAYTHROUGH = Obj({
    **_header("playthrough"),
    "name": _f(_text("A readable test name.")),
    "skip": _f(_text("Skip this playthrough, with this reason.")),
    "xfail": _f(_text("Expected to fail, with this reason; a pass is reported as a failure (strict).")),
    "scenario": _f(_id("scenario id"), True),
    "seed": _f(Num(integer=True, minimum=0), True),
    "choices": _f(List(OneOf((_id("choice id"), Obj({"say": _f(_text("A line in the trainee's own words, read "
                                                                   "as the move it makes (free text)."), True)},
                                                       what="spoken step")),
                                doc="A choice id, or {say: ...} for a typed line.")), True),
    "expect": _f(Obj({
        "ending": _f(_id("ending id")),
        "outcome": _f(Enum(OUTCOMES)),
        "round": _f(_id("round id")),
        "scores": _f(MapOf(RANGE, key_pattern=NAME, key_what="score key")),
        "at": _f(List(Obj({
            "step": _f(Num(integer=True, minimum=0), True),
            "round": _f(_id("round id")),
            "values": _f(MapOf(RANGE, key_pattern=NAME, key_what="variable")),
        }, what="checkpoint"))),
        "text": _f(List(_text())),
    }, what="expectations"), True),
}, what="playthrough")

KINDS = {
    "tactics": TACTICS,
    "rules": RULES,
    "persona": PERSONA,
    "scenario": SCENARIO,
    "policy": POLICY,
    "playthrough": PLAYTHROUGH,
}
