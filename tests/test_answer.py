"""The claims of notebooks 04 (the E/I-ratio sweep) and 05 (what's the answer), each checked on the core module.

Propositions 1 and 2 themselves (Dale: at most 2 hidden states; the ±w* cycle; two E inputs never converge) are in
test_core.py. Here: the statistics by hand, what the proper sweeps show, strict against argmax, partial convergence,
the cycle amplitude at every position of an epoch, the target field at recall, and why the lasting successes need
a net-inhibitory hidden layer. Expected numbers are computed by hand or by counting, never read back from the code.
"""

import itertools
import math

import numpy as np
import pandas as pd
import pytest

import hebb_core as hc

EPS = 0.01


# ── The sweeps the claims are about (smaller than the notebooks', same design) ──────────────────────────


@pytest.fixture(scope="module")
def sweep3():
    """L = 3, N = 3, random allotments, 50 per mapping and ratio, trained to the end (strict read-out)."""
    table = hc.run_experiment(hc.Params(L=3, N=3, stop_at_convergence=False), repeats=50, seed=0)
    return hc.layer_counts(table).assign(lasting=lambda t: t.recall_fraction == 1)


@pytest.fixture(scope="module")
def every3():
    """L = 3, N = 3, every allotment, seeds 0 and 1, trained to the end, under both read-outs (same draws)."""
    tables = {readout: pd.concat([hc.run_experiment(hc.Params(L=3, N=3, readout=readout, stop_at_convergence=False),
                                                    allotment="all", seed=seed) for seed in (0, 1)],
                                 ignore_index=True) for readout in hc.READOUTS}
    return tables


@pytest.fixture(scope="module")
def sweep4():
    """L = 3, N = 4, random allotments, 15 per mapping and ratio (notebook 05's design)."""
    return hc.layer_counts(hc.run_experiment(hc.Params(L=3, N=4), repeats=15, seed=0))


# ── Statistics helpers ───────────────────────────────────────────────────────────────────────────────────


def test_wilson_interval_by_hand():
    # textbook values (e.g. Brown, Cai & DasGupta 2001): 0 of 10 → [0, 0.2775], 1 of 10 → [0.0179, 0.4042],
    # 5 of 10 → [0.2366, 0.7634]
    for (k, n), (low, high) in {(0, 10): (0.0, 0.2775), (1, 10): (0.0179, 0.4042), (5, 10): (0.2366, 0.7634),
                                (10, 10): (0.7225, 1.0)}.items():
        assert hc.wilson_interval(k, n) == pytest.approx((low, high), abs=5e-5)
    # 0 of 6 (the workshop's count): z² = 3.8415, centre = (z²/12)/(1 + z²/6) = 0.19517 = half-width → [0, 0.3903]
    assert hc.wilson_interval(0, 6) == pytest.approx((0.0, 0.3903), abs=5e-5)
    assert hc.wilson_interval(0, 6)[0] == 0.0 and hc.wilson_interval(6, 6)[1] == 1.0  # exact ends, no rounding
    low, high = hc.wilson_interval(np.array([0, 5, 3]), np.array([0, 10, 6]))
    np.testing.assert_allclose(low, [0.0, 0.2366, 0.1876], atol=5e-5)  # 0 runs: the whole of [0, 1]
    np.testing.assert_allclose(high, [1.0, 0.7634, 0.8124], atol=5e-5)
    assert hc.wilson_interval(5, 10, confidence=0.99)[0] < 0.2366  # wider at 99%


def test_excitatory_neurons_by_layer():
    assert hc.excitatory_by_layer("EII|IEI") == (1, 1)
    assert hc.excitatory_by_layer("IIII|EEIE|IEII") == (0, 4)
    assert hc.excitatory_by_layer("EIE") == (2, 0)  # L = 2: no hidden layer
    table = pd.DataFrame({"allotment": ["EII|IEI", "III|EEE", "EEE|III"]})
    counts = hc.layer_counts(table)
    assert counts[["excitatory_input", "excitatory_hidden", "inhibitory_hidden"]].values.tolist() == \
        [[1, 1, 2], [0, 3, 0], [3, 0, 3]]
    assert "excitatory_input" not in table  # a copy


