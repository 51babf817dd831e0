"""Find an authority in the store from what someone typed: "rutlnd", "rotherham metropolitn".

A name that is (or is an alias of) a council in the list lands at once. Anything else is
matched word by word with rapidfuzz against the words of every stored authority's names:
each typed word scores its best match (a typed prefix of a word counts as a near match),
words like "council" or "borough" count for little, and a stored name's place words left
unmatched cost a point each. When two authorities score within ``CLOSE`` points of each
other ("kingston": upon Thames or upon Hull?) the caller gets both to choose from.

The index is built once per store generation and cached, so a lookup costs one indexed
query plus a few thousand C-level comparisons.
"""

from __future__ import annotations

import re
import threading
import weakref
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .authorities import authority_key
from .store import AuthorityEntry, Store, letter_key

MIN_SCORE = 70
"""Below this, a candidate is no match."""
CLOSE = 5
"""Candidates within this many points of the best are offered as choices."""
MAX_CHOICES = 5
_PREFIX_SCORE = 90
_STOP_WEIGHT = 0.25
_STOPWORDS = frozenset(
    {"council", "borough", "district", "county", "city", "metropolitan", "of", "the", "and", "upon",
     "on", "royal", "london", "mbc", "mdc", "cc", "dc", "bc", "unitary", "corporation"}
)  # fmt: skip
_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("'", "").replace("\u2019", ""))


@dataclass(frozen=True)
class Candidate:
    """An authority that matches a query, with its score (0-100)."""

    key: str
    name: str
    authority_type: str | None
    score: float


@dataclass(frozen=True)
class Match:
    """The outcome of a lookup: one authority found, several to choose from, or none."""

    query: str
    found: Candidate | None = None
    choices: tuple[Candidate, ...] = ()
    suggestions: tuple[Candidate, ...] = ()
    """When nothing matched: the nearest names, if any are at all near."""
    more: int = 0
    """How many further candidates were as close as the choices but left out."""


class AuthorityIndex:
    """The stored authorities, prepared for fuzzy lookup."""

    def __init__(self, entries: list[AuthorityEntry]):
        self.entries = {e.key: e for e in entries}
        vocab: dict[str, int] = {}
        self._tokens: list[tuple[AuthorityEntry, frozenset[int], frozenset[int]]] = []
        for entry in entries:
            words = set(_words(entry.key)).union(*(_words(n) for n in entry.names))
            ids = frozenset(vocab.setdefault(w, len(vocab)) for w in words)
            place = frozenset(vocab[w] for w in _words(entry.key) if w not in _STOPWORDS)
            self._tokens.append((entry, ids, place))
        self._vocab = list(vocab)

    def search(self, query: str) -> Match:
        """The authority ``query`` names, or the close choices, or nothing."""
        query = " ".join(query.split())
        for key in (letter_key(query), authority_key(query) if query else None):
            if key and key in self.entries:
                return Match(query, found=self._candidate(self.entries[key], 100.0))
        words = _words(query)
        if not self._tokens or all(w in _STOPWORDS for w in words):
            return Match(query)
        ranked = sorted(self._score(words), key=lambda c: (-c.score, c.name))
        best = ranked[0].score if ranked else 0
        if best < MIN_SCORE:
            return Match(query, suggestions=tuple(c for c in ranked[:3] if c.score >= 50))
        close = [c for c in ranked if c.score >= best - CLOSE]
        if len(close) == 1:
            return Match(query, found=close[0])
        return Match(query, choices=tuple(close[:MAX_CHOICES]), more=max(0, len(close) - MAX_CHOICES))

    def _score(self, words: list[str]) -> list[Candidate]:
        weights = [_STOP_WEIGHT if w in _STOPWORDS else 1.0 for w in words]
        per_word = [self._word_scores(w) for w in words]
        total = sum(weights)
        out = []
        for entry, ids, place in self._tokens:
            score = 0.0
            matched: set[int] = set()
            for weight, scores in zip(weights, per_word, strict=True):
                hit = max(((scores.get(i, 0.0), i) for i in ids), default=(0.0, -1))
                score += weight * hit[0]
                if hit[0] >= 80:
                    matched.add(hit[1])
            score = score / total - 0.5 * len(place - matched)
            if score >= 50:
                out.append(self._candidate(entry, score))
        return out

    def _word_scores(self, word: str) -> dict[int, float]:
        hits = process.extract(word, self._vocab, scorer=fuzz.ratio, limit=None, score_cutoff=50)
        scores = {i: s for _, s, i in hits}
        if len(word) >= 3:
            for i, token in enumerate(self._vocab):
                if token.startswith(word) and scores.get(i, 0) < _PREFIX_SCORE:
                    scores[i] = _PREFIX_SCORE
        return scores

    @staticmethod
    def _candidate(entry: AuthorityEntry, score: float) -> Candidate:
        return Candidate(entry.key, entry.names[0], entry.authority_type, round(score, 1))


_CACHE: weakref.WeakKeyDictionary[Store, tuple[int, AuthorityIndex]] = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def authority_index(store: Store) -> AuthorityIndex:
    """The store's authority index, rebuilt only when the store has changed."""
    generation = store.generation()
    with _CACHE_LOCK:
        cached = _CACHE.get(store)
        if cached is not None and cached[0] == generation:
            return cached[1]
    index = AuthorityIndex(store.authorities())
    with _CACHE_LOCK:
        _CACHE[store] = (generation, index)
    return index


def find_authority(store: Store, query: str) -> Match:
    """Look ``query`` up among the store's authorities (see the module docstring)."""
    return authority_index(store).search(query)
