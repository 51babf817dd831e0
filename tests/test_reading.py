"""Reading a batch: input order kept in parallel, and the extraction cache."""

from __future__ import annotations

import shutil

import pytest
from conftest import SEEDS
from test_pdf_audit import seed_pdf

from lgso_core import reading
from lgso_core.cache import TextCache
from lgso_core.isolate import available_cores
from lgso_core.reading import PARALLEL_MIN, load_letters, worker_count


@pytest.fixture(scope="module")
def pdf_batch(tmp_path_factory):
    """PARALLEL_MIN + 2 PDFs with text files and a broken file interleaved."""
    folder = tmp_path_factory.mktemp("batch")
    for i in range(PARALLEL_MIN + 2):
        seed = SEEDS[i % len(SEEDS)]
        pdf = seed_pdf(seed, folder)
        pdf.rename(folder / f"{i:02d}-letter.pdf")
        if i % 6 == 0:
            shutil.copy(seed, folder / f"{i:02d}-text.txt")
    (folder / "07-broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    return folder


def test_parallel_reading_keeps_input_order_and_results(pdf_batch):
    one, one_errors = load_letters([pdf_batch], jobs=1)
    two, two_errors = load_letters([pdf_batch], jobs=2)
    assert [x.source for x in two] == [x.source for x in one] == sorted(x.source for x in one)
    assert [x.paragraphs for x in two] == [x.paragraphs for x in one]
    assert one_errors == two_errors and [e.source for e in one_errors] == [str(pdf_batch / "07-broken.pdf")]


def test_second_read_comes_from_the_cache(tmp_path, monkeypatch):
    cache = TextCache(tmp_path / "cache.db")
    for seed in SEEDS:
        shutil.copy(seed, tmp_path / seed.name)
    first, _ = load_letters([tmp_path], cache=cache)

    def no_extraction(*args, **kwargs):
        raise AssertionError("extracted again despite the cache")

    monkeypatch.setattr(reading, "read_document", no_extraction)
    second, errors = load_letters([tmp_path], cache=cache)
    assert errors == [] and second == first


def test_changed_file_is_extracted_again(tmp_path):
    cache = TextCache(tmp_path / "cache.db")
    path = tmp_path / "letter.txt"
    shutil.copy(SEEDS[1], path)
    [before], _ = load_letters([path], cache=cache)
    path.write_text(path.read_text().replace("Rutland County Council", "Rutland Council"))
    [after], _ = load_letters([path], cache=cache)
    assert after.sha256 != before.sha256
    assert any("Rutland Council" in p.text for p in after.paragraphs)


def test_cache_entry_takes_the_source_it_is_found_at(tmp_path):
    cache = TextCache(tmp_path / "cache.db")
    shutil.copy(SEEDS[0], tmp_path / "a.txt")
    shutil.copy(SEEDS[0], tmp_path / "b.txt")
    letters, _ = load_letters([tmp_path / "a.txt", tmp_path / "b.txt"], cache=cache)
    again, _ = load_letters([tmp_path / "b.txt"], cache=cache)
    assert [x.source for x in letters] == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    assert again[0].source == str(tmp_path / "b.txt")


def test_progress_is_reported_up_to_the_total(tmp_path):
    for seed in SEEDS:
        shutil.copy(seed, tmp_path / seed.name)
    calls = []
    load_letters([tmp_path], progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (len(SEEDS), len(SEEDS))
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_jobs_are_capped_at_the_cores_and_a_small_batch_uses_one_worker():
    cores = available_cores()
    assert worker_count(1000, 400) == cores
    assert worker_count(None, 400) == cores
    assert worker_count(1, 400) == 1
    assert worker_count(1000, PARALLEL_MIN - 1) == 1
