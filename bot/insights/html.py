"""The report as one self-contained HTML page: no scripts, no external assets, its charts as
inline SVG; one column that reads on a phone."""

from __future__ import annotations

from collections import Counter
from datetime import date
from html import escape

from bot.insights.report import (
    MAX_EXAMPLES,
    NOTHING_BEFORE,
    Report,
    draft_line,
    waiting_line,
)

LANG_COLOURS = {"kk": "#1f77b4", "ru": "#d62728", "en": "#2ca02c"}
PALETTE = ("#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#bcbd22", "#1f77b4")
UNANSWERED = "—"  # the topic label of questions not answered
OTHER_COLOUR = "#7f7f7f"


def colour(key: str, keys: list[str]) -> str:
    """A language's own colour; a topic's from the palette (not answered: grey)."""
    if key in LANG_COLOURS:
        return LANG_COLOURS[key]
    if key == UNANSWERED or key not in keys:
        return OTHER_COLOUR
    return PALETTE[keys.index(key) % len(PALETTE)]


CHART_W, CHART_H, PAD = 600, 220, 32

STYLE = """
body{font:16px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;
 color:#1b1b1b;background:#fafafa}
main{max-width:760px;margin:0 auto;padding:12px 16px 40px}
h1{font-size:1.4em;margin:.4em 0}h2{font-size:1.15em;margin:1.6em 0 .4em;
 border-bottom:2px solid #ddd;padding-bottom:.2em}
.figures{display:flex;flex-wrap:wrap;gap:8px}
.figure{background:#fff;border:1px solid #ddd;border-radius:8px;padding:8px 12px;flex:1 1 120px}
.figure b{display:block;font-size:1.5em}
ol,ul{padding-left:1.3em}li{margin:.5em 0}
.ex{color:#444;font-style:italic;display:block;overflow-wrap:anywhere}
.hint{color:#555;font-size:.9em}.tag{font-size:.8em;background:#eee;border-radius:4px;
 padding:0 4px;margin-left:4px}
svg{width:100%;height:auto;background:#fff;border:1px solid #ddd;border-radius:8px}
table{border-collapse:collapse;width:100%;font-size:.9em}td,th{border-bottom:1px solid #ddd;
 padding:4px;text-align:left}
.legend span{margin-right:12px;font-size:.9em}.legend i{display:inline-block;width:10px;
 height:10px;margin-right:4px}
"""


def _week(day: date) -> str:
    return f"{day:%d.%m}"


def stacked_bars(series: dict[date, Counter[str]], keys: list[str], title: str) -> str:
    """Questions per week as stacked bars, one colour per key (inline SVG)."""
    weeks = sorted(series)
    top = max((sum(series[w].values()) for w in weeks), default=0) or 1
    width = (CHART_W - 2 * PAD) / max(len(weeks), 1)
    parts = [
        f'<svg viewBox="0 0 {CHART_W} {CHART_H}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for n, week in enumerate(weeks):
        x, y = PAD + n * width, float(CHART_H - PAD)
        for key in keys:
            count = series[week].get(key, 0)
            if not count:
                continue
            height = (CHART_H - 2 * PAD) * count / top
            y -= height
            parts.append(
                f'<rect x="{x + 2:.1f}" y="{y:.1f}" width="{max(width - 4, 1):.1f}" '
                f'height="{height:.1f}" fill="{colour(key, keys)}">'
                f"<title>{escape(key)}: {count}</title></rect>"
            )
        parts.append(
            f'<text x="{x + width / 2:.1f}" y="{CHART_H - PAD + 16}" font-size="12" '
            f'text-anchor="middle">{_week(week)}</text>'
        )
    parts.append(f'<text x="4" y="{PAD - 10}" font-size="12">max {top}</text></svg>')
    legend = "".join(
        f'<span><i style="background:{colour(k, keys)}"></i>'
        f"{escape('not answered' if k == UNANSWERED else k)}</span>"
        for k in keys
    )
    return "".join(parts) + f'<p class="legend">{legend}</p>'


def rate_line(points: list[tuple[date, int, int]], title: str) -> str:
    """The share not answered per week, 0-100%, as a line with dots (inline SVG)."""
    usable = [(w, n / t) for w, n, t in points if t]
    step = (CHART_W - 2 * PAD) / max(len(points) - 1, 1)
    position = {w: PAD + i * step for i, (w, _, _) in enumerate(points)}
    inner = CHART_H - 2 * PAD
    coords = [(position[w], CHART_H - PAD - inner * rate) for w, rate in usable]
    parts = [
        f'<svg viewBox="0 0 {CHART_W} {CHART_H}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{PAD}" y1="{CHART_H - PAD}" x2="{CHART_W - PAD}" y2="{CHART_H - PAD}" '
        'stroke="#999"/>',
        f'<text x="4" y="{PAD - 10}" font-size="12">100%</text>',
    ]
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#d62728" stroke-width="2"/>')
    for (x, y), (week, rate) in zip(coords, usable, strict=True):
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#d62728">'
            f"<title>{_week(week)}: {100 * rate:.0f}%</title></circle>"
            f'<text x="{x:.1f}" y="{y - 8:.1f}" font-size="11" text-anchor="middle">'
            f"{100 * rate:.0f}%</text>"
        )
    for week, x in position.items():
        parts.append(
            f'<text x="{x:.1f}" y="{CHART_H - PAD + 16}" font-size="12" '
            f'text-anchor="middle">{_week(week)}</text>'
        )
    return "".join(parts) + "</svg>"


