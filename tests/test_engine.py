"""hebblab.engine, many networks trained at once: the seed's propositions (SCIENCE.md §1) over
every allotment, Dale's ceiling on partial convergence, weights that stay in [-1, 1], and the
batched recall.

Every number below is computed by hand or from a closed form, never read back from the code under
test. That the engine computes the readable path's bits is checked in test_kernels.py.
"""

import numpy as np
import pytest

import hebb_core as hc

EPS = 0.01


# ── Propositions 1 and 2 (SCIENCE.md §1), over every allotment ───────────────────────────────────


def _all_runs(params, e_counts, seed=0, history=False):
    plan = hc.plan_experiment(params, e_counts=e_counts, allotment="all")
    runs = [r for _, group in plan for r in group]
    drawn = [hc.draw_run(params, r, seed) for r in runs]
    types = np.array([d[0] for d in drawn])
    weights = [np.array([d[1][layer] for d in drawn]) for layer in range(params.L - 1)]
    mappings = np.array([r.mapping for r in runs])
    return types, hc.train_batch(params, types, mappings, weights, history=history)


def test_without_a_hidden_layer_dale_recalls_exactly_the_excitatory_inputs():
    """L = 2 with Dale's law (argmax read-out): an E input's target weight grows while the others
    decay, so it is recalled; an I input can only push its target down, so it never is. Fraction
    recalled = E_in / N (SCIENCE §2)."""
    params = hc.Params(L=2, N=4, dale=True, readout="argmax", max_epochs=200,
                       stop_at_convergence=False)
    types, result = _all_runs(params, range(5))
    np.testing.assert_array_equal(result.recall_fraction, (types > 0).sum(axis=1) / 4)


def test_proposition_1_dale_bottleneck():
    """With Dale's law the first hidden layer shows at most 2 distinct states, and no permutation
    is learnt."""
    params = hc.Params(L=3, N=3, dale=True, max_epochs=600, stop_at_convergence=False)
    types, result = _all_runs(params, range(params.P + 1), history=True)
    assert not result.converged.any()
    hidden = result.history["hidden"][0]  # (runs, epochs, inputs, hidden units)
    distinct = np.array([[len({tuple(s) for s in epoch}) for epoch in run] for run in hidden])
    assert distinct.max() == 2
    assert result.recall_fraction.max() <= 2 / 3  # the Dale ceiling 2/N
    # the state is type(i)·(1, …, 1) for every input i at every epoch
    np.testing.assert_array_equal(hidden, np.broadcast_to(types[:, None, :3, None], hidden.shape))


def test_proposition_1_fails_without_dale():
    """The rule as written lets weights cross zero, so hidden codes can be told apart: some runs
    converge."""
    _, result = _all_runs(hc.Params(L=3, N=3), range(7))
    assert result.converged.any()


def _w_star(N, eps=EPS):
    d = (1 - eps) ** (N - 1)
    # inhibitory cycle, excitatory fixed point
    return eps * d / (1 + d * (1 - eps)), eps * d / (1 - d * (1 - eps))


@pytest.mark.parametrize("N", [3, 4, 5])
def test_proposition_2_inhibitory_weights_cycle_and_excitatory_ones_settle(N):
    params = hc.Params(L=3, N=N, stop_at_convergence=False, max_epochs=2000)
    cycle, fixed = _w_star(N)
    if N == 3:
        assert cycle == pytest.approx(0.00497, abs=5e-6)  # the number SCIENCE.md quotes
    mapping = list(range(N))[::-1]
    for kind, expected in [(-1, cycle), (+1, fixed)]:
        types = np.r_[kind, np.where(np.arange(params.P - 1) % 2 == 0, 1.0, -1.0)]
        weights = hc.initialize_weights(params, types, np.random.default_rng(N))
        result = hc.train_batch(params, types[None], np.array([mapping]),
                                [w[None] for w in weights], history=True)
        # input 0's weights at the last 4 epoch ends
        trace = result.history["weights"][0][0, -4:, 0, :]
        np.testing.assert_allclose(np.abs(trace), expected, atol=1e-9, rtol=0)
        if kind < 0:  # the sign flips every epoch
            assert np.all(np.sign(trace[1:]) == -np.sign(trace[:-1]))
        else:
            assert np.all(trace > 0)


