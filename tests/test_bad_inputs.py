"""Bad inputs at the public boundary: every public callable of the course, every one of its
parameters.

The battery is made from the declarations. A public function declares what it accepts with
``hebblab.checks.with_checks(name=rule, …)``; the function keeps it (``function.rules``) and each
rule says what it allows (``rule.allowed``: the range, the choices, the shape…). For each declared
parameter the battery tries the values just outside (:func:`just_outside`: ``low - 1``,
``high + 1``, the next float beyond a bound, NaN, ±inf, a bool for an int, a string, ``None`` where
``None`` is not allowed, an array of a wrong shape…), and each must raise ``ValueError`` or
``TypeError`` whose message names the parameter. A parameter without a declared rule (a record's
field, a check in a function's body, a rule of its own) gets the generic wrong values of
:data:`BAD`; one of them may be valid there only if :data:`ALSO_VALID` says so.

The valid call each case starts from is made from the declaration where it can
(:func:`generated_call`); the hand table :func:`valid_calls` holds only what a declaration cannot
make (see its docstring).

The calls run in this process, each under an alarm, except those of the callables of
:data:`COMPILED` (they reach the compiled engine): those run in a child process forked from this
one, under a memory limit, so that a crash or a hang is reported, not fatal to the suite.
"""

import faulthandler
import inspect
import math
import os
import pickle
import resource
import signal
import sys
import time
import traceback

import numpy as np
import pytest

import hebb_core as hc
from hebblab import checks
from hebblab.checks import Allowed, allowed_by, an_int, described, with_checks

TIME_LIMIT = 20  # seconds per call: a hang, not a slow call on a busy machine
MEMORY_LIMIT = 3 * 2**30  # bytes of address space per call, beyond what the parent already maps


BAD = {  # label -> a wrong value for almost any parameter
    "a string": "x",
    "a numeric string": "3",
    "None": None,
    "NaN": math.nan,
    "+inf": math.inf,
    "-inf": -math.inf,
    "a negative": -1,
    "a huge number": 10**12,
    "a bool": True,
    "a fraction": 0.5,
    "an empty array": np.array([]),
    "a mis-shaped array": np.zeros((2, 3, 4, 5)),
    "a NaN array": np.full(3, math.nan),
    "an object": object(),
}


def public_callables():
    """Every callable in ``hebb_core.MACHINERY`` and every public function or class defined in
    ``hebb_core.py``."""
    names = {name for names in hc.MACHINERY.values() for name in names
             if callable(getattr(hc, name))}
    names |= {name for name, value in vars(hc).items()
              if not name.startswith("_") and callable(value)
              and getattr(value, "__module__", None) == "hebb_core"}
    return sorted(names)


def fixtures():
    """Valid values shared by the table of valid calls."""
    P = hc.Params()
    types = np.array([1.0, -1, -1, 1, -1, -1])
    weights = hc.initialize_weights(P, types, np.random.default_rng(0))
    B = 2
    batch = {"types": np.tile(types, (B, 1)), "mappings": np.tile([0, 1, 2], (B, 1)),
             "weights": [np.tile(W, (B, 1, 1)) for W in weights]}
    result = hc.train_batch(P, batch["types"], batch["mappings"], batch["weights"], history=True)
    plan = hc.plan_experiment(hc.Params(max_epochs=50), e_counts=[1, 3])
    runs = [run for _, group in plan for run in group][:4]
    table = hc.run_experiment(hc.Params(max_epochs=50), e_counts=[1, 3])
    summary = hc.summarise_sweep(table)
    M = hc.MapParams(size=4, presentations=20)
    map_run = hc.train_map(M, record_every=10)
    map_table = hc.map_sweep(lateral_inhibition=(0.0, 1.0), seeds=range(2), params=M)
    return dict(P=P, types=types, weights=weights, batch=batch, result=result, plan=plan,
                runs=runs, table=table, summary=summary, M=M, map_run=map_run,
                map_table=map_table, rng=np.random.default_rng(0))


def valid_values(f):
    """Valid values by parameter name, for what a declaration cannot make: values that fit together
    (one network of ``Params()``, its weights and states, a sweep's table and its summary, a map
    and its centres)."""
    P, W = f["P"], f["weights"]
    return {"params": P, "types": f["types"], "weights": W, "mapping": [0, 1, 2],
            "neuron_states": [np.zeros(n) for n in P.sizes], "table": f["table"],
            "summary": f["summary"], "s": f["map_run"].s, "size": 4,
            "centres": hc.receptive_field_centres(f["map_run"].s, 4), "N": 3, "rng": f["rng"],
            "run": f["map_run"], "history": hc.map_history([f["map_run"]]), "runs": f["runs"],
            "seed": 0, "input_idx": 0, "probabilities": [0.5, 0.5]}


