"""The applicant profile: everything the plan needs to know about one IMG.

Validated by pydantic; read from TOML by `matchready.io.profile`. Unknown fields are refused
(a typo must not be silently ignored). Counts of attempts include the passing attempt.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from matchready.domain.facts import ApplicantType
from matchready.domain.yog import calendar_months


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class YesNoUnknown(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class ImmigrationStatus(StrEnum):
    """The applicant's current US immigration status."""

    US_CITIZEN = "us_citizen"
    PERMANENT_RESIDENT = "permanent_resident"
    OUTSIDE_US = "outside_us"
    J1 = "j1"
    H1B = "h1b"
    F1 = "f1"
    H4 = "h4"
    EAD = "ead"
    VISITOR = "visitor"
    OTHER = "other"


class VisaPreference(StrEnum):
    """Which training visa the applicant wants, if any is needed."""

    AUTO = "auto"
    J1 = "j1"
    H1B = "h1b"
    EITHER = "either"


class StepStatus(StrEnum):
    NOT_TAKEN = "not_taken"
    SCHEDULED = "scheduled"
    PASSED = "passed"
    FAILED = "failed"


class ProgressStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class Pathway(StrEnum):
    """How the clinical and communication skills requirement is met (ECFMG Pathways 1-6)."""

    NONE = "none"
    STEP2_CS = "step2_cs"
    P1 = "pathway1"
    P2 = "pathway2"
    P3 = "pathway3"
    P4 = "pathway4"
    P5 = "pathway5"
    P6 = "pathway6"


class PathwayStatus(StrEnum):
    NOT_STARTED = "not_started"
    APPLIED = "applied"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class USCEKind(StrEnum):
    """Kinds of US clinical experience; only externships and clerkships are hands-on."""

    EXTERNSHIP = "externship"
    CLERKSHIP = "clerkship"
    OBSERVERSHIP = "observership"
    RESEARCH = "research"

    @property
    def hands_on(self) -> bool:
        return self in (USCEKind.EXTERNSHIP, USCEKind.CLERKSHIP)


class Identity(_Model):
    name: str = Field(min_length=1)
    citizenship: str = Field(min_length=1, description="Country of citizenship")
    other_passports: list[str] = Field(
        default_factory=list,
        description="Any other country whose passport you hold (travel restrictions go by "
        "the passport you travel on)",
    )
    residence_country: str | None = Field(
        default=None, description="Country of most recent legal permanent residence"
    )
    immigration_status: ImmigrationStatus = ImmigrationStatus.OUTSIDE_US
    time_zone: str | None = Field(
        default=None,
        description="Your IANA time zone, e.g. Africa/Lagos: 'today' and deadlines are "
        "compared in it (default: this computer's zone)",
    )

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"'{value}' is not a time zone (use an IANA name such as America/New_York)"
            ) from None
        return value


class School(_Model):
    name: str = Field(min_length=1)
    country: str = Field(min_length=1)
    world_directory_listed: YesNoUnknown = YesNoUnknown.UNKNOWN
    ecfmg_note: YesNoUnknown = Field(
        default=YesNoUnknown.UNKNOWN,
        description="Does the World Directory listing carry an ECFMG note for your "
        "graduation year?",
    )
    graduation: dt.date = Field(description="Date on the diploma (past or expected)")


class Ecfmg(_Model):
    usmle_id: str | None = Field(default=None, pattern=r"^\d-\d{3}-\d{3}-\d$")
    application: ProgressStatus = Field(
        default=ProgressStatus.NOT_STARTED,
        description="Application for ECFMG Certification",
    )
    form_186: ProgressStatus = Field(
        default=ProgressStatus.NOT_STARTED,
        description="Certification of Identification Form (Form 186), certified by an official",
    )
    credentials: ProgressStatus = Field(
        default=ProgressStatus.NOT_STARTED,
        description="Primary-source verification of the diploma and final transcript",
    )
    certificate_issued: dt.date | None = None
    certificate_expected: dt.date | None = None


