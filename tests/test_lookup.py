"""Fuzzy authority lookup over the store: rough names land, close ones offer choices, fast."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import pytest

_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from lgso_core.answer import AuthorityAnswer, ask  # noqa: E402
from lgso_core.lookup import find_authority  # noqa: E402
from lgso_core.store import Store  # noqa: E402
from tests.synthetic import make_audit, many_audits  # noqa: E402

EXAMPLES = [
    ("Rotherham Metropolitan Borough Council", "metropolitan"),
    ("Rutland County Council", "unitary"),
    ("Ashfield District Council", "district"),
    ("Bromsgrove District Council", "district"),
    ("Royal Borough of Kingston upon Thames", "london"),
]


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A store of 4,000 letters: every council, a dozen years."""
    with Store(tmp_path_factory.mktemp("big") / "audits.sqlite3") as store:
        store.ingest(many_audits(4000))
        store.ingest([make_audit(name, 2020, kind=kind, salt="x") for name, kind in EXAMPLES])
        yield store


@pytest.fixture
def small(tmp_path):
    with Store(tmp_path / "audits.sqlite3") as store:
        store.ingest([make_audit(name, 2020, kind=kind) for name, kind in EXAMPLES])
        yield store


@pytest.mark.parametrize(("typed", "expected"), [
    ("rutlnd", "Rutland County Council"),
    ("rotherham metropolitn", "Rotherham Metropolitan Borough Council"),
    ("kingston", "Royal Borough of Kingston upon Thames"),
    ("ROTHERHAM", "Rotherham Metropolitan Borough Council"),
    ("Rotherham MBC", "Rotherham Metropolitan Borough Council"),
    ("bromsgrov", "Bromsgrove District Council"),
])  # fmt: skip
def test_rough_names_land(small, typed, expected):
    assert find_authority(small, typed).found.name == expected


@pytest.mark.parametrize(("typed", "key"), [
    ("rutlnd", "rutland"),
    ("rotherham metropolitn", "rotherham"),
    ("hull", "kingston upon hull"),
    ("north yorks", "north yorkshire"),
    ("tower hamlets", "tower hamlets"),
    ("st albans", "st albans"),
])  # fmt: skip
def test_rough_names_land_among_every_council(big, typed, key):
    assert find_authority(big, typed).found.key == key


def test_close_candidates_are_offered_as_choices(big):
    match = find_authority(big, "kingston")
    assert match.found is None
    assert sorted(c.key for c in match.choices) == ["kingston upon hull", "kingston upon thames"]


def test_many_close_candidates_are_capped(big):
    match = find_authority(big, "east")
    assert len(match.choices) == 5 and match.more > 0


@pytest.mark.parametrize("typed", ["xyzzy", "council", "", "   "])
def test_nonsense_finds_nothing(big, typed):
    match = find_authority(big, typed)
    assert match.found is None and not match.choices


def test_the_index_follows_the_store(small):
    assert find_authority(small, "leeds").found is None
    small.ingest([make_audit("Leeds City Council", 2020)])
    assert find_authority(small, "leeds").found.name == "Leeds City Council"


def test_a_lookup_from_4000_letters_takes_under_50ms(big):
    ask(big, "rutlnd")  # warm the cache, as a running bot has
    timings = []
    for typed in ["rutlnd", "rotherham metropolitn", "kingston upon thames", "north yorks", "leeds"] * 10:
        start = time.perf_counter()
        answer = ask(big, typed)
        timings.append(time.perf_counter() - start)
        assert isinstance(answer, AuthorityAnswer)
    assert statistics.median(timings) < 0.050
