"""Which template a letter is judged against: its year's (built-in, saved, learned), or none.

The 2022-style letters come from ``tests/synth.py`` (invented prose in a later year's shape);
their figures are written there by hand, so the expected statistics below are too.
"""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA, SEEDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from synth import LETTERS_2022, letter_2022

from lgso.cli import cli
from lgso_core import audit_paths, derive_template, load_letter
from lgso_core.choice import MIN_DERIVE, choose_templates, template_from_spec
from lgso_core.errors import TemplateError
from lgso_core.render import render
from lgso_core.templatestore import TemplateStore, default_templates_dir

LATE = (
    "We are concerned that the Council missed our deadlines for responding to enquiries in "
    "more than half of the cases this year, and ask it to review its processes."
)
NO_2022 = (
    "No 2022 template yet: its paragraphs are not judged. Audit it with other 2022 letters, "
    "or `lgso template build`."
)


@pytest.fixture
def kept(tmp_path):
    return TemplateStore(tmp_path / "templates")


def write_2022(folder, extra_for=None, letters=LETTERS_2022):
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for person, authority, figures in letters:
        path = folder / f"{authority.split()[-1 if authority.startswith('London') else 0].lower()}.txt"
        path.write_text(letter_2022(person, authority, figures, LATE if authority == extra_for else None))
        paths.append(path)
    return paths


def judged(audit) -> dict:
    """What a letter's own audit says, without what depends on the other letters of a batch."""
    batch_codes = {"average-conflict", "type-inferred", "year-change"}
    return {
        "template": audit.template,
        "deviations": [d.model_dump() for d in audit.deviations],
        "findings": [f.model_dump() for f in audit.findings if f.code not in batch_codes],
        "stats": audit.stats.model_dump() if audit.stats else None,
        "year": audit.year,
        "authority": audit.authority,
    }


# --------------------------------------------------------------------------- a lone letter


def test_a_lone_letter_of_a_year_without_a_template_is_not_judged(tmp_path, kept):
    [leeds, *_] = write_2022(tmp_path / "2022", extra_for="Leeds City Council")
    report = audit_paths([leeds], kept=kept)
    [audit] = report.letters
    assert audit.template is None
    assert audit.deviations == []  # not even the inserted paragraph: nothing is certain
    assert audit.findings[0].code == "no-template"
    assert audit.findings[0].severity == "warning"
    assert audit.findings[0].message == NO_2022
    assert not any(
        f.code in ("unique-paragraph", "changed-paragraph", "missing-paragraph") for f in audit.findings
    )
    # its figures are still read: Leeds upheld 20 of 30 (67%), complied 9 of 9, remedied 2 of 20
    upheld, compliance, remedy = audit.stats.upheld, audit.stats.compliance, audit.stats.remedy
    assert (upheld.rate, upheld.average, upheld.decisions, upheld.investigations) == (67, 68, 20, 30)
    assert (compliance.rate, compliance.average, compliance.outcomes) == (100, None, 9)
    assert (remedy.rate, remedy.average, remedy.decisions, remedy.upheld_decisions) == (10, 12, 2, 20)
    assert report.template.source == "none" and report.template.year == 2022 and report.templates == []
    assert kept.years() == []  # one letter teaches nothing


def test_a_lone_letter_is_never_read_against_another_years_template(tmp_path, kept):
    """Even when the other year's template is the only one there is (the old fallback)."""
    paths = write_2022(tmp_path / "2022")
    for path in paths[: MIN_DERIVE - 1]:
        [audit] = audit_paths([path], kept=kept).letters
        assert audit.template is None and audit.deviations == []


def test_the_no_template_warning_comes_first_even_before_errors(tmp_path, kept):
    person, authority, figures = LETTERS_2022[0]
    text = letter_2022(person, authority, figures).replace("67% of complaints", "99% of complaints")
    path = tmp_path / "leeds.txt"
    path.write_text(text)
    [audit] = audit_paths([path], kept=kept).letters
    codes = [f.code for f in audit.findings]
    assert codes[0] == "no-template" and "rate-mismatch" in codes  # 99% is not 20 of 30


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_reports_put_the_no_template_warning_before_the_figures(tmp_path, kept, fmt):
    [leeds, *_] = write_2022(tmp_path / "2022")
    report = audit_paths([leeds], kept=kept)
    out = render(report, fmt)
    assert out.index(NO_2022.replace("`", "\\`") if fmt == "markdown" else NO_2022[:40]) < out.index("upheld")


