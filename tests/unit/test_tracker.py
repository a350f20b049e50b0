"""The tracker's domain: every legal and illegal state change, letters, documents, signals, ROL."""

from datetime import UTC, date, datetime

import pytest

from factories import path_to, refused, tracked
from matchready.data import load_facts
from matchready.domain.facts import Facts
from matchready.domain.report import Citation
from matchready.domain.signals import Signal, SignalTier, add_signal, signal_usage
from matchready.domain.tracker import (
    TRANSITIONS,
    Application,
    AppState,
    Change,
    Document,
    DocumentKind,
    DocumentStatus,
    Interview,
    InterviewFormat,
    Letter,
    LetterStatus,
    RankOrderDraft,
    Tracker,
    check_rank_order,
    checksum,
)
from matchready.errors import NotFoundError, TrackerError

FACTS = load_facts()
AT = datetime(2025, 10, 1, 9, tzinfo=UTC)
LEGAL = [(a, b) for a, targets in TRANSITIONS.items() for b in sorted(targets)]
ILLEGAL = [(a, b) for a in AppState for b in AppState if b not in TRANSITIONS[a]]


def at(start: AppState) -> Application:
    return tracked("1000140C0", "IM", *path_to(start))


def test_every_state_has_a_row_and_a_way_there() -> None:
    assert set(TRANSITIONS) == set(AppState)
    assert all(at(state).state is state for state in AppState)


@pytest.mark.parametrize(("start", "to"), LEGAL, ids=[f"{a}->{b}" for a, b in LEGAL])
def test_legal_moves(start: AppState, to: AppState) -> None:
    app = at(start)
    moved = app.move(Change(to, date(2025, 10, 1), AT, "me", "why"))
    assert moved.state is to
    assert moved.history[-1] == Change(to, date(2025, 10, 1), AT, "me", "why")
    assert moved.lines()[-1].from_state is start
    assert moved.history[:-1] == app.history and app.state is start  # values are immutable


@pytest.mark.parametrize(("start", "to"), ILLEGAL, ids=[f"{a}->{b}" for a, b in ILLEGAL])
def test_illegal_moves_name_program_and_states(start: AppState, to: AppState) -> None:
    with pytest.raises(TrackerError) as caught:
        at(start).move(Change(to, None, AT, "me"))
    allowed = ", ".join(sorted(s.words for s in TRANSITIONS[start]))
    tail = f"allowed next: {allowed}" if allowed else f"'{start.words}' is final"
    assert str(caught.value) == (
        f"program 1000140C0: cannot go from '{start.words}' to '{to.words}' ({tail})"
    )


def test_the_state_is_the_last_line_of_the_one_history() -> None:
    app = tracked("P1", "IM", "submitted", "invited", "interview_scheduled", "interviewed")
    assert app.state is AppState.INTERVIEWED and len(app.history) == 5
    assert app.visited == {
        AppState.PLANNED,
        AppState.SUBMITTED,
        AppState.INVITED,
        AppState.INTERVIEW_SCHEDULED,
        AppState.INTERVIEWED,
    }
    assert [line.from_state for line in app.lines()] == [
        None,
        AppState.PLANNED,
        AppState.SUBMITTED,
        AppState.INVITED,
        AppState.INTERVIEW_SCHEDULED,
    ]
    app.check_history()
    skipped = Application("P1", "IM", (app.history[0], Change(AppState.RANKED, None, AT, "x")))
    with refused(
        TrackerError,
        "program P1: cannot go from 'planned' to 'ranked' (allowed next: submitted, withdrawn)",
    ):
        skipped.check_history()
    with refused(TrackerError, "program P1: its history does not start with 'added'"):
        Application("P1", "IM").check_history()


def letters() -> Tracker:
    tracker = Tracker().add(tracked("P1", "IM")).add(tracked("P2", "IM"))
    for i in range(1, 6):
        tracker, _ = tracker.add_letter(Letter("", f"Dr {i}", i % 2 == 0, "im"))
    return tracker


def test_letter_limit_is_the_fact_and_is_enforced() -> None:
    tracker = letters()
    assert [x.key for x in tracker.letters] == ["L1", "L2", "L3", "L4", "L5"]
    assert {x.specialty for x in tracker.letters} == {"IM"}
    for key in ("L1", "L2", "L3", "L4"):
        tracker = tracker.assign(key, "P1", FACTS)
    assert len(tracker.letters_for("P1")) == 4
    with pytest.raises(TrackerError) as caught:
        tracker.assign("L5", "P1", FACTS)
    assert str(caught.value).startswith(
        "program P1 already has 4 letters (Dr 1, Dr 2, Dr 3, Dr 4); ERAS allows at most 4 per "
        "program ("
    )
    tracker = tracker.assign("L5", "P2", FACTS)  # the limit is per program
    tracker = tracker.unassign("L1", "P1").assign("L5", "P1", FACTS)
    assert [x.key for x in tracker.letters_for("P1")] == ["L2", "L3", "L4", "L5"]


