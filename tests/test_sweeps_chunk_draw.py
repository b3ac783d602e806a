"""A chunk of runs drawn at once (``hebblab.sweeps.draw_runs``) holds, bit for bit, what ``draw_run`` draws for
each run alone; the command line's CSV text is what pandas writes for the same rows."""

import numpy as np
import pytest

import hebb_core as hc
from hebblab.sweeps import csv_chunk, draw_runs, run_chunk

CHUNKS = {  # parameters and the plan's arguments: every branch of the draw
    "random allotments": (hc.Params(L=3, N=4), {"repeats": 3}),
    "every allotment, shuffled": (hc.Params(L=3, N=3, order="shuffled", dale=True), {"allotment": "all"}),
    "hidden width, first allotment": (hc.Params(L=4, N=3, M=5, max_epochs=40), {"allotment": "first", "repeats": 2}),
    "no rounding": (hc.Params(L=2, N=3, w_min=0.013, w_max=0.37, decimals=None), {"repeats": 2}),
    "from 0, rounded to 0 or 1": (hc.Params(L=2, N=3, w_min=0, w_max=1, decimals=0), {"repeats": 2}),
    "one magnitude, rounded to 0": (hc.Params(L=3, N=2, w_min=0.05, w_max=0.05, decimals=0), {"repeats": 2}),
    "dual edges": (hc.variant_params("dual edges", N=3, M=4, max_epochs=30), {"repeats": 2}),
    "argmax, converging": (hc.Params(L=4, N=3, M=4, readout="argmax"), {"repeats": 2}),
}


def planned_runs(name):
    params, plan_args = CHUNKS[name]
    return params, [r for _, group in hc.plan_experiment(params, **plan_args) for r in group]


@pytest.mark.parametrize("name", CHUNKS)
@pytest.mark.parametrize("seed", [0, 11])
def test_chunk_draw_is_every_run_drawn_alone(name, seed):
    params, runs = planned_runs(name)
    types, weights, orders = draw_runs(params, runs, seed)
    assert types.shape == (len(runs), params.P) and len(weights) == len(params.weight_keys)
    assert (orders is None) == (params.order == "fixed")
    for b, planned in enumerate(runs):
        alone_types, alone_weights, alone_orders = hc.draw_run(params, planned, seed)
        assert types[b].tobytes() == alone_types.tobytes()
        for W, alone in zip(weights, alone_weights, strict=True):
            assert W[b].dtype == alone.dtype and W[b].tobytes() == alone.tobytes()  # the same bits, -0.0 included
        if orders is not None:
            assert orders[b].dtype == alone_orders.dtype and np.array_equal(orders[b], alone_orders)


def test_chunk_draw_does_not_depend_on_the_chunk():
    params, runs = planned_runs("random allotments")
    whole = draw_runs(params, runs, 3)
    parts = [draw_runs(params, runs[start:start + 7], 3) for start in range(0, len(runs), 7)]
    assert np.array_equal(whole[0], np.concatenate([part[0] for part in parts]))
    for layer, W in enumerate(whole[1]):
        assert np.array_equal(W, np.concatenate([part[1][layer] for part in parts]))


@pytest.mark.parametrize("name", ["random allotments", "every allotment, shuffled", "argmax, converging"])
def test_csv_chunk_writes_the_rows_as_pandas_does(name):
    params, runs = planned_runs(name)
    table = run_chunk(params, runs, 5)
    count, converged, text = csv_chunk(params, runs, 5)
    assert (count, converged) == (len(runs), int(table["converged"].sum()))
    assert 0 < table["weights_settled_epoch"].isna().sum() < count  # empty fields and numbers
    assert text == table.to_csv(index=False, header=False, lineterminator="\n")
    if name == "argmax, converging":  # converged weights: JSON text in quotes
        assert converged == 7 and text.count('"{""0-1"": [[') == converged
