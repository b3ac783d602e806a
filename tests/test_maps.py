"""hebblab.maps, topographic maps (Willshaw & von der Malsburg 1976): the measures on maps whose
answer is known, the model's pieces against hand computations, and the E/I result the course draws
from it (SCIENCE.md §3)."""

from dataclasses import replace

import numpy as np
import pytest
from random_networks import bits

import hebb_core as hc

SIZE = 6


# ── Measures of map quality ──────────────────────────────────────────────────────────────────────


def shuffled_centres(seed=1):
    order = np.random.default_rng(seed).permutation(SIZE * SIZE)
    return hc.sheet_positions(SIZE)[order].astype(float)


def test_a_perfect_map_gets_the_ideal_value_of_every_measure():
    # every tectal cell sees the retinal cell at its own place
    perfect = hc.sheet_positions(SIZE).astype(float)
    assert hc.map_correlation(perfect, SIZE) == pytest.approx(1.0, abs=1e-12)
    assert hc.neighbour_distance(perfect, SIZE) == pytest.approx(1.0, abs=1e-12)
    assert hc.topographic_error(perfect, SIZE) == 0.0


def test_a_shuffled_map_is_clearly_worse_on_every_measure():
    for seed in range(5):
        shuffled = shuffled_centres(seed)
        assert abs(hc.map_correlation(shuffled, SIZE)) < 0.35
        assert hc.neighbour_distance(shuffled, SIZE) > 2.0
        assert hc.topographic_error(shuffled, SIZE) > 0.5


def test_a_reversed_map_has_correlation_minus_one_but_is_still_topographic():
    # rotated by 180°: ordered, wrong polarity
    reversed_map = (SIZE - 1) - hc.sheet_positions(SIZE).astype(float)
    assert hc.map_correlation(reversed_map, SIZE) == pytest.approx(-1.0, abs=1e-12)
    assert hc.neighbour_distance(reversed_map, SIZE) == pytest.approx(1.0, abs=1e-12)
    assert hc.topographic_error(reversed_map, SIZE) == 0.0


def test_a_collapsed_map_has_no_order_and_neighbour_distance_zero():
    collapsed = np.full((SIZE * SIZE, 2), 2.5)
    # no variation: counted as r = 0, without a warning
    assert hc.map_correlation(collapsed, SIZE) == 0.0
    assert hc.neighbour_distance(collapsed, SIZE) == 0.0


def test_receptive_field_centres_are_weighted_mean_positions():
    np.testing.assert_array_equal(hc.receptive_field_centres(np.eye(SIZE * SIZE), SIZE),
                                  hc.sheet_positions(SIZE))
    s = np.zeros((SIZE * SIZE, SIZE * SIZE))
    # tectal cell 5 sees retinal (0, 0) with weight 1 and (0, 1) with weight 3
    s[0, 5], s[1, 5] = 1.0, 3.0
    s[:, np.arange(SIZE * SIZE) != 5] = 1.0
    assert hc.receptive_field_centres(s, SIZE)[5] == pytest.approx([0.0, 0.75])
    quality = hc.map_quality(np.eye(SIZE * SIZE), SIZE)
    assert quality == pytest.approx({"correlation": 1.0, "neighbour_distance": 1.0,
                                     "topographic_error": 0.0})


# ── The model's pieces ───────────────────────────────────────────────────────────────────────────


def test_lateral_weights_by_manhattan_distance():
    e = hc.lateral_connections(SIZE)
    # cell 0 is (0, 0): (0, 1) at d = 1, (0, 2) and (1, 1) at d = 2, (0, 3) and (1, 2) at d = 3,
    # (0, 4) at d = 4
    assert [e[0, 0], e[0, 1], e[0, 2], e[0, 7], e[0, 3], e[0, 8],
            e[0, 4]] == [0, 0.05, 0.025, 0.025, -0.06, -0.06, 0]
    np.testing.assert_array_equal(e, e.T)
    scaled = hc.lateral_connections(SIZE, lateral_excitation=2.0, lateral_inhibition=0.5)
    assert [scaled[0, 1], scaled[0, 2], scaled[0, 3]] == [0.1, 0.05, -0.03]
    # a cell far from the borders, (3, 3) of an 8 × 8 sheet, has 4 cells at d = 1, 8 at d = 2 and
    # 12 at d = 3
    assert hc.lateral_connections(8)[27].sum() == pytest.approx(4 * 0.05 + 8 * 0.025 - 12 * 0.06)


