"""Hebbian learning of one-to-one maps in small feed-forward networks.

The model of the workshop "Does excitation/inhibition ratio have an effect in one-to-one learning of neural
networks using Hebb's Rule?" (Brains, Dynamics & Computation, IMSc Chennai, 2025), pinned down rule by rule:

* ``L`` layers of McCulloch–Pitts neurons: input (``N``), hidden (``M``, default ``N``), output (``N``);
  all-to-all weights ``W[l]`` of shape ``(n_l, n_{l+1})`` between neighbouring layers only.
* Every neuron with outgoing weights is excitatory (type ``+1``) or inhibitory (type ``-1``).
* Training clamps one input/output pair of a target permutation ``pi`` at a time, passes the input through the
  hidden layers, and updates every weight with the decaying Hebb rule

      W_ab(t+1) = (1 - eps) W_ab(t) + eps * S_a * S_b * type(a).

* A network has converged when recalling every input ``i`` gives the output ``pi(i)``.

The module reads top to bottom in the order the course teaches:

1. parameters and validation
2. the neuron and the rule
3. one network, step by step (the readable path, in the seed's own vocabulary)
4. the batched engine (many networks at once; bit-for-bit the same results)
5. sweeps: the seed's experiment as a tidy table
6. plots (each takes data and, optionally, the axes to draw on, and returns the figure)
7. widgets (the notebooks' sliders, wired to the plots)
8. the command line (``python -m hebb_core sweep --help``, ``python -m hebb_core figures``)

References: McCulloch & Pitts (1943) Bull Math Biophys 5:115; Hebb (1949) The Organization of Behavior;
Dayan & Abbott (2001) Theoretical Neuroscience, ch. 8.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import signal
import sys
from dataclasses import dataclass

import numba
import numpy as np
import pandas as pd

__version__ = "0.1.0"

# ═══════════════════════════════════════════════════════════════════════════════════════════════════════════
# 1. Parameters and validation
# ═══════════════════════════════════════════════════════════════════════════════════════════════════════════

ORDERS = ("fixed", "shuffled")  # presentation order of the N pairs within an epoch
READOUTS = ("strict", "argmax")  # when a recalled output counts as the target
ALLOTMENTS = ("random", "first", "all")  # which neurons are excitatory, for a given E count
# The variants beyond the seed (MODEL.md, "Variants beyond the seed"; notebook 06), each off by default:
ACTIVATIONS = ("sign", "binary")  # states of the hidden (and, at recall, output) units: ±1 (the seed) or 0/1
LATERALS = ("none", "kwta")  # lateral inhibition in each hidden layer: none, or k-winners-take-all
NORMALISATIONS = ("none", "pre", "post", "both")  # synaptic normalisation after every Hebbian step
EDGES = ("single", "dual")  # one synapse per pair of neurons, or a parallel excitatory and inhibitory one


def _fail(name, value, allowed):
    raise ValueError(f"{name}={value!r} is not allowed: {allowed}")


def _check_int(name, value, low, high=None):
    """Raise ``ValueError`` unless ``value`` is an integer in ``[low, high]``."""
    allowed = f"an integer >= {low}" if high is None else f"an integer in [{low}, {high}]"
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        _fail(name, value, allowed)
    if value < low or (high is not None and value > high):
        _fail(name, value, allowed)


def _check_choice(name, value, choices):
    if value not in choices:
        _fail(name, value, "one of " + ", ".join(repr(c) for c in choices))


def _check_number(name, value, low, high):
    """Raise ``ValueError`` unless ``value`` is a finite real number in ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not math.isfinite(value) or not low <= value <= high:
        _fail(name, value, f"a number in [{low}, {high}]")


@dataclass(frozen=True)
class Params:
    """Everything that defines how one network is built and trained (MODEL.md S1–S9).

    L : int, default 3
        Number of layers: 0 is the input, ``L-1`` the output, the rest hidden. ``L >= 2``.
    N : int, default 3
        Neurons in the input and in the output layer (the size of the one-to-one map).
    M : int or None, default None
        Neurons in each hidden layer; ``None`` means ``M = N`` (the seed).
    epsilon : float, default 0.01
        Learning rate, in ``(0, 1]``; it is also the decay rate, so weights relax on a time scale ``1/epsilon``.
    max_epochs : int, default 2000
        Epochs before a run is declared not converged (the seed used 1000, 2000 and 3000).
    w_min, w_max : float, default 0.01, 0.1
        Initial |weight| range, ``0 <= w_min <= w_max <= 1``: E weights in ``[w_min, w_max]``,
        I in ``[-w_max, -w_min]``.
    decimals : int or None, default 2
        Initial weights are rounded to this many decimals (the seed's ``edge_decimals``); ``None``: no rounding.
    order : {"fixed", "shuffled"}, default "fixed"
        Pairs presented in input order ``0 … N-1`` in every epoch, or in a fresh seeded shuffle each epoch.
    readout : {"strict", "argmax"}, default "strict"
        ``strict``: exactly the target output neuron is at ``+1``; ``argmax``: the target has the unique largest field.
    dale : bool, default False
        Keep every weight strictly on its neuron's side of zero, as the seed's slide states: E in ``(0, 1]``,
        I in ``[-1, 0)`` (see :func:`dale_clip`). The seed's code does not.
    tol : float, default 1e-6
        An epoch in which no weight changes by more than ``tol`` counts as "weights no longer update".
    stop_at_convergence : bool, default True
        Stop training a network at its first full recall (the seed). ``False`` trains all ``max_epochs`` epochs,
        so that ``stable`` tells whether recall stayed correct to the end.

    The variants beyond the seed (notebook 06), each off by default:

    activation : {"sign", "binary"}, default "sign"
        A unit with field ``x`` fires when ``x >= theta``: state ``+1``, else ``-1`` (``sign``, the seed's code) or
        ``0`` (``binary``, the McCulloch–Pitts unit of the slides, ``S ∈ {0, 1}``). Hidden layers, and the output
        layer at recall.
    theta : float, default 0
        The firing threshold, ``>= 0`` (the seed: 0).
    lateral : {"none", "kwta"}, default "none"
        ``kwta``: lateral inhibition as k-winners-take-all in each hidden layer: the ``k`` units with the largest
        field fire, the others are silent (``0`` with binary, ``-1`` with sign activation); ties go to the lower
        index. The threshold ``theta`` then plays no part in the hidden layers.
    k : int or None, default None
        Winners per hidden layer, in ``[0, M]``; required with ``lateral="kwta"``, ``None`` otherwise.
    homeostasis : float, default 0
        Rate ``eta_theta >= 0`` of a homeostatic threshold ``theta_a`` per hidden unit (a "conscience",
        DeSieno 1988): the unit sees the field ``x - theta_a``, and after every training step
        ``theta_a ← theta_a + eta_theta (r_a - rho)``, ``r_a`` its activity as 0/1. Thresholds start at 0 and are
        part of the network's state (used at recall too). 0: off. Designed for k-WTA: with ``k = 1`` and
        ``M = N`` the thresholds settle only when every unit wins exactly one input, so every input gets its own
        hidden unit (notebook 06, section 3).
    target_rate : float or None, default None
        The target rate ``rho`` in ``[0, 1]``; ``None``: ``k/M`` with k-WTA (so the thresholds' mean stays 0),
        ``1/M`` without.
    normalise : {"none", "pre", "post", "both"}, default "none"
        After every Hebbian step rescale each presynaptic neuron's outgoing |weights| (``pre``), each postsynaptic
        neuron's incoming |weights| (``post``) or first the one then the other (``both``) to the sum
        ``norm_total``, in every layer.
    norm_total : float, default 1
        The fixed sum of |weights| per neuron under ``normalise``, in ``(0, 1]`` (so every |weight| stays <= 1).
    growth_power : int, default 0
        ``p`` in ``0 … 4``: the Hebbian term is multiplied by ``|w|^p`` (0: the seed's rule; ``p = 1``: growth in
        proportion to the weight; ``p >= 2``: supralinear growth, the strong get stronger; Häussler & von der
        Malsburg 1983). An integer, so that ``|w|^p`` is a product that every path computes to the same bits.
    feedback : float, default 0
        Strength ``f >= 0`` of feedback during training: the clamped output drives the last hidden layer through
        the transposed weights, whose field becomes ``x + f · Σ_o W[L-2]_{co} S_out,o`` (contrastive Hebbian
        learning's clamped phase; Movellan 1991). No effect without a hidden layer.
    edges : {"single", "dual"}, default "single"
        ``dual``: an excitatory and an inhibitory synapse join every pair of neurons in neighbouring layers: two
        weight matrices per layer pair, ``E >= 0`` (updated with type +1) and ``I <= 0`` (type -1), each kept on
        its side of zero as by :func:`dale_clip`; the effective weight is ``E + I``. Neuron types play no part.
    """

    L: int = 3
    N: int = 3
    M: int | None = None
    epsilon: float = 0.01
    max_epochs: int = 2000
    w_min: float = 0.01
    w_max: float = 0.1
    decimals: int | None = 2
    order: str = "fixed"
    readout: str = "strict"
    dale: bool = False
    tol: float = 1e-6
    stop_at_convergence: bool = True
    activation: str = "sign"
    theta: float = 0.0
    lateral: str = "none"
    k: int | None = None
    homeostasis: float = 0.0
    target_rate: float | None = None
    normalise: str = "none"
    norm_total: float = 1.0
    growth_power: int = 0
    feedback: float = 0.0
    edges: str = "single"

    def __post_init__(self):
        _check_int("L", self.L, 2)
        _check_int("N", self.N, 1)
        if self.M is not None:
            _check_int("M", self.M, 1)
        if not (isinstance(self.epsilon, (int, float)) and 0 < self.epsilon <= 1):
            _fail("epsilon", self.epsilon, "a number in (0, 1]")
        _check_int("max_epochs", self.max_epochs, 1)
        for name in ("w_min", "w_max"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and 0 <= value <= 1):
                _fail(name, value, "a number in [0, 1] (weights must stay in [-1, 1])")
        if self.w_min > self.w_max:
            _fail("w_min", self.w_min, f"at most w_max={self.w_max!r}")
        if self.decimals is not None:
            _check_int("decimals", self.decimals, 0, 15)
        _check_choice("order", self.order, ORDERS)
        _check_choice("readout", self.readout, READOUTS)
        if not (isinstance(self.tol, (int, float)) and self.tol >= 0):
            _fail("tol", self.tol, "a number >= 0")
        _check_choice("activation", self.activation, ACTIVATIONS)
        _check_number("theta", self.theta, 0, 1e6)
        _check_choice("lateral", self.lateral, LATERALS)
        if self.lateral == "kwta":
            _check_int("k", self.k, 0, self.hidden_width)
        elif self.k is not None:
            _fail("k", self.k, "None unless lateral='kwta'")
        _check_number("homeostasis", self.homeostasis, 0, 1)
        if self.target_rate is not None:
            _check_number("target_rate", self.target_rate, 0, 1)
        _check_choice("normalise", self.normalise, NORMALISATIONS)
        if not (isinstance(self.norm_total, (int, float)) and 0 < self.norm_total <= 1):
            _fail("norm_total", self.norm_total, "a number in (0, 1]")
        _check_int("growth_power", self.growth_power, 0, 4)
        _check_number("feedback", self.feedback, 0, 100)
        _check_choice("edges", self.edges, EDGES)

    @property
    def hidden_width(self):
        """``M``: neurons in each hidden layer (``N`` unless given)."""
        return self.N if self.M is None else self.M

    @property
    def sizes(self):
        """Neurons per layer, input first: ``(N, M, …, M, N)``, ``L`` entries."""
        return (self.N,) + (self.hidden_width,) * (self.L - 2) + (self.N,)

    @property
    def rho(self):
        """The homeostatic target rate: ``target_rate``, else ``k/M`` with k-WTA, else ``1/M``."""
        if self.target_rate is not None:
            return float(self.target_rate)
        return (self.k if self.lateral == "kwta" else 1) / self.hidden_width

    @property
    def silent(self):
        """The state of a unit that does not fire: ``-1.0`` (sign activation) or ``0.0`` (binary)."""
        return 0.0 if self.activation == "binary" else -1.0

    @property
    def variants(self):
        """The variants that these parameters switch on: the names of the variant fields that differ from their
        defaults (``target_rate`` and ``norm_total`` only refine others); ``()`` for the seed's rules."""
        seed = {"activation": "sign", "theta": 0.0, "lateral": "none", "homeostasis": 0.0, "normalise": "none",
                "growth_power": 0, "feedback": 0.0, "edges": "single"}
        return tuple(name for name, value in seed.items() if getattr(self, name) != value)

    @property
    def weight_keys(self):
        """Names of the weight matrices, in the order of a weight list: ``"0-1", "1-2", …``; with dual edges
        first the excitatory ones (``"0-1 E"``, …), then the inhibitory ones (``"0-1 I"``, …)."""
        pairs = [f"{layer}-{layer + 1}" for layer in range(self.L - 1)]
        return pairs if self.edges == "single" else [f"{p} E" for p in pairs] + [f"{p} I" for p in pairs]

    @property
    def P(self):
        """Number of typed neurons (those with outgoing weights, layers ``0 … L-2``): ``N·(L-1)`` when ``M = N``."""
        return sum(self.sizes[:-1])


def check_mapping(mapping, N):
    """Return ``mapping`` as an int array after checking that it is a permutation of ``range(N)``."""
    array = np.asarray(mapping)
    if array.shape != (N,) or not np.issubdtype(array.dtype, np.integer) or sorted(array.tolist()) != list(range(N)):
        _fail("mapping", mapping if isinstance(mapping, (list, tuple)) else array.tolist(),
              f"a permutation of range({N})")
    return array.astype(np.intp)


def check_types(types, P):
    """Return a type vector (``+1`` E, ``-1`` I) of length ``P``; accepts ±1 numbers or a string like ``"EII|IEI"``."""
    if isinstance(types, str):
        letters = types.replace("|", "")
        if set(letters) - {"E", "I"}:
            _fail("types", types, "letters E and I (layers may be separated by '|')")
        types = [1 if letter == "E" else -1 for letter in letters]
    array = np.asarray(types)
    if array.shape != (P,) or not np.all((array == 1) | (array == -1)):
        _fail("types", types if isinstance(types, (str, list, tuple)) else array.tolist(),
              f"{P} values, each +1 (E) or -1 (I)")
    return array.astype(np.float64)


def check_weights(weights, params):
    """Return explicit weights as float arrays after checking their shapes and that they lie in ``[-1, 1]``.

    With ``params.edges == "dual"`` the list holds ``2(L-1)`` matrices, the excitatory ones (in ``[0, 1]``) and then
    the inhibitory ones (in ``[-1, 0]``); see :attr:`Params.weight_keys`.
    """
    sizes = params.sizes
    shapes = [(sizes[layer], sizes[layer + 1]) for layer in range(params.L - 1)]
    dual = params.edges == "dual"
    shapes = shapes * 2 if dual else shapes
    if len(weights) != len(shapes):
        _fail("weights", f"{len(weights)} matrices", f"{len(shapes)} matrices of shapes {shapes}")
    arrays = []
    for layer, (W, shape) in enumerate(zip(weights, shapes)):
        W = np.array(W, dtype=np.float64)
        if W.shape != shape:
            _fail(f"weights[{layer}]", f"shape {W.shape}", f"shape {shape}")
        if not np.all(np.abs(W) <= 1):
            _fail(f"weights[{layer}]", f"max |w| = {np.abs(W).max()}", "every weight in [-1, 1]")
        if dual and np.any(W < 0 if layer < params.L - 1 else W > 0):
            _fail(f"weights[{layer}]", "a weight on the wrong side of 0",
                  "excitatory matrices >= 0 and inhibitory ones <= 0 (edges='dual')")
        arrays.append(W)
    return arrays


def split_layers(vector, sizes):
    """Split a vector over the typed neurons into one piece per layer (``sizes[:-1]``). Works on ``(..., P)``."""
    cuts = np.cumsum(sizes[:-2])
    return np.split(vector, cuts, axis=-1)


def allotment_string(types, sizes):
    """``[1, -1, -1, -1, 1, -1]`` with sizes ``(3, 3, 3)`` → ``"EII|IEI"``: one letter per typed neuron, by layer."""
    return "|".join("".join("E" if t > 0 else "I" for t in layer) for layer in split_layers(np.asarray(types), sizes))


# ═══════════════════════════════════════════════════════════════════════════════════════════════════════════
# 2. The neuron and the rule
# ═══════════════════════════════════════════════════════════════════════════════════════════════════════════


def activation_function(x):
    """The seed's McCulloch–Pitts unit with ±1 states: ``S = +1 if x >= 0 else -1`` (so a field of exactly 0 fires)."""
    return np.where(x >= 0, 1.0, -1.0)


def threshold_unit(x, theta=0.0, activation="sign"):
    """A McCulloch–Pitts unit with threshold ``theta``: ``S = 1 if x >= theta`` else ``-1`` (``"sign"``) or ``0``
    (``"binary"``). With ``theta = 0`` and ``"sign"`` it is the seed's :func:`activation_function`."""
    return np.where(x >= theta, 1.0, -1.0 if activation == "sign" else 0.0)  # S = 1 if x >= θ else silent


def lateral_inhibition(field, k, activation="sign"):
    """k-winners-take-all along the last axis: the ``k`` units with the largest field fire (state 1), the others
    are silent (``-1`` with ``"sign"``, ``0`` with ``"binary"``); among equal fields the lower index wins.

    A layer with strong lateral inhibition: ``k = M`` is no inhibition at all (every unit fires), ``k = 0``
    silences the layer. Returns an array of the shape of ``field``.
    """
    field = np.asarray(field, dtype=np.float64)
    ranked = np.argsort(-field, axis=-1, kind="stable")  # largest field first; a stable sort keeps ties in order
    states = np.full(field.shape, -1.0 if activation == "sign" else 0.0)
    np.put_along_axis(states, ranked[..., :k], 1.0, axis=-1)
    return states


STATES = ("binary", "sign")  # a unit's states: 0/1 (McCulloch & Pitts 1943, the slides) or ±1 (the seed's code)

#: Weights and threshold ``(w, theta)`` of one McCulloch–Pitts unit with 0/1 states for three logic gates.
LOGIC_GATES = {"AND": ((1.0, 1.0), 1.5), "OR": ((1.0, 1.0), 0.5), "NOT": ((-1.0,), -0.5)}

#: The 16 Boolean functions of two inputs, keyed by their outputs for ``(x1, x2) = (0, 0), (0, 1), (1, 0), (1, 1)``.
BOOLEAN_FUNCTIONS = {
    (0, 0, 0, 0): "FALSE", (0, 0, 0, 1): "AND", (0, 0, 1, 0): "x1 AND NOT x2", (0, 0, 1, 1): "x1",
    (0, 1, 0, 0): "x2 AND NOT x1", (0, 1, 0, 1): "x2", (0, 1, 1, 0): "XOR", (0, 1, 1, 1): "OR",
    (1, 0, 0, 0): "NOR", (1, 0, 0, 1): "XNOR", (1, 0, 1, 0): "NOT x2", (1, 0, 1, 1): "x1 OR NOT x2",
    (1, 1, 0, 0): "NOT x1", (1, 1, 0, 1): "x2 OR NOT x1", (1, 1, 1, 0): "NAND", (1, 1, 1, 1): "TRUE",
}


def mcculloch_pitts_unit(x, w, theta, states="binary"):
    """A McCulloch–Pitts threshold unit: it fires when its field reaches the threshold, ``Σ_i w_i x_i >= theta``.

    x : inputs, shape ``(..., n)``
    w : weights, shape ``(n,)``
    theta : threshold
    states : ``"binary"`` (fires 1, else 0; the slides' ``S ∈ {0, 1}``) or ``"sign"`` (fires +1, else -1: the
        seed's :func:`activation_function` is this unit with ``theta = 0``)

    Returns the output states as ints, shape ``(...)``.
    """
    _check_choice("states", states, STATES)
    field_in = np.asarray(x, dtype=np.float64) @ np.asarray(w, dtype=np.float64)  # Σ_i w_i x_i
    S = activation_function(field_in - theta)  # +1 if Σ_i w_i x_i >= theta else -1
    return (S if states == "sign" else (S + 1) / 2).astype(int)  # 0/1 states: S01 = (S± + 1) / 2


def truth_table(w, theta, states="binary"):
    """Every input pattern of a McCulloch–Pitts unit with ``len(w)`` inputs, its field and its output state.

    Returns a DataFrame with columns ``x1 … xn, field, S`` and one row per pattern, in counting order
    (``00, 01, 10, 11`` for two inputs; ``-1`` stands for ``0`` when ``states="sign"``).
    """
    _check_choice("states", states, STATES)
    x = np.array(list(itertools.product((0 if states == "binary" else -1, 1), repeat=len(w))))
    table = pd.DataFrame(x, columns=[f"x{i + 1}" for i in range(len(w))])
    table["field"] = x @ np.asarray(w, dtype=np.float64)  # Σ_i w_i x_i
    table["S"] = mcculloch_pitts_unit(x, w, theta, states)
    return table


def synaptic_input(S, W):
    """Field of the next layer, ``x_b = Σ_a S_a W_ab``.

    ``S`` has shape ``(..., n_pre)`` and ``W`` ``(..., n_pre, n_post)`` (leading axes broadcast). The terms are added
    in the order ``a = 0, 1, …`` so that one network and a batch of networks give the same bits (a BLAS product
    may add in another order and round differently).
    """
    x = S[..., 0, None] * W[..., 0, :]
    for a in range(1, W.shape[-2]):
        x = x + S[..., a, None] * W[..., a, :]
    return x


def hebbian_update(W, pre, post, neuron_type, epsilon, growth_power=0):
    """The seed's decaying Hebb rule for one weight matrix, ``W`` of shape ``(..., n_pre, n_post)``:

        W_ab ← (1 - eps) W_ab + eps S_a S_b type(a)

    computed in exactly this order, ``(1 - eps)·w + ((eps·pre)·post)·type``, by every path of the module.
    ``pre`` and ``neuron_type`` have shape ``(..., n_pre)``, ``post`` ``(..., n_post)``.
    ``growth_power = p`` (a variant; an integer >= 1) scales the Hebbian term by ``|W_ab|^p``:
    ``(1 - eps)·w + (((eps·pre)·post)·type)·g`` with ``g = |w|·|w|···|w|`` (``p`` factors, multiplied in turn).
    """
    weight_change = ((epsilon * pre)[..., :, None] * post[..., None, :]) * neuron_type[..., :, None]
    if growth_power:
        g = np.abs(W)
        for _ in range(1, growth_power):
            g = g * np.abs(W)  # |w|^p as a product (numpy's w ** 2 may round unlike a product or pow)
        weight_change = weight_change * g  # supralinear growth: eps S_a S_b type |w|^p
    return (1 - epsilon) * W + weight_change  # W(t+1) = W(t) + eps S_a S_b type - eps W(t)


def repeat_pairing(w0, pre, post, neuron_type, epsilon, steps):
    """One weight under the same pair of states ``steps`` times, by :func:`hebbian_update`: shape ``(steps + 1,)``.

    ``w0`` is the weight before the first pairing; ``pre``, ``post`` the states ``S_i``, ``S_j``; ``neuron_type``
    +1 (E) or -1 (I), the presynaptic neuron's type.
    """
    _check_int("steps", steps, 0)
    W = np.array([[w0]], dtype=np.float64)  # a 1×1 weight matrix
    S_pre, S_post, kind = (np.array([value], dtype=np.float64) for value in (pre, post, neuron_type))
    trajectory = np.empty(steps + 1)
    trajectory[0] = w0
    for t in range(1, steps + 1):
        W = hebbian_update(W, S_pre, S_post, kind, epsilon)
        trajectory[t] = W[0, 0]
    return trajectory


def hebb_trajectory(w0, pre, post, neuron_type, epsilon, steps):
    """The same trajectory in closed form, ``w(t) = w* + (w0 - w*)(1 - eps)^t`` for ``t = 0 … steps``.

    The fixed point is ``w* = S_i S_j type``; the gap to it shrinks by a factor ``e`` every ``≈ 1/eps`` pairings.
    Returns shape ``(steps + 1,)``.
    """
    w_star = pre * post * neuron_type  # W(t+1) = W(t) exactly when w = S_i S_j type
    return w_star + (w0 - w_star) * (1 - epsilon) ** np.arange(steps + 1)  # w(t) = w* + (w0 - w*)(1 - eps)^t


def hebb_table(w, epsilon, neuron_type=1.0, states=(1, 0)):
    """The seed's 2×2 table, computed: the weight after one step from ``W(t) = w``, for every pair of states.

    Returns a DataFrame with rows ``S_j`` (postsynaptic) and columns ``S_i`` (presynaptic), as on the slide.
    """
    rows = [[repeat_pairing(w, s_i, s_j, neuron_type, epsilon, 1)[1] for s_i in states] for s_j in states]
    return pd.DataFrame(rows, index=pd.Index(states, name="S_j"), columns=pd.Index(states, name="S_i"))


#: Smallest |weight| under Dale's law. The seed's intervals are open at zero, E in (0, 1] and I in [-1, 0): a weight
#: clipped to exactly 0 would make its target fire (activation(0) = +1) whatever the neuron's type.
DALE_FLOOR = float(np.finfo(np.float64).tiny)


