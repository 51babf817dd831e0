"""Reading the statistics in the wordings letters use across the years."""

from __future__ import annotations

import pytest
from synth import LETTERS_2022, letter_2022

from lgso_core.models import Paragraph
from lgso_core.normalize import normalize_pages
from lgso_core.stats import extract_stats, is_stats_paragraph


def read(text: str):
    return extract_stats(normalize_pages([text]))


def test_2022_wording_with_per_100k_and_na():
    person, authority, figures = LETTERS_2022[0]
    ex = read(letter_2022(person, authority, figures))
    s = ex.stats
    assert (s.upheld.rate, s.upheld.average, s.upheld.decisions, s.upheld.investigations) == (67, 68, 20, 30)
    assert (s.upheld.per_100k, s.upheld.per_100k_average) == (1.1, 0.9)
    assert (s.compliance.rate, s.compliance.average, s.compliance.outcomes) == (100, None, 9)
    assert (s.remedy.rate, s.remedy.average, s.remedy.decisions) == (10, 12, 2)
    assert (s.remedy.upheld_decisions, s.remedy.investigations) == (20, None)
    assert (str(s.period.start), str(s.period.end)) == ("2021-04-01", "2022-03-31")
    assert ex.blocks == ("upheld", "compliance", "remedy")


RUN_TOGETHER = (
    "Complaints upheld 40% of complaints we investigated were upheld. This compares to an "
    "average of 45% in similar authorities. 2 upheld decisions Statistics are based on a total "
    "of 5 detailed investigations for the period between 1 April 2019 to 31 March 2020 "
    "Compliance with Ombudsman recommendations In 100% of cases we were satisfied the authority "
    "had successfully implemented our recommendations. This compares to an average of 99% in "
    "similar authorities. Statistics are based on a total of 2 compliance outcomes for the period "
    "between 1 April 2019 to 31 March 2020 Satisfactory remedies provided by the authority In 0% "
    "of upheld cases we found the authority had provided a satisfactory remedy before the "
    "complaint reached the Ombudsman. This compares to an average of 20% in similar authorities. "
    "0 satisfactory remedy decisions Statistics are based on a total of 5 detailed investigations "
    "for the period between 1 April 2019 to 31 March 2020"
)


def test_statistics_run_together_in_one_paragraph():
    s = extract_stats([Paragraph(text=RUN_TOGETHER)]).stats
    assert s.upheld.model_dump(exclude_none=True) == {
        "rate": 40,
        "average": 45,
        "decisions": 2,
        "investigations": 5,
    }
    assert s.compliance.model_dump(exclude_none=True) == {"rate": 100, "average": 99, "outcomes": 2}
    assert s.remedy.model_dump(exclude_none=True) == {
        "rate": 0,
        "average": 20,
        "decisions": 0,
        "investigations": 5,
    }


def test_big_figure_on_its_own_line_is_rejoined():
    text = "Complaints upheld\n\n57%\n\nof complaints we investigated were upheld.\n\n4\n\nupheld decisions"
    s = read(text).stats
    assert (s.upheld.rate, s.upheld.decisions) == (57, 4)


def test_no_recommendations_due_leaves_compliance_null():
    text = (
        "Compliance with Ombudsman recommendations\n\n"
        "No recommendations were due for compliance in this period\n\n"
        "Complaints upheld\n\n50% of complaints we investigated were upheld."
    )
    ex = read(text)
    assert ex.no_compliance_due and "compliance" in ex.blocks
    assert ex.stats.compliance.model_dump(exclude_none=True) == {}
    assert ex.stats.upheld.rate == 50


@pytest.mark.parametrize(
    ("sentence", "field", "value"),
    [
        ("This compares to an average of n/a in similar organisations.", "average", None),
        ("This compares to an average of 7.5% in similar organisations.", "average", 7.5),
        ("0.9 upheld decisions per 100,000 residents.", "per_100k", 0.9),
        ("n/a upheld decisions per 100,000 residents.", "per_100k", None),
        (
            "The average for District Councils is 0.4 upheld decisions per 100,000 residents.",
            "per_100k_average",
            0.4,
        ),
        (
            "This compares to an average of 1.2 upheld decisions per 100,000 residents",
            "per_100k_average",
            1.2,
        ),
    ],
)
def test_later_year_sentences(sentence, field, value):
    text = f"Complaints upheld\n\n60% of complaints we investigated were upheld.\n\n{sentence}"
    ex = read(text)
    mention = [m for m in ex.mentions if m.field == f"upheld.{field}"]
    assert [m.value for m in mention] == [value]


def test_letter_body_is_not_statistics():
    body = [
        "Complaints upheld - We uphold complaints when we find some form of fault in an authority's actions.",
        "An authority with a compliance rate below 100% should scrutinise those complaints.",
        "Finally, we compare the three key annual statistics to work out an average level of performance.",
        "During the year, we delivered 118 courses, training more than 1,400 people.",
    ]
    assert not any(is_stats_paragraph(t) for t in body)
    assert extract_stats([Paragraph(text=t) for t in body]).stats is None


@pytest.mark.parametrize("minus", ["-", "\u2212"])
def test_negative_figures_are_read_as_printed(minus):
    text = f"Complaints upheld\n\n{minus}57% of complaints we investigated were upheld.\n\n{minus}4 upheld decisions"
    s = read(text).stats
    assert (s.upheld.rate, s.upheld.decisions) == (-57, -4)


@pytest.mark.parametrize(
    "sentence",
    ["1.5 upheld decisions", "Statistics are based on a total of 2.5 detailed investigations"],
)
def test_a_count_with_decimals_is_no_count_but_a_note(sentence):
    ex = read(f"Complaints upheld\n\n50% of complaints we investigated were upheld.\n\n{sentence}")
    assert (ex.stats.upheld.decisions, ex.stats.upheld.investigations) == (None, None)
    assert ex.unparsed == (sentence,)
