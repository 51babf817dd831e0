"""Tests for the per-letter figure checks (checks.py, figures.py) on edited copies of the seeds.

Each case makes one small edit to a seed letter, audits the copy end to end, and expects
one finding code on one field; the unedited seeds raise none of the figure codes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lgso_core import audit_paths
from lgso_core.figures import arithmetic, consistent, counts_for, possible_rates
from lgso_core.models import Stats
from lgso_core.render import render

SEEDS = sorted((Path(__file__).parent / "data" / "seeds").glob("*.txt"))
SEED_IDS = [p.stem[:3] for p in SEEDS]

ROTHERHAM, RUTLAND, BROMSGROVE = SEEDS[0], SEEDS[1], SEEDS[3]
FIGURE_CODES = {
    "rate-mismatch",
    "count-mismatch",
    "plural-mismatch",
    "period-mismatch",
    "out-of-range",
    "outlier",
    "compliance-shortfall",
    "average-conflict",
}


def edit(text: str, old: str, new: str, count: int = -1, last: bool = False) -> str:
    """``text`` with ``old`` replaced (all, the first ``count``, or only the last one)."""
    assert old in text, f"{old!r} is not in the seed"
    if last:
        head, _, tail = text.rpartition(old)
        edited = head + new + tail
    else:
        edited = text.replace(old, new, count)
    assert edited != text
    return edited


def audit_text(tmp_path: Path, text: str, name: str = "letter.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    report = audit_paths([path])
    assert report.errors == []
    [audit] = report.letters
    return audit


def found(audit, code: str) -> list:
    return [f for f in audit.findings if f.code == code]


# --------------------------------------------------------------------------- the seeds


@pytest.mark.parametrize("seed", SEEDS, ids=SEED_IDS)
def test_unedited_seeds_raise_no_figure_finding(seed):
    [audit] = audit_paths([seed]).letters
    assert {f.code for f in audit.findings} & FIGURE_CODES == set()


# --------------------------------------------------------------------------- one edit, one code

EDITS = [
    # (id, seed, old, new, edit options, code, field)
    ("upheld-58", ROTHERHAM, "57%", "58%", {}, "rate-mismatch", "upheld.rate"),
    ("compliance-99-of-3", ROTHERHAM, "In **100%** of cases", "In **99%** of cases", {},
     "rate-mismatch", "compliance.rate"),
    ("remedy-50-of-0", ROTHERHAM, "In **0%** of upheld", "In **50%** of upheld", {},
     "rate-mismatch", "remedy.rate"),
    ("more-upheld-than-investigated", ROTHERHAM, "4\nupheld decisions", "8\nupheld decisions", {},
     "count-mismatch", "upheld.decisions"),
    ("more-remedies-than-upheld", ROTHERHAM, "0\nsatisfactory remedy decisions",
     "5\nsatisfactory remedy decisions", {}, "count-mismatch", "remedy.decisions"),
    ("two-investigation-totals", ROTHERHAM, "7 detailed investigations", "8 detailed investigations",
     {"last": True}, "count-mismatch", "remedy.investigations"),
    ("remedy-on-upheld-in-2020", ROTHERHAM, "7 detailed investigations", "4 detailed investigations",
     {"last": True}, "count-mismatch", "remedy.investigations"),
    ("4-upheld-decision", ROTHERHAM, "4\nupheld decisions", "4\nupheld decision", {},
     "plural-mismatch", "upheld.decisions"),
    ("1-upheld-decisions", RUTLAND, "1\nupheld decision", "1\nupheld decisions", {},
     "plural-mismatch", "upheld.decisions"),
    ("1-detailed-investigations", RUTLAND, "1 detailed investigation for", "1 detailed investigations for",
     {"count": 1}, "plural-mismatch", "upheld.investigations"),
    ("2-compliance-outcome", BROMSGROVE, "2 compliance outcomes", "2 compliance outcome", {},
     "plural-mismatch", "compliance.outcomes"),
    ("period-starts-2018", ROTHERHAM, "1 April 2019", "1 April 2018", {}, "period-mismatch", "period"),
    ("one-period-differs", ROTHERHAM, "1 April 2019", "1 April 2018", {"count": 1},
     "period-mismatch", "period"),
    ("31-february", ROTHERHAM, "to 31 March 2020", "to 31 February 2020", {}, "period-mismatch", "period"),
    ("headed-2021", RUTLAND, "Annual Review letter 2020", "Annual Review letter 2021", {},
     "period-mismatch", "period"),
    ("upheld-157", ROTHERHAM, "57%", "157%", {}, "out-of-range", "upheld.rate"),
    ("average-167", ROTHERHAM, "**67%**", "**167%**", {}, "out-of-range", "upheld.average"),
    ("compliance-67", ROTHERHAM, "In **100%** of cases", "In **67%** of cases", {},
     "compliance-shortfall", "compliance.rate"),
    ("compliance-outcomes-lost", ROTHERHAM, "Statistics are based on a total of 3 compliance outcomes ",
     "Statistics are based ", {}, "stats-missing", "compliance.outcomes"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("seed", "old", "new", "options", "code", "field"),
    [case[1:] for case in EDITS],
    ids=[case[0] for case in EDITS],
)
def test_one_edit_raises_its_code(tmp_path, seed, old, new, options, code, field):
    audit = audit_text(tmp_path, edit(seed.read_text("utf-8"), old, new, **options))
    assert field in [f.field for f in found(audit, code)], audit.findings


def test_rate_mismatch_says_what_the_counts_allow(tmp_path):
    audit = audit_text(tmp_path, edit(ROTHERHAM.read_text("utf-8"), "57%", "58%"))
    [finding] = found(audit, "rate-mismatch")
    assert finding.message.startswith("upheld 58% cannot come from 4 of 7 investigations: 4 of 7 is 57.1%")


def test_impossible_compliance_rate_lists_the_possible_ones(tmp_path):
    audit = audit_text(tmp_path, edit(ROTHERHAM.read_text("utf-8"), "In **100%**", "In **99%**"))
    [finding] = found(audit, "rate-mismatch")
    assert finding.message == (
        "99% is impossible with 3 compliance outcomes: possible rates are 0%, 33%, 67%, 100%"
    )
    assert found(audit, "compliance-shortfall")  # 99% is below 100% all the same


def test_compliance_shortfall_counts_the_outcomes_not_met(tmp_path):
    audit = audit_text(tmp_path, edit(ROTHERHAM.read_text("utf-8"), "In **100%**", "In **67%**"))
    [finding] = found(audit, "compliance-shortfall")
    assert finding.severity == "warning"
    assert finding.message.endswith("1 of 3 compliance outcomes not met")
    assert not found(audit, "rate-mismatch")


def test_out_of_range_rate_is_not_also_a_rate_mismatch(tmp_path):
    audit = audit_text(tmp_path, edit(ROTHERHAM.read_text("utf-8"), "57%", "157%"))
    assert not found(audit, "rate-mismatch")


def test_one_odd_period_is_one_finding(tmp_path):
    audit = audit_text(tmp_path, edit(ROTHERHAM.read_text("utf-8"), "1 April 2019", "1 April 2018", count=1))
    [finding] = found(audit, "period-mismatch")
    assert "2 different statistics periods" in finding.message


# --------------------------------------------------------------------------- outliers


def big_rotherham(upheld: int, investigations: int, rate: int, average: int) -> str:
    """Rotherham's letter with other upheld figures (4 of 7, 57%, average 67% in the seed)."""
    text = ROTHERHAM.read_text("utf-8")
    changes = [
        ("57% of", f"{rate}% of"),
        ("**67%**", f"**{average}%**"),
        ("4\nupheld decisions", f"{upheld}\nupheld decisions"),
        ("total of 7 detailed", f"total of {investigations} detailed"),
    ]
    for old, new in changes:
        text = edit(text, old, new) if old != new else text
    return text


