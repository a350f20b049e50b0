"""The itemised cost of one applicant's road, in phase (pure; fees come from `Facts`).

Every line names its source and season. A fee not published for the target season falls back to
the latest earlier published one, labelled "at the 2026 schedule; the 2027 fee is not published"
(`fee_schedule`: the one rule the list builder uses too). A fee with no published schedule at
all is a line with `amount_usd=None` ("unknown"), never zero; the total is then "at least $X + N
unknown". ERAS per-program fees are tiered per specialty, and the count restarts for each
specialty (domain-facts.md §3). Fees already due before today (the token and the applications
once programs review them, NRMP registration once ranking opens) are shown as spent, apart
from the total still ahead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from matchready.domain.applicant import Pathway, PathwayStatus, ProgressStatus, VisaPreference
from matchready.domain.applicant import Profile as ApplicantProfile
from matchready.domain.cycle import due
from matchready.domain.facts import ApplicationService, Facts, FeeFact
from matchready.domain.report import Citation
from matchready.domain.tracker import Application, AppState

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
    schedule_season: int | None = Field(
        default=None, description="The season whose published fee is used, when not the target's"
    )
    spent: bool = Field(default=False, description="Already due before today (spent or past)")
    citations: list[Citation] = Field(default_factory=list)

    @property
    def label(self) -> str:
        if self.amount_usd is None:
            return "unknown"
        text = f"${self.amount_usd:,}"
        if self.schedule_season is not None:
            text += f" (at the {self.schedule_season} schedule)"
        return f"{text} (unverified)" if self.status is CostStatus.UNVERIFIED else text


@dataclass(frozen=True)
class Schedule:
    """The fee rows used for a season: the target's own, or the latest earlier published."""

    key: str
    target: int
    season: int | None
    tiers: tuple[FeeFact, ...]
    note: str = ""  # 'at the 2026 schedule; the 2027 fee is not published' for a fallback

    @property
    def fallback(self) -> bool:
        return self.season is not None and self.season != self.target


def fee_schedule(facts: Facts, key: str, match_year: int) -> Schedule:
    """The rows of fee `key` for the `match_year` season; when that season is not published,
    the latest earlier season's (labelled as such); none when no season is published. The
    rule is the facts' own (`Facts.fee_tiers_at`, fees carry the latest published schedule)."""
    tiers, note = facts.fee_tiers_at(key, match_year)
    season = tiers[0].match_year if tiers else None
    return Schedule(key, match_year, season, tiers, note or "")


class CostEstimate(BaseModel):
    """Every cost line; the known total still ahead, what is already spent, and how many items
    are unknown."""

    model_config = ConfigDict(frozen=True)

    as_of: date
    match_year: int
    lines: list[CostLine]
    known_total_usd: int = Field(description="Known amounts still ahead")
    spent_total_usd: int = Field(default=0, description="Known amounts already due before today")
    unknown_items: int
    unverified_items: int
    earlier_schedule_items: int = Field(
        default=0, description="Lines priced at an earlier season's published schedule"
    )
    notes: list[str] = Field(default_factory=list)

    @property
    def total_text(self) -> str:
        text = f"${self.known_total_usd:,}"
        if self.unknown_items:
            plural = "item" if self.unknown_items == 1 else "items"
            text = f"at least {text} + {self.unknown_items} unknown {plural}"
        marks = []
        if self.earlier_schedule_items:
            marks.append(f"{self.earlier_schedule_items} at an earlier published schedule")
        if self.unverified_items:
            marks.append(f"{self.unverified_items} unverified")
        if marks:
            text += f" ({'; '.join(marks)})"
        if self.spent_total_usd:
            text += f"; already spent: ${self.spent_total_usd:,}"
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
    schedule = fee_schedule(facts, service.fee_key, match_year)
    tiers = schedule.tiers
    if not tiers:
        return CostLine(
            key=f"applications.{specialty}",
            title=title,
            amount_usd=None,
            status=CostStatus.UNKNOWN,
            basis=f"{why}; its fees are not in our sources.",
            citations=cited,
        )
    season = schedule.note or f"{match_year} season"
    basis = f"{why}; {tiers[0].summary.split(':')[0]}; {season}"
    return CostLine(
        key=f"applications.{specialty}",
        title=title,
        amount_usd=tiered_amount(tiers, count),
        status=_status(tiers),
        basis=basis,
        schedule_season=schedule.season if schedule.fallback else None,
        citations=[*cited, Citation.of(tiers[0])],
    )


