"""This owner's tracker, kept per tracker revision.

Every save moves the owner's `trackers` row's revision on (in any process), and the request
reads that revision with its session (store/standing.py), so a page that shows the tracker
(home, Calendar, Costs, Tracker) reads it from its ten tables only after it changed. Without
a revision to key on (stores passed in) the tracker is read on every request.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar, cast

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from matchready.domain.tracker import Tracker
from matchready.services.tracker import Tracking
from matchready.web.routes.common import store_units
from matchready.web.state import owner, state, tracker_revision

T = TypeVar("T")


def tracking(request: Request) -> Tracking:
    """The tracker use cases for this request's owner (from the session, never the request)."""
    return Tracking(store_units(request), owner(request), state(request).facts)


def tracker_key(request: Request, *inputs: Hashable) -> tuple[Hashable, ...] | None:
    """A cache key of the owner's tracker revision and `inputs` (None: nothing to key on)."""
    revision = tracker_revision(request)
    return None if revision is None else ("tracker", owner(request), revision, *inputs)


def remember(request: Request, key: tuple[Hashable, ...] | None, compute: Callable[[], T]) -> T:
    """`compute()`, kept under `key` (from `tracker_key`); computed every time without one."""
    return compute() if key is None else state(request).memo.get(key, compute)


def owner_tracker(request: Request) -> Tracker:
    return remember(request, tracker_key(request), tracking(request).tracker)


async def owner_tracker_async(request: Request) -> Tracker:
    """`owner_tracker` for a route on the event loop: a kept tracker is returned at once,
    a read goes to the thread pool."""
    key = tracker_key(request)
    kept = None if key is None else state(request).memo.peek(key)
    if kept is not None:
        return cast(Tracker, kept)
    return await run_in_threadpool(owner_tracker, request)
