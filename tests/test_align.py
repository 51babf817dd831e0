"""Alignment of letters against the template: what is a deviation and what is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from lgso_core import audit_paths, load_letter, load_template
from lgso_core.align import CHANGED_MIN, align, word_diff
from lgso_core.models import Letter, Paragraph

RUTLAND = "tests/data/seeds/001_c0b09b6ab8458cd9.txt"
TRAINING = "We have a well-established and successful training programme"
INSERTED = (
    "We issued a public interest report against the Council this year about its failure to "
    "assess a disabled child's needs, and we will monitor its action plan closely."
)


def paragraphs_of(path) -> list[str]:
    return [p.text for p in load_letter(path).paragraphs]


def deviations_for(texts: list[str]):
    letter = Letter(source="t", sha256="0", paragraphs=tuple(Paragraph(text=t) for t in texts))
    return align(letter.paragraphs, load_template(2020).compiled())


def index_of(texts: list[str], start: str) -> int:
    return next(i for i, t in enumerate(texts) if t.startswith(start))


def test_inserted_paragraph_is_unique_and_tagged():
    texts = paragraphs_of(RUTLAND)
    texts.insert(index_of(texts, TRAINING), INSERTED)
    [dev] = deviations_for(texts)
    assert (dev.kind, dev.text, dev.template) == ("unique", INSERTED, None)
    assert dev.score < CHANGED_MIN
    assert dev.tags[0] == "public report"


def test_removed_paragraph_is_missing():
    texts = paragraphs_of(RUTLAND)
    removed = texts.pop(index_of(texts, TRAINING))
    [dev] = deviations_for(texts)
    assert dev.kind == "missing"
    assert dev.text == removed
    assert dev.score == 0


def test_reworded_paragraph_is_changed_with_a_word_diff():
    texts = paragraphs_of(RUTLAND)
    i = index_of(texts, TRAINING)
    texts[i] = texts[i].replace("well-established and successful", "long-running and popular")
    [dev] = deviations_for(texts)
    assert dev.kind == "changed"
    assert dev.template.startswith(TRAINING)
    assert CHANGED_MIN <= dev.score < 100
    deleted = " ".join(op.text for op in dev.diff if op.op == "delete")
    inserted = " ".join(op.text for op in dev.diff if op.op == "insert")
    assert deleted.split() == ["well-established", "successful"]
    assert inserted.split() == ["long-running", "popular"]


def test_statistics_with_other_figures_are_template():
    texts = paragraphs_of(RUTLAND)
    figures = {
        "100% of complaints": "75% of complaints",
        "1 detailed investigation": "4 detailed investigations",
    }
    for old, new in figures.items():
        i = next(i for i, t in enumerate(texts) if old in t)
        texts[i] = texts[i].replace(old, new)
    assert deviations_for(texts) == []


@pytest.mark.parametrize("cut", [0.3, 0.5, 0.8])
def test_paragraph_split_by_a_page_break_is_healed(cut):
    texts = paragraphs_of(RUTLAND)
    i = index_of(texts, TRAINING)
    words = texts[i].split()
    k = int(len(words) * cut)
    # The second half starts with a capital here, so only the template can rejoin it.
    texts[i : i + 1] = [" ".join(words[:k]), " ".join(words[k:]).capitalize()]
    assert deviations_for(texts) == []


def test_missing_statistics_are_not_missing_paragraphs():
    texts = paragraphs_of(RUTLAND)
    body = texts[: texts.index("Complaints upheld")]
    assert deviations_for(body) == []


def test_duplicate_letterhead_is_not_a_deviation(write):
    text = (
        Path(RUTLAND)
        .read_text("utf-8")
        .replace(
            "22 July 2020", "22 July 2020\n\nLocal Government & Social Care OMBUDSMAN\n\n22 July 2020", 1
        )
    )
    report = audit_paths([write("dup.txt", text)])
    assert report.letters[0].deviations == []


def test_word_diff_treats_figures_as_equal():
    ops = word_diff("We delivered 118 courses this year.", "We delivered 120 courses this year.")
    assert [op.op for op in ops] == ["equal"]


@pytest.mark.parametrize(
    "address",
    [
        "Mr Smith\nManaging Director\nSomewhere District Council",
        "Ms Jones\nHead of Paid Service\nCouncil of the Isles of Scilly\nTown Hall\nSt Mary's",
    ],
)
def test_other_titles_in_the_address_block_are_not_deviations(address, write):
    text = (
        Path(RUTLAND)
        .read_text("utf-8")
        .replace("Mr Andrews\nChief Executive\nRutland County Council", address)
    )
    text = text.replace("By email\n", "")
    assert "Rutland County Council" not in text
    assert audit_paths([write("letter.txt", text)]).letters[0].deviations == []


def test_a_long_paragraph_before_the_salutation_is_still_unique(write):
    text = Path(RUTLAND).read_text("utf-8").replace("By email", f"By email\n\n{INSERTED} {INSERTED}")
    [dev] = audit_paths([write("letter.txt", text)]).letters[0].deviations
    assert dev.kind == "unique"


def test_new_paragraph_broken_by_a_page_at_a_sentence_end_is_one_unique():
    texts = paragraphs_of(RUTLAND)
    at = index_of(texts, TRAINING)
    first, second = INSERTED.split(", and ")
    texts[at:at] = [first + ".", second[0].upper() + second[1:]]
    pages = [1 if i <= at else 2 for i in range(len(texts))]
    letter = [Paragraph(text=t, page=p) for t, p in zip(texts, pages, strict=True)]
    [dev] = align(letter, load_template(2020).compiled())
    assert dev.kind == "unique" and dev.text.startswith(first) and dev.text.endswith("closely.")


def test_two_new_paragraphs_on_one_page_stay_two():
    texts = paragraphs_of(RUTLAND)
    at = index_of(texts, TRAINING)
    texts[at:at] = [INSERTED, "We thank the Council for its positive engagement this year."]
    devs = deviations_for(texts)
    assert [d.kind for d in devs] == ["unique", "unique"]


@pytest.mark.parametrize("order", ["template-first", "new-first"])
def test_new_paragraph_run_together_with_a_template_one_is_split_out(order):
    texts = paragraphs_of(RUTLAND)
    at = index_of(texts, TRAINING)
    texts[at] = f"{texts[at]} {INSERTED}" if order == "template-first" else f"{INSERTED} {texts[at]}"
    [dev] = deviations_for(texts)
    assert (dev.kind, dev.text) == ("unique", INSERTED)


def test_heading_run_into_its_paragraph_is_split_out():
    texts = paragraphs_of(RUTLAND)
    at = texts.index("Annual Review letter 2020")
    texts[at : at + 2] = [f"{texts[at]} {texts[at + 1]}"]
    assert deviations_for(texts) == []


def test_a_statistics_sentence_the_template_lacks_is_not_a_deviation():
    texts = paragraphs_of(RUTLAND)
    start = texts.index("Compliance with Ombudsman recommendations")
    end = index_of(texts, "Statistics are based on a total of 1 compliance outcome")
    texts[start + 1 : end + 1] = ["No recommendations were due for compliance in this period"]
    assert deviations_for(texts) == []
