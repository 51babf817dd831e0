"""A small linear model learned from the labelled paragraphs: it decides the tone where the
cues are not decisive, and the topic where the phrase rules find none or it is sure of another.

The rules (``tone.py``, ``tags.py``) say why in phrases a reader can check, but they only
know the phrasings they list. A multinomial logistic regression over the paragraph's words
and word pairs decides the tone when the cues are not decisive (``ToneReading.decisive``:
on the 600 paragraphs written after the cues were last tuned, decisive cues were right 267
times in 274, and on the other 326 the model 301 times; ``bench/tagging_cv.py``) and it is
sure enough (``TONE_OVER_CUES``, ``TONE_OVER_NONE``), unless every sentence is about the
process; and the
topic when the rules find none and the model is confident (``TOPIC_MIN``) or when it is
sure the rules' main topic is not the main one (``TOPIC_LEAD``). It also drops a rule's
second or third tag that it finds unlikely (``SECONDARY_MIN``). Words after a negator in the
same clause are read as negated ("not_late"), as the rules read them. A ``changed``
paragraph is judged by the rules alone (its added words are too few for the model).

The model is trained at build time from ``tests/data/paragraphs/`` (every part but the
held-out one) and shipped as ``data/learned.json``; nothing is downloaded at run time.
Retrain with (a folder means every part in it but ``heldout.jsonl``, in the order written)::

    python -m lgso_core.learned tests/data/paragraphs -o lgso_core/data/learned.json

Hand-written (about 60 lines of arithmetic) rather than scikit-learn: the package would
carry a large dependency for one dot product at run time, and the trained weights are a
plain JSON file a reader can open.
"""

from __future__ import annotations

import argparse
import json
import math
import re
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from pathlib import Path

from .scope import scope_words

TONE_OVER_CUES = 0.7
"""Where the cues are not decisive, the model's tone replaces theirs from this probability
(their verdict stands below it: "The Council was late" is a concern, whatever the model
half-thinks)."""
TONE_OVER_NONE = 0.8
"""Where the cues find nothing (``information``), the model's tone is used from this one.
Both set by leaving each part out of the model in turn, on the 600 paragraphs of the five
parts written after the tone rules were last tuned: tone 0.955 then (0.952 with the model
always deciding), and every hand-written sentence of ``tests/test_tone.py`` right (31 of 37
otherwise)."""
TOPIC_MIN = 0.5
"""The model's topic is used, when the rules find none, from this probability."""
TOPIC_LEAD = 0.7
"""From this probability the model's topic leads the tags when the rules put another first;
the rules' main topic follows it when the rules found both (the model, a one-label classifier,
gives the second topic of a two-topic paragraph almost nothing), otherwise only if the model
gives it ``SECONDARY_MIN``. Set by leaving each labelled part out in turn
(``bench/tagging_cv.py``): on the two parts the rules never saw, the main topic among the
tags went from 0.908 to 0.938 and tags outside the labels from 0.107 to 0.084."""
SECONDARY_MIN = 0.1
"""A tag after the main one is kept only if the topic model gives it this probability: a
service or a procedure named in passing is not what the paragraph is about."""
EPOCHS, RATE, L2, MIN_COUNT = 40, 0.3, 5e-3, 2
"""Set by leaving each labelled part out of training in turn (``bench/tagging_cv.py``): a
feature seen in two paragraphs, with a stronger L2 penalty, gave tone 0.909 on the part
left out, against 0.880 for three paragraphs and 1e-3."""
KEEP = 0.02
"""Weights smaller than this are left out of the shipped file (they change no decision)."""

_STOP_WORDS = """
the a an of to in on and or for with by at from as is are was were be been it its this that these those
we our us i you your they their them he she his her which who what has have had will would can could
may might there here than then so if
"""
STOP = frozenset(_STOP_WORDS.split())
"""Words that say nothing of tone or topic alone: left out as single features (kept in word
pairs). With them the model leaned on "i", "that", "to" and turned plain statements into
concerns (leave-one-part-out on the tuning parts, ``bench/tagging_cv.py``)."""

_BREAK = frozenset(",.;:!?")


def features(text: str) -> list[str]:
    """Lower-cased words (not the ``STOP`` words) and word pairs; a word up to six words after
    a negator in its clause is prefixed ``not_``."""
    negators = scope_words()["negators"]
    words, since = [], 99
    for token in re.findall(r"[A-Za-z0-9£%]+(?:['’][A-Za-z]+)?|[,.;:!?]", text):
        if token in _BREAK:
            since = 99
            continue
        word = token.lower()
        if word in negators or word.endswith(("n't", "n’t")):
            since = 0
            words.append(word)
            continue
        since += 1
        words.append(f"not_{word}" if since <= 6 else word)
    return [w for w in words if w.removeprefix("not_") not in STOP] + [f"{a} {b}" for a, b in pairwise(words)]


