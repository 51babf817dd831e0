"""Ingesting into the store: each year's letters judged together, re-audits, held alerts, replies.

The letters are the team's corpus (``tests/data/letters``); which of them carry paragraphs of
their own is written by hand in each ``*.expected.json`` (``unique``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import DATA

from bot.alerts import Poster, deliver_pending
from lgso_core import audit_paths, derive_template, load_letter
from lgso_core.ingest import FolderWatch, ingest_paths
from lgso_core.store import Store
from lgso_core.storesync import sync
from lgso_core.templatestore import TemplateStore

LETTERS = DATA / "letters"


def corpus(year: int) -> list[Path]:
    return sorted(p for p in (LETTERS / str(year)).iterdir() if p.suffix in (".txt", ".md"))


def unique_starts(path: Path) -> list[str]:
    """The paragraphs of its own a letter carries, as written down by hand beside it."""
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))
    return [u["starts"] for u in expected.get("unique", [])]


@pytest.fixture
def place(tmp_path):
    """A store and a template folder of its own (so two can be compared)."""

    def make(name: str) -> tuple[Store, TemplateStore]:
        return Store(tmp_path / name / "audits.sqlite3"), TemplateStore(tmp_path / name / "templates")

    return make


def copy(paths: list[Path], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(p, folder / p.name)) for p in paths]


def state(store: Store) -> dict[str, str]:
    """Every current letter's stored audit, by content."""
    return {row["sha256"]: row["audit"] for row in store.bases_and_audits()}


def alerts(store: Store) -> list[tuple[str, str]]:
    return [(a.sha256, a.channel) for a in store.pending_alerts()]


# --------------------------------------------------------------------------- one by one = batch


def test_letters_watched_one_by_one_end_as_the_same_letters_ingested_as_one_batch(tmp_path, place):
    folder = tmp_path / "watched"
    folder.mkdir()
    watched_store, watched_kept = place("watched")
    watch = FolderWatch(watched_store, folder, alert_channel="C1", settle=0, kept=watched_kept)
    held = []
    for path in corpus(2024):
        copy([path], folder)
        _, result = watch.poll()
        held.append(sum(x.held for x in result.letters))
    assert held == [1, 1, 0, 0, 0]  # the first two wait for a third letter of 2024
    batch_store, batch_kept = place("batch")
    _, result = ingest_paths(batch_store, [folder], alert_channel="C1", kept=batch_kept)
    assert result.count("new") == 5 and not any(x.held for x in result.letters)

    assert state(watched_store) == state(batch_store)
    assert (
        watched_kept.file(2024, learned=True).read_text() == batch_kept.file(2024, learned=True).read_text()
    )
    deviating = {load_letter(p).sha256 for p in corpus(2024) if unique_starts(p)}
    assert len(deviating) == 3  # Lincolnshire, Sandwell, Southwark
    for store in (watched_store, batch_store):
        queued = alerts(store)
        assert sorted(queued) == sorted((sha, "C1") for sha in deviating)  # one each, none twice
        assert store.pending_replies() == []


def test_each_letter_is_judged_as_written_down(tmp_path, place):
    store, kept = place("s")
    ingest_paths(store, corpus(2024), kept=kept)
    for path in corpus(2024):
        audit = store.letter(load_letter(path).sha256).audit
        found = [d.text for d in audit.deviations if d.kind == "unique"]
        starts = unique_starts(path)
        assert len(found) == len(starts), path.name
        assert all(text.startswith(start) for text, start in zip(found, starts, strict=True)), path.name
        assert audit.template == "saved:2024"


def test_a_letter_alone_is_audited_as_the_store_judged_it(tmp_path, place):
    store, kept = place("s")
    ingest_paths(store, corpus(2023), kept=kept)
    for path in corpus(2023):
        [alone] = audit_paths([path], kept=kept).letters
        stored = store.letter(alone.sha256).audit
        assert alone.template == stored.template == "saved:2023"
        assert alone.deviations == stored.deviations
        assert [f for f in alone.findings if f.code != "average-conflict"] == [
            f for f in stored.findings if f.code not in ("average-conflict", "type-inferred", "year-change")
        ]


# --------------------------------------------------------------------------- held, then judged