def test_the_lateral_weight_at_each_distance_scales_with_its_strength():
    np.testing.assert_allclose(hc.lateral_weight(np.arange(6), 2.0, 0.5),
                               [0, 0.1, 0.05, -0.03, 0, 0])
    assert [float(hc.lateral_weight(d)) for d in (1, 2,
                                                  3)] == [hc.LATERAL_WEIGHTS[d] for d in (1, 2, 3)]


def test_output_activity_is_the_clipped_excess_over_threshold():
    params = hc.MapParams()
    H = params.theta + np.array([-1.0, 0.0, 0.5, params.max_activity + 1])
    np.testing.assert_allclose(hc.output_activity(H, params), [0.0, 0.0, 0.5, params.max_activity])


def test_normalised_inputs_keep_each_cells_proportions():
    s = np.random.default_rng(2).uniform(0.1, 1.0, (4, 3))
    normalised = hc.normalise_inputs(s, 0.5)
    # every tectal cell's mean input weight is S
    np.testing.assert_allclose(normalised.mean(axis=0), 0.5)
    np.testing.assert_allclose(normalised / s, np.broadcast_to(0.5 / s.mean(axis=0), s.shape))


def test_stimuli_are_the_neighbouring_pairs():
    pairs = hc.neighbour_pairs(SIZE)
    assert len(pairs) == 2 * SIZE * (SIZE - 1)
    positions = hc.sheet_positions(SIZE)
    assert np.all(np.abs(positions[pairs[:, 0]] - positions[pairs[:, 1]]).sum(1) == 1)


def test_relaxation_reaches_the_stationary_state_by_hand():
    params = hc.MapParams()
    # no lateral weights: H = Σ_i s_ij A_i / α
    H, steps, capped = hc.relax_tectum(np.full(36, 6.0), np.zeros((36, 36)), params)
    np.testing.assert_allclose(H, 12.0, atol=2 * params.tol)
    assert not capped and steps > 1
    # two neighbours driven with 8, the rest silent: 0.5 H = 8 + 0.05 (H − 10), so H = (16 − 1) /
    # 0.9
    drive = np.zeros(36)
    drive[[0, 1]] = 8.0
    H, _, _ = hc.relax_tectum(drive, hc.lateral_connections(SIZE), params)
    np.testing.assert_allclose(H[[0, 1]], 15 / 0.9, atol=4 * params.tol)
    assert np.all(H[2:] < params.theta)  # their neighbours stay below threshold


def test_relaxation_stops_at_max_steps_and_counts_it():
    run = hc.train_map(hc.MapParams(presentations=20, max_steps=1), seed=0)
    assert run.capped == 20 and np.all(run.steps == 1)


def test_initial_weights_markers_and_normalisation():
    params = hc.MapParams()
    s = hc.initial_map_weights(params, np.random.default_rng(0))
    # every tectal cell's mean input weight is s_mean
    np.testing.assert_allclose(s.mean(axis=0), params.s_mean)
    markers = hc.marker_cells(SIZE)
    assert markers.tolist() == [14, 15, 20, 21]  # (2, 2), (2, 3), (3, 2), (3, 3)
    assert np.all(s[markers, markers] > 3 * np.delete(s, markers, axis=0)[:, markers].max(axis=0))
    off = hc.initial_map_weights(hc.MapParams(marker_strength=1.0), np.random.default_rng(0))
    assert off[markers, markers].max() < params.s_mean + 5 * params.s_sd


def test_one_presentation_by_hand():
    """Hebb above the modification threshold, then normalisation, for the first stimulus of seed
    0."""
    params = hc.MapParams(presentations=1)
    rng = np.random.default_rng(0)
    s = hc.initial_map_weights(params, rng)
    pair = hc.neighbour_pairs(SIZE)[rng.integers(len(hc.neighbour_pairs(SIZE)), size=1)[0]]
    H_star = hc.tectal_response(s, pair, params)
    expected = s.copy()
    expected[pair] += params.h * np.where(H_star > params.epsilon_mod, H_star, 0.0)
    expected *= params.s_mean / expected.mean(axis=0)
    run = hc.train_map(params, seed=0)
    np.testing.assert_allclose(run.s, expected, rtol=1e-12)
    assert run.active[0] == np.count_nonzero(H_star)


def test_history_starts_from_the_initial_weights_and_ends_with_the_final_ones():
    params = hc.MapParams(presentations=50)
    run = hc.train_map(params, seed=4, record_every=20)
    assert run.history_at.tolist() == [0, 20, 40, 50]
    np.testing.assert_array_equal(run.history[0],
                                  hc.initial_map_weights(params, np.random.default_rng(4)))
    np.testing.assert_array_equal(run.history[-1], run.s)


