"""A letter's figures -> findings: each check of the contract's figure codes.

Each check is a function ``(LetterFacts) -> list[Finding]``; ``FIGURE_CHECKS`` lists them
in the order their findings are shown. The arithmetic they rely on is in ``figures.py``.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

from .facts import LetterFacts
from .figures import (
    BLOCKS,
    LAST_YEAR_REMEDY_ON_INVESTIGATIONS,
    PERCENT_AVERAGE_FIELDS,
    RATE_FIELDS,
    consistent,
    counts_for,
    day,
    decimals,
    get,
    inferred_count,
    pct,
    possible_rates,
    rate_basis,
    rate_test,
)
from .identify import report_year
from .models import ExtractedStats, Finding, Severity, Stats
from .stats import inflected_roles, parse_date

_LIST_ALL_UP_TO = 10
"""Counts up to which a rate-mismatch message lists every possible rate."""


def _finding(code: str, field: str | None, message: str, severity: Severity = Severity.ERROR) -> Finding:
    return Finding(code=code, severity=severity, field=field, message=message)


def rate_mismatch(facts: LetterFacts) -> list[Finding]:
    """Rates that their counts cannot produce under any usual rounding."""
    ex, stats = facts.extracted, facts.extracted.stats
    if stats is None:
        return []
    findings = []
    for block in BLOCKS:
        field = f"{block}.rate"
        rate = get(stats, field)
        k, n, noun = rate_basis(stats, block)
        if rate is None or n is None or n < 0 or not 0 <= rate <= 100:
            continue
        if k is not None and not 0 <= k <= n:
            continue  # count-mismatch or out-of-range says it
        message = _rate_problem(block, rate, k, n, noun, decimals(ex, field))
        if message:
            findings.append(_finding("rate-mismatch", field, message))
    return findings


def _rate_problem(block: str, rate: float, k: int | None, n: int, noun: str, places: int) -> str | None:
    if n == 0:
        return None if rate == 0 else f"{block} {rate:g}% cannot come from 0 {noun}: with none it is 0%"
    if k is None:
        if counts_for(rate, n, places):
            return None
        return f"{rate:g}% is impossible with {n} {noun}: {_allowed(rate, n, places)}"
    if consistent(rate, k, n, places):
        return None
    ks = counts_for(rate, n, places)
    needs = (
        f"; {rate:g}% needs {' or '.join(map(str, ks))} of {n}" if ks else f"; {_allowed(rate, n, places)}"
    )
    return f"{block} {rate:g}% cannot come from {k} of {n} {noun}: {k} of {n} is {_exact(k, n)}{needs}"


def _exact(k: int, n: int) -> str:
    return pct(Fraction(100 * k, n))


def _allowed(rate: float, n: int, places: int) -> str:
    if n <= _LIST_ALL_UP_TO:
        return f"possible rates are {', '.join(possible_rates(n, places))}"
    below = min(max(math.floor(rate * n / 100), 0), n - 1)
    return (
        f"the nearest are {below} of {n} ({_exact(below, n)}) and {below + 1} of {n} ({_exact(below + 1, n)})"
    )


def count_mismatch(facts: LetterFacts) -> list[Finding]:
    """Counts that contradict each other, allowing each year's remedy convention."""
    stats = facts.extracted.stats
    if stats is None:
        return []
    findings = [_finding("count-mismatch", f, m) for f, m in _repeated_totals(facts.extracted)]
    u, r = stats.upheld, stats.remedy
    if _more(u.decisions, u.investigations):
        findings.append(
            _finding(
                "count-mismatch",
                "upheld.decisions",
                f"more upheld decisions ({u.decisions}) than detailed investigations ({u.investigations})",
            )
        )
    _, base, _ = rate_basis(stats, "remedy")
    if _more(r.decisions, base):
        findings.append(
            _finding(
                "count-mismatch",
                "remedy.decisions",
                f"more satisfactory remedy decisions ({r.decisions}) than upheld decisions ({base})",
            )
        )
    if None not in (r.upheld_decisions, u.decisions) and r.upheld_decisions != u.decisions:
        findings.append(
            _finding(
                "count-mismatch",
                "remedy.upheld_decisions",
                f"the remedy figures are based on {r.upheld_decisions} upheld "
                f"decisions, the upheld figures state {u.decisions}",
            )
        )
    problem = _remedy_total_problem(stats, facts.year)
    if problem:
        findings.append(_finding("count-mismatch", "remedy.investigations", problem))
    return findings


