"""Hebbian learning of one-to-one maps in small feed-forward networks: the workshop's model, step
by step.

The model of the workshop "Does excitation/inhibition ratio have an effect in one-to-one learning
of neural networks using Hebb's Rule?" (Brains, Dynamics & Computation, IMSc Chennai, 2025), pinned
down rule by rule:

* ``L`` layers of McCulloch–Pitts neurons: input (``N``), hidden (``M``, default ``N``), output
  (``N``); all-to-all weights ``W[l]`` of shape ``(n_l, n_{l+1})`` between neighbouring layers
  only.
* Every neuron with outgoing weights is excitatory (type ``+1``) or inhibitory (type ``-1``).
* Training clamps one input/output pair of a target permutation ``pi`` at a time, passes the input
  through the hidden layers, and updates every weight with the decaying Hebb rule

      W_ab(t+1) = (1 - eps) W_ab(t) + eps * S_a * S_b * type(a).

* A network has converged when recalling every input ``i`` gives the output ``pi(i)``.

This module is the model a student reads beside the workshop's slides, top to bottom:

1. parameters and their checks
2. the neuron and the rule
3. one network, step by step (the workshop's rules only, in its own vocabulary)
4. the experiment as data: the plan of a sweep, the draw of one run
5. the machinery, loaded on first use from the package ``hebblab`` beside this file (see
   :data:`MACHINERY`): the compiled engine that trains many networks at once with the same
   arithmetic, the variants of notebook 06 (their own parameters, :class:`VariantParams`, and their
   own step), the sweep itself (:func:`run_experiment`) and its statistics, the analysis of the
   answer, the topographic-map model, plots, the notebooks' sliders and the command line (``python
   -m hebb_core sweep --help``)

Every name of the package is also a name of this module (``hebb_core.train_batch``,
``hebb_core.plot_network``, …), so a notebook needs only ``import hebb_core as hc``; ``import
hebb_core`` alone loads numpy and the checks of arguments (``hebblab/checks.py``), nothing else.

References: McCulloch & Pitts (1943) Bull Math Biophys 5:115; Hebb (1949) The Organization of
Behavior; Dayan & Abbott (2001) Theoretical Neuroscience, ch. 8.
"""

from __future__ import annotations

import importlib
import itertools
import math
import signal
import sys
from dataclasses import dataclass

# the command line: Ctrl-C while numpy loads ends with one line and status 130
if __name__ == "__main__":
    signal.signal(signal.SIGINT, lambda *_: sys.exit(print("python -m hebb_core: interrupted",
                                                           file=sys.stderr) or 130))

import numpy as np  # noqa: E402 (after the command line's Ctrl-C handler)

# the checks of arguments, and the rules of the decorator @with_checks below
from hebblab.checks import (  # noqa: E402
    a_function,
    a_generator,
    a_name,
    a_real,
    a_shape,
    a_sizes,
    an_array,
    an_instance,
    an_int,
    as_numbers,
    as_shown,
    check_array,
    check_bool,
    check_choice,
    check_int,
    check_matrices,
    check_real,
    clamped_pair,
    fail,
    first_bad,
    layer_states,
    layer_weights,
    MAX_EPOCHS,
    MAX_LAYERS,
    MAX_NEURONS,
    one_of,
    or_none,
    plain_numbers,
    synaptic_fields,
    typed_layers,
    with_checks,
)

__version__ = "0.1.0"


# ═════════════════════════════════════════════════════════════════════════════════════════════════
# 1. Parameters and their checks
# ═════════════════════════════════════════════════════════════════════════════════════════════════

ORDERS = ("fixed", "shuffled")  # presentation order of the N pairs within an epoch
READOUTS = ("strict", "argmax")  # when a recalled output counts as the target
ALLOTMENTS = ("random", "first", "all")  # which neurons are excitatory, for a given E count
# a threshold unit's states: ±1 (the workshop's) or 0/1 (the slides')
ACTIVATIONS = ("sign", "binary")


@dataclass(frozen=True)
class Params:
    """Everything that defines how one network is built and trained.

    L : int, default 3
        Number of layers: 0 is the input, ``L-1`` the output, the rest hidden. ``L >= 2``.
    N : int, default 3
        Neurons in the input and in the output layer (the size of the one-to-one map).
    M : int or None, default None
        Neurons in each hidden layer; ``None`` means ``M = N`` (the workshop's model).
    epsilon : float, default 0.01
        Learning rate, in ``(0, 1]``; it is also the decay rate, so weights relax on a time scale
        ``1/epsilon``.
    max_epochs : int, default 2000
        Epochs before a run is declared not converged (the workshop used 1000, 2000 and 3000).
    w_min, w_max : float, default 0.01, 0.1
        Initial |weight| range, ``0 <= w_min <= w_max <= 1``: E weights in ``[w_min, w_max]``,
        I in ``[-w_max, -w_min]``.
    decimals : int or None, default 2
        Initial weights are rounded to this many decimals (the workshop's ``edge_decimals``);
        ``None``: no rounding.
    order : {"fixed", "shuffled"}, default "fixed"
        Pairs presented in input order ``0 … N-1`` in every epoch, or in a fresh seeded shuffle
        each epoch.
    readout : {"strict", "argmax"}, default "strict"
        ``strict``: exactly the target output neuron is at ``+1``; ``argmax``: the target has the
        unique largest field.
    dale : bool, default False
        Keep every weight strictly on its neuron's side of zero, as the workshop's slide states: E
        in ``(0, 1]``, I in ``[-1, 0)`` (see :func:`dale_clip`). The workshop's code does not.
    tol : float, default 1e-6
        An epoch in which no weight changes by more than ``tol`` counts as "weights no longer
        update".
    stop_at_convergence : bool, default True
        Stop training a network at its first full recall (as the workshop did). ``False`` trains
        all ``max_epochs`` epochs, so that ``stable`` tells whether recall stayed correct to the
        end.

    The variants beyond the workshop's rules (notebook 06) add their own parameters to these:
    ``hebblab.variants.VariantParams`` (``hc.VariantParams``).
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
        check_int("L", self.L, 2, MAX_LAYERS)
        check_int("N", self.N, 1, MAX_NEURONS)
        if self.M is not None:
            check_int("M", self.M, 1, MAX_NEURONS)
        check_real("epsilon", self.epsilon, 0, 1, open_low=True)
        check_int("max_epochs", self.max_epochs, 1, MAX_EPOCHS)
        for name in ("w_min", "w_max"):
            check_real(name, getattr(self, name), 0, 1)  # so that every weight starts in [-1, 1]
        if self.w_min > self.w_max:
            fail("w_min", self.w_min, f"at most w_max={self.w_max!r}")
        if self.decimals is not None:
            check_int("decimals", self.decimals, 0, 15)
        check_choice("order", self.order, ORDERS)
        check_choice("readout", self.readout, READOUTS)
        check_bool("dale", self.dale)
        check_real("tol", self.tol, 0, 2)  # a weight in [-1, 1] changes by at most 2
        check_bool("stop_at_convergence", self.stop_at_convergence)
        plain_numbers(self, L=int, N=int, M=int, epsilon=float, max_epochs=int, w_min=float,
                      w_max=float, decimals=int, dale=bool, tol=float, stop_at_convergence=bool)

    @property
    def hidden_width(self):
        """``M``: neurons in each hidden layer (``N`` unless given)."""
        return self.N if self.M is None else self.M

    @property
    def sizes(self):
        """Neurons per layer, input first: ``(N, M, …, M, N)``, ``L`` entries."""
        return (self.N,) + (self.hidden_width,) * (self.L - 2) + (self.N,)

    @property
    def variants(self):
        """The variants beyond the workshop's rules that these parameters switch on: none (``()``);
        see ``hebblab.variants.VariantParams``."""
        return ()

    @property
    def weight_keys(self):
        """Names of the weight matrices, in the order of a weight list: ``"0-1", "1-2", …`` (one
        matrix from each layer to the next). A matrix named ``"… E"`` holds excitatory synapses
        only (weights ``>= 0``), one named ``"… I"`` inhibitory ones (``<= 0``): the dual edges of
        ``hebblab.variants.VariantParams``."""
        return [f"{layer}-{layer + 1}" for layer in range(self.L - 1)]

    @property
    def P(self):
        """Number of typed neurons (those with outgoing weights, layers ``0 … L-2``): ``N·(L-1)``
        when ``M = N``."""
        return sum(self.sizes[:-1])


@with_checks(name=a_name)
def check_params(params, name="params"):
    """Raise ``ValueError`` unless ``params`` is a :class:`Params`."""
    if not isinstance(params, Params):
        fail(name, as_shown(params), "a Params, e.g. Params(L=3, N=3)")


A_PARAMS = an_instance(Params, "a Params, e.g. Params(L=3, N=3)")


def _the_workshops(name, params):
    """The rule of the workshop's step by step functions: a :class:`Params` with no variant on."""
    A_PARAMS(name, params)
    if params.variants:
        fail(name, f"a {type(params).__name__} with the variants {', '.join(params.variants)}",
              "the workshop's rules: train, recall and check the variants with "
              "hc.train_variant_network, "
              "hc.variant_recall and hc.variant_convergence")
