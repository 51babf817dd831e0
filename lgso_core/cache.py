"""A cache of extracted letters, keyed by the file's content hash.

A second audit of the same files skips extraction, the slow part for PDFs. The cache is a
SQLite file beside the store (``LGSO_CACHE``, else next to ``LGSO_DB``, else in the user's
data directory). Entries are keyed by content hash, extractor and the tool's version, so a
new release never reads an old release's paragraphs.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from platformdirs import user_data_dir

from .errors import StoreError
from .models import Letter, Paragraph

SCHEMA_VERSION = "1"


def default_cache_path() -> Path:
    """Where the cache lives unless told otherwise."""
    if os.environ.get("LGSO_CACHE"):
        return Path(os.environ["LGSO_CACHE"])
    if os.environ.get("LGSO_DB"):
        return Path(os.environ["LGSO_DB"]).with_name("extract-cache.db")
    return Path(user_data_dir("lgso-audit")) / "extract-cache.db"


class TextCache:
    """Extracted paragraphs by (content hash, extractor, version)."""

    def __init__(self, path: str | os.PathLike | None = None):
        from . import __version__

        self.path = Path(path) if path else default_cache_path()
        self._version = f"{__version__}/{SCHEMA_VERSION}"
        self.problem: str | None = None  # set when a read or write failed: the cache is skipped
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS extracted (key TEXT PRIMARY KEY, paragraphs TEXT NOT NULL)"
            )
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{self.path}: cannot open the extraction cache ({exc})") from None

    def _key(self, sha256: str, extractor: str, source: str) -> str:
        kind = Path(source).suffix.lower()  # the same bytes read as .txt and .html differ
        return f"{sha256}:{kind}:{extractor}:{self._version}"

    def get(self, source: str, sha256: str, extractor: str) -> Letter | None:
        """The cached letter with this content, as found at ``source``; None if absent."""
        if self.problem:
            return None
        try:
            row = self._db.execute(
                "SELECT paragraphs FROM extracted WHERE key = ?", (self._key(sha256, extractor, source),)
            ).fetchone()
        except sqlite3.Error as exc:
            self.problem = f"{self.path}: {exc}"
            return None
        if row is None:
            return None
        paragraphs = tuple(Paragraph(text=t, page=p) for t, p in json.loads(row[0]))
        return Letter(source=source, sha256=sha256, paragraphs=paragraphs)

    def put_many(self, letters: list[Letter], extractor: str) -> None:
        """Remember these letters' paragraphs (one transaction)."""
        if self.problem:
            return
        rows = [
            (
                self._key(letter.sha256, extractor, letter.source),
                json.dumps([[p.text, p.page] for p in letter.paragraphs]),
            )
            for letter in letters
        ]
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO extracted VALUES (?, ?)", rows)
        except sqlite3.Error as exc:
            self.problem = f"{self.path}: {exc}"

    def close(self) -> None:
        self._db.close()
