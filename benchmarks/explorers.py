"""In-kernel time of the explorers of notebooks 04 to 07: a first draw, and a redraw after a slider move into the
figure drawn before (``previous``), each split into the model (the drawing function) and the picture (PNG
encoding, as the explorer shows it). Best of 5 with min/median/max; the caches are cleared before each first draw.

    PYTHONPATH=. python benchmarks/explorers.py
"""

import io
import statistics
import time

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402

import hebb_core as hc  # noqa: E402
from hebblab import views  # noqa: E402

REPEATS = 5
CASES = (  # explorer, first values, the slider moved and its new value
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
    drawn["figure"].savefig(io.BytesIO(), format="png")
    return drawn, middle - start, time.perf_counter() - middle


def clear_caches():
    for cached in (views._trained_map, views._answer_runs, views._variant_table):
        cached.cache_clear()


def line(label, times):
    ms = sorted(1000 * t for t in times)
    return f"{label:<12} min {ms[0]:7.0f}  median {statistics.median(ms):7.0f}  max {ms[-1]:7.0f} ms"


def main():
    hc.draw_answer(**hc.ANSWER_EXAMPLE)  # compile the engine once, outside the timings
    for name, draw, values, slider, value in CASES:
        first, redraw = [], []
        for _ in range(REPEATS):
            clear_caches()
            cache = {} if draw is hc.draw_sweep else None
            extra = {"cache": cache} if cache is not None else {}
            drawn, model, picture = timed(draw, {**values, **extra})
            first.append((model, picture))
            drawn, model, picture = timed(draw, {**values, **extra, slider: value}, previous=drawn)
            redraw.append((model, picture))
            plt.close(drawn["figure"])
        print(f"{name}: moving {slider} to {value}")
        for label, times in (("first", first), ("redraw", redraw)):
            print("  " + line(f"{label} model", [m for m, _ in times]))
            print("  " + line(f"{label} png", [p for _, p in times]))
            print("  " + line(f"{label} total", [m + p for m, p in times]))


if __name__ == "__main__":
    main()