def test_letter_limit_comes_from_the_facts() -> None:
    rule = FACTS.rule("eras.max_letters_per_program")
    assert rule is not None
    facts = Facts(rules=(rule.model_copy(update={"value": "1"}),))
    tracker = letters().assign("L1", "P1", facts)
    with refused(
        TrackerError,
        (
            "program P1 already has 1 letters (Dr 1); ERAS allows at most 1 per program "
            f"({Citation.of(rule)}). Unassign one first."
        ),
    ):
        tracker.assign("L2", "P1", facts)
    with refused(NotFoundError, "fact eras.max_letters_per_program is missing"):
        letters().assign("L1", "P1", Facts())


def test_letter_errors() -> None:
    tracker = letters().assign("L1", "P1", FACTS)
    with refused(TrackerError, "letter from Dr 1 is already assigned to P1"):
        tracker.assign("L1", "P1", FACTS)
    with refused(NotFoundError, "no letter 'L9'"):
        tracker.assign("L9", "P1", FACTS)
    with refused(TrackerError, "letter L2 is not assigned to P1"):
        tracker.unassign("L2", "P1")
    with refused(TrackerError, "a letter needs the writer's name"):
        tracker.add_letter(Letter("", "  ", True, "IM"))


def test_letter_status_moves_forward_only() -> None:
    letter = Letter("L1", "Dr A", True, "IM")
    received = letter.advance(LetterStatus.RECEIVED, date(2025, 7, 1))
    assert received.received_on == date(2025, 7, 1)
    assert received.advance(LetterStatus.UPLOADED).status is LetterStatus.UPLOADED
    assert letter.advance(LetterStatus.UPLOADED).status is LetterStatus.UPLOADED
    with refused(TrackerError, "letter from Dr A: cannot go from 'received' to 'requested'"):
        received.advance(LetterStatus.REQUESTED)
    with refused(TrackerError, "letter from Dr A: cannot go from 'received' to 'received'"):
        received.advance(LetterStatus.RECEIVED)


def test_documents_version_by_checksum() -> None:
    kind = DocumentKind.PERSONAL_STATEMENT
    tracker, doc, new = Tracker().add_document(kind, "ps.pdf", b"v1", "/a/ps.pdf")
    assert new and (doc.version, doc.sha256, doc.status) == (
        1,
        checksum(b"v1"),
        DocumentStatus.DRAFT,
    )
    tracker, final = tracker.mark_document(kind, "ps.pdf", DocumentStatus.FINAL)
    same, unchanged, new = tracker.add_document(kind, "ps.pdf", b"v1", None)
    assert same is tracker and unchanged == final and not new
    tracker, second, new = tracker.add_document(kind, "ps.pdf", b"v2", None)
    assert new and (second.version, second.status, second.path) == (
        2,
        DocumentStatus.DRAFT,
        "/a/ps.pdf",
    )
    assert [d.version for d in tracker.documents] == [1, 2] and tracker.latest_documents() == [
        second
    ]
    with refused(NotFoundError, "no cv document named 'cv.pdf'"):
        tracker.mark_document(DocumentKind.CV, "cv.pdf", DocumentStatus.FINAL)
    with refused(TrackerError, "document cv.pdf: sha256 must be 64 lowercase hex digits"):
        Document(DocumentKind.CV, "cv.pdf", 1, DocumentStatus.DRAFT, "xyz")
    with refused(TrackerError, "document cv.pdf: version must be 1 or more"):
        Document(DocumentKind.CV, "cv.pdf", 0, DocumentStatus.DRAFT, checksum(b""))


