"""Where a phrase stands in its paragraph: its sentence, its clause, and what governs it.

The tag and tone rules (``tags.py``, ``tone.py``) match phrases; whether a phrase counts,
and how much, depends on its scope:

- **negation**: "not late", "no late responses", "did not need to issue any public
  reports": a negator earlier in the same clause, within ``NEGATION_WINDOW`` words;
- **contrast**: "I welcome X, but I remain concerned about Y": the clause after "but",
  "however", "yet" outweighs the one before it (a sentence opening with "However" outweighs
  the sentences before it), and a clause under "although", "while", "despite" is
  outweighed by the rest of its sentence;
- **hedging and conditions**: "perhaps the Council may want to ...", "where a council fails
  to ..." soften what follows (a condition describes what might happen, not what the
  council did);
- **the process, not this council**: a sentence that does not name the council and says
  what any council must do or what the Ombudsman does ("When we issue a public interest
  report, the council concerned must publish a notice", "We issue public interest reports
  where the fault is serious") counts for little, and a paragraph made only of such
  sentences is marked (``about_the_process``) so the learned model is not asked about it;
- **what ought to be**: praise after "should", "entitled to" in its clause counts for
  nothing ("people are entitled to a timely decision").

The words that mark each of these live in ``data/scope.toml``. Hand-written: negation
scope libraries (negspacy) need a spaCy pipeline and its model, which the package would
have to download or carry; general sentiment lexicons (VADER) score everyday feeling, not
an ombudsman's criticism ("two recommendations remain outstanding", "I would ask the
Council to ..."). These letters are formal prose in short sentences, where a word window
and a few markers are enough (the held-out figures in the README measure it).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise

NEGATION_WINDOW = 6
"""How many words before a phrase a negator may stand and still govern it."""

_SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9“\"'(])")


@lru_cache(maxsize=1)
def _clause_breaks() -> re.Pattern[str]:
    """Where a sentence breaks into clauses: a comma, dash or colon, or before a marker word."""
    words = "|".join(sorted(scope_words()["split_before"]))
    return re.compile(rf",\s+|\s+[-–—]\s+|:\s+|\s+(?=(?:{words})\b)", re.I)


def _breaks(sentence: str) -> list[int]:
    """Where a sentence breaks into clauses (offsets in it); not before "but" meaning
    "except" ("no option but to")."""
    not_after = scope_words()["not_split_after"]
    out = []
    for m in _clause_breaks().finditer(sentence):
        before = sentence[: m.start()].rsplit(None, 1)
        if m.group(0).strip() or not before or before[-1].lower() not in not_after:
            out.append(m.start())
    return out


@dataclass(frozen=True)
class Clause:
    """A stretch of a sentence, with the weight its phrases carry there."""

    start: int
    end: int
    weight: float
    """1.0 plain; more after "but"; less under "although" or a condition."""
    generic: bool = False
    """In a sentence about the process rather than this council (``_generic``)."""


@lru_cache(maxsize=1)
def scope_words() -> dict:
    """The marker words of ``data/scope.toml`` (word lists as frozensets, weights as floats)."""
    text = (resources.files("lgso_core") / "data" / "scope.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return {k: frozenset(v) if isinstance(v, list) else float(v) for k, v in data.items()}


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text``."""
    spans, start = [], 0
    for m in _SENTENCE.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def clauses(text: str) -> list[Clause]:
    """The clauses of every sentence of ``text``, weighted by contrast, hedging and condition."""
    words = scope_words()
    out: list[Clause] = []
    generic = False
    for s_start, s_end in sentence_spans(text):
        breaks = [s_start + b for b in _breaks(text[s_start:s_end])]
        parts = [(a, b) for a, b in pairwise([s_start, *breaks, s_end]) if text[a:b].strip(" ,:-–—")]
        weights = [1.0] * len(parts)
        if parts and _first_word(text[parts[0][0] : parts[0][1]]) in words["contrast_after"]:
            # "... which I appreciate. However, in several cases ...": this sentence outweighs
            # the ones before it, as a clause after "but" outweighs the clause before it
            out = [Clause(c.start, c.end, c.weight * words["contrast_loss"], c.generic) for c in out]
            weights = [words["contrast_gain"]] * len(parts)
        for i, (a, b) in enumerate(parts):
            first = _first_word(text[a:b])
            if i and first in words["contrast_after"]:  # "... but I remain concerned": this side wins
                weights[i] *= words["contrast_gain"]
                for j in range(i):
                    weights[j] *= words["contrast_loss"]
            elif first in words["concessive"]:  # "although there were delays, ...": this side loses
                weights[i] *= words["contrast_loss"]
            if first in words["condition"] or (
                first in words["general_condition"] and _second_word(text[a:b]) in words["general_subjects"]
            ):
                weights[i] *= words["condition_weight"]
        generic = bool(parts) and _generic(text[s_start:s_end], text[parts[0][0] : parts[0][1]], generic)
        if generic:  # about the process, not this council: "Councils must publish ..."
            weights = [w * words["generic_weight"] for w in weights]
        out += [Clause(a, b, w, generic) for (a, b), w in zip(parts, weights, strict=True)]
    return out


