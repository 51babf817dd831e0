"""Who a letter is addressed to and which year it reports on."""

from __future__ import annotations

import pytest

from lgso_core.identify import find_authority, find_year
from lgso_core.models import Paragraph


def paras(*texts: str) -> list[Paragraph]:
    return [Paragraph(text=t) for t in texts]


@pytest.mark.parametrize(
    ("address", "authority"),
    [
        (
            "Ms Kemp Chief Executive Rotherham Metropolitan Borough Council",
            "Rotherham Metropolitan Borough Council",
        ),
        ("Ms Cooper-Smith Interim Chief Executive Ashfield District Council", "Ashfield District Council"),
        (
            "Mr Thomas Chief Executive Royal Borough of Kingston upon Thames",
            "Royal Borough of Kingston upon Thames",
        ),
        ("Ms X Chief Executive Council of the Isles of Scilly", "Council of the Isles of Scilly"),
        (
            "Mr Y Managing Director Bath and North East Somerset Council",
            "Bath and North East Somerset Council",
        ),
        (
            "Dr Z Chief Executive Bournemouth, Christchurch and Poole Council",
            "Bournemouth, Christchurch and Poole Council",
        ),
        ("Mr A Chief Executive City of York Council", "City of York Council"),
        ("Ms B Chief Executive London Borough of Hackney", "London Borough of Hackney"),
        ("Ms C Head of Paid Service St Helens Council", "St Helens Council"),
        ("Mr D Town Clerk City of London Corporation", "City of London Corporation"),
        ("Ms E Chief Executive Newcastle-under-Lyme Borough Council", "Newcastle-under-Lyme Borough Council"),
        ("Ms F Chief Executive Brighton & Hove City Council", "Brighton & Hove City Council"),
    ],
)
def test_authority_from_the_address_block(address, authority):
    letter = paras("22 July 2020", "By email", address, "Dear Someone", "Annual Review letter 2020")
    assert find_authority(letter) == authority


def test_no_address_block_gives_none():
    assert find_authority(paras("Dear Sir", "Our Council is mentioned after the salutation.")) is None


@pytest.mark.parametrize(
    ("texts", "year"),
    [
        (["Annual Review letter 2022", "about your authority for the year ending 31 March 2021"], 2021),
        (["Annual Review letter 2023"], 2023),
        (["14 July 2021", "Dear Sir"], 2021),
        (["14 February 2021", "Dear Sir"], 2020),
        (["Dear Sir"], None),
    ],
)
def test_year_reported_on(texts, year):
    assert find_year(paras(*texts)) == year


def test_abbreviated_council_names_are_found():
    letter = paras("By email", "Ms Kemp Chief Executive Rotherham MBC", "Dear Ms Kemp")
    assert find_authority(letter) == "Rotherham MBC"


@pytest.mark.parametrize(
    ("texts", "date"),
    [
        (("Local Government & Social Care OMBUDSMAN", "22 July 2020", "By email"), "2020-07-22"),
        (("21st July 2021", "Dear Ms Kemp"), "2021-07-21"),
        (("Letterhead", "31 February 2020", "Dear Sir"), None),  # not a real day
        (("Our ref: 22 July 2020 review",), None),  # a date inside a sentence is not the letter's
        (("Dear Ms Kemp", "x", "x", "x", "x", "x", "x", "x", "1 August 2020"), None),  # too far down
    ],
)
def test_the_date_the_letter_bears(texts, date):
    from lgso_core.identify import find_date

    found = find_date(paras(*texts))
    assert (found.isoformat() if found else None) == date
