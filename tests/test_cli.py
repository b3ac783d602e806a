"""hebblab.cli, the command line: the seed's log, the CSV table, clear one-line errors; interrupted sweeps keep
their rows and resume to the same file; the `figures` command draws the course's key figures, the same every time."""

import argparse
import csv
import io
import itertools
import os
import pathlib
import signal
import subprocess
import sys
import time

import matplotlib
import matplotlib.pyplot as plt
import pytest

import hebb_core as hc
import hebblab.cli

matplotlib.use("Agg")

SMALL = ("--neurons", "4", "--repeats", "12")  # a sweep of a few seconds
TINY = ("--layers", "2", "--neurons", "3", "--max-epochs", "20", "--repeats", "2")  # 24 runs, in a blink


def command(*args):
    return [sys.executable, "-m", "hebb_core", "sweep", *args]


def sweep(*args, cwd):
    return subprocess.run(command(*args), cwd=cwd, capture_output=True, text=True, timeout=300)


def interrupt(out, *args):
    """Start a sweep that writes to ``out``, press Ctrl-C as soon as the file holds a few kB (``--out`` is added);
    returns ``(returncode, stdout, stderr)``."""
    process = subprocess.Popen(command(*args, "--out", out.name), cwd=out.parent, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and (not out.exists() or out.stat().st_size < 5_000):
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    return process.returncode, stdout, stderr


# ── The sweep command ────────────────────────────────────────────────────────────────────────────────────


def test_sweep_prints_the_seeds_log_and_writes_the_table(tmp_path):
    done = sweep("--layers", "3", "--neurons", "3", "--out", "r.csv", cwd=tmp_path)
    assert done.returncode == 0 and done.stderr == ""  # no progress bar when the output is not a terminal
    lines = done.stdout.splitlines()
    assert lines[0] == "The network contains: 3 layers, 3 neurons per layer"
    assert "Testing 6 mappings for each of 5 E/I ratios" in lines
    assert "  0.167/0.833 (1E/5I)" in lines and "  0.833/0.167 (5E/1I)" in lines
    i = lines.index("Testing E/I ratio: 0.667/0.333")
    assert lines[i + 1].startswith("  Converged: ") and lines[i + 1].endswith("/6 mappings")
    table = hc.read_results(tmp_path / "r.csv")
    assert list(table.columns) == hc.COLUMNS and len(table) == 30
    assert table["target_mapping"].iloc[1] == [0, 2, 1]
    expected = hc.run_experiment(hc.Params(L=3, N=3), seed=0)
    assert table["epochs_to_convergence"].tolist() == expected["epochs_to_convergence"].tolist()
    assert table["allotment"].tolist() == expected["allotment"].tolist()


@pytest.mark.parametrize("args, words", [
    (["--epsilon", "2"], "epsilon=2.0 is not allowed"),
    (["--layers", "1"], "L=1 is not allowed"),
    (["--neurons", "0"], "N=0 is not allowed"),
    (["--weight-min", "0.5", "--weight-max", "0.1"], "w_min=0.5 is not allowed"),
    (["--max-epochs", "0"], "max_epochs=0"),
    (["--repeats", "0"], "repeats=0"),
    (["--layers", "three"], "invalid int value: 'three'"),
    (["--allotment", "some"], "invalid choice: 'some'"),
    (["--bogus"], "unrecognized arguments: --bogus"),
    (["--neurons", "9"], "mappings='all'"),
    (["--out", "no/such/folder/r.csv"], "No such file or directory"),
    (["--out", ""], "--out='' is not allowed: the name of a file"),
    (["--layers", "2", "--neurons", "1"], "params='L=2, N=1' is not allowed: a network with at least 2 typed"),
])
def test_bad_arguments_get_one_line_and_status_2(tmp_path, args, words):
    done = sweep(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1 and words in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("args, words", [
    (["--neurons", "10000000"], "N=10000000 is not allowed: an integer in [1, 256]"),
    (["--repeats", "100000000"], "repeats=100000000 is not allowed: an integer in [1, 5000000]"),
    (["--layers", "100000"], "L=100000 is not allowed: an integer in [2, 10]"),
])
def test_a_huge_size_is_refused_at_once_before_memory_is_used(tmp_path, args, words):
    start = time.perf_counter()
    process = subprocess.Popen(command(*args), cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode()
    assert os.waitstatus_to_exitcode(status) == 2 and len(stderr.splitlines()) == 1 and words in stderr
    assert elapsed < 5 and usage.ru_maxrss < 400_000  # seconds, kB: the command's own start-up, no more
    process.stdout.close()
    process.stderr.close()


def test_ctrl_c_while_numba_loads_is_one_line_and_status_130(tmp_path):
    maps = pathlib.Path(f"/proc/{os.getpid()}/maps")
    if not maps.exists():
        pytest.skip("needs /proc to see when numba loads")
    process = subprocess.Popen(command(*TINY, "--out", "r.csv"), cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline and "numba" not in pathlib.Path(f"/proc/{process.pid}/maps").read_text():
        time.sleep(0.002)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert (process.returncode, stdout, stderr) == (130, "", "python -m hebb_core sweep: interrupted\n")
    assert not (tmp_path / "r.csv").exists()  # before the table was opened


def test_help_names_every_option(tmp_path):
    done = sweep("--help", cwd=tmp_path)
    assert done.returncode == 0
    for option in ["--layers", "--neurons", "--epsilon", "--max-epochs", "--allotment", "--repeats", "--weight-min",
                   "--weight-max", "--seed", "--readout", "--order", "--dale", "--out"]:
        assert option in done.stdout


# ── Interrupted and resumed sweeps ───────────────────────────────────────────────────────────────────────


def test_an_interrupted_sweep_keeps_every_finished_row(tmp_path):
    out = tmp_path / "r.csv"
    returncode, _, stderr = interrupt(out, "--neurons", "4", "--repeats", "40")
    assert returncode == 130, stderr
    assert len(stderr.splitlines()) == 1 and stderr.startswith("Interrupted: ") and "Traceback" not in stderr
    with open(out, newline="") as handle:
        rows = list(csv.reader(handle))
    kept = int(stderr.split()[1])
    assert rows[0] == hc.COLUMNS and len(rows) - 1 == kept
    assert 0 < kept < 7 * 24 * 40
    assert all(len(row) == len(hc.COLUMNS) for row in rows)
    assert [int(row[-1]) for row in rows[1:]] == list(range(kept))  # whole runs, in order, none lost


def test_an_interrupted_sweep_resumes_to_the_same_file(tmp_path):
    sweep(*SMALL, "--out", "full.csv", cwd=tmp_path).check_returncode()
    full = (tmp_path / "full.csv").read_bytes()
    returncode, _, stderr = interrupt(tmp_path / "cut.csv", *SMALL, "--workers", "2")
    assert returncode == 130 and stderr.startswith("Interrupted: ")
    kept = (tmp_path / "cut.csv").read_bytes()
    assert 0 < len(kept) < len(full) and full.startswith(kept)  # whole rows, none lost, none partial
    done = sweep(*SMALL, "--out", "cut.csv", "--resume", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "cut.csv").read_bytes() == full
    rows = full.count(b"\n") - 1
    assert "  Converged: " in done.stdout and f"Wrote {rows} rows" in done.stdout


def test_resume_drops_a_row_cut_short_by_a_hard_kill(tmp_path):
    sweep(*SMALL, "--out", "full.csv", cwd=tmp_path).check_returncode()
    full = (tmp_path / "full.csv").read_bytes()
    (tmp_path / "full.csv.json").rename(tmp_path / "cut.csv.json")
    cut = full[: full.index(b"\n", len(full) // 2) + 40]  # half the rows and the start of the next one
    (tmp_path / "cut.csv").write_bytes(cut)
    sweep(*SMALL, "--out", "cut.csv", "--resume", cwd=tmp_path).check_returncode()
    assert (tmp_path / "cut.csv").read_bytes() == full


def test_resume_refuses_other_settings(tmp_path):
    sweep(*SMALL, "--out", "r.csv", "--max-epochs", "5", cwd=tmp_path).check_returncode()
    done = sweep(*SMALL, "--out", "r.csv", "--max-epochs", "6", "--resume", cwd=tmp_path)
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
    assert "--max-epochs=6 is not allowed" in done.stderr and "5" in done.stderr


# ── The figures command ──────────────────────────────────────────────────────────────────────────────────


def test_the_key_figures_of_notebooks_01_to_03_are_the_same_every_time():
    def draw():
        pngs = {}
        for name, figure in itertools.islice(hc.course_figures(), 5):  # the generator draws lazily
            png = io.BytesIO()
            figure.savefig(png, dpi=100, metadata={"Software": None})
            plt.close(figure)
            pngs[name] = png.getvalue()
        return pngs

    first = draw()
    assert list(first) == ["01_and_decision_line.png", "02_hebb_trajectory.png", "03_network.png",
                           "03_weight_traces.png", "03_training_run.png"]
    assert all(png.startswith(b"\x89PNG") for png in first.values())
    assert draw() == first  # fixed seeds: the same pixels


def test_the_figures_command_writes_each_figure_into_the_folder(tmp_path, monkeypatch):
    """Through the parser, and called with its log: ``figures_command``'s ``out`` defaults to the ``sys.stdout`` of
    import time, which a test cannot capture, so the log is checked by passing ``out``."""
    monkeypatch.setattr(hebblab.cli, "course_figures", lambda: iter([("gate.png", hc.plot_decision_line((1, 1), 1.5))]))
    folder = tmp_path / "figures"
    assert hc.main(["figures", "--out-dir", str(folder)]) == 0
    assert (folder / "gate.png").read_bytes().startswith(b"\x89PNG")
    (folder / "gate.png").unlink()
    log = io.StringIO()
    assert hc.figures_command(argparse.Namespace(out_dir=str(folder)), out=log) == 0
    assert (folder / "gate.png").read_bytes().startswith(b"\x89PNG")
    assert log.getvalue() == f"Wrote {folder / 'gate.png'}\n"
