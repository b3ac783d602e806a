"""The notebooks' sliders: each explorer wires explicit sliders to a drawing function and returns
an :class:`Explorer`. The drawing functions take the slider values and return the figure and its
data; the command line's ``figures`` draws the course's key figures with them."""

import math

import numpy as np

from hebb_core import (
    A_SEED,
    all_mappings,
    allotment_string,
    BOOLEAN_FUNCTIONS,
    draw_run,
    hebb_trajectory,
    Params,
    PlannedRun,
    repeat_pairing,
    truth_table,
)
from hebblab.analysis import recall_table
from hebblab.checks import a_real, an_instance, check_choice, check_int, fail, or_none, with_checks
from hebblab.engine import train_batch
from hebblab.explorer import Explorer
from hebblab.explorer_plots import plot_decision_line, plot_hebb_trajectory
from hebblab.plots import plot_training_run
from hebblab.style import course_style

#: The learning rates an ε control offers: a log scale in readable steps, 1-2-5 per decade.
EPSILONS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)

_A_DICT = an_instance(dict, "a dict, name → value")


@with_checks(value=lambda name, value: _check_option(name, value, EPSILONS))
def epsilon_slider(value):
    """A control for the learning rate ``ε``, one of :data:`EPSILONS` (a log scale in readable
    steps)."""
    import ipywidgets as widgets

    return widgets.SelectionSlider(options=[(f"{e:g}", e) for e in EPSILONS], value=value,
                                   description="ε", continuous_update=False)


def _check_option(name, value, options):
    """Raise ``ValueError`` unless ``value`` is one of a control's ``options``; a bool is not taken
    for 1 or 0."""
    if isinstance(value, (bool, np.bool_)) \
            and not any(isinstance(option, bool) for option in options):
        fail(name, value, "one of " + ", ".join(repr(option) for option in options))
    check_choice(name, value, tuple(options))


def _an_option(*options):
    return lambda name, value: _check_option(name, value, options)


@with_checks(defaults=_A_DICT, values=_A_DICT, choices=or_none(_A_DICT))
def start_values(defaults, values, choices=None):
    """An explorer's starting values: ``defaults`` with ``values`` in their place. Each keyword
    must name a slider, hold a value of its kind (a whole number for a counter, a finite number for
    a real slider) and, for the sliders in ``choices`` (name → allowed values), one of their
    options; the range of a number is checked by :class:`Explorer` against its slider. Raises
    ``ValueError`` naming the keyword, its value and what is allowed."""
    choices = choices or {}
    for name, value in values.items():
        if name not in defaults:
            fail(name, value, "one of the sliders " + ", ".join(defaults))
        default = defaults[name]
        number = (isinstance(value, (int, float, np.integer, np.floating))
                  and not isinstance(value, (bool, np.bool_)))
        if name in choices:
            _check_option(name, value, choices[name])
        elif isinstance(default, int) and not isinstance(default, bool) \
                and not (number and isinstance(value, (int, np.integer))):
            fail(name, value, "a whole number")
        elif isinstance(default, float) and not (number and math.isfinite(value)):
            fail(name, value, "a finite number")
    return {**defaults, **values}


@with_checks(w1=a_real(), w2=a_real(), theta=a_real())
@course_style()
def draw_mcculloch_pitts(w1, w2, theta):
    """The McCulloch–Pitts explorer's drawing: decision line and truth table of a two-input
    unit."""
    # slider values such as 0.30000000000000004
    w, theta = (round(w1, 2), round(w2, 2)), round(theta, 2)
    table = truth_table(w, theta)
    text = f"{BOOLEAN_FUNCTIONS[tuple(table.S)]}\n{table.to_string(index=False)}"
    alt = (f"Figure: the decision line of a two-input unit with w1 = {w[0]:g}, w2 = {w[1]:g}, "
           f"θ = {theta:g}: it computes {BOOLEAN_FUNCTIONS[tuple(table.S)]}")
    return {"figure": plot_decision_line(w, theta), "table": table, "text": text, "alt": alt}