def test_the_html_report_and_the_slack_answer_open_with_the_no_template_warning(tmp_path, kept):
    from bot.blocks import answer_message
    from lgso_core.answer import audit_answer, render_text

    [leeds, *_] = write_2022(tmp_path / "2022")
    report = audit_paths([leeds], kept=kept)
    html = render(report, "html")
    section = html[html.index('<section class="letter"') :]
    assert "Leeds City Council: paragraphs not judged, no template of its year (2022)" in section
    assert section.index("no-template") < section.index('<table class="figures">')
    answer = audit_answer(report.letters[0])
    blocks = answer_message(answer)["blocks"]
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert texts[1] == f":warning: `no-template`: {NO_2022}"
    assert sum("no-template" in t for t in texts) == 1
    shown = render_text(answer).splitlines()
    assert shown[2] == f"  warning no-template: {NO_2022}"


def test_json_lists_the_no_template_warning_first(tmp_path):
    [leeds, *_] = write_2022(tmp_path / "2022")
    result = CliRunner().invoke(cli, ["audit", str(leeds), "--format", "json"])
    assert result.exit_code == 0, result.output
    [letter] = json.loads(result.stdout)["letters"]
    assert letter["findings"][0] == {
        "code": "no-template",
        "severity": "warning",
        "message": NO_2022,
        "field": None,
    }
    assert letter["deviations"] == []


# --------------------------------------------------------------------------- learned and kept


def test_a_batch_of_three_teaches_its_years_template_and_a_lone_letter_then_agrees(tmp_path, kept):
    paths = write_2022(tmp_path / "2022", extra_for="Kent County Council")
    batch = audit_paths(paths, kept=kept)
    assert kept.years() == [2022] and kept.file(2022, learned=True).exists()
    assert not kept.file(2022).exists()  # learned, not saved by the user
    by_source = {a.source: a for a in batch.letters}
    for path in paths:
        [alone] = audit_paths([path], kept=kept).letters
        assert judged(alone) == judged(by_source[str(path)])
        assert alone.template == "saved:2022"
    kent = by_source[str(paths[1])]
    assert [(d.kind, d.text) for d in kent.deviations] == [("unique", LATE)]


def test_fewer_than_three_letters_teach_nothing(tmp_path, kept):
    paths = write_2022(tmp_path / "2022")[: MIN_DERIVE - 1]
    report = audit_paths(paths, kept=kept)
    assert all(a.findings[0].code == "no-template" for a in report.letters)
    assert kept.years() == []


def test_the_same_letters_in_any_order_learn_the_same_template(tmp_path):
    paths = write_2022(tmp_path / "2022")
    learned = []
    for seed in range(3):
        order = paths[:]
        random.Random(seed).shuffle(order)
        kept = TemplateStore(tmp_path / f"templates-{seed}")
        audit_paths(order, kept=kept)
        learned.append(kept.file(2022, learned=True).read_text())
    assert learned[0] == learned[1] == learned[2]


CORPUS_2023 = sorted(p for p in (DATA / "letters" / "2023").iterdir() if p.suffix in (".txt", ".md"))
LETTERS_2023 = [load_letter(p) for p in CORPUS_2023]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order=st.permutations(range(len(LETTERS_2023))), copies=st.integers(min_value=0, max_value=2))
def test_any_order_of_a_years_letters_with_repeats_learns_one_template(order, copies):
    """Metamorphic: shuffling the batch, or sending a letter more than once (from other
    folders), does not change the template learned."""
    letters = [LETTERS_2023[i] for i in order]
    letters += [letters[0].model_copy(update={"source": f"copy/{n}.txt"}) for n in range(copies)]
    with tempfile.TemporaryDirectory() as folder:
        kept = TemplateStore(Path(folder))
        choices = choose_templates(letters, years=[2023] * len(letters), kept=kept, learn=True)
        learned = kept.file(2023, learned=True).read_text()
    assert learned == REFERENCE_2023
    assert {c.template.template.source for c in choices} == {"saved:2023"}


