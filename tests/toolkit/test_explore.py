"""offramp explore: it proves healthy scenarios and finds what is wrong with broken ones."""
from __future__ import annotations

import json
import random

import pytest

from game.engine import Session
from game.engine import session as session_module
from game.tools import explore as ex
from game.tools import odds

from .helpers import BROKEN, HEALTHY, bundled, lab, offramp

# small budgets keep the suite fast; the benchmark runs the defaults
BUDGET = {"max_states": 400, "samples": 1200}  # the warned signing rooms need more samples to be met


def _policies(library):
    return [library.policies[k] for k in sorted(library.policies)]


@pytest.mark.parametrize("scenario_id", sorted(bundled().scenarios))
def test_every_bundled_scenario_is_fully_covered(scenario_id):
    library = bundled()
    report = ex.explore(library.scenarios[scenario_id], policies=_policies(library), **BUDGET)
    assert report["coverage"] == {"rounds": 100.0, "choices": 100.0, "endings": 100.0}, report["unreached"]
    assert report["dead_ends"] == [] and report["cycles"] == [] and report["failures"] == []
    assert not ex.has_problems(report)
    for ending in report["endings"].values():
        assert ending["total"]["min"] <= ending["total"]["max"]
    assert report["best"]["total"] >= report["worst"]["total"]


def test_unreachable_round_choice_and_ending_are_found():
    report = ex.explore(lab().scenarios["broken-unreachable"])
    assert report["exhaustive"]
    assert report["unreached"] == {"rounds": ["back-channel"],
                                   "choices": ["opening/open-back-channel", "back-channel/whisper-terms"],
                                   "endings": ["secret-deal"]}
    assert report["endings"]["secret-deal"] == {"outcome": "durable_settlement", "reached": False, "total": None}
    assert report["coverage"]["rounds"] == 50.0 and ex.has_problems(report)


def test_dead_end_is_found_with_the_path_into_it():
    report = ex.explore(lab().scenarios["broken-dead-end"])
    assert report["exhaustive"]
    assert [(d["round"], d["choices"]) for d in report["dead_ends"]] == [("stalled", ["stall", "wait-it-out"])]
    assert report["cycles"] == []


def test_loop_that_never_progresses_is_found():
    report = ex.explore(lab().scenarios["broken-loop"])
    assert report["exhaustive"]
    assert [c["rounds"] for c in report["cycles"]] == [["anteroom", "corridor"]]
    assert report["cycles"][0]["entered_by"] == ["take-a-walk"]
    assert report["dead_ends"] == []


def test_a_loop_with_a_way_out_is_not_reported():
    report = ex.explore(lab().scenarios["waiting-room"])
    assert report["exhaustive"] and not ex.has_problems(report)
    # the way out opens once pressure reaches 40: five waits from 30 at +2 each
    best = report["best"]["choices"]
    assert best[-1] == "sign-at-last" and best[:-1] == ["wait-longer"] * len(best[:-1]) and len(best) >= 6


def test_turn_joins_the_state_only_when_an_expression_reads_it():
    library = lab()
    assert "turn" not in ex.StateKey(library.scenarios["broken-loop"]).names
    scenario = library.scenarios["waiting-room"]
    twin = Session(scenario, 0)
    twin.choose("wait-longer")
    key = ex.StateKey(scenario)
    assert key(twin) != key(Session(scenario, 0))  # contagion moved; turn is not needed for that


def test_enumerating_dice_visits_every_combination_once_with_probabilities_summing_to_one():
    def run(dice):
        certain = (dice.chance(0), dice.chance(1), dice.pick([5.0]))
        return certain, dice.chance(0.3), dice.pick([1.0, 2.0, 3.0])

    results = list(ex.every_outcome(run))
    assert sorted(r[0][1:] for r in results) == sorted((hit, i) for hit in (True, False) for i in range(3))
    assert all(r[0][0] == (False, True, 0) for r in results)  # certain outcomes never branch
    assert sum(p for _, _, p in results) == pytest.approx(1.0)
    assert dict(((hit, i), p) for (_, hit, i), _, p in results)[(True, 2)] == pytest.approx(0.3 * 3 / 6)