def valid_calls(f):
    """The hand table: name -> (positional arguments, keyword arguments), only for what a
    declaration cannot make: a parameter without a declared rule or default (a record's fields, a
    network's weights, a table of results, a learner's functions), values that must fit together
    (weights that fit the layers, a vector per typed neuron), callables that take ``**values`` (the
    explorers: their keywords come from here), and calls cheaper than the defaults. ``None``:
    nothing to try here, and why."""
    P, T, W, b, res, runs = (f["P"], f["types"], f["weights"], f["batch"], f["result"],
                             f["runs"])
    M, rng, hist = f["M"], f["rng"], res.history
    states = [np.zeros(n) for n in P.sizes]
    fields = hc.target_fields(P, b["types"], b["mappings"], res.weights)
    willshaw = f["table"].head(1)[[]].assign(
        R=5, **hc.willshaw_net(20, 20, 2, 2, 5, np.random.default_rng(0)))
    record = dict(epochs_to_convergence=1, converged=True, recall_fraction=1.0, unique=True,
                  stable=True, weights_settled_epoch=None, weights=W)
    return {
        "BatchResult": ((), {**record, "weights_settled_epoch": 0}),
        "Settings": (tuple(hc.kernel_settings(P)), {}),
        "Outputs": ((np.zeros((1, 4)),) * 6, {}),
        "RunResult": ((), record),
        "MapRun": ((), dict(params=M, seed=0, s=f["map_run"].s, history=None, history_at=None,
                            active=np.zeros(1), steps=np.zeros(1), capped=0)),
        "PlannedRun": ((), dict(run=0, excitatory_count=1, mapping=(0, 1, 2))),
        "train_batch": ((P, b["types"], b["mappings"], b["weights"]), {"history": False}),
        "check_batch": ((P, b["types"], b["mappings"], b["weights"]), {"history": False}),
        "recall_batch": ((res.weights, P), {"thresholds": None}),
        "homeostatic_update": ((np.array([0.0, 0.1]), np.array([1.0, 0.0]), 0.5, 0.25), {}),
        "hidden_states": ((np.array([0.3, -0.1, 0.2]), P), {"thresholds": None}),
        "initialize_dual_weights": ((hc.VariantParams(edges="dual"), T, rng), {}),
        "distinct_codes": ((hist["hidden"][0],), {}),
        "target_fields": ((P, b["types"], b["mappings"], res.weights), {}),
        "map_chunks": ((hc.Params(max_epochs=50), f["plan"]), {"seed": 0, "chunk_size": 16}),
        "excitatory_by_layer": (("EII|IEI",), {}),
        "relax_tectum": ((np.full(16, 6.0), np.zeros((16, 16)), M), {}),
        "tectal_response": ((f["map_run"].s, [0, 1], M), {}),
        "train_maps": (([(M, 0)],), {"record_every": 0}),
        "bootstrap_interval": ((np.arange(5.0),),
                               {"confidence": 0.95, "resamples": 100, "seed": 0}),
        "summarise_maps": ((f["map_table"], "lateral_inhibition"), {"confidence": 0.95}),
        "map_history": (([f["map_run"]],), {}),
        "map_drift": ((hc.map_history([f["map_run"]]), 10),
                      {"measure": "correlation", "tolerance": 0.02, "confidence": 0.95}),
        "plot_hebb_trajectory": ((np.zeros(3), np.zeros(3), 0.5, 0.0), {}),
        "trace_envelope": ((np.zeros((3, 10)),), {"bins": 4}),
        "plot_weight_traces": ((P, T, [w[0] for w in hist["weights"]]),
                               {"converged_at": None}),
        "plot_training_run": ((P, T, [w[0] for w in hist["weights"]]),
                              {"converged_at": None, "title": None}),
        "plot_layer_split": ((hc.summarise_sweep(hc.layer_counts(f["table"]),
                                                 by=["excitatory_input", "excitatory_hidden"]),),
                             {}),
        "plot_code_counts": ((f["table"].assign(dale=False, distinct_codes=1),), {"hue": "dale"}),
        "plot_weight_cycle": ((hist["weights"][0][0], T[:3], 0.01), {"zoom": 8}),
        "plot_target_fields": ((fields,), {}),
        "plot_recall_counts": ((np.array([1.0, 2 / 3]), 3), {}),
        "plot_map_order": ((f["map_table"], "lateral_inhibition"),
                           {"reference": 1.0, "confidence": 0.95}),
        "plot_tectal_activity": ((np.zeros(16), 4), {"title": None}),
        "plot_map_sweeps": ((f["map_table"],
                             f["map_table"].rename(columns={"lateral_inhibition": "x"})
                             .assign(lateral_excitation=f["map_table"]["lateral_inhibition"])),
                            {}),
        "plot_rate_against": ((f["summary"], "excitatory_value"), {"y": "rate", "counts": False}),
        "plot_traces": (({"w": np.zeros(5)},),
                        {"xlabel": "epoch", "ylabel": "weight", "title": None}),
        "plot_willshaw": ((willshaw, 20, 20, 2, 2), {}),
        "Explorer": (({}, lambda: hc.draw_mcculloch_pitts(1.0, 1.0, 1.5), "300px"),
                     {"given": None}),
        "figure_png": ((hc.plot_lateral_profile(),), {}),
        "epsilon_slider": ((0.01,), {}),
        "mcculloch_pitts_explorer": ((), dict(hc.MCCULLOCH_PITTS_EXAMPLE)),
        "draw_hebb": ((), dict(hc.HEBB_EXAMPLE)),
        "hebb_explorer": ((), dict(hc.HEBB_EXAMPLE)),
        "draw_network_run": ((), {**hc.EXAMPLE_RUN, "max_epochs": 100}),
        "network_explorer": ((), dict(hc.EXAMPLE_RUN)),
        "draw_topographic_map": ((), {**hc.MAP_EXAMPLE, "presentations": 20}),
        "map_explorer": ((), {**hc.MAP_EXAMPLE, "presentations": 20}),
        "draw_sweep": ((), {**hc.SWEEP_EXAMPLE, "max_epochs": 50}),
        # fixed for the explorer, not a slider:
        "sweep_explorer": ((), {**hc.SWEEP_EXAMPLE, "max_epochs": 100}),
        "draw_answer": ((), {**hc.ANSWER_EXAMPLE, "max_epochs": 50}),
        "answer_explorer": ((), dict(hc.ANSWER_EXAMPLE)),
        "draw_variant": ((), {**hc.VARIANT_EXAMPLE, "repeats": 1, "max_epochs": 50}),
        "variant_explorer": ((), dict(hc.VARIANT_EXAMPLE)),
        "sweep_command": None,  # the command line's own checks are tested in test_cli.py
        "figures_command": None,
        "main": None,
        # reworked with the command line (--resume); its malformed files are tested there:
        "read_results": None,
        "course_figures": None,  # no parameters; draws every figure of the course
        # the plots' and explorers' shared helpers, exercised through every plot and explorer
        # they serve
        "figure_and_axes": None,
        "check_axes": None,
        "non_empty_values": None,
        "a_plot": None,
        "alt_text": None,
        "figure_img": None,
        "machine_cores": None,  # no parameters: the cores this process may use
        # a learner's answers: any value is an answer; the checks' own refusals and hints are in
        # test_solutions.py
        "check": None,
        "verdict": None,
        "unfinished": None,
        "numbers_agree": None,
        "exercise": None,  # the decorator that registers a check
        "Wrong": None,  # the exception a check raises with its hint
        # the bytes of a sweep table and their parser: tested with every cut and hostile file in
        # test_sweeps.py
        "regular_file_bytes": None,
        "table_from_bytes": None,
        "train_network": ((hc.Params(max_epochs=20), T, [0, 1, 2], W), {"history": False}),
        "train_variant_network": ((hc.Params(max_epochs=20), T, [0, 1, 2], W), {"history": False}),
        "check_types": ((T, 6), {}),
        "split_layers": ((T, P.sizes), {}),
        "mcculloch_pitts_unit": ((np.array([[0, 1], [1, 1]]), (1.0, 1.0), 1.5),
                                 {"states": "binary"}),
        "synaptic_input": ((states[0], W[0]), {}),
        "hebbian_update": ((W[0], np.ones(3), np.ones(3), np.ones(3), 0.01),
                           {"growth_power": 0}),
        "hebb_table": ((0.05, 0.01), {"neuron_type": 1.0}),
        "dale_clip": ((W[0], T[:3]), {}),
        "allot_types": ((6, 2), {"allotment": "random", "rng": rng}),
        "initial_weights": ((P, T, np.full(hc.weight_count(P), 0.5)), {}),
        "clamp_neurons": ((states, 0, 1), {}),
        "train_epochs": ((hc.Params(max_epochs=3), W,
                          hc.presentation_orders(hc.Params(max_epochs=3)), lambda w, order: w,
                          lambda w: (np.ones(3, bool), np.arange(3)), lambda w: [states] * 3),
                         {"history": False}),
        "draw_run": ((P, runs[0], 0), {}),
        "check_networks": ((P, T[None], [[0, 1, 2]], [w[None] for w in W]), {}),
        **selective_calls(rng),
    }


