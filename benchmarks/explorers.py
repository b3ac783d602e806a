"""In-kernel time of the explorers of notebooks 01 to 07: a first draw, and a redraw after a slider move into the
figure drawn before (``previous``), each split into the model (the drawing function) and the picture (the PNG the
explorer shows, drawn over the background it keeps while the ticks and labels stay as they were). Five moves each,
min/median/max; the caches are cleared before each first draw.

    PYTHONPATH=. python benchmarks/explorers.py
"""

import statistics
import time

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402

import hebb_core as hc  # noqa: E402
from hebblab import views  # noqa: E402
from hebblab.explorer import _png  # noqa: E402

REPEATS = 5
CASES = (  # explorer, first values, the slider moved and its new value
    ("McCulloch–Pitts (01)", hc.draw_mcculloch_pitts, hc.MCCULLOCH_PITTS_EXAMPLE, "theta", 0.5),
    ("Hebb (02)", hc.draw_hebb, hc.HEBB_EXAMPLE, "w0", 0.3),
    ("network (03, Voilà)", hc.draw_network_run, hc.EXAMPLE_RUN, "seed", 20),
    ("sweep (04, Voilà)", hc.draw_sweep, hc.SWEEP_EXAMPLE, "view", "recall"),
    ("sweep, epsilon (04, Voilà)", hc.draw_sweep, hc.SWEEP_EXAMPLE, "epsilon", 0.02),
    ("answer (05)", hc.draw_answer, hc.ANSWER_EXAMPLE, "epsilon", 0.02),
    ("variant (06)", hc.draw_variant, hc.VARIANT_EXAMPLE, "epsilon", 0.1),
    ("map (07)", hc.draw_topographic_map, hc.MAP_EXAMPLE, "seed", 1),
)


def timed(draw, values, previous=None):
    start = time.perf_counter()
    drawn = draw(**values, previous=previous)
    middle = time.perf_counter()
    _png(drawn["figure"])
    return drawn, middle - start, time.perf_counter() - middle


def clear_caches():
    for cached in (views._trained_map, views._answer_runs):
        cached.cache_clear()
    views._variant_tables.clear()


def line(label, times):
    ms = sorted(1000 * t for t in times)
    return f"{label:<14} min {ms[0]:7.0f}  median {statistics.median(ms):7.0f}  max {ms[-1]:7.0f} ms"


def main():
    hc.draw_answer(**hc.ANSWER_EXAMPLE)  # compile the engine once, outside the timings
    for name, draw, values, slider, value in CASES:
        first, redraw, later = [], [], []
        for _ in range(REPEATS):
            clear_caches()
            cache = {} if draw is hc.draw_sweep else None
            extra = {"cache": cache} if cache is not None else {}
            drawn, model, picture = timed(draw, {**values, **extra})
            first.append((model, picture))
            for move in range(4):  # there and back: the first move lays the background out, the others keep it
                moved = {**values, **extra, slider: value if move % 2 == 0 else values[slider]}
                drawn, model, picture = timed(draw, moved, previous=drawn)
                (redraw if move == 0 else later).append((model, picture))
            plt.close(drawn["figure"])
        print(f"{name}: moving {slider} to {value} and back")
        for label, times in (("first", first), ("1st move", redraw), ("later", later)):
            print("  " + line(f"{label} model", [m for m, _ in times]))
            print("  " + line(f"{label} png", [p for _, p in times]))
            print("  " + line(f"{label} total", [m + p for m, p in times]))


if __name__ == "__main__":
    main()
