"""The ECFMG certification checklist: what is done, what is next, and by when.

Order (domain-facts.md §1): school eligibility -> USMLE/ECFMG ID -> application for certification
with Form 186 -> exams (Step 1, Step 2 CK) and the clinical and communication skills requirement
-> credentials verification (only after graduation) -> certificate. The exams and the
communication requirement must be reported to NRMP by the rank order list deadline, or the
applicant is withdrawn from the Match; the full certificate is needed before training starts.
"""

from __future__ import annotations

from datetime import date

from matchready.domain.applicant import (
    Exam,
    Pathway,
    PathwayStatus,
    ProgressStatus,
    StepStatus,
    YesNoUnknown,
)
from matchready.domain.applicant import Profile as ApplicantProfile
from matchready.domain.cycle import due
from matchready.domain.facts import Facts
from matchready.domain.report import ChecklistItem, Citation, Due, ItemState

NRMP_FAQ = Citation(
    source="https://www.nrmp.org/faq-questions/if-i-have-not-received-my-ecfmg-certification-when-ranking-opens-can-i-still-enter-my-rank-order-list/",
    as_of="2021",
    verified=True,
)
ECFMG_REQUIREMENTS = Citation(
    source="https://ecfmg.org/2023ib/certification-requirements.html", as_of="2023", verified=True
)
ECFMG_PROCESS = Citation(
    source="http://www.ecfmg.org/certification/how-the-certification-process-works.html",
    as_of="2020",
    verified=True,
)


def _progress(status: ProgressStatus) -> ItemState:
    return {
        ProgressStatus.DONE: ItemState.DONE,
        ProgressStatus.IN_PROGRESS: ItemState.IN_PROGRESS,
        ProgressStatus.NOT_STARTED: ItemState.TO_DO,
    }[status]


def _past(deadline: Due, as_of: date) -> bool:
    return deadline.on is not None and deadline.on < as_of


def _school(profile: ApplicantProfile) -> ChecklistItem:
    note = profile.school.ecfmg_note
    state, detail, action = {
        YesNoUnknown.YES: (
            ItemState.DONE,
            "The World Directory listing carries an ECFMG note.",
            None,
        ),
        YesNoUnknown.NO: (
            ItemState.BLOCKED,
            "Without an ECFMG note the school's graduates cannot apply for certification or "
            "the USMLE; a World Directory listing alone is not enough.",
            "Confirm on wdoms.org (Sponsor Notes tab) that the note covers your graduation year.",
        ),
        YesNoUnknown.UNKNOWN: (
            ItemState.UNKNOWN,
            "Not yet checked whether the listing carries an ECFMG note.",
            "Open your school on wdoms.org, tab Sponsor Notes: the ECFMG note must cover your "
            "graduation year.",
        ),
    }[note]
    return ChecklistItem(
        key="school",
        title="Medical school listed in the World Directory with an ECFMG note",
        state=state,
        detail=detail,
        action=action,
        citations=[ECFMG_REQUIREMENTS],
    )


def _usmle_id(profile: ApplicantProfile) -> ChecklistItem:
    done = profile.ecfmg.usmle_id is not None
    return ChecklistItem(
        key="usmle_id",
        title="USMLE/ECFMG Identification Number",
        state=ItemState.DONE if done else ItemState.TO_DO,
        detail=f"ID {profile.ecfmg.usmle_id}." if done else "No USMLE/ECFMG ID in the profile.",
        action=None if done else "Request a USMLE/ECFMG ID through ECFMG (MyIntealth).",
        after=["school"],
        citations=[ECFMG_PROCESS],
    )


def _application(profile: ApplicantProfile) -> ChecklistItem:
    parts = (profile.ecfmg.application, profile.ecfmg.form_186)
    if all(p is ProgressStatus.DONE for p in parts):
        state = ItemState.DONE
    elif any(p is not ProgressStatus.NOT_STARTED for p in parts):
        state = ItemState.IN_PROGRESS
    else:
        state = ItemState.TO_DO
    return ChecklistItem(
        key="application",
        title="Application for ECFMG Certification and Form 186",
        state=state,
        detail=(
            f"Application: {profile.ecfmg.application.value}; "
            f"Form 186: {profile.ecfmg.form_186.value}."
        ),
        action=None
        if state is ItemState.DONE
        else "Submit the application and have an authorised official certify Form 186 "
        "(MyIntealth).",
        after=["usmle_id"],
        citations=[ECFMG_REQUIREMENTS],
    )