def selective_calls(rng):
    """Valid calls of notebook 08's rules, plots and checks, and of the statistics of the
    comparisons."""
    w = np.array([0.3, 0.2])
    sweep = hc.selective_map_sweep(["oja"], N=2, runs=2, e_counts=[4], epochs=2)
    return {
        "selective_map_sweep": ((["oja"],), {"N": 2, "runs": 2, "seed": 0, "M": 2, "e_counts": [4],
                                             "epochs": 2}),
        "plot_oja": ((np.ones((3, 2)), w), {"ax": None}),
        "plot_kohonen": ((np.ones((3, 2, 1)), [0, 2]), {"ax": None}),
        "plot_selective_sweep": ((sweep, 2), {"ax": None}),
        "selective_explorer": ((), {**hc.SELECTIVE_EXAMPLE, "M": 4, "excitatory_count": 8}),
    }


#: Values that are in fact valid for a parameter: callable -> parameter -> labels of :data:`BAD`.
#: A record of results (a dataclass or named tuple) holds what it is given: every value is valid
#: for it.
RECORDS = {"BatchResult", "RunResult", "Settings", "Outputs", "MapRun"}
REAL = {"a negative", "a fraction"}  # valid for any real number
# only parameters without a declared rule: a declared one gets the values just outside its rule:
ALSO_VALID = {
    "epsilon_slider": {"value": {"a fraction"}},  # 0.5, one of the learning rates offered
    "hebb_table": {"w": REAL, "neuron_type": {"a negative"}, "epsilon": {"a fraction"}},
    "PlannedRun": {"run": {"a huge number"}, "types": {"None"}},
    "Params": {"decimals": {"None"}},
    "VariantParams": {"decimals": {"None"}, "target_rate": {"a fraction"}},
    "plot_code_counts": {"hue": {"None"}},  # no split: one bar per count
    # widgets: values inside the sliders' ranges (eps in (0, 1], weights and theta in [-2, 2], w(0)
    # in [-1, 1], neuron_type -1 = inhibitory, strengths in multiples of the published ones), dale
    # a bool, M=None (M = N, as in Params)
    "mcculloch_pitts_explorer": {"w1": REAL, "w2": REAL, "theta": REAL},
    "draw_hebb": {"neuron_type": {"a negative"}, "w0": REAL},
    "hebb_explorer": {"epsilon": {"a fraction"}, "neuron_type": {"a negative"}, "w0": REAL},
    **{name: {"epsilon": {"a fraction"}} for name in ("network_explorer", "draw_sweep",
                                                      "sweep_explorer", "draw_variant",
                                                      "variant_explorer")},
    "draw_network_run": {"epsilon": {"a fraction"}, "M": {"None"}},
    **{name: {"lateral_excitation": {"a fraction"}, "lateral_inhibition": {"a fraction"}}
       for name in ("map_explorer", "draw_topographic_map")},
    **{name: {"dale": {"a bool"}, "epsilon": {"a fraction"}}
       for name in ("draw_answer", "answer_explorer")},
    "map_chunks": {"skip": {"an empty array"}},  # no run to skip
    # the one-to-one task of notebook 08: every E count by default, its settings passed on
    "selective_map_sweep": {"e_counts": {"None"}, "epsilon": {"a fraction"}},
}

