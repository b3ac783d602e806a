"""The whole command against the workshop's loops: ``python -m hebb_core sweep`` with its start-up,
the drawing of the runs, the training and the writing of the CSV, in network-epochs per second of
wall time, with one worker and with one per core (the default).

Each round runs the command in a fresh process with ``--workers 1``, then with every core, then
trains a sample of the same runs (redrawn one at a time with ``draw_run``) with the workshop's
per-weight loops (``workshop_loops.py``, their forward pass a matrix product), so that the rates
are measured side by side on this machine, whatever else runs on it. The breakdown comes from the
one-worker command in a process that times its phases (``command_phases.py``).
"""

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from workshop_loops import train_workshop_loops

import hebb_core as hc
from hebblab.cli import machine_cores

ROOT = Path(__file__).resolve().parent.parent
PARAMS = hc.Params(L=3, N=4, max_epochs=2000)
REPEATS = 100
ARGS = ["sweep", "--layers", "3", "--neurons", "4", "--max-epochs", "2000", "--repeats",
        str(REPEATS)]


def python(*arguments):
    """Run this interpreter in a fresh process with the project on the path; its standard
    output."""
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, *arguments], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True).stdout


def command_seconds(out, workers):
    """Wall time of the whole command with ``workers`` workers, writing its table to ``out``."""
    start = time.perf_counter()
    python("-m", "hebb_core", *ARGS, "--workers", str(workers), "--out", out)
    return time.perf_counter() - start


def network_epochs(rows, params=PARAMS):
    """Epochs actually trained, summed over the rows of a sweep table: a run stops at its first
    full recall (``epochs_to_convergence``, when it ``converged``) unless told to train to the end,
    else trains ``max_epochs``."""
    return sum(int(row["epochs_to_convergence"])
               if row["converged"] == "True" and params.stop_at_convergence
               else params.max_epochs for row in rows)


def workshop_loop_seconds(plan, rows, sample):
    """Wall time of the workshop's loops on the runs ``sample`` of ``plan`` (run numbers), each
    drawn alone as the command drew it; checks that they train the epochs of the command's table
    ``rows``."""
    drawn = [(hc.draw_run(PARAMS, plan[run], 0), plan[run].mapping) for run in sample]
    start = time.perf_counter()
    trained = [train_workshop_loops(weights, types, mapping, PARAMS.L, PARAMS.N, PARAMS.epsilon,
                                    PARAMS.max_epochs)
               for (types, weights, _), mapping in drawn]
    seconds = time.perf_counter() - start
    assert [epochs for epochs, _,
            _ in trained] == [int(rows[run]["epochs_to_convergence"]) for run in sample]
    return seconds


def measured_phases(out):
    """The phases of one run of the command, in a fresh process that times them
    (``command_phases.py``)."""
    return json.loads(python(str(Path(__file__).with_name("command_phases.py")),
                             repr(time.monotonic()), *ARGS, "--workers", "1", "--out", out))


def main(rounds=5, sample_size=8, timed_runs=3):
    cores = machine_cores()
    print(f"The whole command, best of {rounds} (wall time; fresh process; with one worker, then "
          f"with {cores} (one "
          f"per core, the default); the workshop's loops on {sample_size} of its runs "
          f"after each):\n"
          f"  python -m hebb_core {' '.join(ARGS)}")
    plan = [r for _, group in hc.plan_experiment(PARAMS, repeats=REPEATS) for r in group]
    # from every E/I ratio
    sample = np.linspace(0, len(plan) - 1, sample_size).round().astype(int).tolist()
    command, loop_seconds = {1: [], cores: []}, []
    with tempfile.TemporaryDirectory() as folder:
        out = str(Path(folder) / "results.csv")
        for _ in range(rounds):
            tables = []
            for workers in command:
                command[workers].append(command_seconds(out, workers))
                tables.append(Path(out).read_bytes())
            # the same table, byte for byte, whatever the number of workers
            assert tables[0] == tables[-1]
            with open(out, newline="") as handle:
                rows = list(csv.DictReader(handle))
            assert [int(row["run"]) for row in rows] == list(range(len(plan)))
            loop_seconds.append(workshop_loop_seconds(plan, rows, sample))
        phases = [measured_phases(out) for _ in range(timed_runs)]
    epochs, sample_epochs = network_epochs(rows), network_epochs([rows[run] for run in sample])
    loop_rate = sample_epochs / min(loop_seconds)
    print(f"  {len(rows):,} runs, {epochs:,} network-epochs; the same table with one worker and "
          f"with {cores}")
    for workers, seconds in command.items():
        label = "one worker" if workers == 1 else f"{workers} workers (every core)"
        print(f"  {label:<26} {min(seconds):.2f} s (range {min(seconds):.2f}-{max(seconds):.2f}), "
              f"{epochs / min(seconds):,.0f} network-epochs/s")
    loops = "the workshop's loops"
    print(f"  {loops:<26} {sample_epochs:,} network-epochs in {min(loop_seconds):.2f} s "
          f"(range {min(loop_seconds):.2f}-{max(loop_seconds):.2f}), "
          f"{loop_rate:,.0f} network-epochs/s")
    for workers, seconds in command.items():
        ratios = [epochs / c / (sample_epochs / s) for c, s in zip(seconds, loop_seconds)]
        label = "one worker" if workers == 1 else f"{workers} workers"
        print(f"  whole command / workshop's "
              f"loops, {label}: {epochs / min(seconds) / loop_rate:,.0f}x from the best "
              f"times (round by round {min(ratios):,.0f}-{max(ratios):,.0f}x; target with every "
              f"core >= 1000x)")
    for run in phases:
        run["other"] = run["total"] - sum(run[phase] for phase in ("start-up", "drawing", "engine",
                                                                   "table", "write"))
    print(f"  where the time goes with one worker, best (range) of {timed_runs} runs that time "
          f"their phases:")
    for phase, note in (("start-up", "imports, checks, plan, log, until the first run is drawn"),
                        ("drawing", "every run's generator; the weights of a chunk at once"),
                        ("engine", "train_batch"),
                        ("first chunk", "of the engine: 512 runs and loading the compiled loop "
                                        "from numba's cache"),
                        ("table", "the rows' columns and their CSV text"),
                        ("write", "appending the text to the file"),
                        ("other", "the rest: the loop over chunks, the log"),
                        ("total", "from the launch to the end of the command (the interpreter's "
                                  "exit not included)")):
        values = [run[phase] for run in phases]
        print(f"    {phase:<12} {min(values):6.3f} s "
              f"({min(values):.3f}-{max(values):.3f})  {note}")
    engine = min(run["engine"] for run in phases)
    print(f"  the engine alone (one worker) / workshop's "
          f"loops: {epochs / engine / loop_rate:,.0f}x")


if __name__ == "__main__":
    main()
