"""An ``AuditReport`` -> text, JSON, markdown, HTML or CSV.

Every renderer is a pure function of the report; the HTML report is ``report_html.py``,
the CSV ``report_csv.py``. The text report is built from rich ``Text`` objects, never from
markup strings, so nothing in a letter can restyle it.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path
from typing import Protocol

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from .errors import LgsoError
from .figures import BLOCKS, arithmetic, day, decimal_places, get, rate_basis, rate_test
from .headline import about_text, by_tone
from .models import LEADING_CODES, AuditReport, Deviation, Finding, LetterAudit, Stats
from .outliers import EXTREME_Z

FORMATS = ("text", "json", "markdown", "html", "csv", "csv-paragraphs")
FORMAT_BY_SUFFIX = {".txt": "text", ".json": "json", ".md": "markdown", ".markdown": "markdown",
                    ".html": "html", ".htm": "html", ".csv": "csv"}  # fmt: skip
"""The format an output file's extension asks for, when none is given."""
_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render(report: AuditReport, fmt: str, *, color: bool = False, width: int = 100) -> str:
    """The report in one of ``FORMATS``."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}; got {fmt!r}")
    if fmt == "json":
        return report.model_dump_json(indent=2) + "\n"
    if fmt == "text":
        return render_text(report, color=color, width=width)
    if fmt == "markdown":
        return render_markdown(report)
    # The HTML and CSV reports build on this module's pieces, so they are imported here.
    from . import report_csv, report_html

    if fmt == "html":
        return report_html.render_html(report)
    return (report_csv.render_csv if fmt == "csv" else report_csv.render_csv_paragraphs)(report)


def format_for_output(path: str) -> str:
    """The format an output file's name asks for: 'report.html' -> 'html'; no extension -> 'text'."""
    suffix = Path(path).suffix.lower()
    if not suffix:
        return "text"
    if suffix not in FORMAT_BY_SUFFIX:
        known = ", ".join(FORMAT_BY_SUFFIX)
        raise LgsoError(f"cannot tell the report format from {path!r} (known extensions: {known}); "
                        "give --format")  # fmt: skip
    return FORMAT_BY_SUFFIX[suffix]


# --------------------------------------------------------------------------- shared pieces


class AuthorityLike(Protocol):
    authority: str | None
    authority_type: str | None
    year: int | None


def title(audit: LetterAudit | AuthorityLike) -> str:
    """'Rotherham Metropolitan Borough Council (metropolitan, 2020)': of an audit, or of
    anything else that names an authority, its type and year (the bot's answers)."""
    who = audit.authority or "Unknown authority"
    about = ", ".join(str(x) for x in (audit.authority_type, audit.year) if x)
    return f"{who} ({about})" if about else who


def topics(audit: LetterAudit) -> list[str]:
    """The tags of the letter's unique and changed paragraphs, most frequent first."""
    counts = Counter(t for d in audit.deviations if d.kind != "missing" for t in d.tags)
    return [t for t, _ in counts.most_common()]


def percent(value) -> str:
    """'57%', or 'n/a'."""
    return "n/a" if value is None else f"{value:g}%"


STAT_KEYS = ("upheld", "compliance", "remedy", "period")
"""The figures a report shows, one line each; findings are placed under the one they name."""


def stat_line(stats: Stats, key: str) -> str | None:
    """One block's line: the rate, its average and the counts behind it (None: no period)."""
    u, c, r = stats.upheld, stats.compliance, stats.remedy
    if key == "upheld":
        line = f"Upheld      {percent(u.rate)} (avg {percent(u.average)})"
        if u.decisions is not None or u.investigations is not None:
            line += f"  {number(u.decisions)} of {count(u.investigations, 'investigation')}"
        if u.per_100k is not None:
            average = "n/a" if u.per_100k_average is None else f"{u.per_100k_average:g}"
            line += f"  {u.per_100k:g} per 100k (avg {average})"
        return line
    if key == "compliance":
        return f"Compliance  {percent(c.rate)} (avg {percent(c.average)})  {count(c.outcomes, 'outcome')}"
    if key == "remedy":
        k, n, _ = rate_basis(stats, "remedy")
        line = f"Remedy      {percent(r.rate)} (avg {percent(r.average)})"
        line += f"  {number(k)} of {count(n, 'upheld decision')}"
        if r.investigations is not None and r.upheld_decisions is None:
            line += f" (based on {count(r.investigations, 'investigation')})"
        return line
    start, end = stats.period.start, stats.period.end
    if start is None and end is None:
        return None
    return f"Period      {_day(start)} to {_day(end)}"


def stat_lines(stats: Stats) -> list[str]:
    """One line per block (and the period, if stated)."""
    return [line for key in STAT_KEYS if (line := stat_line(stats, key)) is not None]


