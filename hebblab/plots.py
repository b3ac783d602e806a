"""Plots, in the order of the notebooks. Every plot function takes data (and, optionally, the axes
to draw on) and returns the figure; none calls ``plt.show()``."""

import math

import numpy as np

from hebb_core import A_PARAMS, check_types, check_weights, split_layers
from hebblab.analysis import a_table, chance_recall, hebb_fixed_points
from hebblab.checks import (
    a_real,
    an_axes,
    an_instance,
    an_int,
    as_shown,
    check_array,
    check_bool,
    fail,
    MAX_EPOCHS,
    MAX_LAYERS,
    MAX_NEURONS,
    one_of,
    or_none,
    with_checks,
)
from hebblab.maps import MAP_COLUMNS, MapParams
from hebblab.style import (
    COLOURS,
    COLUMN_WIDTH,
    course_style,
    DASHES,
    LINESTYLES,
    MARKERS,
    WEIGHT_CMAP,
)
from hebblab.variants import MAX_WILLSHAW_SYNAPSES, willshaw_bits_per_synapse, willshaw_fraction_on

# The main explorer's weights, on one symmetric log scale for every network (|w| <= 1 under the
# rule): linear within ±0.01, so that both the small weights of a cycle and the large ones of a
# learnt map show, seed after seed.
_WEIGHT_LINTHRESH = 0.01
# the epoch axis of the weights' traces: linear to 10, then logarithmic
_EPOCH_LABEL = "epoch (linear to 10, then logarithmic)"


def figure_and_axes(ax, **figure_kw):
    """``(figure, ax)``: the root figure that ``ax`` is drawn in, or a new figure with one axes."""
    if ax is None:
        import matplotlib.pyplot as plt

        return plt.subplots(layout="constrained", **figure_kw)
    # .figure twice: the root figure, also when ax lives in a subfigure
    return ax.figure.figure, ax


# The checks of the plots' arguments, made before anything is drawn; matplotlib is imported only to
# check axes.
_MAX_BINS = 100_000  # bins of trace_envelope
_LINESTYLES = ("-", "--", "-.", ":", "none", "solid", "dashed", "dashdot", "dotted")
_a_text = an_instance(str, "a string")
# from run_experiment
_a_sweep_table = a_table("excitatory_value", "converged", "epochs_to_convergence")


def non_empty_values(shape, low=-1e6, high=1e6):
    """A rule: a non-empty array of finite numbers in ``[low, high]`` of ``shape`` (a tuple, or a
    number of axes)."""
    def rule(name, value):
        if check_array(name, value, shape, low, high).size == 0:
            fail(name, "an empty array", f"a non-empty array of finite numbers in [{low}, {high}]")
    return rule


def _check_list(name, value, count, items, rule=None):
    """Raise ``ValueError`` unless ``value`` is a list, tuple or array of ``count`` items (a
    number, or ``(low, high)``), each passing ``rule``; ``items`` says what they are, for the
    message."""
    low, high = count if isinstance(count, tuple) else (count, count)
    listed = isinstance(value, (list, tuple)) or isinstance(value, np.ndarray) and value.ndim > 0
    if not listed or not low <= len(value) <= high:
        fail(name, f"{len(value)} items" if listed else as_shown(value),
              f"a list of {low if low == high else f'{low} to {high}'} {items}")
    for index, item in enumerate(value if rule else ()):
        rule(f"{name}[{index}]", item)


def check_axes(axes, count):
    """Raise ``ValueError`` unless ``axes`` is ``None`` or ``count`` matplotlib Axes to draw on."""
    if axes is not None:
        _check_list("axes", axes, count, "matplotlib Axes", an_axes)


def _check_column(name, value, table, none=False):
    """Raise ``ValueError`` unless ``value`` names a column of ``table`` (or is ``None``, where
    ``none``)."""
    if not (none and value is None) and (not isinstance(value, str) or value not in table.columns):
        fail(name, as_shown(value),
             f"{'None or ' * none}the name of a column of the table: {list(table.columns)}")


def _check_curve(name, curve):
    """Raise ``ValueError`` unless ``curve`` is a pair ``(xs, ys)`` of 1-D arrays of the same
    length."""
    _check_list(name, curve, 2, "1-D arrays (xs, ys) of the same length",
                non_empty_values(1, -math.inf, math.inf))
    if len(curve[0]) != len(curve[1]):
        fail(name, f"{len(curve[0])} xs and {len(curve[1])} ys", "as many xs as ys")


def _a_map_param(name, value):
    """A rule: ``value`` as :class:`MapParams` allows its field ``name`` (``size``,
    ``lateral_excitation``, …)."""
    MapParams(**{name: value})


#: The rules of the arguments that several plots share, by name (a plot's own rules come on top:
#: :func:`a_plot`).
_SHARED = dict(ax=or_none(an_axes), title=or_none(_a_text), xlabel=_a_text, ylabel=_a_text,
               label=_a_text, params=A_PARAMS, counts=check_bool,
               annotate=check_bool, epsilon=a_real(0, 1, open_low=True), N=an_int(1, MAX_NEURONS),
               size=_a_map_param, lateral_excitation=_a_map_param, lateral_inhibition=_a_map_param,
               # the measures of map order that summarise_maps takes
               measure=one_of(*MAP_COLUMNS[5:]))


def a_plot(**rules):
    """A plotting function's decorator: :func:`hebblab.checks.with_checks` with the shared rules of
    :data:`_SHARED` and the plot's own ``rules``, drawn in the course's style."""
    return lambda function: with_checks(**{**_SHARED, **rules})(course_style()(function))


def _check_network(params, types):
    """A network :func:`plot_network` can draw, one matrix per pair of layers, and the types of its
    neurons."""
    if len(params.weight_keys) != params.L - 1:
        fail("params", f"a {type(params).__name__} with edges={params.edges!r}",
             "edges='single' (one matrix per pair of layers)")
    check_types(types, params.P)


