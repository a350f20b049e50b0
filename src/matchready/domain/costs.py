"""The itemised cost of the road still ahead for one applicant (pure; fees come from `Facts`).

Every line names its source and season. A fee our sources do not give for the season is a line
with `amount_usd=None` ("unknown"), never zero; the total is then "at least $X + N unknown".
ERAS per-program fees are tiered per specialty, and the count restarts for each specialty
(domain-facts.md §3).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from matchready.domain.applicant import Pathway, PathwayStatus, ProgressStatus, VisaPreference
from matchready.domain.applicant import Profile as ApplicantProfile
from matchready.domain.facts import ApplicationService, Facts, FeeFact
from matchready.domain.report import Citation

NRMP_INCLUDED_RANKS = 20


class CostStatus(StrEnum):
    VERIFIED = "verified"
    UNVERIFIED = "unverified"
    UNKNOWN = "unknown"
    USER = "user"


class CostLine(BaseModel):
    """One item of cost; `amount_usd` is None when the fee is not in our sources."""

    model_config = ConfigDict(frozen=True)

    key: str
    title: str
    amount_usd: int | None
    status: CostStatus
    basis: str = Field(description="How the amount was worked out, or why it is unknown")
    citations: list[Citation] = Field(default_factory=list)

    @property
    def label(self) -> str:
        if self.amount_usd is None:
            return "unknown"
        text = f"${self.amount_usd:,}"
        return f"{text} (unverified)" if self.status is CostStatus.UNVERIFIED else text


class CostEstimate(BaseModel):
    """Every cost line, the known total and how many items are unknown."""

    model_config = ConfigDict(frozen=True)

    as_of: date
    match_year: int
    lines: list[CostLine]
    known_total_usd: int
    unknown_items: int
    unverified_items: int
    notes: list[str] = Field(default_factory=list)

    @property
    def total_text(self) -> str:
        text = f"${self.known_total_usd:,}"
        if self.unknown_items:
            plural = "item" if self.unknown_items == 1 else "items"
            text = f"at least {text} + {self.unknown_items} unknown {plural}"
        if self.unverified_items:
            text += f" ({self.unverified_items} unverified)"
        return text


def tiered_amount(tiers: tuple[FeeFact, ...], count: int) -> int:
    """The sum over `count` programs (or ranks) numbered 1..count of each number's tier fee."""
    total = 0
    for tier in tiers:
        low = tier.tier_from or 1
        high = count if tier.tier_to is None else min(tier.tier_to, count)
        if high >= low:
            # A block fee is one amount for any number of programs in its tier.
            total += tier.amount_usd if tier.per == "block" else (high - low + 1) * tier.amount_usd
    return total


def _status(rows: tuple[FeeFact, ...] | list[FeeFact]) -> CostStatus:
    return CostStatus.VERIFIED if all(r.verified for r in rows) else CostStatus.UNVERIFIED


def _unknown(key: str, title: str, why: str) -> CostLine:
    return CostLine(key=key, title=title, amount_usd=None, status=CostStatus.UNKNOWN, basis=why)


def _other_service_line(
    facts: Facts, match_year: int, specialty: str, count: int, service: ApplicationService
) -> CostLine:
    """Applications through a service other than ERAS (ResidencyCAS for EM and OB/GYN), priced
    by that service's own schedule for the specialty when our sources have it."""
    cited = [Citation.of(service.fact)] if service.fact is not None else []
    title = f"{service.name} applications, {specialty} ({count})"
    why = service.fact.summary if service.fact is not None else f"{specialty} uses {service.name}"
    tiers, carried = facts.fee_tiers_at(service.fee_key, match_year)
    if not tiers:
        return CostLine(
            key=f"applications.{specialty}",
            title=title,
            amount_usd=None,
            status=CostStatus.UNKNOWN,
            basis=f"{why}; its fees are not in our sources.",
            citations=cited,
        )
    basis = f"{why}; {tiers[0].summary.split(':')[0]}" + (f" ({carried})" if carried else "")
    return CostLine(
        key=f"applications.{specialty}",
        title=title,
        amount_usd=tiered_amount(tiers, count),
        status=_status(tiers),
        basis=basis,
        citations=[*cited, Citation.of(tiers[0])],
    )


def eras_program_lines(facts: Facts, match_year: int, counts: Mapping[str, int]) -> list[CostLine]:
    """One line per specialty: ERAS fees for that many programs by the season's tiers."""
    tiers = facts.fee_tiers("eras.program", match_year)
    lines: list[CostLine] = []
    for specialty, count in counts.items():
        key, title = f"eras.programs.{specialty}", f"ERAS applications, {specialty} ({count})"
        service = facts.application_service(specialty, match_year)
        if not service.eras:
            lines.append(_other_service_line(facts, match_year, specialty, count, service))
            continue
        if not tiers:
            why = f"The ERAS per-program fee of the {match_year} season is not in our sources."
            lines.append(_unknown(key, title, why))
            continue
        parts = ", ".join(
            f"${t.amount_usd} each for programs {t.tier_from}-{t.tier_to or ''}".rstrip("-")
            + ("" if t.tier_to else " on")
            for t in tiers
        )
        lines.append(
            CostLine(
                key=key,
                title=title,
                amount_usd=tiered_amount(tiers, count),
                status=_status(tiers),
                basis=f"{count} programs; {parts}; {match_year} season",
                citations=[Citation.of(t) for t in tiers[:1]],
            )
        )
    return lines


