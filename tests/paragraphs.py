"""The labelled paragraphs of tests/data/paragraphs/ (see its README)."""

from __future__ import annotations

import json
from pathlib import Path

from lgso_core.learned import training_parts

PARAGRAPHS = Path(__file__).parent / "data" / "paragraphs"
TUNING = tuple(p.stem for p in training_parts(PARAGRAPHS))
"""Every part but the held-out one, in the order written: the model learns from these."""


def labelled(part: str) -> list[dict]:
    """The paragraphs of one part: 'train', 'dev' or 'heldout'."""
    with (PARAGRAPHS / f"{part}.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
