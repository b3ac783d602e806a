"""hebblab.plots: a figure for every call, drawn on the axes given, and the envelope of long weight
traces."""

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
    # a wide bin: its lowest and its highest value
    for start, end in zip(starts[-3:-1], starts[-2:]):
        k = 2 * np.searchsorted(starts, start)
        np.testing.assert_array_equal(values[k:k + 2], [traces[start:end].min(axis=0),
                                                        traces[start:end].max(axis=0)])


def test_plots_return_their_figure_and_draw_on_given_axes(monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *args,
                        **kwargs: pytest.fail("a library function called plt.show()"))
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
    # one trace per weight
    assert [len(ax.collections[0].get_segments()) for ax in fig.axes] == [9, 9]
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
    # the strict read-out's chance 2^-4 (exactly the target firing among 2^4 patterns), then Dale's
    # ceiling 2/N
    assert [tuple(line.get_ydata()) for line in ax.lines[-2:]] == [(1 / 16, 1 / 16), (0.5, 0.5)]
    (ax,) = hc.plot_recall_fraction(summary, N=4, readout="argmax").axes
    # argmax: the target is the largest of 4 fields
    assert tuple(ax.lines[-2].get_ydata()) == (0.25, 0.25)
    (ax,) = hc.plot_recall_counts([0.25, 0.5], 4).axes
    # strict: a random answer recalls 4 · 2^-4 pairs
    assert tuple(ax.lines[0].get_xdata()) == (0.25, 0.25)
    (ax,) = hc.plot_recall_counts([0.25, 0.5], 4, readout="argmax").axes
    assert tuple(ax.lines[0].get_xdata()) == (1, 1)  # argmax: one pair of the 4
    (ax,) = hc.plot_epochs_vs_ratio(table).axes
    missed, done = (collection.get_offsets() for collection in ax.collections)
    # one dot per run, the converged one at 40
    assert len(missed) == 4 and len(done) == 1 and done[0][1] == 40
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
    with pytest.raises(ValueError,
                       match=r"bins=1000000000000 is not allowed: an integer in \[1, 100000\]"):
        hc.trace_envelope(np.zeros((3, 2)), bins=10**12)
    with pytest.raises(ValueError, match=r"N=1000 is not allowed: an integer in \[1, 256\]"):
        hc.plot_recall_counts([1.0, 0.5], N=1000)
    with pytest.raises(ValueError,
                       match=r"len\(stages\)=13 is not allowed: an integer in \[1, 12\]"):
        hc.plot_map_stages(hc.train_map(hc.MapParams(size=4, presentations=10), record_every=5),
                           stages=range(13))
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
    with pytest.raises(ValueError,
                       match="axes='2 items' is not allowed: a list of 3 matplotlib Axes"):
        hc.plot_willshaw(pd.DataFrame({"R": [1], "fraction_on": [0.1], "spurious": [0.0]}), 20, 20,
                         2, 2, axes=axes)
    assert plt.get_fignums() == [fig.number]  # nothing drawn
    plt.close("all")


def test_the_strip_plot_spreads_its_dots_the_same_way_at_every_drawing(sweep3):
    """The dots of a ratio are spread sideways by a seeded draw (not the global random state): two
    drawings of the same runs are the same picture, whatever was drawn from numpy's global
    generator in between; within a quarter of the ratios' spacing of their ratio."""
    import matplotlib.pyplot as plt

    figures = []
    for global_seed in (1, 2):
        np.random.seed(global_seed)
        figures.append(hc.plot_epochs_distribution(sweep3))
    (first, second) = ([collection.get_offsets() for collection in figure.axes[0].collections]
                       for figure in figures)
    assert len(first) == 1 and np.array_equal(first[0], second[0])
    done = sweep3[sweep3["converged"]]
    assert len(first[0]) == len(done) > 1
    spacing = np.diff(np.unique(sweep3["excitatory_value"])).min()
    offsets = first[0][:, 0] - done["excitatory_value"].to_numpy()
    assert 0 < np.abs(offsets).max() <= 0.25 * spacing
    for figure in figures:
        plt.close(figure)


# ── The course's figure style ────────────────────────────────────────────────────────────────────

# Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of color
# vision deficiency", IEEE TVCG 15(6): the matrices of severity 1.0, on linear RGB.
DEFICIENCIES = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}


