"""The rules that make Hebb's rule stable and selective (notebook 08), and the workshop's
one-to-one task asked again of each.

* Oja (1982): ``Δw = ε y (x − y w)`` with ``y = w·x``; ``w`` tends to the principal eigenvector of
  the input's correlation matrix ``C = ⟨x xᵀ⟩``, with unit norm.
* BCM, Bienenstock, Cooper & Munro (1982): ``Δw = ε x y (y − θ)`` with a threshold that slides
  towards ``⟨y²⟩``; for patterns ``x_k`` shown with probabilities ``p_k`` the stable fixed points
  answer one pattern with ``y = 1/p_k`` and every other with 0 (selectivity).
* Competitive learning, Rumelhart & Zipser (1985): the ``k`` units with the largest input win
  (k-winners-take-all) and move their weights towards the normalised input, ``Δw_j = ε (x/Σx −
  w_j)``, which keeps ``Σ_i w_ji = 1``.
* Kohonen's self-organising map (1982): the unit nearest the input wins and it *and its neighbours
  on a sheet* move towards the input, ``Δw_j = ε h(j, winner) (x − w_j)``, ``h = exp(−d²/2σ²)``.

Then :func:`selective_map_sweep` puts each rule in the hidden layer of the workshop's network
(``N`` one-hot inputs, ``N`` hidden units, ``N`` outputs, an E/I allotment as in ``hebb_core``) and
asks whether it learns the map.

Dayan & Abbott (2001), Theoretical Neuroscience, ch. 8, derive the first three; the numbers here
are readable numpy; the one-to-one task's training also has a compiled twin
(``hebblab.kernels.train_selective``, the same networks to the last bit), which its sweeps use."""

import itertools
import math

import numpy as np
import pandas as pd

import hebb_core as hc
from hebb_core import A_SEED
from hebblab.checks import (
    a_generator,
    a_real,
    all_of,
    Allowed,
    allowed_by,
    an_int,
    as_numbers,
    as_shown,
    check_int,
    described,
    fail,
    length,
    MAX_NUMBERS,
    non_empty_numbers,
    non_negative_inputs,
    one_of,
    one_per,
    or_none,
    with_checks,
)
from hebblab.kernels import train_selective

#: The selective rules that :func:`train_selective_map` puts in the workshop's hidden layer.
SELECTIVE_RULES = ("oja", "bcm", "competitive")

#: The default settings of the one-to-one task (notebook 08): learning rate, threshold rate (BCM),
# epochs.
SELECTIVE_TASK = dict(epsilon=0.05, theta_rate=0.1, epochs=1000)


# ── The rules of their arguments (``hebblab.checks.with_checks``) ────────────────────────────────

def _a_probability_list(name, value):
    """A rule: 1 to 12 probabilities ``> 0`` that sum to 1, one per pattern."""
    allowed = "1 to 12 numbers > 0 that sum to 1"
    p = as_numbers(name, value, None, allowed)
    if p.ndim != 1 or not 1 <= len(p) <= 12 or not np.all(np.isfinite(p) & (p > 0)) \
            or not math.isclose(p.sum(), 1.0):
        fail(name, as_shown(value, p), allowed)


def _two_widths(name, value):
    """A rule: the neighbourhood's first and last width, ``(first, last)``, each in
    ``(0, 1000]``."""
    allowed = "two widths (first, last), each in (0, 1000]"
    widths = as_numbers(name, value, (2,), allowed)
    if not np.all(np.isfinite(widths) & (widths > 0) & (widths <= 1e3)):
        fail(name, as_shown(value, widths), allowed)


def _a_rule_list(name, value):
    """A rule: a non-empty list (or tuple) of :data:`SELECTIVE_RULES`."""
    if not isinstance(value, (tuple, list)) or not value or not all(
            isinstance(rule, str) and rule in SELECTIVE_RULES for rule in value):
        fail(name, as_shown(value), f"a non-empty list of rules from {SELECTIVE_RULES}")


described(_a_probability_list, Allowed("array", 0, 1, shape=1, vector=True))
described(_two_widths, Allowed("array", 0, 1e3, shape=(2,)))


def _symmetric(name, value):
    """A rule: a _symmetric square matrix of :func:`numbers`."""
    _MATRIX(name, value)
    array = np.asarray(value, dtype=float)
    if array.shape[0] != array.shape[1] or not np.allclose(array, array.T):
        fail(name, as_shown(value, array), "a _symmetric square matrix of finite numbers")


