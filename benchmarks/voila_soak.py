"""A soak of the Voilà page (``make app``): load it, wait for both explorers, close the tab, many
times over, watching the server's memory and its kernels.

Prints, every few loads, the server's resident memory (the Voilà process itself, not its kernels)
and the kernels still running; at the end, the memory over the first and the second half of the
loads (mean, and its growth per load from a straight line fitted to each half): a plateau is a
second half that grows by a small fraction of the first's. It ends with the kernels left once the
last tab is closed and the server has had time to end them. The server listens on 127.0.0.1 only,
with a fresh token. Nothing here is a test: it only measures.

    python benchmarks/voila_soak.py --loads 200

Needs Chromium and playwright, as the browser tests do.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import psutil  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, new_context, start_voila  # noqa: E402
from tests.browser.test_browser_app import close_page, kernels_after, open_app  # noqa: E402

MIB = 2**20


def soak(server, browser, loads, timeout, every):
    """Load and close the page ``loads`` times; the server's memory (MiB) after each close, and the
    loads not shown."""
    memory, stuck = [], 0
    process = psutil.Process(server.process.pid)
    for number in range(1, loads + 1):
        context = new_context(browser)
        page = context.new_page()
        try:
            seconds = open_app(page, server, timeout)
        except AssertionError:
            seconds, stuck = None, stuck + 1
        close_page(page)
        left = kernels_after(server, 0, seconds=20)
        context.close()
        memory.append(process.memory_info().rss / MIB)
        if number % every == 0 or number == 1 or seconds is None:
            shown = "NOT SHOWN" if seconds is None else f"shown after {seconds:4.1f} s"
            print(f"load {number:4d}: {shown}; server {memory[-1]:6.1f} MiB; kernels after "
                  f"closing: {left}",
                  flush=True)
    return memory, stuck


def growth(values):
    """Mean and slope (per load) of a straight line fitted to ``values``."""
    slope = np.polyfit(np.arange(len(values)), values, 1)[0] if len(values) > 1 else 0.0
    return statistics.fmean(values), slope


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=200)
    parser.add_argument("--every", type=int, default=10,
                        help="print every this many loads (default 10)")
    parser.add_argument("--timeout", type=float, default=120,
                        help="seconds a load may take (default 120)")
    arguments = parser.parse_args()
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        server = start_voila(Path(tmp))
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            memory, stuck = soak(server, browser, arguments.loads, arguments.timeout,
                                 arguments.every)
            left = kernels_after(server, 0, seconds=60)
        finally:
            browser.close()
            server.stop()
    half = len(memory) // 2
    (first, first_slope), (second, second_slope) = growth(memory[:half]), growth(memory[half:])
    print(f"\n{len(memory)} loads and closes in {(time.monotonic() - start) / 60:.0f} min; not "
          f"shown within "
          f"{arguments.timeout:g} s: {stuck}")
    print(f"server memory: {memory[0]:.1f} MiB after the first load, {max(memory):.1f} "
          f"MiB at most, "
          f"{memory[-1]:.1f} MiB after the last")
    print(f"  loads 1-{half}: mean {first:.1f} MiB, growing {first_slope * 1024:.0f} KiB per "
          f"load; loads "
          f"{half + 1}-{len(memory)}: mean {second:.1f} MiB, growing {second_slope * 1024:.0f} "
          f"KiB per load")
    print(f"kernels left after the last tab was closed: {left}")


if __name__ == "__main__":
    main()
