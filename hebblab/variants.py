"""The variants of notebook 06, beyond the workshop's rules, each off by default in
:class:`VariantParams`.

Each variant changes one rule of the workshop's model: 0/1 units and thresholds, lateral inhibition
as k-winners-take-all, homeostatic thresholds, synaptic normalisation, supralinear growth, feedback
from the clamped output, and dual (excitatory plus inhibitory) edges. This module holds their
readable step, the twin of ``hebb_core``'s step by step path (:func:`variant_forward_pass`,
:func:`variant_update`, :func:`train_variant_network`; the compiled twin is
``hebblab.kernels.train_variants``), the variants as settings (:data:`VARIANTS`), and the closed
forms that notebook 06 compares them with.
"""

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from hebb_core import (
    A_PARAMS,
    ACTIVATIONS,
    check_mapping,
    check_run,
    check_types,
    check_weights,
    clamp_neurons,
    dale_clip,
    hebbian_update,
    initialize_weights,
    Params,
    read_out,
    split_layers,
    synaptic_input,
    threshold_unit,
    train_epochs,
)
from hebblab.checks import (
    a_generator,
    a_real,
    Allowed,
    an_int,
    as_shown,
    check_array,
    check_bool,
    check_choice,
    check_int,
    check_real,
    described,
    fail,
    MAX_NEURONS,
    one_of,
    plain_numbers,
    with_checks,
)

# ── The variants' parameters ─────────────────────────────────────────────────────────────────────

LATERALS = ("none", "kwta")  # lateral inhibition in each hidden layer: none, or k-winners-take-all
NORMALISATIONS = ("none", "pre", "post", "both")  # synaptic normalisation after every Hebbian step
# one synapse per pair of neurons, or a parallel excitatory and inhibitory one
EDGES = ("single", "dual")


