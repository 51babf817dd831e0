"""Figures and deviations -> findings, for one letter at a time.

Each check is a function ``(LetterFacts) -> list[Finding]`` registered in ``LETTER_CHECKS``;
the figure checks are in ``figurechecks.py``; checks that compare letters with each other
live in ``batch.py``.
"""

from __future__ import annotations

from collections.abc import Callable

from .facts import LetterFacts
from .figurechecks import FIGURE_CHECKS
from .figures import BLOCKS
from .models import ExtractedStats, Finding, Severity

_EXCERPT = 90


def excerpt(text: str, limit: int = _EXCERPT) -> str:
    """The start of a paragraph, cut at a word, for a one-line message."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def deviation_findings(facts: LetterFacts) -> list[Finding]:
    """One finding per unique, changed or missing paragraph."""
    findings = []
    for dev in facts.deviations:
        topics = f" ({dev.tone}: {', '.join(dev.tags)})" if dev.tags else ""
        if dev.kind == "unique":
            findings.append(Finding(
                code="unique-paragraph", severity=Severity.WARNING,
                message=f"Paragraph not in the template{topics}: \"{excerpt(dev.text)}\"",
            ))  # fmt: skip
        elif dev.kind == "changed":
            findings.append(Finding(
                code="changed-paragraph", severity=Severity.INFO,
                message=f"Template paragraph reworded ({dev.score:.0f}% alike){topics}: "
                        f"\"{excerpt(dev.text)}\"",
            ))  # fmt: skip
        else:
            findings.append(Finding(
                code="missing-paragraph", severity=Severity.INFO,
                message=f"Template paragraph left out: \"{excerpt(dev.text)}\"",
            ))  # fmt: skip
    return findings


def stats_missing(facts: LetterFacts) -> list[Finding]:
    """No statistics part, or one without some of its three blocks."""
    ex = facts.extracted
    if ex.stats is None:
        return [
            Finding(
                code="stats-missing",
                severity=Severity.WARNING,
                message="The letter has no statistics section (none could be read).",
            )
        ]
    absent = [b for b in BLOCKS if b not in ex.blocks and not (b == "remedy" and ex.no_upheld)]
    if absent:
        return [Finding(
            code="stats-missing", severity=Severity.WARNING, field=absent[0],
            message=f"The statistics section is partial: no {' or '.join(absent)} figures.",
        )]  # fmt: skip
    lost = _missing_figures(ex)
    if lost:
        return [Finding(
            code="stats-missing", severity=Severity.WARNING, field=lost[0],
            message=f"The statistics section is partial: no {', '.join(f.replace('.', ' ') for f in lost)}.",
        )]  # fmt: skip
    return []


_REQUIRED = {
    "upheld": (("rate",), ("investigations",)),
    "compliance": (("rate",), ("outcomes",)),
    "remedy": (("rate",), ("investigations", "upheld_decisions")),
}
"""Per block, the figures it must state: one of each tuple (its rate and the total under it)."""


def _missing_figures(ex: ExtractedStats) -> list[str]:
    """Dotted paths of the rates and totals absent from the blocks the letter has."""
    stats = ex.stats
    lost = []
    for block, needs in _REQUIRED.items():
        if (block == "compliance" and ex.no_compliance_due) or (block == "remedy" and ex.no_upheld):
            continue
        figures = getattr(stats, block)
        if block == "upheld" and ex.no_upheld:
            needs = ()  # "did not uphold any complaints": nothing more to state
        lost += [f"{block}.{names[0]}" for names in needs if all(getattr(figures, n) is None for n in names)]
    return lost


def stats_unparsed(facts: LetterFacts) -> list[Finding]:
    """One note per statistics sentence holding a figure the reader could not tie to a field."""
    return [
        Finding(
            code="stats-unparsed",
            severity=Severity.INFO,
            message=f'A statistics sentence with a figure not read into any field: "{excerpt(s, 160)}"',
        )
        for s in facts.extracted.unparsed
    ]


LETTER_CHECKS: list[Callable[[LetterFacts], list[Finding]]] = [
    stats_missing,
    *FIGURE_CHECKS,
    stats_unparsed,
    deviation_findings,
]


def letter_findings(facts: LetterFacts) -> list[Finding]:
    """Every finding about one letter, most severe first, in check order within a level."""
    findings = [f for check in LETTER_CHECKS for f in check(facts)]
    return sorted(findings, key=lambda f: -f.severity.rank)
