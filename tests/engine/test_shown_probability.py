"""Logged probabilities (three decimals) and scores (one decimal) are rounded by arithmetic where a
value is far from a tie (session._rounding): it must give exactly what round(x, digits) gives, value,
type and sign, near ties and at the ends of its range too."""
from __future__ import annotations

import math
import random

import pytest

from game.engine import session as engine_session


def same(a: float, b: float) -> bool:
    return type(a) is type(b) and a == b and math.copysign(1, a) == math.copysign(1, b)


@pytest.mark.parametrize("digits", [1, 3])
def test_a_rounding_by_arithmetic_is_round_itself(digits):
    rounded = engine_session._rounding(digits)
    rng = random.Random(17)
    limit = engine_session.ROUNDED_RANGE / 10 ** digits
    probes = [0.0, -0.0, 1.0, 0, 1, 2, -1, True, 0.5, 0.05, 0.25, 0.0005, 0.0015, 0.9995, 0.1 + 0.2, 1 - 1e-12,
              5e-324, -5e-324, 0.35, 0.625, 16.65, -102.45, 1e300, math.inf, -math.inf, math.nan,
              limit, -limit, math.nextafter(limit, 0), math.nextafter(-limit, 0), limit * 2, 0.049, -0.049]
    probes += [rng.random() for _ in range(2000)] + [rng.randrange(-2000, 2000) / 1000 for _ in range(2000)]
    probes += [rng.uniform(-300, 300) for _ in range(2000)] + [100 * rng.randrange(1, 40) / rng.randrange(1, 40)
                                                              for _ in range(20000)]
    for _ in range(3000):  # ties and their neighbours, and values 0.001 from a tie, where the arithmetic stops
        tie = (rng.randrange(-10 ** 6, 10 ** 6) + 0.5) / 10 ** digits
        for near in (tie, tie + 0.0009 / 10 ** digits, tie - 0.0011 / 10 ** digits, tie * (1 + 1e-15)):
            probes += [near, math.nextafter(near, math.inf), math.nextafter(near, -math.inf)]
    for x in probes:
        if math.isnan(x):
            assert math.isnan(rounded(x))
        else:
            assert same(rounded(x), round(x, digits)), x


def test_the_log_and_the_scores_round_to_their_own_precision():
    assert engine_session._shown(0.123456) == 0.123 and engine_session._tenths(42.857142857142854) == 42.9
