"""Checks of the team's corpus of letters (tests/data/letters) as data: the tool is not run.

Each check is a function that returns the problems it finds, so the tests below can show
both that the corpus is clean and that a doctored copy of it is caught.
"""

import copy
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

LETTERS_DIR = Path(__file__).parent / "data" / "letters"
YEARS = range(2019, 2026)
TYPES = {"county", "district", "metropolitan", "unitary", "london"}
TONES = {"concern", "praise", "information"}
# docs/contract.md, "tags name what it is about"
TAGS = {
    "enquiry responses",
    "remedies",
    "compliance",
    "public report",
    "complaint handling",
    "complaint handling code",
    "training",
    "governance",
    "pandemic",
    "children's services",
    "adult social care",
    "housing",
    "education",
    "planning",
    "other services",
    "other",
}
STATS_KEYS = {
    "upheld": {"rate", "average", "decisions", "investigations", "per_100k", "per_100k_average"},
    "compliance": {"rate", "average", "outcomes"},
    "remedy": {"rate", "average", "decisions", "investigations", "upheld_decisions"},
    "period": {"start", "end"},
}
REQUIRED_KEYS = {"authority", "authority_type", "year", "stats", "unique", "notes"}
OPTIONAL_KEYS = {"population", "stated_in_words", "other_figures"}
# figures printed in the statistics that the contract has no field for (2025: "Complaints dealt with")
OTHER_FIGURES = {"complaints and enquiries dealt with", "not for us", "assessed and closed", "investigated"}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]  # fmt: skip


def letter_files() -> list[Path]:
    return sorted(p for p in LETTERS_DIR.glob("*/*") if p.suffix in {".txt", ".md"})


def expected_path(letter: Path) -> Path:
    return letter.with_name(letter.stem + ".expected.json")


def load(letter: Path) -> tuple[str, dict]:
    return letter.read_text(encoding="utf-8"), json.loads(expected_path(letter).read_text(encoding="utf-8"))


def squash(text: str) -> str:
    """Whitespace runs to one space, markdown emphasis dropped, so phrases can be found across wraps."""
    return " ".join(text.replace("**", "").split())


def statistics_part(text: str) -> str:
    """The letter after its signature: every corpus letter prints its statistics there."""
    at = text.find("Yours sincerely")
    assert at >= 0, "no 'Yours sincerely' in the letter"
    return text[at:]


def half_up(numerator: float, denominator: float, places: int = 0) -> Decimal:
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(str(numerator)) / Decimal(str(denominator))).quantize(quantum, rounding=ROUND_HALF_UP)


def printed(value: float | int) -> str:
    return str(value) if isinstance(value, int) else f"{value:.1f}"


def day(iso: str) -> str:
    year, month, dd = iso.split("-")
    return f"{int(dd)} {MONTHS[int(month) - 1]} {year}"


def figures(stats: dict) -> dict[str, float | int]:
    """Every non-null figure of an expected stats object, by dotted path."""
    return {
        f"{block}.{key}": value
        for block, fields in stats.items()
        if block != "period"
        for key, value in fields.items()
        if value is not None
    }


# ------------------------------------------------------------------ the checks


def check_shape(doc: dict, year_dir: int) -> list[str]:
    problems = []
    keys = set(doc)
    if not keys >= REQUIRED_KEYS:
        problems.append(f"missing keys {sorted(REQUIRED_KEYS - keys)}")
    if keys - REQUIRED_KEYS - OPTIONAL_KEYS:
        problems.append(f"unknown keys {sorted(keys - REQUIRED_KEYS - OPTIONAL_KEYS)}")
    if not isinstance(doc.get("authority"), str) or not doc.get("authority"):
        problems.append("authority is not a non-empty string")
    if doc.get("authority_type") not in TYPES:
        problems.append(f"authority_type {doc.get('authority_type')!r} not one of {sorted(TYPES)}")
    if type(doc.get("year")) is not int or doc.get("year") != year_dir:
        problems.append(f"year {doc.get('year')!r} is not the folder's year {year_dir}")
    if not isinstance(doc.get("notes"), str) or not doc.get("notes"):
        problems.append("notes is not a non-empty string")
    stats = doc.get("stats")
    if stats is not None:
        if not isinstance(stats, dict) or set(stats) != set(STATS_KEYS):
            problems.append(f"stats blocks {sorted(stats) if isinstance(stats, dict) else stats!r}")
        else:
            for block, want in STATS_KEYS.items():
                if set(stats[block]) != want:
                    problems.append(f"stats.{block} keys {sorted(stats[block])}, want {sorted(want)}")
            for path, value in figures(stats).items():
                if isinstance(value, bool) or not isinstance(value, int | float):
                    problems.append(f"{path} = {value!r} is not a number")
                elif value < 0:
                    problems.append(f"{path} = {value!r} is negative")
            period = stats["period"]
            if period != {"start": f"{year_dir - 1}-04-01", "end": f"{year_dir}-03-31"}:
                problems.append(f"period {period} is not 1 April {year_dir - 1} to 31 March {year_dir}")
    if not isinstance(doc.get("unique"), list):
        problems.append("unique is not a list")
    else:
        for item in doc["unique"]:
            if set(item) != {"starts", "tone", "tags"}:
                problems.append(f"unique item keys {sorted(item)}")
                continue
            if item["tone"] not in TONES:
                problems.append(f"tone {item['tone']!r} not one of {sorted(TONES)}")
            if not item["tags"] or set(item["tags"]) - TAGS:
                problems.append(f"tags {item['tags']} empty or outside the contract's vocabulary")
    other = doc.get("other_figures", {})
    if not isinstance(other, dict) or set(other) - OTHER_FIGURES:
        problems.append(f"other_figures {other!r} names something outside {sorted(OTHER_FIGURES)}")
    elif any(type(v) is not int or v < 0 for v in other.values()):
        problems.append(f"other_figures {other!r} holds something that is not a count")
    for path in doc.get("stated_in_words", []):
        if stats is None or path not in figures(stats):
            problems.append(f"stated_in_words names {path}, which has no figure")
    return problems


