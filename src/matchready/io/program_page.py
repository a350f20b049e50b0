"""A program's own page: fetched with httpx (timeout, clear error offline) or read from a
saved file, and turned into sentences (visible text only: no script, style or navigation)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import httpx

from matchready.errors import InputError, Location, Problem

TIMEOUT_SECONDS = 15.0
MAX_PAGE_BYTES = 5_000_000
_SKIP = {"script", "style", "noscript", "template", "svg", "head", "nav", "footer"}
_BLOCK = {
    "p", "div", "li", "ul", "ol", "br", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
    "section", "article", "table", "dd", "dt", "blockquote", "header", "main", "aside",
}  # fmt: skip
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


@dataclass(frozen=True)
class Page:
    """A page as read: where it came from and its text."""

    url: str  # the URL, or file:NAME for a saved page
    html: str


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = [[]]
        self._skipping = 0

    def handle_starttag(self, tag: str, _attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skipping += 1
        elif tag in _BLOCK:
            self.blocks.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self._skipping:
            self._skipping -= 1
        elif tag in _BLOCK:
            self.blocks.append([])

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.blocks[-1].append(data)


def page_sentences(markup: str) -> list[str]:
    """The visible sentences of a page, whitespace collapsed, in page order."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    sentences = []
    for block in parser.blocks:
        text = " ".join(html.unescape(" ".join(block)).split())
        if text:
            sentences += [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]
    return sentences


def read_page(source: str, *, client: httpx.Client | None = None) -> Page:
    """A page from a URL (http/https) or a saved HTML file."""
    if re.match(r"^https?://", source, re.IGNORECASE):
        return _fetch(source, client)
    path = Path(source)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(
            Problem(f"cannot read the page ({error.strerror})", Location(file=path.name))
        ) from error
    if len(data) > MAX_PAGE_BYTES:
        raise InputError(Problem("the page is over 5 MB", Location(file=path.name)))
    return Page(f"file:{path.name}", data.decode("utf-8", errors="replace"))


def _fetch(url: str, client: httpx.Client | None) -> Page:
    owned = client is None
    client = client or httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=True)
    try:
        response = client.get(url, headers={"User-Agent": "matchready (program page reader)"})
    except httpx.TimeoutException as error:
        raise InputError(
            Problem(f"the page did not answer within {TIMEOUT_SECONDS:.0f} s", Location(file=url))
        ) from error
    except httpx.HTTPError as error:
        raise InputError(
            Problem(
                "cannot load the page (offline, or the address is wrong): "
                f"{type(error).__name__}; save it from a browser and give the file instead",
                Location(file=url),
            )
        ) from error
    finally:
        if owned:
            client.close()
    if response.status_code >= 400:
        raise InputError(
            Problem(f"the page answered HTTP {response.status_code}", Location(file=url))
        )
    if len(response.content) > MAX_PAGE_BYTES:
        raise InputError(Problem("the page is over 5 MB", Location(file=url)))
    return Page(str(response.url), response.text)
