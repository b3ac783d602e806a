"""The command line: ``python -m hebb_core sweep`` (the workshop's sweep, its log and a CSV table)
and ``python -m hebb_core figures`` (the course's key figures)."""

import argparse
import contextlib
import gc
import json
import os
import signal
import stat
import sys

from hebb_core import ALLOTMENTS, COLUMNS, LOGIC_GATES, ORDERS, Params, plan_experiment, READOUTS
from hebblab.checks import check_int, fail

try:
    import fcntl
except ImportError:  # Windows: a sweep's table is not locked there (see _open_table)
    fcntl = None

# Each command imports what it needs when it runs: the sweep the engine (and numba), tqdm only to
# show a progress bar, thread pools only for --workers above 1 and pandas only to resume; the
# figures the plots (and matplotlib).

MAX_WORKERS = 256  # the most threads a sweep trains in


def machine_cores():
    """The cores this process may run on (those the system allots it, where it says so)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit status 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _build_parser():
    parser = _Parser(prog="python -m hebb_core",
                     description="Hebbian learning of one-to-one maps.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sweep = commands.add_parser(
        "sweep", help="the workshop's E/I-ratio sweep over every mapping",
        description="Train a fresh network for every E/I ratio, allotment and target mapping; "
                    "print the workshop's log and write one CSV row per run.")
    defaults = Params()
    add = sweep.add_argument
    add("--layers", type=int, default=defaults.L, metavar="L",
        help="layers, input and output included (default 3)")
    add("--neurons", type=int, default=defaults.N, metavar="N",
        help="neurons per layer (default 3)")
    add("--hidden", type=int, default=None, metavar="M",
        help="neurons per hidden layer (default: N)")
    add("--epsilon", type=float, default=defaults.epsilon,
        help="learning rate in (0, 1] (default 0.01)")
    add("--max-epochs", type=int, default=defaults.max_epochs,
        help="epochs before giving up (default 2000)")
    add("--allotment", choices=ALLOTMENTS, default="random",
        help="which neurons are excitatory: a random draw per run, the first ones, or "
             "all allotments")
    add("--repeats", type=int, default=1, metavar="K",
        help="independent networks per ratio and mapping")
    add("--weight-min", type=float, default=defaults.w_min,
        help="smallest initial |weight| (default 0.01)")
    add("--weight-max", type=float, default=defaults.w_max,
        help="largest initial |weight| (default 0.1)")
    add("--decimals", type=int, default=defaults.decimals,
        help="initial weights rounded to (default 2)")
    add("--seed", type=int, default=0, help="random seed of every draw (default 0)")
    add("--readout", choices=READOUTS, default="strict",
        help="when a recalled output counts (default strict)")
    add("--order", choices=ORDERS, default="fixed",
        help="presentation order in an epoch (default fixed)")
    add("--dale", action="store_true", help="keep every weight on its neuron's side of zero")
    add("--train-to-end", action="store_true",
        help="keep training after convergence (to test stability)")
    add("--out", metavar="results.csv",
        help="CSV file for the table; rows are appended as they finish")
    add("--resume", action="store_true",
        help="keep the rows already in --out and run only the others")
    add("--workers", type=int, default=None, metavar="N",
        help=f"train in N threads, the table the same whatever N (default: one per core, "
             f"here {machine_cores()})")
    sweep.set_defaults(run=sweep_command)
    figures = commands.add_parser(
        "figures", help="redraw the course's key figures",
        description="Draw the key figures of notebooks 01-03 with fixed seeds and write them "
                    "as PNG files.")
    figures.add_argument("--out-dir", default="figures",
                         help="folder for the PNG files (default figures)")
    figures.set_defaults(run=figures_command)
    return parser


def _log_header(params, plan, out):
    """The workshop's configuration printout."""
    hidden = "" if params.M is None or params.L == 2 else f" ({params.M} per hidden layer)"
    print(f"The network contains: {params.L} layers, {params.N} neurons per "
          f"layer{hidden}", file=out)
    print(f"Learning rate: {params.epsilon}", file=out)
    print(f"Edge weight assignment with {params.decimals} decimal places", file=out)
    print(f"Excitatory neuron's edge weight range from {params.w_min} to {params.w_max}", file=out)
    print(f"Inhibitory neuron's edge weight range from {-params.w_max} "
          f"to {-params.w_min}", file=out)
    print("Starting experiment...", file=out)
    n_mappings = len({r.mapping for _, runs in plan for r in runs})
    runs_per_ratio = {len(runs) for _, runs in plan}
    more = ("" if runs_per_ratio <= {n_mappings}
            else f" ({'/'.join(map(str, sorted(runs_per_ratio)))} runs per ratio)")
    print(f"Testing {n_mappings} mappings for each of {len(plan)} E/I ratios{more}", file=out)
    print("Available E/I configurations:", file=out)
    for (e_value, i_value, e, i), _ in plan:
        print(f"  {e_value:.3f}/{i_value:.3f} ({e}E/{i}I)", file=out)


