"""Claims, LCA counts and the program data version on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from alembic.script import ScriptDirectory

from matchready.domain.requirements import RequirementKind
from matchready.services.program_evidence import import_lca
from matchready.services.programs import RequirementEdit, edit_requirement, import_programs
from matchready.store.database import alembic_config
from stores import store_at

DATA = Path(__file__).parent.parent / "data"
H1B = RequirementKind.H1B_SPONSORED


def test_one_alembic_head() -> None:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1


def test_claims_lca_evidence_and_version_persist(database_url: str, tmp_path: Path) -> None:
    with store_at(database_url) as uow:
        with uow:
            start = uow.programs.revision()
        import_programs(uow, DATA / "lca" / "institutions.csv")
        import_lca(uow, DATA / "lca" / "lca_fy2025_sample.csv")
        with uow:
            after_imports = uow.programs.revision()
            example = uow.programs.find("1403621075")
            mock = uow.programs.find("4003100002")
        assert after_imports.imports == start.imports + 2
        assert after_imports.changes == start.changes + 2
        assert example is not None and mock is not None
        assert example.h1b_evidence is not None
        assert example.h1b_evidence.counts == ((2024, 1), (2025, 3))
        assert [c.value for c in example.conflict(H1B)] == [False, True]
        assert mock.conflict(H1B) == ()
        edit = RequirementEdit("4003100002", "step2ck_minimum", "225", "hard", "call")
        edit_requirement(uow, edit, "ana", date(2026, 12, 1))
        with uow:
            later = uow.programs.revision()
            changed = uow.programs.changed_since(after_imports.changes)
            mock = uow.programs.find("4003100002")
        assert (later.imports, later.changes) == (after_imports.imports, after_imports.changes + 1)
        assert [p.key for p in changed] == ["4003100002"]
        assert mock is not None
        assert [(c.source, c.value) for c in mock.claims if c.kind.value == "step2ck_minimum"] == [
            ("call", 225)
        ]
