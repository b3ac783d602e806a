"""Reading a sweep table back: ``hebb_core.read_results`` on a table of a million rows, every field
checked.

The rows are those of the command-line sweep ``sweep --layers 3 --neurons 4 --repeats 100`` (16,800
runs, their converged weights included), repeated with new run numbers up to ``ROWS``. Prints the
best of a few reads, in wall time and in CPU time (the CPU time is what a quiet machine's wall time
would be: other work on a shared machine stretches the wall time, hardly the CPU time). Target:
10^6 rows in under 5 s.
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import hebb_core as hc

ROOT = Path(__file__).resolve().parent.parent
ROWS = 10**6


def million_rows(folder, rows=ROWS):
    """The path of a table of ``rows`` rows, made from one command-line sweep."""
    small = Path(folder) / "sweep.csv"
    subprocess.run([sys.executable, "-m", "hebb_core", "sweep", "--layers", "3", "--neurons", "4",
                    "--repeats", "100",
                    "--out", str(small)], cwd=ROOT, check=True, capture_output=True)
    header, *lines = small.read_text(encoding="utf-8").splitlines(keepends=True)
    body = [line[:line.rindex(",") + 1] for line in lines]  # each row without its run number
    table = Path(folder) / "million.csv"
    with open(table, "w", encoding="utf-8") as handle:
        handle.write(header)
        handle.writelines(f"{body[run % len(body)]}{run}\n" for run in range(rows))
    return table


def main(repeat=3):
    with tempfile.TemporaryDirectory() as folder:
        table = million_rows(folder)
        size = table.stat().st_size
        walls, cpus = [], []
        for _ in range(repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            read = hc.read_results(table)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
    assert len(read) == ROWS and read["run"].iloc[-1] == ROWS - 1
    print(f"Reading a sweep table back (read_results, every field checked): {ROWS:,} "
          f"rows, {size / 2**20:.0f} MiB, "
          f"{int(read['converged'].sum()):,} of them with converged weights; best of {repeat}")
    print(f"  wall time {min(walls):.2f} s "
          f"(range {min(walls):.2f}-{max(walls):.2f}), {ROWS / min(walls):,.0f} rows/s;"
          f" CPU time {min(cpus):.2f} s, {ROWS / min(cpus):,.0f} rows/s (target: 10^6 "
          f"rows in < 5 s)")


if __name__ == "__main__":
    main()
