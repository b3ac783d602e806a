"""The figures of notebook 08 (the selective rules: Oja, BCM, competitive learning, Kohonen's map,
and the one-to-one task asked of each) and its explorer. Each function takes data and returns the
figure."""

import functools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from hebblab.checks import (
    all_of,
    an_axes,
    an_int,
    as_shown,
    fail,
    length,
    non_empty_numbers,
    non_negative_inputs,
    one_of,
    one_per,
    or_none,
    with_checks,
)
from hebblab.plots import figure_and_axes
from hebblab.selective import map_chance, SELECTIVE_RULES, train_selective_map

_SIZE = (7.5, 3.6)  # the size of a figure of one panel
_VECTOR, _MATRIX = non_empty_numbers(1), non_empty_numbers(2)

_MARKERS = {"oja": "o", "bcm": "s", "competitive": "^"}
_LINES = {"oja": "-", "bcm": "--", "competitive": ":"}
_NAMES = {"oja": "Oja", "bcm": "BCM", "competitive": "competitive (1-WTA)"}


def _a_selective_table(name, value):
    """A rule: a table from :func:`selective_map_sweep`, with the columns a plot of it reads."""
    columns = ["excitatory_fraction", "high", "low", "rate", "rule"]
    if not isinstance(value, pd.DataFrame) or not set(columns) <= set(value.columns):
        fail(name, as_shown(value), f"a DataFrame from selective_map_sweep, with {columns}")


def _a_step_list(arguments):
    """The relation of :func:`plot_kohonen`: ``stages``, a list of steps of ``history``."""
    stages, last = arguments["stages"], len(arguments["history"]) - 1
    if not isinstance(stages, (list, tuple)) or not all(
            isinstance(step, (int, np.integer)) and not isinstance(step, bool)
            and 0 <= step <= last for step in stages):
        fail("stages", as_shown(stages), f"a list of steps in [0, {last}]")


#: The rule of ``ax``, the axes a figure is drawn into.
_AN_AXES = or_none(an_axes)


@with_checks(one_per("component", "weight", length("history")), history=_MATRIX,
             component=_VECTOR, ax=_AN_AXES)
def plot_oja(history, component, ax=None):
    """Oja's weights over the steps (``history``, ``(T + 1, d)``), their norm, and the principal
    component (dashed: ± each entry, as the rule may end on either sign)."""
    history, component = np.asarray(history, float), np.asarray(component, float)
    figure, ax = figure_and_axes(ax, figsize=_SIZE)
    steps = np.arange(len(history))
    for j in range(history.shape[1]):
        (line,) = ax.plot(steps, history[:, j], label=f"$w_{j + 1}$")
        sign = np.sign(history[-1] @ component) or 1.0
        ax.axhline(sign * component[j], color=line.get_color(), linestyle="--", linewidth=1)
    ax.plot(steps, np.linalg.norm(history, axis=1), color="black", linestyle=":", label="$|w|$")
    ax.set(xlabel="step", ylabel="weight", title="Oja's rule: dashed = principal eigenvector")
    ax.legend(loc="lower right", ncols=history.shape[1] + 1)
    return figure


@with_checks(all_of(one_per("thetas", "step", length("responses", 0)),
                    one_per("probabilities", "pattern", length("responses"))),
             responses=_MATRIX, thetas=_VECTOR,
             probabilities=non_empty_numbers(1, low=0, open_low=True), ax=_AN_AXES)
def plot_bcm(responses, thetas, probabilities, ax=None):
    """BCM's responses to each pattern over the steps, its threshold θ, and the selective fixed
    point ``1/p``."""
    responses, probabilities = np.asarray(responses, float), np.asarray(probabilities, float)
    figure, ax = figure_and_axes(ax, figsize=_SIZE)
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


def _two_or_more_inputs(arguments):
    """Part of the relation of :func:`plot_competitive`: samples of 2 or more inputs, drawn in
    their first two."""
    if np.shape(arguments["samples"])[1] < 2:
        fail("samples", f"an array of shape {np.shape(arguments['samples'])}",
             "rows of 2 or more inputs")


@with_checks(all_of(_two_or_more_inputs, one_per("winners", "sample", length("samples", 0))),
             samples=non_negative_inputs(2),
             W=_MATRIX, winners=_VECTOR, ax=_AN_AXES)
def plot_competitive(samples, W, winners, ax=None):
    """Competitive learning in two dimensions: the normalised inputs coloured by their winner, and
    each unit's final weight vector (a large marker)."""
    samples, W, winners = (np.asarray(value, float) for value in (samples, W, winners))
    figure, ax = figure_and_axes(ax, figsize=(5.5, 4.2))
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


@with_checks(_a_step_list, history=non_empty_numbers(3), ax=_AN_AXES)
def plot_kohonen(history, stages, ax=None):
    """A chain of units mapping a line (1-d inputs): each unit's weight against its place on the
    chain, at the given steps (``history``: ``(T + 1, units, 1)``)."""
    history = np.asarray(history, float)
    figure, ax = figure_and_axes(ax, figsize=_SIZE)
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


@with_checks(table=_a_selective_table, N=an_int(1, 20), ax=_AN_AXES)
def plot_selective_sweep(table, N, ax=None):
    """Each rule's rate of learnt maps against the E fraction, with Wilson 95 % intervals, and
    chance ``1/N!``."""
    figure, ax = figure_and_axes(ax, figsize=_SIZE)
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


@functools.lru_cache(maxsize=256)
def _one_network(rule, excitatory_count, M, seed):
    return train_selective_map(rule, 4, excitatory_count, runs=1, seed=seed, M=M)


@with_checks(rule=one_of(*SELECTIVE_RULES), excitatory_count=an_int(0, 16), M=an_int(4, 12),
             seed=an_int(0, 49))
def draw_selective(rule, excitatory_count, M, seed):
    """One network of the one-to-one task (``N = 4``): the hidden rates for each input, its hidden
    units' types, and the answers. Returns ``{"figure", "text"}``."""
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

    for name, value in values.items():
        if name not in SELECTIVE_EXAMPLE:
            fail(name, as_shown(value), "one of the controls " + ", ".join(SELECTIVE_EXAMPLE))
    start = {**SELECTIVE_EXAMPLE, **values}
    for name, rule in draw_selective.rules.items():  # each inside its slider's range
        rule(name, start[name])
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
