"""Reading files: every supported format, and every kind of bad file as a one-line error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lgso_core import audit_paths
from lgso_core.errors import LetterReadError
from lgso_core.extract import read_document
from lgso_core.paths import find_letters

SEED = "tests/data/seeds/001_c0b09b6ab8458cd9.txt"

BAD_FILES = {
    "empty.txt": (b"", "empty file"),
    "blank.md": (b" \n\n\t\n", "empty file"),
    "binary.txt": (b"\x00\x01\x02PK\x03\x04" * 20, "binary file"),
    "unknown-encoding.txt": (bytes(range(0x80, 0x100)) * 8, "cannot tell the text's encoding"),
    "deep.html": (b"<html><body>" + b"<div>" * 40_000 + b"Dear Sir" + b"</div>" * 40_000, "nested more than"),
    "corrupt.pdf": (b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage", "PDF"),
    "fake.pdf": (b"This is a text file, renamed.", "PDF"),
    "markup-only.html": (b"<html><body><p> </p><div></div></body></html>", "no text"),
}


@pytest.mark.parametrize("name", BAD_FILES, ids=list(BAD_FILES))
def test_bad_file_is_one_line_error_and_batch_goes_on(name, tmp_path):
    content, reason = BAD_FILES[name]
    (tmp_path / name).write_bytes(content)
    shutil.copy(SEED, tmp_path / "good.txt")
    report = audit_paths([tmp_path])
    assert [a.source for a in report.letters] == [str(tmp_path / "good.txt")]
    [error] = report.errors
    assert error.source == str(tmp_path / name)
    assert reason.lower() in error.error.lower()
    assert "\n" not in error.error


def test_encrypted_pdf_is_reported(tmp_path):
    from pdfgen import make_letter_pdf

    path = make_letter_pdf(["Dear Sir", "A letter."], tmp_path / "locked.pdf", encrypt=True)
    report = audit_paths([path])
    assert report.letters == []
    assert "encrypt" in report.errors[0].error.lower()


@pytest.mark.parametrize(
    ("given", "reason"),
    [("nowhere/letter.txt", "no such file"), ("pyproject.toml", "unsupported file type")],
)
def test_paths_that_are_not_letters(given, reason):
    [(path, problem)] = list(find_letters([given]))
    assert path == given
    assert reason in problem


def test_folder_is_searched_recursively_in_a_stable_order(tmp_path):
    for name in ["b/2.txt", "a/deep/1.md", "c.html", "ignored.docx"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = [p for p, problem in find_letters([tmp_path]) if problem is None]
    assert found == [str(tmp_path / n) for n in ["a/deep/1.md", "b/2.txt", "c.html"]]


def test_empty_folder_is_reported(tmp_path):
    assert list(find_letters([tmp_path])) == [
        (str(tmp_path), "folder holds no .pdf, .txt, .md or .html files")
    ]


def test_utf16_with_bom_is_read(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes(Path(SEED).read_text("utf-8").encode("utf-16"))
    assert "Rutland County Council" in read_document(path).pages[0]


def test_missing_file_raises_letter_read_error():
    with pytest.raises(LetterReadError, match="no such file"):
        read_document("does/not/exist.txt")


def test_cp1252_and_latin1_text_is_read(tmp_path):
    text = Path(SEED).read_text("utf-8").replace("Council's", "Council\u2019s")
    (tmp_path / "cp1252.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "latin1.txt").write_bytes(text.replace("\u2019", "'").encode("latin-1"))
    assert read_document(tmp_path / "cp1252.txt").pages == [text]
    assert read_document(tmp_path / "latin1.txt").pages == [text.replace("\u2019", "'")]


def test_pdf_text_is_repaired(tmp_path):
    from pdfgen import make_letter_pdf

    path = make_letter_pdf(["Dear Sir", "We found fault and the council agreed."], tmp_path / "l.pdf")
    assert "We found fault and the council agreed." in read_document(path).pages[0]


def test_a_file_that_is_no_letter_is_an_error_not_an_audit(tmp_path):
    shutil.copy(SEED, tmp_path / "letter.txt")
    (tmp_path / "README.txt").write_text("This folder holds the letters.\n\nRun lgso audit on it.\n")
    report = audit_paths([tmp_path])
    assert [a.source for a in report.letters] == [str(tmp_path / "letter.txt")]
    [error] = report.errors
    assert error.source == str(tmp_path / "README.txt")
    assert error.error.startswith("does not look like an annual review letter")