def about_the_process(ctx: Context) -> bool:
    """Whether every sentence of a paragraph is about the process, not this council."""
    return bool(ctx.clauses) and all(c.generic for c in ctx.clauses)


def clause_at(clause_list: list[Clause], pos: int) -> Clause:
    """The clause holding character ``pos`` (between clauses, the one before it; in a text
    with no clause at all, a plain one)."""
    before = None
    for clause in clause_list:
        if clause.start <= pos < clause.end:
            return clause
        if clause.start <= pos:
            before = clause
    return before or (clause_list[0] if clause_list else Clause(0, pos, 1.0))


def negated(text: str, clause: Clause, start: int) -> str | None:
    """The negator governing a phrase that starts at ``start``, or None: the nearest one
    before it in its clause, at most ``NEGATION_WINDOW`` words back."""
    before = text[clause.start : start]
    opening = " ".join(before.lower().split()[:4])
    for opener in scope_words()["clause_negators"]:
        if opening.startswith(opener + " ") or opening == opener:
            return opener
    tokens = re.findall(r"[\w’']+", before.lower())[-NEGATION_WINDOW:]
    for token in reversed(tokens):
        if token in scope_words()["negators"] or token.endswith(("n't", "n’t")):
            return token
    return None


def _general_condition(clause: str) -> bool:
    """Whether a clause is a condition with a general subject ("when we issue a report",
    "where a council fails to ...", "if councils ...")."""
    words = scope_words()
    first = _first_word(clause)
    return (first in words["general_condition"] or first in words["condition"]) and _second_word(
        clause
    ) in words["general_subjects"]


def _in_the_present(clause: str) -> bool:
    """Whether the verb after a condition's general subject is not in the past: "when we
    issue", "where a council has failed", not "when we asked" or "when we found"."""
    tokens = re.findall(r"[a-z’']+", clause.lower())
    at = 3 if len(tokens) > 2 and tokens[1] in ("a", "an", "any") else 2  # past "a council"
    verb = tokens[at] if len(tokens) > at else ""
    return verb not in scope_words()["past_words"] and not verb.endswith("ed")


@lru_cache(maxsize=1)
def _process_marks() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """This council named, an accusation, and the Ombudsman's own present-tense work ("we
    issue", "our remedies aim to", "we cannot normally investigate"), from ``data/scope.toml``."""
    words = scope_words()

    def alternatives(key: str) -> str:
        return "|".join(sorted((re.escape(w) for w in words[key]), key=len, reverse=True))

    names = re.compile(rf"\b(?:{alternatives('this_council')})\b")  # case matters: "Council", not "a council"
    accusing = re.compile(rf"\b(?:{alternatives('accusing')})\b", re.I)
    lead = rf"^\W*(?:[\w’']+,? ){{0,{int(words['process_lead_words'])}}}?"  # "In planning cases we ..."
    subject = rf"(?:we|our (?:own )?(?:{alternatives('process_nouns')}))"
    verb = rf"(?:(?:{alternatives('process_adverbs')}) )?(?:{alternatives('process_verbs')})\b"
    return names, accusing, re.compile(rf"{lead}{subject} {verb}", re.I)


def _generic(sentence: str, first_clause: str, after_generic: bool) -> bool:
    """Whether a sentence is about the process, not this council (see ``data/scope.toml``):
    it names neither the council nor accuses, and opens with a general condition in the
    present, a general subject with a habitual or modal marker, or the Ombudsman's own
    present-tense work; or it follows such a sentence and opens with an anaphor or holds a
    marker."""
    names, accusing, process = _process_marks()
    if names.search(sentence) or accusing.search(sentence):
        return False
    words = scope_words()
    lower = " " + " ".join(re.findall(r"[a-z]+", sentence.lower())) + " "
    marked = any(f" {marker} " in lower for marker in words["generic_markers"])
    first = _first_word(sentence)
    return (
        (_general_condition(first_clause) and _in_the_present(first_clause))
        or (first in words["generic_openers"] and marked)
        or bool(process.search(sentence))
        or (after_generic and (first in words["anaphors"] or marked))
    )


def _first_word(text: str) -> str:
    m = re.search(r"[A-Za-z]+", text)
    return m.group(0).lower() if m else ""


def _second_word(text: str) -> str:
    words = re.findall(r"[A-Za-z]+", text)
    return words[1].lower() if len(words) > 1 else ""


def _words_before(text: str, clause: Clause, start: int) -> list[str]:
    return re.findall(r"[a-z]+", text[clause.start : start].lower())


