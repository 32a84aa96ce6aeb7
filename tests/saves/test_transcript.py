"""Transcripts for instructors: a sample session rendered as Markdown and HTML, checked for content and form."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from game.cli import main
from game.saves import SaveStore
from game.tools.transcript import render

from .helpers import copy_scenario, library_with, play

VOID = {"meta", "br", "hr", "img", "link", "input"}


class Document(HTMLParser):
    """Checks that every element is closed in order, and collects the text and the tags met."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.tags, self.attrs, self.text, self.errors = [], [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [name for name, _ in attrs]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)

    @classmethod
    def parse(cls, source: str) -> Document:
        doc = cls()
        doc.feed(source)
        doc.close()
        assert not doc.errors and not doc.stack, (doc.errors, doc.stack)
        return doc

    @property
    def plain(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.text))


@pytest.fixture(scope="module")
def finished(scenario):
    session = play(scenario, seed=5)
    assert session.ended
    return session


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_markdown_follows_the_session_round_by_round(finished):
    md = render(finished, "md")
    assert md.startswith(f"# Transcript: {finished.scenario.title}\n")
    headings = re.findall(r"^## (.+)$", md, flags=re.M)
    rounds = [b.text for b in finished.beats if b.kind == "round"]
    assert headings[: len(rounds)] == [f"Round {i + 1}: {t}" for i, t in enumerate(rounds)]
    ending = finished.scenario.endings[finished.ending].title
    assert headings[len(rounds):] == [f"Ending: {ending}", "Debrief"]
    position = 0
    for turn, (round_id, choice_id) in enumerate(finished.history, start=1):
        at = md.index(f"## Round {turn}: ", position)
        chosen = md.index(f"> **You chose** `{choice_id}`", at)
        assert chosen < md.index("\n## ", at + 1)  # inside its own round
        tactics_block = md[chosen: md.index("\n\n", md.index("- Tactics:", chosen))]
        for tag in finished.scenario.rounds[round_id].by_id[choice_id].tags:
            assert f"{finished.scenario.tactics[tag].name} ({tag}): " in tactics_block
        for entry in (e for e in finished.ledger if e["turn"] == turn and e["tag"]):
            assert f"{entry['points']:+g} {finished.scenario.skills[entry['skill']].title}" in tactics_block
        position = chosen
    for beat in finished.beats:
        if beat.kind == "reaction":
            assert f"**{beat.name} reacts:** {beat.text}" in md


def test_markdown_carries_the_debrief(finished):
    from game.engine.debrief import build

    md = render(finished, "md")
    debrief = md[md.index("## Debrief"):]
    report = build(finished)
    assert report["ending"]["title"] in debrief and report["ending"]["concept"]["title"] in debrief
    assert f"| Total | {finished.scores()['total']:g} |" in debrief
    for point in report["turning_points"]:
        assert f"you chose {point['choice']}: {point['why']}" in debrief
    for miss in report["missed"]:
        assert f"instead of {miss['taken']}: {miss['best']}: " in debrief
    for lesson in report["lessons"]:
        assert lesson["summary"] in debrief


def test_html_is_well_formed_self_contained_and_says_what_markdown_says(finished):
    page = render(finished, "html")
    assert page.startswith("<!DOCTYPE html>")
    doc = Document.parse(page)
    assert "style" in doc.tags and not {"script", "link", "img", "iframe"} & set(doc.tags)
    assert not {"src", "href"} & set(doc.attrs)
    plain = doc.plain
    for beat in finished.beats:
        assert _squash(beat.text) in plain
    for _, choice_id in finished.history:
        assert f"You chose {choice_id}:" in plain
    assert f"Total{finished.scores()['total']:g}" in plain.replace(" ", "")
    assert doc.tags.count("h2") == sum(b.kind in ("round", "ending") for b in finished.beats) + 1


def test_story_text_is_escaped_never_live(tmp_path):
    hostile = '<script>alert("x")</script> & <b>bold</b> "quoted"'

    def inject(data):
        start = data["start"]
        data["title"] = hostile
        data["rounds"][start]["title"] = hostile
        data["rounds"][start]["choices"][0]["text"] = hostile
    library = library_with(copy_scenario(tmp_path / "story", "hostile", inject).parent)
    session = play(library.scenarios["hostile"], steps=1)
    page = render(session, "html")
    doc = Document.parse(page)
    assert "script" not in doc.tags and "b" not in doc.tags
    assert hostile in doc.plain
    assert "<script>" not in page and "&lt;script&gt;alert(&quot;x&quot;)" in page
    md = render(session, "md")
    assert "<script>" not in md and "<b>" not in md and "&lt;script>" in md


def test_an_unfinished_session_says_so(scenario):
    session = play(scenario, steps=2)
    md = render(session, "md")
    assert f"not finished, at round '{session.round_id}'" in md
    assert "## Debrief so far (the session has not ended)" in md
    assert "## Ending" not in md
    Document.parse(render(session, "html"))


def test_an_unknown_format_is_refused(finished):
    with pytest.raises(ValueError, match="use one of md, html"):
        render(finished, "pdf")


def test_the_transcript_command_writes_both_formats(tmp_path, finished, capsys):
    store = SaveStore(tmp_path / "saves")
    store.save(finished, "class-3")
    out = tmp_path / "class-3.html"
    assert main(["transcript", "class-3", "--format", "html", "--out", str(out), "--saves-dir",
                 str(store.directory)]) == 0
    assert out.read_text(encoding="utf-8") == render(finished, "html")
    capsys.readouterr()
    saved_file = store.directory / "class-3.json"  # an instructor may pass the file a trainee sent
    assert main(["transcript", str(saved_file)]) == 0
    assert capsys.readouterr().out == render(finished, "md")


def test_the_command_offers_exactly_the_formats_the_renderer_knows():
    from game.cli.saves import TRANSCRIPT_FORMATS
    from game.tools.transcript import FORMATS

    assert TRANSCRIPT_FORMATS == FORMATS
