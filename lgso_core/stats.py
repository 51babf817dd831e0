"""Letter text -> the statistics it states, read by the structure of the statistics part.

The statistics part has three blocks (complaints upheld; compliance with recommendations;
satisfactory remedies), each opened by a heading. Its wording changes every year, so no
exact sentence is looked for. The part is cut into sentences (at sentence ends and at
block headings, which some extractions run into the figures), and each figure is tied to
a block and a role by the words around it: a percentage is the block's rate, or its
similar-authority average in a sentence about the average; "based on (a total of) N ..."
is the total under the block; "N upheld decisions" a count; two dates a period. The
phrases are data, in ``data/stats.toml``.

A figure is only ever filed under a block it is tied to (by a heading before it or by the
words of its own sentence). A figure of the statistics part that cannot be tied to a field
is kept as an *unparsed* sentence (the ``stats-unparsed`` finding), never guessed at and
never a deviation. Every figure is recorded as a ``Mention`` with the noun printed after
it, so the checks can test plurals and totals.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from .models import (
    ComplianceStats,
    DealtWithStats,
    ExtractedStats,
    Mention,
    Paragraph,
    Period,
    RemedyStats,
    Stats,
    UpheldStats,
)

BLOCK_NAMES = ("upheld", "compliance", "remedy")
HEADING_MAX_WORDS = 8
"""Longest paragraph taken as a block heading on its own."""
STRAY_MAX_WORDS = 30
"""After the first block heading, a paragraph this short holding a figure belongs to the
statistics part even when none of its figures can be tied to a field."""

_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_DATE = rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\s*,?\s+\d{{4}}"
_SIGN = r"[-\u2212\u2013]?"
_NUMBER = rf"{_SIGN}(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)"
_ANY_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _phrase(text: str, *, allow_na: bool = False) -> str:
    """A phrase of stats.toml as a regular expression: spaces match any white space,
    {n} a figure (named ``v``) and {date} a date."""
    number = rf"(?P<v>n/a|{_NUMBER})" if allow_na else rf"(?P<v>{_NUMBER})"
    text = text.replace(" ?", r"\s*").replace(" ", r"\s+")
    text = text.replace("{n}", number)
    first = True
    while "{date}" in text:  # the first date is the period's start, the second its end
        text = text.replace("{date}", f"(?P<{'start' if first else 'end'}>{_DATE})", 1)
        first = False
    return text


def _any(phrases: list[str]) -> re.Pattern[str]:
    """Phrases without figures (headings, cues) as one case-blind alternation."""
    return re.compile("|".join(f"(?:{_phrase(t)})" for t in phrases), re.IGNORECASE)


@dataclass(frozen=True)
class _Phrases:
    heading_at_start: dict[str, re.Pattern[str]]
    rate_cues: dict[str, re.Pattern[str]]
    any_heading: re.Pattern[str]
    heading_then_percent: re.Pattern[str]
    percent: re.Pattern[str]
    average: re.Pattern[str]
    no_compliance: re.Pattern[str]
    no_upheld: re.Pattern[str]
    inflected: frozenset[str]
    plural_only: frozenset[str]
    base_inflected_years: frozenset[int]
    counted_role: re.Pattern[str]
    scanner: re.Pattern[str]


_DEALT_FIELDS = ("total", "not_for_us", "assessed_and_closed", "investigated")
_COUNTED = ("period", "per_100k_average", "per_100k", "base", "count", "dealt_")
"""The kinds of figure phrase that tie a figure to a field on their own (not a percentage,
whose block comes from its sentence or heading)."""


def _unnamed(pattern: str) -> str:
    """A pattern with its named groups made plain, to join with others that share names."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


def _prefixed(pattern: str, kind: str) -> str:
    """``(?P<v>`` -> ``(?P<kind__v>``, so phrases sharing group names can be joined."""
    return re.sub(r"\(\?P<(\w+)>", lambda m: f"(?P<{kind}__{m.group(1)}>", pattern)


def _figure_kinds(data: dict) -> list[tuple[str, str]]:
    """Every figure-bearing phrase as (kind, pattern), in priority order where two start at
    the same place (a period before the 'ignore' of its first date, for instance)."""
    roles, dealt = data["roles"], data["dealt_with"]
    kinds = [("period", _phrase(roles["period"]))]
    kinds += [
        (f"per_100k_average{i}", _phrase(t, allow_na=True)) for i, t in enumerate(roles["per_100k_average"])
    ]
    kinds += [("per_100k", _phrase(roles["per_100k"], allow_na=True)), ("base", _phrase(roles["base"])),
              ("count", _phrase(roles["count"]))]  # fmt: skip
    kinds += [
        (f"dealt_{field}", rf"(?P<v>{_NUMBER})\s+(?:{'|'.join(_phrase(t) for t in dealt[field])})\b")
        for field in _DEALT_FIELDS
    ]
    kinds += [("ignore", "|".join(f"(?:{_phrase(t)})" for t in data["ignore"]["phrases"]))]
    return [*kinds, ("percent", _phrase(roles["percent"])), ("na", r"\bn/a\b")]