_VECTOR, _MATRIX = non_empty_numbers(1), non_empty_numbers(2)
described(_symmetric, allowed_by(_MATRIX))
_EPSILON = a_real(0, 1, open_low=True)  # a learning rate, in (0, 1]
_THETA = a_real()  # a threshold, of either sign


# ── Oja's rule ───────────────────────────────────────────────────────────────────────────────────


@with_checks(one_per("x", "weight", length("w")), w=_VECTOR, x=_VECTOR, epsilon=_EPSILON)
def oja_step(w, x, epsilon):
    """One step of Oja's rule: ``y = w·x``, ``w + ε y (x − y w)``; returns the new ``w``."""
    return _oja_change(np.asarray(w, float), np.asarray(x, float), epsilon)


def _oja_change(w, x, epsilon):
    """:func:`oja_step` on float arrays, unchecked (the training loops' step)."""
    y = w @ x
    return w + epsilon * y * (x - y * w)  # Δw = ε y (x − y w)


@with_checks(one_per("w0", "input", length("samples")), samples=_MATRIX, w0=_VECTOR,
             epsilon=_EPSILON)
def train_oja(samples, w0, epsilon=0.01):
    """Oja's rule over the rows of ``samples`` (shape ``(T, d)``) from ``w0``: the weights after
    every step, shape ``(T + 1, d)``."""
    w = np.array(w0, dtype=float)
    history = [w]
    for x in np.asarray(samples, dtype=float):
        w = _oja_change(w, x, epsilon)
        history.append(w)
    return np.array(history)


