"""``offramp recognize``: how the game would read a line the trainee types.

Instructors check their own phrasings with it, and scripts use the JSON output. Input is
one item a line: a JSON object (``{"text": ..., "context": ..., "speaker": ...}``) or,
for convenience, plain text.
"""
from __future__ import annotations

import json
import sys

from .common import UserError, add_story_option, example, load


def register(sub) -> None:
    p = sub.add_parser("recognize", help="read which tactics a typed line uses (JSON lines in and out)",
                       description="For each input line, print the tactic tags the free-text reader finds, most "
                                   "confident first, with a confidence and the words that triggered each. Input "
                                   "lines are JSON objects with 'text' and optionally 'context' (what the other "
                                   "side just said) and 'speaker', or plain text.",
                       epilog=example("offramp recognize lines.txt --explain\n"
                                      "offramp recognize < lines.jsonl > readings.jsonl"))
    p.add_argument("file", nargs="?", help="a file of lines (default: standard input)")
    p.add_argument("--explain", action="store_true", help="a readable account instead of JSON")
    add_story_option(p)
    p.set_defaults(func=cmd_recognize)


def _item(raw: str, number: int) -> dict:
    if raw.lstrip().startswith("{"):
        try:
            item = json.loads(raw)
        except json.JSONDecodeError as err:
            raise UserError(f"line {number}: not valid JSON ({err.msg}, column {err.colno})") from None
        if not isinstance(item.get("text"), str):
            raise UserError(f"line {number}: a JSON line needs a \"text\" string")
        return item
    return {"text": raw}


def cmd_recognize(args) -> int:
    from ..paths import story_paths
    from ..recognize import for_story

    library = load(args, compile_scenarios=False)
    reader = for_story(story_paths(args.story), library.tactics)
    try:
        stream = open(args.file, encoding="utf-8") if args.file else sys.stdin
    except OSError as err:
        raise UserError(f"cannot read {args.file}: {err.strerror}") from None
    with stream:
        for number, raw in enumerate(stream, 1):
            raw = raw.rstrip("\n")
            if not raw.strip():
                continue
            item = _item(raw, number)
            readings = reader.read(item["text"], str(item.get("context", "")))
            if args.explain:
                print(_explain(item["text"], readings, library.tactics))
            else:
                print(json.dumps({"text": item["text"], "tags": [r.tag for r in readings],
                                  "confidence": {r.tag: r.confidence for r in readings},
                                  "evidence": {r.tag: r.evidence for r in readings}}, ensure_ascii=False))
    return 0


def _explain(text: str, readings, tactics) -> str:
    from ..recognize import clean

    head = f"{clean(text)[:100]!r}"
    if not readings:
        return f"{head}\n  no tactic recognized: the game would ask the trainee what they mean"
    return head + "".join(
        f"\n  {getattr(tactics.get(r.tag), 'name', r.tag)} ({r.tag}), {r.confidence:.0%}"
        + (f", from \"{r.evidence}\"" if r.evidence else "") for r in readings)
