"""Read a program's own page for requirement values: rules over sentences, with evidence.

Pure functions (no I/O): `propose` takes the page's sentences and returns, per requirement
kind, the values the page states with the exact sentence that states them. The phrase set is
small, explicit and tested (tests/unit/test_page_reading.py on fictional pages).

Two rules keep it honest:
- A negated sentence ("we do not require a minimum score of 230", "no YOG cutoff") never
  gives the value its words would give without the negation. The only values read from a
  negation are the explicit refusals of a visa ("we do not sponsor H-1B visas",
  "H-1B visas are not sponsored", "no H-1B") and of IMGs ("we do not accept IMGs"), which
  give "no".
- Old text is not read as a requirement: a sentence about Step 2 CS (discontinued in
  January 2021, domain-facts) or Step 1 scores (pass/fail since January 2022) gives nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matchready.domain.requirements import (
    EcfmgDeadline,
    RequirementKind,
    RequirementValue,
    Strictness,
    UsceKind,
    UsceRequirement,
)

K = RequirementKind

_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
}
NUMBER = r"(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|twelve)"
NEGATION = re.compile(
    r"\b(not|no|never|none|cannot|can't|don't|doesn't|won't|unable|neither|nor|without)\b",
    re.IGNORECASE,
)
OLD_TEXT = re.compile(r"step\s*2\s*cs\b|clinical skills exam|step\s*1\s*(score|minimum|cut)", re.I)
J1 = r"j[\s-]?1"
H1B = r"h[\s-]?1[\s-]?b"
SPONSOR = r"(sponsor\w*|accept\w*|support\w*|offer\w*|consider\w*|available|provide\w*)"
VISA_REFUSAL = r"(do|does|will|can|are|is)\s*(not|n't)\s+(be\s+)?{verb}"
IMG = r"(international medical graduates?|img'?s?|foreign medical graduates?|fmg'?s?)"


@dataclass(frozen=True)
class Finding:
    """A value a page states for one requirement, with the sentence that states it."""

    kind: RequirementKind
    value: RequirementValue
    sentence: str
    strictness: Strictness = Strictness.UNKNOWN


@dataclass(frozen=True)
class ImgPolicy:
    """What a page says of IMGs in general (shown to the user; not a screened requirement)."""

    accepted: bool
    sentence: str


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _WORDS[text.lower()]


def _strictness(sentence: str) -> Strictness:
    lowered = sentence.lower()
    if re.search(
        r"\b(prefer|preferred|prefers|encouraged?|recommended|strongly|ideally|desirable|"
        r"competitive)\b",
        lowered,
    ):
        return Strictness.PREFERENCE
    if re.search(
        r"\b(must|required?|requires|minimum|cut-?off|only|mandatory|at least)\b", lowered
    ):
        return Strictness.HARD
    return Strictness.UNKNOWN


def _negated(sentence: str) -> bool:
    return bool(NEGATION.search(sentence))


def _visa(sentence: str) -> list[Finding]:
    """J-1 and H-1B sponsorship: stated, refused, or "J-1 only"."""
    lowered = sentence.lower()
    found: list[Finding] = []
    for kind, visa in ((K.J1_SPONSORED, J1), (K.H1B_SPONSORED, H1B)):
        if not re.search(rf"\b{visa}\b", lowered):
            continue
        refused = (
            re.search(VISA_REFUSAL.format(verb=SPONSOR) + rf"[^.;]{{0,60}}\b{visa}\b", lowered)
            or re.search(rf"\bno\s+{visa}\b", lowered)
            or re.search(rf"\b{visa}\b[^.;]{{0,40}}\b(is|are)\s+not\s+(\w+\s+)?{SPONSOR}", lowered)
            or re.search(rf"\b{visa}\b[^.;]{{0,30}}\bnot\s+{SPONSOR}", lowered)
        )
        if refused:
            found.append(Finding(kind, False, sentence, Strictness.HARD))
            continue
        if _negated(sentence):
            continue  # a negation we cannot read: never a "yes"
        stated = re.search(rf"{SPONSOR}[^.;]{{0,60}}\b{visa}\b", lowered) or re.search(
            rf"\b{visa}\b[^.;]{{0,40}}\b(sponsor\w*|visas? (is|are) (available|accepted))", lowered
        )
        if stated:
            found.append(Finding(kind, True, sentence))
    only = re.search(
        rf"\b({J1})\b[\s-]*(visas?\s+)?only\b|\bonly\s+(sponsor\s+)?(the\s+)?{J1}", lowered
    )
    if only and not any(f.kind is K.H1B_SPONSORED for f in found):
        found.append(Finding(K.H1B_SPONSORED, False, sentence, Strictness.HARD))
    return found


def _yog(sentence: str) -> Finding | None:
    lowered = sentence.lower()
    if not re.search(r"graduat|\byog\b|year of graduation", lowered):
        return None
    match = re.search(
        rf"(within|in the (last|past)|no more than|not more than|less than|at most|up to|"
        rf"maximum of|≤)\s*(the\s+)?(last\s+|past\s+)?{NUMBER}\s*(\(\d+\)\s*)?years?",
        lowered,
    ) or re.search(
        rf"{NUMBER}\s*years?\s*(of|since|from|after)\s*(medical school )?graduation", lowered
    )
    if match is None:
        return None
    if _negated(_without_allowed(lowered)):
        return None
    years = _number(
        next(
            g
            for g in reversed(match.groups())
            if g and g.strip() and g.strip().isalnum() and (g.isdigit() or g in _WORDS)
        )
    )
    return Finding(K.MAX_YEARS_SINCE_GRADUATION, years, sentence, _strictness(sentence))


def _without_allowed(lowered: str) -> str:
    """The sentence without phrases whose "no"/"not" does not negate the requirement."""
    return re.sub(
        r"no more than|not more than|no later than|no less than|not older than", " ", lowered
    )


def _step2(sentence: str) -> Finding | None:
    lowered = sentence.lower()
    if not re.search(r"step\s*2(\s*ck)?\b|ck score", lowered) or OLD_TEXT.search(lowered):
        return None
    match = re.search(
        r"(minimum|at least|score of|scores? (above|over|≥|>=)|≥|>=|cut-?off( score)?( of| is)?|"
        r"no less than)\s*(a\s+)?(score\s+of\s+)?(\d{3})",
        lowered,
    ) or re.search(r"(\d{3})\s*(or (higher|above|more|better)|\+)", lowered)
    if match is None:
        return None
    if _negated(_without_allowed(lowered)):
        return None
    score = int(next(g for g in reversed(match.groups()) if g and g.isdigit()))
    if not 180 <= score <= 300:
        return None
    return Finding(K.STEP2CK_MINIMUM, score, sentence, _strictness(sentence) or Strictness.HARD)


def _step1(sentence: str) -> Finding | None:
    lowered = sentence.lower()
    if OLD_TEXT.search(lowered) or _negated(lowered):
        return None
    if re.search(
        r"(pass\w*|passing)\s+(on\s+|of\s+)?(the\s+)?(usmle\s+)?step\s*1\b", lowered
    ) and re.search(r"requir|must|need", lowered):
        return Finding(K.STEP1_PASS_REQUIRED, True, sentence, Strictness.HARD)
    return None


def _attempts(sentence: str) -> Finding | None:
    lowered = sentence.lower()
    if not re.search(r"attempt", lowered) or OLD_TEXT.search(lowered):
        return None
    if re.search(r"first[\s-]attempt", lowered) and not _negated(_without_allowed(lowered)):
        return Finding(K.MAX_ATTEMPTS, 0, sentence, _strictness(sentence))
    match = re.search(
        rf"(no more than|not more than|at most|up to|maximum of)\s+{NUMBER}\s+failed\s+attempts?",
        lowered,
    )
    if match and not _negated(_without_allowed(lowered)):
        return Finding(K.MAX_ATTEMPTS, _number(match.group(2)), sentence, _strictness(sentence))
    if re.search(r"\bno (failed|prior failed) attempts?\b|\bno (usmle )?failures\b", lowered):
        return Finding(K.MAX_ATTEMPTS, 0, sentence, Strictness.HARD)
    return None


def _usce(sentence: str) -> Finding | None:
    lowered = sentence.lower()
    if not re.search(
        r"usce|u\.?s\.? clinical experience|clinical experience in the (us|u\.s\.|united states)",
        lowered,
    ):
        return None
    if _negated(_without_allowed(lowered)):
        return None
    match = re.search(rf"{NUMBER}\s*(\(\d+\)\s*)?(months?|weeks?)", lowered)
    if match is None:
        return None
    amount = _number(match.group(1))
    if match.group(3).startswith("week"):
        if amount % 4:
            return None
        amount //= 4
    hands_on = re.search(
        r"hands[\s-]*on|direct patient care|clerkship|sub-?internship|externship", lowered
    )
    kind = UsceKind.HANDS_ON if hands_on and "observership" not in lowered else UsceKind.ANY
    return Finding(K.USCE_REQUIRED, UsceRequirement(kind, amount), sentence, _strictness(sentence))


def _letters(sentence: str) -> Finding | None:
    lowered = sentence.lower()
    match = re.search(
        rf"{NUMBER}\s+(\(\d\)\s*)?(letters? of recommendation|letters|lors?)\b[^.;]{{0,60}}"
        rf"(u\.?s\.?|united states|american)\b",
        lowered,
    ) or re.search(
        rf"{NUMBER}\s+(\(\d\)\s*)?(u\.?s\.?|united states)\s*(clinical\s+)?(letters|lors?)\b",
        lowered,
    )
    if match is None or _negated(_without_allowed(lowered)):
        return None
    count = _number(match.group(1))
    if count > 10:
        return None
    return Finding(K.US_LETTERS_REQUIRED, count, sentence, _strictness(sentence))


def _ecfmg(sentence: str) -> Finding | None:
    lowered = sentence.lower()
    if not re.search(r"ecfmg\s+certif", lowered) or _negated(_without_allowed(lowered)):
        return None
    match = re.search(
        r"(by|before|prior to|at the time of|no later than|time of)\s+(the\s+)?"
        r"(application|applying|submission|interview|rank)",
        lowered,
    )
    if match is None:
        return None
    word = match.group(3)
    deadline = (
        EcfmgDeadline.INTERVIEW
        if word == "interview"
        else EcfmgDeadline.RANK
        if word == "rank"
        else EcfmgDeadline.APPLICATION
    )
    return Finding(K.ECFMG_CERTIFICATE_BY, deadline, sentence, Strictness.HARD)


def img_policy(sentences: list[str]) -> list[ImgPolicy]:
    """What the page says of IMGs in general ("IMGs welcome", "we do not accept IMGs")."""
    found = []
    for sentence in sentences:
        lowered = sentence.lower()
        if not re.search(rf"\b{IMG}", lowered):
            continue
        refused = re.search(
            rf"(do|does|will|can|are)\s*(not|n't)\s+(accept|consider|interview|sponsor|take)\w*[^.;]{{0,30}}{IMG}",
            lowered,
        ) or re.search(rf"\bno\s+{IMG}", lowered)
        if refused:
            found.append(ImgPolicy(False, sentence))
        elif not _negated(lowered) and re.search(
            rf"{IMG}[^.;]{{0,40}}\b(welcome|encouraged|are accepted|are considered)|"
            rf"(welcome|encourage|accept|consider)\w*[^.;]{{0,40}}{IMG}",
            lowered,
        ):
            found.append(ImgPolicy(True, sentence))
    return found


RULES = (_yog, _step2, _step1, _attempts, _usce, _letters, _ecfmg)


def propose(sentences: list[str]) -> list[Finding]:
    """Every requirement value the sentences state, first statement per kind and value."""
    found: list[Finding] = []
    for sentence in sentences:
        found += _visa(sentence)
        for rule in RULES:
            finding = rule(sentence)
            if finding is not None:
                found.append(finding)
    seen: set[tuple[RequirementKind, object]] = set()
    unique = []
    for finding in found:
        if (finding.kind, finding.value) not in seen:
            seen.add((finding.kind, finding.value))
            unique.append(finding)
    return unique
