"""Issue 12: the authored order of choices is no answer key. Each session shows a round's
choices in an order drawn from its seed; snapshots keep it, replays by id are unchanged."""
from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import pytest

from game.engine import Session, SnapshotError
from game.engine.session import display_order


def shown(session) -> list[str]:
    return [c.id for c in session.choices()]


def test_the_order_differs_between_seeds_and_repeats_for_a_seed(bundled):
    scenario = bundled.scenarios["tutorial"]
    orders = {tuple(shown(Session(scenario, seed))) for seed in range(1, 21)}
    assert len(orders) > 1
    assert all(sorted(o) == sorted(scenario.rounds[scenario.start].by_id) for o in orders)
    assert shown(Session(scenario, 5)) == shown(Session(scenario, 5))


def test_the_first_authored_choice_is_not_always_shown_first(bundled):
    scenario = bundled.scenarios["tutorial"]
    authored_first = scenario.rounds[scenario.start].choices[0].id
    firsts = [shown(Session(scenario, seed))[0] for seed in range(1, 31)]
    assert 0 < firsts.count(authored_first) < len(firsts)


def test_a_restored_snapshot_keeps_the_order_and_replays_by_id_are_unchanged(bundled):
    scenario = bundled.scenarios["ceasefire-table"]
    session = Session(scenario, 11)
    for _ in range(3):
        session.choose(session.choices()[-1].id)
    data = session.snapshot()
    assert data["display_order"] and shown(Session.restore(scenario, data)) == shown(session)
    replayed = Session.replay(scenario, 11, [c for _, c in session.history])
    assert shown(replayed) == shown(session) and replayed.scores() == session.scores()


def test_a_snapshot_whose_order_does_not_fit_the_round_is_refused(bundled):
    scenario = bundled.scenarios["tutorial"]
    data = Session(scenario, 3).snapshot()
    data["display_order"] = data["display_order"][:-1] + ["no-such-choice"]
    with pytest.raises(SnapshotError, match="display order"):
        Session.restore(scenario, data)



def test_every_order_of_a_round_is_about_equally_likely():
    """A biased shuffle (swapping with any index, say) would favour some orders: the position
    of a choice would then say something."""
    round_ = SimpleNamespace(id="opening", choices=[SimpleNamespace(id=i) for i in "abcd"])
    orders = Counter(display_order(seed, 1, round_) for seed in range(24_000))
    assert len(orders) == 24  # every permutation of four choices occurs
    assert all(850 < n < 1150 for n in orders.values()), orders  # 1000 expected, sd about 31
    wide = SimpleNamespace(id="wide", choices=[SimpleNamespace(id=str(i)) for i in range(40)])
    lasts = Counter(display_order(seed, 2, wide)[-1] for seed in range(8_000))
    assert len(lasts) == 40 and max(lasts.values()) < 320  # 200 expected per choice, sd about 14
