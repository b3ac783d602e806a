"""The figures of the explorers of notebooks 01 and 02: a McCulloch–Pitts unit in its input plane,
one weight under the rule (the explorer of notebook 03 draws
:func:`hebblab.plots.plot_training_run`)."""

import numpy as np

from hebb_core import BOOLEAN_FUNCTIONS, mcculloch_pitts_unit, truth_table
from hebblab.checks import a_real, an_array, fail
from hebblab.plots import a_plot, figure_and_axes, non_empty_values


@a_plot(w=an_array((2,)), theta=a_real())
def plot_decision_line(w, theta, ax=None):
    """A two-input McCulloch–Pitts unit in its input plane: the line ``w1 x1 + w2 x2 = theta``, the
    side on which it fires (shaded) and the four binary inputs (filled: the unit fires). Returns
    the figure."""
    from matplotlib.colors import ListedColormap

    fig, ax = figure_and_axes(ax, figsize=(4.2, 4))
    low, high = -0.5, 1.5
    ax.imshow(np.zeros((201, 201)), origin="lower", extent=(low, high, low, high),
              cmap=ListedColormap(["white", "#f7d9c4"]), vmin=0, vmax=1,
              # a grid point to a few pixels, as they are: "auto" smooths them at 1.5x, a quarter
              # of the drawing
              interpolation="nearest")
    ax.plot([], [], color="k")
    ax.scatter([0, 0, 1, 1], [0, 1, 0, 1], s=160, c="w", edgecolors="k", zorder=3)
    ax.set(xlim=(low, high), ylim=(low, high), xticks=[0, 1], yticks=[0, 1], xlabel="$x_1$",
           ylabel="$x_2$")
    _set_decision_line(ax, w, theta)
    return fig


def _set_decision_line(ax, w, theta):
    """Draw the unit ``w, theta`` into the axes of :func:`plot_decision_line`: its side shaded, its
    line, the inputs on which it fires filled, the title."""
    (w1, w2), (low, high) = w, ax.get_xlim()
    grid = np.linspace(low, high, 201)
    ax.images[0].set_data(mcculloch_pitts_unit(np.stack(np.meshgrid(grid, grid),
                                                        axis=-1), w, theta))
    if w2 != 0:
        ax.lines[0].set_data(grid, (theta - w1 * grid) / w2)  # x2 = (theta - w1 x1) / w2
    else:  # x1 = theta / w1, or no line when both weights are 0
        ax.lines[0].set_data([theta / w1] * 2 if w1 != 0 else [], [low, high] if w1 != 0 else [])
    table = truth_table(w, theta)
    ax.collections[0].set_facecolors(np.where(table.S > 0, "k", "w"))
    ax.set_title(f"w = ({w1:g}, {w2:g}), θ = {theta:g}: {BOOLEAN_FUNCTIONS[tuple(table.S)]}")


@a_plot(numeric=non_empty_values(1), analytic=non_empty_values(1), w_star=a_real())
def plot_hebb_trajectory(numeric, analytic, epsilon, w_star, ax=None):
    """One weight under repeated pairing: the rule applied step by step (dots) against the closed
    form (line), with the fixed point ``w*`` (dashed) and the time scale ``t = 1/eps`` (dotted).
    Returns the figure."""
    if len(numeric) != len(analytic):
        fail("numeric", f"{len(numeric)} values", f"as many values as analytic: {len(analytic)}")
    fig, ax = figure_and_axes(ax, figsize=(6.4, 3.6))
    ax.plot([], [], color="k", lw=1.5, label="closed form $w^* + (w_0 - w^*)(1-ε)^t$")
    ax.plot([], [], "o", color="#E69F00", ms=4, label="the rule, step by step")
    ax.axhline(0, color="grey", ls="--")
    ax.axvline(0, color="grey", ls=":")
    ax.set(ylim=(-1.1, 1.1), xlabel="pairings $t$", ylabel="weight $w$")
    _set_hebb_trajectory(ax, numeric, analytic, epsilon, w_star)
    return fig


def _set_hebb_trajectory(ax, numeric, analytic, epsilon, w_star):
    """Draw one weight's trajectory into the axes of :func:`plot_hebb_trajectory`: the curves, the
    fixed point, the time scale (hidden beyond the last pairing)."""
    t = np.arange(len(analytic))
    closed, rule, fixed, scale = ax.lines
    closed.set_data(t, analytic)
    rule.set_data(t, numeric)
    rule.set_markevery(max(1, len(t) // 40))
    fixed.set(ydata=[w_star, w_star], label=f"fixed point $w^*$ = {w_star:+g}")
    shown = 1 / epsilon <= t[-1]
    scale.set(xdata=[1 / epsilon] * 2, visible=shown,
              label=f"$t = 1/ε$ = {1 / epsilon:.3g}" if shown else "_")
    ax.set(xlim=(0, max(t[-1], 1)), title=f"ε = {epsilon:.3g}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", frameon=False)