def _sweep_settings(args):
    """The arguments that define a sweep's table (all but where it goes and how it is computed)."""
    return {key: value for key, value in sorted(vars(args).items())
            if key not in ("out", "workers", "resume", "command", "run")}


def _open_table(path):
    """Open the table at ``path`` to read and append (created if missing, nothing written yet) and
    lock it.

    The lock (``flock``, exclusive) is on the table itself and holds for the whole sweep, its
    settings file ``<path>.json`` included, which only the lock's holder writes. The system drops
    it when the process ends, however it ends (a sweep's workers are threads of its process, which
    end with it): a killed sweep leaves no stale lock, and no ``<path>.lock`` file behind. A table
    in use is refused naming the process that holds it (where the system says, in ``/proc/locks``).
    Opening truncates nothing, so a sweep refused by the lock changes neither file; a FIFO, a
    socket or a folder is refused. Without ``fcntl`` (Windows) the table is not locked.
    """
    with contextlib.suppress(FileNotFoundError):
        if stat.S_ISFIFO(os.stat(path).st_mode) or stat.S_ISSOCK(os.stat(path).st_mode):
            raise ValueError(f"{path}: a FIFO or a socket, not a file for a table")
    handle = open(path, "a+b")
    if fcntl is not None:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _lock_holder(handle)
            handle.close()
            raise ValueError(f"{path} is in use: another "
                             f"sweep{'' if holder is None else f' (process {holder})'} "
                             "is writing it") from None
    return handle


def _lock_holder(handle):
    """The process that holds the ``flock`` on the open file ``handle``, as Linux's ``/proc/locks``
    lists it
    (``1: FLOCK  ADVISORY  WRITE 8287 fe:00:2238181 0 EOF``); ``None`` where there is no such
    list."""
    status = os.fstat(handle.fileno())
    where = f"{os.major(status.st_dev):02x}:{os.minor(status.st_dev):02x}:{status.st_ino}"
    try:
        with open("/proc/locks", encoding="ascii") as locks:
            lines = locks.read().splitlines()
    except (OSError, ValueError):
        return None
    # a lock waited for has "->" in second place: it is skipped
    for fields in map(str.split, lines):
        if len(fields) >= 6 and fields[1] == "FLOCK" and fields[5] == where \
                and fields[4].isdigit():
            return int(fields[4])
    return None


def _started_with(path):
    """The settings in ``<path>.json``, those the table at ``path`` was started with; ``None`` if
    there is none."""
    from hebblab.tables import regular_file_bytes

    try:
        before = json.loads(regular_file_bytes(f"{path}.json").decode("utf-8"))
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}.json: not the settings of a sweep (not "
                         f"UTF-8: {error.reason})") from None
    # not JSON (a JSONDecodeError is a ValueError), or a FIFO, …
    except (ValueError, RecursionError) as error:
        if str(error).startswith(f"{path}.json"):
            raise
        raise ValueError(f"{path}.json: not the settings of a sweep ({error})") from None
    if not isinstance(before, dict):
        raise ValueError(f"{path}.json: not the settings of a sweep (a JSON object of "
                         f"its options)")
    return before


