"""Sample-size-aware comparison of a rate with an average, and robust ranking. Stdlib only.

A council's upheld rate is k of n detailed investigations; the letter compares it with
the average p0 of similar authorities. Whether the difference means anything depends on
n: 100% of 1 investigation is what a council at the average would show more than half
the time, while 90% of 40 against 55% almost never happens by chance.

The test is the **exact binomial test**, two-sided by doubling the smaller tail:
``p = min(1, 2 * min(P(X <= k), P(X >= k)))`` with ``X ~ Binomial(n, p0)``. A rate is an
outlier when ``p < ALPHA`` (:data:`ALPHA` = 0.01). The interval shown with it is the
**Clopper-Pearson** (exact) interval at ``1 - ALPHA`` = 99%, which is the same test turned
round: p0 lies outside the 99% interval exactly when ``p < 0.01``, so a message never shows
an interval that contains the average for a rate it calls an outlier.

Ranking within a group of letters uses the robust (modified) z-score of Iglewicz and
Hoaglin: ``0.6745 * (x - median) / MAD``; where the MAD is 0 (more than half the group at
the median) the mean absolute deviation stands in, scaled by 1.2533 (so that both estimate
the standard deviation of normal data). ``|z| > EXTREME_Z`` (3.5) marks an extreme.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

ALPHA = 0.01
"""Two-sided significance level of the outlier test; the interval shown is at 1 - ALPHA."""
EXTREME_Z = 3.5
"""Robust z beyond which a figure is extreme within its group (Iglewicz and Hoaglin)."""
MAD_SCALE = 0.6745
"""Scales the median absolute deviation to the standard deviation of normal data."""
MEAN_AD_SCALE = 1.253314
"""Scales the mean absolute deviation likewise, when the MAD is 0."""
_BISECTIONS = 40
"""Halvings of [0, 1] when solving for an interval's ends: precise to about 1e-12."""


@cache
def _log_factorials(n: int) -> tuple[float, ...]:
    return tuple(math.lgamma(i + 1) for i in range(n + 1))


def _log_pmf(k: int, n: int, p: float) -> float:
    if p <= 0.0:
        return 0.0 if k == 0 else -math.inf
    if p >= 1.0:
        return 0.0 if k == n else -math.inf
    f = _log_factorials(n)
    return f[n] - f[k] - f[n - k] + k * math.log(p) + (n - k) * math.log1p(-p)


def binom_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    if k < 0:
        return 0.0
    return min(1.0, sum(math.exp(_log_pmf(i, n, p)) for i in range(min(k, n) + 1)))


def binom_sf(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p)."""
    if k <= 0:
        return 1.0
    return min(1.0, sum(math.exp(_log_pmf(i, n, p)) for i in range(k, n + 1)))


def binomial_p_value(k: int, n: int, p0: float) -> float:
    """Two-sided exact binomial p-value of k successes in n trials when the rate is p0."""
    _check(k, n)
    if not 0.0 <= p0 <= 1.0:
        raise ValueError(f"p0 must be between 0 and 1; got {p0}")
    return min(1.0, 2.0 * min(binom_cdf(k, n, p0), binom_sf(k, n, p0)))


@cache
def clopper_pearson(k: int, n: int, confidence: float = 1 - ALPHA) -> tuple[float, float]:
    """The exact (Clopper-Pearson) interval for a rate of k in n, e.g. (0.72, 0.98)."""
    _check(k, n)
    tail = (1.0 - confidence) / 2.0
    low = 0.0 if k == 0 else _bisect(lambda p: binom_sf(k, n, p) - tail)
    high = 1.0 if k == n else _bisect(lambda p: tail - binom_cdf(k, n, p))
    return low, high


def _bisect(increasing) -> float:
    """The root in [0, 1] of a function that increases in p."""
    lo, hi = 0.0, 1.0
    for _ in range(_BISECTIONS):
        mid = (lo + hi) / 2.0
        if increasing(mid) < 0.0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


def _check(k: int, n: int) -> None:
    if n <= 0 or not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n and n > 0; got k={k}, n={n}")


@dataclass(frozen=True)
class RateTest:
    """A rate of k in n set against an average p0, with the exact test and interval."""

    k: int
    n: int
    p0: float
    p_value: float
    low: float
    high: float

    @property
    def rate(self) -> float:
        return self.k / self.n

    @property
    def points(self) -> float:
        """The difference from the average, in percentage points."""
        return 100.0 * (self.rate - self.p0)

    @property
    def is_outlier(self) -> bool:
        return self.p_value < ALPHA

    def describe(self) -> str:
        """'+35 points, 99% interval 73–97%, p < 0.0001'."""
        level = f"{100 * (1 - ALPHA):g}%"
        interval = f"{100 * self.low:.0f}–{100 * self.high:.0f}%"
        return f"{self.points:+.0f} points, {level} interval {interval}, {format_p(self.p_value)}"


@cache
def compare_rate(k: int, n: int, p0: float) -> RateTest:
    """Test a rate of k in n against the average p0 (a fraction, 0-1)."""
    low, high = clopper_pearson(k, n)
    return RateTest(k=k, n=n, p0=p0, p_value=binomial_p_value(k, n, p0), low=low, high=high)


def format_p(p: float) -> str:
    """'p < 0.0001', 'p = 0.003', 'p = 0.42'."""
    if p < 0.0001:
        return "p < 0.0001"
    return f"p = {p:.2g}" if p < 0.01 else f"p = {p:.2f}"


def robust_z(values: Sequence[float]) -> list[float]:
    """Each value's robust z-score against the median and MAD of all of them."""
    if not values:
        return []
    med = statistics.median(values)
    deviations = [abs(x - med) for x in values]
    mad = statistics.median(deviations)
    if mad > 0:
        return [MAD_SCALE * (x - med) / mad for x in values]
    mean_ad = statistics.fmean(deviations)
    if mean_ad > 0:
        return [(x - med) / (MEAN_AD_SCALE * mean_ad) for x in values]
    return [0.0 for _ in values]
