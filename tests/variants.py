"""Ways extractors mangle a letter without changing what it says, applied to seed texts."""

from __future__ import annotations

import re
import textwrap
from itertools import pairwise


def hard_wrapped(text: str, width: int = 72) -> str:
    """Every paragraph hard-wrapped at ``width`` columns."""
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n\n".join(textwrap.fill(" ".join(p.split()), width) for p in paragraphs)


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def curly(text: str) -> str:
    """Curly apostrophes and stray double spaces, as word processors leave them."""
    return text.replace("'", "\u2019").replace(". ", ".  ")


def as_markdown(text: str) -> str:
    """Short heading-like paragraphs as '## ' headings, percentages in bold."""
    out = []
    for para in re.split(r"\n\s*\n", text):
        stripped = para.strip()
        if stripped and len(stripped) < 45 and "\n" not in stripped and not stripped[0].isdigit():
            para = f"## {stripped}"
        out.append(re.sub(r"(?<!\*)\b(\d+%)", r"**\1**", para))
    return "\n\n".join(out)


def as_html(text: str) -> str:
    """Paragraphs as <p>, links underlined, in a page with a head."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]

    def block(p: str) -> str:
        p = re.sub(r"\[([^\]]+)\]\(#\)", r"<u>\1</u>", p)
        p = re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", p).replace("\n", "<br>")
        return f"<ul><li>{p[2:]}</li></ul>" if p.startswith("- ") else f"<p>{p}</p>"

    body = "\n".join(block(p) for p in paragraphs)
    return f"<!doctype html><html><head><title>Letter</title></head><body>{body}</body></html>"


def blank_lines_lost(text: str, width: int | None = None) -> str:
    """The blank line between two prose paragraphs dropped, as some extractors do
    (optionally hard-wrapped at ``width``)."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    if width:
        paragraphs = [textwrap.fill(p, width) for p in paragraphs]
    out = paragraphs[:1]
    for prev, para in pairwise(paragraphs):
        prose = len(prev) > 80 and len(para) > 80 and prev.endswith(".")
        out.append(("\n" if prose else "\n\n") + para)
    return "".join(out)
