"""Slash commands against a real ``lgso bot`` process over loopback, and how fast they are acked.

    python bench/slashload.py [-n 1200] [--concurrency 20] [--ingest 400]

Starts a stand-in for Slack's Web API (``tests/bot/slackfake.py``), a store holding the five
seed letters, and ``lgso bot --port 0``; then sends ``-n`` signed ``/lgso`` commands,
``--concurrency`` at a time, and prints how many were acknowledged, how many failed (a
connection reset, an error status), and the median, 95th percentile and slowest ack. With
``--ingest N`` a corpus of N letters (``bench/corpus.py``) is ingested meanwhile, with
alerts to the fake Slack. Everything lives in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "bot"))

from slackfake import SECRET, SEEDS, FakeSlack, command_body, post_signed  # noqa: E402

QUESTIONS = ["rutland", "rotherham metropolitn", "kingston", "outliers", "deviations 2020", "help"]


def _one(url: str, body: str) -> tuple[str, float]:
    start = time.monotonic()
    try:
        status, _ = post_signed(url, body)
        outcome = str(status)
    except OSError as exc:  # a reset or refused connection
        outcome = type(exc).__name__
    return outcome, time.monotonic() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=1200)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--ingest", type=int, default=0, metavar="N")
    args = parser.parse_args(argv)
    fake = FakeSlack()
    with tempfile.TemporaryDirectory(prefix="lgso-slashload-") as tmp:
        env = {**os.environ, "LGSO_DB": f"{tmp}/audits.sqlite3", "SLACK_BOT_TOKEN": "xoxb-test",
               "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake.api_url, "LGSO_ALERT_CHANNEL": ""}  # fmt: skip
        env.pop("SLACK_APP_TOKEN", None)
        lgso = [sys.executable, "-m", "lgso"]
        subprocess.run([*lgso, "ingest", str(SEEDS)], env=env, check=True, capture_output=True)
        ingest = None
        if args.ingest:
            corpus = Path(tmp) / "corpus"
            subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), str(corpus), "-n", str(args.ingest)],
                           check=True, capture_output=True)  # fmt: skip
        bot = subprocess.Popen([*lgso, "bot", "--port", "0"], env=env, stderr=subprocess.PIPE, text=True)
        try:
            url = bot.stderr.readline().split("listening on ")[1].strip()
            if args.ingest:
                ingest = subprocess.Popen([*lgso, "ingest", str(corpus / "text"), "--alert-channel", "C1"],
                                          env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
                time.sleep(1.0)
            bodies = [
                command_body(QUESTIONS[i % len(QUESTIONS)], f"{fake.url}/respond/{i}") for i in range(args.n)
            ]
            started = time.monotonic()
            with ThreadPoolExecutor(args.concurrency) as pool:
                results = list(pool.map(lambda b: _one(url, b), bodies))
            took = time.monotonic() - started
            still = ingest is not None and ingest.poll() is None
        finally:
            for proc in (ingest, bot):
                if proc is not None and proc.poll() is None:
                    proc.terminate()
                    proc.wait(timeout=30)
            fake.close()
    times = sorted(t for _, t in results)
    failed = [o for o, _ in results if o != "200"]
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"{args.n} commands, {args.concurrency} at a time, in {took:.1f} s"
          + (f" (a {args.ingest}-letter ingest {'still running' if still else 'finished'} at the end)"
             if args.ingest else ""))  # fmt: skip
    print(f"acknowledged: {len(results) - len(failed)}; failed: {len(failed)} {sorted(set(failed))}")
    print(f"ack time: median {statistics.median(times):.3f} s, p95 {p95:.3f} s, slowest {times[-1]:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
