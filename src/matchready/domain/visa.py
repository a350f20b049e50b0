"""Visa advice: whether a training visa is needed, what J-1 and H-1B each require and bring, what
the 2025-26 changes mean for this applicant, and a recommendation that follows their preference.

Sources are fact rows (matchready-facts): ECFMG is the only sponsor of J-1 physicians in clinical
training (EVSP regulations); an H-1B is petitioned by the program and needs every USMLE Step,
Step 3 included; new H-1B petitions filed from 2025-09-21 for beneficiaries outside the US carry
a $100,000 payment, which a change of status approved inside the US does not; travel-ban
proclamations restrict J-1 visas for citizens of listed countries (rows per country and date).
"""

from __future__ import annotations

from matchready.domain.applicant import ImmigrationStatus, Profile, ProgressStatus, VisaPreference
from matchready.domain.facts import Facts, RuleFact, TravelRestriction
from matchready.domain.report import Citation, Condition, VisaAdvice, VisaOption, VisaRisk

H1B_SOURCE = Citation(
    source="https://www.immigration-counselor.builderspot.com/page/page/3799861.htm",
    as_of="2024",
    verified=False,
    standing="secondary source",
)
CAP_SOURCE = Citation(
    source="http://www.immigrationattorneyvisa.com/blog--news/h-1b-for-foreign-physicians",
    as_of="2024",
    verified=False,
    standing="secondary source",
)

PAYMENT = "visa.h1b.outside_us_payment_usd"
PAYMENT_ENDS = "visa.h1b.payment_proclamation_expires"
WAIVER = "nrmp.waiver.restricted_country"
#: Statuses held inside the US from which a program can petition for a change of status to H-1B.
IN_US = frozenset(
    {
        ImmigrationStatus.F1,
        ImmigrationStatus.H4,
        ImmigrationStatus.H1B,
        ImmigrationStatus.EAD,
        ImmigrationStatus.VISITOR,
        ImmigrationStatus.J1,
    }
)


def _value(facts: Facts, key: str) -> str:
    fact = facts.rule(key)
    return "unknown" if fact is None else fact.value


def _cite(facts: Facts, *keys: str) -> list[Citation]:
    return [Citation.of(f) for k in keys if (f := facts.rule(k)) is not None]


def _certified(profile: Profile) -> bool | None:
    if profile.ecfmg.certificate_issued is not None:
        return True
    return None


def _money(fact: RuleFact) -> str:
    return f"${fact.integer():,}" if fact.unit == "usd" else fact.value


def j1_option(profile: Profile, facts: Facts) -> VisaOption:
    home = profile.applicant.residence_country or profile.applicant.citizenship
    years = _value(facts, "visa.j1.home_residence_years")
    conrad = _value(facts, "visa.conrad30.waivers_per_state")
    service = _value(facts, "visa.conrad30.service_years")
    start = _value(facts, "visa.conrad30.start_within_days")
    changes = _value(facts, "visa.j1.specialty_changes")
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
            f"full-time H-1B work in a shortage area, starting within {start} days), an "
            "interested federal agency, persecution or exceptional hardship; no 'no-objection' "
            "waiver for clinical J-1 physicians.",
            "Clinical training in J-1 status is limited to "
            f"{_value(facts, 'visa.j1.max_training_years')} years overall.",
            f"You may change specialty {changes} time, within the first two years of sponsorship.",
        ],
        citations=_cite(
            facts,
            "visa.j1.home_residence_years",
            "visa.j1.max_training_years",
            "visa.j1.specialty_changes",
            "visa.conrad30.waivers_per_state",
        ),
    )