def dale_clip(W, neuron_type):
    """Dale's law: an excitatory neuron's weights stay in ``(0, 1]``, an inhibitory one's in ``[-1, 0)``.

    A weight that the rule pushes across zero stops at ``±DALE_FLOOR`` (about 2e-308) on its own side.
    """
    excitatory = (neuron_type > 0)[..., :, None]
    return np.clip(W, np.where(excitatory, DALE_FLOOR, -1.0), np.where(excitatory, 1.0, -DALE_FLOOR))


def normalise_weights(W, mode, total=1.0):
    """Synaptic normalisation of one weight matrix ``W`` (``(n_pre, n_post)``): rescale the |weights| of each
    presynaptic neuron's outgoing synapses (``"pre"``: each row), of each postsynaptic neuron's incoming ones
    (``"post"``: each column), or the rows and then the columns (``"both"``), so that they add up to ``total``:

        W_ab ← W_ab · (total / Σ_b' |W_ab'|)     (pre)        W_ab ← W_ab · (total / Σ_a' |W_a'b|)     (post)

    Signs are kept; a neuron whose weights are all 0 is left alone. Sums run in index order (as the engine's).
    """
    W = np.array(W, dtype=np.float64)
    if mode in ("pre", "both"):
        s = np.abs(W[:, 0])
        for b in range(1, W.shape[1]):
            s = s + np.abs(W[:, b])  # Σ_b |W_ab|
        W = W * np.divide(total, s, out=np.ones_like(s), where=s > 0)[:, None]
    if mode in ("post", "both"):
        s = np.abs(W[0])
        for a in range(1, W.shape[0]):
            s = s + np.abs(W[a])  # Σ_a |W_ab|
        W = W * np.divide(total, s, out=np.ones_like(s), where=s > 0)[None, :]
    return W


def homeostatic_update(thresholds, states, eta, rho):
    """The homeostatic threshold of each unit of a layer after one step ("conscience", DeSieno 1988):

        theta_a ← theta_a + eta (r_a - rho),   r_a = 1 if the unit fired (state > 0) else 0

    so that a unit firing more often than the target rate ``rho`` becomes harder to excite, a silent one easier.
    """
    return thresholds + eta * ((states > 0).astype(np.float64) - rho)  # θ_a + η (r_a − ρ)


def read_out(field_out, readout, theta=0.0):
    """Which output neuron answers, per recalled input: its index, or ``-1`` when the answer is not one neuron.

    ``strict``: exactly one output neuron fires (field ``>= theta``; the seed's ``theta = 0``); ``argmax``: one
    neuron has the unique largest field. ``field_out`` has shape ``(..., N)``; the result ``(...)``.
    """
    if readout == "strict":
        firing = field_out >= theta  # activation(field) > 0
        return np.where(firing.sum(axis=-1) == 1, firing.argmax(axis=-1), -1)
    top = field_out.max(axis=-1, keepdims=True)
    return np.where((field_out == top).sum(axis=-1) == 1, field_out.argmax(axis=-1), -1)


def is_one_to_one(winners):
    """``True`` where every input has an answer and no two inputs share one (``winners``: ``(..., N)``)."""
    ordered = np.sort(winners, axis=-1)
    return (ordered[..., 0] >= 0) & np.all(ordered[..., 1:] != ordered[..., :-1], axis=-1)


# ═══════════════════════════════════════════════════════════════════════════════════════════════════════════
# 3. One network, step by step (the readable path)
# ═══════════════════════════════════════════════════════════════════════════════════════════════════════════


def generate_ei_ratios(P):
    """The seed's achievable E/I ratios for ``P`` typed neurons: E counts ``1 … P-1``, duplicates (to 3 decimals) out.

    Returns a list of ``(excitatory_value, inhibitory_value, excitatory_count, inhibitory_count)``.
    ``P = 6`` (``L = 3, N = 3``) gives 5 ratios, ``P = 8`` (``L = 3, N = 4``) gives 7.
    """
    _check_int("P", P, 1)
    ei_ratios, ratios_checked = [], set()
    for excitatory_count in range(1, P):
        inhibitory_count = P - excitatory_count
        ratio = (round(excitatory_count / P, 3), round(inhibitory_count / P, 3))
        if ratio not in ratios_checked:
            ratios_checked.add(ratio)
            ei_ratios.append((excitatory_count / P, inhibitory_count / P, excitatory_count, inhibitory_count))
    return ei_ratios


def allot_types(P, excitatory_count, allotment="random", rng=None):
    """Which of the ``P`` typed neurons are excitatory: a vector of ``+1`` (E) and ``-1`` (I).

    ``allotment="first"`` makes the lowest layers and indices E; ``"random"`` shuffles the same vector with ``rng``.
    """
    _check_int("excitatory_count", excitatory_count, 0, P)
    _check_choice("allotment", allotment, ("random", "first"))
    types = np.where(np.arange(P) < excitatory_count, 1.0, -1.0)
    return rng.permutation(types) if allotment == "random" else types


def initialize_weights(params, types, rng):
    """The seed's initial weights: ``round(U(w_min, w_max), decimals)``, negated for an inhibitory neuron.

    Returns a list of ``L-1`` matrices, ``W[l]`` of shape ``(n_l, n_{l+1})``. Draws one uniform matrix per layer,
    input layer first, from the ``numpy.random.Generator`` ``rng``. With dual edges (``params.edges == "dual"``)
    every layer draws a second matrix for its inhibitory synapses right after the first, whatever the neuron
    types; the list then holds the ``L-1`` excitatory matrices, then the ``L-1`` inhibitory ones.
    """
    types = check_types(types, params.P)
    sizes, weights, inhibitory = params.sizes, [], []
    for layer, neuron_type in enumerate(split_layers(types, sizes)):
        for kind in ((1.0, -1.0) if params.edges == "dual" else (None,)):
            magnitude = rng.uniform(params.w_min, params.w_max, size=(sizes[layer], sizes[layer + 1]))
            if params.decimals is not None:
                magnitude = np.round(magnitude, params.decimals)
            if kind is None:
                weights.append(magnitude * neuron_type[:, None])  # E: w in [w_min, w_max]; I: w in [-w_max, -w_min]
            else:
                (weights if kind > 0 else inhibitory).append(kind * magnitude)  # the E and the I synapse
    return weights + inhibitory


def presentation_orders(params, rng=None):
    """The order of the ``N`` pairs in every epoch: an int array of shape ``(max_epochs, N)``.

    ``fixed``: ``0 … N-1`` every epoch; ``shuffled``: an independent shuffle per epoch drawn from ``rng``.
    """
    orders = np.tile(np.arange(params.N, dtype=np.int16), (params.max_epochs, 1))
    return rng.permuted(orders, axis=1) if params.order == "shuffled" else orders


def clamp_neurons(neuron_states, input_idx, output_idx):
    """The seed's clamping: every state 0, then input neuron ``input_idx`` and output neuron ``output_idx`` at 1.

    ``neuron_states`` is a list of one state vector per layer; it is changed in place and returned.
    """
    for S in neuron_states:
        S.fill(0)
    neuron_states[0][input_idx] = 1
    neuron_states[-1][output_idx] = 1
    return neuron_states


def effective_weights(weights, params):
    """The weights that carry activity forward: ``weights`` itself, or with dual edges the sums ``E + I`` of each
    layer pair's excitatory and inhibitory matrices (a list of ``L-1`` matrices either way)."""
    if params.edges == "dual" and len(weights) == 2 * (params.L - 1):
        return [E + I for E, I in zip(weights[:params.L - 1], weights[params.L - 1:])]  # w = w_E + w_I
    return weights


def hidden_states(field, params, thresholds=None):
    """The states of a hidden layer with field ``field``: ``threshold_unit(x - theta_a, theta, activation)``, or
    with ``lateral="kwta"`` the ``k`` winners of ``x - theta_a`` (:func:`lateral_inhibition`). ``thresholds``
    are the layer's homeostatic thresholds ``theta_a``, used when ``params.homeostasis > 0``."""
    if params.homeostasis > 0 and thresholds is not None:
        field = field - thresholds  # the effective field x_a − θ_a
    if params.lateral == "kwta":
        return lateral_inhibition(field, params.k, params.activation)
    return threshold_unit(field, params.theta, params.activation)


def forward_pass(neuron_states, weights, through_output=False, params=None, thresholds=None):
    """Pass the input layer's states on: ``S[l] = activation(S[l-1] · W[l-1])`` for the hidden layers.

    During training the output layer stays clamped; ``through_output=True`` (recall) sets it as well.
    Changes ``neuron_states`` in place and returns the last field computed.

    Without ``params`` the units are the seed's. With ``params`` the variants apply: the hidden layers' states
    come from :func:`hidden_states` (``thresholds``: one array of homeostatic thresholds per hidden layer), the
    output's from :func:`threshold_unit`; and during training (``through_output=False``) with
    ``params.feedback = f > 0`` the clamped output adds ``f · Σ_o W[L-2]_co S_out,o`` to the last hidden layer's
    field. ``weights`` are the effective weights (:func:`effective_weights`).
    """
    last = len(neuron_states) - 1 if through_output else len(neuron_states) - 2
    field_in = None
    for layer in range(1, last + 1):
        field_in = synaptic_input(neuron_states[layer - 1], weights[layer - 1])  # x_b = Σ_a S_a W_ab
        if params is None:
            neuron_states[layer][:] = activation_function(field_in)  # S_b = +1 if x_b >= 0 else -1
            continue
        if layer == len(neuron_states) - 1:  # the output layer, at recall
            neuron_states[layer][:] = threshold_unit(field_in, params.theta, params.activation)
            continue
        if params.feedback > 0 and not through_output and layer == len(neuron_states) - 2:
            back = synaptic_input(neuron_states[-1], weights[-1].T)  # Σ_o S_out,o W[L-2]_bo (the clamped output)
            field_in = field_in + params.feedback * back  # x_b + f · Σ_o W_bo S_o
        neuron_states[layer][:] = hidden_states(field_in, params, None if thresholds is None else thresholds[layer - 1])
    return field_in


def update_weights_using_hebbian(weights, neuron_states, types, params):
    """One Hebbian step on every weight of every layer, all from the same states (the seed's rule):

        W[l]_ab ← (1 - eps) W[l]_ab + eps S[l]_a S[l+1]_b type(l, a)

    then Dale's clipping if ``params.dale``. Returns the new list of weight matrices.

    Variants: ``growth_power`` scales the Hebbian term by ``|W_ab|^p`` (:func:`hebbian_update`); with dual edges
    the excitatory matrices are updated with type +1 and the inhibitory ones with type -1, each then clipped to
    its side of zero (:func:`dale_clip`); ``normalise`` then rescales every matrix (:func:`normalise_weights`).
    """
    layers = split_layers(types, params.sizes)
    if params.edges == "dual":  # every synapse's own sign, whatever its neuron's type
        layers = [np.ones_like(t) for t in layers] + [-np.ones_like(t) for t in layers]
    new_weights = []
    for index, neuron_type in enumerate(layers):
        layer = index % (params.L - 1)
        W = hebbian_update(weights[index], neuron_states[layer], neuron_states[layer + 1], neuron_type,
                           params.epsilon, params.growth_power)
        if params.dale or params.edges == "dual":
            W = dale_clip(W, neuron_type)
        if params.normalise != "none":
            W = normalise_weights(W, params.normalise, params.norm_total)
        new_weights.append(W)
    return new_weights


def recall(weights, input_idx, params, thresholds=None):
    """Present input ``input_idx`` alone and pass it through every layer; returns ``(neuron_states, output_field)``.

    ``thresholds``: the homeostatic thresholds of the hidden layers (``None``: all 0).
    """
    neuron_states = [np.zeros(n) for n in params.sizes]
    neuron_states[0][input_idx] = 1
    output_field = forward_pass(neuron_states, effective_weights(weights, params), through_output=True,
                                params=params, thresholds=thresholds)
    return neuron_states, output_field


def check_convergence(weights, mapping, params, thresholds=None):
    """Recall every input; returns ``(recalled, winners)``, two arrays of length ``N``.

    ``winners[i]`` is the output neuron that answers input ``i`` (``-1`` if none does under ``params.readout``);
    ``recalled[i]`` is ``winners[i] == mapping[i]``. The network has converged when ``recalled.all()``.
    """
    winners = np.array([read_out(recall(weights, i, params, thresholds)[1], params.readout, params.theta)
                        for i in range(params.N)])
    return winners == mapping, winners


@dataclass
class RunResult:
    """What one training run reports (MODEL.md S8); ``history`` only when asked for.

    epochs_to_convergence : first epoch after which every pair was recalled, else ``max_epochs``
    converged : whether that happened
    recall_fraction : fraction of the ``N`` pairs recalled at the end (the seed's "partial convergence")
    unique : whether the recalled map at the end is one-to-one at all (distinct answers, maybe not the target)
    stable : whether recall stayed complete at every epoch from the first success to the end
    weights_settled_epoch : first epoch in which no weight changed by more than ``tol``, else ``None``
    weights : final weight matrices (with dual edges ``2(L-1)`` of them: see :attr:`Params.weight_keys`)
    history : dict of per-epoch arrays, epoch 0 being the initial state: ``weights`` (one ``(T+1, n_l, n_{l+1})``
        array per layer), ``hidden`` (one ``(T+1, N, n_l)`` array per hidden layer: the states at recall of every
        input), ``recalled`` ``(T+1, N)``, ``winners`` ``(T+1, N)``, ``thresholds`` (one ``(T+1, n_l)`` array per
        hidden layer: the homeostatic thresholds)
    thresholds : final homeostatic thresholds, one ``(n_l,)`` array per hidden layer (all 0 without homeostasis)
    """

    epochs_to_convergence: int
    converged: bool
    recall_fraction: float
    unique: bool
    stable: bool
    weights_settled_epoch: int | None
    weights: list
    history: dict | None = None
    thresholds: list | None = None


def _history_snapshot(weights, mapping, params, thresholds=None):
    """Weights, hidden states at recall, recall and thresholds, for one network at one moment (readable path)."""
    thresholds = [np.zeros(n) for n in params.sizes[1:-1]] if thresholds is None else thresholds
    states = [recall(weights, i, params, thresholds)[0] for i in range(params.N)]
    recalled, winners = check_convergence(weights, mapping, params, thresholds)
    hidden = [np.array([s[layer] for s in states]) for layer in range(1, params.L - 1)]
    return [W.copy() for W in weights], hidden, recalled, winners, [t.copy() for t in thresholds]


def _stack_history(snapshots):
    weights, hidden, recalled, winners, thresholds = zip(*snapshots)
    return {"weights": [np.array(layer) for layer in zip(*weights)],
            "hidden": [np.array(layer) for layer in zip(*hidden)],
            "recalled": np.array(recalled), "winners": np.array(winners),
            "thresholds": [np.array(layer) for layer in zip(*thresholds)]}


def train_network(params, types, mapping, weights, orders=None, history=False):
    """Train one network with the seed's procedure, step by step, and report as MODEL.md S8 says.

    Each epoch presents the ``N`` pairs in ``orders[epoch]`` (default: input order). For every pair: clamp it,
    pass the input through the hidden layers, update every weight. After every epoch: recall all pairs.

    types : ``P`` values ±1, or a string like ``"EII|IEI"``
    mapping : the target permutation ``pi``, a sequence of length ``N``
    weights : the initial weights (list of ``L-1`` matrices; ``2(L-1)`` with dual edges), e.g. from
        :func:`initialize_weights`
    orders : ``(max_epochs, N)`` ints from :func:`presentation_orders`; needed when ``params.order == "shuffled"``
    history : also return the weights and hidden states after every epoch
    """
    types, mapping = check_types(types, params.P), check_mapping(mapping, params.N)
    weights = check_weights(weights, params)
    if orders is None:
        if params.order == "shuffled":
            _fail("orders", None, "an array from presentation_orders(params, rng) when order='shuffled'")
        orders = presentation_orders(params)
    neuron_states = [np.zeros(n) for n in params.sizes]
    thresholds = [np.zeros(n) for n in params.sizes[1:-1]]  # homeostatic thresholds θ_a, one per hidden unit
    snapshots = [_history_snapshot(weights, mapping, params, thresholds)] if history else None
    first_success, stable, settled = None, False, None
    for epoch in range(1, params.max_epochs + 1):
        previous = weights
        for input_idx in orders[epoch - 1]:
            clamp_neurons(neuron_states, input_idx, mapping[input_idx])
            forward_pass(neuron_states, effective_weights(weights, params), params=params, thresholds=thresholds)
            weights = update_weights_using_hebbian(weights, neuron_states, types, params)
            if params.homeostasis > 0:
                thresholds = [homeostatic_update(theta, S, params.homeostasis, params.rho)
                              for theta, S in zip(thresholds, neuron_states[1:-1])]
        change = max(np.abs(W - W_old).max() for W, W_old in zip(weights, previous))
        if settled is None and change <= params.tol:
            settled = epoch
        recalled, winners = check_convergence(weights, mapping, params, thresholds)
        if history:
            snapshots.append(_history_snapshot(weights, mapping, params, thresholds))
        if first_success is None and recalled.all():
            first_success, stable = epoch, True
        elif first_success is not None and not recalled.all():
            stable = False
        if first_success is not None and params.stop_at_convergence:
            break
    return RunResult(
        epochs_to_convergence=first_success or params.max_epochs,
        converged=first_success is not None,
        recall_fraction=float(recalled.mean()),
        unique=bool(is_one_to_one(winners)),
        stable=stable,
        weights_settled_epoch=settled,
        weights=weights,
        history=_stack_history(snapshots) if history else None,
        thresholds=thresholds,
    )


# ═══════════════════════════════════════════════════════════════════════════════════════════════════════════
# 4. The batched engine: many networks at once
# ═══════════════════════════════════════════════════════════════════════════════════════════════════════════


@dataclass
class BatchResult:
    """The reports of ``B`` runs as arrays of length ``B`` (see :class:`RunResult` for their meaning).

    ``weights_settled_epoch`` is 0 where the weights never settled. ``weights`` holds one ``(B, n_l, n_{l+1})``
    array per layer (``2(L-1)`` arrays with dual edges). ``history`` (when asked for) holds the arrays of
    :class:`RunResult` with a leading batch axis, up to the longest run; a run that stopped at epoch ``t`` has
    valid entries up to ``t``. ``thresholds``: one ``(B, n_l)`` array per hidden layer.
    """

    epochs_to_convergence: np.ndarray
    converged: np.ndarray
    recall_fraction: np.ndarray
    unique: np.ndarray
    stable: np.ndarray
    weights_settled_epoch: np.ndarray
    weights: list
    history: dict | None = None
    thresholds: list | None = None


def train_batch(params, types, mappings, weights, orders=None, history=False):
    """Train ``B`` networks at once, with exactly the arithmetic of :func:`train_network`.

    types : ``(B, P)`` values ±1
    mappings : ``(B, N)`` target permutations
    weights : one ``(B, n_l, n_{l+1})`` array of initial weights per layer (with dual edges, the ``L-1``
        excitatory ones, then the ``L-1`` inhibitory ones)
    orders : ``(B, max_epochs, N)`` presentation orders; ``None`` for the fixed order
    history : also record, after every epoch, the weights, the hidden states at recall, the answers and the
        homeostatic thresholds (memory grows as ``B·max_epochs``: meant for a few networks)

    The work is done by a compiled loop: :func:`_train_kernel` for the seed's rules (up to :data:`LANES` networks
    side by side), :func:`_train_variants` (one network after another) when ``params`` switches on a variant
    (:attr:`Params.variants`) or for fewer than 3 networks; a network that has converged stops (unless
    ``params.stop_at_convergence`` is false). :func:`compile_engine` compiles both loops ahead of use.
    """
    sizes = np.array(params.sizes, dtype=np.int64)
    N, L, K, B = params.N, params.L, int(sizes.max()), len(mappings)
    D = 2 if params.edges == "dual" else 1  # weight matrices per layer pair: one, or an E and an I one
    if orders is None and params.order == "shuffled":
        _fail("orders", None, "an array of presentation orders when order='shuffled'")
    if len(weights) != D * (L - 1):
        _fail("weights", f"{len(weights)} arrays", f"{D * (L - 1)} arrays (one per weight matrix)")
    W = np.zeros((B, D, L - 1, K, K))  # every matrix in one padded array, so that one compiled loop serves any L
    kinds = np.zeros((B, L - 1, K))
    for layer, kind in enumerate(split_layers(np.asarray(types, dtype=np.float64), params.sizes)):
        for d in range(D):
            W[:, d, layer, :sizes[layer], :sizes[layer + 1]] = weights[d * (L - 1) + layer]
        kinds[:, layer, :sizes[layer]] = 1.0 if D == 2 else kind  # dual edges: the E matrix has type +1 throughout
    orders = np.zeros((B, 0, N), dtype=np.int16) if orders is None else np.asarray(orders, dtype=np.int16)
    H = max(L - 2, 1)  # hidden layers (at least one slot, so that L = 2 needs no special case)
    thresholds = np.zeros((B, H, K))
    T = params.max_epochs + 1 if history else 0
    record_W = np.zeros((B if history else 0, T, D, L - 1, K, K))
    record_hidden = np.zeros((B if history else 0, T, H, N, K))
    record_thresholds = np.zeros((B if history else 0, T, H, K))
    record_winners = np.full((B if history else 0, T, N), -1, dtype=np.int64)
    report = np.zeros((B, 4), dtype=np.int64)  # first success, settled epoch, stable, unique
    fraction = np.zeros(B)
    mappings_array = np.asarray(mappings, dtype=np.int64)
    if params.variants or B < 3:  # one network at a time: the variants, and one or two networks (a slider's
        # work), for which setting up the lanes costs more than it saves
        normalise = NORMALISATIONS.index(params.normalise)  # 0 none, 1 pre, 2 post, 3 both
        k = params.k if params.lateral == "kwta" else -1  # -1: no lateral inhibition
        _train_variants(W, kinds, mappings_array, orders, sizes, float(params.epsilon), params.max_epochs,
                        params.dale, float(params.tol), params.readout == "strict", params.stop_at_convergence,
                        params.activation == "binary", float(params.theta), k, float(params.homeostasis),
                        params.rho, normalise, float(params.norm_total), int(params.growth_power),
                        float(params.feedback), thresholds, report, fraction, record_W, record_hidden,
                        record_thresholds, record_winners)
    else:  # the seed's rules: a lean loop of their own (D = 1: the views W[:, 0] are contiguous)
        _train_kernel(W[:, 0], kinds, mappings_array, orders, sizes, float(params.epsilon), params.max_epochs,
                      params.dale, float(params.tol), params.readout == "strict", params.stop_at_convergence,
                      report, fraction, record_W[:, :, 0], record_hidden, record_winners)
    first_success = report[:, 0]
    converged = first_success > 0
    matrices = [(d, layer) for d in range(D) for layer in range(L - 1)]  # the order of params.weight_keys
    result = BatchResult(
        epochs_to_convergence=np.where(converged, first_success, params.max_epochs),
        converged=converged,
        recall_fraction=fraction,
        unique=report[:, 3].astype(bool),
        stable=report[:, 2].astype(bool),
        weights_settled_epoch=report[:, 1],
        weights=[W[:, d, layer, :sizes[layer], :sizes[layer + 1]].copy() for d, layer in matrices],
        thresholds=[thresholds[:, layer - 1, :sizes[layer]].copy() for layer in range(1, L - 1)],
    )
    if history:
        last = int(np.where(converged & params.stop_at_convergence, first_success, params.max_epochs).max()) + 1
        winners = record_winners[:, :last]
        result.history = {
            "weights": [record_W[:, :last, d, layer, :sizes[layer], :sizes[layer + 1]] for d, layer in matrices],
            "hidden": [record_hidden[:, :last, layer - 1, :, :sizes[layer]] for layer in range(1, L - 1)],
            "recalled": winners == np.asarray(mappings)[:, None, :],
            "winners": winners,
            "thresholds": [record_thresholds[:, :last, layer - 1, :sizes[layer]] for layer in range(1, L - 1)],
        }
    return result


def compile_engine():
    """Compile both training loops, or load them from numba's cache (``make`` and Binder's ``postBuild`` call this
    once, so that no sweep or slider waits for the compiler): the lanes of a sweep, and one network at a time."""
    params = Params(L=2, N=2, max_epochs=1)
    for B in (1, 3):
        train_batch(params, np.ones((B, 2)), np.tile([0, 1], (B, 1)), [np.full((B, 2, 2), 0.05)])


#: Networks that the compiled loop trains side by side. Each network has a lane (the last axis) of the loop's work
#: arrays, and the innermost loops run over the lanes, so the compiler turns them into vector instructions.
LANES = 64


