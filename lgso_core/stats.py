"""Letter text -> the statistics it states.

The statistics part of a letter is read sentence by sentence, wherever its sentences are
(their own paragraphs in 2020, run together in some extractions). Each figure is recorded
as a ``Mention`` with the noun printed after it, so the checks can test plurals and totals.
Wording of later years is covered: "similar organisations", upheld decisions per 100,000
residents, "n/a" averages, remedies based on upheld decisions, and the sentence that
replaces the compliance block when no recommendations were due.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from .models import (
    ComplianceStats,
    ExtractedStats,
    Mention,
    Paragraph,
    Period,
    RemedyStats,
    Stats,
    UpheldStats,
)

_SIGN = r"[-\u2212\u2013]?"  # a negative figure is read as printed, for the range checks
_NUM = rf"(?P<v>n/a|{_SIGN}\d+(?:\.\d+)?)"
_DATE = r"\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4}"
_PER_100K = r"upheld\s+decisions?\s+per\s+100,?000\s+residents"
_PATTERNS = {
    "upheld_rate": rf"{_NUM}\s*%\s*of\s+(?:the\s+)?complaints\s+(?:we\s+)?investigated\s+were\s+upheld",
    "compliance_rate": rf"\bin\s+{_NUM}\s*%\s*of\s+cases,?\s+we\s+were\s+satisfied",
    "remedy_rate": rf"\bin\s+{_NUM}\s*%\s*of\s+upheld\s+cases,?\s+we\s+found",
    "average": rf"\baverage\s+(?:of|for\s+[^.%]{{0,60}}?\s+is)\s+{_NUM}\s*(?P<unit>%|{_PER_100K})?",
    "based_on": rf"based\s+on\s+a\s+total\s+of\s+(?P<v>{_SIGN}\d+)\s+(?P<noun>detailed\s+investigations?"
                r"|compliance\s+outcomes?|upheld\s+decisions?|investigations?|outcomes?)",
    "per_100k": rf"{_NUM}\s+{_PER_100K}",
    "count": rf"(?<![\w.,%])(?P<v>{_SIGN}\d+)\s+"
             r"(?P<noun>upheld\s+decisions?|satisfactory\s+remedy\s+decisions?)",
    "period": rf"period\s+(?:between|from)\s+(?P<start>{_DATE})\s+(?:to|and|until)\s+(?P<end>{_DATE})",
    "no_compliance": r"no\s+recommendations\s+were\s+due\s+for\s+compliance",
}  # fmt: skip
_SCANNER = re.compile(
    "|".join(f"(?P<{name}>{pattern.replace('?P<', f'?P<{name}_')})" for name, pattern in _PATTERNS.items()),
    re.IGNORECASE,
)
_HEADINGS = (
    ("upheld", re.compile(r"^complaints\s+upheld\b", re.I)),
    ("compliance", re.compile(r"^compliance\s+with\b", re.I)),
    ("remedy", re.compile(r"^satisfactory\s+remed", re.I)),
)
_HEADING_MAX_WORDS = 8


def heading_block(text: str) -> str | None:
    """The statistics block a short heading opens, or None."""
    if len(text.split()) > _HEADING_MAX_WORDS:
        return None
    for block, pattern in _HEADINGS:
        if pattern.match(text):
            return block
    return None


def is_stats_paragraph(text: str) -> bool:
    """Whether a paragraph belongs to the statistics part of a letter."""
    return heading_block(text) is not None or _SCANNER.search(text) is not None


def _value(raw: str) -> float | None:
    if raw.lower() == "n/a":
        return None
    raw = raw.replace("\u2212", "-").replace("\u2013", "-")
    number = float(raw)
    return int(number) if number.is_integer() and "." not in raw else number


def parse_date(text: str) -> dt.date | None:
    """'1 April 2019' -> date(2019, 4, 1); None when it is not a real date."""
    cleaned = re.sub(r"(?<=\d)(st|nd|rd|th)", "", " ".join(text.split()))
    try:
        return dt.datetime.strptime(cleaned, "%d %B %Y").date()
    except ValueError:
        return None


@lru_cache(maxsize=8192)
def _scan(text: str) -> tuple[tuple[str, dict[str, str]], ...]:
    """Every statistics sentence in a paragraph: (kind, named groups), in order."""
    found = []
    for m in _SCANNER.finditer(text):
        kind = m.lastgroup or ""
        prefix = f"{kind}_"
        groups = {k[len(prefix):]: v for k, v in m.groupdict().items()
                  if v is not None and k.startswith(prefix)}  # fmt: skip
        found.append((kind, groups))
    return tuple(found)


class _Reader:
    """Walks the statistics sentences in order, tracking the block they belong to."""

    def __init__(self) -> None:
        self.values: dict[str, float | None] = {}
        self.mentions: list[Mention] = []
        self.blocks: list[str] = []
        self.block: str | None = None
        self.last_field: str | None = None
        self.periods: list[tuple[str, str]] = []
        self.no_compliance = False

    def enter(self, block: str) -> None:
        self.block = block
        if block not in self.blocks:
            self.blocks.append(block)

    def record(self, field: str, raw: str, sentence: str, noun: str | None = None) -> None:
        value = _value(raw)
        self.mentions.append(Mention(field=field, value=value, raw=raw, noun=noun,
                                     sentence=sentence))  # fmt: skip
        self.values.setdefault(field, value)
        self.last_field = field

    def read(self, text: str) -> None:
        block = heading_block(text)
        if block:
            self.enter(block)
            return
        for kind, groups in _scan(text):
            getattr(self, f"_on_{kind}")(groups, text)

    def _on_upheld_rate(self, g, text):
        self.enter("upheld")
        self.record("upheld.rate", g["v"], text)

    def _on_compliance_rate(self, g, text):
        self.enter("compliance")
        self.record("compliance.rate", g["v"], text)

    def _on_remedy_rate(self, g, text):
        self.enter("remedy")
        self.record("remedy.rate", g["v"], text)

    def _on_average(self, g, text):
        unit = (g.get("unit") or "").lower()
        after_per_100k = self.last_field == "upheld.per_100k" and unit != "%"
        if "per" in unit or after_per_100k:
            self.record("upheld.per_100k_average", g["v"], text)
        elif self.block:
            self.record(f"{self.block}.average", g["v"], text)

    def _on_per_100k(self, g, text):
        self.enter("upheld")
        self.record("upheld.per_100k", g["v"], text)

    def _on_count(self, g, text):
        noun = " ".join(g["noun"].split())
        field = "upheld.decisions" if noun.lower().startswith("upheld") else "remedy.decisions"
        self.enter(field.split(".")[0])
        self.record(field, g["v"], text, noun)

    def _on_based_on(self, g, text):
        noun = " ".join(g["noun"].split())
        lower = noun.lower()
        if "compliance" in lower or (lower.startswith("outcome") and self.block == "compliance"):
            field = "compliance.outcomes"
        elif self.block == "remedy":
            field = "remedy.upheld_decisions" if "upheld" in lower else "remedy.investigations"
        else:
            field = "upheld.investigations"
        self.record(field, g["v"], text, noun)

    def _on_period(self, g, text):
        self.periods.append((g["start"], g["end"]))

    def _on_no_compliance(self, g, text):
        self.enter("compliance")
        self.no_compliance = True


def extract_stats(paragraphs: list[Paragraph] | tuple[Paragraph, ...]) -> ExtractedStats:
    """Read every statistic a letter states."""
    reader = _Reader()
    for para in paragraphs:
        reader.read(para.text)
    if not reader.mentions and not reader.no_compliance:
        return ExtractedStats(stats=None, blocks=tuple(reader.blocks))
    v = reader.values
    start, end = reader.periods[0] if reader.periods else (None, None)
    stats = Stats(
        upheld=UpheldStats(**_fields(v, "upheld")),
        compliance=ComplianceStats(**_fields(v, "compliance")),
        remedy=RemedyStats(**_fields(v, "remedy")),
        period=Period(start=parse_date(start) if start else None,
                      end=parse_date(end) if end else None),
    )  # fmt: skip
    return ExtractedStats(
        stats=stats,
        mentions=tuple(reader.mentions),
        blocks=tuple(reader.blocks),
        no_compliance_due=reader.no_compliance,
        period_phrases=tuple(f"{s} to {e}" for s, e in reader.periods),
    )


def _fields(values: dict[str, float | None], block: str) -> dict[str, float | None]:
    prefix = f"{block}."
    return {k[len(prefix) :]: v for k, v in values.items() if k.startswith(prefix)}
