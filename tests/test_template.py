"""The canonical template: the shipped one, building one, deriving one for another year."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEEDS
from synth import LETTERS_2022, letter_2022

from lgso.cli import cli
from lgso_core import audit_paths, derive_template, load_letter, load_template
from lgso_core.errors import TemplateError
from lgso_core.template import comparable

LATE = (
    "We are concerned that the Council missed our deadlines for responding to enquiries in "
    "more than half of the cases this year, and ask it to review its processes."
)


def test_shipped_2020_template_is_what_template_build_makes_from_the_seeds(tmp_path):
    out = tmp_path / "2020.json"
    result = CliRunner().invoke(
        cli, ["template", "build", *map(str, SEEDS), "--year", "2020", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    built = json.loads(out.read_text())
    shipped = json.loads(Path("lgso_core/templates/2020.json").read_text())
    assert built == shipped


def test_shipped_template_has_slots_for_what_varies():
    texts = [p.text for p in load_template(2020).paragraphs]
    assert "Dear {name}" in texts
    assert "{name} Chief Executive {authority}" in texts
    assert "{figure}% of complaints we investigated were upheld." in texts
    assert not any("late" in t.split() for t in texts)  # Rotherham's own paragraph is not template


def test_comparable_masks_figures_dates_and_plurals():
    assert comparable("1 upheld decision on 1 April 2019") == comparable(
        "14 upheld decisions on 31 March 2020"
    )
    assert comparable("an average of n/a") == comparable("an average of 12%")
    assert comparable("Dear Ms Kemp") != comparable("Dear Mr Andrews")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("1999", "no built-in template for 1999"),
        ("missing.json", "cannot read template"),
        ("pyproject.toml", "not a template"),
    ],
)
def test_bad_template_spec_is_a_clear_error(spec, message):
    with pytest.raises(TemplateError, match=message):
        load_template(spec)


def write_2022(tmp_path, extra_for=None):
    paths = []
    for person, authority, figures in LETTERS_2022:
        extra = LATE if authority == extra_for else None
        path = tmp_path / "2022" / f"{authority.split()[0].lower()}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(letter_2022(person, authority, figures, extra))
        paths.append(path)
    return paths


def test_batch_of_another_years_wording_gets_a_template_derived_and_kept(tmp_path):
    write_2022(tmp_path, extra_for="Kent County Council")
    report = audit_paths([*SEEDS, tmp_path / "2022"])
    assert {t.source for t in report.templates} == {"builtin:2020", "saved:2022"}
    by_source = {a.source: a for a in report.letters}
    for seed in SEEDS:
        assert by_source[str(seed)].template == "builtin:2020"
    later = [a for a in report.letters if a.year == 2022]
    assert len(later) == 4 and all(a.template == "saved:2022" for a in later)
    deviating = {a.authority: [(d.kind, d.text) for d in a.deviations] for a in later if a.deviations}
    assert deviating == {"Kent County Council": [("unique", LATE)]}
    kent = next(a for a in later if a.authority == "Kent County Council")
    assert kent.stats.upheld.per_100k == 0.8 and kent.stats.upheld.per_100k_average == 0.7
    assert kent.stats.compliance.average is None  # printed "n/a"
    assert kent.stats.remedy.upheld_decisions == 40


def test_one_letter_of_a_year_with_no_template_is_not_judged(tmp_path):
    [path, *_] = write_2022(tmp_path)
    [audit] = audit_paths([path]).letters
    assert audit.template is None and audit.deviations == []
    assert audit.findings[0].code == "no-template"


def test_template_override_by_file(tmp_path):
    letters = [load_letter(p) for p in write_2022(tmp_path)]
    from lgso_core.template import save_template

    save_template(derive_template(letters, year=2022), tmp_path / "t.json")
    report = audit_paths([SEEDS[1]], template=str(tmp_path / "t.json"))
    assert report.template.source == str(tmp_path / "t.json")
    assert {d.kind for d in report.letters[0].deviations} >= {"unique", "missing"}


def test_two_other_years_get_a_template_each(tmp_path):
    paths = write_2022(tmp_path)
    for path in paths:  # the same letters, a year later and with a new shared paragraph
        text = path.read_text().replace("2022", "2023").replace("2021", "2022")
        text = text.replace(
            "Yours sincerely,", "We have changed how we count remedies this year.\n\nYours sincerely,"
        )
        (tmp_path / f"{path.stem}-2023.txt").write_text(text)
    report = audit_paths([tmp_path])
    assert sorted((t.source, t.year) for t in report.templates) == [
        ("saved:2022", 2022),
        ("saved:2023", 2023),
    ]
    assert all(a.deviations == [] for a in report.letters)


def test_a_template_file_is_read_with_a_bound(tmp_path):
    with pytest.raises(TemplateError, match=r"^/dev/zero: cannot read template \(not a regular file\)$"):
        load_template("/dev/zero")
    binary = tmp_path / "t.json"
    binary.write_bytes(b'{"name": "x\x00"}')
    with pytest.raises(TemplateError, match=r"t\.json: not a template file \(binary data\)"):
        load_template(str(binary))
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 4_000_001)
    with pytest.raises(
        TemplateError, match=r"big\.json: not a template file \(larger than 4,000,000 bytes\)"
    ):
        load_template(str(big))
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"name": "caf\xe9"}'.encode("latin-1"))
    with pytest.raises(TemplateError, match="not UTF-8 at byte 13"):
        load_template(str(latin))


def test_derived_templates_live_in_their_own_module():
    import lgso_core.template as template

    assert not hasattr(template, "derive_template")
