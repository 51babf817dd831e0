"""The canonical template: what every letter of a year says, with slots for what varies.

A template is a list of paragraphs. Slots (``{name}``, ``{authority}``, ``{figure}``,
``{date}``, ``{text}``) mark where letters legitimately differ. Figures, dates and plural
endings are masked in every comparison, so "4 upheld decisions" and "1 upheld decision"
are the same template paragraph whatever the template says.

Templates are built by consensus (``derive_template``): paragraphs that most letters of a
batch share, in their usual order. The shipped ``templates/2020.json`` was built from the
seed letters with ``lgso template build``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import TemplateError
from .models import Letter

Section = Literal["header", "letter", "stats"]
"""Where a template paragraph stands: the letterhead and address before the salutation,
the body of the letter, or the statistics part."""
SLOT = re.compile(r"\{(name|authority|figure|date|text)\}")
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_TOKEN = re.compile(
    rf"(?P<date>\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\s*,?\s+\d{{4}}\b)"
    r"|(?P<slot>\{(?:name|authority|text)\})"
    r"|(?P<slotdate>\{date\})"
    r"|(?P<num>\bn/a\b|\{figure\}|\d[\d,]*(?:\.\d+)?)"
    r"|(?P<word>[a-z][a-z']*)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Token:
    """A comparable unit of text and where it stands in the original."""

    key: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Words, lower-cased and singularised; every date and number masked."""
    tokens = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in ("date", "slotdate"):
            key = "<date>"
        elif kind == "num":
            key = "<n>"
        elif kind == "slot":
            key = "<slot>"
        else:
            key = _singular(m.group().lower().replace("'", ""))
        tokens.append(Token(key, m.start(), m.end()))
    return tokens


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


@lru_cache(maxsize=8192)
def comparable(text: str) -> str:
    """The text as alignment compares it (cached: most paragraphs are boilerplate)."""
    return " ".join(t.key for t in tokenize(text))


class TemplateParagraph(BaseModel):
    """One paragraph of the canonical template."""

    model_config = ConfigDict(frozen=True)
    text: str = Field(description="The paragraph, with slots where letters differ.")
    section: Section = Field(
        default="letter", description="'header' before the salutation, 'letter', or 'stats'."
    )
    support: float = Field(default=1.0, description="Share of the letters that carry it.")


class Template(BaseModel):
    """A canonical letter."""

    model_config = ConfigDict(frozen=True)
    name: str = Field(description="e.g. '2020' or 'derived'.")
    year: int | None = Field(default=None, description="The letters' year, if known.")
    source: str = Field(default="", description="'builtin:2020', 'derived' or a path.")
    letters: int = Field(default=0, description="How many letters it was built from.")
    paragraphs: list[TemplateParagraph]

    def compiled(self) -> CompiledTemplate:
        return _compile(self)


# --------------------------------------------------------------------------- matching


class CompiledTemplate:
    """A template ready for fast matching: exact keys, slot patterns, comparable forms."""

    def __init__(self, template: Template):
        self.template = template
        self.paragraphs = template.paragraphs
        self.keys = [comparable(p.text) for p in self.paragraphs]
        self.exact: dict[str, int] = {}
        self.patterns: list[tuple[int, re.Pattern[str]]] = []
        for i, key in enumerate(self.keys):
            if "<slot>" in key:
                parts = [re.escape(part.strip()) for part in key.split("<slot>")]
                self.patterns.append((i, re.compile(r"(?:\s?.+?\s?)".join(parts))))
            else:
                self.exact.setdefault(key, i)

    def exact_match(self, key: str) -> int | None:
        """Index of the template paragraph ``key`` fills exactly, or None."""
        found = self.exact.get(key)
        if found is not None:
            return found
        for i, pattern in self.patterns:
            if pattern.fullmatch(key):
                return i
        return None


@lru_cache(maxsize=16)
def _compile_cached(template_json: str) -> CompiledTemplate:
    return CompiledTemplate(Template.model_validate_json(template_json))


def _compile(template: Template) -> CompiledTemplate:
    return _compile_cached(template.model_dump_json())


# --------------------------------------------------------------------------- loading


