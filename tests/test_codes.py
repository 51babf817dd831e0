"""lgso_core.codes: every finding code documented for readers of the report."""

from __future__ import annotations

import re
from pathlib import Path

from lgso_core.codes import finding_codes

ROOT = Path(__file__).resolve().parent.parent


def documented_codes() -> dict[str, str]:
    """Code -> severity from the code tables of docs/contract.md and README.md."""
    found = {}
    for doc in ("docs/contract.md", "README.md"):
        for code, severity in re.findall(
            r"^\| `([a-z-]+)` \| (error|warning|info) \|", (ROOT / doc).read_text("utf-8"), re.M
        ):
            found[code] = severity
    return found


def test_every_documented_code_has_a_meaning_with_its_severity():
    documented = documented_codes()
    assert len(documented) >= 14  # the contract's table alone lists 14
    ours = {c.code: c.severity for c in finding_codes()}
    assert {code: ours.get(code) for code in documented} == documented


def test_codes_are_unique_ordered_by_severity_and_say_something():
    codes = finding_codes()
    assert len({c.code for c in codes}) == len(codes)
    order = {"error": 0, "warning": 1, "info": 2}
    assert [order[c.severity] for c in codes] == sorted(order[c.severity] for c in codes)
    assert all(c.meaning.endswith(".") and len(c.meaning) > 25 for c in codes)
