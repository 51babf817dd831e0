"""What a paragraph is about and how it speaks of the council, and why.

``judge_deviation`` gives a ``unique`` or ``changed`` deviation its ``tags`` (``tags.py``)
and ``tone`` (``tone.py``); a ``changed`` paragraph is judged by the words it adds to the
template (its diff), not by the template's words. ``explain`` shows the phrases that
decided, for ``lgso explain``.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .models import AuditReport, Deviation, DiffOp, Tone
from .scope import Hit, context
from .tags import OTHER, chosen, tag_evidence
from .tone import read_tone

Spans = list[tuple[int, int]]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Phrase(_Frozen):
    """A phrase of the paragraph that counted, and for what."""

    phrase: str = Field(description="The words matched, as the paragraph has them.")
    counts_for: str = Field(description="The tone or tag it counted for ('none': cancelled by negation).")
    points: float = Field(description="What it added to that tone's or tag's score.")
    rule: str = Field(description="The rule that matched: a tone cue's name, or 'phrase'/'hint' of a tag.")
    negated_by: str | None = Field(default=None, description="The negating word, if any.")
    scope: float = Field(default=1.0, description="Its clause's weight: above 1 after 'but', below 1 "
                         "under 'although', a hedge or a condition.")  # fmt: skip


class Explanation(_Frozen):
    """Why a paragraph got its tone and tags."""

    text: str = Field(description="The paragraph.")
    kind: Literal["unique", "changed", "paragraph"] = Field(description="What was judged.")
    added: str | None = Field(default=None, description="For a changed paragraph: the words it adds.")
    tone: Tone
    concern: float = Field(description="The concern score.")
    praise: float = Field(description="The praise score.")
    tags: list[str]
    tag_scores: dict[str, float] = Field(description="Every tag that scored, and its score.")
    tone_phrases: list[Phrase]
    tag_phrases: list[Phrase]


def added_spans(text: str, diff: list[DiffOp] | None) -> Spans | None:
    """Where in ``text`` the words a diff inserts stand; None when the diff does not fit the
    text (then the whole paragraph is judged)."""
    if diff is None:
        return None
    words = [m.span() for m in re.finditer(r"\S+", text)]
    spans, i = [], 0
    for op in diff:
        if op.op == "delete":
            continue
        n = len(op.text.split())
        if op.op == "insert":
            spans += words[i : i + n]
        i += n
    return spans if i == len(words) else None


def judge(text: str, focus: Spans | None = None) -> tuple[list[str], Tone]:
    """The tags (main topic first) and tone of a paragraph, or of the words in ``focus``."""
    if focus == []:
        return [OTHER], "information"
    ctx = context(text)
    tags = [e.tag for e in chosen(tag_evidence(text, focus, ctx))] or [OTHER]
    return tags, read_tone(text, focus, ctx).tone  # type: ignore[return-value]


def judge_deviation(dev: Deviation) -> Deviation:
    """The deviation with its tags and tone; a missing paragraph is left as it is."""
    if dev.kind == "missing":
        return dev
    focus = added_spans(dev.text, dev.diff) if dev.kind == "changed" else None
    tags, tone = judge(dev.text, focus)
    return dev.model_copy(update={"tags": tags, "tone": tone})


def explain(text: str, diff: list[DiffOp] | None = None, kind: str | None = None) -> Explanation:
    """Why the paragraph (a ``changed`` one when ``diff`` is given) gets its tone and tags."""
    focus = added_spans(text, diff) if diff is not None else None
    reading = read_tone(text, focus) if focus != [] else None
    evidence = tag_evidence(text, focus) if focus != [] else []
    tags, tone = judge(text, focus)
    added = " … ".join(op.text for op in diff if op.op == "insert") if diff is not None else None
    return Explanation(
        text=text, kind=kind or ("changed" if diff is not None else "paragraph"), added=added,
        tone=tone, concern=reading.concern if reading else 0.0, praise=reading.praise if reading else 0.0,
        tags=tags, tag_scores={e.tag: e.score for e in evidence},
        tone_phrases=[_phrase(e.hit, e.tone, e.points, e.cue) for e in (reading.evidence if reading else ())],
        tag_phrases=[_phrase(hit, e.tag, points, kind) for e in evidence for hit, points, kind in e.hits],
    )  # fmt: skip


def explain_deviation(dev: Deviation) -> Explanation:
    """Why a unique or changed deviation got its tone and tags."""
    return explain(dev.text, dev.diff if dev.kind == "changed" else None, kind=dev.kind)


def _phrase(hit: Hit, counts_for: str, points: float, rule: str) -> Phrase:
    return Phrase(phrase=hit.phrase, counts_for=counts_for, points=round(points, 2), rule=rule,
                  negated_by=hit.negator, scope=round(hit.weight, 2))  # fmt: skip


def explanation_text(ex: Explanation) -> str:
    """An explanation laid out for a terminal."""
    lines = [f"“{ex.text}”"]
    if ex.added is not None:
        lines.append(f"  judged by the words it adds: “{ex.added}”" if ex.added else "  adds no words")
    lines.append(f"  tone: {ex.tone} (concern {ex.concern:g}, praise {ex.praise:g})")
    for p in ex.tone_phrases:
        neg = f", negated by “{p.negated_by}”" if p.negated_by else ""
        scope = f", x{p.scope:g} in its clause" if p.scope != 1 else ""
        lines.append(f"    “{p.phrase}” -> {p.counts_for} {p.points:+g} ({p.rule}{neg}{scope})")
    scores = ", ".join(f"{tag} {score:g}" for tag, score in ex.tag_scores.items())
    lines.append(f"  tags: {', '.join(ex.tags)}" + (f" (scores: {scores})" if scores else ""))
    for p in ex.tag_phrases:
        lines.append(f"    “{p.phrase}” -> {p.counts_for} {p.points:+g} ({p.rule})")
    return "\n".join(lines) + "\n"


def report_explanations(report: AuditReport) -> str:
    """Every unique and changed paragraph of a report, each with why it got its tone and tags."""
    out = []
    for audit in report.letters:
        devs = [d for d in audit.deviations if d.kind != "missing"]
        who = audit.authority or audit.source
        out.append(f"{who} ({audit.year})" if audit.year else who)
        out.append(f"  {audit.source}")
        if not devs:
            out.append("  no unique or changed paragraph")
        for dev in devs:
            body = explanation_text(explain_deviation(dev))
            out.append(f"  {dev.kind}: " + body.rstrip("\n").replace("\n", "\n    "))
        out.append("")
    out += [f"error {e.source}: {e.error}" for e in report.errors]
    return "\n".join(out).rstrip("\n") + "\n"
