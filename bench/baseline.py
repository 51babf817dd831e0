"""The baseline alignment: what a plain ``difflib.SequenceMatcher`` implementation does.

For comparison with ``lgso_core.align.align`` in ``bench/run.py`` only; nothing uses it.

It follows the same rules, so it gives the same classification (``run.py`` counts the
letters where it does not): the same comparable form of each paragraph
(``lgso_core.template.comparable``: words singularised, figures and dates masked); a
paragraph that fills a template paragraph, slots included, is template; two neighbours that
fill one once joined were split by a page break; what is left is scored against the
template paragraphs not yet used, the best pairs at or above 60 are ``changed``, the other
paragraphs ``unique`` and the unused letter-section template paragraphs ``missing``.

What makes it the baseline is how, the way a straightforward implementation goes about it:
one ``SequenceMatcher`` over word lists for every (letter paragraph, template paragraph)
pair, in Python loops, whose ratio scores the pair and whose opcodes say whether the
paragraph fills the template paragraph. No dictionary of exact keys, no compiled slot
patterns, no rapidfuzz. The template's word lists are prepared once (as
``CompiledTemplate`` prepares its keys), so the comparison is about the matching, not about
re-reading the template.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

from lgso_core.template import CompiledTemplate, comparable

CHANGED_MIN = 60.0
SLOT = "<slot>"


def prepare(template: CompiledTemplate) -> list[list[str]]:
    """The template paragraphs' comparable forms as word lists."""
    return [key.split() for key in template.keys]


def fills(ops: list[tuple[str, int, int, int, int]], template_words: list[str]) -> bool:
    """Whether a matcher's opcodes say the paragraph is the template paragraph, each slot
    taken by one word or more."""
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        if tag == "replace" and j2 > j1 and all(w == SLOT for w in template_words[i1:i2]):
            continue
        return False
    return True


def _compare(template_words: list[list[str]], words: list[str]) -> tuple[int | None, list[float]]:
    """The template paragraph ``words`` fills (or None), and its similarity to each one."""
    filled, scores = None, []
    for t, tw in enumerate(template_words):
        matcher = SequenceMatcher(None, tw, words, autojunk=False)
        scores.append(100 * matcher.ratio())
        if filled is None and fills(matcher.get_opcodes(), tw):
            filled = t
    return filled, scores


def align_difflib(
    texts: Sequence[str], template: CompiledTemplate, template_words: list[list[str]]
) -> list[tuple[str, str]]:
    """``(kind, text)`` of each deviation, in the letter's order, then the missing ones."""
    texts = list(texts)
    words = [comparable(t).split() for t in texts]
    compared = [_compare(template_words, w) for w in words]
    exact = [c[0] for c in compared]
    scores = [c[1] for c in compared]
    i = 0
    while i < len(texts) - 1:
        if exact[i] is None and exact[i + 1] is None:
            joined = words[i] + words[i + 1]
            hit, joined_scores = _compare(template_words, joined)
            if hit is not None:
                texts[i : i + 2] = [f"{texts[i]} {texts[i + 1]}"]
                words[i : i + 2] = [joined]
                exact[i : i + 2] = [hit]
                scores[i : i + 2] = [joined_scores]
        i += 1
    used = {m for m in exact if m is not None}
    loose = [i for i, m in enumerate(exact) if m is None]
    open_slots = [t for t in range(len(template_words)) if t not in used]
    candidates = [(scores[i][t], i, t) for i in loose for t in open_slots if scores[i][t] >= CHANGED_MIN]
    paired: dict[int, int] = {}
    for _score, i, t in sorted(candidates, key=lambda c: -c[0]):
        if i not in paired and t not in paired.values():
            paired[i] = t
    out = [("changed" if i in paired else "unique", texts[i]) for i in loose]
    for t in open_slots:
        para = template.paragraphs[t]
        if t not in paired.values() and para.section == "letter":
            out.append(("missing", para.text))
    return out
