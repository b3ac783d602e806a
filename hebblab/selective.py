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
are readable numpy; the sweeps are small enough to need no compiled twin."""

import itertools
import math

import numpy as np
import pandas as pd

import hebb_core as hc

#: The selective rules that :func:`train_selective_map` puts in the workshop's hidden layer.
SELECTIVE_RULES = ("oja", "bcm", "competitive")

#: The default settings of the one-to-one task (notebook 08): learning rate, threshold rate (BCM),
# epochs.
SELECTIVE_TASK = dict(epsilon=0.05, theta_rate=0.1, epochs=1000)


# ── Checks of arguments: a ValueError naming the argument, its value and what is allowed ─────────


def _check_number(name, value, low, high, open_low=False):
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.integer, np.floating))
        or not ((low < value if open_low else low <= value) and value <= high)
    ):
        bracket = "(" if open_low else "["
        raise ValueError(f"{name}={value!r}: expected a number in {bracket}{low}, {high}]")
    return float(value)


def _check_count(name, value, low, high):
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, np.integer))
        or not low <= value <= high
    ):
        raise ValueError(f"{name}={value!r}: expected an integer in [{low}, {high}]")
    return int(value)


def _check_matrix(name, value, ndim, columns=None):
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name}={value!r}: expected an array of numbers") from None
    if (
        array.ndim != ndim
        or array.size == 0
        or array.size > 10**7
        or not np.all(np.isfinite(array))
        or (columns is not None and array.shape[-1] != columns)
    ):
        want = f"{ndim}-d finite numbers" + ("" if columns is None else f" with {columns} columns")
        raise ValueError(f"{name} of shape {array.shape}: expected {want}, at most 10**7")
    return array


def _check_square(name, value):
    array = _check_matrix(name, value, 2)
    if array.shape[0] != array.shape[1] or not np.allclose(array, array.T):
        raise ValueError(f"{name} of shape {array.shape}: expected a symmetric square matrix")
    return array


def _check_generator(rng):
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            f"rng={rng!r}: expected a numpy.random.Generator, e.g. np.random.default_rng(0)"
        )
    return rng


def _check_probabilities(probabilities, count=None):
    p = _check_matrix("probabilities", probabilities, 1)
    if (
        (count is not None and len(p) != count)
        or len(p) > 12
        or np.any(p <= 0)
        or not math.isclose(p.sum(), 1.0)
    ):
        want = f"{count or 'up to 12'} numbers > 0 summing to 1"
        raise ValueError(f"probabilities={p.tolist()}: expected {want}")
    return p


def _check_rule(rule):
    if not isinstance(rule, str) or rule not in SELECTIVE_RULES:
        raise ValueError(f"rule={rule!r}: expected one of {', '.join(map(repr, SELECTIVE_RULES))}")
    return rule


# ── Oja's rule ───────────────────────────────────────────────────────────────────────────────────


def oja_step(w, x, epsilon):
    """One step of Oja's rule: ``y = w·x``, ``w + ε y (x − y w)``; returns the new ``w``."""
    w = _check_matrix("w", w, 1)
    x = _check_matrix("x", x, 1, len(w))
    return _oja_step(w, x, _check_number("epsilon", epsilon, 0, 1, open_low=True))


def _oja_step(w, x, epsilon):
    y = w @ x
    return w + epsilon * y * (x - y * w)  # Δw = ε y (x − y w)


def train_oja(samples, w0, epsilon=0.01):
    """Oja's rule over the rows of ``samples`` (shape ``(T, d)``) from ``w0``: the weights after
    every step, shape ``(T + 1, d)``."""
    samples = _check_matrix("samples", samples, 2)
    w = _check_matrix("w0", w0, 1, samples.shape[1]).copy()
    epsilon = _check_number("epsilon", epsilon, 0, 1, open_low=True)
    history = [w]
    for x in samples:
        w = _oja_step(w, x, epsilon)
        history.append(w)
    return np.array(history)


