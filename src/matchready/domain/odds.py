"""A transparent model of P(match) for one applicant in one specialty, from published figures.

The model is Bayes' rule on NRMP's matched / not-matched summaries (Charting Outcomes, non-US
IMGs): the prior is the specialty's published match rate p; each piece of evidence multiplies
the odds by a likelihood ratio between the matched and the not-matched cohort:

    logit P(match | x) = logit(p) + LR_step2(x) + LR_ranks(k) [+ log OR_type]

- Step 2 CK: normal densities with the cohorts' means and a common SD sigma, so
  LR_step2(x) = (mu_M - mu_U) (x - (mu_M + mu_U) / 2) / sigma^2.
- Contiguous ranks: log-normal counts; each cohort's log-median is ln(median) and its log-SD
  follows from the published mean and median (mean / median = exp(s^2 / 2)), so with a common s
  LR_ranks(k) = (m_M - m_U) (ln k - (m_M + m_U) / 2) / s^2. (A Poisson fit, tried first, is far
  too sharp: the published counts are strongly over-dispersed.)
- A slope is clamped at zero where the matched cohort is not higher (e.g. Family Medicine's
  Step 2 CK), so a higher score or a longer list never lowers the estimate.
- The two pieces are assumed independent given the outcome (naive Bayes).
Averaged over the published cohorts, the model returns the published rate exactly (a test checks
this). Uncertainty comes from drawing the parameters (binomial rate, cohort means, sigma in its
published range) with a fixed seed; the same draws serve every what-if, so what-ifs are
comparable. Where the figures are not published, the estimate is refused with the reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]

MIN_MATCHED = 10  # fewer matched applicants than this: too few to estimate
MAX_RANKS = 300
"""The most programs one rank order list may hold (NRMP; reference: domain-facts, fees)."""
STEP2CK_MIN, STEP2CK_MAX = 1, 300
"""The USMLE three-digit score scale (the profile's Step 2 CK field has the same bounds)."""


@dataclass(frozen=True)
class Cohorts:
    """The published figures the model needs for one specialty (point values and sizes)."""

    matched: int
    preferred: int
    step2_matched: float
    step2_unmatched: float
    ranks_matched_median: float
    ranks_unmatched_median: float
    ranks_log_sd: float
    sd_low: float
    sd_high: float

    @property
    def rate(self) -> float:
        return self.matched / self.preferred


@dataclass(frozen=True)
class Draws:
    """Parameter draws: one row per draw (arrays of equal length)."""

    rate: Array
    step2_matched: Array
    step2_unmatched: Array
    sd: Array
    ranks_matched: Array  # log-medians
    ranks_unmatched: Array
    ranks_sd: Array


def point(cohorts: Cohorts) -> Draws:
    """The point estimate as a single 'draw' (sigma in the middle of its range)."""
    one = np.ones(1)
    return Draws(
        rate=one * cohorts.rate,
        step2_matched=one * cohorts.step2_matched,
        step2_unmatched=one * cohorts.step2_unmatched,
        sd=one * (cohorts.sd_low + cohorts.sd_high) / 2,
        ranks_matched=one * math.log(cohorts.ranks_matched_median),
        ranks_unmatched=one * math.log(cohorts.ranks_unmatched_median),
        ranks_sd=one * cohorts.ranks_log_sd,
    )


def draw(cohorts: Cohorts, n: int, seed: int) -> Draws:
    """`n` parameter draws reflecting the sampling error of the published figures."""
    rng = np.random.default_rng(seed)
    unmatched = cohorts.preferred - cohorts.matched
    sd = rng.uniform(cohorts.sd_low, cohorts.sd_high, n)
    return Draws(
        rate=rng.beta(cohorts.matched + 1, unmatched + 1, n),
        step2_matched=rng.normal(cohorts.step2_matched, sd / np.sqrt(cohorts.matched)),
        step2_unmatched=rng.normal(cohorts.step2_unmatched, sd / np.sqrt(unmatched)),
        sd=sd,
        ranks_matched=rng.normal(
            math.log(cohorts.ranks_matched_median),
            cohorts.ranks_log_sd / math.sqrt(cohorts.matched),
            n,
        ),
        ranks_unmatched=rng.normal(
            math.log(cohorts.ranks_unmatched_median),
            cohorts.ranks_log_sd / math.sqrt(unmatched),
            n,
        ),
        ranks_sd=np.full(n, cohorts.ranks_log_sd),
    )


def step2_log_ratio(draws: Draws, score: float | Array) -> Array:
    """Log likelihood ratio of a Step 2 CK score (zero where matched are not higher)."""
    gap = np.maximum(draws.step2_matched - draws.step2_unmatched, 0.0)
    middle = (draws.step2_matched + draws.step2_unmatched) / 2
    result: Array = gap * (score - middle) / draws.sd**2
    return result


def ranks_log_ratio(draws: Draws, ranks: float | Array) -> Array:
    """Log likelihood ratio of ranking `ranks` >= 1 programs (zero where not separating)."""
    gap = np.maximum(draws.ranks_matched - draws.ranks_unmatched, 0.0)
    middle = (draws.ranks_matched + draws.ranks_unmatched) / 2
    result: Array = gap * (np.log(ranks) - middle) / draws.ranks_sd**2
    return result


def log_sd(median: float, mean: float | None) -> float | None:
    """The log-normal SD implied by a median and a mean (None when the mean does not exceed
    the median, or is not published)."""
    if mean is None or mean <= median:
        return None
    return math.sqrt(2 * math.log(mean / median))


def probability(
    draws: Draws,
    score: float | None,
    ranks: float | None,
    log_odds_shift: float = 0.0,
) -> Array:
    """P(match) for every draw, given what is known (None: that evidence is left out).
    Ranking no program gives no chance of matching."""
    if ranks is not None and ranks < 1:
        return np.zeros_like(draws.rate)
    logit = _prior_logit(draws) + log_odds_shift
    if score is not None:
        logit = logit + step2_log_ratio(draws, score)
    if ranks is not None:
        logit = logit + ranks_log_ratio(draws, ranks)
    return _logistic(logit)


def probability_of(draws: Draws, scores: Array, ranks: Array) -> Array:
    """P(match) of many applicants (Step 2 CK `scores`, `ranks` >= 1) under one draw."""
    logit = _prior_logit(draws) + step2_log_ratio(draws, scores) + ranks_log_ratio(draws, ranks)
    return _logistic(logit)


def _prior_logit(draws: Draws) -> Array:
    result: Array = np.log(draws.rate / (1 - draws.rate))
    return result


def _logistic(logit: Array) -> Array:
    result: Array = 1 / (1 + np.exp(-logit))
    return result


def summarise(values: Array, level: float = 0.9) -> tuple[float, float, float]:
    """Median and the central `level` interval of the draws."""
    tail = (1 - level) / 2
    low, mid, high = np.quantile(values, [tail, 0.5, 1 - tail])
    return float(mid), float(low), float(high)