def _exam_item(
    key: str, title: str, exam: Exam, facts: Facts, profile: ApplicantProfile, as_of: date
) -> ChecklistItem:
    year = profile.target.match_year
    deadline = due(facts, year, "rol_deadline")
    limit_fact = facts.rule("usmle.attempt_limit", as_of)
    citations = [NRMP_FAQ] + ([Citation.of(limit_fact)] if limit_fact else [])
    recommended = due(facts, year, "programs_review_opens")
    if exam.passed:
        state, detail, action = ItemState.DONE, f"Passed ({exam.date}).", None
        if exam.score is not None:
            detail = f"Passed with {exam.score} ({exam.date})."
    elif limit_fact is not None and exam.failed_attempts >= limit_fact.integer():
        state = ItemState.BLOCKED
        detail = (
            f"{exam.failed_attempts} failed attempts: the USMLE limit is "
            f"{limit_fact.integer()} attempts per Step."
        )
        action = "No further attempt is allowed; seek advice on other routes."
    elif _past(deadline, as_of):
        state = ItemState.BLOCKED
        detail = f"Not passed, and the {deadline.basis} ({deadline.label}) has passed."
        action = f"Plan for the next Match (the {year + 1} Match)."
    elif exam.status is StepStatus.SCHEDULED:
        when = f" on {exam.date}" if exam.date else ""
        state, detail = ItemState.IN_PROGRESS, f"Scheduled{when}."
        action = f"Sit {title}; the result must reach NRMP by the rank order list deadline."
    else:
        state = ItemState.TO_DO
        detail = "Not passed yet." if exam.status is StepStatus.FAILED else "Not taken yet."
        action = f"Schedule {title}."
    return ChecklistItem(
        key=key,
        title=title,
        state=state,
        detail=detail,
        action=action,
        after=["application"],
        due=deadline,
        recommended_by=recommended if state is not ItemState.DONE else None,
        citations=citations,
    )


def _oet_check(profile: ApplicantProfile, facts: Facts) -> tuple[bool | None, str]:
    oet = profile.communication.oet
    if oet is None:
        return None, "No OET Medicine result in the profile."
    shortfalls: list[str] = []
    unverified = False
    for part in ("listening", "reading", "writing", "speaking"):
        fact = facts.rule(f"oet.min_{part}", oet.date)
        if fact is None:
            return None, f"The OET {part} minimum for a test on {oet.date} is not in our sources."
        unverified = unverified or not fact.verified
        got = getattr(oet, part)
        if got < fact.integer():
            shortfalls.append(f"{part} {got} < {fact.integer()}")
    caveat = " (one of the minimums is unverified)" if unverified else ""
    if shortfalls:
        return False, "OET below the ECFMG minimum: " + ", ".join(shortfalls) + caveat + "."
    return True, f"OET Medicine ({oet.date}) meets the ECFMG minimums{caveat}."


