"""The ``lgso`` command line, run in process: exit codes, streams and formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from lgso import cli as cli_module
from lgso.cli import cli

SEEDS = "tests/data/seeds"


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_audit_examples_text_report():
    """The README's first command: the five 2020 seeds and five 2024 letters (whose
    template is learned from them: there is no built-in 2024 template)."""
    result = run("audit", "examples")
    assert result.exit_code == 0, result.output
    assert "Rotherham Metropolitan Borough Council (metropolitan, 2020)" in result.stdout
    assert "Sandwell Metropolitan Borough Council (metropolitan, 2024)" in result.stdout
    assert "Unique: concern, enquiry responses" in result.stdout
    # warnings: Rotherham's unique paragraph and two letters without statistics (2020);
    # Sandwell's two unique paragraphs and its compliance shortfall, one unique paragraph
    # each for Lincolnshire and Southwark (2024)
    assert "10 letters audited: 0 errors, 8 warnings" in result.stdout
    assert "no-template" not in result.stdout


def test_json_is_one_document_on_stdout_and_errors_go_to_stderr(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    result = run("audit", "--format", "json", SEEDS, str(tmp_path))
    document = json.loads(result.stdout)  # exactly one document: nothing else on stdout
    assert [e["source"] for e in document["errors"]] == [str(tmp_path / "empty.txt")]
    assert result.stderr == f"lgso: {tmp_path / 'empty.txt'}: empty file\n"
    assert document["template"] == {"source": "builtin:2020", "paragraphs": 36, "year": 2020}
    assert [letter["authority"] for letter in document["letters"]][:2] == [
        "Rotherham Metropolitan Borough Council",
        "Rutland County Council",
    ]


@pytest.mark.parametrize(("fail_on", "status"), [("error", 0), ("warning", 1), ("info", 1), ("never", 0)])
def test_fail_on_sets_the_exit_status(fail_on, status):
    # The seeds carry warnings (a unique paragraph, missing statistics) and no errors.
    assert run("audit", SEEDS, "--fail-on", fail_on, "--format", "json").exit_code == status


def test_fail_on_error_is_triggered_by_an_error_finding(tmp_path):
    rutland = Path(f"{SEEDS}/001_c0b09b6ab8458cd9.txt").read_text("utf-8")
    (tmp_path / "x.txt").write_text(rutland.replace("100% of complaints", "250% of complaints"))
    result = run("audit", str(tmp_path / "x.txt"), "--format", "json")
    assert result.exit_code == 1
    codes = {f["code"] for f in json.loads(result.stdout)["letters"][0]["findings"]}
    assert "out-of-range" in codes


def test_no_readable_input_exits_2(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"\x00\x00")
    result = run("audit", str(tmp_path / "a.txt"), "missing.pdf")
    assert result.exit_code == 2
    assert "0 letters audited, 2 could not be read" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["audit", SEEDS, "--format", "yaml"], "'yaml' is not one of"),
        (["audit", SEEDS, "--template", "1999"], "Error: no built-in template for 1999"),
        (["audit"], "Missing argument 'PATHS...'"),
        (["audit", SEEDS, "--jobs", "0"], "--jobs"),
    ],
)
def test_usage_errors_exit_2_with_one_clear_line(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_output_file_gets_the_report(tmp_path):
    out = tmp_path / "report.md"
    result = run("audit", SEEDS, "--format", "markdown", "--output", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert out.read_text().startswith("# LGSCO annual review letters: audit")


@pytest.mark.parametrize("fmt", ["html", "csv"])
def test_other_formats_mention_every_letter(fmt):
    result = run("audit", SEEDS, "--format", fmt)
    for name in ["Rotherham", "Rutland", "Ashfield", "Bromsgrove", "Kingston upon Thames"]:
        assert name in result.stdout


def test_a_bug_is_one_line_not_a_traceback(monkeypatch, capsys):
    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(cli_module._audit, "audit_paths", boom)
    monkeypatch.setattr("sys.argv", ["lgso", "audit", SEEDS])
    monkeypatch.delenv("LGSO_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exited:
        cli_module.main()
    assert exited.value.code == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error (RuntimeError: kaboom)" in err


def test_every_command_is_in_the_readme():
    readme = Path("README.md").read_text("utf-8")
    commands = [f"lgso {name}" for name in cli.commands if name != "template"]
    commands += [f"lgso template {name}" for name in cli.commands["template"].commands]
    missing = [c for c in commands if c not in readme]
    assert missing == []


def test_unwritable_output_is_a_usage_error(tmp_path):
    result = run("audit", SEEDS, "--format", "json", "--output", str(tmp_path / "no" / "such" / "x.json"))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: cannot write ") and result.stderr.count("\n") == 1


def test_a_broken_cache_is_a_warning_and_the_audit_goes_on(tmp_path, monkeypatch):
    bad = tmp_path / "cache.db"
    bad.write_text("this is not a database")
    monkeypatch.setenv("LGSO_CACHE", str(bad))
    result = run("audit", SEEDS, "--format", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["letters"]) == 5
    assert "warning: extraction cache not used" in result.stderr


def test_a_pipe_is_reported_not_read(tmp_path):
    import os

    fifo = tmp_path / "letter.txt"
    os.mkfifo(fifo)
    result = run("audit", str(fifo), SEEDS, "--format", "json")
    errors = json.loads(result.stdout)["errors"]
    assert errors == [{"source": str(fifo), "error": "not a regular file (a pipe or device?)"}]


def test_csv_cells_cannot_run_as_formulas(tmp_path, monkeypatch):
    seed = Path(f"{SEEDS}/001_c0b09b6ab8458cd9.txt").resolve()
    monkeypatch.chdir(tmp_path)
    Path("=HYPERLINK(1).txt").write_text(seed.read_text("utf-8"))
    result = run("audit", "=HYPERLINK(1).txt", "--format", "csv")
    row = result.stdout.splitlines()[1]
    assert row.startswith("'=HYPERLINK(1).txt,Rutland County Council,")


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("report.html", "<!doctype html>"),
        ("REPORT.HTM", "<!doctype html>"),
        ("report.md", "# LGSCO annual review letters: audit"),
        ("report.json", "{"),
        ("report.csv", "source,authority,authority_type,year,status,"),
        ("report.txt", "Rotherham Metropolitan Borough Council (metropolitan, 2020)"),
        ("report", "Rotherham Metropolitan Borough Council (metropolitan, 2020)"),
    ],
)
def test_the_output_extension_chooses_the_format(tmp_path, name, start):
    out = tmp_path / name
    result = run("audit", SEEDS, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8").startswith(start)


def test_format_given_wins_over_the_extension(tmp_path):
    out = tmp_path / "report.html"
    assert run("audit", SEEDS, "--format", "csv-paragraphs", "-o", str(out)).exit_code == 0
    assert out.read_text("utf-8").startswith("source,authority,authority_type,year,deviation,kind,")


def test_an_unknown_extension_without_format_is_a_usage_error(tmp_path):
    result = run("audit", SEEDS, "-o", str(tmp_path / "report.pdf"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: cannot tell the report format from '{tmp_path / 'report.pdf'}' (known extensions: .txt, "
        ".json, .md, .markdown, .html, .htm, .csv); give --format\n"
    )
    assert not (tmp_path / "report.pdf").exists()