def _check_history(params, types, weight_history, converged_at):
    """The arguments of :func:`plot_weight_traces` and :func:`plot_training_run`: the weights of
    every layer after each of ``T+1`` epochs, and ``None`` or an epoch in ``[0, T]``."""
    _check_network(params, types)
    _check_list("weight_history", weight_history, params.L - 1, "arrays (T+1, n_l, n_l+1)",
                non_empty_values(3, -1, 1))
    for layer, history in enumerate(weight_history):
        check_array(f"weight_history[{layer}]", history,
                    (len(weight_history[0]),) + params.sizes[layer:layer + 2])
    if converged_at is not None:
        an_int(0, len(weight_history[0]) - 1)("converged_at", converged_at)


def _edge_looks(weights):
    """The edges of :func:`plot_network`: widths ∝ |w| (relative to the largest weight), red
    positive, blue negative."""
    w = np.concatenate([np.ravel(W) for W in weights])
    return (0.3 + 5 * np.abs(w) / (np.abs(w).max() or 1.0),
            np.where(w >= 0, COLOURS["E"], COLOURS["I"]))


def _neuron_colours(params, types):
    """The neurons of :func:`plot_network`: red excitatory, blue inhibitory, grey output."""
    kinds = np.concatenate([check_types(types, params.P), np.zeros(params.sizes[-1])])
    return np.select([kinds > 0, kinds < 0], [COLOURS["E"], COLOURS["I"]], COLOURS["output"])


@a_plot()
def plot_network(params, types, weights, states=None, ax=None, title=None):
    """The network, layer by layer from the input (left) to the output (right).

    Neurons: red excitatory, blue inhibitory, grey output (no type). Edges: width ∝ |w| (relative
    to the largest weight drawn), red positive, blue negative. ``states`` (one vector per layer,
    e.g. after :func:`clamp_neurons`) are written inside the neurons; a neuron at ``+1`` gets a
    thick rim. Returns the figure.
    """
    _check_network(params, types)
    check_weights(weights, params)
    if states is not None:
        _check_list("states", states, params.L, f"state vectors, of sizes {params.sizes}")
        for layer, S in enumerate(states):
            if not np.isin(check_array(f"states[{layer}]", S, params.sizes[layer:layer + 1]),
                           (-1, 0, 1)).all():
                fail(f"states[{layer}]", np.asarray(S).tolist(), "states -1, 0 or +1")
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    sizes, tallest = params.sizes, max(params.sizes)
    fig, ax = figure_and_axes(ax, figsize=(1.6 * params.L + 1.2, 0.65 * tallest + 1.6))
    positions = [np.column_stack([np.full(n, layer), (n - 1) / 2 - np.arange(n)]) for layer,
                 n in enumerate(sizes)]
    segments = []
    for layer, W in enumerate(weights):
        pre, post = np.meshgrid(np.arange(sizes[layer]), np.arange(sizes[layer + 1]),
                                indexing="ij")
        segments.append(np.stack([positions[layer][pre.ravel()],
                                  positions[layer + 1][post.ravel()]], axis=1))
    widths, colours = _edge_looks(weights)
    ax.add_collection(LineCollection(np.concatenate(segments), linewidths=widths,
                                     alpha=0.6, zorder=1, colors=colours))
    xy = np.concatenate(positions)
    rims = np.ones(len(xy))
    if states is not None:
        S = np.concatenate([np.ravel(s) for s in states])
        rims = np.where(S > 0, 3.5, 1.0)
        for (x, y), s in zip(xy, S):
            ax.text(x, y, {1: "+1", -1: "−1", 0: "0"}[int(s)], ha="center", va="center",
                    color="white", fontsize=8, fontweight="bold", zorder=4)
    ax.scatter(xy[:, 0], xy[:, 1], s=480 if tallest <= 5 else 260, linewidths=rims,
               edgecolors="k", zorder=3, c=_neuron_colours(params, types))
    # several hidden layers: h1, h2, … (a layer's name no wider than the space between layers)
    hidden = (["hidden"] if params.L == 3
              else [f"h{layer}" for layer in range(1, params.L - 1)])
    names = ["input"] + hidden + ["output"]
    for layer, name in enumerate(names):
        ax.text(layer, (tallest - 1) / 2 + 0.55, name, ha="center", va="bottom")
    handles = [Line2D([], [], ls="", marker="o", ms=9, mec="k", mfc=COLOURS[kind],
                      label=f"{kind} neuron")
               for kind in ("E", "I")]
    handles += [Line2D([], [], color=COLOURS[kind], lw=2.5, label=label) for kind,
                label in (("E", "w > 0"),
                          ("I", "w < 0"))]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.02), ncols=2,
              frameon=False, fontsize="medium")  # readable on a projector: 10 px at the least
    ax.set(xlim=(-0.45, params.L - 0.55), ylim=(-(tallest - 1) / 2 - 0.5, (tallest - 1) / 2 + 0.9))
    ax.axis("off")
    if title:
        ax.set_title(title)
    return fig


def _nice_ceiling(value):
    """The smallest of 1, 2 and 5 times a power of ten that is at least ``value`` (> 0): a scale
    that stays put while the data move a little, so that figures can be compared (and an explorer
    redraws less)."""
    power = 10.0 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value * (1 - 1e-12))


def _a_norm(name, value):
    """Raise ``ValueError`` unless ``value`` is ``None`` or a matplotlib ``Normalize``."""
    from matplotlib.colors import Normalize

    if value is not None and not isinstance(value, Normalize):
        fail(name, as_shown(value), "None or a matplotlib Normalize (e.g. SymLogNorm)")