def test_a_letter_of_a_year_without_a_template_is_held_until_it_can_be_judged(tmp_path, place):
    store, kept = place("s")
    sandwell = next(p for p in corpus(2024) if p.stem == "sandwell")
    _, first = ingest_paths(store, [sandwell], alert_channel="C1", kept=kept)
    assert [x.held for x in first.letters] == [True]
    assert first.alerts_queued == 0 and alerts(store) == []
    assert (
        first.summary()
        == "1 letter: 1 new, 0 revised, 0 unchanged; 0 alerts queued. 1 held: no template for its year yet."
    )
    stored = store.letter(first.letters[0].sha256).audit
    assert stored.findings[0].code == "no-template" and stored.deviations == []
    assert stored.stats.compliance.rate == 96  # the figures are read meanwhile

    others = [p for p in corpus(2024) if p.stem in ("buckinghamshire", "cotswold-district")]
    _, then = ingest_paths(store, others, alert_channel="C1", kept=kept)
    assert then.reaudited == 1 and then.alerts_queued == 1  # Sandwell's: the two new ones have nothing to say
    assert not any(x.alert_queued for x in then.letters)
    assert (
        then.summary()
        == "2 letters: 2 new, 0 revised, 0 unchanged; 1 alert queued. 1 stored letter re-audited."
    )
    judged = store.letter(first.letters[0].sha256).audit
    assert judged.template == "saved:2024" and len([d for d in judged.deviations if d.kind == "unique"]) == 2
    assert alerts(store) == [(judged.sha256, "C1")]  # Sandwell, now that it can be judged


# --------------------------------------------------------------------------- re-audits


class FakeClient:
    """Stands in for slack_sdk's WebClient: records every message, answers with a ts."""

    def __init__(self):
        self.posted: list[dict] = []

    def chat_postMessage(self, **message):
        self.posted.append(message)
        return {"ts": f"100.{len(self.posted)}"}


def test_a_changed_verdict_gets_one_reply_in_its_alert_thread(tmp_path, place):
    store, kept = place("s")
    letters = corpus(2024)
    ingest_paths(store, letters, alert_channel="C1", kept=kept)
    client = FakeClient()
    assert deliver_pending(store, Poster(client)).sent == 3
    headlines = {m["text"] for m in client.posted if "thread_ts" not in m}
    assert len(headlines) == 3

    # the user saves a 2024 template that has Lincolnshire's thanks in it: no longer unique
    lincolnshire = next(p for p in letters if p.stem == "lincolnshire-county")
    three = [load_letter(p) for p in (lincolnshire, lincolnshire, letters[0])]
    kept.save(derive_template(three, year=2024, name="mine"))
    synced = sync(store, kept=kept, alert_channel="C1")
    assert synced.replies >= 1
    sha = load_letter(lincolnshire).sha256
    [reply] = [r for r in store.pending_replies() if r.sha256 == sha]
    assert reply.text.startswith("Re-audited against the saved:2024 template: now ")
    assert reply.text.endswith("; was 1 unique paragraph.")
    assert sync(store, kept=kept, alert_channel="C1").replies == 0  # nothing changed since

    client.posted.clear()
    deliver_pending(store, Poster(client))
    threaded = [m for m in client.posted if m.get("thread_ts") and m["text"] == reply.text]
    assert len(threaded) == 1 and store.pending_replies() == []
    assert alerts(store) == []  # a reply, not a second alert


def test_stored_letters_are_re_audited_from_their_kept_text(tmp_path, place):
    store, kept = place("s")
    paths = copy(corpus(2022), tmp_path / "letters")
    ingest_paths(store, paths, kept=kept)
    before = state(store)
    shutil.rmtree(tmp_path / "letters")  # the files are gone; the store keeps their paragraphs
    devon = next(p for p in corpus(2022) if p.stem == "devon-county")
    assert len(unique_starts(devon)) == 1
    kept.save(derive_template([load_letter(p) for p in (devon, devon, corpus(2022)[0])], year=2022))
    synced = sync(store, kept=kept)
    sha = load_letter(devon).sha256
    assert sha in synced.changed and state(store)[sha] != before[sha]
    assert [d.kind for d in store.letter(sha).audit.deviations if d.kind == "unique"] == []


