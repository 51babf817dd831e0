"""The benchmark of issue 5: one run, one corpus, one table.

    python bench/run.py [--quick] [--n 400] [--repeat 3] [--corpus DIR] [--profile]

Builds (or reuses) a synthetic corpus (``corpus.py``) under the system temp folder and
measures, on it: letters per second for text and PDF through the CLI (a subprocess, process
start included); 40 three-page PDFs on one job without the cache against bare pdfplumber
``extract_text``; 400 PDFs on two jobs; a warm (cached) against a cold re-audit; our
alignment against the difflib baseline (``baseline.py``); the CLI's peak memory for 40 and
400 PDFs; the ``/lgso NAME`` answer time on a 4,000-letter store; and the precision and
recall of the audit on the corpus. Targets are printed beside the numbers. See README.md.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import corpus
import score
from rich.console import Console
from rich.table import Table

BENCH_HOME = Path(tempfile.gettempdir()) / "lgso-bench"
STORE_LETTERS = 4000


@dataclass
class Row:
    """One line of the table."""

    measure: str
    value: str
    target: str = ""
    result: str = ""
    note: str = ""


@dataclass
class Run:
    """One CLI run: wall time (process start included), peak memory, exit code."""

    seconds: float
    maxrss_mb: float
    code: int
    stderr: str


# --------------------------------------------------------------------------- the CLI


def lgso_command() -> list[str]:
    """The ``lgso`` of this interpreter's environment (else the one on PATH)."""
    beside = Path(sys.executable).with_name("lgso")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("lgso")
    if found:
        return [found]
    return [sys.executable, "-m", "lgso"]


def audit_flags() -> set[str]:
    """The long options ``lgso audit --help`` lists."""
    out = subprocess.run([*lgso_command(), "audit", "--help"], capture_output=True, text=True, check=False)
    return set(re.findall(r"(--[a-z][a-z-]*)", out.stdout))


