"""The fuzzing budget: 100 examples per target in CI, derandomized so every CI run tries the same
inputs; OFFRAMP_FUZZ_EXAMPLES=N runs N random examples per target instead (the longer run)."""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

LONG_RUN = "OFFRAMP_FUZZ_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("OFFRAMP_FUZZ_EXAMPLES", "100"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # no wall-clock bound in tests: speed is measured in benchmarks/
    derandomize=not LONG_RUN,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
