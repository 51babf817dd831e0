"""Who a letter is addressed to, and which year it reports on."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from .models import ExtractedStats, Paragraph
from .stats import heading_block, parse_date

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
    # "year ending 31 March 2020", "year ended 31st March 2024"
    ("year ending", re.compile(r"year\s+end(?:ing|ed)\s+(?:on\s+)?31(?:st)?\s+march,?\s+(\d{4})", re.I)),
    # "Annual Review letter 2020", "... 2023-24", "... 2023/24", "... 2023 - 2024": the year
    # a range heading reports on is the year it ends in.
    (
        "heading",
        re.compile(
            r"annual\s+review\s+(?:letter\s+)?(\d{4})(?:\s*[-/\u2010-\u2015]\s*(\d{4}|\d{2})\b)?", re.I
        ),
    ),
)
_DATED = re.compile(r"^\d{1,2}\s+([A-Z][a-z]+)\s+(\d{4})$")


_LETTER_MARKS = re.compile(
    r"^(?:dear\s+\S|yours\s+(?:sincerely|faithfully)|annual\s+review\s+letter\b)", re.IGNORECASE
)


def looks_like_letter(paragraphs: Sequence[Paragraph]) -> bool:
    """Whether the text has the marks of a letter: a salutation, a sign-off, the 'Annual
    Review letter' heading, or a statistics block heading standing as a paragraph. A README
    that quotes a letter's wording in its sentences has none of them."""
    return any(_LETTER_MARKS.match(p.text) or heading_block(p.text) for p in paragraphs)


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
    """Each way the letter states its year: its heading ('Annual Review letter 2020',
    '2023-24') and the year it reports on ('year ending 31 March 2020'), as found first.
    A range heading gives the year it ends in."""
    found: dict[str, int] = {}
    for label, pattern in _YEAR_PATTERNS:
        for para in paragraphs:
            m = pattern.search(para.text)
            if m:
                found[label] = _range_end(m)
                break
    return found


def _range_end(m: re.Match[str]) -> int:
    first = int(m.group(1))
    if m.lastindex and m.lastindex >= 2 and m.group(2):
        tail = m.group(2)
        end = int(tail) if len(tail) == 4 else first // 100 * 100 + int(tail)
        if end == first + 1:
            return end
    return first


def report_year(day: dt.date) -> int:
    """The year ending 31 March that a date falls in: 31 March 2020 -> 2020, 1 April 2020 -> 2021."""
    return day.year if day.month <= 3 else day.year + 1


def find_year(paragraphs: Sequence[Paragraph], extracted: ExtractedStats | None = None) -> int | None:
    """The year ending 31 March that the letter reports on.

    The evidence is the statistics period's end, "year ending 31 March", and the heading
    ("Annual Review letter 2023-24"); the year most of them give wins, and on a tie the
    period, the strongest evidence. A letter stating none is dated: a July letter reports
    on the year that ended that March.
    """
    votes = []
    if extracted and extracted.stats and extracted.stats.period.end:
        votes.append(report_year(extracted.stats.period.end))
    votes += stated_years(paragraphs).values()
    if votes:
        return max(votes, key=lambda y: (votes.count(y), -votes.index(y)))
    for para in paragraphs[:6]:
        m = _DATED.match(para.text)
        if m:
            year = int(m.group(2))
            return year if m.group(1) not in ("January", "February", "March") else year - 1
    return None


_LETTER_DATE = re.compile(r"^\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4}$")


def find_date(paragraphs: Sequence[Paragraph]) -> dt.date | None:
    """The date the letter bears: a paragraph of just a date ('22 July 2020') at its head."""
    for para in paragraphs[:8]:
        text = " ".join(para.text.split())
        if _LETTER_DATE.match(text):
            found = parse_date(text)
            if found is not None:
                return found
    return None
