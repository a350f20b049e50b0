"""The boundary on every route: a walk of the route table asserts the security headers and the
Host check for each route and method, in local and server mode; a fuzz test sends random form
fields (NUL bytes, long text, odd names) to every form route and expects no 5xx and no
internals in the answer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.routing import Mount

from matchready.io.profile import load_profile
from matchready.services.programs import import_programs
from matchready.settings import Settings
from matchready.store.database import open_database
from matchready.store.sql import SqlUnitOfWork
from matchready.web.app import create_app

DATA = Path(__file__).parent.parent / "data"
EXAMPLE = Path(__file__).parents[2] / "examples" / "profiles" / "recent-graduate-j1.toml"
SAMPLE = {"key": "1000140C0", "suffix": "csv", "token": "nope"}
INTERNALS = re.compile(r"SELECT |INSERT INTO|sqlite3\.|psycopg|Traceback|\[SQL")
REQUIRED = {
    "content-security-policy",
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
}


def _build(tmp_path: Path, multi_user: bool) -> FastAPI:
    url = f"sqlite:///{tmp_path / ('server' if multi_user else 'local')}.sqlite3"
    engine, factory = open_database(url)
    import_programs(SqlUnitOfWork(factory), DATA / "template_sample.csv")
    engine.dispose()
    return create_app(
        Settings(
            data_dir=tmp_path,
            database_url=url,
            multi_user=multi_user,
            allowed_hosts=["testserver"],
        )
    )


def _flat(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(full path, route) of every route, inside included routers too (FastAPI keeps an
    included router as one entry of the table)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _flat(included.routes, prefix + route.include_context.prefix)
        else:
            yield prefix + getattr(route, "path", ""), route


def _routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path) of the app, with sample values for path parameters."""
    found = []
    for path, route in _flat(app.routes):
        if isinstance(route, Mount):
            found.append(("GET", f"{route.path}/app.css"))
            continue
        methods = getattr(route, "methods", None) or {"GET"}
        concrete = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: SAMPLE.get(m.group(1), "x"), path)
        found += [(m, concrete) for m in sorted(methods) if m != "HEAD"]
    return found


@pytest.fixture(scope="module", params=[False, True], ids=["local", "server"])
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    return _build(tmp_path_factory.mktemp("boundary"), multi_user=request.param)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as c:
        if app.state.web.multi_user:
            page = c.get("/register").text
            found = re.search(r'name="csrftoken" value="([^"]+)"', page)
            assert found
            c.post(
                "/register",
                data={
                    "csrftoken": found.group(1),
                    "email": "walker@example.org",
                    "password": "correct horse battery",
                },
            )
        c.put("/api/profile", json=load_profile(EXAMPLE).model_dump(mode="json"))
        yield c


def test_every_route_sends_the_headers_and_checks_the_host(
    app: FastAPI, client: TestClient
) -> None:
    routes = _routes(app)
    assert len(routes) > 40  # the walk sees the whole table
    missing: list[str] = []
    for method, path in routes:
        response = client.request(method, path, follow_redirects=False)
        absent = REQUIRED - set(response.headers)
        if absent or response.status_code >= 500:
            missing.append(f"{method} {path}: {response.status_code} {sorted(absent)}")
        personal = not path.startswith(("/static/", "/favicon.ico"))
        if personal and response.headers.get("cache-control") != "no-store":
            missing.append(
                f"{method} {path}: cache-control {response.headers.get('cache-control')}"
            )
        if "strict-transport-security" not in response.headers:
            missing.append(f"{method} {path}: no HSTS over https")
        rebound = client.request(
            method, path, headers={"host": "rebind.attacker.example"}, follow_redirects=False
        )
        if rebound.status_code != 400:
            missing.append(
                f"{method} {path}: Host rebind.attacker.example -> {rebound.status_code}"
            )
    assert missing == []


def _form_routes(app: FastAPI) -> list[str]:
    return sorted(
        path.replace("{key}", "1403621075").replace("{token}", "nope")
        for path, route in _flat(app.routes)
        if isinstance(route, APIRoute) and "POST" in route.methods and not path.startswith("/api/")
    )


NAMES = st.sampled_from(
    [
        "program",
        "note",
        "writer",
        "specialty",
        "email",
        "password",
        "state",
        "date",
        "key",
        "source",
        "value",
        "kind",
        "applicant",
        "applicant.name",
        "usce.0.kind",
        "target.specialties",
        "regions",
        "scores",
        "season",
        "position",
        "notes",
        "a" * 300,
        "x\x00y",
        "",
    ]
)
TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=190, max_size=260),
    st.sampled_from(["\x00", "a\x00b", "=1+1", "javascript:alert(1)", "9" * 30, "2026-02-30"]),
)


def test_no_form_post_causes_a_server_error_or_shows_internals(
    app: FastAPI, client: TestClient
) -> None:
    routes = _form_routes(app)
    assert "/tracker/add" in routes and "/profile" in routes

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        path=st.sampled_from(routes),
        fields=st.lists(st.tuples(NAMES, TEXT), max_size=6),
    )
    def check(path: str, fields: list[tuple[str, str]]) -> None:
        page = client.get("/tracker" if app.state.web.multi_user else "/profile").text
        found = re.search(r'name="csrftoken" value="([^"]+)"', page)
        assert found
        response = client.post(
            path,
            content=urlencode([("csrftoken", found.group(1)), *fields]),
            headers={"content-type": "application/x-www-form-urlencoded"},
            follow_redirects=False,
        )
        assert response.status_code < 500, (path, fields, response.text[:500])
        assert not INTERNALS.search(response.text), (path, fields)

    check()