A_SEED = an_int(0, 2**63 - 1)


@with_checks(N=an_int(1, MAX_NEURONS), lead=a_shape, name=a_name, dtype=one_of(np.intp, np.int16))
def check_mapping(mapping, N, lead=(), name="mapping", dtype=np.intp):
    """Return ``mapping`` as an int array after checking that it is a permutation of ``range(N)``.

    ``lead``: leading axes, e.g. ``(B,)`` for ``B`` mappings or ``(B, max_epochs)`` for
    presentation orders, each row a permutation (checked at once, for a batch); ``name`` is the
    argument's name in the message.
    """
    shape = tuple(lead) + (N,)
    allowed = f"a permutation of range({N})" + (f" in each row of an integer array of "
                                                f"shape {shape}" if lead else "")
    array = as_numbers(name, mapping, shape, allowed, "iu")
    first_bad(name, np.any(np.sort(array, axis=-1) != np.arange(N), axis=-1), array,
              f"a permutation of range({N})")
    return array.astype(dtype, copy=False)


@with_checks(P=an_int(1, (MAX_LAYERS - 1) * MAX_NEURONS), lead=a_shape, name=a_name)
def check_types(types, P, lead=(), name="types"):
    """Return a type vector (``+1`` E, ``-1`` I) of length ``P``; accepts ±1 numbers or a string
    like ``"EII|IEI"``. ``lead``: leading axes, e.g. ``(B,)`` for the types of ``B`` networks;
    ``name``: the argument's name."""
    if isinstance(types, str) and not lead:
        letters = types.replace("|", "")
        if set(letters) - {"E", "I"} or not letters:
            fail(name, types, "letters E and I (layers may be separated by '|')")
        types = [1 if letter == "E" else -1 for letter in letters]
    shape = tuple(lead) + (P,)
    allowed = f"{P} values, each +1 (E) or -1 (I)" + (f", in an array of "
                                                      f"shape {shape}" if lead else "")
    array = as_numbers(name, types, shape, allowed)
    first_bad(name, ~np.all((array == 1) | (array == -1), axis=-1), array, allowed)
    return array.astype(np.float64)


@with_checks(params=A_PARAMS, lead=a_shape)
def check_weights(weights, params, lead=()):
    """Return explicit weights as float arrays after checking their shapes and that they lie in
    ``[-1, 1]``.

    One matrix per name of :attr:`Params.weight_keys`: a matrix of excitatory synapses (``"… E"``,
    dual edges) in ``[0, 1]``, of inhibitory ones (``"… I"``) in ``[-1, 0]``. ``lead``: leading
    axes, e.g. ``(B,)`` for the weights of ``B`` networks, ``(B, n_l, n_{l+1})`` per matrix.
    """
    layout = weight_layout(params)
    shapes = [tuple(lead) + (params.sizes[layer], params.sizes[layer + 1]) for layer, _ in layout]
    return check_matrices(weights, shapes, [sign for _, sign in layout])


@with_checks(params=A_PARAMS)
def weight_layout(params):
    """``(layer, sign)`` of each weight matrix of :attr:`Params.weight_keys`: the matrix from
    ``layer`` to ``layer + 1``, its synapses' sign ``+1`` (``"… E"``), ``-1`` (``"… I"``) or ``0``
    (that of each neuron)."""
    return [(int(key.split("-")[0]),
             {"E": 1, "I": -1}.get(key[-1], 0)) for key in params.weight_keys]


@with_checks(typed_layers, vector=an_array(), sizes=a_sizes)
def split_layers(vector, sizes):
    """Split a vector over the typed neurons into one piece per layer (``sizes[:-1]``). Works on
    ``(..., P)``."""
    cuts = np.cumsum(sizes[:-2])
    return np.split(vector, cuts, axis=-1)


@with_checks(typed_layers, types=an_array(1, -1, 1), sizes=a_sizes)
def allotment_string(types, sizes):
    """``[1, -1, -1, -1, 1, -1]`` with sizes ``(3, 3, 3)`` → ``"EII|IEI"``: one letter per typed
    neuron, by layer."""
    return "|".join("".join("E" if t > 0 else "I" for t in layer)
                    for layer in split_layers(np.asarray(types), sizes))


# ═════════════════════════════════════════════════════════════════════════════════════════════════
# 2. The neuron and the rule
# ═════════════════════════════════════════════════════════════════════════════════════════════════


@with_checks(x=an_array())
def activation_function(x):
    """The workshop's McCulloch–Pitts unit with ±1 states: ``S = +1 if x >= 0 else -1`` (a field of
    exactly 0 fires)."""
    return np.where(x >= 0, 1.0, -1.0)


@with_checks(x=an_array(), theta=a_real(), activation=one_of(*ACTIVATIONS))
def threshold_unit(x, theta=0.0, activation="sign"):
    """A McCulloch–Pitts unit with threshold ``theta``: ``S = 1 if x >= theta`` else ``-1``
    (``"sign"``) or ``0`` (``"binary"``). With ``theta = 0`` and ``"sign"`` it is the workshop's
    :func:`activation_function`."""
    # S = 1 if x >= θ else silent
    return np.where(x >= theta, 1.0, -1.0 if activation == "sign" else 0.0)


# a unit's states: 0/1 (McCulloch & Pitts 1943, the slides) or ±1 (the workshop's code)
STATES = ("binary", "sign")

#: Weights and threshold ``(w, theta)`` of one McCulloch–Pitts unit with 0/1 states for three logic
#: gates.
LOGIC_GATES = {"AND": ((1.0, 1.0), 1.5), "OR": ((1.0, 1.0), 0.5), "NOT": ((-1.0,), -0.5)}

