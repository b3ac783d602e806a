"""The explorers of notebooks 04 to 07 (the sweep, the answer, the variants, the map) and their
drawings. Each drawing takes the controls' values and returns a new figure (of one size for every
setting) and its data; the work that a control does not change (the sweeps, the answer's networks
per allotment, the variants' runs, the maps per setting) is kept with
:func:`functools.lru_cache`."""

import functools
import math

import numpy as np

from hebb_core import (
    A_SEED,
    all_mappings,
    ALLOTMENTS,
    generate_ei_ratios,
    Params,
    plan_experiment,
    READOUTS,
)
from hebblab.analysis import chance_recall, distinct_codes, target_fields
from hebblab.checks import an_instance, an_int, check_int, fail, MAX_NEURONS, one_of, with_checks
from hebblab.engine import recall_batch
from hebblab.explorer import Explorer
from hebblab.map_plots import plot_map_stages
from hebblab.maps import map_quality, MapParams, train_map
from hebblab.plots import (
    plot_convergence_rate,
    plot_epochs_distribution,
    plot_layer_split,
    plot_recall_counts,
    plot_recall_fraction,
    plot_weight_cycle,
)
from hebblab.style import COLOURS, COLUMN_WIDTH, course_style
from hebblab.sweeps import (
    format_summary,
    layer_counts,
    run_experiment,
    summarise_sweep,
    train_planned,
    variant_experiment,
    wilson_interval,
)
from hebblab.variants import kwta_success_probability, variant_params, VARIANTS
from hebblab.widgets import epsilon_slider, EPSILONS, start_values

_CACHED = 64  # settings each cache keeps (the least recently used go first)


def _new_figure(build, figsize, margins=None):
    """A new figure of ``figsize``, drawn by ``build(figure)``: its layout constrained, or fixed
    at ``margins`` (``Figure.subplots_adjust``'s arguments), which draws in half the time where
    the panels' text is the same at every setting."""
    import matplotlib.pyplot as plt

    figure = plt.figure(layout=None if margins else "constrained", figsize=figsize)
    build(figure)
    if margins:
        figure.subplots_adjust(**margins)
    return figure


#: The map explorer's defaults (the reference balance) and the figures' example map.
MAP_EXAMPLE = {"lateral_excitation": 1.0, "lateral_inhibition": 1.0,
               "presentations": 6000, "seed": 0}


@functools.lru_cache(maxsize=_CACHED)
def _trained_map(params, seed):
    """One map trained from ``seed`` with its history at 4 stages, and its measures: the same for
    the same setting, so kept (a slider moved back shows its map at once)."""
    run = train_map(params, seed, record_every=max(math.ceil(params.presentations / 3), 1))
    return run, map_quality(run.s, params.size)