def test_summary_of_a_sweep_by_hand():
    table = pd.DataFrame({"excitatory_value": [0.25, 0.25, 0.25, 0.5, 0.5],
                          "converged": [True, False, False, False, False],
                          "epochs_to_convergence": [40, 100, 100, 100, 100],
                          "recall_fraction": [1.0, 0.5, 0.0, 0.5, 0.25]})
    summary = hc.summarise_sweep(table)
    assert summary["runs"].tolist() == [3, 2] and summary["successes"].tolist() == [1, 0]
    np.testing.assert_allclose(summary["rate"], [1 / 3, 0])
    np.testing.assert_allclose(summary["recall_fraction"], [0.5, 0.375])
    assert summary["median_epochs"].iloc[0] == 40 and np.isnan(summary["median_epochs"].iloc[1])
    assert (summary["low"].iloc[0], summary["high"].iloc[0]) == hc.wilson_interval(1, 3)
    assert (summary["recall_low"].iloc[1], summary["recall_high"].iloc[1]) == hc.wilson_interval(0.75, 2)
    shown = hc.format_summary(summary)
    assert shown["converged"].tolist() == ["1 of 3", "0 of 2"]
    assert shown["excitatory_value"].tolist() == ["0.250", "0.500"]
    assert shown["rate [95% interval]"].iloc[1] == "0.0% [0.0%, 65.8%]"  # 0 of 2: Wilson's upper end 0.658


def test_distinct_codes_by_hand():
    states = np.array([[[1, 1, 1], [1, 1, 1], [-1, -1, -1]],  # 2 codes
                       [[1, -1, 1], [-1, 1, 1], [1, 1, -1]],  # 3 codes
                       [[-1, -1, -1], [-1, -1, -1], [-1, -1, -1]]])  # 1 code
    assert hc.distinct_codes(states).tolist() == [2, 3, 1]


def test_batched_recall_agrees_with_the_engine():
    params = hc.Params(L=4, N=3, M=4, max_epochs=30)
    runs = [r for _, group in hc.plan_experiment(params, e_counts=[2, 5, 9]) for r in group]
    types, result = hc.train_planned(params, runs, seed=3, history=True)
    hidden, fields = hc.recall_batch(result.weights, params)
    last = result.epochs_to_convergence  # each run's last epoch (it stops at its first full recall)
    winners = result.history["winners"][np.arange(len(runs)), last]
    np.testing.assert_array_equal(hc.read_out(fields, params.readout), winners)
    for layer, states in enumerate(hidden):
        np.testing.assert_array_equal(states, result.history["hidden"][layer][np.arange(len(runs)), last])


# ── Notebook 04: the workshop's counts and the proper sweeps ─────────────────────────────────────────────


def test_a_random_allotment_leaves_the_input_layer_without_e_neurons_this_often():
    """N = 3: one E neuron of six sits in the hidden layer with probability 1/2; two, 3/15; three, 1/20."""
    params = hc.Params(L=3, N=3)
    plan = hc.plan_experiment(params, e_counts=[1, 2, 3], allotment="all", mappings=[(0, 1, 2)])
    for (_, _, e, _), runs in plan:
        no_e_input = [all(t < 0 for t in r.types[:3]) for r in runs]
        assert sum(no_e_input) / len(runs) == {1: 1 / 2, 2: 1 / 5, 3: 1 / 20}[e]
        assert len(runs) == math.comb(6, e)


def test_the_lowest_ratio_converges_most_and_the_highest_never(sweep3):
    summary = hc.summarise_sweep(sweep3, by="excitatory_count").set_index("excitatory_count")
    assert summary.loc[1, "low"] > 0.02  # clearly above zero at 1E/5I
    assert (summary.loc[2:4, "rate"] < 0.01).all()  # a fraction of a percent at the others
    assert summary.loc[5, "successes"] == 0
    assert summary.loc[1, "low"] > summary.loc[2:5, "high"].min()


