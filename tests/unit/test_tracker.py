"""The tracker's domain: every legal and illegal state change, letters, documents, signals, ROL."""

from datetime import date

import pytest

from matchready.data import load_facts
from matchready.domain.facts import Facts
from matchready.domain.tracker import (
    TRANSITIONS,
    Application,
    AppState,
    Document,
    DocumentKind,
    DocumentStatus,
    Letter,
    LetterStatus,
    RankOrderDraft,
    Signal,
    SignalTier,
    add_signal,
    assign_letter,
    check_rank_order,
    checksum,
    letters_for,
    signal_usage,
    unassign_letter,
)
from matchready.errors import NotFoundError, TrackerError

FACTS = load_facts()
LEGAL = [(a, b) for a, targets in TRANSITIONS.items() for b in sorted(targets)]
ILLEGAL = [(a, b) for a in AppState for b in AppState if b not in TRANSITIONS[a]]


def test_every_state_has_a_row() -> None:
    assert set(TRANSITIONS) == set(AppState)


@pytest.mark.parametrize(("start", "to"), LEGAL, ids=[f"{a}->{b}" for a, b in LEGAL])
def test_legal_moves(start: AppState, to: AppState) -> None:
    app = Application("1000140C0", "IM", state=start)
    moved = app.move(to, date(2025, 10, 1))
    assert moved.state is to
    assert moved.history[-1] == (to, date(2025, 10, 1))
    assert app.state is start  # values are immutable


@pytest.mark.parametrize(("start", "to"), ILLEGAL, ids=[f"{a}->{b}" for a, b in ILLEGAL])
def test_illegal_moves_name_program_and_states(start: AppState, to: AppState) -> None:
    app = Application("1000140C0", "IM", state=start)
    with pytest.raises(TrackerError) as caught:
        app.move(to)
    text = str(caught.value)
    assert "1000140C0" in text and f"'{start.words}'" in text and f"'{to.words}'" in text


def test_the_happy_path() -> None:
    app = Application("P1", "IM")
    for state in ("submitted", "invited", "interview_scheduled", "interviewed", "ranked"):
        app = app.move(AppState(state))
    assert [s for s, _ in app.history][-1] is AppState.RANKED
    assert len(app.history) == 5


def test_final_states_say_so() -> None:
    with pytest.raises(TrackerError, match="'withdrawn' is final"):
        Application("P1", "IM", state=AppState.WITHDRAWN).move(AppState.SUBMITTED)


def letters() -> tuple[Letter, ...]:
    return tuple(Letter(f"L{i}", f"Dr {i}", i % 2 == 0, "IM") for i in range(1, 6))


def test_letter_limit_is_the_fact_and_is_enforced() -> None:
    items = letters()
    for key in ("L1", "L2", "L3", "L4"):
        items = assign_letter(items, key, "P1", FACTS)
    assert len(letters_for(items, "P1")) == 4
    with pytest.raises(TrackerError, match=r"P1 already has 4 letters.*at most 4 per program"):
        assign_letter(items, "L5", "P1", FACTS)
    items = assign_letter(items, "L5", "P2", FACTS)  # the limit is per program
    items = unassign_letter(items, "L1", "P1")
    items = assign_letter(items, "L5", "P1", FACTS)
    assert {letter.key for letter in letters_for(items, "P1")} == {"L2", "L3", "L4", "L5"}


def test_letter_limit_comes_from_the_facts() -> None:
    rule = FACTS.rule("eras.max_letters_per_program")
    assert rule is not None
    facts = Facts(rules=(rule.model_copy(update={"value": "1"}),))
    items = assign_letter(letters(), "L1", "P1", facts)
    with pytest.raises(TrackerError, match="at most 1 per program"):
        assign_letter(items, "L2", "P1", facts)
    with pytest.raises(NotFoundError):
        assign_letter(letters(), "L1", "P1", Facts())


def test_letter_errors() -> None:
    items = assign_letter(letters(), "L1", "P1", FACTS)
    with pytest.raises(TrackerError, match="already assigned"):
        assign_letter(items, "L1", "P1", FACTS)
    with pytest.raises(NotFoundError):
        assign_letter(items, "L9", "P1", FACTS)


def test_letter_status_moves_forward_only() -> None:
    letter = Letter("L1", "Dr A", True, "IM")
    received = letter.advance(LetterStatus.RECEIVED)
    assert received.advance(LetterStatus.UPLOADED).status is LetterStatus.UPLOADED
    assert letter.advance(LetterStatus.UPLOADED).status is LetterStatus.UPLOADED
    with pytest.raises(TrackerError, match=r"Dr A.*'received' to 'requested'"):
        received.advance(LetterStatus.REQUESTED)
    with pytest.raises(TrackerError):
        received.advance(LetterStatus.RECEIVED)


