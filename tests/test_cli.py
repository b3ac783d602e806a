"""hebblab.cli, the command line: the workshop's log, the CSV table, clear one-line errors (huge
sizes at once, Ctrl-C while numba loads); interrupted or killed sweeps keep their rows and resume
to the same file, and a table that cannot be completed exactly is refused, both files left as they
were; a second sweep on a table in use is refused; the `figures` command draws the course's key
figures, the same every time."""

import argparse
import contextlib
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
# 24 runs, in a blink
TINY = ("--layers", "2", "--neurons", "3", "--max-epochs", "20", "--repeats", "2")
HEADER = (",".join(hc.COLUMNS) + "\n").encode()


def command(*args):
    return [sys.executable, "-m", "hebb_core", "sweep", *args]


def sweep(*args, cwd):
    return subprocess.run(command(*args), cwd=cwd, capture_output=True, text=True, timeout=300)


def writing(out, *args):
    """Start a sweep that writes to ``out`` (``--out`` is added) and return its process as soon as
    the file holds a few kB."""
    process = subprocess.Popen(command(*args, "--out", out.name), cwd=out.parent,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and (not out.exists() or out.stat().st_size < 5_000):
        time.sleep(0.05)
    return process


def interrupt(out, *args, signal_number=signal.SIGINT):
    """Start a sweep that writes to ``out``, press Ctrl-C (or send another signal) as soon as the
    file holds a few kB (``--out`` is added); returns ``(returncode, stdout, stderr)``."""
    process = writing(out, *args)
    process.send_signal(signal_number)
    stdout, stderr = process.communicate(timeout=120)
    return process.returncode, stdout, stderr


def main(capsys, *args):
    """``python -m hebb_core sweep *args`` run in this process: ``(status, stdout, stderr)``; the
    status is also that of the command line's own errors, which end it with ``SystemExit``."""
    try:
        status = hc.main(["sweep", *args])
    except SystemExit as stop:
        status = stop.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The table and settings file of the SMALL sweep, uninterrupted (run in this process)."""
    folder = tmp_path_factory.mktemp("small")
    with contextlib.redirect_stdout(io.StringIO()):
        assert hc.main(["sweep", *SMALL, "--out", str(folder / "full.csv")]) == 0
    return (folder / "full.csv").read_bytes(), (folder / "full.csv.json").read_bytes()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """The TINY sweep, uninterrupted: its table's lines, its settings file and its log."""
    folder = tmp_path_factory.mktemp("tiny")
    done = sweep(*TINY, "--out", "full.csv", cwd=folder)
    done.check_returncode()
    lines = (folder / "full.csv").read_bytes().splitlines(keepends=True)
    assert lines[0] == HEADER and len(lines) == 25
    return lines, (folder / "full.csv.json").read_bytes(), done.stdout


# ── The sweep command ────────────────────────────────────────────────────────────────────────────


def test_sweep_prints_the_seeds_log_and_writes_the_table(tmp_path):
    done = sweep("--layers", "3", "--neurons", "3", "--out", "r.csv", cwd=tmp_path)
    # no progress bar when the output is not a terminal
    assert done.returncode == 0 and done.stderr == ""
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
    (["--layers", "2", "--neurons", "1"],
     "params='L=2, N=1' is not allowed: a network with at least 2 typed"),
    (["--layers", "2", "--hidden", "5"],
     "--hidden=5 is not allowed: none with --layers 2: a network of 2 layers has "
     "no hidden layer"),
])
def test_bad_arguments_get_one_line_and_status_2(tmp_path, capsys, monkeypatch, args, words):
    """Run in this process (an exception would fail the test); that the command line ends with
    status 2 and one line, no traceback, is seen from outside in the next test."""
    monkeypatch.chdir(tmp_path)
    status, stdout, stderr = main(capsys, *args)
    assert (status, stdout) == (2, "")
    assert len(stderr.splitlines()) == 1 and words in stderr
    assert "Traceback" not in stderr
    assert list(tmp_path.iterdir()) == []  # refused before any work


