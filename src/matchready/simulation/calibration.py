"""The generator's parameters: five fitted to the published PGY-1 match rates by applicant type,
the rest stated assumptions; stored in data/simulator_calibration.toml with how and when they
were fitted. `fit` re-fits them (bench/calibrate_simulator.py writes the file)."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from matchready.errors import DataFileError, Location, Problem

CALIBRATION_FILE = "simulator_calibration.toml"

ASSUMED = (
    "Interviews (and ranks) per applicant in their specialty: for IMGs and others the geometric "
    "mean of non-US IMGs' matched and unmatched median contiguous ranks in it (Charting "
    "Outcomes 2026, derived); median 12 for US seniors (reference §6: 10-15, assumed); "
    "log-normal spread 0.6, near Internal Medicine's log-SD of contiguous ranks (mean 6.1, "
    "median 5).",
    "Latent quality: mean shift by type 0 (US MD), -0.25 (DO), -0.5 (US IMG, non-US IMG), "
    "-0.75 (others) SD — assumed; each program ranks an interviewee with a probability by "
    "type and, for IMGs, by specialty (the rank shares, fitted to the published rates; "
    "non-US IMGs' share at preliminary programs and uncalibrated specialties is assumed).",
    "Interviews rise with quality (log-slope 0.5 per SD); programs rank every interviewee by "
    "quality + noise (SD 0.5); applicants rank by 0.6 x program prestige + noise (SD 1); "
    "interviews fall near the applicant's quality quantile (spread 0.15) — assumed.",
    "Supplemental lists of 3-8 preliminary programs (reference §6); 20% of single US seniors "
    "and others, and a fitted share of single IMGs, rank 2 preliminary programs as a backup "
    "after their specialty. No reversions.",
)


@dataclass(frozen=True)
class Parameters:
    """What the generator draws from: `rank_share` and `specialty_share` are fitted
    (bench/calibrate_simulator.py), the rest are stated assumptions (ASSUMED).

    `rank_share[t]` is the chance that a program ranks an interviewee of type t: for US MD and
    DO seniors and others at every program (fitted to their PGY-1 rates); for non-US IMGs at
    preliminary programs and in specialties left uncalibrated (assumed, not fitted);
    `specialty_share` gives non-US IMGs' share per calibrated specialty (fitted to Charting
    Outcomes). US IMGs' odds of being ranked are non-US IMGs' odds times one ratio,
    rank_share[US IMG] / rank_share[non-US IMG] on the odds scale (fitted to US IMGs' rate).
    `img_backup_share` is the share of single IMGs who rank preliminary programs after their
    specialty (fitted to non-US IMGs' PGY-1 rate); `backup_share` is everyone else's."""

    rank_share: tuple[float, float, float, float, float] = (0.9, 0.9, 0.5, 0.45, 0.4)
    specialty_share: tuple[tuple[str, float], ...] = ()
    quality_shift: tuple[float, float, float, float, float] = (0.0, -0.25, -0.5, -0.5, -0.75)
    senior_interviews: float = 12.0
    interview_spread: float = 0.6
    interview_slope: float = 0.5
    prestige_weight: float = 0.6
    program_noise: float = 0.5
    window: float = 0.15
    backup_share: float = 0.2
    img_backup_share: float = 0.2
    backup_ranks: int = 2
    supplemental_min: int = 3
    supplemental_max: int = 8

    def shares(self, specialties: Sequence[str]) -> npt.NDArray[np.float64]:
        """The rank share of each applicant type (rows, type codes) at the programs of each
        specialty (columns, `specialties` in the layout's order, PRELIM last)."""
        own = dict(self.specialty_share)
        table = np.repeat(
            np.asarray(self.rank_share, dtype=np.float64)[:, None], len(specialties), 1
        )
        non_us = np.array([own.get(code, self.rank_share[3]) for code in specialties])
        table[3] = non_us
        ratio = _logit(100 * self.rank_share[2]) - _logit(100 * self.rank_share[3])
        logit = np.log(non_us / (1 - non_us)) + ratio
        table[2] = 1 / (1 + np.exp(-logit))
        return table


@dataclass(frozen=True)
class Calibration:
    """Fitted parameters with their provenance and the fit's result."""

    parameters: Parameters
    fitted_on: str
    method: str
    match_year: int
    scale: float
    seeds: tuple[int, ...]
    published: tuple[float, ...]
    simulated: tuple[float, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    specialties: tuple[SpecialtyFit, ...] = ()

    def specialty(self, code: str) -> SpecialtyFit | None:
        return next((s for s in self.specialties if s.code == code.strip().upper()), None)


@dataclass(frozen=True)
class SpecialtyFit:
    """One specialty's calibration: Charting Outcomes' non-US IMG rate (matched to it / ranked
    it first) against the fitted market's, and the odds model's and the simulator's P(match)
    for an applicant at the specialty's published figures (the agreement check)."""

    code: str
    published: float  # percent
    simulated: float  # percent (mean over the fit's seeds)
    status: str  # "calibrated", or why not
    odds_model: float | None = None  # percent, the median applicant, from domain/odds
    simulator: float | None = None  # percent, the same applicant inserted in the market
    tolerance: float | None = None  # points: the stated agreement tolerance
    odds_low: float | None = None  # percent: the odds model's 90% interval
    odds_high: float | None = None

    @property
    def calibrated(self) -> bool:
        return self.status == "calibrated"

    @property
    def agrees(self) -> bool | None:
        """Inside the odds model's interval or within the tolerance (None: not measured)."""
        if self.odds_model is None or self.simulator is None or self.tolerance is None:
            return None
        inside = (
            self.odds_low is not None
            and self.odds_high is not None
            and self.odds_low <= self.simulator <= self.odds_high
        )
        return inside or abs(self.simulator - self.odds_model) <= self.tolerance


def _problem(path: Path, message: str) -> DataFileError:
    return DataFileError(Problem(message, Location(file=str(path))))


def load_calibration(path: Path | None = None) -> Calibration:
    """The calibration shipped with matchready (or the one at `path`)."""
    where = path or Path(str(resources.files("matchready.data"))) / CALIBRATION_FILE
    try:
        raw = tomllib.loads(where.read_text(encoding="utf-8"))
        fit, params = raw["fit"], raw["parameters"]
        known = {k: v for k, v in params.items() if k in Parameters.__dataclass_fields__}
        if "specialty_share" in known:
            known["specialty_share"] = tuple(
                (str(code), float(share)) for code, share in dict(known["specialty_share"]).items()
            )
        for name in ("quality_shift", "rank_share"):
            if name in known:
                values = tuple(float(x) for x in known[name])
                if len(values) != 5:
                    raise ValueError(f"{name} needs 5 values (MD, DO, US IMG, non-US IMG, other)")
                known[name] = values
        parameters = Parameters(**known)
        return Calibration(
            parameters=parameters,
            fitted_on=str(fit["fitted_on"]),
            method=str(fit["method"]),
            match_year=int(fit["match_year"]),
            scale=float(fit["scale"]),
            seeds=tuple(int(s) for s in fit["seeds"]),
            published=tuple(float(x) for x in fit["published"]),
            simulated=tuple(float(x) for x in fit["simulated"]),
            notes=tuple(str(x) for x in fit.get("notes", ())),
            specialties=_specialties(raw.get("specialties", {})),
        )
    except FileNotFoundError:
        raise _problem(where, "the simulator's calibration file is missing") from None
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as error:
        raise _problem(where, f"bad simulator calibration: {error}") from None


SPECIALTY_COLUMNS = (
    "published",
    "simulated",
    "status",
    "odds_model",
    "simulator",
    "tolerance",
    "odds_low",
    "odds_high",
)


def _specialties(raw: dict[str, Any]) -> tuple[SpecialtyFit, ...]:
    """The [specialties] table: `codes` and one equally long array per column (NaN: none)."""
    codes = [str(c) for c in raw.get("codes", [])]
    columns = {name: list(raw.get(name, [None] * len(codes))) for name in SPECIALTY_COLUMNS}
    if any(len(values) != len(codes) for values in columns.values()):
        raise ValueError("every [specialties] array needs one value per code")

    def number(value: Any) -> float | None:
        return None if value is None or math.isnan(float(value)) else float(value)

    return tuple(
        SpecialtyFit(
            code=code,
            published=float(columns["published"][i]),
            simulated=float(columns["simulated"][i]),
            status=str(columns["status"][i]),
            odds_model=number(columns["odds_model"][i]),
            simulator=number(columns["simulator"][i]),
            tolerance=number(columns["tolerance"][i]),
            odds_low=number(columns["odds_low"][i]),
            odds_high=number(columns["odds_high"][i]),
        )
        for i, code in enumerate(codes)
    )


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else repr(round(value, 4))
    return str(value)


def dump_calibration(calibration: Calibration) -> str:
    """The calibration as the TOML text of the data file."""
    p = calibration.parameters
    lines = [
        "# The market simulator's fitted parameters (matchready.simulation.calibration).",
        "# Written by bench/calibrate_simulator.py; do not edit by hand: re-run it.",
        "",
        "[fit]",
    ]
    fit = {
        "fitted_on": calibration.fitted_on,
        "method": calibration.method,
        "match_year": calibration.match_year,
        "scale": calibration.scale,
        "seeds": list(calibration.seeds),
        "types": ["us_md_senior", "do_senior", "us_img", "non_us_img", "other"],
        "published": list(calibration.published),
        "simulated": list(calibration.simulated),
        "notes": list(calibration.notes),
    }
    lines += [f"{k} = {_toml_value(v)}" for k, v in fit.items()]
    if calibration.specialties:
        lines += ["", "[specialties]", "# non-US IMGs who ranked the specialty first, percent"]
        rows = calibration.specialties
        lines.append(f"codes = {_toml_value([r.code for r in rows])}")
        for name in SPECIALTY_COLUMNS:
            values = [getattr(r, name) for r in rows]
            values = [math.nan if v is None else v for v in values]
            lines.append(f"{name} = {_toml_value(values)}")
    lines += ["", "[parameters]"]
    for k in Parameters.__dataclass_fields__:
        value = getattr(p, k)
        if k == "specialty_share":
            shown = ", ".join(f"{code} = {_toml_value(share)}" for code, share in value)
            lines.append(f"{k} = {{ {shown} }}")
        else:
            lines.append(f"{k} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def _logit(pct: float) -> float:
    p = min(max(pct / 100.0, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _expit(x: float) -> float:
    return 1 / (1 + math.exp(-x))


@dataclass(frozen=True)
class Measured:
    """Simulated rates on common seeds: PGY-1 by type, and non-US IMGs matched to the
    specialty they ranked first, by specialty code (percent)."""

    types: tuple[float, ...]
    specialties: dict[str, float]


def _moved(share: float, simulated: float, target: float, gain: float) -> float:
    return _expit(_logit(100 * share) + gain * (_logit(target) - _logit(simulated)))


def fit(
    measure: Callable[[Parameters], Measured],
    targets: Sequence[float],
    specialty_targets: dict[str, float],
    start: Parameters,
    rounds: int = 8,
    gain: float = 1.5,
    report: Callable[[int, Parameters, Measured], None] | None = None,
    average_last: int = 0,
) -> tuple[Parameters, Measured]:
    """Damped fixed-point fit on the logit scale: US MD, DO, US IMG and other applicants'
    simulated PGY-1 rates move their rank share (the chance that a program ranks an
    interviewee; US IMGs': the ratio to non-US IMGs'), non-US IMGs' rate moves the share of IMGs
    with backup preliminary programs, and each calibrated specialty's non-US IMG rate moves that
    specialty's share, until they meet the published rates.

    `measure(parameters)` runs the market on common seeds. Returns the best parameters seen
    (smallest largest gap in points, types and specialties alike) and their rates; with
    `average_last` = K, the logit-scale mean of the last K rounds' parameters instead (small
    specialties' rates are noisy, so one round's best is partly luck) and the mean of their
    rates (an approximation: the bench re-measures on other seeds).
    """
    history: list[tuple[Parameters, Measured]] = []
    params = start
    own = dict(start.specialty_share)
    pooled = start.rank_share[3]
    params = replace(
        params,
        specialty_share=tuple((c, own.get(c, pooled)) for c in specialty_targets),
    )
    best: tuple[float, Parameters, Measured] | None = None
    for round_ in range(rounds):
        measured = measure(params)
        if report is not None:
            report(round_, params, measured)
        gaps = [abs(r - t) for r, t in zip(measured.types, targets, strict=True)]
        gaps += [abs(measured.specialties[c] - t) for c, t in specialty_targets.items()]
        if best is None or max(gaps) < best[0]:
            best = (max(gaps), params, measured)
        history.append((params, measured))
        shares = tuple(
            _moved(share, r, t, gain) if kind != 3 else share
            for kind, (share, r, t) in enumerate(
                zip(params.rank_share, measured.types, targets, strict=True)
            )
        )
        backup = _moved(params.img_backup_share, measured.types[3], targets[3], gain)
        specialty = tuple(
            (code, _moved(share, measured.specialties[code], specialty_targets[code], gain))
            for code, share in params.specialty_share
        )
        params = replace(
            params,
            rank_share=(shares[0], shares[1], shares[2], shares[3], shares[4]),
            specialty_share=specialty,
            img_backup_share=backup,
        )
    assert best is not None
    if average_last > 0:
        return _average(history[-average_last:])
    return best[1], best[2]


def _average(rounds: Sequence[tuple[Parameters, Measured]]) -> tuple[Parameters, Measured]:
    def mean_share(values: Sequence[float]) -> float:
        return _expit(sum(_logit(100 * v) for v in values) / len(values))

    first = rounds[0][0]
    shares = tuple(mean_share([p.rank_share[i] for p, _ in rounds]) for i in range(5))
    specialty = tuple(
        (code, mean_share([dict(p.specialty_share)[code] for p, _ in rounds]))
        for code, _ in first.specialty_share
    )
    params = replace(
        first,
        rank_share=(shares[0], shares[1], shares[2], shares[3], shares[4]),
        specialty_share=specialty,
        img_backup_share=mean_share([p.img_backup_share for p, _ in rounds]),
    )
    measured = Measured(
        types=tuple(float(np.mean([m.types[i] for _, m in rounds])) for i in range(5)),
        specialties={
            code: float(np.mean([m.specialties[code] for _, m in rounds]))
            for code in rounds[0][1].specialties
        },
    )
    return params, measured
