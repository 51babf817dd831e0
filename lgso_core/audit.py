"""The pipeline: files -> letters -> template -> audits -> report.

``audit_paths`` is what ``lgso audit`` and the bot call; ``load_letter`` and
``audit_letter`` are its two halves for callers that hold one letter.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from .align import align
from .authorities import lookup_type
from .batch import batch_checks
from .cache import TextCache
from .checks import letter_findings
from .choice import Choice, choose_templates, coverage, template_from_spec
from .facts import LetterFacts
from .identify import find_authority, find_date, find_year, looks_like_letter, stated_years
from .isolate import Limits
from .models import (
    AuditReport,
    ExtractedStats,
    Finding,
    InputError,
    Letter,
    LetterAudit,
    TemplateInfo,
    ordered_findings,
)
from .reading import Progress, load_letter, load_letters
from .stats import extract_stats
from .template import CompiledTemplate, Template, shipped_templates
from .templatestore import TemplateStore

__all__ = [
    "audit_letter",
    "audit_letters",
    "audit_paths",
    "choose_templates",
    "coverage",
    "finish",
    "load_letter",
    "load_letters",
    "screen",
]


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
    compiled: CompiledTemplate | None,
    extra: Iterable[Finding] = (),
) -> LetterAudit:
    """One letter's audit; with no template its paragraphs are not judged (no deviations)."""
    authority = find_authority(letter.paragraphs)
    deviations = align(letter.paragraphs, compiled) if compiled is not None else []
    facts = LetterFacts(
        extracted=extracted,
        deviations=tuple(deviations),
        year=year,
        stated_years=stated_years(letter.paragraphs),
    )
    findings = ordered_findings([*letter_findings(facts), *extra])
    return LetterAudit(
        source=letter.source,
        authority=authority,
        authority_type=lookup_type(authority, year) if authority else None,
        year=year,
        stats=extracted.stats,
        deviations=deviations,
        findings=findings,
        template=compiled.template.source if compiled is not None else None,
        sha256=letter.sha256,
        date=find_date(letter.paragraphs),
    )


def audit_paths(
    paths: Iterable[str | os.PathLike],
    template: str | None = None,
    *,
    extractor: str = "auto",
    jobs: int | None = 1,
    cache: TextCache | None = None,
    progress: Progress | None = None,
    kept: TemplateStore | None = None,
    learn: bool = True,
    limits: Limits | None = None,
) -> AuditReport:
    """Audit every letter under ``paths``. Bad inputs go to ``errors``; the rest go on.

    ``template`` is a year or a template file; without it, each letter is judged against
    its own year's template, or none (see ``choice``). Saved and learned templates are read
    from ``kept`` (default: the folder beside the store); with ``learn``, a template derived
    for a year with none is kept there. Each file is read under ``limits`` (time and
    memory; see ``isolate.Limits``).
    """
    kept = kept if kept is not None else TemplateStore()
    override = template_from_spec(template, kept) if template else None
    letters, errors = load_letters(
        paths, extractor=extractor, jobs=jobs, cache=cache, progress=progress, limits=limits
    )
    letters, extracted, years, rejected = screen(letters)
    errors += rejected
    choices = choose_templates(letters, override, years, kept=kept, learn=learn)
    problems = dict.fromkeys(c.problem for c in choices if c.problem)
    errors += [InputError(source=str(kept.path), error=p) for p in problems]  # type: ignore[misc]
    audits = finish(audit_letters(letters, extracted, years, choices))
    return AuditReport(template=_main_info(choices, override), templates=_infos(choices),
                       letters=audits, errors=errors)  # fmt: skip


Screened = tuple[list[Letter], list[ExtractedStats], list[int | None], list[InputError]]


def screen(letters: list[Letter]) -> Screened:
    """The letters that look like annual review letters, their statistics and years, and an
    error for each file that does not."""
    extracted = [extract_stats(letter.paragraphs) for letter in letters]
    years = [find_year(letter.paragraphs, ex) for letter, ex in zip(letters, extracted, strict=True)]
    keep = [not _not_a_letter(*row) for row in zip(letters, extracted, years, strict=True)]
    errors = [
        InputError(source=letter.source, error="does not look like an annual review letter "
                   "(no salutation, sign-off or statistics headings; or no year, no statistics "
                   "and hardly any template paragraph)")
        for letter, kept in zip(letters, keep, strict=True) if not kept
    ]  # fmt: skip
    letters, extracted, years = (
        [x for x, kept in zip(xs, keep, strict=True) if kept] for xs in (letters, extracted, years)
    )
    return letters, extracted, years, errors  # type: ignore[return-value]


def audit_letters(
    letters: list[Letter], extracted: list[ExtractedStats], years: list[int | None], choices: list[Choice]
) -> list[LetterAudit]:
    """Each letter's own audit against its chosen template (no cross-letter checks yet)."""
    return [
        _audit(letter, ex, year, choice.template, [choice.note] if choice.note else [])
        for letter, ex, year, choice in zip(letters, extracted, years, choices, strict=True)
    ]


def finish(audits: list[LetterAudit]) -> list[LetterAudit]:
    """The audits with the checks across letters added, ``no-template`` kept first."""
    done = []
    for audit in batch_checks(audits):
        ordered = ordered_findings(audit.findings)
        done.append(audit if ordered == audit.findings else audit.model_copy(update={"findings": ordered}))
    return done


NOT_A_LETTER_COVERAGE = 0.2
"""Below this share of paragraphs from any shipped template, a file with no year and no
statistics is not audited as a letter (a README.txt in a folder of letters, say)."""


def _not_a_letter(letter: Letter, extracted: ExtractedStats, year: int | None) -> bool:
    if not looks_like_letter(letter.paragraphs):
        return True
    if year is not None or extracted.stats is not None:
        return False
    return all(coverage(letter, t) < NOT_A_LETTER_COVERAGE for t in shipped_templates().values())


def _info(t: CompiledTemplate) -> TemplateInfo:
    return TemplateInfo(source=t.template.source, paragraphs=len(t.paragraphs), year=t.template.year)


def _infos(choices: list[Choice]) -> list[TemplateInfo]:
    seen: dict[tuple[str, int | None], TemplateInfo] = {}
    for c in choices:
        if c.template is not None:
            seen.setdefault((c.template.template.source, c.template.template.year), _info(c.template))
    return list(seen.values())


def _main_info(choices: list[Choice], override: Template | None) -> TemplateInfo:
    """The template most letters were judged against; ``none`` when none was."""
    if override is not None:
        return _info(override.compiled())
    judged = [c.template for c in choices if c.template is not None]
    if not judged:
        if choices:
            years = {c.year for c in choices}
            return TemplateInfo(source="none", paragraphs=0, year=years.pop() if len(years) == 1 else None)
        shipped = shipped_templates()
        return _info(shipped[max(shipped)])
    sources = [t.template.source for t in judged]
    top = max(set(sources), key=lambda s: (sources.count(s), s))
    return next(_info(t) for t in judged if t.template.source == top)
