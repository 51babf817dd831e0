"""English principal councils and the Ombudsman's "similar authorities" types.

The Ombudsman compares each council with the average for its type: ``county``,
``district``, ``metropolitan``, ``unitary`` or ``london``. The list of councils is
``data/authorities.csv`` (``name,type,from_year,to_year``); the years are the years ending
31 March in which the council existed in that form (blank when open), so a council abolished
on 1 April 2020 has ``to_year`` 2020 and its successor ``from_year`` 2021.

Names are matched on a normalised *key* (see :func:`authority_key`): "Rotherham Metropolitan
Borough Council", "Royal Borough of Kingston upon Thames" and "City of York Council" become
"rotherham", "kingston upon thames" and "york". A few informal or former names ("Hull",
"Shepway", "County Durham", "BCP") are mapped by :data:`ALIASES`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = [
    "ALIASES",
    "AUTHORITY_TYPES",
    "Authority",
    "authority_key",
    "canonical_name",
    "find_authority",
    "load_authorities",
    "lookup_type",
    "type_from_name",
]

AUTHORITY_TYPES = ("county", "district", "metropolitan", "unitary", "london")

DATA_FILE = Path(__file__).parent / "data" / "authorities.csv"

#: Other keys people use for a council -> the key of the council's name in the CSV.
ALIASES: dict[str, str] = {
    "hull": "kingston upon hull",
    "county durham": "durham",
    "bcp": "bournemouth christchurch and poole",
    "newcastle": "newcastle upon tyne",
    "shepway": "folkestone and hythe",
    "barrow": "barrow in furness",
    "south buckinghamshire": "south bucks",
    "stratford upon avon": "stratford on avon",
    "royal tunbridge wells": "tunbridge wells",
    "kings lynn": "king's lynn and west norfolk",
    "west norfolk": "king's lynn and west norfolk",
    "bath and ne somerset": "bath and north east somerset",
    "banes": "bath and north east somerset",
    "east riding": "east riding of yorkshire",
    "southend": "southend on sea",
    "stockton": "stockton on tees",
    "stoke": "stoke on trent",
    "somerset west": "somerset west and taunton",
    "corporation of london": "city of london",
    "london corporation": "city of london",
}

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_DASHES = re.compile(r"[-\u2010\u2011\u2012\u2013\u2014\u2212]+")
_PUNCT = re.compile(r"[^\w\s']+")
_SPACES = re.compile(r"\s+")
_CITY_OF_LONDON = re.compile(
    r"^(?:the )?(?:common council of the )?(?:city of london|corporation of london)\b"
)
# ONS style: "Bristol, City of", "Herefordshire, County of".
_ONS_SUFFIX = re.compile(r",\s*(?:city|county|city and county) of\s*$")

_PREFIXES = (
    "the ",
    "council of the ",
    "council of ",
    "borough council of ",
    "district council of ",
    "city council of ",
    "london borough of ",
    "royal borough of ",
    "metropolitan borough of ",
    "metropolitan district of ",
    "borough of ",
    "city and county of ",
    "city of ",
    "county of ",
)
_TRAILING_BODY = re.compile(r"\s+(?:council|corporation|mbc|mdc|bc|dc|cc)$")
_TRAILING_KIND = re.compile(r"\s+(?:metropolitan|borough|district|county|city|unitary|town|and)$")


def authority_key(name: str) -> str:
    """Normalise a council's name as written in a letter to its place key.

    >>> authority_key("Rotherham Metropolitan Borough Council")
    'rotherham'
    >>> authority_key("Royal Borough of Kingston upon Thames")
    'kingston upon thames'
    >>> authority_key("Newcastle-under-Lyme Borough Council")
    'newcastle under lyme'
    """
    s = name.translate(_APOSTROPHES).strip().lower()
    s = _ONS_SUFFIX.sub("", s)
    s = s.replace("&", " and ")
    s = _DASHES.sub(" ", s)
    s = _PUNCT.sub(" ", s)
    s = s.replace(" '", " ").replace("' ", " ").strip("'")
    s = _SPACES.sub(" ", s).strip()

    changed = True
    while changed:
        changed = False
        if _CITY_OF_LONDON.match(s):
            return "city of london"
        for prefix in _PREFIXES:
            if s.startswith(prefix) and len(s) > len(prefix):
                s = s[len(prefix) :]
                changed = True
        stripped = _TRAILING_BODY.sub("", s)
        if stripped and stripped != s:
            s, changed = stripped, True
        # Kind words ("metropolitan borough", "city and district", "county") only
        # directly before the council word; keep stripping them while any remain.
        while True:
            stripped = _TRAILING_KIND.sub("", s)
            if not stripped or stripped == s:
                break
            s, changed = stripped, True
    return s


def type_from_name(name: str) -> str | None:
    """Guess a council's type from the words of its name alone.

    Wrong for councils whose name does not say what they are (Rutland County Council is
    unitary, Leeds City Council metropolitan); :func:`lookup_type` prefers the list.
    """
    s = _SPACES.sub(" ", name.translate(_APOSTROPHES).lower()).strip()
    if re.search(r"\bmetropolitan (?:borough|district)\b|\bm[bd]c$", s):
        return "metropolitan"
    if "london borough" in s or _CITY_OF_LONDON.match(s):
        return "london"
    if "county council" in s:
        return "county"
    if re.search(r"\b(?:district|borough|city) council\b", s):
        return "district"
    return None


@dataclass(frozen=True, slots=True)
class Authority:
    """One row of ``authorities.csv``."""

    name: str
    type: str
    from_year: int | None = None
    to_year: int | None = None

    @property
    def key(self) -> str:
        return authority_key(self.name)

    def exists_in(self, year: int) -> bool:
        """Whether the council existed in this form in the year ending 31 March ``year``."""
        return (self.from_year is None or self.from_year <= year) and (
            self.to_year is None or year <= self.to_year
        )


def _year(cell: str | None) -> int | None:
    cell = (cell or "").strip()
    return int(cell) if cell else None


@cache
def load_authorities() -> tuple[Authority, ...]:
    """All rows of ``data/authorities.csv`` (read once)."""
    with DATA_FILE.open(newline="", encoding="utf-8") as fh:
        rows = tuple(
            Authority(
                name=row["name"].strip(),
                type=row["type"].strip(),
                from_year=_year(row.get("from_year")),
                to_year=_year(row.get("to_year")),
            )
            for row in csv.DictReader(fh)
            if (row.get("name") or "").strip()
        )
    for row in rows:
        if row.type not in AUTHORITY_TYPES:
            raise ValueError(f"{DATA_FILE.name}: unknown type {row.type!r} for {row.name!r}")
    return rows


@cache
def _index() -> dict[str, tuple[Authority, ...]]:
    index: dict[str, list[Authority]] = {}
    for row in load_authorities():
        index.setdefault(row.key, []).append(row)
    for key, rows in list(index.items()):
        bare = key.replace("'", "")
        if bare != key:
            index.setdefault(bare, rows)
    return {key: tuple(rows) for key, rows in index.items()}


def _rows_for(name: str) -> tuple[Authority, ...]:
    """The CSV rows (any year) for a letter's authority name; empty if unknown."""
    index = _index()
    key = authority_key(name)
    for candidate in (key, key.replace("'", "")):
        if candidate in index:
            return index[candidate]
        alias = ALIASES.get(candidate)
        if alias is not None and alias in index:
            return index[alias]
    return ()


