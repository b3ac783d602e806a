"""The batched engine: many networks trained at once by a compiled loop, with exactly the
arithmetic of the readable path (``hebb_core.train_network``), so that both give the same results
to the last bit.

:func:`train_batch` checks and packs the arrays of ``B`` networks for the compiled loops of
``hebblab.kernels`` (:func:`kernel_settings` packs a run's settings for them, in :class:`Settings`;
:class:`Outputs` holds what they write);
:func:`train_compiled` trains one network the same way and reports as ``hebb_core.train_network``
does; :func:`recall_batch` recalls every input of ``B`` networks at once.
"""

import os
import threading
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from hebb_core import (
    A_PARAMS,
    check_mapping,
    check_run,
    check_types,
    check_weights,
    MAX_RUNS,
    Params,
    RunResult,
    split_layers,
    synaptic_input,
)
from hebblab import kernels
from hebblab.checks import a_function, an_int, as_numbers, as_shown, check_bool, fail, with_checks
from hebblab.kernels import Settings
from hebblab.variants import effective_weights, hidden_states, NORMALISATIONS, with_variants


@dataclass
class BatchResult:
    """The reports of ``B`` runs as arrays of length ``B`` (see :class:`RunResult` for their
    meaning).

    ``weights_settled_epoch`` is 0 where the weights never settled. ``weights`` holds one ``(B,
    n_l, n_{l+1})`` array per layer (``2(L-1)`` arrays with dual edges). ``history`` (when asked
    for) holds the arrays of :class:`RunResult` with a leading batch axis, up to the longest run; a
    run that stopped at epoch ``t`` has valid entries up to ``t``. ``thresholds``: one ``(B, n_l)``
    array per hidden layer.
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


#: The settings of the compiled loops that are not the record's field of the same name, each made
#: from the record; every other setting is the field of its name, of the type :class:`Settings`
#: gives it (so a variant's new setting needs no line here).
_DERIVED_SETTINGS = {
    "strict": lambda params: params.readout == "strict",
    "binary": lambda params: params.activation == "binary",
    "k": lambda params: params.k if params.lateral == "kwta" else -1,
    "normalise": lambda params: NORMALISATIONS.index(params.normalise),
}


@with_checks(params=A_PARAMS)
def kernel_settings(params):
    """The :class:`Settings` of ``params``, for the compiled loops: each setting the field of its
    name (or made from the record: :data:`_DERIVED_SETTINGS`), as the type of the setting."""
    params = with_variants(params)
    return Settings(**{name: kind(_DERIVED_SETTINGS[name](params) if name in _DERIVED_SETTINGS
                                  else getattr(params, name))
                       for name, kind in Settings.__annotations__.items()})


class Outputs(NamedTuple):
    """What the compiled loops write for ``B`` networks: their reports and, when recording (else
    the history's arrays are empty), their course, epoch by epoch (``T = max_epochs + 1`` epochs,
    epoch 0 the initial state)."""

    report: np.ndarray  # (B, 4) ints: first success, settled epoch, stable, unique
    fraction: np.ndarray  # (B,) the fraction of pairs recalled at the end
    weights: np.ndarray  # (B, T, D, L-1, K, K) the weights after every epoch
    hidden: np.ndarray  # (B, T, H, N, K) the hidden states at recall of every input
    thresholds: np.ndarray  # (B, T, H, K) the homeostatic thresholds
    winners: np.ndarray  # (B, T, N) the answering outputs (-1: none)


# the most memory a recorded history (train_batch(..., history=True)) may take: 2 GiB
MAX_HISTORY_BYTES = 2**31


@with_checks(params=A_PARAMS, B=an_int(1, MAX_RUNS))
def history_bytes(params, B):
    """The bytes that recording the history of ``B`` networks takes (:func:`train_batch`,
    ``history=True``); ``B`` is at most ``hebb_core.MAX_RUNS``, the most runs of a sweep."""
    sizes = params.sizes
    K, H, D = max(sizes), max(params.L - 2, 1), len(params.weight_keys) // (params.L - 1)
    return 8 * B * (params.max_epochs + 1) * (D * (params.L - 1) * K * K + H * params.N * K
                                              + H * K + params.N)


@with_checks(params=A_PARAMS, history=check_bool)
def check_batch(params, types, mappings, weights, orders=None, history=False):
    """The checked arrays of :func:`train_batch`, ``(types, mappings, weights, orders)``, before
    any work starts: one batch size ``B >= 1`` for all, ``(B, P)`` types ±1, ``(B, N)``
    permutations, weights of shapes ``(B, n_l, n_{l+1})`` in ``[-1, 1]`` (dual edges: E >= 0, I <=
    0), ``(B, max_epochs, N)`` orders (each row a permutation; required when ``order='shuffled'``),
    a boolean ``history`` that fits in :data:`MAX_HISTORY_BYTES`. Raises ``ValueError`` naming the
    argument, its value and what is allowed."""
    types, mappings, weights = check_networks(params, types, mappings, weights)
    B = len(mappings)
    if orders is None and params.order == "shuffled":
        fail("orders", None, "an array of presentation orders when order='shuffled'")
    if orders is not None:
        orders = check_mapping(orders, params.N, (B, params.max_epochs), "orders", np.int16)
    check_history(params, B, history)
    return types, mappings, weights, orders


@with_checks(params=A_PARAMS, B=an_int(1, MAX_RUNS), history=check_bool)
def check_history(params, B, history):
    """Raise ``ValueError`` if recording the history of ``B`` networks would take more than
    :data:`MAX_HISTORY_BYTES`."""
    if history and history_bytes(params, B) > MAX_HISTORY_BYTES:
        fail("history", history,
             f"False for {B} networks of {params.max_epochs} epochs: recording would need "
              f"{history_bytes(params, B):,} bytes, more than MAX_HISTORY_BYTES "
              f"= {MAX_HISTORY_BYTES:,}; "
              "record fewer networks or epochs")


@with_checks(params=A_PARAMS)
def check_networks(params, types, mappings, weights):
    """The checked arrays of ``B >= 1`` networks, ``(types, mappings, weights)``: ``(B, P)`` types
    ±1, ``(B, N)`` permutations, weights of shapes ``(B, n_l, n_{l+1})`` in ``[-1, 1]``
    (:func:`check_batch`)."""
    B = len(mappings) if hasattr(mappings,
                                 "__len__") and not isinstance(mappings, (str, bytes, dict)) else 0
    if B < 1:
        fail("mappings", as_shown(mappings),
             f"B >= 1 target permutations of range({params.N}), shape (B, {params.N})")
    mappings = check_mapping(mappings, params.N, (B,), "mappings")
    return check_types(types, params.P, (B,)), mappings, check_weights(weights, params, (B,))


@with_checks(params=A_PARAMS, history=check_bool)
def train_batch(params, types, mappings, weights, orders=None, history=False):
    """Train ``B`` networks at once, with exactly the arithmetic of :func:`train_network`.

    types : ``(B, P)`` values ±1
    mappings : ``(B, N)`` target permutations
    weights : one ``(B, n_l, n_{l+1})`` array of initial weights per layer (with dual edges, the
    ``L-1``
        excitatory ones, then the ``L-1`` inhibitory ones)
    orders : ``(B, max_epochs, N)`` presentation orders; ``None`` for the fixed order
    history : also record, after every epoch, the weights, the hidden states at recall, the answers
    and the
        homeostatic thresholds (memory grows as ``B·max_epochs``: meant for a few networks; refused
        beyond :data:`MAX_HISTORY_BYTES`, see :func:`history_bytes`)

    Every argument is checked first (:func:`check_batch`): the compiled loops never see an
    unchecked array.

    The work is done by a compiled loop: ``kernels.train_lanes`` for the workshop's rules (up to
    ``kernels.LANES`` networks side by side), ``kernels.train_variants`` (one network after
    another) when ``params`` switches on a variant (:attr:`Params.variants`) or for fewer than 3
    networks; a network that has converged stops (unless ``params.stop_at_convergence`` is false).
    :func:`compile_engine` compiles both loops ahead of use.
    """
    types, mappings, weights, orders = check_batch(params, types, mappings, weights,
                                                   orders, history)
    sizes = np.array(params.sizes, dtype=np.int64)
    N, L, K, B = params.N, params.L, int(sizes.max()), len(mappings)
    # weight matrices per layer pair: one, or an E and an I one
    D = len(params.weight_keys) // (params.L - 1)
    # every matrix in one padded array, so that one compiled loop serves any L
    W = np.zeros((B, D, L - 1, K, K))
    kinds = np.zeros((B, L - 1, K))
    for layer, kind in enumerate(split_layers(types, params.sizes)):
        for d in range(D):
            W[:, d, layer, :sizes[layer], :sizes[layer + 1]] = weights[d * (L - 1) + layer]
        # dual edges: the E matrix has type +1 throughout
        kinds[:, layer, :sizes[layer]] = 1.0 if D == 2 else kind
    orders = np.zeros((B, 0, N), dtype=np.int16) if orders is None else orders
    H = max(L - 2, 1)  # hidden layers (at least one slot, so that L = 2 needs no special case)
    thresholds = np.zeros((B, H, K))
    T, R = (params.max_epochs + 1, B) if history else (0, 0)  # epochs and networks recorded
    out = Outputs(report=np.zeros((B, 4), dtype=np.int64), fraction=np.zeros(B),
                  weights=np.zeros((R, T, D, L - 1, K, K)), hidden=np.zeros((R, T, H, N, K)),
                  thresholds=np.zeros((R, T, H, K)),
                  winners=np.full((R, T, N), -1, dtype=np.int64))
    mappings_array = mappings.astype(np.int64)
    settings = kernel_settings(params)
    # one network at a time: the variants, and one or two networks (a slider's
    if params.variants or B < 3:
        # work), for which setting up the lanes costs more than it saves
        _train_one_at_a_time(W, kinds, mappings_array, orders, sizes, thresholds, settings, out)
    else:  # the workshop's rules: a lean loop of their own
        kernels.train_lanes(W, kinds, mappings_array, orders, sizes, settings, out)
    first_success = out.report[:, 0]
    converged = first_success > 0
    # the order of params.weight_keys
    matrices = [(d, layer) for d in range(D) for layer in range(L - 1)]
    result = BatchResult(
        epochs_to_convergence=np.where(converged, first_success, params.max_epochs),
        converged=converged,
        recall_fraction=out.fraction,
        unique=out.report[:, 3].astype(bool),
        stable=out.report[:, 2].astype(bool),
        weights_settled_epoch=out.report[:, 1],
        weights=[W[:, d, layer, :sizes[layer], :sizes[layer + 1]].copy() for d, layer in matrices],
        thresholds=[thresholds[:, layer - 1, :sizes[layer]].copy() for layer in range(1, L - 1)],
    )
    if history:
        last = int(np.where(converged & params.stop_at_convergence, first_success,
                            params.max_epochs).max()) + 1
        winners = out.winners[:, :last]
        result.history = {
            "weights": [out.weights[:, :last, d, layer, :sizes[layer], :sizes[layer + 1]] for d,
                        layer in matrices],
            "hidden": [out.hidden[:, :last, layer - 1, :,
                                  :sizes[layer]] for layer in range(1, L - 1)],
            "recalled": winners == mappings[:, None, :],
            "winners": winners,
            "thresholds": [out.thresholds[:, :last, layer - 1,
                                          :sizes[layer]] for layer in range(1, L - 1)],
        }
    return result


# networks (or maps) from which a compiled loop, called from the main thread, uses two threads
TWO_THREADS = 16


@with_checks(B=an_int(0, MAX_RUNS), train=a_function)
def in_two_threads(B, train):
    """``train(part)`` on the slices of ``range(B)`` that cover it: all at once, or, from
    :data:`TWO_THREADS` on, on a machine with two cores or more, the second half in a second thread
    (the compiled loops release the GIL), started and joined by this call. Only the main thread
    does so: any other thread keeps to one core. Each network's (each map's) arithmetic is its own,
    so the results are the same either way."""
    if B < TWO_THREADS or (os.cpu_count() or 1) < 2 \
            or threading.current_thread() is not threading.main_thread():
        train(slice(0, B))
        return
    failed = []

    def second_half():
        try:
            train(slice(B // 2, B))
        except BaseException as error:  # noqa: BLE001 (raised again in the calling thread)
            failed.append(error)

    # a thread of this call only, joined before it returns: nothing is left running, so a process
    # forked at any time has no thread to wait for
    second = threading.Thread(target=second_half, name="hebb-course engine")
    second.start()
    try:
        train(slice(0, B // 2))
    finally:
        second.join()
    if failed:
        raise failed[0]


def _train_one_at_a_time(W, kinds, mappings, orders, sizes, thresholds, settings, out):
    """``kernels.train_variants`` on all networks, in two threads where :func:`in_two_threads` says
    so."""
    def train(part):
        kernels.train_variants(W[part], kinds[part], mappings[part], orders[part], sizes,
                               thresholds[part], settings,
                               # recorded arrays: (B, ...) or (0, ...)
                               Outputs(*(array[part] for array in out)))
    in_two_threads(len(W), train)


@with_checks(params=A_PARAMS, history=check_bool)
def train_compiled(params, types, mapping, weights, orders=None, history=False):
    """Train one network with the compiled loop: the arguments and the report of
    ``hebb_core.train_network`` (a :class:`hebb_core.RunResult`, the same to the last bit), in a
    few milliseconds instead of a second."""
    types, mapping, weights, orders = check_run(params, types, mapping, weights, orders)
    result = train_batch(params, types[None], mapping[None], [W[None] for W in weights],
                         None if params.order == "fixed" else orders[None], history)
    settled = int(result.weights_settled_epoch[0])
    one = RunResult(epochs_to_convergence=int(result.epochs_to_convergence[0]),
                    converged=bool(result.converged[0]),
                    recall_fraction=float(result.recall_fraction[0]),
                    unique=bool(result.unique[0]),
                    stable=bool(result.stable[0]), weights_settled_epoch=settled or None,
                    weights=[W[0] for W in result.weights],
                    thresholds=[t[0] for t in result.thresholds])
    if history:
        one.history = {name: [layer[0] for layer in value] if isinstance(value, list) else value[0]
                       for name, value in result.history.items()}
    return one


def compile_engine():
    """Compile the training loops, or load them from numba's cache (``make`` and Binder's
    ``postBuild`` call this once, so that no sweep or slider waits for the compiler): the lanes of
    a sweep, one network at a time, the topographic map's relaxation and training, and notebook
    08's one-to-one task."""
    params = Params(L=2, N=2, max_epochs=1)
    for B in (1, 3):
        train_batch(params, np.ones((B, 2)), np.tile([0, 1], (B, 1)), [np.full((B, 2, 2), 0.05)])
    # a tectum of 4 cells and one stimulus, in arrays of the types hebblab.maps gives these loops
    T = 4
    kernels.relax_tecta(np.ones((1, T)), np.zeros((1, T, T)), 0.5, 0.0, 1.0, 1e-3, 10,
                        np.zeros((1, T)), np.zeros(1, dtype=np.int64), np.zeros(1, dtype=bool))
    stimuli, active, steps = (np.zeros((1, 1), dtype=np.int64) for _ in range(3))
    kernels.train_tecta(np.ones((1, T, T)), np.zeros((1, T, T)), np.array([[0, 1]]), stimuli, 0, 1,
                        0.1, 0.0, 1.0,
                        0.5, 0.0, 1.0, 1e-3, 10, active, steps, np.zeros(1, dtype=np.int64))
    # notebook 08's task: one network of 2 inputs, 1 hidden unit, 2 outputs
    kernels.train_selective(0, np.zeros((1, 2, 1)), np.zeros((1, 1, 2)), np.zeros((1, 1)),
                            np.ones((1, 2)), np.ones((1, 1)), np.array([[1, 0]]), 0.1, 0.1, 1)


