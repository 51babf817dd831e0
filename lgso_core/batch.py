"""Checks that compare the letters of a batch with each other.

``batch_checks`` runs after every letter has been audited on its own:

1. **Types from averages.** The Ombudsman compares each council with the average of its
   type, and every letter of one type and year cites the same averages. A letter's type
   comes from its name (``authorities.lookup_type``); where the averages it cites are those
   of another type's letters (more of them than agree with it in its own group), or it has
   no known type, it takes that type and says so in a ``type-inferred`` info finding.
2. **average-conflict** (error): within one type and year, a letter whose average differs
   from the one most letters of its group cite; with no single most-cited value, every
   letter of the group that cites one of the tied values.
3. **Ranks**: each rate's rank and robust z-score (``outliers.robust_z``) among the letters
   of the same type and year, stored in ``LetterAudit.ranks`` (groups of two or more).
4. **year-change** (info): for an authority with letters of several years, the change in
   each rate since its previous letter.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence

from .authorities import authority_key
from .figures import get
from .models import Finding, LetterAudit, RankInfo, Severity
from .outliers import robust_z

AVERAGE_FIELDS = ("upheld.average", "compliance.average", "remedy.average", "upheld.per_100k_average")
"""The similar-authority averages a letter cites; letters of one type and year share them."""
RANK_FIELDS = ("upheld.rate", "remedy.rate", "upheld.per_100k")
"""The figures ranked within a type and year."""
CHANGE_FIELDS = ("upheld.rate", "compliance.rate", "remedy.rate", "upheld.per_100k")
"""The figures compared with an authority's previous letter."""
MIN_MATCHED_AVERAGES = 2
"""Fewest averages a letter must cite for its type to be inferred from them."""
_NAMES_SHOWN = 3

Group = tuple[int | None, str | None]


def batch_checks(audits: list[LetterAudit]) -> list[LetterAudit]:
    """The audits with cross-letter findings and ranks added (a new list; models are frozen)."""
    types, notes = infer_types(audits)
    extra: dict[int, list[Finding]] = defaultdict(list)
    for i, finding in [*notes, *average_conflicts(audits, types), *year_changes(audits)]:
        extra[i].append(finding)
    ranks = rank_rates(audits, types)
    result = []
    for i, audit in enumerate(audits):
        update: dict = {}
        if types[i] != audit.authority_type:
            update["authority_type"] = types[i]
        if extra[i]:
            findings = [*audit.findings, *extra[i]]
            update["findings"] = sorted(findings, key=lambda f: -f.severity.rank)
        if i in ranks:
            update["ranks"] = ranks[i]
        result.append(audit.model_copy(update=update) if update else audit)
    return result


def averages(audit: LetterAudit) -> dict[str, float]:
    """The similar-authority averages a letter cites ('n/a' ones left out)."""
    if audit.stats is None:
        return {}
    cited = {field: get(audit.stats, field) for field in AVERAGE_FIELDS}
    return {field: value for field, value in cited.items() if value is not None}


def _signature(audit: LetterAudit) -> tuple:
    return tuple(sorted(averages(audit).items()))


def _most_common(counts: Counter) -> tuple[Hashable | None, int]:
    """The single most common value and its count; (None, count) when two or more tie."""
    ranked = counts.most_common()
    if not ranked:
        return None, 0
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None, ranked[0][1]
    return ranked[0]


# --------------------------------------------------------------------------- types


def infer_types(audits: Sequence[LetterAudit]) -> tuple[list[str | None], list[tuple[int, Finding]]]:
    """Each letter's type after reading the averages it cites, and a note for each change.

    A letter moves to another type's group when its averages are that group's most cited
    ones and more of that group's letters cite them than letters of its own group do
    (itself included). Decided on the types by name alone, so two lone letters never swap.
    """
    types = [a.authority_type for a in audits]
    signatures = [_signature(a) for a in audits]
    groups: dict[Group, Counter] = defaultdict(Counter)
    for a, t, sig in zip(audits, types, signatures, strict=True):
        if t is not None and sig:
            groups[(a.year, t)][sig] += 1
    notes = []
    new_types = list(types)
    for i, (audit, sig) in enumerate(zip(audits, signatures, strict=True)):
        if len(sig) < MIN_MATCHED_AVERAGES:
            continue
        own = groups.get((audit.year, types[i]), Counter())[sig] if types[i] else 0
        targets = []
        for (year, kind), counts in groups.items():
            top, count = _most_common(counts)
            if year == audit.year and kind != types[i] and top == sig and count > own:
                targets.append((kind, count))
        if len(targets) != 1:
            continue
        new_types[i], count = targets[0]
        notes.append((i, _type_note(audit, types[i], new_types[i], count)))
    return new_types, notes


def _type_note(audit: LetterAudit, old: str | None, new: str, count: int) -> Finding:
    cited = ", ".join(
        f"{f.split('.')[0]} {v:g}{'%' if 'per_100k' not in f else ''}" for f, v in averages(audit).items()
    )
    was = f"not {old} as its name suggests" if old else "its name gives no type"
    letters = f"{count} {new} letter{'s' if count != 1 else ''}"
    return Finding(
        code="type-inferred",
        severity=Severity.INFO,
        message=f"Treated as {new}: it cites the averages of the {letters} of {audit.year} ({cited}); {was}.",
    )


