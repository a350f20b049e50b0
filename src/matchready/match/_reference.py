"""The reference engine: the NRMP / Roth-Peranson procedure written out step by step.

Readable rather than fast; it is the oracle the fast engine is tested against. The steps
(reference §1.1-§1.4, Roth & Peranson 1999 §III):

1. Singles enter one at a time. An applicant goes down their rank order list; a program takes
   them if it ranks them and has a free place or prefers them to its least-preferred tentative
   match, who is removed and goes back on the applicant stack (McVitie-Wilson sequencing).
2. Couples enter one at a time, in the given order, and go down their list of pairs. A pair is
   acceptable when each side would take its partner ("No Match" always would; the same program
   twice needs two places). A displaced couple member withdraws the partner and the couple
   re-enters. A couple whose turn has not come is not re-checked in step 4 (re-checks pulling
   couples in early made the couple order irrelevant and left national markets cycling).
3. A supplemental PGY-1 list is used only while its applicant holds a linked advanced program;
   losing the advanced place withdraws the PGY-1 place.
4. A program that lost an applicant without a replacement goes on the program stack. Applicants
   it ranks who now prefer it, and whom it would take, re-enter from the top of their list
   (RP's instability chains). A re-entering unit keeps its place while it looks and leaves it
   only for a better choice that accepts it, so a re-check never loses anyone a place.
5. When nothing moves, a donor's unfilled places revert to its receiver (NRMP reversions).
6. A unit re-entering from the top more than ``restart_limit`` times means a cycle: the attempt
   reports it and freezes that unit (it is not restarted again), so every attempt ends with a
   complete matching; only frozen units can be left in blocking pairs (the audit lists them).
"""

from __future__ import annotations

from matchready.match._model import Instance
from matchready.match._outcome import Outcome

Unit = tuple[str, str]
"""("single", applicant), ("supp", applicant) or ("couple", couple index as text)."""


