"""Map between table rows and domain objects, in one place."""

from __future__ import annotations

from matchready.domain.program import (
    Claim,
    ClaimSource,
    Contacts,
    Institution,
    LcaEvidence,
    Program,
    ProgramCode,
    Setting,
)
from matchready.domain.requirements import (
    Requirement,
    RequirementKind,
    Strictness,
    format_value,
    parse_value,
)
from matchready.store.models import (
    InstitutionRow,
    ProgramCodeRow,
    ProgramRow,
    RequirementClaimRow,
    RequirementRow,
)


def requirement_to_domain(row: RequirementRow) -> Requirement:
    """The domain requirement of a row."""
    kind = RequirementKind(row.kind)
    return Requirement(
        kind=kind,
        value=parse_value(kind, row.value or ""),
        strictness=Strictness(row.strictness),
        source=row.source,
        verified_on=row.verified_on,
    )


def claim_to_domain(row: RequirementClaimRow) -> Claim:
    """The domain claim of a row."""
    kind = RequirementKind(row.kind)
    return Claim(
        kind,
        parse_value(kind, row.value or ""),
        row.source,
        ClaimSource(row.source_kind),
        row.recorded_on,
        row.evidence,
        row.superseded,
    )


def claim_columns(claim: Claim) -> dict[str, object]:
    """The columns of a claim's row, without its program."""
    return {
        "kind": claim.kind.value,
        "value": format_value(claim.value) or None,
        "source": claim.source,
        "source_kind": claim.source_kind.value,
        "recorded_on": claim.recorded_on,
        "evidence": claim.evidence,
        "superseded": claim.superseded,
    }


def program_to_domain(row: ProgramRow, evidence: LcaEvidence | None = None) -> Program:
    """The domain program of a row and its children (and its institution's LCA evidence)."""
    institution = None
    if row.institution is not None:
        institution = Institution(
            name=row.institution.name,
            code=row.institution.code,
            sites=tuple(row.institution.sites),
        )
    return Program(
        name=row.name,
        acgme_number=row.acgme_number,
        codes=tuple(ProgramCode(c.code) for c in row.codes),
        specialty=row.specialty,
        specialty_code=row.specialty_code,
        institution=institution,
        address=row.address,
        city=row.city,
        zip_code=row.zip_code,
        state=row.state,
        region=row.region,
        positions_per_year=row.positions_per_year,
        setting=Setting(row.setting) if row.setting else None,
        img_share=row.img_share,
        website=row.website,
        contacts=Contacts(
            director=row.director, coordinator=row.coordinator, email=row.email, phone=row.phone
        ),
        application_service=row.application_service,
        accreditation_status=row.accreditation_status,
        accreditation_date=row.accreditation_date,
        requirements=tuple(requirement_to_domain(r) for r in row.requirements),
        claims=tuple(claim_to_domain(c) for c in row.claims if c.source_kind != "lca"),
        h1b_evidence=evidence,
    )


def program_columns(program: Program) -> dict[str, object]:
    """The plain columns of a program's row (not its institution, codes or requirements)."""
    return {
        "acgme_number": program.acgme_number,
        "name": program.name,
        "specialty": program.specialty,
        "specialty_code": program.specialty_code,
        "address": program.address,
        "city": program.city,
        "zip_code": program.zip_code,
        "state": program.state,
        "region": program.region,
        "positions_per_year": program.positions_per_year,
        "setting": program.setting.value if program.setting else None,
        "img_share": program.img_share,
        "website": program.website,
        "director": program.contacts.director,
        "coordinator": program.contacts.coordinator,
        "email": program.contacts.email,
        "phone": program.contacts.phone,
        "application_service": program.application_service,
        "accreditation_status": program.accreditation_status,
        "accreditation_date": program.accreditation_date,
    }


def requirement_columns(requirement: Requirement) -> dict[str, object]:
    """The columns of a requirement's row, without its program."""
    return {
        "kind": requirement.kind.value,
        "value": format_value(requirement.value) or None,
        "strictness": requirement.strictness.value,
        "source": requirement.source,
        "verified_on": requirement.verified_on,
    }


def update_program_row(row: ProgramRow, program: Program) -> None:
    """Copy a domain program's fields into a row (codes and requirements included).

    The institution is set by the caller, which finds or creates it.
    """
    for column, value in program_columns(program).items():
        setattr(row, column, value)

    old_codes = {c.code: c for c in row.codes}
    row.codes = [
        old_codes.get(c.code) or ProgramCodeRow(code=c.code, position=i, track=c.track.value)
        for i, c in enumerate(program.codes)
    ]
    for position, code_row in enumerate(row.codes):
        code_row.position = position

    old_requirements = {r.kind: r for r in row.requirements}
    new_rows: list[RequirementRow] = []
    for requirement in program.requirements:
        req_row = old_requirements.get(requirement.kind.value) or RequirementRow(
            kind=requirement.kind.value
        )
        for column, value in requirement_columns(requirement).items():
            setattr(req_row, column, value)
        new_rows.append(req_row)
    row.requirements = new_rows
    merge_claim_rows(row, program.claims)


def merge_claim_rows(row: ProgramRow, claims: tuple[Claim, ...] | list[Claim]) -> None:
    """Write claims into a row: a claim replaces the one of the same kind and source."""
    stored = {(c.kind, c.source): c for c in row.claims}
    for claim in claims:
        if claim.source_kind in {ClaimSource.LCA, ClaimSource.OWN}:
            continue  # derived on every read (LCA counts, a user's own values), never stored
        found = stored.get((claim.kind.value, claim.source))
        if found is None:
            found = RequirementClaimRow()
            row.claims.append(found)
            stored[(claim.kind.value, claim.source)] = found
        for column, value in claim_columns(claim).items():
            setattr(found, column, value)


def institution_row(institution: Institution) -> InstitutionRow:
    """A new row for an institution."""
    return InstitutionRow(
        code=institution.code, name=institution.name, sites=list(institution.sites)
    )
