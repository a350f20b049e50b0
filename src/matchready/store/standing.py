"""What every web request needs to know first, in one statement: whose session it is, that
account's saved profile and its tracker's revision.

Read through SQLAlchemy Core, not the ORM: every request makes this read. The pages key their
cached results on the profile text's digest and on the tracker's revision (a save moves the
`trackers` row's revision on, in any process), so a request whose profile and tracker did not
change needs no other read. Built by `bootstrap()` only when the sessions, profiles and
trackers it reads are the ones the app writes (one database).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, bindparam, select

from matchready.store.accounts import live_session
from matchready.store.models import ProfileRow, SessionRow, TrackerRow


@dataclass(frozen=True)
class Standing:
    """One request's account (None: no valid session), its profile text (None: none saved)
    and its tracker's revision (0: nothing tracked yet)."""

    account: str | None
    profile: str | None
    tracker_revision: int


NOBODY = Standing(None, None, 0)


class SqlStanding:
    """`engine` is called on the first read, so that building the runtime opens no database
    (a CLI command that needs none must not create one)."""

    def __init__(self, engine: Callable[[], Engine]) -> None:
        self._opens = engine
        account = SessionRow.account_id
        profile = select(ProfileRow.toml).where(ProfileRow.owner == account).scalar_subquery()
        revision = select(TrackerRow.revision).where(TrackerRow.owner == account).scalar_subquery()
        self._by_session = select(account, SessionRow.expires, profile, revision).where(
            SessionRow.id == bindparam("id")
        )
        self._revision = select(TrackerRow.revision).where(TrackerRow.owner == bindparam("owner"))

    def of_session(self, session_id: str, now: float) -> Standing:
        """The session's account with its profile and tracker revision (one statement); an
        expired session is deleted by a second one."""
        with self._opens().connect() as connection:
            row = live_session(connection, self._by_session, session_id, now)
            return NOBODY if row is None else Standing(row[0], row[2], row[3] or 0)

    def tracker_revision(self, owner: str) -> int:
        """The revision of `owner`'s tracker (local mode, where the profile is a file)."""
        with self._opens().connect() as connection:
            revision: int | None = connection.scalar(self._revision, {"owner": owner})
            return revision or 0