def _reference_2023() -> str:
    with tempfile.TemporaryDirectory() as folder:
        kept = TemplateStore(Path(folder))
        choose_templates(LETTERS_2023, years=[2023] * 5, kept=kept, learn=True)
        return kept.file(2023, learned=True).read_text()


REFERENCE_2023 = _reference_2023()


def test_a_learned_template_gives_way_only_to_one_from_more_letters(tmp_path, kept):
    paths = write_2022(tmp_path / "2022")
    audit_paths(paths[:3], kept=kept)
    assert kept.read(2022, learned=True).letters == 3
    audit_paths(paths[1:4], kept=kept)  # three other letters: not more, so not relearned
    assert kept.read(2022, learned=True).letters == 3
    audit_paths(paths, kept=kept)
    assert kept.read(2022, learned=True).letters == 4


def test_the_users_saved_template_wins_over_a_learned_one(tmp_path, kept):
    paths = write_2022(tmp_path / "2022")
    audit_paths(paths, kept=kept)
    mine = derive_template([load_letter(p) for p in paths[:2]], name="mine", year=2022)
    kept.save(mine)
    [audit] = audit_paths([paths[0]], kept=kept).letters
    assert audit.template == "saved:2022"
    choice = choose_templates([load_letter(paths[0])], years=[2022], kept=kept)[0]
    assert choice.template.template.name == "mine"


def test_the_built_in_template_wins_over_a_saved_one_of_its_year(kept):
    some = derive_template([load_letter(p) for p in SEEDS[:2]], name="odd", year=2020)
    kept.save(some)
    report = audit_paths(SEEDS, kept=kept)
    assert {a.template for a in report.letters} == {"builtin:2020"}
    assert kept.years() == [2020]  # kept, but not used


def test_a_letter_whose_year_cannot_be_read_is_judged_only_by_a_template_it_fills(tmp_path, kept):
    seed = SEEDS[1].read_text()
    undated = "\n\n".join(
        p for p in seed.split("\n\n") if "2020" not in p and "2019" not in p and "March" not in p
    )
    (tmp_path / "undated.txt").write_text(undated)
    [audit] = audit_paths([tmp_path / "undated.txt"], kept=kept).letters
    assert audit.year is None and audit.template == "builtin:2020"
    [leeds, *_] = write_2022(tmp_path / "2022")
    undated_2022 = "\n\n".join(p for p in leeds.read_text().split("\n\n") if "202" not in p)
    (tmp_path / "undated-2022.txt").write_text(undated_2022)
    [other] = audit_paths([tmp_path / "undated-2022.txt"], kept=kept).letters
    assert other.year is None and other.template is None
    assert other.findings[0].code == "no-template"
    assert "its year could not be read" in other.findings[0].message


def test_a_template_that_cannot_be_kept_is_still_used_and_said(tmp_path):
    (tmp_path / "templates").write_text("a file where the folder should be")
    kept = TemplateStore(tmp_path / "templates" / "sub")
    report = audit_paths(write_2022(tmp_path / "2022"), kept=kept)
    assert {a.template for a in report.letters} == {"derived"}
    [error] = report.errors
    assert error.error.startswith("the 2022 template derived from 4 letters could not be kept: ")
    assert "cannot keep templates here" in error.error


def test_the_template_folder_is_beside_the_store_unless_told(monkeypatch, tmp_path):
    monkeypatch.setenv("LGSO_DB", str(tmp_path / "db" / "audits.sqlite3"))
    monkeypatch.delenv("LGSO_TEMPLATES", raising=False)
    assert default_templates_dir() == tmp_path / "db" / "templates"
    monkeypatch.setenv("LGSO_TEMPLATES", str(tmp_path / "mine"))
    assert default_templates_dir() == tmp_path / "mine"


def test_template_by_year_finds_saved_ones_and_says_what_exists(tmp_path, kept):
    with pytest.raises(
        TemplateError, match=r"no built-in template for 2022, and none saved \(templates: 2020\)"
    ):
        template_from_spec("2022", kept)
    audit_paths(write_2022(tmp_path / "2022"), kept=kept)
    assert template_from_spec("2022", kept).source == "saved:2022"
    assert template_from_spec("2020", kept).source == "builtin:2020"


