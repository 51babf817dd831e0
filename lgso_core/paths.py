"""Paths given by a user -> the letter files to read, and a printable name for each.

Every path the user gives either yields letter files or one reason it yields none; a folder
that cannot be listed is one reason of its own, and the rest of the search goes on. Names
are printed safely: a name that is not valid UTF-8 (a Latin-1 name from a Windows share)
or that holds a newline or another control character is shown with backslash escapes,
so a report is valid JSON and every error stays on one line.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from .extract import SUFFIXES

EMPTY_PATH = "empty path: name a file or folder ('.' for the current folder)"
NO_LETTERS = "folder holds no .pdf, .txt, .md or .html files"


def display_path(path: str | bytes | os.PathLike) -> str:
    """The path as text that prints on one line and encodes as UTF-8.

    Bytes the file system holds that are not UTF-8 (Python keeps them as lone surrogates)
    become ``\\xNN``; control characters become ``\\n``, ``\\t`` or ``\\xNN``; a backslash
    stays a backslash (Windows-style names are common and unambiguous here).
    """
    text = os.fsdecode(path)
    if text.isprintable():
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the undecodable byte code - 0xDC00
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ch.isprintable() or ch == " ":
            out.append(ch)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        else:
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return "".join(out)


def _is_letter_name(name: str) -> bool:
    return not name.startswith(".") and os.path.splitext(name)[1].lower() in SUFFIXES


def _search_folder(folder: str) -> Iterator[tuple[str, str | None]]:
    """Letter files under ``folder`` in a stable order, and a reason for each folder that
    cannot be listed. Hidden files and folders (a name starting with '.': .git, .venv)
    are not searched; symbolic links to folders are not followed (no loops)."""
    problems: list[tuple[str, str]] = []

    def unreadable(exc: OSError) -> None:
        problems.append((exc.filename or folder, f"cannot list folder ({exc.strerror or exc})"))

    found = []
    for top, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(
            os.path.join(top, f) for f in files if _is_letter_name(f) and os.path.isfile(os.path.join(top, f))
        )
    if not found and not problems:
        yield folder, NO_LETTERS
    # Sorted by path parts, so "a/deep/1.md" comes before "a-b.txt" as in a file browser.
    yield from ((p, None) for p in sorted(found, key=lambda p: os.path.normpath(p).split(os.sep)))
    yield from sorted(problems)


def find_letters(paths: Iterable[str | os.PathLike]) -> Iterator[tuple[str, str | None]]:
    """Yield ``(path, None)`` for every letter file under ``paths``, in a stable order.

    A folder is searched recursively for the known suffixes. A path that is empty, does not
    exist, is not a regular file or has an unknown suffix, and a folder that cannot be
    listed, yields ``(path, reason)`` instead so the caller can report it and go on. Paths
    are returned as the operating system names them (use :func:`display_path` to print).
    """
    for given in paths:
        path = os.fspath(given)
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        if path == "":
            yield path, EMPTY_PATH
        elif os.path.isdir(path):
            yield from _search_folder(path)
        elif not os.path.lexists(path):
            yield path, "no such file or folder"
        elif not os.path.exists(path):
            yield path, "a broken symbolic link"
        elif not os.path.isfile(path):
            yield path, "not a regular file (a pipe or device?)"
        elif os.path.splitext(path)[1].lower() not in SUFFIXES:
            suffix = os.path.splitext(path)[1] or "(none)"
            yield path, f"unsupported file type {display_path(suffix)!r}; expected .pdf, .txt, .md or .html"
        else:
            yield path, None