@numba.njit(cache=True)
def _aligned_zeros(n):
    """``n`` zeros that start on a 64-byte boundary (a cache line), so that no vector load straddles two lines."""
    buffer = np.zeros(n + 8)
    start = (8 - buffer.ctypes.data // 8 % 8) % 8
    return buffer[start:start + n]


@numba.njit(cache=True)
def _load_lane(g, b, W, kinds, mappings, w, kind, low, high, target):
    """Put network ``b`` (its weights, neuron types, Dale bounds and target) into lane ``g``."""
    for layer in range(W.shape[1]):
        for a in range(W.shape[2]):
            excitatory = kinds[b, layer, a] > 0
            kind[layer, a, g] = kinds[b, layer, a]
            low[layer, a, g] = DALE_FLOOR if excitatory else -1.0  # Dale: E in (0, 1], I in [-1, 0)
            high[layer, a, g] = 1.0 if excitatory else -DALE_FLOOR
            for c in range(W.shape[3]):
                w[layer, a, c, g] = W[b, layer, a, c]
    for i in range(mappings.shape[1]):
        target[i, g] = mappings[b, i]


@numba.njit(cache=True, inline="always")
def _lane_state(S, w, layer, c, n_pre, i, inputs, x):
    """Neuron ``c`` of ``layer`` in every lane ``g`` (as :func:`forward_pass`): its field ``x[g]`` and its state
    ``S[layer, c, g]``. In layer 1 the input is one-hot, input ``i`` in every lane (or ``inputs[g]`` in lane ``g``
    when ``i < 0``), so ``x_c = W_ic`` (the other terms are 0·w = ±0, which change neither the value nor the sign
    test); deeper fields are added in the order ``a = 0, 1, …`` (as :func:`synaptic_input`)."""
    if layer == 1 and i >= 0:
        for g in range(x.shape[0]):
            x[g] = w[0, i, c, g]
    elif layer == 1:
        for g in range(x.shape[0]):
            x[g] = w[0, inputs[g], c, g]
    else:
        for g in range(x.shape[0]):
            x[g] = S[layer - 1, 0, g] * w[layer - 1, 0, c, g]
        for a in range(1, n_pre):
            for g in range(x.shape[0]):
                x[g] = x[g] + S[layer - 1, a, g] * w[layer - 1, a, c, g]  # x_c = Σ_a S_a W_ac
    for g in range(x.shape[0]):
        S[layer, c, g] = 1.0 if x[g] >= 0 else -1.0  # S = +1 if x >= 0 else -1


@numba.njit(cache=True)
def _train_kernel(W, kinds, mappings, orders, sizes, epsilon, max_epochs, dale, tol, strict, stop,
                  report, fraction, record_W, record_hidden, record_winners):
    """Train every network ``W[b]`` in place, step by step as :func:`train_network` does, each operation in the
    readable path's order (so the results are the same to the last bit).

    Up to :data:`LANES` networks are trained side by side, network ``b`` in a lane ``g`` of ``w[layer, a, c, g]``.
    Each pass of the outer loop is one epoch of every lane (a network's epoch 0 is the recall of its initial
    weights), and a lane whose network has finished takes the next one."""
    B, L, N, K = W.shape[0], sizes.shape[0], sizes[0], W.shape[2]
    G = -(-B // max(-(-B // LANES), 1))  # lanes: as few waves of networks as LANES allows, split evenly
    shuffled, recording = orders.shape[1] > 0, record_W.shape[0] > 0
    decay = 1 - epsilon
    w = _aligned_zeros((L - 1) * K * K * G).reshape((L - 1, K, K, G))  # the weights, one lane per network
    previous = _aligned_zeros((L - 1) * K * K * G).reshape((L - 1, K, K, G))  # ... at the start of the epoch
    kind = _aligned_zeros((L - 1) * K * G).reshape((L - 1, K, G))  # neuron types, +1 E or -1 I
    low = _aligned_zeros((L - 1) * K * G).reshape((L - 1, K, G))  # Dale's bounds of each neuron's weights
    high = _aligned_zeros((L - 1) * K * G).reshape((L - 1, K, G))
    S = _aligned_zeros(L * K * G).reshape((L, K, G))  # the states
    x = _aligned_zeros(G)  # one neuron's field
    change = _aligned_zeros(G)  # the largest change of any weight over the epoch
    best = _aligned_zeros(G)  # read-out: the largest output field so far, ...
    n_best = np.zeros(G, dtype=np.int64)  # ... how many outputs have it, ...
    n_firing = np.zeros(G, dtype=np.int64)  # ... how many outputs fire, ...
    answer = np.zeros(G, dtype=np.int64)  # ... and the answering output
    winners = np.zeros((N, G), dtype=np.int64)  # answer to each input (-1: none)
    target = np.zeros((N, G), dtype=np.int64)
    net = np.full(G, -1, dtype=np.int64)  # the network in each lane (-1: none left)
    epoch = np.zeros(G, dtype=np.int64)
    presented, wanted = np.zeros(G, dtype=np.int64), np.zeros(G, dtype=np.int64)  # the clamped pair
    first_success, settled = np.zeros(G, dtype=np.int64), np.zeros(G, dtype=np.int64)
    n_recalled, stable = np.zeros(G, dtype=np.int64), np.zeros(G, dtype=np.bool_)
    for g in range(G):
        net[g] = g
        _load_lane(g, g, W, kinds, mappings, w, kind, low, high, target)
    next_network, busy = G, G
    while busy > 0:
        for layer in range(L - 1):
            for a in range(K):
                for c in range(K):
                    for g in range(G):
                        previous[layer, a, c, g] = w[layer, a, c, g]
        for step in range(N):  # one epoch: every pair once (a lane at its epoch 0 is put back afterwards)
            for g in range(G):
                i = orders[net[g], epoch[g] - 1, step] if shuffled and epoch[g] > 0 else step
                presented[g], wanted[g] = i, target[i, g]
            for a in range(N):  # clamp_neurons (the hidden states are all overwritten below)
                for g in range(G):
                    S[0, a, g] = 1.0 if a == presented[g] else 0.0
                    S[L - 1, a, g] = 1.0 if a == wanted[g] else 0.0
            for layer in range(1, L - 1):  # forward_pass through the hidden layers
                for c in range(sizes[layer]):
                    _lane_state(S, w, layer, c, sizes[layer - 1], -1 if shuffled else step, presented, x)
            for layer in range(L - 1):  # update_weights_using_hebbian
                for a in range(sizes[layer]):
                    for c in range(sizes[layer + 1]):
                        for g in range(G):
                            # W ← (1 − ε) W + ((ε S_a) S_c) type_a
                            v = decay * w[layer, a, c, g] + ((epsilon * S[layer, a, g]) * S[layer + 1, c, g]) \
                                * kind[layer, a, g]
                            if dale:  # clipped to the neuron's side of zero
                                v = low[layer, a, g] if v < low[layer, a, g] else \
                                    (high[layer, a, g] if v > high[layer, a, g] else v)
                            w[layer, a, c, g] = v
        for g in range(G):
            for layer in range(L - 1 if epoch[g] == 0 else 0):  # epoch 0 trains nothing
                for a in range(K):
                    for c in range(K):
                        w[layer, a, c, g] = previous[layer, a, c, g]
        for i in range(N):  # check_convergence: recall each input alone
            for layer in range(1, L):
                for g in range(G):
                    best[g], n_best[g], answer[g], n_firing[g] = -np.inf, 0, -1, 0
                for c in range(sizes[layer]):
                    _lane_state(S, w, layer, c, sizes[layer - 1], i, presented, x)
                    for g in range(G if layer == L - 1 and strict else 0):  # strict: exactly one output fires
                        fires = x[g] >= 0
                        answer[g] = c if fires and n_firing[g] == 0 else answer[g]
                        n_firing[g] += fires
                    for g in range(G if layer == L - 1 and not strict else 0):  # argmax: one largest field
                        above, equal = x[g] > best[g], x[g] == best[g]
                        answer[g] = c if above else answer[g]
                        n_best[g] = 1 if above else (n_best[g] + 1 if equal else n_best[g])
                        best[g] = x[g] if above else best[g]
                for g in range(G if recording and layer < L - 1 else 0):
                    for c in range(sizes[layer] if net[g] >= 0 else 0):
                        record_hidden[net[g], epoch[g], layer - 1, i, c] = S[layer, c, g]
            for g in range(G):
                winners[i, g] = answer[g] if (n_firing[g] == 1 if strict else n_best[g] == 1) else -1
        for g in range(G):
            change[g] = 0.0
        for layer in range(L - 1):
            for a in range(K):
                for c in range(K):
                    for g in range(G):
                        change[g] = max(change[g], abs(w[layer, a, c, g] - previous[layer, a, c, g]))
        for g in range(G):
            n_recalled[g] = 0
        for i in range(N):
            for g in range(G):
                n_recalled[g] += winners[i, g] == target[i, g]
        for g in range(G):
            b, e = net[g], epoch[g]
            if b < 0:
                continue
            if recording:
                for layer in range(L - 1):
                    for a in range(K):
                        for c in range(K):
                            record_W[b, e, layer, a, c] = w[layer, a, c, g]
                for i in range(N):
                    record_winners[b, e, i] = winners[i, g]
            if e > 0:
                if settled[g] == 0 and change[g] <= tol:  # the first epoch whose change is <= tol
                    settled[g] = e
                if n_recalled[g] == N and first_success[g] == 0:  # every pair recalled, for the first time
                    first_success[g], stable[g] = e, True
                elif n_recalled[g] < N:
                    stable[g] = False
            if e < max_epochs and not (first_success[g] > 0 and stop):
                epoch[g] = e + 1
                continue
            unique = True  # every input answered, by different outputs
            for i in range(N):
                unique = unique and winners[i, g] >= 0
                for j in range(i):
                    unique = unique and winners[i, g] != winners[j, g]
            report[b, 0], report[b, 1], report[b, 2], report[b, 3] = first_success[g], settled[g], stable[g], unique
            fraction[b] = n_recalled[g] / N if e > 0 else 0.0
            for layer in range(L - 1):
                for a in range(K):
                    for c in range(K):
                        W[b, layer, a, c] = w[layer, a, c, g]
            first_success[g], settled[g], stable[g], epoch[g] = 0, 0, False, 0
            if next_network < B:  # the lane takes the next network
                net[g] = next_network
                _load_lane(g, next_network, W, kinds, mappings, w, kind, low, high, target)
                next_network += 1
            else:
                net[g] = -1
                busy -= 1


# The compiled functions below take whole arrays and indices, never slices: a slice made inside a loop costs
# reference counting at every step.


@numba.njit(cache=True)
def _field(S, row, W, layer, c, n_pre):
    """``x_c = Σ_a S[row, layer-1, a] W[layer-1, a, c]``, added in the order ``a = 0, 1, …`` (as
    :func:`synaptic_input`)."""
    y = S[row, layer - 1, 0] * W[layer - 1, 0, c]
    for a in range(1, n_pre):
        y = y + S[row, layer - 1, a] * W[layer - 1, a, c]
    return y


@numba.njit(cache=True)
def _forward(W, S, row, i, sizes, feedback, thresholds, homeostasis, binary, theta, k, x):
    """The hidden layers' states ``S[row, 1 … L-2]`` of one network for the one-hot input ``i`` (as
    :func:`forward_pass` with ``params``): fields summed in index order (as :func:`synaptic_input`), the clamped
    output's feedback ``S[row, L-1]`` on the last hidden layer when ``feedback > 0`` (training only), minus the
    homeostatic thresholds, then threshold units or the ``k`` winners (``k >= 0``; :func:`hidden_states`).
    ``W`` are the effective weights; ``x`` is scratch space for one layer's fields."""
    L, N = sizes.shape[0], sizes[0]
    silent = 0.0 if binary else -1.0
    for layer in range(1, L - 1):
        n = sizes[layer]
        for c in range(n):
            if layer == 1:  # the input is one-hot, so x_c = W_ic (the other terms are 0·w = ±0, which change
                y = W[0, i, c]  # neither the value nor any comparison)
            else:
                y = _field(S, row, W, layer, c, sizes[layer - 1])  # x_c = Σ_a S_a W_ac
            if feedback > 0 and layer == L - 2:  # the clamped output, back through W[L-2] transposed
                back = S[row, L - 1, 0] * W[L - 2, c, 0]
                for o in range(1, N):
                    back = back + S[row, L - 1, o] * W[L - 2, c, o]
                y = y + feedback * back  # x_c + f · Σ_o W_co S_o
            if homeostasis:
                y = y - thresholds[layer - 1, c]  # x − θ_a
            x[c] = y
            if k < 0:
                S[row, layer, c] = 1.0 if y >= theta else silent  # S = 1 if x >= θ else silent
        for c in range(n if k >= 0 else 0):  # k-WTA: a unit's rank counts the larger fields, and the equal ones
            rank = 0  # at a lower index (the order of a stable sort)
            for d in range(n):
                if x[d] > x[c] or (x[d] == x[c] and d < c):
                    rank += 1
            S[row, layer, c] = 1.0 if rank < k else silent


@numba.njit(cache=True)
def _normalise(W, d, layer, n_pre, n_post, total, incoming):
    """Synaptic normalisation of ``W[d, layer]`` in place, as :func:`normalise_weights`: each presynaptic neuron's
    outgoing |weights| (each postsynaptic neuron's incoming ones if ``incoming``) scaled to add up to ``total``."""
    for r in range(n_post if incoming else n_pre):
        s = 0.0
        for q in range(n_pre if incoming else n_post):
            s = s + abs(W[d, layer, q, r] if incoming else W[d, layer, r, q])  # Σ |w|, in index order
        if s > 0:
            scale = total / s  # w · (total / Σ |w|)
            for q in range(n_pre if incoming else n_post):
                if incoming:
                    W[d, layer, q, r] = W[d, layer, q, r] * scale
                else:
                    W[d, layer, r, q] = W[d, layer, r, q] * scale


@numba.njit(cache=True)
def _update(W, W_eff, S, row, kinds, sizes, epsilon, power, clip, normalise, total):
    """One Hebbian step on every weight matrix ``W[d, layer]`` of one network, in place, from the states ``S[row]``
    (as :func:`update_weights_using_hebbian`): the rule (with growth power), Dale's clipping if ``clip``, then the
    normalisation (0 none, 1 pre, 2 post, 3 both). With dual edges (``W.shape[0] == 2``) the E matrices take the
    types ``kinds`` (all +1), the I matrices -1, and ``W_eff`` gets their sums."""
    decay = 1 - epsilon
    D = W.shape[0]
    for layer in range(sizes.shape[0] - 1):
        n_pre, n_post = sizes[layer], sizes[layer + 1]
        for d in range(D):
            for a in range(n_pre):
                eps_pre, kind = epsilon * S[row, layer, a], kinds[layer, a] if d == 0 else -1.0
                if power == 0 and not clip:  # the seed's rule, in a loop without branches
                    for c in range(n_post):
                        W[d, layer, a, c] = decay * W[d, layer, a, c] + (eps_pre * S[row, layer + 1, c]) * kind
                    continue
                for c in range(n_post):
                    change = (eps_pre * S[row, layer + 1, c]) * kind  # ((eps S_a) S_b) type, as hebbian_update
                    if power > 0:
                        g = abs(W[d, layer, a, c])
                        for _ in range(1, power):
                            g = g * abs(W[d, layer, a, c])
                        change = change * g  # eps S_a S_b type |w|^p
                    w = decay * W[d, layer, a, c] + change
                    if clip and kind > 0:  # E in (0, 1]
                        w = DALE_FLOOR if w < DALE_FLOOR else (1.0 if w > 1.0 else w)
                    elif clip:  # I in [-1, 0)
                        w = -1.0 if w < -1.0 else (-DALE_FLOOR if w > -DALE_FLOOR else w)
                    W[d, layer, a, c] = w
            if normalise == 1 or normalise == 3:
                _normalise(W, d, layer, n_pre, n_post, total, False)
            if normalise >= 2:
                _normalise(W, d, layer, n_pre, n_post, total, True)
        for a in range(n_pre if D == 2 else 0):
            for c in range(n_post):
                W_eff[layer, a, c] = W[0, layer, a, c] + W[1, layer, a, c]  # w = w_E + w_I


@numba.njit(cache=True)
def _recall_variants(W, sizes, strict, states, winners, binary, theta, k, thresholds, homeostasis, x):
    """Recall every input of one network (as :func:`check_convergence`) with effective weights ``W``: fills
    ``states[i, layer, :]`` with the states at recall of input ``i`` (hidden layers) and ``winners[i]`` with the
    answering output neuron (``-1``: none). ``x`` is scratch space for one layer's fields."""
    L, N = sizes.shape[0], sizes[0]
    for i in range(N):
        for a in range(N):
            states[i, 0, a] = 1.0 if a == i else 0.0
        _forward(W, states, i, i, sizes, 0.0, thresholds, homeostasis, binary, theta, k, x)
        best, n_best, answer, n_firing = -np.inf, 0, -1, 0
        for c in range(N):  # the output layer
            y = W[0, i, c] if L == 2 else _field(states, i, W, L - 1, c, sizes[L - 2])  # one-hot input: see _forward
            if strict and y >= theta:  # strict: exactly one output neuron fires (field >= theta)
                n_firing += 1
                if n_firing == 1:
                    answer = c
            elif not strict and y > best:  # argmax: one neuron has the unique largest field
                best, n_best, answer = y, 1, c
            elif not strict and y == best:
                n_best += 1
        winners[i] = answer if (n_firing == 1 if strict else n_best == 1) else -1


@numba.njit(cache=True)
def _train_variants(W, kinds, mappings, orders, sizes, epsilon, max_epochs, dale, tol, strict, stop, binary, theta,
                  k, homeostasis, rho, normalise, total, power, feedback, thresholds,
                  report, fraction, record_W, record_hidden, record_thresholds, record_winners):
    """Train every network ``W[b]`` in place, one after another, step by step as :func:`train_network` does
    (every operation in the readable path's order). ``W[b, 0]`` holds the weights;
    with dual edges ``W[b, 0]`` the excitatory and ``W[b, 1]`` the inhibitory synapses, whose sums carry activity."""
    B, D, L, N, K = W.shape[0], W.shape[1], sizes.shape[0], sizes[0], W.shape[3]
    shuffled, recording, dual = orders.shape[1] > 0, record_W.shape[0] > 0, W.shape[1] == 2
    S = np.zeros((N, L, K))  # S[i]: the states while pair i is clamped
    x = np.zeros(K)
    states = np.zeros((N, L, K))
    winners = np.zeros(N, dtype=np.int64)
    W_eff = np.zeros((L - 1, K, K))
    previous = np.zeros((D, L - 1, K, K))
    clip = dale or dual  # dual edges always keep each synapse on its side of zero
    for b in range(B):
        first_success, settled, stable, n_recalled = 0, 0, False, 0
        Wb, kinds_b, theta_b = W[b], kinds[b], thresholds[b]  # this network's weights, types and thresholds
        Wf = W_eff if dual else Wb[0]  # the weights that carry activity (w_E + w_I with dual edges)
        for epoch in range(max_epochs + 1):
            for d in range(D):
                for layer in range(L - 1):
                    for a in range(K):
                        for c in range(K):
                            previous[d, layer, a, c] = Wb[d, layer, a, c]
                            if dual and d == 1:
                                W_eff[layer, a, c] = Wb[0, layer, a, c] + Wb[1, layer, a, c]  # w = w_E + w_I
            for step in range(N if epoch > 0 else 0):
                i = orders[b, epoch - 1, step] if shuffled else step
                for a in range(N):  # clamp_neurons (the hidden states are all overwritten below)
                    S[i, 0, a] = 1.0 if a == i else 0.0
                    S[i, L - 1, a] = 1.0 if a == mappings[b, i] else 0.0
                _forward(Wf, S, i, i, sizes, feedback, theta_b, homeostasis > 0, binary, theta, k, x)
                _update(Wb, W_eff, S, i, kinds_b, sizes, epsilon, power, clip, normalise, total)
                for layer in range(1, L - 1 if homeostasis > 0 else 1):  # θ_a ← θ_a + η (r_a − ρ)
                    for c in range(sizes[layer]):
                        r = 1.0 if S[i, layer, c] > 0 else 0.0
                        theta_b[layer - 1, c] = theta_b[layer - 1, c] + homeostasis * (r - rho)
            _recall_variants(Wf, sizes, strict, states, winners, binary, theta, k, theta_b, homeostasis > 0, x)
            if recording:
                for d in range(D):
                    for layer in range(L - 1):
                        for a in range(K):
                            for c in range(K):
                                record_W[b, epoch, d, layer, a, c] = Wb[d, layer, a, c]
                for layer in range(1, L - 1):
                    for c in range(K):
                        record_thresholds[b, epoch, layer - 1, c] = theta_b[layer - 1, c]
                        for i in range(N):
                            record_hidden[b, epoch, layer - 1, i, c] = states[i, layer, c]
                for i in range(N):
                    record_winners[b, epoch, i] = winners[i]
            if epoch == 0:
                continue
            change = 0.0  # the largest change of any weight over this epoch
            for d in range(D):
                for layer in range(L - 1):
                    for a in range(K):
                        for c in range(K):
                            change = max(change, abs(Wb[d, layer, a, c] - previous[d, layer, a, c]))
            if settled == 0 and change <= tol:
                settled = epoch
            n_recalled = 0
            for i in range(N):
                n_recalled += winners[i] == mappings[b, i]
            if n_recalled == N and first_success == 0:
                first_success, stable = epoch, True
            elif n_recalled < N:
                stable = False
            if first_success > 0 and stop:
                break
        unique = True
        for i in range(N):
            unique = unique and winners[i] >= 0
            for j in range(i):
                unique = unique and winners[i] != winners[j]
        report[b, 0], report[b, 1], report[b, 2], report[b, 3] = first_success, settled, stable, unique
        fraction[b] = n_recalled / N


# ── The variants in use: recall of a batch, closed forms, and the Willshaw net (notebook 06) ─────────────────


def recall_batch(weights, params, thresholds=None):
    """Recall every input of ``B`` networks at once, with the variants of ``params`` (the batched twin of
    :func:`recall`).

    weights : one ``(B, n_l, n_{l+1})`` array per weight matrix, e.g. ``BatchResult.weights``
    thresholds : one ``(B, n_l)`` array per hidden layer (``BatchResult.thresholds``), or ``None`` (all 0)
    Returns ``(hidden, output_field)``: the states of each hidden layer at recall, a list of ``(B, N, n_l)`` arrays
    (input ``i`` along axis 1), and the output fields ``(B, N, N)``.
    """
    W = effective_weights(weights, params)
    S = np.broadcast_to(np.eye(params.N), (len(W[0]), params.N, params.N))  # S[0] = one-hot(i), every i
    hidden = []
    for layer in range(1, params.L - 1):
        theta = None if thresholds is None else thresholds[layer - 1][:, None, :]
        S = hidden_states(synaptic_input(S, W[layer - 1][:, None]), params, theta)  # S[l] = units(S[l-1] · W[l-1])
        hidden.append(S)
    return hidden, synaptic_input(S, W[-1][:, None])


def kwta_success_probability(N, M, k):
    """The chance that ``N`` inputs get ``N`` different k-WTA codes when each code is a uniformly random choice
    of ``k`` of the ``M`` hidden units (a birthday problem with ``C = C(M, k)`` possible codes):

        P(success) = C (C - 1) ··· (C - N + 1) / C^N

    With excitatory projections, 0/1 hidden units and one-hot inputs, Hebbian learning freezes each input's
    initial top-k code, so this is the chance that the network learns the permutation (SCIENCE.md §2).
    """
    C = math.comb(M, k)
    return math.prod(max(C - j, 0) / C for j in range(N))


def willshaw_fraction_on(N_A, N_B, M_A, M_B, R):
    """The expected fraction of switched-on synapses of a Willshaw net (Willshaw, Buneman & Longuet-Higgins 1969)
    after storing ``R`` random pairs with ``M_A`` of ``N_A`` input and ``M_B`` of ``N_B`` output units active:

        p = 1 - (1 - M_A M_B / (N_A N_B))^R

    (a synapse stays off only if no pair has both of its ends active)."""
    return 1 - (1 - M_A * M_B / (N_A * N_B)) ** np.asarray(R, dtype=np.float64)


def willshaw_bits_per_synapse(N_A, N_B, M_A, M_B, R):
    """Information stored per synapse when ``R`` output patterns (each one of ``C(N_B, M_B)``) are recalled without
    error: ``R · log2 C(N_B, M_B) / (N_A N_B)``. At ``p = 1/2`` with ``M ≈ log2 N`` it tends to ``ln 2 ≈ 0.69``
    bits per synapse as ``N → ∞``, the Willshaw net's asymptotic capacity."""
    bits = (math.lgamma(N_B + 1) - math.lgamma(M_B + 1) - math.lgamma(N_B - M_B + 1)) / math.log(2)  # log2 C
    return np.asarray(R, dtype=np.float64) * bits / (N_A * N_B)


def willshaw_net(N_A, N_B, M_A, M_B, R, rng):
    """Store ``R`` random pairs of sparse binary patterns in a Willshaw net and recall every stored input.

    Clipped Hebbian learning: a synapse ``W_ab ∈ {0, 1}`` switches on the first time its input ``a`` and output
    ``b`` are active together, and never off. Recall: an output unit fires when its dendritic sum
    ``Σ_a x_a W_ab`` reaches the number of active inputs ``M_A`` (all of them excitatory, a threshold unit).

    Returns a dict: ``fraction_on`` (synapses on), ``spurious`` (mean wrongly firing outputs per recall, to compare
    with ``(N_B - M_B) p^M_A``) and ``perfect`` (fraction of recalls with no error). Every stored output is always
    recalled (its synapses are on), so errors are only spurious ones.
    """
    A = np.array([rng.choice(N_A, M_A, replace=False) for _ in range(R)]).reshape(R, M_A)
    Bp = np.array([rng.choice(N_B, M_B, replace=False) for _ in range(R)]).reshape(R, M_B)
    W = np.zeros((N_A, N_B), dtype=bool)
    for a, b in zip(A, Bp):
        W[np.ix_(a, b)] = True  # clipped Hebb: W_ab = 1 once a and b have fired together
    fires = W[A].sum(axis=1) >= M_A  # Σ_a x_a W_ab >= M_A, every stored input
    target = np.zeros((R, N_B), dtype=bool)
    np.put_along_axis(target, Bp, True, axis=1)
    spurious = (fires & ~target).sum(axis=1)
    return {"fraction_on": float(W.mean()), "spurious": float(spurious.mean()), "perfect": float((spurious == 0).mean())}


#: The variants of notebook 06 as settings of :class:`Params` on top of the seed's ``L = 3`` network. The k-WTA ones
#: use 0/1 units, continuous initial weights (so that ties do not bias the codes) and the argmax read-out (with
#: excitatory hidden-to-output weights every output field is >= 0, so the strict read-out cannot answer).
VARIANTS = {
    "seed": {},
    "k-WTA": {"activation": "binary", "lateral": "kwta", "decimals": None, "readout": "argmax"},
    "k-WTA + homeostasis": {"activation": "binary", "lateral": "kwta", "decimals": None, "readout": "argmax",
                            "homeostasis": 0.02},
    "k-WTA + normalisation": {"activation": "binary", "lateral": "kwta", "decimals": None, "readout": "argmax",
                              "normalise": "both", "growth_power": 2},
    "feedback": {"feedback": 2.0},
    "dual edges": {"edges": "dual"},
}


def variant_params(variant, N=4, M=None, k=None, **settings):
    """:class:`Params` for one of :data:`VARIANTS` with ``N`` inputs and outputs and ``M`` hidden units (default
    ``N``). ``k`` (k-WTA variants only) defaults to ``M // 2`` for plain k-WTA and to 1 (winner-take-all) for the
    two uniqueness mechanisms; other keyword arguments (e.g. ``epsilon``, ``max_epochs``) are passed on."""
    _check_choice("variant", variant, tuple(VARIANTS))
    values = {"L": 3, "N": N, "M": M, **VARIANTS[variant], **settings}
    if values.get("lateral") == "kwta":
        values["k"] = k if k is not None else ((M or N) // 2 if variant == "k-WTA" else 1)
    return Params(**values)


def variant_experiment(params, e_counts=None, repeats=1, mappings="all", seed=0):
    """The seed's sweep (:func:`plan_experiment`) for a network with variants, with the hidden codes measured.

    Returns the sweep table (:data:`COLUMNS`) with three more columns: ``distinct_codes`` (how many different
    states the last hidden layer shows at recall of the ``N`` inputs; ``N`` when there is no hidden layer),
    ``codes_unique`` (``distinct_codes == N``) and ``mean_active`` (the mean number of firing units in that layer).
    """
    _check_int("seed", seed, 0)
    runs = [r for _, group in plan_experiment(params, e_counts, "random", repeats, mappings) for r in group]
    types, result = train_planned(params, runs, seed)
    table = _results_table(params, runs, types, result, seed)
    hidden, _ = recall_batch(result.weights, params, result.thresholds)
    if hidden:
        distinct = distinct_codes(hidden[-1])
        active = (hidden[-1] > 0).sum(axis=-1).mean(axis=-1)
    else:
        distinct, active = np.full(len(runs), params.N), np.full(len(runs), np.nan)
    return table.assign(distinct_codes=distinct, codes_unique=distinct == params.N, mean_active=active)


# ═══════════════════════════════════════════════════════════════════════════════════════════════════════════
# 5. Sweeps: the seed's experiment as a tidy table
# ═══════════════════════════════════════════════════════════════════════════════════════════════════════════

#: One row per run: the seed's columns first, in its order, then the extra ones (MODEL.md S10).
COLUMNS = ["excitatory_value", "inhibitory_value", "target_mapping", "epochs_to_convergence", "converged",
           "converged_weights", "excitatory_count", "inhibitory_count", "allotment", "seed", "recall_fraction",
           "unique", "stable", "weights_settled_epoch", "run"]
MAX_ALL_MAPPINGS = 40320  # 8!: beyond this, pass the mappings to test explicitly


@dataclass(frozen=True)
class PlannedRun:
    """One run of a sweep before it is drawn: its number, E count, target, and allotment (``None``: random)."""

    run: int
    excitatory_count: int
    mapping: tuple
    types: tuple | None


def all_mappings(N):
    """Every one-to-one map of ``N`` items: the ``N!`` permutations, in lexicographic order (as the seed's table)."""
    if math.factorial(N) > MAX_ALL_MAPPINGS:
        _fail("mappings", "all", f"at most {MAX_ALL_MAPPINGS} mappings: with N={N} pass a list of mappings")
    return list(itertools.permutations(range(N)))


def plan_experiment(params, e_counts=None, allotment="random", repeats=1, mappings="all"):
    """The runs of the seed's sweep, grouped by E/I ratio: a list of ``(ratio, runs)``.

    ``ratio`` is ``(excitatory_value, inhibitory_value, excitatory_count, inhibitory_count)``.
    For each E count (default: :func:`generate_ei_ratios`), each allotment, each mapping, ``repeats`` runs.
    allotment : ``"random"`` (each run draws its own), ``"first"``, ``"all"`` (every one of the ``C(P, e)``),
        or an explicit type vector / string such as ``"EII|IEI"`` (then ``e_counts`` is ignored)
    mappings : ``"all"`` (the ``N!`` permutations) or a list of permutations
    """
    P = params.P
    _check_int("repeats", repeats, 1)
    if isinstance(allotment, str) and allotment in ALLOTMENTS:
        explicit = None
    else:
        explicit = tuple(check_types(allotment, P))
        e_counts = [int(sum(t > 0 for t in explicit))]
    mappings = all_mappings(params.N) if isinstance(mappings, str) and mappings == "all" else mappings
    if isinstance(mappings, str) or len(mappings) == 0:
        _fail("mappings", mappings, "'all' or a non-empty list of permutations")
    mappings = [tuple(check_mapping(m, params.N).tolist()) for m in mappings]
    if e_counts is None:
        ratios = generate_ei_ratios(P)
    else:
        for e in e_counts:
            _check_int("excitatory_count", e, 0, P)
        ratios = [(e / P, (P - e) / P, e, P - e) for e in e_counts]

    plan, number = [], 0
    for ratio in ratios:
        e = ratio[2]
        if explicit is not None:
            allotments = [explicit]
        elif allotment == "all":
            allotments = [tuple(np.where(np.isin(np.arange(P), chosen), 1.0, -1.0))
                          for chosen in itertools.combinations(range(P), e)]
        elif allotment == "first":
            allotments = [tuple(allot_types(P, e, "first"))]
        else:
            allotments = [None]
        runs = []
        for types in allotments:
            for mapping in mappings:
                for _ in range(repeats):
                    runs.append(PlannedRun(number, e, mapping, types))
                    number += 1
        plan.append((ratio, runs))
    return plan


def draw_run(params, planned, seed):
    """Draw what a planned run needs from its own generator, ``default_rng([seed, run])``, in this order:
    the allotment (if random), the initial weights, the presentation orders (if shuffled).

    Returns ``(types, weights, orders)``; any single run of a sweep can so be redrawn and retrained alone.
    """
    rng = np.random.default_rng([seed, planned.run])
    if planned.types is None:
        types = allot_types(params.P, planned.excitatory_count, "random", rng)
    else:
        types = np.array(planned.types)
    weights = initialize_weights(params, types, rng)
    orders = presentation_orders(params, rng) if params.order == "shuffled" else None
    return types, weights, orders


def _results_table(params, runs, types, result, seed):
    """Rows of the sweep table for ``runs`` (a list of :class:`PlannedRun`) from a :class:`BatchResult`."""
    P = params.P
    e = np.array([r.excitatory_count for r in runs])
    converged_weights = [
        json.dumps({key: W[b].tolist() for key, W in zip(params.weight_keys, result.weights)})
        if result.converged[b] else "" for b in range(len(runs))]
    settled = pd.array(np.where(result.weights_settled_epoch > 0, result.weights_settled_epoch, 0), dtype="Int64")
    settled[result.weights_settled_epoch == 0] = pd.NA
    return pd.DataFrame({
        "excitatory_value": e / P,
        "inhibitory_value": (P - e) / P,
        "target_mapping": [str(list(r.mapping)) for r in runs],
        "epochs_to_convergence": result.epochs_to_convergence.astype(np.int64),
        "converged": result.converged.astype(bool),
        "converged_weights": converged_weights,
        "excitatory_count": e,
        "inhibitory_count": P - e,
        "allotment": [allotment_string(t, params.sizes) for t in types],
        "seed": seed,
        "recall_fraction": result.recall_fraction,
        "unique": result.unique.astype(bool),
        "stable": result.stable.astype(bool),
        "weights_settled_epoch": settled,
        "run": np.array([r.run for r in runs], dtype=np.int64),
    }, columns=COLUMNS)


def _train_readable(params, types, mappings, weights, orders):
    """Train a chunk of runs one at a time with :func:`train_network`, packed like :func:`train_batch`'s result."""
    results = [train_network(params, t, m, [w[b] for w in weights], None if orders is None else orders[b])
               for b, (t, m) in enumerate(zip(types, mappings))]
    return BatchResult(
        epochs_to_convergence=np.array([r.epochs_to_convergence for r in results]),
        converged=np.array([r.converged for r in results]),
        recall_fraction=np.array([r.recall_fraction for r in results]),
        unique=np.array([r.unique for r in results]),
        stable=np.array([r.stable for r in results]),
        weights_settled_epoch=np.array([r.weights_settled_epoch or 0 for r in results]),
        weights=[np.array([r.weights[layer] for r in results]) for layer in range(len(params.weight_keys))],
        thresholds=[np.array([r.thresholds[layer] for r in results]) for layer in range(params.L - 2)],
    )


def train_planned(params, runs, seed, engine="batched", history=False):
    """Draw (:func:`draw_run`) and train a list of planned runs.

    Returns ``(types, result)``: the ``(B, P)`` type vectors and the :class:`BatchResult`, whose final ``weights``
    (and, with ``history=True`` on the batched engine, the whole course) are what the sweep table leaves out.
    """
    _check_choice("engine", engine, ("batched", "readable"))
    if history and engine != "batched":
        _fail("history", history, "False with engine='readable'")
    drawn = [draw_run(params, r, seed) for r in runs]
    types = np.array([d[0] for d in drawn])
    weights = [np.array([d[1][layer] for d in drawn]) for layer in range(len(params.weight_keys))]
    orders = None if params.order == "fixed" else np.array([d[2] for d in drawn])
    mappings = np.array([r.mapping for r in runs])
    if engine == "readable":
        return types, _train_readable(params, types, mappings, weights, orders)
    return types, train_batch(params, types, mappings, weights, orders, history)


def run_chunk(params, runs, seed, engine="batched"):
    """Draw and train a list of planned runs; returns their rows of the sweep table."""
    types, result = train_planned(params, runs, seed, engine)
    return _results_table(params, runs, types, result, seed)


def map_chunks(params, plan, seed=0, engine="batched", chunk_size=2048, executor=None, skip=()):
    """Train the runs of ``plan`` (from :func:`plan_experiment`) in chunks; yields ``(ratio, rows)`` in plan order.

    executor : anything with the ``concurrent.futures.Executor`` interface (a ``ProcessPoolExecutor``, a Dask
        client's ``get_executor()``), or ``None`` to train here. The table is the same whatever the executor and
        ``chunk_size``, since every run draws from its own generator.
    skip : run numbers to leave out (those already done, when a sweep is resumed)
    """
    _check_int("seed", seed, 0)
    _check_int("chunk_size", chunk_size, 1)
    skip = set(skip)
    chunks = []
    for ratio, runs in plan:
        runs = [r for r in runs if r.run not in skip]
        chunks += [(ratio, runs[start:start + chunk_size]) for start in range(0, len(runs), chunk_size)]
    if executor is None:
        for ratio, runs in chunks:
            yield ratio, run_chunk(params, runs, seed, engine)
        return
    window = 2 * getattr(executor, "_max_workers", 32)  # chunks in flight at once: bounds the memory
    pending = []
    try:
        for ratio, runs in chunks:
            pending.append((ratio, executor.submit(run_chunk, params, runs, seed, engine)))
            if len(pending) >= window:
                ratio_done, future = pending.pop(0)
                yield ratio_done, future.result()
        for ratio_done, future in pending:
            yield ratio_done, future.result()
    finally:
        for _, future in pending:
            future.cancel()


def iter_experiment(params=None, e_counts=None, allotment="random", repeats=1, mappings="all", seed=0,
                    engine="batched", chunk_size=2048, executor=None):
    """Run the seed's sweep lazily: yields ``(ratio, rows)`` for chunks of at most ``chunk_size`` runs.

    See :func:`plan_experiment` for the sweep's arguments and :func:`map_chunks` for ``executor``.
    """
    params = params or Params()
    plan = plan_experiment(params, e_counts, allotment, repeats, mappings)
    yield from map_chunks(params, plan, seed, engine, chunk_size, executor)


def run_experiment(params=None, e_counts=None, allotment="random", repeats=1, mappings="all", seed=0,
                   engine="batched", chunk_size=2048, executor=None, progress=False):
    """The seed's experiment: for each E/I ratio, each allotment, each target permutation, train a fresh network.

    Returns a pandas DataFrame with one row per run and the columns :data:`COLUMNS`. ``engine="readable"`` trains
    every network with the step-by-step path (slow; the same table). ``executor`` spreads the chunks of runs over
    processes or a cluster (:func:`map_chunks`). ``progress=True`` shows a progress bar.
    """
    params = params or Params()
    plan = plan_experiment(params, e_counts, allotment, repeats, mappings)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=sum(len(runs) for _, runs in plan), unit="run")
    chunks = []
    for _, rows in map_chunks(params, plan, seed, engine, chunk_size, executor):
        chunks.append(rows)
        if bar is not None:
            bar.update(len(rows))
    if bar is not None:
        bar.close()
    return pd.concat(chunks, ignore_index=True)


def read_results(path):
    """Read a sweep table written by the command line, with ``target_mapping`` back as lists of ints."""
    table = pd.read_csv(path, keep_default_na=False, na_values={"weights_settled_epoch": [""]})
    table["target_mapping"] = table["target_mapping"].map(json.loads)
    table["weights_settled_epoch"] = table["weights_settled_epoch"].astype("Int64")
    return table


# ── Statistics of a sweep, and the closed forms of Proposition 2 (notebooks 04 and 05) ──────────────────────


def wilson_interval(successes, runs, confidence=0.95):
    """Wilson's score interval for a binomial proportion ``p = successes / runs`` (Wilson 1927).

        centre = (p + z²/2n) / (1 + z²/n),   half-width = z / (1 + z²/n) · sqrt(p(1 - p)/n + z²/4n²)

    with ``n = runs`` and ``z`` the normal quantile of ``(1 + confidence) / 2`` (1.96 for 95 %). Unlike
    ``p ± z·sqrt(p(1 - p)/n)`` it stays inside ``[0, 1]`` and is not empty at 0 of ``n``. Arguments broadcast;
    ``runs = 0`` gives ``(0, 1)``. Returns ``(low, high)``, floats or arrays.
    """
    from statistics import NormalDist

    k, n = np.asarray(successes, dtype=np.float64), np.asarray(runs, dtype=np.float64)
    z = NormalDist().inv_cdf((1 + confidence) / 2)
    m = np.maximum(n, 1)  # n = 0 is handled below
    p = k / m
    centre = (p + z**2 / (2 * m)) / (1 + z**2 / m)  # (p + z²/2n) / (1 + z²/n)
    half = z / (1 + z**2 / m) * np.sqrt(p * (1 - p) / m + z**2 / (4 * m**2))  # z/(1 + z²/n)·√(p(1-p)/n + z²/4n²)
    low = np.where((n > 0) & (k > 0), np.maximum(centre - half, 0), 0.0)  # exactly 0 at 0 of n (no rounding)
    high = np.where((n > 0) & (k < n), np.minimum(centre + half, 1), 1.0)  # exactly 1 at n of n
    return (float(low), float(high)) if low.ndim == 0 else (low, high)


def excitatory_by_layer(allotment):
    """Excitatory neurons of an allotment string in the input layer and in the hidden layers (all together):
    ``"EII|IEI"`` → ``(1, 1)``, ``"IIII|EEIE|IEII"`` → ``(0, 4)``."""
    layers = allotment.split("|")
    return layers[0].count("E"), sum(layer.count("E") for layer in layers[1:])


def layer_counts(table):
    """A copy of a sweep table with the E/I split by layer, from its ``allotment`` column: ``excitatory_input``,
    ``excitatory_hidden`` and ``inhibitory_hidden`` (the hidden layers together)."""
    counts = np.array([excitatory_by_layer(a) for a in table["allotment"]], dtype=np.int64).reshape(-1, 2)
    hidden = np.array([len(a.replace("|", "")) - len(a.split("|")[0]) for a in table["allotment"]], dtype=np.int64)
    return table.assign(excitatory_input=counts[:, 0], excitatory_hidden=counts[:, 1],
                        inhibitory_hidden=hidden - counts[:, 1])


def summarise_sweep(table, by="excitatory_value", outcome="converged", confidence=0.95):
    """One row per group of a sweep table: how many runs, how many succeeded, and the rates with intervals.

    by : column(s) to group by, e.g. ``"excitatory_value"`` or ``["excitatory_input", "excitatory_hidden"]``
        (see :func:`layer_counts`)
    outcome : boolean column that counts as success; default ``"converged"`` (the first full recall)

    Columns: the ``by`` columns; ``runs``; ``successes``; ``rate`` with its Wilson interval ``low``, ``high``;
    ``recall_fraction`` (mean fraction of pairs recalled at the end) with ``recall_low``, ``recall_high``;
    ``median_epochs`` (``epochs_to_convergence`` over the successful runs; NaN if none). The recall interval is
    Wilson's with ``n = runs``: a fraction in ``[0, 1]`` varies no more than a 0/1 outcome of the same mean, so it
    is conservative (the ``N`` pairs of one run are not independent trials).
    """
    by = [by] if isinstance(by, str) else list(by)
    success = table[outcome].astype(bool)
    summary = (table.assign(_success=success, _epochs=table["epochs_to_convergence"].where(success))
               .groupby(by, sort=True)
               .agg(runs=("_success", "size"), successes=("_success", "sum"),
                    recall_fraction=("recall_fraction", "mean"), median_epochs=("_epochs", "median"))
               .reset_index())
    summary["rate"] = summary["successes"] / summary["runs"]
    summary["low"], summary["high"] = wilson_interval(summary["successes"], summary["runs"], confidence)
    summary["recall_low"], summary["recall_high"] = wilson_interval(summary["recall_fraction"] * summary["runs"],
                                                                    summary["runs"], confidence)
    return summary[by + ["runs", "successes", "rate", "low", "high", "recall_fraction", "recall_low",
                         "recall_high", "median_epochs"]]


def format_summary(summary, outcome="converged"):
    """A table from :func:`summarise_sweep` for reading: the group columns (E/I ratios to 3 decimals, as the seed
    rounds them), ``k of n`` runs for ``outcome``, and the rates as percentages with their 95% intervals."""
    by = list(summary.columns[:list(summary.columns).index("runs")])
    shown = summary[by].copy()
    if "excitatory_value" in shown:
        shown["excitatory_value"] = shown["excitatory_value"].map("{:.3f}".format)
    shown[outcome] = [f"{k} of {n}" for k, n in zip(summary["successes"], summary["runs"])]
    shown["rate [95% interval]"] = [f"{r:.1%} [{a:.1%}, {b:.1%}]" for r, a, b in
                                    zip(summary["rate"], summary["low"], summary["high"])]
    shown["pairs recalled [95% interval]"] = [f"{r:.1%} [{a:.1%}, {b:.1%}]" for r, a, b in zip(
        summary["recall_fraction"], summary["recall_low"], summary["recall_high"])]
    return shown


def hebb_fixed_points(N, epsilon):
    """Where the rule as written takes the weights of an input neuron presented at step ``i`` of every epoch
    (fixed order), for ``i = 0 … N-1`` (Proposition 2).

    In one epoch such a weight gets one kick ``eps·x`` at step ``i`` and decays at all ``N`` steps:
    ``w_end = (1-eps)^N w_start + eps x d_i`` with ``d_i = (1-eps)^(N-1-i)``.

    * inhibitory input: the kick points against the weight's sign (``x = -sign w``), so the weight settles into a
      period-2 cycle ``±A_I`` with ``A_I = eps d_i / (1 + (1-eps)^N)``;
    * excitatory input: ``x = +1`` always, a fixed point ``A_E = eps d_i / (1 - (1-eps)^N)``.

    The weights from the hidden layer to output neuron ``pi(i)`` are kicked at the same step, so they end at the
    same ``±A_I[i]`` or ``A_E[i]``. For ``i = 0``: ``A_I = eps d/(1 + d(1-eps))``, ``A_E = eps d/(1 - d(1-eps))``,
    ``d = (1-eps)^(N-1)``. Returns ``(A_I, A_E)``, two arrays of shape ``(N,)``.
    """
    d = (1 - epsilon) ** (N - 1 - np.arange(N))  # d_i = (1-eps)^(N-1-i): the decays after the kick
    decay = (1 - epsilon) ** N  # one epoch of decay
    return epsilon * d / (1 + decay), epsilon * d / (1 - decay)  # A = -decay·A + eps d_i;  A = decay·A + eps d_i


def recall_fields(weights, params):
    """Recall every input of ``B`` networks at once (as :func:`check_convergence` does, one-hot input by input).

    weights : one ``(B, n_l, n_{l+1})`` array per layer, e.g. ``BatchResult.weights``
    Returns ``(fields, hidden)``: the output fields ``(B, N, N)`` (input ``i``, output neuron) and the states of
    each hidden layer at recall, a list of ``(B, N, n_l)`` arrays.
    """
    S = np.broadcast_to(np.eye(params.N), (len(weights[0]), params.N, params.N))  # S[0] = one-hot(i), every i
    hidden = []
    for W in weights[:-1]:
        S = activation_function(synaptic_input(S, W[:, None]))  # S[l] = activation(S[l-1] · W[l-1])
        hidden.append(S)
    return synaptic_input(S, weights[-1][:, None]), hidden  # x_o = Σ_k S_k W_ko


def distinct_codes(states):
    """How many different state vectors the inputs produce: ``states`` of ±1, shape ``(..., N, n)`` (e.g. the hidden
    states at recall) → ints of shape ``(...)``."""
    states = np.asarray(states)
    codes = np.sort(((states > 0) * 2 ** np.arange(states.shape[-1])).sum(axis=-1), axis=-1)  # ±1 row → binary
    return 1 + (np.diff(codes, axis=-1) != 0).sum(axis=-1)


def target_fields(params, types, mappings, weights):
    """The field of every target output neuron at recall, beside Proposition 2's prediction (one hidden layer).

    Once the transient has faded, input ``i``'s hidden code at recall is ``h(i)``, and the weights onto its target
    are ``W[1][k, pi(i)] = type(i)·A(i)·type(k)·h_k(i)`` (:func:`hebb_fixed_points`; an inhibitory input's code has
    flipped since it was trained), so the target's field is

        x_pi(i) = Σ_k h_k(i) W[1][k, pi(i)] = type(i) · A(i) · (E_hidden - I_hidden).

    An inhibitory input's target can only fire when the hidden layer has more I than E neurons; an excitatory
    input's only when it has more E.

    types : ``(B, P)``; mappings : ``(B, N)``; weights : the final weights, one ``(B, n_l, n_{l+1})`` array per layer
    Returns a DataFrame, one row per run and input: ``run`` (``0 … B-1``), ``input``, ``input_type``,
    ``amplitude`` (``A(i)``), ``hidden_balance`` (``E_hidden - I_hidden``), ``target_field``, ``predicted`` and
    ``recalled``.
    """
    if params.L != 3:
        _fail("params.L", params.L, "3 (one hidden layer)")
    types, mappings = np.asarray(types), np.asarray(mappings)
    B, N = mappings.shape
    fields, _ = recall_fields(weights, params)
    target = np.take_along_axis(fields, mappings[:, :, None], axis=-1)[..., 0]  # x_pi(i) for every input i
    input_type, hidden_type = types[:, :N], types[:, N:]
    A_I, A_E = hebb_fixed_points(N, params.epsilon)
    amplitude = np.where(input_type > 0, A_E, A_I)  # A(i)
    balance = hidden_type.sum(axis=1)[:, None]  # E_hidden - I_hidden = Σ_k type(k)
    return pd.DataFrame({
        "run": np.repeat(np.arange(B), N), "input": np.tile(np.arange(N), B),
        "input_type": input_type.ravel().astype(np.int64), "amplitude": amplitude.ravel(),
        "hidden_balance": np.repeat(balance[:, 0], N).astype(np.int64), "target_field": target.ravel(),
        "predicted": (input_type * amplitude * balance).ravel(),  # type(i)·A(i)·(E_hidden - I_hidden)
        "recalled": (read_out(fields, params.readout) == mappings).ravel()})


# ═══════════════════════════════════════════════════════════════════════════════════════════════════════════
# Topographic maps (Willshaw & von der Malsburg 1976)
# ═══════════════════════════════════════════════════════════════════════════════════════════════════════════
# The biological version of the seed's one-to-one map: a retina and a tectum, two square sheets of `size × size`
# cells, connected all-to-all by excitatory synapses s_ij (retinal cell i → tectal cell j). Each presentation
# activates a random pair of neighbouring retinal cells (A_i = 1); the tectal activity H relaxes to stationarity
# under short-range lateral excitation and longer-range lateral inhibition; active pairs grow (Hebb) and each
# tectal cell's total input is held constant (competition). A few "polarity markers" fix the map's orientation.
# Willshaw & von der Malsburg (1976) Proc R Soc Lond B 194:431–445; parameters as in public teaching code of the
# model (SCIENCE.md §3). Cell j of a sheet sits at (row, col) = divmod(j, size).

#: Lateral weights e_jk by Manhattan distance d between tectal cells j and k, at strength 1 (the published set):
#: excitation at d = 1, 2, inhibition at d = 3, nothing beyond (and no self-connection).
LATERAL_WEIGHTS = {1: 0.05, 2: 0.025, 3: -0.06}

#: The strengths swept by the course (multiples of the published lateral weights; 1 = published).
LATERAL_STRENGTHS = {"lateral_inhibition": (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0),
                     "lateral_excitation": (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0)}

#: Presentations after which the course draws a forming map, and the seeds of the full sweep (`make figures`).
MAP_STAGES = (0, 500, 1500, 3000, 6000)
MAP_SWEEP_SEEDS = range(20)


def _check_real(name, value, low, high=None, open_low=False):
    """Raise ``ValueError`` unless ``value`` is a finite number in ``[low, high]`` (``(low, high]``: ``open_low``)."""
    allowed = f"a number in {'(' if open_low else '['}{low}, {'∞)' if high is None else f'{high}]'}"
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not math.isfinite(value):
        _fail(name, value, allowed)
    if (value <= low if open_low else value < low) or (high is not None and value > high):
        _fail(name, value, allowed)


@dataclass(frozen=True)
class MapParams:
    """The retinotectal model of Willshaw & von der Malsburg (1976), with the published parameter set.

    size : int, default 6
        Cells per side of the retina and of the tectum (``size²`` cells each), 4 … 16.
    presentations : int, default 6000
        Stimuli (random neighbouring retinal pairs) presented during training, >= 0.
    lateral_excitation : float, default 1.0
        Multiplies the excitatory lateral weights, +0.05 at distance 1 and +0.025 at distance 2; in [0, 10].
    lateral_inhibition : float, default 1.0
        Multiplies the inhibitory lateral weight, −0.06 at distance 3; in [0, 10].
    alpha : float, default 0.5
        Decay rate of tectal activity ``H``, in (0, 1] (Euler steps of ``dt = 1``).
    theta : float, default 10
        Threshold: a tectal cell's output is ``H* = max(H − theta, 0)``.
    S : float, default 2.5
        Mean input weight of every tectal cell, kept by normalisation (and the mean of the initial weights).
    s_sd : float, default 0.14
        Standard deviation of the initial weights, drawn from ``N(S, s_sd)``.
    h : float, default 0.016
        Hebbian growth rate.
    epsilon_mod : float, default 2
        Modification threshold: only tectal cells with ``H* > epsilon_mod`` grow synapses.
    marker_strength : float, default 5
        Polarity markers: the initial weights from the 4 central retinal cells to the 4 tectal cells at the same
        positions are multiplied by this factor (then normalised), once, before training; 1 switches them off.
    tol : float, default 1e-3
        Relaxation is stationary when no ``H_j`` changes by more than ``tol`` in one step.
    max_steps : int, default 1000
        Relaxation steps at most (reached only where activity oscillates; counted in ``MapRun.capped``).
    max_activity : float, default 1000
        Ceiling on ``H*``: with strong lateral excitation activity would grow without bound. The published
        parameters stay far below it (the largest ``H*`` is about 140).
    """

    size: int = 6
    presentations: int = 6000
    lateral_excitation: float = 1.0
    lateral_inhibition: float = 1.0
    alpha: float = 0.5
    theta: float = 10.0
    S: float = 2.5
    s_sd: float = 0.14
    h: float = 0.016
    epsilon_mod: float = 2.0
    marker_strength: float = 5.0
    tol: float = 1e-3
    max_steps: int = 1000
    max_activity: float = 1000.0

    def __post_init__(self):
        _check_int("size", self.size, 4, 16)
        _check_int("presentations", self.presentations, 0)
        _check_int("max_steps", self.max_steps, 1)
        _check_real("lateral_excitation", self.lateral_excitation, 0, 10)
        _check_real("lateral_inhibition", self.lateral_inhibition, 0, 10)
        _check_real("alpha", self.alpha, 0, 1, open_low=True)
        for name in ("theta", "s_sd", "h", "epsilon_mod"):
            _check_real(name, getattr(self, name), 0)
        for name in ("S", "tol", "max_activity"):
            _check_real(name, getattr(self, name), 0, open_low=True)
        _check_real("marker_strength", self.marker_strength, 1)


def sheet_positions(size):
    """``(row, col)`` of every cell of a ``size × size`` sheet, cell ``j`` at ``divmod(j, size)``: ``(size², 2)``."""
    return np.column_stack(np.divmod(np.arange(size * size), size))


def sheet_distances(size, metric="manhattan"):
    """Distances between all cells of a sheet, ``(size², size²)``: ``"manhattan"`` ``|Δrow| + |Δcol|`` or
    ``"chebyshev"`` ``max(|Δrow|, |Δcol|)`` (cells that touch, diagonals included, are at 1)."""
    _check_choice("metric", metric, ("manhattan", "chebyshev"))
    difference = np.abs(sheet_positions(size)[:, None, :] - sheet_positions(size)[None, :, :])
    return difference.sum(axis=-1) if metric == "manhattan" else difference.max(axis=-1)


def lateral_weight(d, lateral_excitation=1.0, lateral_inhibition=1.0):
    """The lateral weight at Manhattan distance ``d`` (a number or an array): :data:`LATERAL_WEIGHTS` with the
    excitatory part (``d = 1, 2``) times ``lateral_excitation`` and the inhibitory part (``d = 3``) times
    ``lateral_inhibition``; 0 at ``d = 0`` and beyond 3."""
    d = np.asarray(d)
    return np.select([d == 1, d == 2, d == 3], [lateral_excitation * LATERAL_WEIGHTS[1],
                                                lateral_excitation * LATERAL_WEIGHTS[2],
                                                lateral_inhibition * LATERAL_WEIGHTS[3]], 0.0)


def lateral_connections(size, lateral_excitation=1.0, lateral_inhibition=1.0):
    """The tectum's lateral weights ``e_jk``, ``(size², size²)``, symmetric (no wrap-around at the borders)."""
    return lateral_weight(sheet_distances(size), lateral_excitation, lateral_inhibition)


def neighbour_pairs(size):
    """Every pair ``(i, k)``, ``i < k``, of cells at Manhattan distance 1: the stimuli, and the map's neighbours.
    Shape ``(2·size·(size−1), 2)``."""
    i, k = np.nonzero(np.triu(sheet_distances(size) == 1))
    return np.column_stack([i, k])


def marker_cells(size):
    """The 4 central cells of a sheet (for odd ``size``, the 2 × 2 block just above and left of the centre)."""
    low = size // 2 - 1
    return np.array([row * size + col for row in (low, low + 1) for col in (low, low + 1)])


def normalise_inputs(s, S):
    """Rescale every tectal cell's input weights so that their mean is ``S``: ``s_ij ← S · s_ij / mean_i s_ij``.
    ``s`` is ``(..., R, T)``; returns a new array."""
    return s * (S / s.mean(axis=-2, keepdims=True))


def initial_map_weights(params, rng):
    """Initial weights ``s`` (``(R, T)``, R = T = ``size²``): ``N(S, s_sd)``, the polarity markers' weights times
    ``marker_strength``, then normalised."""
    n = params.size ** 2
    s = rng.normal(params.S, params.s_sd, (n, n))
    markers = marker_cells(params.size)
    s[markers, markers] *= params.marker_strength  # central retinal cell → tectal cell at the same position
    return normalise_inputs(s, params.S)


@numba.njit(cache=True)
def _relax_kernel(drive, e, alpha, theta, max_activity, tol, max_steps, H, steps, capped):
    """Relax ``B`` tecta to stationarity from rest, Euler steps of ``dt = 1`` (scalar loops only; the sum over k
    skips silent cells). Fills ``H`` (B, T), ``steps`` (B,) and ``capped`` (B,: ``max_steps`` reached)."""
    B, T = drive.shape
    H_star = np.zeros(T)
    active = np.zeros(T, dtype=np.int64)
    for b in range(B):
        for j in range(T):
            H[b, j] = 0.0
        capped[b] = True
        for step in range(1, max_steps + 1):
            n_active = 0
            for k in range(T):
                H_star[k] = min(max(H[b, k] - theta, 0.0), max_activity)  # H* = max(H − θ, 0), capped
                if H_star[k] > 0.0:
                    active[n_active] = k
                    n_active += 1
            change = 0.0
            for j in range(T):
                lateral = 0.0
                for a in range(n_active):
                    lateral += e[b, j, active[a]] * H_star[active[a]]  # Σ_k e_jk H*_k
                dH = -alpha * H[b, j] + drive[b, j] + lateral  # dH_j/dt = −α H_j + Σ_i s_ij A_i + Σ_k e_jk H*_k
                H[b, j] += dH  # dt = 1
                change = max(change, abs(dH))
            steps[b] = step
            if change <= tol:
                capped[b] = False
                break


def relax_tectum(drive, e, params):
    """Tectal activity at stationarity for the retinal input ``drive_j = Σ_i s_ij A_i``.

    drive : ``(T,)`` or ``(B, T)``; e : lateral weights ``(T, T)`` or ``(B, T, T)`` (:func:`lateral_connections`)
    Returns ``(H, steps, capped)``: the activity, the Euler steps taken, and whether ``params.max_steps`` was
    reached first (shapes ``drive.shape``, ``drive.shape[:-1]``, ``drive.shape[:-1]``).
    """
    drive2 = np.array(drive, dtype=np.float64, ndmin=2)
    e3 = np.ascontiguousarray(np.broadcast_to(np.asarray(e, dtype=np.float64), (len(drive2),) + np.shape(e)[-2:]))
    H, steps, capped = np.zeros_like(drive2), np.zeros(len(drive2), dtype=np.int64), np.zeros(len(drive2), dtype=bool)
    _relax_kernel(drive2, e3, float(params.alpha), float(params.theta), float(params.max_activity), float(params.tol),
                  params.max_steps, H, steps, capped)
    return (H[0], steps[0], capped[0]) if np.ndim(drive) == 1 else (H, steps, capped)


def output_activity(H, params):
    """``H* = min(max(H − θ, 0), max_activity)``: what a tectal cell sends to its neighbours and to learning."""
    return np.clip(H - params.theta, 0.0, params.max_activity)


def tectal_response(s, cells, params):
    """``H*`` of every tectal cell at stationarity when the retinal ``cells`` (e.g. a neighbouring pair) are
    active, with weights ``s`` (``(R, T)``): ``(T,)``."""
    e = lateral_connections(params.size, params.lateral_excitation, params.lateral_inhibition)
    return output_activity(relax_tectum(s[np.asarray(cells)].sum(axis=0), e, params)[0], params)


@dataclass
class MapRun:
    """One trained map.

    s : final weights ``(R, T)``; history : weights ``(K, R, T)`` after ``history_at`` presentations (``None``
    unless asked for); active : tectal cells with ``H* > 0`` at each presentation ``(P,)``; steps : relaxation
    steps at each presentation ``(P,)``; capped : presentations whose relaxation reached ``max_steps``.
    """

    params: MapParams
    seed: int
    s: np.ndarray
    history: np.ndarray | None
    history_at: np.ndarray | None
    active: np.ndarray
    steps: np.ndarray
    capped: int

    @property
    def centres(self):
        """Receptive-field centres of the final map (:func:`receptive_field_centres`)."""
        return receptive_field_centres(self.s, self.params.size)


def train_maps(runs, record_every=0):
    """Train several maps at once: ``runs`` is a list of ``(MapParams, seed)`` whose parameters differ at most in
    their lateral strengths. Returns a list of :class:`MapRun`, in order.

    Each run draws everything from ``numpy.random.default_rng(seed)``: its initial weights, then its
    ``presentations`` stimuli. So one seed gives the same start and the same stimuli at every lateral strength,
    and the same result alone or in any batch. ``record_every`` (> 0) keeps the weights every that many
    presentations, and at the end.
    """
    from dataclasses import replace

    if len(runs) == 0:
        _fail("runs", runs, "a non-empty list of (MapParams, seed)")
    params = runs[0][0]
    common = replace(params, lateral_excitation=1.0, lateral_inhibition=1.0)
    for p, seed in runs:
        if replace(p, lateral_excitation=1.0, lateral_inhibition=1.0) != common:
            _fail("runs", p, f"parameters that differ from {params} only in their lateral strengths")
        _check_int("seed", seed, 0)
    _check_int("record_every", record_every, 0)
    pairs, B, P = neighbour_pairs(params.size), len(runs), params.presentations
    s, stimuli = [], []
    for p, seed in runs:
        rng = np.random.default_rng(seed)
        s.append(initial_map_weights(p, rng))
        stimuli.append(rng.integers(len(pairs), size=P))
    s, stimuli, b = np.array(s), np.array(stimuli).reshape(B, P), np.arange(B)
    e = np.array([lateral_connections(p.size, p.lateral_excitation, p.lateral_inhibition) for p, _ in runs])
    active, steps = np.zeros((B, P), dtype=np.int64), np.zeros((B, P), dtype=np.int64)
    capped, history, history_at = np.zeros(B, dtype=np.int64), [], []
    for t in range(P + 1):
        if record_every and (t % record_every == 0 or t == P):
            history.append(s.copy())
            history_at.append(t)
        if t == P:
            break
        A = pairs[stimuli[:, t]]  # the two active retinal cells of each run, A_i = 1
        drive = s[b, A[:, 0]] + s[b, A[:, 1]]  # Σ_i s_ij A_i
        H, steps[:, t], stuck = relax_tectum(drive, e, params)
        H_star = output_activity(H, params)
        growth = params.h * np.where(H_star > params.epsilon_mod, H_star, 0.0)  # Δs_ij = h A_i H*_j if H*_j > ε
        s[b, A[:, 0]] += growth
        s[b, A[:, 1]] += growth
        s = normalise_inputs(s, params.S)  # mean_i s_ij = S for every tectal cell j
        active[:, t] = (H_star > 0).sum(axis=-1)
        capped += stuck
    history = np.array(history).swapaxes(0, 1) if history else [None] * B
    return [MapRun(p, seed, s[r], history[r], np.array(history_at) if record_every else None, active[r], steps[r],
                   int(capped[r])) for r, (p, seed) in enumerate(runs)]


def train_map(params=None, seed=0, record_every=0):
    """Train one map (defaults: the published parameters) from ``seed``; see :func:`train_maps`. Returns a
    :class:`MapRun`."""
    return train_maps([(params or MapParams(), seed)], record_every)[0]


# ── Measures of map quality (all from the receptive-field centres) ───────────────────────────────────────────


def receptive_field_centres(s, size):
    """Centre of each tectal cell's receptive field: the mean retinal position weighted by its input weights,
    ``c_j = Σ_i s_ij x_i / Σ_i s_ij``. ``s`` is ``(R, T)``; returns ``(T, 2)`` (row, col) in retinal units."""
    return (s.T @ sheet_positions(size)) / s.sum(axis=0)[:, None]


def map_correlation(centres, size):
    """Pearson's r between tectal position and receptive-field centre, row with row and column with column,
    averaged over the two axes. 1: a perfect map in the orientation the markers ask for; 0: no order; −1:
    reversed. A sheet axis whose centres do not vary at all counts as r = 0."""
    x = sheet_positions(size) - sheet_positions(size).mean(axis=0)
    c = centres - centres.mean(axis=0)
    norm = np.sqrt((x ** 2).sum(axis=0) * (c ** 2).sum(axis=0))
    r = np.divide((x * c).sum(axis=0), norm, out=np.zeros(2), where=norm > 0)
    return float(r.mean())


def neighbour_distance(centres, size):
    """Mean retinal distance between the receptive-field centres of tectal neighbours (Manhattan distance 1).
    1 on a perfect map (the grid spacing); below 1: neighbours see nearly the same place (a compressed or
    collapsed map); above 1: the map is torn or scrambled (a shuffled 6×6 map gives about 3)."""
    pairs = neighbour_pairs(size)
    return float(np.linalg.norm(centres[pairs[:, 0]] - centres[pairs[:, 1]], axis=1).mean())


def topographic_error(centres, size):
    """Fraction of retinal positions whose two nearest receptive-field centres belong to tectal cells that do not
    touch (Chebyshev distance > 1), after Kiviluoto (1996). 0 on a perfect map; ties go to the lower index."""
    d = np.linalg.norm(sheet_positions(size)[:, None, :] - centres[None, :, :], axis=-1)
    first, second = np.argsort(d, axis=1, kind="stable")[:, :2].T
    return float(np.mean(sheet_distances(size, "chebyshev")[first, second] > 1))


def map_quality(s, size):
    """The three measures of the map with weights ``s``: a dict ``correlation``, ``neighbour_distance``,
    ``topographic_error``."""
    centres = receptive_field_centres(s, size)
    return {"correlation": map_correlation(centres, size), "neighbour_distance": neighbour_distance(centres, size),
            "topographic_error": topographic_error(centres, size)}


# ── The E/I sweep and its statistics ───────────────────────────────────────────────────────────────────────

#: One row per trained map.
MAP_COLUMNS = ["lateral_excitation", "lateral_inhibition", "seed", "size", "presentations", "correlation",
               "neighbour_distance", "topographic_error", "active_cells", "relaxation_steps", "relaxation_capped"]


def map_sweep(lateral_excitation=(1.0,), lateral_inhibition=(1.0,), seeds=range(10), params=None, chunk_size=64,
              progress=False):
    """Train a map for every lateral excitation × lateral inhibition × seed; returns a DataFrame with one row
    per run and the columns :data:`MAP_COLUMNS`.

    ``active_cells`` is the mean number of tectal cells with ``H* > 0`` over the last tenth of training;
    ``relaxation_steps`` the mean steps to stationarity; ``relaxation_capped`` the relaxations that hit
    ``max_steps``. Runs are trained ``chunk_size`` at a time; ``progress=True`` shows a progress bar.
    """
    from dataclasses import replace

    params = params or MapParams()
    seeds = list(seeds)
    if not seeds:
        _fail("seeds", seeds, "at least one seed")
    _check_int("chunk_size", chunk_size, 1)
    runs = [(replace(params, lateral_excitation=float(x), lateral_inhibition=float(i)), seed)
            for x in lateral_excitation for i in lateral_inhibition for seed in seeds]
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(runs), unit="map")
    rows = []
    for start in range(0, len(runs), chunk_size):
        for run in train_maps(runs[start:start + chunk_size]):
            last = run.active[-max(len(run.active) // 10, 1):] if len(run.active) else np.zeros(1)
            rows.append({"lateral_excitation": run.params.lateral_excitation,
                         "lateral_inhibition": run.params.lateral_inhibition, "seed": run.seed,
                         "size": params.size, "presentations": params.presentations,
                         **map_quality(run.s, params.size), "active_cells": float(last.mean()),
                         "relaxation_steps": float(run.steps.mean()) if len(run.steps) else 0.0,
                         "relaxation_capped": run.capped})
        if bar is not None:
            bar.update(min(chunk_size, len(runs) - start))
    if bar is not None:
        bar.close()
    return pd.DataFrame(rows, columns=MAP_COLUMNS)


def bootstrap_interval(values, confidence=0.95, resamples=2000, seed=0):
    """Percentile bootstrap interval of the mean of ``values``: ``(low, high)``, drawn from ``default_rng(seed)``."""
    values = np.asarray(values, dtype=np.float64)
    _check_real("confidence", confidence, 0, 1, open_low=True)
    means = values[np.random.default_rng(seed).integers(len(values), size=(resamples, len(values)))].mean(axis=1)
    low, high = np.quantile(means, [(1 - confidence) / 2, (1 + confidence) / 2])
    return float(low), float(high)


def summarise_maps(table, by, measure="correlation", confidence=0.95):
    """Mean of ``measure`` over seeds for each value of ``by``, with its bootstrap interval: a DataFrame with the
    columns ``by``, ``n`` (runs), ``mean``, ``low``, ``high``."""
    _check_choice("measure", measure, MAP_COLUMNS[5:])
    rows = []
    for value, group in table.groupby(by, sort=True):
        low, high = bootstrap_interval(group[measure], confidence)
        rows.append({by: value, "n": len(group), "mean": float(group[measure].mean()), "low": low, "high": high})
    return pd.DataFrame(rows)


# ═══════════════════════════════════════════════════════════════════════════════════════════════════════════
# 6. Plots
# ═══════════════════════════════════════════════════════════════════════════════════════════════════════════
# Every plot function takes data (and, optionally, the axes to draw on) and returns the figure; none calls
# plt.show(). matplotlib is imported inside them so that `import hebb_core` stays fast for the command line.

#: Excitatory red, inhibitory blue (neuron types, and the sign of a weight); output neurons (no type) grey.
COLOURS = {"E": "#c62828", "I": "#1565c0", "output": "#9e9e9e"}
WEIGHT_CMAP = "RdBu_r"  # weights: positive red, negative blue, zero white


def _figure_and_axes(ax, **figure_kw):
    """``(figure, ax)``: the root figure that ``ax`` is drawn in, or a new figure with one axes."""
    if ax is None:
        import matplotlib.pyplot as plt

        return plt.subplots(layout="constrained", **figure_kw)
    return ax.figure.figure, ax  # .figure twice: the root figure, also when ax lives in a subfigure


def recall_table(weights, mapping, params):
    """What the network answers to each input (the seed's recall), as a table with one row per input ``i``.

    Columns: ``input``, ``target`` (``pi(i)``), ``output states`` (at recall), ``answer`` (the output neuron that
    answers under ``params.readout``; ``-1``: none) and ``recalled`` (``answer == target``).
    """
    mapping = check_mapping(mapping, params.N)
    recalled, winners = check_convergence(weights, mapping, params)
    outputs = [recall(weights, i, params)[0][-1] for i in range(params.N)]
    return pd.DataFrame({
        "input": np.arange(params.N),
        "target": mapping,
        "output states": [" ".join(f"{s:+.0f}" for s in S) for S in outputs],
        "answer": winners,
        "recalled": recalled,
    })


def plot_decision_line(w, theta, ax=None):
    """A two-input McCulloch–Pitts unit in its input plane: the line ``w1 x1 + w2 x2 = theta``, the side on which
    it fires (shaded) and the four binary inputs (filled: the unit fires). Returns the figure."""
    from matplotlib.colors import ListedColormap

    fig, ax = _figure_and_axes(ax, figsize=(4.2, 4))
    (w1, w2), low, high = w, -0.5, 1.5
    grid = np.linspace(low, high, 201)
    plane = np.stack(np.meshgrid(grid, grid), axis=-1)  # (x1, x2) at every pixel
    ax.imshow(mcculloch_pitts_unit(plane, w, theta), origin="lower", extent=(low, high, low, high),
              cmap=ListedColormap(["white", "#f6cccc"]), vmin=0, vmax=1)
    if w2 != 0:
        ax.plot(grid, (theta - w1 * grid) / w2, color="k")  # x2 = (theta - w1 x1) / w2
    elif w1 != 0:
        ax.axvline(theta / w1, color="k")  # x1 = theta / w1
    table = truth_table(w, theta)
    ax.scatter(table.x1, table.x2, s=160, c=np.where(table.S > 0, "k", "w"), edgecolors="k", zorder=3)
    ax.set(xlim=(low, high), ylim=(low, high), xticks=[0, 1], yticks=[0, 1], xlabel="$x_1$", ylabel="$x_2$",
           title=f"w = ({w1:g}, {w2:g}), θ = {theta:g}: {BOOLEAN_FUNCTIONS[tuple(table.S)]}")
    return fig


def plot_hebb_trajectory(numeric, analytic, epsilon, w_star, ax=None):
    """One weight under repeated pairing: the rule applied step by step (dots) against the closed form (line),
    with the fixed point ``w*`` (dashed) and the time scale ``t = 1/eps`` (dotted). Returns the figure."""
    fig, ax = _figure_and_axes(ax, figsize=(6.4, 3.6))
    t = np.arange(len(analytic))
    ax.plot(t, analytic, color="k", lw=1.5, label="closed form $w^* + (w_0 - w^*)(1-ε)^t$")
    ax.plot(t, numeric, "o", color="#ef6c00", ms=4, markevery=max(1, len(t) // 40), label="the rule, step by step")
    ax.axhline(w_star, color="grey", ls="--", label=f"fixed point $w^*$ = {w_star:+g}")
    if 1 / epsilon <= t[-1]:
        ax.axvline(1 / epsilon, color="grey", ls=":", label=f"$t = 1/ε$ = {1 / epsilon:.3g}")
    ax.set(xlim=(0, max(t[-1], 1)), ylim=(-1.1, 1.1), xlabel="pairings $t$", ylabel="weight $w$",
           title=f"ε = {epsilon:.3g}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", frameon=False)
    return fig


def plot_network(params, types, weights, states=None, ax=None, title=None):
    """The network, layer by layer from the input (left) to the output (right).

    Neurons: red excitatory, blue inhibitory, grey output (no type). Edges: width ∝ |w| (relative to the largest
    weight drawn), red positive, blue negative. ``states`` (one vector per layer, e.g. after :func:`clamp_neurons`)
    are written inside the neurons; a neuron at ``+1`` gets a thick rim. Returns the figure.
    """
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    sizes, tallest = params.sizes, max(params.sizes)
    fig, ax = _figure_and_axes(ax, figsize=(1.6 * params.L + 1.2, 0.65 * tallest + 1.6))
    positions = [np.column_stack([np.full(n, layer), (n - 1) / 2 - np.arange(n)]) for layer, n in enumerate(sizes)]
    segments, w = [], []
    for layer, W in enumerate(weights):
        pre, post = np.meshgrid(np.arange(sizes[layer]), np.arange(sizes[layer + 1]), indexing="ij")
        segments.append(np.stack([positions[layer][pre.ravel()], positions[layer + 1][post.ravel()]], axis=1))
        w.append(np.ravel(W))
    w = np.concatenate(w)
    widths = 0.3 + 5 * np.abs(w) / (np.abs(w).max() or 1.0)  # edge width ∝ |w|
    ax.add_collection(LineCollection(np.concatenate(segments), linewidths=widths, alpha=0.6, zorder=1,
                                     colors=np.where(w >= 0, COLOURS["E"], COLOURS["I"])))
    kinds = np.concatenate([check_types(types, params.P), np.zeros(sizes[-1])])
    xy = np.concatenate(positions)
    rims = np.ones(len(xy))
    if states is not None:
        S = np.concatenate([np.ravel(s) for s in states])
        rims = np.where(S > 0, 3.5, 1.0)
        for (x, y), s in zip(xy, S):
            ax.text(x, y, {1: "+1", -1: "−1", 0: "0"}[int(s)], ha="center", va="center", color="white",
                    fontsize=9, fontweight="bold", zorder=4)
    ax.scatter(xy[:, 0], xy[:, 1], s=480 if tallest <= 5 else 260, linewidths=rims, edgecolors="k", zorder=3,
               c=np.select([kinds > 0, kinds < 0], [COLOURS["E"], COLOURS["I"]], COLOURS["output"]))
    hidden = ["hidden"] if params.L == 3 else [f"hidden {layer}" for layer in range(1, params.L - 1)]
    names = ["input"] + hidden + ["output"]
    for layer, name in enumerate(names):
        ax.text(layer, (tallest - 1) / 2 + 0.55, name, ha="center", va="bottom")
    handles = [Line2D([], [], ls="", marker="o", ms=9, mec="k", mfc=COLOURS[kind], label=f"{kind} neuron")
               for kind in ("E", "I")]
    handles += [Line2D([], [], color=COLOURS[kind], lw=2.5, label=label) for kind, label in (("E", "w > 0"),
                                                                                             ("I", "w < 0"))]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.02), ncols=2, frameon=False,
              fontsize="small")
    ax.set(xlim=(-0.45, params.L - 0.55), ylim=(-(tallest - 1) / 2 - 0.5, (tallest - 1) / 2 + 0.9))
    ax.axis("off")
    if title:
        ax.set_title(title)
    return fig


def plot_weight_heatmaps(weights, axes=None, vmax=None, label="", annotate=True):
    """One heatmap per weight matrix ``W[l]`` (rows: presynaptic neuron in layer ``l``; columns: postsynaptic
    neuron in layer ``l+1``), all on one colour scale ``[-vmax, vmax]`` (default: the largest |w|). ``annotate``
    writes the values in when a matrix is small. ``label`` starts each title (e.g. ``"before: "``). Returns the figure.
    """
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, len(weights), figsize=(2.9 * len(weights) + 1, 2.9), layout="constrained",
                               squeeze=False)
        axes = axes[0]
    vmax = vmax or max(np.abs(W).max() for W in weights) or 1.0
    for layer, (W, ax) in enumerate(zip(weights, axes)):
        image = ax.imshow(W, cmap=WEIGHT_CMAP, vmin=-vmax, vmax=vmax, interpolation="nearest")
        if annotate and W.size <= 16:  # small enough to read the numbers
            for (a, b), value in np.ndenumerate(W):
                ax.text(b, a, f"{value:.3f}", ha="center", va="center", fontsize=7,
                        color="white" if abs(value) > 0.6 * vmax else "black")
        ax.set(title=f"{label}W[{layer}]", xlabel=f"to layer {layer + 1}", ylabel=f"from layer {layer}",
               xticks=np.arange(W.shape[1]), yticks=np.arange(W.shape[0]))
    axes[0].figure.colorbar(image, ax=list(axes), shrink=0.8, label="weight")
    return axes[0].figure.figure


def _envelope(traces, bins=400):
    """Thin traces for drawing on a logarithmic epoch axis: per bin of epochs (one epoch wide at first, then
    log-spaced like the axis) the lowest and the highest value. ``traces`` has shape ``(T, K)``; returns the epochs
    and values to plot. At the axis' resolution the picture is that of every epoch, and it draws 3 times faster."""
    starts = np.unique(np.geomspace(1, len(traces), bins).astype(int)) - 1  # 0, 1, 2, …, then wider bins
    low, high = np.minimum.reduceat(traces, starts), np.maximum.reduceat(traces, starts)
    return np.repeat(starts, 2), np.stack([low, high], axis=1).reshape(2 * len(starts), -1)


def plot_weight_traces(params, types, weight_history, converged_at=None, axes=None):
    """Every weight over the epochs of a training run, one panel per weight matrix; a trace is red when its
    presynaptic neuron is excitatory, blue when inhibitory.

    weight_history : one ``(T+1, n_l, n_{l+1})`` array per layer, epoch 0 first (``RunResult.history["weights"]``,
        or one network's slice of ``BatchResult.history["weights"]``)
    converged_at : epoch of the first full recall, marked by a dashed line (``None``: not marked)

    Returns the figure.
    """
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    if axes is None:
        _, axes = plt.subplots(1, len(weight_history), figsize=(3.6 * len(weight_history) + 0.6, 2.8),
                               layout="constrained", sharey=True, squeeze=False)
        axes = axes[0]
    top = 1.1 * max(np.abs(history).max() for history in weight_history) or 1.0
    for layer, (history, kind, ax) in enumerate(zip(weight_history, split_layers(check_types(types, params.P),
                                                                                   params.sizes), axes)):
        T = history.shape[0]
        epochs, traces = _envelope(history.reshape(T, -1))
        ax.add_collection(LineCollection(  # one line per weight W[a, b], all drawn at once
            [np.column_stack([epochs, trace]) for trace in traces.T], linewidths=0.8, alpha=0.7,
            colors=np.repeat(np.where(kind > 0, COLOURS["E"], COLOURS["I"]), history.shape[2])))
        ax.axhline(0, color="k", lw=0.5)
        if converged_at is not None:
            ax.axvline(converged_at, color="k", ls="--", lw=1)
        ax.set_xscale("symlog", linthresh=10, linscale=0.5)  # the first 1/eps epochs and the long run, side by side
        ax.xaxis.set_major_formatter("{x:g}")  # 0, 10, 100, 1000: quicker to draw than 10^k
        ax.set(xlim=(0, max(T - 1, 1)), ylim=(-top, top), xlabel="epoch (linear to 10, then logarithmic)",
               title=f"W[{layer}]: from layer {layer}")
    axes[0].set_ylabel("weight")
    handles = [Line2D([], [], color=COLOURS["E"], label="from an E neuron"),
               Line2D([], [], color=COLOURS["I"], label="from an I neuron")]
    if converged_at is not None:
        handles.append(Line2D([], [], color="k", ls="--", label=f"all pairs recalled (epoch {converged_at})"))
    axes[-1].legend(handles=handles, loc="lower right", fontsize="small")
    return axes[0].figure.figure


def plot_training_run(params, types, weight_history, converged_at=None, title=None):
    """The main explorer's figure: the trained network and its weight matrices (top), every weight over the
    epochs (bottom). Arguments as for :func:`plot_weight_traces`. Returns the figure."""
    import matplotlib.pyplot as plt

    n = params.L - 1
    # A fixed grid rather than a layout engine, and 80 dpi on screen: the explorer redraws in well under 0.5 s.
    fig = plt.figure(figsize=(11, 6.6), dpi=80)
    rows = fig.add_gridspec(2, 1, height_ratios=[1.1, 1], left=0.075, right=0.97, bottom=0.08, top=0.9, hspace=0.4)
    top = rows[0].subgridspec(1, n + 1, width_ratios=[1.5] + [1] * n, wspace=0.35)
    bottom = rows[1].subgridspec(1, n, wspace=0.08)
    final = [history[-1] for history in weight_history]
    plot_network(params, types, final, ax=fig.add_subplot(top[0]))
    plot_weight_heatmaps(final, axes=[fig.add_subplot(top[1 + layer]) for layer in range(n)], label="final ",
                         annotate=False)  # the numbers are in the colour bar; fewer texts redraw faster
    traces = [fig.add_subplot(bottom[0])]
    traces += [fig.add_subplot(bottom[layer], sharey=traces[0]) for layer in range(1, n)]
    plot_weight_traces(params, types, weight_history, converged_at, axes=traces)
    for ax in traces[1:]:
        ax.tick_params(labelleft=False)
    if title:
        fig.suptitle(title)
    return fig


def _ratio_ticks(ax, values):
    """E/I ratios as x ticks: the fraction of excitatory neurons, to 3 decimals (the seed's rounding)."""
    values = np.sort(np.unique(values))
    if len(values) > 9:  # several networks in one axes: a plain scale
        ax.set_xticks(np.linspace(0, 1, 11), [f"{v:.1f}" for v in np.linspace(0, 1, 11)])
        ax.set_xlim(0, 1)
    else:
        ax.set_xticks(values, [f"{v:.3f}" for v in values])
    ax.set_xlabel("E/I ratio: fraction of excitatory neurons")


def plot_epochs_vs_ratio(table, ax=None, title="Number of epochs vs E/I ratio"):
    """The seed's figure: epochs to convergence against the E/I ratio, one dot per run (filled red: converged;
    hollow grey at ``max_epochs``: not converged), spread sideways within a ratio, with ``k/n`` (converged of
    runs) above each ratio. ``table``: a sweep table. Returns the figure."""
    fig, ax = _figure_and_axes(ax, figsize=(5.4, 3.4))
    values = table["excitatory_value"].to_numpy()
    ratios = np.unique(values)
    width = 0.4 * (np.diff(ratios).min() if len(ratios) > 1 else 0.2)
    group = table.groupby("excitatory_value")
    rank, size = group.cumcount().to_numpy(), group["converged"].transform("size").to_numpy()
    x = values + width * ((rank + 0.5) / size - 0.5)  # the runs of one ratio side by side
    y, done = table["epochs_to_convergence"].to_numpy(), table["converged"].to_numpy()
    ax.scatter(x[~done], y[~done], s=16, facecolors="none", edgecolors=COLOURS["output"], label="not converged")
    ax.scatter(x[done], y[done], s=16, color=COLOURS["E"], label="converged")
    top = y.max()
    for value, rows in group:
        ax.text(value, 1.06 * top, f"{rows['converged'].sum()}/{len(rows)}", ha="center", va="bottom",
                fontsize="small")
    _ratio_ticks(ax, values)
    ax.set(ylabel="epochs to convergence", ylim=(0, 1.2 * top), title=title)
    ax.legend(loc="center left", fontsize="small", frameon=False)
    return fig


def plot_convergence_rate(summary, hue=None, ax=None, counts=True, ylabel="convergence probability"):
    """A rate against the E/I ratio with its Wilson interval, from :func:`summarise_sweep`; ``counts`` writes
    ``k/n`` (successes of runs) above each point. ``hue``: a column of ``summary`` that splits it into lines
    (e.g. ``"N"``, ``"readout"``), drawn side by side. Returns the figure."""
    from matplotlib.ticker import PercentFormatter

    fig, ax = _figure_and_axes(ax, figsize=(5.6, 3.6))
    groups = [(None, summary)] if hue is None else list(summary.groupby(hue, sort=True))
    values = np.unique(summary["excitatory_value"])
    dodge = 0.12 * (np.diff(values).min() if len(values) > 1 else 0.2)
    for index, (value, rows) in enumerate(groups):
        xs = rows["excitatory_value"].to_numpy() + dodge * (index - (len(groups) - 1) / 2)
        rate = rows["rate"].to_numpy()
        ax.errorbar(xs, rate, yerr=[rate - rows["low"], rows["high"] - rate], marker="o", ms=4, capsize=3, lw=1,
                    label=None if hue is None else f"{hue} = {value}")
        if counts:
            for xi, high, k, n in zip(xs, rows["high"], rows["successes"], rows["runs"]):
                ax.annotate(f"{k}/{n}", (xi, high), xytext=(0, 2), textcoords="offset points", ha="center",
                            va="bottom", fontsize=6.5, rotation=90 if len(groups) > 1 else 0)
    _ratio_ticks(ax, values)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set(ylabel=f"{ylabel} (Wilson interval)", ylim=(0, min(1.0, 1.35 * summary["high"].max()) or 1.0))
    if hue is not None:
        ax.legend(fontsize="small", frameon=False)
    return fig


def plot_epochs_distribution(table, hue=None, ax=None):
    """How many epochs the runs that converged needed, against the E/I ratio: one dot per run (seaborn strip plot,
    logarithmic epochs), ``hue`` a column of the sweep table (e.g. ``"N"``). Returns the figure."""
    import seaborn as sns

    fig, ax = _figure_and_axes(ax, figsize=(5.6, 3.6))
    done = table[table["converged"]]
    if len(done):
        sns.stripplot(data=done, x="excitatory_value", y="epochs_to_convergence", hue=hue, native_scale=True,
                      jitter=0.25, size=4, alpha=0.8, palette="deep" if hue else None, ax=ax)
        ax.set_yscale("log")
    else:
        ax.text(0.5, 0.5, f"none of {len(table)} runs converged", transform=ax.transAxes, ha="center")
    _ratio_ticks(ax, table["excitatory_value"])
    ax.set(ylabel="epochs to convergence", title=f"{len(done)} converged runs of {len(table)}")
    return fig


def plot_recall_fraction(summary, N, hue=None, ax=None):
    """Partial convergence: the mean fraction of pairs recalled at the end against the E/I ratio, with its
    (conservative) Wilson interval, beside chance ``1/N`` and the Dale ceiling ``2/N``. ``summary`` from
    :func:`summarise_sweep`. Returns the figure."""
    from matplotlib.ticker import PercentFormatter

    fig, ax = _figure_and_axes(ax, figsize=(5.6, 3.6))
    groups = [(None, summary)] if hue is None else list(summary.groupby(hue, sort=True))
    for value, rows in groups:
        mean = rows["recall_fraction"].to_numpy()
        ax.errorbar(rows["excitatory_value"], mean, yerr=[mean - rows["recall_low"], rows["recall_high"] - mean],
                    marker="o", ms=4, capsize=3, lw=1, label="the sweep" if hue is None else f"{hue} = {value}")
    ax.axhline(1 / N, color="k", ls=":", label=f"chance 1/N = {1 / N:.2f}")
    ax.axhline(min(2 / N, 1), color="k", ls="--", label=f"Dale ceiling 2/N = {min(2 / N, 1):.2f}")
    _ratio_ticks(ax, summary["excitatory_value"])
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set(ylim=(0, min(1.05, 2.8 / N)), ylabel="pairs recalled at the end", title=f"N = {N}")
    ax.legend(fontsize="small", frameon=False, loc="upper right")
    return fig


def plot_layer_split(summary, ax=None):
    """Convergence by where the excitatory neurons are: a heatmap of the rate by E count in the input layer (rows)
    and in the hidden layer(s) (columns), each cell labelled ``k/n``; empty cells grey. ``summary`` from
    :func:`summarise_sweep` with ``by=["excitatory_input", "excitatory_hidden"]``. Returns the figure."""
    import matplotlib as mpl

    fig, ax = _figure_and_axes(ax, figsize=(4.6, 3.6))
    cells = summary.pivot(index="excitatory_input", columns="excitatory_hidden")
    rate = cells["rate"].to_numpy(dtype=np.float64)
    cmap = mpl.colormaps["Reds"].with_extremes(bad="#eeeeee")
    image = ax.imshow(rate, cmap=cmap, vmin=0, vmax=max(np.nanmax(rate), 1e-9), aspect="auto")
    for (row, col), n in np.ndenumerate(cells["runs"].to_numpy(dtype=np.float64)):
        if n > 0:
            ax.text(col, row, f"{cells['successes'].to_numpy()[row, col]:.0f}/{n:.0f}", ha="center", va="center",
                    fontsize=7, color="white" if rate[row, col] > 0.6 * np.nanmax(rate) > 0 else "black")
    ax.set(xticks=np.arange(rate.shape[1]), xticklabels=cells["rate"].columns,
           yticks=np.arange(rate.shape[0]), yticklabels=cells.index,
           xlabel="E neurons in the hidden layer", ylabel="E neurons in the input layer")
    fig.colorbar(image, ax=ax, label="convergence probability")
    return fig


def plot_code_counts(table, hue="dale", ax=None):
    """How many distinct hidden codes (first hidden layer, at recall) the runs showed at most: a bar per count,
    split by ``hue`` (e.g. ``"dale"``). ``table`` has a column ``distinct_codes``. Returns the figure."""
    import seaborn as sns

    fig, ax = _figure_and_axes(ax, figsize=(4.6, 3.4))
    sns.countplot(data=table, x="distinct_codes", hue=hue, palette="deep", ax=ax)
    ax.set(xlabel="distinct hidden states among the N inputs (most over all epochs)", ylabel="runs")
    return fig


def plot_weight_cycle(weight_history, input_types, epsilon, axes=None, zoom=8):
    """Proposition 2 in one network: every weight from the input layer over the epochs (left; red from an E input,
    blue from an I input) against the closed forms of :func:`hebb_fixed_points` (dashed: ``+A_E`` for E inputs,
    ``±A_I`` for I inputs), and the last ``zoom`` epochs of the I inputs' weights (right), flipping sign every epoch.

    weight_history : ``(T+1, N, n_1)``, the input layer's weights after every epoch (epoch 0 first)
    input_types : ``(N,)``, +1 (E) or -1 (I)
    Returns the figure.
    """
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.4), layout="constrained", width_ratios=[1.6, 1])
    T, N = weight_history.shape[0] - 1, weight_history.shape[1]
    A_I, A_E = hebb_fixed_points(N, epsilon)
    kinds = np.asarray(input_types)
    left, right = axes
    for i in range(N):
        colour = COLOURS["E"] if kinds[i] > 0 else COLOURS["I"]
        left.plot(weight_history[:, i, :], color=colour, lw=0.6, alpha=0.7)
        for level in ([A_E[i]] if kinds[i] > 0 else [A_I[i], -A_I[i]]):
            left.axhline(level, color=colour, ls="--", lw=0.8)
    left.set_yscale("symlog", linthresh=2 * A_I.max(), linscale=1.5)  # the ±A_I cycle and A_E ≈ 1/N, both visible
    left.set_xscale("symlog", linthresh=10, linscale=0.5)  # the first crossings of zero and the long run
    left.set(xlim=(0, T), xlabel="epoch (linear to 10, then logarithmic)", ylabel="weight W[0] (symmetric log scale)",
             title=f"input layer: E → +A_E = {A_E[0]:.3g}…, I → ±A_I = ±{A_I[0]:.4f}…")
    start = max(T - zoom, 0)
    epochs = np.arange(start, T + 1)
    for i in np.flatnonzero(kinds < 0):
        right.plot(epochs, weight_history[start:, i, :], "o-", color=COLOURS["I"], ms=3, lw=0.6)
        right.axhline(A_I[i], color="k", ls="--", lw=0.6)
        right.axhline(-A_I[i], color="k", ls="--", lw=0.6)
    right.axhline(0, color="grey", lw=0.5)
    right.set(xlabel="epoch", ylim=(-1.6 * A_I.max(), 1.6 * A_I.max()),
              title="I inputs, last epochs (dashed: ±A_I)" if (kinds < 0).any() else "no I input")
    return axes[0].figure.figure


