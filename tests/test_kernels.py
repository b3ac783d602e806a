"""The compiled loops of hebblab.kernels, reached through the engine's public ``train_batch`` and
``train_compiled``: bit for bit the arithmetic of the readable path, for the workshop's rules and
for every variant; lanes that take a new network when theirs finishes; both loops compiled ahead of
use.

Random networks of every size and setting are trained both ways and must report the same epochs,
flags, weights, thresholds and history to the last bit (``-0.0 != 0.0``).
"""

import subprocess
import sys
import threading

import numpy as np
import pytest
from random_networks import assert_same_run, bits, draw_networks, readable_runs

import hebb_core as hc

# ── The seed's rules: the lanes and the one-network loop equal the readable path ─────────────────


def _random_configuration(rng):
    L = int(rng.integers(2, 5))
    N = int(rng.integers(1, 6))
    params = hc.Params(
        L=L, N=N, M=int(rng.integers(1, 7)) if rng.random() < 0.3 else None,
        epsilon=float(rng.choice([0.01, 0.05, 0.2, 0.5, 1.0])),
        max_epochs=int(rng.integers(1, 120)),
        w_min=float(rng.choice([0.0, 0.01, 0.3])), w_max=float(rng.choice([0.3, 0.5, 1.0])),
        decimals=rng.choice([None, 2]),
        order=str(rng.choice(hc.ORDERS)), readout=str(rng.choice(hc.READOUTS)),
        dale=bool(rng.random() < 0.5), tol=float(rng.choice([0.0, 1e-6, 1e-2])),
        stop_at_convergence=bool(rng.random() < 0.7))
    return (params, *draw_networks(params, int(rng.integers(1, 5)), rng))


@pytest.mark.parametrize("settings", [
    dict(L=3, N=3, order="shuffled", readout="argmax", epsilon=0.05),
    dict(L=2, N=4, order="shuffled", readout="argmax", dale=True, epsilon=0.02),
    dict(L=4, N=3, order="fixed", readout="argmax", tol=1e-2, epsilon=0.05),
])
def test_more_networks_than_lanes_give_each_network_its_own_result(settings):
    """The engine trains up to ``hc.LANES`` networks side by side, and a lane takes a new network
    when its network finishes: every network's results must be those of training it alone (which
    are the readable path's, above)."""
    rng = np.random.default_rng(11)
    params = hc.VariantParams(max_epochs=60, w_min=0.0, w_max=1.0, **settings)
    B = 2 * hc.LANES + 7
    types, mappings, weights, orders = draw_networks(params, B, rng)
    batch = hc.train_batch(params, types, mappings, weights, orders, history=True)
    assert len(set(batch.epochs_to_convergence)) > 3  # networks finish at different epochs
    assert params.tol < 0.01 or 0 < np.count_nonzero(batch.weights_settled_epoch) < B
    for b in range(B):
        alone = hc.train_batch(params, types[b:b + 1], mappings[b:b + 1],
                               [w[b:b + 1] for w in weights],
                               None if orders is None else orders[b:b + 1], history=True)
        for name in ("epochs_to_convergence", "converged", "recall_fraction", "unique", "stable",
                     "weights_settled_epoch"):
            assert getattr(batch, name)[b] == getattr(alone, name)[0], name
        for fast, slow in zip(batch.weights, alone.weights):
            np.testing.assert_array_equal(bits(fast[b]), bits(slow[0]))
        T = alone.history["winners"].shape[1]
        for fast, slow in zip(batch.history["weights"] + batch.history["hidden"],
                              alone.history["weights"] + alone.history["hidden"]):
            np.testing.assert_array_equal(bits(fast[b, :T]), bits(slow[0]))
        np.testing.assert_array_equal(batch.history["winners"][b, :T], alone.history["winners"][0])


# ── The variants: the one-network loop equals the readable path, variant by variant ──────────────


