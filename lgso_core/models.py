"""The data passed between the stages of the pipeline, and the audit it produces.

Every model is a frozen pydantic v2 model. The public ones (``LetterAudit`` and what it
holds, ``AuditReport``) are the JSON contract in ``CONTRACT.md``; fields may be added but
never renamed or removed.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Severity(StrEnum):
    """How serious a finding is; ordered ``info < warning < error``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


AuthorityType = Literal["county", "district", "metropolitan", "unitary", "london"]
DeviationKind = Literal["unique", "changed", "missing"]
Tone = Literal["concern", "praise", "information"]


# --------------------------------------------------------------------------- reading


class Paragraph(_Frozen):
    """One paragraph of a letter after normalisation."""

    text: str = Field(description="The paragraph's text: one line, markup removed.")
    page: int | None = Field(default=None, description="1-based page it starts on, if known.")


class Letter(_Frozen):
    """A letter read from a file and normalised into paragraphs."""

    source: str = Field(description="The input path, as found.")
    sha256: str = Field(description="SHA-256 of the file's bytes.")
    paragraphs: tuple[Paragraph, ...] = Field(description="The letter's paragraphs, in order.")

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)


# --------------------------------------------------------------------------- statistics


class UpheldStats(_Frozen):
    """The 'Complaints upheld' block."""

    rate: int | float | None = Field(default=None, description="Percentage of investigations upheld.")
    average: int | float | None = Field(
        default=None, description="Average upheld rate of similar authorities (null if n/a)."
    )
    decisions: int | None = Field(default=None, description="Number of upheld decisions.")
    investigations: int | None = Field(
        default=None, description="Detailed investigations the rate is based on."
    )
    per_100k: int | float | None = Field(
        default=None, description="Upheld decisions per 100,000 residents (later years)."
    )
    per_100k_average: int | float | None = Field(
        default=None, description="Average upheld decisions per 100,000 residents for the type."
    )


class ComplianceStats(_Frozen):
    """The 'Compliance with Ombudsman recommendations' block."""

    rate: int | float | None = Field(default=None, description="Percentage of compliance outcomes met.")
    average: int | float | None = Field(default=None, description="Similar-authority average rate.")
    outcomes: int | None = Field(default=None, description="Compliance outcomes the rate is on.")


class RemedyStats(_Frozen):
    """The 'Satisfactory remedies provided by the authority' block."""

    rate: int | float | None = Field(default=None, description="Percentage of upheld cases remedied.")
    average: int | float | None = Field(default=None, description="Similar-authority average rate.")
    decisions: int | None = Field(default=None, description="Satisfactory remedy decisions.")
    investigations: int | None = Field(
        default=None, description="Detailed investigations the figures are based on (2020 style)."
    )
    upheld_decisions: int | None = Field(
        default=None, description="Upheld decisions the figures are based on (later years)."
    )


class DealtWithStats(_Frozen):
    """The 'Complaints dealt with' block of later letters: what became of the complaints."""

    total: int | None = Field(default=None, description="Complaints and enquiries dealt with.")
    not_for_us: int | None = Field(default=None, description="Outside the Ombudsman's remit.")
    assessed_and_closed: int | None = Field(default=None, description="Assessed and closed.")
    investigated: int | None = Field(default=None, description="Investigated in detail.")


class Period(_Frozen):
    """The period the statistics cover."""

    start: dt.date | None = Field(default=None, description="First day of the period.")
    end: dt.date | None = Field(default=None, description="Last day of the period.")


class Stats(_Frozen):
    """A letter's statistics; any value the letter does not state is null."""

    upheld: UpheldStats = Field(default_factory=UpheldStats)
    compliance: ComplianceStats = Field(default_factory=ComplianceStats)
    remedy: RemedyStats = Field(default_factory=RemedyStats)
    period: Period = Field(default_factory=Period)
    dealt_with: DealtWithStats | None = Field(
        default=None, description="The 'Complaints dealt with' block of later letters; null when absent."
    )


class Mention(_Frozen):
    """One figure as the letter states it: the evidence the checks work from."""

    field: str = Field(description="Dotted path into Stats, e.g. 'upheld.decisions'.")
    value: int | float | None = Field(description="The figure; null for 'n/a'.")
    raw: str = Field(description="The figure as printed, e.g. '57%' or 'n/a'.")
    noun: str | None = Field(default=None, description="The noun that follows a count.")
    sentence: str = Field(description="The sentence the figure was read from.")
    role: str | None = Field(
        default=None,
        description="What tied it to its field: 'percent', 'count', 'base', 'per_100k', "
        "'per_100k_average' (see data/stats.toml).",
    )


class ExtractedStats(_Frozen):
    """What ``stats.extract_stats`` read from a letter."""

    stats: Stats | None = Field(description="Null when the letter has no statistics at all.")
    mentions: tuple[Mention, ...] = Field(default=(), description="Every figure read, in order.")
    blocks: tuple[str, ...] = Field(
        default=(), description="The blocks found: 'upheld', 'compliance', 'remedy'."
    )
    no_compliance_due: bool = Field(
        default=False, description="The letter says no recommendations were due for compliance."
    )
    period_phrases: tuple[str, ...] = Field(
        default=(), description="Every statistics period as printed, e.g. for period checks."
    )
    no_upheld: bool = Field(default=False, description="The letter says the Ombudsman upheld no complaints.")
    unparsed: tuple[str, ...] = Field(
        default=(), description="Statistics sentences holding a figure that could not be tied to a field."
    )


