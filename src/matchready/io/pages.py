"""Fetch source pages to check them (httpx): does the page still answer, and what is the SHA-256
of its text (whitespace collapsed), to compare with the digest stored with the fact."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

USER_AGENT = "matchready-facts-audit"


@dataclass(frozen=True)
class PageCheck:
    """What fetching one URL found: its HTTP status and text digest, or the error."""

    url: str
    status: int | None = None
    digest: str | None = None
    error: str | None = None

    @property
    def answered(self) -> bool:
        return self.status is not None and self.status < 400


def text_digest(text: str) -> str:
    """SHA-256 of the text with runs of whitespace collapsed (so reflowing does not count)."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def check_pages(urls: Iterable[str], timeout: float = 15.0, workers: int = 8) -> list[PageCheck]:
    """Fetch every URL (redirects followed) and report status and digest, in the order given."""
    wanted = list(dict.fromkeys(urls))
    if not wanted:
        return []
    headers = {"user-agent": USER_AGENT}
    with httpx.Client(timeout=timeout, follow_redirects=True, headers=headers) as client:

        def one(url: str) -> PageCheck:
            try:
                response = client.get(url)
            except httpx.HTTPError as error:
                return PageCheck(url, error=f"{type(error).__name__}: {error}")
            if response.status_code >= 400:
                return PageCheck(url, status=response.status_code)
            return PageCheck(url, status=response.status_code, digest=text_digest(response.text))

        with ThreadPoolExecutor(max_workers=min(workers, len(wanted))) as pool:
            return list(pool.map(one, wanted))
