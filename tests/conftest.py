"""Shared fixtures: the seed letters and their expected audits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SEEDS = sorted((DATA / "seeds").glob("*.txt"))
SEED_IDS = [p.stem[:3] for p in SEEDS]


def expected(seed: Path) -> dict:
    """The hand-written expected audit of a seed letter."""
    return json.loads((DATA / "expected" / f"{seed.stem}.json").read_text("utf-8"))


@pytest.fixture(params=SEEDS, ids=SEED_IDS)
def seed(request) -> Path:
    return request.param


@pytest.fixture
def write(tmp_path):
    """Write text (or bytes) to a file under tmp_path and return its path."""

    def _write(name: str, content: str | bytes, newline: str | None = None) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            with open(path, "w", encoding="utf-8", newline=newline or "") as fh:
                fh.write(content)
        return path

    return _write


@pytest.fixture(autouse=True, scope="session")
def _private_data_dir_for_the_session(tmp_path_factory):
    """The same for module- and session-scoped fixtures, which run outside any test's
    ``monkeypatch``: an audit there would otherwise learn templates into the user's data
    directory, and later audits of that year (the user's, and other tests') would use them."""
    data = tmp_path_factory.mktemp("lgso-session-data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LGSO_DB", str(data / "lgso.db"))
        mp.setenv("LGSO_CACHE", str(data / "extract-cache.db"))
        yield


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory, monkeypatch):
    """No test writes to the user's data directory: cache and store live in a temp folder."""
    data = tmp_path_factory.mktemp("lgso-data")
    monkeypatch.setenv("LGSO_DB", str(data / "lgso.db"))
    monkeypatch.setenv("LGSO_CACHE", str(data / "extract-cache.db"))
