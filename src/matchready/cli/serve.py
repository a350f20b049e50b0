"""`matchready serve`: the web app on this machine (local mode: one user, no login)."""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer

from matchready.cli.common import console

APP_FACTORY = "matchready.web.app:create_app"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
WORKER_SILENCE_S = 300
"""How long uvicorn waits for a worker to answer its health check before killing it (its
default, 5 s, is too short here): a worker building its table of 13,000 programs holds the
interpreter for up to 1.2 s at a time on an idle 2-core machine (a build takes 10-13 s), and
on a loaded host the check missed 5 s, so the worker was killed and restarted forever. The
same wait bounds how long a restart (SIGHUP) waits for a new worker to become ready. A worker
that dies is still replaced at once; only a hung one waits this long."""


def server_options(host: str, port: int, workers: int, proxy: str | None) -> dict[str, Any]:
    """uvicorn's options (the worker health check waits `WORKER_SILENCE_S`). X-Forwarded-For
    and -Proto are believed only from the `proxy` addresses: by default from no one (uvicorn
    would trust them from 127.0.0.1, which lets any local client pick its own address and
    escape the login limits)."""
    return {
        "host": host,
        "port": port,
        "workers": workers,
        "factory": True,
        "proxy_headers": proxy is not None,
        "forwarded_allow_ips": proxy or "",
        "server_header": False,
        "log_level": "warning",
        "timeout_worker_healthcheck": WORKER_SILENCE_S,
    }


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Worker processes (one per core is a good start; limits and sessions are "
            "kept in the database, so they hold across workers). Each worker builds its "
            "program table before it serves; one that does not answer uvicorn's health "
            f"check for {WORKER_SILENCE_S} s is replaced.",
        ),
    ] = 1,
    multi_user: Annotated[
        bool,
        typer.Option(
            "--multi-user",
            help="Accounts and logins for many users; needs MATCHREADY_DATABASE_URL.",
        ),
    ] = False,
    proxy: Annotated[
        str | None,
        typer.Option(
            "--proxy",
            help="Address(es) of a reverse proxy whose X-Forwarded-For/-Proto headers to "
            "believe (comma-separated); by default none are.",
        ),
    ] = None,
) -> None:
    """Open matchready in your browser: the web app on http://127.0.0.1:8000 by default."""
    import uvicorn

    from matchready.settings import get_settings
    from matchready.web.app import create_app

    # the workers build their app from the environment, so the options go there
    os.environ["MATCHREADY_WARM_START"] = "true"
    os.environ["MATCHREADY_HOST"] = host
    if multi_user:
        os.environ["MATCHREADY_MULTI_USER"] = "true"
    settings = get_settings()
    create_app(settings)  # fail here, with one line, on a bad setting or database
    if not settings.multi_user and host not in LOOPBACK:
        console().print(
            f"[yellow]warning:[/yellow] listening on {host}: local mode has no login, so anyone "
            "who can reach this address can read and change your profile."
        )
    shown = f"[{host}]" if ":" in host else host
    console().print(f"matchready on http://{shown}:{port}/ (Ctrl-C to stop)")
    uvicorn.run(APP_FACTORY, **server_options(host, port, workers, proxy))