@pytest.mark.parametrize("scenario_id", ["tutorial", "ceasefire-table"])
def test_whatever_the_seeded_dice_does_is_among_the_enumerated_outcomes(scenario_id):
    scenario = bundled().scenarios[scenario_id]
    key = ex.StateKey(scenario)
    rng = random.Random(5)
    for seed in range(12):
        session = Session(scenario, seed)
        starts = {key(s) for s, _, _ in ex.every_outcome(lambda d, seed=seed: Session(scenario, seed, dice=d))}
        assert key(session) in starts
        while not session.ended:
            choice = rng.choice(session.choices()).id
            reachable = {key(s) for s, _, _ in ex.every_outcome(ex._step(session, choice))}
            session.choose(choice)
            assert key(session) in reachable


def test_over_budget_it_says_so_and_samples():
    report = ex.explore(bundled().scenarios["tutorial"], max_states=50, samples=30)
    assert not report["exhaustive"] and report["states"] >= 50
    assert report["sampled"]["runs"] == 30
    from game.cli.toolkit import explore_text
    assert "NOT EXHAUSTIVE" in explore_text(report) and "Not proven" in explore_text(report)


def test_random_runs_prefer_the_least_used_choice_and_count_hits():
    scenario = bundled().scenarios["tutorial"]
    report = ex.random_runs(scenario, 90, seed=3)
    first = report["choices"][scenario.start]
    assert sum(first.values()) == 90 and max(first.values()) - min(first.values()) <= 1
    assert sum(report["endings"].values()) == 90 and report["failures"] == []
    assert report["coverage"]["rounds"] == 100.0


def test_a_failing_random_run_prints_the_seed_and_choices_that_reproduce_it():
    report = ex.random_runs(lab().scenarios["broken-dead-end"], 6, seed=10)
    stuck = [f for f in report["failures"] if f["choices"] == ["stall", "wait-it-out"]]
    assert stuck and "dead end" in stuck[0]["error"]
    command = ex.reproduce("broken-dead-end", stuck[0])
    assert command == f"offramp run broken-dead-end --seed {stuck[0]['seed']} --choose stall --choose wait-it-out"
    looping = ex.random_runs(lab().scenarios["broken-loop"], 4, seed=0, step_cap=30)
    assert any("no ending after 30" in f["error"] for f in looping["failures"])


def test_cli_exit_codes_and_json():
    broken = offramp("explore", "broken-loop", "--story", BROKEN, "--json")
    assert broken.returncode == 1, broken.stderr
    assert json.loads(broken.stdout)["cycles"][0]["rounds"] == ["anteroom", "corridor"]
    healthy = offramp("explore", "waiting-room", "--story", BROKEN, "--story", HEALTHY)
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    assert "OK: every round, choice and ending is reachable" in healthy.stdout
    randomly = offramp("explore", "broken-dead-end", "--story", BROKEN, "--random", "5", "--seed", "1")
    assert randomly.returncode == 1 and "reproduce: offramp run broken-dead-end --seed" in randomly.stdout
    missing = offramp("explore", "no-such-scenario")
    assert missing.returncode == 1 and "Traceback" not in missing.stderr


def test_a_story_error_while_playing_is_reported_with_its_path():
    report = ex.explore(lab().scenarios["broken-division"])
    assert [f["choices"] for f in report["failures"]] == [["divide"]]
    assert "division by zero" in report["failures"][0]["error"] and ex.has_problems(report)
    result = offramp("explore", "broken-division", "--story", BROKEN)
    assert result.returncode == 1 and "reproduce: offramp run broken-division --choose divide" in result.stdout


def test_reported_paths_replay_to_what_was_reported():
    scenario = bundled().scenarios["tutorial"]
    search = ex.Explorer(scenario, 400).run()
    ends = [i for i, n in enumerate(search.nodes) if n.ending is not None]
    assert ends
    for ident in ends[:25]:
        found = search.describe(ident)
        dice = ex.EnumeratingDice([o for step in found["rolls"] for o in step])
        session = Session(scenario, 0, dice=dice)
        for choice in found["choices"]:
            session.choose(choice)
        assert (session.ending, session.scores()["total"]) == (found["ending"], found["total"])
    report = ex.explore(scenario, max_states=100, samples=40)
    assert "seed" in report["best"] or "seed" in report["worst"]
    for found in (report["best"], report["worst"]):
        if "seed" in found:  # from the seeded search or a sampled run: `offramp run --seed` replays it
            session = Session.replay(scenario, found["seed"], found["choices"])
            assert (session.ending, session.scores()["total"]) == (found["ending"], found["total"])


