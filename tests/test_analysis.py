"""hebblab.analysis, the analysis of the answer (notebook 05): hidden codes counted, the recall
table, the ±A(i) cycle of Proposition 2 at every position of an epoch, and the target field at
recall.

Expected numbers are computed by hand or from a closed form, never read back from the code.
"""

import itertools
import math

import numpy as np
import pytest

import hebb_core as hc

EPS = 0.01


# ── Chance levels of the two read-outs ───────────────────────────────────────────────────────────


@pytest.mark.parametrize("N", [1, 2, 3, 4, 5, 6])
def test_chance_recall_is_the_share_of_random_outputs_that_the_read_out_accepts(N):
    """Every output layer a random network could show, read out by the model's own read_out: under
    strict recall one pattern of the 2^N (exactly the target firing) counts, under argmax the
    (N-1)! orders of N distinct fields in which the target is largest, 1/N of the N! orders."""
    target = N - 1
    # every output layer of ±1 fields
    patterns = np.array(list(itertools.product([-1.0, 1.0], repeat=N)))
    accepted = (hc.read_out(patterns, "strict") == target).sum()
    assert accepted == 1 and hc.chance_recall(N, "strict") == accepted / 2**N == 2.0**-N
    # distinct fields, every order
    orders = np.array(list(itertools.permutations(range(N))), dtype=np.float64)
    accepted = (hc.read_out(orders, "argmax") == target).sum()
    assert accepted == math.factorial(N - 1)
    assert hc.chance_recall(N, "argmax") == pytest.approx(accepted / math.factorial(N))
    # 2^-N < 1/N: the strict read-out is harder to pass
    assert hc.chance_recall(N) < hc.chance_recall(N, "argmax")


def test_chance_recall_of_random_networks_by_sampling():
    """A random answer drawn many times: the strict chance 2^-N is far below the argmax chance
    1/N."""
    rng = np.random.default_rng(0)
    fields = rng.standard_normal((200_000, 4))
    assert (hc.read_out(fields, "argmax") == 0).mean() == pytest.approx(1 / 4, abs=0.005)
    assert (hc.read_out(fields, "strict") == 0).mean() == pytest.approx(1 / 16, abs=0.003)
    assert hc.chance_recall(4) == 1 / 16 and hc.chance_recall(4, "argmax") == 1 / 4
    with pytest.raises(ValueError, match="^readout='first'"):
        hc.chance_recall(4, "first")


# ── Hidden codes ─────────────────────────────────────────────────────────────────────────────────


def test_distinct_codes_by_hand():
    states = np.array([[[1, 1, 1], [1, 1, 1], [-1, -1, -1]],  # 2 codes
                       [[1, -1, 1], [-1, 1, 1], [1, 1, -1]],  # 3 codes
                       [[-1, -1, -1], [-1, -1, -1], [-1, -1, -1]]])  # 1 code
    assert hc.distinct_codes(states).tolist() == [2, 3, 1]
    with pytest.raises(ValueError, match=r"^states=\[\[0.5, 1.0\]\] .*states -1, 0 or 1"):
        hc.distinct_codes([[0.5, 1]])
    with pytest.raises(ValueError,
                       match=r"^states='an array of shape \(3, 300\)' .*1 <= n <= 256"):
        hc.distinct_codes(np.ones((3, 300)))


def test_without_dale_a_hidden_layer_shows_three_states_and_with_dale_at_most_two():
    counts = {}
    for dale in (False, True):
        params = hc.Params(L=3, N=3, dale=dale, stop_at_convergence=False, max_epochs=300)
        runs = [r for _, group in hc.plan_experiment(params, e_counts=range(7), allotment="all",
                                                     mappings=[(2, 0, 1)]) for r in group]
        _, result = hc.train_planned(params, runs, seed=0, history=True)
        counts[dale] = hc.distinct_codes(result.history["hidden"][0]).max(axis=1)
    assert counts[True].max() == 2 and (counts[False] == 3).mean() > 0.25


# ── The recall table ─────────────────────────────────────────────────────────────────────────────


def test_recall_table_of_a_hand_made_network():
    params = hc.Params(L=2, N=2)
    weights = [np.array([[-0.1, 0.1], [0.1, -0.1]])]  # input 0 → output 1, input 1 → output 0
    table = hc.recall_table(weights, (1, 0), params)
    assert table["output states"].tolist() == ["-1 +1", "+1 -1"]
    assert table["answer"].tolist() == [1, 0] and table["recalled"].all()
    assert not hc.recall_table(weights, (0, 1), params)["recalled"].any()


# ── Proposition 2 at every position of an epoch, and the target field ────────────────────────────