@pytest.fixture(scope="module")
def sweep5():
    """L = 3, N = 5, random allotments, one per mapping and ratio."""
    return hc.run_experiment(hc.Params(L=3, N=5), repeats=1, seed=0)


def test_larger_networks_hardly_ever_converge(sweep4, sweep5):
    assert sweep4["converged"].mean() < 0.005
    assert sweep5["converged"].mean() < 0.005


def test_successes_come_in_the_first_ten_epochs_or_after_the_transient(sweep3, every3):
    epochs = np.concatenate([table.loc[table.converged, "epochs_to_convergence"].to_numpy()
                             for table in (sweep3, every3["strict"])])
    assert len(epochs) > 20
    early, late = epochs[epochs <= 10], epochs[epochs > 10]
    assert late.min() >= 30 and late.max() <= 120  # "the rest between about 30 and 110"
    assert (late >= 60).mean() > 0.75 and len(late) > 3 * len(early)  # "most of them after epoch 60"


def test_every_success_comes_before_epoch_200():
    """Exercise 3 of notebook 04: the same runs with 200 epochs give the same convergence."""
    runs = {T: hc.run_experiment(hc.Params(L=3, N=3, max_epochs=T), allotment="all", seed=0) for T in (200, 2000)}
    assert runs[2000]["converged"].sum() > 0
    pd.testing.assert_series_equal(runs[200]["converged"], runs[2000]["converged"])


def test_partial_convergence_is_below_chance_and_nothing_at_the_highest_ratio(sweep3, sweep4, sweep5, every3):
    for table, N in [(sweep3, 3), (every3["strict"], 3), (sweep4, 4), (sweep5, 5)]:
        summary = hc.summarise_sweep(table)
        assert (summary["recall_high"] < 1 / N).all(), summary
        highest = table["excitatory_count"] == table["excitatory_count"].max()  # P - 1 excitatory neurons
        assert (table.loc[highest, "recall_fraction"] == 0).all()


def test_only_networks_without_an_excitatory_input_neuron_converge_at_four_neurons(sweep4):
    assert sweep4["converged"].sum() > 0
    assert (sweep4.loc[sweep4.converged, "excitatory_input"] == 0).all()


def test_an_excitatory_input_neuron_always_has_the_code_all_plus_one(every3):
    params = hc.Params(L=3, N=3, stop_at_convergence=False)
    runs = [r for _, group in hc.plan_experiment(params, e_counts=range(1, 6), allotment="all",
                                                 mappings=[(2, 0, 1)]) for r in group]
    types, result = hc.train_planned(params, runs, seed=0, history=True)
    hidden = result.history["hidden"][0]  # (runs, epochs, inputs, hidden neurons)
    excitatory = types[:, :3] > 0
    assert excitatory.any()
    assert (hidden.transpose(0, 2, 1, 3)[excitatory] == 1).all()  # every epoch, every hidden neuron


def test_strict_recall_implies_argmax_recall(every3):
    strict, argmax = every3["strict"], every3["argmax"]
    assert (strict["allotment"] == argmax["allotment"]).all()  # the same networks
    assert (argmax["epochs_to_convergence"] <= strict["epochs_to_convergence"]).all()
    assert (argmax["recall_fraction"] >= strict["recall_fraction"]).all()
    assert argmax["converged"].sum() > strict["converged"].sum()
    # by hand: exactly the target fires (field >= 0, all others < 0), so it is also the unique largest field
    fields = np.random.default_rng(0).normal(size=(5000, 4))
    winners = hc.read_out(fields, "strict")
    answered = winners >= 0
    np.testing.assert_array_equal(hc.read_out(fields[answered], "argmax"), winners[answered])


def test_argmax_changes_the_shape_across_ratios(every3):
    by = {readout: hc.summarise_sweep(table).set_index("excitatory_value") for readout, table in every3.items()}
    middle = 0.5
    assert by["argmax"].loc[middle, "low"] > by["strict"].loc[middle, "high"]  # no longer near zero


# ── Notebook 05: Proposition 2 at every position, the target field, the lasting successes ──────────────