def _communication(profile: ApplicantProfile, facts: Facts, as_of: date) -> ChecklistItem:
    comm = profile.communication
    year = profile.target.match_year
    last_known = facts.rule("ecfmg.pathways.last_known_match_year")
    known_year = last_known is not None and year <= last_known.integer()
    deadline = due(facts, year, "pathways_deadline")
    if deadline.on is None:
        deadline = due(facts, year, "rol_deadline")
    oet_ok, oet_detail = _oet_check(profile, facts)
    citations = [Citation.of(last_known)] if last_known else []
    title = "Clinical and communication skills requirement (Pathway and OET Medicine)"
    if comm.pathway is Pathway.STEP2_CS:
        state, detail, action = ItemState.DONE, "Met by a passed Step 2 CS.", None
    elif comm.status is PathwayStatus.ACCEPTED:
        state, detail, action = ItemState.DONE, f"{comm.pathway.value} accepted.", None
    elif not known_year:
        state = ItemState.UNKNOWN
        detail = (
            f"ECFMG issues the Pathways per Match year; the requirement for the {year} Match "
            f"is not in our sources. {oet_detail}"
        )
        action = f"Check ecfmg.org for the {year} clinical and communication skills requirement."
    elif comm.status is PathwayStatus.APPLIED:
        state, detail = ItemState.IN_PROGRESS, f"{comm.pathway.value} applied for. {oet_detail}"
        action = "Make sure every document (OET scores included) reaches ECFMG by the deadline."
    else:
        state, detail = ItemState.TO_DO, f"No accepted Pathway. {oet_detail}"
        action = "Choose your Pathway and apply" + (
            "." if oet_ok else ", and pass OET Medicine in one sitting."
        )
    if state is not ItemState.DONE and _past(deadline, as_of):
        state = ItemState.BLOCKED
        detail += f" The {deadline.basis} ({deadline.label}) has passed."
    return ChecklistItem(
        key="communication",
        title=title,
        state=state,
        detail=detail,
        action=action,
        after=["application"],
        due=deadline,
        citations=citations,
    )


def _credentials(profile: ApplicantProfile, facts: Facts, as_of: date) -> ChecklistItem:
    status = profile.ecfmg.credentials
    graduation = profile.school.graduation
    start = due(facts, profile.target.match_year, "program_start")
    state = _progress(status)
    detail = f"Verification of diploma and final transcript: {status.value.replace('_', ' ')}."
    action = None
    if state is not ItemState.DONE:
        if graduation > as_of:
            detail += f" It can only start after graduation ({graduation})."
            action = f"After graduating on {graduation}, send the diploma and final transcript."
        else:
            action = "Have ECFMG verify your diploma and final transcript with your school."
        if start.on is not None and graduation > start.on:
            state = ItemState.BLOCKED
            detail += f" Graduation comes after the usual program start ({start.label})."
    return ChecklistItem(
        key="credentials",
        title="Credentials verification (diploma and final transcript)",
        state=state,
        detail=detail,
        action=action,
        after=["application"],
        due=start,
        citations=[ECFMG_PROCESS],
    )


def _certificate(
    profile: ApplicantProfile, facts: Facts, before: list[ChecklistItem]
) -> ChecklistItem:
    start = due(facts, profile.target.match_year, "program_start")
    issued = profile.ecfmg.certificate_issued
    expected = profile.ecfmg.certificate_expected
    blockers = [item.key for item in before if item.state is ItemState.BLOCKED]
    if issued is not None:
        state, detail, action = ItemState.DONE, f"Issued on {issued}.", None
    elif blockers:
        state = ItemState.BLOCKED
        detail = "Blocked by: " + ", ".join(blockers) + "."
        action = "Resolve the blocked items first."
    elif expected is not None and start.on is not None and expected > start.on:
        state = ItemState.BLOCKED
        detail = f"Expected on {expected}, after the usual program start ({start.label})."
        action = "Speed up the remaining steps or aim for a later Match."
    else:
        state = ItemState.TO_DO
        detail = "Issued once every item above is done." + (
            f" Expected on {expected}." if expected else ""
        )
        action = "Finish the items above; the certificate is needed before training starts."
    return ChecklistItem(
        key="certificate",
        title="ECFMG Certificate",
        state=state,
        detail=detail,
        action=action,
        after=["step1", "step2ck", "communication", "credentials"],
        due=start,
        citations=[NRMP_FAQ, ECFMG_PROCESS],
    )


def checklist(profile: ApplicantProfile, facts: Facts, as_of: date) -> list[ChecklistItem]:
    """The certification checklist in order, each item with its state, reason and due date."""
    items = [
        _school(profile),
        _usmle_id(profile),
        _application(profile),
        _exam_item("step1", "USMLE Step 1", profile.exams.step1, facts, profile, as_of),
        _exam_item("step2ck", "USMLE Step 2 CK", profile.exams.step2ck, facts, profile, as_of),
        _communication(profile, facts, as_of),
        _credentials(profile, facts, as_of),
    ]
    items.append(_certificate(profile, facts, items))
    return items
