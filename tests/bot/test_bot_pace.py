"""The posting pace: one message a second per channel, channels independent."""

from __future__ import annotations

from bot.pace import INTERVAL, Pace


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_posts_to_one_channel_are_spaced_and_channels_do_not_wait_for_each_other():
    clock = Clock()
    pace = Pace(1.0, clock=clock, sleep=clock.sleep)
    assert pace.wait("C1") == 0.0  # the first post goes at once
    assert pace.wait("C2") == 0.0  # another channel: no wait
    clock.now += 0.25
    assert pace.wait("C1") == 0.75
    assert pace.wait("C1") == 1.0
    clock.now += 5
    assert pace.wait("C1") == 0.0 and pace.wait("C2") == 0.0
    assert clock.slept == [0.75, 1.0]


def test_the_default_keeps_under_one_a_second():
    assert INTERVAL >= 1.0
