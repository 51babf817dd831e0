"""Metamorphic: a letter audits the same in every shape it arrives in.

Each letter of ``tests/data`` (the 2020 seeds and the team's corpus of every year's wording)
is re-made as council web pages with site chrome, as text in other encodings and with
damaged characters, and as PDFs typeset in other ways; the audit of each shape must equal
the audit of the plain text: the same deviations, statistics, authority, type, year and
findings.

PDFs differ from the plain text in one way the tool cannot undo: a letter's new
paragraphs either side of a page break are reported as one (``align`` joins them, because
a page break at a sentence end looks like a paragraph break). Their comparison therefore
joins consecutive ``unique`` paragraphs on both sides, and compares the paragraph
findings by code; every other finding, and every figure, must be identical.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import DATA
from pagegen import council_page, curly, hyphen_wrapped, invisible, ligatures, mojibake, printed_paragraphs
from pdfgen import make_letter_pdf

from lgso_core import audit_paths
from lgso_core.models import LetterAudit
from lgso_core.normalize import normalize_pages
from lgso_core.pdf import read_pdf_pages

LETTERS = sorted((DATA / "seeds").glob("*.txt")) + sorted(
    p for p in (DATA / "letters").glob("*/*") if p.suffix in (".txt", ".md")
)
LETTER_IDS = [f"{p.parent.name}-{p.stem[:20]}" for p in LETTERS]
PARAGRAPH_CODES = {"unique-paragraph", "changed-paragraph", "missing-paragraph"}


def _latin1(text: str) -> bytes:
    try:
        return invisible(text, zero_width=False).encode("latin-1")
    except UnicodeEncodeError:
        pytest.skip("the letter holds a character Latin-1 cannot encode (an en dash)")


TEXT_SHAPES: dict[str, Callable[[str], bytes]] = {
    "cp1252": lambda t: invisible(curly(t), zero_width=False).encode("cp1252"),
    "latin1": _latin1,
    "utf16-bom": lambda t: curly(t).encode("utf-16"),
    "utf16le-no-bom": lambda t: t.encode("utf-16-le"),
    "mojibake": lambda t: mojibake(t).encode("utf-8"),
    "ligatures": lambda t: ligatures(t).encode("utf-8"),
    "invisible-characters": lambda t: invisible(t).encode("utf-8"),
    "hyphenated-wraps": lambda t: hyphen_wrapped(t).encode("utf-8"),
}
PAGE_SHAPES = {
    "govuk": ("govuk", "utf-8"),
    "wordpress-windows-1252": ("wordpress", "windows-1252"),
    "tables": ("tables", "utf-8"),
    "html5-no-end-tags": ("html5-open", "utf-8"),
}
PDF_SHAPES = {
    "dejavu-ligatures-3-columns": ({"font": "dejavu", "stats_columns": 3}, "auto"),
    "2-columns-fake-bold-trailing-bytes": (
        {
            "font": "dejavu",
            "stats_columns": 2,
            "fake_bold": True,
            "trailing": b"\r\n<html>Not found</html>\r\n" * 40,
        },
        "auto",
    ),
    "3-columns-pdfplumber": ({"stats_columns": 3, "fake_bold": True}, "pdfplumber"),
    "hyphenated": ({"hyphenate": True}, "auto"),
}
ONE_A_YEAR = {sorted(p for p in LETTERS if p.parent == folder)[0] for folder in {p.parent for p in LETTERS}}
"""pdfplumber takes 20 times pdfium's time: its shape is tried on one letter of each year."""

_plain: dict[Path, LetterAudit] = {}


def plain_audit(letter: Path) -> LetterAudit:
    if letter not in _plain:
        [_plain[letter]] = audit_paths([letter]).letters
    return _plain[letter]


def shape_audit(path: Path, extractor: str = "auto") -> LetterAudit:
    report = audit_paths([path], extractor=extractor)
    assert report.errors == []
    [audit] = report.letters
    return audit


def assert_same_audit(shape: LetterAudit, plain: LetterAudit, *, pdf: bool = False) -> None:
    assert (shape.authority, shape.authority_type, shape.year) == (
        plain.authority,
        plain.authority_type,
        plain.year,
    )
    assert shape.stats == plain.stats
    if pdf:
        assert _joined(shape) == _joined(plain)
        assert _other_findings(shape) == _other_findings(plain)
        assert _paragraph_codes(shape) == _paragraph_codes(plain)
    else:
        assert [(d.kind, d.text) for d in shape.deviations] == [(d.kind, d.text) for d in plain.deviations]
        assert sorted((f.code, f.message) for f in shape.findings) == sorted(
            (f.code, f.message) for f in plain.findings
        )