def test_ninety_percent_of_forty_is_an_outlier(tmp_path):
    audit = audit_text(tmp_path, big_rotherham(36, 40, 90, 55))
    [finding] = found(audit, "outlier")
    assert (finding.severity, finding.field) == ("warning", "upheld.rate")
    assert finding.message == (
        "upheld 90% (36/40) vs similar authorities 55%: +35 points, 99% interval 72–98%, p < 0.0001"
    )


@pytest.mark.parametrize(
    ("upheld", "investigations", "rate", "average"),
    [(1, 1, 100, 55), (4, 7, 57, 90), (20, 40, 50, 55)],
    ids=["100-of-1", "57-of-7-vs-90", "50-of-40-vs-55"],
)
def test_differences_chance_explains_are_not_outliers(tmp_path, upheld, investigations, rate, average):
    audit = audit_text(tmp_path, big_rotherham(upheld, investigations, rate, average))
    assert not found(audit, "outlier")
    assert not found(audit, "rate-mismatch")


def test_remedy_outlier_is_judged_on_the_upheld_decisions(tmp_path):
    text = big_rotherham(36, 40, 90, 55)
    text = edit(text, "In **0%** of upheld", "In **75%** of upheld")
    text = edit(text, "0\nsatisfactory remedy decisions", "27\nsatisfactory remedy decisions")
    audit = audit_text(tmp_path, text)
    assert [f.field for f in found(audit, "outlier")] == ["upheld.rate", "remedy.rate"]
    assert "(27/36)" in found(audit, "outlier")[1].message
    assert not found(audit, "rate-mismatch") and not found(audit, "count-mismatch")


