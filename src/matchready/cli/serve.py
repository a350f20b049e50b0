"""`matchready serve`: the web app on this machine (local mode: one user, no login)."""

from __future__ import annotations

from typing import Annotated

import typer

from matchready.cli.common import console


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    multi_user: Annotated[
        bool,
        typer.Option(
            "--multi-user",
            help="Accounts and logins for many users; needs MATCHREADY_DATABASE_URL.",
        ),
    ] = False,
) -> None:
    """Open matchready in your browser: the web app on http://127.0.0.1:8000 by default."""
    import uvicorn

    from matchready.settings import get_settings
    from matchready.web.app import create_app

    settings = get_settings().model_copy(update={"warm_start": True})
    if multi_user:
        settings = settings.model_copy(update={"multi_user": True})
    app = create_app(settings)
    if not settings.multi_user and host not in ("127.0.0.1", "localhost", "::1"):
        console().print(
            f"[yellow]warning:[/yellow] listening on {host}: local mode has no login, so anyone "
            "who can reach this address can read and change your profile."
        )
    console().print(f"matchready on http://{host}:{port}/ (Ctrl-C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