@dataclass(frozen=True)
class VariantParams(Params):
    """The workshop's parameters (:class:`hebb_core.Params`) and those of the variants beyond its
    rules, each off by default (notebook 06):

    activation : {"sign", "binary"}, default "sign"
        A unit with field ``x`` fires when ``x >= theta``: state ``+1``, else ``-1`` (``sign``, the
        workshop's code) or ``0`` (``binary``, the McCulloch–Pitts unit of the slides, ``S ∈ {0,
        1}``). Hidden layers, and the output layer at recall.
    theta : float, default 0
        The firing threshold, ``>= 0`` (the workshop's: 0).
    lateral : {"none", "kwta"}, default "none"
        ``kwta``: lateral inhibition as k-winners-take-all in each hidden layer: the ``k`` units
        with the largest field fire, the others are silent (``0`` with binary, ``-1`` with sign
        activation); ties go to the lower index. The threshold ``theta`` then plays no part in the
        hidden layers.
    k : int or None, default None
        Winners per hidden layer, in ``[0, M]``; required with ``lateral="kwta"``, ``None``
        otherwise.
    homeostasis : float, default 0
        Rate ``eta_theta >= 0`` of a homeostatic threshold ``theta_a`` per hidden unit (a
        "conscience", DeSieno 1988): the unit sees the field ``x - theta_a``, and after every
        training step ``theta_a ← theta_a + eta_theta (r_a - rho)``, ``r_a`` its activity as 0/1.
        Thresholds start at 0 and are part of the network's state (used at recall too). 0: off.
        Designed for k-WTA: with ``k = 1`` and ``M = N`` the thresholds settle only when every unit
        wins exactly one input, so every input gets its own hidden unit (notebook 06, section 3).
    target_rate : float or None, default None
        The target rate ``rho`` in ``[0, 1]``; ``None``: ``k/M`` with k-WTA (so the thresholds'
        mean stays 0), ``1/M`` without.
    normalise : {"none", "pre", "post", "both"}, default "none"
        After every Hebbian step rescale each presynaptic neuron's outgoing |weights| (``pre``),
        each postsynaptic neuron's incoming |weights| (``post``) or first the one then the other
        (``both``) to the sum ``norm_total``, in every layer.
    norm_total : float, default 1
        The fixed sum of |weights| per neuron under ``normalise``, in ``(0, 1]`` (so every |weight|
        stays <= 1).
    growth_power : int, default 0
        ``p`` in ``0 … 4``: the Hebbian term is multiplied by ``|w|^p`` (0: the workshop's rule;
        ``p = 1``: growth in proportion to the weight; ``p >= 2``: supralinear growth, the strong
        get stronger; Häussler & von der Malsburg 1983). An integer, so that ``|w|^p`` is a product
        that every path computes to the same bits.
    feedback : float, default 0
        Strength ``f >= 0`` of feedback during training: the clamped output drives the last hidden
        layer through the transposed weights, whose field becomes ``x + f · Σ_o W[L-2]_{co}
        S_out,o`` (contrastive Hebbian learning's clamped phase; Movellan 1991). No effect without
        a hidden layer.
    edges : {"single", "dual"}, default "single"
        ``dual``: an excitatory and an inhibitory synapse join every pair of neurons in
        neighbouring layers: two weight matrices per layer pair, ``E >= 0`` (updated with type +1)
        and ``I <= 0`` (type -1), each kept on its side of zero as by :func:`hebb_core.dale_clip`;
        the effective weight is ``E + I``. Neuron types play no part.
    """

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
        super().__post_init__()
        check_choice("activation", self.activation, ACTIVATIONS)
        check_real("theta", self.theta, 0, 1e6)
        check_choice("lateral", self.lateral, LATERALS)
        if self.lateral == "kwta":
            check_int("k", self.k, 0, self.hidden_width)
        elif self.k is not None:
            fail("k", self.k, "None unless lateral='kwta'")
        check_real("homeostasis", self.homeostasis, 0, 1)
        if self.target_rate is not None:
            check_real("target_rate", self.target_rate, 0, 1)
        check_choice("normalise", self.normalise, NORMALISATIONS)
        check_real("norm_total", self.norm_total, 0, 1, open_low=True)
        check_int("growth_power", self.growth_power, 0, 4)
        check_real("feedback", self.feedback, 0, 100)
        check_choice("edges", self.edges, EDGES)
        plain_numbers(self, theta=float, k=int, homeostasis=float, target_rate=float,
                      norm_total=float, growth_power=int, feedback=float)

    @property
    def rho(self):
        """The homeostatic target rate: ``target_rate``, else ``k/M`` with k-WTA, else ``1/M``."""
        if self.target_rate is not None:
            return float(self.target_rate)
        return (self.k if self.lateral == "kwta" else 1) / self.hidden_width

    @property
    def silent(self):
        """The state of a unit that does not fire: ``-1.0`` (sign activation) or ``0.0``
        (binary)."""
        return 0.0 if self.activation == "binary" else -1.0

    @property
    def variants(self):
        """The variants that these parameters switch on: the names of the variant fields that
        differ from their defaults (``target_rate`` and ``norm_total`` only refine others); ``()``
        for the workshop's rules."""
        workshop = {"activation": "sign", "theta": 0.0, "lateral": "none", "homeostasis": 0.0,
                    "normalise": "none", "growth_power": 0, "feedback": 0.0, "edges": "single"}
        return tuple(name for name, value in workshop.items() if getattr(self, name) != value)

    @property
    def weight_keys(self):
        """Names of the weight matrices, in the order of a weight list: ``"0-1", "1-2", …``; with
        dual edges first the excitatory ones (``"0-1 E"``, …), then the inhibitory ones (``"0-1
        I"``, …)."""
        pairs = super().weight_keys
        if self.edges == "single":
            return pairs
        return [f"{p} E" for p in pairs] + [f"{p} I" for p in pairs]


@with_checks(params=A_PARAMS)
def with_variants(params):
    """``params`` as :class:`VariantParams`: itself, or the workshop's :class:`hebb_core.Params`
    with every variant off."""
    if isinstance(params, VariantParams):
        return params
    return VariantParams(**{field.name: getattr(params, field.name)
                            for field in dataclasses.fields(Params)})


