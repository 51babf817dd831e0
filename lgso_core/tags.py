"""What a paragraph is about: tags from the vocabulary of the contract, by the phrase rules
in ``data/tags.toml``.

Each match of a tag's phrase scores 2, of a hint 1, times the tag's weight. The tag scoring
most (a phrase before hints on a tie) is the main topic when it scores at least ``MIN_SCORE``
from a phrase or two hints; other tags follow when they
have a phrase match and at least ``SECONDARY_SHARE`` of the main topic's score (and
``MIN_SCORE``), up to ``MAX_TAGS``: a service named in passing is not what a paragraph is
about. For a ``changed`` paragraph only
the matches that touch the words it adds count (``focus``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .scope import Context, Hit, Phrases, compile_phrases, context, find

OTHER = "other"
MIN_SCORE = 2.0
"""A tag applies from this score: one phrase, or two hints."""
MAX_TAGS = 3
SECONDARY_SHARE = 0.6
"""A tag besides the main one needs at least this share of the main one's score."""
PHRASE, HINT = 2.0, 1.0

Spans = list[tuple[int, int]]


@dataclass(frozen=True)
class TagRule:
    name: str
    phrases: Phrases | None
    hints: Phrases | None
    weight: float = 1.0


@dataclass(frozen=True)
class TagEvidence:
    """Why a paragraph carries a tag: its score and the matches that made it."""

    tag: str
    score: float
    hits: tuple[tuple[Hit, float, str], ...]
    """Each match, what it scored, and whether it was a 'phrase' or a 'hint'."""
    has_phrase: bool
    """Whether a phrase (not only hints) matched."""


@lru_cache(maxsize=1)
def tag_rules() -> tuple[TagRule, ...]:
    """Every tag of ``data/tags.toml``, in file order, its patterns compiled."""
    text = (resources.files("lgso_core") / "data" / "tags.toml").read_text("utf-8")
    return tuple(
        TagRule(
            rule["name"],
            compile_phrases(rule.get("phrases", [])),
            compile_phrases(rule.get("hints", [])),
            float(rule.get("weight", 1.0)),
        )
        for rule in tomllib.loads(text)["tag"]
    )


def vocabulary() -> tuple[str, ...]:
    """Every tag a paragraph may carry, ``other`` last."""
    return (*(rule.name for rule in tag_rules()), OTHER)


def touches(hit: Hit, focus: Spans | None) -> bool:
    """Whether a match overlaps one of the ``focus`` spans (always, without a focus)."""
    return focus is None or any(hit.start < end and start < hit.end for start, end in focus)


def tag_evidence(text: str, focus: Spans | None = None, ctx: Context | None = None) -> list[TagEvidence]:
    """Every tag the paragraph scores for, the highest first (ties: one with a phrase, then the
    one mentioned first)."""
    ctx = ctx or context(text)
    found = []
    for rule in tag_rules():
        scored, has_phrase = [], False
        for pattern, points, kind in ((rule.phrases, PHRASE, "phrase"), (rule.hints, HINT, "hint")):
            if pattern is None:
                continue
            for hit in find(ctx, pattern):
                inside_phrase = any(h.start < hit.end and hit.start < h.end for h, _, _ in scored)
                if touches(hit, focus) and not inside_phrase:  # "reports" of "public reports" counts once
                    scored.append((hit, points * rule.weight, kind))
                    has_phrase = has_phrase or kind == "phrase"
        if scored:
            scored.sort(key=lambda s: s[0].start)
            found.append(TagEvidence(rule.name, sum(s[1] for s in scored), tuple(scored), has_phrase))
    found.sort(key=lambda e: (-e.score, not e.has_phrase, e.hits[0][0].start))
    return found


def tag_paragraph(text: str, focus: Spans | None = None) -> list[str]:
    """The paragraph's tags, main topic first, or ``["other"]``."""
    return [e.tag for e in chosen(tag_evidence(text, focus))] or [OTHER]


def chosen(evidence: list[TagEvidence]) -> list[TagEvidence]:
    """The tags that apply, of the evidence for each (best first): see the module docstring."""
    # one hint of a weighty tag ("our report") is not a topic, however it scores
    qualified = [e for e in evidence if e.score >= MIN_SCORE and (e.has_phrase or len(e.hits) >= 2)]
    if not qualified:
        return []
    main = qualified[0]
    floor = max(MIN_SCORE, SECONDARY_SHARE * main.score)
    rest = [e for e in qualified[1:] if e.score >= floor and e.has_phrase]
    return [main, *rest][:MAX_TAGS]
