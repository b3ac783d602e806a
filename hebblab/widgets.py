"""The notebooks' sliders: each explorer wires explicit sliders to a drawing function and returns an
:class:`Explorer`. The drawing functions take the slider values and return the figure and its data; the command
line's ``figures`` draws the course's key figures with them."""

import math

import numpy as np

from hebb_core import (
    _A_SEED,
    all_mappings,
    allotment_string,
    ALLOTMENTS,
    BOOLEAN_FUNCTIONS,
    draw_run,
    generate_ei_ratios,
    hebb_trajectory,
    Params,
    plan_experiment,
    PlannedRun,
    READOUTS,
    repeat_pairing,
    run_experiment,
    truth_table,
)
from hebblab.analysis import distinct_codes, recall_table, target_fields
from hebblab.checks import (
    _a_real,
    _an_instance,
    _an_int,
    _check_bool,
    _check_choice,
    _check_int,
    _checked,
    _fail,
    _one_of,
    _or_none,
    MAX_NEURONS,
)
from hebblab.engine import recall_batch, train_batch
from hebblab.explorer import _A_DICT, _in_place, Explorer
from hebblab.explorer_plots import (
    _set_decision_line,
    _set_hebb_trajectory,
    _set_training_run,
    plot_decision_line,
    plot_hebb_trajectory,
)
from hebblab.map_plots import plot_map_stages
from hebblab.maps import map_quality, MapParams, train_map
from hebblab.plots import (
    _figure_and_axes,
    COLOURS,
    plot_convergence_rate,
    plot_epochs_distribution,
    plot_layer_split,
    plot_recall_counts,
    plot_recall_fraction,
    plot_training_run,
    plot_weight_cycle,
)
from hebblab.sweeps import (
    format_summary,
    layer_counts,
    summarise_sweep,
    train_planned,
    variant_experiment,
    wilson_interval,
)
from hebblab.variants import kwta_success_probability, variant_params, VARIANTS


def _check_option(name, value, options):
    """Raise ``ValueError`` unless ``value`` is one of a control's ``options``; a bool is not taken for 1 or 0."""
    if isinstance(value, (bool, np.bool_)) and not any(isinstance(option, bool) for option in options):
        _fail(name, value, "one of " + ", ".join(repr(option) for option in options))
    _check_choice(name, value, tuple(options))


def _an_option(*options):
    return lambda name, value: _check_option(name, value, options)


@_checked(defaults=_A_DICT, values=_A_DICT, choices=_or_none(_A_DICT))
def start_values(defaults, values, choices=None):
    """An explorer's starting values: ``defaults`` with ``values`` in their place. Each keyword must name a slider,
    hold a value of its kind (a whole number for a counter, a finite number for a real slider) and, for the
    sliders in ``choices`` (name → allowed values), one of their options; the range of a number is checked by
    :class:`Explorer` against its slider. Raises ``ValueError`` naming the keyword, its value and what is
    allowed."""
    choices = choices or {}
    for name, value in values.items():
        if name not in defaults:
            _fail(name, value, "one of the sliders " + ", ".join(defaults))
        default = defaults[name]
        number = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))
        if name in choices:
            _check_option(name, value, choices[name])
        elif isinstance(default, int) and not isinstance(default, bool) \
                and not (number and isinstance(value, (int, np.integer))):
            _fail(name, value, "a whole number")
        elif isinstance(default, float) and not (number and math.isfinite(value)):
            _fail(name, value, "a finite number")
    return {**defaults, **values}


@_checked(w1=_a_real(), w2=_a_real(), theta=_a_real(), previous=_or_none(_A_DICT))
def draw_mcculloch_pitts(w1, w2, theta, previous=None):
    """The McCulloch–Pitts explorer's drawing: decision line and truth table of a two-input unit (drawn into the
    figure of ``previous``, this function's last dict, when given)."""
    w, theta = (round(w1, 2), round(w2, 2)), round(theta, 2)  # slider values such as 0.30000000000000004
    table = truth_table(w, theta)
    text = f"{BOOLEAN_FUNCTIONS[tuple(table.S)]}\n{table.to_string(index=False)}"
    if previous is None:
        figure = plot_decision_line(w, theta)
    else:
        figure = _in_place(previous)
        _set_decision_line(figure.axes[0], w, theta)
    return {"figure": figure, "table": table, "text": text}


