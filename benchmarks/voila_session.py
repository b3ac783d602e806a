"""A workshop session of the Voilà page (``make app``): load it, wait for both explorers, close the
tab; repeat.

Prints, for each load, the seconds until both explorers show their default text and the kernels
still running after the tab is closed; then min/median/max of the load times, the loads that never
finished (the page stuck on "Executing …") and the kernels left at the end. Nothing here is a test:
it only measures.

    python benchmarks/voila_session.py --loads 30 --busy

``--busy`` keeps one core busy meanwhile (a process spinning in a loop, ended at the end), as on a
machine shared with other work. Needs Chromium and playwright, as the browser tests do.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, new_context, start_voila  # noqa: E402
from tests.browser.test_browser_app import close_page, kernels_after, open_app  # noqa: E402


def session(server, browser, loads, timeout):
    """Load and close the page ``loads`` times; the seconds of each load (None: not shown within
    ``timeout``)."""
    seconds = []
    for number in range(1, loads + 1):
        before = len(server.kernels())
        context = new_context(browser)
        page = context.new_page()
        try:
            seconds.append(open_app(page, server, timeout))
            shown = f"shown after {seconds[-1]:5.1f} s"
        except AssertionError as error:
            seconds.append(None)
            shown = f"NOT SHOWN: {error}"
        close_page(page)
        # the context stays open meanwhile, as the browser would
        left = kernels_after(server, before, seconds=15)
        context.close()
        print(f"load {number:3d}: {shown}; kernels after closing: {left}", flush=True)
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=30)
    parser.add_argument("--timeout", type=float, default=120,
                        help="seconds a load may take before it counts as "
                              "stuck (default 120)")
    parser.add_argument("--busy", action="store_true", help="keep one core busy meanwhile")
    arguments = parser.parse_args()

    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if arguments.busy else None
    try:
        with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
            server = start_voila(Path(tmp))
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                                 args=CHROMIUM_ARGS)
            try:
                seconds = session(server, browser, arguments.loads, arguments.timeout)
                left = len(server.kernels())
            finally:
                browser.close()
                server.stop()
    finally:
        if busy:
            busy.kill()
            busy.wait()
    shown = [s for s in seconds if s is not None]
    print(f"\n{len(seconds)} loads ({'one core kept busy' if busy else 'no extra load'}; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} cores)")
    if shown:
        print(f"seconds to show both explorers: min {min(shown):.1f}, "
              f"median {statistics.median(shown):.1f}, "
              f"max {max(shown):.1f}")
    print(f"not shown within {arguments.timeout:g} s: {len(seconds) - len(shown)}")
    print(f"kernels left after the last tab was closed: {left}")


if __name__ == "__main__":
    main()
