"""Read the text of a letter PDF, page by page, with paragraphs found from the layout.

:func:`read_pdf_pages` returns one string per page. Within a page, paragraphs are
separated by one blank line and the lines of a paragraph by a newline. A paragraph
break is a vertical gap between two text lines clearly larger than the page's usual
line pitch. Headers, footers and page numbers are kept: removing them is the job of
another module, which needs the per-page structure.

Two backends produce the text lines: pypdfium2 (fast) and pdfplumber (slow, but a
second opinion); the paragraph logic in :func:`paragraphs_from_lines` is shared.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from itertools import pairwise
from statistics import median

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.pdfdocument import PDFEncryptionError

from lgso_core.errors import LetterReadError
from lgso_core.extract import EXTRACTORS
from lgso_core.pdflayout import Line, Piece, reading_order

PARAGRAPH_GAP = 1.4  # a pitch above this many times the usual pitch starts a paragraph
MAX_PITCH_PER_HEIGHT = 1.6  # caps the usual pitch when most gaps are paragraph gaps
GARBLED_SHARE = 0.05  # share of unreadable characters above which a page is suspect
WORD_GAP_RATIO = 0.15  # pdfplumber: a gap wider than this x font size separates words
OVERLAP_BUDGET = 4  # rectangles holding more than this many times the page's characters overlap

NOT_A_PDF = "not a PDF (corrupt or truncated)"
ENCRYPTED = "encrypted PDF"
NO_PAGES = "PDF has no pages"
NO_TEXT = "PDF has no text layer (scanned?): run OCR first, e.g. ocrmypdf"

_PDFIUM_LOCK = threading.Lock()  # PDFium is not thread-safe


def read_pdf_pages(path: str | os.PathLike, extractor: str = "auto") -> list[str]:
    """Return the text of each page of the PDF at ``path``, paragraphs split by layout.

    ``extractor`` is "pdfium", "pdfplumber" or "auto" (pdfium, with pdfplumber
    for any page whose pdfium text is empty or garbled). Raises ``ValueError`` for
    an unknown extractor and :class:`LetterReadError` when the file is missing, not
    a PDF, corrupt or truncated, encrypted, has no pages or has no text at all.
    """
    if extractor not in EXTRACTORS:
        raise ValueError(f"extractor must be one of {', '.join(EXTRACTORS)}; got {extractor!r}")
    source = os.fspath(path)
    _check_pdf_file(source)
    if extractor == "pdfplumber":
        pages = _pdfplumber_pages(source)
    else:
        pages = _pdfium_pages(source)
        if extractor == "auto":
            pages = _repair_with_pdfplumber(source, pages)
    if not any(page.strip() for page in pages):
        raise LetterReadError(source, NO_TEXT)
    return pages


def page_text(pieces: Iterable[Piece]) -> str:
    """A page's text from its pieces: columns read one after the other (``pdflayout``),
    the paragraphs of each found from the line pitch."""
    texts = (paragraphs_from_lines(group) for group in reading_order(pieces))
    return "\n\n".join(t for t in texts if t)


def paragraphs_from_lines(lines: Iterable[Line]) -> str:
    """Join text lines into a page text: "\\n" within a paragraph, "\\n\\n" between.

    A new paragraph starts where the pitch (distance between the tops of two
    consecutive lines) exceeds :data:`PARAGRAPH_GAP` times the usual pitch, scaled
    up for lines taller than usual (headings in a bigger font).
    """
    kept = sorted((ln for ln in lines if ln[2].strip()), key=lambda ln: ln[0])
    if not kept:
        return ""
    heights = [max(bottom - top, 1e-3) for top, bottom, _ in kept]
    usual_height = median(heights)
    pitch = _usual_pitch(kept, usual_height)
    out = [_clean(kept[0][2])]
    for i in range(1, len(kept)):
        scale = max(1.0, max(heights[i - 1], heights[i]) / usual_height)
        gap = kept[i][0] - kept[i - 1][0]
        out.append("\n\n" if gap > PARAGRAPH_GAP * pitch * scale else "\n")
        out.append(_clean(kept[i][2]))
    return "".join(out)


def _usual_pitch(lines: Sequence[Line], usual_height: float) -> float:
    """Estimate the line pitch inside a paragraph on this page.

    The lower quartile of the pitches survives pages where most gaps are paragraph
    gaps; the cap relative to the line height covers pages with one-line
    paragraphs only, and pages with one or two lines.
    """
    cap = MAX_PITCH_PER_HEIGHT * usual_height
    pitches = sorted(b[0] - a[0] for a, b in pairwise(lines))
    pitches = [p for p in pitches if p > 0.5 * usual_height]  # ignore same-line pieces
    if not pitches:
        return cap
    return min(pitches[(len(pitches) - 1) // 4], cap)


def _clean(text: str) -> str:
    """Collapse whitespace runs to single spaces and map pdfium's soft hyphen (\\x02)."""
    return " ".join(text.replace("\x02", "-").split())


