"""The arithmetic of a letter's figures: which counts a stated rate can come from.

A rate printed as a whole percentage is consistent with k of n when *any* usual rounding
of 100·k/n gives it: round half up, round half to even, or truncation (a rate printed with
decimals is rounded to as many). The three blocks have three bases:

- upheld: upheld decisions of the detailed investigations;
- compliance: the compliance outcomes met, a count the letter never states, so the rate
  only has to be one that some whole number of the stated outcomes gives;
- remedy: satisfactory remedy decisions of the *upheld* decisions. The line under the
  remedy block names a different total by year: the 2020 letters base it on all detailed
  investigations (so it repeats the upheld block's total), later letters on the upheld
  decisions, sometimes still calling them "detailed investigations". Both are legitimate.

The checks in ``figurechecks.py`` turn these into findings; ``render.py`` prints
:func:`arithmetic` next to each figure.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

from .models import ExtractedStats, Stats
from .outliers import RateTest, compare_rate

BLOCKS = ("upheld", "compliance", "remedy")
RATE_FIELDS = ("upheld.rate", "compliance.rate", "remedy.rate")
PERCENT_AVERAGE_FIELDS = ("upheld.average", "compliance.average", "remedy.average")
LAST_YEAR_REMEDY_ON_INVESTIGATIONS = 2020
"""Up to this year the remedy figures are based on all detailed investigations; after it,
on the upheld decisions."""


def get(stats: Stats, field: str):
    """The value at a dotted path, e.g. ``get(stats, "upheld.rate")``."""
    block, name = field.split(".")
    return getattr(getattr(stats, block), name)


def decimals(extracted: ExtractedStats, field: str) -> int:
    """How many decimals the letter printed the first figure of ``field`` with."""
    for m in extracted.mentions:
        if m.field == field and "." in m.raw:
            return len(m.raw.split(".", 1)[1])
    return 0


def decimal_places(value: float | None) -> int:
    """How many decimals a figure read from a letter carries: 57 -> 0, 57.1 -> 1."""
    if value is None or isinstance(value, int):
        return 0
    return len(repr(float(value)).split(".")[1]) if "e" not in repr(float(value)) else 0


def roundings(k: int, n: int, places: int = 0) -> set[Fraction]:
    """Every printed rate 100·k/n can give: half up, half even, truncated, to ``places``."""
    scale = 10**places
    x = Fraction(100 * k * scale, n)
    candidates = (math.floor(x + Fraction(1, 2)), round(x), math.floor(x))
    return {Fraction(c, scale) for c in candidates}


def consistent(stated: float, k: int, n: int, places: int = 0) -> bool:
    """Whether a stated percentage can come from k of n (n = 0 allows only 0%)."""
    if n == 0:
        return stated == 0
    return Fraction(str(stated)) in roundings(k, n, places)


def counts_for(stated: float, n: int, places: int = 0) -> list[int]:
    """Every k of n that gives the stated percentage."""
    return [k for k in range(n + 1) if consistent(stated, k, n, places)]


def pct(value: float | Fraction) -> str:
    """A percentage to one decimal, without a trailing '.0': '57.1%', '100%'."""
    text = f"{float(value):.1f}".removesuffix(".0")
    return f"{text}%"


def possible_rates(n: int, places: int = 0) -> list[str]:
    """The rates (rounded half up) that whole numbers of n give: '0%', '33%', '67%', '100%'."""
    scale = 10**places
    rates = (Fraction(math.floor(Fraction(100 * k * scale, n) + Fraction(1, 2)), scale) for k in range(n + 1))
    return list(dict.fromkeys(f"{float(r):g}%" for r in rates))


def rate_basis(stats: Stats, block: str) -> tuple[int | None, int | None, str]:
    """The counts a block's rate is a share of: (k, n, what n counts)."""
    if block == "upheld":
        return stats.upheld.decisions, stats.upheld.investigations, "investigations"
    if block == "compliance":
        return None, stats.compliance.outcomes, "compliance outcomes"
    r = stats.remedy
    base = r.upheld_decisions if r.upheld_decisions is not None else stats.upheld.decisions
    return r.decisions, base, "upheld decisions"


def inferred_count(stats: Stats, block: str, places: int = 0) -> int | None:
    """k for a block: stated, or the one whole number of n its rate allows."""
    k, n, _ = rate_basis(stats, block)
    rate = get(stats, f"{block}.rate")
    if k is not None or n is None or rate is None:
        return k
    ks = counts_for(rate, n, places)
    return ks[0] if len(ks) == 1 else None


def arithmetic(stats: Stats, block: str, places: int = 0) -> str | None:
    """The working behind a block's rate: '4/7 = 57.1%, stated 57%: consistent'."""
    k, n, noun = rate_basis(stats, block)
    rate = get(stats, f"{block}.rate")
    if rate is None or n is None or n < 0:
        return None
    if n == 0:
        return f"no {noun}, stated {rate:g}%: " + ("consistent" if rate == 0 else "inconsistent")
    if k is None:
        ks = counts_for(rate, n, places)
        if not ks:
            return f"no whole number of {n} gives {rate:g}%: inconsistent"
        shown = " or ".join(f"{x}/{n} = {pct(Fraction(100 * x, n))}" for x in ks)
        return f"{shown}, stated {rate:g}%: consistent"
    verdict = "consistent" if 0 <= k <= n and consistent(rate, k, n, places) else "inconsistent"
    return f"{k}/{n} = {pct(Fraction(100 * k, n))}, stated {rate:g}%: {verdict}"


def rate_test(stats: Stats, block: str, places: int = 0) -> RateTest | None:
    """The exact test of a block's k of n against its similar-authority average, if stated."""
    k = inferred_count(stats, block, places)
    _, n, _ = rate_basis(stats, block)
    average = get(stats, f"{block}.average")
    if k is None or n is None or average is None or n <= 0 or not 0 <= k <= n:
        return None
    if not 0 <= average <= 100:
        return None
    return compare_rate(k, n, average / 100)


def day(d: dt.date) -> str:
    """'1 April 2019'."""
    return f"{d.day} {d:%B %Y}"
