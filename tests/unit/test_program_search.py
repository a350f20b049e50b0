"""Programs found by name, place or code (the tracker's search box)."""

from __future__ import annotations

from matchready.domain.program import Program, ProgramCode
from matchready.domain.program_search import label, search_programs

PROGRAMS = [
    Program(
        name="Riverside General Hospital Internal Medicine (fictional)",
        acgme_number="1403621075",
        codes=(ProgramCode("1234140C0"),),
        city="Springfield",
        state="IL",
    ),
    Program(
        name="Lakeside University Pediatrics (fictional)",
        acgme_number="3203621001",
        codes=(ProgramCode("5678320C0"),),
        city="Madison",
        state="WI",
    ),
    Program(name="Hilltop Family Medicine (fictional)", codes=(ProgramCode("9999120C0"),)),
]


def test_a_name_finds_its_program_first() -> None:
    found = search_programs(PROGRAMS, "riverside internal")
    assert found[0].program is PROGRAMS[0]
    assert label(found[0].program) == (
        "Riverside General Hospital Internal Medicine (fictional), Springfield, IL"
    )


def test_a_city_or_a_code_finds_its_program() -> None:
    assert search_programs(PROGRAMS, "Madison")[0].program is PROGRAMS[1]
    by_code = search_programs(PROGRAMS, "9999120c0")
    assert by_code[0].program is PROGRAMS[2] and by_code[0].score == 100.0
    assert search_programs(PROGRAMS, "1403621075")[0].program is PROGRAMS[0]


def test_nothing_alike_and_empty_text_find_nothing() -> None:
    assert search_programs(PROGRAMS, "zzqx") == []
    assert search_programs(PROGRAMS, "   ") == []


def test_the_limit_holds() -> None:
    assert len(search_programs(PROGRAMS, "fictional", limit=2)) == 2