def plot_target_fields(fields, ax=None):
    """Why the rare successes need a net-inhibitory hidden layer: each target output neuron's field at recall, in
    units of ``A(i)``, against ``type(i)·(E_hidden - I_hidden)``, I inputs left of each value and E inputs right,
    each group labelled with the pairs recalled in it (``k/n``). Proposition 2 puts every point on the diagonal;
    the target can fire (field >= 0) only on its right half. ``fields`` from :func:`target_fields`.
    Returns the figure."""
    fig, ax = _figure_and_axes(ax, figsize=(5.6, 4))
    x = fields["input_type"] * fields["hidden_balance"]
    y = fields["target_field"] / fields["amplitude"]
    for (kind, value), rows in fields.groupby([np.where(fields["input_type"] > 0, "E", "I"), x]):
        side = 0.15 if kind == "E" else -0.15
        ax.scatter(np.full(len(rows), value + side), y[rows.index], s=30, color=COLOURS[kind], zorder=3,
                   label=f"from an {kind} input")
        ax.annotate(f"{rows['recalled'].sum()}/{len(rows)}", (value + side, y[rows.index].mean()),
                    xytext=(6 if kind == "E" else -6, 0), textcoords="offset points", va="center",
                    ha="left" if kind == "E" else "right", fontsize=7, color=COLOURS[kind])
    edge = max(np.abs(x).max(), 1) + 0.8
    ax.plot([-edge, edge], [-edge, edge], color="k", lw=0.8, label="Proposition 2: y = x")
    ax.axhspan(-edge, 0, color="#eeeeee", zorder=0)
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    ax.legend(unique.values(), unique.keys(), fontsize="small", loc="upper left", frameon=False)
    ax.text(0.98, 0.03, "grey: the target cannot fire; k/n: pairs recalled", transform=ax.transAxes, ha="right",
            fontsize="small")
    error = (fields["target_field"] - fields["predicted"]).abs().max()
    ax.set(xlim=(-edge, edge), ylim=(-edge, edge), xlabel="type(i) · (E_hidden − I_hidden)",
           ylabel="target field at recall / A(i)",
           title=f"{len(fields)} pairs; largest |field − prediction| = {error:.1e}")
    return fig


