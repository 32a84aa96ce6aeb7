"""A whole session written out for an instructor, as Markdown or as one HTML file.

``game.engine.presentation`` turns the session into neutral blocks (the narrative
with each move's tactics and points, then the debrief's sections, the same ones the
game screens show); each format here only decides how a block looks.
"""
from __future__ import annotations

import html

from ..engine.blocks import Block, Section
from ..engine.presentation import annotated_narrative, debrief

FORMATS = ("md", "html")


def render(session, fmt: str) -> str:
    """The transcript of ``session`` as Markdown (``md``) or self-contained HTML (``html``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown transcript format {fmt!r}; use one of {', '.join(FORMATS)}")
    blocks = _header(session) + annotated_narrative(session)
    blocks.append(Block("heading", "Debrief" if session.ended else "Debrief so far (the session has not ended)",
                        style="debrief"))
    sections = debrief(session)
    return (_markdown(blocks, sections) if fmt == "md"
            else _html(blocks, sections, session.scenario.title))


def _header(session) -> list[Block]:
    scenario = session.scenario
    if session.ended:
        status = f"ended: {scenario.endings[session.ending].title} ({scenario.outcomes[session.outcome].title})"
    else:
        status = f"not finished, at round {session.round_id!r} ({session.round.title})"
    return [Block("heading", f"Transcript: {scenario.title}", style="title"),
            Block("meta", items=(("Scenario", f"{scenario.id} (version {scenario.content_hash})"),
                                 ("Seed", str(session.seed)), ("Choices made", str(len(session.history))),
                                 ("Result", status)))]


def _heading_text(block: Block) -> str:
    return f"{block.who}: {block.text}" if block.who else block.text


def _item_text(item) -> str:
    text = f"{item.head}: {item.text}" if item.head else item.text
    return f"{text} ({item.note})" if item.note else text


# -- Markdown --

def _md_text(text: str) -> str:
    """Prose as Markdown: '<' is escaped so story text can never become live HTML."""
    return text.replace("&", "&amp;").replace("<", "&lt;")


def _md_cell(text: str) -> str:
    return _md_text(text).replace("|", "\\|").replace("\n", " ")


def _md_block(block: Block) -> str:
    kind = block.kind
    if kind == "heading":
        return f"{'#' if block.style == 'title' else '##'} {_md_text(_heading_text(block))}"
    if kind == "meta":
        return "\n".join(f"- **{k}:** {_md_text(v)}" for k, v in block.items)
    if kind == "para":
        text = _md_text(block.text)
        return f"*{text.strip()}*" if block.style in ("event", "concept") else text
    if kind == "speech":
        return f"**{_md_text(block.who)}:** {_md_text(block.text)}"
    if kind == "choice":
        tactics = "\n".join(f"  - {_md_text(t)}" for t in block.items)
        said = _md_text(block.text).replace("\n", "\n> ")
        return f"> **You chose** `{block.who}`: {said}\n\n- Tactics:\n{tactics}"
    if kind == "list":
        caption = f"**{_md_text(block.text)}**\n\n" if block.text else ""
        return caption + "\n".join(f"- {_md_text(_item_text(i))}" for i in block.items)
    if kind == "bars":
        rows = "\n".join(f"| {_md_cell(b.label)} | {b.value:g} |" for b in block.items)
        return f"| Score | Points |\n|---|---|\n{rows}"
    if kind == "series":
        rows = "\n".join(f"| {_md_cell(s.label)} | {' > '.join(f'{v:g}' for v in s.values)} |"
                         for s in block.items)
        return f"| Value | Start, then after each choice |\n|---|---|\n{rows}"
    return _md_text(block.text)


def _markdown(blocks: list[Block], sections: list[Section]) -> str:
    out = [_md_block(b) for b in blocks]
    for section in sections:
        out.append(f"### {_md_text(section.title)}")
        out += [_md_block(b) for b in section.blocks]
    return "\n\n".join(out) + "\n"


# -- HTML --

CSS = """
body { font: 16px/1.55 Georgia, "Times New Roman", serif; color: #1d232b; background: #fbfaf7;
       max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1, h2, h3 { font-family: "Helvetica Neue", Arial, sans-serif; line-height: 1.25; }
h2 { border-bottom: 1px solid #d8d3c8; padding-bottom: .2rem; margin-top: 2.2rem; }
h2.ending { color: #7a2e12; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; }
p.event { font-style: italic; color: #5a4a2a; }
.speech { margin: .6rem 0; }
.speech .who { font-weight: bold; }
.speech.reaction { border-left: 3px solid #a8552c; padding-left: .7rem; }
.speech.move { border-left: 3px solid #55657a; padding-left: .7rem; }
.choice { background: #eef3f8; border: 1px solid #c4d3e3; border-radius: 4px; padding: .6rem .9rem; margin: 1rem 0; }
.choice code { font-size: .9em; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .3rem; }
.notes h4 { font-size: 1rem; margin-bottom: .3rem; }
p.concept, em.note { color: #5a4a2a; }
.notes ul { margin-top: .2rem; }
table { border-collapse: collapse; }
th, td { border: 1px solid #d8d3c8; padding: .25rem .6rem; text-align: left; vertical-align: top; }
@media print { body { background: #fff; } }
"""


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _paragraphs(text: str, css: str = "") -> str:
    attr = f' class="{_esc(css)}"' if css else ""
    parts = [p.strip() for p in text.split("\n\n") if p.strip()] or [""]
    return "\n".join(f"<p{attr}>{_esc(p)}</p>" for p in parts)


def _html_block(block: Block) -> str:
    kind = block.kind
    if kind == "heading":
        tag = "h1" if block.style == "title" else "h2"
        css = f' class="{_esc(block.style)}"' if block.style in ("ending", "debrief") else ""
        return f"<{tag}{css}>{_esc(_heading_text(block))}</{tag}>"
    if kind == "meta":
        return '<dl class="meta">' + "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in block.items) + "</dl>"
    if kind == "para":
        return _paragraphs(block.text, block.style)
    if kind == "speech":
        return (f'<div class="speech {_esc(block.style)}"><span class="who">{_esc(block.who)}:</span> '
                f"{_esc(block.text)}</div>")
    if kind == "choice":
        tactics = "".join(f"<li>{_esc(t)}</li>" for t in block.items)
        return (f'<div class="choice"><p><strong>You chose</strong> <code>{_esc(block.who)}</code>: '
                f"{_esc(block.text)}</p><ul class=\"tactics\">{tactics}</ul></div>")
    if kind == "list":
        caption = f"<h4>{_esc(block.text)}</h4>" if block.text else ""
        items = "".join(f"<li>{_html_item(i)}</li>" for i in block.items)
        return f'<div class="notes">{caption}<ul>{items}</ul></div>'
    if kind == "bars":
        rows = "".join(f"<tr><td>{_esc(b.label)}</td><td>{b.value:g}</td></tr>" for b in block.items)
        return f"<table><thead><tr><th>Score</th><th>Points</th></tr></thead><tbody>{rows}</tbody></table>"
    if kind == "series":
        rows = "".join(f"<tr><td>{_esc(s.label)}</td><td>{' &gt; '.join(f'{v:g}' for v in s.values)}</td></tr>"
                       for s in block.items)
        return ("<table><thead><tr><th>Value</th><th>Start, then after each choice</th></tr></thead>"
                f"<tbody>{rows}</tbody></table>")
    return _paragraphs(block.text)


def _html_item(item) -> str:
    head = f"<strong>{_esc(item.head)}</strong>: " if item.head else ""
    note = f' <em class="note">({_esc(item.note)})</em>' if item.note else ""
    return f"{head}{_esc(item.text)}{note}"


def _html(blocks: list[Block], sections: list[Section], title: str) -> str:
    body = [_html_block(b) for b in blocks]
    for section in sections:
        body.append(f'<section class="debrief-section" id="{_esc(section.id)}"><h3>{_esc(section.title)}</h3>')
        body += [_html_block(b) for b in section.blocks]
        body.append("</section>")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>Transcript: {_esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")