def _random_variant(rng):
    L, N = int(rng.integers(2, 5)), int(rng.integers(1, 6))
    M = int(rng.integers(1, 8)) if rng.random() < 0.6 else None
    lateral = str(rng.choice(hc.LATERALS))
    params = hc.VariantParams(
        L=L, N=N, M=M, epsilon=float(rng.choice([0.01, 0.05, 0.2, 0.5, 1.0])),
        max_epochs=int(rng.integers(1, 60)),
        w_min=float(rng.choice([0.0, 0.01, 0.3])), w_max=float(rng.choice([0.3, 0.5, 1.0])),
        decimals=rng.choice([None, 2]), order=str(rng.choice(hc.ORDERS)),
        readout=str(rng.choice(hc.READOUTS)),
        dale=bool(rng.random() < 0.4), tol=float(rng.choice([0.0, 1e-6, 1e-2])),
        stop_at_convergence=bool(rng.random() < 0.6), activation=str(rng.choice(hc.ACTIVATIONS)),
        theta=float(rng.choice([0.0, 0.0, 0.02, 0.3])), lateral=lateral,
        k=int(rng.integers(0, (M or N) + 1)) if lateral == "kwta" else None,
        homeostasis=float(rng.choice([0.0, 0.01, 0.1])),
        target_rate=None if rng.random() < 0.7 else float(rng.random()),
        normalise=str(rng.choice(hc.NORMALISATIONS)), norm_total=float(rng.choice([1.0, 0.5])),
        growth_power=int(rng.choice([0, 0, 1, 2, 3])),
        feedback=float(rng.choice([0.0, 0.0, 0.5, 2.0])), edges=str(rng.choice(hc.EDGES)))
    return (params, *draw_networks(params, int(rng.integers(1, 4)), rng))


def test_the_compiled_engine_equals_the_readable_path_bit_for_bit():
    """One seeded random sample of settings, the workshop's and the variants', in turn: the lanes
    (``train_batch``), the one-network loop (``train_compiled``) and the batched recall
    (``recall_batch``) report what the readable path reports, to the last bit, with their
    histories."""
    rng = np.random.default_rng(2025)
    seen = {key: set() for key in ("L", "N", "dale", "readout", "order", "activation", "lateral",
                                   "normalise", "edges", "homeostasis", "feedback", "growth_power",
                                   "M", "decimals", "stop_at_convergence", "converged")}
    # 40 samples reach every value below (they all appear by the 15th); their 80-odd networks
    # take a few seconds on the readable path
    for sample in range(40):
        draw = _random_configuration if sample % 2 else _random_variant
        params, types, mappings, weights, orders = draw(rng)
        batch = hc.train_batch(params, types, mappings, weights, orders, history=True)
        hidden, fields = hc.recall_batch(batch.weights, params, batch.thresholds)
        ones = readable_runs(params, types, mappings, weights, orders)
        for b, one in enumerate(ones):
            assert_same_run(batch, b, one, params)
            # the batched recall sees the same codes and answers as the readable path's last
            # snapshot
            for fast, slow in zip(hidden, one.history["hidden"]):
                np.testing.assert_array_equal(fast[b], slow[-1])
            np.testing.assert_array_equal(hc.read_out(fields[b], params.readout,
                                                      getattr(params, "theta", 0.0)),
                                          one.history["winners"][-1])
            seen["converged"].add(bool(one.converged))
        alone = hc.train_compiled(params, types[0], mappings[0], [w[0] for w in weights],
                                  None if orders is None else orders[0], history=True)
        for name in ("epochs_to_convergence", "converged", "recall_fraction", "unique", "stable",
                     "weights_settled_epoch"):
            assert getattr(alone, name) == getattr(ones[0], name)
            assert type(getattr(alone, name)) is type(getattr(ones[0], name))
        for fast, slow in zip(alone.weights + alone.thresholds,
                              ones[0].weights + ones[0].thresholds, strict=True):
            np.testing.assert_array_equal(bits(fast), bits(slow))
        T = len(ones[0].history["winners"])
        for key in ("weights", "hidden", "thresholds"):
            for fast, slow in zip(alone.history[key], ones[0].history[key], strict=True):
                np.testing.assert_array_equal(bits(fast[:T]), bits(slow))
        np.testing.assert_array_equal(alone.history["winners"][:T], ones[0].history["winners"])
        variant = hc.with_variants(params)
        for key in ("L", "N", "dale", "readout", "order", "activation", "lateral",
                    "normalise", "edges"):
            seen[key].add(getattr(variant, key))
        for key in ("homeostasis", "feedback", "growth_power"):
            seen[key].add(getattr(variant, key) > 0)
        seen["M"].add(params.M is not None)
        seen["decimals"].add(params.decimals)
        seen["stop_at_convergence"].add(params.stop_at_convergence)
    assert seen == {"L": {2, 3, 4}, "N": {1, 2, 3, 4, 5}, "dale": {False, True},
                    "readout": set(hc.READOUTS),
                    "order": set(hc.ORDERS), "activation": set(hc.ACTIVATIONS),
                    "lateral": set(hc.LATERALS),
                    "normalise": set(hc.NORMALISATIONS), "edges": set(hc.EDGES),
                    "homeostasis": {False, True},
                    "feedback": {False, True}, "growth_power": {False, True},
                    "M": {False, True}, "decimals": {None, 2},
                    "stop_at_convergence": {False, True}, "converged": {False, True}}