def lab(colours, deficiency=None):
    """CIELAB (D65) of sRGB colours, as seen with ``deficiency`` (a key of :data:`DEFICIENCIES`) or
    without."""
    rgb = np.array([matplotlib.colors.to_rgb(colour) for colour in colours])
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    if deficiency:
        linear = np.clip(linear @ np.array(DEFICIENCIES[deficiency]).T, 0, 1)
    xyz = linear @ np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                             [0.0193, 0.1192, 0.9505]]).T
    t = xyz / [0.95047, 1.0, 1.08883]
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.column_stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]),
                            200 * (f[:, 1] - f[:, 2])])


def smallest_difference(colours, deficiency=None):
    """The smallest colour difference (CIE76 ΔE) between two of ``colours`` as seen with
    ``deficiency``."""
    points = lab(colours, deficiency)
    return min(np.linalg.norm(a - b) for k, a in enumerate(points) for b in points[k + 1:])


def style_colours():
    with hc.course_style():
        return [matplotlib.colors.to_hex(c)
                for c in plt.rcParams["axes.prop_cycle"].by_key()["color"]]


@pytest.mark.parametrize("deficiency", [None, *DEFICIENCIES])
def test_the_palette_stays_distinguishable_with_each_colour_vision_deficiency(deficiency):
    """E, I and output neurons, and every colour of the style's cycle, differ by at least ΔE = 15
    as a person with protanopia, deuteranopia or tritanopia sees them; the red and green of
    seaborn's "deep" palette, which a figure of the course used to tell "none" from "homeostasis",
    do not with deuteranopia (the check can fail)."""
    assert smallest_difference(list(hc.COLOURS.values()), deficiency) >= 15
    assert smallest_difference(style_colours(), deficiency) >= 15
    if deficiency == "deuteranopia":
        # red against green: lost
        assert smallest_difference(["#C44E52", "#55A868"], deficiency) < 15


def test_the_machado_matrices_keep_white_and_grey_and_lose_red_green():
    np.testing.assert_allclose(lab(["white", "#777777"], "deuteranopia"),
                               lab(["white", "#777777"]), atol=0.6)
    assert smallest_difference(["#c62828", "#2e7d32"]) > 50  # far apart with full colour vision


def test_every_plot_draws_in_the_course_style_with_a_second_cue_beside_colour(tiny_sweep):
    """A figure of the course fits the notebook's column and its text is at least 8 pt, 11 px at
    its 100 dpi; lines told apart by colour also differ in line style and marker."""
    summary = hc.summarise_sweep(tiny_sweep.assign(N=np.arange(len(tiny_sweep)) % 2 + 3),
                                 by=["N", "excitatory_value"])
    figure = hc.plot_convergence_rate(summary, hue="N")
    assert figure.dpi == 100 and figure.get_figwidth() <= hc.COLUMN_WIDTH
    texts = [text for text in figure.findobj(matplotlib.text.Text) if text.get_text()]
    assert texts and min(text.get_fontsize() for text in texts) * figure.dpi / 72 >= 11
    first, second = (container[0] for container in figure.axes[0].containers)
    assert first.get_color() != second.get_color() and first.get_marker() != second.get_marker()
    figure = hc.plot_traces({"a": np.zeros(3), "b": np.ones(3)})
    first, second = figure.axes[0].lines[:2]
    assert first.get_color() != second.get_color()
    assert first.get_linestyle() != second.get_linestyle()
    # the style was only lent
    assert plt.rcParams["font.size"] == matplotlib.rcParamsDefault["font.size"]
    plt.close(figure)


def test_weight_traces_tell_e_from_i_by_line_style_too():
    params = hc.Params(L=3, N=3)
    types, weights, _ = hc.draw_run(params, hc.PlannedRun(0, 1, (2, 0, 1), None), seed=19)
    figure = hc.plot_weight_traces(params, types, [np.repeat(W[None], 5, axis=0) for W in weights])
    styles = {str(style) for ax in figure.axes for style in ax.collections[0].get_linestyle()}
    assert len(styles) == 2  # solid from E neurons, dashed from I neurons
    legend = figure.axes[-1].get_legend()
    assert [line.get_linestyle() for line in legend.get_lines()] == ["-", "--"]
    plt.close(figure)
