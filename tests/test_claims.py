"""The statements of notebooks 04-07 that rest on a comparison, each recomputed, with fresh random
seeds where a claim must survive them (the notebooks print the numbers of their own seeds)."""

import numpy as np
import pandas as pd
import pytest

import hebb_core as hc


@pytest.fixture(scope="module")
def kept_and_lost():
    """05's sweep (N = 3, every run trained to epoch 2000) with two seeds other than the
    notebook's."""
    params = hc.Params(L=3, N=3, stop_at_convergence=False)
    return {seed: hc.layer_counts(hc.run_experiment(params, repeats=200,
                                                    seed=seed)) for seed in (1, 3)}


def test_every_kept_map_has_no_excitatory_input_neuron_for_fresh_seeds(kept_and_lost):
    for table in kept_and_lost.values():
        kept = table[table.converged & (table.recall_fraction == 1)]
        assert len(kept) > 30 and (kept.excitatory_input == 0).all()
        # odd N: a net-inhibitory hidden layer
        assert (kept.excitatory_hidden < kept.inhibitory_hidden).all()


def test_a_lost_map_is_not_always_an_early_one(kept_and_lost):
    # 05 and the README: in the notebook's draw the lost maps were first recalled at epochs 4-8;
    # not with every seed
    late = [epoch for table in kept_and_lost.values()
            for epoch in table[table.converged & (table.recall_fraction < 1)].epochs_to_convergence
            if epoch > 20]
    assert late


@pytest.mark.parametrize("seeds", [range(5), range(5, 10)])
def test_convergence_is_a_step_at_one_excitatory_neuron_not_a_graded_trend(seeds):
    # 04: N = 3, every allotment; one E neuron against two to five, and two to five among
    # themselves
    runs = pd.concat([hc.run_experiment(hc.Params(L=3, N=3), allotment="all",
                                        seed=seed) for seed in seeds])
    table = hc.summarise_sweep(runs)
    k, n = table.successes.astype(int).tolist(), table.runs.astype(int).tolist()
    assert hc.fisher_exact([k[0], sum(k[1:])], [n[0], sum(n[1:])]) < 1e-6
    assert hc.fisher_exact(k[1:], n[1:]) > 0.2


def test_the_k_wta_formula_is_zero_by_construction_at_four_of_its_fourteen_points():
    # 06: "inside the interval at all 10 informative points (the other 4 are 0 by construction)"
    values = {(M, k): hc.kwta_success_probability(4, M, k) for M in (4, 8) for k in range(M + 1)}
    assert len(values) == 14
    assert sorted(point for point,
                  p in values.items() if p == 0) == [(4, 0), (4, 4), (8, 0), (8, 8)]


def test_proposition_2s_cycle_is_reached_as_a_contraction():
    # 05: once small, |w| - A_I shrinks by the factor (1 - eps)^N every epoch, changing sign
    params = hc.Params(L=3, N=3, stop_at_convergence=False, max_epochs=400)
    types = hc.check_types("IEI|EII", params.P)
    weights = hc.initialize_weights(params, types, np.random.default_rng([0, 0]))
    W0 = hc.train_compiled(params, types, (2, 0, 1), weights, history=True).history["weights"][0]
    A_I, _ = hc.hebb_fixed_points(3, params.epsilon)
    deviation = np.abs(W0[:, 0, 0]) - A_I[0]  # input 0 is inhibitory
    ratio = deviation[301:320] / deviation[300:319]
    assert np.allclose(ratio, -(1 - params.epsilon) ** 3, rtol=1e-6)
