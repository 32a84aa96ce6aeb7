"""has('tag') means "the choice being made carries this tactic" everywhere that choice leads:
its scoring rules and reactions, and also the route, trigger and ending score it reaches. An
author's route on has() used to read an empty move and never match."""
from __future__ import annotations

import shutil

from game.engine import Session, load_library
from game.paths import story_paths

from .helpers import FIXTURES

RAPPORT = ("label", "mirror", "ask-how", "summarise")


def _lab_with(tmp_path, old: str, new: str):
    folder = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, folder)
    lab = folder / "lab.yaml"
    text = lab.read_text()
    assert old in text
    lab.write_text(text.replace(old, new))
    library = load_library(story_paths([folder]))
    assert not [str(d) for d in library.diagnostics]
    return library.scenarios["lab"]


def test_a_route_reads_the_tags_of_the_choice_that_takes_it(tmp_path):
    lab = _lab_with(tmp_path, '    - {if: "conceded_indivisible > 0", goto: capitulated}\n',
                    '    - {if: "has(\'offramp.phased_step\')", goto: capitulated}\n'
                    '    - {if: "conceded_indivisible > 0", goto: capitulated}\n')
    assert Session.replay(lab, 1, [*RAPPORT, "sign-phased"]).ending == "capitulated"
    assert Session.replay(lab, 1, [*RAPPORT, "sign"]).ending != "capitulated"


def test_an_ending_score_reads_the_tags_of_the_move_that_ended_the_game(tmp_path):
    lab = _lab_with(tmp_path, '      - {if: "feinting", points: 25, why: The talks were a feint.}\n',
                    '      - {if: "has(\'walk_away\')", points: 7, why: You chose to leave.}\n'
                    '      - {if: "feinting", points: 25, why: The talks were a feint.}\n')
    ledger = Session.replay(lab, 1, ["walk-out"]).ledger
    assert [e["points"] for e in ledger if e["skill"] == "outcome" and e["why"] == "You chose to leave."] == [7]
