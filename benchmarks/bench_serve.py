"""A class on one machine: N trainees open ``offramp serve`` at once; time to every title, and memory.

Starts the real server on loopback with ``--max-sessions N``, opens N websockets at the
same moment (each as its own trainee, 100x30 cells, as the page does) and waits until
every one shows the title screen's menu. Then it reads each game process's memory from
/proc: RSS (what ``top`` shows) and PSS (shared pages split between the processes that
share them, so the PSS figures add up to what the class really costs). Everything stays
on 127.0.0.1, the number of sessions is bounded, and the server and its games are
stopped at the end. Prints figures; asserts nothing. Linux only (/proc).

    python benchmarks/bench_serve.py [--sessions 30]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")
MAX_SESSIONS = 60
WAIT = 300.0


def kb(pid: int, field: str, source: str) -> int:
    for line in Path(f"/proc/{pid}/{source}").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def children(marker: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                continue
            if marker in cmdline and " play " in cmdline:
                pids.append(int(entry.name))
    return pids


async def open_tab(client, url: str, trainee: str, started: float):
    """A tab's websocket, open, once it shows the title's menu; and how long that took."""
    ws = await client.ws_connect(f"{url}/ws/{trainee}?width=100&height=30", headers={"Origin": url})
    screen = Screen(ws, trainee)
    await screen.wait_for(b"New game")
    return ws, time.monotonic() - started


class Screen:
    def __init__(self, ws, trainee: str):
        self.ws, self.trainee, self.seen = ws, trainee, b""

    async def wait_for(self, text: bytes) -> None:
        while text not in ANSI.sub(b"", self.seen):
            message = await self.ws.receive(timeout=WAIT)
            if message.type != aiohttp.WSMsgType.BINARY:
                raise RuntimeError(f"{self.trainee}: the websocket closed before {text!r} showed")
            self.seen += message.data


async def first_move(ws, trainee: str) -> None:
    """New game, the first scenario, choice 1: the engine and the play screen are loaded."""
    screen = Screen(ws, trainee)
    await ws.send_json(["stdin", "n"])
    await screen.wait_for(b"Choose a scenario")
    await screen.wait_for(b"First Contact")  # the story loads in a worker: Enter waits for the list
    await ws.send_json(["stdin", "\r"])
    await screen.wait_for(b"Round 1")
    await ws.send_json(["stdin", "1"])
    await screen.wait_for(b"Round 2")


async def class_opens(url: str, sessions: int, marker: str, server_pid: int) -> None:
    async with aiohttp.ClientSession() as client:
        started = time.monotonic()
        opened = await asyncio.gather(*(open_tab(client, url, f"trainee-{n:02d}", started)
                                        for n in range(sessions)))
        await asyncio.sleep(2)  # let every game settle after its first frame
        report([t for _, t in opened], marker, server_pid, sessions, "on the title screen")
        started = time.monotonic()
        await asyncio.gather(*(first_move(ws, f"trainee-{n:02d}") for n, (ws, _) in enumerate(opened)))
        print(f"\nevery trainee started a game and made a first choice in {time.monotonic() - started:.1f} s")
        await asyncio.sleep(2)
        report([], marker, server_pid, sessions, "after the first choice")
        for ws, _ in opened:
            await ws.close()


def report(times: list[float], marker: str, server_pid: int, sessions: int, when: str) -> None:
    """Print what the class costs at this moment, and keep the figures for run_all.py."""
    times = sorted(times)
    pids = children(marker)
    rss = [kb(pid, "VmRSS", "status") for pid in pids]
    pss = [kb(pid, "Pss", "smaps_rollup") for pid in pids]
    print(f"{sessions} sessions {when} (game processes found: {len(pids)})")
    if times:
        print(f"title on screen: first {times[0]:.1f} s, median {statistics.median(times):.1f} s, "
              f"all {times[-1]:.1f} s after the tabs opened together")
    print(f"game RSS per session: median {statistics.median(rss) / 1024:.0f} MB, "
          f"total {sum(rss) / 1024:.0f} MB")
    print(f"game PSS per session: median {statistics.median(pss) / 1024:.0f} MB, "
          f"total {sum(pss) / 1024:.0f} MB (what the class really takes)")
    print(f"server RSS: {kb(server_pid, 'VmRSS', 'status') / 1024:.0f} MB")
    key = "title" if times else "playing"
    FIGURES[f"{key}_pss_mb_per_session"] = round(statistics.median(pss) / 1024, 1) if pss else None
    if times:
        FIGURES["all_titles_s"] = round(times[-1], 1)
    print(f"machine: {os.cpu_count()} cores")


FIGURES: dict = {}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=30, help=f"trainees at once (1-{MAX_SESSIONS})")
    args = parser.parse_args(argv)
    sessions = min(max(args.sessions, 1), MAX_SESSIONS)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        saves = Path(tmp) / "bench-class-saves"
        server = subprocess.Popen([sys.executable, "-P", "-m", "game", "serve", "--port", str(port),
                                   "--saves-dir", str(saves), "--max-sessions", str(sessions)],
                                  cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise SystemExit("offramp serve did not start") from None
                    time.sleep(0.2)
            asyncio.run(class_opens(f"http://127.0.0.1:{port}", sessions, str(saves), server.pid))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
        left = children(str(saves))
        print(f"game processes left after the server stopped: {len(left)}")
    return {"sessions": sessions, **FIGURES, "processes_left": len(left)}


if __name__ == "__main__":
    main()
