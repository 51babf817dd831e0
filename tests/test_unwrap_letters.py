"""Every test letter, pasted as a PDF gives it, audits as the letter does.

Metamorphic: wrapped at any width from 40 to 200, words hyphenated at line ends, the
statistics in a narrow column, page footers and running headers mid-paragraph, CRLF and
markdown markup change the lines of a letter, never what it says; so they never change its
audit (authority, year, every figure, every deviation, every finding).
"""

from __future__ import annotations

import re
import tempfile
from functools import cache
from pathlib import Path

import pytest
from conftest import DATA, SEEDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pasted import blocks, pasted, wrap
from variants import as_markdown

from lgso_core.audit import audit_letter
from lgso_core.derive import derive_template
from lgso_core.pdf import read_pdf_pages
from lgso_core.reading import load_letter
from lgso_core.template import shipped_templates

LETTERS = SEEDS + sorted(p for p in (DATA / "letters").glob("*/*") if p.suffix in (".txt", ".md"))
LETTER_IDS = [f"{p.parent.name}/{p.stem}" for p in LETTERS]


def year_of(path: Path) -> int:
    return 2020 if path.parent.name == "seeds" else int(path.parent.name)


@cache
def template(year: int):
    """The year's shipped template, else one derived from the corpus's letters of the year."""
    if year in shipped_templates():
        return shipped_templates()[year]
    return derive_template([load_letter(p) for p in LETTERS if year_of(p) == year], year=year).compiled()


def summary(audit) -> tuple:
    return (
        audit.authority,
        audit.year,
        audit.stats.model_dump_json() if audit.stats else None,
        [(d.kind, d.text) for d in audit.deviations],
        sorted((f.code, f.message) for f in audit.findings),
    )


@cache
def audit_of_file(path: Path) -> tuple:
    return summary(audit_letter(load_letter(path), template(year_of(path))))


def audit_of_text(text: str, like: Path, suffix: str) -> tuple:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{like.stem}{suffix}"
        path.write_bytes(text.encode("utf-8"))
        return summary(audit_letter(load_letter(path), template(year_of(like))))


shapes = st.fixed_dictionaries({
    "width": st.integers(40, 200),
    "seed": st.integers(0, 2**16),
    "hyphen_share": st.sampled_from([0.0, 0.5, 1.0]),
    "stats_width": st.none() | st.integers(24, 45),
    "page_lines": st.none() | st.integers(15, 60),
    "crlf": st.booleans(),
})  # fmt: skip


@pytest.mark.parametrize("letter", LETTERS, ids=LETTER_IDS)
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape=shapes, markup=st.booleans())
def test_a_letter_pasted_from_a_pdf_audits_as_the_letter(letter, shape, markup):
    text = letter.read_text("utf-8")
    suffix = letter.suffix
    if markup and suffix == ".txt":
        text, suffix = as_markdown(text), ".md"
    assert audit_of_text(pasted(text, **shape), letter, suffix) == audit_of_file(letter)


DASHED = [p for p in LETTERS if re.search(r"^.{39,} - We ", p.read_text("utf-8"), re.M)]


@pytest.mark.parametrize("letter", DASHED, ids=[f"{p.parent.name}/{p.stem}" for p in DASHED])
def test_a_line_that_starts_with_a_dash_is_not_a_list(letter):
    """Wrapped so that a line starts "- We want to ...": still the sentence it was."""
    out = []
    for block in blocks(letter.read_text("utf-8")):
        for unit in block:
            cut = unit.find(" - We ")
            out += wrap(unit, cut + 1 if cut >= 39 else 80)
        out.append("")
    mangled = "\n".join(out)
    assert "\n- We " in mangled
    assert audit_of_text(mangled, letter, letter.suffix) == audit_of_file(letter)


@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem[:3] for p in SEEDS])
def test_a_pdf_set_130_characters_wide_audits_as_its_text(seed, tmp_path, monkeypatch):
    """Small type (7.5 pt on A4): lines of about 130 characters, in proportional type."""
    import pdfgen
    from test_pdf_audit import seed_pdf

    monkeypatch.setattr(pdfgen, "BODY_SIZE", 7.5)
    monkeypatch.setattr(pdfgen, "LINE_HEIGHT", 4.0)
    pdf = seed_pdf(seed, tmp_path)
    lines = [line for page in read_pdf_pages(pdf) for line in page.split("\n")]
    assert max(len(ln) for ln in lines) >= 125
    assert summary(audit_letter(load_letter(pdf), template(2020))) == audit_of_file(seed)