#: The McCulloch–Pitts explorer's defaults: an AND gate.
MCCULLOCH_PITTS_EXAMPLE = {"w1": 1.0, "w2": 1.0, "theta": 1.5}


def mcculloch_pitts_explorer(**values):
    """Sliders for the two weights and the threshold of a McCulloch–Pitts unit (0/1 states), each in ``[-2, 2]``:
    the decision line and the live truth table. Keyword arguments override :data:`MCCULLOCH_PITTS_EXAMPLE`."""
    import ipywidgets as widgets

    start = start_values(MCCULLOCH_PITTS_EXAMPLE, values)
    sliders = {name: widgets.FloatSlider(value=start[name], min=-2.0, max=2.0, step=0.1, description=label)
               for name, label in (("w1", "w₁"), ("w2", "w₂"), ("theta", "θ"))}
    return Explorer(sliders, draw_mcculloch_pitts, height="560px", given=values)


#: The activity patterns ``(S_i, S_j)`` of the Hebb explorer: the workshop's 0/1 table, then ±1 states.
HEBB_PATTERNS = (("Sᵢ=1, Sⱼ=1", (1, 1)), ("Sᵢ=1, Sⱼ=0", (1, 0)), ("Sᵢ=0, Sⱼ=1", (0, 1)), ("Sᵢ=0, Sⱼ=0", (0, 0)),
                 ("Sᵢ=1, Sⱼ=−1", (1, -1)), ("Sᵢ=−1, Sⱼ=1", (-1, 1)), ("Sᵢ=−1, Sⱼ=−1", (-1, -1)))


@_checked(epsilon=_a_real(0, 1, open_low=True), pattern=_an_option(*(p for _, p in HEBB_PATTERNS)),
          neuron_type=_an_option(1, -1), previous=_or_none(_A_DICT))
def draw_hebb(epsilon, pattern, neuron_type, w0, previous=None):
    """The Hebb explorer's drawing: five time constants ``1/eps`` of repeated pairing, rule against closed form
    (drawn into the figure of ``previous``, this function's last dict, when given)."""
    steps = min(math.ceil(5 / epsilon), 5000)
    pre, post = pattern
    numeric = repeat_pairing(w0, pre, post, neuron_type, epsilon, steps)
    analytic = hebb_trajectory(w0, pre, post, neuron_type, epsilon, steps)
    w_star = pre * post * neuron_type  # w* = S_i S_j type
    text = (f"S_i = {pre:+d}, S_j = {post:+d}, presynaptic neuron {'E' if neuron_type > 0 else 'I'}: "
            f"w* = {w_star:+d}; w({steps}) = {numeric[-1]:+.4f}; "
            f"largest |rule - closed form| = {np.abs(numeric - analytic).max():.1e}")
    if previous is None:
        figure = plot_hebb_trajectory(numeric, analytic, epsilon, w_star)
    else:
        figure = _in_place(previous)
        _set_hebb_trajectory(figure.axes[0], numeric, analytic, epsilon, w_star)
    return {"figure": figure, "numeric": numeric, "analytic": analytic, "w_star": w_star, "text": text}


#: The Hebb explorer's defaults: a pairing of two active neurons, the presynaptic one excitatory.
HEBB_EXAMPLE = {"epsilon": 0.05, "pattern": (1, 1), "neuron_type": 1, "w0": 0.05}


def hebb_explorer(**values):
    """Sliders for the learning rate ``eps`` (0.001 … 1, logarithmic), the activity pattern ``(S_i, S_j)``, the
    presynaptic neuron's type and the initial weight: one weight under repeated pairing, rule against closed form.
    Keyword arguments override :data:`HEBB_EXAMPLE`."""
    import ipywidgets as widgets

    start = start_values(HEBB_EXAMPLE, values, {"pattern": [p for _, p in HEBB_PATTERNS], "neuron_type": (1, -1)})
    epsilon, pattern, neuron_type, w0 = (start[name] for name in HEBB_EXAMPLE)
    sliders = {
        "epsilon": widgets.FloatLogSlider(value=epsilon, base=10, min=-3, max=0, step=0.1, description="ε",
                                          readout_format=".3g", continuous_update=False),
        "pattern": widgets.SelectionSlider(options=HEBB_PATTERNS, value=pattern, description="pattern",
                                           continuous_update=False),
        "neuron_type": widgets.ToggleButtons(options=(("E", 1), ("I", -1)), value=neuron_type,
                                             description="pre type"),
        "w0": widgets.FloatSlider(value=w0, min=-1.0, max=1.0, step=0.01, description="w(0)",
                                  continuous_update=False),
    }
    return Explorer(sliders, draw_hebb, height="400px", given=values)


