"""How a paragraph speaks of the council, by the cues in data/tone.toml weighed in scope."""

from __future__ import annotations

import re
import tomllib
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st
from paragraphs import TUNING, labelled

from lgso_core.judge import judge
from lgso_core.tone import TONES, read_tone, tone_rules

CASES = [
    # negation
    ("The Council's responses to our enquiries were not late.", "praise"),
    ("The Council's responses to our enquiries were late.", "concern"),
    ("There were no delays in carrying out the remedies the Council agreed.", "praise"),
    ("We did not need to issue any public reports about the Council this year.", "praise"),
    ("We issued a public interest report and the family waited a year.", "concern"),
    ("I have no concerns about the Council's complaint handling.", "praise"),
    ("The Council's replies were not timely.", "concern"),
    ("I am not satisfied with the Council's response.", "concern"),
    # mixed: a worry raised after the praise is a concern; praise after a passing worry is praise
    (
        "I welcome the Council's acceptance of our findings, but I remain concerned about how long "
        "it took to recognise the problem.",
        "concern",
    ),
    (
        "Although there were some delays early in the year, the Council's responses improved "
        "markedly, and I thank the complaints team.",
        "praise",
    ),
    # a request to put something right
    ("I would ask the Council to review how it records its decisions.", "concern"),
    ("The Council should review all the cases affected.", "concern"),
    ("I would encourage you to share this letter with members.", "information"),
    # hedges soften, keeping the sense; conditions describe, not accuse
    ("Perhaps the Council may want to look again at why its replies came after the deadline.", "concern"),
    ("Where a council has failed to put things right, we may publish a report.", "information"),
    # plain information, and one-sentence praise
    ("The Council's link officer changed in March.", "information"),
    ("Thank you for your help this year.", "praise"),
    ("The Council complied with all of our recommendations.", "praise"),
    # cues added while tuning on dev5 (the earlier held-out part)
    ("Not one of the Council's replies missed our deadline.", "praise"),
    ("The Council has never missed a deadline for a remedy.", "praise"),
    ("The Council changed a man's care package without consulting him.", "concern"),
    ("The Council's letters to complainants now readily admit fault.", "information"),
    ("Members have not discussed our decisions for years, which I find surprising.", "concern"),
    # sentences about the process, not this council, judge nothing (tuning on dev6..dev8)
    (
        "When we issue a public interest report, the council concerned must publish a notice.",
        "information",
    ),
    (
        "We issue public interest reports where the fault is serious or a council refuses to comply.",
        "information",
    ),
    ("If a council does not put right the injustice, we can issue a further report.", "information"),
    ("When we asked the Council for its records, it did not reply.", "concern"),
    # what ought to be is not praise; a wait is a wait, with or without a negator
    ("People are entitled to a timely decision, and the Council should give one.", "concern"),
    ("Residents lived without the fence for more than two years.", "concern"),
    ("The Council asked us for more time in most of the cases we investigated.", "concern"),
    ("Two remedies were paid some weeks after the date we set.", "concern"),
    ("I was glad to see the Council go beyond the remedy we recommended.", "praise"),
    ("It is to the Council's credit that it accepted fault before the family came to us.", "praise"),
    ("I would encourage the Council to consider this letter at its scrutiny committee.", "information"),
    # from a review: what was required is no "ought"; a negated wait; the law in general
    ("Officers did exactly what was required of them and were helpful throughout.", "praise"),
    ("I should like to thank your complaints manager for her helpful approach.", "praise"),
    ("No complainant waited for more than two weeks for a reply.", "praise"),
    ("The Council never asked us for an extension this year.", "praise"),
    (
        "The law does not allow us to investigate complaints about the internal management of schools.",
        "information",
    ),
    ("We rarely had to chase the Council this year.", "praise"),
    # plain criticism with no other cue
    ("The Council gave a family incorrect advice about their right of appeal.", "concern"),
    ("The Council lost the paperwork for a family's housing application twice.", "concern"),
]


@pytest.mark.parametrize(("text", "tone"), CASES)
def test_tone(text, tone):
    assert read_tone(text).tone == tone


@pytest.mark.parametrize(
    ("text", "tone"),
    [
        *CASES,
        # one plain cue, short of decisive: the model, not sure of anything else, leaves it
        ("The Council was late.", "concern"),
        ("Two remedies were paid late.", "concern"),
        ("Your officers were helpful.", "praise"),
    ],
)
def test_the_whole_method_keeps_the_plain_cases(text, tone):
    assert judge(text)[1] == tone


def test_negated_cue_counts_for_the_other_tone_and_says_why():
    reading = read_tone("The Council's responses were not late.")
    [evidence] = reading.evidence
    assert (evidence.hit.phrase, evidence.hit.negator, evidence.tone) == ("late", "not", "praise")
    assert reading.praise == 2 and reading.concern == 0


def test_but_outweighs_what_came_before():
    reading = read_tone("I welcome the apology, but I remain concerned.")
    by_tone = {e.tone: e.points for e in reading.evidence}
    assert by_tone == {"praise": 1.5, "concern": 4.5}  # 3 x 0.5 before "but", 3 x 1.5 after it


def test_focus_reads_only_the_sentences_with_added_words():
    text = "Thank you for your help. Your responses to our enquiries were late."
    late = text.index("late")
    assert read_tone(text, focus=[(late, late + 4)]).tone == "concern"
    assert read_tone(text, focus=[(0, 5)]).tone == "praise"


def test_every_cue_names_a_tone_and_compiles():
    data = tomllib.loads((resources.files("lgso_core") / "data" / "tone.toml").read_text("utf-8"))
    threshold, cues = tone_rules()
    assert threshold == data["threshold"] and len(cues) == len(data["cue"])
    for cue in data["cue"]:
        assert cue["tone"] in ("concern", "praise") and cue["negated"] in ("concern", "praise", "none")
        for pattern in cue["patterns"]:
            re.compile(pattern)


WORDS = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), max_size=300)


@given(WORDS)
def test_any_text_gets_one_of_the_three_tones(text):
    reading = read_tone(text)
    assert reading.tone in TONES
    assert reading.concern >= 0 and reading.praise >= 0


@given(st.sampled_from([r["text"] for r in labelled("train")]), st.sampled_from(["\n", "  ", " \t "]))
def test_rewrapping_does_not_change_the_tone(text, gap):
    assert read_tone(text.replace(" ", gap)).tone == read_tone(text).tone


def accuracy(part: str) -> float:
    """Tone accuracy of the whole method: the cues where decisive, the learned model elsewhere."""
    rows = labelled(part)
    return sum(judge(row["text"])[1] == row["tone"] for row in rows) / len(rows)


def test_every_tone_is_labelled_in_each_part():
    for part in (*TUNING, "heldout"):
        assert {row["tone"] for row in labelled(part)} == set(TONES), part


def test_held_out_tone_accuracy():
    """Neither the rules nor the model saw these paragraphs (tests/data/paragraphs/README.md):
    189 of 200 (0.945) when first measured, 190 after each of two fixes chosen without them
    (README). The target is 0.90."""
    assert accuracy("heldout") >= 0.90


def test_held_out_tone_accuracy_as_measured():
    assert accuracy("heldout") >= 0.945


def test_tuning_parts_tone_accuracy():
    for part in TUNING:  # learned from: a guard against breaking what was tuned
        assert accuracy(part) >= 0.95, part
