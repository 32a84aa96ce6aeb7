"""The instructor's HTML report: each trainee's progress as a chart, every game, the summary.

One self-contained file (inline SVG, no script, no external asset), so it can be mailed
or opened from a USB stick. Every text from a record is escaped.
"""
from __future__ import annotations

import html

from . import results

CHART_W, CHART_H, PAD = 360, 120, 24
LOW, HIGH = -200.0, 200.0  # the total's range: mean skill 0..100, discipline -100..0, outcome +-100


def progress_svg(totals: list[float], label: str) -> str:
    """A line of a trainee's totals, game after game, with the zero line drawn."""
    if not totals:
        return ""
    low, high = min(LOW, *totals), max(HIGH, *totals)

    def y(value: float) -> float:
        return round(PAD + (high - value) / (high - low) * (CHART_H - 2 * PAD), 1)

    step = (CHART_W - 2 * PAD) / max(len(totals) - 1, 1)
    points = " ".join(f"{round(PAD + i * step, 1)},{y(v)}" for i, v in enumerate(totals))
    dots = "".join(f'<circle cx="{round(PAD + i * step, 1)}" cy="{y(v)}" r="3"><title>game {i + 1}: {v:g}'
                   f'</title></circle>' for i, v in enumerate(totals))
    return (f'<svg class="progress" width="{CHART_W}" height="{CHART_H}" viewBox="0 0 {CHART_W} {CHART_H}" '
            f'role="img" aria-label="{html.escape(label, quote=True)}">'
            f'<line x1="{PAD}" x2="{CHART_W - PAD}" y1="{y(0)}" y2="{y(0)}" class="zero"/>'
            f'<polyline points="{points}" fill="none"/>{dots}</svg>')


def html_report(records: list[dict]) -> str:
    esc = html.escape
    body = ["<h1>offramp results</h1>", f"<p>{len(records)} finished games.</p>", "<h2>Progress</h2>"]
    trainees = sorted({r["trainee"] for r in records})
    for trainee in trainees:
        games = results.progress(records, trainee)
        totals = [g["scores"]["total"] for g in games]
        label = f"{trainee}: total over {len(games)} games, from {totals[0]:g} to {totals[-1]:g}"
        body.append(f"<figure><figcaption>{esc(label)}</figcaption>{progress_svg(totals, label)}</figure>")
    body.append("<h2>Games</h2><table><tr>" + "".join(f"<th>{esc(c)}</th>" for c in results.COLUMNS) + "</tr>")
    for record in records:
        row = results.row(record)
        body.append("<tr>" + "".join(f"<td class=\"{c}\">{esc(str(row[c]))}</td>" for c in results.COLUMNS) + "</tr>")
    body.append("</table><h2>By scenario</h2>")
    for scenario_id, data in results.summary(records).items():
        body.append(f"<h3>{esc(scenario_id)}</h3><p>{data['games']} games by {data['trainees']} trainees; "
                    "outcomes: " + esc(", ".join(f"{o} {n}" for o, n in data["outcomes"].items())) + "</p>")
        body.append("<table><tr><th>score</th><th>mean</th><th>sd</th><th>min</th><th>max</th></tr>")
        for key, s in data["scores"].items():
            body.append(f"<tr><td>{esc(key)}</td><td>{s['mean']:g}</td><td>{s['sd']:g}</td>"
                        f"<td>{s['min']:g}</td><td>{s['max']:g}</td></tr>")
        body.append("</table>")
        if data["missed"]:
            body.append("<p>Most missed opportunities:</p><ul>" + "".join(
                f"<li>{m['games']} games, round {esc(m['round'])}: {esc(m['text'])}</li>" for m in data["missed"])
                + "</ul>")
    style = ("body{font-family:sans-serif;max-width:70em;margin:2em auto}table{border-collapse:collapse}"
             "td,th{border:1px solid #ccc;padding:2px 6px;font-size:90%}td.choices{font-size:70%;min-width:30em}"
             "svg.progress polyline{stroke:#2a6;"
             "stroke-width:2}svg.progress circle{fill:#2a6}svg.progress .zero{stroke:#999;stroke-dasharray:4}")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>offramp results</title>\n"
            f"<style>{style}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")