def gaussian_inputs(covariance, samples, rng):
    """``samples`` draws of a zero-mean Gaussian input with the given covariance, shape ``(samples,
    d)``."""
    covariance = _check_square("covariance", covariance)
    _check_count("samples", samples, 1, 10**7 // len(covariance))
    _check_generator(rng)
    return rng.multivariate_normal(np.zeros(len(covariance)), covariance, size=samples)


def principal_component(correlation):
    """The eigenvector of the largest eigenvalue of a symmetric ``correlation`` matrix (numpy's
    ``eigh``), unit norm, its sign chosen so that its largest entry in size is positive; returns
    ``(vector, eigenvalue)``."""
    correlation = _check_square("correlation", correlation)
    values, vectors = np.linalg.eigh(correlation)
    vector = vectors[:, -1]
    return vector * np.sign(vector[np.argmax(np.abs(vector))]), float(values[-1])


# ── BCM ──────────────────────────────────────────────────────────────────────────────────────────


def bcm_step(w, theta, x, epsilon, theta_rate):
    """One step of BCM with a sliding threshold: ``y = w·x``, ``w + ε x y (y − θ)``, ``θ + η (y² −
    θ)``; returns ``(w, theta, y)``."""
    w = _check_matrix("w", w, 1)
    x = _check_matrix("x", x, 1, len(w))
    theta = _check_number("theta", theta, -1e6, 1e6)
    epsilon = _check_number("epsilon", epsilon, 0, 1, open_low=True)
    return _bcm_step(
        w, theta, x, epsilon, _check_number("theta_rate", theta_rate, 0, 1, open_low=True)
    )


def _bcm_step(w, theta, x, epsilon, theta_rate):
    y = w @ x
    w = w + epsilon * x * y * (y - theta)  # Δw = ε x y (y − θ)
    theta = theta + theta_rate * (y * y - theta)  # θ slides towards ⟨y²⟩
    return w, theta, y


def train_bcm(
    patterns, probabilities, w0, epsilon=0.01, theta_rate=0.1, steps=20000, rng=None, theta0=0.0
):
    """BCM over ``steps`` presentations, each pattern (row of ``patterns``) drawn with its
    probability from ``rng``. Returns ``(responses, thetas)``: the responses to every pattern after
    every step, shape ``(steps + 1, K)``, and the threshold, shape ``(steps + 1,)``."""
    patterns = _check_matrix("patterns", patterns, 2)
    p = _check_probabilities(probabilities, len(patterns))
    w = _check_matrix("w0", w0, 1, patterns.shape[1]).copy()
    epsilon = _check_number("epsilon", epsilon, 0, 1, open_low=True)
    theta_rate = _check_number("theta_rate", theta_rate, 0, 1, open_low=True)
    steps = _check_count("steps", steps, 1, 10**7)
    _check_generator(rng)
    theta = _check_number("theta0", theta0, -1e6, 1e6)
    shown = rng.choice(len(patterns), size=steps, p=p)
    responses, thetas = [patterns @ w], [theta]
    for k in shown:
        w, theta, _ = _bcm_step(w, theta, patterns[k], epsilon, theta_rate)
        responses.append(patterns @ w)
        thetas.append(theta)
    return np.array(responses), np.array(thetas)


def bcm_fixed_points(probabilities):
    """The fixed points of BCM's averaged dynamics for linearly independent patterns shown with
    probabilities ``p_k``, as responses ``y`` to each pattern (rows): every ``y_k`` is 0 or ``θ = Σ
    p_k y_k²``, so a point with the set ``S`` of answered patterns has ``y_k = 1 / Σ_{j∈S} p_j``
    for ``k ∈ S``. The selective ones (``|S| = 1``, ``y_k = 1/p_k``) are stable; the others are
    not. Returns ``(responses, selective)``, one row per non-empty ``S``, plus the all-zero point
    first."""
    p = _check_probabilities(probabilities)
    rows, selective = [np.zeros(len(p))], [False]
    for size in range(1, len(p) + 1):
        for subset in _subsets(len(p), size):
            y = np.zeros(len(p))
            y[list(subset)] = 1.0 / p[list(subset)].sum()
            rows.append(y)
            selective.append(size == 1)
    return np.array(rows), np.array(selective)


def _subsets(n, size):
    return itertools.combinations(range(n), size)


# ── Competitive learning and Kohonen's map ───────────────────────────────────────────────────────


def k_winners(field, k):
    """The ``k`` units with the largest field (ties: the lower index wins), as a 0/1 array like
    ``field``."""
    field = _check_matrix("field", field, np.ndim(field) if np.ndim(field) >= 1 else 1)
    return _k_winners(field, _check_count("k", k, 1, field.shape[-1]))


def _k_winners(field, k):
    order = np.argsort(-field, axis=-1, kind="stable")
    states = np.zeros_like(field)
    np.put_along_axis(states, order[..., :k], 1.0, axis=-1)
    return states


def competitive_step(W, x, epsilon, k=1):
    """One step of competitive learning: the ``k`` units with the largest ``W x`` win (k-WTA) and
    move towards the normalised input, ``w_j + ε (x/Σx − w_j)``; ``W`` has one row per unit.
    Returns ``(W, winners)``."""
    W = _check_matrix("W", W, 2)
    x = _check_matrix("x", x, 1, W.shape[1])
    if np.any(x < 0) or x.sum() <= 0:
        raise ValueError(f"x={x.tolist()}: expected non-negative numbers with a positive sum")
    epsilon = _check_number("epsilon", epsilon, 0, 1, open_low=True)
    return _competitive_step(W, x, epsilon, _check_count("k", k, 1, len(W)))


def _competitive_step(W, x, epsilon, k):
    winners = _k_winners(W @ x, k)
    W = W + epsilon * winners[:, None] * (x / x.sum() - W)  # Δw_j = ε (x/Σx − w_j), winners j
    return W, winners


def train_competitive(samples, W0, epsilon=0.05, k=1):
    """Competitive learning over the rows of ``samples`` (non-negative, each with a positive sum)
    from ``W0`` (``(units, d)``). Returns ``(W, winners)``: the final weights and, per sample, the
    index of its first winner."""
    samples = _check_matrix("samples", samples, 2)
    if np.any(samples < 0) or np.any(samples.sum(axis=1) <= 0):
        raise ValueError("samples: expected non-negative rows, each with a positive sum")
    W = _check_matrix("W0", W0, 2, samples.shape[1]).copy()
    epsilon = _check_number("epsilon", epsilon, 0, 1, open_low=True)
    k = _check_count("k", k, 1, len(W))
    first = []
    for x in samples:
        W, winners = _competitive_step(W, x, epsilon, k)
        first.append(int(np.argmax(winners)))
    return W, np.array(first)


def kohonen_step(W, x, epsilon, sigma, positions):
    """One step of Kohonen's map: the unit whose weights are nearest ``x`` wins; every unit ``j``
    moves towards ``x`` by ``ε h_j``, ``h_j = exp(−d_j²/2σ²)`` with ``d_j`` its distance to the
    winner on the sheet (``positions``, one row per unit). Returns ``(W, winner)``."""
    W = _check_matrix("W", W, 2)
    x = _check_matrix("x", x, 1, W.shape[1])
    epsilon = _check_number("epsilon", epsilon, 0, 1, open_low=True)
    sigma = _check_number("sigma", sigma, 0, 1e3, open_low=True)
    return _kohonen_step(W, x, epsilon, sigma, _check_positions(positions, len(W)))


def _check_positions(positions, units):
    positions = _check_matrix("positions", positions, 2)
    if len(positions) != units:
        raise ValueError(
            f"positions of shape {positions.shape}: expected one row per unit ({units})"
        )
    return positions


def _kohonen_step(W, x, epsilon, sigma, positions):
    winner = int(np.argmin(((W - x) ** 2).sum(axis=1)))
    d2 = ((positions - positions[winner]) ** 2).sum(axis=1)
    h = np.exp(-d2 / (2 * sigma**2))
    return W + epsilon * h[:, None] * (x - W), winner  # Δw_j = ε h(j, winner) (x − w_j)


def train_kohonen(samples, W0, positions, epsilon=0.1, sigmas=(3.0, 0.5)):
    """Kohonen's map over the rows of ``samples`` from ``W0``, the neighbourhood's width shrinking
    geometrically from ``sigmas[0]`` to ``sigmas[1]``. Returns the weights after every step, shape
    ``(T + 1, units, d)``."""
    samples = _check_matrix("samples", samples, 2)
    W = _check_matrix("W0", W0, 2, samples.shape[1]).copy()
    positions = _check_positions(positions, len(W))
    epsilon = _check_number("epsilon", epsilon, 0, 1, open_low=True)
    if not isinstance(sigmas, (tuple, list)) or len(sigmas) != 2:
        raise ValueError(f"sigmas={sigmas!r}: expected (first, last), two widths > 0")
    first = _check_number("sigmas[0]", sigmas[0], 0, 1e3, open_low=True)
    last = _check_number("sigmas[1]", sigmas[1], 0, 1e3, open_low=True)
    widths = first * (last / first) ** (np.arange(len(samples)) / max(len(samples) - 1, 1))
    history = [W]
    for x, sigma in zip(samples, widths):
        W, _ = _kohonen_step(W, x, epsilon, sigma, positions)
        history.append(W)
    return np.array(history)


def chain_is_ordered(values):
    """``True`` when the values along a chain of units rise or fall monotonically (a 1-d map in
    order)."""
    steps = np.diff(_check_matrix("values", values, 1))
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
    the map when every input gets its target."""
    _check_rule(rule)
    N = _check_count("N", N, 2, 8)
    M = N if M is None else _check_count("M", M, 1, 64)
    excitatory_count = _check_count("excitatory_count", excitatory_count, 0, N + M)
    runs = _check_count("runs", runs, 1, 100_000)
    seed = _check_count("seed", seed, 0, 2**63 - 1)
    epsilon = _check_number("epsilon", epsilon, 0, 1, open_low=True)
    theta_rate = _check_number("theta_rate", theta_rate, 0, 1, open_low=True)
    epochs = _check_count("epochs", epochs, 1, 100_000)
    types, W0, W1, mappings = _draw_networks(N, M, excitatory_count, runs, seed)
    input_type, hidden_type = types[:, :N], types[:, N:]
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
    hidden = _hidden_rates(rule, W0)  # row i of W0 is the hidden field of input i
    field = np.einsum("rib,rbo->rio", hidden, W1)
    answers = hc.read_out(field, "argmax")
    learnt = np.all(answers == mappings, axis=1)
    return dict(
        types=types, mapping=mappings, W0=W0, W1=W1, hidden=hidden, answers=answers, learnt=learnt
    )


def _hidden_rates(rule, u):
    """The hidden units' rates for fields ``u`` (``(runs, N)``): rectified, or one-hot on the
    winner.
    """
    return _k_winners(u, 1) if rule == "competitive" else np.maximum(u, 0.0)


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


def selective_map_sweep(
    rules=SELECTIVE_RULES, N=4, runs=100, seed=0, M=None, e_counts=None, **settings
):
    """The one-to-one task for every rule and every E count (default ``1 … N + M − 1``, the
    workshop's ratios): one row per (rule, E count) with ``runs``, ``learnt``, ``rate`` and its
    Wilson 95 % interval ``low``, ``high``."""
    if not isinstance(rules, (tuple, list)) or not rules:
        raise ValueError(f"rules={rules!r}: expected a list of rules from {SELECTIVE_RULES}")
    for rule in rules:
        _check_rule(rule)
    N = _check_count("N", N, 2, 8)
    P = N + (N if M is None else _check_count("M", M, 1, 64))
    if e_counts is None:
        e_counts = range(1, P)
    elif not isinstance(e_counts, (tuple, list, range)) or not e_counts:
        raise ValueError(f"e_counts={e_counts!r}: expected a list of E counts in [0, {P}]")
    for name in settings:
        if name not in SELECTIVE_TASK:
            raise ValueError(
                f"{name}: not a setting of the task; expected one of {list(SELECTIVE_TASK)}"
            )
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


def map_chance(N):
    """The chance that a random guess gets all ``N`` pairs of a one-to-one map: ``1/N!`` (a random
    permutation)."""
    return 1.0 / math.factorial(_check_count("N", N, 1, 20))
