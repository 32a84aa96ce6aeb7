"""xAPI against a real Learning Record Store: Ralph, installed in its own venv and run on loopback.

The venv is built once per test run (module-scoped) under the test's temporary folder,
or taken from OFFRAMP_RALPH_VENV when CI built it beforehand. Without network access to
install it the module is skipped, with pip's reason.
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.cli import main
from game.engine import Session, load_library
from game.paths import story_paths
from game.tools import results, xapi
from game.trainees import saves_folder

ROOT = Path(__file__).resolve().parent.parent
RALPH_SPEC = "ralph-malph[backend-fs,lrs,cli]"
USER, PASSWORD = "instructor", "a-long-class-password"
START_WAIT = 90.0

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ralph_bin(tmp_path_factory) -> Path:
    """The ralph command of a venv that has Ralph; built here unless OFFRAMP_RALPH_VENV has one."""
    prepared = os.environ.get("OFFRAMP_RALPH_VENV")
    if prepared and (Path(prepared) / "bin" / "ralph").exists():
        return Path(prepared) / "bin" / "ralph"
    venv = tmp_path_factory.mktemp("ralph") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    try:
        done = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", RALPH_SPEC, "requests"],
                              capture_output=True, text=True, timeout=900)
    except subprocess.TimeoutExpired:
        pytest.skip("installing Ralph took longer than 15 minutes")
    if done.returncode != 0:
        pytest.skip(f"cannot install Ralph ({RALPH_SPEC}): {done.stderr.strip()[-400:]}")
    return venv / "bin" / "ralph"


class Ralph:
    """One Ralph LRS with the fs backend; stop() and start() keep its data and credentials."""

    def __init__(self, ralph: Path, home: Path):
        self.ralph, self.home = ralph, home
        (home / "data").mkdir(parents=True, exist_ok=True)
        (home / "run").mkdir(exist_ok=True)  # runserver reloads on changes under its working folder
        self.env = {**os.environ, "RALPH_APP_DIR": str(home / "app"), "RALPH_RUNSERVER_BACKEND": "fs"}
        subprocess.run([str(ralph), "auth", "-u", USER, "-p", PASSWORD, "-s", "all",
                        "-M", "mailto:instructor@example.org", "-w"], env=self.env, check=True,
                       capture_output=True, timeout=120)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.endpoint = f"http://127.0.0.1:{self.port}/xAPI"
        self.proc = None

    def start(self) -> None:
        self.log = (self.home / "ralph.log").open("a")
        # Ralph 5's fs backend writes every batch to one file it then refuses to overwrite; with no
        # file name it writes each batch to a new file, and reads them all back.
        self.proc = subprocess.Popen([str(self.ralph), "runserver", "-b", "fs", "--fs-default-directory-path",
                                      str(self.home / "data"), "--fs-default-lrs-file", "", "-h", "127.0.0.1",
                                      "-p", str(self.port)],
                                     cwd=self.home / "run", env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + START_WAIT
        lrs = xapi.LRS(self.endpoint, f"{USER}:{PASSWORD}", attempts=1)
        while True:
            try:
                lrs.get("limit=1")
                return
            except xapi.LRSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    pytest.fail("Ralph did not start:\n" + (self.home / "ralph.log").read_text()[-2000:])
                time.sleep(0.5)

    def stop(self) -> None:
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        except ProcessLookupError:
            pass
        self.proc = None
        self.log.close()

    def statements(self) -> list[dict]:
        lrs = xapi.LRS(self.endpoint, f"{USER}:{PASSWORD}")
        found, query = [], "limit=500"
        while True:
            page = lrs.get(query)
            found += page["statements"]
            more = page.get("more")
            if not more:
                return found
            query = more.split("?", 1)[1]


@pytest.fixture(scope="module")
def lrs(ralph_bin, tmp_path_factory):
    ralph = Ralph(ralph_bin, tmp_path_factory.mktemp("lrs"))
    ralph.start()
    yield ralph
    ralph.stop()


@pytest.fixture(scope="module")
def library():
    return load_library(story_paths())


def finish_games(library, folder: Path, trainees, seed: int) -> list[dict]:
    rng = random.Random(seed)
    records = []
    for index, trainee in enumerate(trainees):
        session = Session(library.scenarios["tutorial"], seed + index)
        while not session.ended:
            session.choose(rng.choice(session.choices()).id)
        record = results.build(session, trainee=trainee, mode="training", started="2026-11-30T09:00:00Z")
        results.write(saves_folder(folder, trainee), record)
        records.append(record)
    return records


def send(folder: Path, lrs: Ralph, capsys) -> tuple[int, str]:
    code = main(["results", "--saves-dir", str(folder), "--format", "csv", "--xapi", lrs.endpoint,
                 "--xapi-auth", f"{USER}:{PASSWORD}"])
    return code, capsys.readouterr().err


def test_three_games_arrive_in_the_lrs_once_each(lrs, library, tmp_path, capsys):
    records = finish_games(library, tmp_path / "class", ["alice", "bob", "carol"], 40)
    code, err = send(tmp_path / "class", lrs, capsys)
    assert code == 0, err
    assert "3 games sent" in err

    stored = {s["id"]: s for s in lrs.statements()}
    for record in records:
        expected = xapi.statements(record)
        assert len(expected) == len(record["moves"]) + 2
        for statement in expected:
            got = stored[statement["id"]]
            assert got["actor"]["account"]["name"] == record["trainee"]
            assert got["verb"]["id"] == statement["verb"]["id"]
        completed = stored[expected[-1]["id"]]
        assert completed["verb"]["display"]["en-US"] == "completed"
        assert completed["result"]["score"]["raw"] == record["scores"]["total"]
        assert completed["result"]["extensions"]["https://offramp.invalid/xapi/outcome"] == record["outcome"]
        assert completed["context"]["extensions"]["https://offramp.invalid/xapi/persona"] == record["cast"]
        answered = [stored[s["id"]] for s in expected[1:-1]]
        assert [a["result"]["response"] for a in answered] == [m["choice"] for m in record["moves"]]

    count = len(lrs.statements())
    code, err = send(tmp_path / "class", lrs, capsys)
    assert code == 0 and "0 games sent" in err and "3 sent before" in err
    shutil.rmtree(tmp_path / "class" / xapi.LEDGER_FOLDER)  # forget what was sent: the ids keep it idempotent
    code, err = send(tmp_path / "class", lrs, capsys)
    assert code == 0 and "3 games sent" in err
    assert len(lrs.statements()) == count


def test_games_finished_while_the_lrs_is_down_are_queued_and_sent_later(lrs, library, tmp_path, capsys):
    folder = tmp_path / "class"
    before = len(lrs.statements())
    lrs.stop()
    try:
        records = finish_games(library, folder, ["dana", "eli"], 70)
        code, err = send(folder, lrs, capsys)
        assert code == 1
        assert "2 queued" in err and "run the same command again" in err and "Traceback" not in err
        assert len(results.find(folder)) == 2  # nothing was dropped
    finally:
        lrs.start()
    code, err = send(folder, lrs, capsys)
    assert code == 0 and "2 games sent" in err
    ids = {s["id"] for s in lrs.statements()}
    assert all(s["id"] in ids for r in records for s in xapi.statements(r))
    assert len(ids) == before + sum(len(r["moves"]) + 2 for r in records)


def test_serve_sends_games_as_they_finish(lrs, library, tmp_path):
    folder = tmp_path / "class"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-P", "-m", "game", "serve", "--port", str(port), "--saves-dir",
                               str(folder), "--xapi", lrs.endpoint, "--xapi-auth", f"{USER}:{PASSWORD}"],
                              cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        (record,) = finish_games(library, folder, ["farid"], 90)  # as a served game writes it when it ends
        wanted = {s["id"] for s in xapi.statements(record)}
        deadline = time.monotonic() + 60
        while not wanted <= {s["id"] for s in lrs.statements()}:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "serve never sent the finished game"
            time.sleep(1)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    assert "sent 1 finished games" in (tmp_path / "serve.log").read_text()