def eras_program_lines(facts: Facts, match_year: int, counts: Mapping[str, int]) -> list[CostLine]:
    """One line per specialty: ERAS fees for that many programs by the season's tiers (the
    latest earlier published schedule, labelled, when the season's is not published)."""
    schedule = fee_schedule(facts, "eras.program", match_year)
    tiers = schedule.tiers
    lines: list[CostLine] = []
    for specialty, count in counts.items():
        key, title = f"eras.programs.{specialty}", f"ERAS applications, {specialty} ({count})"
        service = facts.application_service(specialty, match_year)
        if not service.eras:
            lines.append(_other_service_line(facts, match_year, specialty, count, service))
            continue
        if not tiers:
            why = f"No ERAS per-program fee schedule is published in our sources ({match_year})."
            lines.append(_unknown(key, title, why))
            continue
        parts = ", ".join(
            f"${t.amount_usd} each for programs {t.tier_from}-{t.tier_to or ''}".rstrip("-")
            + ("" if t.tier_to else " on")
            for t in tiers
        )
        season = schedule.note or f"{match_year} season"
        lines.append(
            CostLine(
                key=key,
                title=title,
                amount_usd=tiered_amount(tiers, count),
                status=_status(tiers),
                basis=f"{count} programs; {parts}; {season}",
                schedule_season=schedule.season if schedule.fallback else None,
                citations=[Citation.of(t) for t in tiers[:1]],
            )
        )
    return lines