@cache
def phrases() -> _Phrases:
    """The phrasings of ``data/stats.toml``, compiled once."""
    data = tomllib.loads((resources.files("lgso_core") / "data" / "stats.toml").read_text("utf-8"))
    blocks, roles, repl = data["blocks"], data["roles"], data["replacements"]
    headings = {b: _any(blocks[b]["heading"]) for b in BLOCK_NAMES}
    headings["dealt_with"] = _any(data["dealt_with"]["heading"])
    kinds = _figure_kinds(data)
    counted = [pattern for kind, pattern in kinds if kind.startswith(_COUNTED)]
    return _Phrases(
        heading_at_start={b: re.compile(rf"^\W*(?:{p.pattern})\b\W*", re.I) for b, p in headings.items()},
        rate_cues={b: _any(blocks[b]["rate"]) for b in BLOCK_NAMES},
        any_heading=re.compile(
            "|".join(f"(?P<{b}>\\b(?:{p.pattern})\\b)" for b, p in headings.items()), re.IGNORECASE
        ),
        heading_then_percent=re.compile(
            "(?:"
            + "|".join(p.pattern for p in headings.values())
            + r")\W+(?:\w+\W+){0,3}?"
            + _phrase(roles["percent"]),
            re.IGNORECASE,
        ),
        percent=re.compile(_phrase(roles["percent"]), re.I),
        average=_any(roles["average"]),
        no_compliance=_any(repl["no_compliance"]),
        no_upheld=_any(repl["no_upheld"]),
        inflected=frozenset(data["plurals"]["inflected"]),
        plural_only=frozenset(data["plurals"]["plural_only"]),
        base_inflected_years=frozenset(data["plurals"]["base_inflected_years"]),
        counted_role=re.compile("|".join(f"(?:{_unnamed(c)})" for c in counted), re.IGNORECASE),
        scanner=re.compile(
            "|".join(f"(?P<{kind}>{_prefixed(pattern, kind)})" for kind, pattern in kinds), re.IGNORECASE
        ),
    )


# --------------------------------------------------------------------------- headings


@lru_cache(maxsize=16384)
def heading_block(text: str) -> str | None:
    """The statistics block a short heading opens ('Complaints upheld'), or None."""
    if len(text.split()) > HEADING_MAX_WORDS:
        return None
    for block, pattern in phrases().heading_at_start.items():
        m = pattern.match(text)
        if m and not _ANY_FIGURE.search(text[m.end() :]):
            return block
    return None


def _has_role(text: str) -> bool:
    """Whether a text holds a figure tied to a statistics role, or replaces a block."""
    p = phrases()
    if p.no_compliance.search(text) or p.no_upheld.search(text):
        return True
    if not _ANY_FIGURE.search(text) and "n/a" not in text.lower():
        return False
    if p.counted_role.search(text):
        return True
    if p.average.search(text) and re.search(r"similar|average for", text, re.I):
        return bool(p.percent.search(text) or re.search(r"\bn/a\b", text, re.I))
    if not p.percent.search(text):
        return False
    return any(c.search(text) for c in p.rate_cues.values()) or bool(p.heading_then_percent.search(text))


@lru_cache(maxsize=16384)
def is_stats_paragraph(text: str) -> bool:
    """Whether a paragraph, on its own, is part of the statistics of a letter."""
    return heading_block(text) is not None or _has_role(text)


def statistics_part(texts: Sequence[str]) -> list[bool]:
    """For each paragraph of a letter, whether it belongs to the statistics part: a block
    heading, a paragraph with a statistics figure, or a short paragraph holding a figure
    after the first block heading (a statistics sentence the reader cannot tie)."""
    own = [is_stats_paragraph(text) for text in texts]
    flags, seen_heading = [], False
    for i, text in enumerate(texts):
        seen_heading = seen_heading or heading_block(text) is not None
        near = (i > 0 and own[i - 1]) or any(own[i + 1 : i + 3])
        stray = (
            seen_heading and near and len(text.split()) <= STRAY_MAX_WORDS and bool(_ANY_FIGURE.search(text))
        )
        flags.append(own[i] or stray)
    return flags


# --------------------------------------------------------------------------- sentences


_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=\S)|\s+(?=[-\u2022\u2013*]\s+(?!\d))")


