"""``offramp results``: a class's finished games as a table, CSV, JSON or an HTML report; xAPI to an LRS."""
from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

from .common import UserError, eprint, example
from .saves import add_saves_option

FORMATS = ("table", "csv", "json", "html")
AUTH_ENV = "OFFRAMP_XAPI_AUTH"


def register(sub) -> None:
    p = sub.add_parser(
        "results", help="finished games of every trainee: scores, outcomes, a summary; send them to an LRS",
        description="One row per finished game in the saves folder and its trainees' folders (trainee, "
                    "scenario, mode, seed, times, ending, scores, choices) and a per-scenario summary. "
                    "With --xapi, also send every game not yet sent to a Learning Record Store as xAPI "
                    "statements; games the LRS could not take stay queued for the next run.",
        epilog=example("offramp results --saves-dir class-saves --format csv --out results.csv\n"
                       "  offramp results --saves-dir class-saves --xapi https://lrs.example/xAPI "
                       "--xapi-auth USER:PASS"))
    add_saves_option(p)
    p.add_argument("--scenario", metavar="ID", help="only games of this scenario")
    p.add_argument("--trainee", metavar="NAME", help="only this trainee's games")
    p.add_argument("--format", choices=FORMATS, default="table",
                   help="table (default), csv (one row per game), json, or html (a report with progress charts)")
    p.add_argument("--summary", action="store_true", help="with --format csv: the per-scenario summary instead")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of printing")
    add_xapi_options(p)
    p.set_defaults(func=cmd_results)


def add_xapi_options(p) -> None:
    p.add_argument("--xapi", metavar="URL", help="an LRS's xAPI endpoint, e.g. https://lrs.example/xAPI")
    p.add_argument("--xapi-auth", metavar="USER:PASS", help=f"basic auth for the LRS (also {AUTH_ENV})")
    p.add_argument("--xapi-homepage", metavar="URL",
                   help="the address that names this class's trainees and scenarios in the statements "
                        "(default https://offramp.invalid)")


def lrs_from(args):
    """The LRS the options name, or None; mistakes in the options are a UserError."""
    if not args.xapi:
        if args.xapi_auth:
            raise UserError("--xapi-auth needs --xapi URL (the LRS to send to)", code=2)
        return None
    if not args.xapi.startswith(("http://", "https://")):
        raise UserError(f"--xapi {args.xapi!r} is not an http(s) address; e.g. --xapi https://lrs.example/xAPI",
                        code=2)
    auth = args.xapi_auth or os.environ.get(AUTH_ENV) or None
    if auth is not None and ":" not in auth:
        raise UserError("--xapi-auth takes USER:PASS, with a colon", code=2)
    from ..tools.xapi import LRS

    return LRS(args.xapi, auth)


def cmd_results(args) -> int:
    from ..tools import results
    from .saves import open_store

    lrs = lrs_from(args)
    directory = open_store(args).directory
    trainee = None
    if args.trainee is not None:
        from ..trainees import TraineeError, normalise

        try:
            trainee = normalise(args.trainee)  # 'Ana Silva' finds ana-silva's games
        except TraineeError as err:
            raise UserError(f"--trainee {args.trainee!r}: {err}", code=2) from None
    records, problems = results.load(directory, scenario=args.scenario, trainee=trainee)
    for problem in problems:
        eprint(f"offramp: warning: skipped {problem.path}: {problem.message}")
    text = render(records, args.format, args.summary, directory)
    if args.out:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as err:
            raise UserError(f"cannot write {args.out}: {err.strerror or err}") from None
        eprint(f"wrote {args.out} ({len(records)} games)")
    else:
        print(text, end="")
    if lrs is not None:
        return send(directory, lrs, args)
    return 0


def send(directory, lrs, args) -> int:
    from ..tools.xapi import DEFAULT_HOMEPAGE, send_pending

    report = send_pending(directory, lrs, args.xapi_homepage or DEFAULT_HOMEPAGE, scenario=args.scenario)
    eprint(f"xAPI: {report.sent} games sent to {lrs.endpoint}, {report.already} sent before, "
           f"{report.pending} queued")
    if report.error:
        eprint(f"offramp: {report.error}. The {report.pending} games not sent stay queued in {directory}; "
               "run the same command again to send them.")
        return 1
    return 0


def render(records: list[dict], fmt: str, summary_only: bool, directory) -> str:
    from ..tools import results

    if fmt == "json":
        return json.dumps({"directory": str(directory), "games": [results.row(r) | {"id": r["id"]} for r in records],
                           "summary": results.summary(records)}, indent=1, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return _csv(records, summary_only)
    if fmt == "html":
        from ..tools.results_report import html_report

        return html_report(records)
    return _table(records, directory)


def _csv(records: list[dict], summary_only: bool) -> str:
    from ..tools import results

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if not summary_only:
        writer.writerow(results.COLUMNS)
        for record in records:
            row = results.row(record)
            writer.writerow([row[c] for c in results.COLUMNS])
        return out.getvalue()
    writer.writerow(["scenario", "games", "trainees", *(f"{k}_{s}" for k in results.SCORE_KEYS
                                                           for s in ("mean", "sd")), "outcomes", "most_missed"])
    for scenario_id, data in results.summary(records).items():
        writer.writerow([scenario_id, data["games"], data["trainees"],
                         *(data["scores"][k][s] for k in results.SCORE_KEYS for s in ("mean", "sd")),
                         " ".join(f"{o}={n}" for o, n in data["outcomes"].items()),
                         " ".join(f"{m['round']}:{m['choice']}={m['games']}" for m in data["missed"])])
    return out.getvalue()


def _table(records: list[dict], directory) -> str:
    from ..tools import results

    if not records:
        return f"no finished games in {directory}\n"
    head = ("trainee", "scenario", "mode", "seed", "finished", "min", "ending", "outcome",
            "emp", "brink", "offr", "disc", "total")
    rows = []
    for record in records:
        r = results.row(record)
        rows.append((r["trainee"], r["scenario"], r["mode"], str(r["seed"]), r["finished"].replace("T", " ")[:16],
                     f"{r['minutes']:g}" if r["minutes"] is not None else "?", r["ending"], r["outcome"],
                     *(f"{r[k]:g}" for k in ("empathy", "brinkmanship", "offramps", "discipline", "total"))))
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    lines = [f"{len(records)} finished games in {directory}:",
             "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=False))]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) for row in rows]
    for scenario_id, data in results.summary(records).items():
        lines += ["", f"{scenario_id}: {data['games']} games by {data['trainees']} trainees"]
        for key in results.SCORE_KEYS:
            s = data["scores"][key]
            lines.append(f"  {key:<13} mean {s['mean']:>6g}  sd {s['sd']:>5g}  range {s['min']:g} to {s['max']:g}")
        lines.append("  outcomes      " + ", ".join(f"{o} {n}" for o, n in data["outcomes"].items()))
        for m in data["missed"]:
            lines.append(f"  missed in {m['games']} games: round {m['round']}, {m['choice']!r}: {m['text']}")
    return "\n".join(lines) + "\n"