def test_proposition_2_two_excitatory_inputs_never_converge():
    """Two or more E input neurons share one hidden code, so no allotment with them ever
    converges."""
    params = hc.Params(L=3, N=3)
    for seed in range(3):
        types, result = _all_runs(params, range(7), seed)
        excitatory_inputs = (types[:, :3] > 0).sum(axis=1)
        assert not result.converged[excitatory_inputs >= 2].any()
        assert result.converged.sum() > 0 or seed > 0


def test_dale_partial_convergence_none_strict_and_at_most_the_ceiling_with_argmax():
    """With Dale's law every weight onto output o has the sign of its hidden neuron, and the hidden
    state is ±(1, …, 1), so after training every output's field has the sign of ±(E_hidden -
    I_hidden): all outputs fire or none, and the strict read-out recalls no pair. The argmax
    read-out reaches the ceiling 2/N, never more."""
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
    runs = [r for _, group in hc.plan_experiment(params, e_counts=range(1, 6),
                                                 allotment="all") for r in group]
    _, result = hc.train_planned(params, runs, seed=0)
    firing = hc.recall_batch(result.weights, params)[1] >= 0  # (runs, inputs, outputs)
    assert (firing.all(axis=-1) | ~firing.any(axis=-1)).all()


# ── Weights stay in [-1, 1] ──────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("epsilon", [0.3, 0.9, 1.0])
def test_weights_stay_in_the_unit_interval(epsilon):
    params = hc.Params(L=4, N=3, epsilon=epsilon, w_min=0.9, w_max=1.0, max_epochs=50,
                       stop_at_convergence=False)
    types, result = _all_runs(params, [2, 7], history=True)
    for layer in result.history["weights"]:
        assert np.abs(layer).max() <= 1.0


# ── The batched recall ───────────────────────────────────────────────────────────────────────────


def test_batched_recall_agrees_with_the_engine():
    params = hc.Params(L=4, N=3, M=4, max_epochs=30)
    runs = [r for _, group in hc.plan_experiment(params, e_counts=[2, 5, 9]) for r in group]
    types, result = hc.train_planned(params, runs, seed=3, history=True)
    hidden, fields = hc.recall_batch(result.weights, params)
    # each run's last epoch (it stops at its first full recall)
    last = result.epochs_to_convergence
    winners = result.history["winners"][np.arange(len(runs)), last]
    np.testing.assert_array_equal(hc.read_out(fields, params.readout), winners)
    for layer, states in enumerate(hidden):
        np.testing.assert_array_equal(states,
                                      result.history["hidden"][layer][np.arange(len(runs)), last])


# ── One network, compiled ────────────────────────────────────────────────────────────────────────


def test_train_batch_names_its_bad_arguments():
    params = hc.Params(L=3, N=2, order="shuffled")
    types, mappings, weights = np.ones((1, 4)), np.array([[1, 0]]), [np.zeros((1, 2, 2))] * 2
    with pytest.raises(ValueError, match=r"^orders=None .*order='shuffled'"):
        hc.train_batch(params, types, mappings, weights)
    with pytest.raises(ValueError, match=r"^weights='1 matrices' .*2 matrices"):
        hc.train_batch(hc.Params(L=3, N=2), types, mappings, weights[:1])


TYPES = np.tile([1, -1, -1, 1, -1, -1.0], (2, 1))
WEIGHTS = [np.full((2, 3, 3), 0.05)] * 2
MAPPINGS = np.tile([0, 1, 2], (2, 1))


