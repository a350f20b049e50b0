"""A refused tracker action keeps what the user typed: the page answers 4xx, the message sits
beside the form that failed (and only there), and every field of that form holds the text as
typed, as the filter forms do. A success still redirects (303)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from test_web_tracker import _app, post, token


@pytest.fixture
def local(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    for app in _app(database_url, tmp_path, multi_user=False):
        with TestClient(app) as client:
            yield client


class _Form(HTMLParser):
    """The fields of the first form in a piece of HTML: name -> value as the browser would send
    it (a checkbox's value only when checked, a select's chosen option)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._first: str | None = None
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._done:
            return
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "input" and name and name != "csrftoken" and a.get("type") != "file":
            if a.get("type") != "checkbox" or "checked" in a:
                self.fields[name] = a.get("value", "")
        elif tag == "select":
            self._select, self._first = name, None
        elif tag == "option" and self._select is not None:
            if self._first is None:
                self._first = a.get("value", "")
                self.fields[self._select] = self._first
            if "selected" in a:
                self.fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._done = True


def refused(response: Response, action: str) -> tuple[list[str], dict[str, str]]:
    """The messages beside the refused form and that form's fields; the form must be the one
    posting to `action`, right after the messages."""
    text = response.text
    assert text.count('id="refused"') == 1, "one refused form, one message block"
    found = re.search(
        r'<div class="alert" role="alert" id="refused"><p>Not saved:</p><ul>(.*?)</ul></div>\s*'
        r'(<form method="post" action="([^"]+)".*?</form>)',
        text,
        re.S,
    )
    assert found, "the message is right before a form"
    assert found.group(3) == action
    messages = [html.unescape(m) for m in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]
    form = _Form()
    form.feed(found.group(2))
    return messages, form.fields


NOT_STORED = (
    "no program with ACGME number or NRMP code 1999140C0 in the program store "
    "(import programs first: matchready programs import FILE)"
)
BAD_DATE = "field 'date': 'soon' is not a date such as 2025-09-03"


def _tracked(client: TestClient, *codes: str) -> None:
    for code in codes:
        assert post(client, "/tracker/add", program=code).status_code == 303


def test_a_refused_add_keeps_the_code_specialty_date_and_checkbox(local: TestClient) -> None:
    typed = {
        "program": "1999140C0",
        "specialty": "IM",
        "date": "2025-09-01",
        "would_not_go": "yes",
    }
    response = post(local, "/tracker/add", **typed)
    assert response.status_code == 404
    assert refused(response, "/tracker/add") == ([NOT_STORED], typed)
    assert "<details open><summary>Track by code" in response.text  # not hidden in a fold
    bad = post(local, "/tracker/add", program="1000140P0", date="soon")
    assert bad.status_code == 422
    kept = {"program": "1000140P0", "specialty": "", "date": "soon"}  # unchecked stays unchecked
    assert refused(bad, "/tracker/add") == ([BAD_DATE], kept)


def test_an_illegal_move_keeps_the_chosen_state_date_and_note_in_its_row(
    local: TestClient,
) -> None:
    _tracked(local, "1000140C0", "1002040A0")
    typed = {"program": "1000140C0", "state": "withdrawn", "date": "soon", "note": "moved city"}
    response = post(local, "/tracker/move", **typed)
    assert response.status_code == 422
    assert refused(response, "/tracker/move") == ([BAD_DATE], typed)
    # the other row's move form is as usual
    other = re.search(
        r'name="program" value="1002040A0">\s*<select[^>]*>(.*?)</select>(.*?)</form>',
        response.text,
        re.S,
    )
    assert other and " selected" not in other.group(1) and 'value="soon"' not in other.group(2)
    illegal = post(local, "/tracker/move", program="1000140C0", state="ranked", note="n")
    assert illegal.status_code == 422
    messages, fields = refused(illegal, "/tracker/move")
    assert messages == [
        "program 1000140C0: cannot go from 'planned' to 'ranked' "
        "(allowed next: submitted, withdrawn)"
    ]
    # 'ranked' is not offered from 'planned': the list shows its first choice, the rest is kept
    assert fields == {"program": "1000140C0", "state": "submitted", "date": "", "note": "n"}


def test_a_refused_letter_keeps_writer_specialty_and_an_unticked_us_box(local: TestClient) -> None:
    response = post(local, "/tracker/letter", writer="Dr Okafor", specialty="")
    assert response.status_code == 422
    messages, fields = refused(response, "/tracker/letter")
    assert messages == ["field 'specialty': required for a letter"]
    assert fields == {"writer": "Dr Okafor", "specialty": ""}  # 'US physician' was unticked


