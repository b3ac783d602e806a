"""Sweeps and their statistics: a plan of runs trained in chunks (here, in threads, on processes or
on a cluster), the sweep table with one row per run (read back by ``hebblab.tables``), and its
summary with Wilson intervals (notebooks 04–06)."""

import csv
import io
import json
import os
import re

import numpy as np

from hebb_core import (
    A_PARAMS,
    A_SEED,
    allot_types,
    allotment_string,
    check_runs,
    COLUMNS,
    initial_weights,
    MAX_RUNS,
    Params,
    plan_experiment,
    presentation_orders,
    train_network,
    weight_count,
)
from hebblab.checks import (
    a_function,
    a_real,
    an_array,
    an_executor,
    an_instance,
    an_int,
    as_shown,
    check_bool,
    fail,
    one_of,
    or_none,
    with_checks,
)
from hebblab.engine import BatchResult, check_history, recall_batch, train_batch
from hebblab.progress import progress_bar
from hebblab.tables import ALLOTMENT_PATTERN
from hebblab.variants import train_variant_network

# how a sweep trains its networks: compiled, many at once, or step by step
ENGINES = ("batched", "readable")
#: The rules of the arguments with which the chunks of a sweep are trained.
CHUNK_RULES = dict(seed=A_SEED, engine=one_of(*ENGINES), chunk_size=an_int(1, MAX_RUNS),
                   executor=an_executor)


@with_checks(params=A_PARAMS, seed=CHUNK_RULES["seed"])
def draw_runs(params, runs, seed):
    """Draw a chunk of planned runs at once: for every run the numbers of
    :func:`hebb_core.draw_run`, from its own generator ``default_rng([seed, run])`` in the same
    order, with the arithmetic on the weights done for the chunk.

    Each generator draws the allotment (if random), then the uniform numbers of all its initial
    weights in one call (``Generator.uniform(low, high)`` is ``low + (high - low) *
    Generator.random()`` to the last bit), then the presentation orders (if shuffled). Returns
    ``(types, weights, orders)``: the ``(B, P)`` type vectors, one ``(B, n_l, n_{l+1})`` array per
    weight matrix (:attr:`Params.weight_keys`), and the ``(B, max_epochs, N)`` orders or ``None``.
    """
    check_runs(params, runs)
    shuffled, total = params.order == "shuffled", weight_count(params)
    # a random allotment shuffles the vector of the first allotment (hebb_core.allot_types), made
    # once per E count
    first = {e: allot_types(params.P, e, "first")
             for e in {r.excitatory_count for r in runs if r.types is None}}
    types, uniform, orders = [], [], []
    for planned in runs:
        rng = np.random.default_rng([seed, planned.run])
        allotment = planned.types
        types.append(rng.permutation(first[planned.excitatory_count]) if allotment is None
                     else np.array(allotment))
        uniform.append(rng.random(total))
        if shuffled:
            orders.append(presentation_orders(params, rng))
    types = np.array(types)
    # the arithmetic of hebb_core.initialize_weights
    weights = initial_weights(params, types, np.array(uniform))
    return types, weights, np.array(orders) if shuffled else None


def _labels(keys, label):
    """``label(key)`` for every key of a list, computed once per distinct key."""
    names = {key: label(key) for key in set(keys)}
    return [names[key] for key in keys]