def _check_pdf_file(source: str) -> None:
    """Raise LetterReadError unless ``source`` is a readable file with PDF markers."""
    if not os.path.exists(source):
        raise LetterReadError(source, "file not found")
    if not os.path.isfile(source):
        raise LetterReadError(source, "not a file")
    try:
        with open(source, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise LetterReadError(source, f"cannot read file ({exc.strerror})") from exc
    if not data:
        raise LetterReadError(source, "empty file")
    # Bytes after the last %%EOF (a web server's error page, padding) are common in
    # downloads and harmless: the readers find the cross-reference table all the same.
    if b"%PDF-" not in data[:1024] or b"%%EOF" not in data:
        raise LetterReadError(source, NOT_A_PDF)


# --- pdfium -----------------------------------------------------------------


def _pdfium_pages(source: str) -> list[str]:
    """Extract every page with pypdfium2; the document is closed before returning."""
    with _PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(source)
        except pdfium.PdfiumError as exc:
            code = getattr(exc, "err_code", None)
            if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
                raise LetterReadError(source, ENCRYPTED) from exc
            raise LetterReadError(source, NOT_A_PDF) from exc
        try:
            if len(doc) == 0:
                raise LetterReadError(source, NO_PAGES)
            return [_pdfium_page_text(doc, i) for i in range(len(doc))]
        finally:
            doc.close()


def _pdfium_page_text(doc: pdfium.PdfDocument, index: int) -> str:
    """Text of one page; "" if pdfium fails on it (auto mode then asks pdfplumber)."""
    try:
        page = doc[index]
    except pdfium.PdfiumError:
        return ""
    try:
        textpage = page.get_textpage()
        try:
            return page_text(_pdfium_pieces(textpage, page.get_height()))
        finally:
            textpage.close()
    except pdfium.PdfiumError:
        return ""
    finally:
        page.close()


def _pdfium_pieces(textpage: pdfium.PdfTextPage, page_height: float) -> list[Piece]:
    """pdfium's text rectangles as pieces, y downward, with the font's loose extent."""
    pieces = []
    # Each rectangle's text is everything inside it, so glyphs drawn over one another (a
    # flood of them: a hostile file) repeat the page's text once per rectangle, quadratic
    # in time and memory. Past a few times the page's characters, the rectangles overlap:
    # no pieces, and auto mode asks pdfplumber, which reads each glyph once.
    budget = OVERLAP_BUDGET * textpage.count_chars() + 1000
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = textpage.get_text_bounded(left, bottom, right, top)
        budget -= len(text)
        if budget < 0:
            return []
        if text.strip():
            bottom, top = _loose_extent(textpage, left, bottom, top)
            pieces.append(Piece(page_height - top, page_height - bottom, left, right, text))
    return pieces


def _loose_extent(
    textpage: pdfium.PdfTextPage, left: float, bottom: float, top: float
) -> tuple[float, float]:
    """(bottom, top) of the font box of a rectangle's first glyph, else of the rectangle.

    pdfium's rectangles hug the ink, so a line of dots or of lowercase letters would
    seem to sit lower than it does; the loose box follows the font's ascent/descent.
    """
    index = textpage.get_index(left + 0.5, (bottom + top) / 2, 1.0, 1.0)
    if index is None or index < 0:
        return bottom, top
    _, loose_bottom, _, loose_top = textpage.get_charbox(index, loose=True)
    if loose_top <= loose_bottom:
        return bottom, top
    return loose_bottom, loose_top


# --- pdfplumber -------------------------------------------------------------


def _open_pdfplumber(source: str) -> pdfplumber.PDF:
    """Open with pdfplumber, turning pdfminer failures into LetterReadError."""
    try:
        pdf = pdfplumber.open(source)
    except Exception as exc:  # pdfminer raises many unrelated exception types
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFEncryptionError) or isinstance(exc, PDFEncryptionError):
            raise LetterReadError(source, ENCRYPTED) from exc
        raise LetterReadError(source, NOT_A_PDF) from exc
    return pdf


def _pdfplumber_pages(source: str) -> list[str]:
    """Extract every page with pdfplumber; the document is closed before returning."""
    with _open_pdfplumber(source) as pdf:
        try:
            count = len(pdf.pages)
        except Exception as exc:  # the page tree is parsed lazily
            raise LetterReadError(source, NOT_A_PDF) from exc
        if count == 0:
            raise LetterReadError(source, NO_PAGES)
        pages = []
        for number, page in enumerate(pdf.pages, start=1):
            try:
                pages.append(_pdfplumber_page_text(page))
            except Exception as exc:
                reason = f"cannot read page {number} ({type(exc).__name__})"
                raise LetterReadError(source, reason) from exc
        return pages


def _pdfplumber_page_text(page: pdfplumber.page.Page) -> str:
    """Text of one pdfplumber page; its cached objects are released afterwards."""
    try:
        words = page.dedupe_chars().extract_words(x_tolerance_ratio=WORD_GAP_RATIO)
        return page_text(Piece(w["top"], w["bottom"], w["x0"], w["x1"], w["text"]) for w in words)
    finally:
        page.close()


# --- auto -------------------------------------------------------------------


def _looks_garbled(text: str) -> bool:
    """True when a page text is empty or has many replacement/control/private chars."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return True
    bad = sum(c == "\ufffd" or unicodedata.category(c) in ("Cc", "Co", "Cs") for c in chars)
    bad += len("(cid:") * text.count("(cid:")  # pdfminer's mark for an unmapped glyph
    return bad > GARBLED_SHARE * len(chars)


def _repair_with_pdfplumber(source: str, pages: list[str]) -> list[str]:
    """Replace suspect pdfium pages by pdfplumber's text when that looks better."""
    suspect = [i for i, text in enumerate(pages) if _looks_garbled(text)]
    if not suspect:
        return pages
    pages = list(pages)
    try:
        with _open_pdfplumber(source) as pdf:
            for i in suspect:
                try:
                    text = _pdfplumber_page_text(pdf.pages[i])
                except Exception:  # keep pdfium's text for this page
                    continue
                if text.strip() and not _looks_garbled(text):
                    pages[i] = text
    except LetterReadError:
        pass  # pdfium could open it, pdfminer cannot: keep pdfium's pages
    return pages
