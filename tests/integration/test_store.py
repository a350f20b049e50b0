"""The store on SQLite and PostgreSQL: migrations, repository, imports, history, export."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from matchready.domain.requirements import RequirementKind
from matchready.errors import ImportFileError
from matchready.services.programs import export_programs, import_programs
from matchready.store.database import create_database_engine, migrate
from matchready.store.models import Base
from stores import store_at

DATA = Path(__file__).parent.parent / "data"


def test_migrations_create_every_table_from_empty(database_url: str) -> None:
    engine = create_database_engine(database_url)
    try:
        migrate(engine)
        migrate(engine)  # a second run is a no-op
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_migrated_columns_match_the_models(database_url: str) -> None:
    engine = create_database_engine(database_url)
    try:
        migrate(engine)
        inspector = inspect(engine)
        for name, table in Base.metadata.tables.items():
            columns = {c["name"] for c in inspector.get_columns(name)}
            assert columns == {c.name for c in table.columns}, name
    finally:
        engine.dispose()


def test_import_is_idempotent_and_records_history(database_url: str, tmp_path: Path) -> None:
    sample = DATA / "template_sample.csv"
    with store_at(database_url) as uow:
        first = import_programs(uow, sample)
        second = import_programs(uow, sample)
    assert (first.inserted, first.updated, first.unchanged) == (3, 0, 0)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 3)

    changed = tmp_path / "changed.csv"
    changed.write_text(sample.read_text().replace(",230,preference,", ",240,hard,"))
    with store_at(database_url) as uow:
        third = import_programs(uow, changed)
        with uow:
            history = uow.programs.history("1000140P0")
            program = uow.programs.find("1403621075")
            imports = uow.programs.imports()
    assert (third.updated, third.unchanged) == (1, 2)
    assert len(history) == 1
    assert history[0].old is not None and history[0].old.value == 230
    assert history[0].new.value == 240
    assert "changed.csv" in history[0].changed_by
    assert program is not None
    assert program.requirement(RequirementKind.STEP2CK_MINIMUM).value == 240
    assert [i.file_name for i in imports] == ["template_sample.csv"] * 2 + ["changed.csv"]


def test_export_then_import_into_a_fresh_store_gives_the_same_programs(
    database_url: str, tmp_path: Path
) -> None:
    with store_at(database_url) as uow:
        import_programs(uow, DATA / "template_sample.csv")
        import_programs(uow, DATA / "acgme_sample.csv")
        import_programs(uow, DATA / "nrmp_codes_sample.csv")
        exported = tmp_path / "programs.xlsx"
        export_programs(uow, exported)
        with uow:
            before = uow.programs.all()
    with store_at(f"sqlite:///{tmp_path / 'fresh.sqlite3'}") as fresh:
        import_programs(fresh, exported)
        with fresh:
            after = fresh.programs.all()
    assert after == before


def test_nrmp_import_groups_tracks_and_fills_the_crosswalk(database_url: str) -> None:
    with store_at(database_url) as uow:
        summary = import_programs(uow, DATA / "nrmp_codes_sample.csv")
        with uow:
            programs = uow.programs.all()
            crosswalk = uow.programs.crosswalk()
    assert summary.inserted == 2
    assert [[c.code for c in p.codes] for p in programs] == [
        ["1000140C0", "1000140P0", "1000140M0"],
        ["1002040A0", "1002040R0"],
    ]
    assert len(crosswalk) == 5


def test_a_row_rejected_mid_import_leaves_the_database_untouched(
    database_url: str, tmp_path: Path
) -> None:
    header = "acgme_number,nrmp_codes,name\n"
    first = tmp_path / "first.csv"
    first.write_text(
        header + "1403621075,1000140C0,A (fictional)\n1203100001,1001120C0,B (fictional)\n"
    )
    clash = tmp_path / "clash.csv"
    clash.write_text(
        header + "3203100002,,New (fictional)\n1403621075,1001120C0,Both (fictional)\n"
    )
    with store_at(database_url) as uow:
        import_programs(uow, first)
        with pytest.raises(
            ImportFileError, match=r"clash\.csv, row 3: its identifiers belong to 2"
        ):
            import_programs(uow, clash)
        with uow:
            assert [p.key for p in uow.programs.all()] == ["1203100001", "1403621075"]
            assert len(uow.programs.imports()) == 1


def test_an_import_reads_the_store_in_bulk_not_a_query_per_row(database_url: str) -> None:
    """300 programs imported twice: the lookups of the second import (every key exists) and of
    the first (none does) are answered from one read of every program, not a query per key."""
    from sqlalchemy import Engine, event

    example = Path(__file__).parents[2] / "examples" / "programs" / "example_programs.csv"
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    with store_at(database_url) as uow:
        with uow:
            uow.programs.all()  # migrations and connection set-up, not counted
        event.listen(Engine, "before_cursor_execute", count)
        try:
            first = import_programs(uow, example)
            second = import_programs(uow, example)
        finally:
            event.remove(Engine, "before_cursor_execute", count)
    assert (first.inserted, second.unchanged) == (300, 300)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # one more per full read than before issue 16: the requirement claims (a selectin load)
    assert len(selects) == 10, f"{len(selects)} SELECTs for two imports of 300 rows"
