"""Use case: build the tiered program list for one specialty, say what is known about how many
applications pay off, and price it with the sourced ERAS fee schedule (`matchready list build`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from matchready.domain.applicant import Profile
from matchready.domain.costs import CostLine, eras_program_lines, fee_schedule, tiered_amount
from matchready.domain.facts import Facts, FeeFact
from matchready.domain.listbuilder import ListEntry, build_list
from matchready.domain.screening_table import ProgramTable
from matchready.errors import InputError
from matchready.io.tables import write_csv_rows
from matchready.services.profile_screening import screen_profile
from matchready.services.screening import ProgramIndex

APPLY_SMART_NOTE = (
    "How many applications pay off is not known for this specialty: AAMC's Apply Smart curves "
    "(diminishing returns by applicant type) stopped in 2021 and our sources hold none of its "
    "IMG figures."
)


@dataclass(frozen=True)
class ProgramList:
    specialty: str
    match_year: int
    entries: list[ListEntry]
    left_out: int
    price: CostLine  # at the latest published schedule (labelled) when the target's is not
    budget_usd: int | None
    affordable: int | None  # programs the budget pays for (None: no budget, or price unknown)
    notes: list[str]


def _affordable(tiers: tuple[FeeFact, ...], budget: int, most: int) -> int:
    count = 0
    while count < most and tiered_amount(tiers, count + 1) <= budget:
        count += 1
    return count


def build_program_list(
    profile: Profile,
    facts: Facts,
    table: ProgramTable,
    as_of: date,
    specialty: str,
    budget_usd: int | None = None,
    index: ProgramIndex | None = None,
) -> ProgramList:
    """The list for `specialty` (our code, e.g. IM): tiers, counts, price and notes. `index`
    is the table's filter index when the caller keeps one."""
    stats = facts.specialty(specialty)
    if stats is None:
        raise InputError(f"unknown specialty '{specialty}' (see: matchready specialties)")
    report = screen_profile(profile, facts, table, as_of, specialty=stats.code, index=index)
    screenings = list(report.results())
    programs = {p.key: p for p in report.table.programs}
    entries, left_out = build_list(screenings, programs)
    year = profile.target.match_year
    count = len(entries)
    schedule = fee_schedule(facts, "eras.program", year)  # the costs' rule: one place
    affordable: int | None = None
    if budget_usd is not None and schedule.tiers:
        affordable = _affordable(schedule.tiers, budget_usd, count)
        entries = entries[:affordable]
        count = affordable
    price = eras_program_lines(facts, year, {stats.code: count})[0]
    notes = [APPLY_SMART_NOTE]
    context = facts.rule(f"applications.per_img.{stats.code.lower()}")
    if context is not None:
        notes.append(f"For context ({context.as_of}): {context.summary}: {context.value}.")
    score = profile.exams.step2ck.score if profile.exams.step2ck.passed else None
    if score is not None and stats.step2_matched_median is not None:
        side = "above" if score >= stats.step2_matched_median else "below"
        notes.append(
            f"Your Step 2 CK ({score}) is {side} the median of non-US IMGs who matched in "
            f"{stats.name} ({stats.step2_matched_median:g}, {stats.as_of} Match)."
        )
    if schedule.fallback:
        notes.append(f"ERAS fees {schedule.note}: the price may change.")
    return ProgramList(
        specialty=stats.code,
        match_year=year,
        entries=entries,
        left_out=left_out,
        price=price,
        budget_usd=budget_usd,
        affordable=affordable,
        notes=notes,
    )


LIST_COLUMNS = ["tier", "tier_name", "program", "name", "state", "fit", "img_share", "to_verify"]


def list_rows(result: ProgramList) -> list[list[str]]:
    """The list as rows of text under LIST_COLUMNS (for CSV, XLSX and tables)."""
    return [
        [
            str(int(e.tier)),
            e.tier.label,
            e.key,
            e.name,
            e.state or "",
            str(e.fit),
            "" if e.img_share is None else f"{e.img_share:.2f}",
            " ".join(e.to_verify),
        ]
        for e in result.entries
    ]


def list_csv(result: ProgramList) -> str:
    buffer = io.StringIO()
    write_csv_rows(buffer, [LIST_COLUMNS, *list_rows(result)])
    return buffer.getvalue()
