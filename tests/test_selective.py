"""The selective rules of notebook 08 against their closed forms, the one-to-one task's answer, the
statistics the notebooks' claims rest on (the exercises' checks are in tests/test_solutions.py)."""

import numpy as np
import pytest
from random_networks import bits

import hebb_core as hc

# ── Oja: the principal eigenvector, with unit norm ───────────────────────────────────────────────

COVARIANCE = np.array([[3.0, 1.0, 0.5], [1.0, 2.0, 0.3], [0.5, 0.3, 1.0]])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_oja_finds_the_principal_eigenvector_with_unit_norm(seed):
    rng = np.random.default_rng(seed)
    x = hc.gaussian_inputs(COVARIANCE, 20000, rng)
    w = hc.train_oja(x, rng.normal(0, 0.1, 3), epsilon=0.002)[-1]
    component, _ = hc.principal_component(COVARIANCE)
    sample, _ = hc.principal_component(x.T @ x / len(x))
    assert abs(np.linalg.norm(w) - 1) < 0.03
    assert abs(w @ component) / np.linalg.norm(w) > 0.998
    assert abs(w @ sample) / np.linalg.norm(w) > 0.998
    assert abs(hc.principal_component(COVARIANCE)[1] - np.linalg.eigvalsh(COVARIANCE)[-1]) < 1e-12


def test_oja_step_is_the_equation():
    w, x = np.array([0.6, 0.3]), np.array([1.0, -0.5])
    y = 0.6 - 0.15
    assert np.array_equal(hc.oja_step(w, x, 0.1), w + 0.1 * y * (x - y * w))


def test_plain_hebb_without_ojas_term_grows_without_bound():
    rng = np.random.default_rng(4)
    x = hc.gaussian_inputs(COVARIANCE, 2000, rng)
    w = np.full(3, 0.1)
    for sample in x:
        w = w + 0.002 * (w @ sample) * sample
    assert np.linalg.norm(w) > 10


# ── BCM: the selective fixed points ──────────────────────────────────────────────────────────────


def averaged_bcm(patterns, p, w):
    """BCM's averaged change with the threshold at its mean, θ = Σ p y²."""
    y = patterns @ w
    theta = p @ y**2
    return (p * y * (y - theta)) @ patterns


@pytest.mark.parametrize("p", [(0.5, 0.5), (0.3, 0.7), (0.2, 0.3, 0.5)])
def test_bcm_fixed_points_are_fixed_and_only_the_selective_ones_are_stable(p):
    p = np.array(p)
    patterns = np.eye(len(p)) + 0.2  # overlapping, linearly independent patterns
    responses, selective = hc.bcm_fixed_points(p)
    assert selective.sum() == len(p)
    for y, is_selective in zip(responses, selective):
        w = np.linalg.solve(patterns, y)
        assert np.allclose(averaged_bcm(patterns, p, w), 0, atol=1e-12)
        jacobian = np.array([(averaged_bcm(patterns, p,
                                           w + d) - averaged_bcm(patterns, p, w - d)) / 2e-6
                             for d in np.eye(len(p)) * 1e-6]).T
        growing = np.max(np.linalg.eigvals(jacobian).real)
        if is_selective:
            assert growing < 0
            assert np.isclose(y.max(), 1 / p[np.argmax(y)])
        elif y.any():
            assert growing > 0


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_bcm_with_a_sliding_threshold_becomes_selective(seed):
    rng = np.random.default_rng(seed)
    p = np.array([0.5, 0.5])
    responses, thetas = hc.train_bcm(np.eye(2), p, rng.uniform(0.4, 0.6, 2), epsilon=0.01,
                                     theta_rate=0.05, steps=30000, rng=rng)
    y = np.sort(responses[-2000:].mean(axis=0))
    assert y[0] < 0.05 and abs(y[1] - 1 / 0.5) < 0.15


# ── Competitive learning and Kohonen's map ───────────────────────────────────────────────────────


def test_a_winner_moves_to_its_input_geometrically():
    W0 = np.array([[0.2, 0.5, 0.3], [0.4, 0.3, 0.3]])
    x = np.array([0.0, 1.0, 0.0])
    W, winners = hc.train_competitive(np.tile(x, (25, 1)), W0, epsilon=0.1)
    assert set(winners) == {0}
    assert np.allclose(W[0], x + 0.9**25 * (W0[0] - x), atol=1e-15)
    assert np.array_equal(W[1], W0[1])  # losers do not learn
    assert np.allclose(W.sum(axis=1), 1)  # normalisation kept


