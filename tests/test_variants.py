"""hebblab.variants, the variants beyond the workshop's model (notebook 06): k-WTA against its
closed form, no hidden layer, the homeostatic threshold, normalisation and dual edges.

Every expected number is computed by hand or from a closed form, never read back from the code
under test. The variants' parameters and their checks are tested in test_hebb_core.py, the compiled
loop against the readable path, variant by variant, in test_kernels.py.
"""

import dataclasses
import math

import numpy as np
import pytest

import hebb_core as hc

# ── Lateral inhibition: k-winners-take-all is a birthday problem ─────────────────────────────────


def test_kwta_picks_the_k_largest_fields_and_breaks_ties_by_index():
    field = np.array([0.3, -0.1, 0.3, 0.7, 0.0])
    # 0.7, then 0.3 @0
    np.testing.assert_array_equal(hc.lateral_inhibition(field, 2, "binary"), [1, 0, 0, 1, 0])
    np.testing.assert_array_equal(hc.lateral_inhibition(field, 3, "sign"), [1, -1, 1, 1, -1])
    # silenced
    np.testing.assert_array_equal(hc.lateral_inhibition(field, 0, "binary"), [0, 0, 0, 0, 0])
    # no inhibition
    np.testing.assert_array_equal(hc.lateral_inhibition(field, 5, "binary"), [1, 1, 1, 1, 1])
    np.testing.assert_array_equal(hc.lateral_inhibition(np.zeros((2, 3)), 1, "binary"),
                                  [[1, 0, 0], [1, 0, 0]])


def test_birthday_formula_by_hand():
    # C(4, 2) = 6 codes
    assert hc.kwta_success_probability(4, 4, 2) == pytest.approx(6 * 5 * 4 * 3 / 6**4)
    assert hc.kwta_success_probability(3, 5, 1) == pytest.approx(5 * 4 * 3 / 5**3)
    # one code only
    assert hc.kwta_success_probability(3, 3, 0) == 0 == hc.kwta_success_probability(3, 3, 3)
    assert hc.kwta_success_probability(7, 4, 2) == 0  # more inputs than codes
    # balanced inhibition is best: C(M, k) is largest at k = M/2
    assert max(range(9), key=lambda k: hc.kwta_success_probability(4, 8, k)) == 4


@pytest.mark.parametrize("N, M, k", [(4, 4, 2), (3, 5, 1), (4, 6, 4)])
def test_kwta_success_rate_matches_the_closed_form(N, M, k):
    """Excitatory projections, 0/1 units, continuous initial weights, argmax read-out: each input
    keeps its initial top-k code, so a run succeeds exactly when its N codes differ, with
    probability C(C-1)···(C-N+1)/C^N."""
    params = hc.VariantParams(L=3, N=N, M=M, activation="binary", lateral="kwta", k=k,
                              readout="argmax", decimals=None,
                       max_epochs=80)
    table = hc.variant_experiment(params, e_counts=[params.P],
                                  repeats=math.ceil(600 / math.factorial(N)), seed=1)
    assert (table["converged"] == table["codes_unique"]).all()  # the mechanism, run by run
    low, high = hc.wilson_interval(table["converged"].sum(), len(table), confidence=0.99)
    assert low <= hc.kwta_success_probability(N, M,
                                              k) <= high, (table["converged"].mean(), len(table))
    assert (table["mean_active"] == k).all()


def test_kwta_with_strict_read_out_cannot_work_with_excitatory_output_weights():
    """All-excitatory hidden-to-output weights give every output a field >= 0, so every output
    fires: the strict read-out never answers, whatever the codes; hence the argmax read-out for
    k-WTA."""
    params = hc.VariantParams(L=3, N=3, M=4, activation="binary", lateral="kwta", k=2,
                              decimals=None, max_epochs=60,
                       dale=True)
    table = hc.variant_experiment(params, e_counts=[params.P], repeats=10)
    assert table["codes_unique"].any() and not table["converged"].any()
    assert (table["recall_fraction"] == 0).all()


# ── No hidden layer ──────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("variant", [
    {}, {"activation": "binary"}, {"normalise": "pre"}, {"normalise": "post"},
    {"normalise": "both", "activation": "binary"}, {"feedback": 1.0, "homeostasis": 0.05},
])
def test_without_a_hidden_layer_dale_recalls_exactly_the_excitatory_inputs(variant):
    """L = 2, Dale's law, argmax: an E input learns its target, an I input cannot; fraction
    recalled = E_in / N, also with 0/1 units and with normalisation (feedback and homeostasis need
    a hidden layer: no effect)."""
    params = hc.VariantParams(L=2, N=4, dale=True, readout="argmax", max_epochs=200,
                              stop_at_convergence=False, **variant)
    table = hc.variant_experiment(params, e_counts=range(5),
                                  mappings=[[2, 0, 3, 1], [0, 1, 2, 3]], repeats=3)
    np.testing.assert_array_equal(table["recall_fraction"], table["excitatory_count"] / 4)


