"""The rate limiter: the limit, its window, a reset on success, refused attempts not kept."""

from __future__ import annotations

import pytest

from matchready.services.accounts import (
    Limit,
    MemoryAttemptStore,
    RateLimiter,
    TooManyAttempts,
)

THREE = Limit("test", 3, 60.0)


def test_the_limit_holds_for_the_window_then_lifts() -> None:
    limiter = RateLimiter(MemoryAttemptStore(), prune_every=0)
    for second in range(3):
        limiter.begin([(THREE, "ip|a@example.org")], now=float(second))
    with pytest.raises(TooManyAttempts) as raised:
        limiter.begin([(THREE, "ip|a@example.org")], now=10.0)
    assert raised.value.retry_after == 51
    assert str(raised.value) == "too many failed logins; try again in about 1 minute(s)"
    limiter.begin([(THREE, "other")], now=10.0)  # other subjects are not affected
    limiter.begin([(THREE, "ip|a@example.org")], now=61.0)  # the first left the window


def test_success_forgets_the_attempt_and_the_named_keys() -> None:
    limiter = RateLimiter(MemoryAttemptStore(), prune_every=0)
    two = Limit("two", 2, 60.0)
    limiter.begin([(two, "k")], now=0.0)  # a failure: kept
    limiter.begin([(two, "k")], now=1.0, clear_on_success=[(two, "k")]).succeeded()
    limiter.begin([(two, "k")], now=2.0)
    limiter.begin([(two, "k")], now=3.0)
    with pytest.raises(TooManyAttempts):
        limiter.begin([(two, "k")], now=4.0)


def test_a_refused_attempt_is_not_kept_and_every_limit_is_checked() -> None:
    store = MemoryAttemptStore()
    limiter = RateLimiter(store, prune_every=0)
    one, many = Limit("one", 1, 60.0), Limit("many", 100, 60.0)
    limiter.begin([(many, "addr"), (one, "acct")], now=0.0)
    for second in range(1, 50):
        with pytest.raises(TooManyAttempts):
            limiter.begin([(many, "addr"), (one, "acct")], now=float(second))
    assert len(store._rows) == 2  # the admitted attempt under both keys; refusals removed


def test_old_attempts_are_pruned() -> None:
    store = MemoryAttemptStore()
    limiter = RateLimiter(store, prune_every=1.0)
    limiter.begin([(THREE, "old")], now=0.0)
    limiter.begin([(THREE, "new")], now=100_000.0)
    assert [k for k, _ in store._rows.values()] == [limiter_key("new")]


def limiter_key(subject: str) -> str:
    from matchready.services.accounts import _key

    return _key(THREE, subject)
