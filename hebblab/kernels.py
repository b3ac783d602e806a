"""The compiled loops (numba only): each does exactly what its readable twin does, operation for
operation, so that both give the same results to the last bit (``tests/test_kernels.py`` checks
it).

Two loops train networks: :func:`train_lanes` up to :data:`LANES` networks side by side under the
workshop's rules (``hebb_core.train_network``), :func:`train_variants` one network after another,
with the variants of notebook 06 (``hebblab.variants.train_variant_network``). Both call the same
small helpers; numba inlines those that run inside their loops, so that the lanes' loops still
become vector instructions. In brackets, the readable twin of each block:

* written once for both loops: the rule, ``_hebbian``, one weight's step W ← (1 − ε) W + ((ε S_a)
  S_c) type_a with growth power and Dale's clipping, and ``_dale_bounds``, the bounds of a neuron's
  weights by its type (``hebb_core.hebbian_update``, ``hebb_core.dale_clip``); the read-out,
  ``_read_out``, one output neuron's field into the answer, strict or argmax
  (``hebb_core.read_out``); the epoch report (``hebb_core.train_epochs``,
  ``hebb_core.is_one_to_one``), ``_count_recalled``, the pairs recalled, ``_epoch_notes``, the
  settled epoch, the first full recall, stability and when to stop, and ``_report``, the report,
  uniqueness and recall fraction at the end;
* :func:`train_lanes`: ``_lane_state``, one neuron's field and state in every lane
  (``hebb_core.forward_pass``); the update loop (``hebb_core.update_weights_using_hebbian``); the
  recall loop (``hebb_core.check_convergence``);
* :func:`train_variants`: ``_forward``, the hidden states with thresholds, k-WTA and feedback
  (``variant_forward_pass``); ``_update``, the rule on every matrix, then the normalisation
  (``variant_update``, ``normalise_weights``); ``_recall_variants``, recall with the variants'
  units (``variant_convergence``);
* :func:`relax_tecta` relaxes the tectum's activity to stationarity
  (``hebblab.maps.relax_tectum``), and :func:`train_tecta` trains topographic maps with it
  (``hebblab.maps.train_maps``, whose readable loop is its twin);
* :func:`train_selective` trains notebook 08's one-to-one task with a selective rule in the
  hidden layer (``hebblab.selective.train_selective_map``, whose readable loop is its twin).

The callers, ``hebblab.engine.train_batch``, ``hebblab.maps.relax_tectum``,
``hebblab.maps.train_maps`` and ``hebblab.selective.train_selective_map``, check and pack every
array these loops see. The training loops of networks take their arrays, the layers' ``sizes``, a
run's ``settings`` (:class:`Settings`, made by ``hebblab.engine.kernel_settings``) and ``out``,
the arrays they write (``hebblab.engine.Outputs``). ``cache=True`` keeps the machine code on disk
(``hebblab.engine.compile_engine`` fills the cache).
"""

from typing import NamedTuple

import numba
import numpy as np

from hebb_core import DALE_FLOOR


class Settings(NamedTuple):
    """A run's settings (all but the layers' sizes) as the compiled loops read them, each of one
    fixed type (so that one compiled version of each loop serves every run), named as the fields
    of :class:`hebblab.variants.VariantParams`, from which ``hebblab.engine.kernel_settings``
    copies them by name, but four made from them: ``strict`` (``readout == "strict"``), ``binary``
    (``activation == "binary"``), ``k`` (-1 without k-WTA) and ``normalise`` (a number)."""

    epsilon: float  # the learning rate ε
    max_epochs: int
    dale: bool  # Dale's clipping
    tol: float  # a weight has settled when it changes by at most tol in an epoch
    strict: bool  # the read-out: strict (exactly one output fires) or argmax
    stop_at_convergence: bool  # stop at the first full recall
    binary: bool  # silent units are 0 (binary) or -1 (sign)
    theta: float  # the units' threshold θ
    k: int  # k-WTA's winners; -1: no lateral inhibition
    homeostasis: float  # the thresholds' rate η_θ; 0: none
    rho: float  # their target rate ρ
    normalise: int  # synaptic normalisation: 0 none, 1 pre, 2 post, 3 both
    norm_total: float  # ... to this total
    growth_power: int  # growth power p; 0: none
    feedback: float  # the clamped output's feedback onto the last hidden layer


#: Networks that the compiled loop trains side by side. Each network has a lane (the last axis) of
#: the loop's work arrays, and the innermost loops run over the lanes, so the compiler turns them
#: into vector instructions.
LANES = 64


