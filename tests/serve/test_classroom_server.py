"""``offramp serve`` for a class, end to end over real websockets on loopback.

Each test starts the real server in its own process group and talks to it the way the
browser page does (aiohttp's websocket client, the same JSON envelopes textual-serve's
page sends), so what is checked is what a trainee's browser would get.
"""
from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from game.webserver import MAX_HEIGHT, MAX_WIDTH, ClassroomServer

ROOT = Path(__file__).resolve().parents[2]
WAIT = 40.0
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def game_pids(marker: str) -> list[int]:
    """The live processes whose command line holds ``marker`` (the test's own saves folder)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in cmdline and " play " in cmdline and state != "Z":
            pids.append(int(entry.name))
    return pids


class Served:
    """A running ``offramp serve`` and the way to open game sessions on it."""

    def __init__(self, tmp_path: Path, *extra: str, cwd: Path = ROOT, argv=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.saves = tmp_path / "class saves"
        self.log_path = tmp_path / "serve.log"
        self.log = self.log_path.open("w")
        argv = argv or [sys.executable, "-P", "-m", "game"]
        env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
        self.proc = subprocess.Popen([*argv, "serve", "--port", str(self.port), "--saves-dir", str(self.saves),
                                      *extra], cwd=cwd, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + WAIT
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.kill()
                    pytest.fail("offramp serve did not start:\n" + self.log_path.read_text())
                time.sleep(0.2)

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=20)
        finally:
            self.kill()

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=10)
        if not self.log.closed:
            self.log.close()

    def output(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text()


@pytest.fixture
def served(tmp_path):
    servers = []

    def start(*extra, **kwargs) -> Served:
        server = Served(tmp_path, *extra, **kwargs)
        servers.append(server)
        return server

    yield start
    for server in servers:
        if server.proc.poll() is None:
            server.stop()
        assert not game_pids(str(server.saves)), "a game process outlived its server"


class Game:
    """One browser tab's websocket: read the screen's text as it streams, type keys."""

    def __init__(self, ws):
        self.ws, self.seen = ws, b""

    async def wait_for(self, text: bytes) -> None:
        deadline = time.monotonic() + WAIT
        while text not in ANSI.sub(b"", self.seen):
            if time.monotonic() > deadline:
                pytest.fail(f"the game never showed {text!r}; last bytes: {self.seen[-400:]!r}")
            try:
                message = await self.ws.receive(timeout=1)
            except TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                self.seen += message.data
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                pytest.fail(f"the websocket closed before {text!r} showed")

    async def press(self, key: str) -> None:
        await self.ws.send_json(["stdin", key])


async def connect(client, server: Served, trainee: str, query: str = "width=100&height=30", origin=None):
    return await client.ws_connect(f"{server.url}/ws/{trainee}?{query}", headers={"Origin": origin or server.url})


async def play_first_choice(server: Served, trainee: str) -> None:
    """Open a tab as ``trainee``: New game, the first scenario, choice 1."""
    async with aiohttp.ClientSession() as client, await connect(client, server, trainee) as ws:
        game = Game(ws)
        await game.wait_for(b"New game")
        await game.press("n")
        await game.wait_for(b"First Contact")  # the picker lists scenarios once the story has loaded
        await game.press("\r")
        await game.wait_for(b"Round 1")
        await game.press("1")
        autosaves = server.saves / "trainees" / trainee
        deadline = time.monotonic() + WAIT
        while not list(autosaves.glob("autosave-*.json")):
            assert time.monotonic() < deadline, f"no autosave for {trainee} after choice 1"
            await asyncio.sleep(0.2)


def test_two_trainees_play_side_by_side_and_share_no_file(served):
    server = served()

    async def both():
        await asyncio.gather(play_first_choice(server, "alice"), play_first_choice(server, "bob"))

    asyncio.run(both())
    files = sorted(p.relative_to(server.saves) for p in server.saves.rglob("*") if p.is_file())
    assert {p.parts[:2] for p in files} == {("trainees", "alice"), ("trainees", "bob")}, files
    for trainee in ("alice", "bob"):
        (autosave,) = (server.saves / "trainees" / trainee).glob("autosave-*.json")
        save = json.loads(autosave.read_text())
        assert len(save["choices"]) == 1
    assert server.stop() == 0


def test_the_page_asks_for_a_name_and_refuses_one_that_is_not_a_name(served):
    server = served()

    async def pages():
        async with aiohttp.ClientSession() as client:
            async with client.get(server.url + "/") as page:
                assert page.status == 200 and 'name="trainee"' in await page.text()
            async with client.get(server.url + "/?trainee=../../etc") as page:
                assert page.status == 400 and "cannot hold" in await page.text()
            async with client.get(server.url + "/", params={"trainee": "Ana Silva"}) as page:
                assert page.status == 200
                assert f'data-session-websocket-url="ws://127.0.0.1:{server.port}/ws/ana-silva"' in await page.text()

    asyncio.run(pages())


def test_a_websocket_from_another_site_or_another_host_name_is_refused(served):
    server = served()

    async def attempts():
        async with aiohttp.ClientSession() as client:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await connect(client, server, "alice", origin="http://evil.example")
            assert refused.value.status == 403
            async with client.get(server.url + "/", headers={"Host": "evil.example:80"}) as page:
                assert page.status == 421  # DNS rebinding: a foreign name for this address

    asyncio.run(attempts())
    assert not game_pids(str(server.saves))
    assert "Traceback" not in server.output()


def test_a_30000_by_30000_terminal_is_clamped(served):
    server = served()

    async def huge():
        async with aiohttp.ClientSession() as client, \
                await connect(client, server, "alice", "width=30000&height=30000") as ws:
            await Game(ws).wait_for(b"New game")
            (pid,) = game_pids(str(server.saves))
            environ = dict(line.split("=", 1) for line in
                           Path(f"/proc/{pid}/environ").read_bytes().decode().split("\0") if "=" in line)
            assert (environ["COLUMNS"], environ["ROWS"]) == (str(MAX_WIDTH), str(MAX_HEIGHT))

    asyncio.run(huge())


def test_a_resize_message_is_clamped_and_garbage_is_ignored():
    server = ClassroomServer(["true"], host="127.0.0.1", port=8000, public_url="http://127.0.0.1:8000",
                             max_sessions=1)

    class Socket:
        def __init__(self, texts):
            self.texts = texts

        def __aiter__(self):
            return self._messages()

        async def _messages(self):
            for text in self.texts:
                yield aiohttp.WSMessage(aiohttp.WSMsgType.TEXT, text, None)

    class Recorder:
        def __init__(self):
            self.sizes, self.keys = [], []

        async def set_terminal_size(self, width, height):
            self.sizes.append((width, height))

        async def send_bytes(self, data):
            self.keys.append(data)

    recorder = Recorder()
    texts = ['["resize", {"width": 30000, "height": 30000}]', "not json", '["resize", "tall"]', "[]",
             '["stdin", 5]', '["resize", {"width": 120, "height": 40}]', '["stdin", "n"]']
    asyncio.run(server._process_messages(Socket(texts), recorder))
    assert recorder.sizes == [(MAX_WIDTH, MAX_HEIGHT), (120, 40)]
    assert recorder.keys == [b"n"]


def test_a_full_class_gets_a_clear_page_and_a_refused_websocket(served):
    server = served("--max-sessions", "1")

    async def crowd():
        async with aiohttp.ClientSession() as client, await connect(client, server, "alice") as ws:
            await Game(ws).wait_for(b"New game")
            async with client.get(server.url + "/?trainee=bob") as page:
                assert page.status == 503 and "The class is full" in await page.text()
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await connect(client, server, "bob")
            assert refused.value.status == 503

    asyncio.run(crowd())


def test_odd_requests_get_an_answer_and_no_traceback(served):
    server = served()

    async def odd():
        async with aiohttp.ClientSession() as client:
            for path, status in (("/ws", 400), ("/ws/alice", 400), ("/static/", 403), ("/static/js/", 403),
                                 ("/nowhere", 404)):
                async with client.get(server.url + path) as answer:
                    assert answer.status == status, path
                    assert "Index of" not in await answer.text()

    asyncio.run(odd())
    assert server.stop() == 0
    assert "Traceback" not in server.output()


def test_stopping_the_server_leaves_no_game_process(served):
    server = served()

    async def open_two_and_stop():
        async with aiohttp.ClientSession() as client, await connect(client, server, "alice") as a, \
                await connect(client, server, "bob") as b:
            await Game(a).wait_for(b"New game")
            await Game(b).wait_for(b"New game")
            assert len(game_pids(str(server.saves))) == 2
            assert await asyncio.to_thread(server.stop) == 0

    asyncio.run(open_two_and_stop())
    assert game_pids(str(server.saves)) == []


def test_a_game_folder_where_the_server_starts_does_not_replace_the_game(served, tmp_path):
    impostor = tmp_path / "project"
    (impostor / "game").mkdir(parents=True)
    (impostor / "game" / "__init__.py").write_text("raise SystemExit('the wrong game package')\n")
    (impostor / "game" / "__main__.py").write_text("raise SystemExit('the wrong game package')\n")
    server = served(cwd=impostor, argv=[sys.executable, "-P", "-m", "game"])

    async def title():
        async with aiohttp.ClientSession() as client, await connect(client, server, "alice") as ws:
            await Game(ws).wait_for(b"New game")

    asyncio.run(title())
    assert "wrong game package" not in server.output()
