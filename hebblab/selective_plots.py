"""The figures of notebook 08 (the selective rules: Oja, BCM, competitive learning, Kohonen's map,
and the one-to-one task asked of each) and its explorer. Each function takes data and returns the
figure."""

import functools

import matplotlib.axes
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from hebblab.selective import map_chance, SELECTIVE_RULES, train_selective_map

_MARKERS = {"oja": "o", "bcm": "s", "competitive": "^"}
_LINES = {"oja": "-", "bcm": "--", "competitive": ":"}
_NAMES = {"oja": "Oja", "bcm": "BCM", "competitive": "competitive (1-WTA)"}


def _array(name, value, ndim, rows=None):
    """``value`` as finite numbers with ``ndim`` axes (and ``rows`` rows), else a ValueError."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name}={value!r}: expected an array of numbers") from None
    if (
        array.ndim != ndim
        or array.size == 0
        or not np.all(np.isfinite(array))
        or (rows is not None and len(array) != rows)
    ):
        want = f"{ndim}-d finite numbers" + ("" if rows is None else f", {rows} rows")
        raise ValueError(f"{name} of shape {array.shape}: expected {want}")
    return array


def _axes(ax, size=(7.5, 3.6)):
    if ax is not None and not isinstance(ax, matplotlib.axes.Axes):
        raise ValueError(f"ax={ax!r}: expected None or a matplotlib Axes to draw into")
    if ax is None:
        figure, ax = plt.subplots(figsize=size, layout="constrained")
        return figure, ax
    return ax.figure, ax


def plot_oja(history, component, ax=None):
    """Oja's weights over the steps (``history``, ``(T + 1, d)``), their norm, and the principal
    component (dashed: ± each entry, as the rule may end on either sign)."""
    history = _array("history", history, 2)
    component = _array("component", component, 1, history.shape[1])
    figure, ax = _axes(ax)
    steps = np.arange(len(history))
    for j in range(history.shape[1]):
        (line,) = ax.plot(steps, history[:, j], label=f"$w_{j + 1}$")
        sign = np.sign(history[-1] @ component) or 1.0
        ax.axhline(sign * component[j], color=line.get_color(), linestyle="--", linewidth=1)
    ax.plot(steps, np.linalg.norm(history, axis=1), color="black", linestyle=":", label="$|w|$")
    ax.set(xlabel="step", ylabel="weight", title="Oja's rule: dashed = principal eigenvector")
    ax.legend(loc="lower right", ncols=history.shape[1] + 1)
    return figure


def plot_bcm(responses, thetas, probabilities, ax=None):
    """BCM's responses to each pattern over the steps, its threshold θ, and the selective fixed
    point ``1/p``."""
    responses = _array("responses", responses, 2)
    thetas = _array("thetas", thetas, 1, len(responses))
    probabilities = _array("probabilities", probabilities, 1, responses.shape[1])
    if np.any(probabilities <= 0):
        raise ValueError(f"probabilities={probabilities.tolist()}: expected numbers > 0")
    figure, ax = _axes(ax)
    steps = np.arange(len(responses))
    for k in range(responses.shape[1]):
        ax.plot(
            steps,
            responses[:, k],
            linestyle=("-", "--", "-.", ":")[k % 4],
            label=f"$y$ to pattern {k + 1}",
        )
        ax.axhline(1 / probabilities[k], color="grey", linewidth=0.8, linestyle=(0, (1, 3)))
    ax.plot(steps, thetas, color="black", linewidth=1, alpha=0.6, label=r"threshold $\theta$")
    ax.set(xlabel="step", ylabel="response $y$", title="BCM: dotted grey lines at $1/p_k$")
    ax.legend(loc="upper left")
    return figure


def plot_competitive(samples, W, winners, ax=None):
    """Competitive learning in two dimensions: the normalised inputs coloured by their winner, and
    each unit's final weight vector (a large marker)."""
    samples = _array("samples", samples, 2)
    if samples.shape[1] < 2 or np.any(samples < 0) or np.any(samples.sum(axis=1) <= 0):
        raise ValueError(
            f"samples of shape {samples.shape}: expected non-negative rows of 2+ inputs"
        )
    W = _array("W", W, 2)
    winners = _array("winners", winners, 1, len(samples))
    figure, ax = _axes(ax, (5.5, 4.2))
    x = samples / samples.sum(axis=1, keepdims=True)
    for unit in range(len(W)):
        chosen = winners == unit
        marker = "osD^v"[unit % 5]
        ax.scatter(
            x[chosen, 0],
            x[chosen, 1],
            s=12,
            alpha=0.4,
            marker=marker,
            label=f"won by unit {unit + 1}",
        )
        ax.scatter(*W[unit, :2], s=160, marker=marker, edgecolor="black", linewidth=1.5)
    ax.set(
        xlabel="$x_1/\\Sigma x$",
        ylabel="$x_2/\\Sigma x$",
        title="Competitive learning: large = weights",
    )
    ax.legend(loc="upper right")
    return figure


def plot_kohonen(history, stages, ax=None):
    """A chain of units mapping a line (1-d inputs): each unit's weight against its place on the
    chain, at the given steps (``history``: ``(T + 1, units, 1)``)."""
    history = _array("history", history, 3)
    if not isinstance(stages, (list, tuple)) or not all(
        isinstance(step, (int, np.integer)) and 0 <= step < len(history) for step in stages
    ):
        raise ValueError(f"stages={stages!r}: expected a list of steps in [0, {len(history) - 1}]")
    figure, ax = _axes(ax)
    units = np.arange(1, history.shape[1] + 1)
    for n, step in enumerate(stages):
        ax.plot(
            units,
            history[step, :, 0],
            marker="osD^v"[n % 5],
            linestyle=("-", "--", "-.", ":")[n % 4],
            label=f"after {step} steps",
        )
    ax.set(
        xlabel="unit (its place on the chain)",
        ylabel="weight (the input it answers)",
        title="Kohonen's map: the chain orders itself",
    )
    ax.legend(loc="upper left")
    return figure


