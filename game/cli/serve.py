"""``offramp serve``: the TUI in a web browser, one game process per browser session (textual-serve)."""
from __future__ import annotations

import asyncio
import ipaddress
import sys
from pathlib import Path

from .common import UserError, add_story_option, example

WILDCARD_HOSTS = {"0.0.0.0", "::", ""}
DEFAULT_MAX_SESSIONS = 40


def register(sub) -> None:
    p = sub.add_parser(
        "serve", help="play in a web browser (serves the TUI with textual-serve)",
        description="Serve the game to web browsers. Each browser tab starts its own game process on this "
                    "machine; open the printed address in a browser. The default host is loopback, so only "
                    "this machine can connect: read 'offramp docs classroom' before exposing it to a network.",
        epilog=example("offramp serve --port 8000"))
    p.add_argument("--host", default="127.0.0.1",
                   help="interface to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
    p.add_argument("--public-url", metavar="URL",
                   help="the address browsers use to reach this server, e.g. http://classroom-pc:8000 "
                        "(needed with --host 0.0.0.0 or behind a proxy)")
    p.add_argument("--saves-dir", metavar="DIR", help="where the served games keep their saves "
                                                      "(each trainee in DIR/trainees/NAME)")
    p.add_argument("--free-text", action="store_true",
                   help="new games start in free text: trainees type their own words (t on the picker "
                        "switches back)")
    p.add_argument("--max-sessions", type=int, default=DEFAULT_MAX_SESSIONS, metavar="N",
                   help=f"games running at once before new tabs get a 'class is full' page "
                        f"(default {DEFAULT_MAX_SESSIONS}; each takes about 50 MB)")
    from .results import add_xapi_options

    add_xapi_options(p)
    add_story_option(p)
    p.set_defaults(func=cmd_serve)


def play_command(args) -> list[str]:
    """What each browser session runs: this Python's ``game play``, with -P so that a ``game/``
    folder where the server was started cannot stand in for the installed package. The
    server adds ``--trainee NAME``."""
    parts = [sys.executable, "-P", "-m", "game", "play"]
    for folder in args.story:
        parts += ["--story", str(Path(folder).resolve())]
    if args.saves_dir:
        parts += ["--saves-dir", str(Path(args.saves_dir).expanduser().resolve())]
    if args.free_text:
        parts.append("--free-text")
    return parts


def public_url(args) -> str:
    if args.public_url:
        return args.public_url.rstrip("/")
    if args.host in WILDCARD_HOSTS:
        raise UserError(f"--host {args.host or '(empty)'} listens on every interface, but a browser cannot "
                        f"connect to that address. Add --public-url http://THIS-MACHINE:{args.port} "
                        "with the name or address trainees will type.", code=2)
    host = f"[{args.host}]" if ":" in args.host else args.host
    return f"http://{host}:{args.port}"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cmd_serve(args) -> int:
    if not 0 < args.port < 65536:
        raise UserError(f"--port {args.port} is not a TCP port; use a number from 1 to 65535, e.g. --port 8000",
                        code=2)
    if args.max_sessions < 1:
        raise UserError(f"--max-sessions {args.max_sessions}: give at least 1, e.g. --max-sessions 30", code=2)
    url = public_url(args)
    from ..webserver import ClassroomServer  # imported late: every other command starts faster without it
    from .results import lrs_from

    lrs = lrs_from(args)

    if not is_loopback(args.host):
        print(f"offramp: warning: listening on {args.host}: anyone who can reach port {args.port} can start "
              "game processes on this machine. There is no login and no encryption.", file=sys.stderr)
    sender = None if lrs is None else results_sender(args, lrs)
    server = ClassroomServer(play_command(args), host=args.host, port=args.port, public_url=url,
                             max_sessions=args.max_sessions, sender=sender)
    try:
        server.serve()
    except OSError as err:
        raise UserError(f"cannot listen on {args.host}:{args.port} ({err.strerror or err}). "
                        "Pick another port with --port N, or stop the program using it.") from None
    return 0


def results_sender(args, lrs):
    """An async callable that sends every finished game not yet sent, in a thread (urllib blocks)."""
    from ..saves import default_directory
    from ..tools.xapi import DEFAULT_HOMEPAGE, send_pending

    directory = Path(args.saves_dir).expanduser() if args.saves_dir else default_directory()
    homepage = args.xapi_homepage or DEFAULT_HOMEPAGE
    last_error = None

    async def send() -> None:
        nonlocal last_error
        report = await asyncio.to_thread(send_pending, directory, lrs, homepage)
        if report.sent:
            print(f"offramp: xAPI: sent {report.sent} finished games to {lrs.endpoint}", flush=True)
        if report.error != last_error and report.error:
            print(f"offramp: xAPI: {report.error}; {report.pending} games queued, retrying every "
                  "few seconds", file=sys.stderr, flush=True)
        last_error = report.error

    return send