class Exam(_Model):
    status: StepStatus = StepStatus.NOT_TAKEN
    attempts: int = Field(default=0, ge=0, le=10, description="Attempts sat, including a pass")
    date: dt.date | None = Field(
        default=None, description="Date of the last (or scheduled) attempt"
    )
    score: int | None = Field(default=None, ge=1, le=300)

    @model_validator(mode="after")
    def _consistent(self) -> Exam:
        if self.status in (StepStatus.PASSED, StepStatus.FAILED) and self.attempts < 1:
            raise ValueError(f"a {self.status.value} exam needs attempts >= 1")
        if self.status is StepStatus.NOT_TAKEN and self.attempts > 0:
            raise ValueError("status 'not_taken' but attempts > 0: use 'failed' or 'scheduled'")
        if self.status in (StepStatus.PASSED, StepStatus.FAILED) and self.date is None:
            raise ValueError(f"a {self.status.value} exam needs its date")
        return self

    @property
    def passed(self) -> bool:
        return self.status is StepStatus.PASSED

    @property
    def failed_attempts(self) -> int:
        return self.attempts - 1 if self.passed else self.attempts


class Exams(_Model):
    step1: Exam = Field(default_factory=Exam)
    step2ck: Exam = Field(default_factory=Exam)
    step3: Exam = Field(default_factory=Exam)

    def items(self) -> tuple[tuple[str, Exam], ...]:
        return (("Step 1", self.step1), ("Step 2 CK", self.step2ck), ("Step 3", self.step3))


class OET(_Model):
    date: dt.date
    listening: int = Field(ge=0, le=500)
    reading: int = Field(ge=0, le=500)
    writing: int = Field(ge=0, le=500)
    speaking: int = Field(ge=0, le=500)


class Communication(_Model):
    pathway: Pathway = Pathway.NONE
    status: PathwayStatus = PathwayStatus.NOT_STARTED
    match_year: int | None = Field(default=None, ge=2021, le=2100)
    oet: OET | None = None


class Target(_Model):
    match_year: int = Field(ge=2021, le=2100, description="The Match (March) you aim for")
    specialties: list[str] = Field(min_length=1, description="Codes such as IM, FM, PEDS")
    nrmp_registered: dt.date | None = Field(
        default=None,
        description="The day you registered for this Match with the NRMP (empty: not yet)",
    )


class USCE(_Model):
    kind: USCEKind
    institution: str = Field(min_length=1)
    specialty: str = ""
    start: dt.date
    end: dt.date
    letter: bool = Field(default=False, description="A letter of recommendation was obtained")

    @model_validator(mode="after")
    def _ordered(self) -> USCE:
        if self.end < self.start:
            raise ValueError("end is before start")
        return self

    @property
    def months(self) -> float:
        """Calendar months of the rotation, both dates included (1 July to 30 September is 3
        months; 1 July to 18 September is 2.6)."""
        return calendar_months(self.start, self.end + dt.timedelta(days=1))


class Research(_Model):
    publications: int = Field(default=0, ge=0)
    abstracts: int = Field(default=0, ge=0)
    posters: int = Field(default=0, ge=0)
    presentations: int = Field(default=0, ge=0)
    experiences: int = Field(default=0, ge=0)


class Gap(_Model):
    start: dt.date
    end: dt.date
    reason: str = Field(default="", description="What you did; empty = unexplained")

    @model_validator(mode="after")
    def _ordered(self) -> Gap:
        if self.end < self.start:
            raise ValueError("end is before start")
        return self


class Visa(_Model):
    preference: VisaPreference = VisaPreference.AUTO


class Profile(_Model):
    """One applicant's profile (the TOML file's top level)."""

    schema_version: int = Field(default=1, ge=1, le=1)
    applicant: Identity
    school: School
    ecfmg: Ecfmg = Field(default_factory=Ecfmg)
    exams: Exams = Field(default_factory=Exams)
    communication: Communication = Field(default_factory=Communication)
    target: Target
    usce: list[USCE] = Field(default_factory=list)
    research: Research = Field(default_factory=Research)
    gaps: list[Gap] = Field(default_factory=list)
    visa: Visa = Field(default_factory=Visa)

    @property
    def applicant_type(self) -> ApplicantType:
        """The applicant's NRMP type: a US citizen who studied abroad is a US IMG; everyone
        else here, permanent residents included, a non-US IMG (NRMP's definition, the one its
        match-rate tables use; reference: domain-facts.md, applicant type)."""
        if self.applicant.immigration_status is ImmigrationStatus.US_CITIZEN:
            return ApplicantType.US_IMG
        return ApplicantType.NON_US_IMG

    @property
    def needs_visa(self) -> bool:
        return self.applicant.immigration_status not in (
            ImmigrationStatus.US_CITIZEN,
            ImmigrationStatus.PERMANENT_RESIDENT,
        )

    @property
    def hands_on_usce_months(self) -> float:
        return sum(u.months for u in self.usce if u.kind.hands_on)

    @property
    def us_letters(self) -> int:
        return sum(1 for u in self.usce if u.letter)