#: The 16 Boolean functions of two inputs, keyed by their outputs for ``(x1, x2) = (0, 0), (0, 1),
#: (1, 0), (1, 1)``.
BOOLEAN_FUNCTIONS = {
    (0, 0, 0, 0): "FALSE", (0, 0, 0, 1): "AND", (0, 0, 1, 0): "x1 AND NOT x2", (0, 0, 1, 1): "x1",
    (0, 1, 0, 0): "x2 AND NOT x1", (0, 1, 0, 1): "x2", (0, 1, 1, 0): "XOR", (0, 1, 1, 1): "OR",
    (1, 0, 0, 0): "NOR", (1, 0, 0, 1): "XNOR", (1, 0, 1, 0): "NOT x2",
    (1, 0, 1, 1): "x1 OR NOT x2",
    (1, 1, 0, 0): "NOT x1", (1, 1, 0, 1): "x2 OR NOT x1", (1, 1, 1, 0): "NAND",
    (1, 1, 1, 1): "TRUE",
}


def _one_input_per_weight(arguments):
    """The relation of :func:`mcculloch_pitts_unit`: 1 to ``MAX_NEURONS`` weights, and inputs of
    shape ``(..., n)``, one per weight."""
    w, x = np.asarray(arguments["w"], dtype=np.float64), arguments["x"]
    if not 1 <= len(w) <= MAX_NEURONS:
        fail("w", as_shown(w, w), f"1 to {MAX_NEURONS} weights")
    if np.ndim(x) < 1 or np.shape(x)[-1] != len(w):
        fail("x", as_shown(x, np.asarray(x)), f"inputs of shape (..., {len(w)}), one per weight")


@with_checks(_one_input_per_weight, x=an_array(), w=an_array(1), theta=a_real(),
             states=one_of(*STATES))
def mcculloch_pitts_unit(x, w, theta, states="binary"):
    """A McCulloch–Pitts threshold unit: it fires when its field reaches the threshold, ``Σ_i w_i
    x_i >= theta``.

    x : inputs, shape ``(..., n)``
    w : weights, shape ``(n,)``
    theta : threshold
    states : ``"binary"`` (fires 1, else 0; the slides' ``S ∈ {0, 1}``) or ``"sign"`` (fires +1,
    else -1: the
        workshop's :func:`activation_function` is this unit with ``theta = 0``)

    Returns the output states as ints, shape ``(...)``.
    """
    x, w = np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64)
    field_in = x @ w  # Σ_i w_i x_i
    S = activation_function(field_in - theta)  # +1 if Σ_i w_i x_i >= theta else -1
    return (S if states == "sign" else (S + 1) / 2).astype(int)  # 0/1 states: S01 = (S± + 1) / 2


def _sixteen_inputs_at_most(arguments):
    """The relation of :func:`truth_table`: 1 to 16 weights."""
    if not 1 <= len(arguments["w"]) <= 16:
        fail("w", f"{len(arguments['w'])} weights",
             "1 to 16 weights (a table of 2^16 input patterns at most)")


@with_checks(_sixteen_inputs_at_most, w=an_array(1), theta=a_real(), states=one_of(*STATES))
def truth_table(w, theta, states="binary"):
    """Every input pattern of a McCulloch–Pitts unit with ``len(w)`` inputs, its field and its
    output state.

    Returns a DataFrame with columns ``x1 … xn, field, S`` and one row per pattern, in counting
    order (``00, 01, 10, 11`` for two inputs; ``-1`` stands for ``0`` when ``states="sign"``).
    """
    import pandas as pd

    w = np.asarray(w, dtype=np.float64)
    x = np.array(list(itertools.product((0 if states == "binary" else -1, 1), repeat=len(w))))
    table = pd.DataFrame(x, columns=[f"x{i + 1}" for i in range(len(w))])
    table["field"] = x @ np.asarray(w, dtype=np.float64)  # Σ_i w_i x_i
    table["S"] = mcculloch_pitts_unit(x, w, theta, states)
    return table


@with_checks(synaptic_fields, S=an_array(vector=True), W=an_array(None, -math.inf, math.inf))
def synaptic_input(S, W):
    """Field of the next layer, ``x_b = Σ_a S_a W_ab``.

    ``S`` has shape ``(..., n_pre)`` and ``W`` ``(..., n_pre, n_post)`` (leading axes broadcast).
    The terms are added in the order ``a = 0, 1, …`` so that one network and a batch of networks
    give the same bits (a BLAS product may add in another order and round differently).
    """
    x = S[..., 0, None] * W[..., 0, :]
    for a in range(1, W.shape[-2]):
        x = x + S[..., a, None] * W[..., a, :]
    return x


def _pre_and_post(arguments):
    """The relation of :func:`hebbian_update`: a weight matrix ``W`` and, for it, the states
    ``pre`` and ``post`` and the presynaptic types, of shapes that fit (their numbers are
    checked by the rules)."""
    W = np.asarray(arguments["W"], dtype=np.float64)
    if W.ndim < 2 or min(W.shape[-2:]) < 1 or W.shape[-2] > MAX_NEURONS \
            or W.shape[-1] > MAX_NEURONS:
        fail("W", as_shown(W, W), f"a weight matrix (..., n_pre, n_post), 1 <= n <= {MAX_NEURONS}")
    for name, n in (("pre", W.shape[-2]), ("post", W.shape[-1]), ("neuron_type", W.shape[-2])):
        shape = W.shape[:-2] + (n,)
        if np.shape(arguments[name]) != shape:
            array = np.asarray(arguments[name])
            fail(f"{name} (for W of shape {W.shape})", as_shown(arguments[name], array),
                 f"finite numbers in [-1, 1] of shape {shape}")


@with_checks(_pre_and_post, W=an_array(None, -1, 1), pre=an_array(None, -1, 1),
             post=an_array(None, -1, 1), neuron_type=an_array(None, -1, 1),
             epsilon=a_real(0, 1), growth_power=an_int(0, 4))
def hebbian_update(W, pre, post, neuron_type, epsilon, growth_power=0):
    """The workshop's decaying Hebb rule for one weight matrix, ``W`` of shape ``(..., n_pre,
    n_post)``:

        W_ab ← (1 - eps) W_ab + eps S_a S_b type(a)

    computed in exactly this order, ``(1 - eps)·w + ((eps·pre)·post)·type``, by every path of the
    module. ``pre`` and ``neuron_type`` have shape ``(..., n_pre)``, ``post`` ``(..., n_post)``.
    ``growth_power = p`` (a variant; an integer >= 1) scales the Hebbian term by ``|W_ab|^p``:
    ``(1 - eps)·w + (((eps·pre)·post)·type)·g`` with ``g = |w|·|w|···|w|`` (``p`` factors,
    multiplied in turn).
    """
    W, pre, post, neuron_type = (np.asarray(value, dtype=np.float64)
                                 for value in (W, pre, post, neuron_type))
    weight_change = ((epsilon * pre)[..., :, None] * post[..., None,
                                                          :]) * neuron_type[..., :, None]
    if growth_power:
        g = np.abs(W)
        for _ in range(1, growth_power):
            # |w|^p as a product (numpy's w ** 2 may round unlike a product or pow)
            g = g * np.abs(W)
        weight_change = weight_change * g  # supralinear growth: eps S_a S_b type |w|^p
    return (1 - epsilon) * W + weight_change  # W(t+1) = W(t) + eps S_a S_b type - eps W(t)


