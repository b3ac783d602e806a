"""Speed of the engines, printed as a table (``make bench``). Nothing here is a test: it only
measures.

Every comparison trains the same runs (the same allotments, weights and targets) in one process and
counts network-epochs (epochs actually trained, summed over networks) per second of CPU time; the
whole command (``command.py``) counts them per second of wall time, start-up and writing included.
"""

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numba
import numpy as np

import hebb_core as hc
from hebblab.sweeps import draw_runs

sys.path.insert(0, str(Path(__file__).parent))
import command  # noqa: E402
import reading  # noqa: E402
import scaling  # noqa: E402
from workshop_loops import train_workshop_loops  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def cpu_seconds(function, repeat=3):
    """Best of ``repeat`` CPU times of ``function()`` (CPU time: less disturbed by other work on
    the machine)."""
    best = np.inf
    for _ in range(repeat):
        start = time.process_time()
        result = function()
        best = min(best, time.process_time() - start)
    return best, result


def drawn_runs(params, repeats, seed=0):
    """The runs of the workshop's sweep (random allotments), drawn as the sweep draws them."""
    runs = [r for _, group in hc.plan_experiment(params, repeats=repeats) for r in group]
    types, weights, _ = draw_runs(params, runs, seed)
    return runs, types, np.array([r.mapping for r in runs]), weights


def first_call_seconds(networks, cold=False):
    """Import plus the first training of ``networks`` networks (1: the one-network loop, 3: the
    lanes), in a fresh process; ``cold``: from a copy of the module and its package with no
    compiled cache, so that numba compiles."""
    code = ("import time; t = time.perf_counter(); import numpy as np, hebb_core as hc; "
            f"B = {networks}; hc.train_batch(hc.Params(), np.ones((B, 6)), np.tile([0, 1, "
            f"2], (B, 1)), "
            "[np.zeros((B, 3, 3))] * 2); print(time.perf_counter() - t)")
    with tempfile.TemporaryDirectory() as folder:
        where = folder if cold else str(ROOT)
        if cold:
            shutil.copy(ROOT / "hebb_core.py", folder)
            shutil.copytree(ROOT / "hebblab", Path(folder) / "hebblab",
                            ignore=shutil.ignore_patterns("__pycache__"))
        out = subprocess.run([sys.executable, "-c", code], cwd=where, capture_output=True,
                             text=True, check=True,
                             env={"PYTHONPATH": where, "PATH": "/usr/bin:/bin"})
    return float(out.stdout)


def row(label, seconds, network_epochs, note=""):
    rate = network_epochs / seconds
    print(f"  {label:<44} {seconds:>10.4f} s {network_epochs:>12,d} {rate:>16,.0f}/s  {note}")
    return rate