@with_checks(params=A_PARAMS)
def recall_batch(weights, params, thresholds=None):
    """Recall every input of ``B`` networks at once, with the variants of ``params`` (the batched
    twin of :func:`recall`).

    weights : one ``(B, n_l, n_{l+1})`` array per weight matrix, e.g. ``BatchResult.weights``
    thresholds : one ``(B, n_l)`` array per hidden layer (``BatchResult.thresholds``), or ``None``
    (all 0) Returns ``(hidden, output_field)``: the states of each hidden layer at recall, a list
    of ``(B, N, n_l)`` arrays (input ``i`` along axis 1), and the output fields ``(B, N, N)``.
    """
    B = (len(weights[0]) if isinstance(weights, (list, tuple)) and weights
         and hasattr(weights[0], "__len__") else 0)
    if B < 1:
        fail("weights", as_shown(weights),
             "a list of (B, n_l, n_{l+1}) arrays, B >= 1, e.g. BatchResult.weights")
    if thresholds is not None:
        if not isinstance(thresholds, (list, tuple)) or len(thresholds) != params.L - 2:
            fail("thresholds", as_shown(thresholds),
                 f"None or a list of {params.L - 2} arrays (one per hidden layer)")
        thresholds = [as_numbers(f"thresholds[{layer}]", t, (B, n),
                                 f"finite numbers of shape {(B, n)}")
                      for layer, (t, n) in enumerate(zip(thresholds, params.sizes[1:-1]))]
        for layer, t in enumerate(thresholds):
            if not np.isfinite(t).all():
                fail(f"thresholds[{layer}]", as_shown(t, t), "finite numbers")
    W = effective_weights(weights, params, (B,))
    # S[0] = one-hot(i), every i
    S = np.broadcast_to(np.eye(params.N), (len(W[0]), params.N, params.N))
    hidden = []
    for layer in range(1, params.L - 1):
        theta = None if thresholds is None else thresholds[layer - 1][:, None, :]
        # S[l] = units(S[l-1] · W[l-1])
        S = hidden_states(synaptic_input(S, W[layer - 1][:, None]), params, theta)
        hidden.append(S)
    return hidden, synaptic_input(S, W[-1][:, None])