# ── Written once for both loops: the rule, the read-out, the epoch report ────────────────────────


@numba.njit(cache=True, inline="always")
def _dale_bounds(kind):
    """Dale's bounds ``(low, high)`` of the weights of a neuron of type ``kind``: E in (0, 1], I in
    [-1, 0)."""
    return (DALE_FLOOR, 1.0) if kind > 0 else (-1.0, -DALE_FLOOR)


@numba.njit(cache=True, inline="always")
def _hebbian(w, decay, eps_pre, post, kind, power, clip, low, high):
    """One weight's Hebbian step (as :func:`hebbian_update`, then :func:`dale_clip` if ``clip``):

        W ← (1 − ε) W + ((ε S_a) S_c) type_a

    computed as ``decay·w + ((eps_pre·post)·kind)`` with ``decay = 1 − ε`` and ``eps_pre = ε·S_a``;
    with growth power ``p > 0`` the Hebbian term is multiplied by ``|w|·|w|···|w|`` (``p`` factors,
    in turn). Clipping keeps the weight in Dale's bounds ``[low, high]`` of its neuron
    (:func:`_dale_bounds`)."""
    change = (eps_pre * post) * kind  # ((ε S_a) S_c) type_a
    if power > 0:
        growth = abs(w)
        for _ in range(1, power):
            growth = growth * abs(w)
        change = change * growth  # ε S_a S_c type_a |w|^p
    v = decay * w + change
    if clip:  # the weight stays on its neuron's side of zero
        v = low if v < low else (high if v > high else v)
    return v


@numba.njit(cache=True, inline="always")
def _read_out(y, c, strict, theta, best, count, answer):
    """Output neuron ``c``, with field ``y``, into the read-out of one recalled input (as
    :func:`read_out`); the output neurons come in the order ``c = 0, 1, …`` from ``(best, count,
    answer) = (-inf, 0, -1)``. Returns the new ``(best, count, answer)``; the input's answer is
    ``answer`` if ``count == 1`` at the end, else none (-1).

    ``strict``: ``count`` output neurons fire (field ``>= theta``), the first of them answers;
    argmax: ``count`` neurons have the largest field so far, ``best``, the first of them
    answers."""
    if strict:
        fires = y >= theta
        return best, count + fires, c if fires and count == 0 else answer
    above = y > best
    return y if above else best, 1 if above else count + (y == best), c if above else answer


@numba.njit(cache=True, inline="always")
def _count_recalled(winners, target, n_recalled):
    """``n_recalled[g]``: how many inputs the network in lane ``g`` recalls, its answer
    ``winners[i, g]`` being its target ``target[i, g]`` (as :func:`check_convergence`'s
    ``recalled``)."""
    for g in range(n_recalled.shape[0]):
        n_recalled[g] = 0
    for i in range(winners.shape[0]):
        for g in range(n_recalled.shape[0]):
            n_recalled[g] += winners[i, g] == target[i, g]


@numba.njit(cache=True, inline="always")
def _epoch_notes(e, n_recalled, N, change, settings, settled, first_success, stable):
    """What a network's epoch ``e`` adds to its report (as :func:`train_epochs`), from the number
    of pairs recalled after it and the largest change of a weight in it: the first epoch whose
    change is ``<= tol`` (``settled``), the first epoch with every pair recalled
    (``first_success``) and whether recall stayed complete since (``stable``); epoch 0, the initial
    weights, adds nothing. Returns them and whether the network is done: after ``max_epochs``, or
    at its first full recall if ``stop_at_convergence``."""
    if e > 0:
        if settled == 0 and change <= settings.tol:  # the first epoch whose change is <= tol
            settled = e
        if n_recalled == N and first_success == 0:  # every pair recalled, for the first time
            first_success, stable = e, True
        elif n_recalled < N:
            stable = False
    done = e == settings.max_epochs or (first_success > 0 and settings.stop_at_convergence)
    return settled, first_success, stable, done


@numba.njit(cache=True)
def _report(out, b, winners, g, e, n_recalled, first_success, settled, stable):
    """Network ``b``'s report after its last epoch ``e``, its answers in ``winners[:, g]``:
    ``out.report[b]`` the first success, settled epoch, stability, and whether the answers are
    one-to-one (:func:`is_one_to_one`); ``out.fraction[b]`` the fraction of pairs recalled (0 if it
    never trained)."""
    N = winners.shape[0]
    unique = True  # every input answered, by different outputs
    for i in range(N):
        unique = unique and winners[i, g] >= 0
        for j in range(i):
            unique = unique and winners[i, g] != winners[j, g]
    out.report[b, 0], out.report[b, 1] = first_success, settled
    out.report[b, 2], out.report[b, 3] = stable, unique
    out.fraction[b] = n_recalled / N if e > 0 else 0.0


