"""What one engine attempt returns, and the contract both engines share.

An attempt runs the Roth-Peranson procedure once for a fixed couple order (reference §1.2):
singles one at a time by deferred acceptance, then couples one at a time, then reversions.
Both engines return the same :class:`Outcome` for the same input; tests hold them to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DEFAULT_RESTART_LIMIT = 50
"""A unit (single, couple or supplemental list) re-processed from the top more often than this
is taken to be in a cycle (reference §5, "Detecting and handling cycles")."""
DEFAULT_MAX_ATTEMPTS = 8
"""Couple orders tried before giving up: the input order, then seeded re-shuffles."""


@dataclass(frozen=True)
class Outcome:
    """The matching one attempt ended with.

    ``primary`` and ``supplemental`` map applicant id to ``(program id, 0-based rank index)``;
    ``reverted`` maps donor id to the places it gave its receiver.
    """

    primary: dict[str, tuple[str, int]]
    supplemental: dict[str, tuple[str, int]]
    proposals: int
    reverted: dict[str, int]
    cycle: bool
    log: tuple[str, ...] = ()


def couple_order(count: int, seed: int, attempt: int) -> list[int]:
    """The order couples enter in: input order first, then a seeded shuffle per retry."""
    if attempt == 0:
        return list(range(count))
    generator = np.random.default_rng([seed, attempt])
    return [int(i) for i in generator.permutation(count)]