@pytest.mark.parametrize("N", [3, 4, 5])
def test_cycle_amplitude_depends_on_the_position_in_the_epoch(N):
    """|W0[i, k]| ends at eps (1-eps)^(N-1-i) / (1 + (1-eps)^N) for an I input presented at step i, at
    eps (1-eps)^(N-1-i) / (1 - (1-eps)^N) for an E input; W1[k, pi(i)] at the same size."""
    params = hc.Params(L=3, N=N, stop_at_convergence=False)
    d = (1 - EPS) ** (N - 1 - np.arange(N))
    by_hand = {-1: EPS * d / (1 + (1 - EPS) ** N), 1: EPS * d / (1 - (1 - EPS) ** N)}
    A_I, A_E = hc.hebb_fixed_points(N, EPS)
    np.testing.assert_allclose(A_I, by_hand[-1], rtol=1e-14)
    np.testing.assert_allclose(A_E, by_hand[1], rtol=1e-14)
    d0 = (1 - EPS) ** (N - 1)  # SCIENCE.md's closed forms are position 0
    assert A_I[0] == pytest.approx(EPS * d0 / (1 + d0 * (1 - EPS)), rel=1e-14)
    assert A_E[0] == pytest.approx(EPS * d0 / (1 - d0 * (1 - EPS)), rel=1e-14)
    runs = [r for _, group in hc.plan_experiment(params, e_counts=[1, 2], repeats=2) for r in group]
    types, result = hc.train_planned(params, runs, seed=N)
    W0, W1 = result.weights
    mappings = np.array([r.mapping for r in runs])
    for b in range(len(runs)):
        for i in range(N):
            kind = types[b, i]
            if kind > 0 and (types[b, :N] > 0).sum() > 1:
                continue  # the output weights of inputs sharing a code are not this cycle
            np.testing.assert_allclose(np.abs(W0[b, i]), by_hand[kind][i], rtol=0, atol=1e-12)
            np.testing.assert_allclose(np.abs(W1[b, :, mappings[b, i]]), by_hand[kind][i], rtol=0, atol=1e-12)


def test_the_workshops_converged_weights_are_the_cycle():
    """N = 4, eps = 0.01: the cycle amplitude is about 0.005 at every position (the workshop's ±0.005)."""
    A_I, _ = hc.hebb_fixed_points(4, EPS)
    assert (A_I > 0.0049).all() and (A_I < 0.0052).all()


@pytest.mark.parametrize("N, e_counts, allotment", [(3, range(7), "all"), (4, range(9), "random")])
def test_target_field_is_type_times_amplitude_times_hidden_balance(N, e_counts, allotment):
    """After 2000 epochs: x_pi(i) = type(i) · A(i) · (E_hidden - I_hidden), for every input of every network."""
    params = hc.Params(L=3, N=N, stop_at_convergence=False)
    runs = [r for _, group in hc.plan_experiment(params, e_counts=e_counts, allotment=allotment,
                                                 mappings=hc.all_mappings(N)[:6]) for r in group]
    types, result = hc.train_planned(params, runs, seed=1)
    fields = hc.target_fields(params, types, np.array([r.mapping for r in runs]), result.weights)
    assert len(fields) == N * len(runs)
    np.testing.assert_allclose(fields["target_field"], fields["predicted"], rtol=0, atol=1e-12)
    by_hand = np.where(types[:, :N] > 0, 1, -1) * np.where(types[:, N:] > 0, 1, -1).sum(axis=1)[:, None]
    np.testing.assert_array_equal(fields["input_type"] * fields["hidden_balance"], by_hand.ravel())
    # the target of an I input cannot fire unless the hidden layer has more I than E neurons, and vice versa
    wrong_side = fields["input_type"] * fields["hidden_balance"] < 0
    assert not fields.loc[wrong_side, "recalled"].any()
    np.testing.assert_array_equal(fields.groupby("run")["recalled"].mean(), result.recall_fraction)


def test_lasting_successes_need_no_e_input_and_a_net_inhibitory_hidden_layer(sweep3):
    lasting = sweep3[sweep3.lasting]
    assert len(lasting) > 10
    assert (lasting["excitatory_input"] == 0).all()
    assert (lasting["inhibitory_hidden"] > lasting["excitatory_hidden"]).all()
    lost = sweep3[sweep3.converged & ~sweep3.lasting]
    assert (lost["epochs_to_convergence"] <= 10).all()  # transient: before the inhibitory weights cross zero