def _resume_table(handle, path, settings, plan):
    """The rows already in the table open as ``handle``, for ``--resume``: ``(done, converged,
    header)``, the line of every run done, how many converged per E count, and whether the header
    is there.

    A row cut short by a hard kill (the last line, without its end) is dropped. Refused, the file
    left as it was: other settings than ``<path>.json``'s, rows without that file, a malformed row
    (``hebblab.tables.read_results``), a run twice, a run that is not the plan's or of another
    seed."""
    if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
        raise ValueError(f"{path}: not a regular file, so not a table to resume")
    handle.seek(0)
    data = handle.read()
    kept = data[:data.rfind(b"\n") + 1]
    from hebblab.tables import table_from_bytes

    table = table_from_bytes(kept, path) if kept else None
    rows = 0 if table is None else len(table)
    before = _started_with(path)
    if before is None and rows:
        raise ValueError(f"{path}.json is missing: the settings of the rows in {path} are unknown")
    for key, value in settings.items():
        if before is not None and before.get(key) != value:
            fail(f"--{key.replace('_', '-')}", value,
                 f"the value {path} was started with, {before.get(key)!r}")
    planned = [r for _, runs in plan for r in runs]  # their numbers count from 0 in plan order
    done, successes = {}, {}
    columns = ("run", "excitatory_count", "target_mapping", "converged", "seed")
    for index, (run, e, mapping, converged, seed) in enumerate(zip(*(
            [] if table is None else table[name].tolist() for name in columns))):
        line = index + 2
        if run in done:
            raise ValueError(f"{path}, line {line}: run {run} again (first on line {done[run]})")
        expected = run < len(planned) and (planned[run].excitatory_count, planned[run].mapping)
        if expected != (e, tuple(mapping)):
            raise ValueError(f"{path}, line {line}: run {run} with {e} E neurons and "
                             f"target {mapping} is not a run "
                             "of this sweep")
        if seed != settings["seed"]:
            raise ValueError(f"{path}, line {line}: run {run} of seed {seed}, not of this "
                             f"sweep's seed "
                             f"{settings['seed']}")
        done[run] = line
        successes[e] = successes.get(e, 0) + converged
    if len(kept) < len(data):
        handle.truncate(len(kept))
    return done, successes, bool(kept)


class _CtrlC:
    """Ctrl-C (SIGINT) as ``KeyboardInterrupt``, except while rows are written and counted
    (:meth:`held`): then as soon as that is done, so that the table holds whole rows and
    "Interrupted" says how many. Python runs a signal's handler in the main thread between two
    steps of its code, whichever thread the system gave the signal to; the handler is the
    sweep's only while it runs, and only when the sweep runs in the main thread (elsewhere
    Ctrl-C is not delivered to it)."""

    def __init__(self):
        self.holding, self.pending = False, False

    def __call__(self, signum, frame):
        if self.holding:
            self.pending = True
        else:
            raise KeyboardInterrupt

    @contextlib.contextmanager
    def installed(self):
        import threading

        if threading.current_thread() is not threading.main_thread():
            yield
            return
        before = signal.signal(signal.SIGINT, self)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, before)

    @contextlib.contextmanager
    def held(self):
        self.holding = True
        try:
            yield
        finally:
            self.holding = False
            if self.pending:
                self.pending = False
                raise KeyboardInterrupt


def _write_settings(path, settings):
    """Write the settings file ``path`` whole or not at all: into ``<path>.tmp``, then renamed over
    ``path``."""
    temporary = f"{path}.tmp"
    with contextlib.suppress(FileNotFoundError):
        # one a killed sweep left, or anything else by that name: "x" creates a new file
        os.unlink(temporary)
    with open(temporary, "x", encoding="utf-8") as sidecar:
        json.dump(settings, sidecar, indent=1)
        sidecar.flush()
        os.fsync(sidecar.fileno())
    os.replace(temporary, path)


def _prepare_table(handle, path, settings, plan, resume):
    """Make the open table ``handle`` at ``path`` ready for the sweep: checked and kept with
    ``resume`` (:func:`_resume_table`), else emptied; ``<path>.json`` written unless a resumed
    table has it. Returns ``(done, converged, header)`` as :func:`_resume_table` does.

    A fresh table: the old settings file is removed first, then the table emptied, then the new
    settings written (:func:`_write_settings`), so that a kill at any moment leaves rows only
    beside their own settings, which ``--resume`` completes, or rows without settings, which it
    refuses saying so."""
    done, converged, header = _resume_table(handle, path, settings,
                                            plan) if resume else ({}, {}, False)
    if not resume:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}.json")
        if handle.seek(0, os.SEEK_END):  # if it holds anything: /dev/null cannot be truncated
            handle.truncate(0)
    if not resume or not os.path.exists(f"{path}.json"):
        _write_settings(f"{path}.json", settings)
    return done, converged, header