@a_plot(vmax=or_none(a_real(0, 1e6, open_low=True)), norm=_a_norm)
def plot_weight_heatmaps(weights, axes=None, vmax=None, label="", annotate=True, norm=None):
    """One heatmap per weight matrix ``W[l]`` (rows: presynaptic neuron in layer ``l``; columns:
    postsynaptic neuron in layer ``l+1``), all on one colour scale ``[-vmax, vmax]`` (default: the
    largest |w|), linear unless ``norm`` (a matplotlib ``Normalize``) gives another. ``annotate``
    writes the values in when a matrix is small. ``label`` starts each title (e.g.
    ``"before: "``). Returns the figure.
    """
    _check_list("weights", weights, (1, 2 * (MAX_LAYERS - 1)), "weight matrices",
                non_empty_values(2))
    check_axes(axes, len(weights))
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, len(weights),
                               figsize=(min(2.9 * len(weights) + 1, COLUMN_WIDTH), 2.9),
                               layout="constrained", squeeze=False)
        axes = axes[0]
    vmax = vmax or max(np.abs(W).max() for W in weights) or 1.0
    if norm is None:
        from matplotlib.colors import Normalize

        norm = Normalize(-vmax, vmax)
    for layer, (W, ax) in enumerate(zip(weights, axes)):
        image = ax.imshow(W, cmap=WEIGHT_CMAP, norm=norm, interpolation="nearest")
        if annotate and W.size <= 16:  # small enough to read the numbers
            for (a, b), value in np.ndenumerate(W):
                ax.text(b, a, f"{value:.3f}", ha="center", va="center", fontsize=8,
                        color="white" if abs(value) > 0.6 * vmax else "black")
        ax.set(title=f"{label}W[{layer}]", xlabel=f"to layer {layer + 1}",
               ylabel=f"from layer {layer}",
               xticks=np.arange(W.shape[1]), yticks=np.arange(W.shape[0]))
    axes[0].figure.colorbar(image, ax=list(axes), shrink=0.8, label="weight")
    return axes[0].figure.figure


@with_checks(traces=non_empty_values(2), bins=an_int(1, _MAX_BINS))
def trace_envelope(traces, bins=400):
    """Thin traces for drawing on a logarithmic epoch axis: per bin of epochs (one epoch wide at
    first, then log-spaced like the axis) the lowest and the highest value. ``traces`` has shape
    ``(T, K)``; returns the epochs and values to plot. At the axis' resolution the picture is that
    of every epoch, and it draws 3 times faster."""
    # 0, 1, 2, …, then wider bins
    starts = np.unique(np.geomspace(1, len(traces), bins).astype(int)) - 1
    low, high = np.minimum.reduceat(traces, starts), np.maximum.reduceat(traces, starts)
    return np.repeat(starts, 2), np.stack([low, high], axis=1).reshape(2 * len(starts), -1)


@a_plot()
def plot_weight_traces(params, types, weight_history, converged_at=None, axes=None):
    """Every weight over the epochs of a training run, one panel per weight matrix; a trace is red
    when its presynaptic neuron is excitatory, blue when inhibitory.

    weight_history : one ``(T+1, n_l, n_{l+1})`` array per layer, epoch 0 first
    (``RunResult.history["weights"]``,
        or one network's slice of ``BatchResult.history["weights"]``)
    converged_at : epoch of the first full recall, marked by a dashed line (``None``: not marked)

    Returns the figure.
    """
    _check_history(params, types, weight_history, converged_at)
    check_axes(axes, params.L - 1)
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection

    if axes is None:
        _, axes = plt.subplots(1, len(weight_history),
                               figsize=(min(3.6 * len(weight_history) + 0.6, COLUMN_WIDTH), 2.8),
                               layout="constrained", sharey=True, squeeze=False)
        axes = axes[0]
    for layer, (history, ax) in enumerate(zip(weight_history, axes)):
        # one line per weight W[a, b]
        ax.add_collection(LineCollection([], linewidths=0.8, alpha=0.7))
        ax.axhline(0, color="k", lw=0.5)
        ax.set_yscale("symlog", linthresh=_WEIGHT_LINTHRESH, linscale=0.5)
        ax.set_ylim(-1, 1)
        ax.yaxis.set_major_formatter("{x:g}")
        # the first 1/eps epochs and the long run, side by side
        ax.set_xscale("symlog", linthresh=10, linscale=0.5)
        ax.xaxis.set_major_formatter("{x:g}")  # 0, 10, 100, 1000: quicker to draw than 10^k
        ax.set(xlim=(0, max(history.shape[0] - 1, 1)),
               xlabel=_EPOCH_LABEL,
               title=f"W[{layer}]: from layer {layer}")
    axes[0].set_ylabel("weight (symmetric log scale)")
    _set_weight_traces(axes, params, types, weight_history, converged_at)
    return axes[0].figure.figure


def _set_weight_traces(axes, params, types, weight_history, converged_at):
    """Draw the traces into the axes of :func:`plot_weight_traces` (also to redraw them in place):
    the lines, the epoch of the first full recall and the legend."""
    from matplotlib.lines import Line2D

    for history, kind, ax in zip(weight_history,
                                 split_layers(check_types(types, params.P), params.sizes), axes):
        epochs, traces = trace_envelope(history.reshape(history.shape[0], -1))
        ax.collections[0].set_segments([np.column_stack([epochs, trace]) for trace in traces.T])
        # a colour and a line style each
        kinds = np.repeat(np.where(kind > 0, "E", "I"), history.shape[2])
        ax.collections[0].set(color=[COLOURS[k] for k in kinds],
                              linestyle=[LINESTYLES[k] for k in kinds])
        for line in ax.lines[1:]:  # the mark of an earlier drawing
            line.remove()
        if converged_at is not None:
            ax.axvline(converged_at, color="k", ls="--", lw=1)
    handles = [Line2D([], [], color=COLOURS[k], ls=LINESTYLES[k],
                      label=f"from an {k} neuron") for k in "EI"]
    if converged_at is not None:
        handles.append(Line2D([], [], color="k", ls="--",
                              label=f"all pairs recalled (epoch {converged_at})"))
    axes[-1].legend(handles=handles, loc="lower right", fontsize="medium")


