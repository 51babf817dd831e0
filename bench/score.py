"""Score an audit of a synthetic corpus (``corpus.py``) against its ground truth.

    python bench/score.py OUT_DIR [--verbose]      (or: python bench/corpus.py --score OUT_DIR)

Audits ``OUT_DIR/text`` (and ``OUT_DIR/pdf`` when the corpus has PDFs) with
``lgso_core.audit_paths`` and compares the report with ``OUT_DIR/truth.json``:

- unique paragraphs: a ``unique`` deviation is a true positive when its text is one of the
  letter's inserted paragraphs (compared without case, markup or spacing differences, and
  at a rapidfuzz ratio of at least 95, so a stray hyphen or quote from extraction is not a
  miss); any other ``unique`` deviation is a false positive, and an inserted paragraph no
  deviation matches is a false negative. Precision and recall follow.
- figure errors: an injected error is found when the letter has a finding with its code
  (``rate-mismatch``, ``plural-mismatch``). Letters with no injected error but an
  error-severity finding are counted as false alarms.
- also counted: ``changed`` or ``missing`` deviations (the corpus never rewords or drops a
  template paragraph, so each is a misreading) and the authority type identified.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz


def _norm(text: str) -> str:
    """Text as the scorer compares it: straight quotes, no markup, single spaces, lower case."""
    text = text.translate(str.maketrans("\u2018\u2019\u201c\u201d\u2013\u2014", "''\"\"--"))
    text = re.sub(r"[*_#`]|\[|\]\(#\)", "", text)
    return " ".join(text.lower().split())


def _same(a: str, b: str) -> bool:
    return a == b or fuzz.ratio(a, b) >= 95


@dataclass
class Score:
    """How an audit of the corpus compares with its truth."""

    letters: int = 0
    unreadable: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors_injected: int = 0
    errors_found: int = 0
    clean_flagged: int = 0  # letters with no injected error but an error finding
    template_noise: int = 0  # changed or missing deviations (the corpus has none)
    type_right: int = 0
    false_positives: list[tuple[str, str]] = field(default_factory=list)
    false_negatives: list[tuple[str, str]] = field(default_factory=list)
    missed_errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def error_recall(self) -> float:
        return self.errors_found / self.errors_injected if self.errors_injected else 1.0


def score_report(truth: dict, report: dict) -> Score:
    """Compare an audit report (the JSON document, as a dict) with the corpus truth."""
    s = Score()
    by_stem = truth["letters"]
    s.unreadable = len(report.get("errors", []))
    for err in report.get("errors", []):
        entry = by_stem.get(Path(err["source"]).stem)
        if entry:
            s.fn += len(entry["unique"])
            s.errors_injected += len(entry["errors"])
    for audit in report["letters"]:
        stem = Path(audit["source"]).stem
        entry = by_stem[stem]
        s.letters += 1
        s.type_right += audit.get("authority_type") == entry["authority_type"]
        expected = [_norm(t) for t in entry["unique"]]
        for dev in audit["deviations"]:
            if dev["kind"] != "unique":
                s.template_noise += 1
                continue
            got = _norm(dev["text"])
            hit = next((e for e in expected if _same(got, e)), None)
            if hit is None:
                s.fp += 1
                s.false_positives.append((stem, dev["text"]))
            else:
                expected.remove(hit)
                s.tp += 1
        s.fn += len(expected)
        s.false_negatives += [(stem, e) for e in expected]
        codes = {f["code"] for f in audit["findings"]}
        for err in entry["errors"]:
            s.errors_injected += 1
            if err["code"] in codes:
                s.errors_found += 1
            else:
                s.missed_errors.append((stem, f"{err['code']} ({err['field']})"))
        if not entry["errors"] and any(f["severity"] == "error" for f in audit["findings"]):
            s.clean_flagged += 1
    return s


def audit_corpus(out_dir: Path, kind: str) -> dict:
    """``lgso_core.audit_paths`` over the corpus's ``text`` or ``pdf`` folder, as JSON."""
    from lgso_core import audit_paths

    report = audit_paths([str(out_dir / kind)])
    return json.loads(report.model_dump_json())


def print_score(kind: str, s: Score, seconds: float, verbose: bool = False) -> None:
    print(f"{kind}: {s.letters} letters audited in {seconds:.1f} s ({s.unreadable} unreadable)")
    print(f"  unique paragraphs: precision {s.precision:.3f}  recall {s.recall:.3f}  "
          f"(tp {s.tp}, fp {s.fp}, fn {s.fn})")  # fmt: skip
    print(f"  figure errors: recall {s.error_recall:.3f} ({s.errors_found} of {s.errors_injected}); "
          f"clean letters with an error finding: {s.clean_flagged}")  # fmt: skip
    print(f"  template paragraphs reported changed or missing: {s.template_noise}; "
          f"authority type right: {s.type_right}/{s.letters}")  # fmt: skip
    if verbose:
        for label, rows in (("false positive", s.false_positives), ("missed", s.false_negatives),
                            ("missed error", s.missed_errors)):  # fmt: skip
            for stem, text in rows[:8]:
                print(f"  {label}: {stem}: {text[:110]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="a corpus written by corpus.py")
    parser.add_argument("--verbose", "-v", action="store_true", help="list the misses")
    args = parser.parse_args(argv)
    truth = json.loads((args.out_dir / "truth.json").read_text("utf-8"))
    for kind in ("text", "pdf"):
        if (args.out_dir / kind).is_dir():
            start = time.perf_counter()
            report = audit_corpus(args.out_dir, kind)
            print_score(kind, score_report(truth, report), time.perf_counter() - start, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