def _table_columns(params, runs, types, result, seed):
    """The columns of the sweep table (:data:`COLUMNS`) for ``runs`` from a :class:`BatchResult`:
    lists of strings and arrays of numbers; ``weights_settled_epoch`` is 0 where the weights never
    settled."""
    P = params.P
    e = np.array([r.excitatory_count for r in runs], dtype=np.int64)
    converged_weights = [""] * len(runs)
    for b in np.flatnonzero(result.converged):
        converged_weights[b] = json.dumps({key: W[b].tolist() for key,
                                           W in zip(params.weight_keys, result.weights)})
    return {
        "excitatory_value": e / P,
        "inhibitory_value": (P - e) / P,
        "target_mapping": _labels([r.mapping for r in runs], lambda mapping: str(list(mapping))),
        "epochs_to_convergence": result.epochs_to_convergence.astype(np.int64),
        "converged": result.converged.astype(bool),
        "converged_weights": converged_weights,
        "excitatory_count": e,
        "inhibitory_count": P - e,
        "allotment": _labels(list(map(tuple, types.tolist())),
                             lambda t: allotment_string(t, params.sizes)),
        "seed": np.full(len(runs), seed, dtype=np.int64),
        "recall_fraction": result.recall_fraction,
        "unique": result.unique.astype(bool),
        "stable": result.stable.astype(bool),
        "weights_settled_epoch": result.weights_settled_epoch.astype(np.int64),
        "run": np.array([r.run for r in runs], dtype=np.int64),
    }


def _results_table(params, runs, types, result, seed):
    """Rows of the sweep table for ``runs`` (a list of :class:`PlannedRun`) from a
    :class:`BatchResult`."""
    import pandas as pd

    columns = _table_columns(params, runs, types, result, seed)
    settled = columns["weights_settled_epoch"]
    columns["weights_settled_epoch"] = pd.array(np.where(settled > 0, settled, None),
                                                dtype="Int64")
    return pd.DataFrame(columns, columns=COLUMNS)


def _csv_lines(columns):
    """The rows of :func:`_table_columns` as CSV lines (no header), as pandas' ``to_csv`` writes
    them: numbers in numpy's shortest form (each distinct value formatted once),
    ``True``/``False``, an empty field where the weights never settled, quotes where needed."""
    fields = []
    for name, values in columns.items():
        if isinstance(values, np.ndarray):
            distinct, inverse = np.unique(values, return_inverse=True)
            names = distinct.astype(str).tolist()
            if name == "weights_settled_epoch" and distinct[0] == 0:
                names[0] = ""  # never settled
            values = [names[i] for i in inverse.tolist()]
        fields.append(values)
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(zip(*fields))
    return text.getvalue()


def _train_readable(params, types, mappings, weights, orders):
    """Train a chunk of runs one at a time with :func:`train_network`
    (:func:`train_variant_network` with variants on), packed like :func:`train_batch`'s result."""
    train = train_variant_network if params.variants else train_network
    results = [train(params, t, m, [w[b] for w in weights], None if orders is None else orders[b])
               for b, (t, m) in enumerate(zip(types, mappings))]
    return BatchResult(
        epochs_to_convergence=np.array([r.epochs_to_convergence for r in results]),
        converged=np.array([r.converged for r in results]),
        recall_fraction=np.array([r.recall_fraction for r in results]),
        unique=np.array([r.unique for r in results]),
        stable=np.array([r.stable for r in results]),
        weights_settled_epoch=np.array([r.weights_settled_epoch or 0 for r in results]),
        weights=[np.array([r.weights[layer] for r in results])
                 for layer in range(len(params.weight_keys))],
        thresholds=[np.array([r.thresholds[layer] for r in results])
                    for layer in range(params.L - 2)],
    )


@with_checks(params=A_PARAMS, seed=CHUNK_RULES["seed"], engine=CHUNK_RULES["engine"],
             history=check_bool)
def train_planned(params, runs, seed, engine="batched", history=False):
    """Draw (:func:`draw_runs`) and train a list of planned runs.

    Returns ``(types, result)``: the ``(B, P)`` type vectors and the :class:`BatchResult`, whose
    final ``weights`` (and, with ``history=True`` on the batched engine, the whole course) are what
    the sweep table leaves out.
    """
    if history and engine != "batched":
        fail("history", history, "False with engine='readable'")
    check_runs(params, runs)
    check_history(params, len(runs), history)
    types, weights, orders = draw_runs(params, runs, seed)
    mappings = np.array([r.mapping for r in runs])
    if engine == "readable":
        return types, _train_readable(params, types, mappings, weights, orders)
    return types, train_batch(params, types, mappings, weights, orders, history)