def _more(a: int | None, b: int | None) -> bool:
    return a is not None and b is not None and a > b


_TOTAL_LABELS = {
    "upheld.decisions": "upheld decisions",
    "upheld.investigations": "detailed investigations",
    "compliance.outcomes": "compliance outcomes",
    "remedy.decisions": "satisfactory remedy decisions",
    "remedy.investigations": "investigations behind the remedy figures",
    "remedy.upheld_decisions": "upheld decisions behind the remedy figures",
}


def _repeated_totals(extracted: ExtractedStats) -> list[tuple[str, str]]:
    """(field, message) for each count the letter states twice, differently."""
    problems = []
    for field, label in _TOTAL_LABELS.items():
        values = list(
            dict.fromkeys(m.value for m in extracted.mentions if m.field == field and m.value is not None)
        )
        if len(values) > 1:
            shown = " and ".join(f"{v:g}" for v in values)
            problems.append((field, f"two different totals of {label} in one letter: {shown}"))
    return problems


def _remedy_total_problem(stats: Stats, year: int | None) -> str | None:
    """The remedy block's 'N detailed investigations' against the upheld block."""
    u, total = stats.upheld, stats.remedy.investigations
    strict = year is not None and year <= LAST_YEAR_REMEDY_ON_INVESTIGATIONS
    allowed = {u.investigations} if strict else {u.investigations, u.decisions}
    allowed.discard(None)
    if total is None or not allowed or total in allowed:
        return None
    if strict:
        return (
            f"the remedy figures are based on {total} detailed investigations, the upheld "
            f"figures on {u.investigations}; {year} letters base both on all detailed "
            "investigations"
        )
    stated = " or ".join(f"{v}" for v in sorted(allowed))
    return (
        f"the remedy figures are based on {total} detailed investigations, but the letter's "
        f"upheld figures give {stated} (all investigations, or the upheld decisions)"
    )


def plural_mismatch(facts: LetterFacts) -> list[Finding]:
    """A count and its noun disagreeing in number ('1 upheld decisions').

    Only where the letters' template inflects the noun (``data/stats.toml`` [plurals]):
    "based on a total of 1 investigations" is the Ombudsman's own template grammar in
    years whose letters print it, so there a total is only wrong when its noun is singular
    after a count other than 1.
    """
    inflected, plural_only = inflected_roles(facts.year)
    findings = []
    for m in facts.extracted.mentions:
        if m.noun is None or m.value is None:
            continue
        plural = m.noun.lower().endswith("s")
        if m.role in plural_only:
            wrong = not plural and m.value != 1
        elif m.role in inflected or m.role is None:
            wrong = (m.value == 1) == plural
        else:
            wrong = False
        if wrong:
            right = m.noun[:-1] if plural else f"{m.noun}s"
            findings.append(
                _finding("plural-mismatch", m.field, f'"{m.raw} {m.noun}" should read "{m.raw} {right}"')
            )
    return findings


def period_mismatch(facts: LetterFacts) -> list[Finding]:
    """Statistics periods that are not dates, disagree with each other or with the year."""
    periods: list[tuple[dt.date, dt.date]] = []
    not_dates: list[str] = []
    for phrase in facts.extracted.period_phrases:
        texts = phrase.split(" to ", 1)
        dates = [parse_date(t) for t in texts]
        not_dates += [t for t, d in zip(texts, dates, strict=True) if d is None and t not in not_dates]
        if None not in dates:
            periods.append((dates[0], dates[-1]))
    findings = [_finding("period-mismatch", "period", f'"{t}" is not a real date') for t in not_dates]
    message = _period_problem(list(dict.fromkeys(periods)), facts.year)
    if message:
        findings.append(_finding("period-mismatch", "period", message))
    findings += _stated_years_problems(facts, periods)
    return findings


