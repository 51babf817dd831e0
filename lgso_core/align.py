"""A letter's paragraphs against the template -> unique, changed and missing paragraphs.

1. A paragraph whose comparable form (figures, dates and plurals masked) fills a template
   paragraph exactly, slots included, is template: not a deviation.
2. Two neighbouring paragraphs that are template once joined were split by a page break.
3. What is left is scored word by word against the unmatched template paragraphs with
   rapidfuzz; the best pairs at or above ``CHANGED_MIN`` are ``changed``, the rest of the
   letter's paragraphs are ``unique`` and the rest of the template's are ``missing``.

Statistics paragraphs are never reported ``missing``: the ``stats-missing`` finding speaks
for an absent or partial statistics part. A statistics sentence the template lacks ("No
recommendations were due for compliance in this period", another year's figures) is
data for the checks, not a ``unique`` or ``changed`` paragraph. Nor is the header (letterhead, date, address),
whose lines vary with each council's titles ("Managing Director", "Head of Paid
Service"): a short paragraph before the salutation is never ``unique``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from difflib import SequenceMatcher
from functools import lru_cache

from rapidfuzz import fuzz, process

from .judge import judge_deviation
from .models import Deviation, DiffOp, Paragraph
from .stats import statistics_part
from .template import CompiledTemplate, comparable, is_salutation, tokenize

ADDRESS_MAX_WORDS = 30
"""Longest paragraph before the salutation that is taken as part of the address block."""
CHANGED_MIN = 60.0
"""Word-level similarity (0-100) from which an unmatched paragraph is a rewording of a
template paragraph rather than new text."""

_vocabulary: dict[str, str] = {}


def _encode(key: str) -> str:
    """A comparable text as one character per word, so rapidfuzz compares words."""
    chars = []
    for word in key.split():
        char = _vocabulary.get(word)
        if char is None:
            n = len(_vocabulary)
            char = _vocabulary[word] = chr(0x4E00 + n) if n < 0x5000 else chr(0x10000 + n)
        chars.append(char)
    return "".join(chars)


def _matches(paragraphs: Sequence[Paragraph], template: CompiledTemplate):
    """Texts, comparable keys, exact template matches and pages, page-break splits healed
    and paragraphs run together (a lost blank line) split where the template says."""
    texts, exact, pages = [], [], []
    for para in paragraphs:
        parts = _split_on_template(para.text, template)
        texts += [text for text, _ in parts]
        exact += [match for _, match in parts]
        pages += [para.page] * len(parts)
    keys = [comparable(t) for t in texts]
    i = 0
    while i < len(texts) - 1:
        if exact[i] is None and exact[i + 1] is None:
            joined = f"{keys[i]} {keys[i + 1]}"
            hit = template.exact_match(joined)
            if hit is not None:
                texts[i : i + 2] = [f"{texts[i]} {texts[i + 1]}"]
                keys[i : i + 2] = [joined]
                exact[i : i + 2] = [hit]
                pages[i : i + 2] = [pages[i]]
        i += 1
    return texts, keys, exact, pages


def align(
    paragraphs: Sequence[Paragraph], template: CompiledTemplate, *, with_tags: bool = True
) -> list[Deviation]:
    """The deviations of a letter from the template, in the letter's order, then missing."""
    texts, keys, exact, pages = _matches(paragraphs, template)
    used = {m for m in exact if m is not None}
    header = _header_length(texts)
    in_stats = statistics_part(texts)
    loose = [
        i for i, m in enumerate(exact)
        if m is None and not (i < header and len(texts[i].split()) <= ADDRESS_MAX_WORDS)
        and not in_stats[i]
    ]  # fmt: skip
    encoded_template = [_encode(k) for k in template.keys]
    open_slots = [
        t for t, para in enumerate(template.paragraphs) if t not in used and para.section != "header"
    ]
    open_set = set(open_slots)

    candidates = []  # (score, letter index, template index)
    best: dict[int, tuple[float, int | None]] = {}
    for i in loose:
        query = _encode(keys[i])
        scores = process.extract(query, encoded_template, scorer=fuzz.ratio, limit=None)
        top = max(scores, key=lambda s: s[1], default=(None, 0.0, None))
        best[i] = (top[1], top[2])
        candidates += [(s, i, t) for _, s, t in scores if t in open_set and s >= CHANGED_MIN]

    paired: dict[int, int] = {}
    for score, i, t in sorted(candidates, key=lambda c: -c[0]):
        if i not in paired and t not in paired.values():
            paired[i] = t
            best[i] = (score, t)

    deviations = []
    for i in _join_across_pages(loose, paired, pages, texts):
        score, t = best[i]
        if i in paired:
            tmpl = template.paragraphs[t].text
            dev = Deviation(kind="changed", text=texts[i], template=tmpl, score=round(score, 1),
                            diff=word_diff(tmpl, texts[i]))  # fmt: skip
        else:
            dev = Deviation(kind="unique", text=texts[i], template=None, score=round(score, 1))
        deviations.append(judge_deviation(dev) if with_tags else dev)
    for t in open_slots:
        para = template.paragraphs[t]
        if t not in paired.values() and para.section == "letter":
            deviations.append(Deviation(kind="missing", text=para.text, template=para.text,
                                        score=0.0, tags=[]))  # fmt: skip
    return deviations


_CUT = re.compile(r"(?<=[.!?:])\s+|\s+(?=[A-Z0-9])")
"""Where a paragraph may have been run together with the next: after a sentence or a
colon, or before a capital (a heading with no full stop)."""


