"""``offramp docs``: the guides that ship inside the package, readable wherever offramp is
installed (help texts point here instead of at files of a source checkout)."""
from __future__ import annotations

from ..paths import bundled_docs
from .common import UserError, example


def register(sub) -> None:
    p = sub.add_parser("docs", help="print a guide: player-guide, authoring, reference, testing, ...",
                       description="Print one of the guides that ship with offramp, as Markdown. "
                                   "Without a topic, list them.",
                       epilog=example("offramp docs authoring | less"))
    p.add_argument("topic", nargs="?", help="a guide's name, e.g. authoring")
    p.set_defaults(func=cmd_docs)


def topics() -> dict[str, str]:
    """Guide name -> its title (the first heading)."""
    found = {}
    for path in sorted(bundled_docs().glob("*.md")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        found[path.stem] = first.lstrip("# ").strip()
    return found


def cmd_docs(args) -> int:
    known = topics()
    if not args.topic:
        width = max(map(len, known))
        for name, title in known.items():
            print(f"{name:<{width}}  {title}")
        return 0
    if args.topic not in known:
        raise UserError(f"no guide called {args.topic!r}; the guides are: {', '.join(known)}", code=2)
    print((bundled_docs() / f"{args.topic}.md").read_text(encoding="utf-8"), end="")
    return 0