def test_the_closed_forms_refuse_a_size_beyond_the_bound_and_a_rate_outside_0_1():
    with pytest.raises(ValueError, match=r"^N=1000 is not allowed: an integer in \[1, 256\]"):
        hc.hebb_fixed_points(1000, EPS)
    with pytest.raises(ValueError, match=r"^epsilon=0 is not allowed: a number in \(0, 1\]"):
        hc.hebb_fixed_points(3, 0)
    params = hc.Params()
    types, weights = np.ones((2, 6)), [np.full((2, 3, 3), 0.05)] * 2
    with pytest.raises(ValueError, match=r"^mappings\[1\]=\[0, 0, 1\] "):
        hc.target_fields(params, types, [[0, 1, 2], [0, 0, 1]], weights)


@pytest.mark.parametrize("N", [3, 4, 5])
def test_cycle_amplitude_depends_on_the_position_in_the_epoch(N):
    """|W0[i, k]| ends at eps (1-eps)^(N-1-i) / (1 + (1-eps)^N) for an I input presented at step i,
    at eps (1-eps)^(N-1-i) / (1 - (1-eps)^N) for an E input; W1[k, pi(i)] at the same size."""
    params = hc.Params(L=3, N=N, stop_at_convergence=False)
    d = (1 - EPS) ** (N - 1 - np.arange(N))
    by_hand = {-1: EPS * d / (1 + (1 - EPS) ** N), 1: EPS * d / (1 - (1 - EPS) ** N)}
    A_I, A_E = hc.hebb_fixed_points(N, EPS)
    np.testing.assert_allclose(A_I, by_hand[-1], rtol=1e-14)
    np.testing.assert_allclose(A_E, by_hand[1], rtol=1e-14)
    d0 = (1 - EPS) ** (N - 1)  # SCIENCE.md's closed forms are position 0
    assert A_I[0] == pytest.approx(EPS * d0 / (1 + d0 * (1 - EPS)), rel=1e-14)
    assert A_E[0] == pytest.approx(EPS * d0 / (1 - d0 * (1 - EPS)), rel=1e-14)
    runs = [r for _,
            group in hc.plan_experiment(params, e_counts=[1, 2], repeats=2) for r in group]
    types, result = hc.train_planned(params, runs, seed=N)
    W0, W1 = result.weights
    mappings = np.array([r.mapping for r in runs])
    for b in range(len(runs)):
        for i in range(N):
            kind = types[b, i]
            if kind > 0 and (types[b, :N] > 0).sum() > 1:
                continue  # the output weights of inputs sharing a code are not this cycle
            np.testing.assert_allclose(np.abs(W0[b, i]), by_hand[kind][i], rtol=0, atol=1e-12)
            np.testing.assert_allclose(np.abs(W1[b, :, mappings[b, i]]), by_hand[kind][i],
                                       rtol=0, atol=1e-12)


def test_the_workshops_converged_weights_are_the_cycle():
    """N = 4, eps = 0.01: the cycle amplitude is about 0.005 at every position (the workshop's
    ±0.005)."""
    A_I, _ = hc.hebb_fixed_points(4, EPS)
    assert (A_I > 0.0049).all() and (A_I < 0.0052).all()


@pytest.mark.parametrize("N, e_counts, allotment", [(3, range(7), "all"), (4, range(9), "random")])
def test_target_field_is_type_times_amplitude_times_hidden_balance(N, e_counts, allotment):
    """After 2000 epochs: x_pi(i) = type(i) · A(i) · (E_hidden - I_hidden), for every input of
    every network."""
    params = hc.Params(L=3, N=N, stop_at_convergence=False)
    runs = [r for _, group in hc.plan_experiment(params, e_counts=e_counts, allotment=allotment,
                                                 mappings=hc.all_mappings(N)[:6]) for r in group]
    types, result = hc.train_planned(params, runs, seed=1)
    fields = hc.target_fields(params, types, np.array([r.mapping for r in runs]), result.weights)
    assert len(fields) == N * len(runs)
    np.testing.assert_allclose(fields["target_field"], fields["predicted"], rtol=0, atol=1e-12)
    by_hand = np.where(types[:, :N] > 0, 1, -1) * np.where(types[:, N:] > 0, 1,
                                                           -1).sum(axis=1)[:, None]
    np.testing.assert_array_equal(fields["input_type"] * fields["hidden_balance"], by_hand.ravel())
    # the target of an I input cannot fire unless the hidden layer has more I than E neurons, and
    # vice versa
    wrong_side = fields["input_type"] * fields["hidden_balance"] < 0
    assert not fields.loc[wrong_side, "recalled"].any()
    np.testing.assert_array_equal(fields.groupby("run")["recalled"].mean(), result.recall_fraction)