@a_plot()
def plot_training_run(params, types, weight_history, converged_at=None, title=None):
    """The main explorer's figure: the trained network and its weight matrices (top), every weight
    over the epochs (bottom). Arguments as for :func:`plot_weight_traces`. Returns the figure."""
    _check_history(params, types, weight_history, converged_at)
    import matplotlib.pyplot as plt
    from matplotlib.colors import SymLogNorm

    n = params.L - 1
    # A fixed grid rather than a layout engine, and titles at a fixed height (nothing is drawn
    # above an axes here) rather than placed by measuring the ticks: quicker to draw, and the same
    # places for every network.
    with plt.rc_context({"axes.titley": 1.0}):
        fig = plt.figure(figsize=(COLUMN_WIDTH, 6.0))
        rows = fig.add_gridspec(2, 1, height_ratios=[1.1, 1], left=0.1, right=0.97,
                                bottom=0.08, top=0.9, hspace=0.4)
        # from three matrices on, wider gaps, so that each heatmap's labels stay clear of its
        # neighbour, and a wider network, so that its layers' names do; one matrix leaves room
        # on its right for the colour bar's label
        top = rows[0].subgridspec(1, n + 1 + (n == 1),
                                  width_ratios=[1.5 + 0.5 * max(n - 2, 0)] + [1] * n
                                  + [0.3] * (n == 1),
                                  wspace=0.35 if n <= 2 else 0.7)
        bottom = rows[1].subgridspec(1, n, wspace=0.08)
        final = [history[-1] for history in weight_history]
        plot_network(params, types, final, ax=fig.add_subplot(top[0]))
        heatmaps = [fig.add_subplot(top[1 + layer]) for layer in range(n)]
        plot_weight_heatmaps(final, axes=heatmaps, label="final ",
                             norm=SymLogNorm(_WEIGHT_LINTHRESH, vmin=-1, vmax=1),
                             # the numbers are in the colour bar; fewer texts redraw faster
                             annotate=False)
        # the colour bar is drawn for the last heatmap
        heatmaps[-1].images[0].colorbar.formatter = "{x:g}"
        for W, ax in zip(final, heatmaps):  # every other neuron's number where they would touch
            if max(W.shape) > 5:
                ax.set(xticks=np.arange(0, W.shape[1], 2), yticks=np.arange(0, W.shape[0], 2))
        traces = [fig.add_subplot(bottom[0])]
        traces += [fig.add_subplot(bottom[layer], sharey=traces[0]) for layer in range(1, n)]
        plot_weight_traces(params, types, weight_history, converged_at, axes=traces)
    for ax in traces[1:]:
        ax.tick_params(labelleft=False)
    # one label under the row of traces, at its middle: the label of each would run into the next
    # one's from L = 4
    for ax in traces:
        ax.set_xlabel("")
    fig.supxlabel(_EPOCH_LABEL, x=0.535, y=0.005, va="bottom", fontsize="medium")
    if title:
        fig.suptitle(title)
    return fig


def _ratio_ticks(ax, values):
    """E/I ratios as x ticks: the fraction of excitatory neurons, to 3 decimals (the workshop's
    rounding)."""
    values = np.sort(np.unique(values))
    if len(values) > 9:  # several networks in one axes: a plain scale
        ax.set_xticks(np.linspace(0, 1, 11), [f"{v:.1f}" for v in np.linspace(0, 1, 11)])
        ax.set_xlim(0, 1)
    else:
        ax.set_xticks(values, [f"{v:.3f}" for v in values])
    ax.set_xlabel("E/I ratio: fraction of excitatory neurons")


@a_plot(table=_a_sweep_table, title=_a_text)
def plot_epochs_vs_ratio(table, ax=None, title="Number of epochs vs E/I ratio"):
    """The workshop's figure: epochs to convergence against the E/I ratio, one dot per run (filled
    red: converged; hollow grey at ``max_epochs``: not converged), spread sideways within a ratio,
    with ``k/n`` (converged of runs) above each ratio. ``table``: a sweep table. Returns the
    figure."""
    fig, ax = figure_and_axes(ax, figsize=(5.4, 3.4))
    values = table["excitatory_value"].to_numpy()
    ratios = np.unique(values)
    width = 0.4 * (np.diff(ratios).min() if len(ratios) > 1 else 0.2)
    group = table.groupby("excitatory_value")
    rank, size = group.cumcount().to_numpy(), group["converged"].transform("size").to_numpy()
    x = values + width * ((rank + 0.5) / size - 0.5)  # the runs of one ratio side by side
    y, done = table["epochs_to_convergence"].to_numpy(), table["converged"].to_numpy()
    ax.scatter(x[~done], y[~done], s=16, facecolors="none", edgecolors=COLOURS["output"],
               label="not converged")
    ax.scatter(x[done], y[done], s=16, color=COLOURS["E"], label="converged")
    top = y.max()
    for value, rows in group:
        ax.text(value, 1.06 * top, f"{rows['converged'].sum()}/{len(rows)}", ha="center",
                va="bottom", fontsize="small")
    _ratio_ticks(ax, values)
    ax.set(ylabel="epochs to convergence", ylim=(0, 1.2 * top), title=title)
    ax.legend(loc="center left", fontsize="small", frameon=False)
    return fig