@with_checks(seed=A_SEED)
@course_style()
def draw_topographic_map(lateral_excitation, lateral_inhibition, presentations, seed):
    """The map explorer's drawing: one map trained from ``seed``, drawn at 4 stages, with its
    measures."""
    params = MapParams(lateral_excitation=lateral_excitation,
                       lateral_inhibition=lateral_inhibition, presentations=presentations)
    run, quality = _trained_map(params, seed)
    last = run.active[-max(presentations // 10, 1):] if presentations else np.zeros(1)
    text = (f"lateral excitation × {lateral_excitation:g}, inhibition × {lateral_inhibition:g}, "
            f"{presentations} presentations, seed {seed}\n"
            f"map order r = {quality['correlation']:.3f}; neighbour distance "
            f"= {quality['neighbour_distance']:.2f} "
            f"(perfect map: 1); topographic error = {quality['topographic_error']:.2f} "
            f"(perfect map: 0)\n"
            f"tectal cells active per stimulus at the end: {last.mean():.1f} of {params.size ** 2}"
            + (f"; relaxations stopped at max_steps: {run.capped}" if run.capped else ""))
    # four panels, whatever the setting
    stages = [round(presentations * part) for part in (0, 1 / 3, 2 / 3, 1)]
    figure = _new_figure(lambda fig: plot_map_stages(run, stages, axes=fig.subplots(1, 4)),
                         (COLUMN_WIDTH, 2.7))
    return {"figure": figure, "text": text, "run": run, **quality}


def map_explorer(**values):
    """Sliders for the lateral excitation (0 … 3) and inhibition (0 … 4) strengths, in multiples of
    the reference weights, the number of presentations (0 … 20000) and the seed: one map trained
    and drawn as it forms. Keyword arguments override :data:`MAP_EXAMPLE`."""
    import ipywidgets as widgets

    given, values = values, start_values(MAP_EXAMPLE, values)
    sliders = {
        "lateral_excitation": widgets.FloatSlider(value=values["lateral_excitation"], min=0.0,
                                                  max=3.0, step=0.25,
                                                  description="excitation",
                                                  continuous_update=False),
        "lateral_inhibition": widgets.FloatSlider(value=values["lateral_inhibition"], min=0.0,
                                                  max=4.0, step=0.25,
                                                  description="inhibition",
                                                  continuous_update=False),
        "presentations": widgets.IntSlider(value=values["presentations"], min=0,
                                           max=20000, step=500,
                                           description="stimuli", continuous_update=False),
        "seed": widgets.IntSlider(value=values["seed"], min=0, max=99, description="seed",
                                  continuous_update=False),
    }
    return Explorer(sliders, draw_topographic_map, height="420px", given=given)


#: The sweep explorer's defaults (notebook 04): the workshop's network and training, every
#: allotment, strict read-out.
SWEEP_EXAMPLE = {"L": 3, "N": 3, "epsilon": 0.01, "max_epochs": 2000, "allotment": "all",
                 "readout": "strict", "view": "convergence"}
SWEEP_VIEWS = (("convergence", "convergence"), ("epochs", "epochs"), ("pairs recalled", "recall"),
               ("input vs hidden E", "layers"))
# the most networks one move of a slider may train (L = 3, N = 4, every allotment: 6096)
SWEEP_BUDGET = 6500
# the most weights, over all those networks, one move may train: well within a second
SWEEP_WORK = 70_000
# repeats enough for about this many runs at the E/I ratio with the fewest allotments
SWEEP_MIN_RUNS = 120


@with_checks(params=an_instance(Params, "a Params, e.g. Params(L=3, N=3)"),
             allotment=one_of(*ALLOTMENTS))
def sweep_design(params, allotment):
    """What the sweep explorer trains for a network: ``(mappings, repeats, runs)``.

    Every mapping up to ``N = 4`` (24 of them), else 24 drawn with seed 0; ``repeats`` (independent
    draws per allotment and mapping) enough for :data:`SWEEP_MIN_RUNS` runs at the ratio with the
    fewest allotments, but no more than fit in :data:`SWEEP_BUDGET`; ``runs`` the total number of
    networks.
    """
    mappings = all_mappings(params.N)
    if len(mappings) > 24:
        mappings = [mappings[k] for k in sorted(np.random.default_rng(0).choice(len(mappings), 24,
                                                                                replace=False))]
    allotments = [math.comb(params.P, e) if allotment == "all" else 1
                  for _, _, e, _ in generate_ei_ratios(params.P)]
    one_draw = sum(allotments) * len(mappings)  # networks with one draw per allotment and mapping
    repeats = max(1, min(math.ceil(SWEEP_MIN_RUNS / (min(allotments) * len(mappings))),
                         SWEEP_BUDGET // one_draw))
    return mappings, repeats, one_draw * repeats


@with_checks(L=an_int(2, 5), N=an_int(2, 5), allotment=one_of(*ALLOTMENTS))
def sweep_fits(L, N, allotment):
    """Whether the sweep explorer may train the network ``L, N`` with ``allotment`` in one move: at
    most :data:`SWEEP_BUDGET` networks and :data:`SWEEP_WORK` weights in all (the networks times
    their weights)."""
    params = Params(L=L, N=N)
    runs = sweep_design(params, allotment)[2]
    return runs <= SWEEP_BUDGET and runs * N * N * (L - 1) <= SWEEP_WORK


@with_checks(L=an_int(2, 5), allotment=one_of(*ALLOTMENTS))
def sweep_largest_N(L, allotment):
    """The largest ``N`` (2 … 5) the sweep explorer trains with ``L`` layers and ``allotment``
    (:func:`sweep_fits`)."""
    return max(N for N in range(2, 6) if sweep_fits(L, N, allotment))


@functools.lru_cache(maxsize=_CACHED)
def _sweep_table(params, allotment):
    """The sweep explorer's runs of one network and allotment (:func:`sweep_design`), with the E
    neurons per layer: the same for the same setting, so kept (``view`` only changes the
    drawing)."""
    mappings, repeats, _ = sweep_design(params, allotment)
    return layer_counts(run_experiment(params, allotment=allotment, repeats=repeats,
                                       mappings=mappings))


_SWEEP_PLOTS = {"convergence": plot_convergence_rate, "recall": plot_recall_fraction,
                "epochs": plot_epochs_distribution, "layers": plot_layer_split}


@with_checks(allotment=one_of(*ALLOTMENTS), view=one_of(*(view for _, view in SWEEP_VIEWS)))
@course_style()
def draw_sweep(L, N, epsilon, max_epochs, allotment, readout, view):
    """The sweep explorer's drawing: the workshop's sweep for these parameters (kept once run),
    summarised by E/I ratio and drawn as ``view``, titled with the epochs it was given. ``N`` at
    most :func:`sweep_largest_N` (the networks one move of a control may train)."""
    params = Params(L=L, N=N, epsilon=epsilon, max_epochs=max_epochs, readout=readout)
    if not sweep_fits(L, N, allotment):
        fail("N", N, f"an integer in [2, {sweep_largest_N(L, allotment)}] for L = {L} "
                     f"and {allotment} allotments "
                      "(the networks one move may train)")
    mappings, repeats, runs = sweep_design(params, allotment)
    setting = (f"L = {L}, N = {N}, ε = {epsilon:.3g}, {max_epochs} epochs, {allotment} "
               f"allotments, "
               f"{readout} read-out")
    table = _sweep_table(params, allotment)
    summary = summarise_sweep(table)
    if view == "layers":
        data = (summarise_sweep(table, by=["excitatory_input", "excitatory_hidden"]),)
    else:
        data = {"epochs": (table,), "recall": (summary, N), "convergence": (summary,)}[view]

    def build(figure):
        ax = figure.subplots()
        _SWEEP_PLOTS[view](*data, ax=ax, **({"readout": readout} if view == "recall" else {}))
        ax.set_title(f"{ax.get_title()}\n{setting}".lstrip("\n"), fontsize="small")
    figure = _new_figure(build, (6.4, 3.8))  # one size for every view
    low, high = wilson_interval(table["converged"].sum(), len(table))
    text = "\n".join([
        f"{setting}: {len(table)} runs ({len(mappings)} mappings × {repeats} draw(s) per "
        f"allotment, seed 0)",
        f"converged (first full recall): {table['converged'].sum()} of {len(table)} = "
        f"{table['converged'].mean():.1%} (95% Wilson interval {low:.1%} to {high:.1%})",
        format_summary(summary).to_string(index=False)])
    return {"figure": figure, "text": text, "table": table, "summary": summary}


def sweep_explorer(**values):
    """Notebook 04's explorer: controls for the layers ``L`` (2 … 5), the neurons per layer ``N``
    (2 … 5, at most :func:`sweep_largest_N`: a move trains in about a second at most), ``eps``
    (0.001 … 1), the allotment mode and the read-out run the workshop's sweep
    (:func:`sweep_design`, 2000 epochs at most: its successes come long before, so that more or
    fewer epochs would change only the text); the view buttons redraw from the kept results.
    Keyword arguments override :data:`SWEEP_EXAMPLE` (``max_epochs`` too, fixed then)."""
    import ipywidgets as widgets

    given, values = values, start_values(SWEEP_EXAMPLE, values, {
        "allotment": ALLOTMENTS, "readout": READOUTS, "view": [view for _, view in SWEEP_VIEWS],
        "epsilon": EPSILONS})
    check_int("L", values["L"], 2, 5)
    check_int("N", values["N"], 2, sweep_largest_N(values["L"], values["allotment"]))
    sliders = {
        "L": widgets.IntSlider(value=values["L"], min=2, max=5, description="layers L",
                               continuous_update=False),
        "N": widgets.IntSlider(value=values["N"], min=2,
                               max=sweep_largest_N(values["L"], values["allotment"]),
                               description="N", continuous_update=False),
        "epsilon": epsilon_slider(values["epsilon"]),
        "allotment": widgets.ToggleButtons(options=ALLOTMENTS, value=values["allotment"],
                                           description="allotment"),
        "readout": widgets.ToggleButtons(options=READOUTS, value=values["readout"],
                                         description="read-out"),
        "view": widgets.ToggleButtons(options=SWEEP_VIEWS, value=values["view"],
                                      description="view"),
    }

    def keep_in_range(change=None):
        """N at most what one move may train with these layers and allotments (the value clipped),
        and why."""
        explorer.holding = True
        try:
            L, allotment = sliders["L"].value, sliders["allotment"].value
            sliders["N"].max = sweep_largest_N(L, allotment)
            explorer.note.value = (f"N up to {sliders['N'].max} with L = {L} and {allotment} "
                                   "allotments: larger networks train too many networks for one "
                                   "move." if sliders["N"].max < 5 else "")
        finally:
            explorer.holding = False

    def draw(**slider_values):
        return draw_sweep(**slider_values, max_epochs=values["max_epochs"])

    for name in ("L", "allotment"):
        # observed before the explorer's redraw
        sliders[name].observe(keep_in_range, names="value")
    explorer = Explorer(sliders, draw, height="760px",
                        given={k: v for k, v in given.items() if k != "max_epochs"})
    keep_in_range()
    return explorer


#: The answer explorer's defaults (notebook 05): the workshop's network (L = 3, N = 3) with no E
#: neuron in the input layer and one of three in the hidden layer (the allotment that converges
#: most often), the rule as written.
ANSWER_EXAMPLE = {"excitatory_input": 0, "excitatory_hidden": 1, "dale": False, "epsilon": 0.01}
ANSWER_DRAWS = 40  # draws of the initial weights per mapping
# the largest N of the answer's drawing: 5! mappings × ANSWER_DRAWS = 4800 networks, within the
_ANSWER_MAX_N = 5
# SWEEP_BUDGET of one move of a slider (6! would be 28800)


@functools.lru_cache(maxsize=_CACHED)
def _answer_runs(params, allotment):
    """Every mapping × :data:`ANSWER_DRAWS` networks with this allotment, trained (seed 0), and
    what the drawing shows of them: the same for the same setting, so kept."""
    runs = [r for _, group in plan_experiment(params, allotment=allotment,
                                              repeats=ANSWER_DRAWS) for r in group]
    types, result = train_planned(params, runs, seed=0)
    fields = target_fields(params, types, np.array([r.mapping for r in runs]), result.weights)
    codes = distinct_codes(recall_batch(result.weights, params)[0][0])  # per run, at the end
    _, example = train_planned(params, runs[:1], seed=0, history=True)
    return types, result, fields, codes, example.history["weights"][0][0]


@with_checks(N=an_int(1, _ANSWER_MAX_N))
@course_style()
def draw_answer(excitatory_input, excitatory_hidden, dale, epsilon, N=3, max_epochs=2000):
    """The answer explorer's drawing: every mapping × :data:`ANSWER_DRAWS` networks with this
    allotment (E neurons first in each layer, ``0 … N`` in each), trained for ``max_epochs``
    epochs; one network's input weights against Proposition 2, and the pairs recalled at the end.
    ``N`` is at most 5 (``5! · ANSWER_DRAWS`` networks)."""
    params = Params(L=3, N=N, epsilon=epsilon, dale=dale, max_epochs=max_epochs,
                    stop_at_convergence=False)
    for name, count in (("excitatory_input", excitatory_input),
                        ("excitatory_hidden", excitatory_hidden)):
        check_int(name, count, 0, N)
    allotment = ("E" * excitatory_input + "I" * (N - excitatory_input) + "|"
                 + "E" * excitatory_hidden + "I" * (N - excitatory_hidden))
    types, result, fields, codes, history = _answer_runs(params, allotment)

    def build(figure):
        axes = figure.subplots(1, 3, width_ratios=[1.6, 1, 1])
        plot_weight_cycle(history, types[0, :N], epsilon, axes=axes[:2])
        plot_recall_counts(result.recall_fraction, N, ax=axes[2])
    figure = _new_figure(build, (COLUMN_WIDTH, 3.4))
    n, done, lasting = (len(types), int(result.converged.sum()),
                        int((result.recall_fraction == 1).sum()))
    (c_low, c_high), (l_low, l_high) = wilson_interval(done, n), wilson_interval(lasting, n)
    r_low, r_high = wilson_interval(result.recall_fraction.sum(), n)
    lines = [  # lines of at most about 100 characters: the output area does not wrap them mid-word
        f"allotment {allotment}: {excitatory_input} E of {N} input neurons, "
        f"{excitatory_hidden} E of {N} hidden; dale {'on' if dale else 'off'}; "
        f"ε = {epsilon:.3g}",
        f"{n} runs ({len(all_mappings(N))} mappings × {ANSWER_DRAWS} draws, seed 0), "
        f"{max_epochs} epochs each",
        f"converged (first full recall): {done} of {n} = {done / n:.1%} "
        f"(95% Wilson interval {c_low:.1%} to {c_high:.1%})",
        f"all pairs still recalled at epoch {max_epochs}: {lasting} = {lasting / n:.1%} "
        f"({l_low:.1%} to {l_high:.1%})",
        f"pairs recalled at the end: {result.recall_fraction.mean():.1%} "
        f"({r_low:.1%} to {r_high:.1%}); "
        f"chance (strict read-out) 2^-N = {chance_recall(N):.1%}, Dale ceiling 2/N = {2 / N:.1%}",
        f"distinct hidden states at the end: at most {codes.max()} among the {N} inputs"
        + (" (Proposition 1: at most 2 under Dale's law)" if dale else "")]
    if not dale:
        error = (fields["target_field"] - fields["predicted"]).abs().max()
        lines += ["target fields at recall vs Proposition 2's type(i)·A(i)·(E_hidden − I_hidden),",
                  f"    E_hidden − I_hidden = {2 * excitatory_hidden - N:+d}: largest "
                  f"difference {error:.1e}"]
    return {"figure": figure, "text": "\n".join(lines), "result": result, "types": types,
            "fields": fields, "codes": codes}


def answer_explorer(**values):
    """Notebook 05's explorer: the E count in the input layer (0 … 3) and in the hidden layer (0 …
    3), Dale's law on or off, and ``eps`` (0.001 … 1), for the workshop's network ``L = 3, N = 3``.
    Keyword arguments override :data:`ANSWER_EXAMPLE`."""
    import ipywidgets as widgets

    given, values = values, start_values(ANSWER_EXAMPLE, values,
                                         {"dale": (False, True), "epsilon": EPSILONS})
    sliders = {
        "excitatory_input": widgets.IntSlider(value=values["excitatory_input"], min=0, max=3,
                                              description="E in input", continuous_update=False),
        "excitatory_hidden": widgets.IntSlider(value=values["excitatory_hidden"], min=0, max=3,
                                               description="E in hidden", continuous_update=False),
        "dale": widgets.ToggleButtons(options=(("dale off", False), ("dale on", True)),
                                      value=values["dale"], description="Dale's law"),
        "epsilon": epsilon_slider(values["epsilon"]),
    }
    return Explorer(sliders, draw_answer, height="520px", given=given)


#: The variant explorer's defaults (notebook 06): balanced k-WTA in an expanded, all-excitatory
#: hidden layer.
VARIANT_EXAMPLE = {"variant": "k-WTA", "k": 4, "M": 8, "excitatory_count": 12, "epsilon": 0.05}


@functools.lru_cache(maxsize=_CACHED)
def _variant_runs(params, excitatory_count, repeats):
    """The variant's runs for this setting (:func:`variant_experiment`): the same for the same
    setting, so kept."""
    return variant_experiment(params, e_counts=[excitatory_count], repeats=repeats)


def _variant_setting(variant, k, M, excitatory_count, epsilon, N=4, repeats=4, max_epochs=1000):
    """The setting of :func:`draw_variant` (a variant of :data:`VARIANTS`, ``M`` a width), its
    other arguments checked: ``(params, excitatory_count, repeats)``, what its runs depend on."""
    kwta = VARIANTS[variant].get("lateral") == "kwta"
    params = variant_params(variant, N=N, M=M, k=k if kwta else None, epsilon=epsilon,
                            max_epochs=max_epochs)
    # also for the variants without winners (the slider is greyed out)
    check_int("k", k, 0, params.hidden_width)
    check_int("excitatory_count", excitatory_count, 0, params.P)
    check_int("repeats", repeats, 1)
    return params, excitatory_count, repeats


@with_checks(variant=one_of(*VARIANTS), M=an_int(1, MAX_NEURONS))  # M first: k's range
@course_style()
def draw_variant(variant, k, M, excitatory_count, epsilon, N=4, repeats=4, max_epochs=1000):
    """The variant explorer's drawing: every mapping of ``N = 4`` items × ``repeats`` networks of
    one variant (:data:`VARIANTS`) with this E count (``0 … N + M``, a random allotment each) and
    ``k`` winners (``0 … M``, used by the k-WTA variants), trained for at most ``max_epochs``
    epochs; the distinct hidden codes and the pairs recalled at the end."""
    # what the runs need
    key = _variant_setting(variant, k, M, excitatory_count, epsilon, N, repeats, max_epochs)
    params, table = key[0], _variant_runs(*key)
    kwta = VARIANTS[variant].get("lateral") == "kwta"

    def build(figure):  # the panels, their bars at 0: _set_variant_bars draws the runs into them
        axes = figure.subplots(1, 2)
        axes[0].bar(np.arange(1, N + 1), 0, color=[COLOURS["output"]] * (N - 1) + [COLOURS["E"]],
                    hatch=[""] * (N - 1) + ["//"])
        axes[0].set(xticks=np.arange(1, N + 1), ylabel="runs",
                    xlabel=f"distinct hidden codes among the N = {N} inputs (at the end)")
        axes[1].bar(np.arange(N + 1), 0, color=COLOURS["output"])
        axes[1].axvline(0, ymax=0.72, color="k", ls=":", label="chance")  # below the legend
        axes[1].set(xticks=np.arange(N + 1), xlabel=f"pairs recalled at the end (of N = {N})",
                    ylabel="runs")
        axes[1].legend(frameon=False, loc="upper right")
    # fixed margins: the longest title and three-digit counts fit (constrained layout doubled the
    # time of a move)
    figure = _new_figure(build, (COLUMN_WIDTH, 3.2),
                         margins={"left": 0.075, "right": 0.985, "bottom": 0.165, "top": 0.9,
                                  "wspace": 0.22})
    _set_variant_bars(figure.axes, variant, table, N, params.readout)
    n, done = len(table), int(table["converged"].sum())
    low, high = wilson_interval(done, n)
    setting = f"M = {M}" + (f", k = {params.k}" if kwta else "")
    lines = [f"{variant} ({setting}; {params.readout} read-out), "
             f"{excitatory_count} E of {params.P} typed neurons, "
             f"ε = {epsilon:.3g}: {n} runs ({len(all_mappings(N))} mappings × {repeats}, "
             f"seed 0), at most {max_epochs} epochs",
             f"learnt the permutation: {done} of {n} = {done / n:.1%} "
             f"(95% Wilson interval {low:.1%} to {high:.1%})"
             + (f", median {table.loc[table['converged'], 'epochs_to_convergence'].median():.0f}"
                " epochs" if done else ""),
             f"every input its own hidden code at the end: "
             f"{int(table['codes_unique'].sum())} of {n}; "
             f"pairs recalled at the end: {table['recall_fraction'].mean():.1%}"]
    if kwta and excitatory_count == params.P and params.homeostasis == 0 \
            and params.normalise == "none":
        lines.append(f"closed form (birthday problem, C({M}, {params.k}) codes): "
                     f"{kwta_success_probability(N, M, params.k):.1%}")
    return {"figure": figure, "text": "\n".join(lines), "table": table, "params": params}


def _set_variant_bars(axes, variant, table, N, readout):
    """Draw a variant's runs into the two panels of :func:`draw_variant`: the distinct
    hidden codes and the pairs recalled at the end, out of all runs (one scale for every setting),
    and the chance level of the read-out."""
    counts = np.bincount(table["distinct_codes"], minlength=N + 1)[1:]
    recalled = np.bincount(np.rint(table["recall_fraction"] * N).astype(np.int64), minlength=N + 1)
    for ax, heights in zip(axes, (counts, recalled)):
        for bar, height in zip(ax.patches, heights):
            bar.set_height(height)
    pairs = N * chance_recall(N, readout)  # the pairs a random answer recalls under this read-out
    axes[1].lines[0].set_xdata([pairs, pairs])
    axes[1].get_legend().texts[0].set_text(f"chance ({readout}): {pairs:.2g} pair"
                                           + "s" * (pairs != 1))
    axes[0].set(ylim=(0, 1.05 * len(table)),
                title=f"{variant}: hatched = every input its own code")
    axes[1].set(ylim=(0, 1.35 * len(table)),
                title=f"mean {table['recall_fraction'].mean():.0%} of pairs, {len(table)} runs")


def variant_explorer(**values):
    """Notebook 06's explorer: a variant of :data:`VARIANTS`, the winners ``k`` (k-WTA variants),
    the hidden width ``M`` (2 … 10), the E count (0 … N + M) and ``eps`` (0.001 … 1), for ``N =
    4``. Keyword arguments override :data:`VARIANT_EXAMPLE`. ``k`` and the E count keep to the
    network's ranges when ``M`` moves; ``k`` is greyed out for the variants without lateral
    inhibition."""
    import ipywidgets as widgets

    given, values = values, start_values(VARIANT_EXAMPLE, values,
                                         {"variant": list(VARIANTS), "epsilon": EPSILONS})
    # the range of M, checked first: the ranges of k and of the E count depend on it
    widths = (2, 10)
    check_int("M", values["M"], *widths)
    sliders = {
        "k": widgets.IntSlider(value=values["k"], min=0, max=values["M"], description="winners k",
                               continuous_update=False),
        "M": widgets.IntSlider(value=values["M"], min=widths[0], max=widths[1],
                               description="hidden M", continuous_update=False),
        "excitatory_count": widgets.IntSlider(value=values["excitatory_count"], min=0,
                                              max=4 + values["M"],
                                              description="E count", continuous_update=False),
        "epsilon": epsilon_slider(values["epsilon"]),
        # buttons, not a list: JupyterLab takes a list's arrow keys for moving between cells
        "variant": widgets.ToggleButtons(options=list(VARIANTS), value=values["variant"],
                                         description="variant", style={"button_width": "auto"}),
    }
    sliders["k"].disabled = VARIANTS[values["variant"]].get("lateral") != "kwta"

    def keep_in_range(change):
        """Runs before the redraw of the slider that moved, so that the explorer draws once, with
        valid values."""
        if explorer.holding:
            return
        explorer.holding = True
        try:
            M = sliders["M"].value
            sliders["k"].max = M  # a value beyond the new range is clipped
            sliders["excitatory_count"].max = 4 + M
            sliders["k"].disabled = VARIANTS[sliders["variant"].value].get("lateral") != "kwta"
        finally:
            explorer.holding = False

    for name in ("M", "variant"):
        # observed before interactive_output's redraw
        sliders[name].observe(keep_in_range, names="value")
    explorer = Explorer(sliders, draw_variant, height="520px", given=given)
    sliders["variant"].layout.width = "100%"  # the six variants' buttons on a row of their own
    return explorer


