"""The seed letters, and the same letters as extractors mangle them, audited end to end."""

from __future__ import annotations

import pytest
from conftest import expected
from variants import as_html, as_markdown, blank_lines_lost, crlf, curly, hard_wrapped

from lgso_core import audit_paths


def audit_one(path):
    report = audit_paths([path])
    assert report.errors == []
    [audit] = report.letters
    return audit


def test_seed_matches_its_expected_audit(seed):
    want = expected(seed)
    audit = audit_one(seed)
    assert audit.source == str(seed)
    assert audit.authority == want["authority"]
    assert audit.authority_type == want["authority_type"]
    assert audit.year == want["year"]
    got_stats = audit.stats.model_dump(mode="json", exclude={"dealt_with"}) if audit.stats else None
    assert audit.stats is None or audit.stats.dealt_with is None  # a later letters' block
    assert got_stats == want["stats"]
    assert len(audit.deviations) == len(want["deviations"])
    for dev, spec in zip(audit.deviations, want["deviations"], strict=True):
        assert dev.kind == spec["kind"]
        assert dev.text.startswith(spec["starts_with"])
        assert set(spec["tags_include"]) <= set(dev.tags)
        assert dev.tone == spec.get("tone", "information")
    serious = sorted({f.code for f in audit.findings if f.severity.value != "info"})
    assert serious == sorted(want["codes"])


def test_unique_paragraph_tags_lead_the_text_report(capsys):
    from lgso_core.render import render

    report = audit_paths(["tests/data/seeds/000_2d41e673c27088b3.txt"])
    text = render(report, "text")
    lines = text.splitlines()
    assert lines[0].startswith("Rotherham Metropolitan Borough Council (metropolitan, 2020)")
    assert lines[1].strip() == "Unique: concern, enquiry responses"


VARIANTS = {
    "hard-wrapped": (hard_wrapped, ".txt"),
    "crlf": (crlf, ".txt"),
    "curly-quotes": (curly, ".txt"),
    "markdown": (as_markdown, ".md"),
    "html": (as_html, ".html"),
    "wrapped-crlf-markdown": (lambda t: crlf(hard_wrapped(as_markdown(t), 60)), ".md"),
    "blank-lines-lost": (blank_lines_lost, ".txt"),
    "blank-lines-lost-wrapped": (lambda t: blank_lines_lost(t, 76), ".txt"),
}


@pytest.mark.parametrize("variant", VARIANTS, ids=list(VARIANTS))
def test_extraction_noise_is_never_a_deviation(seed, variant, write):
    transform, suffix = VARIANTS[variant]
    original = seed.read_text("utf-8")
    mangled = transform(original)
    assert mangled != original
    path = write(f"{seed.stem}{suffix}", mangled)
    want, got = audit_one(seed), audit_one(path)
    assert [(d.kind, d.text) for d in got.deviations] == [(d.kind, d.text) for d in want.deviations]
    assert got.stats == want.stats
    assert (got.authority, got.year) == (want.authority, want.year)
