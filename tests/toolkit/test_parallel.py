"""--jobs N plays on several processes and prints exactly what one process prints."""
from __future__ import annotations

import math

import pytest

from game.tools import odds, parallel

from .helpers import bundled, offramp


@pytest.mark.parametrize("command", [
    ("autoplay", "ceasefire-table", "--policy", "random", "--seeds", "1-250"),
    ("explore", "tutorial", "--random", "250", "--seed", "3"),
])
def test_two_processes_print_the_same_json_as_one(command):
    one = offramp(*command, "--json", "--quiet", "--jobs", "1")
    two = offramp(*command, "--json", "--quiet", "--jobs", "2")
    assert one.returncode == two.returncode == 0, one.stderr + two.stderr
    assert len(one.stdout) > 1000 and one.stdout == two.stdout


def test_monte_carlo_estimates_do_not_depend_on_the_number_of_processes():
    scenario = bundled().scenarios["ceasefire-table"]
    one = odds.sampled(scenario, 250, 7, deadline=math.inf, jobs=1)
    two = odds.sampled(scenario, 250, 7, deadline=math.inf, jobs=2)
    assert one == two and one["runs"] == 250
    assert math.isclose(sum(e["p"] for e in one["uniform"].values()), 1.0)


def test_chunks_are_fixed_ranges_of_seeds_whatever_the_count():
    assert parallel.chunks(5, 250, 100) == [range(5, 105), range(105, 205), range(205, 255)]
    assert parallel.chunks(0, 0, 100) == []


def test_a_bad_jobs_count_is_a_usage_error():
    result = offramp("autoplay", "tutorial", "--policy", "random", "--jobs", "0")
    assert result.returncode == 2 and "--jobs takes a number of processes of at least 1" in result.stderr


def test_no_chunk_starts_that_would_end_after_the_deadline(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(parallel.time, "monotonic", lambda: clock[0])

    def play(chunk):  # each chunk takes one second of the fake clock
        clock[0] += 1.0
        return list(chunk)

    played = list(parallel.run_chunks(play, (), parallel.chunks(0, 50, 10), jobs=1, deadline=2.5))
    assert played == [list(range(0, 10)), list(range(10, 20))]  # a third would end at 3.0
    clock[0] = 0.0
    assert len(list(parallel.run_chunks(play, (), parallel.chunks(0, 50, 10), jobs=1, deadline=0.0))) == 1
    assert len(list(parallel.run_chunks(play, (), parallel.chunks(0, 50, 10), jobs=1))) == 5


def _fails(message):
    raise ValueError(message)


def test_work_in_the_background_answers_re_raises_and_can_be_stopped():
    import multiprocessing
    import time

    assert parallel.Background(sorted, ([3, 1, 2],)).result() == [1, 2, 3]
    with pytest.raises(ValueError, match="no such move"):
        parallel.Background(_fails, ("no such move",)).result()
    here = []
    later = parallel.Background(here.append, ("ran here",), fork=False)
    assert here == [] and later.result() is None and here == ["ran here"]
    stopped = parallel.Background(time.sleep, (600,))
    stopped.cancel()
    assert multiprocessing.active_children() == []
