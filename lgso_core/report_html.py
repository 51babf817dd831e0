"""An ``AuditReport`` -> one self-contained HTML file: summary, table, chart, letters.

Everything is inline (style, script, SVG) and a Content-Security-Policy allows nothing
else: no request leaves the page, and the one script runs only because its hash is listed,
so no script or markup a letter carries can run. All letter text is escaped besides.

The chart is drawn here as inline SVG rather than with a plotting library: it is a row of
marks per letter on one 0-100% axis, a few lines of SVG, and a library that writes static
SVG (matplotlib) would add a heavy dependency and its own fonts for that.

The working beside each figure (arithmetic, distance from the average, rank) and the
figure lines are the text report's (``present.figure_notes``, ``present.stat_line``).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections import Counter
from functools import cache
from html import escape
from importlib import metadata, resources

from .codes import finding_codes
from .figures import decimal_places, rate_basis, rate_test
from .headline import headline
from .models import LEADING_CODES, AuditReport, Deviation, Finding, LetterAudit
from .outliers import ALPHA, EXTREME_Z
from .present import (
    STAT_KEYS,
    figure_notes,
    number,
    percent,
    placed_findings,
    stat_line,
    summary,
)

DEVIATION_CODES = {
    "unique": "unique-paragraph",
    "changed": "changed-paragraph",
    "missing": "missing-paragraph",
}
"""The finding each deviation raises; the paragraph itself stands for it in a letter's section."""


def e(value) -> str:
    """Text for HTML: every '&', '<', '>', '"' and "'" escaped."""
    return escape("" if value is None else str(value), quote=True)


@cache
def _asset(name: str) -> str:
    return (resources.files("lgso_core") / "data" / name).read_text("utf-8")