def _stated_years_problems(facts: LetterFacts, periods: list[tuple[dt.date, dt.date]]) -> list[Finding]:
    """The heading, "year ending" and the statistics period naming different years."""
    said = {f"'{_YEAR_LABELS[k]}'": y for k, y in facts.stated_years.items()}
    if len(periods) == 1:
        said["the statistics period"] = report_year(periods[0][1])
    if len(set(said.values())) <= 1:
        return []
    shown = ", ".join(f"{k} gives {y}" for k, y in said.items())
    return [_finding("period-mismatch", "period", f"the letter names different years: {shown}")]


_YEAR_LABELS = {"heading": "Annual Review letter", "year ending": "year ending 31 March"}


def _period_problem(periods: list[tuple[dt.date, dt.date]], year: int | None) -> str | None:
    """What is wrong with the distinct statistics periods of a letter, if anything."""
    if not periods:
        return None
    y = year if year is not None else periods[0][1].year
    want = (dt.date(y - 1, 4, 1), dt.date(y, 3, 31))
    expected = f"{day(want[0])} to {day(want[1])}"
    if len(periods) > 1:
        shown = "; ".join(f"{day(s)} to {day(e)}" for s, e in periods)
        return f"the letter states {len(periods)} different statistics periods: {shown} (expected {expected})"
    start, end = periods[0]
    if (start, end) == want:
        return None
    about = f"the letter reports on the year ending 31 March {y}" if year else "that is not a year"
    return f"the statistics cover {day(start)} to {day(end)}, but {about} ({expected})"


def out_of_range(facts: LetterFacts) -> list[Finding]:
    """Percentages outside 0-100 and negative counts, once per field."""
    findings: dict[str, Finding] = {}
    for m in facts.extracted.mentions:
        if m.value is None or m.field in findings:
            continue
        if m.field in RATE_FIELDS + PERCENT_AVERAGE_FIELDS and not 0 <= m.value <= 100:
            findings[m.field] = _finding(
                "out-of-range", m.field, f"{m.raw}% is not a percentage (0% to 100%)"
            )
        elif m.value < 0:
            findings[m.field] = _finding("out-of-range", m.field, f"negative count {m.raw}")
    return list(findings.values())


def compliance_shortfall(facts: LetterFacts) -> list[Finding]:
    """Compliance with the Ombudsman's recommendations below 100%."""
    stats = facts.extracted.stats
    rate = stats.compliance.rate if stats else None
    if rate is None or not 0 <= rate < 100:
        return []
    outcomes = stats.compliance.outcomes
    met = inferred_count(stats, "compliance", decimals(facts.extracted, "compliance.rate"))
    detail = f": {outcomes - met} of {outcomes} compliance outcomes not met" if met is not None else ""
    return [
        _finding(
            "compliance-shortfall",
            "compliance.rate",
            f"compliance with recommendations is {rate:g}%, below 100%{detail}",
            Severity.WARNING,
        )
    ]


def outlier(facts: LetterFacts) -> list[Finding]:
    """Upheld and remedy rates too far from the average to be chance, given n (outliers.py)."""
    stats = facts.extracted.stats
    if stats is None:
        return []
    findings = []
    for block in ("upheld", "remedy"):
        test = rate_test(stats, block, decimals(facts.extracted, f"{block}.rate"))
        if test is None or not test.is_outlier:
            continue
        rate, average = get(stats, f"{block}.rate"), get(stats, f"{block}.average")
        shown = f"{rate:g}%" if rate is not None else _exact(test.k, test.n)
        findings.append(
            _finding(
                "outlier",
                f"{block}.rate",
                f"{block} {shown} ({test.k}/{test.n}) vs similar authorities {average:g}%: {test.describe()}",
                Severity.WARNING,
            )
        )
    return findings


FIGURE_CHECKS = [
    out_of_range,
    rate_mismatch,
    count_mismatch,
    plural_mismatch,
    period_mismatch,
    compliance_shortfall,
    outlier,
]
"""The per-letter figure checks, in the order their findings are listed."""