def train(texts: list[str], labels: list[str]) -> dict:
    """Multinomial logistic regression by stochastic gradient descent in the given order (so
    the same data gives the same weights): ``{"classes", "bias", "weights"}``."""
    classes = sorted(set(labels))
    counts: dict[str, int] = {}
    rows = [features(t) for t in texts]
    for row in rows:
        for f in set(row):
            counts[f] = counts.get(f, 0) + 1
    vocab = {f for f, n in counts.items() if n >= MIN_COUNT}
    weights = {c: dict.fromkeys(sorted(vocab), 0.0) for c in classes}
    bias = dict.fromkeys(classes, 0.0)
    for epoch in range(EPOCHS):
        rate = RATE / (1 + epoch / 10)
        for row, label in zip(rows, labels, strict=True):
            present = [f for f in row if f in vocab]
            probs = _probabilities(weights, bias, present)
            for c in classes:
                gradient = probs[c] - (1.0 if c == label else 0.0)
                bias[c] -= rate * gradient
                for f in present:
                    w = weights[c][f]
                    weights[c][f] = w - rate * (gradient + L2 * w)
    kept = {c: {f: round(w, 3) for f, w in ws.items() if abs(w) >= KEEP} for c, ws in weights.items()}
    return {"classes": classes, "bias": {c: round(b, 3) for c, b in bias.items()}, "weights": kept}


def _probabilities(weights: dict, bias: dict, present: list[str]) -> dict[str, float]:
    return dict(_softmax(list(bias), [bias[c] + sum(weights[c].get(f, 0.0) for f in present) for c in bias]))


def _softmax(classes: list[str], scores: list[float]) -> tuple[tuple[str, float], ...]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return tuple((c, e / total) for c, e in zip(classes, exps, strict=True))


@lru_cache(maxsize=1)
def shipped() -> dict:
    """The shipped models: ``{"tone": model, "topic": model}``."""
    return json.loads((resources.files("lgso_core") / "data" / "learned.json").read_text("utf-8"))


@lru_cache(maxsize=2)
def _table(kind: str) -> tuple[list[str], list[float], dict[str, list[tuple[int, float]]]]:
    """The shipped model by feature: classes, biases, and each feature's ``(class, weight)``s."""
    model = shipped()[kind]
    classes = model["classes"]
    table: dict[str, list[tuple[int, float]]] = {}
    for i, c in enumerate(classes):
        for f, w in model["weights"][c].items():
            table.setdefault(f, []).append((i, w))
    return classes, [model["bias"][c] for c in classes], table


def probabilities(kind: str, text: str) -> dict[str, float]:
    """The shipped ``tone`` or ``topic`` model's probability of each class for ``text``."""
    classes, bias, table = _table(kind)
    scores = list(bias)
    for f in features(text):
        for i, w in table.get(f, ()):
            scores[i] += w
    return dict(_softmax(classes, scores))


def forget() -> None:
    """Drop the model's tables (after replacing ``shipped``; with ``shipped.cache_clear()``
    as well, as in a new process)."""
    _table.cache_clear()


def reasons(kind: str, text: str, label: str) -> list[tuple[str, float]]:
    """The features of ``text`` that pushed most towards ``label``: ``(feature, weight)``."""
    weights = shipped()[kind]["weights"][label]
    pushes = {f: weights.get(f, 0.0) for f in features(text)}
    return sorted((item for item in pushes.items() if item[1] > 0), key=lambda i: -i[1])[:4]


def build(paths: list[Path]) -> dict:
    """Both models, trained on the labelled paragraphs in ``paths`` (JSON lines)."""
    rows = [json.loads(line) for p in paths for line in p.read_text("utf-8").splitlines() if line.strip()]
    texts = [r["text"] for r in rows]
    return {
        "trained_on": [p.name for p in paths],
        "tone": train(texts, [r["tone"] for r in rows]),
        "topic": train(texts, [r["main"] for r in rows]),
    }


HELD_OUT = "heldout.jsonl"
"""The part of a folder of labelled paragraphs the model never learns from."""


def training_parts(folder: Path) -> list[Path]:
    """Every part of ``folder`` but the held-out one, in the order they were written:
    ``train``, ``dev``, ``dev2``, ``dev3``, ... (the order fixes the weights)."""

    def order(path: Path) -> tuple[bool, bool, int, str]:
        digits = re.sub(r"\D", "", path.stem)
        number = int(digits) if digits else 1
        return (path.stem != "train", not path.stem.startswith("dev"), number, path.stem)

    return sorted((p for p in folder.glob("*.jsonl") if p.name != HELD_OUT), key=order)


def main() -> None:
    parser = argparse.ArgumentParser(description="Train the models on labelled paragraphs.")
    parser.add_argument(
        "paths", nargs="+", type=Path, help="parts (JSON lines), or a folder: its parts but the held-out one"
    )
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    paths = [part for p in args.paths for part in (training_parts(p) if p.is_dir() else [p])]
    text = json.dumps(build(paths), sort_keys=True, separators=(",", ":"))
    args.output.write_text(text + "\n", "utf-8")


if __name__ == "__main__":
    main()