#: The rules of :func:`repeat_pairing` and :func:`hebb_trajectory`: numbers, ``steps`` an integer.
_PAIRING = dict(w0=a_real(-1, 1), pre=a_real(-1, 1), post=a_real(-1, 1),
                neuron_type=a_real(-1, 1), epsilon=a_real(0, 1), steps=an_int(0, MAX_EPOCHS))


@with_checks(**_PAIRING)
def repeat_pairing(w0, pre, post, neuron_type, epsilon, steps):
    """One weight under the same pair of states ``steps`` times, by :func:`hebbian_update`: shape
    ``(steps + 1,)``.

    ``w0`` is the weight before the first pairing; ``pre``, ``post`` the states ``S_i``, ``S_j``;
    ``neuron_type`` +1 (E) or -1 (I), the presynaptic neuron's type.
    """
    W = np.array([[w0]], dtype=np.float64)  # a 1×1 weight matrix
    S_pre, S_post, kind = (np.array([value],
                                    dtype=np.float64) for value in (pre, post, neuron_type))
    trajectory = np.empty(steps + 1)
    trajectory[0] = w0
    for t in range(1, steps + 1):
        W = hebbian_update(W, S_pre, S_post, kind, epsilon)
        trajectory[t] = W[0, 0]
    return trajectory


@with_checks(**_PAIRING)
def hebb_trajectory(w0, pre, post, neuron_type, epsilon, steps):
    """The same trajectory in closed form, ``w(t) = w* + (w0 - w*)(1 - eps)^t`` for ``t = 0 …
    steps``.

    The fixed point is ``w* = S_i S_j type``; the gap to it shrinks by a factor ``e`` every ``≈
    1/eps`` pairings. Returns shape ``(steps + 1,)``.
    """
    w_star = pre * post * neuron_type  # W(t+1) = W(t) exactly when w = S_i S_j type
    # w(t) = w* + (w0 - w*)(1 - eps)^t
    return w_star + (w0 - w_star) * (1 - epsilon) ** np.arange(steps + 1)


@with_checks(states=an_array(1, -1, 1, vector=True))
def hebb_table(w, epsilon, neuron_type=1.0, states=(1, 0)):
    """The workshop's 2×2 table, computed: the weight after one step from ``W(t) = w``, for every
    pair of states.

    Returns a DataFrame with rows ``S_j`` (postsynaptic) and columns ``S_i`` (presynaptic), as on
    the slide.
    """
    check_real("w", w, -1, 1)  # named as the caller knows it (repeat_pairing calls it w0)
    import pandas as pd

    rows = [[repeat_pairing(w, s_i, s_j, neuron_type, epsilon,
                            1)[1] for s_i in states] for s_j in states]
    return pd.DataFrame(rows, index=pd.Index(states, name="S_j"),
                        columns=pd.Index(states, name="S_i"))


#: Smallest |weight| under Dale's law. The workshop's intervals are open at zero, E in (0, 1] and I
#: in [-1, 0): a weight clipped to exactly 0 would make its target fire (activation(0) = +1)
#: whatever the neuron's type.
DALE_FLOOR = float(np.finfo(np.float64).tiny)


def _typed_matrix(arguments):
    """The relation of ``dale_clip``: one type per row of ``W`` (its presynaptic neurons)."""
    W = np.shape(arguments["W"])
    if len(W) < 2:
        fail("W", f"shape {W}", "a weight matrix (..., n_pre, n_post)")
    check_types(arguments["neuron_type"], W[-2], W[:-2], f"neuron_type (for W of shape {W})")


@with_checks(_typed_matrix, W=an_array(None, -1, 1))
def dale_clip(W, neuron_type):
    """Dale's law: an excitatory neuron's weights stay in ``(0, 1]``, an inhibitory one's in ``[-1,
    0)``.

    A weight that the rule pushes across zero stops at ``±DALE_FLOOR`` (about 2e-308) on its own
    side.
    """
    excitatory = (neuron_type > 0)[..., :, None]
    return np.clip(W, np.where(excitatory, DALE_FLOOR, -1.0),
                   np.where(excitatory, 1.0, -DALE_FLOOR))


@with_checks(field_out=an_array(vector=True), readout=one_of(*READOUTS), theta=a_real())
def read_out(field_out, readout, theta=0.0):
    """Which output neuron answers, per recalled input: its index, or ``-1`` when the answer is not
    one neuron.

    ``strict``: exactly one output neuron fires (field ``>= theta``; the workshop's ``theta = 0``);
    ``argmax``: one neuron has the unique largest field. ``field_out`` has shape ``(..., N)``; the
    result ``(...)``.
    """
    if readout == "strict":
        firing = field_out >= theta  # activation(field) > 0
        return np.where(firing.sum(axis=-1) == 1, firing.argmax(axis=-1), -1)
    top = field_out.max(axis=-1, keepdims=True)
    return np.where((field_out == top).sum(axis=-1) == 1, field_out.argmax(axis=-1), -1)


@with_checks(winners=an_array(None, -1, MAX_NEURONS, "iu", vector=True))
def is_one_to_one(winners):
    """``True`` where every input has an answer and no two inputs share one (``winners``: ``(...,
    N)``)."""
    ordered = np.sort(winners, axis=-1)
    return (ordered[..., 0] >= 0) & np.all(ordered[..., 1:] != ordered[..., :-1], axis=-1)


# ═════════════════════════════════════════════════════════════════════════════════════════════════
# 3. One network, step by step, with the workshop's rules only (the readable path)
# ═════════════════════════════════════════════════════════════════════════════════════════════════


@with_checks(P=an_int(1, (MAX_LAYERS - 1) * MAX_NEURONS))
def generate_ei_ratios(P):
    """The workshop's achievable E/I ratios for ``P`` typed neurons: E counts ``1 … P-1``,
    duplicates (to 3 decimals) out.

    Returns a list of ``(excitatory_value, inhibitory_value, excitatory_count, inhibitory_count)``.
    ``P = 6`` (``L = 3, N = 3``) gives 5 ratios, ``P = 8`` (``L = 3, N = 4``) gives 7.
    """
    ei_ratios, ratios_checked = [], set()
    for excitatory_count in range(1, P):
        inhibitory_count = P - excitatory_count
        ratio = (round(excitatory_count / P, 3), round(inhibitory_count / P, 3))
        if ratio not in ratios_checked:
            ratios_checked.add(ratio)
            ei_ratios.append((excitatory_count / P, inhibitory_count / P, excitatory_count,
                              inhibitory_count))
    return ei_ratios


def _generator_if_random(arguments):
    """``rng`` must be given where something is drawn at random."""
    shuffled = getattr(arguments.get("params"), "order", "") == "shuffled"
    if arguments["rng"] is None and (arguments.get("allotment") == "random" or shuffled):
        fail("rng", None, "a numpy.random.Generator, e.g. np.random.default_rng(0), to draw from")


@with_checks(lambda a: check_int("excitatory_count", a["excitatory_count"], 0,
                                 a["P"]) or _generator_if_random(a),
          P=an_int(1, (MAX_LAYERS - 1) * MAX_NEURONS), allotment=one_of(*ALLOTMENTS[:2]),
          rng=or_none(a_generator))
