"""Who a letter is addressed to, and which year it reports on."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .models import ExtractedStats, Paragraph

_WORD = r"[A-Z][\w'.-]*"
_LINK = r"(?:upon|on|and|under|le|in|the|of|with|&)"
_PREFIXED = re.compile(
    rf"(?:The\s+)?(?:Royal\s+Borough|London\s+Borough|Borough|City|County|Council)\s+of\s+"
    rf"(?:the\s+)?{_WORD}(?:,?\s+(?:{_WORD}|{_LINK}))*?(?=\s+(?:Council|Corporation)\b|\s*$)"
    r"(?:\s+(?:Council|Corporation)\b)?"
)
_SUFFIXED = re.compile(
    rf"(?:{_WORD})(?:,?\s+(?:{_WORD}|{_LINK}))*?\s+(?:Council|Corporation|MBC|MDC|BC|DC|CC)\b"
)
_TITLE_WORDS = re.compile(
    r"^.*\b(?:Executive|Director|Officer|Manager|Clerk|Services?|Head|Interim|Acting|Chief|"
    r"Leader|Mayor|Secretary|Esq|Dr|Mr|Mrs|Ms|Miss|Mx|Sir|Dame|Professor|Cllr)\b\.?,?\s*",
)
_YEAR_PATTERNS = (
    re.compile(r"year\s+ending\s+31(?:st)?\s+March\s+(\d{4})", re.I),
    re.compile(r"annual\s+review\s+letter\s+(\d{4})", re.I),
)
_DATED = re.compile(r"^\d{1,2}\s+([A-Z][a-z]+)\s+(\d{4})$")


def find_authority(paragraphs: Sequence[Paragraph]) -> str | None:
    """The authority named in the address block (the paragraphs before 'Dear ...')."""
    head = []
    for para in paragraphs[:15]:
        if para.text.lower().startswith("dear "):
            break
        head.append(para.text)
    for text in reversed(head):
        for pattern in (_PREFIXED, _SUFFIXED):
            found = pattern.findall(text)
            if found:
                return _strip_person(found[-1].strip(" ,"))
    return None


def _strip_person(candidate: str) -> str:
    """'Ms Kemp Chief Executive Rotherham Metropolitan Borough Council' -> the council."""
    if re.match(
        r"(?:The\s+)?(?:Royal\s+Borough|London\s+Borough|Borough|City|County|Council)\s+of\b", candidate
    ):
        return candidate
    return _TITLE_WORDS.sub("", candidate).strip(" ,") or candidate


def stated_years(paragraphs: Sequence[Paragraph]) -> dict[str, int]:
    """Each way the letter states its year: its heading ('Annual Review letter 2020') and
    the year it reports on ('year ending 31 March 2020'), as found first."""
    found: dict[str, int] = {}
    for label, pattern in zip(("year ending", "heading"), _YEAR_PATTERNS, strict=True):
        for para in paragraphs:
            m = pattern.search(para.text)
            if m:
                found[label] = int(m.group(1))
                break
    return found


def find_year(paragraphs: Sequence[Paragraph], extracted: ExtractedStats | None = None) -> int | None:
    """The year ending 31 March that the letter reports on."""
    stated = stated_years(paragraphs)
    if stated:
        return stated.get("year ending", stated.get("heading"))
    if extracted and extracted.stats and extracted.stats.period.end:
        return extracted.stats.period.end.year
    for para in paragraphs[:6]:
        m = _DATED.match(para.text)
        if m:
            year = int(m.group(2))
            return year if m.group(1) not in ("January", "February", "March") else year - 1
    return None
