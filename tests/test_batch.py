"""Tests for lgso_core.batch: averages across letters, types from averages, ranks, years.

The batch is the five seed letters, with a statistics part in the 2020 wording written
for the two seeds that lost theirs (002 Ashfield, a district; 004 Kingston, a London
borough), consistent with its own counts and, for Ashfield, with Bromsgrove's averages.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lgso_core import audit_paths
from lgso_core.batch import rank_rates
from lgso_core.models import LetterAudit, Stats
from lgso_core.render import render

SEEDS = sorted((Path(__file__).parent / "data" / "seeds").glob("*.txt"))

ROTHERHAM, RUTLAND, ASHFIELD, BROMSGROVE, KINGSTON = SEEDS
PERIOD_2020 = "for the period between 1 April 2019 to 31 March 2020"


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _pct(k: int, n: int) -> int:
    return (200 * k + n) // (2 * n)  # 100k/n rounded half up


def stats_2020(
    upheld, investigations, upheld_avg, met, outcomes, compliance_avg, remedied, remedy_avg
) -> str:
    """A statistics part in the 2020 wording, its rates computed from its counts."""
    return "\n\n".join([
        "Complaints upheld",
        f"{_pct(upheld, investigations)}% of complaints we investigated were upheld.",
        f"This compares to an average of **{upheld_avg}%** in similar authorities.",
        f"{upheld}\nupheld decision{_s(upheld)}",
        f"Statistics are based on a total of {investigations} detailed investigation{_s(investigations)} "
        f"{PERIOD_2020}",
        "Compliance with Ombudsman recommendations",
        f"In **{_pct(met, outcomes)}%** of cases we were satisfied the authority had successfully "
        "implemented our recommendations.",
        f"This compares to an average of **{compliance_avg}%** in similar authorities.",
        f"Statistics are based on a total of {outcomes} compliance outcome{_s(outcomes)} {PERIOD_2020}",
        "Satisfactory remedies provided by the authority",
        f"In **{_pct(remedied, upheld)}%** of upheld cases we found the authority had provided a "
        "satisfactory remedy before the complaint reached the Ombudsman.",
        f"This compares to an average of **{remedy_avg}%** in similar authorities.",
        f"{remedied}\nsatisfactory remedy decision{_s(remedied)}",
        f"Statistics are based on a total of {investigations} detailed investigation{_s(investigations)} "
        f"{PERIOD_2020}",
    ])  # fmt: skip


def renamed(seed: Path, old: str, new: str) -> str:
    text = seed.read_text("utf-8")
    assert old in text
    return text.replace(old, new)


def write_batch(folder: Path, ashfield_upheld_avg: int = 45, extra: dict[str, str] | None = None) -> Path:
    """The five seeds, 002 and 004 with statistics parts, and any extra letters, in ``folder``."""
    folder.mkdir(exist_ok=True)
    for seed in (ROTHERHAM, RUTLAND, BROMSGROVE):
        (folder / seed.name).write_text(seed.read_text("utf-8"), encoding="utf-8")
    ashfield = stats_2020(3, 8, ashfield_upheld_avg, 2, 2, 99, 1, 20)  # Bromsgrove: 45, 99, 20
    kingston = stats_2020(9, 14, 60, 5, 5, 100, 1, 9)
    for seed, part in ((ASHFIELD, ashfield), (KINGSTON, kingston)):
        (folder / seed.name).write_text(seed.read_text("utf-8").rstrip() + "\n\n" + part, encoding="utf-8")
    for name, text in (extra or {}).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def by_authority(report) -> dict[str, LetterAudit]:
    assert report.errors == []
    return {a.authority: a for a in report.letters}


def codes(audit: LetterAudit, code: str) -> list:
    return [f for f in audit.findings if f.code == code]


MANSFIELD = {
    "mansfield.txt": renamed(BROMSGROVE, "Bromsgrove District Council", "Mansfield District Council")
}


# --------------------------------------------------------------------------- consistent batch


def test_consistent_batch_has_no_errors_and_fills_in_the_lost_statistics(tmp_path):
    letters = by_authority(audit_paths([write_batch(tmp_path / "b")]))
    assert len(letters) == 5
    for audit in letters.values():
        assert [f for f in audit.findings if f.severity == "error"] == [], audit.authority
        assert not codes(audit, "stats-missing")
    ashfield = letters["Ashfield District Council"]
    assert (ashfield.stats.upheld.rate, ashfield.stats.upheld.decisions, ashfield.stats.remedy.rate) == (
        38,
        3,
        33,
    )
    assert letters["Royal Borough of Kingston upon Thames"].authority_type == "london"


def test_ranks_within_type_and_year(tmp_path):
    letters = by_authority(audit_paths([write_batch(tmp_path / "b", extra=MANSFIELD)]))
    ranks = {name: a.ranks["upheld.rate"] for name, a in letters.items() if a.ranks}
    assert set(ranks) == {
        "Ashfield District Council",
        "Bromsgrove District Council",
        "Mansfield District Council",
    }
    assert [(r.value, r.rank, r.of, r.group) for r in ranks.values()] == [
        (38, 3, 3, "district 2020"),
        (40, 1, 3, "district 2020"),
        (40, 1, 3, "district 2020"),
    ]
    assert ranks["Ashfield District Council"].median == 40
    assert ranks["Ashfield District Council"].z < 0 == ranks["Bromsgrove District Council"].z
    assert letters["Rutland County Council"].ranks is None  # alone in its type


def test_text_report_shows_the_rank_under_the_figure(tmp_path):
    text = render(audit_paths([write_batch(tmp_path / "b", extra=MANSFIELD)]), "text", width=200)
    # 38, 40, 40: the MAD is 0, so the mean absolute deviation (2/3) scales z
    assert "rank 3 of 3 district 2020, median 40, robust z -2.39" in text


def test_rank_marks_an_extreme_within_the_group():
    def audit(name: str, rate: int) -> LetterAudit:
        stats = Stats.model_validate({"upheld": {"rate": rate}})
        return LetterAudit(source=name, authority=name, authority_type="district", year=2020,
                           stats=stats, deviations=[], findings=[])  # fmt: skip

    audits = [audit(f"D{i}", rate) for i, rate in enumerate([40, 45, 50, 55, 60, 98])]
    ranks = rank_rates(audits, [a.authority_type for a in audits])
    assert ranks[5]["upheld.rate"].rank == 1 and ranks[5]["upheld.rate"].z > 3.5
    assert all(abs(ranks[i]["upheld.rate"].z) < 2 for i in range(5))


# --------------------------------------------------------------------------- average-conflict


def test_two_district_letters_citing_different_averages_both_conflict(tmp_path):
    letters = by_authority(audit_paths([write_batch(tmp_path / "b", ashfield_upheld_avg=50)]))
    for name in ("Ashfield District Council", "Bromsgrove District Council"):
        [finding] = codes(letters[name], "average-conflict")
        assert (finding.severity, finding.field) == ("error", "upheld.average")
        assert "the 2 district authorities of 2020 cite different upheld averages" in finding.message
        assert "none most often: 45% (Bromsgrove District Council); 50% (Ashfield District Council)" in (
            finding.message
        )
    assert all(not codes(letters[n], "average-conflict") for n in letters if "District" not in n)


def test_the_letter_against_the_majority_conflicts(tmp_path):
    letters = by_authority(
        audit_paths([write_batch(tmp_path / "b", ashfield_upheld_avg=50, extra=MANSFIELD)])
    )
    [finding] = codes(letters["Ashfield District Council"], "average-conflict")
    assert finding.message == (
        "upheld average 50% differs from the 45% cited to 2 other district authorities of 2020 "
        "(Bromsgrove District Council, Mansfield District Council)"
    )
    assert not codes(letters["Bromsgrove District Council"], "average-conflict")
    assert not codes(letters["Mansfield District Council"], "average-conflict")


def test_conflict_fails_the_run(tmp_path):
    from click.testing import CliRunner

    from lgso.cli import cli

    folder = write_batch(tmp_path / "b", ashfield_upheld_avg=50)
    assert CliRunner().invoke(cli, ["audit", str(folder), "--format", "json"]).exit_code == 1
    assert (
        CliRunner().invoke(cli, ["audit", str(write_batch(tmp_path / "ok")), "--format", "json"]).exit_code
        == 0
    )


# --------------------------------------------------------------------------- types from averages

WILTSHIRE = renamed(RUTLAND, "Rutland County Council", "Wiltshire Council")
NOWHERE = renamed(RUTLAND, "Rutland County Council", "Nowhere County Council")


def test_a_letter_citing_the_unitary_averages_is_unitary(tmp_path):
    folder = write_batch(tmp_path / "b", extra={"wiltshire.txt": WILTSHIRE, "nowhere.txt": NOWHERE})
    letters = by_authority(audit_paths([folder]))
    nowhere = letters["Nowhere County Council"]
    assert nowhere.authority_type == "unitary"
    [note] = codes(nowhere, "type-inferred")
    assert note.severity == "info"
    assert note.message.startswith(
        "Treated as unitary: it cites the averages of the 2 unitary letters of 2020"
    )
    assert note.message.endswith("not county as its name suggests.")
    assert letters["Wiltshire Council"].authority_type == "unitary"
    assert not codes(letters["Wiltshire Council"], "type-inferred")


def test_a_name_that_gives_no_type_takes_the_type_of_the_averages_it_cites(tmp_path):
    nameless = renamed(RUTLAND, "Rutland County Council", "Nowhere Council")
    letters = by_authority(audit_paths([write_batch(tmp_path / "b", extra={"nowhere.txt": nameless})]))
    nowhere = letters["Nowhere Council"]
    assert nowhere.authority_type == "unitary"
    [note] = codes(nowhere, "type-inferred")
    assert note.message == (
        "Treated as unitary: it cites the averages of the 1 unitary letter of 2020 "
        "(upheld 56%, compliance 99%, remedy 11%); its name gives no type."
    )


def test_two_lone_letters_do_not_trade_types(tmp_path):
    folder = write_batch(tmp_path / "b", extra={"nowhere.txt": NOWHERE})
    letters = by_authority(audit_paths([folder]))
    assert letters["Nowhere County Council"].authority_type == "county"
    assert letters["Rutland County Council"].authority_type == "unitary"
    assert all(not codes(a, "type-inferred") for a in letters.values())


# --------------------------------------------------------------------------- year over year


def rotherham_2019() -> str:
    text = ROTHERHAM.read_text("utf-8").replace("2019", "2018").replace("2020", "2019")
    for old, new in [("57% of", "50% of"), ("4\nupheld decisions", "3\nupheld decisions"),
                     ("7 detailed investigations", "6 detailed investigations"),
                     ("In **100%** of cases", "In **67%** of cases")]:  # fmt: skip
        assert old in text
        text = text.replace(old, new)
    return text


def test_change_since_the_previous_year(tmp_path):
    folder = write_batch(tmp_path / "b", extra={"rotherham-2019.txt": rotherham_2019()})
    report = audit_paths([folder])
    [now] = [a for a in report.letters if a.authority.startswith("Rotherham") and a.year == 2020]
    [before] = [a for a in report.letters if a.authority.startswith("Rotherham") and a.year == 2019]
    [change] = codes(now, "year-change")
    assert change.severity == "info"
    assert change.message == (
        "Since the 2019 letter: upheld 57% (was 50%, +7 points); compliance 100% (was 67%, +33 points); "
        "remedy 0% (was 0%, no change)."
    )
    assert not codes(before, "year-change")
    assert codes(before, "compliance-shortfall")


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_reports_are_deterministic(tmp_path, fmt):
    folder = write_batch(tmp_path / "b", ashfield_upheld_avg=50, extra=MANSFIELD)
    assert render(audit_paths([folder]), fmt) == render(audit_paths([folder]), fmt)
