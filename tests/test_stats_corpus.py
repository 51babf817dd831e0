"""Every year's wording: the team's corpus (tests/data/letters) read figure by figure.

The expected figures were written by hand beside each letter (see its README). Each letter
is audited on its own and must give exactly those figures, its authority, type and year,
and no error finding: the Ombudsman's own wording is never an error.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pdfgen import make_letter_pdf, split_paragraphs

from lgso_core import audit_paths
from lgso_core.models import DealtWithStats

LETTERS = Path(__file__).parent / "data" / "letters"
CORPUS = sorted(p for p in LETTERS.glob("*/*") if p.suffix in (".txt", ".md"))


def expected(letter: Path) -> dict:
    return json.loads(letter.with_name(f"{letter.stem}.expected.json").read_text("utf-8"))


def assert_reads(got, want: dict) -> None:
    """The audit has the letter's expected authority, type, year and statistics."""
    assert (got.authority, got.authority_type, got.year) == (
        want["authority"],
        want["authority_type"],
        want["year"],
    )
    stats = got.stats.model_dump(mode="json", exclude={"dealt_with"}) if got.stats else None
    assert stats == want["stats"]


@pytest.fixture(scope="module")
def audits() -> dict[str, object]:
    report = audit_paths([str(p) for p in CORPUS], jobs=1)
    assert not report.errors
    return {a.source: a for a in report.letters}


@pytest.mark.parametrize("letter", CORPUS, ids=[f"{p.parent.name}-{p.stem}" for p in CORPUS])
def test_figures_year_and_authority(letter, audits):
    want = expected(letter)
    got = audits[str(letter)]
    assert_reads(got, want)
    other = want.get("other_figures", {})
    dealt = got.stats.dealt_with if got.stats and got.stats.dealt_with else DealtWithStats()
    assert (dealt.total, dealt.not_for_us, dealt.assessed_and_closed, dealt.investigated) == (
        other.get("complaints and enquiries dealt with"),
        other.get("not for us"),
        other.get("assessed and closed"),
        other.get("investigated"),
    )


@pytest.mark.parametrize("letter", CORPUS, ids=[f"{p.parent.name}-{p.stem}" for p in CORPUS])
def test_no_error_and_nothing_left_unread(letter, audits):
    got = audits[str(letter)]
    codes = [f.code for f in got.findings]
    assert not [f for f in got.findings if f.severity == "error"], got.findings
    assert "stats-missing" not in codes, got.findings
    assert "stats-unparsed" not in codes, got.findings


@pytest.mark.parametrize("letter", CORPUS, ids=[f"{p.parent.name}-{p.stem}" for p in CORPUS])
def test_alone_reads_the_same_figures(letter, audits):
    alone = audit_paths([str(letter)], jobs=1).letters[0]
    assert (alone.year, alone.stats) == (audits[str(letter)].year, audits[str(letter)].stats)


def test_every_year_is_covered():
    assert {p.parent.name for p in CORPUS} >= {str(y) for y in range(2019, 2026)}


TEXT_LETTERS = [p for p in CORPUS if p.suffix == ".txt"]


@pytest.fixture(scope="module")
def pdf_audits(tmp_path_factory) -> dict[str, object]:
    """Each .txt letter typeset as a PDF (running header, 'Page N of M', the statistics on a
    page of their own, as the Ombudsman's PDFs have them) and audited as one batch."""
    folder = tmp_path_factory.mktemp("pdfs")
    for letter in TEXT_LETTERS:
        paragraphs = split_paragraphs(letter.read_text("utf-8"))
        signed = next(i for i, p in enumerate(paragraphs) if p.startswith("Yours sincerely"))
        out = folder / f"{letter.parent.name}-{letter.stem}.pdf"
        make_letter_pdf(paragraphs, out, stats_from=signed + 2)
    report = audit_paths([str(folder)], jobs=1)
    assert not report.errors
    return {Path(a.source).stem: a for a in report.letters}


@pytest.mark.parametrize("letter", TEXT_LETTERS, ids=[f"{p.parent.name}-{p.stem}" for p in TEXT_LETTERS])
def test_a_pdf_of_the_letter_reads_the_same(letter, pdf_audits):
    want = expected(letter)
    got = pdf_audits[f"{letter.parent.name}-{letter.stem}"]
    assert_reads(got, want)
    assert not [f for f in got.findings if f.severity == "error"], got.findings