#: The main explorer's defaults, also the example network of notebook 03: one excitatory neuron out of six,
#: the target ``[2, 0, 1]`` (mapping number 4 of the 3! in lexicographic order), and a seed for which it is learnt.
EXAMPLE_RUN = {"epsilon": 0.01, "excitatory_count": 1, "L": 3, "N": 3, "M": 3, "mapping": 4, "seed": 19}


@_checked(seed=_A_SEED, previous=_or_none(_A_DICT))
def draw_network_run(epsilon, excitatory_count, L, N, M, mapping, seed, max_epochs=2000, previous=None):
    """The main explorer's drawing: one network drawn from ``seed`` and trained for ``max_epochs`` epochs (on
    after the first full recall, to see whether it lasts); the network, its weights and the recall table.
    ``mapping`` is the target's number among the ``N!`` permutations (lexicographic order). Drawn into the figure
    of ``previous`` (this function's last dict) when given, and the network and training have the same sizes."""
    params = Params(L=L, N=N, M=M, epsilon=epsilon, max_epochs=max_epochs, stop_at_convergence=False)
    _check_int("mapping", mapping, 0, math.factorial(N) - 1)
    _check_int("excitatory_count", excitatory_count, 0, params.P)
    target = all_mappings(N)[mapping]
    types, weights, _ = draw_run(params, PlannedRun(0, excitatory_count, target, None), seed)
    result = train_batch(params, types[None], np.array([target]), [W[None] for W in weights], history=True)
    history = [layer[0] for layer in result.history["weights"]]
    converged_at = int(result.epochs_to_convergence[0]) if result.converged[0] else None
    table = recall_table([W[0] for W in result.weights], target, params)
    settled = int(result.weights_settled_epoch[0])
    verdict = (f"all pairs recalled at epoch {converged_at}" if converged_at else
               f"not learnt in {max_epochs} epochs")
    text = "\n".join([
        f"{excitatory_count} E of {params.P} typed neurons ({allotment_string(types, params.sizes)}), "
        f"target {list(target)}, ε = {epsilon:.3g}, seed {seed}",
        f"recall correct: {'first at epoch ' + str(converged_at) if converged_at else 'never'}"
        + (f", still at the end: {'yes' if result.stable[0] else 'no'}" if converged_at else "")
        + f"; weights no longer update: {'from epoch ' + str(settled) if settled else 'never'}"
        + f"; epochs: {max_epochs}",
        f"at the end ({table.recalled.sum()} of {N} recalled):",
        table.to_string(index=False),
    ])
    title = f"target {list(target)}: {verdict}"
    if previous is not None and (previous["params"].sizes, previous["params"].max_epochs) == (params.sizes,
                                                                                              max_epochs):
        figure = _in_place(previous)
        _set_training_run(figure, params, types, history, converged_at, title)
    else:
        figure = plot_training_run(params, types, history, converged_at, title=title)
    return {"figure": figure, "text": text, "table": table, "params": params, "types": types, "result": result}