def normative(text: str, clause: Clause, start: int) -> bool:
    """Whether a word of what ought to be ("should", "entitled to") stands up to
    ``normative_window`` words before ``start`` in its clause: "people are entitled to a
    timely decision" praises nothing; "I should like to thank" does."""
    words = scope_words()
    before = _words_before(text, clause, start)
    window = before[-int(words["normative_window"]) :]
    offset = len(before) - len(window)
    return any(
        w in words["normative"]
        and (offset + i + 1 >= len(before) or before[offset + i + 1] not in words["normative_not_before"])
        for i, w in enumerate(window)
    )


def hedged(text: str, clause: Clause, start: int) -> bool:
    """Whether a hedge ("may", "perhaps") comes before ``start`` in its clause."""
    return any(w in scope_words()["hedges"] for w in _words_before(text, clause, start))


_LOOKBEHIND = re.compile(r"(\(\?<[!=][^)]*\))")
_ESCAPE_OR_CHAR = re.compile(r"\\.|.", re.S)


@dataclass(frozen=True)
class Phrases:
    """A rule's patterns, compiled one by one (an alternation of them all defeats the regex
    engine's literal-prefix search and runs ten times slower), each with a word it cannot
    match without, so most are skipped by a substring test."""

    lower: tuple[tuple[str, re.Pattern[str]], ...]
    """``(required word or '', pattern)``, matched against the lower-cased text: the fast path."""
    exact: tuple[re.Pattern[str], ...]
    """Patterns that ask for case (``(?-i:SEND)``), matched against the text as written."""


_TOKEN = re.compile(r"\\.|\[(?:\\.|[^\]])*\]|\(\?<?[=!:]|.", re.S)


def required_word(pattern: str) -> str:
    """The longest word (3 letters or more) every match of ``pattern`` contains, lower-cased,
    or '' when there is none: letters outside any group or class, not made optional by a
    quantifier, in a pattern with no top-level alternative."""
    words, word, depth = [], "", 0
    tokens = _TOKEN.findall(pattern)
    for i, tok in enumerate(tokens):
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if tok.startswith("(") or tok == ")":
            depth += 1 if tok.startswith("(") else -1
        if depth == 0 and tok == "|":
            return ""
        if depth == 0 and len(tok) == 1 and tok.isalpha() and after not in ("?", "*", "{"):
            word += tok.lower()
            continue
        if len(word) >= 3:
            words.append(word)
        word = ""
    if len(word) >= 3:
        words.append(word)
    return max(words, key=len, default="")


def _spaced(pattern: str) -> str:
    """A space matches any run of whitespace (a paragraph may be wrapped anywhere; possessive,
    so a lookahead after it cannot start inside the run), except in a lookbehind (fixed width)."""
    parts = _LOOKBEHIND.split(pattern)
    return "".join(
        part if _LOOKBEHIND.fullmatch(part) else part.replace(" ?", r"\s*+").replace(" ", r"\s++")
        for part in parts
    )


def _lowered(pattern: str) -> str:
    """The pattern with its literal letters lower-cased; escapes (``\\S``, ``\\B``) kept."""
    return "".join(tok if tok.startswith("\\") else tok.lower() for tok in _ESCAPE_OR_CHAR.findall(pattern))


def compile_phrases(patterns: list[str]) -> Phrases | None:
    """The patterns of a rule, case-insensitive in effect; None for no patterns."""
    if not patterns:
        return None
    exact = tuple(re.compile(_spaced(p), re.I) for p in patterns if "(?-i:" in p)
    lower = tuple((required_word(p), re.compile(_lowered(_spaced(p)))) for p in patterns if "(?-i:" not in p)
    return Phrases(lower, exact)


@dataclass(frozen=True)
class Context:
    """A paragraph read once for every rule: its text, lower-cased text and clauses."""

    text: str
    lower: str
    clauses: list[Clause]


def context(text: str) -> Context:
    lower = text.lower()
    if len(lower) != len(text):  # a letter whose lower case is longer ("İ"): keep offsets
        lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return Context(text, lower, clauses(text))


@dataclass(frozen=True)
class Hit:
    """One match of a rule's pattern, in its scope."""

    phrase: str
    start: int
    end: int
    weight: float
    """The clause's weight (contrast, condition), times the hedge weight when hedged."""
    negator: str | None
    """The word negating the phrase ("not", "no", ...), or None."""


def find(ctx: Context, phrases: Phrases) -> list[Hit]:
    """Every match of a rule's patterns, with its clause's weight and its negator; where two
    matches overlap, the one starting first (or the longer) counts."""
    lower = ctx.lower
    spans = [m.span() for word, p in phrases.lower if word in lower for m in p.finditer(lower)]
    for p in phrases.exact:
        spans += [m.span() for m in p.finditer(ctx.text)]
    if not spans:
        return []
    found: list[Hit] = []
    hedge_weight = scope_words()["hedge_weight"]
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if found and start < found[-1].end:
            continue
        clause = clause_at(ctx.clauses, start)
        weight = clause.weight * (hedge_weight if hedged(ctx.text, clause, start) else 1.0)
        found.append(Hit(ctx.text[start:end], start, end, weight, negated(ctx.text, clause, start)))
    return found
