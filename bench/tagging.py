"""What tagging (tone and tags) adds to ``lgso audit`` on a 400-letter batch (issue 11).

    python bench/tagging.py [--n 400] [--repeat 5] [--per-letter 5]

Two measures, both in process (the CLI's other work is the same with or without tagging):

1. **the corpus**: the synthetic 400-letter batch of ``corpus.py`` (a fifth of the letters
   carry one or two unique paragraphs) is audited once; then every unique and changed
   deviation is judged again (``judge_deviation``), cold (rules read and compiled, as in a
   fresh ``lgso audit`` process) and warm; the median of ``--repeat`` runs;
2. **denser batches**: one, then ``--per-letter`` unique paragraphs for each of the 400
   letters, drawn from the labelled paragraphs of ``tests/data/paragraphs/`` (long and
   short, every tone), judged cold.

Times are the process's CPU time (``time.process_time``): judging is single-threaded, so on
an idle machine that is the wall time it adds, and it holds steady when other work shares
the cores. The target: under 0.2 s added to a 400-letter ``lgso audit``. The labelled paragraphs are
the team's own writing, so this measures speed, not accuracy (accuracy is measured on the
held-out part by the tests; see the README).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import corpus

from lgso_core import audit_paths
from lgso_core.judge import judge_deviation
from lgso_core.learned import forget, shipped, training_parts
from lgso_core.models import Deviation
from lgso_core.scope import _clause_breaks, _process_marks, scope_words
from lgso_core.tags import tag_rules
from lgso_core.tone import _data, tone_rules

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.2


def clear_rules() -> None:
    """Forget the compiled rules and the model, as a new process would have none."""
    for cached in (tag_rules, tone_rules, _data, scope_words, _clause_breaks, _process_marks, shipped):
        cached.cache_clear()
    forget()


def judge_all(devs: list[Deviation], cold: bool) -> float:
    if cold:
        clear_rules()
    start = time.process_time()
    for dev in devs:
        judge_deviation(dev)
    return time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--per-letter", type=int, default=5)
    args = parser.parse_args()

    home = Path(tempfile.gettempdir()) / "lgso-bench" / f"tagging-n{args.n}"
    if not (home / "truth.json").exists():
        corpus.generate(home, args.n)
    report = audit_paths([str(home / "text")])
    devs = [d for a in report.letters for d in a.deviations if d.kind != "missing"]
    cold = statistics.median(judge_all(devs, cold=True) for _ in range(args.repeat))
    warm = statistics.median(judge_all(devs, cold=False) for _ in range(args.repeat))

    texts = []
    for part in (*(p.stem for p in training_parts(ROOT / "tests" / "data" / "paragraphs")), "heldout"):
        lines = (ROOT / "tests" / "data" / "paragraphs" / f"{part}.jsonl").read_text("utf-8").splitlines()
        texts += [json.loads(line)["text"] for line in lines if line.strip()]
    rows = [
        (f"{len(report.letters)}-letter corpus: {len(devs)} unique/changed paragraphs, cold", cold),
        (f"{len(report.letters)}-letter corpus: {len(devs)} unique/changed paragraphs, warm", warm),
    ]
    for per_letter in sorted({1, args.per_letter}):
        count = args.n * per_letter
        batch = [Deviation(kind="unique", text=texts[i % len(texts)], template=None, score=0.0)
                 for i in range(count)]  # fmt: skip
        seconds = statistics.median(judge_all(batch, cold=True) for _ in range(args.repeat))
        rows.append((f"{args.n} letters x {per_letter} unique paragraphs ({count}), cold", seconds))
    for label, seconds in rows:
        verdict = "ok" if seconds < TARGET else "OVER"
        print(f"{label:<72} {seconds * 1000:8.1f} ms  (target < {TARGET * 1000:.0f} ms: {verdict})")
    return 0 if all(seconds < TARGET for _, seconds in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
