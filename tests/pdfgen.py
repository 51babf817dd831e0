"""Build letter-like PDFs for the tests with fpdf2.

The PDFs imitate an LGSO annual review letter: A4, 11pt Helvetica body text,
one blank line between paragraphs, a running header and a "Page N of M" footer
on every page, and optionally a last page holding the statistics.
"""

from __future__ import annotations

import os
from pathlib import Path

from fpdf import FPDF

DEFAULT_HEADER = "Local Government & Social Care Ombudsman – Annual Review letter"

BODY_SIZE = 11  # pt
LINE_HEIGHT = 5.8  # mm, about 1.5 x the 11pt font size (page breaks fall mid-paragraph)
PASSWORD = "secret"

# Characters the core fonts (latin-1) cannot encode, and their plain stand-ins.
_REPLACEMENTS = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),  # single quotes, prime
    **dict.fromkeys("\u201c\u201d\u201e\u2033", '"'),  # double quotes, double prime
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),  # dashes
    **dict.fromkeys("\u2009\u202f", " "),  # thin spaces
    **dict.fromkeys("\u200b\ufeff", ""),  # zero-width space, BOM
    "\u2026": "...",
    "\u2022": "*",
    "\u20ac": "EUR",
    "\u2122": "TM",
}


def to_core_font(text: str) -> str:
    """Return ``text`` with every character a latin-1 core font cannot encode replaced."""
    text = "".join(_REPLACEMENTS.get(ch, ch) for ch in text)
    return text.encode("latin-1", errors="replace").decode("latin-1")


def split_paragraphs(text: str) -> list[str]:
    """Split a plain-text letter on blank lines; join each paragraph's lines with spaces."""
    paragraphs = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        joined = " ".join(line.strip() for line in block.splitlines() if line.strip())
        if joined:
            paragraphs.append(joined)
    return paragraphs


class _LetterPDF(FPDF):
    """An FPDF page template with a running header and a "Page N of M" footer."""

    def __init__(self, header_text: str | None, footer_pages: bool):
        super().__init__(orientation="P", unit="mm", format="A4")
        self._header_text = header_text
        self._footer_pages = footer_pages

    def header(self) -> None:
        """Draw the running header, then leave a gap above the body text."""
        if self._header_text:
            self.set_font("helvetica", "I", 9)
            self.cell(0, 5, self._header_text, new_x="LMARGIN", new_y="NEXT")
            self.ln(8)

    def footer(self) -> None:
        """Draw "Page N of M" (M is filled in by fpdf2's ``{nb}`` alias)."""
        if self._footer_pages:
            self.set_y(-15)
            self.set_font("helvetica", "", 9)
            self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")


DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # Debian's fonts-dejavu-core
COLUMN_GUTTER = 8  # mm between statistics columns
FAKE_BOLD_OFFSET = 0.12  # mm: a heading drawn twice, the second copy nudged right


def make_letter_pdf(
    paragraphs: list[str],
    out_path: str | os.PathLike,
    *,
    header: str | None = DEFAULT_HEADER,
    footer_pages: bool = True,
    stats_from: int | None = None,
    encrypt: bool = False,
    font: str = "helvetica",
    stats_columns: int = 1,
    fake_bold: bool = False,
    hyphenate: bool = False,
    trailing: bytes = b"",
) -> Path:
    """Write ``paragraphs`` as an A4 letter PDF to ``out_path`` and return its path.

    Text is passed through :func:`to_core_font` (the header too) unless ``font`` is
    "dejavu" (DejaVu Sans, which has the ligature characters U+FB00-FB06). When
    ``stats_from`` is given, ``paragraphs[stats_from:]`` start on a new, last page, set
    in ``stats_columns`` columns: the blocks (each a heading and what follows it) flow
    down the first column, then the next, as a newspaper does. ``fake_bold`` draws every
    heading twice, nudged by a fraction of a millimetre, as word processors fake bold.
    ``hyphenate`` sets the body justified line by line, breaking words at line ends with a
    hyphen. ``trailing`` is appended after
    ``%%EOF``. With ``encrypt`` the PDF needs the user password :data:`PASSWORD` to open.
    """
    pdf = _LetterPDF(to_core_font(header) if header else None, footer_pages)
    pdf.alias_nb_pages()
    pdf.set_margins(25, 20, 25)
    pdf.set_auto_page_break(auto=True, margin=25)
    if font == "dejavu":
        pdf.add_font("dejavu", "", DEJAVU)
    body = paragraphs if stats_from is None else paragraphs[:stats_from]
    stats = [] if stats_from is None else paragraphs[stats_from:]
    pdf.add_page()
    pdf.set_font(font, "", BODY_SIZE)
    for i, paragraph in enumerate(body):
        if i > 0:
            pdf.ln(LINE_HEIGHT)  # the blank line between paragraphs
        text = paragraph if font == "dejavu" else to_core_font(paragraph)
        _paragraph(pdf, pdf.l_margin, pdf.epw, text, fake_bold=fake_bold, hyphenate=hyphenate)
    if stats:
        pdf.add_page()
        _statistics(
            pdf, [p if font == "dejavu" else to_core_font(p) for p in stats], stats_columns, fake_bold
        )
    if encrypt:
        pdf.set_encryption(owner_password=PASSWORD + "-owner", user_password=PASSWORD)
    out = Path(out_path)
    out.write_bytes(bytes(pdf.output()) + trailing)
    return out


