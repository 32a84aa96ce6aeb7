"""Commands over save slots: list them, and write a session's transcript for an instructor.

The saves and the engine are imported only when a command runs, so building the
parser (and so opening the title screen) stays quick.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from ..text_safety import clean_line
from .common import UserError, add_story_option, eprint, example, load

TRANSCRIPT_FORMATS = ("md", "html")  # game.tools.transcript.FORMATS, without importing the engine


def add_saves_option(parser) -> None:
    parser.add_argument("--saves-dir", metavar="DIR",
                        help="the saves folder (default: OFFRAMP_SAVES, else ./saves if it exists, "
                             "else your user data folder)")


def open_store(args):
    from ..saves import SaveStore

    store = SaveStore(getattr(args, "saves_dir", None))
    if store.directory.exists() and not store.directory.is_dir():
        raise UserError(f"{store.directory} is a file, not a folder: give --saves-dir a folder "
                        "(it is created when the first save is written)")
    return store


def load_slot(args, library, slot: str):
    """Load a slot for a command: SaveError becomes a one-line message; a notice goes to stderr."""
    from ..saves import SaveError

    try:
        result = open_store(args).load(library, slot)
    except SaveError as err:
        raise UserError(err.message) from None
    if result.notice:
        eprint(f"offramp: note: {result.notice}")
    return result


def register(sub) -> None:
    p = sub.add_parser("saves", help="list save slots: scenario, round, time, readable",
                       description="List the save slots in the saves folder, and whether each can be loaded.",
                       epilog=example("offramp saves --saves-dir class-saves/ --json"))
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_saves_option(p)
    p.set_defaults(func=cmd_saves)

    p = sub.add_parser("transcript", help="write a saved session as Markdown or HTML for an instructor",
                       description="Render a saved session: each round's text, the choice taken with its "
                                   "tactics, the reactions it drew, and the debrief. SAVE is a slot name or "
                                   "the path of a .json save file.",
                       epilog=example("offramp transcript autosave-tutorial --format html --out tutorial.html"))
    p.add_argument("save", metavar="SAVE")
    p.add_argument("--format", choices=TRANSCRIPT_FORMATS, default="md", help="md (default) or html")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of printing")
    add_saves_option(p)
    add_story_option(p)
    p.set_defaults(func=cmd_transcript)


def cmd_saves(args) -> int:
    store = open_store(args)
    infos = store.list()
    if args.json:
        print(json.dumps({"directory": str(store.directory), "saves": [asdict(i) for i in infos]}, indent=1))
        return 0
    if not infos:
        print(f"no saves in {store.directory}")
        return 0
    print(f"saves in {store.directory}:")
    for info in infos:
        when = (info.saved_at or "?").replace("T", " ").replace("Z", " UTC")
        slot = clean_line(info.slot)  # a file name may hold anything, even a newline
        if not info.readable:
            print(f"  {slot:<28} UNREADABLE  {when:<24} {clean_line(info.error or '')}")
            continue
        where = f"ended: {info.ending}" if info.ending else f"round {info.round}"
        warning = f"  (warning: {info.error})" if info.error else ""
        print(f"  {slot:<28} {info.scenario:<18} {where:<32} {when}{clean_line(warning)}")
    return 0


def cmd_transcript(args) -> int:
    from ..saves import SUFFIX
    from ..tools import transcript

    slot, as_path = args.save, Path(args.save)
    if as_path.suffix == SUFFIX and as_path.is_file():  # a save file given by path, e.g. one a trainee sent
        args.saves_dir, slot = str(as_path.parent), as_path.name
    library = load(args)
    session = load_slot(args, library, slot).session
    text = transcript.render(session, args.format)
    if not args.out:
        print(text, end="")
        return 0
    try:
        Path(args.out).write_text(text, encoding="utf-8")
    except OSError as err:
        raise UserError(f"cannot write {args.out}: {err.strerror or err}") from None
    eprint(f"wrote {args.out}")
    return 0