def sweep_command(args, out=None):
    """``python -m hebb_core sweep``: run the sweep, print the workshop's log, append rows to
    ``--out`` as they finish.

    ``--resume`` keeps the rows already in ``--out`` and runs only the others; ``--workers N``
    trains in N threads (default: one per core), the compiled loop releasing the GIL, so that a
    kill of the sweep ends them all. While it runs, the sweep holds a lock on ``--out``: a second
    sweep on the same file is refused.
    """
    out = out or sys.stdout
    if args.hidden is not None and args.layers == 2:
        fail("--hidden", args.hidden,
             "none with --layers 2: a network of 2 layers has no hidden layer")
    params = Params(L=args.layers, N=args.neurons, M=args.hidden, epsilon=args.epsilon,
                    max_epochs=args.max_epochs,
                    w_min=args.weight_min, w_max=args.weight_max, decimals=args.decimals,
                    order=args.order,
                    readout=args.readout, dale=args.dale,
                    stop_at_convergence=not args.train_to_end)
    check_int("repeats", args.repeats, 1)
    check_int("seed", args.seed, 0)
    workers = machine_cores() if args.workers is None else args.workers
    check_int("workers", workers, 1, MAX_WORKERS)
    if args.out == "":
        fail("--out", "", "the name of a file")
    if args.resume and args.out is None:
        fail("--resume", True, "only with --out")
    from hebblab.sweeps import csv_chunk, map_chunks

    plan = plan_experiment(params, allotment=args.allotment, repeats=args.repeats)
    settings = _sweep_settings(args)
    resume = args.resume and os.path.exists(args.out)  # a table not there yet is started afresh
    with contextlib.nullcontext() if args.out is None else _open_table(args.out) as handle:
        done, converged, header = ({}, {}, False) if handle is None else \
            _prepare_table(handle, args.out, settings, plan, resume)
        _log_header(params, plan, out)
        header = "" if header else ",".join(COLUMNS) + "\n"
        written = len(done)
        bar = None
        if sys.stderr.isatty():  # a progress bar where someone watches
            from tqdm import tqdm  # the text bar: it is shown only in a terminal

            bar = tqdm(total=sum(len(runs) for _, runs in plan), initial=written, unit="run")
        executor = None
        if workers > 1:
            from concurrent.futures import ThreadPoolExecutor

            executor = ThreadPoolExecutor(workers, thread_name_prefix="hebb-course sweep")
        chunks = map_chunks(params, plan, args.seed, chunk_size=512, executor=executor, skip=done,
                            task=csv_chunk, workers=workers)
        ctrl_c = _CtrlC()
        try:
            with ctrl_c.installed():
                # the workshop's log, ratio by ratio; rows come in plan order
                for ratio, runs in plan:
                    print(f"Testing E/I ratio: {ratio[0]:.3f}/{ratio[1]:.3f}", file=out,
                          flush=True)
                    left = sum(r.run not in done for r in runs)
                    while left > 0:
                        _, (count, successes, text) = next(chunks)
                        converged[ratio[2]] = converged.get(ratio[2], 0) + successes
                        # the rows and their count at once: "Interrupted" says what the file holds
                        with ctrl_c.held():
                            if handle is not None:
                                handle.write((header + text).encode())
                                handle.flush()
                                header = ""
                            written += count
                        left -= count
                        if bar is not None:
                            bar.update(count)
                    # repeats, allotments
                    unit = "mappings" if len(runs) == len({r.mapping for r in runs}) else "runs"
                    print(f"  Converged: {converged.get(ratio[2], 0)}/{len(runs)} {unit}",
                          file=out, flush=True)
        except KeyboardInterrupt:
            if bar is not None:
                bar.close()
            kept = (f"Interrupted: {written} "
                    f"finished rows kept") + (f" in {args.out}" if args.out else "")
            print(kept, file=sys.stderr)
            return 130
        finally:
            chunks.close()
            if executor is not None:
                executor.shutdown(wait=False, cancel_futures=True)
    if bar is not None:
        bar.close()
    if args.out:
        print(f"Wrote {written} rows to {args.out}", file=out)
    return 0