@with_checks(params=A_PARAMS, seed=CHUNK_RULES["seed"], engine=CHUNK_RULES["engine"])
def run_chunk(params, runs, seed, engine="batched"):
    """Draw and train a list of planned runs; returns their rows of the sweep table."""
    types, result = train_planned(params, runs, seed, engine)
    return _results_table(params, runs, types, result, seed)


@with_checks(params=A_PARAMS, seed=CHUNK_RULES["seed"], engine=CHUNK_RULES["engine"])
def csv_chunk(params, runs, seed, engine="batched"):
    """Draw and train a list of planned runs; returns ``(runs, converged, text)``: how many runs,
    how many of them converged, and their rows of the sweep table as CSV lines without a header,
    the text that ``run_chunk(...).to_csv(index=False, header=False, lineterminator="\\n")`` writes
    (without pandas)."""
    types, result = train_planned(params, runs, seed, engine)
    return (len(runs), int(result.converged.sum()),
            _csv_lines(_table_columns(params, runs, types, result, seed)))


@with_checks(params=A_PARAMS, **CHUNK_RULES, task=a_function, workers=or_none(an_int(1, 4096)))
def map_chunks(params, plan, seed=0, engine="batched", chunk_size=2048, executor=None, skip=(),
               task=run_chunk, workers=None):
    """Train the runs of ``plan`` (from :func:`plan_experiment`) in chunks; yields ``(ratio,
    rows)`` in plan order.

    executor : anything with the ``concurrent.futures.Executor`` interface (a
    ``ProcessPoolExecutor``, a Dask
        client's ``get_executor()``), or ``None`` to train here. The table is the same whatever the
        executor and ``chunk_size``, since every run draws from its own generator.
    skip : run numbers to leave out (those already done, when a sweep is resumed)
    task : what a chunk's ``rows`` are, ``task(params, runs, seed, engine)``: :func:`run_chunk` (a
    DataFrame) or
        :func:`csv_chunk` (CSV text, for the command line)
    workers : how many chunks ``executor`` trains at once (the workers it was made with), or
        ``None`` for the cores of this machine; twice as many chunks are in flight at once, which
        bounds the memory
    """
    check_runs(params, _planned_runs(plan))
    skip = _run_numbers(skip)
    chunks = []
    for ratio, runs in plan:
        runs = [r for r in runs if r.run not in skip]
        chunks += [(ratio,
                    runs[start:start + chunk_size]) for start in range(0, len(runs), chunk_size)]
    in_flight = 2 * (workers or os.cpu_count() or 1)
    return _trained_chunks(params, chunks, seed, engine, executor, task, in_flight)


def _planned_runs(plan):
    """Every run of a plan, in order; ``ValueError`` unless ``plan`` is a list of ``(ratio, runs)``
    pairs."""
    if not isinstance(plan, (list, tuple)) \
            or not all(isinstance(group, (list, tuple)) and len(group) == 2
                       and isinstance(group[1], (list, tuple)) for group in plan):
        fail("plan", as_shown(plan), "a list of (ratio, runs) pairs, e.g. from plan_experiment")
    return [planned for _, runs in plan for planned in runs]


def _run_numbers(skip):
    """``skip`` as a set of run numbers; ``ValueError`` unless it is a collection of integers >=
    0."""
    try:
        numbers = None if isinstance(skip, (str, bytes)) else set(skip)
    except TypeError:  # not iterable, or of unhashable items
        numbers = None
    if numbers is None or not all(isinstance(r, (int, np.integer)) and not isinstance(r, bool)
                                  and r >= 0 for r in numbers):
        fail("skip", as_shown(skip), "a collection of run numbers (integers >= 0), e.g. a set")
    return numbers


