"""The NRMP Match engine: a standalone library (it imports nothing else from matchready).

Build an :class:`Instance` (from Python objects, JSON or CSV rank-list files), run
:func:`run_match` with the fast or the reference engine (it searches on until a stable matching
is found or, for a small market, :func:`exact_stable` proves none exists), audit any result with
:func:`check_stability` under each published couple definition, and generate NRMP-like markets
with :func:`generate`. Callers that
build many markets use the array-level entry: :class:`MarketArrays` into :func:`solve`.
"""

from matchready.match._arrays import ArrayOutcome, MarketArrays, solve, to_arrays
from matchready.match._exact import Exact, exact_stable
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
from matchready.match._result import Assignment, BlockingPair, Result, Search
from matchready.match._run import run_match, search_budget
from matchready.match._stability import STABILITY_DEFINITIONS, Audit
from matchready.match._stability import audit as check_stability
from matchready.match._warmup import is_compiled, warm_up, warm_up_apart

__all__ = [
    "PRESETS",
    "STABILITY_DEFINITIONS",
    "Applicant",
    "ArrayOutcome",
    "Assignment",
    "Audit",
    "BlockingPair",
    "Couple",
    "Exact",
    "Instance",
    "InstanceError",
    "InstanceProblem",
    "MarketArrays",
    "MarketSpec",
    "Program",
    "Result",
    "Reversion",
    "Search",
    "SupplementalList",
    "check_stability",
    "exact_stable",
    "explain",
    "generate",
    "is_compiled",
    "read_instance",
    "read_result",
    "run_match",
    "search_budget",
    "solve",
    "to_arrays",
    "warm_up",
    "warm_up_apart",
    "write_instance",
    "write_result",
]
