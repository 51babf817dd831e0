"""Deriving a template by consensus: what most letters of a year say is its boilerplate.

``derive_template`` keeps the paragraphs that more than half the letters share, in their
usual order, with a slot wherever the letters differ. The shipped ``templates/2020.json``
was built with it from the seed letters (``lgso template build``); templates of other years
are derived from the user's own letters (see ``choice``) and kept (``templatestore``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from .errors import TemplateError
from .identify import find_year
from .models import Letter
from .stats import extract_stats, is_stats_paragraph
from .template import Section, Template, TemplateParagraph, comparable, is_salutation, tokenize


@dataclass
class _Cluster:
    position: float
    members: dict[int, str]  # letter index -> paragraph text


def common_year(letters: list[Letter]) -> int | None:
    """The year every letter reports on, when they all agree and it can be read."""
    years = {find_year(letter.paragraphs, extract_stats(letter.paragraphs)) for letter in letters}
    return years.pop() if len(years) == 1 else None


def derive_template(
    letters: list[Letter],
    *,
    name: str = "derived",
    year: int | None = None,
    min_share: float = 0.5,
) -> Template:
    """The paragraphs that more than ``min_share`` of the letters share, with slots.

    Letters are aligned paragraph by paragraph against a reference (the letter sharing
    most paragraphs with the others), so that paragraphs which differ only in names
    (``Dear Ms Kemp`` / ``Dear Mr Andrews``) line up by position.
    """
    if not letters:
        raise TemplateError("cannot derive a template from no letters")
    keyed = [[(p.text, comparable(p.text)) for p in letter.paragraphs] for letter in letters]
    ref = _reference(keyed)
    clusters = [_Cluster(i, {ref: text}) for i, (text, _) in enumerate(keyed[ref])]
    loose: dict[str, _Cluster] = {}
    for li, paras in enumerate(keyed):
        if li != ref:
            _align_into(clusters, loose, keyed[ref], paras, li)
    everything = sorted([*clusters, *loose.values()], key=lambda c: c.position)
    with_stats = sum(any(is_stats_paragraph(t) for t, _ in paras) for paras in keyed)
    first, last = _stats_span(everything, is_stats_paragraph)
    salutation = next(
        (i for i, c in enumerate(everything) if any(is_salutation(t) for t in c.members.values())), 0
    )
    paragraphs = []
    for i, cluster in enumerate(everything):
        section: Section = "stats" if first <= i <= last else "header" if i < salutation else "letter"
        base = with_stats if section == "stats" else len(letters)
        share = len(cluster.members) / max(base, 1)
        if share > min_share or (len(letters) == 1 and share == 1):
            paragraphs.append(TemplateParagraph(
                text=_slotted(list(cluster.members.values()), figures=section == "stats"),
                section=section,
                support=round(share, 3),
            ))  # fmt: skip
    return Template(name=name, year=year, source="derived", letters=len(letters),
                    paragraphs=paragraphs)  # fmt: skip


def _reference(keyed: list[list[tuple[str, str]]]) -> int:
    sets = [{key for _, key in paras} for paras in keyed]

    def shared(i: int) -> int:
        return sum(len(sets[i] & s) for j, s in enumerate(sets) if j != i)

    return max(range(len(keyed)), key=lambda i: (shared(i), -i))


def _align_into(clusters, loose, ref_paras, paras, li) -> None:
    ref_keys = [k for _, k in ref_paras]
    keys = [k for _, k in paras]
    for op, i1, i2, j1, j2 in SequenceMatcher(None, ref_keys, keys, autojunk=False).get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                if op == "equal" or _similar_enough(ref_keys[i], keys[j]):
                    clusters[i].members.setdefault(li, paras[j][0])
                else:
                    _add_loose(loose, paras[j], li, i - 0.5)
        elif op in ("replace", "insert"):
            for j in range(j1, j2):
                _add_loose(loose, paras[j], li, i1 - 0.5 + (j - j1) / (j2 - j1 + 1))


_SHORT_WORDS = 12
_AUTHORITY_WORDS = frozenset(
    {"council", "borough", "county", "city", "district", "metropolitan"}
    | {"royal", "london", "of", "the", "corporation"}
)


def _similar_enough(a: str, b: str) -> bool:
    """Paragraphs in the same place, short (an address, a salutation) or alike (a body)."""
    wa, wb = a.split(), b.split()
    common = SequenceMatcher(None, wa, wb, autojunk=False).ratio()
    return common >= 0.6 or max(len(wa), len(wb)) <= _SHORT_WORDS


def _add_loose(loose: dict[str, _Cluster], para: tuple[str, str], li: int, pos: float) -> None:
    cluster = loose.setdefault(para[1], _Cluster(pos, {}))
    cluster.members.setdefault(li, para[0])


def _stats_span(clusters: list[_Cluster], is_stats) -> tuple[int, int]:
    hits = [i for i, c in enumerate(clusters) if any(is_stats(t) for t in c.members.values())]
    return (hits[0], hits[-1]) if hits else (math.inf, -math.inf)  # type: ignore[return-value]


def _slotted(texts: list[str], *, figures: bool = False) -> str:
    """The first text with a slot wherever the others differ from it (and on every
    figure, with ``figures``)."""
    ref = texts[0]
    ref_tokens = tokenize(ref)
    ref_keys = [t.key for t in ref_tokens]
    varies = [figures and k == "<n>" for k in ref_keys]
    for other in texts[1:]:
        keys = [t.key for t in tokenize(other)]
        matcher = SequenceMatcher(None, ref_keys, keys, autojunk=False)
        for op, i1, i2, _j1, _j2 in matcher.get_opcodes():
            if op in ("replace", "delete"):
                varies[i1:i2] = [True] * (i2 - i1)
            elif op == "insert":  # absorb insertions into the neighbouring token
                varies[max(i1 - 1, 0)] = True
    _widen_over_authority_words(varies, ref_keys)
    out, pos = [], 0
    for i, j in _runs(varies):
        start, end = ref_tokens[i].start, ref_tokens[j].end
        out.append(ref[pos:start] + "{" + _slot_kind(ref[start:end]) + "}")
        pos = end
    out.append(ref[pos:])
    return "".join(out)


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    """(first, last) index of every run of True."""
    runs, i = [], 0
    while i < len(flags):
        if flags[i]:
            j = i
            while j + 1 < len(flags) and flags[j + 1]:
                j += 1
            runs.append((i, j))
            i = j
        i += 1
    return runs


def _widen_over_authority_words(varies: list[bool], keys: list[str]) -> None:
    """A slot of words next to 'Council', 'Borough of' etc. takes them in: another
    letter's authority may be a 'Royal Borough of X' where these letters had 'X Council'."""
    for i, j in _runs(varies):
        if all(k in ("<n>", "<date>") for k in keys[i : j + 1]):
            continue
        while i > 0 and keys[i - 1] in _AUTHORITY_WORDS:
            i -= 1
            varies[i] = True
        while j + 1 < len(keys) and keys[j + 1] in _AUTHORITY_WORDS:
            j += 1
            varies[j] = True


def _slot_kind(value: str) -> str:
    keys = {t.key for t in tokenize(value)}
    if keys <= {"<n>"}:
        return "figure"
    if keys <= {"<date>"}:
        return "date"
    if re.search(r"\b(council|borough|county|city|district|authority)\b", value, re.I):
        return "authority"
    if len(value.split()) <= 4:
        return "name"
    return "text"
