"""Place a spreadsheet's headers on the template's fields: the headers people actually use.

A header is placed, in this order, by
1. its template column name, ignoring case, spaces and punctuation ("Step2CK Minimum");
2. a known alias ("ACGME ID", "J1 Visa?", "Min Step 2 CK", "YOG cutoff (years)"), with the
   requirement suffixes ("... source", "... verified on", "... strictness") understood;
3. fuzzy similarity to a column name or alias (rapidfuzz ratio >= `FUZZY_ACCEPT`), reported
   with its score so the user sees the guess.
The user's own `--map "HEADER=field"` (or a mapping file) comes first and may say `ignore`.
A header that none of these places is unplaced: the import stops and shows the proposed
mapping, the unplaced columns and the closest field for each.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import tomli_w
from rapidfuzz import fuzz, process

from matchready.domain.requirements import RequirementKind
from matchready.errors import InputError, Location, Problem
from matchready.io.common import normalise_header
from matchready.io.files import write_atomic

IGNORE = "ignore"
VISA_FIELD = "visa"
"""A virtual field: one visa cell ("J1 only") that sets both j1_sponsored and h1b_sponsored."""

FUZZY_ACCEPT = 88.0
FUZZY_SUGGEST = 70.0

_SUFFIXES = {
    "strictness": "_strictness",
    "hardorsoft": "_strictness",
    "cutofftype": "_strictness",
    "source": "_source",
    "sourceurl": "_source",
    "url": "_source",
    "verifiedon": "_verified_on",
    "verified": "_verified_on",
    "lastverified": "_verified_on",
    "dateverified": "_verified_on",
    "checkedon": "_verified_on",
}

ALIASES: dict[str, tuple[str, ...]] = {
    "acgme_number": (
        "acgmeid",
        "acgme",
        "acgmeno",
        "acgmenr",
        "acgmenumber",
        "acgmeprogramnumber",
        "acgmeprogramid",
        "programnumber",
        "programid",
        "acgmecode",
    ),
    "nrmp_codes": ("nrmpcode", "nrmpcodes", "nrmpid", "nrmpprogramcode", "nrmpnumber"),
    "name": ("programname", "program", "programtitle", "residencyprogram"),
    "specialty": ("specialty", "speciality", "specialtyname", "field"),
    "specialty_code": ("specialtycode", "acgmespecialtycode"),
    "institution_name": (
        "institution",
        "sponsoringinstitution",
        "sponsoringinstitutionname",
        "hospital",
        "sponsor",
    ),
    "institution_code": ("institutioncode", "sponsoringinstitutioncode", "sponsorcode"),
    "city": ("city", "town"),
    "state": ("state", "st", "statecode"),
    "zip_code": ("zip", "zipcode", "postalcode"),
    "positions_per_year": ("positions", "spots", "pgy1positions", "positionsperyear"),
    "img_share": ("imgshare", "imgpercent", "imgs", "percentimg", "imgratio"),
    "website": ("website", "url", "programwebsite", "web", "link"),
    "director": ("programdirector", "pd", "directorname"),
    "coordinator": ("programcoordinator", "coordinatorname", "pc"),
    "email": ("email", "contactemail", "coordinatoremail", "emailaddress"),
    "phone": ("phone", "telephone", "phonenumber"),
    VISA_FIELD: ("visa", "visas", "visasponsored", "visasponsorship", "visatype", "visaspolicy"),
    RequirementKind.J1_SPONSORED.value: (
        "j1",
        "j1visa",
        "j1sponsored",
        "j1sponsorship",
        "sponsorsj1",
        "j1ok",
        "acceptsj1",
    ),
    RequirementKind.H1B_SPONSORED.value: (
        "h1b",
        "h1bvisa",
        "h1bsponsored",
        "h1bsponsorship",
        "sponsorsh1b",
        "acceptsh1b",
    ),
    RequirementKind.MAX_YEARS_SINCE_GRADUATION.value: (
        "yog",
        "yogcutoff",
        "yogcutoffyears",
        "yoglimit",
        "maxyog",
        "yearsofgraduation",
        "yearssincegraduation",
        "graduationcutoff",
        "yearofgraduationcutoff",
        "maxyearssincegraduation",
    ),
    RequirementKind.STEP1_PASS_REQUIRED.value: ("step1", "step1pass", "step1required"),
    RequirementKind.STEP2CK_MINIMUM.value: (
        "step2ck",
        "minstep2ck",
        "minimumstep2ck",
        "step2ckmin",
        "step2ckcutoff",
        "step2cutoff",
        "step2",
        "minstep2",
        "step2ckscore",
        "ckcutoff",
    ),
    RequirementKind.MAX_ATTEMPTS.value: (
        "attempts",
        "maxattempts",
        "attemptsallowed",
        "usmleattempts",
        "failedattempts",
    ),
    RequirementKind.USCE_REQUIRED.value: (
        "usce",
        "usclinicalexperience",
        "usceneeded",
        "uscerequired",
        "usexperience",
    ),
    RequirementKind.US_LETTERS_REQUIRED.value: (
        "usletters",
        "uslors",
        "uslor",
        "lors",
        "lettersfromus",
        "usrecommendationletters",
    ),
    RequirementKind.ECFMG_CERTIFICATE_BY.value: (
        "ecfmg",
        "ecfmgcertification",
        "ecfmgcertificate",
        "ecfmgcertified",
        "ecfmgby",
        "ecfmgcertificationby",
    ),
}


@dataclass(frozen=True)
class Placement:
    """Where one header went: a field (or `ignore`), how, and the fuzzy score when guessed."""

    header: str
    field: str | None  # None: unplaced
    how: str  # "exact", "alias", "fuzzy", "yours", "unplaced"
    score: float | None = None
    closest: str | None = None  # for an unplaced header: the nearest field


@dataclass(frozen=True)
class ColumnMapping:
    """How every header of a file is placed."""

    placements: tuple[Placement, ...]

    @property
    def unplaced(self) -> list[Placement]:
        return [p for p in self.placements if p.field is None]

    @property
    def renames(self) -> dict[str, str]:
        """Header -> field, for every placed header (ignored ones excluded)."""
        return {p.header: p.field for p in self.placements if p.field and p.field != IGNORE}

    @property
    def fields(self) -> set[str]:
        return set(self.renames.values())

    def places_requirement(self) -> bool:
        """Whether a header was placed on a requirement (or the visa column)."""
        return any(f == VISA_FIELD or _base_kind(f) is not None for f in self.fields)

    def lines(self) -> list[str]:
        """The mapping as a person reads it: one line per header."""
        out = []
        for p in self.placements:
            if p.field is None:
                hint = f" (closest: {p.closest})" if p.closest else ""
                out.append(f"{p.header!r} -> not placed{hint}")
            else:
                score = f", score {p.score:.0f}" if p.score is not None else ""
                out.append(f"{p.header!r} -> {p.field} ({p.how}{score})")
        return out

    def as_user_map(self) -> dict[str, str]:
        """The mapping as a `--mapping` file holds it (every header, ignored ones included)."""
        return {p.header: p.field for p in self.placements if p.field is not None}


def _base_kind(field_name: str) -> RequirementKind | None:
    for kind in RequirementKind:
        if field_name == kind.value or field_name.startswith(kind.value + "_"):
            return kind
    return None


def _known_fields(template_columns: list[str]) -> list[str]:
    return [*template_columns, VISA_FIELD]


def _lookup(template_columns: list[str]) -> dict[str, tuple[str, str]]:
    """Normalised name -> (field, how) for exact names and aliases (suffixed forms too)."""
    table: dict[str, tuple[str, str]] = {}
    for column in _known_fields(template_columns):
        table[normalise_header(column)] = (column, "exact")
    kinds = {k.value for k in RequirementKind}
    for target, aliases in ALIASES.items():
        for alias in aliases:
            table.setdefault(normalise_header(alias), (target, "alias"))
            if target in kinds:
                for suffix_name, suffix in _SUFFIXES.items():
                    table.setdefault(
                        normalise_header(alias) + suffix_name, (target + suffix, "alias")
                    )
    return table


def propose_mapping(
    header: list[str], template_columns: list[str], user: dict[str, str] | None = None
) -> ColumnMapping:
    """Place every header (the user's mapping first; see the module docstring)."""
    user = {normalise_header(k): v for k, v in (user or {}).items()}
    table = _lookup(template_columns)
    choices = list(table)
    placements: list[Placement] = []
    for text in header:
        normal = normalise_header(text)
        if normal in user:
            placements.append(Placement(text, user[normal], "yours"))
            continue
        if normal in table:
            target, how = table[normal]
            placements.append(Placement(text, target, how))
            continue
        best = process.extractOne(normal, choices, scorer=fuzz.ratio) if normal else None
        if best is not None and best[1] >= FUZZY_ACCEPT:
            placements.append(Placement(text, table[best[0]][0], "fuzzy", float(best[1])))
            continue
        closest = table[best[0]][0] if best is not None and best[1] >= FUZZY_SUGGEST else None
        placements.append(Placement(text, None, "unplaced", closest=closest))
    return ColumnMapping(tuple(placements))


def closest_field(name: str, template_columns: list[str]) -> str | None:
    """The known field nearest to a mistyped one, if any is near."""
    best = process.extractOne(name, _known_fields(template_columns), scorer=fuzz.WRatio)
    return str(best[0]) if best is not None and best[1] >= FUZZY_SUGGEST else None


def check_user_map(user: dict[str, str], template_columns: list[str], where: str) -> None:
    """Every field a user mapped a header to must exist; InputError suggesting the closest."""
    known = set(_known_fields(template_columns)) | {IGNORE}
    problems = []
    for header, target in user.items():
        if target not in known:
            near = closest_field(target, template_columns)
            hint = f"; did you mean {near}?" if near else ""
            problems.append(
                Problem(
                    f"{header!r} is mapped to unknown field {target!r}{hint} "
                    f"(fields: see `matchready programs template`; or {IGNORE!r})",
                    Location(file=where),
                )
            )
    if problems:
        raise InputError(problems)


def parse_map_options(options: list[str]) -> dict[str, str]:
    """`--map "Min Step 2 CK=step2ck_minimum"` options as header -> field."""
    mapping: dict[str, str] = {}
    for option in options:
        header, sep, target = option.rpartition("=")
        if not sep or not header.strip() or not target.strip():
            raise InputError(
                Problem(f"expected --map 'HEADER=field', got {option!r}", Location(field="--map"))
            )
        mapping[header.strip()] = target.strip()
    return mapping


def read_mapping_file(path: Path) -> dict[str, str]:
    """A mapping file (TOML, `[columns]` header = field), as written by `--save-mapping`."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(
            Problem(f"cannot read the mapping ({error})", Location(file=path.name))
        ) from error
    except tomllib.TOMLDecodeError as error:
        raise InputError(
            Problem(f"not a valid mapping file ({error})", Location(file=path.name))
        ) from error
    columns = data.get("columns")
    if not isinstance(columns, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in columns.items()
    ):
        raise InputError(
            Problem(
                'expected a [columns] table of "HEADER" = "field" lines', Location(file=path.name)
            )
        )
    return dict(columns)


def write_mapping_file(path: Path, mapping: ColumnMapping, source_file: str) -> None:
    """Write the mapping used for a file, to reuse with `--mapping`."""
    text = (
        f"# matchready column mapping for {source_file}: header = field ('{IGNORE}' skips it)\n"
        + tomli_w.dumps({"columns": mapping.as_user_map()})
    )
    write_atomic(path, text)


__all__ = [
    "IGNORE",
    "VISA_FIELD",
    "ColumnMapping",
    "Placement",
    "check_user_map",
    "closest_field",
    "parse_map_options",
    "propose_mapping",
    "read_mapping_file",
    "write_mapping_file",
]
