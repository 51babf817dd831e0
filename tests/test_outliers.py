"""Tests for lgso_core.outliers: the exact binomial test, its interval, and robust z-scores."""

from __future__ import annotations

import math

import pytest

from lgso_core.outliers import (
    ALPHA,
    EXTREME_Z,
    binom_cdf,
    binom_sf,
    binomial_p_value,
    clopper_pearson,
    compare_rate,
    format_p,
    robust_z,
)

# --------------------------------------------------------------------------- the test


@pytest.mark.parametrize(
    ("k", "n", "p0", "expected"),
    [
        (7, 10, 0.5, 0.34375),  # 2 * P(X >= 7) = 2 * 176/1024
        (9, 10, 0.5, 0.021484375),  # 2 * 11/1024
        (10, 10, 0.5, 2 / 1024),
        (5, 10, 0.5, 1.0),
        (0, 36, 0.11, 2 * 0.89**36),
        (1, 1, 0.56, 1.0),
        (0, 5, 0.0, 1.0),
        (1, 5, 0.0, 0.0),
        (5, 5, 1.0, 1.0),
    ],
)
def test_binomial_p_value_matches_hand_computed_tails(k, n, p0, expected):
    assert binomial_p_value(k, n, p0) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_tails_of_a_binomial_add_up_to_one_plus_the_point():
    n, p = 23, 0.37
    for k in range(n + 1):
        point = math.comb(n, k) * p**k * (1 - p) ** (n - k)
        assert binom_cdf(k, n, p) + binom_sf(k, n, p) == pytest.approx(1 + point)


@pytest.mark.parametrize(
    ("k", "n", "confidence", "low", "high"),
    [
        (5, 10, 0.95, 0.187086, 0.812914),  # published Clopper-Pearson values
        (0, 10, 0.95, 0.0, 1 - 0.025 ** (1 / 10)),
        (10, 10, 0.95, 0.025 ** (1 / 10), 1.0),
        (1, 1, 0.99, 0.005, 1.0),
    ],
)
def test_clopper_pearson_interval(k, n, confidence, low, high):
    got = clopper_pearson(k, n, confidence)
    assert got == pytest.approx((low, high), abs=1e-6)


@pytest.mark.parametrize("n", [1, 3, 7, 20, 40, 150])
@pytest.mark.parametrize("p0", [0.05, 0.11, 0.45, 0.55, 0.9])
def test_outlier_exactly_when_the_average_is_outside_the_99_percent_interval(n, p0):
    for k in range(n + 1):
        test = compare_rate(k, n, p0)
        outside = not test.low <= p0 <= test.high
        if abs(test.p_value - ALPHA) > 1e-6:  # the two agree except on the boundary itself
            assert test.is_outlier == outside, (k, n, p0, test)


@pytest.mark.parametrize(
    ("k", "n", "average", "outlier"),
    [
        (1, 1, 56, False),  # 100% of 1 investigation is not news
        (36, 40, 55, True),  # 90% of 40 is
        (4, 7, 67, False),
        (0, 36, 11, False),  # p = 0.03: not at the 0.01 threshold
        (0, 60, 11, True),
        (20, 40, 55, False),
        (5, 40, 55, True),
    ],
)
def test_issue_cases(k, n, average, outlier):
    assert compare_rate(k, n, average / 100).is_outlier is outlier


def test_description_gives_the_difference_interval_and_p():
    assert compare_rate(36, 40, 0.55).describe() == "+35 points, 99% interval 72–98%, p < 0.0001"
    assert compare_rate(4, 7, 0.67).describe() == "-10 points, 99% interval 12–94%, p = 0.84"


@pytest.mark.parametrize(("k", "n"), [(3, 2), (-1, 4), (0, 0)])
def test_impossible_counts_are_refused(k, n):
    with pytest.raises(ValueError, match="0 <= k <= n"):
        compare_rate(k, n, 0.5)


def test_average_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError, match="p0 must be between 0 and 1"):
        binomial_p_value(1, 2, 1.5)


@pytest.mark.parametrize(
    ("p", "text"), [(0.00001, "p < 0.0001"), (0.0034, "p = 0.0034"), (0.4213, "p = 0.42")]
)
def test_format_p(p, text):
    assert format_p(p) == text


# --------------------------------------------------------------------------- robust z


def test_robust_z_marks_the_extreme_and_not_the_rest():
    z = robust_z([40, 45, 50, 55, 60, 95])
    assert z[-1] > EXTREME_Z
    assert all(abs(x) < 2 for x in z[:-1])
    assert z[2] < 0 < z[3]


def test_robust_z_falls_back_to_the_mean_deviation_when_the_mad_is_zero():
    z = robust_z([5, 5, 5, 5, 9])  # MAD 0; mean absolute deviation 0.8
    assert z == pytest.approx([0, 0, 0, 0, 4 / (1.253314 * 0.8)])


@pytest.mark.parametrize("values", [[], [7], [3, 3, 3]])
def test_robust_z_of_no_spread_is_zero(values):
    assert robust_z(values) == [0.0] * len(values)
