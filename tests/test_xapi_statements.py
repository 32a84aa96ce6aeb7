"""xAPI without an LRS: the statements a game becomes, and how the sender retries, on a loopback stub."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from game.engine import Session, load_library
from game.paths import story_paths
from game.tools import results, xapi


@pytest.fixture(scope="module")
def record():
    scenario = load_library(story_paths()).scenarios["tutorial"]
    session = Session(scenario, 4)
    while not session.ended:
        session.choose(session.choices()[-1].id)
    return results.build(session, trainee="ana", mode="assessment", started="2026-11-30T09:00:00Z",
                         finished="2026-11-30T09:12:30Z")


def test_a_game_becomes_attempted_answered_per_move_and_completed_with_stable_ids(record):
    statements = xapi.statements(record)
    verbs = [s["verb"]["display"]["en-US"] for s in statements]
    assert verbs == ["attempted", *["answered"] * len(record["moves"]), "completed"]
    assert [s["id"] for s in statements] == [s["id"] for s in xapi.statements(json.loads(json.dumps(record)))]
    other = dict(record, id="00000000-0000-4000-8000-000000000000")
    assert not {s["id"] for s in statements} & {s["id"] for s in xapi.statements(other)}
    completed = statements[-1]
    assert completed["result"]["score"]["raw"] == record["scores"]["total"]
    assert completed["result"]["duration"] == "PT750S"
    assert completed["context"]["extensions"]["https://offramp.invalid/xapi/mode"] == "assessment"
    assert {s["context"]["registration"] for s in statements} == {statements[0]["context"]["registration"]}


class Stub(BaseHTTPRequestHandler):
    """Answers each request with the next status of ``replies``; records what it got."""

    replies: list[int] = []
    seen: list[tuple[str, str, str | None]] = []

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        Stub.seen.append((self.command, self.path, self.headers.get("Authorization")))
        status = Stub.replies.pop(0) if Stub.replies else 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"detail": "stub"}')

    do_POST = do_PUT = do_GET = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def stub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Stub.replies, Stub.seen = [], []
    yield f"http://127.0.0.1:{server.server_address[1]}/xAPI"
    server.shutdown()
    server.server_close()


def test_a_busy_lrs_is_retried_with_growing_pauses(stub, record):
    pauses = []
    Stub.replies = [503, 503, 200]
    xapi.LRS(stub, "u:p", sleep=pauses.append).send(xapi.statements(record))
    assert pauses == [0.5, 1.0]
    assert [m for m, _, _ in Stub.seen] == ["POST"] * 3
    assert Stub.seen[0][2] == "Basic dTpw"


def test_ids_the_lrs_already_holds_count_as_delivered(stub, record):
    statements = xapi.statements(record)
    Stub.replies = [409] + [409, 204] * len(statements)
    xapi.LRS(stub, "u:p", sleep=lambda _: None).send(statements)
    assert [m for m, _, _ in Stub.seen] == ["POST", *["PUT"] * len(statements)]
    assert Stub.seen[1][1].endswith(f"statementId={statements[0]['id']}")


def test_a_refusal_is_not_retried_and_the_game_stays_queued(stub, record, tmp_path):
    results.write(tmp_path, record)
    Stub.replies = [401]
    lrs = xapi.LRS(stub, "u:wrong", sleep=lambda _: pytest.fail("a refused request was retried"))
    report = xapi.send_pending(tmp_path, lrs)
    assert (report.sent, report.pending) == (0, 1)
    assert "401" in report.error and "--xapi-auth" in report.error
    report = xapi.send_pending(tmp_path, xapi.LRS(stub, "u:p"))
    assert (report.sent, report.pending, report.error) == (1, 0, None)
    assert xapi.send_pending(tmp_path, xapi.LRS(stub, "u:p")).already == 1
