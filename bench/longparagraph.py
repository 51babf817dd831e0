"""How long one very long paragraph takes to align (issue 9: no quadratic step).

    python bench/longparagraph.py

A seed letter with one paragraph of 1,000 to 20,000 words of sentences inserted (a letter
pasted with its blank lines lost, or a page of text run together), audited in process;
the best of three runs. Target: 10,000 words under 1 s.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from lgso_core import audit_letter, load_template
from lgso_core.models import Letter, Paragraph

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = [
    "We found fault in how the Council handled Mr X's complaint about his care charges.",
    "It agreed to apologise and pay him 200 pounds for the distress caused.",
    "Officers will review their procedures within three months.",
    "The Council's responses to our enquiries were late in 12 cases.",
    "Complaints upheld - We uphold complaints when we find some form of fault.",
]


def letter_with(words: int) -> Letter:
    seed = (ROOT / "tests/data/seeds/001_c0b09b6ab8458cd9.txt").read_text("utf-8")
    paragraphs = [Paragraph(text=" ".join(p.split())) for p in seed.split("\n\n") if p.strip()]
    rng = random.Random(words)
    text: list[str] = []
    while len(text) < words:
        text += rng.choice(SENTENCES).split()
    paragraphs.insert(12, Paragraph(text=" ".join(text[:words])))
    return Letter(source="long.txt", sha256="0" * 64, paragraphs=tuple(paragraphs))


def main() -> int:
    template = load_template("2020")
    print("| words in one paragraph | audit, best of 3 |")
    print("|---|---|")
    for words in (1_000, 4_000, 10_000, 20_000):
        letter = letter_with(words)
        best = min(_timed(letter, template) for _ in range(3))
        print(f"| {words:,} | {best:.3f} s |")
    return 0


def _timed(letter: Letter, template) -> float:
    start = time.perf_counter()
    audit_letter(letter, template)
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())
