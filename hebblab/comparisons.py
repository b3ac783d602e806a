"""Comparing rates and means as the course's statistics need them, in plain Python (``math.comb``,
no scipy).

* :func:`fisher_exact`: do two (or more) rates differ? Fisher's exact test, two-sided (for more
  than two groups, the Freeman–Halton extension).
* :func:`rate_difference`: the difference of two rates with Newcombe's interval.
* :func:`detectable_difference`: the smallest difference a design with these run counts detects
  with the given power, so that "no effect" is stated with what the design could see.
* :func:`t_interval`: the mean of a few values with Student's t interval (which, unlike a
  percentile bootstrap of four values, covers as it claims when the values are roughly normal).
"""

import functools
import itertools
import math
from statistics import NormalDist

import numpy as np

from hebblab.sweeps import wilson_interval

MAX_TABLES = 10**6  # the most tables with the observed margins that fisher_exact enumerates


def _count(name, value, high=10**9):
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, np.integer))
        or not 0 <= value <= high
    ):
        raise ValueError(f"{name}={value!r}: expected an integer in [0, {high}]")
    return int(value)


def _confidence(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
        raise ValueError(f"{name}={value!r}: expected a number in (0, 1)")
    return float(value)


def _runs(name, value):
    value = _count(name, value)
    if value == 0:
        raise ValueError(f"{name}=0: expected at least one run")
    return value


def _groups(successes, runs):
    """Two lists of counts, one per group, each success count at most its group's runs."""
    if not (
        isinstance(successes, (list, tuple, np.ndarray))
        and isinstance(runs, (list, tuple, np.ndarray))
        and len(successes) == len(runs) >= 2
    ):
        raise ValueError(
            f"successes={successes!r}, runs={runs!r}: expected two lists of equal length >= 2"
        )
    n = [_count(f"runs[{g}]", value) for g, value in enumerate(runs)]
    if min(n) == 0:
        raise ValueError(f"runs={n}: expected at least one run in each group")
    k = [_count(f"successes[{g}]", value, n[g]) for g, value in enumerate(successes)]
    return k, n


def _compositions(total, sizes):
    """Every way to share ``total`` successes among groups of the given sizes."""
    if len(sizes) == 1:
        if total <= sizes[0]:
            yield (total,)
        return
    for first in range(max(0, total - sum(sizes[1:])), min(total, sizes[0]) + 1):
        for rest in _compositions(total - first, sizes[1:]):
            yield (first, *rest)


def fisher_exact(successes, runs):
    """Two-sided p-value of Fisher's exact test that ``successes[g]`` of ``runs[g]``, for every
    group ``g``, come from one rate (two groups: Fisher's test; more: Freeman & Halton 1951).

    Given the margins, a table ``a`` (successes per group) has the probability
    ``P(a) = Π_g C(n_g, a_g) / C(Σn, K)`` with ``K = Σ successes``; the p-value sums ``P(a)`` over
    every table no more probable than the observed one (relative tolerance 1e-7).
    """
    k, n = _groups(successes, runs)
    K = sum(k)
    tables = math.comb(K + len(n) - 1, len(n) - 1)
    if tables > MAX_TABLES:
        raise ValueError(f"successes={k}: {tables} tables to enumerate, more than {MAX_TABLES}")
    total = math.comb(sum(n), K)

    def probability(table):  # Π_g C(n_g, a_g) / C(Σn, K)
        return math.prod(math.comb(size, a) for size, a in zip(n, table)) / total

    observed = probability(k)
    p = sum(
        q for table in _compositions(K, n) if (q := probability(table)) <= observed * (1 + 1e-7)
    )
    return min(1.0, p)


def binomial_tail(successes, runs, chance):
    """The probability of ``successes`` or more of ``runs`` when each run succeeds with probability
    ``chance``: ``Σ_{j >= k} C(n, j) p^j (1 − p)^(n − j)``, the one-sided exact binomial test of
    "better than chance"."""
    n = _runs("runs", runs)
    k = _count("successes", successes, n)
    if isinstance(chance, bool) or not isinstance(chance, (int, float)) or not 0 <= chance <= 1:
        raise ValueError(f"chance={chance!r}: expected a number in [0, 1]")
    return min(1.0,
               sum(math.comb(n, j) * chance**j * (1 - chance) ** (n - j) for j in range(k, n + 1)))


def rate_difference(k1, n1, k2, n2, confidence=0.95):
    """``k1/n1 − k2/n2`` with Newcombe's hybrid score interval (method 10 of Newcombe 1998), built
    from the two rates' Wilson intervals: ``(difference, low, high)``."""
    n1, n2 = _runs("n1", n1), _runs("n2", n2)
    k1, k2 = _count("k1", k1, n1), _count("k2", k2, n2)
    confidence = _confidence("confidence", confidence)
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson_interval(k1, n1, confidence)
    l2, u2 = wilson_interval(k2, n2, confidence)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, low, high


def detectable_difference(rate, n1, n2, power=0.8, alpha=0.05):
    """The smallest difference between two rates near ``rate`` that a two-sided test at level
    ``alpha`` detects with probability ``power``, with ``n1`` and ``n2`` runs (normal
    approximation): ``(z_{1−α/2} + z_power) · sqrt(rate (1 − rate) (1/n1 + 1/n2))``."""
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
        raise ValueError(f"rate={rate!r}: expected a number in [0, 1]")
    n1, n2 = _runs("n1", n1), _runs("n2", n2)
    alpha, power = _confidence("alpha", alpha), _confidence("power", power)
    z = NormalDist().inv_cdf(1 - alpha / 2) + NormalDist().inv_cdf(power)
    return z * math.sqrt(rate * (1 - rate) * (1 / n1 + 1 / n2))


@functools.lru_cache(maxsize=256)
def _student_t_quantile(probability, df):
    """The ``probability`` quantile (>= 1/2) of Student's t with ``df`` degrees of freedom, by
    bisection on its CDF (the density integrated by Simpson's rule): good to about 1e-9."""
    c = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)

    def cdf(t):  # 1/2 + ∫_0^t c (1 + x²/df)^(−(df+1)/2) dx
        x = np.linspace(0.0, t, 4001)
        f = c * (1 + x * x / df) ** (-(df + 1) / 2)
        return 0.5 + (x[1] - x[0]) / 3 * (f[0] + f[-1] + 4 * f[1:-1:2].sum() + 2 * f[2:-1:2].sum())

    low, high = 0.0, 1.0
    while cdf(high) < probability:
        high *= 2
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if cdf(middle) < probability else (low, middle)
    return (low + high) / 2