# ── The checks of the arguments: every public function checks its own where it starts ────────────


def _check_field(field, width=None):
    """``field`` as finite numbers of shape ``(..., width)``, the fields of a layer's units with
    any leading axes (``width=None``: any number of units in ``[1, MAX_NEURONS]``)."""
    field = check_array("field", field)
    if field.ndim < 1 or not (1 <= field.shape[-1] <= MAX_NEURONS if width is None
                              else field.shape[-1] == width):
        units = (f"1 <= M <= {MAX_NEURONS}" if width is None
                 else f"M = {width}, the hidden layers' width")
        fail("field", as_shown(field, field), f"fields of shape (..., M), {units}")
    return field


def _check_states(neuron_states, params, in_place=False):
    """``neuron_states`` as one array of states in ``[-1, 1]`` per layer, of the shapes
    ``params.sizes``; ``in_place``: the caller's own float arrays, which a forward pass changes."""
    if not isinstance(neuron_states, (list, tuple)) or len(neuron_states) != params.L:
        fail("neuron_states", as_shown(neuron_states),
             f"a list of {params.L} arrays of shapes {params.sizes}")
    for layer, (S, n) in enumerate(zip(neuron_states, params.sizes)):
        if in_place and not (isinstance(S, np.ndarray) and S.dtype == np.float64):
            fail(f"neuron_states[{layer}]", as_shown(S),
                 f"a float array of shape ({n},) (changed in place), "
                  f"e.g. numpy.zeros({n})")
    return [check_array(f"neuron_states[{layer}]", S, (n,), -1, 1)
            for layer, (S, n) in enumerate(zip(neuron_states, params.sizes))]


def _check_thresholds(thresholds, params):
    """``None`` (all 0) or the homeostatic thresholds of the hidden layers: one array of shape
    ``(M,)`` per hidden layer, as in :attr:`hebb_core.RunResult.thresholds`."""
    widths = params.sizes[1:-1]
    if thresholds is None:
        return None
    if not isinstance(thresholds, (list, tuple)) or len(thresholds) != len(widths):
        fail("thresholds", as_shown(thresholds),
              f"None or a list of {len(widths)} arrays of shape ({params.hidden_width},), one per "
              f"hidden layer")
    return [check_array(f"thresholds[{layer}]", theta, (n,)) for layer,
            (theta, n) in enumerate(zip(thresholds,
                                            widths))]


# ── The rules of the variants ────────────────────────────────────────────────────────────────────


def _a_field(name, value):
    """A rule: the fields of a layer's units, shape ``(..., M)``, ``1 <= M <= MAX_NEURONS``."""
    _check_field(value)


described(_a_field, Allowed("array", -math.inf, math.inf, vector=True))


def _k_of_the_units(arguments):
    """The relation of :func:`lateral_inhibition`: ``k`` winners of the ``M`` units."""
    check_int("k", arguments["k"], 0, np.shape(arguments["field"])[-1])


@with_checks(_k_of_the_units, field=_a_field, k=an_int(0, MAX_NEURONS),
             activation=one_of(*ACTIVATIONS))
def lateral_inhibition(field, k, activation="sign"):
    """k-winners-take-all along the last axis: the ``k`` units with the largest field fire (state
    1), the others are silent (``-1`` with ``"sign"``, ``0`` with ``"binary"``); among equal fields
    the lower index wins.

    A layer with strong lateral inhibition: ``k = M`` is no inhibition at all (every unit fires),
    ``k = 0`` silences the layer. ``field``: shape ``(..., M)``, ``1 <= M <= MAX_NEURONS``, any
    leading axes (a batch of layers). Returns an array of the shape of ``field``.
    """
    field = np.asarray(field, dtype=np.float64)
    # largest field first; a stable sort keeps ties in order
    ranked = np.argsort(-field, axis=-1, kind="stable")
    states = np.full(field.shape, -1.0 if activation == "sign" else 0.0)
    np.put_along_axis(states, ranked[..., :k], 1.0, axis=-1)
    return states