def render_html(report: Report) -> str:
    """The whole report as one HTML page."""
    e = escape
    share = f"{100 * report.unanswered / report.total:.0f}%" if report.total else "–"
    period = f"{report.since:%Y-%m-%d} – {report.until:%Y-%m-%d}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Adal: what users asked, {e(period)}</title><style>{STYLE}</style></head>",
        f'<body><main><h1>What users asked</h1><p class="hint">{e(period)}. Texts are '
        "stored with personal data removed; no Telegram ids.</p>",
        '<section id="summary"><div class="figures">',
        f'<div class="figure"><b>{report.total}</b>questions</div>',
        f'<div class="figure"><b>{report.unanswered}</b>not answered ({share})</div>',
        f'<div class="figure"><b>{sum(d.down for d in report.downvoted)}</b>votes down</div>',
        f'<div class="figure"><b>{len(report.groups)}</b>unanswered groups</div>',
        "</div></section>",
        '<section id="unanswered"><h2>Unanswered questions, grouped</h2>',
    ]
    if report.groups:
        out.append("<ol>")
        for group in report.groups:
            langs = "".join(
                f'<span class="tag">{e(lang)} {n}</span>' for lang, n in group.langs.most_common()
            )
            examples = "".join(f'<span class="ex">“{e(t)}”</span>' for t in group.examples())
            out.append(f"<li><b>×{group.count}</b>{langs} — {e(group.suggestion())}{examples}</li>")
        out.append("</ol>")
    else:
        out.append("<p>None.</p>")
    out.append('</section><section id="downvoted"><h2>Answers with the most votes down</h2>')
    if report.downvoted:
        out.append("<ul>")
        for item in report.downvoted:
            said = "".join(
                f'<span class="ex">({e(c.lang)}) {e(c.text)}</span>'
                for c in item.comments[:MAX_EXAMPLES]
            )
            out.append(f"<li><b>{e(item.entry_id)}</b>: {item.down} down, {item.up} up{said}</li>")
        out.append("</ul>")
    else:
        out.append("<p>None.</p>")
    out.append('</section><section id="confused"><h2>Entries people confuse</h2>')
    if report.confusions:
        out.append("<table><tr><th>offered</th><th>chosen</th><th>times</th></tr>")
        for offered, chosen, count in report.confusions:
            out.append(
                f"<tr><td>{e(' / '.join(offered))}</td><td>{e(chosen or '—')}</td>"
                f"<td>{count}</td></tr>"
            )
        out.append("</table>")
    else:
        out.append("<p>No clarifying questions in this period.</p>")
    by_lang = report.per_week("lang")
    topics = report.per_week("topic")
    topic_keys = sorted({t for c in topics.values() for t in c})
    out += [
        '</section><section id="volume"><h2>Questions per week</h2>',
        "<h3>By language</h3>",
        stacked_bars(by_lang, ["kk", "ru", "en"], "Questions per week by language"),
        "<h3>By topic</h3>",
        stacked_bars(topics, topic_keys, "Questions per week by topic"),
        '</section><section id="abstention"><h2>Not answered, per week</h2>',
        rate_line(report.abstention(), "Share of questions not answered per week"),
        '</section><section id="rising"><h2>Becoming more frequent</h2>',
    ]
    rising = report.rising()
    if rising:
        out.append("<ul>")
        out += [
            f"<li>{e(r.label)}: {r.this_week} in the last 7 days "
            f"(before: {r.weekly_before} a week)</li>"
            for r in rising
        ]
        out.append("</ul>")
    elif report.before_recent():
        out.append("<p>Nothing is rising.</p>")
    else:
        out.append(f"<p>Nothing is rising: {NOTHING_BEFORE}.</p>")
    out.append('</section><section id="waiting"><h2>Questions waiting for an expert</h2>')
    out.append(
        _items(
            [
                f'{e(waiting_line(c, report.until))}<span class="ex">“{e(c.text)}”</span>'
                for c in report.waiting
            ],
            "None.",
        )
    )
    out.append('</section><section id="drafts"><h2>Drafts for the base</h2>')
    out.append(
        _items(
            [f'{e(draft_line(d))}<span class="ex">“{e(d.question)}”</span>' for d in report.drafts],
            "None.",
        )
    )
    out.append("</section></main></body></html>")
    return "\n".join(out)


def _items(items: list[str], empty: str) -> str:
    """``items`` (HTML) as a list, or the paragraph ``empty`` when there are none."""
    if not items:
        return f"<p>{empty}</p>"
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
