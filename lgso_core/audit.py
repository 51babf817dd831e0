"""The pipeline: files -> letters -> template -> audits -> report.

``audit_paths`` is what ``lgso audit`` and the bot call; ``load_letter`` and
``audit_letter`` are its two halves for callers that hold one letter.
"""

from __future__ import annotations

import os
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from .align import align
from .authorities import lookup_type
from .batch import batch_checks
from .cache import TextCache
from .checks import LetterFacts, letter_findings
from .identify import find_authority, find_year, stated_years
from .models import (
    AuditReport,
    ExtractedStats,
    Finding,
    InputError,
    Letter,
    LetterAudit,
    Severity,
    TemplateInfo,
)
from .reading import Progress, load_letter, load_letters
from .stats import extract_stats
from .template import (
    CompiledTemplate,
    Template,
    comparable,
    derive_template,
    load_template,
    shipped_templates,
)

MIN_DERIVE = 3
"""Fewest letters of one wording from which a template is derived by consensus."""
GOOD_COVERAGE = 0.6
"""Median share of a group's paragraphs that must fill a shipped template exactly for the
group to be read against it rather than against a template derived from the group."""

__all__ = ["audit_letter", "audit_paths", "choose_templates", "load_letter", "load_letters"]


def audit_letter(
    letter: Letter, template: Template | CompiledTemplate, extra: Iterable[Finding] = ()
) -> LetterAudit:
    """Audit one letter against a template."""
    compiled = template if isinstance(template, CompiledTemplate) else template.compiled()
    extracted = extract_stats(letter.paragraphs)
    return _audit(letter, extracted, find_year(letter.paragraphs, extracted), compiled, extra)


def _audit(
    letter: Letter,
    extracted: ExtractedStats,
    year: int | None,
    compiled: CompiledTemplate,
    extra: Iterable[Finding] = (),
) -> LetterAudit:
    authority = find_authority(letter.paragraphs)
    deviations = align(letter.paragraphs, compiled)
    facts = LetterFacts(
        extracted=extracted,
        deviations=tuple(deviations),
        year=year,
        stated_years=stated_years(letter.paragraphs),
    )
    findings = sorted([*letter_findings(facts), *extra], key=lambda f: -f.severity.rank)
    return LetterAudit(
        source=letter.source,
        authority=authority,
        authority_type=lookup_type(authority, year) if authority else None,
        year=year,
        stats=extracted.stats,
        deviations=deviations,
        findings=findings,
        template=compiled.template.source,
        sha256=letter.sha256,
    )


@dataclass
class _Choice:
    template: CompiledTemplate
    note: Finding | None = None


def audit_paths(
    paths: Iterable[str | os.PathLike],
    template: str | None = None,
    *,
    extractor: str = "auto",
    jobs: int | None = 1,
    cache: TextCache | None = None,
    progress: Progress | None = None,
) -> AuditReport:
    """Audit every letter under ``paths``. Bad inputs go to ``errors``; the rest go on.

    ``template`` is a year with a shipped template or a template file; without it, each
    group of letters of one year is read against that year's shipped template, or one
    derived from the group when none fits (see ``choose_templates``).
    """
    override = load_template(template) if template else None
    letters, errors = load_letters(paths, extractor=extractor, jobs=jobs, cache=cache, progress=progress)
    extracted = [extract_stats(letter.paragraphs) for letter in letters]
    years = [find_year(letter.paragraphs, ex) for letter, ex in zip(letters, extracted, strict=True)]
    keep = [
        not _not_a_letter(letter, ex, year)
        for letter, ex, year in zip(letters, extracted, years, strict=True)
    ]
    errors += [
        InputError(source=letter.source, error="does not look like an annual review letter "
                   "(no year, no statistics, hardly any template paragraph)")
        for letter, kept in zip(letters, keep, strict=True) if not kept
    ]  # fmt: skip
    letters, extracted, years = (
        [x for x, kept in zip(xs, keep, strict=True) if kept] for xs in (letters, extracted, years)
    )
    choices = choose_templates(letters, override, years)
    audits = [
        _audit(letter, ex, year, choice.template, [choice.note] if choice.note else [])
        for letter, ex, year, choice in zip(letters, extracted, years, choices, strict=True)
    ]
    audits = batch_checks(audits)
    return AuditReport(template=_main_info(choices, override), templates=_infos(choices),
                       letters=audits, errors=errors)  # fmt: skip