def allot_types(P, excitatory_count, allotment="random", rng=None):
    """Which of the ``P`` typed neurons are excitatory: a vector of ``+1`` (E) and ``-1`` (I).

    ``allotment="first"`` makes the lowest layers and indices E; ``"random"`` shuffles the same
    vector with ``rng``.
    """
    types = np.where(np.arange(P) < excitatory_count, 1.0, -1.0)
    return rng.permutation(types) if allotment == "random" else types


@with_checks(params=A_PARAMS, rng=a_generator)
def initialize_weights(params, types, rng):
    """The workshop's initial weights: ``round(U(w_min, w_max), decimals)``, negated for an
    inhibitory neuron.

    Returns a list of ``L-1`` matrices, ``W[l]`` of shape ``(n_l, n_{l+1})``. Draws the uniform
    numbers of every matrix, input layer first, from the ``numpy.random.Generator`` ``rng``
    (:func:`initial_weights` turns them into weights).
    """
    return initial_weights(params, types, rng.random(weight_count(params)))


@with_checks(params=A_PARAMS)
def weight_count(params):
    """The number of initial weights a network of ``params`` draws."""
    return sum(params.sizes[layer] * params.sizes[layer + 1] for layer, _ in weight_layout(params))


@with_checks(params=A_PARAMS)
def initial_weights(params, types, uniform):
    """Initial weights from uniform numbers ``u`` in ``[0, 1)``, one per weight in the order drawn
    (see :func:`weight_count`), for one network (``uniform`` of shape ``(n,)``, ``types`` ``(P,)``)
    or many (``(B, n)`` and ``(B, P)``):

        |w| = round(w_min + (w_max - w_min) u, decimals)
                                                   (``Generator.uniform``'s arithmetic, to the bit)

    negated for an inhibitory neuron. The matrices are drawn layer by layer, input layer first;
    with dual edges (a variant of notebook 06) each layer's excitatory matrix (``+|w|``), then its
    inhibitory one (``-|w|``), whatever the neuron types, returned in the order of
    :attr:`Params.weight_keys`.
    """
    uniform = check_array("uniform", uniform, None, 0, 1)
    lead = uniform.shape[:-1]
    if uniform.ndim < 1 or uniform.shape[-1] != weight_count(params):
        fail("uniform", as_shown(uniform, uniform),
             f"numbers of shape (..., {weight_count(params)})")
    types = check_types(types, params.P, lead)
    layout, sizes = weight_layout(params), params.sizes
    # layer by layer (E before I)
    drawn = sorted(range(len(layout)), key=lambda key: layout[key][0])
    shapes = [(sizes[layout[key][0]], sizes[layout[key][0] + 1]) for key in drawn]
    cuts = np.cumsum([n_pre * n_post for n_pre, n_post in shapes])
    magnitudes = params.w_min + (params.w_max - params.w_min) * uniform  # U(w_min, w_max)
    if params.decimals is not None:
        magnitudes = np.round(magnitudes, params.decimals)
    pieces = np.split(magnitudes, cuts[:-1], axis=-1)
    matrices = {key: m.reshape(*lead, *shape) for key, m, shape in zip(drawn, pieces, shapes)}
    neuron_types = split_layers(types, sizes)
    # I: negated
    return [matrices[key] * (neuron_types[layer][..., :, None] if sign == 0 else float(sign))
            for key, (layer, sign) in enumerate(layout)]


@with_checks(_generator_if_random, params=A_PARAMS, rng=or_none(a_generator))
def presentation_orders(params, rng=None):
    """The order of the ``N`` pairs in every epoch: an int array of shape ``(max_epochs, N)``.

    ``fixed``: ``0 … N-1`` every epoch; ``shuffled``: an independent shuffle per epoch drawn from
    ``rng``.
    """
    orders = np.tile(np.arange(params.N, dtype=np.int16), (params.max_epochs, 1))
    return rng.permuted(orders, axis=1) if params.order == "shuffled" else orders


@with_checks(clamped_pair, neuron_states=layer_states)
def clamp_neurons(neuron_states, input_idx, output_idx):
    """The workshop's clamping: every state 0, then input neuron ``input_idx`` and output neuron
    ``output_idx`` at 1.

    ``neuron_states`` is a list of one state vector per layer; it is changed in place and returned.
    """
    for S in neuron_states:
        S.fill(0)
    neuron_states[0][input_idx] = 1
    neuron_states[-1][output_idx] = 1
    return neuron_states


@with_checks(layer_weights, neuron_states=layer_states, through_output=check_bool)
def forward_pass(neuron_states, weights, through_output=False):
    """Pass the input layer's states on: ``S[l] = activation(S[l-1] · W[l-1])`` for the hidden
    layers.

    During training the output layer stays clamped; ``through_output=True`` (recall) sets it as
    well. Changes ``neuron_states`` in place and returns the last field computed.
    """
    last = len(neuron_states) - 1 if through_output else len(neuron_states) - 2
    field_in = None
    for layer in range(1, last + 1):
        # x_b = Σ_a S_a W_ab
        field_in = synaptic_input(neuron_states[layer - 1], weights[layer - 1])
        neuron_states[layer][:] = activation_function(field_in)  # S_b = +1 if x_b >= 0 else -1
    return field_in


def _one_step(arguments):
    """The relation of ``update_weights_using_hebbian``: weights, states and types of the network
    ``params``."""
    params, states = arguments["params"], arguments["neuron_states"]
    check_weights(arguments["weights"], params)
    if tuple(len(S) for S in states) != params.sizes:
        fail("neuron_states", f"layers of sizes {tuple(len(S) for S in states)}",
             f"layers of sizes {params.sizes}")
    check_types(arguments["types"], params.P)


@with_checks(_one_step, params=_the_workshops, neuron_states=layer_states)
def update_weights_using_hebbian(weights, neuron_states, types, params):
    """One Hebbian step on every weight of every layer, all from the same states (the workshop's
    rule):

        W[l]_ab ← (1 - eps) W[l]_ab + eps S[l]_a S[l+1]_b type(l, a)

    then Dale's clipping if ``params.dale``. Returns the new list of weight matrices.
    """
    new_weights = []
    for layer, neuron_type in enumerate(split_layers(types, params.sizes)):
        W = hebbian_update(weights[layer], neuron_states[layer], neuron_states[layer + 1],
                           neuron_type,
                           params.epsilon)  # W(t+1) = W(t) + eps S_a S_b type(a) - eps W(t)
        if params.dale:
            W = dale_clip(W, neuron_type)  # E weights stay in (0, 1], I weights in [-1, 0)
        new_weights.append(W)
    return new_weights


@with_checks(params=_the_workshops)
def recall(weights, input_idx, params):
    """Present input ``input_idx`` alone and pass it through every layer; returns ``(neuron_states,
    output_field)``."""
    weights = check_weights(weights, params)
    check_int("input_idx", input_idx, 0, params.N - 1)
    neuron_states = [np.zeros(n) for n in params.sizes]
    neuron_states[0][input_idx] = 1  # one-hot input, everything else silent
    output_field = forward_pass(neuron_states, weights, through_output=True)
    return neuron_states, output_field


@with_checks(params=_the_workshops)
def check_convergence(weights, mapping, params):
    """Recall every input; returns ``(recalled, winners)``, two arrays of length ``N``.

    ``winners[i]`` is the output neuron that answers input ``i`` (``-1`` if none does under
    ``params.readout``); ``recalled[i]`` is ``winners[i] == mapping[i]``. The network has converged
    when ``recalled.all()``.
    """
    weights = check_weights(weights, params)
    mapping = check_mapping(mapping, params.N)
    winners = np.array([read_out(recall(weights, i, params)[1],
                                 params.readout) for i in range(params.N)])
    return winners == mapping, winners