def test_a_new_version_of_the_tool_re_audits_every_stored_letter(tmp_path, place, monkeypatch):
    store, kept = place("s")
    ingest_paths(store, corpus(2020 + 1), kept=kept)
    assert sync(store, kept=kept).changed == set()  # nothing new: nothing done
    monkeypatch.setattr("lgso_core.storesync.tool_version", lambda: "99.0")
    sync(store, kept=kept)
    assert {row["base_key"].split("|")[0] for row in store.current_index()} == {"99.0"}
    assert store.sync_state()["version"] == "99.0"


def test_ingest_with_a_template_keeps_judging_those_letters_against_it(tmp_path, place):
    store, kept = place("s")
    [first, *rest] = corpus(2022)
    ingest_paths(store, [first], template="2020", kept=kept)
    ingest_paths(store, rest, kept=kept)  # 2022's template is now derived from all five
    assert store.letter(load_letter(first).sha256).audit.template == "builtin:2020"
    assert {store.letter(load_letter(p).sha256).audit.template for p in rest} == {"saved:2022"}


def test_letters_whose_text_is_not_kept_are_counted_not_lost(tmp_path, place):
    from synthetic import make_audit

    store, kept = place("s")
    store.ingest([make_audit()])  # stored by an older lgso: no paragraphs kept
    _, result = ingest_paths(store, corpus(2019)[:1], kept=kept)
    assert result.stale == 1
    assert result.summary().endswith(
        "1 stored letter could not be re-audited (text not kept: ingest the files again)."
    )


def test_after_an_upgrade_a_letter_whose_year_was_misread_moves_to_its_year(tmp_path, place):
    import sqlite3

    store, kept = place("s")
    ingest_paths(store, corpus(2023), kept=kept)
    bury = load_letter(next(p for p in corpus(2023) if p.stem == "bury"))
    # as an older lgso left it: Bury's letter filed under 2022, judged against no template
    wrong = store.letter(bury.sha256).audit.model_copy(
        update={"year": 2022, "template": None, "deviations": []}
    )
    conn = sqlite3.connect(store.path)
    conn.execute(
        "UPDATE letters SET year = 2022, identity = 'bury|2022', audit = ? WHERE sha256 = ?",
        (wrong.model_dump_json(), bury.sha256),
    )
    conn.execute("UPDATE sync_state SET value = '0.0.1' WHERE key = 'version'")
    conn.commit()
    conn.close()
    synced = sync(store, kept=kept)
    assert bury.sha256 in synced.changed
    row = store.letter(bury.sha256)
    assert (row.year, row.audit.year, row.audit.template) == (2023, 2023, "saved:2023")
    assert [r["identity"] for r in store.current_index() if r["sha256"] == bury.sha256] == ["bury|2023"]


def test_without_a_channel_letters_judged_at_last_are_counted_as_calling_for_an_alert(tmp_path, place):
    store, kept = place("s")
    letters = corpus(2024)
    sandwell = next(p for p in letters if p.stem == "sandwell")
    ingest_paths(store, [sandwell], kept=kept)
    quiet = [p for p in letters if p.stem in ("buckinghamshire", "cotswold-district")]
    _, result = ingest_paths(store, quiet, kept=kept)
    assert result.alert_worthy == 1 and result.alerts_queued == 1  # Sandwell's: it waits for a channel


def test_every_years_letters_one_at_a_time_in_any_order_end_as_one_batch(tmp_path, place):
    """Metamorphic, over the whole corpus (2019 to 2025, five letters a year): a shuffled
    trickle of single ingests and one batch leave the same audits, templates and alerts."""
    import random

    letters = [p for year in range(2019, 2026) for p in corpus(year)]
    trickle = letters[:]
    random.Random(8).shuffle(trickle)
    one_store, one_kept = place("one")
    for path in trickle:
        ingest_paths(one_store, [path], alert_channel="C1", kept=one_kept)
    batch_store, batch_kept = place("batch")
    ingest_paths(batch_store, letters, alert_channel="C1", kept=batch_kept)
    assert state(one_store) == state(batch_store)
    for year in (2019, 2021, 2022, 2023, 2024, 2025):
        assert (
            one_kept.file(year, learned=True).read_text() == batch_kept.file(year, learned=True).read_text()
        )
    deviating = {load_letter(p).sha256 for p in letters if unique_starts(p)}
    assert (
        sorted(alerts(one_store)) == sorted(alerts(batch_store)) == sorted((sha, "C1") for sha in deviating)
    )
    assert one_store.pending_replies() == batch_store.pending_replies() == []
