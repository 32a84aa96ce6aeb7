"""Finished games as xAPI statements, sent to a Learning Record Store without ever losing one.

Each result record (game/tools/results.py) becomes one ``attempted`` statement when the
game began, one ``answered`` statement per move and one ``completed`` statement with the
scores and the outcome. Statement ids are uuid5 of the record's id, so sending a game
twice stores it once: an LRS answers 409 for an id it already holds, and that counts as
delivered. The records on disk are the queue: a game counts as sent to an LRS only once
that LRS acknowledged every statement, which is noted in a small ledger beside the
saves (``.xapi/sent-HASH.txt``). A game that could not be sent stays queued and goes
with the next attempt; nothing is deleted. The standard library's urllib is enough for
a few JSON requests with basic auth, so no HTTP client is added to the dependencies.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import OfframpError
from . import results

XAPI_VERSION = "1.0.3"
NAMESPACE = uuid.UUID("6f1d3a52-8d0e-5b7c-9a4e-3c2b1f0e9d8a")  # offramp's: statement ids depend on it
VERBS = {name: {"id": f"http://adlnet.gov/expapi/verbs/{name}", "display": {"en-US": name}}
         for name in ("attempted", "answered", "completed")}
DEFAULT_HOMEPAGE = "https://offramp.invalid"
LEDGER_FOLDER = ".xapi"
RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}


class LRSError(OfframpError):
    """The LRS refused or could not be reached; ``retry`` says whether trying later may help."""

    def __init__(self, message: str, retry: bool):
        super().__init__(message)
        self.retry = retry


# -- statements --

def statements(record: dict, homepage: str = DEFAULT_HOMEPAGE) -> list[dict]:
    """The statements for one finished game: attempted, one answered per move, completed."""
    base = homepage.rstrip("/")
    game_id = record["id"]
    actor = {"objectType": "Agent", "name": record["trainee"],
             "account": {"homePage": base, "name": record["trainee"]}}
    scenario = {"objectType": "Activity", "id": f"{base}/scenarios/{record['scenario']}",
                "definition": {"name": {"en-US": record.get("title") or record["scenario"]},
                               "type": "http://adlnet.gov/expapi/activities/simulation"}}
    context = {"registration": str(uuid.uuid5(NAMESPACE, game_id)),
               "contextActivities": {"grouping": [{"objectType": "Activity", "id": scenario["id"]}]},
               "extensions": {f"{base}/xapi/scenario": record["scenario"],
                              f"{base}/xapi/persona": record.get("cast") or {},
                              f"{base}/xapi/mode": record["mode"],
                              f"{base}/xapi/seed": record["seed"]}}

    def statement(key: str, verb: str, obj: dict, when: str, result: dict | None = None) -> dict:
        out = {"id": str(uuid.uuid5(NAMESPACE, f"{game_id}/{key}")), "actor": actor, "verb": VERBS[verb],
               "object": obj, "context": context, "timestamp": when}
        if result is not None:
            out["result"] = result
        return out

    out = [statement("attempted", "attempted", scenario, record["started"])]
    for move in record["moves"]:
        round_activity = {"objectType": "Activity", "id": f"{scenario['id']}/rounds/{move['round']}",
                          "definition": {"type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                                         "interactionType": "choice"}}
        out.append(statement(f"move/{move['turn']}", "answered", round_activity, record["finished"], {
            "response": move["choice"],
            "extensions": {f"{base}/xapi/points": move["points"], f"{base}/xapi/turn": move["turn"],
                           f"{base}/xapi/tactics": move["tags"]}}))
    scores = record["scores"]
    result = {"completion": True, "response": record["ending"], "score": {"raw": scores["total"]},
              "extensions": {f"{base}/xapi/scores": scores, f"{base}/xapi/outcome": record["outcome"],
                             f"{base}/xapi/ending": record["ending"]}}
    if isinstance(record.get("minutes"), (int, float)):
        result["duration"] = f"PT{round(record['minutes'] * 60)}S"
    out.append(statement("completed", "completed", scenario, record["finished"], result))
    return out


# -- the LRS --

@dataclass
class LRS:
    """An LRS endpoint (the URL up to, not including, ``/statements``) with basic auth."""

    endpoint: str
    auth: str | None = None  # USER:PASS
    timeout: float = 10.0
    attempts: int = 4
    backoff: float = 0.5  # seconds before the 2nd attempt; doubles each time
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    @property
    def statements_url(self) -> str:
        return self.endpoint.rstrip("/") + "/statements"

    def _request(self, method: str, url: str, body=None) -> tuple[int, bytes]:
        headers = {"X-Experience-API-Version": XAPI_VERSION, "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if self.auth:
            headers["Authorization"] = "Basic " + base64.b64encode(self.auth.encode("utf-8")).decode("ascii")
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise LRSError(f"cannot reach the LRS at {self.endpoint} ({reason})", retry=True) from None

    def _with_retries(self, method: str, url: str, body=None) -> tuple[int, bytes]:
        delay = self.backoff
        for attempt in range(1, self.attempts + 1):
            try:
                status, text = self._request(method, url, body)
            except LRSError:
                if attempt == self.attempts:
                    raise
            else:
                if status not in RETRY_STATUSES or attempt == self.attempts:
                    return status, text
            self.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")

    def send(self, batch: list[dict]) -> None:
        """Store every statement of ``batch`` (one game), or raise LRSError."""
        status, text = self._with_retries("POST", self.statements_url, batch)
        if status in (200, 204):
            return
        if status != 409:  # 409: some ids are already stored; send one by one, keeping those
            raise _refused(status, text, self.endpoint)
        for statement in batch:
            url = f"{self.statements_url}?statementId={statement['id']}"
            status, text = self._with_retries("PUT", url, statement)
            if status not in (200, 204, 409):
                raise _refused(status, text, self.endpoint)

    def get(self, query: str = "") -> dict:
        """Read statements back (``GET /statements``), e.g. to check what arrived."""
        status, text = self._with_retries("GET", self.statements_url + (f"?{query}" if query else ""))
        if status != 200:
            raise _refused(status, text, self.endpoint)
        return json.loads(text)


def _refused(status: int, text: bytes, endpoint: str) -> LRSError:
    detail = text.decode("utf-8", "replace").strip()[:300]
    hint = " (check --xapi-auth USER:PASS)" if status in (401, 403) else ""
    return LRSError(f"the LRS at {endpoint} answered {status}{hint}: {detail}", retry=status in RETRY_STATUSES)


# -- the queue --

class Ledger:
    """Which records one LRS has acknowledged, one id a line, appended and fsynced."""

    def __init__(self, directory, endpoint: str):
        digest = hashlib.sha256(endpoint.rstrip("/").encode("utf-8")).hexdigest()[:16]
        self.path = Path(directory) / LEDGER_FOLDER / f"sent-{digest}.txt"

    def sent(self) -> set[str]:
        try:
            return set(self.path.read_text(encoding="utf-8").split())
        except OSError:
            return set()

    def add(self, record_id: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(record_id + "\n")
            handle.flush()
            os.fsync(handle.fileno())


@dataclass
class Report:
    sent: int = 0
    already: int = 0
    pending: int = 0
    error: str | None = None


def send_pending(directory, lrs: LRS, homepage: str = DEFAULT_HOMEPAGE, scenario: str | None = None) -> Report:
    """Send every finished game under ``directory`` this LRS has not acknowledged yet.
    Stops at the first failure (the rest stay queued for the next call)."""
    records, _ = results.load(directory, scenario=scenario)
    ledger = Ledger(directory, lrs.endpoint)
    done = ledger.sent()
    report = Report()
    queue = [r for r in records if r["id"] not in done]
    report.already = len(records) - len(queue)
    for index, record in enumerate(queue):
        try:
            lrs.send(statements(record, homepage))
        except LRSError as err:
            report.error = str(err)
            report.pending = len(queue) - index
            return report
        ledger.add(record["id"])
        report.sent += 1
    return report
