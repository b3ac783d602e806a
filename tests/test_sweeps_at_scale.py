"""Sweeps beyond one process: the same table whatever the executor and chunk size; interrupted sweeps resume."""

import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import pandas as pd
import pytest

import hebb_core as hc

PARAMS = hc.Params(L=3, N=3, max_epochs=400, order="shuffled")


@pytest.fixture(scope="module")
def reference():
    return hc.run_experiment(PARAMS, repeats=4, seed=11)


def test_a_process_pool_gives_the_same_table(reference):
    with ProcessPoolExecutor(2) as pool:
        table = hc.run_experiment(PARAMS, repeats=4, seed=11, executor=pool, chunk_size=7)
    pd.testing.assert_frame_equal(table, reference)


def test_chunk_size_does_not_change_the_table(reference):
    pd.testing.assert_frame_equal(hc.run_experiment(PARAMS, repeats=4, seed=11, chunk_size=1), reference)


def test_a_dask_cluster_on_loopback_gives_the_same_table(reference):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        table = hc.run_experiment(PARAMS, repeats=4, seed=11, executor=client.get_executor(), chunk_size=9)
    pd.testing.assert_frame_equal(table, reference)


def _sweep(*args):
    return [sys.executable, "-m", "hebb_core", "sweep", "--neurons", "4", "--repeats", "12", *args]


def test_an_interrupted_sweep_resumes_to_the_same_file(tmp_path):
    subprocess.run(_sweep("--out", "full.csv"), cwd=tmp_path, check=True, capture_output=True)
    full = (tmp_path / "full.csv").read_bytes()
    process = subprocess.Popen(_sweep("--out", "cut.csv", "--workers", "2"), cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and (not (tmp_path / "cut.csv").exists()
                                       or (tmp_path / "cut.csv").stat().st_size < 5_000):
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130 and stderr.startswith("Interrupted: ")
    kept = (tmp_path / "cut.csv").read_bytes()
    assert 0 < len(kept) < len(full) and full.startswith(kept)  # whole rows, none lost, none partial
    done = subprocess.run(_sweep("--out", "cut.csv", "--resume"), cwd=tmp_path, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "cut.csv").read_bytes() == full
    rows = full.count(b"\n") - 1
    assert "  Converged: " in done.stdout and f"Wrote {rows} rows" in done.stdout


def test_resume_drops_a_row_cut_short_by_a_hard_kill(tmp_path):
    subprocess.run(_sweep("--out", "full.csv"), cwd=tmp_path, check=True, capture_output=True)
    full = (tmp_path / "full.csv").read_bytes()
    (tmp_path / "full.csv.json").rename(tmp_path / "cut.csv.json")
    cut = full[: full.index(b"\n", len(full) // 2) + 40]  # half the rows and the start of the next one
    (tmp_path / "cut.csv").write_bytes(cut)
    subprocess.run(_sweep("--out", "cut.csv", "--resume"), cwd=tmp_path, check=True,
                   capture_output=True)
    assert (tmp_path / "cut.csv").read_bytes() == full


def test_resume_refuses_other_settings(tmp_path):
    subprocess.run(_sweep("--out", "r.csv", "--max-epochs", "5"), cwd=tmp_path, check=True,
                   capture_output=True)
    done = subprocess.run(_sweep("--out", "r.csv", "--max-epochs", "6", "--resume"), cwd=tmp_path,
                          capture_output=True, text=True)
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
    assert "--max-epochs=6 is not allowed" in done.stderr and "5" in done.stderr
