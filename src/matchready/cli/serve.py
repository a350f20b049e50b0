"""`matchready serve`: the web app on this machine (local mode: one user, no login)."""

from __future__ import annotations

from typing import Annotated

import typer

from matchready.cli.common import console


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
) -> None:
    """Open matchready in your browser: the web app on http://127.0.0.1:8000 by default."""
    import uvicorn

    from matchready.web.app import create_app

    if host not in ("127.0.0.1", "localhost", "::1"):
        console().print(
            f"[yellow]warning:[/yellow] listening on {host}: local mode has no login, so anyone "
            "who can reach this address can read and change your profile."
        )
    console().print(f"matchready on http://{host}:{port}/ (Ctrl-C to stop)")
    uvicorn.run(create_app(), host=host, port=port, log_level="warning")