def network_explorer(**values):
    """The main explorer of notebook 03: sliders for ``eps``, the E count, the number of layers ``L``, the
    neurons per layer ``N`` and per hidden layer ``M``, the target mapping (its number among the ``N!``) and the
    seed; one network trained for 2000 epochs. Keyword arguments override :data:`EXAMPLE_RUN`.

    ``M`` follows ``N`` when ``N`` moves; the E count and mapping sliders keep to the ranges of the network.
    """
    import ipywidgets as widgets

    given, values = values, start_values(EXAMPLE_RUN, values)
    P = Params(L=values["L"], N=values["N"], M=values["M"]).P

    def slider(name, low, high, label):
        return widgets.IntSlider(value=values[name], min=low, max=high, description=label, continuous_update=False)

    sliders = {
        "epsilon": widgets.FloatLogSlider(value=values["epsilon"], base=10, min=-3, max=0, step=0.1,
                                          description="ε", readout_format=".3g", continuous_update=False),
        "excitatory_count": slider("excitatory_count", 0, P, "E count"),
        "L": slider("L", 2, 5, "layers L"),
        "N": slider("N", 2, 5, "N"),
        "M": slider("M", 1, 8, "hidden M"),
        "mapping": slider("mapping", 0, math.factorial(values["N"]) - 1, "mapping #"),
        "seed": slider("seed", 0, 99, "seed"),
    }

    def keep_in_range(change):
        """Runs before the redraw of the slider that moved, so that the explorer draws once, with valid values."""
        if explorer.holding:
            return
        explorer.holding = True
        try:
            if change["owner"] is sliders["N"]:
                sliders["M"].value = change["new"]
            L, N, M = (sliders[name].value for name in ("L", "N", "M"))
            sliders["excitatory_count"].max = Params(L=L, N=N, M=M).P  # a value beyond the new range is clipped
            sliders["mapping"].max = math.factorial(N) - 1
        finally:
            explorer.holding = False

    for name in ("L", "N", "M"):
        sliders[name].observe(keep_in_range, names="value")  # observed before the explorer's redraw
    explorer = Explorer(sliders, draw_network_run, height="760px", given=given)
    return explorer


#: The map explorer's defaults (the published balance) and the figures' example map.
MAP_EXAMPLE = {"lateral_excitation": 1.0, "lateral_inhibition": 1.0, "presentations": 6000, "seed": 0}


