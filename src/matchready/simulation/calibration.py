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

from matchready.errors import DataFileError, Location, Problem

CALIBRATION_FILE = "simulator_calibration.toml"

ASSUMED = (
    "Interviews (and ranks) per applicant in their specialty: median 3.2 for IMGs and others, "
    "the geometric mean of non-US IMGs' matched (5) and unmatched (2) median contiguous ranks "
    "(Charting Outcomes 2026, derived); median 12 for US seniors (reference §6: 10-15, "
    "assumed); log-normal spread 0.6, near Internal Medicine's log-SD of contiguous ranks "
    "(mean 6.1, median 5).",
    "Latent quality: mean shift by type 0 (US MD), -0.25 (DO), -0.5 (US IMG, non-US IMG), "
    "-0.75 (others) SD — assumed; each program ranks an interviewee with a probability by "
    "type (the rank share, fitted to the published rates).",
    "Interviews rise with quality (log-slope 0.5 per SD); programs rank every interviewee by "
    "quality + noise (SD 0.5); applicants rank by 0.6 x program prestige + noise (SD 1); "
    "interviews fall near the applicant's quality quantile (spread 0.15) — assumed.",
    "Supplemental lists of 3-8 preliminary programs (reference §6); 20% of other single "
    "applicants rank 2 preliminary programs as a backup — assumed. No reversions.",
)


@dataclass(frozen=True)
class Parameters:
    """What the generator draws from: `rank_share` is fitted (bench/calibrate_simulator.py),
    the rest are stated assumptions (ASSUMED)."""

    rank_share: tuple[float, float, float, float, float] = (0.9, 0.9, 0.5, 0.45, 0.4)
    quality_shift: tuple[float, float, float, float, float] = (0.0, -0.25, -0.5, -0.5, -0.75)
    senior_interviews: float = 12.0
    img_interviews: float = 3.2
    interview_spread: float = 0.6
    interview_slope: float = 0.5
    prestige_weight: float = 0.6
    program_noise: float = 0.5
    window: float = 0.15
    backup_share: float = 0.2
    backup_ranks: int = 2
    supplemental_min: int = 3
    supplemental_max: int = 8

    def interview_medians(self) -> tuple[float, ...]:
        """Median interviews per applicant type code (MD, DO, US IMG, non-US IMG, other)."""
        s, i = self.senior_interviews, self.img_interviews
        return (s, s, i, i, i)


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


def _problem(path: Path, message: str) -> DataFileError:
    return DataFileError(Problem(message, Location(file=str(path))))


def load_calibration(path: Path | None = None) -> Calibration:
    """The calibration shipped with matchready (or the one at `path`)."""
    where = path or Path(str(resources.files("matchready.data"))) / CALIBRATION_FILE
    try:
        raw = tomllib.loads(where.read_text(encoding="utf-8"))
        fit, params = raw["fit"], raw["parameters"]
        known = {k: v for k, v in params.items() if k in Parameters.__dataclass_fields__}
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
        )
    except FileNotFoundError:
        raise _problem(where, "the simulator's calibration file is missing") from None
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as error:
        raise _problem(where, f"bad simulator calibration: {error}") from None


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, float):
        return repr(round(value, 4))
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
    lines += ["", "[parameters]"]
    lines += [f"{k} = {_toml_value(getattr(p, k))}" for k in Parameters.__dataclass_fields__]
    return "\n".join(lines) + "\n"


def _logit(pct: float) -> float:
    p = min(max(pct / 100.0, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _expit(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def fit(
    measure: Callable[[Parameters], Sequence[float]],
    targets: Sequence[float],
    start: Parameters,
    rounds: int = 8,
    gain: float = 1.5,
    report: Callable[[int, Parameters, Sequence[float]], None] | None = None,
) -> tuple[Parameters, tuple[float, ...]]:
    """Damped fixed-point fit on the logit scale: each type's simulated rate moves its rank
    share (the chance that a program ranks an interviewee of that type) until it meets the
    published rate.

    `measure(parameters)` returns simulated PGY-1 rates per type (percent), on common seeds.
    Returns the best parameters seen (smallest largest gap) and their rates.
    """
    params = start
    best: tuple[float, Parameters, tuple[float, ...]] | None = None
    for round_ in range(rounds):
        rates = tuple(float(r) for r in measure(params))
        if report is not None:
            report(round_, params, rates)
        gap = max(abs(r - t) for r, t in zip(rates, targets, strict=True))
        if best is None or gap < best[0]:
            best = (gap, params, rates)
        shares = tuple(
            _expit(_logit(100 * share) + gain * (_logit(t) - _logit(r)))
            for share, r, t in zip(params.rank_share, rates, targets, strict=True)
        )
        params = replace(
            params, rank_share=(shares[0], shares[1], shares[2], shares[3], shares[4])
        )
    assert best is not None
    return best[1], best[2]
