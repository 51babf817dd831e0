"""Files -> letters for a whole batch: through the cache, each file in a killable worker.

Every file is read in a worker process under a time and memory limit (``isolate``), so a
hostile file (a decompression bomb, a flood of glyphs, pathological markup) becomes one
error line and the rest of the batch is read. Letters come back in input order whatever
the number of processes. Workers return only a letter's paragraphs, never its PDF pages.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator

from .cache import TextCache
from .errors import LetterReadError
from .extract import file_sha256, read_document
from .isolate import CAN_FORK, Failure, Limits, available_cores, run_isolated
from .models import InputError, Letter
from .normalize import normalize_pages
from .paths import display_path, find_letters

PARALLEL_MIN = 16
"""Fewest files to read before a second worker process is worth starting."""

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while letters are read."""


def load_letter(path: str | os.PathLike, extractor: str = "auto") -> Letter:
    """Read and normalise one letter file, in this process. Raises ``LetterReadError``."""
    doc = read_document(path, extractor)
    paragraphs = normalize_pages(doc.pages, proportional=os.fspath(path).lower().endswith(".pdf"))
    if not paragraphs:
        raise LetterReadError(doc.source, "no text found in the file")
    return Letter(source=doc.source, sha256=doc.sha256, paragraphs=tuple(paragraphs))


def _load_or_error(path: str, extractor: str) -> Letter | InputError:
    """One file, its failure turned into a one-line error so the batch goes on."""
    try:
        return load_letter(path, extractor)
    except LetterReadError as exc:
        return InputError(source=path, error=exc.reason)
    except RecursionError:
        return InputError(source=path, error="nested too deeply to read")
    except MemoryError:
        raise  # the worker reports the memory limit
    except Exception as exc:
        return InputError(source=path, error=f"could not be read: unexpected {type(exc).__name__}: {exc}")


def worker_count(jobs: int | None, files: int) -> int:
    """Worker processes for ``files`` files: ``jobs`` (default: the cores), never more
    than the cores this process may use, and one for a small batch."""
    cores = available_cores()
    wanted = cores if jobs is None else max(1, jobs)
    if files < PARALLEL_MIN:
        return 1
    return max(1, min(wanted, cores, files))


def load_letters(
    paths: Iterable[str | os.PathLike],
    *,
    extractor: str = "auto",
    jobs: int | None = 1,
    cache: TextCache | None = None,
    progress: Progress | None = None,
    limits: Limits | None = None,
) -> tuple[list[Letter], list[InputError]]:
    """Every readable letter under ``paths`` in input order, and an error for each other input.

    Sources are printable (see ``paths.display_path``): a file name that is not UTF-8 or
    holds a newline is shown with backslash escapes.
    """
    found = list(find_letters(paths))
    errors = [InputError(source=display_path(p), error=problem) for p, problem in found if problem]
    wanted = [p for p, problem in found if problem is None]
    done: dict[str, Letter | InputError] = {}
    if cache is not None:
        for path in wanted:
            sha = file_sha256(path)
            hit = cache.get(display_path(path), sha, extractor) if sha else None
            if hit is not None:
                done[path] = hit
    pending = [p for p in wanted if p not in done]
    total = len(wanted)
    if progress and done:
        progress(len(done), total)
    for path, outcome in _extract(pending, extractor, jobs, limits or Limits()):
        done[path] = _shown(outcome, display_path(path))
        if progress:
            progress(len(done), total)
    fresh = [done[p] for p in pending if isinstance(done[p], Letter)]
    if cache is not None and fresh:
        cache.put_many(fresh, extractor)  # type: ignore[arg-type]
    letters = [done[p] for p in wanted if isinstance(done[p], Letter)]
    errors += [done[p] for p in wanted if isinstance(done[p], InputError)]
    return letters, errors  # type: ignore[return-value]


def _shown(outcome: Letter | InputError, source: str) -> Letter | InputError:
    return outcome if outcome.source == source else outcome.model_copy(update={"source": source})


def _extract(
    paths: list[str], extractor: str, jobs: int | None, limits: Limits
) -> Iterator[tuple[str, Letter | InputError]]:
    """(path, letter or error) for each path, as they finish, each read in a worker."""
    if not paths:
        return
    if not CAN_FORK:  # no fork (Windows): read here, without limits
        yield from ((p, _load_or_error(p, extractor)) for p in paths)
        return
    outcomes = run_isolated(
        paths, lambda path: _load_or_error(path, extractor),
        workers=worker_count(jobs, len(paths)), limits=limits,
    )  # fmt: skip
    for index, outcome in outcomes:
        path = paths[index]
        if isinstance(outcome, Failure):
            outcome = InputError(source=path, error=outcome.reason)
        yield path, outcome