@a_plot(summary=a_table("excitatory_value", "rate", "low", "high", "successes", "runs"))
def plot_convergence_rate(summary, hue=None, ax=None, counts=True,
                          ylabel="convergence probability"):
    """A rate against the E/I ratio with its Wilson interval, from :func:`summarise_sweep`;
    ``counts`` writes ``k/n`` (successes of runs) above each point. ``hue``: a column of
    ``summary`` that splits it into lines (e.g. ``"N"``, ``"readout"``), drawn side by side.
    Returns the figure."""
    _check_column("hue", hue, summary, none=True)
    from matplotlib.ticker import PercentFormatter

    fig, ax = figure_and_axes(ax, figsize=(5.6, 3.6))
    groups = [(None, summary)] if hue is None else list(summary.groupby(hue, sort=True))
    values = np.unique(summary["excitatory_value"])
    dodge = 0.12 * (np.diff(values).min() if len(values) > 1 else 0.2)
    for index, (value, rows) in enumerate(groups):
        xs = rows["excitatory_value"].to_numpy() + dodge * (index - (len(groups) - 1) / 2)
        rate = rows["rate"].to_numpy()
        ax.errorbar(xs, rate, yerr=[rate - rows["low"], rows["high"] - rate],
                    marker=MARKERS[index % 7], ms=4,
                    capsize=3, lw=1, label=None if hue is None else f"{hue} = {value}")
        if counts:
            for xi, high, k, n in zip(xs, rows["high"], rows["successes"], rows["runs"]):
                ax.annotate(f"{k}/{n}", (xi, high), xytext=(0, 2), textcoords="offset points",
                            ha="center",
                            va="bottom", fontsize=8, rotation=90 if len(groups) > 1 else 0)
    _ratio_ticks(ax, values)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set(ylabel=f"{ylabel} (Wilson interval)",
           ylim=(0, min(1.0, 1.35 * summary["high"].max()) or 1.0))
    if hue is not None:
        ax.legend(fontsize="small", frameon=False)
    return fig


@a_plot(table=_a_sweep_table)
def plot_epochs_distribution(table, hue=None, ax=None):
    """How many epochs the runs that converged needed, against the E/I ratio: one dot per run (a
    strip plot, logarithmic epochs, the dots of a ratio spread sideways by a fixed random draw, the
    same at every drawing), ``hue`` a column of the sweep table (e.g. ``"N"``). Returns the
    figure."""
    _check_column("hue", hue, table, none=True)
    fig, ax = figure_and_axes(ax, figsize=(5.6, 3.6))
    done = table[table["converged"]]
    if len(done):
        ratios = np.unique(table["excitatory_value"])
        # a quarter of the ratios' spacing
        spread = 0.25 * (np.diff(ratios).min() if len(ratios) > 1 else 1.0)
        rng = np.random.default_rng(0)
        groups = [(None, done)] if hue is None else list(done.groupby(hue))
        for index, (value, rows) in enumerate(groups):
            ax.scatter(rows["excitatory_value"] + rng.uniform(-spread, spread, len(rows)),
                       rows["epochs_to_convergence"], s=16, alpha=0.8, color=f"C{index % 7}",
                       # the style's
                       marker=MARKERS[index % 7], label=None if hue is None else f"{value}")
        if hue is not None:
            ax.legend(title=hue, fontsize="small", frameon=False)
        ax.set_yscale("log")
    else:
        ax.text(0.5, 0.5, f"none of {len(table)} runs converged", transform=ax.transAxes,
                ha="center")
    _ratio_ticks(ax, table["excitatory_value"])
    ax.set(ylabel="epochs to convergence", title=f"{len(done)} converged runs of {len(table)}")
    return fig


@a_plot(summary=a_table("excitatory_value", "recall_fraction", "recall_low", "recall_high"),
       readout=one_of("strict", "argmax"))
def plot_recall_fraction(summary, N, hue=None, ax=None, readout="strict"):
    """Partial convergence: the mean fraction of pairs recalled at the end against the E/I ratio,
    with its (conservative) Wilson interval, beside the chance level of the read-out the runs used
    (:func:`chance_recall`: ``2^-N`` strict, ``1/N`` argmax) and the Dale ceiling ``2/N``.
    ``summary`` from :func:`summarise_sweep`. Returns the figure."""
    _check_column("hue", hue, summary, none=True)
    from matplotlib.ticker import PercentFormatter

    fig, ax = figure_and_axes(ax, figsize=(5.6, 3.6))
    groups = [(None, summary)] if hue is None else list(summary.groupby(hue, sort=True))
    for index, (value, rows) in enumerate(groups):
        mean = rows["recall_fraction"].to_numpy()
        ax.errorbar(rows["excitatory_value"], mean,
                    yerr=[mean - rows["recall_low"], rows["recall_high"] - mean],
                    marker=MARKERS[index % 7], ms=4, capsize=3, lw=1,
                    label="the sweep" if hue is None else f"{hue} = {value}")
    chance = chance_recall(N, readout)
    formula = "$2^{-N}$" if readout == "strict" else "$1/N$"
    ax.axhline(chance, color="k", ls=":", label=f"chance ({readout}) {formula} = {chance:.2f}")
    ax.axhline(min(2 / N, 1), color="k", ls="--",
               label=f"Dale ceiling $2/N$ = {min(2 / N, 1):.2f}")
    _ratio_ticks(ax, summary["excitatory_value"])
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set(ylim=(0, min(1.05, 2.8 / N)), ylabel="pairs recalled at the end", title=f"N = {N}")
    ax.legend(fontsize="small", frameon=False, loc="upper right")
    return fig


