"""The helpers of notebooks 01-03 in hebb_core: threshold units, truth tables, the rule under repeated pairing,
the recall table, the plots and the `figures` command. Expected values are worked out by hand."""

import io
import itertools
import math

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

import hebb_core as hc
import hebblab.cli

matplotlib.use("Agg")

BINARY_INPUTS = [(0, 0), (0, 1), (1, 0), (1, 1)]


# ── McCulloch–Pitts units ───────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("gate, outputs", [("AND", [0, 0, 0, 1]), ("OR", [0, 1, 1, 1]), ("NOT", [1, 0])])
def test_logic_gates_compute_their_truth_tables(gate, outputs):
    w, theta = hc.LOGIC_GATES[gate]
    table = hc.truth_table(w, theta)
    assert table["S"].tolist() == outputs
    assert list(table.columns) == [f"x{i + 1}" for i in range(len(w))] + ["field", "S"]
    if len(w) == 2:
        assert hc.BOOLEAN_FUNCTIONS[tuple(outputs)] == gate
        assert table["field"].tolist() == [0.0, w[1], w[0], w[0] + w[1]]


def test_the_unit_fires_when_the_field_equals_the_threshold():
    assert hc.mcculloch_pitts_unit((1, 1), (0.5, 0.5), 1.0) == 1
    assert hc.mcculloch_pitts_unit((1, 0), (0.5, 0.5), 1.0) == 0
    np.testing.assert_array_equal(hc.mcculloch_pitts_unit(np.array(BINARY_INPUTS), (1, 1), 1.5), [0, 0, 0, 1])


def test_sign_states_make_the_seeds_activation_a_unit_with_threshold_zero():
    fields = np.array([[-0.3], [0.0], [0.3]])
    np.testing.assert_array_equal(hc.mcculloch_pitts_unit(fields, (1.0,), 0.0, states="sign"),
                                  hc.activation_function(fields[:, 0]))
    # OR's weights and threshold on ±1 inputs: fields -2, 0, 0, 2 against 0.5 give AND
    assert hc.truth_table((1, 1), 0.5, states="sign")["S"].tolist() == [-1, -1, -1, 1]
    assert hc.truth_table((1, 1), 0.0, states="sign")["S"].tolist() == [-1, 1, 1, 1]  # a field of 0 fires


def test_the_sixteen_boolean_functions():
    assert len(hc.BOOLEAN_FUNCTIONS) == 16 == len(set(hc.BOOLEAN_FUNCTIONS.values()))
    assert hc.BOOLEAN_FUNCTIONS[(0, 1, 1, 0)] == "XOR" and hc.BOOLEAN_FUNCTIONS[(1, 1, 1, 0)] == "NAND"


def test_states_must_be_binary_or_sign():
    with pytest.raises(ValueError, match="states='pm1' is not allowed"):
        hc.truth_table((1, 1), 0.5, states="pm1")


# ── the rule under repeated pairing ─────────────────────────────────────────────────────────────────────


def test_repeated_pairing_follows_the_closed_form():
    numeric = hc.repeat_pairing(0.05, 1, 1, 1, 0.01, 300)
    assert numeric[1] == pytest.approx(0.0595, abs=1e-15)  # 0.99 · 0.05 + 0.01
    t = np.arange(301)
    np.testing.assert_allclose(numeric, 1 + (0.05 - 1) * 0.99 ** t, rtol=0, atol=1e-13)
    np.testing.assert_allclose(hc.hebb_trajectory(0.05, 1, 1, 1, 0.01, 300), numeric, rtol=0, atol=1e-13)
    # after 1/eps = 100 pairings the gap has shrunk by about e
    assert (1 - numeric[100]) / 0.95 == pytest.approx(math.exp(-1), rel=0.01)


@pytest.mark.parametrize("pre, post, kind, w_star", [(1, 1, 1, 1), (1, 1, -1, -1), (1, -1, -1, 1), (1, 0, 1, 0),
                                                      (-1, -1, 1, 1), (0, 0, -1, 0)])
def test_the_fixed_point_is_the_product_of_the_states_and_the_type(pre, post, kind, w_star):
    assert hc.hebb_trajectory(0.3, pre, post, kind, 0.5, 60)[-1] == pytest.approx(w_star, abs=1e-15)
    assert hc.repeat_pairing(0.3, pre, post, kind, 1.0, 1)[1] == w_star  # eps = 1 jumps there in one step