def check_text(text: str, doc: dict) -> list[str]:
    """What the expected file says is in the letter: authority, year, paragraphs, every figure."""
    problems = []
    flat = squash(text)
    if doc["authority"] not in flat:
        problems.append(f"authority {doc['authority']!r} not in the letter")
    if f"31 March {doc['year']}" not in flat:
        problems.append(f"the letter never says '31 March {doc['year']}'")
    for item in doc["unique"]:
        if squash(item["starts"]) not in flat:
            problems.append(f"unique paragraph starting {item['starts']!r} not in the letter")
    stats = doc["stats"]
    if stats is None:
        return problems
    part = squash(statistics_part(text))
    for iso in stats["period"].values():
        if day(iso) not in part:
            problems.append(f"period date {day(iso)!r} not in the statistics")
    in_words = set(doc.get("stated_in_words", []))
    for path, value in figures(stats).items():
        if path in in_words:
            if value != 0 or "did not uphold any" not in part:
                problems.append(f"{path} = {value} said in words, but no 'did not uphold any' (or not 0)")
            continue
        if not re.search(rf"(?<![\d.,]){re.escape(printed(value))}(?![\d]|[.,]\d)", part):
            problems.append(f"{path} = {printed(value)} is not printed in the statistics")
    # and the other way round: every number the statistics print is one of the expected figures
    rest = part
    for iso in stats["period"].values():
        rest = rest.replace(day(iso), " ")
    rest = rest.replace("100,000", " ").replace("below 100%", " ")
    known = {printed(v) for p, v in figures(stats).items() if p not in in_words}
    for name, value in doc.get("other_figures", {}).items():
        if not re.search(rf"(?<![\d.,]){value}\s+{re.escape(name)}", part):
            problems.append(f"other figure {value} {name!r} is not printed in the statistics")
        known.add(printed(value))
    for number in re.findall(r"\d+(?:\.\d+)?", rest):
        if number not in known:
            problems.append(f"the statistics print {number}, which no expected figure holds")
    return problems


def check_arithmetic(doc: dict) -> list[str]:
    """Rates agree with their counts (half up), remedies <= upheld <= investigations."""
    stats = doc["stats"]
    if stats is None:
        return []
    problems = []
    up, co, re_ = stats["upheld"], stats["compliance"], stats["remedy"]
    if up["decisions"] is not None and up["investigations"] is not None:
        if up["decisions"] > up["investigations"]:
            problems.append("more upheld decisions than investigations")
        if up["rate"] is not None and half_up(100 * up["decisions"], up["investigations"]) != up["rate"]:
            problems.append(f"upheld rate {up['rate']}% is not {up['decisions']} of {up['investigations']}")
    if co["rate"] is not None:
        n = co["outcomes"]
        if n is None or not any(half_up(100 * k, n) == co["rate"] for k in range(n + 1)):
            problems.append(f"compliance rate {co['rate']}% cannot come from {n} outcomes")
    base = re_["upheld_decisions"] if re_["upheld_decisions"] is not None else up["decisions"]
    if re_["upheld_decisions"] is not None and re_["upheld_decisions"] != up["decisions"]:
        problems.append("remedy.upheld_decisions differs from upheld.decisions")
    if re_["investigations"] is not None and re_["investigations"] != up["investigations"]:
        problems.append("remedy.investigations differs from upheld.investigations")
    if re_["decisions"] is not None and base is not None:
        if re_["decisions"] > base:
            problems.append("more satisfactory remedies than upheld decisions")
        if re_["rate"] is not None and base and half_up(100 * re_["decisions"], base) != re_["rate"]:
            problems.append(f"remedy rate {re_['rate']}% is not {re_['decisions']} of {base} upheld")
    if up["per_100k"] is not None:
        population = doc.get("population")
        if not population:
            problems.append("per_100k given without a population to check it against")
        elif half_up(up["decisions"] * 100000, population, 1) != Decimal(str(up["per_100k"])):
            problems.append(f"per_100k {up['per_100k']} is not {up['decisions']} per 100,000 of {population}")
    other = doc.get("other_figures", {})
    if other:
        parts = other["not for us"] + other["assessed and closed"] + other["investigated"]
        if other["complaints and enquiries dealt with"] != parts:
            problems.append(
                f"{other['complaints and enquiries dealt with']} dealt with is not the sum of its parts {parts}"
            )
        if other["investigated"] != up["investigations"]:
            problems.append("'investigated' differs from upheld.investigations")
    for path, value in figures(stats).items():
        if path.endswith(("rate", "average")) and not path.startswith("upheld.per") and value > 100:
            problems.append(f"{path} = {value} is above 100%")
    return problems


