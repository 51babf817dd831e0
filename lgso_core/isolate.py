"""Run one job per input in worker processes that can be killed without ending the batch.

Each input gets a time limit and a memory limit. A worker that runs past its time is
killed and replaced; one that goes over its memory dies (or raises ``MemoryError``) and is
replaced; either way its input becomes one :class:`Failure` with a plain reason ("gave up
after 20 s", "over the 1 GB memory limit") and the other inputs go on.

Hand-written rather than ``concurrent.futures.ProcessPoolExecutor`` or
``multiprocessing.Pool``: a worker killed by the kernel or by us breaks the former for
every pending job (``BrokenProcessPool``) and hangs the latter's result forever, and
neither offers a per-job time limit. The workers are forked (POSIX only), so the job
function and its arguments need not be picklable; only results travel back.
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing import connection
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

CAN_FORK = hasattr(os, "fork") and hasattr(os, "wait4")


class Limits(BaseModel):
    """What one input may take before it is given up on. Defaults a real letter never
    reaches (a 3-page letter PDF takes about 20 ms and 80 MB)."""

    model_config = ConfigDict(frozen=True)
    seconds: float = Field(default=20.0, gt=0, description="Wall-clock time per input.")
    memory_mb: int = Field(
        default=1024, gt=0, description="Memory a worker may take on top of what it starts with."
    )

    def memory_text(self) -> str:
        mb = self.memory_mb
        return f"{mb // 1024} GB" if mb % 1024 == 0 else f"{mb} MB"

    def time_text(self) -> str:
        return f"{self.seconds:g} s"


@dataclass(frozen=True)
class Failure:
    """An input whose job did not return: the one-line reason."""

    reason: str


def available_cores() -> int:
    """Cores this process may run on (the CPU affinity mask, else the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _memory_failure(limits: Limits) -> Failure:
    return Failure(f"over the {limits.memory_text()} memory limit")


def _limit_memory(extra_bytes: int) -> None:
    """Cap this process's data segment at its current size plus ``extra_bytes``.

    RLIMIT_DATA (Linux 4.7+) counts the heap and private anonymous mappings, which is
    where a decompression bomb or a flood of glyph objects lands; an allocation past it
    fails (MemoryError in Python, an abort in pdfium's C++).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            status = dict(line.split(":", 1) for line in fh if ":" in line)
        now = int(status["VmData"].split()[0]) * 1024
    except (OSError, KeyError, ValueError):
        return  # not Linux: only the time limit applies
    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    cap = now + extra_bytes
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))


def _serve(conn: connection.Connection, job: Callable[[Any], Any], limits: Limits) -> None:
    """A worker's life: take (index, item), send (index, result), until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    faulthandler.disable()  # a crash is reported as one line by the parent, not as a dump
    _limit_memory(limits.memory_mb * 1024 * 1024)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, item = message
        retire = False  # a worker that ran out of memory is replaced by a fresh one
        try:
            result = job(item)
        except MemoryError:
            result, retire = _memory_failure(limits), True
        except Exception as exc:
            result = Failure(f"could not be read: unexpected {type(exc).__name__}: {exc}")
        try:
            conn.send((index, result, retire))
        except MemoryError:
            conn.send((index, _memory_failure(limits), True))
        if retire:
            return


class _Worker:
    """One forked worker and the job it is on."""

    def __init__(self, job: Callable[[Any], Any], limits: Limits, others: Sequence[_Worker]):
        parent_end, child_end = connection.Pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            code = 0
            try:
                parent_end.close()
                for other in others:
                    if other.conn is not None:
                        other.conn.close()
                _serve(child_end, job, limits)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        child_end.close()
        self.pid = pid
        self.conn: connection.Connection | None = parent_end
        self.index: int | None = None  # the input it is working on
        self.deadline = 0.0

    def give(self, index: int, item: Any, seconds: float) -> bool:
        """Hand over one input; False if the worker is already gone."""
        try:
            self.conn.send((index, item))  # type: ignore[union-attr]
        except (OSError, ValueError):
            return False
        self.index = index
        self.deadline = time.monotonic() + seconds
        return True

    def stop(self, kill: bool) -> tuple[int, resource.struct_rusage | None]:
        """End the worker (politely, or with SIGKILL) and reap it: (wait status, usage)."""
        if self.conn is not None:
            if not kill:
                with contextlib.suppress(OSError, ValueError):
                    self.conn.send(None)
            self.conn.close()
            self.conn = None
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        try:
            _, status, usage = os.wait4(self.pid, 0)
        except ChildProcessError:
            return 0, None
        return status, usage


def _death_reason(status: int, usage: resource.struct_rusage | None, limits: Limits) -> Failure:
    """Why a worker died without answering, in a user's words."""
    peak = (usage.ru_maxrss * 1024) if usage is not None else 0  # Linux reports KiB
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        # pdfium and glibc abort when an allocation fails; the kernel's OOM killer sends
        # SIGKILL. A crash near the limit is the limit too.
        if sig in (signal.SIGABRT, signal.SIGKILL) or peak >= 0.9 * limits.memory_mb * 1024 * 1024:
            return _memory_failure(limits)
        return Failure(f"the reader crashed ({signal.Signals(sig).name})")
    return Failure(f"the reader stopped unexpectedly (exit status {os.WEXITSTATUS(status)})")


def run_isolated(
    items: Sequence[Any], job: Callable[[Any], Any], *, workers: int = 1, limits: Limits | None = None
) -> Iterator[tuple[int, Any]]:
    """Yield ``(index, job(items[index]))`` or ``(index, Failure)`` for every item, as they
    finish, each item run in one of ``workers`` forked processes under ``limits``."""
    limits = limits or Limits()
    queue = deque(enumerate(items))
    pool: list[_Worker | None] = [None] * max(1, min(workers, len(items)))
    try:
        while queue or any(w is not None and w.index is not None for w in pool):
            for slot, worker in enumerate(pool):
                while queue and (worker is None or worker.index is None):
                    if worker is None:
                        worker = pool[slot] = _Worker(job, limits, [w for w in pool if w])
                    index, item = queue[0]
                    if worker.give(index, item, limits.seconds):
                        queue.popleft()
                    else:  # it died between jobs: start another
                        worker.stop(kill=True)
                        worker = pool[slot] = None
            busy = [w for w in pool if w is not None and w.index is not None]
            wait = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = set(connection.wait([w.conn for w in busy], timeout=wait))  # type: ignore[misc]
            for slot, worker in enumerate(pool):
                if worker is None or worker.index is None:
                    continue
                if worker.conn in ready:
                    try:
                        index, result, retire = worker.conn.recv()  # type: ignore[union-attr]
                    except (EOFError, OSError):
                        lost = worker.index
                        pool[slot] = None
                        yield lost, _death_reason(*worker.stop(kill=True), limits)
                        continue
                    worker.index = None
                    if retire:
                        worker.stop(kill=False)
                        pool[slot] = None
                    yield index, result
                elif time.monotonic() >= worker.deadline:
                    lost = worker.index
                    worker.stop(kill=True)
                    pool[slot] = None
                    yield lost, Failure(f"gave up after {limits.time_text()}")
    finally:
        for worker in pool:
            if worker is not None:
                worker.stop(kill=worker.index is not None)