def plot_selective_sweep(table, N, ax=None):
    """Each rule's rate of learnt maps against the E fraction, with Wilson 95 % intervals, and
    chance ``1/N!``."""
    columns = {"rule", "excitatory_fraction", "rate", "low", "high"}
    if not isinstance(table, pd.DataFrame) or not columns <= set(table.columns):
        raise ValueError(
            f"table: expected a DataFrame from selective_map_sweep, with {sorted(columns)}"
        )
    if isinstance(N, bool) or not isinstance(N, (int, np.integer)) or not 1 <= N <= 20:
        raise ValueError(f"N={N!r}: expected an integer in [1, 20]")
    figure, ax = _axes(ax)
    for rule, group in table.groupby("rule", sort=False):
        x, rate = group["excitatory_fraction"], group["rate"]
        ax.errorbar(
            x,
            rate,
            yerr=[rate - group["low"], group["high"] - rate],
            marker=_MARKERS.get(rule, "o"),
            linestyle=_LINES.get(rule, "-"),
            capsize=3,
            label=_NAMES.get(rule, rule),
        )
    ax.axhline(
        map_chance(N),
        color="grey",
        linestyle=(0, (1, 3)),
        label=f"chance 1/{N}! = {map_chance(N):.3f}",
    )
    ax.set(
        xlabel="excitatory fraction of the typed neurons",
        ylabel="fraction of runs that learn the map",
        ylim=(-0.02, 1.02),
    )
    ax.legend(loc="upper left")
    return figure


# ── The explorer: one network of the one-to-one task ─────────────────────────────────────────────

#: The explorer's defaults: competitive learning, every neuron excitatory, three times as many
# hidden units.
SELECTIVE_EXAMPLE = {"rule": "competitive", "excitatory_count": 16, "M": 12, "seed": 0}


def _check_settings(rule, excitatory_count, M, seed):
    """The explorer's settings, each inside its slider's range."""
    if not isinstance(rule, str) or rule not in SELECTIVE_RULES:
        raise ValueError(f"rule={rule!r}: expected one of {', '.join(map(repr, SELECTIVE_RULES))}")
    for name, value, high in (
        ("excitatory_count", excitatory_count, 16),
        ("M", M, 12),
        ("seed", seed, 49),
    ):
        low = 4 if name == "M" else 0
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, np.integer))
            or not low <= value <= high
        ):
            raise ValueError(f"{name}={value!r}: expected an integer in [{low}, {high}]")


@functools.lru_cache(maxsize=256)
def _one_network(rule, excitatory_count, M, seed):
    return train_selective_map(rule, 4, excitatory_count, runs=1, seed=seed, M=M)


def draw_selective(rule, excitatory_count, M, seed):
    """One network of the one-to-one task (``N = 4``): the hidden rates for each input, its hidden
    units' types, and the answers. Returns ``{"figure", "text"}``."""
    _check_settings(rule, excitatory_count, M, seed)
    result = _one_network(rule, min(excitatory_count, 4 + M), M, seed)
    hidden, types = result["hidden"][0], result["types"][0]
    figure, ax = plt.subplots(figsize=(8, 3.4), layout="constrained")
    image = ax.imshow(hidden, cmap="Greys", vmin=0, aspect="auto")
    figure.colorbar(image, ax=ax, label="hidden rate")
    ax.set_yticks(
        range(4), [f"input {i} ({'E' if t > 0 else 'I'})" for i, t in enumerate(types[:4])]
    )
    ax.set_xticks(range(M), ["E" if t > 0 else "I" for t in types[4:]])
    ax.set_xlabel("hidden units (their type)")
    ax.set_title(f"{_NAMES[rule]}: learnt = {bool(result['learnt'][0])}")
    answers, target = result["answers"][0], result["mapping"][0]
    text = "  ".join(
        f"{i}→{a if a >= 0 else '?'}{'✓' if a == t else '✗'}"
        for i, (a, t) in enumerate(zip(answers, target))
    )
    return {"figure": figure, "text": f"answers (target {[int(t) for t in target]}): {text}"}


def selective_explorer(**values):
    """Buttons for the rule, sliders for the E count, the hidden width ``M`` and the random seed:
    one network of the one-to-one task, its hidden code and its answers. Keyword arguments override
    :data:`SELECTIVE_EXAMPLE`."""
    import ipywidgets as widgets

    from hebblab.explorer import Explorer

    for name in values:
        if name not in SELECTIVE_EXAMPLE:
            raise ValueError(
                f"{name}: not a control of this explorer; expected {list(SELECTIVE_EXAMPLE)}"
            )
    start = {**SELECTIVE_EXAMPLE, **values}
    _check_settings(**start)
    sliders = {
        "rule": widgets.ToggleButtons(
            options=[(_NAMES[r].split(" (")[0], r) for r in SELECTIVE_RULES],
            value=start["rule"],
            description="rule",
        ),
        "excitatory_count": widgets.IntSlider(
            value=start["excitatory_count"],
            min=0,
            max=16,
            description="E count",
            continuous_update=False,
        ),
        "M": widgets.IntSlider(
            value=start["M"], min=4, max=12, description="M", continuous_update=False
        ),
        "seed": widgets.IntSlider(
            value=start["seed"], min=0, max=49, description="seed", continuous_update=False
        ),
    }
    return Explorer(sliders, draw_selective, height="420px", given=values)
