"""A letter's headline, led by the tone of its unique paragraphs:

    Rotherham Metropolitan Borough Council: concern, enquiry responses (2020)

One function for every place that names a letter's news: the text report, the Slack alert
(``bot.alerts`` through ``answer.alert_headline``) and ``/lgso deviations``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .models import Deviation, LetterAudit, Severity

TONE_ORDER = ("concern", "praise", "information")
"""Concerns first: they are the news."""
HEADLINE_LIMIT = 300
MAX_TOPICS = 3


def by_tone(deviations: Iterable[Deviation]) -> dict[str, list[Deviation]]:
    """The deviations grouped by tone, concerns first (empty tones left out)."""
    groups: dict[str, list[Deviation]] = {tone: [] for tone in TONE_ORDER}
    for dev in deviations:
        groups[dev.tone].append(dev)
    return {tone: devs for tone, devs in groups.items() if devs}


def tone_topics(deviations: Iterable[Deviation]) -> list[tuple[str, list[str]]]:
    """``(tone, tags)`` for each tone the paragraphs take, concerns first; a tone's tags are
    ordered by how many of its paragraphs have them as main topic, then as any tag, and
    ``other`` shows only when nothing else names them."""
    out = []
    for tone, devs in by_tone(deviations).items():
        mains = Counter(d.tags[0] for d in devs if d.tags)
        total = Counter(t for d in devs for t in d.tags)
        tags = sorted(total, key=lambda t: (-mains[t], -total[t]))  # stable: first named first
        named = [t for t in tags if t != "other"]
        out.append((tone, named or tags))
    return out


def about(audit: LetterAudit) -> list[str]:
    """The tone of the letter's unique paragraphs and what they are about, e.g.
    ``["concern", "enquiry responses", "remedies"]``: the leading tone (concern before
    praise before information) and its topics; empty when it has no unique paragraph."""
    groups = tone_topics(d for d in audit.deviations if d.kind == "unique")
    if not groups:
        return []
    tone, tags = groups[0]
    return [tone, *tags[:MAX_TOPICS]]


def about_text(audit: LetterAudit) -> str:
    """Every tone of the unique paragraphs with its topics: 'concern, enquiry responses;
    praise, training' ('' when there are none)."""
    groups = tone_topics(d for d in audit.deviations if d.kind == "unique")
    return "; ".join(", ".join([tone, *tags[:MAX_TOPICS]]) for tone, tags in groups)


def headline(audit: LetterAudit, *, revised: bool = False, limit: int = HEADLINE_LIMIT) -> str:
    """'Rotherham Metropolitan Borough Council: concern, enquiry responses (2020)', with the
    letter's errors and outliers after the tones ('…; 1 error: rate-mismatch'), and
    '(revised letter)' for a new version of a letter already alerted on."""
    parts = [about_text(audit)] if about_text(audit) else []
    errors = list(dict.fromkeys(f.code for f in audit.findings if f.severity == Severity.ERROR))
    n_errors = sum(f.severity == Severity.ERROR for f in audit.findings)
    if n_errors:
        parts.append(f"{n_errors} error{'s' if n_errors != 1 else ''}: {', '.join(errors)}")
    outliers = [f.field or "a rate" for f in audit.findings if f.code == "outlier"]
    if outliers:
        parts.append(f"outlier {', '.join(dict.fromkeys(outliers))}")
    who = audit.authority or audit.source
    line = " ".join(f"{who}: {'; '.join(parts) or 'nothing to report'}".split())
    marks = (f"({audit.year})" if audit.year else "", "(revised letter)" if revised else "")
    tail = " ".join(x for x in marks if x)
    room = limit - len(tail) - 1
    if len(line) > room:
        line = line[: room - 1].rstrip() + "…"
    return f"{line} {tail}".strip()
