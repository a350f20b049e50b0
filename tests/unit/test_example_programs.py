"""The committed example programs: fictional, importable, and what the seeded generator writes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from matchready.domain.requirements import Strictness
from matchready.io.programs_csv import TEMPLATE_COLUMNS, parse_template, program_row
from matchready.io.tables import read_table

EXAMPLES = Path(__file__).parents[2] / "examples" / "programs"


def test_example_programs_are_fictional_varied_and_importable() -> None:
    parsed = parse_template(read_table(EXAMPLES / "example_programs.csv"))
    assert parsed.problems == []
    programs = [r.program for r in parsed.rows]
    assert 250 <= len(programs) <= 350
    assert len({p.specialty for p in programs}) >= 15
    assert all(p.name.startswith("Example ") and p.name.endswith("(fictional)") for p in programs)
    requirements = [r for p in programs for r in p.requirements]
    assert {r.source for r in requirements} == {"example: fictional data"}
    assert {r.strictness for r in requirements} == set(Strictness)
    assert any(len(p.requirements) < 9 for p in programs)  # some requirements are unknown


def test_the_generator_writes_the_committed_file() -> None:
    spec = importlib.util.spec_from_file_location("generate", EXAMPLES / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = read_table(EXAMPLES / "example_programs.csv")
    assert committed.header == TEMPLATE_COLUMNS
    assert committed.rows == [program_row(p) for p in module.example_programs()]
