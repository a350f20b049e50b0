"""Write example_programs.csv: about 300 FICTIONAL residency programs in the template format.

Every name says "(fictional)" and every source says "example: fictional data". Identifiers
only look like ACGME numbers and NRMP codes; they name no real program. The random seed is
fixed, so running this again writes the same file:

    .venv/bin/python examples/programs/generate.py
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from matchready.domain.program import (
    Contacts,
    Institution,
    Program,
    ProgramCode,
    Setting,
)
from matchready.domain.requirements import (
    EcfmgDeadline,
    Requirement,
    RequirementKind,
    RequirementValue,
    Strictness,
    UsceKind,
    UsceRequirement,
)
from matchready.io.programs_csv import TEMPLATE_COLUMNS, program_row
from matchready.io.tables import write_table

SEED = 20261125
COUNT = 300
OUT = Path(__file__).with_name("example_programs.csv")
SOURCE = "example: fictional data"

# 3-digit codes as used for examples only (see domain-facts.md §11; most are unverified).
SPECIALTIES = {
    "140": "Internal Medicine",
    "120": "Family Medicine",
    "320": "Pediatrics",
    "400": "Psychiatry",
    "180": "Neurology",
    "300": "Pathology",
    "040": "Anesthesiology",
    "440": "General Surgery",
    "110": "Emergency Medicine",
    "420": "Diagnostic Radiology",
    "220": "Obstetrics and Gynecology",
    "340": "Physical Medicine and Rehabilitation",
    "080": "Dermatology",
    "260": "Orthopaedic Surgery",
    "280": "Otolaryngology",
    "380": "Preventive Medicine",
    "999": "Transitional Year",
}
STATES = {
    "Northeast": ["NY", "PA", "NJ", "MA", "CT"],
    "Midwest": ["OH", "MI", "IL", "MN", "MO"],
    "South": ["TX", "FL", "GA", "NC", "TN"],
    "West": ["CA", "WA", "AZ", "CO", "OR"],
}
TOWNS = ["Exampleville", "Sampletown", "Mockburg", "Placeholder City", "Fictiona", "Demoport"]


def _requirement(
    rng: random.Random, kind: RequirementKind, value: RequirementValue, hard_share: float
) -> Requirement:
    roll = rng.random()
    if roll < 0.35:  # nobody has verified it
        return Requirement(kind)
    strictness = (
        Strictness.HARD
        if roll < 0.35 + hard_share
        else rng.choice([Strictness.PREFERENCE, Strictness.PREFERENCE, Strictness.UNKNOWN])
    )
    verified = date(2024, 6, 1) + timedelta(days=rng.randrange(0, 800))
    return Requirement(kind, value, strictness, SOURCE, verified)


def _requirements(rng: random.Random, img_friendly: bool) -> list[Requirement]:
    K = RequirementKind
    usce_kind = rng.choice([UsceKind.HANDS_ON, UsceKind.ANY])
    values: dict[RequirementKind, RequirementValue] = {
        K.J1_SPONSORED: rng.random() < (0.9 if img_friendly else 0.5),
        K.H1B_SPONSORED: rng.random() < (0.4 if img_friendly else 0.1),
        K.MAX_YEARS_SINCE_GRADUATION: rng.choice([3, 5, 5, 7, 10]),
        K.STEP1_PASS_REQUIRED: True,
        K.STEP2CK_MINIMUM: rng.choice([215, 220, 225, 230, 235, 240, 245]),
        K.MAX_ATTEMPTS: rng.choice([0, 0, 1, 1, 2]),
        K.USCE_REQUIRED: UsceRequirement(usce_kind, rng.choice([0, 1, 2, 3, 6])),
        K.US_LETTERS_REQUIRED: rng.choice([0, 1, 2, 3]),
        K.ECFMG_CERTIFICATE_BY: rng.choice(list(EcfmgDeadline)),
    }
    hard_share = 0.25 if img_friendly else 0.45
    return [_requirement(rng, kind, value, hard_share) for kind, value in values.items()]


def example_programs(count: int = COUNT, seed: int = SEED) -> list[Program]:
    """The fictional programs (deterministic for a seed)."""
    rng = random.Random(seed)
    programs = []
    codes = list(SPECIALTIES)
    for index in range(count):
        code = codes[index % len(codes)]
        specialty = SPECIALTIES[code]
        region = rng.choice(list(STATES))
        state = rng.choice(STATES[region])
        # 9000-9999 for the first thousand; larger (benchmark) sets reuse 1000-8999, and
        # institution + specialty codes stay unique because 8000 is not a multiple of 17.
        institution_code = f"{9000 + index:04d}" if index < 1000 else f"{1000 + index % 8000:04d}"
        setting = rng.choice(list(Setting))
        tracks = ["C"]
        if code in {"140", "440"} and rng.random() < 0.5:
            tracks.append("P")
        if code in {"040", "420", "080"}:
            tracks = ["A"] + (["R"] if rng.random() < 0.3 else [])
        if code == "999":
            tracks = ["P"]
        town = rng.choice(TOWNS)
        name = f"Example {town} {specialty} Program {index + 1} (fictional)"
        img_friendly = setting is Setting.COMMUNITY or rng.random() < 0.4
        programs.append(
            Program(
                name=name,
                acgme_number=f"{code}{rng.randrange(10, 56):02d}{index + 1:05d}",
                codes=tuple(ProgramCode(f"{institution_code}{code}{t}0") for t in tracks),
                specialty=specialty,
                specialty_code=code,
                institution=Institution(
                    f"Example {town} Medical Center {index + 1} (fictional)",
                    f"EX{index + 1:04d}",
                    (f"Example {town} Clinic (fictional)",),
                ),
                city=town,
                state=state,
                region=region,
                positions_per_year=rng.choice([2, 4, 6, 8, 10, 12, 16, 24]),
                setting=setting,
                img_share=round(rng.uniform(0.3, 0.9) if img_friendly else rng.uniform(0, 0.3), 2),
                website=f"https://example.org/fictional-program-{index + 1}",
                contacts=Contacts(
                    director=f"Dr. Example Director {index + 1} (fictional)",
                    coordinator=f"Example Coordinator {index + 1} (fictional)",
                    email=f"program{index + 1}@example.org",
                ),
                application_service="ERAS",
                requirements=tuple(_requirements(rng, img_friendly)),
            )
        )
    return programs


def main() -> None:
    """Write the example file."""
    rows = [program_row(p) for p in example_programs()]
    comments = [
        "FICTIONAL example programs written by examples/programs/generate.py (seeded).",
        "No row describes a real program; identifiers only look valid.",
    ]
    write_table(OUT, TEMPLATE_COLUMNS, rows, comments=comments)


if __name__ == "__main__":
    main()