def _flat(facts: Facts, key: str, match_year: int, title: str, what: str) -> CostLine:
    fee = facts.fee(key, match_year)
    if fee is None:
        return _unknown(
            key, title, f"The {what} of the {match_year} season is not in our sources."
        )
    basis = f"{fee.summary}, {match_year} season" + (f" ({fee.note})" if fee.note else "")
    return CostLine(
        key=key,
        title=title,
        amount_usd=fee.amount_usd,
        status=_status([fee]),
        basis=basis,
        citations=[Citation.of(fee)],
    )


def _exam_lines(profile: ApplicantProfile) -> list[CostLine]:
    lines: list[CostLine] = []
    why = "Our sources hold only unverified estimates of this fee; check the official fee table."
    if profile.ecfmg.application is not ProgressStatus.DONE:
        lines.append(_unknown("ecfmg.application", "Application for ECFMG Certification", why))
    for key, name, exam in (
        ("usmle.step1", "USMLE Step 1", profile.exams.step1),
        ("usmle.step2ck", "USMLE Step 2 CK", profile.exams.step2ck),
    ):
        if not exam.passed:
            lines.append(_unknown(key, f"{name} exam fee", why))
    wants_h1b = profile.visa.preference in (VisaPreference.H1B, VisaPreference.EITHER)
    if profile.needs_visa and wants_h1b and not profile.exams.step3.passed:
        lines.append(_unknown("usmle.step3", "USMLE Step 3 exam fee (needed for an H-1B)", why))
    comm = profile.communication
    met = comm.pathway is Pathway.STEP2_CS or comm.status is PathwayStatus.ACCEPTED
    if not met:
        lines.append(_unknown("ecfmg.pathways", "ECFMG Pathways application", why))
        if comm.oet is None:
            lines.append(_unknown("oet.medicine", "OET Medicine test fee", why))
    return lines


def _nrmp_lines(facts: Facts, match_year: int, ranks: int | None) -> list[CostLine]:
    lines = [_flat(facts, "nrmp.registration", match_year, "NRMP registration", "NRMP fee")]
    if ranks is None or ranks <= NRMP_INCLUDED_RANKS:
        return lines
    tiers = facts.fee_tiers("nrmp.extra_rank", match_year)
    title = f"NRMP extra ranks ({ranks - NRMP_INCLUDED_RANKS} beyond {NRMP_INCLUDED_RANKS})"
    if not tiers:
        why = f"The NRMP extra rank fee of the {match_year} Match is not in our sources."
        lines.append(_unknown("nrmp.extra_rank", title, why))
    else:
        lines.append(
            CostLine(
                key="nrmp.extra_rank",
                title=title,
                amount_usd=tiered_amount(tiers, ranks),
                status=_status(tiers),
                basis=f"{ranks} programs ranked; ${tiers[0].amount_usd} for each program "
                f"beyond {(tiers[0].tier_from or 1) - 1}; {match_year} Match",
                citations=[Citation.of(t) for t in tiers],
            )
        )
    return lines


def estimate_costs(
    profile: ApplicantProfile,
    facts: Facts,
    as_of: date,
    programs: Mapping[str, int],
    *,
    ranks: int | None = None,
    travel_usd: int | None = None,
) -> CostEstimate:
    """The itemised cost ahead for `profile`'s target Match, with `programs` per specialty."""
    year = profile.target.match_year
    notes: list[str] = []
    lines = _exam_lines(profile)
    lines.append(_flat(facts, "eras.token", year, "ERAS token (from ECFMG)", "ERAS token price"))
    if programs:
        lines += eras_program_lines(facts, year, programs)
    else:
        notes.append("ERAS per-program fees not counted: give the number of programs.")
    lines.append(
        _flat(facts, "eras.usmle_transcript", year, "USMLE transcript fee", "transcript fee")
    )
    lines += _nrmp_lines(facts, year, ranks)
    if ranks is None:
        notes.append(
            f"NRMP extra rank fees apply beyond {NRMP_INCLUDED_RANKS} programs ranked; "
            "not counted (give the number of ranks)."
        )
    if travel_usd is not None:
        lines.append(
            CostLine(
                key="travel",
                title="Interview travel (your estimate)",
                amount_usd=travel_usd,
                status=CostStatus.USER,
                basis="The amount you gave",
            )
        )
    known = sum(line.amount_usd for line in lines if line.amount_usd is not None)
    return CostEstimate(
        as_of=as_of,
        match_year=year,
        lines=lines,
        known_total_usd=known,
        unknown_items=sum(1 for line in lines if line.amount_usd is None),
        unverified_items=sum(1 for line in lines if line.status is CostStatus.UNVERIFIED),
        notes=notes,
    )
