"""hebblab.plots: a figure for every call, drawn on the axes given, and the envelope of long weight traces."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import hebb_core as hc

matplotlib.use("Agg")


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


def test_a_sweeps_figures_show_its_counts_rates_and_reference_lines(tiny_sweep):
    table = tiny_sweep
    summary = hc.summarise_sweep(table)
    (ax,) = hc.plot_convergence_rate(summary).axes
    assert [text.get_text() for text in ax.texts] == ["1/3", "0/2"]  # successes of runs, by hand
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [1 / 3, 0])
    (ax,) = hc.plot_recall_fraction(summary, N=4).axes
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [0.5, 0.375])  # mean fraction recalled
    # the strict read-out's chance 2^-4 (exactly the target firing among 2^4 patterns), then Dale's ceiling 2/N
    assert [tuple(line.get_ydata()) for line in ax.lines[-2:]] == [(1 / 16, 1 / 16), (0.5, 0.5)]
    (ax,) = hc.plot_recall_fraction(summary, N=4, readout="argmax").axes
    assert tuple(ax.lines[-2].get_ydata()) == (0.25, 0.25)  # argmax: the target is the largest of 4 fields
    (ax,) = hc.plot_recall_counts([0.25, 0.5], 4).axes
    assert tuple(ax.lines[0].get_xdata()) == (0.25, 0.25)  # strict: a random answer recalls 4 · 2^-4 pairs
    (ax,) = hc.plot_recall_counts([0.25, 0.5], 4, readout="argmax").axes
    assert tuple(ax.lines[0].get_xdata()) == (1, 1)  # argmax: one pair of the 4
    (ax,) = hc.plot_epochs_vs_ratio(table).axes
    missed, done = (collection.get_offsets() for collection in ax.collections)
    assert len(missed) == 4 and len(done) == 1 and done[0][1] == 40  # one dot per run, the converged one at 40
    assert [text.get_text() for text in ax.texts] == ["1/3", "0/2"]
    plt.close("all")


def test_the_maps_figures_show_the_model():
    (ax,) = hc.plot_lateral_profile(2.0, 0.5).axes
    scaled, published = ([bar.get_height() for bar in bars] for bars in ax.containers)
    np.testing.assert_allclose(scaled, [0, 0.1, 0.05, -0.03, 0, 0])
    np.testing.assert_allclose(published, [0, 0.05, 0.025, -0.06, 0, 0])
    size = 6
    perfect = hc.sheet_positions(size).astype(float)
    (ax,) = hc.plot_map(perfect, size).axes
    cells, markers = (collection.get_offsets() for collection in ax.collections)
    np.testing.assert_array_equal(cells, perfect[:, ::-1])  # (column, row) on the page
    np.testing.assert_array_equal(markers, perfect[hc.marker_cells(size)][:, ::-1])
    H = np.arange(size * size, dtype=float)
    (ax, _) = hc.plot_tectal_activity(H, size).axes  # the image and its colour bar
    np.testing.assert_array_equal(ax.images[0].get_array(), H.reshape(size, size))
    plt.close("all")


def test_bad_arguments_are_refused_before_drawing_with_what_is_allowed(tiny_sweep):
    with pytest.raises(ValueError, match=r"bins=1000000000000 is not allowed: an integer in \[1, 100000\]"):
        hc.trace_envelope(np.zeros((3, 2)), bins=10**12)
    with pytest.raises(ValueError, match=r"N=1000 is not allowed: an integer in \[1, 256\]"):
        hc.plot_recall_counts([1.0, 0.5], N=1000)
    with pytest.raises(ValueError, match=r"len\(stages\)=13 is not allowed: an integer in \[1, 12\]"):
        hc.plot_map_stages(hc.train_map(hc.MapParams(size=4, presentations=10), record_every=5), stages=range(13))
    with pytest.raises(ValueError, match=r"hue='n' is not allowed: None or the name of a column"):
        hc.plot_epochs_distribution(tiny_sweep, hue="n")
    params = hc.Params(L=3, N=3)
    types, weights, _ = hc.draw_run(params, hc.PlannedRun(0, 1, (2, 0, 1), None), seed=19)
    history = [np.repeat(W[None], 5, axis=0) for W in weights]
    with pytest.raises(ValueError, match=r"weight_history\[1\]=.* shape \(5, 3, 3\)"):
        hc.plot_weight_traces(params, types, [history[0], history[1][:4]])
    with pytest.raises(ValueError, match=r"converged_at=5 is not allowed: an integer in \[0, 4\]"):
        hc.plot_weight_traces(params, types, history, converged_at=5)
    fig, axes = plt.subplots(1, 2)
    with pytest.raises(ValueError, match="axes='2 items' is not allowed: a list of 3 matplotlib Axes"):
        hc.plot_willshaw(pd.DataFrame({"R": [1], "fraction_on": [0.1], "spurious": [0.0]}), 20, 20, 2, 2, axes=axes)
    assert plt.get_fignums() == [fig.number]  # nothing drawn
    plt.close("all")


def test_the_strip_plot_spreads_its_dots_the_same_way_at_every_drawing(sweep3):
    """The dots of a ratio are spread sideways by a seeded draw (not the global random state): two drawings of the
    same runs are the same picture, whatever was drawn from numpy's global generator in between; within a quarter
    of the ratios' spacing of their ratio."""
    import matplotlib.pyplot as plt

    figures = []
    for global_seed in (1, 2):
        np.random.seed(global_seed)
        figures.append(hc.plot_epochs_distribution(sweep3))
    (first, second) = ([collection.get_offsets() for collection in figure.axes[0].collections] for figure in figures)
    assert len(first) == 1 and np.array_equal(first[0], second[0])
    done = sweep3[sweep3["converged"]]
    assert len(first[0]) == len(done) > 1
    spacing = np.diff(np.unique(sweep3["excitatory_value"])).min()
    offsets = first[0][:, 0] - done["excitatory_value"].to_numpy()
    assert 0 < np.abs(offsets).max() <= 0.25 * spacing
    for figure in figures:
        plt.close(figure)
