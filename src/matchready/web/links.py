"""Links built from data (a program's website, a requirement's source): only http and https
addresses become links; anything else (javascript:, data:, a relative path) stays text."""

from __future__ import annotations

from urllib.parse import urlsplit

from markupsafe import Markup, escape

SCHEMES = ("http", "https")


def safe_url(value: object) -> str | None:
    """`value` if it is an absolute http(s) URL with a host, else None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if any(ord(c) < 33 for c in text):  # spaces or control characters hide a scheme
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in SCHEMES or not parts.netloc:
        return None
    return text


def source_link(value: object) -> Markup:
    """A source as a link when it is a web address, else as escaped text ("—" if empty)."""
    if value is None or value == "":
        return Markup("—")
    url = safe_url(value)
    if url is None:
        return escape(str(value))
    return Markup('<a href="{0}" rel="noopener noreferrer">{0}</a>').format(url)


ACRONYMS = {
    "us": "US",
    "md": "MD",
    "img": "IMG",
    "imgs": "IMGs",
    "usmle": "USMLE",
    "ecfmg": "ECFMG",
    "oet": "OET",
    "ck": "CK",
    "pgy": "PGY",
    "usce": "USCE",
    "j1": "J-1",
    "h1b": "H-1B",
    "nrmp": "NRMP",
    "eras": "ERAS",
    "cs": "CS",
    "id": "ID",
    "yog": "YOG",
    "step1": "Step 1",
    "step2ck": "Step 2 CK",
    "step3": "Step 3",
}


def words(value: object) -> str:
    """A code as words for people: `us_md_senior` -> `US MD senior`, `j1` -> `J-1`."""
    parts = str(value).replace("_", " ").replace("-", " - ").split()
    text = " ".join(ACRONYMS.get(part.lower(), part) for part in parts)
    # "do" is the degree only after "US" (us_do_senior); elsewhere it is the verb (to_do)
    return text.replace("US do", "US DO").replace("non US", "non-US").replace(" - ", "-")
