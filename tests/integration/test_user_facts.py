"""Your own facts: `matchready facts set/unset/list --mine`, the override and its label, and
every kind of bad input (named file, line and field; exit 1; nothing half-written)."""

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matchready.cli.app import app
from matchready.data import load_facts
from matchready.data.user_facts import FILE_NAME, read_user_facts, user_rows
from matchready.domain.facts import SourceKind
from matchready.errors import DataFileError, InputError, NotFoundError
from matchready.services.facts import load_all_facts, set_user_fact, unset_user_fact
from matchready.settings import Settings

NRMP = "https://www.nrmp.org/match-calendar/"
TODAY = date(2026, 12, 1)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def run(data_dir: Path):  # type: ignore[no-untyped-def]
    runner = CliRunner()
    env = {"COLUMNS": "200", "NO_COLOR": "1", "MATCHREADY_DATA_DIR": str(data_dir)}

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), env=env)

    return invoke


def test_a_user_date_fills_an_unknown_and_is_labelled(run, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=data_dir)
    assert load_all_facts(settings).event(2027, "rol_deadline") is None
    result = run(
        "facts", "set", "calendar.rol_deadline", "2027-03-03", "--applies-to", "2027",
        "--source", NRMP, "--note", "read on the NRMP calendar",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"your fact (source {NRMP})" in result.output
    event = load_all_facts(settings).event(2027, "rol_deadline")
    assert event is not None and event.day == date(2027, 3, 3)
    assert event.source_kind is SourceKind.USER and event.mine
    assert event.standing() == f"your fact (source {NRMP})"
    assert event.summary.startswith("Rank order list certification deadline")
    listed = run("facts", "list", "--mine")
    assert listed.exit_code == 0
    assert "calendar.rol_deadline" in listed.output and "2027-03-03" in listed.output
    shown = run("facts", "calendar.2027.rol_deadline")
    assert "your fact" in shown.output


def test_a_user_fee_overrides_the_bundled_row_for_its_year_only(run, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    result = run(
        "facts", "set", "fee.eras.token", "$175", "--applies-to", "2026", "--source", NRMP
    )
    assert result.exit_code == 0, result.output
    facts = load_all_facts(Settings(data_dir=data_dir))
    token = facts.fee("eras.token", 2026)
    assert token is not None and (token.amount_usd, token.mine) == (175, True)
    assert [f.amount_usd for f in facts.fees if f.key == "eras.token"] == [165, 175]
    assert facts.fee("eras.token", 2024).amount_usd == 165  # other years keep the bundle
    again = run("facts", "set", "fee.eras.token", "180", "--applies-to", "2026", "--source", NRMP)
    assert again.exit_code == 0
    assert [f.value for _, f in read_user_facts(data_dir / FILE_NAME)] == ["180"]
    removed = run("facts", "unset", "fee.eras.token")
    assert removed.exit_code == 0 and "Removed 1 fact" in removed.output
    assert load_all_facts(Settings(data_dir=data_dir)).fee("eras.token", 2026).amount_usd == 165


def test_a_user_rule_wins_where_it_applies(data_dir: Path) -> None:
    path = data_dir / FILE_NAME
    set_user_fact(path, "usmle.step2ck.min_pass", "220", "2028-", NRMP, TODAY)
    facts = load_all_facts(Settings(data_dir=data_dir))
    assert facts.rule_for("usmle.step2ck.min_pass", 2028).value == "220"
    assert facts.rule_for("usmle.step2ck.min_pass", 2027).value == "218"
    assert facts.rule("usmle.step2ck.min_pass", date(2027, 8, 1)).value == "220"
    assert facts.rule("usmle.step2ck.min_pass", date(2026, 8, 1)).value == "218"


def test_signals_take_a_count_or_gold_plus_silver(data_dir: Path) -> None:
    path = data_dir / FILE_NAME
    set_user_fact(path, "signals.IM", "4+11", "2027", NRMP, TODAY)
    set_user_fact(path, "signals.FM", "6", "2027", NRMP, TODAY)
    facts = load_all_facts(Settings(data_dir=data_dir))
    im = facts.signal_limit(2027, "IM")
    assert im is not None and (im.gold, im.silver, im.signals) == (4, 11, 15)
    assert facts.signal_limit(2027, "FM").signals == 6


@pytest.mark.parametrize(
    ("args", "field", "words"),
    [
        (
            ("calendar.rol_dedline", "2027-03-03", "2027"),
            "key",
            "did you mean calendar.rol_deadline",
        ),
        (("fee.eras.tokn", "165", "2027"), "key", "did you mean fee.eras.token"),
        (("fee.eras.token", "one hundred", "2027"), "value", "whole number of US dollars"),
        (("fee.eras.token", "16.50", "2027"), "value", "whole number of US dollars"),
        (("calendar.rol_deadline", "03/03/2027", "2027"), "value", "YYYY-MM-DD"),
        (("calendar.rol_deadline", "2027-02-30", "2027"), "value", "YYYY-MM-DD"),
        (("calendar.rol_deadline", "2019-03-03", "2027"), "value", "not in the 2027 Match cycle"),
        (("calendar.rol_deadline", "2027-03-03", "2027-2028"), "applies_to", "one Match year"),
        (("calendar.rol_deadline", "2027-03-03", "next year"), "applies_to", "applies_to must"),
        (("usmle.step2ck.min_pass", "high", "2027-"), "value", "a whole number (a score)"),
        (("signals.IM", "lots", "2027"), "value", "gold+silver"),
    ],
)
def test_bad_input_names_the_field_and_exits_1(run, data_dir: Path, args, field, words) -> None:  # type: ignore[no-untyped-def]
    key, value, scope = args
    result = run("facts", "set", key, value, "--applies-to", scope, "--source", NRMP)
    assert result.exit_code == 1, result.output
    assert field in result.output and words in result.output
    assert "Traceback" not in result.output
    assert not (data_dir / FILE_NAME).exists()  # nothing written


def test_a_missing_or_bad_source_is_refused(run, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    missing = run("facts", "set", "fee.eras.token", "175", "--applies-to", "2026")
    assert missing.exit_code == 1 and "source" in missing.output and "URL" in missing.output
    bad = run("facts", "set", "fee.eras.token", "175", "--applies-to", "2026", "--source", "AMA")
    assert bad.exit_code == 1 and "source" in bad.output and "http" in bad.output
    assert not (data_dir / FILE_NAME).exists()


def test_unset_of_an_unknown_fact_is_an_error(data_dir: Path) -> None:
    with pytest.raises(NotFoundError, match=r"no fact of yours named fee\.eras\.token"):
        unset_user_fact(data_dir / FILE_NAME, "fee.eras.token")


def test_a_hand_broken_file_is_named_with_line_and_field_and_left_alone(
    run,  # type: ignore[no-untyped-def]
    data_dir: Path,
) -> None:
    path = data_dir / FILE_NAME
    set_user_fact(path, "fee.eras.token", "175", "2026", NRMP, TODAY)
    broken = path.read_text().replace(",175,2026,", ",175,20x6,")
    broken += 'calendar.match_day,2027-03-19,2027,"unterminated\n'
    path.write_text(broken)
    with pytest.raises(DataFileError) as caught:
        user_rows(path, load_facts())
    assert any(
        p.location.line == 2 and p.location.field == "applies_to" for p in caught.value.problems
    )
    result = run("facts", "list", "--mine")
    assert result.exit_code == 1
    assert f"{path}:2" in result.output and "applies_to" in result.output
    plan = run("facts", "set", "fee.eras.token", "180", "--applies-to", "2026", "--source", NRMP)
    assert plan.exit_code == 1
    assert path.read_text() == broken  # not rewritten
    assert load_facts().fee("eras.token", 2026).amount_usd == 165  # the bundle is untouched


def test_a_user_line_whose_key_is_unknown_is_named_on_load(data_dir: Path) -> None:
    path = data_dir / FILE_NAME
    data_dir.mkdir(parents=True)
    path.write_text(
        "key,value,applies_to,source,as_of,source_kind,note\n"
        f"fee.nrmp.registraton,85,2027,{NRMP},2026-12-01,user,\n"
        f"fee.nrmp.registration,85,2027,{NRMP},2026-12-01,official,\n"
    )
    with pytest.raises(DataFileError) as caught:
        load_all_facts(Settings(data_dir=data_dir))
    found = {(p.location.line, p.location.field) for p in caught.value.problems}
    assert found == {(3, "source_kind")}  # the row-level check runs before the key check
    path.write_text(path.read_text().splitlines()[0] + "\n" + path.read_text().splitlines()[1])
    with pytest.raises(DataFileError, match=r"did you mean fee\.nrmp\.registration"):
        load_all_facts(Settings(data_dir=data_dir))


def test_set_refuses_an_empty_source_in_the_service_too(data_dir: Path) -> None:
    with pytest.raises(InputError, match="--source URL"):
        set_user_fact(data_dir / FILE_NAME, "fee.eras.token", "175", "2026", "  ", TODAY)


def test_a_user_fact_is_dated_by_the_runtime_clock(
    run, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """`facts set` records the day by the runtime's clock (it was date.today())."""
    from matchready import bootstrap as boot
    from matchready.cli import common

    monkeypatch.setattr(common, "runtime", lambda: boot.bootstrap(clock=lambda: TODAY))
    result = run(
        "facts", "set", "calendar.rol_deadline", "2027-03-03", "--applies-to", "2027",
        "--source", NRMP,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [(_, fact)] = read_user_facts(data_dir / FILE_NAME)
    assert fact.as_of == TODAY.isoformat()  # the wall clock says 2026-12-02 or later
