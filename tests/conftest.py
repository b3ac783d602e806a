"""The sweeps that the claims of notebooks 04 and 05 are about (smaller than the notebooks', same
design), trained once per session and shared by test_hebb_core.py and test_sweeps.py; and a sweep
table small enough to summarise by hand, for test_sweeps.py and test_plots.py; and the static site,
built once. And the figures that the browser tests measure, printed at the end of the run, also
when pytest-xdist runs the tests in two processes (``make test``). Every kernel the tests start
(nbval's, JupyterLab's, Voilà's) checks the text of each figure it shows (figure_text.py)."""

import json
import statistics
import subprocess
import sys
from pathlib import Path

import figure_text
import pandas as pd
import pytest
from browser.browser_pages import FORMULAS, TIMINGS

import hebb_core as hc


@pytest.fixture(scope="session")
def site(tmp_path_factory, worker_id):
    """The static site, built by the command that ``make html`` runs, into a temporary folder (for
    test_site.py, test_links.py and the browser's offline test): once per run, also when
    pytest-xdist runs the tests in several processes (the first to need it builds it, under a
    lock, into the run's folder that they share)."""
    import fcntl

    folder = tmp_path_factory.getbasetemp()
    if worker_id != "master":  # each worker's folder is in the run's own
        folder = folder.parent
    out = folder / "site"
    with open(folder / "site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not out.exists():
            building = folder / "site.building"
            done = subprocess.run([sys.executable, str(Path(__file__).resolve().parents[1]
                                                       / "tools" / "build_site.py"),
                                   "--out", str(building)], capture_output=True, text=True)
            assert done.returncode == 0, done.stdout + done.stderr
            building.rename(out)  # whole or not at all
    return out


@pytest.fixture(scope="session")
def sweep3():
    """L = 3, N = 3, random allotments, 50 per mapping and ratio, trained to the end (strict
    read-out)."""
    table = hc.run_experiment(hc.Params(L=3, N=3, stop_at_convergence=False), repeats=50, seed=0)
    return hc.layer_counts(table).assign(lasting=lambda t: t.recall_fraction == 1)


@pytest.fixture(scope="session")
def every3():
    """L = 3, N = 3, every allotment, seeds 0 and 1, trained to the end, under both read-outs (same
    draws)."""
    tables = {readout: pd.concat([hc.run_experiment(hc.Params(L=3, N=3, readout=readout,
                                                              stop_at_convergence=False),
                                                    allotment="all",
                                                    seed=seed) for seed in (0, 1)],
                                 ignore_index=True) for readout in hc.READOUTS}
    return tables


@pytest.fixture(scope="session")
def sweep4():
    """L = 3, N = 4, random allotments, 15 per mapping and ratio (notebook 05's design)."""
    return hc.layer_counts(hc.run_experiment(hc.Params(L=3, N=4), repeats=15, seed=0))


@pytest.fixture(scope="session")
def sweep5():
    """L = 3, N = 5, random allotments, one per mapping and ratio."""
    return hc.run_experiment(hc.Params(L=3, N=5), repeats=1, seed=0)


@pytest.fixture
def tiny_sweep():
    """Five runs: at E/I 0.25 one of three converged (at epoch 40), at 0.5 none of two; pairs
    recalled 1, 1/2, 0 and 1/2, 1/4."""
    return pd.DataFrame({"excitatory_value": [0.25, 0.25, 0.25, 0.5, 0.5],
                         "converged": [True, False, False, False, False],
                         "epochs_to_convergence": [40, 100, 100, 100, 100],
                         "recall_fraction": [1.0, 0.5, 0.0, 0.5, 0.25]})


def pytest_configure(config):
    """Kernels started from here on load figure_text.py's startup file: a figure whose text is
    under 11 px as displayed prints a line that no committed output has."""
    import os
    import tempfile

    config.ipython_folder = tempfile.mkdtemp(prefix="hebb-ipython-")
    os.environ["IPYTHONDIR"] = str(figure_text.startup_file(config.ipython_folder))


def pytest_unconfigure(config):
    import shutil

    shutil.rmtree(getattr(config, "ipython_folder", ""), ignore_errors=True)


def pytest_sessionfinish(session):
    """In a worker of pytest-xdist, hand what the browser tests measured to the main process."""
    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["measured"] = json.dumps({"formulas": FORMULAS,
                                                              "timings": TIMINGS})


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """In the main process of pytest-xdist, take what a worker's browser tests measured."""
    measured = json.loads(getattr(node, "workeroutput", {}).get("measured", "{}"))
    FORMULAS.update(measured.get("formulas", {}))
    for name, seconds in measured.get("timings", {}).items():
        TIMINGS.setdefault(name, []).extend(seconds)


def pytest_terminal_summary(terminalreporter):
    if FORMULAS:
        terminalreporter.section("the static site offline: formulas typeset per page (of those in "
                                 "the markdown)")
        for name, (typeset, expected) in sorted(FORMULAS.items()):
            terminalreporter.write_line(f"{name:<46} {typeset:5d} of {expected:5d}")
    if TIMINGS:
        terminalreporter.section("sliders in the browser: seconds from a move to the "
                                 "updated output")
        terminalreporter.write_line("(the machine's load shows in these: compare a run with the "
                                    "best of several)")
        terminalreporter.write_line(f"{'':<46} {'min':>5}  {'median':>6}  {'max':>5}   each move")
        for name, seconds in sorted(TIMINGS.items()):
            terminalreporter.write_line(f"{name:<46} {min(seconds):5.2f}  "
                                        f"{statistics.median(seconds):6.2f}  "
                                        f"{max(seconds):5.2f}   "
                                        f"{'  '.join(f'{s:.2f}' for s in seconds)}")