def builtin_years() -> list[int]:
    """Years with a shipped template."""
    folder = resources.files("lgso_core") / "templates"
    return sorted(int(p.name[:-5]) for p in folder.iterdir() if p.name[:-5].isdigit())


@lru_cache(maxsize=1)
def shipped_templates() -> dict[int, CompiledTemplate]:
    """Every shipped template by year, read and compiled once."""
    return {year: load_template(year).compiled() for year in builtin_years()}


def load_template(spec: str | int) -> Template:
    """A shipped template by year (``2020``) or a template file by path."""
    spec = str(spec)
    if spec.isdigit():
        resource = resources.files("lgso_core") / "templates" / f"{spec}.json"
        if not resource.is_file():
            years = ", ".join(map(str, builtin_years())) or "none"
            raise TemplateError(f"no built-in template for {spec}; built-in years: {years}")
        template = _parse(resource.read_text("utf-8"), f"builtin:{spec}")
        return template.model_copy(update={"source": f"builtin:{spec}"})
    path = Path(spec)
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise TemplateError(f"{spec}: cannot read template ({exc.strerror or exc})") from None
    return _parse(text, spec).model_copy(update={"source": spec})


def _parse(text: str, where: str) -> Template:
    try:
        template = Template.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(map(str, first["loc"])) or "document"
        raise TemplateError(f"{where}: not a template file ({loc}: {first['msg']})") from None
    if not template.paragraphs:
        raise TemplateError(f"{where}: template has no paragraphs")
    return template


def save_template(template: Template, path: str | Path) -> None:
    Path(path).write_text(template.model_dump_json(indent=2) + "\n", "utf-8")


# --------------------------------------------------------------------------- deriving


@dataclass
class _Cluster:
    position: float
    members: dict[int, str]  # letter index -> paragraph text


def derive_template(
    letters: list[Letter],
    *,
    name: str = "derived",
    year: int | None = None,
    min_share: float = 0.5,
) -> Template:
    """The paragraphs that more than ``min_share`` of the letters share, with slots.

    Letters are aligned paragraph by paragraph against a reference (the letter sharing
    most paragraphs with the others), so that paragraphs which differ only in names
    (``Dear Ms Kemp`` / ``Dear Mr Andrews``) line up by position.
    """
    from .stats import is_stats_paragraph

    if not letters:
        raise TemplateError("cannot derive a template from no letters")
    keyed = [[(p.text, comparable(p.text)) for p in letter.paragraphs] for letter in letters]
    ref = _reference(keyed)
    clusters = [_Cluster(i, {ref: text}) for i, (text, _) in enumerate(keyed[ref])]
    loose: dict[str, _Cluster] = {}
    for li, paras in enumerate(keyed):
        if li != ref:
            _align_into(clusters, loose, keyed[ref], paras, li)
    everything = sorted([*clusters, *loose.values()], key=lambda c: c.position)
    with_stats = sum(any(is_stats_paragraph(t) for t, _ in paras) for paras in keyed)
    first, last = _stats_span(everything, is_stats_paragraph)
    salutation = next(
        (i for i, c in enumerate(everything) if any(is_salutation(t) for t in c.members.values())), 0
    )
    paragraphs = []
    for i, cluster in enumerate(everything):
        section: Section = "stats" if first <= i <= last else "header" if i < salutation else "letter"
        base = with_stats if section == "stats" else len(letters)
        share = len(cluster.members) / max(base, 1)
        if share > min_share or (len(letters) == 1 and share == 1):
            paragraphs.append(TemplateParagraph(
                text=_slotted(list(cluster.members.values()), figures=section == "stats"),
                section=section,
                support=round(share, 3),
            ))  # fmt: skip
    return Template(name=name, year=year, source="derived", letters=len(letters),
                    paragraphs=paragraphs)  # fmt: skip


def is_salutation(text: str) -> bool:
    """'Dear Ms Kemp': what ends a letter's header."""
    return text[:5].lower() == "dear "


def _reference(keyed: list[list[tuple[str, str]]]) -> int:
    sets = [{key for _, key in paras} for paras in keyed]

    def shared(i: int) -> int:
        return sum(len(sets[i] & s) for j, s in enumerate(sets) if j != i)

    return max(range(len(keyed)), key=lambda i: (shared(i), -i))