def course_figures():
    """The key figures of notebooks 01-05 and 07, by file name: the explorers' defaults, the
    example network, the workshop's sweep and its proper version, the target fields of Proposition
    2, a forming topographic map and the full sweep of map order against lateral inhibition and
    excitation."""
    import numpy as np

    from hebblab.analysis import target_fields
    from hebblab.map_plots import plot_map_stages, plot_map_sweeps
    from hebblab.maps import LATERAL_STRENGTHS, MAP_STAGES, map_sweep, MAP_SWEEP_SEEDS, train_map
    from hebblab.plots import (
        plot_epochs_vs_ratio,
        plot_network,
        plot_target_fields,
        plot_weight_traces,
    )
    from hebblab.sweeps import run_experiment, train_planned
    from hebblab.views import ANSWER_EXAMPLE, draw_answer, draw_sweep, SWEEP_EXAMPLE
    from hebblab.widgets import draw_hebb, draw_mcculloch_pitts, draw_network_run, EXAMPLE_RUN

    yield "01_and_decision_line.png", draw_mcculloch_pitts(*LOGIC_GATES["AND"][0],
                                                           LOGIC_GATES["AND"][1])["figure"]
    yield "02_hebb_trajectory.png", draw_hebb(0.05, (1, 1), 1, 0.05)["figure"]
    run = draw_network_run(**EXAMPLE_RUN)
    params, types, history = run["params"], run["types"], run["result"].history["weights"]
    yield "03_network.png", plot_network(params, types, [layer[0, 0] for layer in history],
                                         title="before training: the initial weights")
    yield "03_weight_traces.png", plot_weight_traces(params, types,
                                                     [layer[0] for layer in history],
                                                     run["result"].epochs_to_convergence[0])
    yield "03_training_run.png", run["figure"]
    yield "04_workshop_epochs_vs_ratio.png", plot_epochs_vs_ratio(
        run_experiment(Params(L=3, N=4)),
        title="Number of epochs vs E/I ratio (N = 4, one run per mapping)")
    yield "04_convergence_vs_ratio.png", draw_sweep(**SWEEP_EXAMPLE)["figure"]
    yield "05_answer.png", draw_answer(**ANSWER_EXAMPLE)["figure"]
    # every allotment and mapping, as in notebook 05
    params = Params(L=3, N=3, stop_at_convergence=False)
    planned = [r for _,
               group in plan_experiment(params, e_counts=range(7), allotment="all") for r in group]
    types, result = train_planned(params, planned, seed=0)
    yield "05_target_fields.png", plot_target_fields(
        target_fields(params, types, np.array([r.mapping for r in planned]), result.weights))
    yield "07_map_stages.png", plot_map_stages(train_map(record_every=250), MAP_STAGES)
    yield "07_map_order.png", plot_map_sweeps(
        map_sweep(lateral_inhibition=LATERAL_STRENGTHS["lateral_inhibition"],
                  seeds=MAP_SWEEP_SEEDS),
        map_sweep(lateral_excitation=LATERAL_STRENGTHS["lateral_excitation"],
                  seeds=MAP_SWEEP_SEEDS))


def figures_command(args, out=sys.stdout):
    """``python -m hebb_core figures``: write the key figures (:func:`course_figures`) to
    ``--out-dir``."""
    from pathlib import Path

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    Path(args.out_dir).mkdir(parents=True, exist_ok=True)
    for name, figure in course_figures():
        path = Path(args.out_dir) / name
        # no version stamp: same bytes every time
        figure.savefig(path, dpi=100, metadata={"Software": None})
        plt.close(figure)
        print(f"Wrote {path}", file=out)
    return 0


def main(argv=None):
    """Entry point of ``python -m hebb_core``; returns the exit status. ``argv``: the words after
    ``python -m hebb_core``, e.g. ``["sweep", "--neurons", "4"]`` (``None``: the command
    line's)."""
    if argv is not None and not (isinstance(argv, (list, tuple))
                                 and all(isinstance(word, str) for word in argv)):
        raise TypeError(f"argv={argv!r} is not allowed: None or a list of strings, the words of a "
                        f"command line such "
                        "as ['sweep', '--neurons', '4']")
    args = _build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (ValueError, OSError) as error:
        print(f"python -m hebb_core {args.command}: error: {error}", file=sys.stderr)
        return 2
    # Ctrl-C before a sweep's first chunk (while numba loads, say), or in the figures
    except KeyboardInterrupt:
        print(f"python -m hebb_core {args.command}: interrupted", file=sys.stderr)
        return 130
    finally:
        # the program ends: its objects need no more rounds of the cyclic garbage collector, which
        if argv is None:
            gc.freeze()  # would walk them all (numba's are many) a few times more on the way out


if __name__ == "__main__":
    sys.exit(main())