def run_in_children(calls):
    """Run ``calls`` one after the other in a forked child under the limits (each call its own
    alarm); returns one outcome per call: ``("ok", None)``, ``("raised", (type, message))``,
    ``("error", text)`` (another exception, with its traceback), ``("memory", None)``,
    ``("crash", signal)`` or ``("timeout", None)``. A call that crashes the child or runs out of
    time is reported as such, and the calls after it run on in a new child."""
    outcomes = []
    while len(outcomes) < len(calls):
        pending = calls[len(outcomes):]
        read, write = os.pipe()
        pid = os.fork()
        # the child: run, report each call, and leave without running the parent's clean-up
        if pid == 0:
            os.close(read)
            faulthandler.disable()  # a crash is an outcome to report, not a dump on the terminal
            resource.setrlimit(resource.RLIMIT_AS,
                               (MEMORY_LIMIT + _mapped(), resource.RLIM_INFINITY))
            with os.fdopen(write, "wb") as pipe:
                for call in pending:
                    signal.alarm(TIME_LIMIT)
                    pickle.dump(_outcome(call), pipe)
                    pipe.flush()
            os._exit(0)
        os.close(write)
        with os.fdopen(read, "rb") as pipe:
            while True:
                try:
                    outcomes.append(pickle.load(pipe))
                except EOFError:
                    break
        _, status = os.waitpid(pid, 0)
        if len(outcomes) < len(calls):  # the child ended during the next call
            timeout = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGALRM
            outcomes.append(("timeout", None) if timeout else
                            ("crash", os.WTERMSIG(status) if os.WIFSIGNALED(status)
                             else os.WEXITSTATUS(status)))
    return outcomes


