"""In-kernel time of a move of each explorer of notebooks 01 to 07 (the Voilà page shows those of
03 and 04): the drawing function and the PNG the explorer shows, as :meth:`Explorer.update` does
them, for a setting not seen before (the caches cleared before each move). Five moves at the
defaults, five at the largest settings the controls reach; min / median / max in a table. Timings
only: nothing here is asserted.

    PYTHONPATH=. python benchmarks/explorers.py
"""

import statistics
import time

import matplotlib

matplotlib.use("agg")

import hebb_core as hc  # noqa: E402
from hebblab import views  # noqa: E402

MOVES = 5
# explorer, the largest settings its controls reach (beyond its defaults), and the control moved,
# with its values
CASES = (
    ("01 McCulloch–Pitts", hc.mcculloch_pitts_explorer, {"w1": -2.0, "w2": 2.0}, "theta",
     (0.5, 1.0, 1.5, 0.0, -1.0)),
    ("02 Hebb", hc.hebb_explorer, {"epsilon": 0.001}, "w0", (0.3, 0.2, -0.5, 0.9, 0.0)),
    ("03 network (Voilà)", hc.network_explorer, {"epsilon": 0.001, "L": 5, "N": 5, "M": 8}, "seed",
     (20, 21, 22, 23, 24)),
    ("04 sweep (Voilà)", hc.sweep_explorer, {"L": 5, "N": 2}, "epsilon",
     (0.02, 0.05, 0.1, 0.2, 0.5)),
    ("05 answer", hc.answer_explorer, {"dale": True, "epsilon": 0.001}, "excitatory_hidden",
     (2, 3, 0, 1, 2)),
    ("06 variants", hc.variant_explorer, {"M": 10, "k": 5, "excitatory_count": 14}, "epsilon",
     (0.02, 0.1, 0.2, 0.5, 0.01)),
    ("07 map", hc.map_explorer, {"presentations": 20000}, "seed", (1, 2, 3, 4, 5)),
)


def clear_caches():
    for cached in (views._trained_map, views._answer_runs, views._variant_runs,
                   views._sweep_table):
        cached.cache_clear()


def moves(explorer, name, values):
    """The time of each move of control ``name`` to ``values`` (a setting not drawn before)."""
    times = []
    for value in values:
        clear_caches()
        explorer.holding = True  # set the control without drawing, then draw as a move does
        explorer.sliders[name].value = value
        explorer.holding = False
        start = time.perf_counter()
        explorer.update()
        times.append(time.perf_counter() - start)
    return times


def row(label, times):
    ms = sorted(1000 * t for t in times)
    return f"| {label:<38} | {ms[0]:6.0f} | {statistics.median(ms):6.0f} | {ms[-1]:6.0f} |"


def main():
    hc.draw_answer(**hc.ANSWER_EXAMPLE)  # compile the engine once, outside the timings
    print(f"| {'explorer, setting (ms per move)':<38} | {'min':>6} | {'median':>6} | {'max':>6} |")
    print(f"|{'-' * 40}|{'-' * 8}|{'-' * 8}|{'-' * 8}|")
    for label, build, largest, name, values in CASES:
        explorer = build()
        print(row(f"{label}, defaults", moves(explorer, name, values)), flush=True)
        explorer.holding = True
        for other in ("M", "L", "N", *largest):  # ranges first: M and L move the others' ranges
            if other in largest:
                explorer.sliders[other].value = largest[other]
        explorer.holding = False
        shown = ", ".join(f"{key}={value}" for key, value in largest.items())
        print(row(f"{label}, {shown}"[:38], moves(explorer, name, values)), flush=True)


if __name__ == "__main__":
    main()
