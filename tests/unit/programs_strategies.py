"""Hypothesis strategies for programs and applicants (fictional, valid identifiers)."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from matchready.domain.program import Contacts, Institution, Program, ProgramCode, Setting
from matchready.domain.requirements import (
    EcfmgDeadline,
    Requirement,
    RequirementKind,
    Strictness,
    UsceKind,
    UsceRequirement,
)
from matchready.domain.screening import ScreeningApplicant, VisaNeed

K = RequirementKind
text = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_characters=";,\"'#", exclude_categories=["C", "Z"]
    ),
    min_size=1,
    max_size=20,
)
days = st.dates(min_value=date(2015, 1, 1), max_value=date(2027, 12, 31))


def values(kind: RequirementKind) -> st.SearchStrategy[object]:
    if kind in {K.J1_SPONSORED, K.H1B_SPONSORED, K.STEP1_PASS_REQUIRED}:
        return st.booleans()
    if kind is K.MAX_YEARS_SINCE_GRADUATION:
        return st.integers(0, 15)
    if kind is K.STEP2CK_MINIMUM:
        return st.integers(200, 260)
    if kind is K.MAX_ATTEMPTS:
        return st.integers(0, 3)
    if kind is K.US_LETTERS_REQUIRED:
        return st.integers(0, 4)
    if kind is K.USCE_REQUIRED:
        return st.builds(UsceRequirement, st.sampled_from(UsceKind), st.integers(0, 12))
    return st.sampled_from(EcfmgDeadline)


@st.composite
def requirement(draw: st.DrawFn, kind: RequirementKind) -> Requirement:
    if draw(st.booleans()):
        return Requirement(kind, source=draw(st.none() | text), verified_on=draw(st.none() | days))
    return Requirement(
        kind,
        draw(values(kind)),
        draw(st.sampled_from(Strictness)),
        draw(st.none() | text),
        draw(st.none() | days),
    )


@st.composite
def program(draw: st.DrawFn, index: int = 0) -> Program:
    specialty = draw(st.sampled_from(["140", "120", "320", "440"]))
    acgme = draw(st.none() | st.just(f"{specialty}{index:07d}"))
    codes = draw(st.lists(st.sampled_from("CMPAR"), unique=True, max_size=3))
    if acgme is None and not codes:
        codes = ["C"]
    kinds = draw(st.lists(st.sampled_from(RequirementKind), unique=True))
    has_institution = draw(st.booleans())
    return Program(
        name=f"Example {draw(text)} (fictional)",
        acgme_number=acgme,
        codes=tuple(ProgramCode(f"{index:04d}{specialty}{letter}0") for letter in codes),
        specialty=draw(st.none() | text),
        specialty_code=specialty,
        institution=Institution(
            draw(text), draw(st.none() | text), tuple(draw(st.lists(text, max_size=2)))
        )
        if has_institution
        else None,
        city=draw(st.none() | text),
        state=draw(st.none() | st.sampled_from(["NY", "OH", "TX"])),
        positions_per_year=draw(st.none() | st.integers(0, 50)),
        setting=draw(st.none() | st.sampled_from(Setting)),
        img_share=draw(st.none() | st.floats(0, 1)),
        contacts=Contacts(director=draw(st.none() | text)),
        accreditation_date=draw(st.none() | days),
        requirements=tuple(draw(requirement(k)) for k in kinds),
    )


@st.composite
def programs(draw: st.DrawFn, max_size: int = 8) -> list[Program]:
    size = draw(st.integers(0, max_size))
    return [draw(program(i + 1)) for i in range(size)]


@st.composite
def applicant(draw: st.DrawFn) -> ScreeningApplicant:
    hands_on = draw(st.integers(0, 12))
    return ScreeningApplicant(
        visa=draw(st.sampled_from(VisaNeed)),
        months_since_graduation=draw(st.integers(0, 200)),
        step3_passed=draw(st.booleans()),
        step1_passed=draw(st.none() | st.booleans()),
        step2ck_score=draw(st.none() | st.integers(190, 280)),
        failed_attempts=draw(st.integers(0, 4)),
        hands_on_usce_months=hands_on,
        any_usce_months=hands_on + draw(st.integers(0, 12)),
        us_letters=draw(st.integers(0, 5)),
        ecfmg_certificate_date=draw(st.none() | days),
    )
