"""Files -> raw text, page by page.

A letter arrives as a PDF, plain text, markdown or HTML (a council's web page). This
module only gets the text out, keeping page boundaries where the format has them, in the
encoding it was written in and with its characters repaired (``textrepair``);
``normalize`` turns that into clean paragraphs.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Literal

from .errors import LetterReadError
from .textrepair import decode, repair

Markup = Literal["markdown", "html"]
SUFFIXES = {".pdf": "pdf", ".txt": "text", ".md": "markdown", ".markdown": "markdown",
            ".html": "html", ".htm": "html"}  # fmt: skip
EXTRACTORS = ("auto", "pdfium", "pdfplumber")


class RawDocument:
    """A file's text split into pages, with the markup it is written in."""

    __slots__ = ("markup", "pages", "sha256", "source")

    def __init__(self, source: str, sha256: str, pages: list[str], markup: Markup):
        self.source = source
        self.sha256 = sha256
        self.pages = pages
        self.markup = markup


def file_sha256(path: str | os.PathLike) -> str | None:
    """SHA-256 of a file's bytes, read in blocks; None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def read_document(path: str | os.PathLike, extractor: str = "auto") -> RawDocument:
    """Read one letter file into pages of text. Raises ``LetterReadError``."""
    source = str(path)
    if extractor not in EXTRACTORS:
        raise ValueError(f"extractor must be one of {', '.join(EXTRACTORS)}; got {extractor!r}")
    if Path(path).exists() and not Path(path).is_file() and not Path(path).is_dir():
        raise LetterReadError(source, "not a regular file (a pipe or device?)")
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise LetterReadError(source, "no such file") from None
    except IsADirectoryError:
        raise LetterReadError(source, "is a folder, not a file") from None
    except OSError as exc:
        raise LetterReadError(source, f"cannot be read ({exc.strerror or exc})") from None
    if not data.strip():
        raise LetterReadError(source, "empty file")
    digest = hashlib.sha256(data).hexdigest()
    kind = SUFFIXES.get(Path(path).suffix.lower(), "text")
    if kind == "pdf":
        from .pdf import read_pdf_pages  # pdf backends load only when needed

        pages = read_pdf_pages(path, extractor)
        return RawDocument(source, digest, [repair(page) for page in pages], "markdown")
    if kind == "html":
        from bs4.dammit import EncodingDetector  # the HTML parsers load only when needed

        from .webpage import page_text

        text = decode(source, data, EncodingDetector.find_declared_encoding(data, is_html=True))
        return RawDocument(source, digest, [repair(page_text(text, source))], "markdown")
    text = repair(decode(source, data))
    if not text.strip():
        raise LetterReadError(source, "empty file")
    # Plain text is read as markdown too: extractors leave '**', '[x](#)', '## ' in both.
    return RawDocument(source, digest, text.split("\f"), "markdown")
