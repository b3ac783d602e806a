"""Plots of the topographic-map model (notebook 07): a map on the sheet, its stages while it
learns, its order against the strength of lateral inhibition or excitation, the lateral profile,
the tectum's activity. Like every plot they take data (and, optionally, the axes to draw on) and
return the figure."""

import numpy as np

from hebblab.analysis import a_table
from hebblab.checks import a_real, an_instance, an_int, check_array, fail, one_of, or_none
from hebblab.maps import (
    HISTORY_COLUMNS,
    lateral_weight,
    map_correlation,
    MapRun,
    marker_cells,
    receptive_field_centres,
    sheet_positions,
    summarise_maps,
)
from hebblab.plots import a_plot, check_axes, figure_and_axes, non_empty_values
from hebblab.style import COLOURS, COLUMN_WIDTH

_MAX_STAGES = 12  # stages of plot_map_stages, a panel each


@a_plot()
def plot_map(centres, size, ax=None, title=None):
    """A topographic map drawn as a deformed grid: each tectal cell's receptive-field centre on the
    retina, joined to those of its tectal neighbours (rows and columns of the tectum). A perfect
    map is the light grey grid; the polarity markers' tectal cells are red dots. Returns the
    figure."""
    check_array("centres", centres, (size * size, 2))
    fig, ax = figure_and_axes(ax, figsize=(3.6, 3.6))
    grid = sheet_positions(size).reshape(size, size, 2)
    c = np.asarray(centres).reshape(size, size, 2)  # c[row, col] = (retinal row, retinal col)
    for k in range(size):
        ax.plot(grid[k, :, 1], grid[k, :, 0], grid[:, k, 1], grid[:, k, 0], color="0.88",
                lw=1, zorder=1)
        ax.plot(c[k, :, 1], c[k, :, 0], c[:, k, 1], c[:, k, 0], color="k", lw=1.2, zorder=2)
    ax.scatter(c[..., 1], c[..., 0], s=10, color="k", zorder=3)
    markers = np.asarray(centres)[marker_cells(size)]
    ax.scatter(markers[:, 1], markers[:, 0], s=28, color=COLOURS["E"], zorder=4)
    ax.set(xlim=(-0.5, size - 0.5), ylim=(size - 0.5, -0.5), aspect="equal", xticks=[], yticks=[],
           xlabel="retina: column", ylabel="retina: row")
    if title:
        ax.set_title(title, fontsize="medium")
    return fig


@a_plot(run=an_instance(MapRun, "a MapRun, e.g. train_map(record_every=250)"),
       stages=or_none(non_empty_values(1, 0)))
def plot_map_stages(run, stages=None, axes=None):
    """A map as it forms: :func:`plot_map` after each of ``stages`` presentations (default: every
    recorded snapshot, at most 6), each titled with its correlation. ``run`` is a :class:`MapRun`
    with a history; the snapshot nearest to each requested stage is drawn. Returns the figure."""
    import matplotlib.pyplot as plt

    if run.history is None:
        fail("run.history", None, "a MapRun trained with record_every > 0")
    if stages is not None:
        an_int(1, _MAX_STAGES)("len(stages)", len(stages))
        if max(stages) > run.params.presentations:  # not the last snapshot in its place
            fail("stages", stages,
                 f"numbers in [0, {run.params.presentations}], this run's presentations")
    at = run.history_at
    chosen = np.linspace(0, len(at) - 1,
                         min(len(at), 6)).round().astype(int) if stages is None else \
        [int(np.abs(at - stage).argmin()) for stage in stages]
    check_axes(axes, len(chosen))
    if axes is None:
        _, axes = plt.subplots(1, len(chosen), figsize=(min(2.2 * len(chosen), COLUMN_WIDTH), 3.0),
                               layout="constrained", squeeze=False)
        axes = axes[0]
    size = run.params.size
    for ax, k in zip(axes, chosen):
        centres = receptive_field_centres(run.history[k], size)
        plot_map(centres, size, ax=ax,
                 title=f"{at[k]} presentations\nr = {map_correlation(centres, size):.2f}")
    for ax in axes[1:]:
        ax.set(xlabel="", ylabel="")
    return axes[0].figure.figure


@a_plot(by=one_of("lateral_inhibition", "lateral_excitation"), reference=a_real(0, 10),
       confidence=a_real(0, 1, open_low=True))
