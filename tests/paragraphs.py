"""The labelled paragraphs of tests/data/paragraphs/ (see its README)."""

from __future__ import annotations

import json
from pathlib import Path

PARAGRAPHS = Path(__file__).parent / "data" / "paragraphs"


def labelled(part: str) -> list[dict]:
    """The paragraphs of one part: 'train', 'dev' or 'heldout'."""
    with (PARAGRAPHS / f"{part}.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
