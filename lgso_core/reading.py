"""Files -> letters for a whole batch: through the cache, in parallel when it pays.

Letters come back in input order whatever the number of processes. Each worker returns
only a letter's paragraphs, never its PDF pages, so memory holds the results and no more.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from .cache import TextCache
from .errors import LetterReadError
from .extract import file_sha256, find_letters, read_document
from .models import InputError, Letter
from .normalize import normalize_pages

PARALLEL_MIN = 16
"""Fewest PDFs to extract before worker processes are worth starting (text files are
cheaper to read than to send to another process)."""

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while letters are read."""


def load_letter(path: str | os.PathLike, extractor: str = "auto") -> Letter:
    """Read and normalise one letter file. Raises ``LetterReadError``."""
    doc = read_document(path, extractor)
    paragraphs = normalize_pages(doc.pages)
    if not paragraphs:
        raise LetterReadError(doc.source, "no text found in the file")
    return Letter(source=doc.source, sha256=doc.sha256, paragraphs=tuple(paragraphs))


def _load_or_error(path: str, extractor: str) -> Letter | InputError:
    """One file, its failure turned into a one-line error so the batch goes on."""
    try:
        return load_letter(path, extractor)
    except LetterReadError as exc:
        return InputError(source=path, error=exc.reason)
    except Exception as exc:
        return InputError(source=path, error=f"could not be read: unexpected {type(exc).__name__}: {exc}")


def load_letters(
    paths: Iterable[str | os.PathLike],
    *,
    extractor: str = "auto",
    jobs: int | None = 1,
    cache: TextCache | None = None,
    progress: Progress | None = None,
) -> tuple[list[Letter], list[InputError]]:
    """Every readable letter under ``paths`` in input order, and an error for each other input."""
    found = list(find_letters(paths))
    errors = [InputError(source=p, error=problem) for p, problem in found if problem]
    wanted = [p for p, problem in found if problem is None]
    done: dict[str, Letter | InputError] = {}
    if cache is not None:
        for path in wanted:
            sha = file_sha256(path)
            hit = cache.get(path, sha, extractor) if sha else None
            if hit is not None:
                done[path] = hit
    pending = [p for p in wanted if p not in done]
    total = len(wanted)
    if progress and done:
        progress(len(done), total)
    for path, outcome in _extract(pending, extractor, jobs):
        done[path] = outcome
        if progress:
            progress(len(done), total)
    fresh = [done[p] for p in pending if isinstance(done[p], Letter)]
    if cache is not None and fresh:
        cache.put_many(fresh, extractor)  # type: ignore[arg-type]
    letters = [done[p] for p in wanted if isinstance(done[p], Letter)]
    errors += [done[p] for p in wanted if isinstance(done[p], InputError)]
    return letters, errors  # type: ignore[return-value]


def _extract(paths: list[str], extractor: str, jobs: int | None) -> Iterator[tuple[str, Letter | InputError]]:
    """(path, letter or error) for each path. PDFs, the slow part, go to worker processes
    when there are enough of them; text files are read here meanwhile."""
    pdfs = [p for p in paths if p.lower().endswith(".pdf")]
    workers = min(jobs or os.cpu_count() or 1, len(pdfs))
    if workers < 2 or len(pdfs) < PARALLEL_MIN:
        yield from ((p, _load_or_error(p, extractor)) for p in paths)
        return
    chunk = max(1, len(pdfs) // (workers * 8))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = pool.map(_load_or_error, pdfs, [extractor] * len(pdfs), chunksize=chunk)
        in_pool = set(pdfs)
        yield from ((p, _load_or_error(p, extractor)) for p in paths if p not in in_pool)
        yield from zip(pdfs, results, strict=True)
