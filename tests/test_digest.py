"""Digests of a batch, the year's summary and the Home tab's content."""

from __future__ import annotations

import pytest

from lgso_core.digest import Batches, Summary, home, record_ingest, summarize, year_summary
from lgso_core.models import Deviation
from lgso_core.mutes import MuteBook
from lgso_core.store import Store
from tests.synthetic import error, make_audit, outlier


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "audits.sqlite3") as s:
        yield s


def _letter(name, *, tones=(), findings=(), year=2024):
    paras = [Deviation(kind="unique", text=f"{name} {i}", template=None, score=1.0, tags=["remedies"], tone=t)
             for i, t in enumerate(tones)]  # fmt: skip
    audit = make_audit(name, year, kind="unitary", findings=list(findings), salt=repr(tones))
    return audit.model_copy(update={"deviations": paras})


def _batch_letters():
    return [
        _letter("Alpha Council", tones=["concern", "concern"]),
        _letter("Beta Council", tones=["concern"], findings=[error()]),
        _letter("Gamma Council", tones=["concern", "praise"]),
        _letter("Delta Council", findings=[error("plural-mismatch", "upheld.decisions")]),
        _letter("Epsilon Council", findings=[outlier()]),
        _letter("Zeta Council", tones=["information"]),
        _letter("Eta Council"),
        _letter("Theta Council", tones=["praise"], year=2023),
    ]


def test_the_digest_headline_counts_letters():
    summary = summarize(8, _batch_letters())
    assert summary.headline() == (
        "8 letters of 2024, 2023 audited: 3 concerns, 2 figure errors, 1 outlier, 2 with other new paragraphs"
    )
    # most serious first: errors, then concerns, outliers, other new paragraphs; ties by name
    assert [i.authority for i in summary.items] == [
        "Beta Council", "Delta Council", "Alpha Council", "Gamma Council", "Epsilon Council",
        "Theta Council", "Zeta Council",
    ]  # fmt: skip
    beta = summary.items[0]
    assert (beta.concerns, beta.unique, beta.errors, beta.outliers) == (1, 1, 1, 0)
    assert beta.topics == ["remedies", "rate-mismatch"]


@pytest.mark.parametrize(("summary", "headline"), [
    (Summary(letters=1), "1 letter audited: nothing needs attention"),
    (Summary(letters=42, years=[2024], concerns=5, errors=2, outliers=3),
     "42 letters of 2024 audited: 5 concerns, 2 figure errors, 3 outliers"),
    (Summary(letters=6, years=[2024], errors=1, muted=2),
     "6 letters of 2024 audited: 1 figure error (2 more with muted news only)"),
])  # fmt: skip
def test_headlines(summary, headline):
    assert summary.headline() == headline


def test_an_ingest_is_a_batch_and_muted_letters_are_counted_apart(store):
    MuteBook(store).mute("outlier upheld.rate", user_id="U1")
    letters = _batch_letters()
    result = store.ingest(letters, alert_channel="C1")
    batch = record_ingest(store, result)
    assert batch.letters == 8 and len(batch.alert_ids) == 7 and batch.digest
    summary = Batches(store).summary(batch)
    assert summary.headline() == (
        "8 letters of 2024, 2023 audited: 3 concerns, 2 figure errors, "
        "2 with other new paragraphs (1 more with muted news only)"
    )
    assert Batches(store).of_alerts(batch.alert_ids) == dict.fromkeys(batch.alert_ids, batch.id)
    Batches(store).digest_posted(batch.id, "C1", "123.456")
    assert Batches(store).get(batch.id).digest_ts == "123.456"
    again = store.ingest(letters, alert_channel="C1")  # nothing new: no batch
    assert record_ingest(store, again) is None


def test_the_year_summary_and_the_home_tab(store):
    assert year_summary(store) == Summary(letters=0)
    store.ingest(_batch_letters(), alert_channel="C1")
    latest = year_summary(store)
    assert (latest.letters, latest.years, latest.concerns, latest.errors, latest.outliers, latest.other) == (
        7, [2024], 3, 2, 1, 1)  # fmt: skip
    assert year_summary(store, 2023).other == 1
    [first, *_] = store.pending_alerts()
    store.alert_sent(first.id)
    MuteBook(store).acknowledge(first.id, user_id="U9")
    MuteBook(store).mute("remedies", user_id="U1", authority="Alpha Council")
    tab = home(store)
    assert tab.summary == latest and tab.pending == 6
    assert [(r.authority, r.acknowledged_by) for r in tab.recent] == [("Alpha Council", "U9")]
    assert [(m.topic, m.authority) for m in tab.mutes] == [("remedies", "Alpha Council")]