#: The McCulloch–Pitts explorer's defaults: an AND gate.
MCCULLOCH_PITTS_EXAMPLE = {"w1": 1.0, "w2": 1.0, "theta": 1.5}


def mcculloch_pitts_explorer(**values):
    """Sliders for the two weights and the threshold of a McCulloch–Pitts unit (0/1 states), each
    in ``[-2, 2]``: the decision line and the live truth table. Keyword arguments override
    :data:`MCCULLOCH_PITTS_EXAMPLE`."""
    import ipywidgets as widgets

    start = start_values(MCCULLOCH_PITTS_EXAMPLE, values)
    sliders = {name: widgets.FloatSlider(value=start[name], min=-2.0, max=2.0, step=0.1,
                                         description=label)
               for name, label in (("w1", "w₁"), ("w2", "w₂"), ("theta", "θ"))}
    return Explorer(sliders, draw_mcculloch_pitts, height="560px", given=values)


#: The activity patterns ``(S_i, S_j)`` of the Hebb explorer, by kind of states: the workshop's 0/1
#: table, and ±1.
HEBB_STATES = {
    "0/1": (("Sᵢ=1, Sⱼ=1", (1, 1)), ("Sᵢ=1, Sⱼ=0", (1, 0)), ("Sᵢ=0, Sⱼ=1", (0, 1)),
            ("Sᵢ=0, Sⱼ=0", (0, 0))),
    "±1": (("Sᵢ=+1, Sⱼ=+1", (1, 1)), ("Sᵢ=+1, Sⱼ=−1", (1, -1)), ("Sᵢ=−1, Sⱼ=+1", (-1, 1)),
           ("Sᵢ=−1, Sⱼ=−1", (-1, -1))),
}
#: Every pattern of the Hebb explorer, either kind of states.
HEBB_PATTERNS = HEBB_STATES["0/1"] + HEBB_STATES["±1"][1:]


@with_checks(epsilon=a_real(0, 1, open_low=True),
             pattern=_an_option(*(p for _, p in HEBB_PATTERNS)),
          neuron_type=_an_option(1, -1))
@course_style()
def draw_hebb(epsilon, pattern, neuron_type, w0):
    """The Hebb explorer's drawing: five time constants ``1/eps`` of repeated pairing, rule against
    closed form."""
    steps = min(math.ceil(5 / epsilon), 5000)
    pre, post = pattern
    numeric = repeat_pairing(w0, pre, post, neuron_type, epsilon, steps)
    analytic = hebb_trajectory(w0, pre, post, neuron_type, epsilon, steps)
    w_star = pre * post * neuron_type  # w* = S_i S_j type
    text = (f"S_i = {pre:+d}, S_j = {post:+d}, presynaptic "
            f"neuron {'E' if neuron_type > 0 else 'I'}: "
            f"w* = {w_star:+d}; w({steps}) = {numeric[-1]:+.4f}; "
            f"largest |rule - closed form| = {np.abs(numeric - analytic).max():.1e}")
    return {"figure": plot_hebb_trajectory(numeric, analytic, epsilon, w_star), "numeric": numeric,
            "analytic": analytic, "w_star": w_star, "text": text}


#: The Hebb explorer's defaults: a pairing of two active neurons, the presynaptic one excitatory.
HEBB_EXAMPLE = {"epsilon": 0.05, "pattern": (1, 1), "neuron_type": 1, "w0": 0.05}