# ------------------------------------------------------------------ the tests

LETTERS = letter_files()


def test_every_letter_has_an_expected_file_and_every_expected_file_a_letter():
    letters = {expected_path(p) for p in LETTERS}
    expected = set(LETTERS_DIR.glob("*/*.expected.json"))
    assert letters == expected, (sorted(letters - expected), sorted(expected - letters))
    strays = [p for p in LETTERS_DIR.glob("*/*") if p not in expected and p.suffix not in {".txt", ".md"}]
    assert strays == []


@pytest.mark.parametrize("letter", LETTERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_expected_file(letter):
    text, doc = load(letter)
    assert check_shape(doc, int(letter.parent.name)) == []
    assert check_text(text, doc) == []
    assert check_arithmetic(doc) == []


def test_every_year_has_four_letters_and_all_five_types():
    by_year: dict[int, list[str]] = {year: [] for year in YEARS}
    for letter in LETTERS:
        by_year.setdefault(int(letter.parent.name), []).append(load(letter)[1]["authority_type"])
    for year in YEARS:
        assert len(by_year[year]) >= 4, f"{year}: {len(by_year[year])} letters"
        assert set(by_year[year]) == TYPES, f"{year}: types {sorted(set(by_year[year]))}"


def test_the_corpus_holds_the_shapes_it_promises():
    docs = [load(p)[1] for p in LETTERS]
    with_stats = [d["stats"] for d in docs if d["stats"]]
    assert sum(1 for s in with_stats if s["upheld"]["decisions"] == 0 and s["upheld"]["rate"] is None) >= 2
    assert sum(1 for s in with_stats if s["compliance"]["outcomes"] is None) >= 2
    assert any(s["upheld"]["decisions"] == 1 for s in with_stats)
    assert 0.3 <= sum(1 for d in docs if d["unique"]) / len(docs) <= 0.7
    texts = [squash(p.read_text(encoding="utf-8")) for p in LETTERS]
    assert any("a total of 1 investigations" in t for t in texts)
    assert any("n/a" in t for t in texts)
    assert any(" per cent " in t for t in texts)
    assert any("–" in t for t in texts)


# A doctored copy of a real corpus entry must be caught: the checks can fail.
def _sample() -> tuple[str, dict]:
    letter = next(p for p in LETTERS if load(p)[1]["stats"] and load(p)[1]["unique"])
    return load(letter)


def test_a_mistyped_figure_is_caught():
    text, doc = _sample()
    bad = copy.deepcopy(doc)
    bad["stats"]["upheld"]["investigations"] += 1
    assert any("investigations" in p for p in check_text(text, bad))
    assert check_arithmetic(bad)


def test_a_forgotten_figure_is_caught():
    text, doc = _sample()
    bad = copy.deepcopy(doc)
    bad["stats"]["remedy"]["average"] = None
    assert any("no expected figure holds" in p for p in check_text(text, bad))


def test_a_wrong_rate_a_wrong_tag_and_a_paragraph_not_in_the_letter_are_caught():
    text, doc = _sample()
    bad = copy.deepcopy(doc)
    bad["stats"]["upheld"]["rate"] += 1
    assert check_arithmetic(bad)
    bad = copy.deepcopy(doc)
    bad["unique"][0]["tags"] = ["late responses"]
    assert check_shape(bad, bad["year"])
    bad["unique"][0]["starts"] = "We are delighted to report that"
    assert check_text(text, bad)


def test_complaints_dealt_with_that_do_not_add_up_are_caught():
    letter = next(p for p in LETTERS if "other_figures" in load(p)[1])
    text, doc = load(letter)
    bad = copy.deepcopy(doc)
    bad["other_figures"]["not for us"] += 1
    assert any("sum of its parts" in p for p in check_arithmetic(bad))
    assert any("not printed" in p for p in check_text(text, bad))
