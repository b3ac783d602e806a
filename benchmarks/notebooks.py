"""Seconds to run each notebook top to bottom in a fresh kernel (nbclient, as Run All does), the
times that the teaching guides quote under "Runs in". Best of ``--repeats`` runs, with the range.
Timings only: nothing here is asserted.

    python benchmarks/notebooks.py [--repeats 3] [notebooks/03_*.ipynb ...]
"""

import argparse
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def run_once(path):
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(notebook, timeout=900, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: all)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per notebook (default: 3)")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.exit(2, f"{parser.prog}: error: --repeats={args.repeats} is not allowed: "
                       f"an integer >= 1\n")
    paths = args.paths or sorted(NOTEBOOKS.glob("*.ipynb"))
    print(f"{'notebook':<46} {'best':>6}  {'range':>13}   (s, {args.repeats} runs)")
    for path in paths:
        seconds = [run_once(path) for _ in range(args.repeats)]
        print(f"{path.name:<46} {min(seconds):6.1f}  {min(seconds):5.1f}–{max(seconds):<6.1f}",
              flush=True)


if __name__ == "__main__":
    main()
