"""Killable workers: a job that dies, hangs, or eats memory costs its own input only."""

from __future__ import annotations

import os
import signal
import time

from lgso_core.isolate import Failure, Limits, run_isolated


def job(item):
    """What a reader might do with one input."""
    if item == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    if item == "segfault":
        os.kill(os.getpid(), signal.SIGSEGV)
    if item == "hang":
        time.sleep(60)
    if item == "eat":
        hog = bytearray(2 << 30)  # 2 GB, past the 300 MB limit
        return len(hog)
    if item == "raise":
        raise ValueError("bad input")
    return item.upper()


ITEMS = ["a", "die", "b", "hang", "c", "eat", "d", "segfault", "e", "raise", "f"]
EXPECTED = {
    "a": "A", "b": "B", "c": "C", "d": "D", "e": "E", "f": "F",
    "die": Failure("over the 300 MB memory limit"),  # SIGKILL: what the kernel's OOM killer sends
    "hang": Failure("gave up after 0.5 s"),
    "eat": Failure("over the 300 MB memory limit"),
    "segfault": Failure("the reader crashed (SIGSEGV)"),
    "raise": Failure("could not be read: unexpected ValueError: bad input"),
}  # fmt: skip


def test_every_input_gets_its_result_or_a_reason_and_the_batch_goes_on():
    for workers in (1, 3):
        results = dict(run_isolated(ITEMS, job, workers=workers, limits=Limits(seconds=0.5, memory_mb=300)))
        assert {ITEMS[i]: r for i, r in results.items()} == EXPECTED


def test_no_worker_outlives_the_batch():
    before = _children()
    list(run_isolated(["a", "hang", "b"], job, workers=2, limits=Limits(seconds=0.3)))
    assert _children() == before


def test_a_consumer_that_stops_early_leaves_no_worker_behind():
    before = _children()
    results = run_isolated(["hang", "hang"], job, workers=2, limits=Limits(seconds=30))
    results.close()  # never started: nothing forked
    started = run_isolated(["a", "hang", "hang"], job, workers=3, limits=Limits(seconds=30))
    assert next(started) == (0, "A")
    started.close()
    assert _children() == before


def test_limits_are_worded_for_people():
    assert Limits().memory_text() == "1 GB" and Limits().time_text() == "20 s"
    assert Limits(memory_mb=1536, seconds=2.5).memory_text() == "1536 MB"
    assert Limits(seconds=2.5).time_text() == "2.5 s"


def _children() -> set[int]:
    """Process ids of this process's live (or unreaped) children."""
    me = str(os.getpid())
    found = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == me:
            found.add(int(pid))
    return found