def _flat(facts: Facts, key: str, match_year: int, title: str, what: str) -> CostLine:
    schedule = fee_schedule(facts, key, match_year)
    if not schedule.tiers:
        return _unknown(key, title, f"No {what} is published in our sources ({match_year}).")
    fee = schedule.tiers[0]
    season = schedule.note or f"{match_year} season"
    basis = f"{fee.summary}, {season}" + (f" ({fee.note})" if fee.note else "")
    return CostLine(
        key=key,
        title=title,
        amount_usd=fee.amount_usd,
        status=_status([fee]),
        basis=basis,
        schedule_season=schedule.season if schedule.fallback else None,
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
    schedule = fee_schedule(facts, "nrmp.extra_rank", match_year)
    tiers = schedule.tiers
    title = f"NRMP extra ranks ({ranks - NRMP_INCLUDED_RANKS} beyond {NRMP_INCLUDED_RANKS})"
    if not tiers:
        why = f"No NRMP extra rank fee is published in our sources ({match_year} Match)."
        lines.append(_unknown("nrmp.extra_rank", title, why))
    else:
        lines.append(
            CostLine(
                key="nrmp.extra_rank",
                title=title,
                amount_usd=tiered_amount(tiers, ranks),
                status=_status(tiers),
                basis=f"{ranks} programs ranked; ${tiers[0].amount_usd} for each program "
                f"beyond {(tiers[0].tier_from or 1) - 1}; "
                + (schedule.note or f"{match_year} Match"),
                schedule_season=schedule.season if schedule.fallback else None,
                citations=[Citation.of(t) for t in tiers],
            )
        )
    return lines


def submitted_counts(applications: Sequence[Application]) -> dict[str, int]:
    """Applications paid for, per specialty: each that reached 'submitted' (a withdrawal from
    'planned' was never paid)."""
    counts: dict[str, int] = {}
    for app in applications:
        if app.visited - {AppState.PLANNED, AppState.WITHDRAWN} and app.specialty:
            counts[app.specialty.upper()] = counts.get(app.specialty.upper(), 0) + 1
    return counts


def _passed(facts: Facts, year: int, event: str, as_of: date) -> date | None:
    """The event's day when it is before `as_of` (official or estimated), else None."""
    found = due(facts, year, event)
    return found.on if found.on is not None and found.on < as_of else None


SEASON_FEES = (
    "eras.token",
    "eras.programs.",
    "applications.",
    "eras.usmle_transcript",
    "residencycas.",
)


def _registration_open(facts: Facts, year: int, as_of: date, line: CostLine) -> CostLine:
    """NRMP registration while registration is open and the applicant has not said they
    registered: due now, by the standard deadline."""
    if _passed(facts, year, "nrmp_registration_opens", as_of) is None:
        return line
    deadline = due(facts, year, "nrmp_registration_deadline")
    by = (
        f"the standard deadline is {deadline.label}, a late fee applies after"
        if deadline.on is not None and deadline.on >= as_of
        else "the standard deadline has passed, so a late fee applies"
    )
    return line.model_copy(
        update={
            "basis": f"{line.basis}. Due now: registration is open and {by}. Registered "
            "already? Enter the day in your profile ('Registered with the NRMP on'; "
            "target.nrmp_registered in the file)"
        }
    )


def _in_phase(
    lines: list[CostLine],
    facts: Facts,
    year: int,
    as_of: date,
    tracked: bool,
    registered: date | None = None,
) -> list[CostLine]:
    """Mark what was due before today: application-season fees once programs review
    applications (or once the tracker shows applications submitted), NRMP registration once
    the applicant registered (or ranking opened), extra ranks after the rank order list
    deadline."""
    review = _passed(facts, year, "programs_review_opens", as_of)
    ranking = _passed(facts, year, "ranking_opens", as_of)
    deadline = _passed(facts, year, "rol_deadline", as_of)
    marked: list[CostLine] = []
    for line in lines:
        when: str | None = None
        if line.key.startswith(SEASON_FEES) and (tracked or review is not None):
            when = (
                "paid with the applications your tracker shows submitted"
                if tracked
                else f"due when you applied (programs reviewed applications from {review})"
            )
        elif line.key == "nrmp.registration" and registered is not None:
            when = f"paid when you registered ({registered})"
        elif line.key == "nrmp.registration" and ranking is not None:
            when = f"due by the time ranking opened ({ranking})"
        elif line.key == "nrmp.registration":
            line = _registration_open(facts, year, as_of, line)
        elif line.key == "nrmp.extra_rank" and deadline is not None:
            when = f"due with the rank order list ({deadline})"
        if when is None:
            marked.append(line)
        else:
            marked.append(
                line.model_copy(update={"spent": True, "basis": f"{line.basis}. Spent: {when}"})
            )
    return marked


def estimate_costs(
    profile: ApplicantProfile,
    facts: Facts,
    as_of: date,
    programs: Mapping[str, int],
    *,
    ranks: int | None = None,
    travel_usd: int | None = None,
    submitted: Mapping[str, int] | None = None,
) -> CostEstimate:
    """The itemised cost of `profile`'s target Match, with `programs` per specialty, in phase:
    what was due before `as_of` is spent. `submitted` (per specialty, from the tracker) is the
    count of applications already sent; it prices the applications when given."""
    year = profile.target.match_year
    notes: list[str] = []
    lines = _exam_lines(profile)
    counts = dict(submitted) if submitted else dict(programs)
    specialties = list(counts) or [code.upper() for code in profile.target.specialties]
    services = {code: facts.application_service(code, year) for code in specialties}
    eras = any(service.eras for service in services.values())
    if eras:
        lines.append(
            _flat(facts, "eras.token", year, "ERAS token (from ECFMG)", "ERAS token price")
        )
    if submitted:
        notes.append(
            "Applications counted from your tracker: "
            + ", ".join(f"{code} {n}" for code, n in sorted(submitted.items()))
            + "."
        )
    if counts:
        lines += eras_program_lines(facts, year, counts)
    else:
        notes.append("Per-program application fees not counted: give the number of programs.")
    if eras:
        lines.append(
            _flat(facts, "eras.usmle_transcript", year, "USMLE transcript fee", "transcript fee")
        )
    for service in {s.transcript_key: s for s in services.values() if not s.eras}.values():
        lines.append(
            _flat(
                facts,
                service.transcript_key,
                year,
                f"USMLE transcript fee ({service.name}, {service.specialty.upper()})",
                f"{service.name} transcript fee",
            )
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
    lines = _in_phase(
        lines, facts, year, as_of, bool(submitted), profile.target.registered_by(as_of)
    )
    seasons = sorted({line.schedule_season for line in lines if line.schedule_season})
    if seasons:
        notes.append(
            f"Fees not published for the {year} season are priced at the latest published "
            f"schedule ({', '.join(str(s) for s in seasons)}) and labelled so."
        )
    ahead = [line for line in lines if not line.spent]
    return CostEstimate(
        as_of=as_of,
        match_year=year,
        lines=lines,
        known_total_usd=sum(line.amount_usd for line in ahead if line.amount_usd is not None),
        spent_total_usd=sum(
            line.amount_usd for line in lines if line.spent and line.amount_usd is not None
        ),
        unknown_items=sum(1 for line in ahead if line.amount_usd is None),
        unverified_items=sum(1 for line in lines if line.status is CostStatus.UNVERIFIED),
        earlier_schedule_items=sum(1 for line in lines if line.schedule_season is not None),
        notes=notes,
    )