def test_a_deadline_stops_the_search_and_the_runs_and_the_report_says_so():
    import time

    from game.cli.toolkit import explore_text

    scenario = bundled().scenarios["tutorial"]
    search = ex.Explorer(scenario, deadline=time.monotonic()).run()
    assert search.out_of_time and not search.exhaustive
    assert not any(n.expanded for n in search.nodes) and len(search.sessions) == len(search.nodes)
    report = ex.explore(scenario, samples=1000, deadline=time.monotonic())
    assert report["out_of_time"] and not report["exhaustive"]
    assert report["sampled"]["runs"] == 100 and report["sampled"]["asked"] == 1000  # the first chunk always runs
    text = explore_text(report)
    assert "the time ran out (--max-seconds)" in text and "100 sampled runs (of 1000 asked" in text


def test_cli_time_and_run_options():
    for bad in (("--max-seconds", "0"), ("--odds-runs", "0")):
        result = offramp("explore", "tutorial", *bad)
        assert result.returncode == 2 and bad[0] in result.stderr and "Traceback" not in result.stderr
    small = offramp("explore", "waiting-room", "--story", BROKEN, "--story", HEALTHY, "--json", "--max-seconds", "30")
    assert small.returncode == 0 and json.loads(small.stdout)["odds"]["exact"]
    large = offramp("explore", "tutorial", "--json", "--max-seconds", "20", "--max-states", "30", "--samples", "20",
                    "--odds-runs", "50")
    report = json.loads(large.stdout)
    assert report["sampled"]["runs"] == 20 and not report["odds"]["exact"] and report["odds"]["runs"] == 50
    from game.cli.toolkit import odds_text

    text = "\n".join(odds_text(report["odds"], "tutorial"))
    assert "NOT EXACT" in text and "50 seeded runs" in text and "--odds-runs 50" in text
    assert "best and worst strategies: they need the exact answer" in text and "autoplay tutorial" in text


def test_the_search_keeps_apart_states_whose_personas_moved_differently():
    scenario = bundled().scenarios["ceasefire-table"]
    key = ex.StateKey(scenario)
    actor = next(a for a in scenario.actors if len(a.moves) > 1)
    session = Session(scenario, 0, narrate=False)
    once, twice, last = session.fork(), session.fork(), session.fork()
    once.state.move_counts[actor.moves[0].id] += 1
    twice.state.move_counts[actor.moves[0].id] += 2
    last.state.move_counts[actor.moves[0].id] += 1
    last.state.last_moves[actor.id] = actor.moves[0].id
    assert len({key(session), key(once), key(twice), key(last)}) == 4


def test_without_max_seconds_the_time_never_cuts_the_search_or_the_sampled_runs(monkeypatch, capsys):
    """A process that looks 1,000 s old has no default time left: the verdicts still come from every
    run asked for (the same on any machine), and only the odds are squeezed into their minimum."""
    from game.cli import main, toolkit

    monkeypatch.setattr(toolkit, "_running_for", lambda: 1000.0)
    status = main(["explore", "tutorial", "--json", "--quiet", "--max-states", "30", "--samples", "20", "--jobs", "1"])
    report = json.loads(capsys.readouterr().out)
    assert report["sampled"]["runs"] == report["sampled"]["asked"] == 20 and not report["out_of_time"]
    assert report["odds"]["runs"] >= 1 and status in (0, 1)


def test_the_batched_signature_is_what_holds_says_one_by_one(tmp_path):
    """The search weighs states with its predicates in one batch; where one fails the answer must
    still be None for that predicate, as ``Session.holds`` says, and the rest unchanged."""
    text = (BROKEN / "division.yaml").read_text(encoding="utf-8").replace("id: broken-division", "id: failing-if")
    (tmp_path / "failing.yaml").write_text(
        text.replace("      - id: sign-now\n", "      - id: sign-now\n        if: '10 / (escalation - 1) > 2'\n"),
        encoding="utf-8")
    from game.engine import load_library
    from game.paths import story_paths

    failing = load_library(story_paths([tmp_path, BROKEN])).scenarios["failing-if"]
    signature = ex.Signature(failing)
    start = Session(failing, 0)
    assert None in signature(start) and signature(start) == tuple(start.holds(p) for p in signature.predicates)
    rng = random.Random(3)
    for scenario in bundled().scenarios.values():
        signature = ex.Signature(scenario)
        session = Session(scenario, 1, narrate=False)
        while not session.ended:
            assert signature(session) == tuple(session.holds(p) for p in signature.predicates)
            session.choose(rng.choice(session.choices()).id)


