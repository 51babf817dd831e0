"""How a paragraph speaks of the council: ``concern``, ``praise`` or ``information``, by the
cue phrases of ``data/tone.toml`` weighed in their scope (``scope.py``).

Every cue match scores its weight times its clause's weight for its tone (a sentence about
the process, not this council, weighs 0.1); a negated match scores for the cue's
``negated`` tone instead, and praise right after "should" or "entitled to" counts for
nothing. A paragraph whose concern score reaches the threshold and at least equals its
praise score is a concern: a mixed paragraph that still raises a worry ("I welcome ... but
I remain concerned") is news about a problem. The reading says whether the cues are
``decisive``; where they are not, ``judge`` lets the learned model overrule them when it is
sure. For a ``changed`` paragraph only the sentences holding the words it adds are read
(``focus``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .scope import (
    Context,
    Hit,
    Phrases,
    about_the_process,
    clause_at,
    compile_phrases,
    context,
    find,
    normative,
    sentence_spans,
)

TONES = ("concern", "praise", "information")

Spans = list[tuple[int, int]]


@dataclass(frozen=True)
class Cue:
    name: str
    tone: str
    weight: float
    negated: str
    negated_weight: float
    pattern: Phrases
    not_negated_by: frozenset[str] = frozenset()
    """Negators that do not turn this cue ("without it for more than two years" is a wait)."""


@dataclass(frozen=True)
class ToneEvidence:
    """One cue match and what it counted for."""

    cue: str
    hit: Hit
    tone: str
    """The tone the match counted for ('none' when cancelled: see ``note``)."""
    points: float
    note: str | None = None
    """Why it was cancelled: "negated" or "says what ought to be"."""


@dataclass(frozen=True)
class ToneReading:
    """A paragraph's tone, its scores and the matches behind them."""

    tone: str
    concern: float
    praise: float
    evidence: tuple[ToneEvidence, ...]
    about_the_process: bool = False
    """Every sentence speaks of the process, not this council (``scope.about_the_process``)."""
    decisive: bool = False
    """The cues alone decide: the winning score reaches ``decisive`` and beats the other by
    ``decisive_margin`` (``data/tone.toml``); otherwise the learned model decides (``judge``)."""


@lru_cache(maxsize=1)
def _data() -> dict:
    return tomllib.loads((resources.files("lgso_core") / "data" / "tone.toml").read_text("utf-8"))


def decisive_at() -> tuple[float, float]:
    """The score and the margin from which the cues decide alone (``data/tone.toml``)."""
    return float(_data()["decisive"]), float(_data()["decisive_margin"])


@lru_cache(maxsize=1)
def tone_rules() -> tuple[float, tuple[Cue, ...]]:
    """The threshold and every cue of ``data/tone.toml``, patterns compiled."""
    data = _data()
    cues = []
    for cue in data["cue"]:
        if cue["tone"] not in TONES[:2] or cue.get("negated", "none") not in (*TONES[:2], "none"):
            raise ValueError(f"data/tone.toml: cue {cue['name']!r} has an unknown tone")
        pattern = compile_phrases(cue["patterns"])
        cues.append(Cue(cue["name"], cue["tone"], float(cue["weight"]), cue.get("negated", "none"),
                        float(cue.get("negated_weight", cue["weight"])), pattern,
                        frozenset(cue.get("not_negated_by", ()))))  # fmt: skip
    return float(data["threshold"]), tuple(cues)


def read_tone(text: str, focus: Spans | None = None, ctx: Context | None = None) -> ToneReading:
    """The tone of a paragraph (of the sentences touching ``focus``, when given)."""
    threshold, cues = tone_rules()
    ctx = ctx or context(text)
    window = None
    if focus is not None:
        window = [(s, e) for s, e in sentence_spans(text) if any(a < e and s < b for a, b in focus)]
    evidence = []
    for cue in cues:
        for hit in find(ctx, cue.pattern):
            if window is not None and not any(s <= hit.start < e for s, e in window):
                continue
            note = None
            if hit.negator and hit.negator not in cue.not_negated_by:
                tone, points = cue.negated, cue.negated_weight * hit.weight
                note = "negated" if tone == "none" else None
            else:
                tone, points = cue.tone, cue.weight * hit.weight
            if tone == "praise" and normative(ctx.text, clause_at(ctx.clauses, hit.start), hit.start):
                tone, note = "none", "says what ought to be"  # "entitled to a timely decision"
            evidence.append(ToneEvidence(cue.name, hit, tone, 0.0 if tone == "none" else points, note))
    evidence.sort(key=lambda e: e.hit.start)
    concern = sum(e.points for e in evidence if e.tone == "concern")
    praise = sum(e.points for e in evidence if e.tone == "praise")
    if concern >= threshold and concern >= praise:
        tone = "concern"
    elif praise >= threshold and praise > concern:
        tone = "praise"
    else:
        tone = "information"
    score, margin = decisive_at()
    decisive = tone != "information" and max(concern, praise) >= score and abs(concern - praise) >= margin
    process = about_the_process(ctx)
    return ToneReading(tone, round(concern, 2), round(praise, 2), tuple(evidence), process, decisive)
