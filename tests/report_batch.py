"""A batch of letters for the report tests: the five seeds, one hostile letter, one letter
with a reworded template paragraph, and 60 generated letters of every type and three years.

- 44 letters of 2020 from ``bench/corpus.py`` (every type; unique paragraphs from its pool
  in 40% of them, a figure error in 20%);
- 16 letters in the later wording of ``synth.py``, eight of 2021 and eight of 2022, two
  counties, two districts, two metropolitan boroughs, a unitary and a London borough each
  year, with upheld rates far from the average in some (outliers) and a paragraph of concern
  in others. Eight letters of a year are enough to derive that year's template.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import pytest
from synth import letter_2022
from synthetic import SEEDS, written_name

from lgso_core.authorities import load_authorities

BENCH = Path(__file__).resolve().parent.parent / "bench"
CORPUS_LETTERS = 44
HOSTILE_NAME = "<img src=x onerror=alert(1)>.txt"
HOSTILE_PARAGRAPH = (
    "We are concerned that the Council &lt;script&gt;window.__pwned = 1&lt;/script&gt; did not "
    '&lt;img src="http://127.0.0.1:9/beacon.png" onerror="window.__pwned = 2"&gt; respond to our '
    "enquiries on time &amp; that &lt;/blockquote&gt;&lt;b&gt;markup&lt;/b&gt; in a letter must stay text."
)
"""A paragraph as a letter file carries it: the reader strips tags but decodes entities..."""
HOSTILE_TEXT = (
    "We are concerned that the Council <script>window.__pwned = 1</script> did not "
    '<img src="http://127.0.0.1:9/beacon.png" onerror="window.__pwned = 2"> respond to our '
    "enquiries on time & that </blockquote><b>markup</b> in a letter must stay text."
)
"""...so the audit holds live markup as the paragraph's text, for the report to escape."""
CHANGED_FROM = "I would encourage you to share the tool with colleagues and elected members"
CHANGED_TO = (
    "I would strongly urge you to share the tool with colleagues, scrutiny committees and elected members"
)
CONCERN = (
    "I remain concerned about the Council's delays in answering our enquiries: in several cases "
    "we had to chase it more than twice. I ask the Council to review its arrangements."
)
# (type, upheld, investigations, outlier?) per year: upheld average by type below.
LATER = {
    "county": [(50, 55), (30, 50)],
    "district": [(1, 3), (4, 6)],
    "metropolitan": [(5, 60), (26, 40)],
    "unitary": [(14, 20)],
    "london": [(40, 44)],
}
AVERAGE = {"county": 60, "district": 50, "metropolitan": 65, "unitary": 66, "london": 62}
PER_100K = {"county": "0.7", "district": "0.9", "metropolitan": "1.1", "unitary": "0.8", "london": "1.2"}


def later_letter(year: int, person: str, authority: str, kind: str, k: int, n: int, extra: str | None) -> str:
    """A letter in the later wording for ``year`` (2021 or 2022)."""
    remedied = max(0, k // 5)
    figures = (k, n, AVERAGE[kind], 3, 3, remedied, PER_100K[kind], PER_100K[kind])
    text = letter_2022(person, authority, figures, extra=extra)
    return text.replace("2021", str(year - 1)).replace("2022", str(year)) if year != 2022 else text


def write_batch(folder: Path) -> Path:
    """Write the whole batch under ``folder`` (in subfolders) and return it."""
    for seed in SEEDS.glob("*.txt"):
        (folder / "seeds").mkdir(parents=True, exist_ok=True)
        text = seed.read_text("utf-8")
        if "Rutland" in text:
            assert CHANGED_FROM in text
            text = text.replace(CHANGED_FROM, CHANGED_TO)
        (folder / "seeds" / seed.name).write_text(text, "utf-8")
    rotherham = (SEEDS / "000_2d41e673c27088b3.txt").read_text("utf-8")
    hostile = rotherham.replace(
        "Resources to help you get it right", HOSTILE_PARAGRAPH + "\n\nResources to help you get it right"
    )
    hostile = hostile.replace(
        "Rotherham Metropolitan Borough Council", "Barnsley Metropolitan Borough Council"
    )
    (folder / "hostile").mkdir()
    (folder / "hostile" / HOSTILE_NAME).write_text(hostile, "utf-8")
    with contextlib.ExitStack() as stack:
        patch = stack.enter_context(pytest.MonkeyPatch.context())
        patch.syspath_prepend(str(BENCH))
        import corpus  # bench/corpus.py: not a package, so found on the path it is run from

        corpus.generate(folder / "corpus", CORPUS_LETTERS, seed=12, unique_share=0.4, error_share=0.2)
        sys.modules.pop("corpus", None)
        sys.modules.pop("pool", None)
    by_type: dict[str, list[str]] = {}
    for council in load_authorities():
        by_type.setdefault(council.type, []).append(council.name)
    later = folder / "later"
    later.mkdir()
    for year in (2021, 2022):
        for kind, rows in LATER.items():
            for j, (k, n) in enumerate(rows):
                name = written_name(by_type[kind][-1 - j - 3 * (year - 2021)], kind)
                extra = CONCERN if kind in ("county", "district") and j == year - 2021 else None
                (later / f"{year}-{kind}-{j}.txt").write_text(
                    later_letter(year, "Ms Example", name, kind, k, n, extra), "utf-8"
                )
    return folder