_BULLET = re.compile(r"^(?:[-\u2022\u2013*]\s+|[\s:.,]+)+")


@dataclass(frozen=True)
class _Sentence:
    text: str
    block: str | None  # the block its heading names, when a heading opens it


@lru_cache(maxsize=8192)
def _sentences(text: str) -> tuple[_Sentence, ...]:
    """A paragraph cut at block headings and sentence ends."""
    out: list[_Sentence] = []
    pieces: list[tuple[str, str | None]] = []
    pos, block = 0, None
    for m in phrases().any_heading.finditer(text):
        pieces.append((text[pos : m.start()], block))
        pos, block = m.end(), m.lastgroup
    pieces.append((text[pos:], block))
    for piece, heading in pieces:
        for i, part in enumerate(_SENTENCE_END.split(piece)):
            part = _BULLET.sub("", part).strip()
            if part or (i == 0 and heading):
                out.append(_Sentence(part, heading if i == 0 else None))
    return tuple(out)


_WHOLE_COUNTS = ("base", "count", *(f"dealt_{f}" for f in _DEALT_FIELDS))
"""Roles whose figure is a number of cases: a whole number or it is not theirs."""


def _is_whole(raw: str) -> bool:
    return bool(re.fullmatch(r"[-\u2212\u2013]?[\d,]+", raw))


def _value(raw: str) -> float | None:
    if raw.lower() == "n/a":
        return None
    raw = raw.replace("\u2212", "-").replace("\u2013", "-").replace(",", "")
    number = float(raw)
    return int(number) if number.is_integer() and "." not in raw else number


def parse_date(text: str) -> dt.date | None:
    """'1 April 2019' -> date(2019, 4, 1); None when it is not a real date."""
    cleaned = re.sub(r"(?<=\d)(st|nd|rd|th)", "", " ".join(text.replace(",", " ").split()))
    try:
        return dt.datetime.strptime(cleaned, "%d %B %Y").date()
    except ValueError:
        return None


# --------------------------------------------------------------------------- reading


@lru_cache(maxsize=16384)
def _cues(sentence: str) -> tuple[bool, bool, tuple[str, ...], int]:
    """What a sentence says besides its figures: whether it replaces the compliance or the
    upheld block, which blocks' rate wording it uses, and where 'average' starts in it."""
    p = phrases()
    average = p.average.search(sentence)
    return (
        bool(p.no_compliance.search(sentence)),
        bool(p.no_upheld.search(sentence)),
        tuple(b for b in BLOCK_NAMES if p.rate_cues[b].search(sentence)),
        average.start() if average else len(sentence),
    )


@lru_cache(maxsize=16384)
def _scan(sentence: str) -> tuple[tuple[str, dict[str, str], tuple[int, int]], ...]:
    """The figure-bearing phrases of a sentence: (kind, its groups, its span), in order."""
    found = []
    for m in phrases().scanner.finditer(sentence):
        kind = m.lastgroup or ""
        prefix = f"{kind}__"
        groups = {
            k[len(prefix) :]: v for k, v in m.groupdict().items() if v is not None and k.startswith(prefix)
        }
        found.append(
            (kind.rstrip("0123456789") if kind.startswith("per_100k_average") else kind, groups, m.span())
        )
    return tuple(found)