def test_without_a_hidden_layer_a_whole_map_with_an_inhibitory_input_is_an_early_accident():
    """Notebook 06, section 1: "converged" (the whole map at some epoch) and the fraction recalled
    at the end are two measures. With an inhibitory input a whole map appears only in the first
    epochs, before that input's target weight has been pushed down, and never lasts; the fraction
    at the end is E_in/N all the same."""
    params = hc.Params(L=2, N=4, dale=True, readout="argmax", max_epochs=200,
                       stop_at_convergence=False)
    # the notebook's runs
    table = hc.variant_experiment(params, e_counts=range(5), repeats=5, seed=100)
    early = table[(table.excitatory_count < 4) & table.converged]
    assert len(early) > 0 and (early.epochs_to_convergence <= 5).all() and not early.stable.any()
    np.testing.assert_array_equal(table["recall_fraction"], table["excitatory_count"] / 4)


# ── Uniqueness: the homeostatic threshold, and normalisation ─────────────────────────────────────


@pytest.mark.parametrize("N", [3, 4, 5, 6])
def test_homeostatic_threshold_gives_unique_hidden_codes(N):
    """Winner-take-all (k = 1, M = N) with a "conscience": a unit that wins more than 1/N of the
    steps gets a higher threshold, a silent one a lower, until every input has a hidden unit of its
    own."""
    params = hc.VariantParams(L=3, N=N, activation="binary", lateral="kwta", k=1, homeostasis=0.02,
                              readout="argmax",
                       decimals=None, max_epochs=300, stop_at_convergence=False)
    mappings = [np.random.default_rng(N).permutation(N).tolist() for _ in range(4)]
    table = hc.variant_experiment(params, e_counts=[params.P], mappings=mappings,
                                  repeats=25, seed=N)
    assert len(table) == 100
    assert table["codes_unique"].all() and table["converged"].all() and table["stable"].all()
    without = hc.variant_experiment(dataclasses.replace(params, homeostasis=0.0),
                                    e_counts=[params.P], mappings=mappings, repeats=25, seed=N)
    assert not without["codes_unique"].all()  # the birthday problem with C(N, 1) = N codes


def test_homeostatic_update_by_hand():
    theta = hc.homeostatic_update(np.array([0.0, 0.1]), np.array([1.0, 0.0]), 0.5, 0.25)
    np.testing.assert_allclose(theta, [0.5 * 0.75, 0.1 - 0.5 * 0.25])


def test_post_normalisation_alone_keeps_a_shared_unit_shared():
    """Two one-hot inputs that both fire one hidden unit never fire together: with postsynaptic
    normalisation the unit's two input weights end (nearly) equal, so the tie stays; supralinear
    growth (p = 2) breaks it. (1000 epochs in the compiled engine: the readable path's bits, by
    test_kernels.py.)"""
    def final_weights(**variant):
        params = hc.VariantParams(L=3, N=2, M=1, activation="binary", epsilon=0.05,
                                  max_epochs=1000, readout="argmax",
                           stop_at_convergence=False, **variant)
        start = [np.array([[0.55], [0.45]]), np.array([[0.5, 0.5]])]
        return hc.train_compiled(params, np.array([1, 1, 1]), np.array([0, 1]),
                                 start).weights[0][:, 0]
    shared = final_weights(normalise="post")
    assert shared.sum() == pytest.approx(1.0) and abs(shared[0] - shared[1]) < 0.05
    winner = final_weights(normalise="post", growth_power=2)
    assert winner[0] > 0.999 and winner[1] < 1e-3


def test_post_normalisation_reshuffles_the_winners_in_the_first_epoch_then_freezes_them():
    """Notebook 06, section 3: postsynaptic normalisation learns more maps than no mechanism
    although it keeps ties. The first rescaling divides the weights onto each unit by the unit's
    total (a unit strong for several inputs loses), and the first epoch goes on reshuffling; after
    it the winners no longer change. (The 60 networks train in the compiled engine, which gives
    the readable path's weights to the last bit: test_kernels.py.)"""
    params = hc.variant_params("k-WTA", N=3, k=1, epsilon=0.05, max_epochs=30,
                               stop_at_convergence=False, normalise="post")
    rng = np.random.default_rng(7)
    starts, mappings = [], []
    for _ in range(60):
        starts.append(hc.initialize_weights(params, np.ones(params.P), rng))
        mappings.append(rng.permutation(3))
    weights = [np.array([start[m] for start in starts]) for m in range(len(starts[0]))]
    traces = hc.train_batch(params, np.ones((60, params.P)), np.array(mappings), weights,
                            history=True).history["weights"][0]
    assert traces.shape[1] == params.max_epochs + 1  # every network trained for 30 epochs
    # networks with 3 distinct winners: initial, rescaled once, after epoch 1
    counts = np.zeros(3, dtype=int)
    for start, trace in zip(starts, traces, strict=True):
        winners = [hc.lateral_inhibition(W, 1, "binary") for W in
                   (start[0], hc.normalise_weights(start[0], "post"), trace[1], trace[-1])]
        counts += [hc.distinct_codes(code) == 3 for code in winners[:3]]
        np.testing.assert_array_equal(winners[2], winners[3])  # frozen after the first epoch
    # 22% for raw draws (birthday), far more once rescaled
    assert counts[0] < counts[1] <= counts[2], counts
    assert counts[1] > 1.5 * counts[0]


