"""What a paragraph is about and how it speaks of the council, and why.

``judge_deviation`` gives a ``unique`` or ``changed`` deviation its ``tags`` (``tags.py``)
and ``tone`` (``tone.py``); a ``changed`` paragraph is judged by the words it adds to the
template (its diff), not by the template's words. ``explain`` shows the phrases that
decided, for ``lgso explain``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from . import learned
from .models import AuditReport, Deviation, DiffOp, Tone
from .scope import Hit, context
from .tags import MAX_TAGS, OTHER, TagEvidence, chosen, tag_evidence
from .tone import ToneReading, read_tone

Spans = list[tuple[int, int]]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Phrase(_Frozen):
    """A phrase of the paragraph that counted, and for what."""

    phrase: str = Field(description="The words matched, as the paragraph has them.")
    counts_for: str = Field(description="The tone or tag it counted for ('none': cancelled, see note).")
    points: float = Field(description="What it added to that tone's or tag's score.")
    rule: str = Field(description="The rule that matched: a tone cue's name, or 'phrase'/'hint' of a tag.")
    negated_by: str | None = Field(default=None, description="The negating word, if any.")
    note: str | None = Field(
        default=None, description="Why it was cancelled: 'negated' or 'says what ought to be'."
    )
    scope: float = Field(default=1.0, description="Its clause's weight: above 1 after 'but', below 1 "
                         "under 'although', a hedge or a condition.")  # fmt: skip


class Guess(_Frozen):
    """What the learned model (``learned.py``) said, and the words that pushed it."""

    label: str = Field(description="The tone or topic it chose.")
    probability: float = Field(description="Its probability, 0-1.")
    words: list[str] = Field(default_factory=list, description="The features that pushed most towards it.")


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
    learned_tone: Guess | None = Field(default=None, description="The model's tone, when it decided.")
    learned_topic: Guess | None = Field(default=None, description="The model's topic, when it decided.")
    dropped_tags: list[str] = Field(default_factory=list, description="Rule tags the model found unlikely.")
    about_the_process: bool = Field(
        default=False, description="Every sentence is about the process: cues count 0.1, no model."
    )


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


@dataclass(frozen=True)
class Verdict:
    """Tags and tone, with everything that decided them."""

    tags: list[str]
    tone: Tone
    reading: ToneReading | None = None
    evidence: list[TagEvidence] = field(default_factory=list)
    learned_tone: Guess | None = None
    learned_topic: Guess | None = None
    dropped: list[str] = field(default_factory=list)


def verdict(text: str, focus: Spans | None = None, *, why: bool = False) -> Verdict:
    """The tags (main topic first) and tone of a paragraph, or of the words in ``focus``.

    Tone: the cues when they are decisive (``ToneReading.decisive``) or when every sentence
    is about the process; otherwise the learned model where it is sure enough
    (``TONE_OVER_CUES``, ``TONE_OVER_NONE``), the cues where it is not. Tags: the phrase rules, and the model
    where they find no topic or where it is sure of another main topic (``TOPIC_LEAD``; the
    rules' main topic then follows it). A ``focus`` (a changed paragraph's added words) is judged by
    the rules alone. ``why`` adds the words that pushed the model (for explanations)."""
    if focus == []:
        return Verdict([OTHER], "information")
    ctx = context(text)
    evidence = tag_evidence(text, focus, ctx)
    picked = chosen(evidence)
    reading = read_tone(text, focus, ctx)
    tags, tone = [e.tag for e in picked] or [OTHER], reading.tone
    tone_guess = topic_guess = None
    dropped: list[str] = []
    if focus is None:
        if not reading.decisive and not reading.about_the_process:
            sure = learned.TONE_OVER_CUES if tone != "information" else learned.TONE_OVER_NONE
            tone_guess = _guess("tone", text, learned.probabilities("tone", text), sure, None, why)
            tone = tone_guess.label if tone_guess else tone
        topics = learned.probabilities("topic", text)
        if tags == [OTHER]:
            topic_guess = _guess("topic", text, topics, learned.TOPIC_MIN, OTHER, why)
            tags = [topic_guess.label] if topic_guess else tags
        else:
            ruled = tags
            dropped = [t for t in tags[1:] if topics.get(t, 0.0) < learned.SECONDARY_MIN]
            tags = [t for t in tags if t not in dropped]
            lead = _guess("topic", text, topics, learned.TOPIC_LEAD, OTHER, why)
            if lead and lead.label != tags[0]:  # the model is sure the main topic is another
                topic_guess = lead
                if lead.label in ruled:  # both found by phrases: the rules' tags follow it
                    rest = [t for t in tags if t != lead.label]
                else:  # the rules' main topic too only if the model finds it likely
                    rest = [t for t in tags if topics.get(t, 0.0) >= learned.SECONDARY_MIN]
                tags = [lead.label, *rest][:MAX_TAGS]
                dropped = [t for t in ruled if t not in tags and topics.get(t, 0.0) < learned.SECONDARY_MIN]
    return Verdict(tags, tone, reading, evidence, tone_guess, topic_guess, dropped)  # type: ignore[arg-type]


def _guess(
    kind: str, text: str, probs: dict[str, float], minimum: float, neutral: str | None, why: bool
) -> Guess | None:
    """The model's class for ``text`` (its probabilities ``probs``) when it is not ``neutral``
    and reaches ``minimum``."""
    best = max(probs, key=probs.__getitem__)
    if best == neutral or probs[best] < minimum:
        return None
    words = [w for w, _ in learned.reasons(kind, text, best)] if why else []
    return Guess(label=best, probability=round(probs[best], 2), words=words)


def judge(text: str, focus: Spans | None = None) -> tuple[list[str], Tone]:
    """The tags (main topic first) and tone of a paragraph, or of the words in ``focus``."""
    v = verdict(text, focus)
    return v.tags, v.tone


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
    v = verdict(text, focus, why=True)
    reading = v.reading
    added = " … ".join(op.text for op in diff if op.op == "insert") if diff is not None else None
    return Explanation(
        text=text, kind=kind or ("changed" if diff is not None else "paragraph"), added=added,
        tone=v.tone, concern=reading.concern if reading else 0.0, praise=reading.praise if reading else 0.0,
        tags=v.tags, tag_scores={e.tag: e.score for e in v.evidence},
        tone_phrases=[_phrase(e.hit, e.tone, e.points, e.cue, e.note) for e in _evidence(reading)],
        tag_phrases=[_phrase(hit, e.tag, points, kind) for e in v.evidence for hit, points, kind in e.hits],
        learned_tone=v.learned_tone, learned_topic=v.learned_topic, dropped_tags=v.dropped,
        about_the_process=bool(reading and reading.about_the_process),
    )  # fmt: skip


def explain_deviation(dev: Deviation) -> Explanation:
    """Why a unique or changed deviation got its tone and tags."""
    return explain(dev.text, dev.diff if dev.kind == "changed" else None, kind=dev.kind)


def _evidence(reading: ToneReading | None) -> tuple:
    return reading.evidence if reading else ()


def _phrase(hit: Hit, counts_for: str, points: float, rule: str, note: str | None = None) -> Phrase:
    return Phrase(phrase=hit.phrase, counts_for=counts_for, points=round(points, 2), rule=rule,
                  negated_by=hit.negator, note=note, scope=round(hit.weight, 2))  # fmt: skip


def explanation_text(ex: Explanation) -> str:
    """An explanation laid out for a terminal."""
    lines = [f"“{ex.text}”"]
    if ex.added is not None:
        lines.append(f"  judged by the words it adds: “{ex.added}”" if ex.added else "  adds no words")
    lines.append(f"  tone: {ex.tone} (concern {ex.concern:g}, praise {ex.praise:g})")
    if ex.about_the_process:
        lines.append(
            "    every sentence speaks of the process, not this council: the learned model is not asked"
        )
    if ex.learned_tone:
        lines.append(f"    the cues are not decisive; the learned model says {_guess_text(ex.learned_tone)}")
    for p in ex.tone_phrases:
        neg = f", negated by “{p.negated_by}”" if p.negated_by else ""
        neg += ", cancelled: it says what ought to be" if p.note == "says what ought to be" else ""
        scope = f", x{p.scope:g} in its clause" if p.scope != 1 else ""
        lines.append(f"    “{p.phrase}” -> {p.counts_for} {p.points:+g} ({p.rule}{neg}{scope})")
    scores = ", ".join(f"{tag} {score:g}" for tag, score in ex.tag_scores.items())
    lines.append(f"  tags: {', '.join(ex.tags)}" + (f" (scores: {scores})" if scores else ""))
    for p in ex.tag_phrases:
        lines.append(f"    “{p.phrase}” -> {p.counts_for} {p.points:+g} ({p.rule})")
    if ex.learned_topic and len(ex.tag_scores):
        lines.append(f"    main topic from the learned model: {_guess_text(ex.learned_topic)}")
    elif ex.learned_topic:
        lines.append(f"    no phrase decided; the learned model says {_guess_text(ex.learned_topic)}")
    if ex.dropped_tags:
        lines.append(f"    dropped as unlikely by the learned model: {', '.join(ex.dropped_tags)}")
    return "\n".join(lines) + "\n"


def _guess_text(guess: Guess) -> str:
    words = ", ".join(f"“{w}”" for w in guess.words)
    return f"{guess.label} ({guess.probability:.0%}" + (f"; words: {words})" if words else ")")


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
