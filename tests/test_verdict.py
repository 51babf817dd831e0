"""What an alert announces about a letter, and the reply when a re-audit changes it."""

from __future__ import annotations

from synthetic import error, make_audit, outlier

from lgso_core.verdict import describe, reply_text, verdict


def test_a_letter_with_nothing_to_report_has_no_verdict():
    quiet = make_audit()
    assert verdict(quiet) == ""
    assert describe(quiet) == "nothing to report"


def test_the_verdict_names_unique_paragraphs_error_codes_and_outlier_fields():
    loud = make_audit(
        unique=["Late.", "Again late."], findings=[error(), error("plural-mismatch"), outlier()]
    )
    assert verdict(loud) == "unique 2; errors plural-mismatch rate-mismatch; outliers upheld.rate"
    assert (
        describe(loud)
        == "2 unique paragraphs, 2 errors (plural-mismatch, rate-mismatch), 1 outlier (upheld.rate)"
    )


def test_the_same_counts_with_other_codes_are_another_verdict():
    assert verdict(make_audit(findings=[error()])) != verdict(make_audit(findings=[error("count-mismatch")]))


def test_the_reply_says_what_the_letter_was_judged_against_now_and_before():
    before = make_audit(unique=["Late."])
    after = make_audit(findings=[outlier("remedy.rate")]).model_copy(update={"template": "saved:2024"})
    assert reply_text(after, before) == (
        "Re-audited against the saved:2024 template: now 1 outlier (remedy.rate); was 1 unique paragraph."
    )
    assert (
        reply_text(after, None) == "Re-audited against the saved:2024 template: now 1 outlier (remedy.rate)."
    )
