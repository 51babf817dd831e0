"""The words every report puts a letter's figures and findings in: the figure lines, the
working under them (arithmetic, distance from the average, rank), where each finding goes,
the batch's summary line. The text and markdown reports (``render.py``), the HTML report
(``report_html.py``) and the Slack answers (``answer.py``) all say it the same way.
"""

from __future__ import annotations

from collections import Counter
from typing import Protocol

from .figures import BLOCKS, arithmetic, day, decimal_places, get, rate_basis, rate_test
from .models import LEADING_CODES, AuditReport, Deviation, Finding, LetterAudit, Stats
from .outliers import EXTREME_Z


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


def leading_findings(findings: list[Finding]) -> list[Finding]:
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


def summary(report: AuditReport) -> str:
    """'5 letters audited, 1 could not be read: 0 errors, 3 warnings, 0 info.'"""
    sev = Counter(f.severity.value for a in report.letters for f in a.findings)
    unread = f", {len(report.errors)} could not be read" if report.errors else ""
    n = len(report.letters)
    counts = f"{sev['error']} errors, {sev['warning']} warnings, {sev['info']} info"
    return f"{n} letter{'s' if n != 1 else ''} audited{unread}: {counts} (template {report.template.source})."
