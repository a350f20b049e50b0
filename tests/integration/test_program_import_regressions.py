"""Regression tests of program imports, named after the bug, with their data files beside them
(tests/data/regressions/)."""

from __future__ import annotations

from pathlib import Path

from matchready.services.programs import import_programs
from stores import store_at

REGRESSIONS = Path(__file__).parent.parent / "data" / "regressions"


def test_one_row_import_at_an_institution_already_stored_does_not_hit_integrity_error(
    database_url: str,
) -> None:
    # A one-row file is imported without reading the whole store first; the institution it
    # names was created again (same code) and the unique constraint refused the insert.
    with store_at(database_url) as uow:
        first = import_programs(uow, REGRESSIONS / "one_row_existing_institution_first.csv")
        second = import_programs(uow, REGRESSIONS / "one_row_existing_institution_second.csv")
        with uow:
            programs = uow.programs.all()
    assert (first.inserted, second.inserted) == (1, 1)
    assert [p.key for p in programs] == ["1203621076", "1403621075"]
    institutions = {p.institution for p in programs}
    assert len(institutions) == 1
    (institution,) = institutions
    assert institution is not None
    assert (institution.code, institution.name) == ("990001", "Example Health System (fictional)")
