"""The classroom web server: textual-serve with the checks a shared server needs.

textual-serve starts one game process per browser tab. Served to a class it must also
keep trainees apart (each tab names its trainee, whose game gets its own folder),
refuse pages from other sites (the Origin of the websocket and the Host of every
request must be this server's), keep a tab from asking for a terminal of 30000x30000
cells, cap how many games run at once, and never leave a game process behind: each
game runs in its own process group, killed when its tab closes or the server stops.
"""
from __future__ import annotations

import asyncio
import html
import json
import logging
import os
import shlex
import signal
from urllib.parse import quote, urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from .trainees import TraineeError, normalise

log = logging.getLogger("offramp.serve")

MAX_WIDTH, MAX_HEIGHT = 500, 200
MIN_WIDTH, MIN_HEIGHT = 20, 5
QUIT_GRACE = 3.0  # seconds a game may take to quit before its process group is killed
XAPI_INTERVAL = 15.0


def clamp_size(width, height) -> tuple[int, int]:
    """A terminal size a browser asked for, kept within what one game process can afford."""
    def number(value, default: int) -> int:
        try:
            return int(value)
        except (TypeError, ValueError, OverflowError):
            return default

    return (min(max(number(width, 80), MIN_WIDTH), MAX_WIDTH),
            min(max(number(height, 24), MIN_HEIGHT), MAX_HEIGHT))