def plot_recall_counts(recall_fraction, N, ax=None):
    """Partial convergence in a set of runs: how many runs recalled ``0, 1, …, N`` of their ``N`` pairs at the end,
    beside chance ``1/N`` and the Dale ceiling ``2/N`` (dotted and dashed lines). Returns the figure."""
    fig, ax = _figure_and_axes(ax, figsize=(4.2, 3.4))
    recalled = np.rint(np.asarray(recall_fraction) * N).astype(np.int64)  # pairs recalled per run
    counts = np.bincount(recalled, minlength=N + 1)
    ax.bar(np.arange(N + 1), counts, color=COLOURS["output"])
    ax.axvline(1, color="k", ls=":", label="chance: 1 pair (1/N)")
    ax.axvline(min(2, N), color="k", ls="--", label="Dale ceiling: 2 pairs (2/N)")
    ax.set(xticks=np.arange(N + 1), xlabel=f"pairs recalled at the end (of N = {N})", ylabel="runs",
           ylim=(0, 1.35 * max(counts.max(), 1)),
           title=f"mean {recalled.mean() / N:.0%} of pairs, {len(recalled)} runs")
    ax.legend(fontsize="small", loc="upper right")
    return fig


def plot_map(centres, size, ax=None, title=None):
    """A topographic map drawn as a deformed grid: each tectal cell's receptive-field centre on the retina, joined
    to those of its tectal neighbours (rows and columns of the tectum). A perfect map is the light grey grid; the
    polarity markers' tectal cells are red dots. Returns the figure."""
    fig, ax = _figure_and_axes(ax, figsize=(3.6, 3.6))
    grid = sheet_positions(size).reshape(size, size, 2)
    c = np.asarray(centres).reshape(size, size, 2)  # c[row, col] = (retinal row, retinal col)
    for k in range(size):
        ax.plot(grid[k, :, 1], grid[k, :, 0], grid[:, k, 1], grid[:, k, 0], color="0.88", lw=1, zorder=1)
        ax.plot(c[k, :, 1], c[k, :, 0], c[:, k, 1], c[:, k, 0], color="k", lw=1.2, zorder=2)
    ax.scatter(c[..., 1], c[..., 0], s=10, color="k", zorder=3)
    markers = np.asarray(centres)[marker_cells(size)]
    ax.scatter(markers[:, 1], markers[:, 0], s=28, color=COLOURS["E"], zorder=4)
    ax.set(xlim=(-0.5, size - 0.5), ylim=(size - 0.5, -0.5), aspect="equal", xticks=[], yticks=[],
           xlabel="retina: column", ylabel="retina: row")
    if title:
        ax.set_title(title, fontsize="medium")
    return fig


