"""The seed letters as multi-page PDFs audit exactly as their text does."""

from __future__ import annotations

import re

import pytest
from pdfgen import make_letter_pdf, split_paragraphs

from lgso_core import audit_paths

_LINK = re.compile(r"\[([^\]]+)\]\(#\)|<u>(.*?)</u>")


def printed(paragraph: str) -> str:
    """What a printed letter shows: markup from the text extraction removed."""
    paragraph = _LINK.sub(lambda m: m.group(1) or m.group(2), paragraph)
    return paragraph.replace("**", "").removeprefix("## ").removeprefix("- ")


def seed_pdf(seed, tmp_path):
    paragraphs = [printed(p) for p in split_paragraphs(seed.read_text("utf-8"))]
    stats_from = paragraphs.index("Complaints upheld") if "Complaints upheld" in paragraphs else None
    return make_letter_pdf(paragraphs, tmp_path / f"{seed.stem}.pdf", stats_from=stats_from)


@pytest.mark.parametrize("extractor", ["auto", "pdfium", "pdfplumber"])
def test_pdf_of_a_seed_audits_like_its_text(seed, tmp_path, extractor):
    pdf = seed_pdf(seed, tmp_path)
    [from_text] = audit_paths([seed]).letters
    report = audit_paths([pdf], extractor=extractor)
    assert report.errors == []
    [from_pdf] = report.letters
    assert from_pdf.source == str(pdf)
    assert [(d.kind, d.text) for d in from_pdf.deviations] == [(d.kind, d.text) for d in from_text.deviations]
    assert from_pdf.stats == from_text.stats
    assert (from_pdf.authority, from_pdf.authority_type, from_pdf.year) == (
        from_text.authority,
        from_text.authority_type,
        from_text.year,
    )
    assert sorted(f.code for f in from_pdf.findings) == sorted(f.code for f in from_text.findings)


def test_a_folder_of_pdfs_and_texts_in_one_batch(tmp_path):
    from conftest import SEEDS

    pdfs = [seed_pdf(s, tmp_path) for s in SEEDS]
    report = audit_paths([tmp_path, SEEDS[0]])
    assert [a.source for a in report.letters] == [*map(str, pdfs), str(SEEDS[0])]
    assert report.letters[0].deviations == report.letters[-1].deviations
