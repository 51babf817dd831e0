"""Property tests of the statistics reader: the figures, not the layout, decide what is read.

A statistics part is generated from figures drawn at random, in one of the years' wordings
(data/stats.toml), and then laid out in many ways: its sentences in any order within their
block, run together or one to a paragraph, re-wrapped, re-spaced, re-cased, with any dash
in the period. Every layout must read the same figures, the ones it was made from; and no
figure is ever read that is not printed in the text.
"""

from __future__ import annotations

import re
import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from lgso_core.models import Paragraph
from lgso_core.normalize import normalize_pages
from lgso_core.stats import extract_stats


def _s(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@st.composite
def figures(draw):
    n = draw(st.integers(1, 120))
    k = draw(st.integers(0, n))
    co = draw(st.integers(1, 60))
    r = draw(st.integers(0, k))
    return {
        "n": n,
        "k": k,
        "avg": draw(st.integers(0, 100)),
        "co": co,
        "c_rate": draw(st.integers(0, 100)),
        "c_avg": draw(st.integers(0, 100)),
        "r": r,
        "r_avg": draw(st.integers(0, 100)),
        "per": draw(st.sampled_from(["0.4", "1.1", "2.7", "10.3"])),
        "per_avg": draw(st.sampled_from(["0.5", "1.9", "3.0"])),
        "year": draw(st.integers(2019, 2026)),
    }


def blocks(f: dict, later: bool, percent: str, dash: str) -> list[tuple[str, list[str]]]:
    """The three blocks as (heading, sentences), in a year's wording."""
    who = "organisation" if later else "authority"
    y = f["year"]
    period = f"for the period between 1 April {y - 1} {dash} 31 March {y}"
    up_rate = round(100 * f["k"] / f["n"])
    r_rate = round(100 * f["r"] / f["k"]) if f["k"] else 0
    upheld = [
        f"{up_rate}{percent} of complaints we investigated were upheld.",
        f"This compares to an average of {f['avg']}{percent} in similar {who}s.",
        _s(f["k"], "upheld decision"),
        f"Statistics are based on a total of {f['n']} {'investigations' if later else 'detailed investigations'} {period}",
    ]
    if later:
        upheld += [
            f"{f['per']} upheld decisions per 100,000 residents.",
            f"The average for authorities of this type is {f['per_avg']} upheld decisions per 100,000 residents.",
        ]
    compliance = [
        f"{'' if later else 'In '}{f['c_rate']}{percent} of cases we were satisfied the {who} had successfully "
        "implemented our recommendations.",
        f"This compares to an average of {f['c_avg']}{percent} in similar {who}s.",
        f"Statistics are based on a total of {f['co']} compliance outcomes {period}",
    ]
    remedy = [
        f"In {r_rate}{percent} of upheld cases we found the {who} had provided a satisfactory remedy before "
        "the complaint reached the Ombudsman.",
        f"This compares to an average of {f['r_avg']}{percent} in similar {who}s.",
        _s(f["r"], "satisfactory remedy decision"),
        f"Statistics are based on a total of {f['k']} upheld decisions {period}"
        if later
        else f"Statistics are based on a total of {f['n']} detailed investigations {period}",
    ]
    return [
        ("Complaints upheld", upheld),
        ("Compliance with Ombudsman recommendations", compliance),
        (f"Satisfactory remedies provided by the {who}", remedy),
    ]


def expected(f: dict, later: bool) -> dict:
    up_rate = round(100 * f["k"] / f["n"])
    r_rate = round(100 * f["r"] / f["k"]) if f["k"] else 0
    y = f["year"]
    return {
        "upheld": {
            "rate": up_rate,
            "average": f["avg"],
            "decisions": f["k"],
            "investigations": f["n"],
            "per_100k": float(f["per"]) if later else None,
            "per_100k_average": float(f["per_avg"]) if later else None,
        },
        "compliance": {"rate": f["c_rate"], "average": f["c_avg"], "outcomes": f["co"]},
        "remedy": {
            "rate": r_rate,
            "average": f["r_avg"],
            "decisions": f["r"],
            "investigations": None if later else f["n"],
            "upheld_decisions": f["k"] if later else None,
        },
        "period": {"start": f"{y - 1}-04-01", "end": f"{y}-03-31"},
        "dealt_with": None,
    }


@st.composite
def layouts(draw):
    """A statistics part: figures, a wording, and a layout of its sentences."""
    f = draw(figures())
    later = draw(st.booleans())
    percent = draw(st.sampled_from(["%", " %", " per cent"]))
    dash = draw(st.sampled_from(["to", "-", "\u2013", "\u2014", "until"]))
    parts = []
    for heading, sentences in blocks(f, later, percent, dash):
        order = draw(st.permutations(sentences))
        case = draw(st.sampled_from([str, str.upper, str.lower]))
        heading = case(heading)
        if draw(st.booleans()):  # one paragraph per sentence
            parts += [heading, *order]
        elif draw(st.booleans()):  # the heading on the same line as the figures
            parts.append(f"{heading} {' '.join(order)}")
        else:  # run together under the heading
            parts += [heading, " ".join(order)]
    width = draw(st.integers(40, 200))
    spaces = draw(st.sampled_from([" ", "  ", "\t", " \u00a0"]))
    text = "\n\n".join(textwrap.fill(p, width) for p in parts).replace(" ", spaces)
    return f, later, text


@settings(max_examples=150, deadline=None)
@given(layouts())
def test_any_layout_reads_the_figures_it_was_made_from(case):
    f, later, text = case
    stats = extract_stats(normalize_pages([text])).stats
    assert stats is not None
    assert stats.model_dump(mode="json") == expected(f, later)


WORDS = st.sampled_from(
    [
        "complaints",
        "upheld",
        "average",
        "similar",
        "authorities",
        "organisations",
        "based",
        "on",
        "a",
        "total",
        "of",
        "investigations",
        "upheld",
        "decisions",
        "satisfactory",
        "remedy",
        "compliance",
        "outcomes",
        "per",
        "100,000",
        "residents",
        "In",
        "of",
        "cases",
        "we",
        "were",
        "satisfied",
        "%",
        "n/a",
        "1",
        "April",
        "2023",
        "to",
        "31",
        "March",
        "2024",
        ".",
        "the",
        "Council",
        "-",
        "Statistics",
        "are",
        "This",
        "compares",
        "to",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(WORDS, st.integers(-5, 2000).map(str), st.floats(0, 99).map(lambda x: f"{x:.1f}")),
                max_size=60))  # fmt: skip
def test_no_figure_is_read_that_is_not_in_the_text(words):
    text = " ".join(words)
    ex = extract_stats([Paragraph(text=text)])
    printed = re.findall(r"n/a|[-\u2212\u2013]?\d[\d,]*(?:\.\d+)?", text, re.IGNORECASE)
    for m in ex.mentions:
        assert m.raw in printed
        assert m.raw in m.sentence
