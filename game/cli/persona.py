"""``offramp persona show ID``: a persona with everything it inherits resolved, and where each part comes from."""
from __future__ import annotations

import json

from .common import UserError, add_story_option, example, load


def register(sub) -> None:
    p = sub.add_parser("persona", help="show a persona with what it inherits resolved",
                       description="Print a persona as the game plays it: its traits, hidden state, reactions "
                                   "and moves, each marked with the file that wrote it (the persona itself or "
                                   "the archetype or persona it extends).",
                       epilog=example("offramp persona show volkov-wary --json"))
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = actions.add_parser("show", help="print one persona, inheritance resolved",
                              epilog=example("offramp persona show volkov"))
    show.add_argument("persona", metavar="ID", help="a persona id (see the story's personas/ folder)")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    add_story_option(show)
    show.set_defaults(func=cmd_show)


def plain(value):
    """Checked YAML values (positioned strings, records) as plain JSON-ready data."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def cmd_show(args) -> int:
    library = load(args, compile_scenarios=False)
    persona = library.resolved.get(args.persona)
    if persona is None:
        problems = [str(d) for d in library.diagnostics.sorted() if args.persona in library.personas
                    and d.path == library.personas[args.persona].path]
        if problems:
            raise UserError(f"persona {args.persona!r} has errors:\n" + "\n".join(problems))
        from ..engine.suggest import close_match

        close = close_match(args.persona, library.personas)
        hint = f" Did you mean {close!r}?" if close else ""
        known = ", ".join(sorted(library.resolved)) or "none"
        raise UserError(f"no persona called {args.persona!r}.{hint} Known personas: {known}.")
    data = plain(persona.data)
    sources = {"persona": persona.path}
    for section in ("reactions", "moves"):
        for item in data.get(section, []):
            item["from"] = persona.origin(section, item["id"])
    for name in data.get("traits", {}):
        sources[f"traits.{name}"] = persona.origin("traits", name)
    if args.json:
        print(json.dumps({"id": persona.id, "chain": list(persona.chain), "abstract": persona.abstract,
                          "path": persona.path, "trait_sources": {k[7:]: v for k, v in sources.items()
                                                                  if k.startswith("traits.")},
                          **{k: v for k, v in data.items() if k != "id"}}, indent=1))
        return 0
    print(f"{data.get('name')} ({persona.id}), role {data.get('role')}"
          + (", an archetype" if persona.abstract else ""))
    print(f"  file: {persona.path}")
    print(f"  extends: {' -> '.join(persona.chain[1:]) or 'nothing'}")
    print("traits:")
    for name, value in data.get("traits", {}).items():
        own = "" if persona.origin("traits", name) == persona.path else "  (inherited)"
        print(f"  {name}: {value:g}{own}")
    print("hidden state (start):")
    for name, raw in data.get("state", {}).items():
        print(f"  {name}: {raw.get('initial')}")
    if "move_chance" in data:
        print(f"move chance: {data['move_chance']}")
    for section in ("reactions", "moves"):
        print(f"{section}:")
        for item in data.get(section, []):
            own_lines = persona.origin(section, item["id"], "lines") == persona.path
            mark = "" if item["from"] == persona.path else "  (inherited, own lines)" if own_lines else "  (inherited)"
            detail = ", ".join(item["tags"]) if "tags" in item else item.get("kind")
            cond = f" if {item['if']}" if "if" in item else ""
            print(f"  {item['id']}: {detail}{cond}; {', '.join(item.get('effects', [])) or 'no effects'}{mark}")
    return 0
