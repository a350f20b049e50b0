from pathlib import Path

import pytest

from matchready.domain.applicant import Profile, StepStatus
from matchready.errors import ProfileError
from matchready.io.profile import load_profile, parse_profile, template_text

EXAMPLES = Path(__file__).parents[2] / "examples" / "profiles"


def problems(text: str) -> list[str]:
    with pytest.raises(ProfileError) as caught:
        parse_profile(text, "p.toml")
    return [str(p) for p in caught.value.problems]


def test_the_template_is_a_valid_profile() -> None:
    profile = parse_profile(template_text())
    assert isinstance(profile, Profile)
    assert profile.exams.step2ck.status is StepStatus.SCHEDULED


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.name)
def test_every_example_profile_is_valid_and_fictional(path: Path) -> None:
    assert "FICTIONAL" in path.read_text().splitlines()[0]
    assert "(fictional)" in load_profile(path).applicant.name


def test_there_are_at_least_three_examples() -> None:
    assert len(list(EXAMPLES.glob("*.toml"))) >= 3


def test_malformed_toml_gives_line_and_column() -> None:
    text = template_text().replace('name = "Your Name"', 'name = "Your Name')
    (message,) = problems(text)
    assert message.startswith("p.toml:8:")
    assert "malformed TOML" in message


def test_an_impossible_date_names_the_field_and_the_expected_form() -> None:
    (message,) = problems(
        template_text().replace("graduation = 2025-06-30", "graduation = 2025-02-30")
    )
    assert "school.graduation" in message
    assert "2024-06-30" in message


def test_an_impossible_date_in_a_string_names_the_field_path() -> None:
    (message,) = problems(
        template_text().replace("graduation = 2025-06-30", 'graduation = "2025-02-30"')
    )
    assert "field 'school.graduation'" in message
    assert "expected a date such as 2024-06-30" in message


def test_an_unknown_field_suggests_the_closest_valid_one() -> None:
    (message,) = problems(template_text().replace("publications = 0", "publication = 0"))
    assert "field 'research.publication'" in message
    assert "did you mean 'publications'?" in message


def test_an_unknown_table_suggests_the_closest_valid_one() -> None:
    found = problems(template_text().replace("[school]", "[scool]"))
    assert any("'scool'" in m and "did you mean 'school'?" in m for m in found)
    assert any("field 'school'" in m and "required field is missing" in m for m in found)


def test_a_wrong_type_names_the_path_and_the_expected_form() -> None:
    (message,) = problems(template_text().replace("attempts = 1\n", 'attempts = "one"\n', 1))
    assert message.startswith("p.toml:")
    assert "field 'exams.step1.attempts'" in message
    assert "expected a whole number" in message


def test_an_item_in_an_array_of_tables_is_named_by_index() -> None:
    text = template_text().replace('kind = "observership"', 'kind = "shadowing"')
    (message,) = problems(text)
    assert "usce[0].kind" in message
    assert "shadowing" in message


def test_every_problem_is_reported_at_once() -> None:
    text = (
        template_text()
        .replace("publications = 0", "publications = -1")
        .replace('ecfmg_note = "unknown"', 'ecfmg_note = "maybe"')
    )
    found = problems(text)
    assert len(found) == 2


def test_inconsistent_exam_records_are_refused() -> None:
    text = template_text().replace(
        'status = "passed"\nattempts = 1', 'status = "passed"\nattempts = 0'
    )
    (message,) = problems(text)
    assert "exams.step1" in message and "attempts >= 1" in message


def test_an_end_before_its_start_is_refused() -> None:
    (message,) = problems(template_text().replace("end = 2025-09-30", "end = 2025-08-30"))
    assert "usce[0]" in message and "end is before start" in message


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="no such file"):
        load_profile(tmp_path / "absent.toml")
