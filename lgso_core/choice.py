"""Which template each letter is judged against: its own year's, or none.

A letter is never judged against another year's template: each year's letters are worded
differently, so another year's template would turn boilerplate into ``unique`` paragraphs.
For a letter of year Y, in order:

1. ``--template``, when given, for every letter;
2. the built-in template of Y (only real letters make built-in ones: 2020 alone);
3. the template of Y the user saved (``lgso template build --save``);
4. a template derived by consensus from the letters of Y at hand (at least ``MIN_DERIVE``
   of them, and more than the learned template of Y was built from), learned: kept beside
   the store so that a letter of Y audited alone later is judged the same way;
5. the template of Y learned earlier;
6. none: the letter gets a ``no-template`` warning, placed first in its report, and no
   ``unique``/``changed``/``missing`` paragraph; its figures are still read and checked.

A letter whose year cannot be read is judged against a built-in or kept template only when
most of its paragraphs fill that template exactly (``GOOD_COVERAGE``).

The letters at hand are a batch for ``lgso audit``, and every current letter of the year
for the store (``storesync``), so the same letters give the same template either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .derive import derive_template
from .errors import TemplateError
from .models import Finding, Letter, Severity
from .template import CompiledTemplate, Template, comparable, read_template_file, shipped_templates
from .templatestore import TemplateStore

MIN_DERIVE = 3
"""Fewest letters of one year from which a template is derived by consensus."""
GOOD_COVERAGE = 0.6
"""Share of a letter's paragraphs that must fill a template exactly for a letter whose year
cannot be read to be judged against that template."""
NO_TEMPLATE = "no-template"


@dataclass(frozen=True)
class Choice:
    """The template one letter is judged against (None: no template fits its year)."""

    template: CompiledTemplate | None
    year: int | None
    problem: str | None = None
    """Why a template derived for the letter's year could not be kept (it is still used)."""

    @property
    def note(self) -> Finding | None:
        """The ``no-template`` warning when there is no template."""
        return None if self.template is not None else no_template_finding(self.year)


def no_template_finding(year: int | None) -> Finding:
    """The warning that leads the report of a letter judged against no template."""
    if year is None:
        message = ("No template for this letter: its year could not be read, so its paragraphs "
                   "are not judged. Pass --template, or `lgso template build`.")  # fmt: skip
    else:
        message = (f"No {year} template yet: its paragraphs are not judged. Audit it with other "
                   f"{year} letters, or `lgso template build`.")  # fmt: skip
    return Finding(code=NO_TEMPLATE, severity=Severity.WARNING, message=message)


def template_from_spec(spec: str, kept: TemplateStore | None = None) -> Template:
    """``--template``: a year (built-in, else saved, else learned) or a template file."""
    spec = str(spec).strip()
    if spec.isdigit():
        return (kept or TemplateStore()).resolve(int(spec))
    return read_template_file(spec).model_copy(update={"source": spec})


def coverage(letter: Letter, template: CompiledTemplate) -> float:
    """Share of a letter's paragraphs that fill a template paragraph exactly."""
    hits = sum(template.exact_match(comparable(p.text)) is not None for p in letter.paragraphs)
    return hits / max(len(letter.paragraphs), 1)


def choose_templates(
    letters: Sequence[Letter],
    override: Template | None = None,
    years: Sequence[int | None] | None = None,
    *,
    kept: TemplateStore | None = None,
    learn: bool = False,
) -> list[Choice]:
    """The template each letter is judged against (see the module docstring).

    ``kept`` is where saved and learned templates are read (None: none are); with ``learn``,
    a template derived for a year is kept there.
    """
    if years is None:
        from .identify import find_year
        from .stats import extract_stats

        years = [find_year(letter.paragraphs, extract_stats(letter.paragraphs)) for letter in letters]
    if override is not None:
        compiled = override.compiled()
        return [Choice(compiled, year) for year in years]
    groups: dict[int | None, list[int]] = {}
    for i, year in enumerate(years):
        groups.setdefault(year, []).append(i)
    choices: list[Choice | None] = [None] * len(letters)
    for year, members in groups.items():
        if year is None:
            for i in members:
                choices[i] = Choice(_best_fit(letters[i], kept), None)
            continue
        template, problem = year_template(year, [letters[i] for i in members], kept, learn=learn)
        compiled = template.compiled() if template is not None else None
        for i in members:
            choices[i] = Choice(compiled, year, problem)
    return choices  # type: ignore[return-value]


def year_template(
    year: int, letters: Sequence[Letter], kept: TemplateStore | None, *, learn: bool = False
) -> tuple[Template | None, str | None]:
    """The template of ``year`` given these letters of it, and why it could not be kept."""
    shipped = shipped_templates()
    if year in shipped:
        return shipped[year].template, None
    saved = kept.read(year) if kept is not None else None
    if saved is not None:
        return saved, None
    learned = kept.read(year, learned=True) if kept is not None else None
    distinct = sorted({letter.sha256: letter for letter in letters}.values(), key=lambda x: x.sha256)
    if len(distinct) < MIN_DERIVE or (learned is not None and len(distinct) <= learned.letters):
        return learned, None
    # sorted by content: the same letters derive the same template in any order or batch
    derived = derive_template(distinct, name=str(year), year=year)
    if not learn or kept is None:
        return derived, None
    try:
        kept.save(derived, learned=True)
    except (TemplateError, OSError) as exc:
        return derived, f"the {year} template derived from {len(distinct)} letters could not be kept: {exc}"
    return kept.read(year, learned=True), None


def _best_fit(letter: Letter, kept: TemplateStore | None) -> CompiledTemplate | None:
    """The built-in or kept template most of the letter's paragraphs fill, if one does."""
    candidates = list(shipped_templates().values())
    if kept is not None:
        candidates += [t.compiled() for y in kept.years() if (t := kept.get(y)) is not None]
    fits = [(coverage(letter, t), i) for i, t in enumerate(candidates)]
    best = max(fits, default=None)
    return candidates[best[1]] if best and best[0] >= GOOD_COVERAGE else None


__all__ = [
    "GOOD_COVERAGE",
    "MIN_DERIVE",
    "NO_TEMPLATE",
    "Choice",
    "choose_templates",
    "coverage",
    "no_template_finding",
    "template_from_spec",
    "year_template",
]