def test_hebb_table_is_the_seeds_table():
    table = hc.hebb_table(0.05, 0.01)
    assert table.index.name == "S_j" and table.columns.name == "S_i"
    assert table.loc[1, 1] == pytest.approx(0.05 + 0.01 - 0.01 * 0.05, abs=1e-15)
    for s_j, s_i in [(1, 0), (0, 1), (0, 0)]:
        assert table.loc[s_j, s_i] == pytest.approx(0.05 - 0.01 * 0.05, abs=1e-15)
    assert hc.hebb_table(-0.05, 0.01, neuron_type=-1).loc[1, 1] == pytest.approx(-0.0595, abs=1e-15)


def test_pairing_needs_a_whole_number_of_steps():
    with pytest.raises(ValueError, match="steps=-1"):
        hc.repeat_pairing(0.0, 1, 1, 1, 0.1, -1)


# ── the recall table and the plots ──────────────────────────────────────────────────────────────────────


def test_recall_table_of_a_hand_made_network():
    params = hc.Params(L=2, N=2)
    weights = [np.array([[-0.1, 0.1], [0.1, -0.1]])]  # input 0 → output 1, input 1 → output 0
    table = hc.recall_table(weights, (1, 0), params)
    assert table["output states"].tolist() == ["-1 +1", "+1 -1"]
    assert table["answer"].tolist() == [1, 0] and table["recalled"].all()
    assert not hc.recall_table(weights, (0, 1), params)["recalled"].any()


def test_the_envelope_of_a_trace_keeps_every_early_epoch_and_the_range_of_every_bin():
    rng = np.random.default_rng(0)
    traces = rng.normal(size=(2001, 3))
    epochs, values = hc.trace_envelope(traces)
    assert epochs[0] == 0 and epochs[-1] == 2000 and np.all(np.diff(epochs) >= 0)
    early = epochs < 50  # bins one epoch wide: each value twice, unchanged
    np.testing.assert_array_equal(values[early][::2], traces[epochs[early][::2]])
    starts = np.unique(epochs)
    for start, end in zip(starts[-3:-1], starts[-2:]):  # a wide bin: its lowest and its highest value
        k = 2 * np.searchsorted(starts, start)
        np.testing.assert_array_equal(values[k:k + 2], [traces[start:end].min(axis=0), traces[start:end].max(axis=0)])


def test_plots_return_their_figure_and_draw_on_given_axes(monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *args, **kwargs: pytest.fail("a library function called plt.show()"))
    params = hc.Params(L=3, N=3)
    types, weights, _ = hc.draw_run(params, hc.PlannedRun(0, 1, (2, 0, 1), None), seed=19)
    fig, axes = plt.subplots(1, 3)
    assert hc.plot_decision_line((1, 1), 1.5, ax=axes[0]) is fig
    assert hc.plot_network(params, types, weights, ax=axes[1]) is fig
    assert len(axes[1].collections[0].get_segments()) == 18  # one edge per weight
    assert hc.plot_hebb_trajectory(np.zeros(3), np.zeros(3), 0.5, 0.0, ax=axes[2]) is fig
    plt.close(fig)
    history = [np.repeat(W[None], 5, axis=0) for W in weights]
    fig = hc.plot_weight_traces(params, types, history, converged_at=2)
    assert [len(ax.collections[0].get_segments()) for ax in fig.axes] == [9, 9]  # one trace per weight
    assert [len(ax.lines) for ax in fig.axes] == [2, 2]  # the zero line, the success
    assert len(hc.plot_weight_heatmaps(weights).axes) == 3  # two matrices and their colour bar
    plt.close("all")


def test_the_key_figures_of_notebooks_01_to_03_are_the_same_every_time():
    def draw():
        pngs = {}
        for name, figure in itertools.islice(hc.course_figures(), 5):  # the generator draws lazily
            png = io.BytesIO()
            figure.savefig(png, dpi=100, metadata={"Software": None})
            plt.close(figure)
            pngs[name] = png.getvalue()
        return pngs

    first = draw()
    assert list(first) == ["01_and_decision_line.png", "02_hebb_trajectory.png", "03_network.png",
                           "03_weight_traces.png", "03_training_run.png"]
    assert all(png.startswith(b"\x89PNG") for png in first.values())
    assert draw() == first  # fixed seeds: the same pixels


def test_the_figures_command_writes_each_figure_into_the_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(hebblab.cli, "course_figures", lambda: iter([("gate.png", hc.plot_decision_line((1, 1), 1.5))]))
    log = io.StringIO()
    monkeypatch.setattr(hc.figures_command, "__defaults__", (log,))  # its `out`
    assert hc.main(["figures", "--out-dir", str(tmp_path / "figures")]) == 0
    assert (tmp_path / "figures" / "gate.png").read_bytes().startswith(b"\x89PNG")
    assert log.getvalue() == f"Wrote {tmp_path / 'figures' / 'gate.png'}\n"
