"""The login limiter: the limit, its window, a reset on success, and bounded memory."""

from __future__ import annotations

import pytest

from matchready.services.accounts import LoginLimiter, TooManyAttempts


def test_the_limit_holds_for_the_window_then_lifts() -> None:
    limiter = LoginLimiter(attempts=3, window=60.0)
    for second in range(3):
        limiter.check("ip|a@example.org", now=float(second))
        limiter.failed("ip|a@example.org", now=float(second))
    with pytest.raises(TooManyAttempts) as raised:
        limiter.check("ip|a@example.org", now=10.0)
    assert raised.value.retry_after == 51
    limiter.check("other", now=10.0)  # other keys are not affected
    limiter.check("ip|a@example.org", now=61.0)  # the first failure has left the window


def test_success_forgets_the_failures() -> None:
    limiter = LoginLimiter(attempts=2, window=60.0)
    limiter.failed("k", now=0.0)
    limiter.succeeded("k")
    limiter.failed("k", now=1.0)
    limiter.check("k", now=2.0)


def test_expired_keys_are_dropped_when_the_table_is_full() -> None:
    limiter = LoginLimiter(attempts=5, window=60.0, max_keys=100)
    for i in range(100):
        limiter.failed(f"old-{i}", now=0.0)
    limiter.failed("fresh-0", now=30.0)  # table full, nothing expired yet: kept
    assert len(limiter._failures) == 101
    limiter.failed("fresh-1", now=80.0)  # the 100 old keys have expired
    assert set(limiter._failures) == {"fresh-0", "fresh-1"}
