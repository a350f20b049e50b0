"""`matchready accounts reset-password`: an administrator's one-time password reset link."""

from __future__ import annotations

from typing import Annotated

import typer

from matchready.cli.common import console

app = typer.Typer(help="Accounts of the multi-user server.", rich_markup_mode=None)


@app.command("reset-password")
def reset_password(
    email: Annotated[str, typer.Argument(help="The account's email address.")],
    base_url: Annotated[
        str,
        typer.Option("--base-url", help="The server's address, as users open it."),
    ] = "http://127.0.0.1:8000",
) -> None:
    """Print a one-time link (valid 24 hours) that lets the account holder choose a new
    password; using it ends every session of the account. Hand it over privately."""
    from matchready.services.accounts import issue_reset
    from matchready.settings import get_settings
    from matchready.store.accounts import SqlAccountStore
    from matchready.store.database import open_database

    engine, _ = open_database(get_settings().resolved_database_url())
    try:
        token = issue_reset(SqlAccountStore(engine), email)
    finally:
        engine.dispose()
    console().print(f"{base_url.rstrip('/')}/reset/{token}", soft_wrap=True)
