"""``offramp serve``: the TUI in a web browser, one game process per browser session (textual-serve)."""
from __future__ import annotations

import ipaddress
import shlex
import sys

from .common import UserError, add_story_option, example

WILDCARD_HOSTS = {"0.0.0.0", "::", ""}


def register(sub) -> None:
    p = sub.add_parser(
        "serve", help="play in a web browser (serves the TUI with textual-serve)",
        description="Serve the game to web browsers. Each browser tab starts its own game process on this "
                    "machine; open the printed address in a browser. The default host is loopback, so only "
                    "this machine can connect: read the player guide (offramp docs player-guide) before "
                    "exposing it to a network.",
        epilog=example("offramp serve --port 8000"))
    p.add_argument("--host", default="127.0.0.1",
                   help="interface to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
    p.add_argument("--public-url", metavar="URL",
                   help="the address browsers use to reach this server, e.g. http://classroom-pc:8000 "
                        "(needed with --host 0.0.0.0 or behind a proxy)")
    p.add_argument("--saves-dir", metavar="DIR", help="where the served games keep their saves")
    add_story_option(p)
    p.set_defaults(func=cmd_serve)


def play_command(args) -> str:
    """The shell command textual-serve runs for each browser session: this Python's ``game play``."""
    parts = [sys.executable, "-m", "game", "play"]
    for folder in args.story:
        parts += ["--story", folder]
    if args.saves_dir:
        parts += ["--saves-dir", args.saves_dir]
    return shlex.join(parts)


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
    url = public_url(args)
    from textual_serve.server import Server  # imported late: every other command starts faster without it

    if not is_loopback(args.host):
        print(f"offramp: warning: listening on {args.host}: anyone who can reach port {args.port} can start "
              "game processes on this machine. There is no login and no encryption.", file=sys.stderr)
    server = Server(play_command(args), host=args.host, port=args.port, title="offramp", public_url=url)
    try:
        server.serve()
    except OSError as err:
        raise UserError(f"cannot listen on {args.host}:{args.port} ({err.strerror or err}). "
                        "Pick another port with --port N, or stop the program using it.") from None
    return 0