class GameProcess(AppService):
    """One trainee's game: started without a shell in a new process group, which is killed at the end."""

    def __init__(self, argv: list[str], **kwargs):
        super().__init__(shlex.join(argv), **kwargs)
        self.argv = argv
        self.pid: int | None = None

    async def _open_app_process(self, width: int = 80, height: int = 24):
        environment = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=environment, start_new_session=True)
        self.pid = process.pid
        self._stdin = process.stdin
        return process

    async def stop(self) -> None:
        """Ask the game to quit (it autosaves as it goes), then kill whatever is left of its group."""
        try:
            await asyncio.wait_for(super().stop(), QUIT_GRACE)
        except (TimeoutError, ConnectionError, RuntimeError):
            pass
        finally:
            self.kill()

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.pid is None:
            return
        try:
            os.killpg(self.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


class ClassroomServer(Server):
    def __init__(self, play_argv: list[str], *, host: str, port: int, public_url: str, max_sessions: int,
                 sender=None):
        super().__init__(shlex.join(play_argv), host=host, port=port, title="offramp", public_url=public_url)
        self.play_argv = play_argv
        self.max_sessions = max_sessions
        self.sender = sender  # an async callable that sends finished games to an LRS, or None
        self.games: set[GameProcess] = set()
        self.allowed_hosts, self.allowed_origins = allowed(public_url, host, port)
        self._xapi_task: asyncio.Task | None = None
        self._xapi_wake = asyncio.Event()

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._check_host])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws/{trainee}", self.handle_websocket, name="websocket"),
            web.get("/ws", self.handle_bare_websocket),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", self.statics_path, show_index=False, name="static"),
        ])
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    # -- checks --
    @web.middleware
    async def _check_host(self, request: web.Request, handler):
        if (request.host or "").lower() not in self.allowed_hosts:
            return web.Response(status=421, text=f"This server answers to {self.public_url} only.\n")
        return await handler(request)

    def _origin_ok(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        return origin is None or origin.lower().rstrip("/") in self.allowed_origins

    @property
    def full(self) -> bool:
        return len(self.games) >= self.max_sessions

    # -- pages --
    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        name = request.query.get("trainee")
        if name is None:
            return _page("Who is playing?", NAME_FORM.format(error=""))
        try:
            trainee = normalise(name)
        except TraineeError as err:
            return _page("Who is playing?", NAME_FORM.format(error=f"<p class=error>{html.escape(str(err))}</p>"),
                         status=400)
        if self.full:
            return _full_page(self.max_sessions)
        ws_url = f"{self.public_url}/ws/{quote(trainee, safe='')}"
        ws_url = ("wss:" if self.public_url.startswith("https") else "ws:") + ws_url.split(":", 1)[1]
        context = {"font_size": _int(request.query.get("fontsize"), 16, 8, 40), "app_websocket_url": ws_url,
                   "config": {"static": {"url": f"{self.public_url}/static/"}},
                   "application": {"name": f"offramp · {trainee}"}}
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_bare_websocket(self, request: web.Request) -> web.StreamResponse:
        return web.Response(status=400, text="This is where a game's websocket connects, from the page at / .\n")

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        if not self._origin_ok(request):
            log.warning("refused a websocket from %s (not %s)", request.headers.get("Origin"), self.public_url)
            return web.Response(status=403, text="This game can only be opened from its own page.\n")
        try:
            trainee = normalise(request.match_info["trainee"])
        except TraineeError as err:
            return web.Response(status=400, text=f"{err}\n")
        websocket = web.WebSocketResponse(heartbeat=15)
        if not websocket.can_prepare(request).ok:
            return web.Response(status=400, text="This address expects a websocket; open / in a browser.\n")
        if self.full:
            return web.Response(status=503, text=f"The class is full ({self.max_sessions} games are running).\n")
        width, height = clamp_size(request.query.get("width"), request.query.get("height"))
        game = GameProcess([*self.play_argv, "--trainee", trainee], write_bytes=websocket.send_bytes,
                           write_str=websocket.send_str, close=websocket.close,
                           download_manager=self.download_manager, debug=self.debug)
        self.games.add(game)
        try:
            await websocket.prepare(request)
            await game.start(width, height)
            await self._process_messages(websocket, game)
        except (asyncio.CancelledError, ConnectionError):
            pass
        finally:
            await game.stop()
            self.games.discard(game)
            self._xapi_wake.set()
            if not websocket.closed:
                await websocket.close()
        return websocket

    async def _process_messages(self, websocket: web.WebSocketResponse, app_service: AppService) -> None:
        """The browser's messages; anything malformed is ignored, a resize is clamped."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await app_service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await app_service.set_terminal_size(*clamp_size(data.get("width"), data.get("height")))
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await app_service.blur()
            elif kind == "focus":
                await app_service.focus()

    # -- life cycle --
    async def on_startup(self, app: web.Application) -> None:
        print(f"offramp: serving on {self.public_url} (at most {self.max_sessions} games at once); "
              "Ctrl+C stops the server and every game", flush=True)
        if self.sender is not None:
            self._xapi_task = asyncio.create_task(self._send_results())

    async def on_shutdown(self, app: web.Application) -> None:
        """Stop every game: ask politely, then kill each whole process group."""
        games = list(self.games)
        for game in games:
            game.kill(signal.SIGTERM)
        await asyncio.sleep(0.5 if games else 0)
        for game in games:
            game.kill(signal.SIGKILL)
        if self._xapi_task is not None:  # games not sent yet stay queued for the next run
            self._xapi_task.cancel()

    async def _send_results(self) -> None:
        while True:
            try:
                await asyncio.wait_for(self._xapi_wake.wait(), XAPI_INTERVAL)
            except TimeoutError:
                pass
            self._xapi_wake.clear()
            await self.sender()


def allowed(public_url: str, host: str, port: int) -> tuple[set[str], set[str]]:
    """The Host headers and Origins this server accepts: its public address, and on loopback
    the names of this machine as typed into a browser."""
    parts = urlsplit(public_url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    hosts = {parts.netloc.lower()}
    if parts.port is None and default:
        hosts.add(f"{parts.netloc.lower()}:{default}")
    elif parts.port == default and parts.hostname:
        hosts.add(parts.hostname.lower() if ":" not in parts.hostname else f"[{parts.hostname}]")
    origins = {f"{parts.scheme}://{h}" for h in hosts}
    if host in ("127.0.0.1", "::1", "localhost"):
        local = {f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}"}
        hosts |= local
        origins |= {f"http://{h}" for h in local}
    return hosts, origins


def _int(value, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(value), low), high)
    except (TypeError, ValueError):
        return default


STYLE = ("body{background:#0c181f;color:#eee;font-family:sans-serif;display:flex;justify-content:center;"
         "padding-top:15vh}main{max-width:32em}input,button{font-size:1.1em;padding:.3em}.error{color:#f88}")
NAME_FORM = """<p>Type your name to start. Your games, saves and scores are kept under it.</p>{error}
<form method="get" action="/"><input name="trainee" autofocus required maxlength="40"
 placeholder="e.g. Ana Silva"> <button type="submit">Play</button></form>
<p><small>An instructor may hand out an address with the name in it: /?trainee=ana-silva</small></p>"""


def _page(title: str, body: str, status: int = 200) -> web.Response:
    text = (f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>offramp · {html.escape(title)}</title>"
            f"<style>{STYLE}</style></head><body><main><h1>{html.escape(title)}</h1>{body}</main></body></html>")
    return web.Response(status=status, text=text, content_type="text/html")


def _full_page(limit: int) -> web.Response:
    body = (f"<p>All {limit} places are taken: this server runs at most {limit} games at once.</p>"
            "<p>Wait for someone to finish and reload this page, or ask your instructor.</p>")
    return _page("The class is full", body, status=503)
