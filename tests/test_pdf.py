"""Tests for lgso_core.pdf: page texts and layout paragraphs from generated letter PDFs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pdfgen import (
    DEFAULT_HEADER,
    PASSWORD,
    make_letter_pdf,
    split_paragraphs,
    to_core_font,
)

from lgso_core import pdf as pdfmod
from lgso_core.errors import LetterReadError
from lgso_core.pdf import paragraphs_from_lines, read_pdf_pages

SEEDS = sorted((Path(__file__).parent / "data" / "seeds").glob("*.txt"))
BACKENDS = ("pdfium", "pdfplumber")
HEADER = to_core_font(DEFAULT_HEADER)


def norm(text: str) -> str:
    """Collapse every whitespace run (newlines included) to one space."""
    return " ".join(text.split())


def page_paragraphs(page: str) -> list[str]:
    """The paragraphs of one returned page, each with its lines joined by spaces."""
    return [norm(p) for p in page.split("\n\n") if p.strip()]


def source_paragraphs(seed: Path) -> list[str]:
    """The paragraphs fed to the generator, as the core font prints them."""
    return [norm(to_core_font(p)) for p in split_paragraphs(seed.read_text(encoding="utf-8"))]


def body_paragraphs(pages: list[str]) -> list[list[str]]:
    """Per page, the paragraphs between the running header and the page footer."""
    return [page_paragraphs(page)[1:-1] for page in pages]


def merge_page_splits(bodies: list[list[str]], expected: list[str]) -> tuple[list[str], int]:
    """Flatten ``bodies``, joining a page's last paragraph with the next page's first
    when together they make the next expected paragraph. Returns (paragraphs, joins)."""
    merged: list[str] = []
    joins = 0
    carry_join = False
    for k, body in enumerate(bodies):
        for i, para in enumerate(body):
            if carry_join and i == 0:
                merged[-1] = f"{merged[-1]} {para}"
                carry_join = False
                continue
            merged.append(para)
        nxt = bodies[k + 1] if k + 1 < len(bodies) else []
        if body and nxt and len(merged) <= len(expected):
            want = expected[len(merged) - 1]
            joined = f"{merged[-1]} {nxt[0]}"
            if merged[-1] != want and joined == want:
                carry_join = True
                joins += 1
    return merged, joins


@pytest.fixture(scope="module")
def letter_pdfs(tmp_path_factory) -> dict[str, Path]:
    """One generated PDF per seed letter."""
    out_dir = tmp_path_factory.mktemp("letters")
    return {
        seed.stem: make_letter_pdf(
            split_paragraphs(seed.read_text(encoding="utf-8")), out_dir / f"{seed.stem}.pdf"
        )
        for seed in SEEDS
    }


def test_seed_letters_exist():
    assert len(SEEDS) >= 3


@pytest.mark.parametrize("extractor", BACKENDS)
@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s.stem)
def test_every_paragraph_comes_back_in_order(letter_pdfs, seed, extractor):
    pages = read_pdf_pages(letter_pdfs[seed.stem], extractor)
    assert len(pages) > 1
    expected = source_paragraphs(seed)
    merged, _ = merge_page_splits(body_paragraphs(pages), expected)
    assert merged == expected


@pytest.mark.parametrize("extractor", BACKENDS)
def test_some_paragraph_is_split_across_a_page_break(letter_pdfs, extractor):
    joins = 0
    for seed in SEEDS:
        pages = read_pdf_pages(letter_pdfs[seed.stem], extractor)
        joins += merge_page_splits(body_paragraphs(pages), source_paragraphs(seed))[1]
    assert joins >= 1


@pytest.mark.parametrize("extractor", BACKENDS)
@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s.stem)
def test_header_and_page_numbers_are_kept(letter_pdfs, seed, extractor):
    pages = read_pdf_pages(letter_pdfs[seed.stem], extractor)
    n = len(pages)
    assert f"Page 1 of {n}" in pages[0].splitlines()
    for number, page in enumerate(pages, start=1):
        paragraphs = page_paragraphs(page)
        assert paragraphs[0] == HEADER
        assert paragraphs[-1] == f"Page {number} of {n}"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s.stem)
def test_backends_agree_paragraph_for_paragraph(letter_pdfs, seed):
    fast = read_pdf_pages(letter_pdfs[seed.stem], "pdfium")
    slow = read_pdf_pages(letter_pdfs[seed.stem], "pdfplumber")
    assert [page_paragraphs(p) for p in fast] == [page_paragraphs(p) for p in slow]


def test_auto_is_pdfium_on_clean_pdfs(letter_pdfs):
    path = letter_pdfs[SEEDS[0].stem]
    assert read_pdf_pages(path) == read_pdf_pages(path, "pdfium")


@pytest.mark.parametrize("bad_text", ["", "\ufffd\ufffd\ufffd \x01\x03 garbled"])
def test_auto_falls_back_to_pdfplumber_for_a_suspect_page(letter_pdfs, monkeypatch, bad_text):
    path = letter_pdfs[SEEDS[0].stem]
    slow = read_pdf_pages(path, "pdfplumber")
    real = pdfmod._pdfium_page_text

    def second_page_broken(doc, index):
        return bad_text if index == 1 else real(doc, index)

    monkeypatch.setattr(pdfmod, "_pdfium_page_text", second_page_broken)
    assert read_pdf_pages(path, "pdfium")[1] == bad_text
    auto = read_pdf_pages(path, "auto")
    assert auto[1] == slow[1]
    assert page_paragraphs(auto[0]) == page_paragraphs(slow[0])


def test_stats_from_starts_the_last_page(tmp_path):
    paragraphs = [f"Paragraph {i} " + "word " * 60 for i in range(12)] + ["Stats A", "Stats B"]
    path = make_letter_pdf(paragraphs, tmp_path / "stats.pdf", stats_from=12)
    pages = read_pdf_pages(path, "pdfium")
    assert body_paragraphs(pages)[-1] == ["Stats A", "Stats B"]
    assert "Stats A" not in pages[-2]


def test_paragraph_split_needs_no_header_or_footer(tmp_path):
    paragraphs = ["One two.", "Three four."]
    path = make_letter_pdf(paragraphs, tmp_path / "bare.pdf", header=None, footer_pages=False)
    for extractor in BACKENDS:
        assert read_pdf_pages(path, extractor) == ["One two.\n\nThree four."]


# --- paragraph geometry -------------------------------------------------------


def test_one_line_page():
    assert paragraphs_from_lines([(100.0, 111.0, "  Only   line ")]) == "Only line"


def test_no_lines():
    assert paragraphs_from_lines([]) == ""


def test_lines_are_sorted_by_position():
    lines = [(130.0, 141.0, "second"), (100.0, 111.0, "first"), (115.0, 126.0, "middle")]
    assert paragraphs_from_lines(lines) == "first\nmiddle\nsecond"


def test_big_heading_without_gap_stays_with_its_text_but_blank_line_splits():
    lines = [
        (80.0, 100.0, "Big Heading"),  # 20pt line: its own pitch is larger
        (102.0, 113.0, "body one"),
        (117.0, 128.0, "body two"),
        (132.0, 143.0, "body three"),
        (162.0, 173.0, "next paragraph"),
    ]
    expected = "Big Heading\nbody one\nbody two\nbody three\n\nnext paragraph"
    assert paragraphs_from_lines(lines) == expected


def test_page_of_one_line_paragraphs_is_split():
    lines = [(100.0 + 30 * i, 111.0 + 30 * i, f"line {i}") for i in range(6)]
    assert paragraphs_from_lines(lines) == "\n\n".join(f"line {i}" for i in range(6))


def test_header_body_footer_on_a_short_page():
    lines = [(30.0, 39.0, "Header"), (80.0, 91.0, "Body"), (780.0, 789.0, "Page 1 of 1")]
    assert paragraphs_from_lines(lines) == "Header\n\nBody\n\nPage 1 of 1"


# --- bad inputs ---------------------------------------------------------------


def _missing(tmp_path: Path) -> Path:
    return tmp_path / "missing.pdf"


def _text_file(tmp_path: Path) -> Path:
    path = tmp_path / "letter.pdf"
    path.write_text("Dear Chief Executive,\nThis is not a PDF.\n", encoding="utf-8")
    return path


def _truncated(tmp_path: Path) -> Path:
    paragraphs = split_paragraphs(SEEDS[0].read_text(encoding="utf-8"))
    full = make_letter_pdf(paragraphs, tmp_path / "full.pdf")
    data = full.read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    return path


def _encrypted(tmp_path: Path) -> Path:
    return make_letter_pdf(["A secret letter."], tmp_path / "encrypted.pdf", encrypt=True)


def _no_text(tmp_path: Path) -> Path:
    return make_letter_pdf([], tmp_path / "blank.pdf", header=None, footer_pages=False)


BAD_INPUTS = {
    "missing": (_missing, "not found"),
    "text-file": (_text_file, "not a PDF"),
    "truncated": (_truncated, "not a PDF"),
    "encrypted": (_encrypted, "encrypted"),
    "no-text": (_no_text, "no text layer (scanned?): run OCR first, e.g. ocrmypdf"),
}


@pytest.mark.parametrize("extractor", [*BACKENDS, "auto"])
@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_raises_letter_read_error(tmp_path, case, extractor):
    make, why = BAD_INPUTS[case]
    path = make(tmp_path)
    with pytest.raises(LetterReadError) as info:
        read_pdf_pages(path, extractor)
    message = str(info.value)
    assert message.startswith(str(path))
    assert why in message
    assert info.value.source == str(path)
    assert "\n" not in message


def test_encrypted_pdf_really_has_text_behind_the_password(tmp_path):
    import pypdfium2

    path = _encrypted(tmp_path)
    with pypdfium2.PdfDocument(str(path), password=PASSWORD) as doc:
        assert "secret letter" in doc[0].get_textpage().get_text_range()
    with pytest.raises(pypdfium2.PdfiumError):
        pypdfium2.PdfDocument(str(path))


@pytest.mark.parametrize("name", ["pymupdf", "", "PDFIUM"])
def test_unknown_extractor_is_a_value_error(letter_pdfs, name):
    with pytest.raises(ValueError) as info:
        read_pdf_pages(letter_pdfs[SEEDS[0].stem], name)
    message = str(info.value)
    assert repr(name) in message
    for allowed in ("auto", "pdfium", "pdfplumber"):
        assert allowed in message


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")
def test_documents_are_closed(letter_pdfs):
    path = letter_pdfs[SEEDS[0].stem]
    for extractor in ("pdfium", "pdfplumber", "auto"):
        read_pdf_pages(path, extractor)
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(10):
        for extractor in ("pdfium", "pdfplumber", "auto"):
            read_pdf_pages(path, extractor)
    assert len(os.listdir("/proc/self/fd")) <= before


# --- shapes: columns, ligatures, fake bold, trailing bytes --------------------

STATS = [
    "Complaints upheld",
    "100% of complaints we investigated were upheld.",
    "This compares to an average of 56% in similar authorities.",
    "1 upheld decision",
    "Compliance with Ombudsman recommendations",
    "In 100% of cases we were satisfied the authority had successfully implemented our recommendations.",
    "This compares to an average of 99% in similar authorities.",
    "Satisfactory remedies provided by the authority",
    "In 0% of upheld cases we found the authority had provided a satisfactory remedy.",
    "This compares to an average of 11% in similar authorities.",
]
BODY = [
    "Dear Mr Andrews",
    "We found fault in the council\u2019s handling of two complaints.",
    "Yours sincerely,",
]


@pytest.mark.parametrize("columns", [2, 3])
@pytest.mark.parametrize("extractor", BACKENDS)
def test_statistics_set_in_columns_are_read_column_by_column(tmp_path, columns, extractor):
    path = make_letter_pdf(
        [*BODY, *STATS], tmp_path / "stats.pdf", stats_from=3, stats_columns=columns, header=None
    )
    last = read_pdf_pages(path, extractor)[-1]
    assert page_paragraphs(last)[:-1] == STATS  # the footer "Page 2 of 2" last


@pytest.mark.parametrize("extractor", BACKENDS)
def test_ligatures_and_fake_bold_read_as_plain_letters(tmp_path, extractor):
    paragraphs = [
        "Complaint statistics",
        "We \ufb01nd fault: e\ufb00ect, \ufb02agged, o\ufb03ce, ba\ufb04ed.",
    ]
    path = make_letter_pdf(paragraphs, tmp_path / "l.pdf", font="dejavu", fake_bold=True, header=None)
    pages = read_pdf_pages(path, extractor)
    from lgso_core.textrepair import repair

    assert page_paragraphs(repair(pages[0])) == [
        "Complaint statistics",
        "We find fault: effect, flagged, office, baffled.",
        "Page 1 of 1",
    ]


@pytest.mark.parametrize("extractor", [*BACKENDS, "auto"])
def test_bytes_after_eof_are_accepted(tmp_path, extractor):
    trailing = b"\r\n<!DOCTYPE html><html><body>Download complete</body></html>\r\n" * 100
    path = make_letter_pdf(
        ["Dear Ms Kemp", "We found fault."], tmp_path / "l.pdf", trailing=trailing, header=None
    )
    assert path.read_bytes().rstrip().endswith(b"</html>")
    assert page_paragraphs(read_pdf_pages(path, extractor)[0]) == [
        "Dear Ms Kemp",
        "We found fault.",
        "Page 1 of 1",
    ]


@pytest.mark.parametrize("extractor", BACKENDS)
def test_hyphenated_line_ends_are_left_for_normalize(tmp_path, extractor):
    long = "We investigated the complaints about the authority's administration of recommendations " * 3
    path = make_letter_pdf(
        [long.strip()], tmp_path / "l.pdf", hyphenate=True, header=None, footer_pages=False
    )
    lines = read_pdf_pages(path, extractor)[0].split("\n")
    assert any(line.endswith("-") for line in lines)
    assert "".join(
        line.removesuffix("-") if line.endswith("-") else line + " " for line in lines
    ).split() == (long.split())
