"""How the tagging method does on labelled paragraphs its learned model did not see (issue 11).

    python bench/tagging_cv.py [--topic-lead 0.5 0.7 0.9] [--secondary-min 0.1 0.2]

Leave one part out: for each tuning part of ``tests/data/paragraphs/`` (never the held-out
one), the model is trained on the other tuning parts and the whole method (cues and model)
is measured on it: tone accuracy, main topic among the tags, tags outside the labels, and
how many labelled second tags it finds (so a stricter rule for second tags is seen to cost
what it costs). The rules were written on these parts, so the figures flatter the rules;
they are fair to the model and its thresholds, which is what this is for (``TOPIC_LEAD``,
``SECONDARY_MIN`` and the training settings in ``lgso_core/learned.py`` were set with it).
Accuracy on unseen text is measured once, on the held-out part, by the tests (see the
README).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lgso_core import learned
from lgso_core.judge import judge
from lgso_core.tone import read_tone

PARAGRAPHS = Path(__file__).resolve().parents[1] / "tests" / "data" / "paragraphs"
TUNING = tuple(p.stem for p in learned.training_parts(PARAGRAPHS))
FRESH = ("dev9", "dev10", "dev11", "dev12", "dev13")
"""The parts written after the tone cues were last tuned (tests/data/paragraphs/README.md)."""


def rows(part: str) -> list[dict]:
    lines = (PARAGRAPHS / f"{part}.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def use(model: dict) -> None:
    """Judge with ``model`` in place of the shipped one (this process only)."""
    learned.shipped = lambda: model  # type: ignore[method-assign]
    learned.forget()


def measure(labelled: list[dict]) -> tuple[int, int, int, int, int, int]:
    """(tones right, mains found, tags outside, tags given, second tags found, second tags labelled)."""
    tone = main = outside = given = found = second = 0
    for row in labelled:
        tags, got = judge(row["text"])
        tone += got == row["tone"]
        main += row["main"] in tags
        outside += sum(t not in row["tags"] for t in tags)
        given += len(tags)
        found += sum(t in row["tags"][1:] for t in tags)
        second += len(row["tags"]) - 1
    return tone, main, outside, given, found, second


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topic-lead", type=float, nargs="*", default=[learned.TOPIC_LEAD])
    parser.add_argument("--secondary-min", type=float, nargs="*", default=[learned.SECONDARY_MIN])
    args = parser.parse_args()
    models = {p: learned.build([PARAGRAPHS / f"{q}.jsonl" for q in TUNING if q != p]) for p in TUNING}
    tone_sources(models)
    for topic_lead in args.topic_lead:
        for secondary_min in args.secondary_min:
            learned.TOPIC_LEAD, learned.SECONDARY_MIN = topic_lead, secondary_min
            total, fresh = [0] * 6, [0] * 6
            count = fresh_count = 0
            print(f"TOPIC_LEAD {topic_lead:g}, SECONDARY_MIN {secondary_min:g}")
            for part in TUNING:
                use(models[part])
                labelled = rows(part)
                m = measure(labelled)
                total = [a + b for a, b in zip(total, m, strict=True)]
                count += len(labelled)
                if part in FRESH:
                    fresh = [a + b for a, b in zip(fresh, m, strict=True)]
                    fresh_count += len(labelled)
                print(f"  {part:<6} {line(m, len(labelled))}")
            print(f"  {'all':<6} {line(tuple(total), count)}")
            print(f"  {'fresh':<6} {line(tuple(fresh), fresh_count)}")
    return 0


def tone_sources(models: dict[str, dict]) -> None:
    """Who gets the tone right, part by part: the cues alone, the model alone (trained
    without the part), and the split the method makes (decisive cues; the rest, where the
    cues and the model disagree or agree). ``FRESH``: the parts the tone cues were not
    tuned on (their figures did choose how the cues and the model share the work)."""
    print("tone by source (model trained without each part)")
    sums: dict[str, list[int]] = {}
    for part in TUNING:
        use(models[part])
        counts = [0] * 6  # rows, cues right, model right, decisive, decisive right, rest: model right
        for row in rows(part):
            reading = read_tone(row["text"])
            probs = learned.probabilities("tone", row["text"])
            model = max(probs, key=probs.__getitem__)
            cues_right, model_right = reading.tone == row["tone"], model == row["tone"]
            counts[0] += 1
            counts[1] += cues_right
            counts[2] += model_right
            counts[3] += reading.decisive
            counts[4] += reading.decisive and cues_right
            counts[5] += not reading.decisive and model_right
        for group in ("all", "fresh" if part in FRESH else None):
            if group:
                sums[group] = [a + b for a, b in zip(sums.get(group, [0] * 6), counts, strict=True)]
    for group, (n, cues, model, decisive, decisive_right, rest_model) in sums.items():
        rest = n - decisive
        print(f"  {group:<6} {n} paragraphs: cues alone {cues / n:.3f}, model alone {model / n:.3f}; "
              f"decisive cues right {decisive_right}/{decisive}, the other {rest}: model right {rest_model}")  # fmt: skip


def line(m: tuple[int, ...], n: int) -> str:
    tone, main, outside, given, found, second = m
    return (f"tone {tone / n:.3f}  main {main / n:.3f}  outside {outside}/{given} = {outside / given:.3f}"
            f"  second tags found {found}/{second}")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