def plot_map_stages(run, stages=None, axes=None):
    """A map as it forms: :func:`plot_map` after each of ``stages`` presentations (default: every recorded
    snapshot, at most 6), each titled with its correlation. ``run`` is a :class:`MapRun` with a history; the
    snapshot nearest to each requested stage is drawn. Returns the figure."""
    import matplotlib.pyplot as plt

    if run.history is None:
        _fail("run.history", None, "a MapRun trained with record_every > 0")
    at = run.history_at
    chosen = np.linspace(0, len(at) - 1, min(len(at), 6)).round().astype(int) if stages is None else \
        [int(np.abs(at - stage).argmin()) for stage in stages]
    if axes is None:
        _, axes = plt.subplots(1, len(chosen), figsize=(2.7 * len(chosen), 3.1), layout="constrained",
                               squeeze=False)
        axes = axes[0]
    size = run.params.size
    for ax, k in zip(axes, chosen):
        centres = receptive_field_centres(run.history[k], size)
        plot_map(centres, size, ax=ax, title=f"{at[k]} presentations\nr = {map_correlation(centres, size):.2f}")
    for ax in axes[1:]:
        ax.set(xlabel="", ylabel="")
    return axes[0].figure.figure


def plot_map_order(table, by, measure="correlation", ax=None, published=1.0, confidence=0.95):
    """Map quality against a lateral strength: one grey dot per run, the mean over seeds (black) with its
    bootstrap interval (band), and the published strength (dashed). ``table`` is from :func:`map_sweep`; ``by``
    is ``"lateral_inhibition"`` or ``"lateral_excitation"``. Returns the figure."""
    fig, ax = _figure_and_axes(ax, figsize=(4.8, 3.4))
    summary = summarise_maps(table, by, measure, confidence)
    ax.scatter(table[by], table[measure], s=12, color="0.6", alpha=0.6, label="one run", zorder=2)
    ax.fill_between(summary[by], summary["low"], summary["high"], color=COLOURS["I" if "inhib" in by else "E"],
                    alpha=0.25, label=f"{confidence:.0%} interval (bootstrap)", zorder=1)
    ax.plot(summary[by], summary["mean"], "o-", color="k", ms=4, label=f"mean of n = {summary['n'].min()} seeds",
            zorder=3)
    ax.axvline(published, color="k", ls="--", lw=1, label="published strength")
    ax.set(xlabel=f"{by.replace('_', ' ')} (× published)", ylabel=measure.replace("_", " "))
    ax.legend(fontsize="small", loc="best")
    return fig