def _pick(rows: tuple[Authority, ...], name: str, year: int | None) -> Authority | None:
    if year is not None:
        rows = tuple(r for r in rows if r.exists_in(year))
    if not rows:
        return None
    if len(rows) == 1:
        return rows[0]
    # Same place under more than one type (e.g. Buckinghamshire county, then unitary):
    # the name's own words decide ("... County Council"); otherwise the current one.
    hinted = type_from_name(name)
    matching = tuple(r for r in rows if r.type == hinted) or rows
    return max(matching, key=lambda r: float("inf") if r.to_year is None else r.to_year)


def find_authority(name: str, year: int | None = None) -> Authority | None:
    """The CSV row for a letter's authority name, in the year ending 31 March ``year``.

    ``None`` if the name is not in the list, or if it is but the council did not exist
    in that form in ``year``.
    """
    return _pick(_rows_for(name), name, year)


def lookup_type(name: str, year: int | None = None) -> str | None:
    """The Ombudsman type of the authority named (as written in a letter).

    The list wins; with ``year`` (the year ending 31 March the letter covers) only rows
    in force that year count, and a listed council that did not exist that year gives
    ``None``. Names not in the list fall back to :func:`type_from_name`.
    """
    rows = _rows_for(name)
    if not rows:
        return type_from_name(name)
    row = _pick(rows, name, year)
    return row.type if row is not None else None


def canonical_name(name: str) -> str | None:
    """The list's place name for a letter's authority name ("Hull City Council" ->
    "Kingston upon Hull"), or ``None`` if it is not in the list."""
    rows = _rows_for(name)
    return rows[0].name if rows else None