def t_interval(values, confidence=0.95):
    """The mean of ``values`` with Student's t interval, ``mean ± t_{(1+c)/2, n−1} · s/√n``:
    ``(mean, low, high)``. Needs at least two values."""
    try:
        values = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"values={values!r}: expected two or more finite numbers") from None
    if values.ndim != 1 or len(values) < 2 or not np.all(np.isfinite(values)):
        raise ValueError(
            f"values of shape {values.shape}: expected two or more finite numbers in a row"
        )
    confidence = _confidence("confidence", confidence)
    mean, n = float(values.mean()), len(values)
    half = (
        _student_t_quantile((1 + confidence) / 2, n - 1) * float(values.std(ddof=1)) / math.sqrt(n)
    )
    return mean, mean - half, mean + half


def distinct_resamples(n):
    """How many different resamples (multisets) a bootstrap of ``n`` values can draw:
    ``C(2n−1, n)``."""
    return math.comb(2 * _count("n", n, 10**6) - 1, n)


def all_pairs(successes, runs):
    """Fisher's test for every pair of groups: ``{(g, h): p}``, to read with the multiplicity in
    mind (``len`` of the result tests at once)."""
    k, n = _groups(successes, runs)
    return {
        (g, h): fisher_exact([k[g], k[h]], [n[g], n[h]])
        for g, h in itertools.combinations(range(len(k)), 2)
    }
