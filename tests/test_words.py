"""A hyphen at a line end: part of the word, or only where the line broke."""

from __future__ import annotations

from collections import Counter

import pytest

from lgso_core.words import joins_without_hyphen


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("com", "plaints", True),  # a common word broken by a typesetter
        ("inves", "tigated", True),
        ("author", "ities", True),
        ("with", "in", True),  # both parts words, but "within" is far commoner
        ("recog", "nise", True),  # British spelling, in no American list: parts are no words
        ("maladmin", "istration", True),
        ("well", "established", False),  # a compound: "wellestablished" is no word
        ("long", "standing", False),  # "longstanding" exists, but is rarer than its parts
        ("follow", "up", False),
        ("non", "compliance", False),
        ("self", "assessment", False),
    ],
)
def test_word_frequencies_decide_when_the_letter_does_not(left, right, joined):
    assert joins_without_hyphen(left, right) is joined
    assert joins_without_hyphen(left.capitalize(), right) is joined


def test_the_letters_own_spelling_wins():
    assert joins_without_hyphen("long", "standing", Counter({"longstanding": 1})) is True
    assert joins_without_hyphen("co", "operate", Counter({"co-operate": 2, "cooperate": 1})) is False
    assert joins_without_hyphen("co", "operate", Counter({"cooperate": 1})) is True
    assert joins_without_hyphen("com", "plaints", Counter({"com-plaints": 1})) is False