def plot_lateral_profile(lateral_excitation=1.0, lateral_inhibition=1.0, ax=None):
    """The lateral weight ``e(d)`` against the distance ``d`` between two tectal cells (a "Mexican hat"), for the
    given strengths, beside the published one (outline). Returns the figure."""
    fig, ax = _figure_and_axes(ax, figsize=(4.2, 3))
    d = np.arange(6)
    e = lateral_weight(d, lateral_excitation, lateral_inhibition)
    ax.bar(d, e, color=np.where(e >= 0, COLOURS["E"], COLOURS["I"]), width=0.6,
           label=f"excitation × {lateral_excitation:g}, inhibition × {lateral_inhibition:g}")
    ax.bar(d, lateral_weight(d), fill=False, edgecolor="k", width=0.6, label="published")
    ax.axhline(0, color="k", lw=0.5)
    ax.set(xlabel="distance d between tectal cells (Manhattan)", ylabel="lateral weight $e(d)$", xticks=d)
    ax.legend(fontsize="small")
    return fig


def plot_tectal_activity(H_star, size, ax=None, title=None):
    """The tectum's output ``H*`` at stationarity (``(size²,)``) as an image, white where silent. Returns the
    figure."""
    fig, ax = _figure_and_axes(ax, figsize=(3.4, 3.2))
    image = ax.imshow(np.asarray(H_star).reshape(size, size), cmap="Reds", vmin=0)
    fig.colorbar(image, ax=ax, shrink=0.8, label="$H^*$")
    ax.set(xticks=[], yticks=[], xlabel="tectum: column", ylabel="tectum: row")
    if title:
        ax.set_title(title, fontsize="medium")
    return fig


def plot_map_sweeps(by_inhibition, by_excitation, measure="correlation"):
    """Map quality against lateral inhibition (left) and against lateral excitation (right), each the other at
    its published strength: :func:`plot_map_order` for two tables of :func:`map_sweep`. Returns the figure."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained", sharey=True)
    plot_map_order(by_inhibition, "lateral_inhibition", measure, ax=axes[0])
    plot_map_order(by_excitation, "lateral_excitation", measure, ax=axes[1])
    axes[1].set_ylabel("")
    return fig


# ── Beyond the seed (notebook 06) ───────────────────────────────────────────────────────────────────────────


def plot_rate_against(summary, x, hue=None, ax=None, y="rate", formula=None, ylabel=None, counts=False,
                      linestyle="-"):
    """A rate against any column ``x`` with its Wilson interval, one line per value of ``hue`` (``linestyle="none"``
    for points only, e.g. when ``x`` names categories).

    summary : from :func:`summarise_sweep` grouped by ``[hue, x]`` (or ``x``)
    y : ``"rate"`` (the outcome's rate, interval ``low``–``high``) or ``"recall_fraction"`` (pairs recalled,
        interval ``recall_low``–``recall_high``)
    formula : a closed form to draw dashed in the same colours: ``(xs, ys)``, or a dict ``hue value → (xs, ys)``
    counts : write ``k/n`` above each point. Returns the figure.
    """
    from matplotlib.ticker import PercentFormatter

    fig, ax = _figure_and_axes(ax, figsize=(5.2, 3.6))
    low, high = ("low", "high") if y == "rate" else ("recall_low", "recall_high")
    groups = [(None, summary)] if hue is None else list(summary.groupby(hue, sort=True))
    for value, rows in groups:
        mean = rows[y].to_numpy()
        line = ax.errorbar(rows[x], mean, yerr=[mean - rows[low], rows[high] - mean], marker="o", ms=4, capsize=3,
                           lw=1, ls=linestyle, label="simulation" if hue is None else f"{hue} = {value}")
        curve = formula.get(value) if isinstance(formula, dict) else formula
        if curve is not None:
            ax.plot(*curve, ls="--", lw=1, color=line[0].get_color())
        if counts:
            for xi, top, k, n in zip(rows[x], rows[high], rows["successes"], rows["runs"]):
                ax.annotate(f"{k}/{n}", (xi, top), xytext=(0, 2), textcoords="offset points", ha="center",
                            va="bottom", fontsize=6.5)
    if formula is not None:
        ax.plot([], [], ls="--", lw=1, color="k", label="closed form")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set(xlabel=x.replace("_", " "), ylim=(0, 1.08),
           ylabel=ylabel or ("success (Wilson interval)" if y == "rate" else "pairs recalled (Wilson interval)"))
    ax.legend(fontsize="small", frameon=False)
    return fig


def plot_traces(traces, ax=None, xlabel="epoch", ylabel="weight", title=None):
    """Curves over epochs: ``traces`` maps a label to a 1-D array (value after each epoch, epoch 0 first).
    Returns the figure."""
    fig, ax = _figure_and_axes(ax, figsize=(5.2, 3.4))
    for label, values in traces.items():
        ax.plot(np.arange(len(values)), values, lw=1.4, label=label)
    ax.axhline(0, color="k", lw=0.5)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    if title:
        ax.set_title(title, fontsize="medium")
    ax.legend(fontsize="small", frameon=False)
    return fig


def plot_willshaw(simulated, N_A, N_B, M_A, M_B, axes=None):
    """The Willshaw net against its formulas: the fraction of synapses switched on and the spurious outputs per
    recall against the number of stored pairs ``R`` (``simulated``: a DataFrame with columns ``R``,
    ``fraction_on``, ``spurious``, from :func:`willshaw_net`), and the capacity in bits per synapse at half the
    synapses on, for growing nets with ``M = log2 N`` active units, beside its limit ``ln 2``. Returns the figure."""
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, 3, figsize=(13, 3.5), layout="constrained")
    R = np.linspace(0, simulated["R"].max() * 1.05, 200)
    p = willshaw_fraction_on(N_A, N_B, M_A, M_B, R)
    axes[0].plot(R, p, color="k", lw=1, label="p = 1 − (1 − M_A M_B / N_A N_B)^R")
    axes[0].plot(simulated["R"], simulated["fraction_on"], "o", color=COLOURS["E"], label="simulation")
    axes[0].set(xlabel="pairs stored R", ylabel="fraction of synapses on", ylim=(0, 1))
    axes[0].figure.suptitle(f"Willshaw net: N_A = {N_A}, N_B = {N_B}, M_A = {M_A}, M_B = {M_B} active",
                            fontsize="medium")
    axes[1].plot(R, (N_B - M_B) * p**M_A, color="k", lw=1, label="(N_B − M_B) p^M_A (independent synapses)")
    axes[1].plot(simulated["R"], simulated["spurious"], "o", color=COLOURS["E"], label="simulation")
    axes[1].set(xlabel="pairs stored R", ylabel="spurious outputs per recall", yscale="log", ylim=(1e-3, None))
    exponents = np.arange(6, 41)
    N = 2.0**exponents
    M = exponents.astype(float)  # M = log2 N active units
    R_half = np.log(0.5) / np.log1p(-(M / N) ** 2)  # the R at which half the synapses are on
    bits = [float(willshaw_bits_per_synapse(n, n, m, m, r)) for n, m, r in zip(N, M, R_half)]
    axes[2].plot(N, bits, color=COLOURS["E"], label="at p = 1/2, M = log₂ N")
    axes[2].axhline(math.log(2), color="k", ls="--", lw=1, label="ln 2 ≈ 0.69")
    axes[2].set(xscale="log", xlabel="neurons per layer N", ylabel="bits per synapse", ylim=(0, 0.8))
    for ax in axes:
        ax.legend(fontsize="small", frameon=False)
    return axes[0].figure.figure


# ═══════════════════════════════════════════════════════════════════════════════════════════════════════════
# 7. Widgets
# ═══════════════════════════════════════════════════════════════════════════════════════════════════════════
# Each builder wires explicit sliders to a drawing function (ipywidgets.interactive_output) and returns an
# Explorer. The drawing functions (_draw_*) take the slider values and return the figure and its data; the
# `figures` command reuses them, so the figures in figures/ are the explorers' defaults.


class Explorer:
    """Sliders wired to a drawing function, ready to show in a notebook.

    sliders : dict, name → widget; the drawing function is called with their values as keyword arguments
    draw : function returning a dict with at least ``"figure"`` and ``"text"`` (printed under the figure)
    height : the output area's fixed height (CSS, e.g. ``"520px"``), so that the page does not jump

    A notebook shows the sliders and the output when the explorer is the last line of a cell (``widget`` is the
    box). Moving a slider redraws; so does :meth:`update`, which returns what was drawn (also kept in ``last``).
    ``figure`` is the latest figure: a static copy for readers without a running kernel.
    """

    def __init__(self, sliders, draw, height):
        import ipywidgets as widgets

        self.sliders, self.draw, self.last, self.holding = sliders, draw, None, False
        output = widgets.interactive_output(self._show, sliders)  # draws once now
        output.layout = widgets.Layout(height=height, overflow="auto")
        controls = widgets.HBox(list(sliders.values()), layout=widgets.Layout(flex_flow="row wrap"))
        self.widget = widgets.VBox([controls, output])

    def _show(self, **values):
        """Draw, display and close the figure; skipped while ``holding`` (ranges being adjusted)."""
        if self.holding:
            return
        import io

        import matplotlib.pyplot as plt
        from IPython.display import Image, display

        self.last = self.draw(**values)
        png = io.BytesIO()
        self.last["figure"].savefig(png, format="png")  # one drawing (the inline backend's tight box needs two)
        plt.close(self.last["figure"])
        display(Image(png.getvalue()))
        print(self.last["text"])

    def update(self):
        """Redraw with the sliders' current values; returns the drawing function's dict."""
        self._show(**{name: slider.value for name, slider in self.sliders.items()})
        return self.last

    @property
    def figure(self):
        return self.last["figure"]

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = "(sliders: they need a running kernel, e.g. JupyterLab, Binder or Colab)"
        return bundle


def _draw_mcculloch_pitts(w1, w2, theta):
    """The McCulloch–Pitts explorer's drawing: decision line and truth table of a two-input unit."""
    w, theta = (round(w1, 2), round(w2, 2)), round(theta, 2)  # slider values such as 0.30000000000000004
    table = truth_table(w, theta)
    text = f"{BOOLEAN_FUNCTIONS[tuple(table.S)]}\n{table.to_string(index=False)}"
    return {"figure": plot_decision_line(w, theta), "table": table, "text": text}


def mcculloch_pitts_explorer(w1=1.0, w2=1.0, theta=1.5):
    """Sliders for the two weights and the threshold of a McCulloch–Pitts unit (0/1 states), each in ``[-2, 2]``:
    the decision line and the live truth table. The defaults make an AND gate."""
    import ipywidgets as widgets

    sliders = {name: widgets.FloatSlider(value=value, min=-2.0, max=2.0, step=0.1, description=label)
               for name, value, label in (("w1", w1, "w₁"), ("w2", w2, "w₂"), ("theta", theta, "θ"))}
    return Explorer(sliders, _draw_mcculloch_pitts, height="560px")


#: The activity patterns ``(S_i, S_j)`` of the Hebb explorer: the seed's 0/1 table, then ±1 states.
HEBB_PATTERNS = (("Sᵢ=1, Sⱼ=1", (1, 1)), ("Sᵢ=1, Sⱼ=0", (1, 0)), ("Sᵢ=0, Sⱼ=1", (0, 1)), ("Sᵢ=0, Sⱼ=0", (0, 0)),
                 ("Sᵢ=1, Sⱼ=−1", (1, -1)), ("Sᵢ=−1, Sⱼ=1", (-1, 1)), ("Sᵢ=−1, Sⱼ=−1", (-1, -1)))


def _draw_hebb(epsilon, pattern, neuron_type, w0):
    """The Hebb explorer's drawing: five time constants ``1/eps`` of repeated pairing, rule against closed form."""
    steps = min(math.ceil(5 / epsilon), 5000)
    pre, post = pattern
    numeric = repeat_pairing(w0, pre, post, neuron_type, epsilon, steps)
    analytic = hebb_trajectory(w0, pre, post, neuron_type, epsilon, steps)
    w_star = pre * post * neuron_type  # w* = S_i S_j type
    text = (f"S_i = {pre:+d}, S_j = {post:+d}, presynaptic neuron {'E' if neuron_type > 0 else 'I'}: "
            f"w* = {w_star:+d}; w({steps}) = {numeric[-1]:+.4f}; "
            f"largest |rule - closed form| = {np.abs(numeric - analytic).max():.1e}")
    return {"figure": plot_hebb_trajectory(numeric, analytic, epsilon, w_star), "numeric": numeric,
            "analytic": analytic, "w_star": w_star, "text": text}


def hebb_explorer(epsilon=0.05, pattern=(1, 1), neuron_type=1, w0=0.05):
    """Sliders for the learning rate ``eps`` (0.001 … 1, logarithmic), the activity pattern ``(S_i, S_j)``, the
    presynaptic neuron's type and the initial weight: one weight under repeated pairing, rule against closed form."""
    import ipywidgets as widgets

    sliders = {
        "epsilon": widgets.FloatLogSlider(value=epsilon, base=10, min=-3, max=0, step=0.1, description="ε",
                                          readout_format=".3g", continuous_update=False),
        "pattern": widgets.SelectionSlider(options=HEBB_PATTERNS, value=pattern, description="pattern",
                                           continuous_update=False),
        "neuron_type": widgets.ToggleButtons(options=(("E", 1), ("I", -1)), value=neuron_type,
                                             description="pre type"),
        "w0": widgets.FloatSlider(value=w0, min=-1.0, max=1.0, step=0.01, description="w(0)",
                                  continuous_update=False),
    }
    return Explorer(sliders, _draw_hebb, height="400px")


#: The main explorer's defaults, also the example network of notebook 03: one excitatory neuron out of six,
#: the target ``[2, 0, 1]`` (mapping number 4 of the 3! in lexicographic order), and a seed for which it is learnt.
EXAMPLE_RUN = {"epsilon": 0.01, "excitatory_count": 1, "L": 3, "N": 3, "M": 3, "mapping": 4, "seed": 19}


def _draw_network_run(epsilon, excitatory_count, L, N, M, mapping, seed, max_epochs=2000):
    """The main explorer's drawing: one network drawn from ``seed`` and trained for ``max_epochs`` epochs (on
    after the first full recall, to see whether it lasts); the network, its weights and the recall table."""
    params = Params(L=L, N=N, M=M, epsilon=epsilon, max_epochs=max_epochs, stop_at_convergence=False)
    target = all_mappings(N)[mapping]
    types, weights, _ = draw_run(params, PlannedRun(0, excitatory_count, target, None), seed)
    result = train_batch(params, types[None], np.array([target]), [W[None] for W in weights], history=True)
    history = [layer[0] for layer in result.history["weights"]]
    converged_at = int(result.epochs_to_convergence[0]) if result.converged[0] else None
    table = recall_table([W[0] for W in result.weights], target, params)
    settled = int(result.weights_settled_epoch[0])
    verdict = (f"all pairs recalled at epoch {converged_at}" if converged_at else
               f"not learnt in {max_epochs} epochs")
    text = "\n".join([
        f"{excitatory_count} E of {params.P} typed neurons ({allotment_string(types, params.sizes)}), "
        f"target {list(target)}, ε = {epsilon:.3g}, seed {seed}",
        f"recall correct: {'first at epoch ' + str(converged_at) if converged_at else 'never'}"
        + (f", still at the end: {'yes' if result.stable[0] else 'no'}" if converged_at else "")
        + f"; weights no longer update: {'from epoch ' + str(settled) if settled else 'never'}"
        + f"; epochs: {max_epochs}",
        f"at the end ({table.recalled.sum()} of {N} recalled):",
        table.to_string(index=False),
    ])
    figure = plot_training_run(params, types, history, converged_at, title=f"target {list(target)}: {verdict}")
    return {"figure": figure, "text": text, "table": table, "params": params, "types": types, "result": result}


def network_explorer(**values):
    """The main explorer of notebook 03: sliders for ``eps``, the E count, the number of layers ``L``, the
    neurons per layer ``N`` and per hidden layer ``M``, the target mapping (its number among the ``N!``) and the
    seed; one network trained for 2000 epochs. Keyword arguments override :data:`EXAMPLE_RUN`.

    ``M`` follows ``N`` when ``N`` moves; the E count and mapping sliders keep to the ranges of the network.
    """
    import ipywidgets as widgets

    values = {**EXAMPLE_RUN, **values}
    P = Params(L=values["L"], N=values["N"], M=values["M"]).P

    def slider(name, low, high, label):
        return widgets.IntSlider(value=values[name], min=low, max=high, description=label, continuous_update=False)

    sliders = {
        "epsilon": widgets.FloatLogSlider(value=values["epsilon"], base=10, min=-3, max=0, step=0.1,
                                          description="ε", readout_format=".3g", continuous_update=False),
        "excitatory_count": slider("excitatory_count", 0, P, "E count"),
        "L": slider("L", 2, 5, "layers L"),
        "N": slider("N", 2, 5, "N"),
        "M": slider("M", 1, 8, "hidden M"),
        "mapping": slider("mapping", 0, math.factorial(values["N"]) - 1, "mapping #"),
        "seed": slider("seed", 0, 99, "seed"),
    }

    def keep_in_range(change):
        """Runs before the redraw of the slider that moved, so that the explorer draws once, with valid values."""
        if explorer.holding:
            return
        explorer.holding = True
        try:
            if change["owner"] is sliders["N"]:
                sliders["M"].value = change["new"]
            L, N, M = (sliders[name].value for name in ("L", "N", "M"))
            sliders["excitatory_count"].max = Params(L=L, N=N, M=M).P  # a value beyond the new range is clipped
            sliders["mapping"].max = math.factorial(N) - 1
        finally:
            explorer.holding = False

    for name in ("L", "N", "M"):
        sliders[name].observe(keep_in_range, names="value")  # observed before interactive_output's redraw
    explorer = Explorer(sliders, _draw_network_run, height="760px")
    return explorer


#: The map explorer's defaults (the published balance) and the figures' example map.
MAP_EXAMPLE = {"lateral_excitation": 1.0, "lateral_inhibition": 1.0, "presentations": 6000, "seed": 0}


