"""The plan's first screen, "Now": the target Match, today's phase, the next deadline, the three
most important actions for this phase, and what is overdue.

Actions are ranked by phase, then date, then severity. From the interview season on, advice on
the application itself (personal statement, program list, letters, USCE) drops out: it can no
longer change what programs read. Ranking, exam results due by the rank order list deadline and
the certificate come first. An action whose date has passed is never listed as open: it moves to
`overdue`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from matchready.domain.cycle import Phase, PhaseSpan, due_day, key_dates, phase_on, resolve
from matchready.domain.facts import Facts
from matchready.domain.report import (
    ChecklistItem,
    DateKind,
    Due,
    ItemState,
    NextAction,
    NowOut,
    RedFlag,
)

NOW_ACTIONS = 3

# Flags whose actions strengthen the application programs read: useful until applications
# are reviewed, not after.
APPLICATION_FLAGS = (
    "old_graduate",
    "step2ck_below_matched_",
    "no_hands_on_usce",
    "no_us_letters",
    "unexplained_gaps",
    "exam_attempts",
)
_BEFORE_REVIEW = (Phase.PREPARATION, Phase.SEASON_OPEN, Phase.APPLICATIONS)
_LATE = (Phase.MATCH_WEEK, Phase.BEFORE_START, Phase.AFTER_MATCH)


def is_application_advice(flag_key: str) -> bool:
    return any(flag_key.startswith(prefix) for prefix in APPLICATION_FLAGS)


_REGISTRATION_PHASES = (Phase.APPLICATIONS, Phase.INTERVIEWS, Phase.RANKING)
_REGISTERED_ALREADY = (
    "Registered already? Enter the day in your profile ('Registered with the NRMP on'; "
    "target.nrmp_registered in the file)."
)


def _registration(
    facts: Facts, match_year: int, today: date, zone: ZoneInfo | None, registered: date | None
) -> list[NextAction]:
    """Register for the Match with the NRMP, by the standard deadline while it is ahead, then
    by the rank order list deadline (the late registration deadline, with a late fee)."""
    if registered is not None:
        return []
    standard = resolve(facts, match_year, "nrmp_registration_deadline").as_due()
    rol = resolve(facts, match_year, "rol_deadline").as_due()
    standard_day = due_day(standard, zone)
    if standard_day is not None and standard_day >= today:
        return [
            NextAction(
                title=f"Register for the {match_year} Main Residency Match with the NRMP "
                "(R3 system).",
                why="Registered by the standard deadline, you are released to programs for "
                f"ranking; after it a late fee applies. {_REGISTERED_ALREADY}",
                due=standard,
            )
        ]
    return [
        NextAction(
            title=f"Register for the {match_year} Main Residency Match with the NRMP now.",
            why="The standard registration deadline has passed: a late fee applies, and "
            f"registration closes at the rank order list deadline. {_REGISTERED_ALREADY}",
            due=rol,
        )
    ]


def _phase_actions(
    span: PhaseSpan,
    facts: Facts,
    match_year: int,
    today: date,
    zone: ZoneInfo | None,
    registered: date | None,
) -> list[NextAction]:
    """What the phase itself asks of every applicant, with the cycle date it is due by."""
    rol = resolve(facts, match_year, "rol_deadline").as_due()
    ranking = resolve(facts, match_year, "ranking_opens").as_due()
    week = resolve(facts, match_year, "match_week_starts").as_due()
    start = resolve(facts, match_year, "program_start").as_due()
    phase = span.phase
    register = (
        _registration(facts, match_year, today, zone, registered)
        if phase in _REGISTRATION_PHASES
        else []
    )
    if phase is Phase.APPLICATIONS:
        return register
    if phase is Phase.INTERVIEWS:
        return [
            NextAction(
                title="Attend your interviews and keep notes on each program for ranking.",
                why="Interview season: only programs that interview you can rank you.",
            ),
            *register,
            NextAction(
                title="Prepare your rank order list: rank only programs you would attend.",
                why=f"Ranking opens {ranking.label}; the list is binding.",
                due=rol,
            ),
        ]
    if phase is Phase.RANKING:
        return [
            *register,
            NextAction(
                title="Enter and certify your rank order list in the NRMP R3 system.",
                why="Only a certified list is used in the Match; changes need re-certifying.",
                due=rol,
            ),
        ]
    if phase is Phase.MATCH_WEEK:
        return [
            NextAction(
                title="Be ready for Match Week: if you do not match, SOAP runs Monday-Thursday.",
                why="Applicants learn on Monday whether they matched.",
                due=week,
            )
        ]
    if phase is Phase.BEFORE_START:
        return [
            NextAction(
                title="Sign your contract and start your visa and licence paperwork.",
                why="Training starts about 1 July; the ECFMG certificate is needed before.",
                due=start,
            )
        ]
    return []


def _fits(source: str, phase: Phase) -> bool:
    if phase in _BEFORE_REVIEW:
        return True
    if is_application_advice(source):
        return False
    return not (phase in _LATE and source in ("step1", "step2ck", "communication"))


def rank_actions(
    items: Sequence[ChecklistItem],
    flags: Sequence[RedFlag],
    span: PhaseSpan,
    facts: Facts,
    match_year: int,
    today: date,
    zone: ZoneInfo | None,
    registered: date | None = None,
) -> tuple[list[NextAction], list[NextAction]]:
    """Every action fitting the phase, best first, and the overdue ones (date passed)."""
    sourced: list[tuple[str, NextAction]] = [
        ("phase", a) for a in _phase_actions(span, facts, match_year, today, zone, registered)
    ]
    for item in items:
        if item.state in (ItemState.DONE,) or item.action is None:
            continue
        sourced.append(
            (
                item.key,
                NextAction(title=item.action, why=f"{item.title}: {item.detail}", due=item.due),
            )
        )
    for flag in flags:
        for text in flag.actions:
            sourced.append(
                (flag.key, NextAction(title=text, why=flag.title, severity=flag.severity))
            )
    open_: list[tuple[int, date, int, int, NextAction]] = []
    overdue: list[NextAction] = []
    for index, (source, action) in enumerate(sourced):
        day = due_day(action.due, zone)
        if day is not None and day < today:
            overdue.append(action.model_copy(update={"overdue": True}))
            continue
        if not _fits(source, span.phase):
            continue
        severity = action.severity.rank if action.severity is not None else 9
        if source == "phase":  # the phase's own actions first, in their order
            open_.append((0, date.min, 0, index, action))
        else:
            open_.append((1, day or date.max, severity, index, action))
    open_.sort(key=lambda row: row[:4])
    return [row[-1] for row in open_], overdue


def _next_deadline(
    items: Sequence[ChecklistItem],
    facts: Facts,
    match_year: int,
    today: date,
    zone: ZoneInfo | None,
    before_review: bool,
    registered: bool,
) -> Due | None:
    events = ["rol_deadline", "pathways_deadline"]
    if not registered:
        events.append("nrmp_registration_deadline")
    candidates = [resolve(facts, match_year, e).as_due() for e in events]
    if before_review:  # have the application ready by the day programs start reading
        review = resolve(facts, match_year, "programs_review_opens").as_due()
        basis = (
            f"submit your applications before programs start reviewing them, {match_year} Match"
        )
        candidates.append(review.model_copy(update={"basis": basis}))
    candidates += [i.due for i in items if i.due is not None and i.state is not ItemState.DONE]
    upcoming = [
        (day, d) for d in candidates if (day := due_day(d, zone)) is not None and day >= today
    ]
    return min(upcoming, key=lambda pair: pair[0])[1] if upcoming else None


def build_now(
    items: Sequence[ChecklistItem],
    flags: Sequence[RedFlag],
    facts: Facts,
    match_year: int,
    today: date,
    zone_name: str,
    registered: date | None = None,
) -> tuple[NowOut, list[NextAction]]:
    """The Now section, and the whole ranked list of open actions (for the long section);
    `registered`: the day the applicant registered for the Match with the NRMP, if they had by
    `today`."""
    zone = ZoneInfo(zone_name)
    span = phase_on(facts, today, match_year, zone_name)
    actions, overdue = rank_actions(items, flags, span, facts, match_year, today, zone, registered)
    deadline = _next_deadline(
        items, facts, match_year, today, zone, span.phase in _BEFORE_REVIEW, registered is not None
    )
    following = phase_on(facts, span.end, match_year, zone_name) if span.end else None
    days = None
    if deadline is not None:
        day = due_day(deadline, zone)
        days = None if day is None else (day - today).days
    match_day = resolve(facts, match_year, "match_day")
    over = span.phase in (Phase.BEFORE_START, Phase.AFTER_MATCH)
    estimated = " (estimated dates)" if span.kind is DateKind.ESTIMATED else ""
    if over and match_day.on is not None:
        headline = (
            f"The {match_year} Match ended on {match_day.on} (Match Day). If you matched, "
            f"prepare to start training; if not, the {match_year + 1} Match is the next cycle."
        )
    else:
        headline = f"{match_year} Match: you are in the phase '{span.title}'{estimated}."
    return (
        NowOut(
            match_year=match_year,
            today=today,
            time_zone=zone_name,
            phase=span.phase.value,
            phase_title=span.title,
            phase_start=span.start,
            phase_end=span.end,
            phase_estimated=span.kind is DateKind.ESTIMATED,
            next_phase_title=None if following is None else following.title,
            headline=headline,
            match_over=over,
            next_cycle=key_dates(facts, match_year + 1) if over else [],
            next_deadline=deadline,
            days_to_next_deadline=days,
            actions=actions[:NOW_ACTIONS],
            overdue=overdue,
        ),
        actions,
    )