# ── The workshop's rules, up to LANES networks side by side ──────────────────────────────────────


@numba.njit(cache=True)
def _aligned_zeros(n):
    """``n`` zeros that start on a 64-byte boundary (a cache line), so that no vector load
    straddles two lines."""
    buffer = np.zeros(n + 8)
    start = (8 - buffer.ctypes.data // 8 % 8) % 8
    return buffer[start:start + n]


@numba.njit(cache=True)
def _load_lane(g, b, W, kinds, mappings, w, kind, low, high, target):
    """Put network ``b`` (its weights ``W[b, 0]``, neuron types, Dale bounds and target) into lane
    ``g``."""
    for layer in range(W.shape[2]):
        for a in range(W.shape[3]):
            kind[layer, a, g] = kinds[b, layer, a]
            low[layer, a, g], high[layer, a, g] = _dale_bounds(kinds[b, layer, a])
            for c in range(W.shape[4]):
                w[layer, a, c, g] = W[b, 0, layer, a, c]
    for i in range(mappings.shape[1]):
        target[i, g] = mappings[b, i]


@numba.njit(cache=True, inline="always")
def _lane_state(S, w, layer, c, n_pre, i, inputs, x):
    """Neuron ``c`` of ``layer`` in every lane ``g`` (as :func:`forward_pass`): its field ``x[g]``
    and its state ``S[layer, c, g]``. In layer 1 the input is one-hot, input ``i`` in every lane
    (or ``inputs[g]`` in lane ``g`` when ``i < 0``), so ``x_c = W_ic`` (the other terms are 0·w =
    ±0, which change neither the value nor the sign test); deeper fields are added in the order ``a
    = 0, 1, …`` (as :func:`synaptic_input`)."""
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


@numba.njit(cache=True, nogil=True)  # nogil: a sweep trains its chunks in threads
def train_lanes(W, kinds, mappings, orders, sizes, settings, out):
    """Train every network ``W[b, 0]`` in place, step by step as :func:`train_network` does, each
    operation in the readable path's order (so the results are the same to the last bit).

    Up to :data:`LANES` networks are trained side by side, network ``b`` in a lane ``g`` of
    ``w[layer, a, c, g]``. Each pass of the outer loop is one epoch of every lane (a network's
    epoch 0 is the recall of its initial weights), and a lane whose network has finished takes the
    next one."""
    epsilon, strict, theta = settings.epsilon, settings.strict, settings.theta
    B, L, N, K = W.shape[0], sizes.shape[0], sizes[0], W.shape[3]
    # lanes: as few waves of networks as LANES allows, split evenly
    G = -(-B // max(-(-B // LANES), 1))
    shuffled, recording = orders.shape[1] > 0, out.weights.shape[0] > 0
    decay = 1 - epsilon
    # the weights, one lane per network
    w = _aligned_zeros((L - 1) * K * K * G).reshape((L - 1, K, K, G))
    # ... at the start of the epoch
    previous = _aligned_zeros((L - 1) * K * K * G).reshape((L - 1, K, K, G))
    kind = _aligned_zeros((L - 1) * K * G).reshape((L - 1, K, G))  # neuron types, +1 E or -1 I
    # Dale's bounds of each neuron's weights
    low = _aligned_zeros((L - 1) * K * G).reshape((L - 1, K, G))
    high = _aligned_zeros((L - 1) * K * G).reshape((L - 1, K, G))
    S = _aligned_zeros(L * K * G).reshape((L, K, G))  # the states
    x = _aligned_zeros(G)  # one neuron's field
    change = _aligned_zeros(G)  # the largest change of any weight over the epoch
    best = _aligned_zeros(G)  # read-out (_read_out): the largest output field so far, ...
    # ... how many outputs have it (argmax) or fire (strict), ...
    count = np.zeros(G, dtype=np.int64)
    answer = np.zeros(G, dtype=np.int64)  # ... and the answering output
    winners = np.zeros((N, G), dtype=np.int64)  # answer to each input (-1: none)
    target = np.zeros((N, G), dtype=np.int64)
    net = np.full(G, -1, dtype=np.int64)  # the network in each lane (-1: none left)
    epoch = np.zeros(G, dtype=np.int64)
    # the clamped pair
    presented, wanted = np.zeros(G, dtype=np.int64), np.zeros(G, dtype=np.int64)
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
        # one epoch: every pair once (a lane at its epoch 0 is put back afterwards)
        for step in range(N):
            for g in range(G):
                i = orders[net[g], epoch[g] - 1, step] if shuffled and epoch[g] > 0 else step
                presented[g], wanted[g] = i, target[i, g]
            for a in range(N):  # clamp_neurons (the hidden states are all overwritten below)
                for g in range(G):
                    S[0, a, g] = 1.0 if a == presented[g] else 0.0
                    S[L - 1, a, g] = 1.0 if a == wanted[g] else 0.0
            for layer in range(1, L - 1):  # forward_pass through the hidden layers
                for c in range(sizes[layer]):
                    _lane_state(S, w, layer, c, sizes[layer - 1], -1 if shuffled else step,
                                presented, x)
            # update_weights_using_hebbian: W ← (1 − ε) W + ((ε S_a) S_c) type_a
            for layer in range(L - 1):
                for a in range(sizes[layer]):
                    for c in range(sizes[layer + 1]):
                        for g in range(G):
                            w[layer, a, c, g] = _hebbian(w[layer, a, c, g], decay,
                                                         epsilon * S[layer, a, g],
                                                         S[layer + 1, c, g], kind[layer, a, g], 0,
                                                         settings.dale,
                                                         low[layer, a, g], high[layer, a, g])
        for g in range(G):
            for layer in range(L - 1 if epoch[g] == 0 else 0):  # epoch 0 trains nothing
                for a in range(K):
                    for c in range(K):
                        w[layer, a, c, g] = previous[layer, a, c, g]
        for i in range(N):  # check_convergence: recall each input alone
            for g in range(G):
                best[g], count[g], answer[g] = -np.inf, 0, -1
            for layer in range(1, L):
                for c in range(sizes[layer]):
                    _lane_state(S, w, layer, c, sizes[layer - 1], i, presented, x)
                    # read_out (θ = 0 under the workshop's rules)
                    for g in range(G if layer == L - 1 else 0):
                        best[g], count[g], answer[g] = _read_out(x[g], c, strict, theta, best[g],
                                                                 count[g], answer[g])
                for g in range(G if recording and layer < L - 1 else 0):
                    for c in range(sizes[layer] if net[g] >= 0 else 0):
                        out.hidden[net[g], epoch[g], layer - 1, i, c] = S[layer, c, g]
            for g in range(G):
                winners[i, g] = answer[g] if count[g] == 1 else -1
        _count_recalled(winners, target, n_recalled)
        for g in range(G):
            change[g] = 0.0
        for layer in range(L - 1):
            for a in range(K):
                for c in range(K):
                    for g in range(G):
                        change[g] = max(change[g],
                                        abs(w[layer, a, c, g] - previous[layer, a, c, g]))
        for g in range(G):
            b, e = net[g], epoch[g]
            if b < 0:
                continue
            if recording:
                for layer in range(L - 1):
                    for a in range(K):
                        for c in range(K):
                            out.weights[b, e, 0, layer, a, c] = w[layer, a, c, g]
                for i in range(N):
                    out.winners[b, e, i] = winners[i, g]
            settled[g], first_success[g], stable[g], done = _epoch_notes(
                e, n_recalled[g], N, change[g], settings, settled[g], first_success[g], stable[g])
            if not done:
                epoch[g] = e + 1
                continue
            _report(out, b, winners, g, e, n_recalled[g], first_success[g], settled[g], stable[g])
            for layer in range(L - 1):
                for a in range(K):
                    for c in range(K):
                        W[b, 0, layer, a, c] = w[layer, a, c, g]
            first_success[g], settled[g], stable[g], epoch[g] = 0, 0, False, 0
            if next_network < B:  # the lane takes the next network
                net[g] = next_network
                _load_lane(g, next_network, W, kinds, mappings, w, kind, low, high, target)
                next_network += 1
            else:
                net[g] = -1
                busy -= 1


# ── The variants, one network after another ──────────────────────────────────────────────────────
# The compiled functions below take whole arrays and indices, never slices: a slice made inside a
# loop costs reference counting at every step.


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
    :func:`forward_pass` with ``params``): fields summed in index order (as
    :func:`synaptic_input`), the clamped output's feedback ``S[row, L-1]`` on the last hidden layer
    when ``feedback > 0`` (training only), minus the homeostatic thresholds, then threshold units
    or the ``k`` winners (``k >= 0``; :func:`hidden_states`). ``W`` are the effective weights;
    ``x`` is scratch space for one layer's fields."""
    L, N = sizes.shape[0], sizes[0]
    silent = 0.0 if binary else -1.0
    for layer in range(1, L - 1):
        n = sizes[layer]
        for c in range(n):
            # the input is one-hot, so x_c = W_ic (the other terms are 0·w = ±0, which change
            if layer == 1:
                y = W[0, i, c]  # neither the value nor any comparison)
            else:
                y = _field(S, row, W, layer, c, sizes[layer - 1])  # x_c = Σ_a S_a W_ac
            # the clamped output, back through W[L-2] transposed
            if feedback > 0 and layer == L - 2:
                back = S[row, L - 1, 0] * W[L - 2, c, 0]
                for o in range(1, N):
                    back = back + S[row, L - 1, o] * W[L - 2, c, o]
                y = y + feedback * back  # x_c + f · Σ_o W_co S_o
            if homeostasis:
                y = y - thresholds[layer - 1, c]  # x − θ_a
            x[c] = y
            if k < 0:
                S[row, layer, c] = 1.0 if y >= theta else silent  # S = 1 if x >= θ else silent
        # k-WTA: a unit's rank counts the larger fields, and the equal ones
        for c in range(n if k >= 0 else 0):
            rank = 0  # at a lower index (the order of a stable sort)
            for d in range(n):
                if x[d] > x[c] or (x[d] == x[c] and d < c):
                    rank += 1
            S[row, layer, c] = 1.0 if rank < k else silent


@numba.njit(cache=True)
def _normalise(W, d, layer, n_pre, n_post, total, incoming):
    """Synaptic normalisation of ``W[d, layer]`` in place, as :func:`normalise_weights`: each
    presynaptic neuron's outgoing |weights| (each postsynaptic neuron's incoming ones if
    ``incoming``) scaled to add up to ``total``."""
    for r in range(n_post if incoming else n_pre):
        s = 0.0
        for q in range(n_pre if incoming else n_post):
            # Σ |w|, in index order
            s = s + abs(W[d, layer, q, r] if incoming else W[d, layer, r, q])
        if s > 0:
            scale = total / s  # w · (total / Σ |w|)
            for q in range(n_pre if incoming else n_post):
                if incoming:
                    W[d, layer, q, r] = W[d, layer, q, r] * scale
                else:
                    W[d, layer, r, q] = W[d, layer, r, q] * scale


@numba.njit(cache=True)
def _update(W, W_eff, S, row, kinds, sizes, epsilon, power, clip, normalise, total):
    """One Hebbian step on every weight matrix ``W[d, layer]`` of one network, in place, from the
    states ``S[row]`` (as :func:`update_weights_using_hebbian`): :func:`_hebbian` on every weight
    (with growth power, and Dale's clipping if ``clip``), then the normalisation (0 none, 1 pre, 2
    post, 3 both). With dual edges (``W.shape[0] == 2``) the E matrices take the types ``kinds``
    (all +1), the I matrices -1, and ``W_eff`` gets their sums."""
    decay = 1 - epsilon
    D = W.shape[0]
    for layer in range(sizes.shape[0] - 1):
        n_pre, n_post = sizes[layer], sizes[layer + 1]
        for d in range(D):
            for a in range(n_pre):
                eps_pre, kind = epsilon * S[row, layer, a], kinds[layer, a] if d == 0 else -1.0
                low, high = _dale_bounds(kind)
                for c in range(n_post):  # W ← (1 − ε) W + ((ε S_a) S_c) type_a
                    W[d, layer, a, c] = _hebbian(W[d, layer, a, c], decay, eps_pre,
                                                 S[row, layer + 1, c], kind,
                                                 power, clip, low, high)
            if normalise == 1 or normalise == 3:
                _normalise(W, d, layer, n_pre, n_post, total, False)
            if normalise >= 2:
                _normalise(W, d, layer, n_pre, n_post, total, True)
        for a in range(n_pre if D == 2 else 0):
            for c in range(n_post):
                W_eff[layer, a, c] = W[0, layer, a, c] + W[1, layer, a, c]  # w = w_E + w_I


@numba.njit(cache=True)
def _recall_variants(W, sizes, strict, states, winners, binary, theta, k, thresholds,
                     homeostasis, x):
    """Recall every input of one network (as :func:`check_convergence`) with effective weights
    ``W``: fills ``states[i, layer, :]`` with the states at recall of input ``i`` (hidden layers)
    and ``winners[i, 0]`` with the answering output neuron (``-1``: none). ``x`` is scratch space
    for one layer's fields."""
    L, N = sizes.shape[0], sizes[0]
    for i in range(N):
        for a in range(N):
            states[i, 0, a] = 1.0 if a == i else 0.0
        _forward(W, states, i, i, sizes, 0.0, thresholds, homeostasis, binary, theta, k, x)
        best, count, answer = -np.inf, 0, -1
        for c in range(N):  # the output layer, read out
            # one-hot input: see _forward
            y = W[0, i, c] if L == 2 else _field(states, i, W, L - 1, c, sizes[L - 2])
            best, count, answer = _read_out(y, c, strict, theta, best, count, answer)
        winners[i, 0] = answer if count == 1 else -1


@numba.njit(cache=True, nogil=True)  # nogil: a call trains its second half in a second thread
def train_variants(W, kinds, mappings, orders, sizes, thresholds, settings, out):
    """Train every network ``W[b]`` in place, one after another, step by step as
    :func:`train_network` does (every operation in the readable path's order). ``W[b, 0]`` holds
    the weights; with dual edges ``W[b, 0]`` the excitatory and ``W[b, 1]`` the inhibitory
    synapses, whose sums carry activity. ``thresholds[b]`` are the network's homeostatic
    thresholds, updated in place."""
    strict, binary, theta = settings.strict, settings.binary, settings.theta
    k, homeostasis = settings.k, settings.homeostasis
    B, D, L, N, K = W.shape[0], W.shape[1], sizes.shape[0], sizes[0], W.shape[3]
    shuffled, recording, dual = orders.shape[1] > 0, out.weights.shape[0] > 0, W.shape[1] == 2
    S = np.zeros((N, L, K))  # S[i]: the states while pair i is clamped
    x = np.zeros(K)
    states = np.zeros((N, L, K))
    winners = np.zeros((N, 1), dtype=np.int64)  # answer to each input (-1: none), and ...
    target = np.zeros((N, 1), dtype=np.int64)  # ... its target, ...
    # ... and how many are recalled: one lane, as in train_lanes
    n_recalled = np.zeros(1, dtype=np.int64)
    W_eff = np.zeros((L - 1, K, K))
    previous = np.zeros((D, L - 1, K, K))
    clip = settings.dale or dual  # dual edges always keep each synapse on its side of zero
    for b in range(B):
        first_success, settled, stable = 0, 0, False
        # this network's weights, types and thresholds
        Wb, kinds_b, theta_b = W[b], kinds[b], thresholds[b]
        # the weights that carry activity (w_E + w_I with dual edges)
        Wf = W_eff if dual else Wb[0]
        for i in range(N):
            target[i, 0] = mappings[b, i]
        for epoch in range(settings.max_epochs + 1):
            for d in range(D):
                for layer in range(L - 1):
                    for a in range(K):
                        for c in range(K):
                            previous[d, layer, a, c] = Wb[d, layer, a, c]
                            if dual and d == 1:
                                # w = w_E + w_I
                                W_eff[layer, a, c] = Wb[0, layer, a, c] + Wb[1, layer, a, c]
            for step in range(N if epoch > 0 else 0):
                i = orders[b, epoch - 1, step] if shuffled else step
                for a in range(N):  # clamp_neurons (the hidden states are all overwritten below)
                    S[i, 0, a] = 1.0 if a == i else 0.0
                    S[i, L - 1, a] = 1.0 if a == target[i, 0] else 0.0
                _forward(Wf, S, i, i, sizes, settings.feedback, theta_b, homeostasis > 0, binary,
                         theta, k, x)
                _update(Wb, W_eff, S, i, kinds_b, sizes, settings.epsilon,
                        settings.growth_power, clip, settings.normalise, settings.norm_total)
                for layer in range(1, L - 1 if homeostasis > 0 else 1):  # θ_a ← θ_a + η (r_a − ρ)
                    for c in range(sizes[layer]):
                        r = 1.0 if S[i, layer, c] > 0 else 0.0
                        theta_b[layer - 1, c] = theta_b[layer - 1,
                                                        c] + homeostasis * (r - settings.rho)
            _recall_variants(Wf, sizes, strict, states, winners, binary, theta, k, theta_b,
                             homeostasis > 0, x)
            if recording:
                for d in range(D):
                    for layer in range(L - 1):
                        for a in range(K):
                            for c in range(K):
                                out.weights[b, epoch, d, layer, a, c] = Wb[d, layer, a, c]
                for layer in range(1, L - 1):
                    for c in range(K):
                        out.thresholds[b, epoch, layer - 1, c] = theta_b[layer - 1, c]
                        for i in range(N):
                            out.hidden[b, epoch, layer - 1, i, c] = states[i, layer, c]
                for i in range(N):
                    out.winners[b, epoch, i] = winners[i, 0]
            change = 0.0  # the largest change of any weight over this epoch
            for d in range(D):
                for layer in range(L - 1):
                    for a in range(K):
                        for c in range(K):
                            change = max(change,
                                         abs(Wb[d, layer, a, c] - previous[d, layer, a, c]))
            _count_recalled(winners, target, n_recalled)
            settled, first_success, stable, done = _epoch_notes(
                epoch, n_recalled[0], N, change, settings, settled, first_success, stable)
            if done:
                _report(out, b, winners, 0, epoch, n_recalled[0], first_success, settled, stable)
                break


# ── The topographic map: the tectum relaxed to stationarity ──────────────────────────────────────


@numba.njit(cache=True)
def _relax_tectum(drive, e_by_k, alpha, theta, max_activity, tol, max_steps, H, H_star, active,
                  lateral):
    """Relax one tectum to stationarity from rest, Euler steps of ``dt = 1`` (scalar loops only;
    the sum over k skips silent cells): ``drive`` (T,), ``e_by_k`` (T, T) the lateral weights
    with ``e_by_k[k, j] = e_jk`` (a row per sending cell, so that the sums for all j run side by
    side, each adding its terms in the order k = 0, 1, … as before). Fills ``H`` (T,) (``H_star``,
    ``active`` and ``lateral`` are scratch space) and returns the steps taken and whether
    ``max_steps`` was reached first."""
    T = drive.shape[0]
    for j in range(T):
        H[j] = 0.0
    for step in range(1, max_steps + 1):
        n_active = 0
        for k in range(T):
            H_star[k] = min(max(H[k] - theta, 0.0), max_activity)  # H* = max(H − θ, 0), capped
            if H_star[k] > 0.0:
                active[n_active] = k
                n_active += 1
        for j in range(T):
            lateral[j] = 0.0
        for a in range(n_active):
            k = active[a]
            for j in range(T):
                lateral[j] += e_by_k[k, j] * H_star[k]  # Σ_k e_jk H*_k
        change = 0.0
        for j in range(T):
            # dH_j/dt = −α H_j + Σ_i s_ij A_i + Σ_k e_jk H*_k
            dH = -alpha * H[j] + drive[j] + lateral[j]
            H[j] += dH  # dt = 1
            change = max(change, abs(dH))
        if change <= tol:
            return step, False
    return max_steps, True


@numba.njit(cache=True)
def _by_sender(e, e_by_k):
    """Fill ``e_by_k`` with ``e`` transposed: ``e_by_k[k, j] = e[j, k]``."""
    T = e.shape[0]
    for j in range(T):
        for k in range(T):
            e_by_k[k, j] = e[j, k]


@numba.njit(cache=True)
def relax_tecta(drive, e, alpha, theta, max_activity, tol, max_steps, H, steps, capped):
    """Relax ``B`` tecta to stationarity from rest (:func:`_relax_tectum` each): ``drive`` (B, T),
    ``e`` (B, T, T). Fills ``H`` (B, T), ``steps`` (B,) and ``capped`` (B,: ``max_steps``
    reached)."""
    B, T = drive.shape
    H_star, lateral = np.zeros(T), np.zeros(T)
    active = np.zeros(T, dtype=np.int64)
    e_by_k = np.zeros((T, T))
    for b in range(B):
        _by_sender(e[b], e_by_k)
        steps[b], capped[b] = _relax_tectum(drive[b], e_by_k, alpha, theta, max_activity, tol,
                                            max_steps, H[b], H_star, active, lateral)


@numba.njit(cache=True, nogil=True)
def train_tecta(s, e, pairs, stimuli, start, stop, h, epsilon_mod, s_mean, alpha, theta,
                max_activity, tol, max_steps, active, steps, capped):
    """Train ``B`` maps in place over presentations ``start … stop − 1``, one map after another, as
    the readable loop of ``hebblab.maps.train_maps`` does for all at once: ``s`` (B, R, T) weights,
    ``e`` (B, T, T) lateral weights, ``pairs`` (P, 2) the retinal pairs, ``stimuli`` (B,
    presentations) the pair of each presentation. Fills ``active[b, t]`` and ``steps[b, t]``; adds
    the relaxations that reached ``max_steps`` to ``capped[b]``."""
    B, R, T = s.shape
    drive, H, H_star, scale = np.zeros(T), np.zeros(T), np.zeros(T), np.zeros(T)
    lateral, e_by_k = np.zeros(T), np.zeros((T, T))
    cells = np.zeros(T, dtype=np.int64)
    for b in range(B):
        _by_sender(e[b], e_by_k)
        for t in range(start, stop):
            # the two active retinal cells, A_i = 1
            p, q = pairs[stimuli[b, t], 0], pairs[stimuli[b, t], 1]
            for j in range(T):
                drive[j] = s[b, p, j] + s[b, q, j]  # Σ_i s_ij A_i
            steps[b, t], stuck = _relax_tectum(drive, e_by_k, alpha, theta, max_activity, tol,
                                               max_steps, H, H_star, cells, lateral)
            capped[b] += stuck
            n_active = 0
            for j in range(T):
                out = min(max(H[j] - theta, 0.0), max_activity)  # H*_j
                n_active += out > 0.0
                # Δs_ij = h A_i H*_j if H*_j > ε_mod
                growth = h * (out if out > epsilon_mod else 0.0)
                s[b, p, j] = s[b, p, j] + growth
                s[b, q, j] = s[b, q, j] + growth
            active[b, t] = n_active
            # mean_i s_ij, added in the order i = 0, 1, … (as numpy adds the rows)
            for j in range(T):
                scale[j] = s[b, 0, j]
            for i in range(1, R):
                for j in range(T):
                    scale[j] = scale[j] + s[b, i, j]
            for j in range(T):
                scale[j] = s_mean / (scale[j] / R)  # s_ij ← s_ij · (s_mean / mean_i s_ij)
            for i in range(R):
                for j in range(T):
                    s[b, i, j] = s[b, i, j] * scale[j]


# ── The one-to-one task of notebook 08: a selective rule in the hidden layer ─────────────────────

#: The rules of :func:`train_selective`, by number (``hebblab.selective.SELECTIVE_RULES``' order).
OJA, BCM, COMPETITIVE = 0, 1, 2


@numba.njit(cache=True)
def train_selective(rule, W0, W1, theta, input_type, hidden_type, mappings, epsilon, theta_rate,
                    epochs):
    """Train ``runs`` networks of notebook 08's task in place, one after another, as the readable
    loop of ``hebblab.selective.train_selective_map`` does for all at once: ``W0`` (runs, N, M)
    and ``W1`` (runs, M, N) the weights, ``theta`` (runs, M) BCM's thresholds, ``input_type``
    (runs, N) and ``hidden_type`` (runs, M) the neurons' types (±1.0), ``mappings`` (runs, N) the
    target of each input. Each product and sum is that of the readable loop, in its order."""
    runs, N, M = W0.shape
    y = np.zeros(M)
    for r in range(runs):
        for _ in range(epochs):
            for i in range(N):  # the workshop's fixed order of the N pairs
                # the hidden rates for input i: one-hot on the winner (the largest field, the
                # lower index on a tie), or rectified (NaN kept, as numpy's maximum)
                if rule == COMPETITIVE:
                    winner = -1
                    for b in range(M):
                        u = W0[r, i, b]
                        if u == u and (winner < 0 or u > W0[r, i, winner]):
                            winner = b
                    for b in range(M):
                        y[b] = 0.0
                    y[max(winner, 0)] = 1.0
                else:
                    for b in range(M):
                        u = W0[r, i, b]
                        y[b] = u if (u >= 0.0 or u != u) else 0.0
                for j in range(N):
                    s = input_type[r, i] if j == i else 0.0  # the signed activity, type(i)·e_i
                    for b in range(M):
                        w = W0[r, j, b]
                        if rule == OJA:
                            W0[r, j, b] = w + epsilon * y[b] * (s - y[b] * w)  # ε y (s − y w)
                        elif rule == BCM:
                            W0[r, j, b] = w + epsilon * s * (y[b] * (y[b] - theta[r, b]))
                        else:
                            W0[r, j, b] = w + epsilon * y[b] * (s - w)  # the winner: ε (s − w)
                if rule == BCM:
                    for b in range(M):  # θ slides towards ⟨y²⟩
                        theta[r, b] = theta[r, b] + theta_rate * (y[b] * y[b] - theta[r, b])
                # the output layer, the workshop's rule: W1 ← (1 − ε) W1 + ε (y·type) t
                for b in range(M):
                    pre = epsilon * (y[b] * hidden_type[r, b])
                    for o in range(N):
                        target = 1.0 if o == mappings[r, i] else 0.0
                        W1[r, b, o] = (1 - epsilon) * W1[r, b, o] + pre * target