def figure_notes(audit: LetterAudit, key: str) -> list[str]:
    """The working under a figure: its arithmetic, its distance from the average, its rank."""
    if audit.stats is None or key not in BLOCKS:
        return []
    stats = audit.stats
    places = decimal_places(get(stats, f"{key}.rate"))
    notes = [arithmetic(stats, key, places)]
    test = rate_test(stats, key, places) if key != "compliance" else None
    if test is not None:
        verdict = "outlier" if test.is_outlier else "within chance"
        notes.append(f"vs avg {get(stats, f'{key}.average'):g}%: {test.describe()}: {verdict}")
    for field, info in sorted((audit.ranks or {}).items()):
        if field.startswith(f"{key}."):
            what = "per 100k " if field.endswith("per_100k") else ""
            extreme = " (extreme)" if abs(info.z) > EXTREME_Z else ""
            notes.append(f"{what}rank {info.rank} of {info.of} {info.group}, median {info.median:g}, "
                         f"robust z {info.z:+.2f}{extreme}")  # fmt: skip
    return [note for note in notes if note]


def placed_findings(audit: LetterAudit) -> tuple[dict[str, list[Finding]], list[Finding]]:
    """The findings about each figure (by ``STAT_KEYS``), and the rest, in the audit's order."""
    placed: dict[str, list[Finding]] = {key: [] for key in STAT_KEYS}
    rest = []
    for f in audit.findings:
        key = (f.field or "").split(".")[0]
        if audit.stats is not None and key in placed and stat_line(audit.stats, key) is not None:
            placed[key].append(f)
        else:
            rest.append(f)
    return placed, rest


def _leading(findings: list[Finding]) -> list[Finding]:
    """The findings that lead a letter's report (``models.LEADING_CODES``)."""
    return [f for f in findings if f.code in LEADING_CODES]


def count(value, noun: str) -> str:
    """'7 investigations', '1 investigation', '? investigations'."""
    return f"{number(value)} {noun}{'' if value == 1 else 's'}"


def _day(value) -> str:
    return "?" if value is None else day(value)


def number(value) -> str:
    """'4', '0.9', or '?' when the letter does not say."""
    return "?" if value is None else f"{value:g}"


def diff_text(dev: Deviation, deleted: str, inserted: str) -> str:
    """A changed paragraph's word diff, with the given wrappers, e.g. '[-{}-]', '{{+{}+}}'."""
    parts = []
    for op in dev.diff or []:
        if op.op == "equal":
            parts.append(op.text)
        else:
            parts.append((deleted if op.op == "delete" else inserted).format(op.text))
    return " ".join(parts)


# --------------------------------------------------------------------------- text


def render_text(report: AuditReport, *, color: bool = False, width: int = 100) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width,
                      highlight=False, emoji=False, soft_wrap=False)  # fmt: skip
    for audit in report.letters:
        _text_letter(console, audit)
    _text_unique_by_tone(console, report)
    for err in report.errors:
        console.print(Text.assemble(("error ", _STYLE["error"]), f"{err.source}: {err.error}"))
    console.print(Text(summary(report), style="bold"))
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def _text_letter(console: Console, audit: LetterAudit) -> None:
    console.print(Text(title(audit), style="bold"))
    if about_text(audit):
        console.print(Text.assemble(("  Unique: ", "bold"), about_text(audit)))
    console.print(Text(f"  {audit.source}", style="dim"))
    placed, rest = placed_findings(audit)
    for f in _leading(rest):  # says how to read the rest: before it
        _text_finding(console, f, "  ")
    for key in STAT_KEYS if audit.stats else ():
        line = stat_line(audit.stats, key)
        if line is None:
            continue
        console.print(Text("  " + line))
        for note in figure_notes(audit, key):
            console.print(Text(" " * 14 + note, style="dim"))
        for f in placed[key]:
            _text_finding(console, f, "    ")
    for f in rest:
        if f.code not in LEADING_CODES:
            _text_finding(console, f, "  ")
    for dev in audit.deviations:
        if dev.kind == "changed":
            about = f" {dev.tone} [{', '.join(dev.tags)}]" if dev.tags else f" {dev.tone}"
            console.print(Text.assemble(("  changed", "cyan"), f" ({dev.score:.0f}% alike){about}"))
            console.print(Padding(Text(diff_text(dev, "[-{}-]", "{{+{}+}}")), (0, 0, 0, 6), expand=False))
    unique = sum(dev.kind == "unique" for dev in audit.deviations)
    if unique:
        console.print(Text(f"  {unique} unique paragraph{'s' if unique != 1 else ''}: under "
                           "\"Unique paragraphs by tone\" below", style="dim"))  # fmt: skip
    console.print()


