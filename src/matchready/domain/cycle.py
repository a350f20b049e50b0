"""The dated events of a Match cycle, as deadlines with their sources (or 'unknown')."""

from __future__ import annotations

from matchready.domain.facts import Facts
from matchready.domain.report import Citation, Due, KeyDate

# The events a plan shows, in cycle order, with what they mean for an applicant.
CYCLE_EVENTS: dict[str, str] = {
    "eras_opens": "ERAS season opens",
    "pathways_open": "ECFMG Pathways application opens",
    "applications_open": "applications can be submitted to programs",
    "nrmp_registration_opens": "NRMP Match registration opens",
    "programs_review_opens": "programs start reviewing applications",
    "interviews_begin": "interview season begins",
    "rol_deadline": "rank order list deadline",
    "match_week_starts": "Match Week begins",
    "match_day": "Match Day",
    "pathways_deadline": "Pathways application deadline",
    "program_start": "residency training starts",
}


def due(facts: Facts, match_year: int, event: str) -> Due:
    """The date of `event` in the `match_year` Match cycle, or an unknown Due that says so."""
    basis = f"{CYCLE_EVENTS.get(event, event)}, {match_year} Match"
    found = facts.event(match_year, event)
    if found is None:
        return Due(on=None, label="unknown", basis=basis)
    return Due(
        on=found.day,
        label=found.label(),
        basis=basis,
        verified=found.verified,
        citation=Citation.of(found),
    )


def key_dates(facts: Facts, match_year: int) -> list[KeyDate]:
    """Every known event of the cycle, in date order."""
    events = [e for e in facts.calendar if e.match_year == match_year]
    return [
        KeyDate(
            event=e.event,
            summary=e.summary,
            date=e.label(),
            verified=e.verified,
            citation=Citation.of(e),
        )
        for e in sorted(events, key=lambda e: e.day)
    ]