@a_plot(summary=a_table("excitatory_input", "excitatory_hidden", "rate", "runs", "successes"))
def plot_layer_split(summary, ax=None):
    """Convergence by where the excitatory neurons are: a heatmap of the rate by E count in the
    input layer (rows) and in the hidden layer(s) (columns), each cell labelled ``k/n``; empty
    cells grey. ``summary`` from :func:`summarise_sweep` with ``by=["excitatory_input",
    "excitatory_hidden"]``. Returns the figure."""
    import matplotlib as mpl

    fig, ax = figure_and_axes(ax, figsize=(4.6, 3.6))
    cells = summary.pivot(index="excitatory_input", columns="excitatory_hidden")
    rate = cells["rate"].to_numpy(dtype=np.float64)
    cmap = mpl.colormaps["Reds"].with_extremes(bad="#eeeeee")
    image = ax.imshow(rate, cmap=cmap, vmin=0, vmax=max(np.nanmax(rate), 1e-9), aspect="auto")
    for (row, col), n in np.ndenumerate(cells["runs"].to_numpy(dtype=np.float64)):
        if n > 0:
            ax.text(col, row, f"{cells['successes'].to_numpy()[row, col]:.0f}/{n:.0f}",
                    ha="center", va="center",
                    fontsize=8,
                    color="white" if rate[row, col] > 0.6 * np.nanmax(rate) > 0 else "black")
    ax.set(xticks=np.arange(rate.shape[1]), xticklabels=cells["rate"].columns,
           yticks=np.arange(rate.shape[0]), yticklabels=cells.index,
           xlabel="E neurons in the hidden layer", ylabel="E neurons in the input layer")
    fig.colorbar(image, ax=ax, label="convergence probability")
    return fig


@a_plot(table=a_table("distinct_codes"))
def plot_code_counts(table, hue="dale", ax=None):
    """How many distinct hidden codes (first hidden layer, at recall) the runs showed at most: a
    bar per count, split by ``hue`` (e.g. ``"dale"``). ``table`` has a column ``distinct_codes``.
    Returns the figure."""
    _check_column("hue", hue, table, none=True)
    import seaborn as sns

    fig, ax = figure_and_axes(ax, figsize=(4.6, 3.4))
    # the style's colours, and a hatch per hue
    sns.countplot(data=table, x="distinct_codes", hue=hue, ax=ax)
    [bar.set_hatch(hatch) for bars,
     hatch in zip(ax.containers, ("", "//", "..", "xx")) for bar in bars]
    ax.legend(title=hue) if hue is not None else None  # the legend again, with the hatches
    ax.set(xlabel="distinct hidden states among the N inputs (most over all epochs)",
           ylabel="runs")
    return fig


@a_plot(weight_history=non_empty_values(3, -1, 1), zoom=an_int(1, MAX_EPOCHS))
def plot_weight_cycle(weight_history, input_types, epsilon, axes=None, zoom=8):
    """Proposition 2 in one network: every weight from the input layer over the epochs (left; red
    from an E input, blue from an I input) against the closed forms of :func:`hebb_fixed_points`
    (dashed: ``+A_E`` for E inputs, ``±A_I`` for I inputs), and the last ``zoom`` epochs of the I
    inputs' weights (right), flipping sign every epoch.

    weight_history : ``(T+1, N, n_1)``, the input layer's weights after every epoch (epoch 0 first)
    input_types : ``(N,)``, +1 (E) or -1 (I)
    Returns the figure.
    """
    N = weight_history.shape[1]
    if not np.all(np.abs(check_array("input_types", input_types, (N,), -1, 1)) == 1):
        fail("input_types", np.asarray(input_types).tolist(), f"{N} values, each +1 (E) or -1 (I)")
    check_axes(axes, 2)
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(COLUMN_WIDTH, 3.4), layout="constrained",
                               width_ratios=[1.6, 1])
    T, N = weight_history.shape[0] - 1, weight_history.shape[1]
    A_I, A_E = hebb_fixed_points(N, epsilon)
    kinds = np.asarray(input_types)
    left, right = axes
    # the same artists whatever the allotment (those of the other kind hidden): an explorer redraws
    # them in place
    for i in range(N):
        excitatory = kinds[i] > 0
        colour = COLOURS["E"] if excitatory else COLOURS["I"]
        left.plot(*trace_envelope(weight_history[:, i, :]), color=colour, lw=0.6, alpha=0.7)
        left.axhline(A_E[i] if excitatory else A_I[i], color=colour, ls="--", lw=0.8)
        left.axhline(-A_I[i], color=colour, ls="--", lw=0.8, visible=not excitatory)
    # the ±A_I cycle and A_E ≈ 1/N, both visible
    left.set_yscale("symlog", linthresh=2 * A_I.max(), linscale=1.5)
    # the first crossings of zero and the long run
    left.set_xscale("symlog", linthresh=10, linscale=0.5)
    # a scale that stays put
    top = _nice_ceiling(1.05 * max(np.abs(weight_history).max(), A_E.max()))
    left.set(xlim=(0, T), ylim=(-top, top), xlabel=_EPOCH_LABEL,
             ylabel="weight W[0] (symmetric log scale)",
             title=f"input layer\nE → $+A_E$ ≈ {A_E[0]:.3g}, I → $\\pm A_I$ ≈ ±{A_I[0]:.2g}")
    levels = (A_I.max(), A_E.max()) + ((math.sqrt(A_I.max() * A_E.max()),)
                                       if A_E.max() > 20 * A_I.max() else ())
    # ±A_I, ±A_E and, far apart, one between
    ticks = sorted([0, *levels, *(-level for level in levels)])
    left.set_yticks(ticks, [f"{tick:.2g}" for tick in ticks])
    start = max(T - zoom, 0)
    epochs = np.arange(start, T + 1)
    for i in range(N):
        inhibitory = bool(kinds[i] < 0)
        right.plot(epochs, weight_history[start:, i, :], "o-", color=COLOURS["I"], ms=3, lw=0.6,
                   visible=inhibitory)
        for level in (A_I[i], -A_I[i]):
            right.axhline(level, color="k", ls="--", lw=0.6, visible=inhibitory)
    right.axhline(0, color="grey", lw=0.5)
    right.set(xlabel="epoch", ylim=(-1.6 * A_I.max(), 1.6 * A_I.max()),
              title="I inputs, last "
                    "epochs\n(dashed: $\\pm A_I$)" if (kinds < 0).any() else "no I input")
    return axes[0].figure.figure


