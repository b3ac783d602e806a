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

    @property
    def sizes(self):
        """Neurons per layer, input first: ``(N, M, …, M, N)``, ``L`` entries."""
        hidden = self.N if self.M is None else self.M
        return (self.N,) + (hidden,) * (self.L - 2) + (self.N,)

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
    """Return explicit weights as float arrays after checking their shapes and that they lie in ``[-1, 1]``."""
    sizes = params.sizes
    shapes = [(sizes[layer], sizes[layer + 1]) for layer in range(params.L - 1)]
    if len(weights) != len(shapes):
        _fail("weights", f"{len(weights)} matrices", f"{len(shapes)} matrices of shapes {shapes}")
    arrays = []
    for layer, (W, shape) in enumerate(zip(weights, shapes)):
        W = np.array(W, dtype=np.float64)
        if W.shape != shape:
            _fail(f"weights[{layer}]", f"shape {W.shape}", f"shape {shape}")
        if not np.all(np.abs(W) <= 1):
            _fail(f"weights[{layer}]", f"max |w| = {np.abs(W).max()}", "every weight in [-1, 1]")
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


def hebbian_update(W, pre, post, neuron_type, epsilon):
    """The seed's decaying Hebb rule for one weight matrix, ``W`` of shape ``(..., n_pre, n_post)``:

        W_ab ← (1 - eps) W_ab + eps S_a S_b type(a)

    computed in exactly this order, ``(1 - eps)·w + ((eps·pre)·post)·type``, by every path of the module.
    ``pre`` and ``neuron_type`` have shape ``(..., n_pre)``, ``post`` ``(..., n_post)``.
    """
    weight_change = ((epsilon * pre)[..., :, None] * post[..., None, :]) * neuron_type[..., :, None]
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