def is_heading(paragraph: str) -> bool:
    """A short line that ends no sentence and holds no figure: a heading."""
    return (
        len(paragraph) < 60
        and paragraph[:1].isupper()
        and not paragraph.endswith((".", ",", ":"))
        and not any(ch.isdigit() for ch in paragraph)
    )


def _paragraph(
    pdf: FPDF, x: float, width: float, text: str, *, fake_bold: bool, hyphenate: bool, height: float = 0
) -> None:
    """One paragraph at ``x``, ``width`` wide, from the current y; the y moves below it."""
    height = height or LINE_HEIGHT
    if hyphenate and not is_heading(text):
        _justified_lines(pdf, x, width, _hyphenated_lines(pdf, text, width), height)
        return
    align = "L" if is_heading(text) else "J"
    top = pdf.get_y()
    pdf.set_xy(x, top)
    pdf.multi_cell(width, height, text, align=align, new_x="LEFT", new_y="NEXT")
    if fake_bold and is_heading(text):
        bottom = pdf.get_y()
        pdf.set_xy(x + FAKE_BOLD_OFFSET, top)
        pdf.multi_cell(width, height, text, align=align, new_x="LEFT", new_y="NEXT")
        pdf.set_y(bottom)


def _justified_lines(pdf: FPDF, x: float, width: float, lines: list[str], height: float) -> None:
    """Set ``lines`` justified, word by word (fpdf2 justifies no line that ends in a
    newline); the last line of the paragraph ragged, as typesetters set it."""
    for i, line in enumerate(lines):
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
        words = line.split()
        baseline = pdf.get_y() + 0.75 * height
        spare = width - sum(pdf.get_string_width(w) for w in words)
        gap = spare / (len(words) - 1) if len(words) > 1 and i < len(lines) - 1 else pdf.get_string_width(" ")
        left = x
        for word in words:
            pdf.text(left, baseline, word)
            left += pdf.get_string_width(word) + gap
        pdf.set_xy(x, pdf.get_y() + height)


def _hyphenated_lines(pdf: FPDF, text: str, width: float) -> list[str]:
    """``text`` wrapped to ``width``, a word that does not fit broken with a hyphen when
    both halves keep three letters."""
    lines, line = [], ""
    words = text.split()
    i = 0
    while i < len(words):
        word = words[i]
        candidate = f"{line} {word}".strip()
        if pdf.get_string_width(candidate) <= width - 1:
            line = candidate
            i += 1
            continue
        cut = next(
            (k for k in range(len(word) - 3, 2, -1)
             if word[:k].isalpha() and pdf.get_string_width(f"{line} {word[:k]}-".strip()) <= width - 1),
            None,
        )  # fmt: skip
        if cut is not None:
            lines.append(f"{line} {word[:cut]}-".strip())
            words[i] = word[cut:]
        else:
            lines.append(line)
        line = ""
    if line:
        lines.append(line)
    return lines


def _statistics(pdf: FPDF, paragraphs: list[str], columns: int, fake_bold: bool) -> None:
    """The statistics in ``columns`` newspaper columns (one column: as the body): the
    paragraphs flow down the first column, then the next, in columns of about equal
    height, in the largest font size from 11 to 7 pt at which every column fits."""
    width = (pdf.epw - COLUMN_GUTTER * (columns - 1)) / columns
    top = pdf.get_y()
    for size in (BODY_SIZE, 10, 9, 8, 7):
        pdf.set_font_size(size)
        height = LINE_HEIGHT * size / BODY_SIZE
        tall = [pdf.multi_cell(width, height, p, dry_run=True, output="HEIGHT") + height for p in paragraphs]
        stacks: list[list[str]] = [[]]
        used = 0.0
        for paragraph, h in zip(paragraphs, tall, strict=True):
            if stacks[-1] and used + h / 2 > sum(tall) / columns and len(stacks) < columns:
                stacks.append([])
                used = 0.0
            stacks[-1].append(paragraph)
            used += h
        tallest = max(sum(tall[paragraphs.index(p)] for p in stack) for stack in stacks)
        if top + tallest < pdf.h - 25:
            break
    else:
        raise ValueError(f"the statistics do not fit on one page in {columns} columns")
    pdf.set_auto_page_break(False)
    for c, stack in enumerate(stacks):
        x = pdf.l_margin + c * (width + COLUMN_GUTTER)
        pdf.set_xy(x, top)
        for k, paragraph in enumerate(stack):
            if k:
                pdf.set_y(pdf.get_y() + height)
            _paragraph(pdf, x, width, paragraph, fake_bold=fake_bold, hyphenate=False, height=height)
    pdf.set_auto_page_break(True, margin=25)
    pdf.set_font_size(BODY_SIZE)