def _outcome(call):
    """What ``call()`` does: returns, raises a clean error, runs out of memory, or raises anything
    else."""
    try:
        call()
        return ("ok", None)
    except (ValueError, TypeError) as error:
        return ("raised", (type(error).__name__, str(error)))
    except MemoryError:
        return ("memory", None)
    except BaseException:  # noqa: BLE001 (anything else is a finding)
        return ("error", traceback.format_exc(limit=4)[-1500:])


def _mapped():
    """Bytes of address space this process maps now (the child's limit comes on top)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


#: The callables whose calls reach the compiled engine (measured: the valid call of each runs a
#: numba kernel). A wrong value that slipped past a check there could read memory out of bounds and
#: end the interpreter, and a compiled loop does not stop for an alarm: their bad calls run in a
#: forked child under a memory limit. Every other bad call runs here, in this process, under an
#: alarm.
COMPILED = {"answer_explorer", "compile_engine", "csv_chunk", "draw_answer", "draw_network_run",
            "draw_selective", "draw_sweep", "draw_topographic_map", "draw_variant", "map_sweep",
            "network_explorer", "relax_tectum", "run_chunk", "run_experiment",
            "selective_explorer", "selective_map_sweep", "sweep_explorer", "tectal_response",
            "train_batch", "train_compiled", "train_map", "train_maps", "train_planned",
            "train_selective_map", "variant_experiment", "variant_explorer"}


class TimeUp(BaseException):
    """The alarm of a call run in this process."""


def run_here(calls):
    """Run ``calls`` in this process, each under its own alarm; one outcome per call, as
    :func:`run_in_children`."""
    def ring(*_):
        raise TimeUp
    previous = signal.signal(signal.SIGALRM, ring)
    outcomes = []
    try:
        for call in calls:
            signal.alarm(TIME_LIMIT)
            try:
                outcome = _outcome(call)
            except TimeUp:
                outcome = ("timeout", None)
            finally:
                signal.alarm(0)
            outcomes.append(("timeout", None) if outcome[0] == "error" and "TimeUp" in outcome[1]
                            else outcome)
    finally:
        signal.signal(signal.SIGALRM, previous)
    return outcomes


def run(name, calls):
    """The outcomes of ``calls`` of the callable ``name``: in a child for :data:`COMPILED`, else
    here."""
    return run_in_children(calls) if name in COMPILED else run_here(calls)


# ── values from the declarations ─────────────────────────────────────────────────────────────────


def declared(function):
    """The declared rules of ``function`` that say what they allow:
    parameter -> :class:`hebblab.checks.Allowed`."""
    rules = getattr(function, "rules", {})
    return {name: allowed_by(rule) for name, rule in rules.items()
            if allowed_by(rule) is not None}


def example_shape(allowed):
    """A shape the array rule ``allowed`` accepts."""
    if isinstance(allowed.shape, tuple):
        return allowed.shape
    return (2,) * allowed.shape if isinstance(allowed.shape, int) else (3,)


def just_outside(allowed):
    """Values just outside what ``allowed`` allows, by label: the ends of its range moved one step
    out, NaN, ±inf, wrong types, a string, ``None`` where ``None`` is not allowed, arrays of a
    wrong shape or with a number outside."""
    text = allowed.kind == "name" or allowed.kind == "instance" and isinstance("x", allowed.type) \
        or "x" in allowed.choices
    bad = {"an object": object()} if text else {"a string": "x", "an object": object()}
    if not allowed.none:
        bad["None"] = None
    low, high = allowed.low, allowed.high
    if allowed.kind == "int":
        bad |= {"low - 1": low - 1, "a fraction": low + 0.5, "a bool": True, "NaN": math.nan,
                "a numeric string": "1", "an array": np.array([low])}
        if high is not None:
            bad["high + 1"] = high + 1
    elif allowed.kind == "real":
        bad |= {"NaN": math.nan, "+inf": math.inf, "-inf": -math.inf, "a bool": True,
                "a numeric string": "0.5",
                "low" if allowed.open_low else "just below low": low if allowed.open_low
                else float(np.nextafter(low, -math.inf))}
        if high is not None:
            bad["high" if allowed.open_high else "just above high"] = (
                high if allowed.open_high else float(np.nextafter(high, math.inf)))
    elif allowed.kind == "choice":
        bad |= {"not a choice": "no such choice", "a number": 3}
    elif allowed.kind == "array":
        shape = example_shape(allowed)
        bad |= {"a NaN array": np.full(shape, math.nan), "an inf array": np.full(shape, math.inf),
                "a ragged list": [[1.0], [1.0, 2.0]], "an array of strings": np.full(shape, "x")}
        if math.isfinite(low):
            bad["a number just below low"] = np.full(shape, np.nextafter(low, -math.inf))
        if math.isfinite(high):
            bad["a number just above high"] = np.full(shape, np.nextafter(high, math.inf))
        if "f" not in allowed.kinds:
            bad["a fraction"] = np.full(shape, max(low, 0) + 0.5)
        if isinstance(allowed.shape, tuple):
            bad["a mis-shaped array"] = np.zeros(shape + (2,))
        elif isinstance(allowed.shape, int):
            bad["an array with an axis too many"] = np.zeros((2,) * (allowed.shape + 1))
        if allowed.vector:
            bad |= {"a single number": np.float64(0.0), "an empty last axis": np.zeros((2, 0))}
    elif allowed.kind == "instance":
        bad |= {"a number": 3}
    elif allowed.kind == "bool":
        bad |= {"a string 'False'": "False", "the number 1": 1}
    elif allowed.kind in ("function", "executor"):
        bad |= {"a number": 3}
    elif allowed.kind == "generator":
        bad |= {"a seed": 0, "a legacy RandomState": np.random.RandomState(0)}
    elif allowed.kind == "shape":
        bad |= {"a number": 3, "a negative axis": (-1,), "a fractional axis": (1.5,)}
    elif allowed.kind == "name":
        bad |= {"a number": 3, "bytes": b"x"}
    elif allowed.kind == "sizes":
        bad |= {"one layer": (3,), "an empty layer": (0, 3),
                "too many layers": (3,) * (hc.MAX_LAYERS + 1),
                "too wide a layer": (3, hc.MAX_NEURONS + 1), "a fractional size": (3.5, 3)}
    elif allowed.kind == "states":
        bad |= {"one layer": [np.zeros(3)], "integer states": [np.zeros(3, int)] * 2,
                "NaN states": [np.full(3, math.nan)] * 2}
    return bad


def just_inside(name, rule):
    """A value ``rule`` accepts, from what it allows, or ``None`` if the declaration cannot make
    one."""
    allowed = allowed_by(rule)
    if allowed is None:
        return None
    kind, low, high = allowed.kind, allowed.low, allowed.high
    if kind in ("int", "real"):
        candidates = [1, 2, 0.5, low, high]
    elif kind == "choice":
        candidates = list(allowed.choices[:1])
    elif kind == "array":
        candidates = [np.full(example_shape(allowed), value) for value in (0, 1, low, high)]
    elif kind == "instance":
        candidates = ([allowed.type()]
                      if allowed.type in (hc.Params, hc.VariantParams, hc.MapParams, dict) else [])
    else:
        candidates = {"bool": [False], "function": [lambda *args, **kwargs: None],
                      "generator": [np.random.default_rng(0)], "shape": [()], "name": ["x"],
                      "executor": [None], "sizes": [(3, 3, 3)],
                      "states": [[np.zeros(3)] * 3]}[kind]
    return next((value for value in candidates if accepts(rule, name, value)), None)


def accepts(rule, name, value):
    """Whether ``rule`` (``None``: no rule) accepts ``value``."""
    try:
        rule is None or rule(name, value)
    except (ValueError, TypeError):
        return False
    return True


def generated_call(function, values=None):
    """A call of ``function`` made from its declaration: each parameter without a default (or with
    one its rule refuses) gets its value from ``values`` (by parameter name: what a declaration
    cannot make) if its rule accepts it, else a value made from its rule. ``None`` if a parameter
    has none of these."""
    rules, keywords, values = getattr(function, "rules", {}), {}, values or {}
    for parameter in inspect.signature(function).parameters.values():
        # a default stands, unless its own rule refuses it (rng=None where a draw needs one)
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD) \
                or parameter.default is not parameter.empty \
                and accepts(rules.get(parameter.name), parameter.name, parameter.default):
            continue
        if parameter.name in values and accepts(rules.get(parameter.name), parameter.name,
                                                 values[parameter.name]):
            keywords[parameter.name] = values[parameter.name]
            continue
        value = (just_inside(parameter.name, rules[parameter.name]) if parameter.name in rules
                 else None)
        if value is None:
            return None
        keywords[parameter.name] = value
    return (), keywords


def parameters(name, call):
    """The parameters to try: those of the signature; for ``**values`` the keywords of the valid
    call and one unknown keyword."""
    signature = inspect.signature(getattr(hc, name))
    names = []
    for parameter in signature.parameters.values():
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            names += [key for key in call[1] if key not in names] + ["no_such_keyword"]
        elif parameter.kind is not inspect.Parameter.VAR_POSITIONAL:
            names.append(parameter.name)
    return signature, names


def cases(name, call):
    """``(parameter, label, declared, call)`` for every parameter of ``name``: the values just
    outside its declared rule (``declared``), or, for a parameter without one, every value of
    :data:`BAD`."""
    signature, names = parameters(name, call)
    function, rules = getattr(hc, name), declared(getattr(hc, name))
    var = [p.name for p in signature.parameters.values()
           if p.kind is inspect.Parameter.VAR_KEYWORD]
    for parameter in names:
        for label, value in (just_outside(rules[parameter]) if parameter in rules
                             else BAD).items():
            arguments = dict(signature.bind_partial(*call[0], **call[1]).arguments)
            if var and var[0] in arguments:
                arguments.update(arguments.pop(var[0]))
            arguments[parameter] = value
            positional = [arguments.pop(p.name) for p in signature.parameters.values()
                          if p.kind is inspect.Parameter.POSITIONAL_ONLY and p.name in arguments]
            yield (parameter, label, parameter in rules,
                   (lambda a=positional, k=arguments: function(*a, **k)))


@pytest.fixture(autouse=True)
def no_figures_left():
    """The plots called in this process close their figures after each test."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


