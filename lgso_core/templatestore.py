"""The user's own templates, kept on disk beside the audit store: one JSON file per year.

Only real letters make templates. The 2020 template ships with the tool; every other year's
comes from the user's letters and is kept here, in two places:

- ``<dir>/<year>.json``: **saved** by the user (``lgso template build PATH... --save``).
  It is that year's template until the user saves another.
- ``<dir>/learned/<year>.json``: **learned** automatically, from a batch of at least
  ``choice.MIN_DERIVE`` letters of a year that had no template, or by the store from all
  its letters of the year. The store replaces it as more letters of the year arrive.

Either is read back with ``source`` ``saved:<year>``. The folder is ``LGSO_TEMPLATES``, else
``templates/`` beside the store (next to ``LGSO_DB``), else in the user's data directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .errors import TemplateError
from .template import Template, builtin_years, load_template, read_template_file, save_template

TEMPLATES_ENV = "LGSO_TEMPLATES"

Kind = Literal["builtin", "saved", "learned"]


def default_templates_dir() -> Path:
    """``LGSO_TEMPLATES`` if set, else ``templates`` beside the audit store."""
    from .store import default_db_path  # here: the store's module is not needed to audit

    env = os.environ.get(TEMPLATES_ENV, "").strip()
    return Path(env).expanduser() if env else default_db_path().parent / "templates"


def saved_source(year: int) -> str:
    """The ``template.source`` of a kept template: ``saved:2024``."""
    return f"saved:{year}"


@dataclass(frozen=True)
class TemplateEntry:
    """One template the tool can use for a year, as ``lgso template list`` shows it."""

    year: int
    kind: Kind
    paragraphs: int
    letters: int
    path: str
    in_use: bool
    """False when another template of the same year takes precedence (built-in > saved > learned)."""

    def line(self) -> str:
        """'2024  saved    31 paragraphs from 4 letters  /home/me/.../templates/2024.json'."""
        state = "" if self.in_use else "  (not used: a built-in or saved one takes precedence)"
        made = f" from {self.letters} letter{'s' if self.letters != 1 else ''}" if self.letters else ""
        return f"{self.year}  {self.kind:<8} {self.paragraphs} paragraphs{made}  {self.path}{state}"


class TemplateStore:
    """The folder of the user's templates (default: :func:`default_templates_dir`)."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path is not None else default_templates_dir()

    def file(self, year: int, *, learned: bool = False) -> Path:
        """Where the saved (or learned) template of ``year`` lives."""
        return (self.path / "learned" if learned else self.path) / f"{year}.json"

    def read(self, year: int, *, learned: bool = False) -> Template | None:
        """The saved (or learned) template of ``year``, or None. A broken file is a
        ``TemplateError`` naming it."""
        path = self.file(year, learned=learned)
        if not path.exists():
            return None
        template = read_template_file(path)
        return template.model_copy(update={"source": saved_source(year), "year": year})

    def get(self, year: int) -> Template | None:
        """The user's template of ``year``: the saved one, else the learned one, else None."""
        return self.read(year) or self.read(year, learned=True)

    def save(self, template: Template, *, learned: bool = False) -> Path:
        """Keep ``template`` (it must say its year); return the file written."""
        if template.year is None:
            raise TemplateError("a template is kept per year: give its letters' year (--year)")
        path = self.file(template.year, learned=learned)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            reason = exc.strerror or exc
            raise TemplateError(f"{path.parent}: cannot keep templates here ({reason})") from None
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        save_template(template.model_copy(update={"source": saved_source(template.year)}), tmp)
        os.replace(tmp, path)  # readers never see half a file
        return path

    def years(self) -> list[int]:
        """Every year with a saved or learned template."""
        found = set()
        for folder in (self.path, self.path / "learned"):
            if folder.is_dir():
                found |= {int(p.stem) for p in folder.glob("*.json") if p.stem.isdigit()}
        return sorted(found)

    def entries(self) -> list[TemplateEntry]:
        """Every template available, built-in ones included, by year."""
        builtin = set(builtin_years())
        out = []
        for year in builtin:
            t = load_template(year)
            out.append(TemplateEntry(year, "builtin", len(t.paragraphs), t.letters,
                                     f"(shipped) {t.source}", True))  # fmt: skip
        for year in self.years():
            saved = self.file(year).exists()
            for learned, kind in ((False, "saved"), (True, "learned")):
                t = self.read(year, learned=learned)
                if t is None:
                    continue
                in_use = year not in builtin and (kind == "saved" or not saved)
                out.append(TemplateEntry(year, kind, len(t.paragraphs), t.letters,  # type: ignore[arg-type]
                                         str(self.file(year, learned=learned)), in_use))  # fmt: skip
        return sorted(out, key=lambda e: (e.year, not e.in_use))

    def resolve(self, year: int) -> Template:
        """The template the tool uses for ``year``: built-in, else saved, else learned."""
        if year in builtin_years():
            return load_template(year)
        found = self.get(year)
        if found is None:
            known = ", ".join(str(e.year) for e in self.entries() if e.in_use) or "none"
            build = f"lgso template build LETTERS... --year {year} --save"
            raise TemplateError(f"no built-in template for {year}, and none saved (templates: {known}); "
                                f"build one with `{build}`")  # fmt: skip
        return found


def template_text(template: Template) -> str:
    """A template for reading in a terminal: what it is, then each paragraph and its section."""
    made = f", derived from {template.letters} letters" if template.letters else ""
    lines = [f"{template.name} template ({template.source}, {len(template.paragraphs)} paragraphs{made})"]
    for i, para in enumerate(template.paragraphs, 1):
        lines.append(f"{i:>3} [{para.section}] {para.text}")
    return "\n".join(lines) + "\n"