# ── The compiled loop is the readable one ────────────────────────────────────────────────────────


@pytest.mark.parametrize("params", [
    hc.MapParams(),  # the course's tectum
    hc.MapParams(size=4, theta=0.0, max_steps=3),  # stopped at max_steps
    hc.MapParams(size=7, alpha=1.0, max_activity=2.0, marker_strength=1.0),
])
def test_the_compiled_relaxation_is_the_readable_one_to_the_last_bit(params):
    """``relax_tectum`` in either engine: the same activity, steps and stops at ``max_steps``, to
    the last bit, for the drive of every stimulus on a map's initial weights and lateral strengths
    from none to runaway excitation (the sums over k in the same order: a change of order changes
    last bits)."""
    s = hc.initial_map_weights(params, np.random.default_rng(4))
    pairs = hc.neighbour_pairs(params.size)
    drive = s[pairs[:, 0]] + s[pairs[:, 1]]  # Σ_i s_ij A_i of each stimulus
    for excitation, inhibition in [(0.0, 1.0), (1.0, 1.0), (3.0, 0.0), (0.25, 4.0), (2.0, 0.5)]:
        e = hc.lateral_connections(params.size, excitation, inhibition)
        (H, steps, capped), (H_readable, steps_readable, capped_readable) = (
            hc.relax_tectum(drive, e, params, engine=engine) for engine in hc.MAP_ENGINES)
        np.testing.assert_array_equal(bits(H), bits(H_readable))
        np.testing.assert_array_equal(steps, steps_readable)
        np.testing.assert_array_equal(capped, capped_readable)
        assert capped.any() == (params.max_steps == 3)


@pytest.mark.parametrize("params, strengths, record_every", [
    (hc.MapParams(), [(1.0, 1.0)], 2000),  # the map explorer's default, recorded as it draws it
    # no cluster, runaway, fragments
    (hc.MapParams(presentations=1500), [(0.0, 1.0), (3.0, 0.0), (0.25, 4.0)], 0),
    # stopped early
    (hc.MapParams(size=4, presentations=300, theta=0.0, max_steps=3), [(1.0, 1.0), (2.0, 0.5)], 7),
    (hc.MapParams(size=7, presentations=500, alpha=1.0, h=0.5, marker_strength=1.0),
     [(1.5, 2.0)], 100),
    (hc.MapParams(size=5, presentations=0), [(1.0, 1.0)], 1),  # no training: the initial weights
    (hc.MapParams(size=4, presentations=150),
     [(x, i) for x in (0.5, 1.0, 2.0) for i in (0.0, 1.0, 2.0, 4.0, 8.0)]
     + [(1.0, 1.0)] * 2, 50),  # 17 maps: in two threads (hc.TWO_THREADS = 16)
])
def test_the_compiled_map_loop_gives_the_readable_maps_to_the_last_bit(params, strengths,
                                                                      record_every):
    """``engine="compiled"`` and ``engine="readable"`` train the same maps: weights, history, cells
    active and relaxation steps of every presentation, and the relaxations stopped at
    ``max_steps``."""
    runs = [(replace(params, lateral_excitation=x, lateral_inhibition=i), seed)
            for seed, (x, i) in enumerate(strengths)]
    compiled, readable = (hc.train_maps(runs, record_every,
                                        engine=engine) for engine in hc.MAP_ENGINES)
    for fast, slow in zip(compiled, readable, strict=True):
        np.testing.assert_array_equal(bits(fast.s), bits(slow.s))
        if record_every:
            np.testing.assert_array_equal(bits(fast.history), bits(slow.history))
            np.testing.assert_array_equal(fast.history_at, slow.history_at)
        np.testing.assert_array_equal(fast.active, slow.active)
        np.testing.assert_array_equal(fast.steps, slow.steps)
        assert fast.capped == slow.capped
    assert (compiled[0].capped > 0) == (params.max_steps == 3)  # the third case reaches max_steps


# ── Reproducibility and errors ───────────────────────────────────────────────────────────────────


def test_same_seed_same_map_alone_or_in_a_batch():
    params = hc.MapParams(presentations=400)
    first, second = hc.train_map(params, seed=7), hc.train_map(params, seed=7)
    np.testing.assert_array_equal(first.s, second.s)
    batch = hc.train_maps([(hc.MapParams(presentations=400, lateral_inhibition=0.0), 3),
                           (params, 7)])
    np.testing.assert_array_equal(batch[1].s, first.s)
    assert not np.array_equal(hc.train_map(params, seed=8).s, first.s)