def plot_map_order(table, by, measure="correlation", ax=None, reference=1.0, confidence=0.95):
    """Map quality against a lateral strength: one grey dot per run, the mean over seeds (black)
    with its bootstrap interval (band), and the reference strength (dashed). ``table`` is from
    :func:`map_sweep`; ``by`` is ``"lateral_inhibition"`` or ``"lateral_excitation"``. Returns the
    figure."""
    a_table(by, measure)("table", table)
    fig, ax = figure_and_axes(ax, figsize=(4.8, 3.4))
    summary = summarise_maps(table, by, measure, confidence)
    ax.scatter(table[by], table[measure], s=12, color="0.6", alpha=0.6, label="one run", zorder=2)
    ax.fill_between(summary[by], summary["low"], summary["high"],
                    color=COLOURS["I" if "inhib" in by else "E"],
                    alpha=0.25, label=f"{confidence:.0%} interval (bootstrap)", zorder=1)
    ax.plot(summary[by], summary["mean"], "o-", color="k", ms=4,
            label=f"mean of n = {summary['n'].min()} seeds", zorder=3)
    ax.axvline(reference, color="k", ls="--", lw=1, label="reference strength")
    ax.set(xlabel=f"{by.replace('_', ' ')} (× reference)", ylabel=measure.replace("_", " "))
    ax.legend(fontsize="small", loc="best")
    return fig


@a_plot()
def plot_lateral_profile(lateral_excitation=1.0, lateral_inhibition=1.0, ax=None):
    """The lateral weight ``e(d)`` against the distance ``d`` between two tectal cells (a "Mexican
    hat"), for the given strengths, beside the reference one (outline). Returns the figure."""
    fig, ax = figure_and_axes(ax, figsize=(4.2, 3))
    d = np.arange(6)
    e = lateral_weight(d, lateral_excitation, lateral_inhibition)
    ax.bar(d, e, color=np.where(e >= 0, COLOURS["E"], COLOURS["I"]), width=0.6,
           label=f"excitation × {lateral_excitation:g}, inhibition × {lateral_inhibition:g}")
    ax.bar(d, lateral_weight(d), fill=False, edgecolor="k", width=0.6, label="reference")
    ax.axhline(0, color="k", lw=0.5)
    ax.set(xlabel="distance d between tectal cells (Manhattan)",
           ylabel="lateral weight $e(d)$", xticks=d)
    ax.legend(fontsize="small")
    return fig


@a_plot()
def plot_tectal_activity(H_star, size, ax=None, title=None):
    """The tectum's output ``H*`` at stationarity (``(size²,)``) as an image, white where silent.
    Returns the figure."""
    check_array("H_star", H_star, (size * size,), 0, 1e6)
    fig, ax = figure_and_axes(ax, figsize=(3.4, 3.2))
    image = ax.imshow(np.asarray(H_star).reshape(size, size), cmap="Reds", vmin=0)
    fig.colorbar(image, ax=ax, shrink=0.8, label="$H^*$")
    ax.set(xticks=[], yticks=[], xlabel="tectum: column", ylabel="tectum: row")
    if title:
        ax.set_title(title, fontsize="medium")
    return fig


@a_plot()
def plot_map_sweeps(by_inhibition, by_excitation, measure="correlation"):
    """Map quality against lateral inhibition (left) and against lateral excitation (right), each
    the other at its reference strength: :func:`plot_map_order` for two tables of
    :func:`map_sweep`. Returns the figure."""
    a_table("lateral_inhibition", measure)("by_inhibition", by_inhibition)
    a_table("lateral_excitation", measure)("by_excitation", by_excitation)
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(COLUMN_WIDTH, 3.4), layout="constrained", sharey=True)
    plot_map_order(by_inhibition, "lateral_inhibition", measure, ax=axes[0])
    plot_map_order(by_excitation, "lateral_excitation", measure, ax=axes[1])
    axes[1].set_ylabel("")
    return fig


@a_plot(measure=one_of(*HISTORY_COLUMNS[5:]), confidence=a_real(0, 1, open_low=True),
       mark=or_none(an_int(0, 10**7)))
def plot_map_history(history, measure="correlation", ax=None, mark=None, confidence=0.95):
    """Map quality against presentations, one curve per setting (lateral excitation × inhibition)
    of a :func:`map_history` table: the mean over seeds with its bootstrap interval (band);
    ``mark`` draws a dotted line at that many presentations (e.g. where a sweep stops). Returns the
    figure."""
    a_table("lateral_excitation", "lateral_inhibition", "presentations",
            measure)("history", history)
    fig, ax = figure_and_axes(ax, figsize=(COLUMN_WIDTH, 3.4))
    for (excitation, inhibition), group in history.groupby(["lateral_excitation",
                                                            "lateral_inhibition"], sort=True):
        summary = summarise_maps(group, "presentations", measure, confidence)
        line, = ax.plot(summary["presentations"], summary["mean"], "o-", ms=3,
                        label=f"excitation × {excitation:g}, inhibition × {inhibition:g} (n "
                              f"= {summary['n'].min()})")
        ax.fill_between(summary["presentations"], summary["low"], summary["high"],
                        color=line.get_color(), alpha=0.2)
    if mark is not None:
        ax.axvline(mark, color="k", ls=":", lw=1, label=f"{mark} presentations")
    ax.set(xlabel="presentations", ylabel=measure.replace("_", " "))
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False,
              title=f"mean over seeds, {confidence:.0%} interval\n(bootstrap)",
              title_fontsize="small")
    return fig