def draw_topographic_map(lateral_excitation, lateral_inhibition, presentations, seed):
    """The map explorer's drawing: one map trained from ``seed``, drawn at 4 stages, with its measures."""
    params = MapParams(lateral_excitation=lateral_excitation, lateral_inhibition=lateral_inhibition,
                       presentations=presentations)
    run = train_map(params, seed, record_every=max(math.ceil(presentations / 3), 1))
    quality = map_quality(run.s, params.size)
    last = run.active[-max(presentations // 10, 1):] if presentations else np.zeros(1)
    text = (f"lateral excitation × {lateral_excitation:g}, inhibition × {lateral_inhibition:g}, "
            f"{presentations} presentations, seed {seed}\n"
            f"map order r = {quality['correlation']:.3f}; neighbour distance = {quality['neighbour_distance']:.2f} "
            f"(perfect map: 1); topographic error = {quality['topographic_error']:.2f} (perfect map: 0)\n"
            f"tectal cells active per stimulus at the end: {last.mean():.1f} of {params.size ** 2}"
            + (f"; relaxations stopped at max_steps: {run.capped}" if run.capped else ""))
    return {"figure": plot_map_stages(run), "text": text, "run": run, **quality}


def map_explorer(**values):
    """Sliders for the lateral excitation (0 … 3) and inhibition (0 … 4) strengths, in multiples of the published
    weights, the number of presentations (0 … 20000) and the seed: one map trained and drawn as it forms.
    Keyword arguments override :data:`MAP_EXAMPLE`."""
    import ipywidgets as widgets

    given, values = values, start_values(MAP_EXAMPLE, values)
    sliders = {
        "lateral_excitation": widgets.FloatSlider(value=values["lateral_excitation"], min=0.0, max=3.0, step=0.25,
                                                  description="excitation", continuous_update=False),
        "lateral_inhibition": widgets.FloatSlider(value=values["lateral_inhibition"], min=0.0, max=4.0, step=0.25,
                                                  description="inhibition", continuous_update=False),
        "presentations": widgets.IntSlider(value=values["presentations"], min=0, max=20000, step=500,
                                           description="stimuli", continuous_update=False),
        "seed": widgets.IntSlider(value=values["seed"], min=0, max=99, description="seed", continuous_update=False),
    }
    return Explorer(sliders, draw_topographic_map, height="420px", given=given)


#: The sweep explorer's defaults (notebook 04): the workshop's network and training, every allotment, strict read-out.
SWEEP_EXAMPLE = {"L": 3, "N": 3, "epsilon": 0.01, "max_epochs": 2000, "allotment": "all", "readout": "strict",
                 "view": "convergence"}
SWEEP_VIEWS = (("convergence", "convergence"), ("epochs", "epochs"), ("pairs recalled", "recall"),
               ("input vs hidden E", "layers"))
SWEEP_BUDGET = 6500  # the most networks one move of a slider may train (L = 3, N = 4, every allotment: 6096)
SWEEP_MIN_RUNS = 120  # repeats enough for about this many runs at the E/I ratio with the fewest allotments


@_checked(params=_an_instance(Params, "a Params, e.g. Params(L=3, N=3)"), allotment=_one_of(*ALLOTMENTS))
def sweep_design(params, allotment):
    """What the sweep explorer trains for a network: ``(mappings, repeats, runs)``.

    Every mapping up to ``N = 4`` (24 of them), else 24 drawn with seed 0; ``repeats`` (independent draws per
    allotment and mapping) enough for :data:`SWEEP_MIN_RUNS` runs at the ratio with the fewest allotments, but no
    more than fit in :data:`SWEEP_BUDGET`; ``runs`` the total number of networks.
    """
    mappings = all_mappings(params.N)
    if len(mappings) > 24:
        mappings = [mappings[k] for k in sorted(np.random.default_rng(0).choice(len(mappings), 24, replace=False))]
    allotments = [math.comb(params.P, e) if allotment == "all" else 1 for _, _, e, _ in generate_ei_ratios(params.P)]
    one_draw = sum(allotments) * len(mappings)  # networks with one draw per allotment and mapping
    repeats = max(1, min(math.ceil(SWEEP_MIN_RUNS / (min(allotments) * len(mappings))), SWEEP_BUDGET // one_draw))
    return mappings, repeats, one_draw * repeats


@_checked(allotment=_one_of(*ALLOTMENTS), view=_one_of(*(view for _, view in SWEEP_VIEWS)),
          cache=_or_none(_an_instance(dict, "a dict (the explorer's cache of sweeps) or None")), progress=_check_bool)
def draw_sweep(L, N, epsilon, max_epochs, allotment, readout, view, cache=None, progress=False):
    """The sweep explorer's drawing: the workshop's sweep for these parameters (taken from ``cache``, a dict, when it
    has run before), summarised by E/I ratio and drawn as ``view``."""
    params = Params(L=L, N=N, epsilon=epsilon, max_epochs=max_epochs, readout=readout)
    mappings, repeats, runs = sweep_design(params, allotment)
    setting = (f"L = {L}, N = {N}, ε = {epsilon:.3g}, {max_epochs} epochs, {allotment} allotments, "
               f"{readout} read-out")
    if runs > SWEEP_BUDGET:
        fig, ax = _figure_and_axes(None, figsize=(6, 1.5))
        ax.axis("off")
        text = (f"{setting}: {runs} networks, more than the {SWEEP_BUDGET} a slider may train. "
                "Choose random allotments or a smaller network.")
        ax.text(0.5, 0.5, text.replace(": ", ":\n", 1), ha="center", va="center", wrap=True)
        return {"figure": fig, "text": text, "table": None, "summary": None}
    cache = {} if cache is None else cache
    key = (params, allotment)  # what the simulation depends on; `view` only changes the drawing
    if key not in cache:
        cache[key] = layer_counts(run_experiment(params, allotment=allotment, repeats=repeats, mappings=mappings,
                                                 progress=progress))
    table = cache[key]
    summary = summarise_sweep(table)
    if view == "layers":
        figure = plot_layer_split(summarise_sweep(table, by=["excitatory_input", "excitatory_hidden"]))
    elif view == "epochs":
        figure = plot_epochs_distribution(table)
    elif view == "recall":
        figure = plot_recall_fraction(summary, N)
    else:
        figure = plot_convergence_rate(summary)
    low, high = wilson_interval(table["converged"].sum(), len(table))
    text = "\n".join([
        f"{setting}: {len(table)} runs ({len(mappings)} mappings × {repeats} draw(s) per allotment, seed 0)",
        f"converged (first full recall): {table['converged'].sum()} of {len(table)} = "
        f"{table['converged'].mean():.1%} (95% Wilson interval {low:.1%} to {high:.1%})",
        format_summary(summary).to_string(index=False)])
    return {"figure": figure, "text": text, "table": table, "summary": summary}


def sweep_explorer(**values):
    """Notebook 04's explorer: sliders for the layers ``L`` (2 … 5), the neurons per layer ``N`` (2 … 5), ``eps``
    (0.001 … 1), the epochs before giving up (100 … 3000), the allotment mode and the read-out run the workshop's sweep
    (:func:`sweep_design`; a progress bar while it runs); the view buttons redraw from the cached results.
    Keyword arguments override :data:`SWEEP_EXAMPLE`. The results are kept in ``explorer.cache``."""
    import ipywidgets as widgets

    given, values = values, start_values(SWEEP_EXAMPLE, values, {
        "allotment": ALLOTMENTS, "readout": READOUTS, "view": [view for _, view in SWEEP_VIEWS]})
    cache = {}
    sliders = {
        "L": widgets.IntSlider(value=values["L"], min=2, max=5, description="layers L", continuous_update=False),
        "N": widgets.IntSlider(value=values["N"], min=2, max=5, description="N", continuous_update=False),
        "epsilon": widgets.FloatLogSlider(value=values["epsilon"], base=10, min=-3, max=0, step=0.1,
                                          description="ε", readout_format=".3g", continuous_update=False),
        "max_epochs": widgets.IntSlider(value=values["max_epochs"], min=100, max=3000, step=100,
                                        description="max epochs", continuous_update=False),
        "allotment": widgets.ToggleButtons(options=ALLOTMENTS, value=values["allotment"], description="allotment"),
        "readout": widgets.ToggleButtons(options=READOUTS, value=values["readout"], description="read-out"),
        "view": widgets.ToggleButtons(options=SWEEP_VIEWS, value=values["view"], description="view"),
    }
    explorer = Explorer(sliders, lambda **slider_values: draw_sweep(**slider_values, cache=cache, progress=True),
                        height="760px", given=given)
    explorer.cache = cache
    return explorer


#: The answer explorer's defaults (notebook 05): the workshop's network (L = 3, N = 3) with no E neuron in the input
#: layer and one of three in the hidden layer (the allotment that converges most often), the rule as written.
ANSWER_EXAMPLE = {"excitatory_input": 0, "excitatory_hidden": 1, "dale": False, "epsilon": 0.01}
ANSWER_DRAWS = 40  # draws of the initial weights per mapping
_ANSWER_MAX_N = 5  # the largest N of the answer's drawing: 5! mappings × ANSWER_DRAWS = 4800 networks, within the
# SWEEP_BUDGET of one move of a slider (6! would be 28800)


@_checked(N=_an_int(1, _ANSWER_MAX_N))
def draw_answer(excitatory_input, excitatory_hidden, dale, epsilon, N=3, max_epochs=2000):
    """The answer explorer's drawing: every mapping × :data:`ANSWER_DRAWS` networks with this allotment (E neurons
    first in each layer, ``0 … N`` in each), trained for ``max_epochs`` epochs; one network's input weights against
    Proposition 2, and the pairs recalled at the end. ``N`` is at most 5 (``5! · ANSWER_DRAWS`` networks)."""
    import matplotlib.pyplot as plt

    params = Params(L=3, N=N, epsilon=epsilon, dale=dale, max_epochs=max_epochs, stop_at_convergence=False)
    for name, count in (("excitatory_input", excitatory_input), ("excitatory_hidden", excitatory_hidden)):
        _check_int(name, count, 0, N)
    allotment = ("E" * excitatory_input + "I" * (N - excitatory_input) + "|"
                 + "E" * excitatory_hidden + "I" * (N - excitatory_hidden))
    runs = [r for _, group in plan_experiment(params, allotment=allotment, repeats=ANSWER_DRAWS) for r in group]
    types, result = train_planned(params, runs, seed=0)
    fields = target_fields(params, types, np.array([r.mapping for r in runs]), result.weights)
    codes = distinct_codes(recall_batch(result.weights, params)[0][0])  # per run, at the end
    _, example = train_planned(params, runs[:1], seed=0, history=True)
    figure = plt.figure(figsize=(12, 3.6), layout="constrained")
    axes = figure.subplots(1, 3, width_ratios=[1.6, 1, 1])
    plot_weight_cycle(example.history["weights"][0][0], types[0, :N], epsilon, axes=axes[:2])
    plot_recall_counts(result.recall_fraction, N, ax=axes[2])
    n, done, lasting = len(runs), int(result.converged.sum()), int((result.recall_fraction == 1).sum())
    (c_low, c_high), (l_low, l_high) = wilson_interval(done, n), wilson_interval(lasting, n)
    r_low, r_high = wilson_interval(result.recall_fraction.sum(), n)
    lines = [
        f"allotment {allotment}: {excitatory_input} E of {N} input neurons, {excitatory_hidden} E of {N} hidden; "
        f"dale {'on' if dale else 'off'}; ε = {epsilon:.3g}; {n} runs ({len(all_mappings(N))} mappings × "
        f"{ANSWER_DRAWS} draws, seed 0), {max_epochs} epochs each",
        f"converged (first full recall): {done} of {n} = {done / n:.1%} (95% Wilson interval {c_low:.1%} to "
        f"{c_high:.1%}); all pairs still recalled at epoch {max_epochs}: {lasting} = {lasting / n:.1%} "
        f"({l_low:.1%} to {l_high:.1%})",
        f"pairs recalled at the end: {result.recall_fraction.mean():.1%} ({r_low:.1%} to {r_high:.1%}); "
        f"chance 1/N = {1 / N:.1%}, Dale ceiling 2/N = {2 / N:.1%}",
        f"distinct hidden states at the end: at most {codes.max()} among the {N} inputs"
        + (" (Proposition 1: at most 2 under Dale's law)" if dale else "")]
    if not dale:
        error = (fields["target_field"] - fields["predicted"]).abs().max()
        lines.append(f"target fields at recall vs Proposition 2's type(i)·A(i)·(E_hidden − I_hidden), "
                     f"E_hidden − I_hidden = {2 * excitatory_hidden - N:+d}: largest difference {error:.1e}")
    return {"figure": figure, "text": "\n".join(lines), "result": result, "types": types, "fields": fields,
            "codes": codes}


def answer_explorer(**values):
    """Notebook 05's explorer: the E count in the input layer (0 … 3) and in the hidden layer (0 … 3), Dale's law on
    or off, and ``eps`` (0.001 … 1), for the workshop's network ``L = 3, N = 3``. Keyword arguments override
    :data:`ANSWER_EXAMPLE`."""
    import ipywidgets as widgets

    given, values = values, start_values(ANSWER_EXAMPLE, values, {"dale": (False, True)})
    sliders = {
        "excitatory_input": widgets.IntSlider(value=values["excitatory_input"], min=0, max=3,
                                              description="E in input", continuous_update=False),
        "excitatory_hidden": widgets.IntSlider(value=values["excitatory_hidden"], min=0, max=3,
                                               description="E in hidden", continuous_update=False),
        "dale": widgets.ToggleButtons(options=(("dale off", False), ("dale on", True)), value=values["dale"],
                                      description="Dale's law"),
        "epsilon": widgets.FloatLogSlider(value=values["epsilon"], base=10, min=-3, max=0, step=0.1,
                                          description="ε", readout_format=".3g", continuous_update=False),
    }
    return Explorer(sliders, draw_answer, height="520px", given=given)


#: The variant explorer's defaults (notebook 06): balanced k-WTA in an expanded, all-excitatory hidden layer.
VARIANT_EXAMPLE = {"variant": "k-WTA", "k": 4, "M": 8, "excitatory_count": 12, "epsilon": 0.05}


@_checked(variant=_one_of(*VARIANTS), M=_an_int(1, MAX_NEURONS))  # M a number: the ranges of k and E count
def draw_variant(variant, k, M, excitatory_count, epsilon, N=4, repeats=4, max_epochs=1000):
    """The variant explorer's drawing: every mapping of ``N = 4`` items × ``repeats`` networks of one variant
    (:data:`VARIANTS`) with this E count (``0 … N + M``, a random allotment each) and ``k`` winners (``0 … M``, used
    by the k-WTA variants), trained for at most ``max_epochs`` epochs; the distinct hidden codes and the pairs
    recalled at the end."""
    import matplotlib.pyplot as plt

    kwta = VARIANTS[variant].get("lateral") == "kwta"
    params = variant_params(variant, N=N, M=M, k=k if kwta else None, epsilon=epsilon, max_epochs=max_epochs)
    _check_int("k", k, 0, params.hidden_width)  # also for the variants without winners (the slider is greyed out)
    _check_int("excitatory_count", excitatory_count, 0, params.P)
    table = variant_experiment(params, e_counts=[excitatory_count], repeats=repeats)
    figure = plt.figure(figsize=(10, 3.4), layout="constrained")
    axes = figure.subplots(1, 2)
    counts = np.bincount(table["distinct_codes"], minlength=N + 1)[1:]
    axes[0].bar(np.arange(1, N + 1), counts, color=[COLOURS["output"]] * (N - 1) + [COLOURS["E"]])
    axes[0].set(xticks=np.arange(1, N + 1), xlabel=f"distinct hidden codes among the N = {N} inputs (at the end)",
                ylabel="runs", title=f"{variant}: red = every input its own code")
    recalled = np.bincount(np.rint(table["recall_fraction"] * N).astype(np.int64), minlength=N + 1)
    axes[1].bar(np.arange(N + 1), recalled, color=COLOURS["output"])
    axes[1].axvline(1, color="k", ls=":", label="chance: 1 pair (1/N)")
    axes[1].set(xticks=np.arange(N + 1), xlabel=f"pairs recalled at the end (of N = {N})", ylabel="runs",
                title=f"mean {table['recall_fraction'].mean():.0%} of pairs, {len(table)} runs")
    axes[1].legend(fontsize="small", frameon=False)
    n, done = len(table), int(table["converged"].sum())
    low, high = wilson_interval(done, n)
    setting = f"M = {M}" + (f", k = {params.k}" if kwta else "")
    lines = [f"{variant} ({setting}; {params.readout} read-out), {excitatory_count} E of {params.P} typed neurons, "
             f"ε = {epsilon:.3g}: {n} runs ({len(all_mappings(N))} mappings × {repeats}, seed 0), at most "
             f"{max_epochs} epochs",
             f"learnt the permutation: {done} of {n} = {done / n:.1%} (95% Wilson interval {low:.1%} to {high:.1%})"
             + (f", median {table.loc[table['converged'], 'epochs_to_convergence'].median():.0f} epochs" if done
                else ""),
             f"every input its own hidden code at the end: {int(table['codes_unique'].sum())} of {n}; "
             f"pairs recalled at the end: {table['recall_fraction'].mean():.1%}"]
    if kwta and excitatory_count == params.P and params.homeostasis == 0 and params.normalise == "none":
        lines.append(f"closed form (birthday problem, C({M}, {params.k}) codes): "
                     f"{kwta_success_probability(N, M, params.k):.1%}")
    return {"figure": figure, "text": "\n".join(lines), "table": table, "params": params}


def variant_explorer(**values):
    """Notebook 06's explorer: a variant of :data:`VARIANTS`, the winners ``k`` (k-WTA variants), the hidden width
    ``M`` (2 … 10), the E count (0 … N + M) and ``eps`` (0.001 … 1), for ``N = 4``. Keyword arguments override
    :data:`VARIANT_EXAMPLE`. ``k`` and the E count keep to the network's ranges when ``M`` moves; ``k`` is greyed
    out for the variants without lateral inhibition."""
    import ipywidgets as widgets

    given, values = values, start_values(VARIANT_EXAMPLE, values, {"variant": list(VARIANTS)})
    widths = (2, 10)  # the range of M, checked first: the ranges of k and of the E count depend on it
    _check_int("M", values["M"], *widths)
    sliders = {
        "variant": widgets.Dropdown(options=list(VARIANTS), value=values["variant"], description="variant"),
        "k": widgets.IntSlider(value=values["k"], min=0, max=values["M"], description="winners k",
                               continuous_update=False),
        "M": widgets.IntSlider(value=values["M"], min=widths[0], max=widths[1], description="hidden M",
                               continuous_update=False),
        "excitatory_count": widgets.IntSlider(value=values["excitatory_count"], min=0, max=4 + values["M"],
                                              description="E count", continuous_update=False),
        "epsilon": widgets.FloatLogSlider(value=values["epsilon"], base=10, min=-3, max=0, step=0.1,
                                          description="ε", readout_format=".3g", continuous_update=False),
    }
    sliders["k"].disabled = VARIANTS[values["variant"]].get("lateral") != "kwta"

    def keep_in_range(change):
        """Runs before the redraw of the slider that moved, so that the explorer draws once, with valid values."""
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
        sliders[name].observe(keep_in_range, names="value")  # observed before the explorer's redraw
    explorer = Explorer(sliders, draw_variant, height="520px", given=given)
    return explorer


# ═══════════════════════════════════════════════════════════════════════════════════════════════════════════
# 8. The command line
