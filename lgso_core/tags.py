"""Topic tags for paragraphs, from the rules in ``data/tags.toml``."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources

OTHER = "other"


@lru_cache(maxsize=1)
def tag_rules() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """``(tag, pattern)`` for every tag in ``data/tags.toml``, in file order."""
    text = (resources.files("lgso_core") / "data" / "tags.toml").read_text("utf-8")
    rules = tomllib.loads(text)["tag"]
    return tuple(
        (rule["name"], re.compile("|".join(f"(?:{p})" for p in rule["patterns"]), re.I)) for rule in rules
    )


def tag_paragraph(text: str) -> list[str]:
    """Every tag whose patterns the paragraph matches, or ``["other"]``."""
    tags = [name for name, pattern in tag_rules() if pattern.search(text)]
    return tags or [OTHER]
