"""`matchready serve`'s uvicorn options, exactly (the worker health check above all)."""

from __future__ import annotations

import inspect

import uvicorn

from matchready.cli.serve import APP_FACTORY, WORKER_SILENCE_S, server_options


def test_the_options_are_exactly_these() -> None:
    assert WORKER_SILENCE_S == 300
    assert server_options("127.0.0.1", 8000, 2, None) == {
        "host": "127.0.0.1",
        "port": 8000,
        "workers": 2,
        "factory": True,
        "proxy_headers": False,
        "forwarded_allow_ips": "",
        "server_header": False,
        "log_level": "warning",
        "timeout_worker_healthcheck": 300,
    }


def test_uvicorn_takes_every_option_and_keeps_the_health_check_wait() -> None:
    """A misspelt option would only fail when a user starts the server."""
    accepted = inspect.signature(uvicorn.Config).parameters
    options = server_options("::1", 8001, 1, "10.0.0.2")
    assert sorted(set(options) - set(accepted)) == []
    config = uvicorn.Config(APP_FACTORY, **options)
    assert config.timeout_worker_healthcheck == 300
    assert (config.workers, config.proxy_headers, config.forwarded_allow_ips) == (
        1,
        True,
        "10.0.0.2",
    )