@pytest.mark.parametrize("seed", [8, 9])
def test_competitive_learning_finds_the_centres_of_two_clusters(seed):
    rng = np.random.default_rng(seed)
    prototypes = np.array([[1, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 1]], float)
    labels = rng.integers(2, size=4000)
    samples = np.abs(prototypes[labels] - (rng.random((4000, 6)) < 0.1))  # 10 % of bits flipped
    samples = samples[samples.sum(axis=1) > 0]
    labels = labels[: len(samples)]
    W0 = rng.dirichlet(np.ones(6), size=2)
    W, winners = hc.train_competitive(samples, W0, epsilon=0.01)
    normalised = samples / samples.sum(axis=1, keepdims=True)
    for unit in range(2):
        late = winners[-1000:] == unit
        centre = normalised[-1000:][late].mean(axis=0)
        assert np.abs(W[unit] - centre).max() < 0.03


@pytest.mark.parametrize("seed", [10, 11, 12])
def test_kohonens_chain_orders_itself(seed):
    rng = np.random.default_rng(seed)
    units = 10
    history = hc.train_kohonen(rng.random((3000, 1)), rng.random((units, 1)),
                               np.arange(units, dtype=float)[:, None], epsilon=0.1,
                               sigmas=(3, 0.5))
    assert not hc.chain_is_ordered(history[0, :, 0])
    assert hc.chain_is_ordered(history[-1, :, 0])


# ── The one-to-one task ─────────────────────────────────────────────────────────────────────────


def test_an_inhibitory_input_leaves_ojas_and_bcms_hidden_layer_silent():
    for rule in ("oja", "bcm"):
        result = hc.train_selective_map(rule, 4, 4, runs=20, seed=3, epochs=200)
        inhibitory = result["types"][:, :4] < 0
        assert inhibitory.any()
        assert np.all(result["hidden"][inhibitory] == 0)


def test_the_task_learns_nothing_with_a_majority_of_inhibitory_neurons_for_fresh_seeds():
    # 08: no rule learns a map with 4 or fewer of the 8 neurons excitatory
    for seed in (101, 202):
        table = hc.selective_map_sweep(N=4, runs=60, seed=seed, e_counts=[2, 4], epochs=300)
        assert table["learnt"].sum() == 0


def test_expansion_with_every_neuron_excitatory_lets_the_rules_learn_for_fresh_seeds():
    # 08: with M = 12 hidden units, all excitatory, every rule learns most maps; with M = N = 4,
    # few
    for seed in (303, 404):
        wide = hc.selective_map_sweep(N=4, M=12, runs=60, seed=seed, e_counts=[16])
        narrow = hc.selective_map_sweep(N=4, runs=60, seed=seed, e_counts=[8])
        assert np.all(wide["rate"] > 0.5)
        assert np.all(narrow["rate"] < 0.3)
        for rule in hc.SELECTIVE_RULES:
            k = [int(wide.set_index("rule").loc[rule, "learnt"]),
                 int(narrow.set_index("rule").loc[rule, "learnt"])]
            assert hc.fisher_exact(k, [60, 60]) < 0.001


@pytest.mark.parametrize("rule", hc.SELECTIVE_RULES)
def test_the_compiled_task_trains_the_readable_networks_to_the_last_bit(rule):
    """``engine="compiled"`` and ``engine="readable"`` train the same networks: weights, hidden
    rates and answers, bit for bit; hidden layers narrower, as wide and wider than the input,
    from every neuron inhibitory to every one excitatory, some maps learnt and some not."""
    learnt = 0
    for N, M, excitatory_count, seed in ((4, None, 6, 1), (3, 7, 10, 2), (4, 12, 16, 3),
                                         (2, 1, 0, 4)):
        compiled, readable = (
            hc.train_selective_map(rule, N, excitatory_count, runs=30, seed=seed, M=M, epochs=150,
                                   engine=engine)
            for engine in hc.SELECTIVE_ENGINES)
        for name, value in compiled.items():
            assert value.dtype == readable[name].dtype, name
            np.testing.assert_array_equal(bits(value), bits(readable[name]), err_msg=name)
        learnt += compiled["learnt"].sum()
    assert 0 < learnt < 4 * 30


def test_the_task_is_the_same_run_by_run_when_trained_alone_or_in_a_batch():
    batch = hc.train_selective_map("bcm", 4, 6, runs=5, seed=9, epochs=100)
    alone = hc.train_selective_map("bcm", 4, 6, runs=1, seed=9, epochs=100)
    assert np.array_equal(batch["W0"][0], alone["W0"][0])
    assert np.array_equal(batch["answers"][0], alone["answers"][0])