def _trained_chunks(params, chunks, seed, engine, executor, task, in_flight):
    """:func:`map_chunks` of checked arguments: yields ``(ratio, rows)`` for the ``(ratio, runs)``
    of ``chunks``, at most ``in_flight`` chunks submitted to ``executor`` at once."""
    if executor is None:
        for ratio, runs in chunks:
            yield ratio, task(params, runs, seed, engine)
        return
    pending = []
    try:
        for ratio, runs in chunks:
            pending.append((ratio, executor.submit(task, params, runs, seed, engine)))
            if len(pending) >= in_flight:
                ratio_done, future = pending.pop(0)
                yield ratio_done, future.result()
        for ratio_done, future in pending:
            yield ratio_done, future.result()
    finally:
        for _, future in pending:
            future.cancel()


@with_checks(params=or_none(A_PARAMS), **CHUNK_RULES)
def iter_experiment(params=None, e_counts=None, allotment="random", repeats=1,
                    mappings="all", seed=0, engine="batched", chunk_size=2048, executor=None):
    """Run the workshop's sweep lazily: yields ``(ratio, rows)`` for chunks of at most
    ``chunk_size`` runs.

    See :func:`plan_experiment` for the sweep's arguments and :func:`map_chunks` for ``executor``.
    The arguments are checked and the sweep is planned at the call; the runs are trained as the
    chunks are asked for.
    """
    params = params or Params()
    plan = plan_experiment(params, e_counts, allotment, repeats, mappings)
    return map_chunks(params, plan, seed, engine, chunk_size, executor)


@with_checks(params=or_none(A_PARAMS), progress=check_bool, **CHUNK_RULES)
def run_experiment(params=None, e_counts=None, allotment="random", repeats=1,
                   mappings="all", seed=0,
                   engine="batched", chunk_size=2048, executor=None, progress=False):
    """The workshop's experiment: for each E/I ratio, each allotment, each target permutation,
    train a fresh network.

    Returns a pandas DataFrame with one row per run and the columns :data:`hebb_core.COLUMNS`.
    ``engine="readable"`` trains every network with the step-by-step path (slow; the same table).
    ``executor`` spreads the chunks of runs over processes or a cluster (:func:`map_chunks`).
    ``progress=True`` shows a progress bar.
    """
    import pandas as pd

    params = params or Params()
    plan = plan_experiment(params, e_counts, allotment, repeats, mappings)
    chunks = []
    with progress_bar(sum(len(runs) for _, runs in plan), "run", show=progress) as bar:
        for _, rows in map_chunks(params, plan, seed, engine, chunk_size, executor):
            chunks.append(rows)
            bar.update(len(rows))
    return pd.concat(chunks, ignore_index=True)


# ── Statistics of a sweep, and the closed forms of Proposition 2 (notebooks 04 and 05) ───────────


def _a_table(*columns):
    """The rule :func:`hebblab.analysis.a_table`, loaded when first used (a sweep on the command
    line runs without pandas): a non-empty DataFrame with ``columns``."""
    def rule(name, value):
        from hebblab import analysis

        analysis.a_table(*columns)(name, value)
    return rule


_A_CONFIDENCE = a_real(0, 1, open_low=True, open_high=True)  # a confidence level


def _at_most_runs(arguments):
    """The relation of :func:`wilson_interval`: at most as many successes as runs."""
    k, n = np.asarray(arguments["successes"]), np.asarray(arguments["runs"])
    if np.any(k > n):
        fail("successes", as_shown(arguments["successes"], k),
             f"at most runs={as_shown(arguments['runs'], n)}")


@with_checks(_at_most_runs, successes=an_array(None, 0, 1e15), runs=an_array(None, 0, 1e15),
             confidence=_A_CONFIDENCE)