# --------------------------------------------------------------------------- audit


class Finding(_Frozen):
    """A validation error, outlier or note about a letter."""

    code: str = Field(description="Stable finding code, see CONTRACT.md.")
    severity: Severity = Field(description="error, warning or info.")
    message: str = Field(description="One readable sentence, with the arithmetic where useful.")
    field: str | None = Field(default=None, description="Dotted path into stats, or null.")


LEADING_CODES = ("no-template",)
"""Finding codes that lead a letter's findings whatever their severity: they say how to read
the rest of its report."""


def ordered_findings(findings) -> list[Finding]:
    """Leading codes first, then errors, warnings and infos, otherwise in the given order."""
    return sorted(findings, key=lambda f: (f.code not in LEADING_CODES, -f.severity.rank))


class DiffOp(_Frozen):
    """One run of a word-level diff between a template paragraph and the letter's."""

    op: Literal["equal", "insert", "delete"] = Field(description="What happened to the words.")
    text: str = Field(description="The words.")


class Deviation(_Frozen):
    """A paragraph-level difference from the canonical template."""

    kind: DeviationKind = Field(description="unique, changed or missing.")
    text: str = Field(description="The letter's paragraph (the template's, for missing).")
    template: str | None = Field(description="The template paragraph it was matched with.")
    score: float = Field(ge=0, le=100, description="Similarity to the template paragraph, 0-100.")
    tags: list[str] = Field(default_factory=list, description="Topic tags, see data/tags.toml.")
    tone: Tone = Field(
        default="information",
        description="How the paragraph speaks of the council: concern (criticism, a worry, a request "
        "to put something right), praise, or information (neither). A missing paragraph is information.",
    )
    diff: list[DiffOp] | None = Field(
        default=None, description="Word-level diff template -> letter, for changed paragraphs."
    )


class RankInfo(_Frozen):
    """Where one of a letter's rates stands among the batch's letters of the same type and year."""

    value: int | float = Field(description="The letter's stated figure.")
    rank: int = Field(description="1 for the highest figure in the group; ties share a rank.")
    of: int = Field(description="How many letters of the group state this figure.")
    group: str = Field(description="The group ranked within, e.g. 'district 2020'.")
    median: float = Field(description="The group's median of this figure.")
    z: float = Field(
        description="Robust z-score against the group: 0.6745 * (value - median) / MAD "
        "(see outliers.robust_z); beyond +/-3.5 is extreme."
    )


class LetterAudit(_Frozen):
    """The audit of one letter (CONTRACT.md)."""

    source: str = Field(description="The input path, exactly as it was found.")
    authority: str | None = Field(description="The authority addressed, as written.")
    authority_type: AuthorityType | None = Field(description="The authority's type.")
    year: int | None = Field(description="The year ending 31 March that the letter reports on.")
    stats: Stats | None = Field(description="Null when the letter has no statistics section.")
    deviations: list[Deviation] = Field(description="Differences from the template.")
    findings: list[Finding] = Field(description="Validation errors, outliers and notes.")
    template: str | None = Field(
        default=None,
        description="The template this letter was read against; null when it had none (none of its year).",
    )
    sha256: str | None = Field(default=None, description="SHA-256 of the letter file's bytes.")
    ranks: dict[str, RankInfo] | None = Field(
        default=None,
        description="Batch only: the letter's rates ranked within its type and year, keyed by "
        "dotted path ('upheld.rate', 'remedy.rate', 'upheld.per_100k'); null when not ranked.",
    )
    date: dt.date | None = Field(
        default=None, description="The date the letter bears at its head (e.g. 2020-07-22), if printed."
    )


class TemplateInfo(_Frozen):
    """Which template the batch was aligned with."""

    source: str = Field(
        description="'builtin:YEAR', 'saved:YEAR' (kept beside the store), 'derived', the template file's "
        "path, or 'none' when no letter had a template of its year."
    )
    paragraphs: int = Field(description="How many paragraphs the template has.")
    year: int | None = Field(default=None, description="The letters' year the template is for, if known.")


class InputError(_Frozen):
    """An input that could not be audited."""

    source: str = Field(description="The path as given.")
    error: str = Field(description="A one-line reason.")


class AuditReport(_Frozen):
    """The whole result of ``lgso audit`` (CONTRACT.md)."""

    template: TemplateInfo
    templates: list[TemplateInfo] = Field(
        default_factory=list, description="Every template used, when a batch needed several."
    )
    letters: list[LetterAudit]
    errors: list[InputError]

    def worst(self) -> Severity | None:
        """The most severe finding in the report, or None."""
        ranks = [f.severity for a in self.letters for f in a.findings]
        return max(ranks, key=lambda s: s.rank) if ranks else None
