"""Bytes -> text, and text -> the characters its writer meant.

A letter's text reaches us in UTF-8, Windows-1252 (curly apostrophes as byte 0x92,
no-break spaces as 0xA0), Latin-1 or UTF-16 with or without a byte-order mark, and with
the damage text picks up on the way: mojibake ("Councilâ€™s"), ligature characters
("ﬁ" for "fi", from PDFs), soft hyphens, zero-width and no-break spaces, full-width
forms. :func:`decode` finds the encoding (charset-normalizer) and :func:`repair` undoes
the damage (ftfy), before ``normalize`` sees the text.
"""

from __future__ import annotations

import codecs
import re

from .errors import LetterReadError

CANDIDATES = ("utf_8", "cp1252", "latin_1")
"""The single-byte encodings a letter in English is written in; charset-normalizer chooses
among them only (left free, it reads a short Latin-1 text as Urdu cp1006 and a short
Windows-1252 one as UTF-16; given Latin-9, a lone "½" becomes "œ"). UTF-16 and UTF-32
are known by their byte-order mark, and UTF-16 without one by its NUL bytes."""
ASCII_SHARE = 0.5
"""Share of ASCII bytes from which a text charset-normalizer cannot judge is read as
Windows-1252, the encoding browsers fall back to for English."""

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# WHATWG's encoding standard: browsers read these labels as Windows-1252.
_AS_WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp819",
                    "iso_8859-1", "windows-1252", "cp1252", "x-cp1252"}  # fmt: skip


def decode(source: str, data: bytes, declared: str | None = None) -> str:
    """The text of ``data``: a byte-order mark decides, then the ``declared`` charset (an
    HTML page's, read as browsers read it), then UTF-8, then charset-normalizer. Raises
    ``LetterReadError`` naming ``source`` and the reason when no encoding fits."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(source, data, encoding)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(source, data, utf16)
    if b"\x00" in data:
        raise LetterReadError(source, "binary file, not text (contains NUL bytes)")
    if declared:
        label = declared.strip().lower()
        encoding = "cp1252" if label in _AS_WINDOWS_1252 else label
        if encoding.startswith(("utf-16", "utf16")):  # a page read as bytes cannot be: browsers
            encoding = "utf-8"  # read such a declaration as UTF-8
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: detect instead, as browsers do
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    import charset_normalizer  # loaded only for text that is not UTF-8

    best = charset_normalizer.from_bytes(data, cp_isolation=list(CANDIDATES)).best()
    if best is not None:
        return str(best)
    try:  # too little text to judge: a mostly-ASCII text is read as browsers read it
        if sum(b < 0x80 for b in data) >= ASCII_SHARE * len(data):
            return data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    raise LetterReadError(
        source, "cannot tell the text's encoding (not UTF-8, UTF-16, Windows-1252 or Latin-1)"
    )


def _strict(source: str, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        name = encoding.upper().removesuffix("-SIG")
        raise LetterReadError(source, f"not valid {name} text (bad byte at offset {exc.start})") from None


def _utf16_without_bom(data: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when NUL bytes fill every other byte, as in English text
    in UTF-16 with no byte-order mark; else None."""
    sample = data[:4096]
    if len(sample) < 2 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.6 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.6 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


# --- repair -----------------------------------------------------------------

_FTFY_OPTIONS = {
    "unescape_html": False,  # markup is the markdown reader's job
    "uncurl_quotes": False,  # normalize straightens quotes itself
    "fix_line_breaks": False,  # keep form feeds and line ends exactly where they are
    "normalization": "NFC",
    "explain": False,
}
_SUSPECT = re.compile("[\u0080-\u00ff\u0100-\u024f\ufb00-\ufb06\uff01-\uff5e]")
"""Characters mojibake, ligatures and full-width forms are made of. Text without them
skips ftfy, which costs about 4 ms a letter."""
_SOFT_HYPHEN_AT_LINE_END = re.compile("\u00ad[ \t]*\r?\n[ \t]*")
_INVISIBLE = str.maketrans({
    "\u00ad": "", "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2002": " ", "\u2003": " ", "\u2004": " ",
    "\u2005": " ", "\u2006": " ", "\u2008": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
})  # fmt: skip


def repair(text: str) -> str:
    """Mojibake undone, ligatures and full-width forms expanded, soft hyphens and
    zero-width characters removed, no-break and other fixed-width spaces made spaces.

    A soft hyphen at a line end joins the two halves of its word ("com\\u00ad\\nplaints"):
    that is what a soft hyphen means. A visible hyphen at a line end is left for
    ``normalize`` to judge.
    """
    if text.isascii():
        return text
    if _SUSPECT.search(text):
        import ftfy  # loaded only for text that may need it (about 30 ms)

        text = ftfy.fix_text(text, ftfy.TextFixerConfig(**_FTFY_OPTIONS))
    text = _SOFT_HYPHEN_AT_LINE_END.sub("", text)
    return text.translate(_INVISIBLE)