NO_CALL = "no valid call: neither made from a declaration nor in the hand table"


@pytest.fixture(scope="module")
def table():
    """The valid call of every public callable: from the hand table of :func:`valid_calls`, else
    made from the callable's declaration (:func:`generated_call`)."""
    hc.compile_engine()
    import matplotlib

    matplotlib.use("Agg")
    import ipywidgets  # noqa: F401 (loaded once here, not in every child)
    import matplotlib.pyplot  # noqa: F401
    shared = fixtures()
    hand, values = valid_calls(shared), valid_values(shared)
    return {name: valid_call(name, hand, values) for name in public_callables()}


def valid_call(name, hand, values=None):
    """The valid call of ``name``: in the ``hand`` table, else made from its declaration and
    ``values``, else :data:`NO_CALL`."""
    return hand[name] if name in hand else generated_call(getattr(hc, name), values) or NO_CALL


def test_the_battery_covers_every_public_callable(table):
    """A public callable needs a valid call: made from its declaration, or written in the hand
    table."""
    missing = [name for name, call in table.items() if call is NO_CALL]
    assert not missing, f"no valid call, neither declared nor in the hand table: {missing}"


def declared_valid(name, parameter, label):
    """Whether the value ``label`` of :data:`BAD` is valid for ``parameter`` (one without a
    declared rule): declared in :data:`ALSO_VALID`, a record's field, ``None`` where the default is
    ``None``, a bool where the default is a bool."""
    if name in RECORDS or label in ALSO_VALID.get(name, {}).get(parameter, ()):
        return True
    signature = inspect.signature(getattr(hc, name)).parameters
    default = signature[parameter].default if parameter in signature else inspect.Parameter.empty
    return ((label == "None" and default is None)
            or (label == "a bool" and isinstance(default, bool))
            or (label == "a fraction" and isinstance(default, float)))


