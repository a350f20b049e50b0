"""Route tests of the web app (local mode) with FastAPI's TestClient."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fakes import MemoryProfileStore
from matchready.data import load_facts
from matchready.io.profile import load_profile, parse_profile
from matchready.services.plan import applicant_today, build_plan
from matchready.settings import Settings
from matchready.web.app import create_app
from matchready.web.forms import profile_form

EXAMPLES = Path(__file__).parents[2] / "examples" / "profiles"
RECENT = EXAMPLES / "recent-graduate-j1.toml"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(data_dir=tmp_path), profiles=MemoryProfileStore())
    with TestClient(app) as test_client:
        yield test_client


def token(client: TestClient) -> str:
    page = client.get("/profile")
    found = re.search(r'name="csrftoken" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def form_fields(path: Path) -> dict[str, str]:
    """The form a user would submit for the profile at `path`."""
    groups = profile_form(load_profile(path).model_dump(mode="python"))
    fields = {}
    for group in groups:
        for f in group.fields:
            if f.kind == "checkbox":
                if f.value:
                    fields[f.name] = "on"
            else:
                fields[f.name] = f.value
    return fields


def save_example(client: TestClient, path: Path = RECENT) -> None:
    result = client.post(
        "/profile", data={"csrftoken": token(client), **form_fields(path)}, follow_redirects=False
    )
    assert result.status_code == 303, result.text[:500]


def test_home_invites_a_profile_then_says_where_you_are(client: TestClient) -> None:
    empty = client.get("/")
    assert empty.status_code == 200 and "Start with your profile" in empty.text
    assert 'href="/profile"' in empty.text
    save_example(client)
    home = client.get("/").text
    assert "Where you are, Amara Example (fictional)" in home
    profile = load_profile(RECENT)
    now = build_plan(profile, load_facts(), applicant_today(profile)).now
    assert f'<h2 id="h-now">Now: {now.phase_title}</h2>' in home
    assert now.next_deadline is not None
    assert f"Next deadline: {now.next_deadline.basis}, " in home
    for part in ("Your next three actions", "Checklist: ", "Key figures"):
        assert part in home
    for link in ("/calendar", "/plan", "/odds", "/programs", "/costs"):
        assert f'href="{link}"' in home
    assert re.search(r"\d+% to \d+% \(90% interval\)", home)
    assert "Import programs: <code>matchready programs import FILE</code>" in home


def test_a_new_profile_form_is_empty_with_hints(client: TestClient) -> None:
    form = client.get("/profile").text
    name = re.search(r'<input id="f-applicant-name"[^>]*>', form)
    assert name and 'value=""' in name.group(0) and "placeholder" not in name.group(0)
    usmle = re.search(r'<input id="f-ecfmg-usmle_id"[^>]*>', form)
    assert usmle and 'value=""' in usmle.group(0)
    assert 'placeholder="e.g. 1-234-567-8"' in usmle.group(0)
    assert '<p class="help" id="help-f-ecfmg-usmle_id">for example 1-234-567-8</p>' in form
    # words that describe a field are no example, and the help is not repeated
    assert "for example Country" not in form and "for example Your" not in form


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.name)
def test_the_form_round_trips_every_example(client: TestClient, path: Path) -> None:
    save_example(client, path)
    exported = client.get("/profile/export")
    assert exported.status_code == 200
    assert parse_profile(exported.text) == load_profile(path)


def test_every_form_control_has_a_label(client: TestClient) -> None:
    html = client.get("/profile").text
    ids = re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', html)
    labelled = set(re.findall(r'<label for="([^"]+)"', html))
    assert ids and set(ids) <= labelled


def test_bad_input_re_renders_the_form_with_messages_beside_the_fields(client: TestClient) -> None:
    fields = form_fields(RECENT)
    fields["school.graduation"] = "2025-02-30"
    fields["exams.step2ck.score"] = "999"
    result = client.post("/profile", data={"csrftoken": token(client), **fields})
    assert result.status_code == 422
    assert 'id="f-school-graduation"' in result.text
    graduation = re.search(r'id="err-f-school-graduation"[^>]*>([^<]*)<', result.text)
    score = re.search(r'id="err-f-exams-step2ck-score"[^>]*>([^<]*)<', result.text)
    assert graduation and "date" in graduation.group(1)
    assert score and "300" in score.group(1)
    assert 'aria-invalid="true"' in result.text
    assert 'value="2025-02-30"' in result.text  # what the user typed is kept


def test_a_missing_section_marks_its_required_fields(client: TestClient) -> None:
    result = client.post("/profile", data={"csrftoken": token(client), "visa.preference": "j1"})
    assert result.status_code == 422
    name = re.search(r'id="err-f-applicant-name"[^>]*>([^<]*)<', result.text)
    assert name and name.group(1) == "fill this in"


def test_validation_as_you_type_answers_out_of_band_messages(client: TestClient) -> None:
    fields = form_fields(RECENT)
    fields["research.publications"] = "-2"
    result = client.post("/profile/check", data={"csrftoken": token(client), **fields})
    assert result.status_code == 200
    message = re.search(
        r'id="err-f-research-publications"[^>]*hx-swap-oob="true">([^<]*)<', result.text
    )
    assert message and message.group(1) == "at least 0"


def test_import_accepts_a_toml_file_and_reports_a_bad_one(client: TestClient) -> None:
    good = client.post(
        "/profile/import",
        data={"csrftoken": token(client)},
        files={"file": ("p.toml", RECENT.read_bytes(), "text/plain")},
        follow_redirects=False,
    )
    assert good.status_code == 303
    bad = client.post(
        "/profile/import",
        data={"csrftoken": token(client)},
        files={"file": ("broken.toml", b"[applicant]\nname = x\n", "text/plain")},
    )
    assert bad.status_code == 422
    assert "broken.toml:2:" in bad.text and "malformed TOML" in bad.text
    binary = client.post(
        "/profile/import",
        data={"csrftoken": token(client)},
        files={"file": ("x.toml", b"\xff\xfe\x00", "text/plain")},
    )
    assert binary.status_code == 422 and "not UTF-8" in binary.text


def test_forms_are_refused_without_a_valid_token(client: TestClient, tmp_path: Path) -> None:
    fields = form_fields(RECENT)
    assert client.post("/profile", data=fields).status_code == 403
    assert client.post("/profile", data={**fields, "csrftoken": "forged"}).status_code == 403
    # a request from another site carries no cookie at all
    fresh = TestClient(create_app(Settings(data_dir=tmp_path), profiles=MemoryProfileStore()))
    assert fresh.post("/profile", data={**fields, "csrftoken": "x.y"}).status_code == 403
    # a token pair not signed by this server
    client.cookies.set("matchready_csrf", "abc.def")
    forged = client.post("/profile", data={**fields, "csrftoken": "abc.def"})
    assert forged.status_code == 403


def test_the_htmx_header_is_accepted_as_the_token(client: TestClient) -> None:
    fields = form_fields(RECENT)
    result = client.post("/profile/check", data=fields, headers={"x-csrftoken": token(client)})
    assert result.status_code == 200


def test_pages_after_saving(client: TestClient) -> None:
    save_example(client)
    plan = client.get("/plan?as_of=2026-11-25")
    assert plan.status_code == 200
    for part in (
        "Now — ",
        "ECFMG checklist",
        "Year of graduation",
        "Red flags",
        "Visa",
        "Next actions",
    ):
        assert part in plan.text
    odds = client.get("/odds?ranks=5&specialty=IM")
    assert odds.status_code == 200 and "P(match)" in odds.text
    assert "No estimate" in client.get("/odds?specialty=DERM").text
    assert client.get("/specialties?sort=positions").status_code == 200


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/plan?as_of=yesterday", 422),
        ("/specialties?sort=nonsense", 422),
        ("/no-such-page", 404),
    ],
)
def test_bad_requests_get_a_4xx_page_with_the_message(
    client: TestClient, url: str, status: int
) -> None:
    save_example(client)
    result = client.get(url)
    assert result.status_code == status
    assert "text/html" in result.headers["content-type"]
    assert f"Error {status}" in result.text


@pytest.mark.parametrize(
    ("url", "field", "typed", "message"),
    [
        ("/odds?ranks=many", "ranks", "many", "write a whole number from 0 to 300"),
        ("/odds?specialty=XYZ", "specialty", None, "choose a specialty from the list"),
        (
            "/costs?travel=-5&ranks=12",
            "travel",
            "-5",
            "write a whole number from 0 to 10,000,000",
        ),
        (
            "/programs?state=New+York",
            "state",
            "New York",
            "write the state as its two letters, such as NY",
        ),
        ("/programs?verdict=maybe", "verdict", None, "choose a verdict from the list"),
        (
            "/list?specialty=IM&budget=lots",
            "budget",
            "lots",
            "write a whole number from 0 to 1,000,000",
        ),
    ],
)
def test_a_filter_that_fails_keeps_the_form_with_the_message_beside_the_field(
    client: TestClient, url: str, field: str, typed: str | None, message: str
) -> None:
    save_example(client)
    result = client.get(url)
    assert result.status_code == 422
    assert 'aria-current="page"' in result.text  # the navigation is kept
    assert "The filter was not applied" in result.text
    control = re.search(rf'<(?:input|select) id="{field}"[^>]*>', result.text)
    assert control and 'aria-invalid="true"' in control.group(0)
    assert f'aria-describedby="err-{field}"' in control.group(0)
    if typed is not None:  # the user's text is still in the field
        assert f'value="{typed}"' in control.group(0)
    assert f'<p class="field-error" id="err-{field}" role="status">{message}</p>' in result.text
    assert "Error 422" not in result.text  # the page itself, not an error page


def test_the_fields_that_passed_are_kept_beside_one_that_failed(client: TestClient) -> None:
    save_example(client)
    page = client.get("/costs?travel=-5&ranks=12").text
    ranks = re.search(r'<input id="ranks"[^>]*>', page)
    assert ranks and 'value="12"' in ranks.group(0) and "aria-invalid" not in ranks.group(0)
    assert "Costs:" in page  # drawn without the refused value


@pytest.mark.parametrize(
    ("method", "url", "body", "status"),
    [
        ("get", "/api/plan?as_of=2026-02-30", None, 422),
        ("get", "/api/odds?ranks=-1", None, 422),
        ("get", "/api/specialties?type=us_img", None, 422),
        ("get", "/api/nothing", None, 404),
        ("put", "/api/profile", {"applicant": {"name": "x"}}, 422),
    ],
)
def test_the_api_answers_the_same_error_shape(
    client: TestClient, method: str, url: str, body: object, status: int
) -> None:
    save_example(client)
    result = client.request(method, url, json=body)
    assert result.status_code == status
    error = result.json()["error"]
    assert error["status"] == status and error["title"] and isinstance(error["problems"], list)
    assert all({"message", "where", "field"} <= set(p) for p in error["problems"])


def test_the_api_without_a_profile_is_a_404(client: TestClient) -> None:
    result = client.get("/api/plan")
    assert result.status_code == 404
    assert "no profile saved yet" in result.json()["error"]["problems"][0]["message"]


def test_the_api_saves_and_serves_the_same_profile(client: TestClient) -> None:
    profile = load_profile(RECENT)
    saved = client.put("/api/profile", json=profile.model_dump(mode="json"))
    assert saved.status_code == 200
    assert client.get("/api/profile").json() == saved.json()
    plan = client.get("/api/plan", params={"as_of": "2026-11-25"}).json()
    assert plan["applicant"]["name"] == profile.applicant.name
    odds = client.get("/api/odds", params={"ranks": 5}).json()
    assert [o["specialty"] for o in odds] == ["IM", "PEDS"]
    assert client.get("/api/facts", params={"text": "oet"}).json()


def test_everything_is_served_from_this_machine(client: TestClient) -> None:
    html = client.get("/profile").text
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert all(a.startswith(("/", "#")) for a in assets), assets
    assert client.get("/static/htmx.min.js").status_code == 200
    assert client.get("/docs").status_code == 404  # Swagger UI would need a CDN
    assert "/api/plan" in client.get("/openapi.json").json()["paths"]


def test_no_request_reaches_opentelemetry_even_when_the_host_configures_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FastAPI traces and counts requests whenever OpenTelemetry providers are installed (or
    `FASTAPI_OTEL_AUTO_CONFIGURE=true` adds exporters); the app turns all of it off."""
    from opentelemetry import metrics, trace

    asked: list[str] = []

    class Recording(trace.TracerProvider, metrics.MeterProvider):  # type: ignore[misc]
        def get_tracer(self, *args: object, **kwargs: object) -> trace.Tracer:
            asked.append("tracer")
            return trace.NoOpTracer()

        def get_meter(self, *args: object, **kwargs: object) -> metrics.Meter:
            asked.append("meter")
            return metrics.NoOpMeter("test")

    monkeypatch.setattr(trace, "get_tracer_provider", Recording)
    monkeypatch.setattr(metrics, "get_meter_provider", Recording)
    monkeypatch.setenv("FASTAPI_OTEL_AUTO_CONFIGURE", "true")
    app = create_app(Settings(data_dir=tmp_path), profiles=MemoryProfileStore())
    with TestClient(app) as test_client:
        save_example(test_client)
        assert test_client.get("/plan").status_code == 200
        assert test_client.get("/api/plan").status_code == 200
    assert asked == []


def test_specialties_are_chosen_from_a_list_with_names(client: TestClient) -> None:
    form = client.get("/profile").text
    assert (
        '<label for="f-target-specialties-IM" class="choice"><input type="checkbox" '
        'id="f-target-specialties-IM" name="target.specialties" value="IM"> '
        "Internal Medicine (IM)</label>"
    ) in form
    usce = re.search(r'<select id="f-usce-0-specialty".*?</select>', form, re.S)
    assert usce and '<option value="FM">Family Medicine (FM)</option>' in usce.group(0)
    fields = form_fields(RECENT)
    del fields["target.specialties"]
    body: dict[str, str | list[str]] = {"csrftoken": token(client), **fields}
    body["target.specialties"] = ["IM", "FM"]  # two checkboxes of one name
    saved = client.post("/profile", data=body, follow_redirects=False)
    assert saved.status_code == 303
    assert client.get("/api/profile").json()["target"]["specialties"] == ["IM", "FM"]
    checked = client.get("/profile").text
    for code in ("IM", "FM"):
        assert (
            f'id="f-target-specialties-{code}" name="target.specialties" value="{code}" checked'
            in checked
        )