def _a_matrix(name, value):
    """A rule: one weight matrix ``(n_pre, n_post)`` of finite numbers, ``1 <= n <=
    MAX_NEURONS``."""
    W = check_array(name, value, 2)
    if min(W.shape) < 1 or max(W.shape) > MAX_NEURONS:
        fail(name, f"shape {W.shape}", f"a matrix (n_pre, n_post), 1 <= n <= {MAX_NEURONS}")


described(_a_matrix, Allowed("array", -math.inf, math.inf, shape=2))


@with_checks(W=_a_matrix, mode=one_of(*NORMALISATIONS), total=a_real(0, 1e6, open_low=True))
def normalise_weights(W, mode, total=1.0):
    """Synaptic normalisation of one weight matrix ``W`` (``(n_pre, n_post)``): rescale the
    |weights| of each presynaptic neuron's outgoing synapses (``"pre"``: each row), of each
    postsynaptic neuron's incoming ones (``"post"``: each column), or the rows and then the columns
    (``"both"``), so that they add up to ``total``:

        W_ab ← W_ab · (total / Σ_b' |W_ab'|)     (pre)
        W_ab ← W_ab · (total / Σ_a' |W_a'b|)     (post)

    Signs are kept; a neuron whose weights are all 0 is left alone. Sums run in index order (as the
    engine's).
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


@with_checks(eta=a_real(0, 1), rho=a_real(0, 1))
def homeostatic_update(thresholds, states, eta, rho):
    """The homeostatic threshold of each unit of a layer after one step ("conscience", DeSieno
    1988):

        theta_a ← theta_a + eta (r_a - rho),   r_a = 1 if the unit fired (state > 0) else 0

    so that a unit firing more often than the target rate ``rho`` becomes harder to excite, a
    silent one easier. ``thresholds``: one per unit (1 to ``MAX_NEURONS``), ``states`` (in ``[-1,
    1]``) of the same shape; ``eta`` and ``rho`` in ``[0, 1]``, as
    :attr:`VariantParams.homeostasis` and :attr:`VariantParams.rho`.
    """
    thresholds = check_array("thresholds", thresholds, 1)
    if not 1 <= len(thresholds) <= MAX_NEURONS:
        fail("thresholds", as_shown(thresholds, thresholds),
             f"one threshold per unit, 1 to {MAX_NEURONS} of them")
    states = check_array("states", states, thresholds.shape, -1, 1)
    return thresholds + eta * ((states > 0).astype(np.float64) - rho)  # θ_a + η (r_a − ρ)


@with_checks(params=A_PARAMS)
def effective_weights(weights, params, lead=()):
    """The weights that carry activity forward: ``weights`` itself (checked, as
    :func:`hebb_core.check_weights`), or with dual edges the sums ``E + I`` of each layer pair's
    excitatory and inhibitory matrices (a list of ``L-1`` matrices either way). ``lead``: leading
    axes, e.g. ``(B,)`` for the weights of ``B`` networks."""
    params = with_variants(params)
    weights = check_weights(weights, params, lead)
    if params.edges == "dual":
        # w = w_E + w_I
        return [E + I for E, I in zip(weights[:params.L - 1], weights[params.L - 1:])]
    return weights


@with_checks(params=A_PARAMS)
def hidden_states(field, params, thresholds=None):
    """The states of a hidden layer with field ``field``: ``threshold_unit(x - theta_a, theta,
    activation)``, or with ``lateral="kwta"`` the ``k`` winners of ``x - theta_a``
    (:func:`lateral_inhibition`). ``field``: shape ``(..., M)``; ``thresholds``: the layer's
    homeostatic thresholds ``theta_a``, shape ``(M,)``, used when ``params.homeostasis > 0``."""
    params = with_variants(params)
    field = _check_field(field, params.hidden_width)
    if thresholds is not None:  # also of a batch: thresholds broadcast against the field
        thresholds = check_array("thresholds", thresholds)
        if thresholds.shape[-1:] != (params.hidden_width,) \
                or np.broadcast_shapes(thresholds.shape, field.shape) != field.shape:
            fail("thresholds", as_shown(thresholds, thresholds),
                  f"one threshold per hidden unit, shape ({params.hidden_width},), for fields of "
                  f"shape {field.shape}")
    if params.homeostasis > 0 and thresholds is not None:
        field = field - thresholds  # the effective field x_a − θ_a
    if params.lateral == "kwta":
        return lateral_inhibition(field, params.k, params.activation)
    return threshold_unit(field, params.theta, params.activation)


@with_checks(params=A_PARAMS, through_output=check_bool)
def variant_forward_pass(neuron_states, weights, params, through_output=False, thresholds=None):
    """:func:`hebb_core.forward_pass` with the variants of ``params``: ``S[l] = units(S[l-1] ·
    W[l-1])``.

    The hidden layers' states come from :func:`hidden_states` (``thresholds``: one array of
    homeostatic thresholds per hidden layer), the output's from :func:`hebb_core.threshold_unit`;
    and during training (``through_output=False``) with ``params.feedback = f > 0`` the clamped
    output adds ``f · Σ_o W[L-2]_co S_out,o`` to the last hidden layer's field. ``weights`` are the
    effective weights (:func:`effective_weights`: ``L-1`` matrices in ``[-1, 1]``, whatever the
    edges); ``neuron_states``, one float array per layer, are changed in place.
    """
    params = with_variants(params)
    neuron_states = _check_states(neuron_states, params, in_place=True)
    # E + I is a single edge
    weights = check_weights(weights, dataclasses.replace(params, edges="single"))
    thresholds = _check_thresholds(thresholds, params)
    last = len(neuron_states) - 1 if through_output else len(neuron_states) - 2
    field_in = None
    for layer in range(1, last + 1):
        # x_b = Σ_a S_a W_ab
        field_in = synaptic_input(neuron_states[layer - 1], weights[layer - 1])
        if layer == len(neuron_states) - 1:  # the output layer, at recall
            neuron_states[layer][:] = threshold_unit(field_in, params.theta, params.activation)
            continue
        if params.feedback > 0 and not through_output and layer == len(neuron_states) - 2:
            # Σ_o S_out,o W[L-2]_bo (the clamped output)
            back = synaptic_input(neuron_states[-1], weights[-1].T)
            field_in = field_in + params.feedback * back  # x_b + f · Σ_o W_bo S_o
        theta = None if thresholds is None else thresholds[layer - 1]
        neuron_states[layer][:] = hidden_states(field_in, params, theta)
    return field_in


@with_checks(params=A_PARAMS)
def variant_update(weights, neuron_states, types, params):
    """:func:`hebb_core.update_weights_using_hebbian` with the variants of ``params``: one Hebbian
    step on every weight matrix, all from the same states,

        W_ab ← (1 - eps) W_ab + eps S_a S_b type(a) |W_ab|^p

    (``p = growth_power``; :func:`hebb_core.hebbian_update`), then Dale's clipping if
    ``params.dale``, then the synaptic normalisation ``params.normalise``
    (:func:`normalise_weights`). With dual edges the excitatory matrices are updated with type +1
    and the inhibitory ones with type -1, whatever the neuron types, and each is kept on its side
    of zero (:func:`hebb_core.dale_clip`). Returns the new list of weight matrices.
    """
    params = with_variants(params)
    weights, neuron_states = check_weights(weights, params), _check_states(neuron_states, params)
    types = check_types(types, params.P)
    kinds = split_layers(types, params.sizes)
    pre_layers = list(range(params.L - 1))
    if params.edges == "dual":  # the E matrices, then the I matrices: every synapse's own sign
        kinds = [np.ones_like(t) for t in kinds] + [-np.ones_like(t) for t in kinds]
        pre_layers = pre_layers * 2
    new_weights = []
    for W, layer, neuron_type in zip(weights, pre_layers, kinds):
        W = hebbian_update(W, neuron_states[layer], neuron_states[layer + 1], neuron_type,
                           params.epsilon, params.growth_power)
        if params.dale or params.edges == "dual":
            W = dale_clip(W, neuron_type)
        if params.normalise != "none":
            W = normalise_weights(W, params.normalise, params.norm_total)
        new_weights.append(W)
    return new_weights


@with_checks(params=A_PARAMS)
def variant_recall(weights, input_idx, params, thresholds=None):
    """:func:`hebb_core.recall` with the variants of ``params``: present input ``input_idx`` alone
    and pass it through every layer; returns ``(neuron_states, output_field)``. ``thresholds``: the
    homeostatic thresholds of the hidden layers (``None``: all 0)."""
    params = with_variants(params)
    weights = check_weights(weights, params)
    check_int("input_idx", input_idx, 0, params.N - 1)
    neuron_states = [np.zeros(n) for n in params.sizes]
    neuron_states[0][input_idx] = 1
    output_field = variant_forward_pass(neuron_states, effective_weights(weights, params), params,
                                        through_output=True, thresholds=thresholds)
    return neuron_states, output_field


@with_checks(params=A_PARAMS)
def variant_convergence(weights, mapping, params, thresholds=None):
    """:func:`hebb_core.check_convergence` with the variants of ``params``: ``(recalled,
    winners)``, the output neuron answers under the threshold ``params.theta``."""
    params = with_variants(params)
    mapping = check_mapping(mapping, params.N)
    winners = np.array([read_out(variant_recall(weights, i, params, thresholds)[1], params.readout,
                                 params.theta)
                        for i in range(params.N)])
    return winners == mapping, winners


@with_checks(params=A_PARAMS, rng=a_generator)
def initialize_dual_weights(params, types, rng):
    """Initial weights with dual edges (``params.edges == "dual"``): every layer draws the
    magnitudes of its excitatory synapses, then of its inhibitory ones, whatever the neuron types
    (:func:`hebb_core.initial_weights`). Returns the ``L-1`` excitatory matrices (``>= 0``), then
    the ``L-1`` inhibitory ones (``<= 0``)."""
    if getattr(params, "edges", "single") != "dual":
        fail("params", f"{type(params).__name__}(edges={getattr(params, 'edges', 'single')!r}, …)",
              "VariantParams with edges='dual'")
    return initialize_weights(params, types, rng)


@with_checks(params=A_PARAMS, history=check_bool)
def train_variant_network(params, types, mapping, weights, orders=None, history=False):
    """:func:`hebb_core.train_network` with the variants of ``params``: the same procedure
    (:func:`hebb_core.train_epochs`), each step with :func:`variant_forward_pass` on the effective
    weights, :func:`variant_update` and, with homeostasis, :func:`homeostatic_update` of the hidden
    layers' thresholds."""
    params = with_variants(params)
    types, mapping, weights, orders = check_run(params, types, mapping, weights, orders)
    neuron_states = [np.zeros(n) for n in params.sizes]
    # homeostatic thresholds θ_a, one per hidden unit
    thresholds = [np.zeros(n) for n in params.sizes[1:-1]]

    def train_epoch(weights, order):
        nonlocal thresholds
        for input_idx in order:
            clamp_neurons(neuron_states, input_idx, mapping[input_idx])
            variant_forward_pass(neuron_states, effective_weights(weights, params), params,
                                 thresholds=thresholds)
            weights = variant_update(weights, neuron_states, types, params)
            if params.homeostasis > 0:
                thresholds = [homeostatic_update(theta, S, params.homeostasis, params.rho)
                              for theta, S in zip(thresholds, neuron_states[1:-1])]
        return weights

    return train_epochs(params, weights, orders, train_epoch,
                        lambda W: variant_convergence(W, mapping, params, thresholds),
                        lambda W: [variant_recall(W, i, params,
                                                  thresholds)[0] for i in range(params.N)],
                        lambda: thresholds, history)