@a_plot(fields=a_table("input_type", "hidden_balance", "target_field", "amplitude", "recalled",
                      "predicted"))
def plot_target_fields(fields, ax=None):
    """Why the rare successes need a net-inhibitory hidden layer: each target output neuron's field
    at recall, in units of ``A(i)``, against ``type(i)·(E_hidden - I_hidden)``, I inputs left of
    each value and E inputs right, each group labelled with the pairs recalled in it (``k/n``).
    Proposition 2 puts every point on the diagonal; the target can fire (field >= 0) only on its
    right half. ``fields`` from :func:`target_fields`. Returns the figure."""
    fig, ax = figure_and_axes(ax, figsize=(5.6, 4))
    x = fields["input_type"] * fields["hidden_balance"]
    y = fields["target_field"] / fields["amplitude"]
    for (kind, value), rows in fields.groupby([np.where(fields["input_type"] > 0, "E", "I"), x]):
        side = 0.15 if kind == "E" else -0.15
        ax.scatter(np.full(len(rows), value + side), y[rows.index], s=30,
                   color=COLOURS[kind], zorder=3, label=f"from an {kind} input")
        ax.annotate(f"{rows['recalled'].sum()}/{len(rows)}", (value + side, y[rows.index].mean()),
                    xytext=(6 if kind == "E" else -6, 0), textcoords="offset points", va="center",
                    ha="left" if kind == "E" else "right", fontsize=8, color=COLOURS[kind])
    edge = max(np.abs(x).max(), 1) + 0.8
    ax.plot([-edge, edge], [-edge, edge], color="k", lw=0.8, label="Proposition 2: y = x")
    ax.axhspan(-edge, 0, color="#eeeeee", zorder=0)
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    ax.legend(unique.values(), unique.keys(), fontsize="small", loc="upper left", frameon=False)
    ax.text(0.98, 0.03, "grey: the target cannot fire; k/n: pairs recalled",
            transform=ax.transAxes, ha="right", fontsize="small")
    error = (fields["target_field"] - fields["predicted"]).abs().max()
    ax.set(xlim=(-edge, edge), ylim=(-edge, edge), xlabel="type$(i)\\,(E_{hidden} - I_{hidden})$",
           ylabel="target field at recall / $A(i)$",
           title=f"{len(fields)} pairs; largest |field − prediction| = {error:.1e}")
    return fig


@a_plot(recall_fraction=non_empty_values(1, 0, 1), readout=one_of("strict", "argmax"))
def plot_recall_counts(recall_fraction, N, ax=None, readout="strict"):
    """Partial convergence in a set of runs: how many runs recalled ``0, 1, …, N`` of their ``N``
    pairs at the end, beside the pairs a random answer recalls under ``readout``
    (``N·chance_recall(N, readout)``: 1 pair argmax, ``N·2^-N`` strict) and the Dale ceiling
    ``2/N`` (dotted and dashed lines). Returns the figure."""
    fig, ax = figure_and_axes(ax, figsize=(4.2, 3.4))
    recalled = np.rint(np.asarray(recall_fraction) * N).astype(np.int64)  # pairs recalled per run
    counts = np.bincount(recalled, minlength=N + 1)
    ax.bar(np.arange(N + 1), counts, color=COLOURS["output"])
    pairs = N * chance_recall(N, readout)
    ax.axvline(pairs, ymax=0.72, color="k", ls=":",  # ending below the legend
               label=f"chance ({readout}): {pairs:.2g} pair{'s' * (pairs != 1)}")
    ax.axvline(min(2, N), ymax=0.72, color="k", ls="--", label="Dale ceiling: 2 pairs ($2/N$)")
    ax.set(xticks=np.arange(N + 1), xlabel=f"pairs recalled\nat the end (of N = {N})",
           ylabel="runs",
           # out of all runs: the same scale for every set of as many runs
           ylim=(0, 1.35 * len(recalled)),
           title=f"mean {recalled.mean() / N:.0%} of pairs,\n{len(recalled)} runs")
    ax.legend(loc="upper right", frameon=False)
    return fig


# ── Beyond the workshop's model (notebook 06) ────────────────────────────────────────────────────


@a_plot(summary=a_table(), y=one_of("rate", "recall_fraction"), ylabel=or_none(_a_text),
       linestyle=or_none(one_of(*_LINESTYLES)))
