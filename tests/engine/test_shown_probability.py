"""Logged probabilities (three decimals) and scores (one decimal) are rounded through a memo
(session._rounding): it must give exactly what round(x, digits) gives, value, type and sign."""
from __future__ import annotations

import math
import random

import pytest

from game.engine import session as engine_session


def same(a: float, b: float) -> bool:
    return type(a) is type(b) and a == b and math.copysign(1, a) == math.copysign(1, b)


@pytest.mark.parametrize("digits", [1, 3])
def test_a_remembered_rounding_is_round_itself(monkeypatch, digits):
    monkeypatch.setattr(engine_session, "ROUNDED_LIMIT", 50)  # the memo fills and starts over many times
    rounded = engine_session._rounding(digits)
    rng = random.Random(17)
    probes = [0.0, -0.0, 1.0, 0, 1, 2, -1, True, 0.5, 0.05, 0.25, 0.0005, 0.0015, 0.9995, 0.1 + 0.2, 1 - 1e-12,
              5e-324, -5e-324, 0.35, 0.625, 16.65, -102.45, 1e300, math.inf, -math.inf]
    probes += [rng.random() for _ in range(2000)] + [rng.randrange(-2000, 2000) / 1000 for _ in range(2000)]
    probes += [rng.uniform(-300, 300) for _ in range(2000)] + [100 * rng.randrange(1, 40) / rng.randrange(1, 40)
                                                              for _ in range(2000)]
    for x in probes * 2:  # the second pass reads what the first remembered
        assert same(rounded(x), round(x, digits)), x


def test_the_log_and_the_scores_round_to_their_own_precision():
    assert engine_session._shown(0.123456) == 0.123 and engine_session._tenths(42.857142857142854) == 42.9