@pytest.mark.parametrize("change, message", [
    ({"mappings": np.tile(np.arange(10**5), (2, 1))}, r"^mappings=.*shape \(2, 3\)"),
    ({"mappings": [[0, 0, 0]] * 2}, r"^mappings\[0\]=\[0, 0, 0\] .*permutation of range\(3\)"),
    ({"mappings": [[0, 1, 10**6]] * 2}, r"^mappings\[0\]=\[0, 1, 1000000\]"),
    ({"mappings": None}, r"^mappings=None .*B >= 1"),
    ({"mappings": np.zeros((0, 3), int)}, r"^mappings=.*B >= 1"),
    ({"mappings": [[0, 1, 2]]}, r"^types=.*shape \(1, 6\)"),  # one B for all: no broadcasting
    ({"types": np.zeros((2, 6))}, r"^types\[0\]=\[0\.0, .*\+1 \(E\) or -1 \(I\)"),
    ({"types": np.full((2, 6), 5)}, r"^types\[0\]=\[5, "),
    ({"types": np.full((2, 6), np.nan)}, r"^types\[0\]=\[nan, "),
    ({"weights": [np.full((2, 3, 3), 5.0)] * 2}, r"^weights\[0\]='max \|w\| = 5\.0' .*\[-1, 1\]"),
    ({"weights": [np.full((2, 3, 3), np.nan)] * 2}, r"^weights\[0\]='max \|w\| = nan'"),
    ({"weights": [np.full((1, 3, 3), 0.05)] * 2},
     r"^weights\[0\]='shape \(1, 3, 3\)' .*shape \(2, 3, 3\)"),
    ({"orders": np.zeros((2, 1, 3), int)}, r"^orders=.*shape \(2, 2000, 3\)"),
    ({"orders": np.full((2, 2000, 3), 30000)},
     r"^orders\[0, 0\]=\[30000, 30000, 30000\] .*range\(3\)"),
    ({"orders": np.zeros((2, 2000, 3))}, r"^orders=.*integer array"),
    ({"history": "False"}, r"^history='False' .*True or False"),
])
def test_train_batch_refuses_what_would_crash_or_mislead(change, message):
    arguments = {"types": TYPES, "mappings": MAPPINGS, "weights": WEIGHTS, "orders": None,
                 "history": False} | change
    with pytest.raises(ValueError, match=message):
        hc.train_batch(hc.Params(order="shuffled" if "orders" in change else "fixed"), **arguments)


def test_a_history_beyond_the_memory_bound_is_refused_with_the_bytes_it_needs():
    params = hc.Params(N=50, max_epochs=10**6)
    needed = hc.history_bytes(params, 2)
    assert needed > hc.MAX_HISTORY_BYTES
    with pytest.raises(ValueError, match=rf"^history=True .*{needed:,} bytes"):
        hc.train_batch(params, np.ones((2, 100)), np.tile(np.arange(50), (2, 1)),
                       [np.zeros((2, 50, 50))] * 2, history=True)


def test_the_history_of_more_networks_than_a_sweep_holds_is_refused_with_the_bound():
    with pytest.raises(ValueError, match=rf"^B=1000000000000 is not allowed: an integer in "
                                         rf"\[1, {hc.MAX_RUNS}\]"):
        hc.history_bytes(hc.Params(), 10**12)
    with pytest.raises(ValueError, match=r"^params='x' is not allowed: a Params"):
        hc.kernel_settings("x")


def test_recall_and_convergence_check_their_arguments():
    weights = [np.full((3, 3), 0.05)] * 2
    with pytest.raises(ValueError, match=r"^mapping=\[0, 0, 0\] .*permutation"):
        hc.check_convergence(weights, [0, 0, 0], hc.Params())
    with pytest.raises(ValueError, match=r"^mapping=None "):
        hc.check_convergence(weights, None, hc.Params())
    with pytest.raises(ValueError, match=r"^input_idx=3 .*\[0, 2\]"):
        hc.recall(weights, 3, hc.Params())
    with pytest.raises(ValueError, match=r"^weights\[1\]='max \|w\| = nan'"):
        hc.recall_batch([WEIGHTS[0], np.full((2, 3, 3), np.nan)], hc.Params())
    with pytest.raises(ValueError, match=r"^thresholds=.*1 arrays"):
        hc.recall_batch(WEIGHTS, hc.Params(), thresholds=[])
    with pytest.raises(ValueError, match=r"^orders\[0\]=\[0, 0, 0\] "):
        hc.train_compiled(hc.Params(order="shuffled"), TYPES[0], [0, 1, 2], weights,
                          np.zeros((2000, 3), int))


def test_the_compiled_loops_get_each_setting_from_the_records_field_of_its_name():
    # a variant's setting reaches the compiled loops by its name: no line in the engine for it
    params = hc.VariantParams(activation="binary", theta=0.25, lateral="kwta", k=1,
                              homeostasis=0.1, target_rate=0.5, normalise="post", norm_total=0.5,
                              growth_power=2, feedback=0.5, readout="argmax", dale=True)
    settings = hc.kernel_settings(params)
    made = {"strict": False, "binary": True, "k": 1, "normalise": hc.NORMALISATIONS.index("post")}
    for name, value in settings._asdict().items():
        assert value == (made[name] if name in made else getattr(params, name)), name
        assert type(value) is hc.Settings.__annotations__[name], name
    assert settings.rho == 0.5 and settings.epsilon == params.epsilon
    plain = hc.kernel_settings(hc.Params())
    assert (plain.k, plain.normalise, plain.strict, plain.binary) == (-1, 0, True, False)
