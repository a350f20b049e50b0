"""Hypothesis strategies that build valid applicant profiles."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from matchready.domain.applicant import (
    ImmigrationStatus,
    Pathway,
    PathwayStatus,
    Profile,
    ProgressStatus,
    StepStatus,
    USCEKind,
    VisaPreference,
    YesNoUnknown,
)

dates = st.dates(min_value=date(2010, 1, 1), max_value=date(2030, 12, 31))
text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda s: s.strip() == s and s.strip())


@st.composite
def exams(draw: Any) -> dict[str, Any]:
    status = draw(st.sampled_from(list(StepStatus)))
    exam: dict[str, Any] = {"status": status}
    if status in (StepStatus.PASSED, StepStatus.FAILED):
        exam["attempts"] = draw(st.integers(1, 6))
        exam["date"] = draw(dates)
    elif status is StepStatus.SCHEDULED:
        exam["attempts"] = draw(st.integers(0, 3))
        exam["date"] = draw(st.none() | dates)
    if draw(st.booleans()):
        exam["score"] = draw(st.integers(1, 300))
    return exam


@st.composite
def spans(draw: Any) -> tuple[date, date]:
    start = draw(dates)
    return start, start + timedelta(days=draw(st.integers(0, 400)))


@st.composite
def profiles(draw: Any) -> Profile:
    usce = []
    for _ in range(draw(st.integers(0, 3))):
        start, end = draw(spans())
        usce.append(
            {
                "kind": draw(st.sampled_from(list(USCEKind))),
                "institution": draw(text),
                "specialty": draw(st.sampled_from(["", "IM", "FM"])),
                "start": start,
                "end": end,
                "letter": draw(st.booleans()),
            }
        )
    gaps = []
    for _ in range(draw(st.integers(0, 2))):
        start, end = draw(spans())
        gaps.append({"start": start, "end": end, "reason": draw(st.just("") | text)})
    oet = None
    if draw(st.booleans()):
        scores = st.integers(0, 500)
        oet = {
            "date": draw(dates),
            **{k: draw(scores) for k in ("listening", "reading", "writing", "speaking")},
        }
    data: dict[str, Any] = {
        "applicant": {
            "name": draw(text),
            "citizenship": draw(text),
            "immigration_status": draw(st.sampled_from(list(ImmigrationStatus))),
        },
        "school": {
            "name": draw(text),
            "country": draw(text),
            "world_directory_listed": draw(st.sampled_from(list(YesNoUnknown))),
            "ecfmg_note": draw(st.sampled_from(list(YesNoUnknown))),
            "graduation": draw(dates),
        },
        "ecfmg": {
            "application": draw(st.sampled_from(list(ProgressStatus))),
            "form_186": draw(st.sampled_from(list(ProgressStatus))),
            "credentials": draw(st.sampled_from(list(ProgressStatus))),
        },
        "exams": {"step1": draw(exams()), "step2ck": draw(exams()), "step3": draw(exams())},
        "communication": {
            "pathway": draw(st.sampled_from(list(Pathway))),
            "status": draw(st.sampled_from(list(PathwayStatus))),
        },
        "target": {
            "match_year": draw(st.integers(2024, 2030)),
            "specialties": draw(
                st.lists(st.sampled_from(["IM", "FM", "PEDS", "DERM"]), min_size=1, max_size=3)
            ),
        },
        "usce": usce,
        "gaps": gaps,
        "research": {"publications": draw(st.integers(0, 50))},
        "visa": {"preference": draw(st.sampled_from(list(VisaPreference)))},
    }
    if draw(st.booleans()):
        data["ecfmg"]["usmle_id"] = "1-{:03d}-{:03d}-{}".format(
            *draw(st.tuples(st.integers(0, 999), st.integers(0, 999), st.integers(0, 9)))
        )
    if oet is not None:
        data["communication"]["oet"] = oet
    if draw(st.booleans()):
        data["applicant"]["residence_country"] = draw(text)
    return Profile.model_validate(data)