def plot_rate_against(summary, x, hue=None, ax=None, y="rate", formula=None, ylabel=None,
                      counts=False, linestyle=None):
    """A rate against any column ``x`` with its Wilson interval, one line per value of ``hue``
    (``linestyle="none"`` for points only, e.g. when ``x`` names categories; ``None``: each line
    its own style, as its colour).

    summary : from :func:`summarise_sweep` grouped by ``[hue, x]`` (or ``x``)
    y : ``"rate"`` (the outcome's rate, interval ``low``–``high``) or ``"recall_fraction"`` (pairs
    recalled,
        interval ``recall_low``–``recall_high``)
    formula : a closed form to draw dashed in the same colours: ``(xs, ys)``, or a dict ``hue value
    → (xs, ys)``
    counts : write ``k/n`` above each point. Returns the figure.
    """
    _check_column("x", x, summary)
    _check_column("hue", hue, summary, none=True)
    a_table(y, *(("low", "high") if y == "rate" else ("recall_low", "recall_high")),
             *(("successes", "runs") if counts else ()))("summary", summary)
    curves = (formula.items() if isinstance(formula, dict)
              else [(None, formula)] * (formula is not None))
    for key, curve in curves:
        _check_curve("formula" if key is None else f"formula[{key!r}]", curve)
    from matplotlib.ticker import PercentFormatter

    fig, ax = figure_and_axes(ax, figsize=(5.2, 3.6))
    low, high = ("low", "high") if y == "rate" else ("recall_low", "recall_high")
    groups = [(None, summary)] if hue is None else list(summary.groupby(hue, sort=True))
    for index, (value, rows) in enumerate(groups):
        mean = rows[y].to_numpy()
        line = ax.errorbar(rows[x], mean, yerr=[mean - rows[low], rows[high] - mean],
                           marker=MARKERS[index % 7],
                           ms=4, capsize=3, lw=1, ls=linestyle or DASHES[index % 7],
                           label="simulation" if hue is None else f"{hue} = {value}")
        curve = formula.get(value) if isinstance(formula, dict) else formula
        if curve is not None:
            ax.plot(*curve, ls="--", lw=1, color=line[0].get_color())
        if counts:
            for xi, top, k, n in zip(rows[x], rows[high], rows["successes"], rows["runs"]):
                ax.annotate(f"{k}/{n}", (xi, top), xytext=(0, 2), textcoords="offset points",
                            ha="center", va="bottom", fontsize=8)
    if formula is not None:
        ax.plot([], [], ls="--", lw=1, color="k", label="closed form")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set(xlabel=x.replace("_", " "), ylim=(0, 1.08),
           ylabel=ylabel or ("success (Wilson interval)" if y == "rate"
                             else "pairs recalled (Wilson interval)"))
    ax.legend(fontsize="small", frameon=False)
    return fig


@a_plot()
def plot_traces(traces, ax=None, xlabel="epoch", ylabel="weight", title=None):
    """Curves over epochs: ``traces`` maps a label to a 1-D array (value after each epoch, epoch 0
    first). Returns the figure."""
    if not isinstance(traces, dict) or not traces:
        fail("traces", as_shown(traces), "a non-empty dict: label → 1-D array of values")
    for label, values in traces.items():
        check_array(f"traces[{label!r}]", values, 1)
    fig, ax = figure_and_axes(ax, figsize=(5.2, 3.4))
    for index, (label, values) in enumerate(traces.items()):  # a colour and a line style each
        ax.plot(np.arange(len(values)), values, lw=1.4, ls=DASHES[index % 7], label=label)
    ax.axhline(0, color="k", lw=0.5)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    if title:
        ax.set_title(title, fontsize="medium")
    ax.legend(fontsize="small", frameon=False)
    return fig


@a_plot(simulated=a_table("R", "fraction_on", "spurious"), N_A=an_int(1, MAX_WILLSHAW_SYNAPSES),
       N_B=an_int(1, MAX_WILLSHAW_SYNAPSES), M_A=an_int(1), M_B=an_int(1))
def plot_willshaw(simulated, N_A, N_B, M_A, M_B, axes=None):
    """The Willshaw net against its formulas: the fraction of synapses switched on and the spurious
    outputs per recall against the number of stored pairs ``R`` (``simulated``: a DataFrame with
    columns ``R``, ``fraction_on``, ``spurious``, from :func:`willshaw_net`), and the capacity in
    bits per synapse at half the synapses on, for growing nets with ``M = log2 N`` active units,
    beside its limit ``ln 2``. Returns the figure."""
    for name, M, N, N_name in (("M_A", M_A, N_A, "N_A"), ("M_B", M_B, N_B, "N_B")):
        if M > N:
            fail(name, M, f"an integer in [1, {N_name}={N}]")
    if N_A * N_B > MAX_WILLSHAW_SYNAPSES:
        fail("N_A", N_A,
             f"N_A·N_B at most {MAX_WILLSHAW_SYNAPSES:,} synapses, as willshaw_net (N_B={N_B})")
    check_axes(axes, 3)
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, 3, figsize=(COLUMN_WIDTH, 3.2), layout="constrained")
    R = np.linspace(0, simulated["R"].max() * 1.05, 200)
    p = willshaw_fraction_on(N_A, N_B, M_A, M_B, R)
    axes[0].plot(R, p, color="k", lw=1, label="$p = 1 - (1 - M_A M_B / N_A N_B)^R$")
    axes[0].plot(simulated["R"], simulated["fraction_on"], "o", color=COLOURS["E"],
                 label="simulation")
    axes[0].set(xlabel="pairs stored R", ylabel="fraction of synapses on", ylim=(0, 1))
    axes[0].figure.suptitle(f"Willshaw net: $N_A$ = {N_A}, $N_B$ = {N_B}, $M_A$ = {M_A}, $M_B$ "
                            f"= {M_B} active",
                            fontsize="medium")
    axes[1].plot(R, (N_B - M_B) * p**M_A, color="k", lw=1,
                 label="$(N_B - M_B)\\,p^{M_A}$ (independent synapses)")
    axes[1].plot(simulated["R"], simulated["spurious"], "o", color=COLOURS["E"],
                 label="simulation")
    axes[1].set(xlabel="pairs stored R", ylabel="spurious outputs per recall", yscale="log",
                ylim=(1e-3, None))
    exponents = np.arange(6, 41)
    N = 2.0**exponents
    M = exponents.astype(float)  # M = log2 N active units
    R_half = np.log(0.5) / np.log1p(-(M / N) ** 2)  # the R at which half the synapses are on
    bits = [float(willshaw_bits_per_synapse(n, n, m, m, r)) for n, m, r in zip(N, M, R_half)]
    axes[2].plot(N, bits, color=COLOURS["E"], label="at $p = 1/2$, $M = \\log_2 N$")
    axes[2].axhline(math.log(2), color="k", ls="--", lw=1, label="ln 2 ≈ 0.69")
    axes[2].set(xscale="log", xlabel="neurons per layer N", ylabel="bits per synapse",
                ylim=(0, 0.8))
    for ax in axes:
        ax.legend(fontsize="small", frameon=False)
    return axes[0].figure.figure

