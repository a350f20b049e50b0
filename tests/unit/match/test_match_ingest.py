"""The fast pass of validation (``_ingest.checked_arrays``) against the reference: it gives the
same arrays as the entry-by-entry conversion, and it lets through exactly the instances in which
``_validate.find_problems`` finds nothing (on valid markets and on markets broken one rule at a
time)."""

from __future__ import annotations

import dataclasses
import random
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import random_market
from matchready.match import Applicant, Couple, Instance, Program, Reversion, SupplementalList
from matchready.match._arrays import MarketArrays
from matchready.match._ingest import checked_arrays, reference_arrays
from matchready.match._validate import find_problems

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

markets = st.builds(
    random_market,
    seed=st.integers(0, 10**6),
    applicants=st.integers(1, 14),
    programs=st.integers(1, 6),
    couples=st.integers(0, 3),
    supplemental=st.booleans(),
    reversions=st.integers(0, 2),
)


def same_arrays(one: MarketArrays, other: MarketArrays) -> bool:
    return all(
        np.array_equal(getattr(one, f.name), getattr(other, f.name))
        for f in dataclasses.fields(MarketArrays)
    )


def unchecked(instance: Instance, **changes: Any) -> Instance:
    """A copy of ``instance`` with ``changes``, built without validation (to test it)."""
    copy = object.__new__(Instance)
    for f in dataclasses.fields(Instance):
        object.__setattr__(copy, f.name, changes.get(f.name, getattr(instance, f.name)))
    return copy


def _with_applicant(instance: Instance, index: int, **changes: Any) -> Instance:
    applicants = list(instance.applicants)
    applicants[index] = dataclasses.replace(applicants[index], **changes)
    return unchecked(instance, applicants=tuple(applicants))


def _with_program(instance: Instance, index: int, **changes: Any) -> Instance:
    programs = list(instance.programs)
    programs[index] = dataclasses.replace(programs[index], **changes)
    return unchecked(instance, programs=tuple(programs))


def broken(instance: Instance, rng: random.Random) -> Instance:
    """``instance`` with one rule possibly broken (some changes leave it valid)."""
    a = rng.randrange(len(instance.applicants))
    p = rng.randrange(len(instance.programs))
    applicant, program = instance.applicants[a], instance.programs[p]
    pid = program.id
    choices = [
        lambda: _with_applicant(instance, a, ranks=(*applicant.ranks, "nowhere")),
        lambda: _with_applicant(instance, a, ranks=(*applicant.ranks, None)),
        lambda: _with_applicant(instance, a, ranks=(*applicant.ranks, pid, pid)),
        lambda: _with_applicant(instance, a, ranks=(pid,) * 301),
        lambda: _with_applicant(instance, a, id=instance.applicants[0].id),
        lambda: _with_applicant(instance, a, id=""),
        lambda: _with_applicant(instance, a, id=None),
        lambda: _with_applicant(
            instance, a, supplemental=(SupplementalList((pid,), (instance.programs[0].id,)),)
        ),
        lambda: _with_applicant(
            instance,
            a,
            supplemental=(*applicant.supplemental, *applicant.supplemental),
        ),
        lambda: _with_applicant(instance, a, supplemental=(SupplementalList((), ()),)),
        lambda: _with_program(instance, p, capacity=rng.choice([-1, 1.5, True, 2**31, "2"])),
        lambda: _with_program(instance, p, kind=rng.choice(["fellowship", ["advanced"]])),
        lambda: _with_program(instance, p, ranks=(*program.ranks, "nobody")),
        lambda: _with_program(instance, p, ranks=(*program.ranks, None)),
        lambda: _with_program(instance, p, ranks=(applicant.id, applicant.id)),
        lambda: _with_program(instance, p, id=instance.programs[0].id),
        lambda: unchecked(instance, couples=(*instance.couples, Couple(applicant.id, "ghost"))),
        lambda: unchecked(
            instance, couples=(*instance.couples, Couple(applicant.id, applicant.id))
        ),
        lambda: unchecked(
            instance,
            couples=(*instance.couples, Couple(applicant.id, instance.applicants[-1].id)),
        ),
        lambda: unchecked(instance, reversions=(*instance.reversions, Reversion(pid, pid))),
        lambda: unchecked(
            instance,
            reversions=(
                *instance.reversions,
                Reversion(pid, instance.programs[0].id),
                Reversion(instance.programs[0].id, pid),
            ),
        ),
    ]
    return rng.choice(choices)()


@SETTINGS
@given(markets)
def test_the_fast_pass_gives_the_reference_arrays(instance: Instance) -> None:
    fast = checked_arrays(instance)
    assert fast is not None
    assert same_arrays(fast, reference_arrays(instance))


@SETTINGS
@given(markets, st.randoms(use_true_random=False))
def test_the_fast_pass_lets_through_exactly_the_valid_instances(
    instance: Instance, rng: random.Random
) -> None:
    changed = broken(instance, rng)
    fast = checked_arrays(changed)
    assert (fast is not None) == (find_problems(changed) == [])
    if fast is not None:
        assert same_arrays(fast, reference_arrays(changed))


def test_an_instance_keeps_the_arrays_its_validation_built() -> None:
    instance = Instance(
        programs=(Program("ADV", 1, ("s",), "advanced"), Program("PRE", 1, ("s",), "preliminary")),
        applicants=(Applicant("s", ("ADV",), (SupplementalList(("ADV",), ("PRE",)),)),),
    )
    arrays = instance.__dict__["_arrays"]
    assert arrays.supplemental_link.tolist() == [0]
    assert arrays.supplemental_programs.tolist() == [1]
    assert arrays.program_applicants.tolist() == [0, 0]