def test_signals_respect_the_2025_limits() -> None:
    fm, im = FACTS.signal_limit(2025, "FM"), FACTS.signal_limit(2025, "IM")
    assert fm is not None and im is not None
    assert (fm.signals, im.gold) == (5, 3)  # the sourced table the loops below fill
    source = Citation.of(fm)
    assert Citation.of(im) == source
    signals: tuple[Signal, ...] = ()
    for n in range(5):
        signals = add_signal(signals, Signal(f"FM{n}", "fm"), FACTS, 2025)
    with refused(
        TrackerError,
        f"program FM9: all 5 FM signals of the 2025 season are used ({source})",
    ):
        add_signal(signals, Signal("FM9", "FM"), FACTS, 2025)
    for n in range(3):
        signals = add_signal(signals, Signal(f"G{n}", "IM", SignalTier.GOLD), FACTS, 2025)
    with refused(
        TrackerError,
        f"program G9: all 3 gold IM signals of the 2025 season are used ({source})",
    ):
        add_signal(signals, Signal("G9", "IM", SignalTier.GOLD), FACTS, 2025)
    signals = add_signal(signals, Signal("S1", "IM", SignalTier.SILVER), FACTS, 2025)
    with refused(TrackerError, "IM signals are gold or silver in 2025: pick one"):
        add_signal(signals, Signal("X", "IM"), FACTS, 2025)
    with refused(TrackerError, "FM signals have no gold/silver tiers in 2025"):
        add_signal(signals, Signal("X", "FM", SignalTier.GOLD), FACTS, 2025)
    with refused(TrackerError, "program S1 already has a IM signal"):
        add_signal(signals, Signal("S1", "IM", SignalTier.SILVER), FACTS, 2025)
    usage = {u.specialty: u for u in signal_usage(signals, FACTS, 2025)}
    assert usage["FM"].text == "FM: 5 of 5 signals used"
    im = FACTS.signal_limit(2025, "IM")
    assert im is not None
    assert (usage["IM"].used, usage["IM"].limit, usage["IM"].gold_used) == (4, im.signals, 3)
    assert usage["IM"].gold_limit == im.gold


def test_a_season_without_a_sourced_table_has_an_unknown_limit() -> None:
    assert FACTS.signal_limit(2026, "IM") is None
    signals = add_signal((), Signal("P1", "IM", SignalTier.GOLD), FACTS, 2026)
    [usage] = signal_usage(signals, FACTS, 2026)
    assert (usage.limit, usage.text) == (None, "IM: 1 signals used; the limit is unknown")


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ((("fit", 4), ("fit", 2)), "interview at P1: 'fit' is scored twice"),
        ((("fit", 6),), "interview at P1: score 6 for 'fit' is not 1 to 5"),
        ((("f/t", 3),), "criterion 'f/t' must be letters, digits, spaces or dashes"),
    ],
)
def test_interview_scores(scores: tuple[tuple[str, int], ...], message: str) -> None:
    with pytest.raises(TrackerError, match=message):
        Interview("P1", None, InterviewFormat.VIRTUAL, scores)
    assert Interview("P1", None, InterviewFormat.VIRTUAL, (("fit", 4), ("city", 2))).mean == 3


def apps() -> list[Application]:
    interviewed = ("submitted", "invited", "interview_scheduled", "interviewed")
    return [
        tracked("1000140A0", "DR", *interviewed, advanced=True),
        tracked("P1", "TY", *interviewed),
        tracked("C1", "IM", *interviewed, "ranked", would_not_go=True),
        tracked("C2", "IM", "submitted"),
    ]


def test_rank_order_draft_warnings() -> None:
    draft = RankOrderDraft(("1000140A0", "C1", "C2", "Z9"), {"1000140A0": ("P1",)})
    assert check_rank_order(draft, apps()) == [
        "C1 (rank 2) is marked 'would not go': a match there is binding",
        "C2 (rank 3) is 'submitted', not interviewed",
        "Z9 (rank 4) is not among your applications",
    ]
    assert check_rank_order(RankOrderDraft(("1000140A0",), {"1000140A0": ("P1",)}), apps()) == []


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        (RankOrderDraft(("C1", "C1")), "program C1 is ranked twice on the primary list"),
        (RankOrderDraft(("C1",), {"C1": ("P1",)}), "only advanced programs take one"),
        (RankOrderDraft(("C1",), {"1000140A0": ("P1",)}), "1000140A0, which is not on the list"),
        (RankOrderDraft(("1000140A0",), {"1000140A0": ("P1", "P1")}), "ranks a program twice"),
    ],
)
def test_rank_order_errors(draft: RankOrderDraft, message: str) -> None:
    with pytest.raises(TrackerError, match=message):
        check_rank_order(draft, apps())


def test_the_draft_through_the_tracker() -> None:
    tracker = Tracker(applications=tuple(apps()))
    tracker = tracker.rank("C1").rank("1000140A0", position=1).rank("P1", under="1000140A0")
    assert tracker.draft == RankOrderDraft(("1000140A0", "C1"), {"1000140A0": ("P1",)})
    assert tracker.rank("C1", position=1).draft.primary == ("C1", "1000140A0")
    with refused(TrackerError, "position 4 is outside 1 to 3"):
        tracker.rank("C2", position=4)
    with refused(TrackerError, "1000140A0 has a supplemental list: remove its entries first"):
        tracker.unrank("1000140A0")
    with refused(NotFoundError, "C2 is not on the primary list"):
        tracker.unrank("C2")
    emptied = tracker.unrank("P1", under="1000140A0")
    assert dict(emptied.draft.supplemental) == {} and emptied.unrank(
        "1000140A0"
    ).draft.primary == ("C1",)
