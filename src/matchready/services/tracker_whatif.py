"""What if the draft rank order list were longer? The tracker's draft, read as a rank-list
strategy (programs per specialty, preliminary programs, supplemental lists), run through the
market simulator with and without `extra` more programs on the same simulated markets."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from matchready.domain.applicant import Profile
from matchready.domain.facts import Facts
from matchready.domain.program import Program, ProgramCode, TrackType, is_nrmp_code
from matchready.domain.rank_checks import interviewed_programs
from matchready.errors import InputError
from matchready.services.ports import UnitOfWork
from matchready.services.tracker import specialty_of
from matchready.simulation.applicant import Strategy
from matchready.simulation.study import DEFAULT_SCALE, WhatIf, what_if_more_ranks


def _specialty(program: Program | None, facts: Facts) -> str:
    """Our specialty code of a program (IM, FM, ...), by its verified ACGME code or its name;
    '' when it cannot be told."""
    if program is None:
        return ""
    found = specialty_of(program, facts)
    if found:
        return found
    name = (program.specialty or "").strip().lower()
    return next((s.code for s in facts.specialties if s.name.lower() == name and name), "")


def draft_strategy(
    uow: UnitOfWork, owner: str, facts: Facts, specialty: str
) -> tuple[Strategy, list[str]]:
    """The draft as a strategy, counting only the programs the applicant interviewed at (a
    program ranks only applicants it interviewed), and the ranked programs left out.
    Preliminary programs (by the NRMP code's track letter) count as the preliminary part; the
    others by their specialty, the most ranked one first (programs whose specialty is not known
    count as `specialty`); the longest supplemental list gives the supplemental length."""
    with uow:
        tracker = uow.tracker.get(owner)
        draft = tracker.draft
        programs = {key: uow.programs.find(key) for key in draft.primary}
    if not draft.primary:
        raise InputError(
            "the draft rank list is empty: add programs first (matchready track rank add)"
        )
    kept, left_out = interviewed_programs(draft.primary, tracker.applications, tracker.interviews)
    if not kept:
        raise InputError(
            "no program on the draft rank list has an interview recorded: a program ranks only "
            "applicants it interviewed (matchready track interview, or track move ... interviewed)"
        )
    prelim = 0
    counts: Counter[str] = Counter()
    for key in kept:
        if is_nrmp_code(key) and ProgramCode(key).track is TrackType.PRELIMINARY:
            prelim += 1
        else:
            counts[_specialty(programs[key], facts) or specialty.upper()] += 1
    ranked = counts.most_common()
    main, main_ranks = ranked[0] if ranked else (specialty.upper(), 0)
    also, also_ranks = ranked[1] if len(ranked) > 1 else (None, 0)
    longest = max((len(v) for v in draft.supplemental.values()), default=0)
    shape = Strategy(main, main_ranks, prelim=prelim, also=also, also_ranks=also_ranks)
    return (replace(shape, supplemental=longest) if longest else shape), left_out


def draft_what_if(
    uow: UnitOfWork,
    owner: str,
    profile: Profile,
    facts: Facts,
    *,
    extra: int = 3,
    runs: int = 200,
    scale: float = DEFAULT_SCALE,
    seed: int = 0,
    workers: int | None = None,
) -> tuple[Strategy, WhatIf, list[str]]:
    """The draft's strategy (interviewed programs only), how much `extra` more programs change
    P(match), and the ranked programs left out for want of an interview."""
    if not 1 <= extra <= 100:
        raise InputError("--more must be from 1 to 100")
    specialty = profile.target.specialties[0]
    strategy, left_out = draft_strategy(uow, owner, facts, specialty)
    result = what_if_more_ranks(
        profile, facts, strategy, extra, runs=runs, scale=scale, seed=seed, workers=workers
    )
    return strategy, result, left_out
