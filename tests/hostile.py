"""Hostile files for the tests: PDFs written byte by byte (a glyph flood, a Flate bomb)
and pathological markup. Each is small on disk and costly to read."""

from __future__ import annotations

import random
import zlib


def pdf_with_content(content: bytes, *, flate: bool = True) -> bytes:
    """A one-page PDF whose page content stream is ``content`` (already compressed when
    ``flate``), with a cross-reference table pdfium and pdfminer accept."""
    stream_dict = b"<< /Length %d%s >>" % (len(content), b" /Filter /FlateDecode" if flate else b"")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        stream_dict + b"\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def glyph_flood(glyphs: int = 8000, seed: int = 1) -> bytes:
    """Thousands of three-letter words drawn over one another in a 10 x 5 point box
    (about 33 KB for 8,000)."""
    rng = random.Random(seed)
    ops = [b"BT /F1 10 Tf"]
    for _ in range(glyphs):
        word = bytes(rng.choice(b"abcdefghij") for _ in range(3))
        ops.append(b"1 0 0 1 %d %d Tm (%s) Tj" % (rng.randint(50, 60), rng.randint(400, 405), word))
    ops.append(b"ET")
    return pdf_with_content(zlib.compress(b"\n".join(ops)))


def flate_bomb(megabytes: int = 4000) -> bytes:
    """A page content stream of ``megabytes`` MB of spaces, Flate-compressed to about
    1/1000 of that (4 MB on disk for the default).

    Built in milliseconds: after a full flush deflate forgets its history, so every further
    megabyte compresses to the same bytes; the stream ends with an empty final block and
    the Adler-32 of everything (RFC 1950/1951).
    """
    block = b" " * (1 << 20)
    packer = zlib.compressobj(9)
    first = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    n = megabytes << 20  # Adler-32 of n spaces: A = 1 + 32n, B = n + 32 n(n+1)/2 (mod 65521)
    a, b = (1 + 32 * n) % 65521, (n + 16 * n * (n + 1)) % 65521
    body = first + again * (megabytes - 1) + b"\x03\x00" + (b << 16 | a).to_bytes(4, "big")
    return pdf_with_content(body)


def image_openers(kilobytes: int = 512) -> str:
    """Markdown of nothing but unclosed image openers, ``![`` repeated."""
    return "![" * (kilobytes * 512)


def nested_divs(depth: int = 40_000) -> str:
    """HTML of ``depth`` nested <div>s around one sentence."""
    return "<html><body>" + "<div>" * depth + "Deep." + "</div>" * depth + "</body></html>"
