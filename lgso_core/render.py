"""An ``AuditReport`` -> text, JSON, markdown, HTML or CSV.

Every renderer is a pure function of the report; the HTML report is ``report_html.py``,
the CSV ``report_csv.py``. The text report is built from rich ``Text`` objects, never from
markup strings, so nothing in a letter can restyle it.
"""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from .errors import LgsoError
from .headline import about_text, by_tone
from .models import LEADING_CODES, AuditReport, Deviation, Finding, LetterAudit

# The shared wording lives in present.py; its names stay importable from here.
from .present import (  # noqa: F401
    STAT_KEYS,
    AuthorityLike,
    count,
    diff_text,
    figure_notes,
    leading_findings,
    number,
    percent,
    placed_findings,
    stat_line,
    stat_lines,
    summary,
    title,
    topics,
)
from .report_csv import render_csv, render_csv_paragraphs
from .report_html import render_html

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
    if fmt == "html":
        return render_html(report)
    return (render_csv if fmt == "csv" else render_csv_paragraphs)(report)


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
    for f in leading_findings(rest):  # says how to read the rest: before it
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
        out += [_md_finding(f) for f in leading_findings(rest)]
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