def test_override_judges_every_letter_with_no_warning(tmp_path, kept):
    paths = write_2022(tmp_path / "2022")
    report = audit_paths(paths[:1], template="2020", kept=kept)
    [audit] = report.letters
    assert audit.template == "builtin:2020" and "no-template" not in {f.code for f in audit.findings}
    assert kept.years() == []


# --------------------------------------------------------------------------- the command


def run(*args):
    return CliRunner().invoke(cli, list(map(str, args)))


def test_template_build_save_then_list_and_show(tmp_path):
    paths = write_2022(tmp_path / "2022")
    folder = default_templates_dir()
    result = run("template", "build", *paths[:3], "--save")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"saved the 2022 template: {folder / '2022.json'}: 31 paragraphs from 3 letters; the store's "
        "2022 letters are re-audited by the next `lgso ingest` or bot poll\n"
    )
    listing = run("template", "list")
    assert listing.exit_code == 0
    assert listing.stdout.splitlines() == [
        "2020  builtin  36 paragraphs from 5 letters  (shipped) builtin:2020",
        f"2022  saved    31 paragraphs from 3 letters  {folder / '2022.json'}",
    ]
    shown = run("template", "show", "2022")
    lines = shown.stdout.splitlines()
    assert lines[0] == "2022 template (saved:2022, 31 paragraphs, derived from 3 letters)"
    assert lines[1] == "  1 [header] Local Government & Social Care OMBUDSMAN"
    assert "  5 [letter] Dear {name}" in lines
    [audit] = json.loads(run("audit", paths[3], "--format", "json").stdout)["letters"]
    assert audit["template"] == "saved:2022" and audit["deviations"] == []


def test_template_build_needs_somewhere_to_put_it(tmp_path):
    paths = write_2022(tmp_path / "2022")
    result = run("template", "build", *paths)
    assert result.exit_code == 2 and "give --output FILE, --save, or both" in result.stderr


def test_template_build_save_of_mixed_years_asks_for_the_year(tmp_path):
    result = run("template", "build", SEEDS[0], *write_2022(tmp_path / "2022")[:2], "--save")
    assert result.exit_code == 2
    assert (
        result.stderr.splitlines()[-1]
        == "Error: a template is kept per year: give its letters' year (--year)"
    )


def test_template_show_of_a_year_with_none_is_one_line(tmp_path):
    result = run("template", "show", "2024")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: no built-in template for 2024, and none saved (templates: 2020); build one with "
        "`lgso template build LETTERS... --year 2024 --save`\n"
    )


@pytest.mark.parametrize("command", ["audit", "ingest"])
def test_an_endless_template_file_is_a_one_line_error(command):
    result = run(command, SEEDS[0], "--template", "/dev/zero")
    assert result.exit_code == 2
    assert result.stderr == "Error: /dev/zero: cannot read template (not a regular file)\n"


def test_the_bot_refuses_an_endless_template_file_before_starting():
    result = run("bot", "--template", "/dev/zero")
    assert result.exit_code == 2
    assert result.stderr == "Error: /dev/zero: cannot read template (not a regular file)\n"


# --------------------------------------------------------------------------- every year's wording


def _year_letters(year: int) -> list[Path]:
    return sorted(p for p in (DATA / "letters" / str(year)).iterdir() if p.suffix in (".txt", ".md"))


def _own_paragraphs(path: Path) -> list[str]:
    """The starts of the paragraphs written for this council, as written down by hand."""
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))
    return [u["starts"] for u in expected.get("unique", [])]


@pytest.mark.parametrize("year", range(2019, 2026))
def test_each_years_letters_judged_together_show_exactly_their_own_paragraphs(year, kept):
    """The team's corpus: five letters a year in that year's wording. The 2020 ones are read
    against the built-in template; every other year's against the one learned from them."""
    report = audit_paths(_year_letters(year), kept=kept)
    expected_source = "builtin:2020" if year == 2020 else f"saved:{year}"
    assert [t.source for t in report.templates] == [expected_source]
    for audit in report.letters:
        own = _own_paragraphs(Path(audit.source))
        unique = [d.text for d in audit.deviations if d.kind == "unique"]
        assert len(unique) == len(own), audit.source
        assert all(text.startswith(start) for text, start in zip(unique, own, strict=True)), audit.source
        assert [d for d in audit.deviations if d.kind != "unique"] == [], audit.source
        assert not [f for f in audit.findings if f.severity == "error"], audit.source