class Cli:
    """Runs ``lgso audit`` with the store and the cache in a folder of the bench's own."""

    def __init__(self, home: Path, flags: set[str]):
        self.home = home
        self.flags = flags
        self.cache = home / "cache.db"
        self._fresh = 0

    def missing(self, *flags: str) -> list[str]:
        return [f for f in flags if f not in self.flags]

    def env(self, *, fresh_cache: bool = False) -> dict[str, str]:
        """The environment of a run; ``fresh_cache`` points it at a new, empty cache."""
        env = dict(os.environ, LGSO_DB=str(self.home / "store.sqlite3"), LGSO_CACHE=str(self.cache))
        if fresh_cache:
            self._fresh += 1
            env["LGSO_CACHE"] = str(self.home / f"cold-{self._fresh}.db")
        return env

    def audit(self, paths: list[str], *extra: str, output: str = os.devnull, cold: bool = False) -> Run:
        """One ``lgso audit --format json --output OUTPUT`` run; ``cold`` adds ``--no-cache``
        (when the CLI has it) and a fresh cache file either way."""
        args = [a for a in extra if a.split("=")[0] in self.flags or not a.startswith("--")]
        if cold and "--no-cache" in self.flags:
            args.append("--no-cache")
        cmd = [*lgso_command(), "audit", *paths, "--format", "json", "--output", output,
               "--fail-on", "never", *args]  # fmt: skip
        with tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err,
                                    env=self.env(fresh_cache=cold))  # fmt: skip
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - start
            proc.returncode = code = os.waitstatus_to_exitcode(status)
            err.seek(0)
            stderr = err.read().decode("utf-8", "replace")
        return Run(seconds, usage.ru_maxrss / 1024, code, stderr)

    def timed(self, paths: list[str], *extra: str, repeat: int = 1, cold: bool = False) -> Run:
        """The median of ``repeat`` runs (by wall time); the first failed run if any fails."""
        runs = []
        for _ in range(repeat):
            run = self.audit(paths, *extra, cold=cold)
            if run.code not in (0, 1):
                return run
            runs.append(run)
        return sorted(runs, key=lambda r: r.seconds)[len(runs) // 2]


def _failed(run: Run) -> str | None:
    if run.code in (0, 1):
        return None
    last = run.stderr.strip().splitlines()[-1:] or ["no message"]
    return f"lgso exited {run.code}: {last[0][:80]}"


# --------------------------------------------------------------------------- measures


def verdict(ok: bool, judged: bool = True) -> str:
    if not judged:
        return "— (quick)"
    return "[green]PASS[/]" if ok else "[red]FAIL[/]"


def flag_note(cli: Cli, *flags: str) -> str | None:
    missing = cli.missing(*flags)
    return f"n/a (flag missing: {' '.join(missing)})" if missing else None


def bare_pdfplumber(files: list[str]) -> float:
    """Seconds for pdfplumber to open each file and ``extract_text()`` every page."""
    import pdfplumber

    start = time.perf_counter()
    for path in files:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
    return time.perf_counter() - start


def alignment(text_files: list[str], sample_size: int, repeat: int) -> dict:
    """Our ``align`` and the difflib baseline on the same letters: seconds per letter, and
    how many letters they classify differently."""
    import baseline

    from lgso_core import load_letter, load_template
    from lgso_core.align import align
    from lgso_core.template import comparable

    compiled = load_template(corpus.YEAR).compiled()
    letters = [load_letter(path) for path in text_files[:sample_size]]
    kwargs = {"with_tags": False} if "with_tags" in inspect.signature(align).parameters else {}
    forget = getattr(comparable, "cache_clear", lambda: None)  # each pass starts cold
    ours = {}
    best = float("inf")
    for _ in range(repeat):
        forget()
        start = time.perf_counter()
        for letter in letters:
            ours[letter.source] = align(letter.paragraphs, compiled, **kwargs)
        best = min(best, time.perf_counter() - start)
    words = baseline.prepare(compiled)
    forget()
    start = time.perf_counter()
    theirs = {
        letter.source: baseline.align_difflib([p.text for p in letter.paragraphs], compiled, words)
        for letter in letters
    }
    slow = time.perf_counter() - start
    differ = sum(
        Counter((d.kind, d.text) for d in ours[src]) != Counter(theirs[src]) for src in theirs
    )  # fmt: skip
    return {
        "ours": best / len(letters),
        "difflib": slow / len(letters),
        "compared": len(letters),
        "differ": differ,
    }


def store_lookup(text_files: list[str], home: Path, size: int) -> dict | str:
    """Median seconds of the ``/lgso NAME`` answer on a store of ``size`` letters, or why
    it could not be measured."""
    try:
        from lgso_core import audit_paths
        from lgso_core.store import Store
    except ImportError as exc:
        return f"skipped: no store API ({exc})"
    try:
        from lgso_core.answer import ask as answer
    except ImportError:
        try:
            from lgso_core.lookup import find_authority as answer
        except ImportError as exc:
            return f"skipped: no lookup API ({exc})"
    if not hasattr(Store, "ingest"):
        return "skipped: Store has no ingest()"
    audits = audit_paths(text_files).letters
    path = home / f"store-{size}.sqlite3"
    path.unlink(missing_ok=True)
    store = Store(path)
    years = list(range(corpus.YEAR - size // len(audits), corpus.YEAR + 1))
    batch = []
    for i in range(size):
        audit = audits[i % len(audits)]
        year = years[-1 - i // len(audits)]
        sha = f"{i:064x}"
        batch.append(
            audit.model_copy(update={"year": year, "sha256": sha, "source": f"{year}/{audit.source}"})
        )
    start = time.perf_counter()
    store.ingest(batch)
    ingest = time.perf_counter() - start
    queries = _queries([a.authority for a in audits if a.authority], random.Random(7))
    answer(store, queries[0])  # the bot builds its authority index once per store change
    times = []
    for query in queries:
        start = time.perf_counter()
        answer(store, query)
        times.append(time.perf_counter() - start)
    store.close()
    times.sort()
    return {
        "median": statistics.median(times),
        "p95": times[int(0.95 * (len(times) - 1))],
        "queries": len(times),
        "letters": store_count(path),
        "ingest": ingest,
        "api": f"{answer.__module__}.{answer.__name__}",
    }


def store_count(path: Path) -> int:
    from lgso_core.store import Store

    with Store(path) as store:
        return store.count(current_only=False)


def _queries(names: list[str], rng: random.Random) -> list[str]:
    """What people type: full names, bare place names, typos, prefixes."""
    out = []
    for name in sorted(set(names))[:80]:
        place = re.sub(r"\b(Metropolitan|Borough|District|County|City|Council|Royal|London|of|Corporation)\b",
                       "", name).strip() or name  # fmt: skip
        place = " ".join(place.split())
        typo = place[: len(place) // 2] + place[len(place) // 2 + 1 :]
        out += [name, place.lower(), typo, place[: max(4, len(place) // 2)]]
    rng.shuffle(out)
    return out


# --------------------------------------------------------------------------- the run


def ensure_corpus(path: Path, n: int, seed: int, console: Console) -> dict:
    """The truth of the corpus at ``path``, generating it unless it is already there."""
    truth_file = path / "truth.json"
    if truth_file.exists():
        truth = json.loads(truth_file.read_text("utf-8"))
        if (truth.get("version"), truth.get("n"), truth.get("seed"), truth.get("pdf")) == (
            corpus.VERSION, n, seed, True):  # fmt: skip
            console.print(f"corpus: reusing {path}")
            return truth
    if path.exists():
        shutil.rmtree(path)
    console.print(f"corpus: writing {n} letters (text and PDF) to {path} …")
    start = time.perf_counter()
    truth = corpus.generate(path, n, seed=seed, pdf=True)
    console.print(f"corpus: done in {time.perf_counter() - start:.1f} s")
    return truth


class Bench:
    """The measures of one run, each a method adding rows; one that raises adds an error row
    and the others still run."""

    def __init__(self, args: argparse.Namespace, console: Console):
        self.console = console
        self.quick = args.quick
        self.n = args.n or (40 if self.quick else 400)
        self.small = 10 if self.quick else 40
        self.repeat = args.repeat or (1 if self.quick else 3)
        self.judged = not self.quick
        self.align_letters = args.align_letters
        self.path = args.corpus or BENCH_HOME / f"corpus-v{corpus.VERSION}-n{self.n}-s{args.seed}"
        self.truth = ensure_corpus(self.path, self.n, args.seed, console)
        entries = list(self.truth["letters"].values())
        self.text_files = [str(self.path / e["text"]) for e in entries]
        self.pdf_files = [str(self.path / e["pdf"]) for e in entries]
        home = BENCH_HOME / "home"
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        self.home = home
        self.cli = Cli(home, audit_flags())
        self.prime_json = home / "pdf-report.json"
        self.prime: Run | None = None
        self.rows: list[Row] = []

    def add(self, measure: str, value: str, target: str = "", result: str = "", note: str = "") -> None:
        self.rows.append(Row(measure, value, target, result, note))

    def run(self) -> list[Row]:
        steps = [
            (f"{self.n} text letters through the CLI", self.text),
            (f"{self.small} PDFs on one job, no cache; bare pdfplumber on the same files", self.pdf_small),
            (f"{self.n} PDFs on two jobs, cold then warm", self.pdf_batch),
            ("alignment: ours and the difflib baseline", self.alignment),
            (f"peak memory for {self.small} and {self.n} PDFs", self.memory),
            ("/lgso NAME on a store", self.lookup),
            ("precision and recall on the corpus", self.accuracy),
            (f"the HTML report of {self.n} letters", self.html_report),
        ]
        for label, measure in steps:
            self.console.print(f"[dim]… {label}[/]")
            try:
                measure()
            except Exception as exc:  # a bench of a moving codebase reports, and goes on
                self.add(label, "—", result="[red]error[/]", note=f"{type(exc).__name__}: {exc}"[:120])
        return self.rows

    def text(self) -> None:
        folder = [str(self.path / "text")]
        cold = self.cli.timed(folder, repeat=self.repeat, cold=True)
        warm = self.cli.timed(folder, repeat=self.repeat)
        self.add(f"{self.n} text letters, CLI, cold", f"{cold.seconds:.2f} s", "< 3 s (400)",
                 _failed(cold) or verdict(cold.seconds < 3, self.judged),
                 f"{self.n / cold.seconds:.0f} letters/s; default flags (cache warm): "
                 f"{warm.seconds:.2f} s")  # fmt: skip

    def pdf_small(self) -> None:
        files = self.pdf_files[: self.small]
        ours = self.cli.timed(files, "--jobs", "1", repeat=self.repeat, cold=True)
        plumber = bare_pdfplumber(files)
        ratio = ours.seconds / plumber
        self.add(f"{self.small} PDFs, CLI --jobs 1 --no-cache", f"{ours.seconds:.2f} s",
                 note=f"{self.small / ours.seconds:.0f} letters/s, process start included")  # fmt: skip
        self.add(f"{self.small} PDFs, bare pdfplumber extract_text", f"{plumber:.2f} s",
                 note=f"in process, {1000 * plumber / (3 * self.small):.0f} ms a page")  # fmt: skip
        self.add("  ratio ours / pdfplumber", f"{ratio:.3f}", "≤ 0.25",
                 _failed(ours) or flag_note(self.cli, "--jobs", "--no-cache")
                 or verdict(ratio <= 0.25, self.judged))  # fmt: skip

    def pdf_batch(self) -> None:
        folder = [str(self.path / "pdf")]
        cold = self.cli.timed(folder, "--jobs", "2", repeat=self.repeat, cold=True)
        self.add(f"{self.n} PDFs, CLI --jobs 2 --no-cache", f"{cold.seconds:.2f} s", "< 5 s (400)",
                 _failed(cold) or flag_note(self.cli, "--jobs", "--no-cache")
                 or verdict(cold.seconds < 5, self.judged),
                 f"{self.n / cold.seconds:.0f} letters/s")  # fmt: skip
        self.prime = self.cli.audit(folder, "--jobs", "2", output=str(self.prime_json))
        warm = self.cli.timed(folder, "--jobs", "2", repeat=self.repeat)
        self.add(f"{self.n} PDFs, warm re-audit (cached)", f"{warm.seconds:.2f} s", "< 1 s (400)",
                 _failed(self.prime) or _failed(warm) or flag_note(self.cli, "--no-cache")
                 or verdict(warm.seconds < 1, self.judged),
                 f"cold/warm {cold.seconds / warm.seconds:.1f}x")  # fmt: skip

    def alignment(self) -> None:
        passes = max(self.repeat, 3)
        al = alignment(self.text_files, self.align_letters or len(self.text_files), passes)
        speedup = al["difflib"] / al["ours"]
        self.add("alignment, lgso_core.align (per letter)", f"{1e3 * al['ours']:.2f} ms",
                 note=f"{al['compared']} text letters, in process, best of {passes}")  # fmt: skip
        self.add("alignment, difflib baseline (per letter)", f"{1e3 * al['difflib']:.2f} ms",
                 note=f"same letters, one pass; classified differently: {al['differ']}")  # fmt: skip
        self.add("  speed-up", f"{speedup:.0f}x", "≥ 20x", verdict(speedup >= 20))

    def memory(self) -> None:
        small = self.cli.audit(self.pdf_files[: self.small], "--jobs", "1", cold=True)
        big = self.cli.audit([str(self.path / "pdf")], "--jobs", "1", cold=True)
        growth = big.maxrss_mb / small.maxrss_mb - 1
        note = f"{growth:+.0%}"
        if self.prime_json.exists():
            note += f"; the JSON report is {self.prime_json.stat().st_size / 2**20:.1f} MB"
        self.add(f"peak RSS, {self.small} PDFs (--jobs 1)", f"{small.maxrss_mb:.0f} MB",
                 result=_failed(small) or "")  # fmt: skip
        self.add(f"peak RSS, {self.n} PDFs (--jobs 1)", f"{big.maxrss_mb:.0f} MB", "≤ +25%",
                 _failed(big) or verdict(growth <= 0.25, self.judged), note)  # fmt: skip

    def lookup(self) -> None:
        size = 400 if self.quick else STORE_LETTERS
        found = store_lookup(self.text_files, self.home, size)
        if isinstance(found, str):
            self.add(f"/lgso NAME, {size}-letter store", "—", "< 50 ms median", "n/a", found)
            return
        self.add(f"/lgso NAME, {found['letters']}-letter store, median", f"{1e3 * found['median']:.1f} ms",
                 "< 50 ms", verdict(found["median"] < 0.05, self.judged),
                 f"p95 {1e3 * found['p95']:.1f} ms over {found['queries']} queries "
                 f"via {found['api']}")  # fmt: skip

    def accuracy(self) -> None:
        from lgso_core import audit_paths

        text_report = json.loads(audit_paths([str(self.path / "text")]).model_dump_json())
        scores = [("text", score.score_report(self.truth, text_report))]
        if self.prime and not _failed(self.prime) and self.prime_json.exists():
            pdf_report = json.loads(self.prime_json.read_text("utf-8"))
            scores.append(("pdf", score.score_report(self.truth, pdf_report)))
        for kind, s in scores:
            ok = s.precision >= 0.95 and s.recall >= 0.95
            self.add(f"unique paragraphs, {kind}: precision / recall", f"{s.precision:.3f} / {s.recall:.3f}",
                     "≥ 0.95 / ≥ 0.95", verdict(ok), f"tp {s.tp}, fp {s.fp}, fn {s.fn}")  # fmt: skip
            self.add(f"figure errors, {kind}: recall", f"{s.error_recall:.3f}",
                     note=f"{s.errors_found} of {s.errors_injected}; "
                          f"clean letters with an error finding: {s.clean_flagged}")  # fmt: skip

    def html_report(self) -> None:
        from lgso_core import audit_paths
        from lgso_core.report_html import render_html

        report = audit_paths([str(self.path / "text")])
        times = []
        for _ in range(max(self.repeat, 3)):
            start = time.perf_counter()
            page = render_html(report)
            times.append(time.perf_counter() - start)
        size = len(page.encode("utf-8")) / 2**20
        self.add(f"HTML report of {len(report.letters)} letters, written", f"{min(times):.2f} s", "< 1 s (400)",
                 verdict(min(times) < 1, self.judged), "in process, best of 3")  # fmt: skip
        self.add("  its size", f"{size:.2f} MB", "< 2 MB (400)", verdict(size < 2, self.judged))


def profile(args: argparse.Namespace, console: Console) -> None:
    """cProfile of an in-process audit of the corpus's first PDFs and of its text letters."""
    import cProfile
    import pstats

    from lgso_core import audit_paths

    n = args.n or (40 if args.quick else 400)
    path = args.corpus or BENCH_HOME / f"corpus-v{corpus.VERSION}-n{n}-s{args.seed}"
    truth = ensure_corpus(path, n, args.seed, console)
    entries = list(truth["letters"].values())
    for label, files in (("40 PDFs", [str(path / e["pdf"]) for e in entries[:40]]),
                         ("text letters", [str(path / "text")])):  # fmt: skip
        prof = cProfile.Profile()
        prof.runcall(audit_paths, files, jobs=1)
        console.rule(f"cProfile: audit_paths, {label}, one job, no cache")
        stats = pstats.Stats(prof)
        stats.sort_stats("tottime").print_stats(15)
        stats.sort_stats("cumulative").print_stats("lgso_core", 15)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: 40 letters, 10 PDFs")
    parser.add_argument("--n", type=int, help="letters in the corpus (default 400; --quick 40)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, help="runs per timing, median kept (default 3; --quick 1)")
    parser.add_argument("--corpus", type=Path, help=f"corpus folder (default under {BENCH_HOME})")
    parser.add_argument("--align-letters", type=int,
                        help="letters both alignments run on (default: all)")  # fmt: skip
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the audit instead")
    args = parser.parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else 150)
    if args.profile:
        profile(args, console)
        return 0
    started = time.perf_counter()
    rows = Bench(args, console).run()
    table = Table(title=f"lgso-audit benchmark{' (quick)' if args.quick else ''}")
    for name, style in (
        ("Measure", None),
        ("Value", "bold"),
        ("Target", None),
        ("Result", None),
        ("Notes", "dim"),
    ):
        table.add_column(name, style=style, justify="right" if name == "Value" else "left")
    for row in rows:
        table.add_row(row.measure, row.value, row.target, row.result, row.note)
    console.print(table)
    console.print(f"{os.cpu_count()} cores, Python {platform.python_version()}, "
                  f"bench took {time.perf_counter() - started:.0f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