class _Reader:
    """Walks the statistics part sentence by sentence, tying each figure to a field."""

    def __init__(self) -> None:
        self.values: dict[str, float | None] = {}
        self.mentions: list[Mention] = []
        self.blocks: list[str] = []
        self.block: str | None = None
        self.periods: list[tuple[str, str]] = []
        self.no_compliance = False
        self.no_upheld = False
        self.unparsed: list[str] = []

    def enter(self, block: str) -> None:
        self.block = block
        if block not in self.blocks:
            self.blocks.append(block)

    def record(self, field: str, raw: str, sentence: str, noun: str | None = None, role: str = "") -> None:
        value = _value(raw)
        self.mentions.append(
            Mention(field=field, value=value, raw=raw, noun=noun, sentence=sentence, role=role or None)
        )
        self.values.setdefault(field, value)

    def read_paragraph(self, text: str, in_part: bool) -> None:
        if heading_block(text):
            self.enter(heading_block(text))  # type: ignore[arg-type]
            return
        for sentence in _sentences(text):
            if sentence.block:
                self.enter(sentence.block)
            if sentence.text:
                self.read_sentence(sentence.text, in_part)

    def read_sentence(self, s: str, in_part: bool) -> None:
        no_compliance, no_upheld, cued, after_average = _cues(s)
        if no_compliance:
            self.enter("compliance")
            self.no_compliance = True
        if no_upheld:
            self.enter("upheld")
            self.no_upheld = True
            self.values.setdefault("upheld.decisions", 0)
        found = _scan(s)
        claimed: list[tuple[int, int]] = []
        for kind, g, span in found:
            if self._take(kind, g, span[0] > after_average, cued, s):
                claimed.append(span)
        if in_part:
            self._unclaimed(s, claimed)

    def _take(self, kind: str, g: dict[str, str], after_average: bool, cued: tuple[str, ...], s: str) -> bool:
        """File one match of the scanner; False when it cannot be tied to a field."""
        if kind in _WHOLE_COUNTS and not _is_whole(g.get("v", "")):
            return False  # "1.5 upheld decisions" is no count: left for stats-unparsed
        if kind == "ignore":
            return True
        if kind == "period":
            self.periods.append((" ".join(g["start"].split()), " ".join(g["end"].split())))
            return True
        if kind.startswith("dealt_"):
            if self.block != "dealt_with":
                return False
            self.record(f"dealt_with.{kind[6:]}", g["v"], s, role="dealt_with")
            return True
        if kind.startswith("per_100k"):
            self.enter("upheld")
            field = "per_100k_average" if kind != "per_100k" or after_average else "per_100k"
            self.record(f"upheld.{field}", g["v"], s, role=field)
            return True
        if kind == "base":
            field = self._base_field(g["noun"])
            if field:
                self.record(field, g["v"], s, " ".join(g["noun"].split()), role="base")
            return field is not None
        if kind == "count":
            noun = " ".join(g["noun"].split())
            field = "upheld.decisions" if noun.lower().startswith("upheld") else "remedy.decisions"
            self.enter(field.split(".")[0])
            self.record(field, g["v"], s, noun, role="count")
            return True
        block = cued[0] if len(cued) == 1 else self.block
        if block is None or (kind == "na" and not after_average):
            return False
        if not after_average:
            self.enter(block)
        self.record(f"{block}.{'average' if after_average else 'rate'}", g.get("v", "n/a"), s, role="percent")
        return True

    def _base_field(self, noun: str) -> str | None:
        lower = noun.lower()
        if "compliance" in lower or (lower.startswith("outcome") and self.block == "compliance"):
            return "compliance.outcomes"
        if self.block == "remedy":
            return "remedy.upheld_decisions" if "upheld" in lower else "remedy.investigations"
        if self.block == "upheld" and "upheld" not in lower:
            return "upheld.investigations"
        return None

    def _unclaimed(self, s: str, claimed: list[tuple[int, int]]) -> None:
        """Keep a sentence whose figures are not all tied to a field (or fixed wording)."""
        for m in _ANY_FIGURE.finditer(s):
            a, b = m.span()
            if not any(x <= a and b <= y for x, y in claimed):
                if s not in self.unparsed:
                    self.unparsed.append(s)
                return


def extract_stats(paragraphs: Sequence[Paragraph]) -> ExtractedStats:
    """Read every statistic a letter states."""
    texts = [p.text for p in paragraphs]
    reader = _Reader()
    for text, in_part in zip(texts, statistics_part(texts), strict=True):
        if in_part:
            reader.read_paragraph(text, in_part)
    if not reader.mentions and not reader.no_compliance:
        return ExtractedStats(stats=None, blocks=tuple(reader.blocks), unparsed=tuple(reader.unparsed))
    v = reader.values
    start, end = reader.periods[0] if reader.periods else (None, None)
    stats = Stats(
        upheld=UpheldStats(**_fields(v, "upheld")),
        compliance=ComplianceStats(**_fields(v, "compliance")),
        remedy=RemedyStats(**_fields(v, "remedy")),
        period=Period(start=parse_date(start) if start else None, end=parse_date(end) if end else None),
        dealt_with=DealtWithStats(**_fields(v, "dealt_with")) if "dealt_with" in reader.blocks else None,
    )
    return ExtractedStats(
        stats=stats,
        mentions=tuple(reader.mentions),
        blocks=tuple(reader.blocks),
        no_compliance_due=reader.no_compliance,
        no_upheld=reader.no_upheld,
        period_phrases=tuple(f"{s} to {e}" for s, e in reader.periods),
        unparsed=tuple(reader.unparsed),
    )


def _fields(values: dict[str, float | None], block: str) -> dict[str, float | None]:
    prefix = f"{block}."
    return {k[len(prefix) :]: v for k, v in values.items() if k.startswith(prefix)}


def inflected_roles(year: int | None) -> tuple[frozenset[str], frozenset[str]]:
    """(roles whose noun the template inflects, roles whose noun it may leave plural) in
    a year's letters; see [plurals] in data/stats.toml."""
    p = phrases()
    if year in p.base_inflected_years:
        return p.inflected | p.plural_only, frozenset()
    return p.inflected, p.plural_only
