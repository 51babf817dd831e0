"""Is a hyphen at a line end part of the word, or only where the line broke?

"com-" / "plaints" is "complaints"; "well-" / "established" is "well-established". The
letter's own words decide first: a letter that writes "long-standing" (or "longstanding")
anywhere else spells it that way here too. Otherwise English word frequencies decide, from
pyspellchecker's English list (word counts from a large corpus of subtitles and prose):
frequencies, not a bare list, because a bare list cannot tell a compound from a broken
word. "longstanding" and "followup" are in lists too, only far rarer than their parts.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

COMMON = 1000
"""A joined word at least this frequent is taken as the word ("within", "complaints")."""
WORD = 100
"""A part at least this frequent is a word of its own ("well", "long", "non")."""


@lru_cache(maxsize=1)
def _frequencies():
    from spellchecker import SpellChecker  # loaded on the first hyphen it must judge

    return SpellChecker(language="en", distance=1).word_frequency


def frequency(word: str) -> int:
    """How often ``word`` (lower case) occurs in the English word list; 0 if never."""
    return int(_frequencies()[word])


def joins_without_hyphen(left: str, right: str, vocabulary: Counter[str] | None = None) -> bool:
    """True when ``left`` + "-" at a line end and ``right`` at the next line's start are
    one word written without the hyphen.

    In order: the letter's own ``vocabulary`` (lower-case words, hyphenated ones
    included) when it holds either spelling; a joined word that is common English; two
    parts that are both words (a compound: keep the hyphen); else a word broken to fit the
    line (parts that are not words: "inves" / "tigated", "recog" / "nise").
    """
    left, right = left.lower(), right.lower()
    joined, hyphenated = left + right, f"{left}-{right}"
    if vocabulary:
        if vocabulary[hyphenated] > vocabulary[joined]:
            return False
        if vocabulary[joined]:
            return True
    if frequency(joined) >= COMMON:
        return True
    return not (frequency(left) >= WORD and frequency(right) >= WORD)