def wilson_interval(successes, runs, confidence=0.95):
    """Wilson's score interval for a binomial proportion ``p = successes / runs`` (Wilson 1927).

        centre = (p + z²/2n) / (1 + z²/n),
        half-width = z / (1 + z²/n) · sqrt(p(1 - p)/n + z²/4n²)

    with ``n = runs`` and ``z`` the normal quantile of ``(1 + confidence) / 2`` (1.96 for 95 %).
    Unlike ``p ± z·sqrt(p(1 - p)/n)`` it stays inside ``[0, 1]`` and is not empty at 0 of ``n``.
    Arguments broadcast; ``runs = 0`` gives ``(0, 1)``. Returns ``(low, high)``, floats or arrays.
    """
    from statistics import NormalDist

    k, n = np.asarray(successes, dtype=np.float64), np.asarray(runs, dtype=np.float64)
    z = NormalDist().inv_cdf((1 + confidence) / 2)
    m = np.maximum(n, 1)  # n = 0 is handled below
    p = k / m
    centre = (p + z**2 / (2 * m)) / (1 + z**2 / m)  # (p + z²/2n) / (1 + z²/n)
    # z/(1 + z²/n)·√(p(1-p)/n + z²/4n²)
    half = z / (1 + z**2 / m) * np.sqrt(p * (1 - p) / m + z**2 / (4 * m**2))
    # exactly 0 at 0 of n (no rounding)
    low = np.where((n > 0) & (k > 0), np.maximum(centre - half, 0), 0.0)
    high = np.where((n > 0) & (k < n), np.minimum(centre + half, 1), 1.0)  # exactly 1 at n of n
    return (float(low), float(high)) if low.ndim == 0 else (low, high)


def _an_allotment(name, value):
    if not (isinstance(value, str) and re.fullmatch(ALLOTMENT_PATTERN, value)):
        fail(name, as_shown(value), "letters E and I, a | between layers, such as 'EII|IEI'")


@with_checks(allotment=_an_allotment)
def excitatory_by_layer(allotment):
    """Excitatory neurons of an allotment string in the input layer and in the hidden layers (all
    together): ``"EII|IEI"`` → ``(1, 1)``, ``"IIII|EEIE|IEII"`` → ``(0, 4)``."""
    layers = allotment.split("|")
    return layers[0].count("E"), sum(layer.count("E") for layer in layers[1:])


@with_checks(lambda a: [_an_allotment("allotment", value) for value in a["table"]["allotment"]],
          table=_a_table("allotment"))
def layer_counts(table):
    """A copy of a sweep table with the E/I split by layer, from its ``allotment`` column:
    ``excitatory_input``, ``excitatory_hidden`` and ``inhibitory_hidden`` (the hidden layers
    together)."""
    counts = np.array([excitatory_by_layer(a) for a in table["allotment"]],
                      dtype=np.int64).reshape(-1, 2)
    hidden = np.array([len(a.replace("|", "")) - len(a.split("|")[0]) for a in table["allotment"]],
                      dtype=np.int64)
    return table.assign(excitatory_input=counts[:, 0], excitatory_hidden=counts[:, 1],
                        inhibitory_hidden=hidden - counts[:, 1])


@with_checks(table=_a_table("epochs_to_convergence", "recall_fraction"),
             confidence=_A_CONFIDENCE)