# ── The variants as settings, and the closed forms they are compared with ────────────────────────


#: The variants of notebook 06 as settings of :class:`VariantParams` on top of the workshop's ``L =
#: 3`` network (``"workshop"``: the workshop's model itself, no variant). The k-WTA ones use 0/1
#: units, continuous initial weights (so that ties do not bias the codes) and the argmax read-out
#: (with excitatory hidden-to-output weights every output field is >= 0, so the strict read-out
#: cannot answer).
VARIANTS = {
    "workshop": {},
    "k-WTA": {"activation": "binary", "lateral": "kwta", "decimals": None, "readout": "argmax"},
    "k-WTA + homeostasis": {"activation": "binary", "lateral": "kwta", "decimals": None,
                            "readout": "argmax", "homeostasis": 0.02},
    "k-WTA + normalisation": {"activation": "binary", "lateral": "kwta", "decimals": None,
                              "readout": "argmax", "normalise": "both", "growth_power": 2},
    "feedback": {"feedback": 2.0},
    "dual edges": {"edges": "dual"},
}


def _k_for_kwta(arguments):
    """The relation of :func:`variant_params`: ``k`` only for the k-WTA variants."""
    variant, k = arguments["variant"], arguments["k"]
    if k is not None and VARIANTS[variant].get("lateral") != "kwta":
        fail("k", k,
             f"None for the variant {variant!r}: k is the k-WTA variants' number of winners")


