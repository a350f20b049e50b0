"""Red flags: what weakens an application, each with its cause, evidence and what to do.

Thresholds come from sourced facts; where a threshold is a rule of thumb rather than a program
rule, the flag says so.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum

from matchready.domain.applicant import Pathway, PathwayStatus, Profile, USCEKind, VisaPreference
from matchready.domain.applicant import YesNoUnknown as YNU
from matchready.domain.cycle import due
from matchready.domain.ecfmg import ECFMG_REQUIREMENTS, NRMP_FAQ
from matchready.domain.facts import Facts
from matchready.domain.report import Citation, RedFlag, Severity
from matchready.domain.visa import H1B_SOURCE
from matchready.domain.yog import Elapsed

USCE_SOURCE = Citation(
    source="IM program director blog (Scribd mirror), reasons IMGs get no interviews",
    as_of="2014",
    verified=False,
)


def _words(value: StrEnum) -> str:
    return value.value.replace("_", " ")


def _cite(facts: Facts, *keys: str) -> list[Citation]:
    """The citations of the facts `keys`, each source once."""
    found = [Citation.of(f) for k in keys if (f := facts.rule(k)) is not None]
    return list(dict.fromkeys(found))


def school_flag(
    profile: Profile, _facts: Facts, _as_of: date, _yog: Elapsed | None
) -> list[RedFlag]:
    note = profile.school.ecfmg_note
    if note is YNU.YES:
        return []
    critical = note is YNU.NO
    return [
        RedFlag(
            key="school_not_eligible" if critical else "school_eligibility_unknown",
            title="School not eligible for ECFMG" if critical else "School eligibility unchecked",
            severity=Severity.CRITICAL if critical else Severity.MEDIUM,
            cause="The World Directory listing must carry an ECFMG note covering your "
            "graduation year; without it you cannot apply for certification or the USMLE.",
            evidence=[
                f"ECFMG note: {note.value} ({profile.school.name}, {profile.school.country})"
            ],
            actions=["Check the Sponsor Notes tab of your school on wdoms.org."],
            citations=[ECFMG_REQUIREMENTS],
        )
    ]


def attempt_flags(
    profile: Profile, facts: Facts, as_of: date, _yog: Elapsed | None
) -> list[RedFlag]:
    failed = [(name, exam.failed_attempts) for name, exam in profile.exams.items()]
    failed = [(name, n) for name, n in failed if n > 0]
    if not failed:
        return []
    evidence = [f"{name}: {n} failed attempt{'s' if n > 1 else ''}" for name, n in failed]
    limit = facts.rule("usmle.attempt_limit", as_of)
    flags: list[RedFlag] = []
    if limit is not None and any(n >= limit.integer() for _, n in failed):
        flags.append(
            RedFlag(
                key="attempt_limit_reached",
                title="USMLE attempt limit reached",
                severity=Severity.CRITICAL,
                cause=f"At most {limit.integer()} attempts are allowed per Step; 4 or more failed "
                "attempts at any Step bar every Step.",
                evidence=evidence,
                actions=["No further USMLE attempt is possible; seek advice on other routes."],
                citations=[Citation.of(limit)],
            )
        )
    cited = facts.rule("pd_survey.failed_attempt_cited_pct")
    share = f" {cited.value}% of program directors cite any failed attempt" if cited else ""
    flags.append(
        RedFlag(
            key="exam_attempts",
            title="Failed USMLE attempt on record",
            severity=Severity.HIGH,
            cause="A failed attempt shows on the USMLE transcript that programs see."
            + share
            + " when choosing whom to interview, and many screen it out.",
            evidence=evidence,
            actions=[
                "Apply to programs that do not screen out attempts (check their stated policy).",
                "Show the improvement: a strong Step 2 CK (and Step 3) score after the fail.",
                "Address it briefly and honestly if asked; strengthen US letters and USCE.",
            ],
            citations=_cite(facts, "pd_survey.failed_attempt_cited_pct", "usmle.attempt_limit"),
        )
    )
    return flags


def yog_flag(profile: Profile, facts: Facts, _as_of: date, yog: Elapsed | None) -> list[RedFlag]:
    if yog is None:
        return []
    recent = facts.rule("yog.cutoff_recent_common")
    older = facts.rule("yog.cutoff_older_common")
    guide = facts.rule("yog.guide_rule_of_thumb")
    years = yog.in_years
    if older is not None and years >= older.number():
        severity, why = Severity.HIGH, f"most year-of-graduation cutoffs were {older.value} years"
    elif recent is not None and years >= recent.number():
        severity, why = Severity.MEDIUM, f"many cutoffs are now {recent.value} years or less"
    elif guide is not None and years >= guide.number():
        severity, why = Severity.LOW, f"the IMG guide calls {guide.value}+ years an older graduate"
    else:
        return []
    return [
        RedFlag(
            key="old_graduate",
            title="Years since graduation",
            severity=severity,
            cause=f"{yog} since graduation at application; {why}. These are rules of thumb: "
            "each program sets its own cutoff, and many state none.",
            evidence=[f"Graduated {profile.school.graduation}; {yog} at application"],
            actions=[
                "Screen programs by their stated cutoff (matchready screen).",
                "Show recent clinical activity: hands-on USCE in the last year, recent letters.",
                "Explain the time since graduation in the personal statement.",
            ],
            rule_of_thumb=True,
            citations=_cite(
                facts,
                "yog.cutoff_recent_common",
                "yog.cutoff_older_common",
                "yog.guide_rule_of_thumb",
            ),
        )
    ]


def step2_flags(
    profile: Profile, facts: Facts, _as_of: date, _yog: Elapsed | None
) -> list[RedFlag]:
    score = profile.exams.step2ck.score if profile.exams.step2ck.passed else None
    if score is None:
        return []
    flags: list[RedFlag] = []
    for code in profile.target.specialties:
        stats = facts.specialty(code)
        if stats is None or stats.step2_matched_median is None:
            continue
        matched = stats.step2_matched_median
        unmatched = stats.step2_unmatched_median
        if score >= matched:
            continue
        below_unmatched = unmatched is not None and score < unmatched
        evidence = [f"Your Step 2 CK: {score}", f"Matched median: {matched:g}"]
        if unmatched is not None:
            evidence.append(f"Unmatched median: {unmatched:g}")
        flags.append(
            RedFlag(
                key=f"step2ck_below_matched_{stats.code.lower()}",
                title=f"Step 2 CK below the matched median in {stats.name}",
                severity=Severity.HIGH if below_unmatched else Severity.MEDIUM,
                cause=f"Among non-US IMGs who ranked {stats.name} first ({stats.as_of} Match), "
                f"those who matched had a median Step 2 CK of {matched:g}.",
                evidence=evidence,
                actions=[
                    "Add programs where your score is above their stated minimum.",
                    "Strengthen the other parts: US letters, hands-on USCE, a longer rank list.",
                    "Consider a less competitive specialty as well (see: matchready facts step2).",
                ],
                citations=[Citation.of(stats)],
            )
        )
    return flags


def usce_flags(
    profile: Profile, facts: Facts, _as_of: date, _yog: Elapsed | None
) -> list[RedFlag]:
    flags: list[RedFlag] = []
    if profile.hands_on_usce_months <= 0:
        observed = [u for u in profile.usce if u.kind is USCEKind.OBSERVERSHIP]
        flags.append(
            RedFlag(
                key="no_hands_on_usce",
                title="No hands-on US clinical experience",
                severity=Severity.MEDIUM if observed else Severity.HIGH,
                cause="Many programs ask for US clinical experience, often hands-on and recent; "
                "lack of it is a common reason IMGs get no interviews.",
                evidence=[f"{len(observed)} observership(s), 0 months of externship or clerkship"],
                actions=["Arrange a hands-on externship or clerkship in your specialty."],
                citations=[USCE_SOURCE],
            )
        )
    if profile.us_letters == 0:
        limit = facts.rule("eras.max_letters_per_program")
        flags.append(
            RedFlag(
                key="no_us_letters",
                title="No US letters of recommendation",
                severity=Severity.MEDIUM,
                cause="Programs typically ask for about 3 letters, often 2 from US physicians in "
                "the specialty (a common program requirement, not a published statistic)."
                + (f" ERAS allows at most {limit.value} per program." if limit else ""),
                evidence=["No US clinical experience in the profile came with a letter."],
                actions=["Ask supervisors of your US rotations for a letter."],
                rule_of_thumb=True,
                citations=_cite(facts, "eras.max_letters_per_program"),
            )
        )
    return flags


def gap_flag(profile: Profile, _facts: Facts, _as_of: date, _yog: Elapsed | None) -> list[RedFlag]:
    unexplained = [g for g in profile.gaps if not g.reason]
    if not unexplained:
        return []
    return [
        RedFlag(
            key="unexplained_gaps",
            title="Unexplained gaps",
            severity=Severity.MEDIUM,
            cause="Programs ask about time without clinical or academic activity.",
            evidence=[f"{g.start} to {g.end}: no reason given" for g in unexplained],
            actions=["Give each gap a reason in your profile and in the ERAS experiences."],
        )
    ]


def visa_flag(
    profile: Profile, _facts: Facts, _as_of: date, _yog: Elapsed | None
) -> list[RedFlag]:
    if not profile.needs_visa or profile.exams.step3.passed:
        return []
    if profile.visa.preference is not VisaPreference.H1B:
        return []
    return [
        RedFlag(
            key="h1b_without_step3",
            title="H-1B wanted but Step 3 not passed",
            severity=Severity.HIGH,
            cause="An H-1B for residency needs every USMLE Step passed, Step 3 included, and "
            "ECFMG certification; fewer programs sponsor H-1B than J-1.",
            evidence=[
                f"Immigration status: {_words(profile.applicant.immigration_status)}",
                f"Step 3: {_words(profile.exams.step3.status)}",
            ],
            actions=[
                "Pass Step 3 before the rank order list deadline (an IMG needs ECFMG "
                "certification to sit it), or apply for J-1 as well.",
            ],
            citations=[H1B_SOURCE],
        )
    ]


def timing_flags(
    profile: Profile, facts: Facts, as_of: date, _yog: Elapsed | None
) -> list[RedFlag]:
    year = profile.target.match_year
    start = due(facts, year, "program_start")
    flags: list[RedFlag] = []
    if start.on is not None and profile.school.graduation > start.on:
        flags.append(
            RedFlag(
                key="graduation_after_start",
                title="Graduation after the program start",
                severity=Severity.CRITICAL,
                cause="ECFMG verifies the final diploma, so nobody is certified before "
                "graduating, and the certificate is needed before training starts.",
                evidence=[f"Graduation {profile.school.graduation}; start {start.label}"],
                actions=[f"Aim for the {year + 1} Match or later."],
                citations=[c for c in [start.citation] if c is not None],
            )
        )
    expected = profile.ecfmg.certificate_expected
    if (
        profile.ecfmg.certificate_issued is None
        and expected is not None
        and start.on is not None
        and expected > start.on
    ):
        flags.append(
            RedFlag(
                key="certificate_late",
                title="Certification not expected before the program start",
                severity=Severity.HIGH,
                cause="The full ECFMG certificate is needed before training starts.",
                evidence=[f"Certificate expected {expected}; start {start.label}"],
                actions=["Finish the remaining steps sooner, or aim for a later Match."],
            )
        )
    comm = profile.communication
    if comm.pathway is Pathway.NONE and comm.status is not PathwayStatus.ACCEPTED:
        rol = due(facts, year, "rol_deadline")
        last = facts.rule("ecfmg.pathways.last_known_match_year")
        soon = rol.on is not None and (rol.on - as_of).days < 180
        known = last is not None and year <= last.integer()
        cause = (
            "The clinical and communication skills requirement must be reported to NRMP by the "
            "rank order list deadline, or the applicant is withdrawn from the Match."
        )
        if not known:
            cause += f" What the requirement is for the {year} Match is not in our sources."
        flags.append(
            RedFlag(
                key="communication_missing",
                title="Clinical and communication skills requirement not met",
                severity=Severity.HIGH if soon else Severity.MEDIUM,
                cause=cause,
                evidence=[
                    f"Pathway: none; OET Medicine: {'on file' if comm.oet else 'none'}",
                    f"Deadline: {rol.label} ({rol.basis})",
                ],
                actions=[
                    "Apply for a Pathway and pass OET Medicine in one sitting"
                    + ("." if known else f" (check ecfmg.org for the {year} requirement).")
                ],
                citations=[NRMP_FAQ] + ([Citation.of(last)] if last else []),
            )
        )
    return flags


RULES: tuple[Callable[[Profile, Facts, date, Elapsed | None], list[RedFlag]], ...] = (
    school_flag,
    attempt_flags,
    yog_flag,
    step2_flags,
    usce_flags,
    gap_flag,
    visa_flag,
    timing_flags,
)


def red_flags(profile: Profile, facts: Facts, as_of: date, yog: Elapsed | None) -> list[RedFlag]:
    """Every red flag that fires, most severe first."""
    found = [flag for rule in RULES for flag in rule(profile, facts, as_of, yog)]
    return sorted(found, key=lambda f: f.severity.rank)