def hebb_explorer(**values):
    """Sliders for the learning rate ``eps`` (0.001 … 1, logarithmic), the activity pattern ``(S_i,
    S_j)``, the presynaptic neuron's type and the initial weight: one weight under repeated
    pairing, rule against closed form. Keyword arguments override :data:`HEBB_EXAMPLE`."""
    import ipywidgets as widgets

    start = start_values(HEBB_EXAMPLE, values,
                         {"pattern": [p for _, p in HEBB_PATTERNS], "neuron_type": (1, -1),
                          "epsilon": EPSILONS})
    epsilon, pattern, neuron_type, w0 = (start[name] for name in HEBB_EXAMPLE)
    # the workshop's 0/1 first
    states = "0/1" if pattern in [p for _, p in HEBB_STATES["0/1"]] else "±1"
    sliders = {
        "epsilon": epsilon_slider(epsilon),
        "states": widgets.ToggleButtons(options=list(HEBB_STATES), value=states,
                                        description="states"),
        # buttons, not a list: JupyterLab takes a list's arrow keys for moving between cells
        "pattern": widgets.ToggleButtons(options=HEBB_STATES[states], value=pattern,
                                         description="pattern", style={"button_width": "auto"}),
        "neuron_type": widgets.ToggleButtons(options=(("E", 1), ("I", -1)), value=neuron_type,
                                             description="pre type"),
        "w0": widgets.FloatSlider(value=w0, min=-1.0, max=1.0, step=0.01, description="w(0)",
                                  continuous_update=False),
    }

    def switch_states(change):
        """0/1 or ±1 states: the patterns of that kind, the same pattern where both have it (else
        the first)."""
        explorer.holding = True  # one drawing, by the pattern's control
        try:
            options = HEBB_STATES[change["new"]]
            pattern = sliders["pattern"].value
            sliders["pattern"].options = options
            sliders["pattern"].value = (pattern if pattern in [p for _, p in options]
                                        else options[0][1])
        finally:
            explorer.holding = False  # the explorer's own observer of the states redraws, once

    sliders["states"].observe(switch_states, names="value")

    def draw(states, **values):
        # the states only name the pattern: its text alternative says which
        drawn = draw_hebb(**values)
        return {**drawn, "alt": f"Figure ({states} states): " + drawn["text"].splitlines()[0]}

    explorer = Explorer(sliders, draw, height="400px", given=values)
    sliders["pattern"].layout.width = "100%"  # the four patterns' buttons on a row of their own
    return explorer


#: The main explorer's defaults, also the example network of notebook 03: one excitatory neuron out
#: of six, the target ``[2, 0, 1]`` (mapping number 4 of the 3! in lexicographic order), and a
#: random seed for which it is learnt.
EXAMPLE_RUN = {"epsilon": 0.01, "excitatory_count": 1, "L": 3, "N": 3, "M": 3,
               "mapping": 4, "seed": 19}


@with_checks(seed=A_SEED)
@course_style()
def draw_network_run(epsilon, excitatory_count, L, N, M, mapping, seed, max_epochs=2000):
    """The main explorer's drawing: one network drawn from ``seed`` and trained for ``max_epochs``
    epochs (on after the first full recall, to see whether it lasts); the network, its weights and
    the recall table. ``mapping`` is the target's number among the ``N!`` permutations
    (lexicographic order)."""
    params = Params(L=L, N=N, M=M, epsilon=epsilon, max_epochs=max_epochs,
                    stop_at_convergence=False)
    check_int("mapping", mapping, 0, math.factorial(N) - 1)
    check_int("excitatory_count", excitatory_count, 0, params.P)
    target = all_mappings(N)[mapping]
    types, weights, _ = draw_run(params, PlannedRun(0, excitatory_count, target, None), seed)
    result = train_batch(params, types[None], np.array([target]), [W[None] for W in weights],
                         history=True)
    history = [layer[0] for layer in result.history["weights"]]
    converged_at = int(result.epochs_to_convergence[0]) if result.converged[0] else None
    table = recall_table([W[0] for W in result.weights], target, params)
    settled = int(result.weights_settled_epoch[0])
    verdict = (f"all pairs recalled at epoch {converged_at}" if converged_at else
               f"not learnt in {max_epochs} epochs")
    text = "\n".join([
        f"{excitatory_count} E of {params.P} typed neurons "
        f"({allotment_string(types, params.sizes)}), "
        f"target {list(target)}, ε = {epsilon:.3g}, seed {seed}",
        f"recall correct: {'first at epoch ' + str(converged_at) if converged_at else 'never'}"
        + (f", still at the end: {'yes' if result.stable[0] else 'no'}" if converged_at else "")
        + f"; weights no longer update: {'from epoch ' + str(settled) if settled else 'never'}"
        + f"; epochs: {max_epochs}",
        f"at the end ({table.recalled.sum()} of {N} recalled):",
        table.to_string(index=False),
    ])
    figure = plot_training_run(params, types, history, converged_at,
                               title=f"target {list(target)}: {verdict}")
    return {"figure": figure, "text": text, "table": table, "params": params, "types": types,
            "result": result}