@with_checks(_k_for_kwta, variant=one_of(*VARIANTS))
def variant_params(variant, N=4, M=None, k=None, **settings):
    """:class:`VariantParams` for one of :data:`VARIANTS` with ``N`` inputs and outputs and ``M``
    hidden units (default ``N``). ``k`` (k-WTA variants only) defaults to ``M // 2`` for plain
    k-WTA and to 1 (winner-take-all) for the two uniqueness mechanisms; other keyword arguments
    (e.g. ``epsilon``, ``max_epochs``) are passed on."""
    values = {"L": 3, "N": N, "M": M, **VARIANTS[variant], **settings}
    if values.get("lateral") == "kwta":
        values["k"] = k if k is not None else ((M or N) // 2 if variant == "k-WTA" else 1)
    return VariantParams(**values)


@with_checks(lambda arguments: check_int("k", arguments["k"], 0, arguments["M"]),
             N=an_int(1, MAX_NEURONS), M=an_int(1, MAX_NEURONS), k=an_int(0, MAX_NEURONS))
def kwta_success_probability(N, M, k):
    """The chance that ``N`` inputs get ``N`` different k-WTA codes when each code is a uniformly
    random choice of ``k`` of the ``M`` hidden units (a birthday problem with ``C = C(M, k)``
    possible codes):

        P(success) = C (C - 1) ··· (C - N + 1) / C^N

    With excitatory projections, 0/1 hidden units and one-hot inputs, Hebbian learning freezes each
    input's initial top-k code, so this is the chance that the network learns the permutation
    (notebook 06, section 2).
    """
    C = math.comb(M, k)
    return math.prod(max(C - j, 0) / C for j in range(N))


MAX_WILLSHAW_UNITS = 10**15  # N_A, N_B in the formulas (a simulated net: MAX_WILLSHAW_SYNAPSES)
MAX_WILLSHAW_SYNAPSES = 10**8  # N_A·N_B, for a simulated net (willshaw_net)
MAX_WILLSHAW_PAIRS = 10**6  # R, for a simulated net


def _fewer_active(arguments):
    """The relation of a Willshaw net's sizes: ``M <= N`` active units in each layer."""
    for M, N in (("M_A", "N_A"), ("M_B", "N_B")):
        check_real(M, arguments[M], 1, arguments[N])


def _pair_counts(name, value):
    """A rule: ``R``, a count of pairs ``>= 0`` or an array of counts."""
    if isinstance(value, (bool, np.bool_)):
        fail(name, value, "a count of pairs >= 0 (or an array of counts)")
    check_array(name, value, None, 0, 1e30)


described(_pair_counts, Allowed("array", 0, 1e30))
#: The rules of a Willshaw net's sizes in the formulas: numbers ``1 <= M <= N <=
#: MAX_WILLSHAW_UNITS`` per layer, ``R`` a count or an array of counts ``>= 0``.
_WILLSHAW = dict(N_A=a_real(1, MAX_WILLSHAW_UNITS), N_B=a_real(1, MAX_WILLSHAW_UNITS),
                 M_A=a_real(1, MAX_WILLSHAW_UNITS), M_B=a_real(1, MAX_WILLSHAW_UNITS),
                 R=_pair_counts)


@with_checks(_fewer_active, **_WILLSHAW)
def willshaw_fraction_on(N_A, N_B, M_A, M_B, R):
    """The expected fraction of switched-on synapses of a Willshaw net (Willshaw, Buneman &
    Longuet-Higgins 1969) after storing ``R`` random pairs with ``M_A`` of ``N_A`` input and
    ``M_B`` of ``N_B`` output units active:

        p = 1 - (1 - M_A M_B / (N_A N_B))^R

    (a synapse stays off only if no pair has both of its ends active)."""
    return 1 - (1 - M_A * M_B / (N_A * N_B)) ** np.asarray(R, dtype=np.float64)


@with_checks(_fewer_active, **_WILLSHAW)
def willshaw_bits_per_synapse(N_A, N_B, M_A, M_B, R):
    """The information of ``R`` stored output patterns (each one of ``C(N_B, M_B)``) per synapse:
    ``R · log2 C(N_B, M_B) / (N_A N_B)``, counted as if every pattern were recalled exactly. It is
    an upper bound: recall adds about ``(N_B - M_B) p^M_A`` spurious units per pattern
    (:func:`willshaw_net`), which carry no information: at ``p = 1/2`` with ``M_A = M_B = log2
    N_A`` that is ``(N_B - M_B)/N_A ≈ 1`` spurious unit per recall, beside the ``log2 N_A`` right
    ones, a share that vanishes as ``N_A = N_B → ∞``. At that operating point the bound tends to
    ``ln 2 ≈ 0.69`` bits per synapse, the Willshaw net's asymptotic capacity (Willshaw, Buneman &
    Longuet-Higgins 1969)."""
    # log2 C
    bits = (math.lgamma(N_B + 1) - math.lgamma(M_B + 1) - math.lgamma(N_B - M_B + 1)) / math.log(2)
    return np.asarray(R, dtype=np.float64) * bits / (N_A * N_B)


def _fits_in_memory(arguments):
    """The relation of :func:`willshaw_net`: ``1 <= M <= N <= MAX_WILLSHAW_UNITS`` in each layer,
    at most ``MAX_WILLSHAW_SYNAPSES`` synapses."""
    for N in ("N_A", "N_B"):
        check_real(N, arguments[N], 1, MAX_WILLSHAW_UNITS)
    _fewer_active(arguments)
    N_A, N_B = arguments["N_A"], arguments["N_B"]
    if N_A * N_B > MAX_WILLSHAW_SYNAPSES:
        fail("N_A", N_A, f"N_A·N_B at most {MAX_WILLSHAW_SYNAPSES:,} synapses (N_B={N_B})")


@with_checks(_fits_in_memory, N_A=an_int(1), N_B=an_int(1), M_A=an_int(1), M_B=an_int(1),
             R=an_int(0, MAX_WILLSHAW_PAIRS), rng=a_generator)
def willshaw_net(N_A, N_B, M_A, M_B, R, rng):
    """Store ``R`` random pairs of sparse binary patterns in a Willshaw net and recall every stored
    input.

    Clipped Hebbian learning: a synapse ``W_ab ∈ {0, 1}`` switches on the first time its input
    ``a`` and output ``b`` are active together, and never off. Recall: an output unit fires when
    its dendritic sum ``Σ_a x_a W_ab`` reaches the number of active inputs ``M_A`` (all of them
    excitatory, a threshold unit).

    Returns a dict: ``fraction_on`` (synapses on), ``spurious`` (mean wrongly firing outputs per
    recall, to compare with ``(N_B - M_B) p^M_A``) and ``perfect`` (fraction of recalls with no
    error). Every stored output is always recalled (its synapses are on), so errors are only
    spurious ones.
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
    return {"fraction_on": float(W.mean()), "spurious": float(spurious.mean()),
            "perfect": float((spurious == 0).mean())}
