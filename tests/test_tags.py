"""Topic tags come from the rules file, whatever the wording."""

from __future__ import annotations

import pytest

from lgso_core.tags import tag_paragraph, tag_rules


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("Three quarters of the Council's responses to our enquiries have been late.", "late responses"),
        ("The Council failed to respond to our enquiries on time in most cases.", "late responses"),
        ("The Council has not yet complied with two of our recommendations.", "non-compliance"),
        ("We issued a public interest report about the Council's care charging.", "public interest report"),
        ("I would like to thank the Council for its constructive engagement.", "praise"),
        (
            "We are concerned about the Council's complaints procedure, which has three stages.",
            "complaint handling",
        ),
    ],
)
def test_paragraph_is_tagged_by_topic(text, tag):
    assert tag in tag_paragraph(text)


def test_untopical_paragraph_is_other():
    assert tag_paragraph("The weather in July was fine.") == ["other"]


def test_rules_file_names_each_tag_once():
    names = [name for name, _ in tag_rules()]
    assert len(names) == len(set(names)) and "late responses" in names