def summarise_sweep(table, by="excitatory_value", outcome="converged", confidence=0.95):
    """One row per group of a sweep table: how many runs, how many succeeded, and the rates with
    intervals.

    by : column(s) to group by, e.g. ``"excitatory_value"`` or ``["excitatory_input",
    "excitatory_hidden"]``
        (see :func:`layer_counts`)
    outcome : boolean column that counts as success; default ``"converged"`` (the first full
    recall)

    Columns: the ``by`` columns; ``runs``; ``successes``; ``rate`` with its Wilson interval
    ``low``, ``high``; ``recall_fraction`` (mean fraction of pairs recalled at the end) with
    ``recall_low``, ``recall_high``; ``median_epochs`` (``epochs_to_convergence`` over the
    successful runs; NaN if none). The recall interval is Wilson's with ``n = runs``: a fraction in
    ``[0, 1]`` varies no more than a 0/1 outcome of the same mean, so it is conservative (the ``N``
    pairs of one run are not independent trials).
    """
    columns = f"a column of the table: one of {list(table.columns)}"
    if not isinstance(outcome, str) or outcome not in table.columns:
        fail("outcome", as_shown(outcome), columns)
    by = [by] if isinstance(by, str) else list(by) if isinstance(by, (list, tuple)) else []
    if not by or not all(isinstance(column, str) and column in table.columns for column in by):
        fail("by", as_shown(by), columns + ", or a list of them")
    success = table[outcome].astype(bool)
    summary = (table.assign(_success=success,
                            _epochs=table["epochs_to_convergence"].where(success))
               .groupby(by, sort=True)
               .agg(runs=("_success", "size"), successes=("_success", "sum"),
                    recall_fraction=("recall_fraction", "mean"),
                    median_epochs=("_epochs", "median"))
               .reset_index())
    summary["rate"] = summary["successes"] / summary["runs"]
    summary["low"], summary["high"] = wilson_interval(summary["successes"],
                                                      summary["runs"], confidence)
    summary["recall_low"], summary["recall_high"] = wilson_interval(
        summary["recall_fraction"] * summary["runs"], summary["runs"], confidence)
    return summary[by + ["runs", "successes", "rate", "low", "high", "recall_fraction",
                         "recall_low", "recall_high", "median_epochs"]]


@with_checks(summary=_a_table("runs", "successes", "rate", "low", "high", "recall_fraction",
                              "recall_low",
                            "recall_high"),
          outcome=an_instance(str, "a label for the column of successes, e.g. 'converged'"))
def format_summary(summary, outcome="converged"):
    """A table from :func:`summarise_sweep` for reading: the group columns (E/I ratios to 3
    decimals, as the workshop rounds them), ``k of n`` runs for ``outcome``, and the rates as
    percentages with their 95% intervals."""
    by = list(summary.columns[:list(summary.columns).index("runs")])
    shown = summary[by].copy()
    if "excitatory_value" in shown:
        shown["excitatory_value"] = shown["excitatory_value"].map("{:.3f}".format)
    shown[outcome] = [f"{k} of {n}" for k, n in zip(summary["successes"], summary["runs"])]
    shown["rate [95% interval]"] = [f"{r:.1%} [{a:.1%}, {b:.1%}]" for r, a, b in
                                    zip(summary["rate"], summary["low"], summary["high"])]
    shown["pairs recalled [95% interval]"] = [f"{r:.1%} [{a:.1%}, {b:.1%}]" for r, a, b in zip(
        summary["recall_fraction"], summary["recall_low"], summary["recall_high"])]
    return shown


@with_checks(params=A_PARAMS, seed=CHUNK_RULES["seed"])
def variant_experiment(params, e_counts=None, repeats=1, mappings="all", seed=0):
    """The workshop's sweep (:func:`plan_experiment`) for a network with variants, with the hidden
    codes measured.

    Returns the sweep table (:data:`COLUMNS`) with three more columns: ``distinct_codes`` (how many
    different states the last hidden layer shows at recall of the ``N`` inputs; ``N`` when there is
    no hidden layer), ``codes_unique`` (``distinct_codes == N``) and ``mean_active`` (the mean
    number of firing units in that layer).
    """
    # with pandas, which a sweep on the command line does without
    from hebblab.analysis import distinct_codes

    runs = [r for _,
            group in plan_experiment(params, e_counts, "random", repeats, mappings) for r in group]
    types, result = train_planned(params, runs, seed)
    table = _results_table(params, runs, types, result, seed)
    hidden, _ = recall_batch(result.weights, params, result.thresholds)
    if hidden:
        distinct = distinct_codes(hidden[-1])
        active = (hidden[-1] > 0).sum(axis=-1).mean(axis=-1)
    else:
        distinct, active = np.full(len(runs), params.N), np.full(len(runs), np.nan)
    return table.assign(distinct_codes=distinct, codes_unique=distinct == params.N,
                        mean_active=active)