NOT_A_LETTER_COVERAGE = 0.2
"""Below this share of paragraphs from any shipped template, a file with no year and no
statistics is not audited as a letter (a README.txt in a folder of letters, say)."""


def _not_a_letter(letter: Letter, extracted: ExtractedStats, year: int | None) -> bool:
    if year is not None or extracted.stats is not None:
        return False
    return all(coverage(letter, t) < NOT_A_LETTER_COVERAGE for t in shipped_templates().values())


def _info(t: CompiledTemplate) -> TemplateInfo:
    return TemplateInfo(source=t.template.source, paragraphs=len(t.paragraphs), year=t.template.year)


def _infos(choices: list[_Choice]) -> list[TemplateInfo]:
    seen: dict[tuple[str, int | None], TemplateInfo] = {}
    for c in choices:
        seen.setdefault((c.template.template.source, c.template.template.year), _info(c.template))
    return list(seen.values())


def _main_info(choices: list[_Choice], override: Template | None) -> TemplateInfo:
    if override is not None:
        return _info(override.compiled())
    if not choices:
        shipped = shipped_templates()
        return _info(shipped[max(shipped)])
    sources = [c.template.template.source for c in choices]
    top = max(set(sources), key=lambda s: (sources.count(s), s))
    return next(_info(c.template) for c in choices if c.template.template.source == top)


def coverage(letter: Letter, template: CompiledTemplate) -> float:
    """Share of a letter's paragraphs that fill a template paragraph exactly."""
    hits = sum(template.exact_match(comparable(p.text)) is not None for p in letter.paragraphs)
    return hits / max(len(letter.paragraphs), 1)


def choose_templates(
    letters: list[Letter], override: Template | None = None, years: list[int | None] | None = None
) -> list[_Choice]:
    """The template each letter is read against.

    Letters are grouped by year. A group uses its year's shipped template if there is one;
    otherwise, with at least ``MIN_DERIVE`` letters, a template derived from the group by
    consensus (what every letter of that year says is that year's boilerplate, even where
    it differs from another year's); otherwise the shipped template it fits best, with a
    ``template-mismatch`` note unless it fits well (``GOOD_COVERAGE``). Letters whose year
    cannot be read use the best shipped template when it fits well.
    """
    if override is not None:
        compiled = override.compiled()
        return [_Choice(compiled) for _ in letters]
    shipped = shipped_templates()
    groups: dict[int | None, list[int]] = {}
    if years is None:
        years = [find_year(letter.paragraphs, extract_stats(letter.paragraphs)) for letter in letters]
    for i, year in enumerate(years):
        groups.setdefault(year, []).append(i)
    choices: list[_Choice | None] = [None] * len(letters)
    for year, members in groups.items():
        group = [letters[i] for i in members]
        for i, choice in zip(members, _choose_for_group(year, group, shipped), strict=True):
            choices[i] = choice
    return choices  # type: ignore[return-value]


def _choose_for_group(year, group, shipped) -> list[_Choice]:
    if year in shipped:
        return [_Choice(shipped[year]) for _ in group]
    fits = {y: statistics.median(coverage(letter, t) for letter in group) for y, t in shipped.items()}
    best = max(fits, key=lambda y: (fits[y], y)) if fits else None
    enough = len(group) >= MIN_DERIVE
    if best is not None and fits[best] >= GOOD_COVERAGE and not (enough and year is not None):
        return [_Choice(shipped[best]) for _ in group]
    if enough or best is None:
        derived = derive_template(group, year=year).compiled()
        return [_Choice(derived) for _ in group]
    note = Finding(
        code="template-mismatch", severity=Severity.INFO,
        message=(f"No template fits this letter's wording (best: the {best} template, "
                 f"{fits[best]:.0%} of paragraphs); audit at least {MIN_DERIVE} letters of its "
                 "year together to derive one, or pass --template."),
    )  # fmt: skip
    return [_Choice(shipped[best], note) for _ in group]
