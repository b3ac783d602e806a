"""Networks drawn at random, for the tests that compare the batched engine with the readable
path."""

import numpy as np

import hebb_core as hc


def draw_networks(params, B, rng):
    """``B`` networks for ``params``: random allotments (any E count), targets, initial weights
    and, for the shuffled order, presentation orders; returns ``(types, mappings, weights,
    orders)`` as ``train_batch`` takes them."""
    types = np.array([hc.allot_types(params.P, int(rng.integers(0, params.P + 1)), "random",
                                     rng) for _ in range(B)])
    mappings = np.array([rng.permutation(params.N) for _ in range(B)])
    drawn = [hc.initialize_weights(params, t, rng) for t in types]
    weights = [np.array([d[m] for d in drawn]) for m in range(len(drawn[0]))]
    orders = (np.array([hc.presentation_orders(params, rng) for _ in range(B)])
              if params.order == "shuffled" else None)
    return types, mappings, weights, orders


def bits(array):
    """The float64 values' bit patterns, to compare results to the last bit (``-0.0 != 0.0``, NaN
    == NaN)."""
    return np.ascontiguousarray(array, dtype=np.float64).view(np.uint64)


def readable_runs(params, types, mappings, weights, orders):
    """Each of the networks (as :func:`draw_networks` returns them) trained alone by the readable
    path, with its history: a list of ``RunResult``."""
    train = hc.train_variant_network if params.variants else hc.train_network
    return [train(params, types[b], mappings[b], [w[b] for w in weights],
                             None if orders is None else orders[b],
                  history=True) for b in range(len(mappings))]


def assert_same_run(batch, b, one, params):
    """Network ``b`` of a ``BatchResult`` reports, to the last bit, what the ``RunResult`` ``one``
    reports (both with their history; the batch's history may run on past the network's last
    epoch)."""
    assert batch.epochs_to_convergence[b] == one.epochs_to_convergence
    assert batch.converged[b] == one.converged and batch.recall_fraction[b] == one.recall_fraction
    assert batch.unique[b] == one.unique and batch.stable[b] == one.stable
    assert batch.weights_settled_epoch[b] == (one.weights_settled_epoch or 0)
    assert len(batch.weights) == len(one.weights) == len(params.weight_keys)
    for fast, slow in zip(batch.weights + batch.thresholds, one.weights + one.thresholds):
        np.testing.assert_array_equal(bits(fast[b]), bits(slow))
    T = len(one.history["winners"])
    for key in ("weights", "thresholds"):
        assert len(batch.history[key]) == len(one.history[key])
        for fast, slow in zip(batch.history[key], one.history[key]):
            np.testing.assert_array_equal(bits(fast[b, :T]), bits(slow))
    for fast, slow in zip(batch.history["hidden"], one.history["hidden"]):
        np.testing.assert_array_equal(fast[b, :T], slow)
    np.testing.assert_array_equal(batch.history["winners"][b, :T], one.history["winners"])