# --------------------------------------------------------------------------- averages


def _groups(audits: Sequence[LetterAudit], types: Sequence[str | None]) -> dict[Group, list[int]]:
    groups: dict[Group, list[int]] = defaultdict(list)
    for i, (audit, t) in enumerate(zip(audits, types, strict=True)):
        if t is not None:
            groups[(audit.year, t)].append(i)
    return groups


def average_conflicts(
    audits: Sequence[LetterAudit], types: Sequence[str | None]
) -> list[tuple[int, Finding]]:
    """(letter index, finding) for each average that disagrees with its group's."""
    found = []
    for (year, kind), members in sorted(_groups(audits, types).items(), key=lambda g: str(g[0])):
        for field in AVERAGE_FIELDS:
            cited = {i: averages(audits[i])[field] for i in members if field in averages(audits[i])}
            if len(set(cited.values())) < 2:
                continue
            top, _ = _most_common(Counter(cited.values()))
            group = f"{kind} authorities of {year}"
            found += [
                (i, _conflict(field, _conflict_message(audits, cited, i, top, field, group)))
                for i, value in cited.items()
                if value != top
            ]
    return found


def _conflict(field: str, message: str) -> Finding:
    return Finding(code="average-conflict", severity=Severity.ERROR, field=field, message=message)


def _conflict_message(audits, cited: dict[int, float], i: int, top, field: str, group: str) -> str:
    """Why letter ``i``'s average conflicts with the others of its ``group``."""
    block = "per-100,000" if "per_100k" in field else field.split(".")[0]
    unit = "" if "per_100k" in field else "%"
    if top is None:
        shown = "; ".join(
            f"{v:g}{unit} ({_names(audits, [j for j in cited if cited[j] == v])})"
            for v in sorted(set(cited.values()))
        )
        return f"the {len(cited)} {group} cite different {block} averages, none most often: {shown}"
    agree = [j for j in cited if cited[j] == top]
    return (
        f"{block} average {cited[i]:g}{unit} differs from the {top:g}{unit} cited to "
        f"{len(agree)} other {group} ({_names(audits, agree)})"
    )


def _names(audits: Sequence[LetterAudit], indices: list[int]) -> str:
    names = [audits[j].authority or audits[j].source for j in indices]
    more = len(names) - _NAMES_SHOWN
    return ", ".join(names[:_NAMES_SHOWN]) + (f" and {more} more" if more > 0 else "")


# --------------------------------------------------------------------------- ranks


def rank_rates(audits: Sequence[LetterAudit], types: Sequence[str | None]) -> dict[int, dict[str, RankInfo]]:
    """Per letter, each rate's rank and robust z within its type and year (2+ letters)."""
    ranks: dict[int, dict[str, RankInfo]] = defaultdict(dict)
    for (year, kind), members in _groups(audits, types).items():
        for field in RANK_FIELDS:
            values = {i: get(audits[i].stats, field) for i in members if audits[i].stats is not None}
            values = {i: v for i, v in values.items() if v is not None}
            if len(values) < 2:
                continue
            scores = robust_z(list(values.values()))
            median = statistics.median(values.values())
            for (i, value), z in zip(values.items(), scores, strict=True):
                rank = 1 + sum(other > value for other in values.values())
                group = f"{kind} {year}" if year is not None else kind
                ranks[i][field] = RankInfo(
                    value=value, rank=rank, of=len(values), group=group, median=median, z=round(z, 2)
                )
    return dict(ranks)


# --------------------------------------------------------------------------- years


def year_changes(audits: Sequence[LetterAudit]) -> list[tuple[int, Finding]]:
    """(letter index, finding) with each rate's change since the authority's previous letter."""
    by_authority: dict[str, list[int]] = defaultdict(list)
    for i, audit in enumerate(audits):
        if audit.authority and audit.year is not None and audit.stats is not None:
            by_authority[authority_key(audit.authority)].append(i)
    found = []
    for members in by_authority.values():
        for i in members:
            earlier = [j for j in members if audits[j].year < audits[i].year]
            if not earlier:
                continue
            previous = max(earlier, key=lambda j: (audits[j].year, -j))
            message = _change_message(audits[i], audits[previous])
            if message:
                found.append((i, Finding(code="year-change", severity=Severity.INFO, message=message)))
    return found


def _change_message(now: LetterAudit, before: LetterAudit) -> str | None:
    parts = []
    for field in CHANGE_FIELDS:
        new, old = get(now.stats, field), get(before.stats, field)
        if new is None or old is None:
            continue
        unit, step = ("", "") if "per_100k" in field else ("%", " points")
        label = "upheld per 100,000 residents" if "per_100k" in field else field.split(".")[0]
        change = "no change" if new == old else f"{new - old:+g}{step}"
        parts.append(f"{label} {new:g}{unit} (was {old:g}{unit}, {change})")
    if not parts:
        return None
    return f"Since the {before.year} letter: " + "; ".join(parts) + "."