def test_normalisation_by_hand():
    W = np.array([[0.2, -0.6], [0.1, 0.1]])
    np.testing.assert_allclose(hc.normalise_weights(W, "pre"), [[0.25, -0.75], [0.5, 0.5]])
    np.testing.assert_allclose(hc.normalise_weights(W, "post", 0.5),
                               [[1 / 3, -0.4286], [1 / 6, 0.0714]], atol=1e-4)
    both = hc.normalise_weights(W, "both")
    np.testing.assert_allclose(np.abs(both).sum(axis=0), 1.0)
    np.testing.assert_array_equal(hc.normalise_weights(np.zeros((2, 2)), "both"), np.zeros((2, 2)))



def test_the_rules_refuse_sizes_beyond_their_bounds_by_name():
    with pytest.raises(ValueError, match=r"^field='an array of shape \(300,\)' is not allowed: "
                                         r".*1 <= M <= 256"):
        hc.lateral_inhibition(np.zeros(300), 1)
    # a batch of 8 layers, 1 winner each
    assert hc.lateral_inhibition(np.zeros((2, 4, 3)), 1, "binary").sum() == 8
    with pytest.raises(ValueError, match=r"^thresholds=.* 1 to 256 of them"):
        hc.homeostatic_update(np.zeros(300), np.zeros(300), 0.1, 0.1)
    with pytest.raises(ValueError, match=r"^states=.* of shape \(2,\)"):
        hc.homeostatic_update(np.zeros(2), np.zeros(3), 0.1, 0.1)
    with pytest.raises(ValueError, match=r"^eta=2 is not allowed: a number in \[0, 1\]"):
        hc.homeostatic_update(np.zeros(2), np.zeros(2), 2, 0.1)


def test_a_forward_pass_changes_the_callers_states_and_refuses_what_it_cannot_change():
    params = hc.VariantParams(L=3, N=3, activation="binary", edges="dual")
    weights = hc.initialize_weights(params, np.ones(params.P), np.random.default_rng(0))
    states = [np.zeros(n) for n in params.sizes]
    states[0][1] = 1
    field = hc.variant_forward_pass(states, hc.effective_weights(weights, params), params,
                                    through_output=True)
    np.testing.assert_array_equal(states[2], field >= 0)  # the output layer, set in place
    with pytest.raises(ValueError, match=r"^neuron_states\[0\]=.* a float array of shape \(3,\) "
                                         r"\(changed in place\)"):
        hc.variant_forward_pass([np.zeros(3, int)] * 3,
                                hc.effective_weights(weights, params), params)
    with pytest.raises(ValueError,
                       match="^weights='4 matrices' is not allowed: a list of 2 matrices"):
        hc.variant_forward_pass(states, weights, params)  # the E and I matrices, not their sums
    with pytest.raises(ValueError,
                       match="^thresholds=.* None or a list of 1 arrays of shape \\(3,\\)"):
        hc.variant_recall(weights, 0, params, thresholds=np.zeros(3))
    with pytest.raises(ValueError, match="^params=.* VariantParams with edges='dual'"):
        hc.initialize_dual_weights(hc.Params(), np.ones(6), np.random.default_rng(0))

# ── Multiple edges: an E and an I synapse in parallel ────────────────────────────────────────────


def test_dual_edges_cancel_so_the_effective_weight_only_decays():
    """With 0/1 units neither synapse of a pair ever crosses zero, and the two Hebbian terms are
    +eps S S and -eps S S: the effective weight w_E + w_I obeys w ← (1 - eps) w, learning
    nothing."""
    params = hc.VariantParams(L=3, N=3, activation="binary", edges="dual", max_epochs=50,
                              stop_at_convergence=False)
    weights = hc.initialize_weights(params, np.ones(params.P), np.random.default_rng(3))
    assert len(weights) == 4 and all((W >= 0).all() for W in weights[:2])
    assert all((W <= 0).all() for W in weights[2:])
    result = hc.train_variant_network(params, np.ones(params.P), [1, 2, 0], weights)
    steps = params.N * params.max_epochs
    for E0, I0, E, I in zip(weights[:2], weights[2:], result.weights[:2], result.weights[2:]):
        np.testing.assert_allclose(E + I, (1 - params.epsilon) ** steps * (E0 + I0),
                                   rtol=1e-9, atol=1e-15)
        assert np.abs(E).max() > 0.05  # while each synapse on its own has learnt
    assert hc.VariantParams(edges="dual").weight_keys == ["0-1 E", "1-2 E", "0-1 I", "1-2 I"]


