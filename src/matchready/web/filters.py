"""The filter forms of the pages (GET forms: specialty, state, counts), read field by field.

A value that fails is left out, the page is drawn without it and answers 422, and its message
is shown beside its field with the user's text still in it (never an error page that loses
the form). The rules are the routes' own (`whole_number`); this module only collects them.
"""

from __future__ import annotations

from collections.abc import Collection

from fastapi import Request

from matchready.errors import InputError
from matchready.web.routes.common import whole_number


class QueryForm:
    """The query string of one filter form: typed values, the text as typed, the messages."""

    def __init__(self, request: Request) -> None:
        self._query = request.query_params
        self.typed: dict[str, str] = {}
        """Each field's text as the user sent it, to put back in the form."""
        self.errors: dict[str, str] = {}
        """Field name -> the message to show beside it."""

    def _raw(self, name: str) -> str:
        text = (self._query.get(name) or "").strip()
        self.typed[name] = text
        return text

    def choice(self, name: str, choices: Collection[str], message: str) -> str:
        """One of `choices` (or "" when left empty); anything else is refused with `message`."""
        text = self._raw(name)
        if text and text not in choices:
            self.errors[name] = message
            return ""
        return text

    def specialty(self, codes: Collection[str], name: str = "specialty") -> str:
        return self.choice(name, codes, "choose a specialty from the list")

    def state(self, name: str = "state") -> str:
        """A US state or territory as its two-letter code, upper case ("" when left empty)."""
        text = self._raw(name).upper()
        if text and not (len(text) == 2 and text.isascii() and text.isalpha()):
            self.errors[name] = "write the state as its two letters, such as NY"
            return ""
        return text

    def number(self, name: str, high: int) -> int | None:
        """A whole number from 0 to `high` (None when left empty or refused)."""
        text = self._raw(name)
        try:
            return whole_number(text, name, high)
        except InputError as error:
            self.errors[name] = error.problems[0].message
            return None

    @property
    def status(self) -> int:
        """422 when a field was refused, else 200."""
        return 422 if self.errors else 200