# --------------------------------------------------------------------------- later years

PERIOD_2022 = "for the period between 1 April 2021 to 31 March 2022"


def letter_2022(remedy_base: str = "3 upheld decisions", per_100k_average: str = "n/a") -> str:
    """A short letter in later years' wording: per-100k figures, n/a averages, remedies on upheld."""
    return "\n\n".join([
        "Local Government & Social Care OMBUDSMAN",
        "20 July 2022",
        "Ms Example\nChief Executive\nBromsgrove District Council",
        "Dear Ms Example",
        "Annual Review letter 2022",
        "I write with our annual summary of complaint statistics for the year ending 31 March 2022.",
        "Complaints upheld",
        "75% of complaints we investigated were upheld.",
        "This compares to an average of 64% in similar organisations.",
        "0.3 upheld decisions per 100,000 residents.",
        f"The average for authorities of this type is {per_100k_average} upheld decisions per 100,000 residents.",
        "3\nupheld decisions",
        f"Statistics are based on a total of 4 detailed investigations {PERIOD_2022}",
        "Compliance with Ombudsman recommendations",
        "In 100% of cases we were satisfied the organisation had successfully implemented our recommendations.",
        "This compares to an average of n/a in similar organisations.",
        f"Statistics are based on a total of 2 compliance outcomes {PERIOD_2022}",
        "Satisfactory remedy provided by the organisation",
        "In 33% of upheld cases we found the organisation had provided a satisfactory remedy before "
        "the complaint reached the Ombudsman.",
        "This compares to an average of 12% in similar organisations.",
        "1\nsatisfactory remedy decision",
        f"Statistics are based on a total of {remedy_base} {PERIOD_2022}",
        "Yours sincerely,",
    ])  # fmt: skip


@pytest.mark.parametrize(
    "remedy_base", ["3 upheld decisions", "3 detailed investigations", "4 detailed investigations"]
)
def test_later_year_conventions_raise_no_error(tmp_path, remedy_base):
    audit = audit_text(tmp_path, letter_2022(remedy_base))
    assert audit.year == 2022
    assert audit.stats.upheld.per_100k == 0.3
    assert audit.stats.upheld.per_100k_average is None
    assert audit.stats.compliance.average is None
    assert [f for f in audit.findings if f.severity == "error" or f.code in FIGURE_CODES] == []