@pytest.mark.parametrize("field, value", [
    ("size", 3), ("size", 17), ("presentations", -1), ("lateral_excitation", -0.5),
    ("lateral_inhibition", 11),
    ("lateral_inhibition", float("nan")), ("alpha", 0.0), ("theta", -1), ("s_mean", 0),
    ("h", "0.016"), ("marker_strength", 0.5), ("tol", 0), ("max_steps", 0), ("max_activity", -1)])
def test_bad_parameters_name_themselves(field, value):
    with pytest.raises(ValueError, match=rf"^{field}=.* is not allowed"):
        hc.MapParams(**{field: value})


def test_bad_runs_and_seeds():
    with pytest.raises(ValueError, match="^runs="):
        hc.train_maps([(hc.MapParams(), 0), (hc.MapParams(h=0.02), 1)])
    with pytest.raises(ValueError, match="^seed=-1"):
        hc.train_map(seed=-1)
    with pytest.raises(ValueError, match="^seeds="):
        hc.map_sweep(seeds=[])
    with pytest.raises(ValueError, match="^metric="):
        hc.sheet_distances(SIZE, "euclid")


@pytest.mark.parametrize("call, message", [
    (lambda: hc.sheet_positions(17), r"^size=17 is not allowed: an integer in \[4, 16\]"),
    (lambda: hc.receptive_field_centres(np.ones((16, 16)), SIZE), r"^s=.* of shape \(36, 36\)"),
    (lambda: hc.map_correlation(np.zeros((36, 3)), SIZE), r"^centres=.* of shape \(36, 2\)"),
    (lambda: hc.tectal_response(np.ones((36, 36)), [0, 36], hc.MapParams()),
     r"^cells=\[0, 36\] .* in \[0, 35\]"),
    (lambda: hc.relax_tectum(np.zeros(16), np.zeros((16, 16)), hc.MapParams()),
     r"^drive=.* shape \(36,\)"),
    (lambda: hc.train_maps([(hc.MapParams(presentations=1), 0)] * 257),
     r"^runs='257 runs' .* 1 to 256 pairs"),
    (lambda: hc.map_sweep(lateral_inhibition=[]),
     r"^lateral_inhibition=\[\] is not allowed: a non-empty list")])