@with_checks(lambda a: check_int("samples", a["samples"], 1,
                                 MAX_NUMBERS // len(a["covariance"])),
             covariance=_symmetric, samples=an_int(1, MAX_NUMBERS), rng=a_generator)
def gaussian_inputs(covariance, samples, rng):
    """``samples`` draws of a zero-mean Gaussian input with the given covariance, shape ``(samples,
    d)``."""
    covariance = np.asarray(covariance, dtype=float)
    return rng.multivariate_normal(np.zeros(len(covariance)), covariance, size=samples)


@with_checks(correlation=_symmetric)
def principal_component(correlation):
    """The eigenvector of the largest eigenvalue of a _symmetric ``correlation`` matrix (numpy's
    ``eigh``), unit norm, its sign chosen so that its largest entry in size is positive; returns
    ``(vector, eigenvalue)``."""
    values, vectors = np.linalg.eigh(np.asarray(correlation, dtype=float))
    vector = vectors[:, -1]
    return vector * np.sign(vector[np.argmax(np.abs(vector))]), float(values[-1])


# ── BCM ──────────────────────────────────────────────────────────────────────────────────────────


@with_checks(one_per("x", "weight", length("w")), w=_VECTOR, theta=_THETA, x=_VECTOR,
             epsilon=_EPSILON, theta_rate=_EPSILON)
def bcm_step(w, theta, x, epsilon, theta_rate):
    """One step of BCM with a sliding threshold: ``y = w·x``, ``w + ε x y (y − θ)``, ``θ + η (y² −
    θ)``; returns ``(w, theta, y)``."""
    return _bcm_change(np.asarray(w, float), float(theta), np.asarray(x, float), epsilon,
                      theta_rate)


def _bcm_change(w, theta, x, epsilon, theta_rate):
    """:func:`bcm_step` on float arrays, unchecked (the training loops' step)."""
    y = w @ x
    w = w + epsilon * x * y * (y - theta)  # Δw = ε x y (y − θ)
    theta = theta + theta_rate * (y * y - theta)  # θ slides towards ⟨y²⟩
    return w, theta, y


@with_checks(all_of(one_per("probabilities", "pattern", length("patterns", 0)),
                    one_per("w0", "input", length("patterns")),
                    lambda arguments: a_generator("rng", arguments["rng"])),  # None too
             patterns=_MATRIX, probabilities=_a_probability_list, w0=_VECTOR, epsilon=_EPSILON,
             theta_rate=_EPSILON, steps=an_int(1, MAX_NUMBERS), rng=a_generator, theta0=_THETA)
def train_bcm(
    patterns, probabilities, w0, epsilon=0.01, theta_rate=0.1, steps=20000, rng=None, theta0=0.0
):
    """BCM over ``steps`` presentations, each pattern (row of ``patterns``) drawn with its
    probability from ``rng``. Returns ``(responses, thetas)``: the responses to every pattern after
    every step, shape ``(steps + 1, K)``, and the threshold, shape ``(steps + 1,)``."""
    patterns = np.asarray(patterns, dtype=float)
    w, theta = np.array(w0, dtype=float), float(theta0)
    shown = rng.choice(len(patterns), size=steps, p=np.asarray(probabilities, dtype=float))
    responses, thetas = [patterns @ w], [theta]
    for k in shown:
        w, theta, _ = _bcm_change(w, theta, patterns[k], epsilon, theta_rate)
        responses.append(patterns @ w)
        thetas.append(theta)
    return np.array(responses), np.array(thetas)


@with_checks(probabilities=_a_probability_list)
def bcm_fixed_points(probabilities):
    """The fixed points of BCM's averaged dynamics for linearly independent patterns shown with
    probabilities ``p_k``, as responses ``y`` to each pattern (rows): every ``y_k`` is 0 or ``θ = Σ
    p_k y_k²``, so a point with the set ``S`` of answered patterns has ``y_k = 1 / Σ_{j∈S} p_j``
    for ``k ∈ S``. The selective ones (``|S| = 1``, ``y_k = 1/p_k``) are stable; the others are
    not. Returns ``(responses, selective)``, one row per non-empty ``S``, plus the all-zero point
    first."""
    p = np.asarray(probabilities, dtype=float)
    rows, selective = [np.zeros(len(p))], [False]
    for size in range(1, len(p) + 1):
        for subset in itertools.combinations(range(len(p)), size):
            y = np.zeros(len(p))
            y[list(subset)] = 1.0 / p[list(subset)].sum()
            rows.append(y)
            selective.append(size == 1)
    return np.array(rows), np.array(selective)


# ── Competitive learning and Kohonen's map ───────────────────────────────────────────────────────


def _winners_among(count, name="k"):
    """A relation's part: ``k`` (``name``) an integer in ``[1, count(arguments)]``, the units."""
    return lambda arguments: check_int(name, arguments[name], 1, count(arguments))


@with_checks(_winners_among(length("field")), field=non_empty_numbers(), k=an_int(1, MAX_NUMBERS))
def k_winners(field, k):
    """The ``k`` units with the largest field (ties: the lower index wins), as a 0/1 array like
    ``field``."""
    return _winners(np.asarray(field, dtype=float), k)


def _winners(field, k):
    """:func:`k_winners` of a float array, unchecked."""
    order = np.argsort(-field, axis=-1, kind="stable")
    states = np.zeros_like(field)
    np.put_along_axis(states, order[..., :k], 1.0, axis=-1)
    return states


@with_checks(all_of(one_per("x", "weight of a unit", length("W")),
                    _winners_among(length("W", 0))),
             W=_MATRIX, x=non_negative_inputs(1), epsilon=_EPSILON, k=an_int(1, MAX_NUMBERS))
def competitive_step(W, x, epsilon, k=1):
    """One step of competitive learning: the ``k`` units with the largest ``W x`` win (k-WTA) and
    move towards the normalised input, ``w_j + ε (x/Σx − w_j)``; ``W`` has one row per unit.
    Returns ``(W, winners)``."""
    return _competitive_change(np.asarray(W, float), np.asarray(x, float), epsilon, k)


def _competitive_change(W, x, epsilon, k):
    """:func:`competitive_step` on float arrays, unchecked (the training loop's step)."""
    chosen = _winners(W @ x, k)
    W = W + epsilon * chosen[:, None] * (x / x.sum() - W)  # Δw_j = ε (x/Σx − w_j), winners j
    return W, chosen


@with_checks(all_of(one_per("W0", "input", length("samples")),
                    _winners_among(length("W0", 0))),
             samples=non_negative_inputs(2), W0=_MATRIX, epsilon=_EPSILON,
             k=an_int(1, MAX_NUMBERS))
def train_competitive(samples, W0, epsilon=0.05, k=1):
    """Competitive learning over the rows of ``samples`` (non-negative, each with a positive sum)
    from ``W0`` (``(units, d)``). Returns ``(W, winners)``: the final weights and, per sample, the
    index of its first winner."""
    W = np.array(W0, dtype=float)
    first = []
    for x in np.asarray(samples, dtype=float):
        W, chosen = _competitive_change(W, x, epsilon, k)
        first.append(int(np.argmax(chosen)))
    return W, np.array(first)


_SIGMA = a_real(0, 1e3, open_low=True)  # a neighbourhood's width


@with_checks(all_of(one_per("x", "weight of a unit", length("W")),
                    one_per("positions", "unit", length("W", 0), axis=0)),
             W=_MATRIX, x=_VECTOR, epsilon=_EPSILON, sigma=_SIGMA, positions=_MATRIX)
def kohonen_step(W, x, epsilon, sigma, positions):
    """One step of Kohonen's map: the unit whose weights are nearest ``x`` wins; every unit ``j``
    moves towards ``x`` by ``ε h_j``, ``h_j = exp(−d_j²/2σ²)`` with ``d_j`` its distance to the
    winner on the sheet (``positions``, one row per unit). Returns ``(W, winner)``."""
    return _kohonen_change(np.asarray(W, float), np.asarray(x, float), epsilon, sigma,
                          np.asarray(positions, float))


def _kohonen_change(W, x, epsilon, sigma, positions):
    """:func:`kohonen_step` on float arrays, unchecked (the training loop's step)."""
    winner = int(np.argmin(((W - x) ** 2).sum(axis=1)))
    d2 = ((positions - positions[winner]) ** 2).sum(axis=1)
    h = np.exp(-d2 / (2 * sigma**2))
    return W + epsilon * h[:, None] * (x - W), winner  # Δw_j = ε h(j, winner) (x − w_j)


@with_checks(all_of(one_per("W0", "input", length("samples")),
                    one_per("positions", "unit", length("W0", 0), axis=0)),
             samples=_MATRIX, W0=_MATRIX, positions=_MATRIX, epsilon=_EPSILON, sigmas=_two_widths)
def train_kohonen(samples, W0, positions, epsilon=0.1, sigmas=(3.0, 0.5)):
    """Kohonen's map over the rows of ``samples`` from ``W0``, the neighbourhood's width shrinking
    geometrically from ``sigmas[0]`` to ``sigmas[1]``. Returns the weights after every step, shape
    ``(T + 1, units, d)``."""
    samples, positions = np.asarray(samples, dtype=float), np.asarray(positions, dtype=float)
    W = np.array(W0, dtype=float)
    first, last = float(sigmas[0]), float(sigmas[1])
    widths = first * (last / first) ** (np.arange(len(samples)) / max(len(samples) - 1, 1))
    history = [W]
    for x, sigma in zip(samples, widths):
        W, _ = _kohonen_change(W, x, epsilon, sigma, positions)
        history.append(W)
    return np.array(history)


@with_checks(values=_VECTOR)
def chain_is_ordered(values):
    """``True`` when the values along a chain of units rise or fall monotonically (a 1-d map in
    order)."""
    steps = np.diff(np.asarray(values, dtype=float))
    return bool(np.all(steps > 0) or np.all(steps < 0))


# ── The workshop's one-to-one task, asked of each rule ───────────────────────────────────────────


def _draw_networks(N, M, excitatory_count, runs, seed):
    """Per run, from ``default_rng([seed, run])`` as in ``hebb_core.draw_run``: the allotment of
    the ``N + M`` typed neurons (inputs, then hidden), the workshop's initial weights, and the
    target permutation."""
    params = hc.Params(L=3, N=N, M=M)
    types, W0, W1, mappings = [], [], [], []
    for run in range(runs):
        rng = np.random.default_rng([seed, run])
        t = hc.allot_types(params.P, excitatory_count, "random", rng)
        weights = hc.initialize_weights(params, t, rng)
        types.append(t)
        W0.append(weights[0])
        W1.append(weights[1])
        mappings.append(rng.permutation(N))
    return np.array(types), np.array(W0), np.array(W1), np.array(mappings)


def _some_excitatory(arguments):
    """The relation of :func:`train_selective_map`: ``excitatory_count`` in ``[0, N + M]``, the
    typed neurons."""
    N, M = arguments["N"], arguments["M"]
    check_int("excitatory_count", arguments["excitatory_count"], 0, N + (N if M is None else M))


#: The rules of the one-to-one task's arguments (notebook 08).
_TASK_RULES = dict(rule=one_of(*SELECTIVE_RULES), N=an_int(2, 8), M=or_none(an_int(1, 64)),
                  runs=an_int(1, 100_000), seed=A_SEED, epsilon=_EPSILON, theta_rate=_EPSILON,
                  epochs=an_int(1, 100_000))


#: How :func:`train_selective_map` trains: a compiled loop, or numpy step by step (slower; the same
#: networks to the last bit).
SELECTIVE_ENGINES = ("compiled", "readable")


@with_checks(_some_excitatory, excitatory_count=an_int(0, 8 + 64),
             engine=one_of(*SELECTIVE_ENGINES), **_TASK_RULES)
def train_selective_map(
    rule,
    N=4,
    excitatory_count=4,
    runs=100,
    seed=0,
    M=None,
    epsilon=SELECTIVE_TASK["epsilon"],
    theta_rate=SELECTIVE_TASK["theta_rate"],
    epochs=SELECTIVE_TASK["epochs"],
    engine="compiled",
):
    """Train ``runs`` networks of the workshop's shape (``N`` inputs, ``M`` hidden units (default
    ``N``), ``N`` outputs; ``e`` of the ``N + M`` typed neurons excitatory, allotted at random) on
    a random one-to-one map, ``rule`` in the hidden layer. Returns a dict of arrays over runs:
    ``types``, ``mapping``, ``W0``, ``W1``, ``hidden`` (the hidden rates for every input, ``(runs,
    N, N)``), ``answers`` (argmax read-out, −1 for a tie), ``learnt``.

    Input ``i`` drives hidden unit ``b`` with ``u_b = W0[i, b]``; the presynaptic activity the
    rules see is the input's signed output ``s = type(i)·e_i`` (so an inhibitory input, as in the
    workshop's rule, pushes its weights negative).

    * ``oja``: rate ``y = max(u, 0)``; ``ΔW0[:, b] = ε y_b (s − y_b W0[:, b])``.
    * ``bcm``: ``y = max(u, 0)``; ``ΔW0[:, b] = ε s y_b (y_b − θ_b)``, ``θ_b += η (y_b² − θ_b)``.
    * ``competitive``: the unit with the largest ``u`` wins (``y`` one-hot); ``ΔW0[:, b*] = ε (s −
      W0[:, b*])``.

    The output layer learns by the workshop's rule with the hidden rates as presynaptic activity
    and the clamped target as postsynaptic, ``W1 ← (1 − ε) W1 + ε y_b t_o type(b)``. Recall reads
    the output with the largest field ``y·W1`` (``argmax``: a tie is no answer); a run has learnt
    the map when every input gets its target. ``engine``: ``"compiled"`` (a compiled loop) or
    ``"readable"`` (numpy, step by step: slower, the same networks to the last bit)."""
    M = N if M is None else M
    types, W0, W1, mappings = _draw_networks(N, M, excitatory_count, runs, seed)
    W0, W1 = _TRAINERS[engine](rule, W0, W1, types[:, :N], types[:, N:], mappings, epsilon,
                               theta_rate, epochs)
    hidden = _hidden_rates(rule, W0)  # row i of W0 is the hidden field of input i
    field = np.einsum("rib,rbo->rio", hidden, W1)
    answers = hc.read_out(field, "argmax")
    learnt = np.all(answers == mappings, axis=1)
    return dict(
        types=types, mapping=mappings, W0=W0, W1=W1, hidden=hidden, answers=answers, learnt=learnt
    )


def _train_readable(rule, W0, W1, input_type, hidden_type, mappings, epsilon, theta_rate, epochs):
    """The epochs of :func:`train_selective_map`, every run at once, step by step in numpy: the
    readable twin of the compiled ``kernels.train_selective``. Returns ``(W0, W1)``."""
    runs, N, M = W0.shape
    theta = np.zeros((runs, M))
    rows = np.arange(runs)
    signed = np.zeros((N, runs, N, 1))  # for input i: the presynaptic signed activity, type(i)·e_i
    target = np.zeros((N, runs, 1, N))  # for input i: the clamped output, one-hot on pi(i)
    for i in range(N):
        signed[i, :, i, 0] = input_type[:, i]
        target[i, rows, 0, mappings[:, i]] = 1.0
    for _ in range(epochs):
        for i in range(N):  # the workshop's fixed order of the N pairs
            W0, theta, y = _hidden_step(rule, W0, theta, signed[i], i, epsilon, theta_rate)
            W1 = (1 - epsilon) * W1 + epsilon * (y * hidden_type)[:, :, None] * target[i]
    return W0, W1


def _train_compiled(rule, W0, W1, input_type, hidden_type, mappings, epsilon, theta_rate, epochs):
    """As :func:`_train_readable`, in the compiled loop ``kernels.train_selective``."""
    W0, W1 = np.array(W0, dtype=np.float64), np.array(W1, dtype=np.float64)
    train_selective(SELECTIVE_RULES.index(rule), W0, W1, np.zeros((len(W0), W0.shape[2])),
                    np.array(input_type, dtype=np.float64),
                    np.array(hidden_type, dtype=np.float64),
                    np.array(mappings, dtype=np.int64), float(epsilon), float(theta_rate),
                    int(epochs))
    return W0, W1


_TRAINERS = {"compiled": _train_compiled, "readable": _train_readable}


def _hidden_rates(rule, u):
    """The hidden units' rates for fields ``u`` (``(runs, N)``): rectified, or one-hot on the
    winner.
    """
    return _winners(u, 1) if rule == "competitive" else np.maximum(u, 0.0)


def _hidden_step(rule, W0, theta, s, i, epsilon, theta_rate):
    """One Hebbian step of the hidden layer for input ``i`` in every run (``s``: the signed
    presynaptic activity, ``(runs, N, 1)``); returns ``(W0, theta, y)``."""
    u = W0[:, i, :]
    y = _hidden_rates(rule, u)
    if rule == "oja":
        W0 = W0 + epsilon * y[:, None, :] * (s - y[:, None, :] * W0)  # ε y (s − y w)
    elif rule == "bcm":
        W0 = W0 + epsilon * s * (y * (y - theta))[:, None, :]  # ε s y (y − θ)
        theta = theta + theta_rate * (y * y - theta)  # θ slides towards ⟨y²⟩
    else:
        W0 = W0 + epsilon * y[:, None, :] * (s - W0)  # the winner: ε (s − w)
    return W0, theta, y


def _sweep_settings(arguments):
    """The relation of :func:`selective_map_sweep`: its E counts in ``[0, N + M]`` and its
    ``settings``, those of the task (:data:`SELECTIVE_TASK`) within their rules."""
    N, M, e_counts = arguments["N"], arguments["M"], arguments["e_counts"]
    P = N + (N if M is None else M)
    if e_counts is not None:
        if not isinstance(e_counts, (tuple, list, range)) or not e_counts:
            fail("e_counts", as_shown(e_counts), f"None or a list of E counts in [0, {P}]")
        for count in e_counts:
            check_int("e_counts", count, 0, P)
    for name, value in arguments.get("settings", {}).items():
        if name not in SELECTIVE_TASK:
            fail(name, as_shown(value), f"a setting of the task, one of {list(SELECTIVE_TASK)}")
        _TASK_RULES[name](name, value)


@with_checks(_sweep_settings, rules=_a_rule_list, N=_TASK_RULES["N"], runs=_TASK_RULES["runs"],
             seed=A_SEED, M=_TASK_RULES["M"])
def selective_map_sweep(
    rules=SELECTIVE_RULES, N=4, runs=100, seed=0, M=None, e_counts=None, **settings
):
    """The one-to-one task for every rule and every E count (default ``1 … N + M − 1``, the
    workshop's ratios): one row per (rule, E count) with ``runs``, ``learnt``, ``rate`` and its
    Wilson 95 % interval ``low``, ``high``."""
    P = N + (N if M is None else M)
    if e_counts is None:
        e_counts = range(1, P)
    rows = []
    for rule in rules:
        for excitatory_count in e_counts:
            result = train_selective_map(rule, N, excitatory_count, runs, seed, M, **settings)
            learnt = int(result["learnt"].sum())
            low, high = hc.wilson_interval(learnt, runs)
            rows.append(
                dict(
                    rule=rule,
                    excitatory_count=excitatory_count,
                    inhibitory_count=P - excitatory_count,
                    excitatory_fraction=excitatory_count / P,
                    runs=runs,
                    learnt=learnt,
                    rate=learnt / runs,
                    low=low,
                    high=high,
                )
            )
    return pd.DataFrame(rows)


@with_checks(N=an_int(1, 20))
def map_chance(N):
    """The chance that a random guess gets all ``N`` pairs of a one-to-one map: ``1/N!`` (a random
    permutation)."""
    return 1.0 / math.factorial(N)