def judge(name, parameter, label, declared_rule, outcome):
    """``None`` if the case passes, else what went wrong. A value outside a declared rule must be
    refused."""
    kind, detail = outcome
    if kind == "raised":
        if parameter in detail[1]:
            return None
        return f"{detail[0]} without naming {parameter!r}: {detail[1][:300]}"
    if kind == "ok" and not declared_rule and declared_valid(name, parameter, label):
        return None
    return f"{kind}: {str(detail)[:600]}" if detail is not None else kind


def problems_of(name, call):
    """What goes wrong when ``name`` is called with each bad value (an empty list: every case
    passes)."""
    valid = run(name, [lambda: getattr(hc, name)(*call[0], **call[1])])[0]
    if valid[0] != "ok":
        return [f"the valid call of {name} must work: {valid}"]
    bad = list(cases(name, call))
    problems = []
    for (parameter, label, declared_rule, _), outcome in zip(bad, run(name, [c for *_, c in bad])):
        problem = judge(name, parameter, label, declared_rule, outcome)
        if problem:
            problems.append(f"{name}({parameter}={label}): {problem}")
    return problems


@pytest.mark.parametrize("name", public_callables())
def test_bad_inputs_are_refused_cleanly(name, table):
    call = table[name]
    assert call is not NO_CALL, NO_CALL
    if call is None:
        pytest.skip("no parameters to try here (see the note in the hand table)")
    problems = problems_of(name, call)
    assert not problems, f"{len(problems)} bad cases:\n" + "\n".join(problems)