def test_bad_map_inputs_name_themselves_and_their_bound(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_a_batch_too_big_for_memory_is_refused_before_training():
    """Each of these would train for hours before running out of memory: they are refused at
    once."""
    long = hc.MapParams(presentations=10**7)
    with pytest.raises(ValueError,
                       match=r"^record_every=1 is not allowed: a record of at most 1024 MiB"):
        hc.train_map(long, record_every=1)
    with pytest.raises(ValueError, match=r"^chunk_size='64 maps × 1000000 presentations' .* at "
                                         r"most 20,000,000"):
        hc.map_sweep(seeds=range(64), params=hc.MapParams(presentations=10**6))


# ── The course's result: lateral E/I decides whether a map forms ─────────────────────────────────


@pytest.fixture(scope="module")
def inhibition_sweep():
    return hc.map_sweep(lateral_inhibition=(0.0, 1.0, 4.0), seeds=range(4))


def test_published_balance_forms_a_map_and_no_inhibition_does_not(inhibition_sweep):
    by = inhibition_sweep.groupby("lateral_inhibition")
    r = by["correlation"]
    assert r.min()[1.0] > 0.9  # every seed forms an ordered map with the published weights
    assert r.max()[0.0] < 0.1  # without lateral inhibition, none does
    assert by["topographic_error"].max()[1.0] <= 0.2 < by["topographic_error"].min()[0.0]
    assert by["neighbour_distance"].max()[0.0] < 0.1  # collapse: neighbours see the same place
    # activity spreads without inhibition
    assert by["active_cells"].mean()[0.0] > by["active_cells"].mean()[1.0]


def test_too_much_inhibition_is_worse_than_the_published_balance(inhibition_sweep):
    r = inhibition_sweep.groupby("lateral_inhibition")["correlation"].mean()
    assert r[4.0] < r[1.0] - 0.15  # an inverted U: fragments
    assert (inhibition_sweep["relaxation_capped"] == 0).all()


def test_sweep_table_and_its_summary(inhibition_sweep):
    assert list(inhibition_sweep.columns) == hc.MAP_COLUMNS
    assert len(inhibition_sweep) == 3 * 4
    summary = hc.summarise_maps(inhibition_sweep, "lateral_inhibition")
    assert summary["n"].tolist() == [4, 4, 4]
    assert np.all((summary["low"] <= summary["mean"]) & (summary["mean"] <= summary["high"]))
    assert hc.bootstrap_interval([0.5, 0.5, 0.5]) == (0.5, 0.5)


# ── Snapshots or stationary maps: map order against presentations ────────────────────────────────


def test_map_history_measures_every_snapshot_and_drift_pairs_the_seeds():
    params = hc.MapParams(size=4, presentations=40)
    runs = hc.train_maps([(params, seed) for seed in (0, 1)], record_every=20)
    history = hc.map_history(runs)
    assert list(history.columns) == hc.HISTORY_COLUMNS
    assert history["presentations"].tolist() == [0, 20, 40] * 2
    last = history[history.presentations == 40].set_index("seed")
    assert last.loc[1, "correlation"] == pytest.approx(hc.map_quality(runs[1].s, 4)["correlation"])
    drift = hc.map_drift(history, 20, tolerance=1e-12)
    first = history[history.presentations == 20].set_index("seed")["correlation"]
    (row,) = drift.to_dict("records")
    assert row["n"] == 2 and row["change"] == pytest.approx((last["correlation"] - first).mean())
    assert row["stationary"] == (abs(row["change"]) < 1e-12)
    for since in (40, 10):  # the last snapshot, and one that was not recorded
        with pytest.raises(ValueError, match=r"^since=.* a snapshot before the last \(40\)"):
            hc.map_drift(history, since)
    with pytest.raises(ValueError, match=r"^runs\[0\]=.*record_every > 0"):
        hc.map_history([hc.train_map(params)])


@pytest.fixture(scope="module")
def longer_training():
    """The reference balance, 4 times its inhibition and a quarter of its excitation, 4 seeds,
    30000 presentations (as in notebook 07, section 6, which also has twice the inhibition)."""
    settings = [(1.0, 1.0), (1.0, 4.0), (0.25, 1.0)]
    runs = hc.train_maps([(hc.MapParams(presentations=30000, lateral_excitation=x,
                                        lateral_inhibition=i), seed)
                          for x, i in settings for seed in range(4)], record_every=3000)
    return hc.map_history(runs)


def test_the_balanced_map_is_stationary_and_the_flanks_are_still_moving_at_6000(longer_training):
    drift = hc.map_drift(longer_training,
                         6000).set_index(["lateral_excitation", "lateral_inhibition"])
    balanced, inhibited, weak = drift.loc[(1.0,
                                           1.0)], drift.loc[(1.0, 4.0)], drift.loc[(0.25, 1.0)]
    # the same map at 6000 and at 30000
    assert balanced["stationary"] and balanced["at_last"] > 0.95
    # strong inhibition: order keeps falling
    assert inhibited["change"] < -0.2 and inhibited["high"] < 0
    assert weak["change"] > 0.1 and weak["low"] > 0  # weak excitation: order keeps rising
    late = hc.map_drift(longer_training,
                        15000).set_index(["lateral_excitation", "lateral_inhibition"])
    assert late.loc[(1.0, 1.0), "stationary"]


def test_without_markers_no_synapse_ever_changes():
    """No stimulus lifts any tectal cell above the modification threshold: learning never
    starts."""
    params = hc.MapParams(marker_strength=1.0, presentations=2000)
    for seed in range(3):
        s0 = hc.initial_map_weights(params, np.random.default_rng(seed))
        largest = max(hc.tectal_response(s0, pair,
                                         params).max() for pair in hc.neighbour_pairs(SIZE))
        assert 0 < largest < params.epsilon_mod  # some cells are active, none enough to learn
        np.testing.assert_allclose(hc.train_map(params, seed).s, s0, rtol=0, atol=1e-12)


def test_a_collapsed_map_answers_a_stimulus_with_all_or_nothing():
    """Without lateral inhibition, after training, a stimulus on the collapsed spot lights the
    whole tectum, any other stimulus none: on average about a quarter of the tectum, not all of
    it."""
    run = hc.train_map(hc.MapParams(lateral_inhibition=0.0), seed=0)
    active = np.array([np.count_nonzero(hc.tectal_response(run.s, pair, run.params))
                       for pair in hc.neighbour_pairs(SIZE)])
    assert active.min() == 0 and active.max() == 36
    assert np.mean((active == 0) | (active == 36)) > 0.9 and 5 < active.mean() < 15