def test_later_year_remedy_base_must_match_the_upheld_decisions(tmp_path):
    audit = audit_text(tmp_path, letter_2022("5 upheld decisions"))
    assert [f.field for f in found(audit, "count-mismatch")] == ["remedy.upheld_decisions"]


def test_later_year_remedy_total_that_fits_neither_convention(tmp_path):
    audit = audit_text(tmp_path, letter_2022("6 detailed investigations"))
    [finding] = found(audit, "count-mismatch")
    assert finding.field == "remedy.investigations"
    assert "3 or 4" in finding.message


# --------------------------------------------------------------------------- arithmetic


@pytest.mark.parametrize(
    ("stated", "k", "n", "places", "ok"),
    [
        (57, 4, 7, 0, True),
        (58, 4, 7, 0, False),
        (57.1, 4, 7, 1, True),
        (57.2, 4, 7, 1, False),
        (13, 1, 8, 0, True),  # 12.5: half up
        (12, 1, 8, 0, True),  # 12.5: half even, truncated
        (66, 2, 3, 0, True),  # 66.7 truncated
        (67, 2, 3, 0, True),
        (65, 2, 3, 0, False),
        (0, 0, 0, 0, True),  # no investigations: 0% is the convention
        (50, 0, 0, 0, False),
    ],
)
def test_a_rate_is_consistent_under_any_usual_rounding(stated, k, n, places, ok):
    assert consistent(stated, k, n, places) is ok


def test_counts_and_rates_a_total_allows():
    assert possible_rates(3) == ["0%", "33%", "67%", "100%"]
    assert counts_for(99, 3) == []
    assert counts_for(33, 3) == [1]
    assert counts_for(50, 40) == [20]


@pytest.mark.parametrize(
    ("block", "working"),
    [
        ("upheld", "4/7 = 57.1%, stated 57%: consistent"),
        ("compliance", "3/3 = 100%, stated 100%: consistent"),
        ("remedy", "0/4 = 0%, stated 0%: consistent"),
    ],
)
def test_arithmetic_of_the_seed(block, working):
    [audit] = audit_paths([ROTHERHAM]).letters
    assert arithmetic(audit.stats, block) == working


def test_arithmetic_says_inconsistent():
    stats = Stats.model_validate({"upheld": {"rate": 58, "decisions": 4, "investigations": 7}})
    assert arithmetic(stats, "upheld") == "4/7 = 57.1%, stated 58%: inconsistent"


# --------------------------------------------------------------------------- reports


def test_text_report_shows_the_finding_under_its_figure(tmp_path):
    audit_text(tmp_path, edit(ROTHERHAM.read_text("utf-8"), "57%", "58%"))
    lines = render(audit_paths([tmp_path]), "text", width=200).splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  Upheld "))
    assert lines[at + 1].strip() == "4/7 = 57.1%, stated 58%: inconsistent"
    assert lines[at + 2].strip().startswith("vs avg 67%: -10 points, 99% interval 12–94%")
    assert lines[at + 3].startswith("    error   rate-mismatch [upheld.rate]: upheld 58% cannot come")
    assert lines[at + 4].startswith("  Compliance ")


def test_markdown_report_nests_the_finding_under_its_figure(tmp_path):
    audit_text(tmp_path, edit(ROTHERHAM.read_text("utf-8"), "1 April 2019", "1 April 2018"))
    lines = render(audit_paths([tmp_path]), "markdown").splitlines()
    at = lines.index("- `Period 1 April 2018 to 31 March 2020`")
    assert lines[at + 1].startswith("  - **error** `period-mismatch` (`period`): the statistics cover")
