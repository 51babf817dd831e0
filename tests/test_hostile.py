"""Hostile input: each bad file ends as one error line within its limit, and the rest of
the batch is audited. Names no file system should hold, paths that name nothing."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from click.testing import CliRunner
from conftest import SEEDS
from hostile import flate_bomb, glyph_flood, image_openers, nested_divs

from lgso.cli import cli
from lgso_core import audit_paths
from lgso_core.isolate import Limits

LIMITS = Limits(seconds=2, memory_mb=400)


@pytest.fixture(scope="module")
def hostile_batch(tmp_path_factory):
    """Sixteen real letters (enough for two workers) among glyph floods (8,000 glyphs, read
    in a second or two; 100,000, far longer), a Flate bomb, 512 KB of '![' and 40,000
    nested <div>s."""
    folder = tmp_path_factory.mktemp("hostile")
    for i in range(16):
        shutil.copy(SEEDS[i % len(SEEDS)], folder / f"letter-{i:02d}.txt")
    (folder / "x-flood.pdf").write_bytes(glyph_flood(8000))
    (folder / "x-huge-flood.pdf").write_bytes(glyph_flood(100_000))
    (folder / "x-bomb.pdf").write_bytes(flate_bomb(4000))
    (folder / "x-openers.md").write_text(image_openers(512), "utf-8")
    (folder / "x-nested.html").write_text(nested_divs(40_000), "utf-8")
    return folder


@pytest.mark.slow
def test_each_hostile_file_is_one_error_line_and_the_letters_are_audited(hostile_batch):
    report = audit_paths([hostile_batch], jobs=2, limits=LIMITS)
    assert [a.source for a in report.letters] == [
        str(hostile_batch / f"letter-{i:02d}.txt") for i in range(16)
    ]
    assert [a.authority for a in report.letters[:3]] == [
        "Rotherham Metropolitan Borough Council",
        "Rutland County Council",
        "Ashfield District Council",
    ]
    errors = {os.path.basename(e.source): e.error for e in report.errors}
    assert sorted(errors) == [
        "x-bomb.pdf",
        "x-flood.pdf",
        "x-huge-flood.pdf",
        "x-nested.html",
        "x-openers.md",
    ]
    assert errors["x-huge-flood.pdf"] == "gave up after 2 s"
    # On a loaded machine the bomb can reach the 2 s limit before 400 MB: either limit ends
    # it as one line (test_cli_reports_a_bomb... checks the memory limit alone, with time).
    assert errors["x-bomb.pdf"] in ("over the 400 MB memory limit", "gave up after 2 s")
    assert all("\n" not in reason for reason in errors.values())


def test_cli_reports_a_bomb_on_stderr_and_audits_the_rest(tmp_path):
    shutil.copy(SEEDS[1], tmp_path / "letter.txt")
    (tmp_path / "bomb.pdf").write_bytes(flate_bomb(2000))
    args = ["audit", str(tmp_path), "--format", "json", "--memory-limit", "400", "--no-cache"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code in (0, 1), result.output
    doc = json.loads(result.stdout)
    assert [x["authority"] for x in doc["letters"]] == ["Rutland County Council"]
    assert doc["errors"] == [{"source": str(tmp_path / "bomb.pdf"), "error": "over the 400 MB memory limit"}]
    assert result.stderr == f"lgso: {tmp_path / 'bomb.pdf'}: over the 400 MB memory limit\n"


# --------------------------------------------------------------------------- names and paths


def test_names_that_are_not_utf8_or_hold_a_newline_are_audited_and_shown_escaped(tmp_path):
    latin1 = os.fsencode(tmp_path) + b"/caf\xe9.txt"
    shutil.copy(SEEDS[1], latin1)
    shutil.copy(SEEDS[2], tmp_path / "two\nlines.txt")
    (tmp_path / "broken\n.pdf").write_bytes(b"%PDF-1.4 no more")
    result = CliRunner().invoke(cli, ["audit", str(tmp_path), "--format", "json", "--no-cache"])
    assert result.exit_code in (0, 1), result.output
    doc = json.loads(result.stdout)
    assert [x["source"] for x in doc["letters"]] == [
        f"{tmp_path}/caf\\xe9.txt",
        f"{tmp_path}/two\\nlines.txt",
    ]
    assert [x["authority"] for x in doc["letters"]] == ["Rutland County Council", "Ashfield District Council"]
    assert doc["errors"] == [
        {"source": f"{tmp_path}/broken\\n.pdf", "error": "not a PDF (corrupt or truncated)"}
    ]
    assert result.stderr.count("\n") == 1


def test_an_unreadable_subfolder_is_one_error_line_and_the_rest_is_audited(tmp_path, monkeypatch):
    shutil.copy(SEEDS[1], tmp_path / "letter.txt")
    (tmp_path / "locked").mkdir()
    shutil.copy(SEEDS[2], tmp_path / "locked" / "hidden.txt")
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path) == str(tmp_path / "locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)  # root reads any folder: refuse it by hand
    report = audit_paths([tmp_path])
    assert [a.source for a in report.letters] == [str(tmp_path / "letter.txt")]
    assert [(e.source, e.error) for e in report.errors] == [
        (str(tmp_path / "locked"), "cannot list folder (Permission denied)")
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can list any folder")
def test_a_folder_without_read_permission_is_reported(tmp_path):
    shutil.copy(SEEDS[1], tmp_path / "letter.txt")
    (tmp_path / "locked").mkdir(mode=0o000)
    try:
        report = audit_paths([tmp_path])
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert [e.error for e in report.errors] == ["cannot list folder (Permission denied)"]


def test_an_empty_path_is_refused_not_read_as_the_current_folder(tmp_path, monkeypatch):
    shutil.copy(SEEDS[1], tmp_path / "letter.txt")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["audit", ""])
    assert result.exit_code == 2
    assert "an empty path names no file or folder" in result.stderr
    report = audit_paths([""])
    assert report.letters == []
    assert [e.error for e in report.errors] == [
        "empty path: name a file or folder ('.' for the current folder)"
    ]


def test_an_endless_or_binary_template_is_a_one_line_error(tmp_path):
    shutil.copy(SEEDS[1], tmp_path / "letter.txt")
    (tmp_path / "binary.json").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    for template, message in [
        ("/dev/zero", "Error: /dev/zero: cannot read template (not a regular file)\n"),
        (str(tmp_path / "binary.json"), f"Error: {tmp_path / 'binary.json'}: not a template file (binary data)\n"),
    ]:  # fmt: skip
        result = CliRunner().invoke(cli, ["audit", str(tmp_path), "--template", template])
        assert result.exit_code == 2
        assert result.stderr == message