# ── The variants as settings ─────────────────────────────────────────────────────────────────────


def test_every_variant_switches_on_its_settings_and_only_those():
    for name, settings in hc.VARIANTS.items():
        params = hc.variant_params(name, N=4, M=6, epsilon=0.05)
        assert (params.L, params.N, params.M, params.epsilon) == (3, 4, 6, 0.05)
        assert all(getattr(params, key) == value for key, value in settings.items()), name
        assert params.variants == tuple(key for key in ("activation", "lateral", "homeostasis",
                                                        "normalise",
                                                        "growth_power", "feedback",
                                                        "edges") if key in settings)
        # k: half the hidden layer for plain k-WTA, one winner for the two uniqueness mechanisms,
        # none without
        assert params.k == {"k-WTA": 3, "k-WTA + homeostasis": 1,
                            "k-WTA + normalisation": 1}.get(name)
    assert hc.variant_params("k-WTA", N=4, k=1).k == 1
    # the workshop's own model is named as learners know it ("seed" means only a random seed in the
    # course)
    assert list(hc.VARIANTS)[0] == "workshop" and "seed" not in hc.VARIANTS
    assert hc.variant_params("workshop", N=4) == hc.VariantParams(L=3, N=4)
    with pytest.raises(ValueError, match="^variant='kWTA' is not allowed"):
        hc.variant_params("kWTA")


# ── Willshaw's net: clipped Hebbian storage of sparse patterns ───────────────────────────────────


def test_willshaw_formulas_by_hand():
    """10 × 10 units, 2 active on each side: one pair switches on 4 of the 100 synapses; a synapse
    stays off after R pairs with probability 0.96^R. Each output pattern is one of C(10, 2) = 45,
    log2 45 = 5.4919 bits."""
    np.testing.assert_allclose(hc.willshaw_fraction_on(10, 10, 2, 2, [0, 1, 10]),
                               [0, 0.04, 1 - 0.96**10])
    assert hc.willshaw_bits_per_synapse(10, 10, 2, 2,
                                        10) == pytest.approx(10 * math.log2(45) / 100, rel=1e-12)
    # the asymptotic capacity: at p = 1/2 with M = log2 N the information grows towards ln 2 bits
    # per synapse
    capacity = []
    for M in (8, 12, 16, 20, 24):
        N = 2**M
        R = math.log(0.5) / math.log1p(-M * M / N**2)  # the number of pairs at which p = 1/2
        assert hc.willshaw_fraction_on(N, N, M, M, R) == pytest.approx(0.5, rel=1e-6)
        capacity.append(hc.willshaw_bits_per_synapse(N, N, M, M, R))
    assert 0.5 < capacity[0] and np.all(np.diff(capacity) > 0) and capacity[-1] < math.log(2)


def test_willshaw_capacity_point_recalls_with_about_one_spurious_unit():
    """At p = 1/2 with M = log2 N active units, (N - M) p^M ≈ 1 spurious unit per recall: the bits
    per synapse counted there (an upper bound) are not stored without error."""
    N, M = 512, 9
    R = round(math.log(0.5) / math.log1p(-(M / N) ** 2))
    assert hc.willshaw_fraction_on(N, N, M, M, R) == pytest.approx(0.5, abs=1e-3)
    assert (N - M) * 0.5**M == pytest.approx(1, abs=0.02)
    net = hc.willshaw_net(N, N, M, M, R, np.random.default_rng(0))
    assert 0.8 < net["spurious"] < 2 and net["perfect"] < 0.5  # most recalls have an error


def test_willshaw_net_switches_on_the_synapses_the_formula_counts():
    # one pair: 2 × 2 synapses, recalled exactly
    one = hc.willshaw_net(10, 10, 2, 2, 1, np.random.default_rng(0))
    assert one == {"fraction_on": 0.04, "spurious": 0.0, "perfect": 1.0}
    rng = np.random.default_rng(1)
    runs = [hc.willshaw_net(100, 100, 5, 5, 200, rng) for _ in range(5)]
    p = hc.willshaw_fraction_on(100, 100, 5, 5, 200)  # 0.394
    assert np.mean([run["fraction_on"] for run in runs]) == pytest.approx(p, abs=0.01)
    # at p ≈ 0.4 recall makes errors
    assert all(0 <= run["perfect"] < 1 and run["spurious"] > 0 for run in runs)
