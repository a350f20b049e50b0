"""`matchready accounts`: an administrator's one-time password reset link, and the editor role
of the shared program data (grant, revoke, list)."""

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


def _set_editor(email: str, editor: bool) -> None:
    from matchready.services.accounts import set_editor
    from matchready.settings import get_settings
    from matchready.store.accounts import SqlAccountStore
    from matchready.store.database import open_database

    engine, _ = open_database(get_settings().resolved_database_url())
    try:
        account, changed = set_editor(SqlAccountStore(engine), email, editor)
    finally:
        engine.dispose()
    role = "an editor" if editor else "not an editor"
    note = "" if changed else " (already so)"
    console().print(f"{account.email} is {role} of the shared program data{note}", soft_wrap=True)


@app.command("grant-editor")
def grant_editor(
    email: Annotated[str, typer.Argument(help="The account's email address.")],
) -> None:
    """Let the account edit the shared program data (every user is screened against it) and
    decide users' proposals. Other accounts' corrections stay their own values."""
    _set_editor(email, True)


@app.command("revoke-editor")
def revoke_editor(
    email: Annotated[str, typer.Argument(help="The account's email address.")],
) -> None:
    """Take the editor role away: the account's later corrections are its own values."""
    _set_editor(email, False)


@app.command("editors")
def editors() -> None:
    """List the accounts with the editor role."""
    from matchready.settings import get_settings
    from matchready.store.accounts import SqlAccountStore
    from matchready.store.database import open_database

    engine, _ = open_database(get_settings().resolved_database_url())
    try:
        found = SqlAccountStore(engine).editors()
    finally:
        engine.dispose()
    if not found:
        console().print("no editors: only the administrator's command line edits programs")
    for account in found:
        console().print(account.email, soft_wrap=True, highlight=False)
