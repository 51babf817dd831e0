"""The canonical template: what every letter of a year says, with slots for what varies.

A template is a list of paragraphs. Slots (``{name}``, ``{authority}``, ``{figure}``,
``{date}``, ``{text}``) mark where letters legitimately differ. Figures, dates and plural
endings are masked in every comparison, so "4 upheld decisions" and "1 upheld decision"
are the same template paragraph whatever the template says.

This module holds the model, matching and loading. Templates are built by consensus in
``derive``; the shipped ``templates/2020.json`` was built from the real seed letters with
``lgso template build``, and only real letters make shipped templates. The user's own
templates are kept by ``templatestore``.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import TemplateError

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
    source: str = Field(default="", description="'builtin:2020', 'saved:2024', 'derived' or a path.")
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


MAX_TEMPLATE_BYTES = 4_000_000
"""Largest template file read (the shipped one is ~10 kB): a device or an endless file is
refused rather than read into memory."""


def load_template(spec: str | int) -> Template:
    """A shipped template by year (``2020``) or a template file by path."""
    spec = str(spec)
    if spec.isdigit():
        resource = resources.files("lgso_core") / "templates" / f"{spec}.json"
        if not resource.is_file():
            years = ", ".join(map(str, builtin_years())) or "none"
            raise TemplateError(f"no built-in template for {spec}; built-in years: {years}")
        template = parse_template(resource.read_text("utf-8"), f"builtin:{spec}")
        return template.model_copy(update={"source": f"builtin:{spec}"})
    return read_template_file(spec).model_copy(update={"source": spec})


def read_template_file(path: str | Path) -> Template:
    """A template file, read with a bound: a binary, endless or special file is a
    ``TemplateError`` naming the file and the reason."""
    where = str(path)
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # before opening: a FIFO would block
            raise TemplateError(f"{where}: cannot read template (not a regular file)")
        with open(path, "rb") as fh:
            data = fh.read(MAX_TEMPLATE_BYTES + 1)
    except OSError as exc:
        raise TemplateError(f"{where}: cannot read template ({exc.strerror or exc})") from None
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateError(f"{where}: not a template file (larger than {MAX_TEMPLATE_BYTES:,} bytes)")
    if b"\0" in data:
        raise TemplateError(f"{where}: not a template file (binary data)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TemplateError(f"{where}: not a template file (not UTF-8 at byte {exc.start})") from None
    return parse_template(text, where)


def parse_template(text: str, where: str) -> Template:
    """A template from its JSON; ``where`` names it in the error."""
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
    """Write a template as JSON (what ``load_template`` reads back)."""
    try:
        Path(path).write_text(template.model_dump_json(indent=2) + "\n", "utf-8")
    except OSError as exc:
        raise TemplateError(f"{path}: cannot write template ({exc.strerror or exc})") from None


def is_salutation(text: str) -> bool:
    """'Dear Ms Kemp': what ends a letter's header."""
    return text[:5].lower() == "dear "
