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


def make_letter_pdf(
    paragraphs: list[str],
    out_path: str | os.PathLike,
    *,
    header: str | None = DEFAULT_HEADER,
    footer_pages: bool = True,
    stats_from: int | None = None,
    encrypt: bool = False,
) -> Path:
    """Write ``paragraphs`` as an A4 letter PDF to ``out_path`` and return its path.

    Text is passed through :func:`to_core_font` (the header too). When
    ``stats_from`` is given, ``paragraphs[stats_from:]`` start on a new, last page.
    With ``encrypt`` the PDF needs the user password :data:`PASSWORD` to open.
    """
    pdf = _LetterPDF(to_core_font(header) if header else None, footer_pages)
    pdf.alias_nb_pages()
    pdf.set_margins(25, 20, 25)
    pdf.set_auto_page_break(auto=True, margin=25)
    pdf.add_page()
    pdf.set_font("helvetica", "", BODY_SIZE)
    for i, paragraph in enumerate(paragraphs):
        if stats_from is not None and i == stats_from:
            pdf.add_page()
        elif i > 0:
            pdf.ln(LINE_HEIGHT)  # the blank line between paragraphs
        text = to_core_font(paragraph)
        pdf.multi_cell(0, LINE_HEIGHT, text, align="J", new_x="LMARGIN", new_y="NEXT")
    if encrypt:
        pdf.set_encryption(owner_password=PASSWORD + "-owner", user_password=PASSWORD)
    out = Path(out_path)
    pdf.output(str(out))
    return out