def test_map_chance():
    assert hc.map_chance(4) == 1 / 24


# ── Statistics ──────────────────────────────────────────────────────────────────────────────────


def test_fisher_exact_against_hand_computed_tables():
    # one table by hand: 3 of 3 against 0 of 3 -> p = 2 / C(6, 3)
    assert hc.fisher_exact([3, 0], [3, 3]) == pytest.approx(2 / 20)
    assert hc.fisher_exact([1, 1], [2, 2]) == pytest.approx(1.0)
    # the numbers the notebooks quote
    assert hc.fisher_exact([226, 212], [240, 240]) == pytest.approx(0.0347, abs=5e-4)  # 06
    assert hc.fisher_exact([19, 8], [840, 840]) == pytest.approx(0.050, abs=1e-3)  # 06
    assert hc.fisher_exact([1, 4, 2], [1200] * 3) == pytest.approx(0.519, abs=1e-3)  # 04
    assert hc.all_pairs([1, 4, 2], [1200] * 3)[(0, 1)] == pytest.approx(0.374, abs=1e-3)  # 04
    assert hc.fisher_exact([64, 7], [1200, 4800]) < 1e-30  # 04: 1 E against the others


def test_binomial_tail_sums_the_binomial_law():
    assert hc.binomial_tail(0, 10, 0.3) == pytest.approx(1.0)
    assert hc.binomial_tail(2, 2, 0.5) == 0.25
    assert hc.binomial_tail(1, 3, 0.5) == pytest.approx(7 / 8)


def test_the_smallest_detectable_difference_of_06():
    assert hc.detectable_difference(219 / 240, 240, 240) == pytest.approx(0.072, abs=1e-3)


def test_rate_difference_holds_the_difference_and_excludes_zero_when_fisher_rejects():
    d, low, high = hc.rate_difference(226, 240, 212, 240)
    assert d == pytest.approx(14 / 240)
    assert 0 < low < d < high


def test_t_interval_uses_students_quantile():
    mean, low, high = hc.t_interval([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    assert mean == 3.5
    assert high - mean == pytest.approx(2.5706 * np.std([1, 2, 3, 4, 5, 6],
                                                        ddof=1) / np.sqrt(6), rel=1e-4)


def test_a_t_interval_covers_where_a_bootstrap_of_four_does_not():
    rng = np.random.default_rng(13)
    covered_t = covered_boot = 0
    for trial in range(400):
        values = rng.normal(0.5, 0.1, 4)
        covered_t += hc.t_interval(values)[1] <= 0.5 <= hc.t_interval(values)[2]
        low, high = hc.bootstrap_interval(values, resamples=200, seed=trial)
        covered_boot += low <= 0.5 <= high
    assert covered_t / 400 > 0.92
    assert covered_boot / 400 < 0.85
    assert hc.distinct_resamples(4) == 35


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match="runs"):
        hc.fisher_exact([1, 2], [0, 5])
    with pytest.raises(ValueError, match="rule='hebb'"):
        hc.train_selective_map("hebb")
    with pytest.raises(ValueError, match="excitatory_count=9"):
        hc.train_selective_map("oja", 4, 9)


def test_the_numbers_notebook_08_prints():
    narrow = hc.selective_map_sweep(N=4, runs=200, seed=0, e_counts=[8])
    assert narrow.set_index("rule")["learnt"].to_dict() == {"oja": 13, "bcm": 17,
                                                            "competitive": 26}
    wide = hc.selective_map_sweep(N=4, M=12, runs=200, seed=0, e_counts=[15, 16])
    learnt = wide.pivot(index="excitatory_count", columns="rule", values="learnt")
    assert learnt.loc[16].to_dict() == {"bcm": 176, "competitive": 148, "oja": 149}
    assert learnt.loc[15].to_dict() == {"bcm": 118, "competitive": 96, "oja": 78}
    assert hc.binomial_tail(13, 200, 1 / 24) > 0.05 > hc.binomial_tail(17, 200, 1 / 24)


def test_the_explorer_draws_one_network_at_one_size_and_lists_its_answers():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = set()
    for rule, e, M in (("competitive", 16, 12), ("bcm", 3, 4), ("oja", 0, 8)):
        drawn = hc.draw_selective(rule, e, M, 1)
        sizes.add(tuple(drawn["figure"].get_size_inches()))
        assert drawn["text"].startswith("answers (target [") and drawn["text"].count("→") == 4
        plt.close(drawn["figure"])
    assert len(sizes) == 1
    with pytest.raises(ValueError, match="M=13"):
        hc.draw_selective("bcm", 4, 13, 0)