@dataclass
class RunResult:
    """What one training run reports (the workshop's three criteria of convergence, and more);
    ``history`` only when asked for.

    epochs_to_convergence : first epoch after which every pair was recalled, else ``max_epochs``
    converged : whether that happened
    recall_fraction : fraction of the ``N`` pairs recalled at the end (the workshop's "partial
    convergence")
    unique : whether the recalled map at the end is one-to-one at all (distinct answers, maybe not
    the target)
    stable : whether recall stayed complete at every epoch from the first success to the end
    weights_settled_epoch : first epoch in which no weight changed by more than ``tol``, else
    ``None``
    weights : final weight matrices (with dual edges ``2(L-1)`` of them: see
    :attr:`Params.weight_keys`)
    history : dict of per-epoch arrays, epoch 0 being the initial state: ``weights`` (one ``(T+1,
    n_l, n_{l+1})``
        array per layer), ``hidden`` (one ``(T+1, N, n_l)`` array per hidden layer: the states at
        recall of every input), ``recalled`` ``(T+1, N)``, ``winners`` ``(T+1, N)``, ``thresholds``
        (one ``(T+1, n_l)`` array per hidden layer: the homeostatic thresholds)
    thresholds : final homeostatic thresholds, one ``(n_l,)`` array per hidden layer (all 0 without
    homeostasis)
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


@with_checks(params=A_PARAMS)
def check_run(params, types, mapping, weights, orders=None):
    """The checked arguments of one training run: ``(types, mapping, weights, orders)`` as arrays
    (see :func:`train_network`); ``orders`` defaults to the input order, and is required when
    ``order='shuffled'``."""
    weights = check_weights(weights, params)
    types, mapping = check_types(types, params.P), check_mapping(mapping, params.N)
    if orders is None:
        if params.order == "shuffled":
            fail("orders", None,
                 "an array from presentation_orders(params, rng) when order='shuffled'")
        return types, mapping, weights, presentation_orders(params)
    return types, mapping, weights, check_mapping(orders, params.N, (params.max_epochs,),
                                                  "orders", np.int16)


@with_checks(params=_the_workshops, history=check_bool)
def train_network(params, types, mapping, weights, orders=None, history=False):
    """Train one network with the workshop's procedure, step by step, and report on it
    (:class:`RunResult`).

    Each epoch presents the ``N`` pairs in ``orders[epoch]`` (default: input order). For every
    pair: clamp it, pass the input through the hidden layers, update every weight. After every
    epoch: recall all pairs.

    types : ``P`` values ±1, or a string like ``"EII|IEI"``
    mapping : the target permutation ``pi``, a sequence of length ``N``
    weights : the initial weights (list of ``L-1`` matrices), e.g. from :func:`initialize_weights`
    orders : ``(max_epochs, N)`` ints from :func:`presentation_orders`; needed when ``params.order
    == "shuffled"``
    history : also return the weights and hidden states after every epoch

    The variants of notebook 06 train with their own readable step inside the same procedure,
    :func:`train_epochs` (``hc.train_variant_network``, in ``hebblab/variants.py``).
    """
    types, mapping, weights, orders = check_run(params, types, mapping, weights, orders)
    neuron_states = [np.zeros(n) for n in params.sizes]

    def train_epoch(weights, order):
        """Every pair once, in ``order``: clamp it, pass the input on, update every weight."""
        for input_idx in order:
            clamp_neurons(neuron_states, input_idx, mapping[input_idx])
            forward_pass(neuron_states, weights)  # the hidden layers; the output stays clamped
            weights = update_weights_using_hebbian(weights, neuron_states, types, params)
        return weights

    return train_epochs(params, weights, orders, train_epoch,
                        lambda W: check_convergence(W, mapping, params),
                        lambda W: [recall(W, i, params)[0] for i in range(params.N)],
                        history=history)


def _epochs(arguments):
    """The relation of ``train_epochs``: weights of the network ``params``, an order per epoch."""
    params = arguments["params"]
    check_weights(arguments["weights"], params)
    check_mapping(arguments["orders"], params.N, (params.max_epochs,), "orders", np.int16)


@with_checks(_epochs, params=A_PARAMS, train_epoch=a_function, check=a_function,
             recall_states=a_function,
          thresholds=or_none(a_function), history=check_bool)
def train_epochs(params, weights, orders, train_epoch, check, recall_states, thresholds=None,
                 history=False):
    """The workshop's training procedure around one epoch of a rule, and its report.

    Epoch after epoch: ``weights = train_epoch(weights, orders[epoch - 1])``, then recall every
    pair, ``check(weights)`` → ``(recalled, winners)`` (:func:`check_convergence`). Notes the first
    epoch with every pair recalled, whether recall stays complete from then on, and the first epoch
    in which no weight changes by more than ``params.tol``; stops at the first full recall unless
    ``params.stop_at_convergence`` is false. ``recall_states(weights)`` (the states at recall of
    every input) and ``thresholds()`` (the hidden layers' homeostatic thresholds; ``None``: none,
    all 0) go into the result and its ``history``. Returns a :class:`RunResult`.
    """
    thresholds = thresholds or (lambda: [np.zeros(n) for n in params.sizes[1:-1]])

    def snapshot(weights):
        """Weights, hidden states at recall, recall and thresholds at one moment."""
        states = recall_states(weights)
        recalled, winners = check(weights)
        hidden = [np.array([s[layer] for s in states]) for layer in range(1, params.L - 1)]
        return ([W.copy() for W in weights], hidden, recalled, winners,
                [t.copy() for t in thresholds()])

    snapshots = [snapshot(weights)] if history else None
    first_success, stable, settled = None, False, None
    for epoch in range(1, params.max_epochs + 1):
        previous = weights
        weights = train_epoch(weights, orders[epoch - 1])
        # largest change of a weight
        change = max(np.abs(W - W_old).max() for W, W_old in zip(weights, previous))
        if settled is None and change <= params.tol:
            settled = epoch
        recalled, winners = check(weights)
        if history:
            snapshots.append(snapshot(weights))
        if first_success is None and recalled.all():
            first_success, stable = epoch, True
        elif first_success is not None and not recalled.all():
            stable = False
        if first_success is not None and params.stop_at_convergence:
            break
    if history:
        names = ("weights", "hidden", "recalled", "winners", "thresholds")
        history = {name: [np.array(layer) for layer in zip(*column)]
                   if name in ("weights", "hidden", "thresholds") else np.array(column)
                   for name, column in zip(names, zip(*snapshots))}
    return RunResult(
        epochs_to_convergence=first_success or params.max_epochs,
        converged=first_success is not None,
        recall_fraction=float(recalled.mean()),
        unique=bool(is_one_to_one(winners)),
        stable=stable,
        weights_settled_epoch=settled,
        weights=weights,
        history=history or None,
        thresholds=thresholds(),
    )


# ═════════════════════════════════════════════════════════════════════════════════════════════════
# 4. The experiment as data: a plan of runs, the draw of one run (the sweep itself: hebblab.sweeps)
# ═════════════════════════════════════════════════════════════════════════════════════════════════

#: One row per run: the workshop's columns first, in its order, then the extra ones.
COLUMNS = ["excitatory_value", "inhibitory_value", "target_mapping", "epochs_to_convergence",
           "converged", "converged_weights", "excitatory_count", "inhibitory_count", "allotment",
           "seed", "recall_fraction", "unique", "stable", "weights_settled_epoch", "run"]
MAX_ALL_MAPPINGS = 40320  # 8!: beyond this, pass the mappings to test explicitly
MAX_RUNS = 5_000_000  # the most runs one plan may hold (about 0.7 GiB)
# the largest seed and run number: a sweep table holds them as 64-bit integers
MAX_SEED = 2**63 - 1


def _is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


@dataclass(frozen=True)
class PlannedRun:
    """One run of a sweep before it is drawn: its number, E count, target, and allotment (``None``:
    random), e.g. ``PlannedRun(run=0, excitatory_count=1, mapping=(2, 0, 1))``. Checked when made
    (in plain Python: a plan may hold millions); whether it fits a network is checked where it is
    drawn (:func:`check_runs`)."""

    run: int
    excitatory_count: int
    mapping: tuple
    types: tuple | None = None

    def __post_init__(self):
        check_int("run", self.run, 0, MAX_SEED)
        check_int("excitatory_count", self.excitatory_count, 0, (MAX_LAYERS - 1) * MAX_NEURONS)
        mapping = self.mapping
        if not isinstance(mapping, (tuple, list)) or not all(map(_is_int, mapping)) \
                or sorted(mapping) != list(range(len(mapping))) \
                or not 1 <= len(mapping) <= MAX_NEURONS:
            fail("mapping", as_shown(mapping),
                 f"a tuple of 1 to {MAX_NEURONS} integers, a permutation of "
                  "range(N), e.g. (2, 0, 1)")
        if self.types is not None and (not isinstance(self.types, (tuple, list)) or not self.types
                                       or not all(t in (1, -1) and not isinstance(t, bool)
                                                  for t in self.types)):
            fail("types", as_shown(self.types),
                 "None or a tuple of +1 (E) and -1 (I), one per typed neuron")


def _all_of_few(arguments):
    """The relation of :func:`all_mappings`: at most ``MAX_ALL_MAPPINGS`` of them."""
    if arguments["N"] > 8:  # 8! = MAX_ALL_MAPPINGS
        fail("mappings", "all",
             f"at most {MAX_ALL_MAPPINGS} mappings: with N={arguments['N']} pass a list of "
             "mappings")


@with_checks(_all_of_few, N=an_int(1, MAX_NEURONS))
def all_mappings(N):
    """Every one-to-one map of ``N`` items: the ``N!`` permutations, in lexicographic order (the
    workshop's table's)."""
    return list(itertools.permutations(range(N)))


@with_checks(params=A_PARAMS)
def plan_experiment(params, e_counts=None, allotment="random", repeats=1, mappings="all"):
    """The runs of the workshop's sweep, grouped by E/I ratio: a list of ``(ratio, runs)``.

    ``ratio`` is ``(excitatory_value, inhibitory_value, excitatory_count, inhibitory_count)``.
    For each E count (default: :func:`generate_ei_ratios`), each allotment, each mapping,
    ``repeats`` runs.
    allotment : ``"random"`` (each run draws its own), ``"first"``, ``"all"`` (every one of the
    ``C(P, e)``),
        or an explicit type vector / string such as ``"EII|IEI"`` (then ``e_counts`` is ignored)
    mappings : ``"all"`` (the ``N!`` permutations) or a list of permutations
    """
    P = params.P
    check_int("repeats", repeats, 1, MAX_RUNS)
    if isinstance(allotment, str) and allotment in ALLOTMENTS:
        explicit = None
    else:
        explicit = tuple(check_types(allotment, P, name="allotment"))
        e_counts = [int(sum(t > 0 for t in explicit))]
    mappings = all_mappings(params.N) if isinstance(mappings,
                                                    str) and mappings == "all" else mappings
    if isinstance(mappings, str) or not hasattr(mappings, "__len__") or len(mappings) == 0:
        fail("mappings", mappings, "'all' or a non-empty list of permutations")
    if len(mappings) > MAX_RUNS:
        fail("mappings", f"{len(mappings)} mappings", f"at most {MAX_RUNS:,}")
    mappings = [tuple(check_mapping(m, params.N, name=f"mappings[{i}]").tolist()) for i,
                m in enumerate(mappings)]
    if e_counts is None:
        ratios = generate_ei_ratios(P)
        if not ratios:
            fail("params", f"L={params.L}, N={params.N}",
                 "a network with at least 2 typed neurons (one E/I ratio)")
    else:
        if isinstance(e_counts, (str, bytes)) or not hasattr(e_counts, "__iter__"):
            fail("e_counts", e_counts, "a list of E counts")
        e_counts = list(e_counts)
        if not e_counts:
            fail("e_counts", e_counts, "at least one E count")
        for i, e in enumerate(e_counts):
            check_int(f"e_counts[{i}]", e, 0, P)
        ratios = [(e / P, (P - e) / P, e, P - e) for e in e_counts]
    per_mapping = [math.comb(P, ratio[2]) if allotment == "all" and explicit is None else 1
                   for ratio in ratios]
    planned = sum(per_mapping) * len(mappings) * repeats
    # refused before any run is made: each planned run holds about 150 bytes
    if planned > MAX_RUNS:
        fail("the plan", f"{planned:,} runs (about {planned * 150 / 2**30:.1f} GiB)",
              f"at most {MAX_RUNS:,} runs (about {MAX_RUNS * 150 / 2**30:.1f} GiB): ask for "
              f"fewer repeats, "
              "mappings or allotments")

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


@with_checks(params=A_PARAMS, name=a_name)
def check_runs(params, runs, name="runs"):
    """Raise ``ValueError`` unless ``runs`` is a list of 1 to ``MAX_RUNS`` :class:`PlannedRun`
    (each checked when made) that fit networks of ``params``: E counts in ``[0, P]``, targets of
    ``N`` items, ``P`` types or ``None``."""
    if not isinstance(runs, (list, tuple)) or not 1 <= len(runs) <= MAX_RUNS \
            or not all(isinstance(planned, PlannedRun) for planned in runs):
        fail(name, as_shown(runs),
             f"a list of 1 to {MAX_RUNS:,} PlannedRun, e.g. from plan_experiment")
    for i, planned in enumerate(runs):
        where = f"{name}[{i}]" if len(runs) > 1 or name == "runs" else name
        if planned.excitatory_count > params.P:
            fail(f"{where}.excitatory_count", planned.excitatory_count,
                 f"an integer in [0, {params.P}]")
        if len(planned.mapping) != params.N:
            fail(f"{where}.mapping", planned.mapping, f"a permutation of range({params.N})")
        if planned.types is not None and len(planned.types) != params.P:
            fail(f"{where}.types", as_shown(planned.types),
                 f"{params.P} values, each +1 (E) or -1 (I)")


@with_checks(lambda a: check_runs(a["params"], [a["planned"]], "planned"), params=A_PARAMS,
             seed=A_SEED)
def draw_run(params, planned, seed):
    """Draw what a planned run needs from its own generator, ``default_rng([seed, run])``, in this
    order: the allotment (if random), the initial weights, the presentation orders (if shuffled).

    Returns ``(types, weights, orders)``; any single run of a sweep can so be redrawn and retrained
    alone.
    """
    rng = np.random.default_rng([seed, planned.run])
    if planned.types is None:
        types = allot_types(params.P, planned.excitatory_count, "random", rng)
    else:
        types = np.array(planned.types)
    weights = initialize_weights(params, types, rng)
    orders = presentation_orders(params, rng) if params.order == "shuffled" else None
    return types, weights, orders


# ═════════════════════════════════════════════════════════════════════════════════════════════════
# 5. The machinery: the package hebblab, loaded on first use
# ═════════════════════════════════════════════════════════════════════════════════════════════════

#: The public names of the package ``hebblab``, by module. Each is also a name of this module,
#: loaded when it is first used (Scientific Python's SPEC 1), so that ``import hebb_core`` stays
#: light: ``hc.train_batch`` imports ``hebblab.engine`` (and numba), ``hc.plot_network``
#: ``hebblab.plots`` (and matplotlib).
MACHINERY = {
    "kernels": ("LANES", "Settings"),
    "progress": ("progress_bar",),
    "engine": (
        "BatchResult", "kernel_settings", "Outputs", "train_batch", "train_compiled",
        "compile_engine",
        "recall_batch", "MAX_HISTORY_BYTES", "history_bytes", "check_batch", "check_history",
        "check_networks", "TWO_THREADS", "in_two_threads"),
    "variants": (
        "LATERALS", "NORMALISATIONS", "EDGES", "VariantParams", "with_variants",
        "lateral_inhibition", "normalise_weights", "homeostatic_update", "effective_weights",
        "hidden_states",
        "variant_forward_pass", "variant_update", "variant_recall", "variant_convergence",
        "initialize_dual_weights",
        "train_variant_network", "VARIANTS", "variant_params", "kwta_success_probability",
        "MAX_WILLSHAW_UNITS",
        "MAX_WILLSHAW_SYNAPSES", "MAX_WILLSHAW_PAIRS", "willshaw_fraction_on",
        "willshaw_bits_per_synapse", "willshaw_net"),
    "analysis": ("a_table", "hebb_fixed_points", "chance_recall", "distinct_codes",
                 "target_fields", "recall_table"),
    "sweeps": (
        "ENGINES", "CHUNK_RULES", "run_experiment", "draw_runs", "train_planned", "run_chunk",
        "csv_chunk", "map_chunks", "iter_experiment",
        "wilson_interval", "excitatory_by_layer", "layer_counts", "summarise_sweep",
        "format_summary", "variant_experiment"),
    "tables": ("read_results", "table_from_bytes", "regular_file_bytes", "ALLOTMENT_PATTERN"),
    "maps": (
        "LATERAL_WEIGHTS", "LATERAL_STRENGTHS", "MAP_STAGES", "MAP_SWEEP_SEEDS", "MapParams",
        "sheet_positions",
        "sheet_distances", "lateral_weight", "lateral_connections", "neighbour_pairs",
        "marker_cells",
        "normalise_inputs", "initial_map_weights", "relax_tectum", "output_activity",
        "tectal_response", "MapRun",
        "MAP_ENGINES", "train_maps", "train_map", "receptive_field_centres", "map_correlation",
        "neighbour_distance",
        "topographic_error", "map_quality", "MAP_COLUMNS", "map_sweep", "MAX_BOOTSTRAP_VALUES",
        "bootstrap_interval", "summarise_maps", "HISTORY_COLUMNS", "map_history", "map_drift"),
    "plots": (
        "figure_and_axes", "check_axes", "non_empty_values", "a_plot", "plot_network",
        "plot_weight_heatmaps", "trace_envelope", "plot_weight_traces",
        "plot_training_run", "plot_epochs_vs_ratio", "plot_convergence_rate",
        "plot_epochs_distribution", "plot_recall_fraction", "plot_layer_split", "plot_code_counts",
        "plot_weight_cycle",
        "plot_target_fields", "plot_recall_counts", "plot_rate_against", "plot_traces",
        "plot_willshaw"),
    "map_plots": (
        "plot_map", "plot_map_stages", "plot_map_order", "plot_lateral_profile",
        "plot_tectal_activity", "plot_map_sweeps", "plot_map_history"),
    "style": ("STYLE", "COLUMN_WIDTH", "COLOURS", "WEIGHT_CMAP", "LINESTYLES", "MARKERS", "DASHES",
              "course_style"),
    "explorer_plots": ("plot_decision_line", "plot_hebb_trajectory"),
    "explorer": ("PIXEL_RATIO", "CONTROL_WIDTH", "LABEL_WIDTH", "figure_png", "alt_text",
                 "figure_img", "Explorer"),
    "widgets": (
        "EPSILONS", "epsilon_slider", "HEBB_STATES",
        "start_values", "MCCULLOCH_PITTS_EXAMPLE", "draw_mcculloch_pitts",
        "mcculloch_pitts_explorer", "HEBB_PATTERNS", "HEBB_EXAMPLE", "draw_hebb", "hebb_explorer",
        "EXAMPLE_RUN", "draw_network_run", "network_explorer"),
    "views": (
        "MAP_EXAMPLE", "draw_topographic_map", "map_explorer", "SWEEP_EXAMPLE", "SWEEP_VIEWS",
        "SWEEP_BUDGET", "SWEEP_WORK", "sweep_fits", "sweep_largest_N",
        "SWEEP_MIN_RUNS", "sweep_design", "draw_sweep", "sweep_explorer", "ANSWER_EXAMPLE",
        "ANSWER_DRAWS",
        "draw_answer", "answer_explorer", "VARIANT_EXAMPLE", "draw_variant", "variant_explorer"),
    "cli": ("sweep_command", "course_figures", "figures_command", "main", "MAX_WORKERS",
            "machine_cores"),
    "solutions": ("SOLUTIONS",),
    "exercises": (  # hc.check("02.1", half_life); %load hc.solutions.ex02_1
        "check", "verdict", "solutions", "CHECKS", "Wrong", "exercise", "unfinished",
                  "numbers_agree"),
    "comparisons": ("MAX_TABLES", "fisher_exact", "all_pairs", "binomial_tail", "rate_difference",
                    "detectable_difference", "t_interval", "distinct_resamples"),
    "selective": ("SELECTIVE_RULES", "SELECTIVE_TASK", "oja_step", "train_oja",
                  "gaussian_inputs", "bcm_step",
                  "principal_component", "train_bcm", "bcm_fixed_points", "k_winners",
                  "competitive_step",
                  "train_competitive", "kohonen_step", "train_kohonen", "chain_is_ordered",
                  "SELECTIVE_ENGINES", "train_selective_map", "selective_map_sweep",
                  "map_chance"),
    "selective_plots": ("plot_oja", "plot_bcm", "plot_competitive", "plot_kohonen",
                        "plot_selective_sweep",
                        "SELECTIVE_EXAMPLE", "draw_selective", "selective_explorer"),
}
_HOME = {name: module for module, names in MACHINERY.items() for name in names}


def _machinery(module):
    """The module ``hebblab.<module>``, imported on first use."""
    return importlib.import_module(f"hebblab.{module}")


def __getattr__(name):
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_machinery(_HOME[name]), name)
    globals()[name] = value  # the next use finds it directly
    return value


def __dir__():
    return sorted(set(globals()) | set(_HOME))


if __name__ == "__main__":
    # from here on the command line reports Ctrl-C itself
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.exit(_machinery("cli").main())
