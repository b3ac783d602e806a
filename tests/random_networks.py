"""Networks drawn at random, for the tests that compare the batched engine with the readable path."""

import numpy as np

import hebb_core as hc


def draw_networks(params, B, rng):
    """``B`` networks for ``params``: random allotments (any E count), targets, initial weights and, for the
    shuffled order, presentation orders; returns ``(types, mappings, weights, orders)`` as ``train_batch`` takes
    them."""
    types = np.array([hc.allot_types(params.P, int(rng.integers(0, params.P + 1)), "random", rng) for _ in range(B)])
    mappings = np.array([rng.permutation(params.N) for _ in range(B)])
    drawn = [hc.initialize_weights(params, t, rng) for t in types]
    weights = [np.array([d[m] for d in drawn]) for m in range(len(drawn[0]))]
    orders = np.array([hc.presentation_orders(params, rng) for _ in range(B)]) if params.order == "shuffled" else None
    return types, mappings, weights, orders


def bits(array):
    """The float64 values' bit patterns, to compare results to the last bit (``-0.0 != 0.0``, NaN == NaN)."""
    return np.ascontiguousarray(array, dtype=np.float64).view(np.uint64)
