"""Audit letters into the store: ``lgso ingest`` once, or a folder watched for new letters.

``ingest_paths`` reads every letter given and hands them to ``storesync.ingest_letters``,
which stores them and judges each year's letters together with those the store already
holds (templates from all of them, re-audits, alerts). ``FolderWatch`` polls a folder and
ingests only files whose content the store has not seen: a file's SHA-256 is checked before
anything is read into paragraphs, unchanged files are not even re-hashed, and a file
modified in the last ``SETTLE`` seconds waits for the next poll. Letters ingested one at a
time through the watcher end as they would have as one batch.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path

from .audit import screen
from .cache import TextCache
from .digest import record_ingest
from .errors import TemplateError
from .extract import file_sha256
from .models import AuditReport, LetterAudit, TemplateInfo
from .paths import find_letters
from .reading import Progress, load_letters
from .store import IngestResult, Store
from .storesync import ingest_letters, sync
from .template import load_template
from .templatestore import TemplateStore

SETTLE = 2.0
"""Seconds a file must have been left unmodified before it is read."""


def ingest_paths(
    store: Store,
    paths: Iterable[str | os.PathLike],
    *,
    alert_channel: str | None = None,
    template: str | None = None,
    kept: TemplateStore | None = None,
    extractor: str = "auto",
    jobs: int | None = 1,
    cache: TextCache | None = None,
    progress: Progress | None = None,
    digest_threshold: int | None = None,
) -> tuple[AuditReport, IngestResult]:
    """Read the letters under ``paths``, store them, re-audit what they change, queue alerts
    to ``alert_channel``. ``template`` (``--template``) judges these letters against it.

    The alerts of one call are one batch: a digest when it brings more than
    ``digest_threshold`` letters (default ``LGSO_DIGEST_THRESHOLD``, or 5); alerts whose
    news is all muted are held (``mutes``)."""
    kept = kept if kept is not None else TemplateStore()
    read = {"extractor": extractor, "jobs": jobs, "cache": cache, "progress": progress}
    letters, errors = load_letters(list(paths), **read)
    letters, extracted, _, rejected = screen(letters)
    audits, result = ingest_letters(store, letters, alert_channel=alert_channel, template=template, kept=kept,
                                    extracted=extracted)  # fmt: skip
    record_ingest(store, result, digest_threshold)
    report = AuditReport(template=_main_template(audits, kept), letters=audits, errors=[*errors, *rejected])
    return report, result


def _main_template(audits: list[LetterAudit], kept: TemplateStore) -> TemplateInfo:
    """The template most of these letters were judged against (``none`` when none was)."""
    sources = [a.template for a in audits if a.template]
    if not sources:
        years = {a.year for a in audits}
        return TemplateInfo(source="none", paragraphs=0, year=years.pop() if len(years) == 1 else None)
    top = max(set(sources), key=lambda s: (sources.count(s), s))
    kind, _, year = top.partition(":")
    try:
        if kind in ("builtin", "saved") and year.isdigit():
            template = load_template(year) if kind == "builtin" else kept.get(int(year))
        else:
            template = load_template(top)
    except TemplateError:
        template = None
    year_of = next(a.year for a in audits if a.template == top)
    return TemplateInfo(source=top, paragraphs=len(template.paragraphs) if template else 0, year=year_of)


class FolderWatch:
    """Finds letters added to or changed in ``folder`` since the last poll, and ingests them."""

    def __init__(self, store: Store, folder: str | os.PathLike, *, alert_channel: str | None = None,
                 settle: float = SETTLE, template: str | None = None,
                 kept: TemplateStore | None = None):  # fmt: skip
        self.store, self.folder, self.alert_channel = store, Path(folder), alert_channel
        self.settle, self.template, self.kept = settle, template, kept
        self._seen: dict[str, tuple[int, int]] = {}

    def poll(self) -> tuple[AuditReport, IngestResult] | None:
        """Ingest the new letters; None when there were none. Without new letters, the store
        is still re-audited if a year's template or the tool's version changed."""
        fresh = [
            path
            for path in self._changed()
            if (sha := file_sha256(path)) is None or not self.store.has_content(sha)
        ]
        if not fresh:
            sync(self.store, kept=self.kept, alert_channel=self.alert_channel)
            return None
        return ingest_paths(self.store, fresh, alert_channel=self.alert_channel, template=self.template,
                            kept=self.kept)  # fmt: skip

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
