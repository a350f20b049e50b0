"""The NRMP Match engine: a standalone library (it imports nothing else from matchready).

Build an :class:`Instance` (from Python objects, JSON or CSV rank-list files), run
:func:`run_match` with the fast or the reference engine, audit any result with
:func:`check_stability`, and generate NRMP-like markets with :func:`generate`. Callers that
build many markets use the array-level entry: :class:`MarketArrays` into :func:`solve`.
"""

from matchready.match._arrays import ArrayOutcome, MarketArrays, solve, to_arrays
from matchready.match._explain import explain
from matchready.match._generate import PRESETS, MarketSpec, generate
from matchready.match._io import read_instance, read_result, write_instance, write_result
from matchready.match._model import (
    Applicant,
    Couple,
    Instance,
    InstanceError,
    InstanceProblem,
    Program,
    Reversion,
    SupplementalList,
)
from matchready.match._result import Assignment, BlockingPair, Result
from matchready.match._run import run_match
from matchready.match._stability import Audit
from matchready.match._stability import audit as check_stability

__all__ = [
    "PRESETS",
    "Applicant",
    "ArrayOutcome",
    "Assignment",
    "Audit",
    "BlockingPair",
    "Couple",
    "Instance",
    "InstanceError",
    "InstanceProblem",
    "MarketArrays",
    "MarketSpec",
    "Program",
    "Result",
    "Reversion",
    "SupplementalList",
    "check_stability",
    "explain",
    "generate",
    "read_instance",
    "read_result",
    "run_match",
    "solve",
    "to_arrays",
    "write_instance",
    "write_result",
]
