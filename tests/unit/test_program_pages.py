"""Reading a program's page through the service: proposals beside stored values, nothing
written until accepted, accepted values stored with the address, date and sentence."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import httpx
import pytest

from fakes import MemoryUnitOfWork
from matchready.domain.program import ClaimSource
from matchready.domain.requirements import RequirementKind
from matchready.errors import InputError, NotFoundError
from matchready.services.program_evidence import accept_page_values, read_program_page
from matchready.services.programs import get_program, import_programs

DATA = Path(__file__).parent.parent / "data"
PAGES = DATA / "pages"
K = RequirementKind
TODAY = date(2026, 12, 1)
URL = "https://example.org/im/eligibility"


def _store() -> MemoryUnitOfWork:
    uow = MemoryUnitOfWork()
    import_programs(uow, DATA / "template_sample.csv")
    return uow


def test_proposals_sit_beside_the_stored_values_and_nothing_is_written() -> None:
    uow = _store()
    commits = uow.commits
    reading = read_program_page(uow, str(PAGES / "friendly_im.html"), "1403621075", TODAY, url=URL)
    assert uow.commits == commits
    by_kind = {p.finding.kind: p for p in reading.proposals}
    assert by_kind[K.STEP2CK_MINIMUM].stored.value == 230 and by_kind[K.STEP2CK_MINIMUM].same
    assert by_kind[K.MAX_YEARS_SINCE_GRADUATION].stored.value == 5
    assert by_kind[K.H1B_SPONSORED].stored.value is None
    assert reading.source == URL


def test_accepted_values_are_stored_with_address_date_and_sentence() -> None:
    uow = _store()
    reading = read_program_page(uow, str(PAGES / "friendly_im.html"), "1403621075", TODAY, url=URL)
    changes = accept_page_values(uow, reading, {K.H1B_SPONSORED, K.US_LETTERS_REQUIRED}, "ana")
    assert [(c.new.kind, c.new.value, c.new.source, c.new.verified_on) for c in changes] == [
        (K.H1B_SPONSORED, True, URL, TODAY),
        (K.US_LETTERS_REQUIRED, 2, URL, TODAY),
    ]
    program, history = get_program(uow, "1403621075")
    claim = next(c for c in program.claims if c.kind is K.US_LETTERS_REQUIRED)
    assert (claim.source_kind, claim.source, claim.recorded_on) == (ClaimSource.PAGE, URL, TODAY)
    assert claim.evidence == "Two letters of recommendation from US physicians are required."
    assert [h.changed_by for h in history[-2:]] == ["ana", "ana"]


def test_a_page_value_against_a_stored_one_from_another_source_is_a_conflict() -> None:
    uow = _store()
    page = PAGES / "strict_fm.html"
    reading = read_program_page(uow, str(page), "1403621075", TODAY, url=URL)
    accept_page_values(uow, reading, None, "ana")
    program, _ = get_program(uow, "1403621075")
    assert program.requirement(K.J1_SPONSORED).value is True
    assert program.conflict(K.J1_SPONSORED) == ()  # the page agrees with the template
    assert program.requirement(K.MAX_ATTEMPTS).value == 1


def test_accepting_a_kind_the_page_does_not_give_is_refused() -> None:
    uow = _store()
    reading = read_program_page(uow, str(PAGES / "no_imgs.html"), "1403621075", TODAY)
    assert reading.source == "saved page no_imgs.html"
    with pytest.raises(InputError, match="the page proposes no value for step2ck_minimum"):
        accept_page_values(uow, reading, {K.STEP2CK_MINIMUM}, "ana")


def test_a_page_that_does_not_load_is_a_clear_error() -> None:
    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route to host", request=request)

    client = httpx.Client(transport=httpx.MockTransport(offline))
    with pytest.raises(
        InputError, match=r"cannot load the page \(offline, or the address is wrong\)"
    ):
        read_program_page(_store(), URL, "1403621075", TODAY, client=client)
    missing = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(404)))
    with pytest.raises(InputError, match="the page answered HTTP 404"):
        read_program_page(_store(), URL, "1403621075", TODAY, client=missing)
    with pytest.raises(NotFoundError):
        read_program_page(_store(), URL, "9999999999", TODAY, client=missing)


def test_a_fetched_page_is_read_like_a_saved_one() -> None:
    body = (PAGES / "friendly_im.html").read_text()
    client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, text=body)))
    reading = read_program_page(_store(), URL, "1403621075", TODAY, client=client)
    assert reading.source == URL
    assert len(reading.proposals) == 9
