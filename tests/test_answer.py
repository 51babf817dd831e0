"""Answers to /lgso and `lgso show`: the query grammar, the answer models, the terminal text."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from lgso.cli import cli
from lgso_core.answer import (
    AuthorityAnswer,
    ChoicesAnswer,
    HelpAnswer,
    ListingAnswer,
    NotFoundAnswer,
    alert_headline,
    ask,
    audit_answer,
    render_text,
)
from lgso_core.models import ComplianceStats, Finding, Period, RemedyStats, Severity, Stats, UpheldStats
from lgso_core.store import Store
from tests.synthetic import SEEDS, error, make_audit, outlier

INFO = Finding(code="changed-paragraph", severity=Severity.INFO, message="reworded")
WARN = Finding(
    code="compliance-shortfall", severity=Severity.WARNING, message="below 100%", field="compliance.rate"
)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "audits.sqlite3") as s:
        yield s


@pytest.mark.parametrize(("text", "kind"), [
    ("", "help"), ("help", "help"), ("  HELP ", "help"),
    ("outliers", "outliers"), ("outliers 2020", "outliers"), ("Deviations 2020", "deviations"),
    ("deviations 2019", "not_found"),
])  # fmt: skip
def test_grammar(store, text, kind):
    store.ingest([make_audit()])
    assert ask(store, text).kind == kind


def test_a_bad_year_is_explained(store):
    answer = ask(store, "outliers twenty")
    assert (
        isinstance(answer, HelpAnswer)
        and answer.problem == "outliers takes a year such as 2020; got 'twenty'"
    )


def test_name_and_year(store):
    store.ingest([make_audit(year=2019, salt="19"), make_audit(year=2020, salt="20")])
    assert ask(store, "rotherham").year == 2020
    assert ask(store, "rotherham 2019").year == 2019
    missing = ask(store, "rotherham 2015")
    assert isinstance(missing, NotFoundAnswer)
    assert (
        missing.reason
        == "No 2015 letter for Rotherham Metropolitan Borough Council in the store (years held: 2019, 2020)."
    )


def test_an_empty_store_says_so(store):
    for question in ("rutland", "outliers", "deviations 2020"):
        answer = ask(store, question)
        assert isinstance(answer, NotFoundAnswer) and "holds no letters yet" in answer.reason


def test_a_year_with_no_letters_is_not_a_year_without_findings(store):
    store.ingest([make_audit(year=2020, findings=[error()]), make_audit(year=2023, salt="23")])
    for question in ("outliers 2024", "deviations 2024"):
        answer = ask(store, question)
        assert isinstance(answer, NotFoundAnswer)
        assert answer.reason == "No 2024 letters in the store (years held: 2020, 2023)."
    # a year held with nothing to report is a listing with no rows, not "no letters"
    assert ask(store, "deviations 2023").rows == []
    assert (
        render_text(ask(store, "outliers 2024")) == "No 2024 letters in the store (years held: 2020, 2023).\n"
    )


def test_the_answer_names_the_file_never_the_folder():
    for source, name in [
        ("/srv/lgso/inbox/2020/rotherham.pdf", "rotherham.pdf"),
        ("letters\\2020\\Rutland County Council.txt", "Rutland County Council.txt"),
        ("rutland.html", "rutland.html"),
    ]:
        assert audit_answer(make_audit(source=source)).file_name == name


def test_date_period_and_link():
    stats = make_audit().stats.model_copy(
        update={"period": Period(start=dt.date(2019, 4, 1), end=dt.date(2020, 3, 31))}
    )
    audit = make_audit(stats=stats).model_copy(update={"date": dt.date(2020, 7, 22)})
    a = audit_answer(audit)
    assert (a.date, a.period) == ("22 July 2020", "1 April 2019 to 31 March 2020")
    assert a.link == (
        "https://www.lgo.org.uk/your-councils-performance/rotherham-metropolitan-borough-council/statistics"
    )
    no_stats = audit_answer(make_audit(stats=None).model_copy(update={"authority": None}))
    assert (no_stats.date, no_stats.period, no_stats.link) == (None, None, None)


def test_each_rate_carries_the_outlier_verdict():
    # 36 of 40 upheld against 55%: far beyond chance. 4 of 7 against 67%: P(X <= 4) for
    # X ~ Bin(7, 0.67) is 0.42, doubled 0.84 (worked by hand), so within chance.
    far = Stats(upheld=UpheldStats(rate=90, average=55, decisions=36, investigations=40),
                compliance=ComplianceStats(rate=100, average=100, outcomes=3),
                remedy=RemedyStats(rate=None, average=None))  # fmt: skip
    upheld, compliance, remedy = audit_answer(make_audit(stats=far)).rates
    assert upheld.verdict.startswith("outlier: +35 points, 99% interval ")
    assert upheld.verdict.endswith("p < 0.0001")
    assert (compliance.verdict, remedy.verdict) == ("", "")  # no test of compliance; no remedy counts
    near = audit_answer(make_audit()).rates[0]
    assert near.verdict.startswith("within chance: -10 points") and near.verdict.endswith("p = 0.84")


def test_the_authority_answer(store):
    store.ingest([make_audit(unique=["Late responses."], findings=[INFO, WARN, error(), outlier()]),
                  make_audit(year=2019, salt="old")])  # fmt: skip
    a = ask(store, "rotherham metropolitn")
    assert isinstance(a, AuthorityAnswer)
    assert (a.authority, a.authority_type, a.year, a.query) == (
        "Rotherham Metropolitan Borough Council", "metropolitan", 2020, "rotherham metropolitn")  # fmt: skip
    assert [f.severity.value for f in a.findings] == ["error", "warning", "warning", "info"]
    assert "unique-paragraph" not in [f.code for f in a.findings]  # quoted instead
    assert [q.text for q in a.unique] == ["Late responses."]
    upheld = a.rates[0]
    assert (upheld.rate, upheld.average, upheld.counts, upheld.outlier, upheld.error) == (
        57, 67, "4 of 7 investigations upheld", True, True)  # fmt: skip
    assert upheld.difference == "10 points below average"
    assert [y.year for y in a.other_years] == [2019]


def test_terminal_text():
    answer = audit_answer(make_audit(unique=["Late responses."], findings=[error()]))
    assert render_text(answer) == (
        "Rotherham Metropolitan Borough Council (metropolitan, 2020)\n"
        "  letter: letters/rotherham-metropolitan-borough-council-2020.txt\n"
        "  Complaints upheld: 57% (similar authorities 67%, 10 points below average); "
        "4 of 7 investigations upheld [error]\n"
        "    within chance: -10 points, 99% interval 12\u201394%, p = 0.84\n"
        "  Compliance with recommendations: 100% (similar authorities 100%, at average); "
        "3 compliance outcomes\n"
        "  Satisfactory remedies: 0% (similar authorities 11%, 11 points below average); "
        "0 of 4 upheld decisions\n"
        "    within chance: -11 points, 99% interval 0\u201373%, p = 1.00\n"
        "  error   rate-mismatch [upheld.rate]: rate-mismatch in upheld.rate\n"
        "  unique concern [enquiry responses]: \u201cLate responses.\u201d\n"
        "  The Ombudsman's page: https://www.lgo.org.uk/your-councils-performance/"
        "rotherham-metropolitan-borough-council/statistics\n"
    )


def test_choices_and_listing(store):
    store.ingest([make_audit("Royal Borough of Kingston upon Thames", kind="london", unique=["u"]),
                  make_audit("Hull City Council", kind="unitary", findings=[outlier()]),
                  make_audit("Leeds City Council", findings=[error()]),
                  make_audit("York Council", 2019, kind="unitary", findings=[error()])])  # fmt: skip
    choices = ask(store, "kingston")
    assert isinstance(choices, ChoicesAnswer)
    assert sorted(c.name for c in choices.choices) == [
        "Hull City Council",
        "Royal Borough of Kingston upon Thames",
    ]
    outliers = ask(store, "outliers")
    assert isinstance(outliers, ListingAnswer) and outliers.year == 2020
    assert render_text(outliers) == (
        "Outliers and errors, 2020: 2 authorities\n"
        "  Leeds City Council (2020): 1 error (rate-mismatch)\n"
        "  Hull City Council (2020): 1 outlier (upheld.rate)\n"
    )
    assert render_text(ask(store, "deviations")) == (
        "Unique paragraphs, 2020: 1 authority\n"
        "  Royal Borough of Kingston upon Thames (2020): concern, enquiry responses (1 unique paragraph)\n"
    )
    assert [r.authority for r in ask(store, "outliers 2019").rows] == ["York Council"]


def test_alert_headline():
    audit = make_audit(unique=["Late."])
    assert alert_headline(audit) == (
        "Rotherham Metropolitan Borough Council: concern, enquiry responses (2020)"
    )
    both = make_audit(unique=["a", "b"], findings=[error(), outlier("remedy.rate")])
    assert alert_headline(both, revised=True) == (
        "Rotherham Metropolitan Borough Council: concern, enquiry responses; 1 error: rate-mismatch; "
        "outlier remedy.rate (2020) (revised letter)")  # fmt: skip
    long = make_audit("X" * 500, unique=["a"])
    assert len(alert_headline(long)) <= 300 and alert_headline(long).endswith("\u2026 (2020)")


def test_lgso_show_prints_what_the_bot_answers(tmp_path):
    env = {"LGSO_DB": str(tmp_path / "audits.sqlite3"), "LGSO_ALERT_CHANNEL": None}
    runner = CliRunner()
    ingested = runner.invoke(cli, ["ingest", str(SEEDS)], env=env)
    assert ingested.exit_code == 0
    assert "5 letters: 5 new, 0 revised, 0 unchanged; 1 alert queued." in ingested.output
    shown = runner.invoke(cli, ["show", "rotherham", "metropolitn"], env=env)
    assert shown.exit_code == 0
    assert shown.output.startswith(
        "Rotherham Metropolitan Borough Council (metropolitan, 2020)\n"
        f"  letter: {SEEDS / '000_2d41e673c27088b3.txt'}, dated 22 July 2020; "
        "statistics 1 April 2019 to 31 March 2020\n"
    )
    assert "unique concern [enquiry responses]" in shown.output
    missing = runner.invoke(cli, ["show", "xyzzy"], env=env)
    assert (missing.exit_code, missing.output) == (1, "No authority in the store matches 'xyzzy'.\n")