def test_the_battery_sees_a_crash_a_hang_and_the_memory_limit_and_goes_on(monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "TIME_LIMIT", 1)
    calls = [lambda: None, lambda: os.kill(os.getpid(), signal.SIGSEGV), lambda: int("x"),
             lambda: time.sleep(3), lambda: bytearray(MEMORY_LIMIT * 2), lambda: 1 / 0,
             lambda: None]
    kinds = [kind for kind, _ in run_in_children(calls)]
    assert kinds == ["ok", "crash", "raised", "timeout", "memory", "error", "ok"]
    assert ([kind for kind, _ in run_here([calls[0], calls[2], calls[3], calls[5]])]
            == ["ok", "raised", "timeout", "error"])


def planted(count):
    """A function that declares a rule for ``count`` but never checks it: the check does not reach
    the code."""
    return list(range(count))


planted.rules = {"count": an_int(1, 10)}


def test_the_battery_fails_a_rule_that_does_not_reach_the_code_or_lets_a_bad_value_through(
        monkeypatch):
    # says [1, 10], lets everything through:
    leaky = described(lambda name, value: None, Allowed("int", 1, 10))
    monkeypatch.setattr(hc, "planted", planted, raising=False)
    monkeypatch.setattr(hc, "leaky", with_checks(count=leaky)(lambda count: list(range(count))),
                        raising=False)
    monkeypatch.setattr(hc, "sound",
                        with_checks(count=an_int(1, 10))(lambda count: list(range(count))),
                        raising=False)
    assert problems_of("sound", valid_call("sound", {})) == []
    for name in ("planted", "leaky"):
        call = valid_call(name, {})
        assert call == ((), {"count": 1})  # made from the declaration
        problems = "\n".join(problems_of(name, call))
        for label in ("low - 1", "high + 1", "a fraction", "a bool", "a string", "None"):
            assert f"{name}(count={label})" in problems


def test_a_public_function_without_declaration_or_valid_call_fails_the_battery(monkeypatch):
    monkeypatch.setattr(hc, "undeclared", lambda count: count, raising=False)
    monkeypatch.setattr(hc, "declared_only", with_checks(count=an_int(0, 5))(lambda count: count),
                        raising=False)
    assert valid_call("undeclared", {}) is NO_CALL
    assert valid_call("declared_only", {}) == ((), {"count": 1})


def test_each_rule_of_the_checks_says_what_it_allows():
    made = [checks.a_real(0, 1, open_low=True), an_int(0, 3), checks.one_of("a", "b"),
            checks.an_array((2,)), checks.an_instance(dict, "a dict"),
            checks.or_none(an_int(0, 3))]
    written = [checks.check_bool, checks.a_function, checks.a_generator, checks.a_shape,
               checks.a_name, checks.an_executor, checks.a_sizes, checks.layer_states]
    assert all(isinstance(allowed_by(rule), Allowed) for rule in made + written)
    assert allowed_by(made[0]) == Allowed("real", 0, 1, open_low=True)
    assert allowed_by(made[-1]) == Allowed("int", 0, 3, none=True)
    assert allowed_by(made[2]).choices == ("a", "b") and allowed_by(made[3]).shape == (2,)
    assert (set(hc.clamp_neurons.rules) == {"neuron_states"}
            and hc.clamp_neurons.relation is checks.clamped_pair)
