"""What each finding code means, for readers of a report: ``data/codes.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class CodeInfo:
    """One finding code: its severity and a sentence saying when it is raised."""

    code: str
    severity: str
    meaning: str


@cache
def finding_codes() -> tuple[CodeInfo, ...]:
    """Every finding code, in the order of ``data/codes.toml`` (errors, warnings, info)."""
    text = (resources.files("lgso_core") / "data" / "codes.toml").read_text("utf-8")
    return tuple(CodeInfo(**entry) for entry in tomllib.loads(text)["code"])
