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

from hebblab.checks import (
    a_real,
    all_of,
    Allowed,
    an_array,
    an_int,
    as_numbers,
    as_shown,
    check_int,
    described,
    fail,
    with_checks,
)
from hebblab.sweeps import wilson_interval

MAX_TABLES = 10**6  # the most tables with the observed margins that fisher_exact enumerates


_COUNT, _RUNS = an_int(0, 10**9), an_int(1, 10**9)  # successes, and runs (at least one)
_FRACTION = a_real(0, 1, open_low=True, open_high=True)  # a confidence, power or level
# one count per group: successes, and runs (at least one in each group)
_COUNTS, _RUN_COUNTS = an_array(1, 0, 10**9, "iu", vector=True), an_array(1, 1, 10**9, "iu",
                                                                         vector=True)


def _at_most(successes, runs):
    """A relation's part: the count ``successes`` at most the count ``runs``."""
    return lambda arguments: check_int(successes, arguments[successes], 0, arguments[runs])


def _groups(arguments):
    """The relation of :func:`all_pairs` (and of :func:`fisher_exact`, with :func:`_few_tables`):
    one count of each per group, two groups or more, each success count at most its group's
    runs."""
    successes, runs = np.asarray(arguments["successes"]), np.asarray(arguments["runs"])
    if len(successes) != len(runs) or len(runs) < 2:
        fail("successes", f"{len(successes)} groups and {len(runs)} runs",
             "two lists of equal length >= 2, one count per group")
    for g, (k, n) in enumerate(zip(successes.tolist(), runs.tolist())):
        check_int(f"successes[{g}]", k, 0, n)


def _few_tables(arguments):
    """Part of the relation of :func:`fisher_exact`: at most :data:`MAX_TABLES` tables to
    enumerate."""
    successes, groups = np.asarray(arguments["successes"]), len(arguments["runs"])
    tables = math.comb(int(successes.sum()) + groups - 1, groups - 1)
    if tables > MAX_TABLES:
        fail("successes", successes.tolist(),
             f"counts whose tables to enumerate ({tables}) are at most {MAX_TABLES}")


def _two_or_more(name, value):
    """A rule: two or more finite numbers in a row."""
    allowed = "two or more finite numbers in a row"
    array = as_numbers(name, value, None, allowed)
    if array.ndim != 1 or len(array) < 2 or not np.all(np.isfinite(array)):
        fail(name, as_shown(value, array), allowed)


described(_two_or_more, Allowed("array", -math.inf, math.inf, shape=1, vector=True))


def _compositions(total, sizes):
    """Every way to share ``total`` successes among groups of the given sizes."""
    if len(sizes) == 1:
        if total <= sizes[0]:
            yield (total,)
        return
    for first in range(max(0, total - sum(sizes[1:])), min(total, sizes[0]) + 1):
        for rest in _compositions(total - first, sizes[1:]):
            yield (first, *rest)


@with_checks(all_of(_groups, _few_tables), successes=_COUNTS, runs=_RUN_COUNTS)
def fisher_exact(successes, runs):
    """Two-sided p-value of Fisher's exact test that ``successes[g]`` of ``runs[g]``, for every
    group ``g``, come from one rate (two groups: Fisher's test; more: Freeman & Halton 1951).

    Given the margins, a table ``a`` (successes per group) has the probability
    ``P(a) = Π_g C(n_g, a_g) / C(Σn, K)`` with ``K = Σ successes``; the p-value sums ``P(a)`` over
    every table no more probable than the observed one (relative tolerance 1e-7).
    """
    k, n = [int(a) for a in successes], [int(a) for a in runs]
    K = sum(k)
    total = math.comb(sum(n), K)

    def probability(table):  # Π_g C(n_g, a_g) / C(Σn, K)
        return math.prod(math.comb(size, a) for size, a in zip(n, table)) / total

    observed = probability(k)
    p = sum(
        q for table in _compositions(K, n) if (q := probability(table)) <= observed * (1 + 1e-7)
    )
    return min(1.0, p)


@with_checks(_at_most("successes", "runs"), successes=_COUNT, runs=_RUNS, chance=a_real(0, 1))
def binomial_tail(successes, runs, chance):
    """The probability of ``successes`` or more of ``runs`` when each run succeeds with probability
    ``chance``: ``Σ_{j >= k} C(n, j) p^j (1 − p)^(n − j)``, the one-sided exact binomial test of
    "better than chance"."""
    n, k = int(runs), int(successes)
    return min(1.0,
               sum(math.comb(n, j) * chance**j * (1 - chance) ** (n - j) for j in range(k, n + 1)))


@with_checks(all_of(_at_most("k1", "n1"), _at_most("k2", "n2")), k1=_COUNT, n1=_RUNS, k2=_COUNT,
             n2=_RUNS, confidence=_FRACTION)
def rate_difference(k1, n1, k2, n2, confidence=0.95):
    """``k1/n1 − k2/n2`` with Newcombe's hybrid score interval (method 10 of Newcombe 1998), built
    from the two rates' Wilson intervals: ``(difference, low, high)``."""
    n1, n2, k1, k2, confidence = int(n1), int(n2), int(k1), int(k2), float(confidence)
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson_interval(k1, n1, confidence)
    l2, u2 = wilson_interval(k2, n2, confidence)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, low, high


@with_checks(rate=a_real(0, 1), n1=_RUNS, n2=_RUNS, power=_FRACTION, alpha=_FRACTION)
def detectable_difference(rate, n1, n2, power=0.8, alpha=0.05):
    """The smallest difference between two rates near ``rate`` that a two-sided test at level
    ``alpha`` detects with probability ``power``, with ``n1`` and ``n2`` runs (normal
    approximation): ``(z_{1−α/2} + z_power) · sqrt(rate (1 − rate) (1/n1 + 1/n2))``."""
    n1, n2, alpha, power = int(n1), int(n2), float(alpha), float(power)
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


@with_checks(values=_two_or_more, confidence=_FRACTION)
def t_interval(values, confidence=0.95):
    """The mean of ``values`` with Student's t interval, ``mean ± t_{(1+c)/2, n−1} · s/√n``:
    ``(mean, low, high)``. Needs at least two values."""
    values, confidence = np.asarray(values, dtype=float), float(confidence)
    mean, n = float(values.mean()), len(values)
    half = (
        _student_t_quantile((1 + confidence) / 2, n - 1) * float(values.std(ddof=1)) / math.sqrt(n)
    )
    return mean, mean - half, mean + half


@with_checks(n=an_int(1, 10**6))
def distinct_resamples(n):
    """How many different resamples (multisets) a bootstrap of ``n`` values can draw:
    ``C(2n−1, n)``."""
    return math.comb(2 * int(n) - 1, int(n))


@with_checks(_groups, successes=_COUNTS, runs=_RUN_COUNTS)
def all_pairs(successes, runs):
    """Fisher's test for every pair of groups: ``{(g, h): p}``, to read with the multiplicity in
    mind (``len`` of the result tests at once)."""
    k, n = [int(a) for a in successes], [int(a) for a in runs]
    return {
        (g, h): fisher_exact([k[g], k[h]], [n[g], n[h]])
        for g, h in itertools.combinations(range(len(k)), 2)
    }