def test_counting_random_hidden_codes_predicts_the_lasting_rate(sweep3):
    """E_in = 0, one E and two I hidden neurons: the targets fire (field = A·(I_h - E_h) > 0); a non-target output
    o = pi(j) stays silent at recall of i exactly when Σ_k type(k) h_k(i) h_k(j) > 0. Over random codes h, that
    holds for every pair in 48 of the 2^9 = 512 code triples."""
    hidden_type = np.array([1, -1, -1])
    codes = list(itertools.product((1, -1), repeat=3))
    good = 0
    for h in itertools.product(codes, repeat=3):
        h = np.array(h)
        overlap = (h * hidden_type) @ h.T  # Σ_k type(k) h_k(i) h_k(j)
        good += bool((overlap[~np.eye(3, dtype=bool)] > 0).all())
    assert good == 48
    group = sweep3[(sweep3.excitatory_input == 0) & (sweep3.excitatory_hidden == 1)]
    low, high = hc.wilson_interval(group["lasting"].sum(), len(group))
    assert low <= good / 512 <= high


def test_without_dale_a_hidden_layer_shows_three_states_and_with_dale_at_most_two():
    counts = {}
    for dale in (False, True):
        params = hc.Params(L=3, N=3, dale=dale, stop_at_convergence=False, max_epochs=300)
        runs = [r for _, group in hc.plan_experiment(params, e_counts=range(7), allotment="all",
                                                     mappings=[(2, 0, 1)]) for r in group]
        _, result = hc.train_planned(params, runs, seed=0, history=True)
        counts[dale] = hc.distinct_codes(result.history["hidden"][0]).max(axis=1)
    assert counts[True].max() == 2 and (counts[False] == 3).mean() > 0.25


def test_dales_floor_keeps_a_third_hidden_state_away():
    """An I input's weight clipped to exactly 0 would make its target fire (activation(0) = +1): its code would mix
    +1 and -1, a third state beside all +1 and all -1. At -DALE_FLOOR it stays all -1."""
    at_zero = hc.activation_function(np.array([0.0, -hc.DALE_FLOOR, -hc.DALE_FLOOR]))
    at_floor = hc.activation_function(np.full(3, -hc.DALE_FLOOR))
    assert at_zero.tolist() == [1.0, -1.0, -1.0]
    assert at_floor.tolist() == [-1.0, -1.0, -1.0]
    assert hc.DALE_FLOOR == pytest.approx(2.2e-308, rel=0.01)


def test_dale_partial_convergence_none_strict_and_at_most_the_ceiling_with_argmax():
    """With Dale's law every weight onto output o has the sign of its hidden neuron, and the hidden state is
    ±(1, …, 1), so after training every output's field has the sign of ±(E_hidden - I_hidden): all outputs fire or
    none, and the strict read-out recalls no pair. The argmax read-out reaches the ceiling 2/N, never more."""
    for N, allotment in ((3, "all"), (4, "random")):
        recalled = {}
        for readout in hc.READOUTS:
            params = hc.Params(L=3, N=N, dale=True, readout=readout)
            table = hc.run_experiment(params, e_counts=range(params.P + 1), allotment=allotment)
            assert not table["converged"].any()
            recalled[readout] = table["recall_fraction"]
        assert (recalled["strict"] == 0).all()
        assert recalled["argmax"].max() == pytest.approx(2 / N)
    # the reason: at the end, every output's field at recall has the same sign (all fire, or none)
    params = hc.Params(L=3, N=3, dale=True, stop_at_convergence=False)
    runs = [r for _, group in hc.plan_experiment(params, e_counts=range(1, 6), allotment="all") for r in group]
    _, result = hc.train_planned(params, runs, seed=0)
    firing = hc.recall_batch(result.weights, params)[1] >= 0  # (runs, inputs, outputs)
    assert (firing.all(axis=-1) | ~firing.any(axis=-1)).all()