def _align_into(clusters, loose, ref_paras, paras, li) -> None:
    ref_keys = [k for _, k in ref_paras]
    keys = [k for _, k in paras]
    for op, i1, i2, j1, j2 in SequenceMatcher(None, ref_keys, keys, autojunk=False).get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                if op == "equal" or _similar_enough(ref_keys[i], keys[j]):
                    clusters[i].members.setdefault(li, paras[j][0])
                else:
                    _add_loose(loose, paras[j], li, i - 0.5)
        elif op in ("replace", "insert"):
            for j in range(j1, j2):
                _add_loose(loose, paras[j], li, i1 - 0.5 + (j - j1) / (j2 - j1 + 1))


_SHORT_WORDS = 12
_AUTHORITY_WORDS = frozenset(
    {"council", "borough", "county", "city", "district", "metropolitan"}
    | {"royal", "london", "of", "the", "corporation"}
)


def _similar_enough(a: str, b: str) -> bool:
    """Paragraphs in the same place, short (an address, a salutation) or alike (a body)."""
    wa, wb = a.split(), b.split()
    common = SequenceMatcher(None, wa, wb, autojunk=False).ratio()
    return common >= 0.6 or max(len(wa), len(wb)) <= _SHORT_WORDS


def _add_loose(loose: dict[str, _Cluster], para: tuple[str, str], li: int, pos: float) -> None:
    cluster = loose.setdefault(para[1], _Cluster(pos, {}))
    cluster.members.setdefault(li, para[0])


def _stats_span(clusters: list[_Cluster], is_stats) -> tuple[int, int]:
    hits = [i for i, c in enumerate(clusters) if any(is_stats(t) for t in c.members.values())]
    return (hits[0], hits[-1]) if hits else (math.inf, -math.inf)  # type: ignore[return-value]


def _slotted(texts: list[str], *, figures: bool = False) -> str:
    """The first text with a slot wherever the others differ from it (and on every
    figure, with ``figures``)."""
    ref = texts[0]
    ref_tokens = tokenize(ref)
    ref_keys = [t.key for t in ref_tokens]
    varies = [figures and k == "<n>" for k in ref_keys]
    for other in texts[1:]:
        keys = [t.key for t in tokenize(other)]
        matcher = SequenceMatcher(None, ref_keys, keys, autojunk=False)
        for op, i1, i2, _j1, _j2 in matcher.get_opcodes():
            if op in ("replace", "delete"):
                varies[i1:i2] = [True] * (i2 - i1)
            elif op == "insert":  # absorb insertions into the neighbouring token
                varies[max(i1 - 1, 0)] = True
    _widen_over_authority_words(varies, ref_keys)
    out, pos = [], 0
    for i, j in _runs(varies):
        start, end = ref_tokens[i].start, ref_tokens[j].end
        out.append(ref[pos:start] + "{" + _slot_kind(ref[start:end]) + "}")
        pos = end
    out.append(ref[pos:])
    return "".join(out)


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    """(first, last) index of every run of True."""
    runs, i = [], 0
    while i < len(flags):
        if flags[i]:
            j = i
            while j + 1 < len(flags) and flags[j + 1]:
                j += 1
            runs.append((i, j))
            i = j
        i += 1
    return runs


def _widen_over_authority_words(varies: list[bool], keys: list[str]) -> None:
    """A slot of words next to 'Council', 'Borough of' etc. takes them in: another
    letter's authority may be a 'Royal Borough of X' where these letters had 'X Council'."""
    for i, j in _runs(varies):
        if all(k in ("<n>", "<date>") for k in keys[i : j + 1]):
            continue
        while i > 0 and keys[i - 1] in _AUTHORITY_WORDS:
            i -= 1
            varies[i] = True
        while j + 1 < len(keys) and keys[j + 1] in _AUTHORITY_WORDS:
            j += 1
            varies[j] = True


def _slot_kind(value: str) -> str:
    keys = {t.key for t in tokenize(value)}
    if keys <= {"<n>"}:
        return "figure"
    if keys <= {"<date>"}:
        return "date"
    if re.search(r"\b(council|borough|county|city|district|authority)\b", value, re.I):
        return "authority"
    if len(value.split()) <= 4:
        return "name"
    return "text"
