"""Audit letters into the store: ``lgso ingest`` once, or a folder watched for new letters.

``ingest_paths`` audits every letter given, as one batch (so cross-letter checks and
derived templates see them all), and stores the audits. ``FolderWatch`` polls a folder and
audits only files whose content the store has not seen: a file's SHA-256 is checked
before anything is read into paragraphs, unchanged files are not even re-hashed, and a
file modified in the last ``SETTLE`` seconds waits for the next poll.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path

from .audit import audit_paths
from .extract import file_sha256, find_letters
from .models import AuditReport
from .store import IngestResult, Store

SETTLE = 2.0
"""Seconds a file must have been left unmodified before it is read."""


def ingest_paths(
    store: Store,
    paths: Iterable[str | os.PathLike],
    *,
    alert_channel: str | None = None,
    **audit_options,
) -> tuple[AuditReport, IngestResult]:
    """Audit the letters under ``paths`` and store them; queue alerts to ``alert_channel``.

    ``audit_options`` go to ``audit_paths`` (``jobs``, ``cache``, ``progress``...).
    """
    report = audit_paths(list(paths), **audit_options)
    return report, store.ingest(report.letters, alert_channel=alert_channel)


class FolderWatch:
    """Finds letters added to or changed in ``folder`` since the last poll, and ingests them."""

    def __init__(self, store: Store, folder: str | os.PathLike, *, alert_channel: str | None = None,
                 settle: float = SETTLE, template: str | None = None):  # fmt: skip
        self.store, self.folder, self.alert_channel = store, Path(folder), alert_channel
        self.template = template
        self.settle = settle
        self._seen: dict[str, tuple[int, int]] = {}

    def poll(self) -> tuple[AuditReport, IngestResult] | None:
        """Ingest the new letters; None when there were none."""
        fresh = [
            path
            for path in self._changed()
            if (sha := file_sha256(path)) is None or not self.store.has_content(sha)
        ]
        if not fresh:
            return None
        return ingest_paths(self.store, fresh, alert_channel=self.alert_channel, template=self.template)

    def _changed(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        changed = []
        for path, problem in find_letters([self.folder]):
            if problem:
                continue
            try:
                st = os.stat(path)
            except OSError:
                continue
            stamp = (st.st_mtime_ns, st.st_size)
            if time.time() - st.st_mtime < self.settle:
                continue  # still being written, perhaps: next poll
            if self._seen.get(path) != stamp:
                self._seen[path] = stamp
                changed.append(path)
        return changed
