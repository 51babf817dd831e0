"""Links to the Ombudsman's page of a council: the slug of its name."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lgso_core.links import council_slug, statistics_url


@pytest.mark.parametrize(("name", "slug"), [
    ("Gloucestershire County Council", "gloucestershire-county-council"),
    ("Rotherham Metropolitan Borough Council", "rotherham-metropolitan-borough-council"),
    ("Royal Borough of Kingston upon Thames", "royal-borough-of-kingston-upon-thames"),
    ("Brighton & Hove City Council", "brighton-and-hove-city-council"),
    ("Bath & North East Somerset Council", "bath-and-north-east-somerset-council"),
    ("King's Lynn and West Norfolk Borough Council", "kings-lynn-and-west-norfolk-borough-council"),
    ("King\u2019s Lynn and West Norfolk Borough Council", "kings-lynn-and-west-norfolk-borough-council"),
    ("Newcastle-under-Lyme Borough Council", "newcastle-under-lyme-borough-council"),
    ("St. Helens Council", "st-helens-council"),
    ("London Borough of  Hammersmith &\nFulham", "london-borough-of-hammersmith-and-fulham"),
    ("Council of the Isles of Scilly", "council-of-the-isles-of-scilly"),
])  # fmt: skip
def test_real_council_names(name, slug):
    assert council_slug(name) == slug


def test_the_statistics_url():
    assert statistics_url("Rutland County Council") == (
        "https://www.lgo.org.uk/your-councils-performance/rutland-county-council/statistics"
    )
    assert statistics_url(None) is None and statistics_url("&&& ...") == (
        "https://www.lgo.org.uk/your-councils-performance/and-and-and/statistics"
    )
    assert statistics_url("...") is None


@given(st.text())
def test_a_slug_is_safe_in_a_url_and_in_slack(name):
    slug = council_slug(name)
    assert re.fullmatch(r"([a-z0-9]+(-[a-z0-9]+)*)?", slug)
    assert council_slug(slug) == slug  # a slug slugs to itself


@given(st.from_regex(r"[A-Za-z' &-]{1,40}", fullmatch=True))
def test_case_and_spacing_do_not_matter(name):
    assert council_slug(name.upper()) == council_slug(name.lower()) == council_slug(f"  {name}\n")