@pytest.mark.parametrize("args, words", [
    (["--neurons", "10000000"], "N=10000000 is not allowed: an integer in [1, 256]"),
    (["--repeats", "100000000"], "repeats=100000000 is not allowed: an integer in [1, 5000000]"),
    (["--layers", "100000"], "L=100000 is not allowed: an integer in [2, 10]"),
])
def test_a_huge_size_is_refused_at_once_before_memory_is_used(tmp_path, args, words):
    """The command's peak memory is read from inside it, after its start (a child of this process
    counts this process's memory in its rusage, whatever it then uses itself)."""
    if not pathlib.Path("/proc/self/status").exists():
        pytest.skip("needs /proc to read the command's peak memory")
    peak = ("import atexit, runpy, sys; atexit.register(lambda: "
            "print(open('/proc/self/status').read()"
            ".split('VmHWM:')[1].split()[0])); sys.argv = ['hebb_core', *sys.argv[1:]]; "
            "runpy.run_module('hebb_core', run_name='__main__', alter_sys=True)")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", peak, "sweep", *args], cwd=tmp_path,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1 and words in done.stderr
    # seconds, kB: the command's own start-up, no more
    assert elapsed < 5 and int(done.stdout) < 400_000


def test_ctrl_c_while_numba_loads_is_one_line_and_status_130(tmp_path):
    maps = pathlib.Path(f"/proc/{os.getpid()}/maps")
    if not maps.exists():
        pytest.skip("needs /proc to see when numba loads")
    process = subprocess.Popen(command(*TINY, "--out", "r.csv"), cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while (time.time() < deadline
           and "numba" not in pathlib.Path(f"/proc/{process.pid}/maps").read_text()):
        time.sleep(0.002)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert (process.returncode, stdout, stderr) == (130, "",
                                                    "python -m hebb_core sweep: interrupted\n")
    assert not (tmp_path / "r.csv").exists()  # before the table was opened


def test_ctrl_c_while_numpy_loads_is_one_line_and_status_130(tmp_path):
    """A numpy that takes long to load (a stand-in on the path that sleeps and says when it
    started) holds the command line inside hebb_core's first import: Ctrl-C there ends as it does
    later in start-up."""
    (tmp_path / "numpy").mkdir()
    (tmp_path / "numpy" / "__init__.py").write_text("import sys, time\nprint('loading', "
                                                    "flush=True)\ntime.sleep(60)\n")
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    process = subprocess.Popen(command(*TINY), cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "loading\n"  # inside `import numpy`
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert (process.returncode, stdout, stderr) == (130, "", "python -m hebb_core: interrupted\n")


@pytest.mark.parametrize("argv", [["sweep", 5], "sweep", [b"sweep"], 7])
def test_main_takes_a_list_of_words_and_says_so(argv):
    with pytest.raises(TypeError, match=r"argv=.* is not allowed: None or a list of strings, the "
                                        r"words of a command "
                                        r"line such as \['sweep', '--neurons', '4'\]"):
        hc.main(argv)


def test_help_names_every_option(capsys):
    status, stdout, _ = main(capsys, "--help")
    assert status == 0
    for option in ["--layers", "--neurons", "--epsilon", "--max-epochs", "--allotment",
                   "--repeats", "--weight-min",
                   "--weight-max", "--seed", "--readout", "--order", "--dale", "--out"]:
        assert option in stdout


# ── Interrupted and resumed sweeps ───────────────────────────────────────────────────────────────


def test_an_interrupted_sweep_keeps_every_finished_row(tmp_path):
    out = tmp_path / "r.csv"
    returncode, _, stderr = interrupt(out, "--neurons", "4", "--repeats", "40")
    assert returncode == 130, stderr
    assert (len(stderr.splitlines()) == 1 and stderr.startswith("Interrupted: ")
            and "Traceback" not in stderr)
    with open(out, newline="") as handle:
        rows = list(csv.reader(handle))
    kept = int(stderr.split()[1])
    assert rows[0] == hc.COLUMNS and len(rows) - 1 == kept
    assert 0 < kept < 7 * 24 * 40
    assert all(len(row) == len(hc.COLUMNS) for row in rows)
    # whole runs, in order, none lost
    assert [int(row[-1]) for row in rows[1:]] == list(range(kept))


def test_an_interrupted_sweep_resumes_to_the_same_file(tmp_path, small):
    full = small[0]
    returncode, _, stderr = interrupt(tmp_path / "cut.csv", *SMALL, "--workers", "2")
    assert returncode == 130 and stderr.startswith("Interrupted: ")
    kept = (tmp_path / "cut.csv").read_bytes()
    # whole rows, none lost, none partial
    assert 0 < len(kept) < len(full) and full.startswith(kept)
    done = sweep(*SMALL, "--out", "cut.csv", "--resume", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "cut.csv").read_bytes() == full
    rows = full.count(b"\n") - 1
    assert "  Converged: " in done.stdout and f"Wrote {rows} rows" in done.stdout


def test_resume_drops_a_row_cut_short_by_a_hard_kill(tmp_path, small):
    full = small[0]
    (tmp_path / "cut.csv.json").write_bytes(small[1])
    # half the rows and the start of the next one
    cut = full[: full.index(b"\n", len(full) // 2) + 40]
    (tmp_path / "cut.csv").write_bytes(cut)
    sweep(*SMALL, "--out", "cut.csv", "--resume", cwd=tmp_path).check_returncode()
    assert (tmp_path / "cut.csv").read_bytes() == full


def test_resume_refuses_other_settings(tmp_path, capsys):
    out = str(tmp_path / "r.csv")
    assert main(capsys, *SMALL, "--out", out, "--max-epochs", "5")[0] == 0
    status, _, stderr = main(capsys, *SMALL, "--out", out, "--max-epochs", "6", "--resume")
    assert status == 2 and len(stderr.splitlines()) == 1
    assert "--max-epochs=6 is not allowed" in stderr and "5" in stderr


def test_a_sweep_killed_outright_leaves_no_lock_and_resumes_to_the_same_file(tmp_path, small):
    returncode, _, _ = interrupt(tmp_path / "cut.csv", *SMALL, signal_number=signal.SIGKILL)
    assert returncode == -signal.SIGKILL
    assert 0 < len((tmp_path / "cut.csv").read_bytes()) < len(small[0])
    done = sweep(*SMALL, "--out", "cut.csv", "--resume", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "cut.csv").read_bytes() == small[0]


def children(pid):
    """The processes whose parent is ``pid``."""
    found = []
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.skipif(not pathlib.Path("/proc/self/task").exists(),
                    reason="reads the processes in /proc (Linux)")
def test_a_sweeps_workers_are_threads_of_its_process_so_that_a_kill_ends_them_all(tmp_path, small):
    """However and whenever a sweep with workers is killed (kill -9 included), nothing of it lives
    on to hold its table's lock: every resume runs at once, and the last ends with exactly the
    table of an uninterrupted run."""
    out = tmp_path / "cut.csv"
    process = writing(out, *SMALL, "--workers", "2")
    threads = len(list(pathlib.Path(f"/proc/{process.pid}/task").iterdir()))
    # the main thread and two workers, no other process
    assert children(process.pid) == [] and threads >= 3
    process.kill()
    process.communicate(timeout=60)
    for pause in (0.4, 1.0, 1.7):  # kills at other moments: while loading, training, writing
        resumed = subprocess.Popen(command(*SMALL, "--out", out.name, "--resume", "--workers",
                                           "2"), cwd=tmp_path,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(pause)
        resumed.kill()
        _, stderr = resumed.communicate(timeout=60)
        assert "in use" not in stderr
    done = sweep(*SMALL, "--out", out.name, "--resume", "--workers", "2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == small[0]


@pytest.mark.parametrize("workers", ["1", "3"])
def test_the_table_is_the_same_whatever_the_number_of_workers(tmp_path, capsys, small, workers):
    """``small`` ran with the default, one worker per core; its 2,016 runs are 4 chunks (here in
    this process: the workers are threads)."""
    assert main(capsys, *SMALL, "--out", str(tmp_path / "r.csv"), "--workers", workers)[0] == 0
    assert ((tmp_path / "r.csv").read_bytes() == small[0]
            and (tmp_path / "r.csv.json").read_bytes() == small[1])


def test_a_sweep_uses_every_core_unless_told(capsys):
    assert hebblab.cli.machine_cores() >= 1
    with pytest.raises(SystemExit):
        hc.main(["sweep", "--help"])
    assert (f"(default: one per core, "
            f"here {hebblab.cli.machine_cores()})") in " ".join(capsys.readouterr().out.split())
    status, _, stderr = main(capsys, *TINY, "--workers", "257")
    assert status == 2 and "workers=257 is not allowed: an integer in [1, 256]" in stderr


def test_a_kill_while_the_settings_are_written_leaves_a_table_that_resumes_exactly(
        tmp_path, capsys, tiny, monkeypatch):
    """A fresh sweep removes the old settings file, empties the table, then writes its settings
    into a temporary file renamed over ``<out>.json``: stopped before the rename, it leaves no
    settings and no rows, which ``--resume`` completes exactly."""
    lines, sidecar, log = tiny
    out = tmp_path / "r.csv"
    out.write_bytes(b"".join(lines))
    # an old sweep's table and settings
    (tmp_path / "r.csv.json").write_bytes(other_settings(sidecar))

    def killed(*args):
        raise OSError("killed here")

    monkeypatch.setattr(hebblab.cli.os, "replace", killed)
    status, _, stderr = main(capsys, *TINY, "--out", str(out))
    assert status == 2 and "killed here" in stderr
    assert out.read_bytes() == b"" and not (tmp_path / "r.csv.json").exists()
    monkeypatch.undo()
    status, stdout, stderr = main(capsys, *TINY, "--out", str(out), "--resume")
    assert (status, stderr) == (0, "")
    assert (out.read_bytes() == b"".join(lines)
            and (tmp_path / "r.csv.json").read_bytes() == sidecar)
    # no temporary file left
    assert sorted(path.name for path in tmp_path.iterdir()) == ["r.csv", "r.csv.json"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
@pytest.mark.parametrize("fifo, problem", [
    ("r.csv.json", "r.csv.json: not a regular file but a FIFO (a named pipe)"),
    ("r.csv", "r.csv: a FIFO or a socket, not a file for a table"),
])
def test_a_fifo_for_the_table_or_its_settings_is_refused_without_waiting(tmp_path, tiny, fifo,
                                                                           problem):
    (tmp_path / "r.csv").write_bytes(b"".join(tiny[0][:5]))
    (tmp_path / "r.csv.json").write_bytes(tiny[1])
    (tmp_path / fifo).unlink()
    os.mkfifo(tmp_path / fifo)
    # it would wait for ever on the FIFO
    done = sweep(*TINY, "--out", "r.csv", "--resume", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (2, f"python -m hebb_core sweep: error: {problem}\n")


def edited(line, column, value):
    """``line`` of a table (bytes) with ``value`` in ``column``."""
    fields = next(csv.reader([line.decode()]))
    fields[hc.COLUMNS.index(column)] = value
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerow(fields)
    return text.getvalue().encode()


def other_settings(settings):
    return settings.replace(b'"max_epochs": 20', b'"max_epochs": 5')


@pytest.mark.parametrize("table, settings", [
    (lambda lines: lines[0], lambda settings: settings),
    (lambda lines: lines[0], lambda settings: None),
    (lambda lines: b"", lambda settings: settings),
    (lambda lines: b"", lambda settings: None),
    (lambda lines: b"".join(lines[:9]) + lines[9][:30], lambda settings: settings),
], ids=["only the header", "only the header, no settings file", "empty", "empty, no settings file",
        "a row cut short"])
def test_resume_completes_the_table(tmp_path, capsys, tiny, table, settings):
    lines, sidecar, log = tiny
    out = tmp_path / "r.csv"
    out.write_bytes(table(lines))
    if settings(sidecar) is not None:
        (tmp_path / "r.csv.json").write_bytes(settings(sidecar))
    status, stdout, stderr = main(capsys, *TINY, "--out", str(out), "--resume")
    assert (status, stderr) == (0, "")
    assert (out.read_bytes() == b"".join(lines)
            and (tmp_path / "r.csv.json").read_bytes() == sidecar)
    assert stdout == log.replace("Wrote 24 rows to full.csv", f"Wrote 24 rows to {out}")


def test_resume_completes_a_table_with_rows_missing_in_the_middle(tmp_path, capsys, tiny):
    lines, sidecar, log = tiny
    out = tmp_path / "r.csv"
    out.write_bytes(b"".join(lines[:5] + lines[9:15]))  # runs 0-3 and 8-13
    (tmp_path / "r.csv.json").write_bytes(sidecar)
    status, stdout, stderr = main(capsys, *TINY, "--out", str(out), "--resume")
    assert (status, stderr) == (0, "")
    assert stdout == log.replace("Wrote 24 rows to full.csv", f"Wrote 24 rows to {out}")
    resumed = out.read_bytes().splitlines(keepends=True)
    assert resumed != lines and resumed[0] == HEADER
    # each run once
    assert sorted(resumed[1:], key=lambda row: int(row.rsplit(b",", 1)[1])) == lines[1:]


@pytest.mark.parametrize("table, settings, problem", [
    (lambda lines: b"".join(lines[:8] + lines[4:6]), None,
     "{out}, line 9: run 3 again (first on line 5)"),
    (lambda lines: (b"".join(lines[:6]) + lines[6].rsplit(b",", 1)[0] + b"\n"
                    + b"".join(lines[7:9]) + lines[9][:30]),
     None, "{out}, line 7: 14 fields, not 15"),  # and a row cut short, which stays
    (lambda lines: b"".join(lines[:6]) + lines[6][:-1] + b",7\n", None,
     "{out}, line 7: 16 fields, not 15"),
    (lambda lines: b"".join(lines[:3]) + edited(lines[3], "run", "three"), None,
     "{out}, line 4: run='three' is not allowed: an integer in [0, 2^63 - 1]"),
    (lambda lines: b"".join(lines[:3]) + edited(lines[3], "converged", "maybe"), None,
     "{out}, line 4: converged='maybe' is not allowed: True or False"),
    (lambda lines: b"".join(lines[:3]) + edited(lines[3], "run", "99"), None,
     "{out}, line 4: run 99 with 1 E neurons and target [0, 2, 1] is not a run of this sweep"),
    (lambda lines: b"".join(lines[:2]) + edited(lines[2], "run", "7"), None,
     "{out}, line 3: run 7 with 1 E neurons and target [0, 1, 2] is not a run of this sweep"),
    (lambda lines: b"".join(lines[:3]) + edited(lines[3], "seed", "5"), None,
     "{out}, line 4: run 2 of seed 5, not of this sweep's seed 0"),
    (lambda lines: b"a,b\n1,2\n", None,
     "{out}, line 1: not the header of a sweep table: it begins 'a'"),
    (lambda lines: bytes(range(255, -1, -1)), None, "{out}, line 1: not UTF-8 text"),
    (lambda lines: b"".join(lines[:9]), lambda settings: b"[1, 2]",
     "{out}.json: not the settings of a sweep (a JSON object of its options)"),
    (lambda lines: b"".join(lines[:9]), lambda settings: b"max_epochs: 20",
     "{out}.json: not the settings of a sweep (Expecting value: line 1 column 1 (char 0))"),
    (lambda lines: b"".join(lines[:9]), lambda settings: None,
     "{out}.json is missing: the settings of the rows in {out} are unknown"),
    (lambda lines: b"", other_settings,
     "--max-epochs=20 is not allowed: the value {out} was started with, 5"),
    (lambda lines: lines[0], other_settings,
     "--max-epochs=20 is not allowed: the value {out} was started with, 5"),
], ids=["duplicated rows", "a field too few", "a field too many", "non-numeric run",
        "converged=maybe",
        "a run beyond the plan", "a run with another target", "a run of another seed",
        "another CSV", "binary garbage",
        "settings a JSON list", "settings not JSON", "settings missing", "empty, other settings",
        "only the header, other settings"])
def test_resume_refuses_a_table_it_cannot_complete_and_leaves_both_files(tmp_path, capsys, tiny,
                                                                          table, settings,
                                                                          problem):
    lines, sidecar, _ = tiny
    out = tmp_path / "r.csv"
    out.write_bytes(table(lines))
    settings = (settings or (lambda settings: settings))(sidecar)
    if settings is not None:
        (tmp_path / "r.csv.json").write_bytes(settings)
    before = out.read_bytes()
    status, stdout, stderr = main(capsys, *TINY, "--out", str(out), "--resume")
    assert (status, stdout) == (2, "")
    assert stderr == f"python -m hebb_core sweep: error: {problem.format(out=out)}\n"
    assert out.read_bytes() == before
    assert (tmp_path / "r.csv.json").read_bytes() == settings if settings is not None else \
        not (tmp_path / "r.csv.json").exists()


# ── Two sweeps on one table ──────────────────────────────────────────────────────────────────────


def test_a_second_sweep_on_the_same_table_is_refused_and_touches_neither_file(tmp_path, capsys):
    out = tmp_path / "r.csv"
    first = writing(out, "--neurons", "4", "--repeats", "100")
    settings = (tmp_path / "r.csv.json").read_bytes()
    for resume in [(), ("--resume",)]:  # the second here, in this process
        second = main(capsys, *TINY, "--out", str(out), *resume)
        assert first.poll() is None  # the first still runs
        assert second == (2, "", f"python -m hebb_core sweep: error: {out} is in use: another "
                                 f"sweep (process {first.pid}) is writing it\n")
    first.send_signal(signal.SIGINT)
    _, stderr = first.communicate(timeout=120)
    assert first.returncode == 130 and stderr.startswith("Interrupted: ")
    assert (tmp_path / "r.csv.json").read_bytes() == settings and b'"neurons": 4' in settings
    # one header, whole rows, each run once and in order: nothing of the second
    table = hc.read_results(out)
    assert table["run"].tolist() == list(range(int(stderr.split()[1])))


def test_without_fcntl_a_sweep_runs_unlocked(tmp_path, capsys, tiny, monkeypatch):
    """Where there is no ``fcntl`` (Windows), the sweep takes no lock and writes its table all the
    same, here while another holds the lock."""
    fcntl = pytest.importorskip("fcntl")
    monkeypatch.setattr(hebblab.cli, "fcntl", None)
    out = tmp_path / "r.csv"
    with open(out, "wb") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        status, _, stderr = main(capsys, *TINY, "--out", str(out))
    assert (status, stderr) == (0, "")
    assert out.read_bytes() == b"".join(tiny[0])


# ── The figures command ──────────────────────────────────────────────────────────────────────────


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
    """Through the parser, and called with its log: ``figures_command``'s ``out`` defaults to the
    ``sys.stdout`` of import time, which a test cannot capture, so the log is checked by passing
    ``out``."""
    monkeypatch.setattr(hebblab.cli, "course_figures",
                        lambda: iter([("gate.png", hc.plot_decision_line((1, 1), 1.5))]))
    folder = tmp_path / "figures"
    assert hc.main(["figures", "--out-dir", str(folder)]) == 0
    assert (folder / "gate.png").read_bytes().startswith(b"\x89PNG")
    (folder / "gate.png").unlink()
    log = io.StringIO()
    assert hc.figures_command(argparse.Namespace(out_dir=str(folder)), out=log) == 0
    assert (folder / "gate.png").read_bytes().startswith(b"\x89PNG")
    assert log.getvalue() == f"Wrote {folder / 'gate.png'}\n"