def read_out(field_out, readout):
    """Which output neuron answers, per recalled input: its index, or ``-1`` when the answer is not one neuron.

    ``strict``: the output states ``activation(field)`` have exactly one ``+1``; ``argmax``: one neuron has the
    unique largest field. ``field_out`` has shape ``(..., N)``; the result ``(...)``.
    """
    if readout == "strict":
        firing = activation_function(field_out) > 0
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
    input layer first, from the ``numpy.random.Generator`` ``rng``.
    """
    types = check_types(types, params.P)
    sizes, weights = params.sizes, []
    for layer, neuron_type in enumerate(split_layers(types, sizes)):
        magnitude = rng.uniform(params.w_min, params.w_max, size=(sizes[layer], sizes[layer + 1]))
        if params.decimals is not None:
            magnitude = np.round(magnitude, params.decimals)
        weights.append(magnitude * neuron_type[:, None])  # E: w in [w_min, w_max]; I: w in [-w_max, -w_min]
    return weights


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


def forward_pass(neuron_states, weights, through_output=False):
    """Pass the input layer's states on: ``S[l] = activation(S[l-1] · W[l-1])`` for the hidden layers.

    During training the output layer stays clamped; ``through_output=True`` (recall) sets it as well.
    Changes ``neuron_states`` in place and returns the last field computed.
    """
    last = len(neuron_states) - 1 if through_output else len(neuron_states) - 2
    field_in = None
    for layer in range(1, last + 1):
        field_in = synaptic_input(neuron_states[layer - 1], weights[layer - 1])  # x_b = Σ_a S_a W_ab
        neuron_states[layer][:] = activation_function(field_in)  # S_b = +1 if x_b >= 0 else -1
    return field_in


def update_weights_using_hebbian(weights, neuron_states, types, params):
    """One Hebbian step on every weight of every layer, all from the same states (the seed's rule):

        W[l]_ab ← (1 - eps) W[l]_ab + eps S[l]_a S[l+1]_b type(l, a)

    then Dale's clipping if ``params.dale``. Returns the new list of weight matrices.
    """
    new_weights = []
    for layer, neuron_type in enumerate(split_layers(types, params.sizes)):
        W = hebbian_update(weights[layer], neuron_states[layer], neuron_states[layer + 1], neuron_type, params.epsilon)
        new_weights.append(dale_clip(W, neuron_type) if params.dale else W)
    return new_weights


def recall(weights, input_idx, params):
    """Present input ``input_idx`` alone and pass it through every layer; returns ``(neuron_states, output_field)``."""
    neuron_states = [np.zeros(n) for n in params.sizes]
    neuron_states[0][input_idx] = 1
    output_field = forward_pass(neuron_states, weights, through_output=True)
    return neuron_states, output_field


def check_convergence(weights, mapping, params):
    """Recall every input; returns ``(recalled, winners)``, two arrays of length ``N``.

    ``winners[i]`` is the output neuron that answers input ``i`` (``-1`` if none does under ``params.readout``);
    ``recalled[i]`` is ``winners[i] == mapping[i]``. The network has converged when ``recalled.all()``.
    """
    winners = np.array([read_out(recall(weights, i, params)[1], params.readout) for i in range(params.N)])
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
    weights : final weight matrices
    history : dict of per-epoch arrays, epoch 0 being the initial state: ``weights`` (one ``(T+1, n_l, n_{l+1})``
        array per layer), ``hidden`` (one ``(T+1, N, n_l)`` array per hidden layer: the states at recall of every
        input), ``recalled`` ``(T+1, N)``, ``winners`` ``(T+1, N)``
    """

    epochs_to_convergence: int
    converged: bool
    recall_fraction: float
    unique: bool
    stable: bool
    weights_settled_epoch: int | None
    weights: list
    history: dict | None = None


def _history_snapshot(weights, mapping, params):
    """Weights, hidden states at recall, and recall, for one network at one moment (readable path)."""
    states = [recall(weights, i, params)[0] for i in range(params.N)]
    recalled, winners = check_convergence(weights, mapping, params)
    hidden = [np.array([s[layer] for s in states]) for layer in range(1, params.L - 1)]
    return [W.copy() for W in weights], hidden, recalled, winners


def _stack_history(snapshots):
    weights, hidden, recalled, winners = zip(*snapshots)
    return {"weights": [np.array(layer) for layer in zip(*weights)],
            "hidden": [np.array(layer) for layer in zip(*hidden)],
            "recalled": np.array(recalled), "winners": np.array(winners)}


def train_network(params, types, mapping, weights, orders=None, history=False):
    """Train one network with the seed's procedure, step by step, and report as MODEL.md S8 says.

    Each epoch presents the ``N`` pairs in ``orders[epoch]`` (default: input order). For every pair: clamp it,
    pass the input through the hidden layers, update every weight. After every epoch: recall all pairs.

    types : ``P`` values ±1, or a string like ``"EII|IEI"``
    mapping : the target permutation ``pi``, a sequence of length ``N``
    weights : the initial weights (list of ``L-1`` matrices), e.g. from :func:`initialize_weights`
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
    snapshots = [_history_snapshot(weights, mapping, params)] if history else None
    first_success, stable, settled = None, False, None
    for epoch in range(1, params.max_epochs + 1):
        previous = weights
        for input_idx in orders[epoch - 1]:
            clamp_neurons(neuron_states, input_idx, mapping[input_idx])
            forward_pass(neuron_states, weights)
            weights = update_weights_using_hebbian(weights, neuron_states, types, params)
        change = max(np.abs(W - W_old).max() for W, W_old in zip(weights, previous))
        if settled is None and change <= params.tol:
            settled = epoch
        recalled, winners = check_convergence(weights, mapping, params)
        if history:
            snapshots.append(_history_snapshot(weights, mapping, params))
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
    )


# ═══════════════════════════════════════════════════════════════════════════════════════════════════════════
# 4. The batched engine: many networks at once
# ═══════════════════════════════════════════════════════════════════════════════════════════════════════════


@dataclass
class BatchResult:
    """The reports of ``B`` runs as arrays of length ``B`` (see :class:`RunResult` for their meaning).

    ``weights_settled_epoch`` is 0 where the weights never settled. ``weights`` holds one ``(B, n_l, n_{l+1})``
    array per layer. ``history`` (when asked for) holds the arrays of :class:`RunResult` with a leading batch axis,
    up to the longest run; a run that stopped at epoch ``t`` has valid entries up to ``t``.
    """

    epochs_to_convergence: np.ndarray
    converged: np.ndarray
    recall_fraction: np.ndarray
    unique: np.ndarray
    stable: np.ndarray
    weights_settled_epoch: np.ndarray
    weights: list
    history: dict | None = None


def train_batch(params, types, mappings, weights, orders=None, history=False):
    """Train ``B`` networks at once, with exactly the arithmetic of :func:`train_network`.

    types : ``(B, P)`` values ±1
    mappings : ``(B, N)`` target permutations
    weights : one ``(B, n_l, n_{l+1})`` array of initial weights per layer
    orders : ``(B, max_epochs, N)`` presentation orders; ``None`` for the fixed order
    history : also record, after every epoch, the weights, the hidden states at recall and the answers
        (memory grows as ``B·max_epochs``: meant for a few networks)

    The work is done by a compiled loop (:func:`_train_kernel`) over the networks; a network that has converged
    stops (unless ``params.stop_at_convergence`` is false).
    """
    sizes = np.array(params.sizes, dtype=np.int64)
    N, L, K, B = params.N, params.L, int(sizes.max()), len(mappings)
    if orders is None and params.order == "shuffled":
        _fail("orders", None, "an array of presentation orders when order='shuffled'")
    W = np.zeros((B, L - 1, K, K))  # every layer in one padded array, so that one compiled loop serves any L
    kinds = np.zeros((B, L - 1, K))
    for layer, (w, kind) in enumerate(zip(weights, split_layers(np.asarray(types, dtype=np.float64), params.sizes))):
        W[:, layer, :sizes[layer], :sizes[layer + 1]] = w
        kinds[:, layer, :sizes[layer]] = kind
    orders = np.zeros((B, 0, N), dtype=np.int16) if orders is None else np.asarray(orders, dtype=np.int16)
    T = params.max_epochs + 1 if history else 0
    record_W = np.zeros((B if history else 0, T, L - 1, K, K))
    record_hidden = np.zeros((B if history else 0, T, max(L - 2, 0), N, K))
    record_winners = np.full((B if history else 0, T, N), -1, dtype=np.int64)
    report = np.zeros((B, 4), dtype=np.int64)  # first success, settled epoch, stable, unique
    fraction = np.zeros(B)
    _train_kernel(W, kinds, np.asarray(mappings, dtype=np.int64), orders, sizes, float(params.epsilon),
                  params.max_epochs, params.dale, float(params.tol), params.readout == "strict",
                  params.stop_at_convergence, report, fraction, record_W, record_hidden, record_winners)
    first_success = report[:, 0]
    converged = first_success > 0
    result = BatchResult(
        epochs_to_convergence=np.where(converged, first_success, params.max_epochs),
        converged=converged,
        recall_fraction=fraction,
        unique=report[:, 3].astype(bool),
        stable=report[:, 2].astype(bool),
        weights_settled_epoch=report[:, 1],
        weights=[W[:, layer, :sizes[layer], :sizes[layer + 1]].copy() for layer in range(L - 1)],
    )
    if history:
        last = int(np.where(converged & params.stop_at_convergence, first_success, params.max_epochs).max()) + 1
        winners = record_winners[:, :last]
        result.history = {
            "weights": [record_W[:, :last, layer, :sizes[layer], :sizes[layer + 1]] for layer in range(L - 1)],
            "hidden": [record_hidden[:, :last, layer - 1, :, :sizes[layer]] for layer in range(1, L - 1)],
            "recalled": winners == np.asarray(mappings)[:, None, :],
            "winners": winners,
        }
    return result


@numba.njit(cache=True)
def _field(S, W, c, n_pre):
    """``x_c = Σ_a S_a W_ac`` added in the order ``a = 0, 1, …`` (as :func:`synaptic_input`)."""
    x = S[0] * W[0, c]
    for a in range(1, n_pre):
        x = x + S[a] * W[a, c]
    return x


@numba.njit(cache=True)
def _recall_all(W, sizes, strict, states, winners):
    """Recall every input of one network (as :func:`check_convergence`): fills ``states[i, layer, :]`` with the
    states at recall of input ``i`` and ``winners[i]`` with the answering output neuron (``-1``: none)."""
    L, N = sizes.shape[0], sizes[0]
    for i in range(N):
        for a in range(N):
            states[i, 0, a] = 1.0 if a == i else 0.0
        for layer in range(1, L):
            best, n_best, answer, n_firing = -np.inf, 0, -1, 0
            for c in range(sizes[layer]):
                x = _field(states[i, layer - 1], W[layer - 1], c, sizes[layer - 1])
                states[i, layer, c] = 1.0 if x >= 0 else -1.0  # S = +1 if x >= 0 else -1
                if strict and x >= 0:  # strict: exactly one output neuron fires
                    n_firing += 1
                    if n_firing == 1:
                        answer = c
                elif not strict and x > best:  # argmax: one neuron has the unique largest field
                    best, n_best, answer = x, 1, c
                elif not strict and x == best:
                    n_best += 1
        winners[i] = answer if (n_firing == 1 if strict else n_best == 1) else -1


@numba.njit(cache=True)
def _train_kernel(W, kinds, mappings, orders, sizes, epsilon, max_epochs, dale, tol, strict, stop,
                  report, fraction, record_W, record_hidden, record_winners):
    """Train every network ``W[b]`` in place, step by step as :func:`train_network` does (scalar loops only,
    which compile quickly and keep every operation in the readable path's order)."""
    B, L, N, K = W.shape[0], sizes.shape[0], sizes[0], W.shape[2]
    shuffled, recording = orders.shape[1] > 0, record_W.shape[0] > 0
    S = np.zeros((L, K))
    states = np.zeros((N, L, K))
    winners = np.zeros(N, dtype=np.int64)
    previous = np.zeros((L - 1, K, K))
    for b in range(B):
        first_success, settled, stable, n_recalled = 0, 0, False, 0
        for epoch in range(max_epochs + 1):
            for layer in range(L - 1):
                for a in range(K):
                    for c in range(K):
                        previous[layer, a, c] = W[b, layer, a, c]
            for step in range(N if epoch > 0 else 0):
                i = orders[b, epoch - 1, step] if shuffled else step
                for layer in range(L):  # clamp_neurons
                    for a in range(K):
                        S[layer, a] = 0.0
                S[0, i] = 1.0
                S[L - 1, mappings[b, i]] = 1.0
                for layer in range(1, L - 1):  # forward_pass through the hidden layers
                    for c in range(sizes[layer]):
                        S[layer, c] = 1.0 if _field(S[layer - 1], W[b, layer - 1], c, sizes[layer - 1]) >= 0 else -1.0
                for layer in range(L - 1):  # update_weights_using_hebbian
                    for a in range(sizes[layer]):
                        kind = kinds[b, layer, a]
                        for c in range(sizes[layer + 1]):
                            w = (1 - epsilon) * W[b, layer, a, c] + ((epsilon * S[layer, a]) * S[layer + 1, c]) * kind
                            if dale and kind > 0:  # E in (0, 1]
                                w = DALE_FLOOR if w < DALE_FLOOR else (1.0 if w > 1.0 else w)
                            elif dale:  # I in [-1, 0)
                                w = -1.0 if w < -1.0 else (-DALE_FLOOR if w > -DALE_FLOOR else w)
                            W[b, layer, a, c] = w
            _recall_all(W[b], sizes, strict, states, winners)
            if recording:
                for layer in range(L - 1):
                    for a in range(K):
                        for c in range(K):
                            record_W[b, epoch, layer, a, c] = W[b, layer, a, c]
                for layer in range(1, L - 1):
                    for i in range(N):
                        for c in range(K):
                            record_hidden[b, epoch, layer - 1, i, c] = states[i, layer, c]
                for i in range(N):
                    record_winners[b, epoch, i] = winners[i]
            if epoch == 0:
                continue
            change = 0.0  # the largest change of any weight over this epoch
            for layer in range(L - 1):
                for a in range(K):
                    for c in range(K):
                        change = max(change, abs(W[b, layer, a, c] - previous[layer, a, c]))
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
        json.dumps({f"{layer}-{layer + 1}": W[b].tolist() for layer, W in enumerate(result.weights)})
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
        weights=[np.array([r.weights[layer] for r in results]) for layer in range(params.L - 1)],
    )


def run_chunk(params, runs, seed, engine="batched"):
    """Draw and train a list of planned runs; returns their rows of the sweep table."""
    _check_choice("engine", engine, ("batched", "readable"))
    drawn = [draw_run(params, r, seed) for r in runs]
    types = np.array([d[0] for d in drawn])
    weights = [np.array([d[1][layer] for d in drawn]) for layer in range(params.L - 1)]
    orders = None if params.order == "fixed" else np.array([d[2] for d in drawn])
    mappings = np.array([r.mapping for r in runs])
    train = train_batch if engine == "batched" else _train_readable
    return _results_table(params, runs, types, train(params, types, mappings, weights, orders), seed)


def iter_experiment(params=None, e_counts=None, allotment="random", repeats=1, mappings="all", seed=0,
                    engine="batched", chunk_size=2048):
    """Run the seed's sweep lazily: yields ``(ratio, rows)`` for chunks of at most ``chunk_size`` runs.

    See :func:`plan_experiment` for the arguments. ``seed`` (an integer >= 0) fixes every random draw.
    """
    params = params or Params()
    _check_int("seed", seed, 0)
    _check_int("chunk_size", chunk_size, 1)
    for ratio, runs in plan_experiment(params, e_counts, allotment, repeats, mappings):
        for start in range(0, len(runs), chunk_size):
            yield ratio, run_chunk(params, runs[start:start + chunk_size], seed, engine)


def run_experiment(params=None, e_counts=None, allotment="random", repeats=1, mappings="all", seed=0,
                   engine="batched", chunk_size=2048, progress=False):
    """The seed's experiment: for each E/I ratio, each allotment, each target permutation, train a fresh network.

    Returns a pandas DataFrame with one row per run and the columns :data:`COLUMNS`. ``engine="readable"`` trains
    every network with the step-by-step path (slow; the same table). ``progress=True`` shows a progress bar.
    """
    params = params or Params()
    bar = None
    if progress:
        from tqdm.auto import tqdm

        plan = plan_experiment(params, e_counts, allotment, repeats, mappings)
        bar = tqdm(total=sum(len(runs) for _, runs in plan), unit="run")
    chunks = []
    for _, rows in iter_experiment(params, e_counts, allotment, repeats, mappings, seed, engine, chunk_size):
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
    ax.plot(t, numeric, "o", color=COLOURS["E"], ms=4, markevery=max(1, len(t) // 40), label="the rule, step by step")
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
    names = ["input"] + [f"hidden {layer}" for layer in range(1, params.L - 1)] + ["output"]
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


def plot_weight_heatmaps(weights, axes=None, vmax=None, label=""):
    """One heatmap per weight matrix ``W[l]`` (rows: presynaptic neuron in layer ``l``; columns: postsynaptic
    neuron in layer ``l+1``), all on one colour scale ``[-vmax, vmax]`` (default: the largest |w|), with the
    values written in when a matrix is small. ``label`` starts each title (e.g. ``"before: "``). Returns the figure.
    """
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, len(weights), figsize=(2.9 * len(weights) + 1, 2.9), layout="constrained",
                               squeeze=False)
        axes = axes[0]
    vmax = vmax or max(np.abs(W).max() for W in weights) or 1.0
    for layer, (W, ax) in enumerate(zip(weights, axes)):
        image = ax.imshow(W, cmap=WEIGHT_CMAP, vmin=-vmax, vmax=vmax)
        if W.size <= 36:  # small enough to read the numbers
            for (a, b), value in np.ndenumerate(W):
                ax.text(b, a, f"{value:.3f}", ha="center", va="center", fontsize=7,
                        color="white" if abs(value) > 0.6 * vmax else "black")
        ax.set(title=f"{label}W[{layer}]", xlabel=f"to layer {layer + 1}", ylabel=f"from layer {layer}",
               xticks=np.arange(W.shape[1]), yticks=np.arange(W.shape[0]))
    axes[0].figure.colorbar(image, ax=list(axes), shrink=0.8, label="weight")
    return axes[0].figure.figure


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
        traces = history.reshape(T, -1).T  # one row per weight W[a, b], row a·n_post + b
        colours = np.repeat(np.where(kind > 0, COLOURS["E"], COLOURS["I"]), history.shape[2])
        epochs = np.broadcast_to(np.arange(T), traces.shape)
        ax.add_collection(LineCollection(np.stack([epochs, traces], axis=-1), colors=colours, lw=0.8, alpha=0.7))
        ax.axhline(0, color="k", lw=0.5)
        if converged_at is not None:
            ax.axvline(converged_at, color="k", ls="--", lw=1)
        ax.set_xscale("symlog", linthresh=10, linscale=0.5)  # the first 1/eps epochs and the long run, side by side
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
    fig = plt.figure(figsize=(11, 6.6), layout="constrained")
    top, bottom = fig.subfigures(2, 1, height_ratios=[1.1, 1])
    upper = top.subplots(1, n + 1, width_ratios=[1.5] + [1] * n)
    final = [history[-1] for history in weight_history]
    plot_network(params, types, final, ax=upper[0])
    plot_weight_heatmaps(final, axes=upper[1:], label="final ")
    plot_weight_traces(params, types, weight_history, converged_at, axes=bottom.subplots(1, n, squeeze=False)[0])
    if title:
        fig.suptitle(title)
    return fig


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
        import matplotlib.pyplot as plt
        from IPython.display import display

        self.last = self.draw(**values)
        display(self.last["figure"])
        print(self.last["text"])
        plt.close(self.last["figure"])

    def update(self):
        """Redraw with the sliders' current values; returns the drawing function's dict."""
        self._show(**{name: slider.value for name, slider in self.sliders.items()})
        return self.last

    @property
    def figure(self):
        return self.last["figure"]

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


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
    return Explorer(sliders, _draw_hebb, height="330px")


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
    explorer = Explorer(sliders, _draw_network_run, height="900px")
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
    n_runs = len(plan[0][1]) if plan else 0
    print(f"Testing {n_runs} mappings for each of {len(plan)} E/I ratios", file=out)
    print("Available E/I configurations:", file=out)
    for (e_value, i_value, e, i), _ in plan:
        print(f"  {e_value:.3f}/{i_value:.3f} ({e}E/{i}I)", file=out)


def sweep_command(args, out=sys.stdout):
    """``python -m hebb_core sweep``: run the sweep, print the seed's log, append rows to ``--out``."""
    params = Params(L=args.layers, N=args.neurons, M=args.hidden, epsilon=args.epsilon, max_epochs=args.max_epochs,
                    w_min=args.weight_min, w_max=args.weight_max, decimals=args.decimals, order=args.order,
                    readout=args.readout, dale=args.dale, stop_at_convergence=not args.train_to_end)
    _check_int("repeats", args.repeats, 1)
    _check_int("seed", args.seed, 0)
    plan = plan_experiment(params, allotment=args.allotment, repeats=args.repeats)
    _log_header(params, plan, out)
    from tqdm.auto import tqdm

    bar = tqdm(total=sum(len(runs) for _, runs in plan), unit="run", disable=not sys.stderr.isatty())
    handle = open(args.out, "w", encoding="utf-8") if args.out else None
    written = 0
    try:
        for ratio, runs in plan:
            print(f"Testing E/I ratio: {ratio[0]:.3f}/{ratio[1]:.3f}", file=out)
            converged = 0
            for start in range(0, len(runs), 512):
                rows = run_chunk(params, runs[start:start + 512], args.seed)
                converged += int(rows["converged"].sum())
                if handle is not None:  # whole rows only: Ctrl-C waits until the chunk is written
                    text = rows.to_csv(index=False, header=written == 0, lineterminator="\n")
                    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
                    handle.write(text)
                    handle.flush()
                    signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
                written += len(rows)
                bar.update(len(rows))
            print(f"  Converged: {converged}/{len(runs)} mappings", file=out)
    except KeyboardInterrupt:
        bar.close()
        print(f"Interrupted: {written} finished rows kept" + (f" in {args.out}" if args.out else ""), file=sys.stderr)
        return 130
    finally:
        if handle is not None:
            handle.close()
    bar.close()
    if args.out:
        print(f"Wrote {written} rows to {args.out}", file=out)
    return 0


def _course_figures():
    """The key figures of notebooks 01-03, by file name: the explorers' defaults and the example network."""
    yield "01_and_decision_line.png", _draw_mcculloch_pitts(*LOGIC_GATES["AND"][0], LOGIC_GATES["AND"][1])["figure"]
    yield "02_hebb_trajectory.png", _draw_hebb(0.05, (1, 1), 1, 0.05)["figure"]
    run = _draw_network_run(**EXAMPLE_RUN)
    params, types, history = run["params"], run["types"], run["result"].history["weights"]
    yield "03_network.png", plot_network(params, types, [layer[0, 0] for layer in history],
                                         title="before training: the initial weights")
    yield "03_weight_traces.png", plot_weight_traces(params, types, [layer[0] for layer in history],
                                                     run["result"].epochs_to_convergence[0])
    yield "03_training_run.png", run["figure"]


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
