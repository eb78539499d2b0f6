"""The sliding-window limiter and the limits built on it, on a clock the test moves."""

from __future__ import annotations

import pytest

from app.config import Settings
from app.services.limits import TRY_AGAIN, Limits, SlidingWindow, TooManyAttempts


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_window_allows_the_limit_then_refuses_until_old_hits_slide_out() -> None:
    clock = Clock()
    window = SlidingWindow(limit=3, window=60, clock=clock)
    assert [window.allow("a") for _ in range(4)] == [True, True, True, False]
    # A refused attempt is not counted: the window frees up on time, not later.
    clock.now += 59
    assert not window.allow("a")
    clock.now += 1.5
    assert window.allow("a")
    assert window.count("a") == 1


def test_keys_are_counted_apart_and_reset_forgets_one() -> None:
    window = SlidingWindow(limit=2, window=60, clock=Clock())
    window.hit("a")
    window.hit("a")
    assert window.blocked("a")
    assert not window.blocked("b")
    window.reset("a")
    assert not window.blocked("a")


def small_limits(clock: Clock) -> Limits:
    settings = Settings(
        environment="test",
        join_failures_per_client=3,
        join_failures_overall=5,
        login_failures_per_account=2,
        answers_per_participant=2,
    )
    return Limits(settings, clock=clock)


def test_wrong_join_codes_block_one_client_and_slow_other_guessers_never_a_clean_one() -> None:
    clock = Clock()
    limits = small_limits(clock)
    for _ in range(3):
        limits.check_join("10.0.0.1")
        limits.join_failed("10.0.0.1")
    with pytest.raises(TooManyAttempts) as exc:
        limits.check_join("10.0.0.1")
    assert exc.value.message == TRY_AGAIN
    assert exc.value.status == 429
    # Another client may still try, until the overall budget is spent too.
    limits.check_join("10.0.0.2")
    limits.join_failed("10.0.0.2")
    limits.join_failed("10.0.0.3")
    # Then a client that guessed wrong waits; one that never did still gets in (no lock-out).
    with pytest.raises(TooManyAttempts):
        limits.check_join("10.0.0.2")
    limits.check_join("10.0.0.4")
    clock.now += 61
    limits.check_join("10.0.0.1")
    limits.check_join("10.0.0.2")


def test_failed_logins_count_per_address_and_client_and_success_resets() -> None:
    limits = small_limits(Clock())
    limits.login_failed("Begeleider@Example.nl", "10.0.0.1")
    limits.login_failed("begeleider@example.nl ", "10.0.0.1")
    with pytest.raises(TooManyAttempts):
        limits.check_login("begeleider@example.nl", "10.0.0.1")
    limits.check_login("begeleider@example.nl", "10.0.0.2")
    limits.check_login("ander@example.nl", "10.0.0.1")
    limits.login_succeeded("begeleider@example.nl", "10.0.0.1")
    limits.check_login("begeleider@example.nl", "10.0.0.1")


def test_answers_are_limited_per_participant() -> None:
    clock = Clock()
    limits = small_limits(clock)
    limits.check_answer(1)
    limits.check_answer(1)
    with pytest.raises(TooManyAttempts, match="te veel berichten"):
        limits.check_answer(1)
    limits.check_answer(2)
    clock.now += 60.5
    limits.check_answer(1)