class ReferenceEngine:
    """One attempt of the Match on ``instance`` with couples entering in ``order``."""

    def __init__(self, instance: Instance, restart_limit: int, log: bool = False) -> None:
        self.instance = instance
        self.restart_limit = restart_limit
        self.logging = log
        self.partner = instance.partner_of()
        self.program_ranks = {
            p.id: {a: r for r, a in enumerate(p.ranks)} for p in instance.programs
        }

    # -- the attempt ---------------------------------------------------------------------------

    def attempt(self, order: list[int]) -> Outcome:
        """Run steps 1-6 once and return the matching reached."""
        self.capacity = {p.id: p.capacity for p in self.instance.programs}
        self.held: dict[str, list[str]] = {p.id: [] for p in self.instance.programs}
        self.primary: dict[str, tuple[str, int]] = {}
        self.supp: dict[str, tuple[str, int]] = {}
        self.pair: dict[str, int] = {}
        self.entered: set[str] = set()
        self.next: dict[Unit, int] = {}
        self.restarts: dict[Unit, int] = {}
        self.stack: list[Unit] = []
        self.queued: set[Unit] = set()
        self.program_stack: list[str] = []
        self.proposals = 0
        self.reverted: dict[str, int] = {}
        self.events: list[str] = []
        self.cycle = False
        for applicant in self.instance.applicants:
            if applicant.id not in self.partner:
                self._push(("single", applicant.id))
                self._stabilize()
        for index in order:
            self.entered.add(str(index))
            self._push(("couple", str(index)))
            self._stabilize()
        self._revert_until_settled()
        return Outcome(
            primary=dict(self.primary),
            supplemental=dict(self.supp),
            proposals=self.proposals,
            reverted={d: n for d, n in self.reverted.items() if n},
            cycle=self.cycle,
            log=tuple(self.events),
        )

    def _revert_until_settled(self) -> None:
        """Step 5: move each donor's unfilled places to its receiver until none are left."""
        changed = True
        while changed:
            changed = False
            for reversion in self.instance.reversions:
                unfilled = self.capacity[reversion.donor] - len(self.held[reversion.donor])
                if unfilled > 0:
                    self.capacity[reversion.donor] -= unfilled
                    self.capacity[reversion.receiver] += unfilled
                    self.reverted[reversion.donor] = (
                        self.reverted.get(reversion.donor, 0) + unfilled
                    )
                    self._log(f"{reversion.donor} reverts {unfilled} to {reversion.receiver}")
                    self._drop(reversion.receiver)
                    self._stabilize()
                    changed = True

    def _stabilize(self) -> None:
        """Process the applicant stack, then the program stack (step 4), until both are empty."""
        while True:
            if self.stack:
                unit = self.stack.pop()
                self.queued.discard(unit)
                self._process(unit)
            elif self.program_stack:
                self._recheck(self.program_stack.pop())
            else:
                return

    # -- stacks --------------------------------------------------------------------------------

    def _push(self, unit: Unit) -> None:
        if unit not in self.queued:
            self.queued.add(unit)
            self.stack.append(unit)

    def _restart(self, unit: Unit) -> None:
        """Step 4: the unit re-enters from the top of its list; too many restarts is a cycle,
        and the unit is then frozen (never restarted again) so the attempt ends."""
        self.restarts[unit] = self.restarts.get(unit, 0) + 1
        if self.restarts[unit] > self.restart_limit:
            self._log(f"cycle: {unit[0]} {unit[1]} restarted {self.restarts[unit]} times")
            self.cycle = True
            return
        self.next[unit] = 0
        self._push(unit)

    def _drop(self, program: str) -> None:
        if program not in self.program_stack:
            self.program_stack.append(program)

    def _log(self, event: str) -> None:
        if self.logging:
            self.events.append(event)

    # -- lists ---------------------------------------------------------------------------------

    def _couple_members(self, unit: Unit) -> tuple[str, str]:
        couple = self.instance.couples[int(unit[1])]
        return couple.first, couple.second

    def _supplemental_list(self, applicant: str) -> tuple[str, ...]:
        held = self.primary.get(applicant)
        if held is None:
            return ()
        for supplemental in self.instance.applicant(applicant).supplemental:
            if held[0] in supplemental.links:
                return supplemental.ranks
        return ()

    # -- acceptance ----------------------------------------------------------------------------

    def _accepts(self, program: str, members: list[str], exclude: set[str]) -> bool:
        """Would ``program`` take all ``members``, ignoring seats held by ``exclude``?"""
        ranks = self.program_ranks[program]
        if any(m not in ranks for m in members):
            return False
        holders = [h for h in self.held[program] if h not in exclude]
        excess = len(holders) + len(members) - self.capacity[program]
        if excess <= 0:
            return True
        if excess > len(holders):
            return False
        worst_member = max(ranks[m] for m in members)
        worst_holders = sorted(ranks[h] for h in holders)[-excess:]
        return all(rank > worst_member for rank in worst_holders)

    def _pair_acceptable(
        self, first: str, second: str, pair: tuple[str | None, str | None]
    ) -> bool:
        """Step 2: each side would take its partner; the same program twice needs two places."""
        p1, p2 = pair
        if p1 is not None and p1 == p2:
            return self._accepts(p1, [first, second], {first, second})
        return (p1 is None or self._accepts(p1, [first], {first})) and (
            p2 is None or self._accepts(p2, [second], {second})
        )

    # -- processing ----------------------------------------------------------------------------

    def _process(self, unit: Unit) -> None:
        """Steps 1-4: go down the unit's list from where it resumes.

        A unit re-entering from the top (step 4) keeps its place while it looks, and leaves
        it only for a better choice that accepts it.
        """
        kind, name = unit
        start = self.next.get(unit, 0)
        if kind == "supp":
            choices = self._supplemental_list(name)
            held = self.supp.get(name)
            stop = held[1] if held is not None else len(choices)
            for index in range(start, stop):
                program = choices[index]
                self.proposals += 1
                if self._accepts(program, [name], set()):
                    self._release_supp(name)
                    self.next[unit] = index + 1
                    self.supp[name] = (program, index)
                    self._log(f"{name} holds PGY-1 {program} (supplemental rank {index + 1})")
                    self._seat(program, [name])
                    return
                self._log(f"{program} rejects {name} (supplemental rank {index + 1})")
            self.next[unit] = stop + 1 if held is not None else stop
        elif kind == "single":
            ranks = self.instance.applicant(name).ranks
            place = self.primary.get(name)
            stop = place[1] if place is not None else len(ranks)
            for index in range(start, stop):
                choice = ranks[index]
                assert choice is not None
                self.proposals += 1
                if self._accepts(choice, [name], set()):
                    self._release_primary(name)
                    self.next[unit] = index + 1
                    self.primary[name] = (choice, index)
                    self._log(f"{name} tentatively matched to {choice} (rank {index + 1})")
                    self._seat(choice, [name])
                    self._start_supplemental(name)
                    return
                self._log(f"{choice} rejects {name} (rank {index + 1})")
            self.next[unit] = stop + 1 if place is not None else stop
        else:
            self._process_couple(unit)

    def _process_couple(self, unit: Unit) -> None:
        first, second = self._couple_members(unit)
        pairs = list(
            zip(
                self.instance.applicant(first).ranks,
                self.instance.applicant(second).ranks,
                strict=True,
            )
        )
        held = self.pair.get(unit[1])
        stop = held if held is not None else len(pairs)
        for index in range(self.next.get(unit, 0), stop):
            pair = pairs[index]
            self.proposals += 1
            if self._pair_acceptable(first, second, pair):
                self._release_primary(first)
                self._release_primary(second)
                self.next[unit] = index + 1
                self.pair[unit[1]] = index
                self._log(
                    f"couple {first}+{second} tentatively matched to pair {index + 1} {pair}"
                )
                p1, p2 = pair
                for member, program in ((first, p1), (second, p2)):
                    if program is not None:
                        self.primary[member] = (program, index)
                if p1 is not None and p1 == p2:
                    self._seat(p1, [first, second])
                else:
                    for member, program in ((first, p1), (second, p2)):
                        if program is not None:
                            self._seat(program, [member])
                self._start_supplemental(first)
                self._start_supplemental(second)
                return
            self._log(f"pair {index + 1} {pair} rejects couple {first}+{second}")
        self.next[unit] = stop + 1 if held is not None else stop

    def _start_supplemental(self, applicant: str) -> None:
        """Step 3: an applicant now holding a linked advanced program starts its PGY-1 list."""
        if self._supplemental_list(applicant):
            self.next[("supp", applicant)] = 0
            self._push(("supp", applicant))

    def _seat(self, program: str, members: list[str]) -> None:
        """Add members to the program; remove least-preferred holders beyond its capacity."""
        ranks = self.program_ranks[program]
        self.held[program].extend(members)
        while len(self.held[program]) > self.capacity[program]:
            worst = max(self.held[program], key=ranks.__getitem__)
            self.held[program].remove(worst)
            self._log(f"{program} removes {worst}, whom it ranks lower")
            self._displaced(worst, program)

    def _displaced(self, applicant: str, program: str) -> None:
        """A removed applicant goes back on the stack; a couple member withdraws the partner."""
        if applicant in self.supp and self.supp[applicant][0] == program:
            del self.supp[applicant]
            self._push(("supp", applicant))
            return
        del self.primary[applicant]
        self._release_supp(applicant)
        if applicant in self.partner:
            index, partner = self.partner[applicant]
            self.pair.pop(str(index), None)
            self._release_primary(partner)
            self._push(("couple", str(index)))
        else:
            self._push(("single", applicant))

    def _release_primary(self, applicant: str) -> None:
        held = self.primary.pop(applicant, None)
        if held is not None:
            self.held[held[0]].remove(applicant)
            self._drop(held[0])
        self._release_supp(applicant)

    def _release_supp(self, applicant: str) -> None:
        held = self.supp.pop(applicant, None)
        if held is not None:
            self.held[held[0]].remove(applicant)
            self._drop(held[0])

    # -- step 4 --------------------------------------------------------------------------------

    def _recheck(self, program: str) -> None:
        """Step 4: applicants the program ranks who now prefer it and whom it would take."""
        for applicant in self.instance.program(program).ranks:
            if applicant in self.partner:
                self._recheck_couple(applicant, program)
            else:
                self._recheck_single(applicant, program)
            self._recheck_supp(applicant, program)

    def _recheck_single(self, applicant: str, program: str) -> None:
        unit = ("single", applicant)
        if unit in self.queued:
            return
        ranks = self.instance.applicant(applicant).ranks
        if program not in ranks:
            return
        held = self.primary.get(applicant)
        current = held[1] if held is not None else len(ranks)
        if ranks.index(program) < current and self._accepts(program, [applicant], set()):
            self._restart(unit)

    def _recheck_couple(self, applicant: str, program: str) -> None:
        index, _ = self.partner[applicant]
        unit = ("couple", str(index))
        if unit in self.queued or str(index) not in self.entered:
            return
        first, second = self._couple_members(unit)
        first_ranks = self.instance.applicant(first).ranks
        second_ranks = self.instance.applicant(second).ranks
        current = self.pair.get(str(index), len(first_ranks))
        side = first_ranks if applicant == first else second_ranks
        for i in range(current):
            pair = (first_ranks[i], second_ranks[i])
            if side[i] == program and self._pair_acceptable(first, second, pair):
                self._restart(unit)
                return

    def _recheck_supp(self, applicant: str, program: str) -> None:
        unit = ("supp", applicant)
        if unit in self.queued:
            return
        choices = self._supplemental_list(applicant)
        if program not in choices:
            return
        held = self.supp.get(applicant)
        current = held[1] if held is not None else len(choices)
        if choices.index(program) < current and self._accepts(program, [applicant], set()):
            self._restart(unit)