def h1b_payment(profile: Profile, facts: Facts) -> VisaRisk | None:
    """What the $100,000 H-1B payment means for this applicant (None when our facts lack it)."""
    fact = facts.rule_for(PAYMENT, profile.target.match_year)
    if fact is None:
        return None
    amount, since = _money(fact), fact.effective_from
    ends = facts.rule(PAYMENT_ENDS)
    until = (
        f" The proclamation was set to run until {ends.value} unless extended: check USCIS "
        "before your program files."
        if ends is not None
        else ""
    )
    status = profile.applicant.immigration_status
    if status is ImmigrationStatus.OUTSIDE_US:
        text = (
            f"A new H-1B petition filed from {since} for someone outside the US without a valid "
            f"H-1B visa carries a {amount} payment by the employer. Programs may decline to "
            "petition for you, so fewer programs are open to you on H-1B; J-1 through ECFMG "
            f"is the fallback.{until}"
        )
        applies = True
    elif status is ImmigrationStatus.J1:
        text = (
            f"The {amount} payment does not apply to a change of status approved inside the "
            "US, but a J-1 physician subject to 212(e) cannot change to H-1B inside the US "
            f"without a waiver; if you leave and the program petitions from abroad, it applies."
            f"{until}"
        )
        applies = False
    else:
        text = (
            f"The {amount} payment (new H-1B petitions from {since}) does not apply to a change "
            f"of status approved inside the US, as from your {_status_name(status)} status. It "
            "applies if you leave the US before the petition is approved or the petition asks "
            f"for consular notification: stay in the US until it is approved.{until}"
        )
        applies = False
    return VisaRisk(
        kind="h1b_payment",
        title=f"H-1B {amount} payment " + ("(applies to you)" if applies else "(does not apply)"),
        text=text,
        applies=applies,
        since=since,
        citations=_cite(facts, PAYMENT, PAYMENT_ENDS),
    )


def h1b_option(profile: Profile, facts: Facts) -> VisaOption:
    step3 = profile.exams.step3
    payment = h1b_payment(profile, facts)
    consequences = [
        "No two-year home residence requirement.",
        "Cap-exempt employers (universities and their affiliated nonprofits) petition any "
        "time; others are subject to the annual cap and lottery.",
        "Approval may be limited to the validity of a training licence (often 1 year).",
    ]
    if payment is not None:
        consequences.append(payment.text)
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
        consequences=consequences,
        citations=[H1B_SOURCE, CAP_SOURCE, *(payment.citations if payment else [])],
    )


def _status_name(status: ImmigrationStatus) -> str:
    return {
        ImmigrationStatus.F1: "F-1",
        ImmigrationStatus.H4: "H-4",
        ImmigrationStatus.H1B: "H-1B",
        ImmigrationStatus.J1: "J-1",
        ImmigrationStatus.EAD: "EAD",
    }.get(status, status.value.replace("_", " "))


def _restriction_text(found: TravelRestriction, match_year: int, facts: Facts) -> str:
    if found.level == "immigrant_only":
        reach = "only immigrant entry is suspended; J-1 and H-1B visas are not restricted."
    elif found.level == "full":
        reach = "entry on every visa is suspended, J-1 and H-1B included."
    else:
        classes = found.visa_classes.replace(";", ", ")
        reach = (
            f"entry on these classes is suspended: {classes}. The J-1 is among them; the H-1B "
            "is not."
        )
    waiver = facts.rule(WAIVER)
    after = (
        f" NRMP: {waiver.value}; ask your programs early about a delayed start."
        if waiver is not None and found.j1_restricted
        else ""
    )
    return (
        f"{found.proclamation}, signed {found.signed}, in force from {found.effective_from}: "
        f"for citizens of {found.country}, {reach} A J-1 visa for a July {match_year} start may "
        "be refused unless an exception applies (a dual national may travel on another "
        f"country's passport).{after}"
    )


