"""The CSV reports (lgso_core.report_csv): one row per letter, or one per deviation."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pytest
from report_batch import CHANGED_FROM, CHANGED_TO, later_letter
from synthetic import SEEDS

from lgso_core import audit_paths
from lgso_core.models import AuditReport, InputError, TemplateInfo
from lgso_core.report_csv import LETTER_COLUMNS, PARAGRAPH_COLUMNS, cell, render_csv, render_csv_paragraphs


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def seeds_report() -> AuditReport:
    return audit_paths([str(SEEDS)])


def binomial_p(k: int, n: int, p: float) -> float:
    """Two-sided exact binomial p-value (doubling the smaller tail), from the definition."""
    pmf = [math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(n + 1)]
    return min(1.0, 2 * min(sum(pmf[: k + 1]), sum(pmf[k:])))


def test_a_letter_row_holds_every_figure(seeds_report):
    rows = rows_of(render_csv(seeds_report))
    assert list(rows[0]) == list(LETTER_COLUMNS)
    rotherham = rows[0]
    # Rotherham, as printed: 57% upheld (avg 67%) of 7 investigations, 4 upheld decisions;
    # compliance 100% (avg 100%) of 3 outcomes; remedy 0% (avg 11%), 0 remedy decisions of
    # the 4 upheld (2020 letters state the 7 investigations under it).
    expected = {
        "source": str(SEEDS / "000_2d41e673c27088b3.txt"), "status": "audited",
        "authority": "Rotherham Metropolitan Borough Council", "authority_type": "metropolitan",
        "year": "2020", "template": "builtin:2020",
        "period.start": "2019-04-01", "period.end": "2020-03-31",
        "upheld.rate": "57", "upheld.average": "67", "upheld.decisions": "4", "upheld.investigations": "7",
        "upheld.per_100k": "", "upheld.per_100k_average": "",
        "compliance.rate": "100", "compliance.average": "100", "compliance.outcomes": "3",
        "remedy.rate": "0", "remedy.average": "11", "remedy.decisions": "0", "remedy.investigations": "7",
        "remedy.upheld_decisions": "", "remedy.base": "4",
        "unique": "1", "changed": "0", "missing": "0", "errors": "0", "warnings": "1", "info": "0",
        "outliers": "0", "codes": "unique-paragraph", "topics": "enquiry responses",
        "error": "",
    }  # fmt: skip
    assert {k: rotherham[k] for k in expected} == expected
    assert rotherham["tone"] == "concern"
    assert float(rotherham["upheld.p_value"]) == pytest.approx(binomial_p(4, 7, 0.67), abs=1e-3)
    assert float(rotherham["remedy.p_value"]) == pytest.approx(binomial_p(0, 4, 0.11), abs=1e-3)
    # The 99% interval for 4 of 7 holds 4/7 and lies well inside 0-100.
    assert 5 < float(rotherham["upheld.interval_low"]) < 57.1 < float(rotherham["upheld.interval_high"]) < 99


def test_a_letter_without_statistics_has_empty_figures(seeds_report):
    ashfield = rows_of(render_csv(seeds_report))[2]
    assert ashfield["authority"] == "Ashfield District Council"
    figures = [c for c in LETTER_COLUMNS if "." in c]
    assert {ashfield[c] for c in figures} == {""}
    assert (ashfield["warnings"], ashfield["codes"]) == ("1", "stats-missing")


def test_later_years_per_100k_and_remedy_base(tmp_path):
    for name in ("Kent County Council", "Surrey County Council", "Essex County Council"):
        text = later_letter(2022, "Ms Example", name, "county", 30, 50, None)
        (tmp_path / f"{name}.txt").write_text(text, "utf-8")
    row = rows_of(render_csv(audit_paths([str(tmp_path)])))[0]
    # 30 of 50 upheld (60%), 0.7 per 100,000 (avg 0.7); 6 remedies of the 30 upheld decisions.
    assert (row["year"], row["upheld.per_100k"], row["upheld.per_100k_average"]) == ("2022", "0.7", "0.7")
    assert (row["remedy.decisions"], row["remedy.upheld_decisions"], row["remedy.base"]) == ("6", "30", "30")
    assert (row["period.start"], row["period.end"]) == ("2021-04-01", "2022-03-31")
    assert row["compliance.average"] == ""  # printed as n/a


def test_an_unreadable_file_is_a_row_too(seeds_report):
    report = seeds_report.model_copy(update={"errors": [InputError(source="=cmd.txt", error="empty file")]})
    rows = rows_of(render_csv(report))
    assert len(rows) == 6
    assert {k: v for k, v in rows[-1].items() if v} == {"source": "'=cmd.txt", "status": "unreadable",
                                                         "error": "empty file"}  # fmt: skip


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_text_cell_never_starts_a_formula(start):
    assert cell(f"{start}HYPERLINK(1)") == f"'{start}HYPERLINK(1)"
    assert cell(f"a{start}b") == f"a{start}b"
    assert cell(-3) == -3 and cell(None) == ""


def test_paragraph_rows_one_per_deviation(tmp_path):
    rutland = (SEEDS / "001_c0b09b6ab8458cd9.txt").read_text("utf-8").replace(CHANGED_FROM, CHANGED_TO)
    formula = '=HYPERLINK("http://127.0.0.1:9", "click") is what this paragraph says to the Council.'
    rutland = rutland.replace(
        "Resources to help you get it right", formula + "\n\nResources to help you get it right"
    )
    (tmp_path / "rutland.txt").write_text(rutland, "utf-8")
    report = audit_paths([str(tmp_path)])
    rows = rows_of(render_csv_paragraphs(report))
    assert list(rows[0]) == list(PARAGRAPH_COLUMNS)
    assert [(r["deviation"], r["kind"]) for r in rows] == [("1", "unique"), ("2", "changed")]  # letter order
    changed = next(r for r in rows if r["kind"] == "changed")
    assert "[-encourage-]" in changed["diff"] and "strongly urge" in changed["diff"]
    assert changed["template"].startswith("I would encourage you to share the tool")
    unique = next(r for r in rows if r["kind"] == "unique")
    assert unique["text"] == "'" + formula
    assert unique["authority"] == "Rutland County Council" and unique["year"] == "2020"


def test_an_empty_report_is_a_header_only():
    report = AuditReport(template=TemplateInfo(source="builtin:2020", paragraphs=36), letters=[], errors=[])
    assert render_csv(report) == ",".join(LETTER_COLUMNS) + "\n"
    assert render_csv_paragraphs(report) == ",".join(PARAGRAPH_COLUMNS) + "\n"


def test_every_figure_of_a_2025_letter_has_its_column():
    # tests/data/letters/2025/hounslow: 98 complaints dealt with (30 not for us, 47 assessed
    # and closed, 21 investigated), 19 of 21 upheld, 6.5 per 100,000 (avg 7.9).
    hounslow = Path(__file__).parent / "data" / "letters" / "2025" / "hounslow.txt"
    row = rows_of(render_csv(audit_paths([str(hounslow)])))[0]
    figures = {k: row[k] for k in ("upheld.per_100k", "upheld.per_100k_average", "remedy.upheld_decisions",
                                   "period.start", "dealt_with.total", "dealt_with.not_for_us",
                                   "dealt_with.assessed_and_closed", "dealt_with.investigated")}  # fmt: skip
    assert figures == {
        "upheld.per_100k": "6.5", "upheld.per_100k_average": "7.9", "remedy.upheld_decisions": "19",
        "period.start": "2024-04-01", "dealt_with.total": "98", "dealt_with.not_for_us": "30",
        "dealt_with.assessed_and_closed": "47", "dealt_with.investigated": "21",
    }  # fmt: skip


def test_tone_and_topics_put_concerns_first():
    from synthetic import make_audit

    from lgso_core.models import Deviation

    devs = [
        Deviation(kind="unique", text="Thanks.", template=None, score=5, tags=["training"], tone="praise"),
        Deviation(
            kind="unique", text="Late.", template=None, score=5, tags=["enquiry responses"], tone="concern"
        ),
        Deviation(kind="changed", text="x", template="y", score=80, tags=["governance"], tone="concern"),
    ]
    audit = make_audit().model_copy(update={"deviations": devs})
    report = AuditReport(
        template=TemplateInfo(source="builtin:2020", paragraphs=36), letters=[audit], errors=[]
    )
    row = rows_of(render_csv(report))[0]
    # Only unique paragraphs count; the changed paragraph's concern and topic do not.
    assert (row["tone"], row["topics"]) == ("concern; praise", "enquiry responses; training")
    assert (row["unique"], row["changed"]) == ("2", "1")
