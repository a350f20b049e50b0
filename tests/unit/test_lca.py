"""DOL LCA disclosure files: which filings count, per employer and fiscal year, matched to the
stored institutions, and the H-1B conflicts they raise (fictional fixture, DOL column layout)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from fakes import MemoryUnitOfWork
from matchready.domain.requirements import RequirementKind
from matchready.domain.screening import (
    Outcome,
    ScreeningApplicant,
    VisaNeed,
    screen_program_reference,
)
from matchready.errors import ImportFileError, InputError, NotFoundError
from matchready.io.lca import EmployerCount, fiscal_year, is_resident_physician, read_lca
from matchready.services.lca_matching import normalise_name
from matchready.services.program_evidence import decide_lca, import_lca, lca_review
from matchready.services.programs import import_programs

LCA = Path(__file__).parent.parent / "data" / "lca"
SAMPLE = LCA / "lca_fy2025_sample.csv"
H1B = RequirementKind.H1B_SPONSORED


def test_the_sample_keeps_certified_resident_and_fellow_physicians_per_fiscal_year() -> None:
    lca = read_lca(SAMPLE)
    assert (lca.rows_read, lca.filings_kept) == (12, 8)
    assert lca.counts == (
        EmployerCount("ELSEWHERE REGIONAL HOSPITAL", "FARAWAY", "WY", 2025, 1),
        EmployerCount("EXAMPLE HEALTH SYSTEM INC", "EXAMPLEVILLE", "NY", 2024, 1),
        EmployerCount("EXAMPLE HEALTH SYSTEM INC", "EXAMPLEVILLE", "NY", 2025, 3),
        EmployerCount("MOCK MED CTR", "MOCKSBURG", "TX", 2025, 2),
        EmployerCount("SAMPLE UNIVERSITY HEALTH PARTNERS", "SAMPLETOWN", "OH", 2025, 1),
    )
    assert lca.fiscal_years == (2024, 2025)


def test_the_same_file_as_xlsx_gives_the_same_counts(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    with SAMPLE.open(newline="") as handle:
        for number, row in enumerate(csv.reader(handle)):
            if number and row[3]:
                row[3] = dt.datetime.fromisoformat(row[3])  # Excel dates, as DOL ships them
            sheet.append(row)
    workbook.save(tmp_path / "lca.xlsx")
    xlsx = read_lca(tmp_path / "lca.xlsx")
    assert (xlsx.counts, xlsx.rows_read) == (read_lca(SAMPLE).counts, 12)


@pytest.mark.parametrize(
    ("title", "soc", "kept"),
    [
        ("RESIDENT PHYSICIAN", "29-1229.00", True),
        ("Fellow", "29-1212", True),
        ("PGY-3 House Officer", "", True),
        ("Medical Resident", "29-1069", True),
        ("Research Fellow", "19-1042", False),
        ("Resident Engineer", "17-2051", False),
        ("Physician", "29-1229", False),
    ],
)
def test_resident_physician_filter(title: str, soc: str, kept: bool) -> None:
    assert is_resident_physician(title, soc) is kept


def test_fiscal_years_run_october_to_september() -> None:
    assert fiscal_year(dt.date(2024, 9, 30)) == 2024
    assert fiscal_year(dt.date(2024, 10, 1)) == 2025


def test_an_unknown_layout_names_the_missing_columns(tmp_path: Path) -> None:
    old = tmp_path / "old.csv"
    old.write_text("LCA_CASE_NUMBER,STATUS,LCA_CASE_EMPLOYER_NAME,JOB_TITLE\nI-1,CERTIFIED,X,Y\n")
    with pytest.raises(
        ImportFileError,
        match=r"missing columns CASE_STATUS, DECISION_DATE, SOC_CODE, "
        r"EMPLOYER_NAME, EMPLOYER_CITY, EMPLOYER_STATE",
    ):
        read_lca(old)


def test_names_are_normalised_before_matching() -> None:
    assert normalise_name("Univ. Hosp. Med. Ctr., Inc.") == "university hospital medical center"
    assert normalise_name("St. Mary's Hlth Sys & Clinics") == "saint mary s health system clinics"


def _store() -> MemoryUnitOfWork:
    uow = MemoryUnitOfWork()
    import_programs(uow, LCA / "institutions.csv")
    return uow


def test_counts_per_institution_and_the_conflicts_they_raise() -> None:
    uow = _store()
    summary = import_lca(uow, SAMPLE)
    assert (summary.employers, summary.matched, summary.uncertain, summary.unmatched) == (
        4,
        2,
        1,
        1,
    )
    with uow:
        example = uow.programs.find("1403621075")
        sample = uow.programs.find("1203100001")
        mock = uow.programs.find("4003100002")
    assert example is not None and sample is not None and mock is not None
    assert example.h1b_evidence is not None
    assert example.h1b_evidence.counts == ((2024, 1), (2025, 3))
    assert example.h1b_evidence.lines() == [
        "H-1B evidence: 3 resident-physician LCAs certified for this institution in FY2025 (DOL)",
        "H-1B evidence: 1 resident-physician LCAs certified for this institution in FY2024 (DOL)",
    ]
    # stated "no" with recent evidence, stated "yes" with none: conflicts; "yes" with 2: none
    assert [c.value for c in example.conflict(H1B)] == [False, True]
    assert [c.value for c in sample.conflict(H1B)] == [True, False]
    assert mock.conflict(H1B) == ()
    applicant = ScreeningApplicant(VisaNeed.H1B, 24, step3_passed=True)
    rule = screen_program_reference(applicant, example, dt.date(2026, 12, 1)).rules[1]
    assert rule.outcome is Outcome.UNKNOWN
    assert rule.program_value == (
        "conflict — verify: no (https://example.org/im/visa, 2026-10-01); "
        "yes (DOL LCA disclosure data FY2024-FY2025)"
    )


def test_review_lists_the_uncertain_match_and_confirming_it_counts_its_filings() -> None:
    uow = _store()
    import_lca(uow, SAMPLE)
    (pending,) = lca_review(uow)
    assert (pending.employer, pending.institution_name) == (
        "SAMPLE UNIVERSITY HEALTH PARTNERS",
        "Sample University Hospital",
    )
    decide_lca(uow, "Sample University Health Partners", "Sampletown", "oh", accept=True)
    assert lca_review(uow) == []
    with uow:
        sample = uow.programs.find("1203100001")
    assert sample is not None and sample.h1b_evidence is not None
    assert sample.h1b_evidence.recent == 1
    assert sample.conflict(H1B) == ()
    with pytest.raises(NotFoundError):
        decide_lca(uow, "Nobody", "Nowhere", "NY", accept=True)


def test_reimporting_a_year_replaces_its_counts_and_a_file_without_filings_writes_nothing(
    tmp_path: Path,
) -> None:
    uow = _store()
    import_lca(uow, SAMPLE)
    import_lca(uow, SAMPLE)
    with uow:
        assert len(uow.programs.lca_employers()) == 5
    empty = tmp_path / "none.csv"
    empty.write_text(SAMPLE.read_text().splitlines()[0] + "\n")
    commits = uow.commits
    with pytest.raises(InputError, match="no certified resident or fellow physician filing"):
        import_lca(uow, empty)
    assert uow.commits == commits