def network_explorer(**values):
    """The main explorer of notebook 03: sliders for ``eps``, the E count, the number of layers
    ``L``, the neurons per layer ``N`` and per hidden layer ``M``, the target mapping (its number
    among the ``N!``) and the seed; one network trained for 2000 epochs. Keyword arguments override
    :data:`EXAMPLE_RUN`.

    ``M`` follows ``N`` when ``N`` moves; the E count and mapping sliders keep to the ranges of the
    network.
    """
    import ipywidgets as widgets

    given, values = values, start_values(EXAMPLE_RUN, values, {"epsilon": EPSILONS})
    P = Params(L=values["L"], N=values["N"], M=values["M"]).P

    def slider(name, low, high, label):
        return widgets.IntSlider(value=values[name], min=low, max=high, description=label,
                                 continuous_update=False)

    def mappings(N):
        """The mapping's options: each permutation shown as such, its value its number among the
        N!."""
        return [(str(list(target)), number) for number, target in enumerate(all_mappings(N))]

    check_int("mapping", values["mapping"], 0, math.factorial(values["N"]) - 1)
    sliders = {
        "epsilon": epsilon_slider(values["epsilon"]),
        "excitatory_count": slider("excitatory_count", 0, P, "E count"),
        "L": slider("L", 2, 5, "layers L"),
        "N": slider("N", 2, 5, "N"),
        "M": slider("M", 1, 8, "hidden M"),
        "mapping": widgets.Dropdown(options=mappings(values["N"]), value=values["mapping"],
                                    description="mapping"),
        "seed": slider("seed", 0, 99, "seed"),
    }

    def keep_in_range(change):
        """Runs before the redraw of the slider that moved, so that the explorer draws once, with
        valid values."""
        if explorer.holding:
            return
        explorer.holding = True
        try:
            if change["owner"] is sliders["N"]:
                sliders["M"].value = change["new"]
            L, N, M = (sliders[name].value for name in ("L", "N", "M"))
            # a value beyond the new range is clipped
            sliders["excitatory_count"].max = Params(L=L, N=N, M=M).P
            sliders["M"].disabled = L == 2
            explorer.note.value = "hidden M: no hidden layer when L = 2" if L == 2 else ""
            if change["owner"] is sliders["N"]:  # the same mapping where it exists, else the first
                mapping = sliders["mapping"].value
                sliders["mapping"].options = mappings(N)
                sliders["mapping"].value = min(mapping, math.factorial(N) - 1)
        finally:
            explorer.holding = False

    for name in ("L", "N", "M"):
        # observed before the explorer's redraw
        sliders[name].observe(keep_in_range, names="value")
    explorer = Explorer(sliders, draw_network_run, height="760px", given=given)
    sliders["M"].disabled = values["L"] == 2
    explorer.note.value = "hidden M: no hidden layer when L = 2" if values["L"] == 2 else ""
    return explorer


# ═════════════════════════════════════════════════════════════════════════════════════════════════
# 8. The command line
