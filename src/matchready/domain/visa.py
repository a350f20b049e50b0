"""Visa advice: whether a training visa is needed, and what J-1 and H-1B each require and bring.

Sources: domain-facts.md §8. ECFMG is the only sponsor of J-1 physicians in clinical training;
an H-1B is petitioned by the program and needs every USMLE Step, Step 3 included.
"""

from __future__ import annotations

from matchready.domain.applicant import ImmigrationStatus, Profile, ProgressStatus, VisaPreference
from matchready.domain.facts import Facts
from matchready.domain.report import Citation, Condition, VisaAdvice, VisaOption

J1_SOURCE = Citation(
    source="https://ecfmg.org/2024ib/certification-requirements.html (EVSP Reference Guide)",
    as_of="2024",
    verified=True,
)
H1B_SOURCE = Citation(
    source="https://www.immigration-counselor.builderspot.com/page/page/3799861.htm",
    as_of="2024",
    verified=True,
)
CAP_SOURCE = Citation(
    source="http://www.immigrationattorneyvisa.com/blog--news/h-1b-for-foreign-physicians",
    as_of="2024",
    verified=True,
)


def _value(facts: Facts, key: str) -> str:
    fact = facts.rule(key)
    if fact is None:
        return "unknown"
    return fact.value


def _certified(profile: Profile) -> bool | None:
    if profile.ecfmg.certificate_issued is not None:
        return True
    return None


def j1_option(profile: Profile, facts: Facts) -> VisaOption:
    home = profile.applicant.residence_country or profile.applicant.citizenship
    years = _value(facts, "visa.j1.home_residence_years")
    conrad = _value(facts, "visa.conrad30.waivers_per_state")
    service = _value(facts, "visa.conrad30.service_years")
    return VisaOption(
        route="J-1",
        sponsor="ECFMG (the only sponsor of J-1 physicians in clinical training)",
        conditions=[
            Condition(text="ECFMG certification", met=_certified(profile)),
            Condition(text="A contract with an ACGME-accredited program", met=None),
            Condition(
                text=f"A Statement of Need from the Ministry of Health of {home} (country of "
                "most recent legal permanent residence)",
                met=None,
            ),
        ],
        consequences=[
            f"Two-year home residence requirement (212(e)): {years} years in the home country "
            "before H or L status or a green card, unless waived.",
            f"Waivers: Conrad 30 (up to {conrad} per state per year, for {service} years of "
            "full-time H-1B work in a shortage area), an interested federal agency, persecution "
            "or exceptional hardship; no 'no-objection' waiver for clinical J-1 physicians.",
            "Clinical training in J-1 status is limited to "
            f"{_value(facts, 'visa.j1.max_training_years')} years overall.",
        ],
        citations=[
            J1_SOURCE,
            *(
                Citation.of(f)
                for k in ("visa.j1.home_residence_years", "visa.conrad30.waivers_per_state")
                if (f := facts.rule(k)) is not None
            ),
        ],
    )


def h1b_option(profile: Profile) -> VisaOption:
    step3 = profile.exams.step3
    return VisaOption(
        route="H-1B",
        sponsor="The residency program (its employer) petitions",
        conditions=[
            Condition(text="USMLE Step 3 passed", met=step3.passed),
            Condition(
                text="Step 1 and Step 2 CK passed",
                met=profile.exams.step1.passed and profile.exams.step2ck.passed,
            ),
            Condition(text="ECFMG certification", met=_certified(profile)),
            Condition(text="A state training licence where the state requires one", met=None),
            Condition(text="The program sponsors H-1B (fewer programs do than J-1)", met=None),
        ],
        consequences=[
            "No two-year home residence requirement.",
            "Cap-exempt employers (universities and their affiliated nonprofits) petition any "
            "time; others are subject to the annual cap and lottery.",
            "Approval may be limited to the validity of a training licence (often 1 year).",
        ],
        citations=[H1B_SOURCE, CAP_SOURCE],
    )


def visa_advice(profile: Profile, facts: Facts) -> VisaAdvice:
    """Which visa route fits the applicant, with conditions and consequences of each."""
    status = profile.applicant.immigration_status
    if not profile.needs_visa:
        reasons = [f"Immigration status: {status.value.replace('_', ' ')}."]
        if status is ImmigrationStatus.PERMANENT_RESIDENT:
            reasons.append(
                "NRMP counts permanent residents who graduated abroad as non-US IMGs in its "
                "reports; the US IMG category is for US citizens only."
            )
        return VisaAdvice(
            needs_visa=False,
            recommendation="No visa needed: you can train without visa sponsorship.",
            reasons=reasons,
        )
    step3 = profile.exams.step3.passed
    preference = profile.visa.preference
    reasons = [f"Immigration status: {status.value.replace('_', ' ')}: a training visa is needed."]
    if preference is VisaPreference.H1B and not step3:
        recommendation = (
            "H-1B wanted: pass Step 3 first (an IMG needs ECFMG certification to sit it); "
            "keep J-1 programs on your list in case."
        )
    elif preference is VisaPreference.J1:
        recommendation = "J-1 through ECFMG, as you prefer."
    elif step3:
        recommendation = (
            "Either route is open: H-1B avoids the two-year home requirement but fewer programs "
            "sponsor it; J-1 is accepted by more programs."
        )
    else:
        recommendation = (
            "J-1 through ECFMG is the route open to you now; H-1B becomes possible once you "
            "pass Step 3."
        )
    if profile.ecfmg.credentials is not ProgressStatus.DONE:
        reasons.append("Both routes need ECFMG certification before training starts.")
    if status is ImmigrationStatus.J1:
        reasons.append("You hold a J-1 now: check whether 212(e) already applies to you.")
    return VisaAdvice(
        needs_visa=True,
        recommendation=recommendation,
        reasons=reasons,
        options=[j1_option(profile, facts), h1b_option(profile)],
    )
