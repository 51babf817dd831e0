"""Tests for lgso_core.authorities: the council list, name keys and type lookup."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict

import pytest

from lgso_core.authorities import (
    ALIASES,
    AUTHORITY_TYPES,
    DATA_FILE,
    authority_key,
    canonical_name,
    find_authority,
    load_authorities,
    lookup_type,
    type_from_name,
)

# --------------------------------------------------------------------------- lookup_type


@pytest.mark.parametrize(
    ("name", "year", "expected"),
    [
        ("Rutland County Council", None, "unitary"),
        ("Rutland County Council", 2020, "unitary"),
        ("Royal Borough of Kingston upon Thames", 2020, "london"),
        ("Royal Borough of Greenwich", None, "london"),
        ("The Royal Borough of Kensington and Chelsea", None, "london"),
        ("Royal Borough of Windsor and Maidenhead", 2020, "unitary"),
        ("Royal Borough of Windsor & Maidenhead", None, "unitary"),
        ("Rotherham Metropolitan Borough Council", 2020, "metropolitan"),
        ("Leeds City Council", None, "metropolitan"),
        ("City of Bradford Metropolitan District Council", None, "metropolitan"),
        ("Newcastle City Council", None, "metropolitan"),
        ("Newcastle upon Tyne City Council", None, "metropolitan"),
        ("Newcastle-under-Lyme Borough Council", None, "district"),
        ("Ashfield District Council", 2020, "district"),
        ("Bromsgrove District Council", 2020, "district"),
        ("Kent County Council", None, "county"),
        ("Cornwall Council", None, "unitary"),
        ("Durham County Council", None, "unitary"),
        ("Council of the Isles of Scilly", None, "unitary"),
        ("City of London Corporation", None, "london"),
        ("City of London", None, "london"),
        ("London Borough of Hackney", None, "london"),
        ("Westminster City Council", None, "london"),
        ("City of York Council", None, "unitary"),
        ("Bristol City Council", None, "unitary"),
        ("Kingston upon Hull City Council", None, "unitary"),
        ("Hull City Council", None, "unitary"),
        ("County of Herefordshire District Council", None, "unitary"),
        ("St Helens Council", None, "metropolitan"),
        ("St Albans City and District Council", None, "district"),
        ("Borough Council of King\u2019s Lynn & West Norfolk", None, "district"),
        # Reorganisations: years are years ending 31 March.
        ("Aylesbury Vale District Council", 2020, "district"),
        ("Aylesbury Vale District Council", 2021, None),
        ("Buckinghamshire Council", 2021, "unitary"),
        ("Buckinghamshire Council", None, "unitary"),
        ("Buckinghamshire County Council", 2020, "county"),
        ("Buckinghamshire County Council", None, "county"),
        ("Dorset County Council", 2019, "county"),
        ("Dorset Council", 2020, "unitary"),
        ("Dorset Council", None, "unitary"),
        ("Bournemouth, Christchurch and Poole Council", 2020, "unitary"),
        ("Bournemouth, Christchurch and Poole Council", 2019, None),
        ("Poole Borough Council", 2019, "unitary"),
        ("Christchurch Borough Council", 2019, "district"),
        ("West Suffolk Council", 2020, "district"),
        ("Somerset West and Taunton Council", 2023, "district"),
        ("Somerset West and Taunton Council", 2024, None),
        ("Northamptonshire County Council", 2021, "county"),
        ("Northamptonshire County Council", 2022, None),
        ("West Northamptonshire Council", 2022, "unitary"),
        ("North Yorkshire County Council", 2023, "county"),
        ("North Yorkshire Council", 2024, "unitary"),
        ("North Yorkshire County Council", None, "county"),
        ("Somerset Council", 2024, "unitary"),
        ("Cumbria County Council", 2023, "county"),
        ("Westmorland and Furness Council", 2024, "unitary"),
        ("Harrogate Borough Council", 2023, "district"),
        ("Harrogate Borough Council", 2024, None),
        # Not in the list: the name decides.
        ("Nowhere Metropolitan Borough Council", None, "metropolitan"),
        ("London Borough of Nowhere", None, "london"),
        ("Nowhere District Council", None, "district"),
        ("Greater London Authority", None, None),
    ],
)
def test_lookup_type(name: str, year: int | None, expected: str | None) -> None:
    assert lookup_type(name, year) == expected


# --------------------------------------------------------------------------- keys


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Rotherham Metropolitan Borough Council", "rotherham"),
        ("Royal Borough of Kingston upon Thames", "kingston upon thames"),
        ("London Borough of Hackney", "hackney"),
        ("Council of the Isles of Scilly", "isles of scilly"),
        ("City of York Council", "york"),
        ("Durham County Council", "durham"),
        ("Bournemouth, Christchurch and Poole Council", "bournemouth christchurch and poole"),
        ("Kingston upon Hull City Council", "kingston upon hull"),
        ("Hull City Council", "hull"),
        ("Newcastle-under-Lyme Borough Council", "newcastle under lyme"),
        ("Newcastle upon Tyne City Council", "newcastle upon tyne"),
        ("Stoke-on-Trent City Council", "stoke on trent"),
        ("Stoke on Trent City Council", "stoke on trent"),
        ("Brighton & Hove City Council", "brighton and hove"),
        ("Bath & North East Somerset Council", "bath and north east somerset"),
        ("The Royal Borough of Kensington and Chelsea", "kensington and chelsea"),
        ("City of Bradford Metropolitan District Council", "bradford"),
        ("Wakefield Metropolitan District Council", "wakefield"),
        ("City of London Corporation", "city of london"),
        ("The City of London", "city of london"),
        ("City of Westminster", "westminster"),
        ("County of Herefordshire District Council", "herefordshire"),
        ("Herefordshire, County of", "herefordshire"),
        ("Borough Council of King\u2019s Lynn & West Norfolk", "king's lynn and west norfolk"),
        ("St. Helens Borough Council", "st helens"),
        ("St Albans City and District Council", "st albans"),
        ("  Rutland   County Council ", "rutland"),
        ("Isle of Wight Council", "isle of wight"),
        ("Barrow-in-Furness Borough Council", "barrow in furness"),
    ],
)
def test_authority_key(name: str, key: str) -> None:
    assert authority_key(name) == key


def test_newcastles_stay_distinct() -> None:
    assert canonical_name("Newcastle-under-Lyme Borough Council") == "Newcastle-under-Lyme"
    assert canonical_name("Newcastle upon Tyne City Council") == "Newcastle upon Tyne"
    assert canonical_name("Newcastle under Lyme") == "Newcastle-under-Lyme"


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Hull City Council", "Kingston upon Hull"),
        ("Kingston upon Hull City Council", "Kingston upon Hull"),
        ("Royal Borough of Kingston upon Thames", "Kingston upon Thames"),
        ("BCP Council", "Bournemouth, Christchurch and Poole"),
        ("Shepway District Council", "Folkestone and Hythe"),
        ("Kings Lynn and West Norfolk Borough Council", "King's Lynn and West Norfolk"),
        ("Barrow Borough Council", "Barrow-in-Furness"),
        ("County Durham", "Durham"),
        ("Durham County Council", "Durham"),
        ("Nowhere Borough Council", None),
    ],
)
def test_canonical_name(name: str, canonical: str | None) -> None:
    assert canonical_name(name) == canonical


# --------------------------------------------------------------------------- type_from_name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Rotherham Metropolitan Borough Council", "metropolitan"),
        ("City of Bradford Metropolitan District Council", "metropolitan"),
        ("London Borough of Hackney", "london"),
        ("City of London Corporation", "london"),
        ("Kent County Council", "county"),
        ("Rutland County Council", "county"),  # wrong by design: the list wins
        ("Ashfield District Council", "district"),
        ("Hartlepool Borough Council", "district"),
        ("Canterbury City Council", "district"),
        ("Cornwall Council", None),
        ("Royal Borough of Windsor and Maidenhead", None),
    ],
)
def test_type_from_name(name: str, expected: str | None) -> None:
    assert type_from_name(name) == expected


# --------------------------------------------------------------------------- the list


def _in_year(year: int) -> Counter[str]:
    return Counter(a.type for a in load_authorities() if a.exists_in(year))


def test_csv_header_and_types() -> None:
    with DATA_FILE.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        assert next(reader) == ["name", "type", "from_year", "to_year"]
    rows = load_authorities()
    assert rows
    assert {a.type for a in rows} <= set(AUTHORITY_TYPES)
    for a in rows:
        if a.from_year is not None and a.to_year is not None:
            assert a.from_year <= a.to_year, a


def test_london_and_metropolitan_counts() -> None:
    rows = load_authorities()
    london = [a.name for a in rows if a.type == "london"]
    assert len(london) == 33
    assert "City of London" in london
    assert len([a for a in rows if a.type == "metropolitan"]) == 36


def test_no_duplicate_overlapping_rows() -> None:
    by_key = defaultdict(list)
    for a in load_authorities():
        by_key[a.key].append(a)
    for key, rows in by_key.items():
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                lo_a, hi_a = a.from_year or 0, a.to_year or 9999
                lo_b, hi_b = b.from_year or 0, b.to_year or 9999
                assert hi_a < lo_b or hi_b < lo_a, (key, a, b)


@pytest.mark.parametrize(
    ("year", "total", "counts"),
    [
        # Well-known totals of English principal councils, by year ending 31 March.
        (2019, 353, {"county": 27, "district": 201, "unitary": 56}),
        (2020, 343, {"county": 26, "district": 192, "unitary": 56}),
        (2021, 339, {"county": 25, "district": 188, "unitary": 57}),
        (2022, 333, {"county": 24, "district": 181, "unitary": 59}),
        (2024, 317, {"county": 21, "district": 164, "unitary": 63}),
    ],
)
def test_council_counts_by_year(year: int, total: int, counts: dict[str, int]) -> None:
    # "unitary" here includes the Isles of Scilly.
    got = _in_year(year)
    assert got["london"] == 33
    assert got["metropolitan"] == 36
    for kind, n in counts.items():
        assert got[kind] == n, kind
    assert sum(got.values()) == total


def test_every_listed_name_resolves_to_itself() -> None:
    for a in load_authorities():
        assert canonical_name(a.name) == a.name
        assert find_authority(a.name, a.to_year or a.from_year or 2020) is not None


def test_aliases_point_into_the_list() -> None:
    keys = {a.key for a in load_authorities()}
    for alias, target in ALIASES.items():
        assert target in keys, alias
        assert alias not in keys, alias