def test_documents_version_by_checksum() -> None:
    doc = Document.first(DocumentKind.PERSONAL_STATEMENT, "ps.pdf", b"v1")
    assert doc.version == 1 and doc.sha256 == checksum(b"v1") and len(doc.sha256) == 64
    final = doc.mark(DocumentStatus.FINAL)
    assert final.revise(b"v1") is final
    second = final.revise(b"v2")
    assert second.version == 2 and second.status is DocumentStatus.DRAFT
    with pytest.raises(TrackerError, match="sha256"):
        Document(DocumentKind.CV, "cv.pdf", 1, DocumentStatus.DRAFT, "xyz")
    with pytest.raises(TrackerError, match="version"):
        Document(DocumentKind.CV, "cv.pdf", 0, DocumentStatus.DRAFT, checksum(b""))


def test_signals_respect_the_2025_limits() -> None:
    signals: tuple[Signal, ...] = ()
    for n in range(5):
        signals = add_signal(signals, Signal(f"FM{n}", "fm"), FACTS, 2025)
    with pytest.raises(TrackerError, match=r"all 5 FM signals of the 2025 season"):
        add_signal(signals, Signal("FM9", "FM"), FACTS, 2025)
    for n in range(3):
        signals = add_signal(signals, Signal(f"G{n}", "IM", SignalTier.GOLD), FACTS, 2025)
    with pytest.raises(TrackerError, match="all 3 gold IM signals"):
        add_signal(signals, Signal("G9", "IM", SignalTier.GOLD), FACTS, 2025)
    signals = add_signal(signals, Signal("S1", "IM", SignalTier.SILVER), FACTS, 2025)
    with pytest.raises(TrackerError, match="gold or silver"):
        add_signal(signals, Signal("X", "IM"), FACTS, 2025)
    with pytest.raises(TrackerError, match="no gold/silver"):
        add_signal(signals, Signal("X", "FM", SignalTier.GOLD), FACTS, 2025)
    with pytest.raises(TrackerError, match="already has"):
        add_signal(signals, Signal("S1", "IM", SignalTier.SILVER), FACTS, 2025)
    usage = {u.specialty: u for u in signal_usage(signals, FACTS, 2025)}
    assert usage["FM"].text == "FM: 5 of 5 signals used"
    assert usage["IM"].used == 4 and usage["IM"].limit == 15 and usage["IM"].gold_used == 3


def test_a_season_without_a_sourced_table_has_an_unknown_limit() -> None:
    signals = add_signal((), Signal("P1", "IM", SignalTier.GOLD), FACTS, 2026)
    [usage] = signal_usage(signals, FACTS, 2026)
    assert usage.limit is None and "unknown" in usage.text


def apps() -> list[Application]:
    return [
        Application("A1", "DR", AppState.INTERVIEWED, advanced=True),
        Application("P1", "TY", AppState.INTERVIEWED),
        Application("C1", "IM", AppState.RANKED, would_not_go=True),
        Application("C2", "IM", AppState.SUBMITTED),
    ]


def test_rank_order_draft_warnings() -> None:
    draft = RankOrderDraft(("A1", "C1", "C2", "Z9"), {"A1": ("P1",)})
    warnings = check_rank_order(draft, apps())
    assert any("C1 (rank 2) is marked 'would not go'" in w for w in warnings)
    assert any("C2 (rank 3) is 'submitted'" in w for w in warnings)
    assert any("Z9 (rank 4) is not among" in w for w in warnings)
    assert not any(w.startswith("P1") for w in warnings)
    assert check_rank_order(RankOrderDraft(("A1",), {"A1": ("P1",)}), apps()) == []


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        (RankOrderDraft(("A1", "A1")), "ranked twice"),
        (RankOrderDraft(("C1",), {"C1": ("P1",)}), "only advanced programs"),
        (RankOrderDraft(("C1",), {"A1": ("P1",)}), "not on the list"),
        (RankOrderDraft(("A1",), {"A1": ("P1", "P1")}), "ranks a program twice"),
    ],
)
def test_rank_order_errors(draft: RankOrderDraft, message: str) -> None:
    with pytest.raises(TrackerError, match=message):
        check_rank_order(draft, apps())
