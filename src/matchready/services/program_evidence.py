"""Evidence for program requirements beyond a spreadsheet: DOL LCA disclosure files (H-1B
evidence per institution) and a program's own page (values with the sentence that states them).

Each use case is one transaction. An LCA import replaces the counts of the fiscal years the
file covers; a page's values are only proposals until the user accepts them, and an accepted
value is stored with the page's address, the date read and the sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx

from matchready.domain.page_reading import Finding, ImgPolicy, img_policy, propose
from matchready.domain.program import Claim, ClaimSource, LcaEmployer
from matchready.domain.requirements import Requirement, RequirementChange, RequirementKind
from matchready.errors import InputError, Location, NotFoundError, Problem
from matchready.io.lca import read_lca
from matchready.io.program_page import page_sentences, read_page
from matchready.services.lca_matching import best_match, places_of
from matchready.services.ports import UnitOfWork


@dataclass(frozen=True)
class LcaSummary:
    """What an LCA import read and how its employers matched the stored institutions."""

    file: str
    rows_read: int
    filings_kept: int
    fiscal_years: tuple[int, ...]
    employers: int
    matched: int
    uncertain: int
    unmatched: int


def import_lca(uow: UnitOfWork, path: Path) -> LcaSummary:
    """Import a DOL LCA disclosure file: resident-physician counts per employer and fiscal
    year, each matched to a stored institution (see `matchready.services.lca_matching`)."""
    lca = read_lca(path)
    if not lca.counts:
        raise InputError(
            Problem(
                f"no certified resident or fellow physician filing among {lca.rows_read} rows: "
                "nothing to import",
                Location(file=path.name),
            )
        )
    with uow:
        places = places_of(uow.programs.institution_places())
        names = {p.key: p.name for p in places}
        matches: dict[tuple[str, str, str], tuple[str | None, float | None, str]] = {}
        employers = []
        for count in lca.counts:
            place = (count.employer, count.city, count.state)
            if place not in matches:
                found = best_match(*place, places)
                matches[place] = (found.institution, found.score, found.status)
            institution, score, status = matches[place]
            employers.append(
                LcaEmployer(
                    count.employer,
                    count.city,
                    count.state,
                    count.fiscal_year,
                    count.certified,
                    path.name,
                    institution,
                    names.get(institution) if institution else None,
                    score,
                    status,
                )
            )
        uow.programs.replace_lca(lca.fiscal_years, employers)
        uow.programs.bump_version(reload=True)
        uow.commit()
    statuses = [status for _i, _s, status in matches.values()]
    return LcaSummary(
        path.name,
        lca.rows_read,
        lca.filings_kept,
        lca.fiscal_years,
        len(matches),
        statuses.count("matched"),
        statuses.count("uncertain"),
        statuses.count("unmatched"),
    )


def lca_review(uow: UnitOfWork) -> list[LcaEmployer]:
    """The employers whose match to an institution is uncertain (one line per employer and
    place, counts summed over the fiscal years)."""
    with uow:
        rows = uow.programs.lca_employers()
    merged: dict[tuple[str, str, str], LcaEmployer] = {}
    for row in rows:
        if row.match_status != "uncertain":
            continue
        key = (row.employer, row.city, row.state)
        seen = merged.get(key)
        merged[key] = row if seen is None else _summed(seen, row)
    return list(merged.values())


def _summed(a: LcaEmployer, b: LcaEmployer) -> LcaEmployer:
    from dataclasses import replace

    return replace(
        a, certified=a.certified + b.certified, fiscal_year=max(a.fiscal_year, b.fiscal_year)
    )


def decide_lca(uow: UnitOfWork, employer: str, city: str, state: str, *, accept: bool) -> int:
    """Confirm or reject an uncertain employer match; NotFoundError when there is none."""
    employer, city, state = (" ".join(x.split()).upper() for x in (employer, city, state))
    with uow:
        changed = uow.programs.decide_lca(employer, city, state, accept)
        if not changed:
            raise NotFoundError(f"no LCA employer {employer!r} in {city}, {state}")
        uow.programs.bump_version(reload=True)
        uow.commit()
    return changed


@dataclass(frozen=True)
class Proposal:
    """A value a page states for a requirement, beside the value stored now."""

    finding: Finding
    stored: Requirement

    @property
    def same(self) -> bool:
        """Whether the store already says this."""
        return self.stored.value == self.finding.value


@dataclass(frozen=True)
class PageReading:
    """A program's page, read: every proposal with its sentence, and what it says of IMGs."""

    program_key: str
    program_name: str
    source: str  # the page's address (or the saved file's name)
    read_on: date
    proposals: tuple[Proposal, ...]
    img_policy: tuple[ImgPolicy, ...]


def read_program_page(
    uow: UnitOfWork,
    source: str,
    key: str,
    today: date,
    *,
    url: str | None = None,
    client: httpx.Client | None = None,
) -> PageReading:
    """Read a page (URL or saved HTML file) for one program's requirements; writes nothing.

    `url` names the address of a saved page (kept as the source of accepted values)."""
    with uow:
        program = uow.programs.find(key.strip().upper())
    if program is None:
        raise NotFoundError(f"no program with ACGME number or NRMP code {key!r}")
    page = read_page(source, client=client)
    sentences = page_sentences(page.html)
    findings = propose(sentences)
    first: dict[RequirementKind, Finding] = {}
    for finding in findings:
        first.setdefault(finding.kind, finding)
    proposals = tuple(Proposal(f, program.requirement(f.kind)) for f in first.values())
    where = url or (page.url if not page.url.startswith("file:") else f"saved page {page.url[5:]}")
    return PageReading(
        program.key, program.name, where, today, proposals, tuple(img_policy(sentences))
    )


def accept_page_values(
    uow: UnitOfWork,
    reading: PageReading,
    kinds: set[RequirementKind] | None,
    changed_by: str,
) -> list[RequirementChange]:
    """Store the accepted proposals (all when `kinds` is None): each value with the page's
    address, the date read and its sentence, a history entry, in one transaction."""
    chosen = [
        p for p in reading.proposals if (kinds is None or p.finding.kind in kinds) and not p.same
    ]
    unknown = (kinds or set()) - {p.finding.kind for p in reading.proposals}
    if unknown:
        names = ", ".join(sorted(k.value for k in unknown))
        raise InputError(
            Problem(f"the page proposes no value for {names}", Location(field="--accept"))
        )
    changes = []
    with uow:
        program = uow.programs.find(reading.program_key)
        if program is None:
            raise NotFoundError(f"no program {reading.program_key!r}")
        claims = []
        for proposal in chosen:
            finding = proposal.finding
            requirement = Requirement(
                finding.kind, finding.value, finding.strictness, reading.source, reading.read_on
            )
            before = program.requirement(finding.kind)
            kept = before if before in program.requirements else None
            changes.append(RequirementChange(program.key, kept, requirement, changed_by))
            uow.programs.set_requirement(program.key, requirement)
            claims.append(
                Claim(
                    finding.kind,
                    finding.value,
                    reading.source,
                    ClaimSource.PAGE,
                    reading.read_on,
                    finding.sentence,
                )
            )
            if kept is not None and kept.source and kept.source != reading.source:
                claims.append(
                    Claim(kept.kind, kept.value, kept.source, ClaimSource.IMPORT, kept.verified_on)
                )
        if changes:
            uow.programs.add_claims(program.key, claims)
            uow.record_changes(changes)
            uow.commit()
    return changes