def _split_on_template(text: str, template: CompiledTemplate) -> list[tuple[str, int | None]]:
    """``(text, template match)`` for a paragraph, or for its parts when it is a template
    paragraph plus more text, split where they meet (and the rest split again).

    The paragraph is tokenized once: the comparable form of a head or tail is a slice of
    the whole paragraph's, and only cuts whose slice could be a template paragraph (an
    exact key's length, a slotted key's first and last words) are tried, so a paragraph
    of 10,000 words costs about as much as one of 100."""
    match = template.exact_match(comparable(text))
    if match is not None:
        return [(text, match)]
    cuts = [m.start() for m in _CUT.finditer(text)]
    if not cuts:
        return [(text, None)]
    pieces = _Pieces(text, template)
    for cut in reversed(cuts):  # the longest head first: "Complaints upheld - We uphold…"
        match = pieces.head_match(cut)  # is one paragraph, not a heading
        if match is not None:
            head, tail = text[:cut], text[cut:].lstrip()
            return [(head, match), *_split_on_template(tail, template)]
    for cut in cuts:  # likewise the longest tail first
        match = pieces.tail_match(cut)
        if match is not None:
            head, tail = text[:cut], text[cut:].lstrip()
            return [*_split_on_template(head, template), (tail, match)]
    return [(text, None)]


SLOT_MAX_WORDS = 12
"""Most words a slot of a template paragraph stands for when a paragraph is cut at a
template paragraph's end (a name, an authority, a date)."""


@lru_cache(maxsize=16)
def _key_shapes(template: CompiledTemplate) -> tuple[frozenset[int], list[tuple[int, int]]]:
    """The lengths (characters) of a template's exact keys, and the fewest and most words
    a piece filling each slotted key can have: what a piece must be to be worth matching."""
    lengths = frozenset(len(k) for k in template.keys if "<slot>" not in k)
    windows = []
    for key in template.keys:
        words = key.split()
        slots = words.count("<slot>")
        if slots:
            windows.append((len(words) - slots, len(words) - slots + SLOT_MAX_WORDS * slots))
    return lengths, windows


class _Pieces:
    """The comparable form of a paragraph's heads and tails, as slices of one key.

    Hand-written: no library splits a text where a prefix fills a template; this only
    makes the search linear. A token that straddles a cut (a date across "22 | July
    2020") makes the slice differ from the piece's own comparable form, so such cuts
    are checked on the piece itself."""

    def __init__(self, text: str, template: CompiledTemplate):
        self.text, self.template = text, template
        tokens = tokenize(text)
        self.starts = [t.start for t in tokens]
        self.ends = [t.end for t in tokens]
        self.key = " ".join(t.key for t in tokens)
        self.offsets = [0]  # offsets[i]: where token i starts in self.key
        for t in tokens:
            self.offsets.append(self.offsets[-1] + len(t.key) + 1)
        self.lengths, self.windows = _key_shapes(template)

    def _worth(self, chars: int, words: int) -> bool:
        return chars in self.lengths or any(low <= words <= high for low, high in self.windows)

    def head_match(self, cut: int) -> int | None:
        n = bisect_right(self.ends, cut)  # tokens wholly before the cut
        if n < len(self.starts) and self.starts[n] < cut:  # a token straddles the cut
            return self.template.exact_match(comparable(self.text[:cut]))
        end = max(self.offsets[n] - 1, 0)
        return self.template.exact_match(self.key[:end]) if self._worth(end, n) else None

    def tail_match(self, cut: int) -> int | None:
        n = bisect_left(self.starts, cut)  # the first token after the cut
        if n > 0 and self.ends[n - 1] > cut:
            return self.template.exact_match(comparable(self.text[cut:].lstrip()))
        start = self.offsets[n]
        if not self._worth(len(self.key) - start, len(self.starts) - n):
            return None
        return self.template.exact_match(self.key[start:])


def _join_across_pages(loose: list[int], paired: dict[int, int], pages: list, texts: list[str]) -> list[int]:
    """Two new paragraphs either side of a page break are one: a page break at a sentence's
    end looks like a paragraph break. Joins them in ``texts``; returns the indices left."""
    kept: list[int] = []
    for i in loose:
        prev = kept[-1] if kept else None
        straddles = prev == i - 1 and pages[i] is not None and pages[prev] is not None
        if straddles and prev not in paired and i not in paired and pages[i] == pages[prev] + 1:
            texts[prev] = f"{texts[prev]} {texts[i]}"
            pages[prev] = pages[i]  # a third part may follow on the next page
            continue
        kept.append(i)
    return kept


def _header_length(texts: list[str]) -> int:
    """How many paragraphs come before the salutation (0 when there is none)."""
    return next((i for i, text in enumerate(texts) if is_salutation(text)), 0)


def word_diff(old: str, new: str) -> list[DiffOp]:
    """Word-level diff from ``old`` to ``new``; figures and plurals compare as equal."""
    a, b = old.split(), new.split()
    ka, kb = [comparable(w) or w for w in a], [comparable(w) or w for w in b]
    ops: list[DiffOp] = []

    def add(op: str, words: list[str]) -> None:
        if not words:
            return
        if ops and ops[-1].op == op:
            ops[-1] = DiffOp(op=op, text=f"{ops[-1].text} {' '.join(words)}")
        else:
            ops.append(DiffOp(op=op, text=" ".join(words)))

    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes():
        if tag == "equal":
            add("equal", b[j1:j2])
        else:
            add("delete", a[i1:i2])
            add("insert", b[j1:j2])
    return ops