def _joined(audit: LetterAudit) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for d in audit.deviations:
        if out and d.kind == out[-1][0] == "unique":
            out[-1] = ("unique", f"{out[-1][1]} {d.text}")
        else:
            out.append((d.kind, d.text))
    return out


def _other_findings(audit: LetterAudit) -> list[tuple[str, str]]:
    return sorted((f.code, f.message) for f in audit.findings if f.code not in PARAGRAPH_CODES)


def _paragraph_codes(audit: LetterAudit) -> set[str]:
    return {f.code for f in audit.findings if f.code in PARAGRAPH_CODES}


@pytest.mark.parametrize("shape", TEXT_SHAPES)
@pytest.mark.parametrize("letter", LETTERS, ids=LETTER_IDS)
def test_text_in_any_encoding_audits_as_the_plain_text(letter, shape, tmp_path):
    if shape == "hyphenated-wraps" and not _rejoins_hyphens():
        pytest.skip("normalize does not rejoin hyphenated line ends yet (issue 10)")
    path = tmp_path / f"{letter.stem}{letter.suffix}"
    path.write_bytes(TEXT_SHAPES[shape](letter.read_text("utf-8")))
    assert_same_audit(shape_audit(path), plain_audit(letter))


@pytest.mark.parametrize("shape", PAGE_SHAPES)
@pytest.mark.parametrize("letter", LETTERS, ids=LETTER_IDS)
def test_council_web_page_audits_as_the_plain_text(letter, shape, tmp_path):
    style, charset = PAGE_SHAPES[shape]
    text = letter.read_text("utf-8")
    html = council_page(curly(text) if charset != "utf-8" else text, style, charset)
    path = tmp_path / f"{letter.stem}.html"
    path.write_bytes(html.encode(charset))
    assert_same_audit(shape_audit(path), plain_audit(letter))


def _rejoins_hyphens() -> bool:
    [para] = normalize_pages(["We have inves-\ntigated the com-\nplaints."])
    return para.text == "We have investigated the complaints."


def _rejoins_hyphens_across_pages() -> bool:
    paragraphs = normalize_pages(["Dear Sir\n\nWe have inves-", "tigated the complaints."])
    return paragraphs[-1].text == "We have investigated the complaints."


def _hyphen_at_a_page_end(pages: list[str]) -> bool:
    """True when a page's last line of text (before its "Page N of M") ends in a hyphen."""
    for page in pages[:-1]:
        lines = [ln for ln in page.splitlines() if ln.strip() and not ln.startswith("Page ")]
        if lines and lines[-1].endswith("-"):
            return True
    return False


PDF_CASES = [
    pytest.param(letter, shape, id=f"{letter_id}-{shape}")
    for letter, letter_id in zip(LETTERS, LETTER_IDS, strict=True)
    for shape, (_, extractor) in PDF_SHAPES.items()
    if extractor != "pdfplumber" or letter in ONE_A_YEAR
]


@pytest.mark.slow
@pytest.mark.parametrize(("letter", "shape"), PDF_CASES)
def test_pdf_typeset_any_way_audits_as_the_plain_text(letter, shape, tmp_path):
    options, extractor = PDF_SHAPES[shape]
    if options.get("hyphenate") and not _rejoins_hyphens():
        pytest.skip("normalize does not rejoin hyphenated line ends yet (issue 10)")
    paragraphs = printed_paragraphs(letter.read_text("utf-8"))
    if options.get("font") == "dejavu":
        paragraphs = [ligatures(p) for p in paragraphs]
    signature = next(i for i, p in enumerate(paragraphs) if p.startswith("Yours sincerely"))
    path = make_letter_pdf(paragraphs, tmp_path / f"{letter.stem}.pdf", stats_from=signature + 2, **options)
    hyphen_at_page_end = options.get("hyphenate") and _hyphen_at_a_page_end(read_pdf_pages(path))
    if hyphen_at_page_end and not _rejoins_hyphens_across_pages():
        pytest.skip(
            "a word is hyphenated across a page break, which normalize does not rejoin yet (issue 10)"
        )
    assert_same_audit(shape_audit(path, extractor), plain_audit(letter), pdf=True)