def test_many_networks_train_the_same_in_two_threads_as_in_one():
    """From ``TWO_THREADS`` networks on, ``train_batch`` called from the main thread trains the
    second half in a second thread (on two cores); called from another thread it trains them all
    there: the same reports, weights, thresholds and history, to the last bit, for an odd number of
    networks of a variant with state of its own."""
    from concurrent.futures import ThreadPoolExecutor

    assert threading.current_thread() is threading.main_thread()
    params = hc.variant_params("k-WTA + homeostasis", N=3, M=5, max_epochs=40, order="shuffled")
    networks = draw_networks(params, hc.TWO_THREADS + 5, np.random.default_rng(11))
    here = hc.train_batch(params, *networks, history=True)
    with ThreadPoolExecutor(1) as elsewhere:
        there = elsewhere.submit(hc.train_batch, params, *networks, history=True).result()
    for field in ("epochs_to_convergence", "converged", "recall_fraction", "unique", "stable",
                  "weights_settled_epoch"):
        np.testing.assert_array_equal(getattr(here, field), getattr(there, field))
    for a, b in zip(here.weights + here.thresholds, there.weights + there.thresholds, strict=True):
        np.testing.assert_array_equal(bits(a), bits(b))
    for name, value in here.history.items():
        for a, b in zip(*(v if isinstance(v, list) else [v] for v in (value, there.history[name])),
                        strict=True):
            assert a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    # some learn, some do not: the halves differ
    assert 0 < here.converged.sum() < len(here.converged)


def train_in_a_forked_process(params, networks, expected):
    """Run in a forked process: its ``train_batch`` uses a second thread of its own (exit status 0
    if the same)."""
    import os

    os._exit(0 if np.array_equal(hc.train_batch(params, *networks).recall_fraction,
                                 expected) else 1)


def test_a_forked_process_trains_many_networks_with_a_second_thread_of_its_own():
    """The second thread's executor made in this process is not the forked process's (which has no
    such thread): there it is made anew, and the training does not wait for a thread that is not
    there."""
    import multiprocessing

    params = hc.variant_params("k-WTA", N=3, M=4, max_epochs=20)
    networks = draw_networks(params, hc.TWO_THREADS, np.random.default_rng(5))
    # this process's executor now exists
    expected = hc.train_batch(params, *networks).recall_fraction
    child = multiprocessing.get_context("fork").Process(target=train_in_a_forked_process,
                                                        args=(params, networks, expected))
    child.start()
    child.join(60)
    child.kill()  # one that waits for a thread it lacks would wait for ever
    assert child.exitcode == 0


# ── Compiled ahead of use ────────────────────────────────────────────────────────────────────────


def test_compile_engine_readies_every_compiled_loop():
    """One or two networks train one at a time, more in lanes, maps and notebook 08's task in loops
    of their own: ``make`` compiles all of them ahead of use (checked in a fresh process, where
    nothing else has called them)."""
    loops = ("train_lanes", "train_variants", "relax_tecta", "train_tecta", "train_selective")
    code = ("import hebb_core as hc; from hebblab import kernels; hc.compile_engine(); "
            f"print(*(len(getattr(kernels, name).signatures) for name in {loops}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["1"] * len(loops)
