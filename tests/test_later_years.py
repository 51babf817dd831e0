"""The checks on later years' letters: their wording is never an error, their errors still are.

Each case edits one letter of the team's corpus (tests/data/letters) and audits the copy
end to end, as a user would audit a letter alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lgso_core import audit_paths
from lgso_core.identify import find_year, stated_years
from lgso_core.models import Paragraph

LETTERS = Path(__file__).parent / "data" / "letters"
WEST_DEVON = LETTERS / "2022" / "west-devon-borough.txt"  # "a total of 1 investigations"
COTSWOLD = LETTERS / "2024" / "cotswold-district.txt"  # 2023-24 heading, per 100,000
BOLSOVER = LETTERS / "2021" / "bolsover-district.txt"  # nothing upheld, nothing due
WIGAN = LETTERS / "2020" / "wigan.txt"


def audit(tmp_path: Path, text: str):
    path = tmp_path / "letter.txt"
    path.write_text(text, "utf-8")
    report = audit_paths([path])
    assert report.errors == []
    return report.letters[0]


def codes(a) -> list[str]:
    return [f.code for f in a.findings]


@pytest.mark.parametrize(
    ("heading", "year"),
    [
        ("Annual Review letter 2023-24", 2024),
        ("Annual Review letter 2023/24", 2024),
        ("Annual Review letter 2023 \u2013 2024", 2024),
        ("Annual Review letter 2024", 2024),
        ("Annual review letter 2019-20", 2020),
    ],
)
def test_year_from_the_heading(heading, year):
    assert find_year([Paragraph(text="Dear Ms X"), Paragraph(text=heading)]) == year


@pytest.mark.parametrize(
    "sentence",
    [
        "your authority for the year ended 31 March 2024.",
        "your organisation for the year ending 31st March 2024.",
        "your organisation for the year ending 31 March, 2024.",
    ],
)
def test_year_from_year_ended(sentence):
    assert stated_years([Paragraph(text=f"I write to you about {sentence}")]) == {"year ending": 2024}


def test_the_period_outvotes_a_wrong_heading_and_a_wrong_period_is_still_caught(tmp_path):
    text = COTSWOLD.read_text("utf-8")
    assert "year ending 31 March 2024" in text and text.count("1 April 2023 to 31 March 2024") == 3
    wrong_period = text.replace("1 April 2023 to 31 March 2024", "1 April 2022 to 31 March 2023")
    a = audit(tmp_path, wrong_period)
    assert a.year == 2024  # the heading (2023-24) and "year ending 31 March 2024" outvote it
    assert "period-mismatch" in codes(a)


def test_a_range_heading_is_not_a_period_mismatch(tmp_path):
    a = audit(tmp_path, COTSWOLD.read_text("utf-8"))
    assert "Annual Review letter 2023-24" in COTSWOLD.read_text("utf-8")
    assert a.year == 2024
    assert "period-mismatch" not in codes(a)


def test_the_templates_own_grammar_is_not_an_error(tmp_path):
    text = WEST_DEVON.read_text("utf-8")
    assert "a total of 1 investigations" in text
    assert "plural-mismatch" not in codes(audit(tmp_path, text))


def test_a_singular_total_after_many_is_still_an_error(tmp_path):
    text = COTSWOLD.read_text("utf-8")
    assert "a total of 1 compliance outcomes" in text
    a = audit(tmp_path, text.replace("a total of 1 compliance outcomes", "a total of 4 compliance outcome"))
    assert [f.field for f in a.findings if f.code == "plural-mismatch"] == ["compliance.outcomes"]


def test_a_count_line_is_inflected_in_every_year(tmp_path):
    text = WEST_DEVON.read_text("utf-8")
    assert "1\nupheld decision\n" in text
    a = audit(tmp_path, text.replace("1\nupheld decision\n", "1\nupheld decisions\n"))
    assert [f.field for f in a.findings if f.code == "plural-mismatch"] == ["upheld.decisions"]


def test_in_2020_the_total_inflects_too(tmp_path):
    text = WIGAN.read_text("utf-8")
    edited = text.replace("a total of ", "a total of 1 detailed investigations and ", 1)
    a = audit(tmp_path, edited)
    assert "plural-mismatch" in codes(a)


def test_nothing_upheld_is_data_not_news(tmp_path):
    a = audit(tmp_path, BOLSOVER.read_text("utf-8"))
    assert a.stats.upheld.decisions == 0
    assert a.stats.upheld.rate is None and a.stats.remedy.rate is None
    assert not {"stats-missing", "stats-unparsed"} & set(codes(a))
    assert not [d for d in a.deviations if "uphold any" in d.text]


def test_a_statistics_sentence_with_an_untied_figure_is_noted_not_a_deviation(tmp_path):
    text = COTSWOLD.read_text("utf-8")
    extra = "We received 14 complaints and enquiries about the Council."
    edited = text.replace(
        "Compliance with Ombudsman recommendations",
        f"{extra}\n\nCompliance with Ombudsman recommendations",
        1,
    )
    assert edited.index(extra) > edited.index("Complaints upheld")
    a = audit(tmp_path, edited)
    notes = [f for f in a.findings if f.code == "stats-unparsed"]
    assert len(notes) == 1 and "14 complaints" in notes[0].message and notes[0].severity == "info"
    assert not [d for d in a.deviations if "14 complaints" in d.text]
    assert a.stats.compliance.outcomes == 1  # the other figures are read as before


def test_a_shortfall_in_compliance_is_found_in_the_later_wording(tmp_path):
    text = COTSWOLD.read_text("utf-8")
    assert "100% of cases we were satisfied" in text
    a = audit(tmp_path, LETTERS.joinpath("2024", "sandwell.txt").read_text("utf-8"))
    assert a.stats.compliance.rate is not None and a.stats.compliance.rate < 100
    assert "compliance-shortfall" in codes(a)


def test_a_readme_quoting_letters_is_not_audited_as_a_letter():
    """The corpus folder's README quotes every year's wording and figures."""
    report = audit_paths([str(LETTERS)])
    readme = str(LETTERS / "README.md")
    assert readme not in [a.source for a in report.letters]
    assert [e.source for e in report.errors] == [readme]
    assert "does not look like an annual review letter" in report.errors[0].error
    assert len(report.letters) == 35