def travel_risk(profile: Profile, facts: Facts) -> VisaRisk | None:
    """The dated risk flag for a citizen of a country under a travel-ban proclamation."""
    year = profile.target.match_year
    citizenships = [profile.applicant.citizenship, *profile.applicant.other_passports]
    found = [(c, r) for c in citizenships if (r := facts.travel_restriction(c, year))]
    if not found:
        return None
    country, restriction = found[0]
    free = [c for c in citizenships if facts.travel_restriction(c, year) is None]
    text = _restriction_text(restriction, year, facts)
    if free and restriction.j1_restricted:
        text += f" You also hold the citizenship of {free[0]}: travel on that passport."
    return VisaRisk(
        kind="travel_restriction",
        title=f"Travel restriction for citizens of {country} (from {restriction.effective_from})",
        text=text,
        applies=restriction.j1_restricted or restriction.level == "full",
        since=restriction.effective_from,
        citations=[Citation.of(restriction), *_cite(facts, WAIVER)],
    )


def _recommendation(profile: Profile, facts: Facts, payment: VisaRisk | None) -> str:
    fact = facts.rule_for(PAYMENT, profile.target.match_year)
    amount = _money(fact) if fact is not None else "H-1B"
    status = profile.applicant.immigration_status
    step3 = profile.exams.step3.passed
    preference = profile.visa.preference
    abroad = status is ImmigrationStatus.OUTSIDE_US
    j1_cost = (
        "What it costs you: the two-year home residence requirement (212(e)) after training, "
        "unless you get a waiver such as Conrad 30 (three years of H-1B work in a shortage area)."
    )
    if preference is VisaPreference.J1:
        return f"J-1 through ECFMG, as you prefer. {j1_cost}"
    if preference is VisaPreference.H1B:
        parts = ["H-1B, as you prefer."]
        if not step3:
            parts.append("Pass Step 3 first (an IMG needs ECFMG certification to sit it).")
        if payment is not None and payment.applies:
            parts.append(
                f"What it costs you: from abroad, a new petition carries the {amount} "
                "payment, so many programs may decline to sponsor you; keep J-1 programs on "
                "your list as the fallback."
            )
        elif payment is not None and status in IN_US and status is not ImmigrationStatus.J1:
            parts.append(
                "What it costs you: fewer programs sponsor H-1B than J-1, and you must stay in "
                f"the US until the change of status is approved (the {amount} payment "
                "does not apply to it)."
            )
        else:
            parts.append(
                "What it costs you: fewer programs sponsor H-1B than J-1; keep J-1 programs on "
                "your list in case."
            )
        return " ".join(parts)
    if abroad and payment is not None and step3:
        return (
            f"J-1 through ECFMG is the likely route: an H-1B petition for you from abroad "
            f"carries the {amount} payment, so most programs will offer J-1. "
            f"{j1_cost}"
        )
    if step3:
        tail = (
            f" The {amount} H-1B payment does not apply to a change of status inside the US."
            if payment is not None and not payment.applies and status in IN_US
            else ""
        )
        return (
            "Either route is open: H-1B avoids the two-year home requirement but fewer programs "
            f"sponsor it; J-1 is accepted by more programs.{tail}"
        )
    return (
        "J-1 through ECFMG is the route open to you now; H-1B becomes possible once you pass "
        "Step 3."
    )


def visa_advice(profile: Profile, facts: Facts) -> VisaAdvice:
    """Which visa route fits the applicant, with conditions, consequences and dated risks."""
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
    payment = h1b_payment(profile, facts)
    reasons = [f"Immigration status: {status.value.replace('_', ' ')}: a training visa is needed."]
    if profile.ecfmg.credentials is not ProgressStatus.DONE:
        reasons.append("Both routes need ECFMG certification before training starts.")
    if status is ImmigrationStatus.J1:
        reasons.append("You hold a J-1 now: check whether 212(e) already applies to you.")
    risks = [r for r in (travel_risk(profile, facts), payment) if r is not None]
    return VisaAdvice(
        needs_visa=True,
        recommendation=_recommendation(profile, facts, payment),
        reasons=reasons,
        options=[j1_option(profile, facts), h1b_option(profile, facts)],
        risks=risks,
    )