def _draw_topographic_map(lateral_excitation, lateral_inhibition, presentations, seed):
    """The map explorer's drawing: one map trained from ``seed``, drawn at 4 stages, with its measures."""
    params = MapParams(lateral_excitation=lateral_excitation, lateral_inhibition=lateral_inhibition,
                       presentations=presentations)
    run = train_map(params, seed, record_every=max(math.ceil(presentations / 3), 1))
    quality = map_quality(run.s, params.size)
    last = run.active[-max(presentations // 10, 1):] if presentations else np.zeros(1)
    text = (f"lateral excitation × {lateral_excitation:g}, inhibition × {lateral_inhibition:g}, "
            f"{presentations} presentations, seed {seed}\n"
            f"map order r = {quality['correlation']:.3f}; neighbour distance = {quality['neighbour_distance']:.2f} "
            f"(perfect map: 1); topographic error = {quality['topographic_error']:.2f} (perfect map: 0)\n"
            f"tectal cells active per stimulus at the end: {last.mean():.1f} of {params.size ** 2}"
            + (f"; relaxations stopped at max_steps: {run.capped}" if run.capped else ""))
    return {"figure": plot_map_stages(run), "text": text, "run": run, **quality}


def map_explorer(**values):
    """Sliders for the lateral excitation (0 … 3) and inhibition (0 … 4) strengths, in multiples of the published
    weights, the number of presentations (0 … 20000) and the seed: one map trained and drawn as it forms.
    Keyword arguments override :data:`MAP_EXAMPLE`."""
    import ipywidgets as widgets

    values = {**MAP_EXAMPLE, **values}
    sliders = {
        "lateral_excitation": widgets.FloatSlider(value=values["lateral_excitation"], min=0.0, max=3.0, step=0.25,
                                                  description="excitation", continuous_update=False),
        "lateral_inhibition": widgets.FloatSlider(value=values["lateral_inhibition"], min=0.0, max=4.0, step=0.25,
                                                  description="inhibition", continuous_update=False),
        "presentations": widgets.IntSlider(value=values["presentations"], min=0, max=20000, step=500,
                                           description="stimuli", continuous_update=False),
        "seed": widgets.IntSlider(value=values["seed"], min=0, max=99, description="seed", continuous_update=False),
    }
    return Explorer(sliders, _draw_topographic_map, height="420px")


#: The sweep explorer's defaults (notebook 04): the seed's network and training, every allotment, strict read-out.
SWEEP_EXAMPLE = {"L": 3, "N": 3, "epsilon": 0.01, "max_epochs": 2000, "allotment": "all", "readout": "strict",
                 "view": "convergence"}
SWEEP_VIEWS = (("convergence", "convergence"), ("epochs", "epochs"), ("pairs recalled", "recall"),
               ("input vs hidden E", "layers"))
SWEEP_BUDGET = 6500  # the most networks one move of a slider may train (L = 3, N = 4, every allotment: 6096)
SWEEP_MIN_RUNS = 120  # repeats enough for about this many runs at the E/I ratio with the fewest allotments


def sweep_design(params, allotment):
    """What the sweep explorer trains for a network: ``(mappings, repeats, runs)``.

    Every mapping up to ``N = 4`` (24 of them), else 24 drawn with seed 0; ``repeats`` (independent draws per
    allotment and mapping) enough for :data:`SWEEP_MIN_RUNS` runs at the ratio with the fewest allotments, but no
    more than fit in :data:`SWEEP_BUDGET`; ``runs`` the total number of networks.
    """
    mappings = all_mappings(params.N)
    if len(mappings) > 24:
        mappings = [mappings[k] for k in sorted(np.random.default_rng(0).choice(len(mappings), 24, replace=False))]
    allotments = [math.comb(params.P, e) if allotment == "all" else 1 for _, _, e, _ in generate_ei_ratios(params.P)]
    one_draw = sum(allotments) * len(mappings)  # networks with one draw per allotment and mapping
    repeats = max(1, min(math.ceil(SWEEP_MIN_RUNS / (min(allotments) * len(mappings))), SWEEP_BUDGET // one_draw))
    return mappings, repeats, one_draw * repeats


def _draw_sweep(L, N, epsilon, max_epochs, allotment, readout, view, cache=None, progress=False):
    """The sweep explorer's drawing: the seed's sweep for these parameters (taken from ``cache``, a dict, when it
    has run before), summarised by E/I ratio and drawn as ``view``."""
    params = Params(L=L, N=N, epsilon=epsilon, max_epochs=max_epochs, readout=readout)
    mappings, repeats, runs = sweep_design(params, allotment)
    setting = (f"L = {L}, N = {N}, ε = {epsilon:.3g}, {max_epochs} epochs, {allotment} allotments, "
               f"{readout} read-out")
    if runs > SWEEP_BUDGET:
        fig, ax = _figure_and_axes(None, figsize=(6, 1.5))
        ax.axis("off")
        text = (f"{setting}: {runs} networks, more than the {SWEEP_BUDGET} a slider may train. "
                "Choose random allotments or a smaller network.")
        ax.text(0.5, 0.5, text.replace(": ", ":\n", 1), ha="center", va="center", wrap=True)
        return {"figure": fig, "text": text, "table": None, "summary": None}
    cache = {} if cache is None else cache
    key = (params, allotment)  # what the simulation depends on; `view` only changes the drawing
    if key not in cache:
        cache[key] = layer_counts(run_experiment(params, allotment=allotment, repeats=repeats, mappings=mappings,
                                                 progress=progress))
    table = cache[key]
    summary = summarise_sweep(table)
    if view == "layers":
        figure = plot_layer_split(summarise_sweep(table, by=["excitatory_input", "excitatory_hidden"]))
    elif view == "epochs":
        figure = plot_epochs_distribution(table)
    elif view == "recall":
        figure = plot_recall_fraction(summary, N)
    else:
        figure = plot_convergence_rate(summary)
    low, high = wilson_interval(table["converged"].sum(), len(table))
    text = "\n".join([
        f"{setting}: {len(table)} runs ({len(mappings)} mappings × {repeats} draw(s) per allotment, seed 0)",
        f"converged (first full recall): {table['converged'].sum()} of {len(table)} = "
        f"{table['converged'].mean():.1%} (95% Wilson interval {low:.1%} to {high:.1%})",
        format_summary(summary).to_string(index=False)])
    return {"figure": figure, "text": text, "table": table, "summary": summary}


def sweep_explorer(**values):
    """Notebook 04's explorer: sliders for the layers ``L`` (2 … 5), the neurons per layer ``N`` (2 … 5), ``eps``
    (0.001 … 1), the epochs before giving up (100 … 3000), the allotment mode and the read-out run the seed's sweep
    (:func:`sweep_design`; a progress bar while it runs); the view buttons redraw from the cached results.
    Keyword arguments override :data:`SWEEP_EXAMPLE`. The results are kept in ``explorer.cache``."""
    import ipywidgets as widgets

    values = {**SWEEP_EXAMPLE, **values}
    cache = {}
    sliders = {
        "L": widgets.IntSlider(value=values["L"], min=2, max=5, description="layers L", continuous_update=False),
        "N": widgets.IntSlider(value=values["N"], min=2, max=5, description="N", continuous_update=False),
        "epsilon": widgets.FloatLogSlider(value=values["epsilon"], base=10, min=-3, max=0, step=0.1,
                                          description="ε", readout_format=".3g", continuous_update=False),
        "max_epochs": widgets.IntSlider(value=values["max_epochs"], min=100, max=3000, step=100,
                                        description="max epochs", continuous_update=False),
        "allotment": widgets.ToggleButtons(options=ALLOTMENTS, value=values["allotment"], description="allotment"),
        "readout": widgets.ToggleButtons(options=READOUTS, value=values["readout"], description="read-out"),
        "view": widgets.ToggleButtons(options=SWEEP_VIEWS, value=values["view"], description="view"),
    }
    explorer = Explorer(sliders, lambda **slider_values: _draw_sweep(**slider_values, cache=cache, progress=True),
                        height="760px")
    explorer.cache = cache
    return explorer


#: The answer explorer's defaults (notebook 05): the seed's network (L = 3, N = 3) with no E neuron in the input
#: layer and one of three in the hidden layer (the allotment that converges most often), the rule as written.
ANSWER_EXAMPLE = {"excitatory_input": 0, "excitatory_hidden": 1, "dale": False, "epsilon": 0.01}
ANSWER_DRAWS = 40  # draws of the initial weights per mapping


def _draw_answer(excitatory_input, excitatory_hidden, dale, epsilon, N=3, max_epochs=2000):
    """The answer explorer's drawing: every mapping × :data:`ANSWER_DRAWS` networks with this allotment (E neurons
    first in each layer), trained for ``max_epochs`` epochs; one network's input weights against Proposition 2, and
    the pairs recalled at the end."""
    import matplotlib.pyplot as plt

    params = Params(L=3, N=N, epsilon=epsilon, dale=dale, max_epochs=max_epochs, stop_at_convergence=False)
    allotment = ("E" * excitatory_input + "I" * (N - excitatory_input) + "|"
                 + "E" * excitatory_hidden + "I" * (N - excitatory_hidden))
    runs = [r for _, group in plan_experiment(params, allotment=allotment, repeats=ANSWER_DRAWS) for r in group]
    types, result = train_planned(params, runs, seed=0)
    fields = target_fields(params, types, np.array([r.mapping for r in runs]), result.weights)
    codes = distinct_codes(recall_fields(result.weights, params)[1][0])  # per run, at the end
    _, example = train_planned(params, runs[:1], seed=0, history=True)
    figure = plt.figure(figsize=(12, 3.6), layout="constrained")
    axes = figure.subplots(1, 3, width_ratios=[1.6, 1, 1])
    plot_weight_cycle(example.history["weights"][0][0], types[0, :N], epsilon, axes=axes[:2])
    plot_recall_counts(result.recall_fraction, N, ax=axes[2])
    n, done, lasting = len(runs), int(result.converged.sum()), int((result.recall_fraction == 1).sum())
    (c_low, c_high), (l_low, l_high) = wilson_interval(done, n), wilson_interval(lasting, n)
    r_low, r_high = wilson_interval(result.recall_fraction.sum(), n)
    lines = [
        f"allotment {allotment}: {excitatory_input} E of {N} input neurons, {excitatory_hidden} E of {N} hidden; "
        f"dale {'on' if dale else 'off'}; ε = {epsilon:.3g}; {n} runs ({len(all_mappings(N))} mappings × "
        f"{ANSWER_DRAWS} draws, seed 0), {max_epochs} epochs each",
        f"converged (first full recall): {done} of {n} = {done / n:.1%} (95% Wilson interval {c_low:.1%} to "
        f"{c_high:.1%}); all pairs still recalled at epoch {max_epochs}: {lasting} = {lasting / n:.1%} "
        f"({l_low:.1%} to {l_high:.1%})",
        f"pairs recalled at the end: {result.recall_fraction.mean():.1%} ({r_low:.1%} to {r_high:.1%}); "
        f"chance 1/N = {1 / N:.1%}, Dale ceiling 2/N = {2 / N:.1%}",
        f"distinct hidden states at the end: at most {codes.max()} among the {N} inputs"
        + (" (Proposition 1: at most 2 under Dale's law)" if dale else "")]
    if not dale:
        error = (fields["target_field"] - fields["predicted"]).abs().max()
        lines.append(f"target fields at recall vs Proposition 2's type(i)·A(i)·(E_hidden − I_hidden), "
                     f"E_hidden − I_hidden = {2 * excitatory_hidden - N:+d}: largest difference {error:.1e}")
    return {"figure": figure, "text": "\n".join(lines), "result": result, "types": types, "fields": fields,
            "codes": codes}


def answer_explorer(**values):
    """Notebook 05's explorer: the E count in the input layer (0 … 3) and in the hidden layer (0 … 3), Dale's law on
    or off, and ``eps`` (0.001 … 1), for the seed's network ``L = 3, N = 3``. Keyword arguments override
    :data:`ANSWER_EXAMPLE`."""
    import ipywidgets as widgets

    values = {**ANSWER_EXAMPLE, **values}
    sliders = {
        "excitatory_input": widgets.IntSlider(value=values["excitatory_input"], min=0, max=3,
                                              description="E in input", continuous_update=False),
        "excitatory_hidden": widgets.IntSlider(value=values["excitatory_hidden"], min=0, max=3,
                                               description="E in hidden", continuous_update=False),
        "dale": widgets.ToggleButtons(options=(("dale off", False), ("dale on", True)), value=values["dale"],
                                      description="Dale's law"),
        "epsilon": widgets.FloatLogSlider(value=values["epsilon"], base=10, min=-3, max=0, step=0.1,
                                          description="ε", readout_format=".3g", continuous_update=False),
    }
    return Explorer(sliders, _draw_answer, height="520px")


#: The variant explorer's defaults (notebook 06): balanced k-WTA in an expanded, all-excitatory hidden layer.
VARIANT_EXAMPLE = {"variant": "k-WTA", "k": 4, "M": 8, "excitatory_count": 12, "epsilon": 0.05}


def _draw_variant(variant, k, M, excitatory_count, epsilon, N=4, repeats=4, max_epochs=1000):
    """The variant explorer's drawing: every mapping of ``N = 4`` items × ``repeats`` networks of one variant
    (:data:`VARIANTS`) with this E count (a random allotment each), trained for at most ``max_epochs`` epochs; the
    distinct hidden codes and the pairs recalled at the end."""
    import matplotlib.pyplot as plt

    kwta = VARIANTS[variant].get("lateral") == "kwta"
    params = variant_params(variant, N=N, M=M, k=min(k, M) if kwta else None, epsilon=epsilon,
                            max_epochs=max_epochs)
    excitatory_count = min(excitatory_count, params.P)
    table = variant_experiment(params, e_counts=[excitatory_count], repeats=repeats)
    figure = plt.figure(figsize=(10, 3.4), layout="constrained")
    axes = figure.subplots(1, 2)
    counts = np.bincount(table["distinct_codes"], minlength=N + 1)[1:]
    axes[0].bar(np.arange(1, N + 1), counts, color=[COLOURS["output"]] * (N - 1) + [COLOURS["E"]])
    axes[0].set(xticks=np.arange(1, N + 1), xlabel=f"distinct hidden codes among the N = {N} inputs (at the end)",
                ylabel="runs", title=f"{variant}: red = every input its own code")
    recalled = np.bincount(np.rint(table["recall_fraction"] * N).astype(np.int64), minlength=N + 1)
    axes[1].bar(np.arange(N + 1), recalled, color=COLOURS["output"])
    axes[1].axvline(1, color="k", ls=":", label="chance: 1 pair (1/N)")
    axes[1].set(xticks=np.arange(N + 1), xlabel=f"pairs recalled at the end (of N = {N})", ylabel="runs",
                title=f"mean {table['recall_fraction'].mean():.0%} of pairs, {len(table)} runs")
    axes[1].legend(fontsize="small", frameon=False)
    n, done = len(table), int(table["converged"].sum())
    low, high = wilson_interval(done, n)
    setting = f"M = {M}" + (f", k = {params.k}" if kwta else "")
    lines = [f"{variant} ({setting}; {params.readout} read-out), {excitatory_count} E of {params.P} typed neurons, "
             f"ε = {epsilon:.3g}: {n} runs ({len(all_mappings(N))} mappings × {repeats}, seed 0), at most "
             f"{max_epochs} epochs",
             f"learnt the permutation: {done} of {n} = {done / n:.1%} (95% Wilson interval {low:.1%} to {high:.1%})"
             + (f", median {table.loc[table['converged'], 'epochs_to_convergence'].median():.0f} epochs" if done
                else ""),
             f"every input its own hidden code at the end: {int(table['codes_unique'].sum())} of {n}; "
             f"pairs recalled at the end: {table['recall_fraction'].mean():.1%}"]
    if kwta and excitatory_count == params.P and params.homeostasis == 0 and params.normalise == "none":
        lines.append(f"closed form (birthday problem, C({M}, {params.k}) codes): "
                     f"{kwta_success_probability(N, M, params.k):.1%}")
    return {"figure": figure, "text": "\n".join(lines), "table": table, "params": params}


def variant_explorer(**values):
    """Notebook 06's explorer: a variant of :data:`VARIANTS`, the winners ``k`` (k-WTA variants), the hidden width
    ``M`` (2 … 10), the E count (0 … N + M) and ``eps`` (0.001 … 1), for ``N = 4``. Keyword arguments override
    :data:`VARIANT_EXAMPLE`. ``k`` and the E count keep to the network's ranges when ``M`` moves; ``k`` is greyed
    out for the variants without lateral inhibition."""
    import ipywidgets as widgets

    values = {**VARIANT_EXAMPLE, **values}
    sliders = {
        "variant": widgets.Dropdown(options=list(VARIANTS), value=values["variant"], description="variant"),
        "k": widgets.IntSlider(value=values["k"], min=0, max=values["M"], description="winners k",
                               continuous_update=False),
        "M": widgets.IntSlider(value=values["M"], min=2, max=10, description="hidden M", continuous_update=False),
        "excitatory_count": widgets.IntSlider(value=values["excitatory_count"], min=0, max=4 + values["M"],
                                              description="E count", continuous_update=False),
        "epsilon": widgets.FloatLogSlider(value=values["epsilon"], base=10, min=-3, max=0, step=0.1,
                                          description="ε", readout_format=".3g", continuous_update=False),
    }
    sliders["k"].disabled = VARIANTS[values["variant"]].get("lateral") != "kwta"

    def keep_in_range(change):
        """Runs before the redraw of the slider that moved, so that the explorer draws once, with valid values."""
        if explorer.holding:
            return
        explorer.holding = True
        try:
            M = sliders["M"].value
            sliders["k"].max = M  # a value beyond the new range is clipped
            sliders["excitatory_count"].max = 4 + M
            sliders["k"].disabled = VARIANTS[sliders["variant"].value].get("lateral") != "kwta"
        finally:
            explorer.holding = False

    for name in ("M", "variant"):
        sliders[name].observe(keep_in_range, names="value")  # observed before interactive_output's redraw
    explorer = Explorer(sliders, _draw_variant, height="520px")
    return explorer


# ═══════════════════════════════════════════════════════════════════════════════════════════════════════════
# 8. The command line
# ═══════════════════════════════════════════════════════════════════════════════════════════════════════════


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit status 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _build_parser():
    parser = _Parser(prog="python -m hebb_core", description="Hebbian learning of one-to-one maps.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sweep = commands.add_parser(
        "sweep", help="the seed's E/I-ratio sweep over every mapping",
        description="Train a fresh network for every E/I ratio, allotment and target mapping; "
                    "print the seed's log and write one CSV row per run.")
    defaults = Params()
    add = sweep.add_argument
    add("--layers", type=int, default=defaults.L, metavar="L", help="layers, input and output included (default 3)")
    add("--neurons", type=int, default=defaults.N, metavar="N", help="neurons per layer (default 3)")
    add("--hidden", type=int, default=None, metavar="M", help="neurons per hidden layer (default: N)")
    add("--epsilon", type=float, default=defaults.epsilon, help="learning rate in (0, 1] (default 0.01)")
    add("--max-epochs", type=int, default=defaults.max_epochs, help="epochs before giving up (default 2000)")
    add("--allotment", choices=ALLOTMENTS, default="random",
        help="which neurons are excitatory: a random draw per run, the first ones, or all allotments")
    add("--repeats", type=int, default=1, metavar="K", help="independent networks per ratio and mapping")
    add("--weight-min", type=float, default=defaults.w_min, help="smallest initial |weight| (default 0.01)")
    add("--weight-max", type=float, default=defaults.w_max, help="largest initial |weight| (default 0.1)")
    add("--decimals", type=int, default=defaults.decimals, help="initial weights rounded to (default 2)")
    add("--seed", type=int, default=0, help="seed of every random draw (default 0)")
    add("--readout", choices=READOUTS, default="strict", help="when a recalled output counts (default strict)")
    add("--order", choices=ORDERS, default="fixed", help="presentation order in an epoch (default fixed)")
    add("--dale", action="store_true", help="keep every weight on its neuron's side of zero")
    add("--train-to-end", action="store_true", help="keep training after convergence (to test stability)")
    add("--out", metavar="results.csv", help="CSV file for the table; rows are appended as they finish")
    add("--resume", action="store_true", help="keep the rows already in --out and run only the others")
    add("--workers", type=int, default=1, metavar="N", help="train on N local processes (default 1)")
    sweep.set_defaults(run=sweep_command)
    figures = commands.add_parser(
        "figures", help="redraw the course's key figures",
        description="Draw the key figures of notebooks 01-03 with fixed seeds and write them as PNG files.")
    figures.add_argument("--out-dir", default="figures", help="folder for the PNG files (default figures)")
    figures.set_defaults(run=figures_command)
    return parser


def _log_header(params, plan, out):
    """The seed's configuration printout."""
    hidden = "" if params.M is None or params.L == 2 else f" ({params.M} per hidden layer)"
    print(f"The network contains: {params.L} layers, {params.N} neurons per layer{hidden}", file=out)
    print(f"Learning rate: {params.epsilon}", file=out)
    print(f"Edge weight assignment with {params.decimals} decimal places", file=out)
    print(f"Excitatory neuron's edge weight range from {params.w_min} to {params.w_max}", file=out)
    print(f"Inhibitory neuron's edge weight range from {-params.w_max} to {-params.w_min}", file=out)
    print("Starting experiment...", file=out)
    n_mappings = len({r.mapping for _, runs in plan for r in runs})
    runs_per_ratio = {len(runs) for _, runs in plan}
    more = "" if runs_per_ratio <= {n_mappings} else f" ({'/'.join(map(str, sorted(runs_per_ratio)))} runs per ratio)"
    print(f"Testing {n_mappings} mappings for each of {len(plan)} E/I ratios{more}", file=out)
    print("Available E/I configurations:", file=out)
    for (e_value, i_value, e, i), _ in plan:
        print(f"  {e_value:.3f}/{i_value:.3f} ({e}E/{i}I)", file=out)


def _sweep_settings(args):
    """The arguments that define a sweep's table (all but where it goes and how it is computed)."""
    return {key: value for key, value in sorted(vars(args).items())
            if key not in ("out", "workers", "resume", "command", "run")}


def _resume_table(path, settings):
    """Rows already in ``path``, for ``--resume``: cuts a partial last line, checks the header and the settings."""
    with open(path, "rb+") as handle:
        data = handle.read()
        if data and not data.endswith(b"\n"):  # a row cut short by a hard kill: drop it
            handle.truncate(data.rfind(b"\n") + 1)
    if not data.strip():
        return pd.DataFrame(columns=COLUMNS)
    if data.split(b"\n", 1)[0].decode() != ",".join(COLUMNS):
        _fail("--resume", path, "a CSV written by this command")
    with open(f"{path}.json", encoding="utf-8") as handle:
        before = json.load(handle)
    for key, value in settings.items():
        if before.get(key) != value:
            _fail(f"--{key.replace('_', '-')}", value, f"the value {path} was started with, {before.get(key)!r}")
    return read_results(path)


def sweep_command(args, out=None):
    """``python -m hebb_core sweep``: run the sweep, print the seed's log, append rows to ``--out`` as they finish.

    ``--resume`` keeps the rows already in ``--out`` and runs only the others; ``--workers N`` trains on N processes.
    """
    from concurrent.futures import ProcessPoolExecutor

    from tqdm.auto import tqdm

    out = out or sys.stdout

    params = Params(L=args.layers, N=args.neurons, M=args.hidden, epsilon=args.epsilon, max_epochs=args.max_epochs,
                    w_min=args.weight_min, w_max=args.weight_max, decimals=args.decimals, order=args.order,
                    readout=args.readout, dale=args.dale, stop_at_convergence=not args.train_to_end)
    _check_int("repeats", args.repeats, 1)
    _check_int("seed", args.seed, 0)
    _check_int("workers", args.workers, 1)
    if args.resume and not args.out:
        _fail("--resume", True, "only with --out")
    plan = plan_experiment(params, allotment=args.allotment, repeats=args.repeats)
    settings = _sweep_settings(args)
    done = _resume_table(args.out, settings) if args.resume and os.path.exists(args.out) else None
    _log_header(params, plan, out)
    handle = open(args.out, "a" if done is not None else "w", encoding="utf-8") if args.out else None
    if handle is not None and done is None:
        with open(f"{args.out}.json", "w", encoding="utf-8") as sidecar:
            json.dump(settings, sidecar, indent=1)
    written = 0 if done is None else len(done)
    converged = {} if done is None else done.groupby("excitatory_count")["converged"].sum().to_dict()
    bar = tqdm(total=sum(len(runs) for _, runs in plan), initial=written, unit="run",
               disable=not sys.stderr.isatty())
    executor = ProcessPoolExecutor(args.workers) if args.workers > 1 else None
    chunks = map_chunks(params, plan, args.seed, chunk_size=512, executor=executor,
                        skip=() if done is None else done["run"].tolist())
    try:
        for ratio, runs in plan:  # the seed's log, ratio by ratio; rows come in plan order
            print(f"Testing E/I ratio: {ratio[0]:.3f}/{ratio[1]:.3f}", file=out, flush=True)
            left = len(runs) - (0 if done is None else int((done["excitatory_count"] == ratio[2]).sum()))
            while left > 0:
                _, rows = next(chunks)
                converged[ratio[2]] = converged.get(ratio[2], 0) + int(rows["converged"].sum())
                if handle is not None:  # whole rows only: Ctrl-C waits until the chunk is written
                    text = rows.to_csv(index=False, header=written == 0, lineterminator="\n")
                    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
                    handle.write(text)
                    handle.flush()
                    signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
                written += len(rows)
                left -= len(rows)
                bar.update(len(rows))
            unit = "mappings" if len(runs) == len({r.mapping for r in runs}) else "runs"  # runs: repeats, allotments
            print(f"  Converged: {converged.get(ratio[2], 0)}/{len(runs)} {unit}", file=out, flush=True)
    except KeyboardInterrupt:
        bar.close()
        print(f"Interrupted: {written} finished rows kept" + (f" in {args.out}" if args.out else ""), file=sys.stderr)
        return 130
    finally:
        chunks.close()
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
        if handle is not None:
            handle.close()
    bar.close()
    if args.out:
        print(f"Wrote {written} rows to {args.out}", file=out)
    return 0


def _course_figures():
    """The key figures of notebooks 01-05 and 07, by file name: the explorers' defaults, the example network, the
    workshop's sweep and its proper version, the target fields of Proposition 2, a forming topographic map and the
    full sweep of map order against lateral inhibition and excitation."""
    yield "01_and_decision_line.png", _draw_mcculloch_pitts(*LOGIC_GATES["AND"][0], LOGIC_GATES["AND"][1])["figure"]
    yield "02_hebb_trajectory.png", _draw_hebb(0.05, (1, 1), 1, 0.05)["figure"]
    run = _draw_network_run(**EXAMPLE_RUN)
    params, types, history = run["params"], run["types"], run["result"].history["weights"]
    yield "03_network.png", plot_network(params, types, [layer[0, 0] for layer in history],
                                         title="before training: the initial weights")
    yield "03_weight_traces.png", plot_weight_traces(params, types, [layer[0] for layer in history],
                                                     run["result"].epochs_to_convergence[0])
    yield "03_training_run.png", run["figure"]
    yield "04_seed_epochs_vs_ratio.png", plot_epochs_vs_ratio(
        run_experiment(Params(L=3, N=4)), title="Number of epochs vs E/I ratio (N = 4, one run per mapping)")
    yield "04_convergence_vs_ratio.png", _draw_sweep(**SWEEP_EXAMPLE)["figure"]
    yield "05_answer.png", _draw_answer(**ANSWER_EXAMPLE)["figure"]
    params = Params(L=3, N=3, stop_at_convergence=False)  # every allotment and mapping, as in notebook 05
    planned = [r for _, group in plan_experiment(params, e_counts=range(7), allotment="all") for r in group]
    types, result = train_planned(params, planned, seed=0)
    yield "05_target_fields.png", plot_target_fields(
        target_fields(params, types, np.array([r.mapping for r in planned]), result.weights))
    yield "07_map_stages.png", plot_map_stages(train_map(record_every=250), MAP_STAGES)
    yield "07_map_order.png", plot_map_sweeps(
        map_sweep(lateral_inhibition=LATERAL_STRENGTHS["lateral_inhibition"], seeds=MAP_SWEEP_SEEDS),
        map_sweep(lateral_excitation=LATERAL_STRENGTHS["lateral_excitation"], seeds=MAP_SWEEP_SEEDS))


def figures_command(args, out=sys.stdout):
    """``python -m hebb_core figures``: write the key figures (:func:`_course_figures`) to ``--out-dir``."""
    from pathlib import Path

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    Path(args.out_dir).mkdir(parents=True, exist_ok=True)
    for name, figure in _course_figures():
        path = Path(args.out_dir) / name
        figure.savefig(path, dpi=100, metadata={"Software": None})  # no version stamp: same bytes every time
        plt.close(figure)
        print(f"Wrote {path}", file=out)
    return 0


def main(argv=None):
    """Entry point of ``python -m hebb_core``; returns the exit status."""
    args = _build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (ValueError, OSError) as error:
        print(f"python -m hebb_core {args.command}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
