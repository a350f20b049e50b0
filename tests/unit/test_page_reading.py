"""Reading program pages: the phrase set on fictional pages, negations and old text."""

from __future__ import annotations

from pathlib import Path

import pytest

from matchready.domain.page_reading import img_policy, propose
from matchready.domain.requirements import (
    EcfmgDeadline,
    RequirementKind,
    Strictness,
    UsceKind,
    UsceRequirement,
)
from matchready.io.program_page import page_sentences

PAGES = Path(__file__).parent.parent / "data" / "pages"
K = RequirementKind


def _sentences(name: str) -> list[str]:
    return page_sentences((PAGES / name).read_text(encoding="utf-8"))


def test_a_friendly_page_gives_every_value_with_its_sentence() -> None:
    found = {
        (f.kind, f.value): (f.sentence, f.strictness)
        for f in propose(_sentences("friendly_im.html"))
    }
    visa = (
        "We sponsor J-1 visas through ECFMG and H-1B visas for applicants who have passed Step 3."
    )
    assert found == {
        (K.J1_SPONSORED, True): (visa, Strictness.UNKNOWN),
        (K.H1B_SPONSORED, True): (visa, Strictness.UNKNOWN),
        (K.MAX_YEARS_SINCE_GRADUATION, 5): (
            "Applicants must have graduated from medical school within the last 5 years.",
            Strictness.HARD,
        ),
        (K.STEP2CK_MINIMUM, 230): (
            "A minimum Step 2 CK score of 230 is required.",
            Strictness.HARD,
        ),
        (K.STEP1_PASS_REQUIRED, True): (
            "Passing Step 1 on the first attempt is required.",
            Strictness.HARD,
        ),
        (K.MAX_ATTEMPTS, 0): ("Passing Step 1 on the first attempt is required.", Strictness.HARD),
        (K.USCE_REQUIRED, UsceRequirement(UsceKind.HANDS_ON, 3)): (
            "We require at least 3 months of hands-on US clinical experience.",
            Strictness.HARD,
        ),
        (K.US_LETTERS_REQUIRED, 2): (
            "Two letters of recommendation from US physicians are required.",
            Strictness.HARD,
        ),
        (K.ECFMG_CERTIFICATE_BY, EcfmgDeadline.RANK): (
            "ECFMG certification is required by the rank order list deadline.",
            Strictness.HARD,
        ),
    }
    assert [(p.accepted, p.sentence) for p in img_policy(_sentences("friendly_im.html"))] == [
        (True, "International medical graduates are welcome to apply.")
    ]


def test_negations_and_old_text_never_give_a_value() -> None:
    found = propose(_sentences("strict_fm.html"))
    assert [(f.kind, f.value, f.sentence) for f in found] == [
        (K.J1_SPONSORED, True, "We sponsor J-1 visas only."),
        (K.H1B_SPONSORED, False, "We sponsor J-1 visas only."),
        (K.MAX_ATTEMPTS, 1, "Applicants should have no more than one failed attempt on USMLE."),
    ]


def test_explicit_refusals_are_read_as_no() -> None:
    found = propose(_sentences("no_imgs.html"))
    assert [(f.kind, f.value) for f in found] == [(K.H1B_SPONSORED, False)]
    assert [p.accepted for p in img_policy(_sentences("no_imgs.html"))] == [False]


@pytest.mark.parametrize(
    "sentence",
    [
        "We do not sponsor H-1B visas.",
        "Unfortunately we cannot sponsor H1B visas.",
        "Our program doesn't support H-1B sponsorship.",
        "No H-1B.",
    ],
)
def test_h1b_refusals(sentence: str) -> None:
    assert [(f.kind, f.value) for f in propose([sentence])] == [(K.H1B_SPONSORED, False)]


@pytest.mark.parametrize(
    "sentence",
    [
        "We do not require a minimum Step 2 CK score of 240.",
        "There is no YOG cutoff within 5 years.",
        "Step 2 CS required.",
        "USCE is not required, though 2 months help.",
        "We never ask for two letters from US physicians.",
        "ECFMG certification is not needed by the interview.",
    ],
)
def test_negated_and_old_sentences_give_nothing(sentence: str) -> None:
    assert propose([sentence]) == []


def test_a_page_without_requirement_text_gives_nothing() -> None:
    assert propose(_sentences("empty.html")) == []