def main():
    print(f"hebb_core {hc.__version__}, numpy {np.__version__}, numba {numba.__version__}")
    print("\nFirst call (import + first training), fresh process; target from the cache: <= 2 s")
    for networks, loop in ((1, "one network at a time"), (3, "networks side by side")):
        print(f"  {loop:<22} compiling (no cache "
              f"yet): {first_call_seconds(networks, cold=True):5.2f} s; "
              f"from the cache: {first_call_seconds(networks):.2f} s")

    params = hc.Params(L=3, N=4)
    sweeps = [("The workshop's sweep: L=3, N=4, 2000 epochs, 7 ratios x 24 mappings", 1, 15,
               "target: <= 0.05 s"),
              ("The statistical sweep: the same with 100 random allotments per ratio", 100, 1,
               "target: <= 30 s")]
    for title, repeats, repeat, target in sweeps:
        runs, types, mappings, weights = drawn_runs(params, repeats=repeats)
        print(f"\n{title}, {len(runs):,} "
              f"runs  {'CPU time':>12} {'net-epochs':>12} {'net-epochs/s':>18}")
        seconds, result = cpu_seconds(lambda: hc.train_batch(params, types, mappings, weights),
                                      repeat=repeat)
        epochs = result.epochs_to_convergence
        engine = row("batched engine (train_batch)", seconds, int(epochs.sum()), target)
        seconds, _ = cpu_seconds(lambda: hc.run_experiment(params, repeats=repeats), repeat=repeat)
        row("whole sweep (drawing, training, table)", seconds, int(epochs.sum()))
        few = 6  # the slow paths train the first runs of the same sweep
        seconds, slow = cpu_seconds(lambda: [hc.train_network(params, types[b], mappings[b],
                                                              [w[b] for w in weights])
                                             for b in range(few)], repeat=1)
        assert [r.epochs_to_convergence for r in slow] == epochs[:few].tolist()
        readable = row(f"readable path (train_network), {few} runs", seconds,
                       int(epochs[:few].sum()))
        seconds, reports = cpu_seconds(lambda: [train_workshop_loops([w[b] for w in weights],
                                                                  types[b], mappings[b], 3, 4)
                                             for b in range(few)], repeat=1)
        assert [r[0] for r in reports] == epochs[:few].tolist()  # the same epochs as the engine
        loops = row(f"the workshop's own loops, {few} runs", seconds, int(epochs[:few].sum()))
        print(f"  engine / readable path: {engine / readable:,.0f}x;  engine / workshop's "
              f"loops: {engine / loops:,.0f}x"
              f" (target >= 1000x);  readable path / workshop's loops: {readable / loops:.2f}x")

    print()
    command.main()
    print()
    reading.main()

    params = hc.Params(L=3, N=5)
    print("\nOne network for a slider: L=3, N=5, 2000 epochs (all inputs inhibitory: it "
          "never converges)")
    types = -np.ones((1, params.P))
    weights = [w[None] for w in hc.initialize_weights(params, types[0], np.random.default_rng(0))]
    mapping = np.array([[1, 2, 3, 4, 0]])
    seconds, _ = cpu_seconds(lambda: hc.train_batch(params, types, mapping, weights), repeat=5)
    row("batched engine, one network", seconds, 2000, "target: <= 0.005 s")
    seconds, _ = cpu_seconds(lambda: hc.train_batch(params, types, mapping, weights,
                                                    history=True), repeat=5)
    row("batched engine, one network with its history", seconds, 2000)
    variants_and_maps()
    print()
    scaling.main()


def wall_seconds(function, repeat=5):
    """Best, median and worst of ``repeat`` wall times of ``function()`` (wall time: two threads
    use two cores)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    times.sort()
    return times[0], times[len(times) // 2], times[-1]


def variants_and_maps():
    """The explorers' heaviest moves: 06's 96 networks in one thread and in two, 07's map compiled
    and readable."""
    from concurrent.futures import ThreadPoolExecutor

    params = hc.variant_params("k-WTA", N=4, M=8, k=4, epsilon=0.05, max_epochs=1000)
    print("\nThe variant explorer's move (06): k-WTA, M = 8, 6 E of 12, 96 networks of at "
          "most 1000 epochs"
          " (wall time: best, median, worst of 5)")
    # called from another thread than the main one, train_batch keeps to one thread
    one = ThreadPoolExecutor(1)
    for label, run in (("one thread",
                        lambda: one.submit(hc.variant_experiment, params, [6], 4).result()),
                       ("two threads (from the main thread)",
                        lambda: hc.variant_experiment(params, [6], 4))):
        run()
        print(f"  {label:<44} " + " ".join(f"{1000 * t:6.0f}" for t in wall_seconds(run)) + " ms")
    print("\nThe map explorer's move (07): one map, 6000 presentations (wall time: best, "
          "median, worst of 5)")
    for engine in hc.MAP_ENGINES:
        run = lambda engine=engine: hc.train_maps([(hc.MapParams(), 0)], engine=engine)  # noqa: E731
        run()
        print(f"  {engine:<44} " + " ".join(f"{1000 * t:6.0f}" for t in wall_seconds(run)) + " ms")


if __name__ == "__main__":
    main()
