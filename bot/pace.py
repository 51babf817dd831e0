"""Keeping to Slack's posting rate: one message per second per channel.

Slack allows a burst but, over time, about one ``chat.postMessage`` per second to a
channel; a digest with forty thread replies posted at once would be throttled. ``Pace``
spaces the posts to each channel ``interval`` seconds apart (posts to different channels
do not wait for each other). slack_sdk's rate-limit handler still retries a 429, but
keeping to the rate means Slack has no reason to send one. Written here because slack_sdk
only reacts to 429s; it has no client-side limiter.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

INTERVAL = 1.1
"""Seconds between two posts to one channel: Slack's one a second, with a tenth to spare for
the jitter of the network (the rate is counted where the posts arrive)."""


class Pace:
    """Waits, before each post, until ``interval`` has passed since the last post to its channel."""

    def __init__(self, interval: float = INTERVAL, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):  # fmt: skip
        self.interval, self.clock, self.sleep = interval, clock, sleep
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, channel: str) -> float:
        """Block until a post to ``channel`` keeps to the rate; how long it waited."""
        with self._lock:  # one poster at a time per Pace: the order of posts is kept
            now = self.clock()
            last = self._last.get(channel)
            waited = 0.0
            if last is not None and now - last < self.interval:
                waited = self.interval - (now - last)
                self.sleep(waited)
                now = self.clock()
            self._last[channel] = now
            return waited
