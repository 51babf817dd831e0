"""Answers to /lgso and `lgso show`: the query grammar, the answer models, the terminal text."""

from __future__ import annotations

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
from lgso_core.models import Finding, Severity
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
    ("outliers", "outliers"), ("outliers 2020", "outliers"), ("Deviations 2019", "deviations"),
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
        == "No 2015 letter for Rotherham Metropolitan Borough Council in the store (years held: 2020, 2019)."
    )


def test_an_empty_store_says_so(store):
    answer = ask(store, "rutland")
    assert isinstance(answer, NotFoundAnswer) and "holds no letters yet" in answer.reason


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
        "  Compliance with recommendations: 100% (similar authorities 100%, at average); "
        "3 compliance outcomes\n"
        "  Satisfactory remedies: 0% (similar authorities 11%, 11 points below average); "
        "0 of 4 upheld decisions\n"
        "  error   rate-mismatch [upheld.rate]: rate-mismatch in upheld.rate\n"
        "  unique concern [enquiry responses]: \u201cLate responses.\u201d\n"
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
    assert "5 letters: 5 new, 0 revised, 0 unchanged; 0 alerts queued." in ingested.output
    shown = runner.invoke(cli, ["show", "rotherham", "metropolitn"], env=env)
    assert shown.exit_code == 0
    assert shown.output.startswith("Rotherham Metropolitan Borough Council (metropolitan, 2020)\n")
    assert "unique concern [enquiry responses]" in shown.output
    missing = runner.invoke(cli, ["show", "xyzzy"], env=env)
    assert (missing.exit_code, missing.output) == (1, "No authority in the store matches 'xyzzy'.\n")
