"""A narrated roll logs its probability to three decimals; session._shown remembers the rounding
of the few probabilities a story rolls. It must give exactly what round(p, 3) gives, type and sign included."""
from __future__ import annotations

import math
import random

from game.engine import session as engine_session


def same(a: float, b: float) -> bool:
    return type(a) is type(b) and a == b and math.copysign(1, a) == math.copysign(1, b)


def test_shown_is_round_to_three_decimals_for_every_kind_of_probability(monkeypatch):
    monkeypatch.setattr(engine_session, "SHOWN_LIMIT", 50)  # the memo fills and starts over many times
    monkeypatch.setattr(engine_session, "_SHOWN", {})
    rng = random.Random(17)
    probes = [0.0, -0.0, 1.0, 0, 1, 2, -1, 0.5, 0.0005, 0.0015, 0.9995, 0.1 + 0.2, 1 - 1e-12, 5e-324, 0.35, 0.625]
    probes += [rng.random() for _ in range(3000)] + [rng.randrange(1000) / 1000 for _ in range(3000)]
    probes += [rng.uniform(-2, 3) for _ in range(500)]
    for p in probes * 2:  # the second pass reads what the first remembered
        assert same(engine_session._shown(p), round(p, 3)), p
    assert 0 < len(engine_session._SHOWN) <= 50
