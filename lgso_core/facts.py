"""What the per-letter checks work from: one letter's figures, deviations and years."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Deviation, ExtractedStats


@dataclass(frozen=True)
class LetterFacts:
    """What the checks of one letter work from."""

    extracted: ExtractedStats
    deviations: tuple[Deviation, ...]
    year: int | None
    stated_years: dict[str, int] = field(default_factory=dict)