class _OneQueue(ex.Explorer):
    """The order of expansion as first written: every open state's priority worked out afresh."""

    def _next(self):
        for ident in self.sessions:
            if self.nodes[ident].signature is None:
                self.nodes[ident].signature = self.signature(self.sessions[ident])
        ranked = [(self._seen(self.nodes[i]), self.round_visits[self.nodes[i].round], i) for i in self.sessions]
        return min(ranked, default=None)


@pytest.mark.parametrize(("scenario_id", "every_roll", "states"), [("tutorial", True, 700), ("tutorial", False, 1500),
                                                                   ("ceasefire-table", True, 1500)])
def test_the_queues_per_round_expand_the_states_a_single_ranking_would(scenario_id, every_roll, states):
    scenario = bundled().scenarios[scenario_id]
    fast = ex.Explorer(scenario, states, every_roll=every_roll).run()
    plain = _OneQueue(scenario, states, every_roll=every_roll).run()
    assert sum(n.expanded for n in fast.nodes) > 5
    assert [(n.parent, n.choice, n.rolls, n.expanded) for n in fast.nodes] == \
        [(n.parent, n.choice, n.rolls, n.expanded) for n in plain.nodes]


def test_two_processes_give_the_report_of_one():
    """With --jobs 2 the seeded search runs in a process of its own beside the full search."""
    library = bundled()
    scenario = library.scenarios["tutorial"]
    one = ex.explore(scenario, max_states=150, samples=200, policies=_policies(library), jobs=1)
    two = ex.explore(scenario, max_states=150, samples=200, policies=_policies(library), jobs=2)
    assert not one["exhaustive"] and one["seeded_states"] > 0
    assert json.dumps(one) == json.dumps(two)


def test_the_seeded_search_rolls_what_the_session_itself_would():
    """Its steps rebuild the dice from seed and draws: the same rolls as a deep copy of the dice."""
    scenario = bundled().scenarios["ceasefire-table"]
    key = ex.StateKey(scenario)
    rng = random.Random(11)
    rolled = 0
    for seed in range(6):
        session = Session(scenario, seed, narrate=False)
        while not session.ended:
            for choice in session.choices():
                twin = session.fork()
                twin.choose(choice.id)
                stepped = ex._step(session, choice.id)(None)
                assert key(stepped) == key(twin) and stepped.state.dice.draws == twin.state.dice.draws
                rolled += twin.state.dice.draws > session.state.dice.draws
            session.choose(rng.choice(session.choices()).id)
    assert rolled > 20


def test_the_report_does_not_depend_on_how_the_choices_are_shown(monkeypatch):
    """The explorer plays and counts the open choices in the author's order: a menu shuffled
    otherwise finds the same states, runs the same samples and gives the same verdict."""
    library = bundled()
    scenario = library.scenarios["ceasefire-table"]

    def report():
        found = ex.explore(scenario, max_states=300, samples=60, policies=_policies(library))
        found["uniform play"] = [odds.uniform_play(scenario, seed) for seed in range(200)]  # the odds' samples
        return json.dumps(found)

    shown = report()
    monkeypatch.setattr(session_module, "display_order",
                        lambda seed, turn, round_: tuple(reversed([c.id for c in round_.choices])))
    authored = [c.id for c in scenario.rounds[scenario.start].choices]
    assert Session(scenario, 0).display_order == tuple(reversed(authored))  # the patch is in force
    assert report() == shown


def test_a_guided_run_plays_a_choice_never_played_before_following_its_policy(monkeypatch):
    """Policy-guided samples reach the rounds that need skilful play; there, a choice no run of the
    chunk has played goes first, so such a round's choices are all tried once it is reached."""
    monkeypatch.setattr(ex, "DETOUR", 0.0)  # no random detours: only the rule under test
    library = bundled()
    scenario = library.scenarios["tutorial"]
    doctrine = library.policies["doctrine"]
    part = ex._random_chunk(scenario, 0, ex.STEP_CAP, (doctrine,), range(1, 61, 2))  # odd seeds: all guided
    assert part["failures"] == []
    for round_id, counts in part["hits"].items():
        reached = sum(counts.values())
        if reached >= len(scenario.rounds[round_id].choices):
            assert all(counts[c.id] for c in scenario.rounds[round_id].choices), (round_id, counts)