def test_a_fifth_letter_and_a_bad_status_date_keep_their_forms(local: TestClient) -> None:
    _tracked(local, "1000140C0")
    for n in range(5):
        post(local, "/tracker/letter", writer=f"Dr {n}", specialty="IM", us="yes")
    for n in range(1, 5):
        post(local, "/tracker/letter/assign", key=f"L{n}", program="1000140C0")
    fifth = post(local, "/tracker/letter/assign", key="L5", program="1000140C0", action="assign")
    assert fifth.status_code == 422
    messages, fields = refused(fifth, "/tracker/letter/assign")
    assert messages[0].startswith(
        "program 1000140C0 already has 4 letters (Dr 0, Dr 1, Dr 2, Dr 3); ERAS allows at most 4"
    )
    assert messages[0].endswith("Unassign one first.")
    assert fields == {"key": "L5", "program": "1000140C0", "action": "assign"}
    status = post(local, "/tracker/letter/status", key="L1", status="uploaded", date="soon")
    assert status.status_code == 422
    assert refused(status, "/tracker/letter/status") == (
        [BAD_DATE],
        {"key": "L1", "status": "uploaded", "date": "soon"},
    )
    unknown = post(
        local, "/tracker/letter/assign", key="L9", program="1000140C0", action="unassign"
    )
    assert unknown.status_code == 404
    assert refused(unknown, "/tracker/letter/assign")[1]["action"] == "unassign"


def test_a_document_without_a_file_keeps_its_kind_and_name(local: TestClient) -> None:
    response = local.post(
        "/tracker/document",
        data={"csrftoken": token(local), "kind": "personal_statement", "name": "PS v2"},
        follow_redirects=False,
    )
    assert response.status_code == 422
    assert refused(response, "/tracker/document") == (
        ["field 'file': choose a file"],
        {"kind": "personal_statement", "name": "PS v2"},
    )


def test_a_refused_signal_and_geography_keep_their_text(local: TestClient) -> None:
    _tracked(local, "1000140C0")
    signal = post(local, "/tracker/signal", program="1000140C0", season="20x5", tier="gold")
    assert signal.status_code == 422
    assert refused(signal, "/tracker/signal") == (
        ["field 'season': '20x5' is not a whole number"],
        {"program": "1000140C0", "season": "20x5", "tier": "gold"},
    )
    long_region = "Northeast, " + "x" * 101
    geography = post(local, "/tracker/geography", regions=long_region)
    assert geography.status_code == 422  # once a 500 from the database layer
    assert refused(geography, "/tracker/geography") == (
        ["field 'regions': write each region in at most 100 characters (101 given)"],
        {"regions": long_region},
    )
    assert post(local, "/tracker/geography", regions="Northeast, Midwest").status_code == 303
    assert 'name="regions" value="Northeast, Midwest"' in local.get("/tracker").text


def test_a_criterion_scored_twice_keeps_the_interview_form(local: TestClient) -> None:
    _tracked(local, "1000140C0")
    typed = {
        "program": "1000140C0",
        "date": "2025-11-02",
        "format": "in_person",
        "scores": "fit=4; fit=2",
        "notes": "kind people & <b>long</b> days",
    }
    response = post(local, "/tracker/interview", **typed)
    assert response.status_code == 422
    assert refused(response, "/tracker/interview") == (
        ["interview at 1000140C0: 'fit' is scored twice"],
        typed,
    )
    assert "<b>long</b>" not in response.text  # kept as text, escaped


def test_a_refused_rank_keeps_position_list_and_action(local: TestClient) -> None:
    _tracked(local, "1000140C0", "1002040A0")
    typed = {"program": "1000140C0", "position": "x", "under": "1002040A0", "action": "remove"}
    response = post(local, "/tracker/rank", **typed)
    assert response.status_code == 422
    assert refused(response, "/tracker/rank") == (
        ["field 'position': 'x' is not a whole number"],
        typed,
    )
    missing = post(local, "/tracker/rank", program="1999140C0", position="2")
    assert missing.status_code == 404
    assert refused(missing, "/tracker/rank") == (
        [NOT_STORED],
        {"program": "1999140C0", "position": "2", "under": "", "action": "add"},
    )


def test_a_refusal_for_a_form_not_on_the_page_is_shown_on_top(local: TestClient) -> None:
    response = post(local, "/tracker/would-not-go", program="1999140C0", value="yes")
    assert response.status_code == 404
    assert 'id="refused"' not in response.text
    assert (
        '<div class="alert" role="alert"><p>Not saved:</p><ul><li>'
        "program 1999140C0 is not in the tracker: add it first</li></ul></div>"
    ) in response.text


def test_after_a_refusal_the_next_page_is_clean(local: TestClient) -> None:
    post(local, "/tracker/letter", writer="Dr Okafor", specialty="")
    page = local.get("/tracker").text
    assert "Not saved" not in page and 'value="Dr Okafor"' not in page
