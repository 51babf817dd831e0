"""Headlines led by tone, and unique paragraphs grouped by tone, concerns first."""

from __future__ import annotations

from synthetic import error, make_audit, outlier

from lgso_core import audit_paths
from lgso_core.headline import about, about_text, by_tone, headline, tone_topics
from lgso_core.models import Deviation
from lgso_core.render import render


def dev(tone: str, *tags: str, kind: str = "unique") -> Deviation:
    return Deviation(kind=kind, text=f"{tone} {tags}", template=None, score=5.0, tags=list(tags), tone=tone)


def letter(*devs: Deviation, findings=()):
    return make_audit().model_copy(update={"deviations": list(devs), "findings": list(findings)})


def test_the_issues_example_from_the_real_rotherham_letter():
    report = audit_paths(["tests/data/seeds/000_2d41e673c27088b3.txt"])
    assert (
        headline(report.letters[0])
        == "Rotherham Metropolitan Borough Council: concern, enquiry responses (2020)"
    )


def test_concerns_lead_then_praise_then_information():
    audit = letter(
        dev("information", "other"), dev("praise", "training"), dev("concern", "remedies", "housing")
    )
    assert list(by_tone(audit.deviations)) == ["concern", "praise", "information"]
    assert about(audit) == ["concern", "remedies", "housing"]
    assert about_text(audit) == "concern, remedies, housing; praise, training; information, other"


def test_a_tones_topics_are_its_main_topics_first_and_other_only_alone():
    devs = [dev("concern", "housing", "remedies"), dev("concern", "remedies"), dev("concern", "other")]
    assert tone_topics(devs) == [("concern", ["remedies", "housing"])]
    assert tone_topics([dev("information", "other")]) == [("information", ["other"])]


def test_changed_and_missing_paragraphs_do_not_make_the_headline():
    audit = letter(dev("concern", "remedies", kind="changed"), dev("praise", "training"))
    assert about(audit) == ["praise", "training"]


def test_errors_and_outliers_follow_the_tones():
    audit = letter(dev("concern", "compliance"), findings=[error(), error(), outlier("upheld.rate")])
    assert headline(audit, revised=True) == (
        "Rotherham Metropolitan Borough Council: concern, compliance; 2 errors: rate-mismatch; "
        "outlier upheld.rate (2020) (revised letter)"
    )
    assert headline(letter()) == "Rotherham Metropolitan Borough Council: nothing to report (2020)"


def test_a_long_headline_is_cut_keeping_the_year():
    audit = letter(dev("concern", "compliance")).model_copy(update={"authority": "X" * 500})
    line = headline(audit)
    assert len(line) == 300 and line.endswith("… (2020)")


def test_text_report_groups_the_batchs_unique_paragraphs_by_tone_concerns_first():
    praised = letter(dev("praise", "training")).model_copy(update={"authority": "Rutland County Council"})
    worried = letter(dev("concern", "remedies"))
    report = audit_paths(["tests/data/seeds/001_c0b09b6ab8458cd9.txt"]).model_copy(
        update={"letters": [praised, worried]}
    )
    text = render(report, "text")
    section = text[text.index("\nUnique paragraphs by tone") + 1 :]
    assert section.splitlines()[:7] == [
        "Unique paragraphs by tone",
        "concern (1)",
        "  Rotherham Metropolitan Borough Council (2020) [remedies]",
        "      concern ('remedies',)",
        "praise (1)",
        "  Rutland County Council (2020) [training]",
        "      praise ('training',)",
    ]
    markdown = render(report, "markdown")
    assert markdown.index("### concern (1)") < markdown.index("### praise (1)")
    assert "**Unique:** concern, remedies" in markdown