def _sha256(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode()


def _version() -> str:
    try:
        return metadata.version("lgso-audit")
    except metadata.PackageNotFoundError:
        return "unknown"


def render_html(report: AuditReport, *, made: dt.datetime | None = None) -> str:
    """The whole report as one HTML document."""
    made = made or dt.datetime.now(dt.UTC)
    style, script = _asset("report.css"), _asset("report.js")
    policy = (f"default-src 'none'; style-src '{_sha256(style)}'; script-src '{_sha256(script)}'; "
              "base-uri 'none'; form-action 'none'")  # fmt: skip
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{e(policy)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>LGSCO annual review letters: audit</title>",
        f"<style>{style}</style></head><body><main>",
        _summary(report, made),
        _how_to_read(report),
        _table(report),
        _chart(report),
        '<h2 id="letters-detail">The letters</h2>',
        *(_letter(i, audit) for i, audit in enumerate(report.letters)),
        _unreadable(report),
        f"<footer>{e(summary(report))}</footer>",
        f"</main><script>{script}</script></body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


# --------------------------------------------------------------------------- per letter facts


def letter_headline(audit: LetterAudit) -> str:
    """``headline.headline`` (tone and topics, errors, outliers), except for a letter whose
    year has no template: its paragraphs were not judged, and the headline says so."""
    if any(f.code in LEADING_CODES for f in audit.findings):
        who = audit.authority or audit.source
        year = f" ({audit.year})" if audit.year else ""
        return f"{who}: paragraphs not judged, no template of its year{year}"
    return headline(audit)


def _findings(findings: list) -> str:
    return f'<ul class="findings">{"".join(_finding(f) for f in findings)}</ul>' if findings else ""


def concerns(audit: LetterAudit) -> int:
    """How many of the letter's own paragraphs voice a concern."""
    return sum(1 for d in audit.deviations if d.kind != "missing" and d.tone == "concern")


def _count(audit: LetterAudit, *, severity: str | None = None, code: str | None = None) -> int:
    return sum(
        1
        for f in audit.findings
        if (severity is None or f.severity.value == severity) and (code is None or f.code == code)
    )


# --------------------------------------------------------------------------- summary


def _summary(report: AuditReport, made: dt.datetime) -> str:
    letters = report.letters
    cards = [
        (len(letters), "letters audited", ""),
        (sum(concerns(a) > 0 for a in letters), "with concerns", "concern"),
        (sum(_count(a, severity="error") > 0 for a in letters), "with figure errors", "error"),
        (sum(_count(a, code="outlier") > 0 for a in letters), "with outliers", "warning"),
        (sum(d.kind == "unique" for a in letters for d in a.deviations), "unique paragraphs", ""),
    ]
    if report.errors:
        cards.append((len(report.errors), "could not be read", "error"))
    html_cards = "".join(f'<div class="card {cls}"><b>{n}</b><span>{e(what)}</span></div>'
                         for n, what, cls in cards)  # fmt: skip
    templates = [t for t in report.templates or [report.template] if t.source != "none"]
    used = (
        "; ".join(
            f"<code>{e(t.source)}</code> ({e(t.year or 'year unknown')}, {t.paragraphs} paragraphs)"
            for t in templates
        )
        or "none"
    )
    bare = sorted({str(a.year or "unknown") for a in letters if _count(a, code="no-template")})
    no_template = (
        f" No template for {e(', '.join(bare))}: those letters' paragraphs are not judged." if bare else ""
    )
    return (
        "<header><h1>LGSCO annual review letters: audit</h1>"
        f'<p class="made">Made {e(made.strftime("%d %B %Y, %H:%M %Z").lstrip("0"))} by lgso-audit '
        f"{e(_version())}.</p></header>"
        f'<section id="summary" class="cards">{html_cards}</section>'
        f'<p class="templates">Templates: {used}.{no_template}</p>'
    )


def _how_to_read(report: AuditReport) -> str:
    level = f"{100 * (1 - ALPHA):g}%"
    seen = Counter(f.code for a in report.letters for f in a.findings)
    counted = {code: f' <span class="seen">({n} in this report)</span>' for code, n in seen.items()}
    codes = "".join(
        f'<li><code>{e(c.code)}</code> <span class="sev {e(c.severity)}">{e(c.severity)}</span> '
        f"{e(c.meaning)}{counted.get(c.code, '')}</li>"
        for c in finding_codes()
    )
    return f"""<aside class="howto" id="how-to-read"><h2>How to read this</h2>
<p><b>Similar-authority average</b>: each letter compares the council's rates with the average of
councils of the same type (county, district, metropolitan, unitary, London borough) that year,
as the Ombudsman states it in the letter.</p>
<p><b>{level} interval and p-value</b>: 4 of 7 complaints upheld says little; 36 of 40 says a lot.
The interval is the range of true rates that could plausibly give the council's counts
(exact Clopper-Pearson, {level}). The p-value is the chance of a result at least this far from
the average if the council were really at the average (exact binomial test). Below {ALPHA:g} the
rate is marked an <b>outlier</b>: the average then lies outside the interval.</p>
<p><b>Arithmetic</b>: beside each figure, the counts it comes from
(“4/7 = 57.1%, stated 57%: consistent”). <b>Unique</b> paragraphs were written for this council;
<b>changed</b> ones are template paragraphs reworded, shown as a redline
(<del>deleted</del> <ins>inserted</ins>). The <b>tone</b> says whether the Ombudsman raises a concern,
praises, or informs.</p>
<p><b>Rank</b> and <b>robust z</b>: where a figure stands among this report's letters of the same
type and year (beyond ±{EXTREME_Z:g} is extreme). <b>Per 100k</b>: upheld decisions per 100,000
residents, which later letters state.</p>
<p><b>Finding codes</b>:</p><ul class="codes">{codes}</ul></aside>"""


# --------------------------------------------------------------------------- table


def _rate_cell(audit: LetterAudit, block: str) -> str:
    stats = audit.stats
    figures = getattr(stats, block) if stats else None
    if figures is None or figures.rate is None:
        return '<td class="rate" data-sort="">n/a</td>'
    k, n, _ = rate_basis(stats, block)
    counts = f"{number(k)}/{number(n)}" if block != "compliance" else f"of {number(n)}"
    flagged = any(f.field and f.field.startswith(f"{block}.") and f.severity.value != "info"
                  and f.code != "stats-missing" for f in audit.findings)  # fmt: skip
    cls = "rate flag" if flagged else "rate"
    return (f'<td class="{cls}" data-sort="{figures.rate:g}">{percent(figures.rate)}'
            f'<span class="sub">avg {percent(figures.average)} · {e(counts)}</span></td>')  # fmt: skip


def _per_100k_cell(audit: LetterAudit) -> str:
    u = audit.stats.upheld if audit.stats else None
    if u is None or u.per_100k is None:
        return '<td class="num" data-sort="">–</td>'
    avg = "n/a" if u.per_100k_average is None else f"{u.per_100k_average:g}"
    return f'<td class="num" data-sort="{u.per_100k:g}">{u.per_100k:g}<span class="sub">avg {avg}</span></td>'


def _num_cell(n: int, flag: bool = False) -> str:
    cls = "num flag" if n and flag else "num" if n else "num zero"
    return f'<td class="{cls}">{n}</td>'


def _table(report: AuditReport) -> str:
    heads = ["Authority", "Type", "Year", "Upheld", "Compliance", "Remedy", "Per 100k",
             "Concerns", "Errors", "Outliers", "Unique", "Changed"]  # fmt: skip
    numeric = {"Year", "Per 100k", "Concerns", "Errors", "Outliers", "Unique", "Changed"}
    head = "".join(f'<th scope="col"{" class=num" if h in numeric else ""}>{h}</th>' for h in heads)
    rows = []
    for i, a in enumerate(report.letters):
        kinds = Counter(d.kind for d in a.deviations)
        errors = _count(a, severity="error")
        rows.append(
            f'<tr data-type="{e(a.authority_type or "unknown")}"{" class=has-error" if errors else ""}>'
            f'<td><a href="#letter-{i}">{e(a.authority or "Unknown authority")}</a></td>'
            f"<td>{e(a.authority_type or '?')}</td><td class=num>{e(a.year or '?')}</td>"
            + "".join(_rate_cell(a, b) for b in ("upheld", "compliance", "remedy"))
            + _per_100k_cell(a)
            + _num_cell(concerns(a), True)
            + _num_cell(errors, True)
            + _num_cell(_count(a, code="outlier"), True)
            + _num_cell(kinds["unique"])
            + _num_cell(kinds["changed"])
            + "</tr>"
        )
    return (
        '<h2 id="table">Every letter</h2><div class="controls" id="controls"></div>'
        f'<div class="scroll"><table id="letters"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


# --------------------------------------------------------------------------- chart

_W, _LABEL, _X0, _X1, _ROW, _TOP = 760, 8, 262, 640, 16, 26
"""Chart geometry (SVG user units): width, label x, axis from x0 to x1, row height, axis band."""


def _x(percent: float) -> float:
    return round(_X0 + (_X1 - _X0) * max(0.0, min(100.0, percent)) / 100, 1)


def _short(name: str, limit: int = 42) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _chart(report: AuditReport) -> str:
    groups: dict[tuple[str, str], list[tuple[int, LetterAudit]]] = {}
    uncharted = []
    for i, a in enumerate(report.letters):
        if a.stats is None or a.stats.upheld.rate is None:
            uncharted.append((i, a))
            continue
        groups.setdefault((a.authority_type or "unknown", str(a.year or "year unknown")), []).append((i, a))
    figures = [_chart_group(kind, year, members) for (kind, year), members in sorted(groups.items())]
    rest = ""
    if uncharted:
        links = ", ".join(f'<a href="#letter-{i}">{e(a.authority or a.source)}</a>' for i, a in uncharted)
        rest = f'<p class="uncharted">No upheld rate stated, so not charted: {links}.</p>'
    legend = (
        "Each row is one letter: the dot is its upheld rate, the grey bar the "
        f"{100 * (1 - ALPHA):g}% interval its number of investigations allows, the black tick the "
        "similar-authority average it cites. A red dot is an outlier."
    )
    return (
        f'<h2 id="chart">Upheld rates against the average</h2><p class="uncharted">{legend}</p>'
        + "".join(figures)
        + rest
    )


def _chart_group(kind: str, year: str, members: list[tuple[int, LetterAudit]]) -> str:
    members = sorted(members, key=lambda m: (-m[1].stats.upheld.rate, m[1].authority or ""))
    height = _TOP + _ROW * len(members) + 8
    grid = []
    for tick in (0, 25, 50, 75, 100):
        x = _x(tick)
        grid.append(f'<line x1="{x}" y1="{_TOP - 6}" x2="{x}" y2="{height - 6}" stroke="#e3e7ee"/>')
        grid.append(f'<text x="{x}" y="{_TOP - 10}" text-anchor="middle" fill="#5b6575">{tick}%</text>')
    rows = [_chart_row(i, a, _TOP + _ROW * n + _ROW / 2) for n, (i, a) in enumerate(members)]
    averages = Counter(a.stats.upheld.average for _, a in members if a.stats.upheld.average is not None)
    cited = f", average {averages.most_common(1)[0][0]:g}%" if averages else ""
    count = f"{len(members)} letter{'s' if len(members) != 1 else ''}"
    return (
        f'<figure class="chart" data-type="{e(kind)}"><figcaption><b>{e(kind.capitalize())}, {e(year)}</b>: '
        f"{count}{cited}</figcaption>"
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {height}" role="img" '
        f'aria-label="{e(kind)} {e(year)} upheld rates" font-family="sans-serif" font-size="11">'
        + "".join(grid)
        + "".join(rows)
        + "</svg></figure>"
    )


def _chart_row(i: int, audit: LetterAudit, y: float) -> str:
    stats = audit.stats
    u = stats.upheld
    test = rate_test(stats, "upheld", decimal_places(u.rate))
    outlier = any(f.code == "outlier" and f.field == "upheld.rate" for f in audit.findings) or bool(
        test and test.is_outlier
    )
    name = audit.authority or audit.source
    tip = f"{name}: upheld {percent(u.rate)}"
    if u.investigations is not None:
        tip += f" ({number(u.decisions)} of {number(u.investigations)})"
    tip += f", similar authorities {percent(u.average)}"
    marks = []
    if test is not None:
        tip += f"; {test.describe()}"
        marks.append(f'<line class="interval" x1="{_x(100 * test.low)}" y1="{y}" x2="{_x(100 * test.high)}" '
                     f'y2="{y}" stroke="#c3cad5" stroke-width="5" stroke-linecap="round"/>')  # fmt: skip
    if u.average is not None:
        x = _x(u.average)
        marks.append(f'<line class="average" x1="{x}" y1="{y - 6}" x2="{x}" y2="{y + 6}" stroke="#1d2430" '
                     'stroke-width="2"/>')  # fmt: skip
    fill, radius = ("#b3261e", 5) if outlier else ("#1f4e8c", 4)
    marks.append(f'<circle class="point{" outlier" if outlier else ""}" data-letter="{i}" cx="{_x(u.rate)}" '
                 f'cy="{y}" r="{radius}" fill="{fill}" stroke="#fff" stroke-width="1"/>')  # fmt: skip
    counts = f" of {number(u.investigations)}" if u.investigations is not None else ""
    weight = ' font-weight="700" fill="#b3261e"' if outlier else ""
    return (
        f'<g><title>{e(tip)}</title><a href="#letter-{i}"><text x="{_LABEL}" y="{y + 4}"{weight}>'
        f"{e(_short(name))}</text></a>{''.join(marks)}"
        f'<text x="{_X1 + 14}" y="{y + 4}"{weight}>{percent(u.rate)}{counts}'
        f"{' · outlier' if outlier else ''}</text></g>"
    )


# --------------------------------------------------------------------------- one letter


def _letter(i: int, audit: LetterAudit) -> str:
    meta = " · ".join(
        x
        for x in (
            e(audit.authority_type),
            e(audit.year),
            f"<code>{e(audit.source)}</code>",
            f"template <code>{e(audit.template)}</code>" if audit.template else "",
        )
        if x
    )
    placed, rest = placed_findings(audit)
    shown_kinds = {d.kind for d in audit.deviations}
    rest = [f for f in rest if not any(DEVIATION_CODES[k] == f.code for k in shown_kinds)]
    return (
        f'<section class="letter" id="letter-{i}"><div class="letter-head">'
        f"<h3>{e(letter_headline(audit))}</h3>"
        f'<p class="meta">{meta}</p>'
        + _findings([f for f in rest if f.code in LEADING_CODES])  # how to read the rest: first
        + _figures(audit, placed)
        + "</div>"
        + _findings([f for f in rest if f.code not in LEADING_CODES])
        + "".join(_paragraph(d) for d in audit.deviations if d.kind != "missing")
        + _missing(audit)
        + "</section>"
    )


def _figures(audit: LetterAudit, placed: dict[str, list[Finding]]) -> str:
    if audit.stats is None:
        return ""
    rows = []
    for key in STAT_KEYS:
        line = stat_line(audit.stats, key)
        if line is None:
            continue
        label, _, value = line.partition(" ")
        notes = "".join(_note(n) for n in figure_notes(audit, key))
        found = "".join(_finding(f) for f in placed[key])
        found = f'<ul class="findings">{found}</ul>' if found else ""
        rows.append(
            f"<tr><th>{e(label)}</th><td>{e(' '.join(value.split()))}</td><td>{notes}{found}</td></tr>"
        )
    rows += _dealt_with(audit.stats)
    return f'<table class="figures">{"".join(rows)}</table>'


def _dealt_with(stats) -> list[str]:
    """The 'Complaints dealt with' block of later letters, as a row (none when absent)."""
    d = stats.dealt_with
    if d is None or all(v is None for v in d.model_dump().values()):
        return []
    outcomes = ((d.not_for_us, "not for us"), (d.assessed_and_closed, "assessed and closed"),
                (d.investigated, "investigated"))  # fmt: skip
    parts = [f"{number(v)} {what}" for v, what in outcomes if v is not None]
    return [f"<tr><th>Dealt with</th><td>{e(number(d.total))} complaints and enquiries</td>"
            f"<td><span class=work>{e(', '.join(parts))}</span></td></tr>"]  # fmt: skip


def _note(note: str) -> str:
    bad = note.endswith((": inconsistent", ": outlier")) or "(extreme)" in note
    return f'<span class="work{" bad" if bad else ""}">{e(note)}</span>'


def _finding(f: Finding) -> str:
    where = f" <code>{e(f.field)}</code>" if f.field else ""
    return (f'<li><span class="sev {e(f.severity.value)}">{e(f.severity.value)}</span> '
            f"<code>{e(f.code)}</code>{where}: {e(f.message)}</li>")  # fmt: skip


def _paragraph(dev: Deviation) -> str:
    t = dev.tone
    badge = f'<span class="tone {e(t)}">{e(t)}</span> ' if t in ("concern", "praise") else ""
    tags = "".join(f'<span class="tag">{e(tag)}</span>' for tag in dev.tags)
    if dev.kind == "unique":
        return (f'<div class="para unique {e(t or "")}"><div class="label">{badge}<b>Unique paragraph</b> '
                f"{tags}</div><blockquote>{e(dev.text)}</blockquote></div>")  # fmt: skip
    ops = []
    for op in dev.diff or []:
        tag = {"equal": None, "delete": "del", "insert": "ins"}[op.op]
        ops.append(e(op.text) if tag is None else f"<{tag}>{e(op.text)}</{tag}>")
    body = " ".join(ops) if ops else e(dev.text)
    return (f'<div class="para changed {e(t or "")}"><div class="label">{badge}<b>Changed paragraph</b> '
            f"({dev.score:.0f}% alike) {tags}</div><p class=\"redline\">{body}</p></div>")  # fmt: skip


def _missing(audit: LetterAudit) -> str:
    missing = [d for d in audit.deviations if d.kind == "missing"]
    if not missing:
        return ""
    n = len(missing)
    items = "".join(f"<li>{e(d.text)}</li>" for d in missing)
    return (f'<details class="missing"><summary>{n} template paragraph{"s" if n != 1 else ""} left out'
            f"</summary><ul>{items}</ul></details>")  # fmt: skip


def _unreadable(report: AuditReport) -> str:
    if not report.errors:
        return ""
    items = "".join(f"<li><code>{e(x.source)}</code>: {e(x.error)}</li>" for x in report.errors)
    return f'<h2 id="unreadable">Could not be read</h2><ul class="unreadable">{items}</ul>'
