"""Fuzz the JSON API from its own OpenAPI schema (schemathesis): no request may cause a 5xx."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from fakes import MemoryProfileStore
from matchready.io.profile import dump_profile, load_profile
from matchready.settings import Settings
from matchready.web.app import create_app

EXAMPLE = Path(__file__).parents[2] / "examples" / "profiles" / "recent-graduate-j1.toml"


def _app() -> object:
    store = MemoryProfileStore()
    app = create_app(Settings(data_dir=Path("/nonexistent-matchready-fuzz")), profiles=store)
    store.write("local", dump_profile(load_profile(EXAMPLE)))
    return app


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_to_the_api_causes_a_server_error(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["status"] == response.status_code and error["problems"] is not None


@pytest.mark.parametrize("path", ["/api/plan", "/api/odds", "/api/specialties", "/api/facts"])
def test_the_schema_lists_every_api_route(path: str) -> None:
    assert path in schema.raw_schema["paths"]
