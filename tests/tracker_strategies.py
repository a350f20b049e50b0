"""Hypothesis strategies that build valid trackers through the domain's own operations."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from hypothesis import strategies as st

from matchready.data import load_facts
from matchready.domain.signals import Signal, SignalTier
from matchready.domain.tracker import (
    TRANSITIONS,
    Application,
    AppState,
    Change,
    DocumentKind,
    DocumentStatus,
    Interview,
    InterviewFormat,
    Letter,
    LetterStatus,
    Tracker,
)
from matchready.errors import TrackerError

FACTS = load_facts()
CODES = ["1000140C0", "1000140P0", "1002040A0", "1003420A0", "1004120C0", "1005140M0"]
days = st.none() | st.dates(date(2024, 1, 1), date(2027, 12, 31))
moments = st.datetimes(datetime(2024, 1, 1), datetime(2027, 12, 31), timezones=st.just(UTC))
text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Co", "Cn", "Zl", "Zp")),
    max_size=25,
).map(str.strip)
words = text.filter(bool)
criteria = st.from_regex(r"[a-z][a-z -]{0,8}[a-z]", fullmatch=True)


def _attempt(tracker: Tracker, change: Any) -> Tracker:
    """Apply a change the rules may refuse (a limit reached): keep the tracker if so."""
    try:
        result: Tracker = change()
    except TrackerError:
        return tracker
    return result


@st.composite
def trackers(draw: st.DrawFn) -> Tracker:
    tracker = Tracker()
    programs = draw(st.lists(st.sampled_from(CODES), unique=True, max_size=5))

    def line(to: AppState) -> Change:
        return Change(to, draw(days), draw(moments), draw(words), draw(text))

    for code in programs:
        app = Application(
            code,
            draw(st.sampled_from(["IM", "FM", "DR", ""])),
            (line(AppState.PLANNED),),
            advanced=code[7] == "A",
            would_not_go=draw(st.booleans()),
        )
        tracker = tracker.add(app)
        for _ in range(draw(st.integers(0, 4))):
            state = tracker.require(code).state
            if not TRANSITIONS[state]:
                break
            tracker = tracker.move(code, line(draw(st.sampled_from(sorted(TRANSITIONS[state])))))
        tracker = tracker.update(code, notes=draw(text))
    for _ in range(draw(st.integers(0, 6))):
        specialty = draw(st.sampled_from(["IM", "fm"]))
        new = Letter("", draw(words), draw(st.booleans()), specialty, requested_on=draw(days))
        tracker, letter = tracker.add_letter(new)
        for status in draw(st.sampled_from([[], [LetterStatus.RECEIVED], list(LetterStatus)[1:]])):
            tracker = tracker.advance_letter(letter.key, status, draw(days))
        for program in draw(st.lists(st.sampled_from(programs), unique=True)) if programs else []:
            tracker = _attempt(
                tracker, lambda p=program, k=letter.key, t=tracker: t.assign(k, p, FACTS)
            )
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(DocumentKind))
        tracker, doc, _ = tracker.add_document(
            kind, draw(words), draw(st.binary(max_size=8)), draw(st.none() | words)
        )
        if draw(st.booleans()):
            tracker, _ = tracker.mark_document(
                kind, doc.name, draw(st.sampled_from(DocumentStatus))
            )
    for program in programs:
        if draw(st.booleans()):
            season = draw(st.sampled_from([2025, 2026]))
            specialty = draw(st.sampled_from(["IM", "FM", "DR"]))
            tier = draw(st.none() | st.sampled_from(SignalTier))
            tracker = _attempt(
                tracker,
                lambda p=program, s=specialty, t=tier, y=season, old=tracker: old.signal(
                    Signal(p, s, t), FACTS, y
                ),
            )
    tracker = tracker.set_geography(draw(st.lists(words, unique_by=str.lower, max_size=3)))
    for program in programs:
        if draw(st.booleans()):
            scores = draw(st.dictionaries(criteria, st.integers(1, 5), max_size=3))
            interview = Interview(
                program,
                draw(days),
                draw(st.sampled_from(InterviewFormat)),
                tuple(scores.items()),
                draw(text),
            )
            tracker = tracker.record_interview(interview)
    for program in draw(st.permutations(programs)):
        if draw(st.booleans()):
            tracker = tracker.rank(program)
    advanced = [p for p in tracker.draft.primary if p[7] == "A"]
    for parent in advanced:
        for program in programs:
            if program[7] != "A" and draw(st.booleans()):
                tracker = tracker.rank(program, under=parent)
    return tracker
