"""How the engine's cost grows: with the number of networks, with N and with L; and its peak
memory.

Every network here trains all its epochs (``stop_at_convergence=False``), so the work is exactly
networks × epochs × N pairs × (L − 1) weight matrices of about N² weights: the cost per unit of
``networks · epochs · L · N²`` should stay flat once a batch is large enough to hide the call's
fixed cost.
"""

import resource
import subprocess
import sys
import time

import numpy as np

import hebb_core as hc

EPOCHS = 50


def random_batch(params, B, rng):
    """``B`` networks with random allotments, weights and targets, drawn directly as arrays."""
    types = np.where(rng.random((B, params.P)) < 0.5, 1.0, -1.0)
    weights = []
    for layer, kind in enumerate(hc.split_layers(types, params.sizes)):
        shape = (B, params.sizes[layer], params.sizes[layer + 1])
        weights.append(np.round(rng.uniform(params.w_min, params.w_max, shape),
                                2) * kind[:, :, None])
    mappings = np.argsort(rng.random((B, params.N)), axis=1)
    return types, mappings, weights


def seconds_per_unit(L, N, B):
    params = hc.Params(L=L, N=N, max_epochs=EPOCHS, stop_at_convergence=False)
    types, mappings, weights = random_batch(params, B, np.random.default_rng(0))
    start = time.process_time()
    hc.train_batch(params, types, mappings, weights)
    seconds = time.process_time() - start
    return seconds, seconds / (B * EPOCHS * L * N * N)


def peak_memory_mb(repeats):
    """Peak resident memory of a whole command-line sweep (L=3, N=5, 50 epochs) in a fresh process:
    its ``VmHWM`` (Linux), since ``ru_maxrss`` keeps the peak of the process that started it (this
    one) across ``exec``."""
    code = ("import sys, hebb_core; "
            f"sys.argv = ['hebb_core', 'sweep', '--neurons', '5', '--max-epochs', '{EPOCHS}', "
            f"'--repeats', '{repeats}', '--out', '/dev/null']; "
            "import contextlib, io\n"
            "with contextlib.redirect_stdout(io.StringIO()): hebb_core.main(sys.argv[1:])\n"
            "print(next(int(line.split()[1]) for line in open('/proc/self/status') if "
            "line.startswith('VmHWM'))"
            " / 1024)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.split()[-1])


def main():
    print(f"Scaling: every network trains {EPOCHS} epochs; CPU time; 'unit' = one "
          f"network-epoch × L × N²")
    seconds_per_unit(3, 4, 1)  # compile, or load from the cache, before timing
    print(f"  {'networks':>9} {'L':>2} {'N':>2} {'seconds':>9} {'ns per unit':>12}")
    for B in (1, 10, 100, 1_000, 10_000, 100_000):
        seconds, unit = seconds_per_unit(3, 4, B)
        print(f"  {B:>9,d} {3:>2} {4:>2} {seconds:>9.3f} {unit * 1e9:>12.2f}")
    for N in (3, 4, 5, 6, 7, 8):
        seconds, unit = seconds_per_unit(3, N, 2_000)
        print(f"  {2_000:>9,d} {3:>2} {N:>2} {seconds:>9.3f} {unit * 1e9:>12.2f}")
    for L in (3, 4, 5):
        seconds, unit = seconds_per_unit(L, 4, 2_000)
        print(f"  {2_000:>9,d} {L:>2} {4:>2} {seconds:>9.3f} {unit * 1e9:>12.2f}")
    print("\nPeak memory of a command-line sweep (L=3, N=5, rows streamed to the CSV in "
          "chunks of 512)")
    for repeats in (1, 10, 100):
        runs = 9 * 120 * repeats
        print(f"  {runs:>9,d} runs: {peak_memory_mb(repeats):7.0f} MiB")
    print(f"  this process after 100,000 networks: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
