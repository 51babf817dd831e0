"""Finding letter files under the paths a user gives, and printing any name on one line."""

from __future__ import annotations

import os

import pytest

from lgso_core.paths import EMPTY_PATH, NO_LETTERS, display_path, find_letters


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("letters/rutland.txt", "letters/rutland.txt"),
        (b"caf\xe9.txt", "caf\\xe9.txt"),  # Latin-1 from a Windows share
        ("two\nlines.pdf", "two\\nlines.pdf"),
        ("tab\there\r.md", "tab\\there\\r.md"),
        ("bell\x07.txt", "bell\\x07.txt"),
        ("right-to-left \u202e.txt", "right-to-left \\u202e.txt"),
        ("Caf\u00e9 \u2013 2020.pdf", "Caf\u00e9 \u2013 2020.pdf"),  # valid UTF-8 stays as it is
    ],
)
def test_display_path_prints_on_one_line_as_utf8(name, shown):
    assert display_path(name) == shown
    shown.encode("utf-8")


def test_hidden_folders_and_files_are_not_searched(tmp_path):
    for name in [".venv/lib/LICENSE.txt", ".git/x.md", "a/.hidden.txt", "a/letter.txt", "b.pdf"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert list(find_letters([tmp_path])) == [
        (str(tmp_path / "a" / "letter.txt"), None),
        (str(tmp_path / "b.pdf"), None),
    ]


def test_a_folder_sorts_like_a_file_browser_by_folder_then_name(tmp_path):
    for name in ["a-b.txt", "a/z.txt", "a/b/c.md"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert [p for p, _ in find_letters([tmp_path])] == [
        str(tmp_path / "a" / "b" / "c.md"),
        str(tmp_path / "a" / "z.txt"),
        str(tmp_path / "a-b.txt"),
    ]


def test_each_path_that_names_no_letter_says_why(tmp_path):
    (tmp_path / "empty").mkdir()
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    given = ["", str(tmp_path / "empty"), str(tmp_path / "nowhere.txt"), str(tmp_path / "dangling.txt"),
             str(tmp_path / "pipe.txt")]  # fmt: skip
    assert [problem for _, problem in find_letters(given)] == [
        EMPTY_PATH,
        NO_LETTERS,
        "no such file or folder",
        "a broken symbolic link",
        "not a regular file (a pipe or device?)",
    ]


def test_bytes_paths_are_accepted(tmp_path):
    (tmp_path / "x.txt").write_text("x")
    assert list(find_letters([os.fsencode(tmp_path / "x.txt")])) == [(str(tmp_path / "x.txt"), None)]