_TONE_STYLE = {"concern": "bold yellow", "praise": "bold green", "information": "bold"}


def _text_unique_by_tone(console: Console, report: AuditReport) -> None:
    """The batch's unique paragraphs grouped by tone, concerns first, each under its letter."""
    groups = unique_by_tone(report)
    if not groups:
        return
    console.print(Text("Unique paragraphs by tone", style="bold"))
    for tone, items in groups.items():
        console.print(Text(f"{tone} ({len(items)})", style=_TONE_STYLE[tone]))
        for audit, dev in items:
            console.print(Text(f"  {_who(audit)} [{', '.join(dev.tags)}]"))
            console.print(Padding(Text(dev.text), (0, 0, 0, 6), expand=False))
    console.print()


def unique_by_tone(report: AuditReport) -> dict[str, list[tuple[LetterAudit, Deviation]]]:
    """Every unique paragraph of the batch with its letter, grouped by tone, concerns first."""
    letter_of = {}
    for audit in report.letters:
        for dev in audit.deviations:
            if dev.kind == "unique":
                letter_of[id(dev)] = audit
    devs = [dev for audit in report.letters for dev in audit.deviations if dev.kind == "unique"]
    return {tone: [(letter_of[id(d)], d) for d in group] for tone, group in by_tone(devs).items()}


def _who(audit: LetterAudit) -> str:
    """'Rotherham Metropolitan Borough Council (2020)'."""
    who = audit.authority or audit.source
    return f"{who} ({audit.year})" if audit.year else who


def _text_finding(console: Console, f: Finding, indent: str) -> None:
    where = f" [{f.field}]" if f.field else ""
    severity = (f"{f.severity.value:<7}", _STYLE[f.severity.value])
    line = Text.assemble(severity, f" {f.code}{where}: {f.message}")
    console.print(Padding(line, (0, 0, 0, len(indent)), expand=False))


def summary(report: AuditReport) -> str:
    """'5 letters audited, 1 could not be read: 0 errors, 3 warnings, 0 info.'"""
    sev = Counter(f.severity.value for a in report.letters for f in a.findings)
    unread = f", {len(report.errors)} could not be read" if report.errors else ""
    n = len(report.letters)
    counts = f"{sev['error']} errors, {sev['warning']} warnings, {sev['info']} info"
    return f"{n} letter{'s' if n != 1 else ''} audited{unread}: {counts} (template {report.template.source})."


# --------------------------------------------------------------------------- markdown


def _md_escape(text: str) -> str:
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


def render_markdown(report: AuditReport) -> str:
    out = ["# LGSCO annual review letters: audit", "", f"_{summary(report)}_", ""]
    for audit in report.letters:
        out += [f"## {_md_escape(title(audit))}", "", f"`{audit.source}`", ""]
        if about_text(audit):
            out += [f"**Unique:** {_md_escape(about_text(audit))}", ""]
        placed, rest = placed_findings(audit)
        out += [_md_finding(f) for f in _leading(rest)]
        out += _md_figures(audit, placed)
        out += [_md_finding(f) for f in rest if f.code not in LEADING_CODES]
        for dev in audit.deviations:
            if dev.kind == "changed":
                text = diff_text(dev, "~~{}~~", "**{}**")
                out.append(f"- changed ({dev.score:.0f}%), {dev.tone} [{', '.join(dev.tags)}]: {text}")
        out.append("")
    groups = unique_by_tone(report)
    if groups:
        out += ["## Unique paragraphs by tone", ""]
        for tone, items in groups.items():
            out += [f"### {tone} ({len(items)})", ""]
            for audit, dev in items:
                out += [f"- **{_md_escape(_who(audit))}** [{', '.join(dev.tags)}]", "",
                        f"  > {_md_escape(dev.text)}", ""]  # fmt: skip
    if report.errors:
        out += ["## Could not be read", ""]
        out += [f"- `{e.source}`: {_md_escape(e.error)}" for e in report.errors]
        out.append("")
    return "\n".join(out)


def _md_figures(audit: LetterAudit, placed: dict[str, list[Finding]]) -> list[str]:
    """A list item per figure, with its working and its findings nested under it."""
    out = []
    for key in STAT_KEYS if audit.stats else ():
        line = stat_line(audit.stats, key)
        if line is None:
            continue
        out.append(f"- `{' '.join(line.split())}`")
        out += [f"  - {_md_escape(note)}" for note in figure_notes(audit, key)]
        out += [f"  {_md_finding(f)}" for f in placed[key]]
    return out


def _md_finding(f: Finding) -> str:
    where = f" (`{f.field}`)" if f.field else ""
    return f"- **{f.severity.value}** `{f.code}`{where}: {_md_escape(f.message)}"
