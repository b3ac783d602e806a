"""hebblab.sweeps: the statistics of a sweep by hand, the same table from either engine and from
any executor or chunk size, and the claims of notebooks 04 (the E/I-ratio sweep) and 05 (what's the
answer) that rest on a sweep's summary: strict against argmax, partial convergence against each
read-out's own chance, the lasting successes and their count; a chunk of runs drawn at once holds
what draw_run draws for each run alone, and the command line's CSV text is pandas'; a table reads
back as it was written, and a malformed one is refused with the file, the line and what is wrong.

Expected numbers are computed by hand or by counting, never read back from the code. The sweeps
themselves are fixtures in conftest.py, shared with test_hebb_core.py.
"""

import csv
import io
import itertools
import json
import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd
import pytest

import hebb_core as hc
from hebblab.sweeps import csv_chunk, draw_runs, run_chunk

PARAMS = hc.Params(L=3, N=3, max_epochs=400, order="shuffled")


# ── Statistics ───────────────────────────────────────────────────────────────────────────────────


def test_wilson_interval_by_hand():
    # textbook values (e.g. Brown, Cai & DasGupta 2001): 0 of 10 → [0, 0.2775], 1 of 10 → [0.0179,
    # 0.4042], 5 of 10 → [0.2366, 0.7634]
    for (k, n), (low, high) in {(0, 10): (0.0, 0.2775), (1, 10): (0.0179, 0.4042),
                                (5, 10): (0.2366, 0.7634), (10, 10): (0.7225, 1.0)}.items():
        assert hc.wilson_interval(k, n) == pytest.approx((low, high), abs=5e-5)
    # 0 of 6 (the workshop's count): z² = 3.8415, centre = (z²/12)/(1 + z²/6) = 0.19517 =
    # half-width → [0, 0.3903]
    assert hc.wilson_interval(0, 6) == pytest.approx((0.0, 0.3903), abs=5e-5)
    # exact ends, no rounding
    assert hc.wilson_interval(0, 6)[0] == 0.0 and hc.wilson_interval(6, 6)[1] == 1.0
    low, high = hc.wilson_interval(np.array([0, 5, 3]), np.array([0, 10, 6]))
    # 0 runs: the whole of [0, 1]
    np.testing.assert_allclose(low, [0.0, 0.2366, 0.1876], atol=5e-5)
    np.testing.assert_allclose(high, [1.0, 0.7634, 0.8124], atol=5e-5)
    assert hc.wilson_interval(5, 10, confidence=0.99)[0] < 0.2366  # wider at 99%


def test_excitatory_neurons_by_layer():
    assert hc.excitatory_by_layer("EII|IEI") == (1, 1)
    assert hc.excitatory_by_layer("IIII|EEIE|IEII") == (0, 4)
    assert hc.excitatory_by_layer("EIE") == (2, 0)  # L = 2: no hidden layer
    table = pd.DataFrame({"allotment": ["EII|IEI", "III|EEE", "EEE|III"]})
    counts = hc.layer_counts(table)
    assert counts[["excitatory_input", "excitatory_hidden",
                   "inhibitory_hidden"]].values.tolist() == \
        [[1, 1, 2], [0, 3, 0], [3, 0, 3]]
    assert "excitatory_input" not in table  # a copy


def test_summary_of_a_sweep_by_hand(tiny_sweep):
    table = tiny_sweep
    summary = hc.summarise_sweep(table)
    assert summary["runs"].tolist() == [3, 2] and summary["successes"].tolist() == [1, 0]
    np.testing.assert_allclose(summary["rate"], [1 / 3, 0])
    np.testing.assert_allclose(summary["recall_fraction"], [0.5, 0.375])
    assert summary["median_epochs"].iloc[0] == 40 and np.isnan(summary["median_epochs"].iloc[1])
    assert (summary["low"].iloc[0], summary["high"].iloc[0]) == hc.wilson_interval(1, 3)
    assert (summary["recall_low"].iloc[1],
            summary["recall_high"].iloc[1]) == hc.wilson_interval(0.75, 2)
    shown = hc.format_summary(summary)
    assert shown["converged"].tolist() == ["1 of 3", "0 of 2"]
    assert shown["excitatory_value"].tolist() == ["0.250", "0.500"]
    # 0 of 2: Wilson's upper end 0.658
    assert shown["rate [95% interval]"].iloc[1] == "0.0% [0.0%, 65.8%]"


# ── The same table from either engine, any executor and any chunk size ───────────────────────────


def test_sweep_tables_are_identical_from_both_engines():
    """The table of ``engine="readable"`` is the batched engine's (that their runs agree to the
    last bit is test_kernels.py's): 36 runs, two of which converge (at epochs 80 and 95)."""
    params = hc.Params(L=3, N=3, max_epochs=100, order="shuffled")
    fast = hc.run_experiment(params, e_counts=[1], allotment="all", seed=3)
    slow = hc.run_experiment(params, e_counts=[1], allotment="all", seed=3, engine="readable")
    assert len(fast) == 36 and fast.converged.sum() == 2
    pd.testing.assert_frame_equal(fast, slow)


@pytest.fixture(scope="module")
def reference():
    return hc.run_experiment(PARAMS, repeats=4, seed=11)


def test_a_process_pool_gives_the_same_table(reference):
    with ProcessPoolExecutor(2) as pool:
        table = hc.run_experiment(PARAMS, repeats=4, seed=11, executor=pool, chunk_size=7)
    pd.testing.assert_frame_equal(table, reference)


def test_chunk_size_does_not_change_the_table(reference):
    pd.testing.assert_frame_equal(hc.run_experiment(PARAMS, repeats=4, seed=11,
                                                    chunk_size=1), reference)


def test_a_dask_cluster_on_loopback_gives_the_same_table(reference):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        table = hc.run_experiment(PARAMS, repeats=4, seed=11, executor=client.get_executor(),
                                  chunk_size=9)
    pd.testing.assert_frame_equal(table, reference)


class CountingExecutor:
    """An executor that runs each task when submitted and counts the chunks in flight (submitted,
    their result not yet taken) at most."""

    def __init__(self):
        self.in_flight = self.most = 0

    def submit(self, task, *arguments):
        from concurrent.futures import Future

        executor, future = self, Future()
        future.set_result(task(*arguments))
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        taken = future.result

        def result():
            executor.in_flight -= 1
            return taken()
        future.result = result
        return future


@pytest.mark.parametrize("workers", [1, 3])
def test_the_chunks_in_flight_are_twice_the_workers_the_caller_gives(workers):
    params = hc.Params(L=3, N=3, max_epochs=20)
    plan = hc.plan_experiment(params)
    executor = CountingExecutor()
    rows = [rows for _, rows in hc.map_chunks(params, plan, chunk_size=1, executor=executor,
                                              workers=workers)]
    assert len(rows) == 30 and executor.most == 2 * workers and executor.in_flight == 0


def test_the_sweep_comes_in_chunks_of_one_ratio_each():
    params = hc.Params(L=3, N=3, max_epochs=50)
    chunks = list(hc.iter_experiment(params, chunk_size=4, seed=2))
    assert [(ratio[2], len(rows)) for ratio,
            rows in chunks] == [(e, n) for e in range(1, 6) for n in (4, 2)]
    assert all((rows["excitatory_count"] == ratio[2]).all() for ratio, rows in chunks)
    whole = pd.concat([rows for _, rows in chunks], ignore_index=True)
    pd.testing.assert_frame_equal(whole, hc.run_experiment(params, seed=2))


def test_a_resumed_sweep_trains_only_the_runs_not_done_and_gets_the_same_rows():
    params = hc.Params(L=3, N=3, max_epochs=50, order="shuffled")
    plan = hc.plan_experiment(params, repeats=2)
    full = pd.concat([rows for _, rows in hc.map_chunks(params, plan, seed=4)], ignore_index=True)
    rest = pd.concat([rows for _,
                      rows in hc.map_chunks(params, plan, seed=4, skip=range(0, 60, 3))],
                     ignore_index=True)
    assert rest["run"].tolist() == [run for run in range(60) if run % 3]
    pd.testing.assert_frame_equal(rest, full[full["run"] % 3 != 0].reset_index(drop=True))


def test_a_variant_sweep_counts_the_hidden_codes():
    """No hidden layer: the N one-hot inputs are N codes. One hidden layer of 0/1 units: the codes
    counted by hand from the recalled states, and "unique" exactly when there are N of them."""
    flat = hc.variant_experiment(hc.VariantParams(L=2, N=3, activation="binary"))
    assert (flat["distinct_codes"] == 3).all() and flat["codes_unique"].all()
    assert flat["mean_active"].isna().all()
    params = hc.VariantParams(L=3, N=3, activation="binary", max_epochs=30)
    table = hc.variant_experiment(params, seed=1)
    runs = [r for _, group in hc.plan_experiment(params) for r in group]
    types, result = hc.train_planned(params, runs, seed=1)
    # (runs, inputs, units)
    hidden = hc.recall_batch(result.weights, params, result.thresholds)[0][0]
    assert table["distinct_codes"].tolist() == [len({tuple(code) for code in run})
                                                for run in hidden]
    np.testing.assert_array_equal(table["mean_active"], hidden.sum(axis=-1).mean(axis=-1))
    assert (table["codes_unique"] == (table["distinct_codes"] == 3)).all()
    pd.testing.assert_frame_equal(table[hc.COLUMNS], hc.run_experiment(params, seed=1))


# ── Bad arguments are refused at the call, before any run is drawn ───────────────────────────────


def test_a_planned_run_that_does_not_fit_the_network_is_refused_naming_it():
    params = hc.Params(max_epochs=50)
    runs = [hc.PlannedRun(0, 1, (0, 1, 2)), hc.PlannedRun(1, 7, (0, 1, 2)),
            hc.PlannedRun(2, 1, (0, 1, 2, 3))]
    with pytest.raises(ValueError, match=r"^runs\[1\].excitatory_count=7 is not allowed: an "
                                         r"integer in \[0, 6\]"):
        hc.train_planned(params, runs, seed=0)
    with pytest.raises(ValueError,
                       match=r"^runs\[2\].mapping=\(0, 1, 2, 3\) .*a permutation of range\(3\)"):
        draw_runs(params, [runs[0], runs[0], runs[2]], seed=0)
    with pytest.raises(ValueError, match=r"^planned.excitatory_count=7 is not allowed: an "
                                         r"integer in \[0, 6\]"):
        hc.draw_run(params, runs[1], seed=0)
    with pytest.raises(ValueError, match=r"^mapping=\(0, 0, 1\) .*a permutation of range\(N\)"):
        hc.PlannedRun(2, 1, (0, 0, 1))  # a record checks itself when made
    # one checker: a run number is a run number, drawn alone or not
    big = hc.PlannedRun(6_000_000, 1, (0, 1, 2))
    assert [W.tolist() for W in hc.draw_run(params, big, seed=0)[1]] == \
        [W[0].tolist() for W in draw_runs(params, [big], seed=0)[1]]
    with pytest.raises(ValueError, match=r"^runs=\[\] .*a list of 1 to 5,000,000 PlannedRun"):
        run_chunk(params, [], seed=0)


def test_a_sweep_refuses_its_bad_arguments_when_called_not_at_its_first_chunk():
    params = hc.Params(max_epochs=50)
    plan = hc.plan_experiment(params)
    with pytest.raises(ValueError, match=rf"^chunk_size=10000000 .*\[1, {hc.MAX_RUNS}\]"):
        hc.map_chunks(params, plan, chunk_size=10**7)
    with pytest.raises(ValueError, match=r"^seed=-1 .*\[0, 9223372036854775807\]"):
        hc.iter_experiment(params, seed=-1)
    with pytest.raises(ValueError, match=r"^skip='0, 1' .*run numbers"):
        hc.map_chunks(params, plan, skip="0, 1")
    with pytest.raises(ValueError, match=r"^plan=.*\(ratio, runs\) pairs"):
        hc.map_chunks(params, plan[0])


def test_a_summary_names_the_columns_it_can_group_by(tiny_sweep):
    with pytest.raises(ValueError,
                       match=r"^by=\['excitatory_input'\] .*one of \['excitatory_value'"):
        hc.summarise_sweep(tiny_sweep, by="excitatory_input")  # needs layer_counts first
    with pytest.raises(ValueError,
                       match=r"^outcome='convergd' is not allowed: a column of the table"):
        hc.summarise_sweep(tiny_sweep, outcome="convergd")
    with pytest.raises(ValueError, match=r"^confidence=1 is not allowed: a number in \(0, 1\)"):
        hc.summarise_sweep(tiny_sweep, confidence=1)
    with pytest.raises(ValueError, match=r"^allotment='EIX\|III' .*letters E and I"):
        hc.layer_counts(tiny_sweep.assign(allotment="EIX|III"))


# ── Notebook 04: the workshop's counts and the proper sweeps ─────────────────────────────────────


def test_the_lowest_ratio_converges_most_and_the_highest_never(sweep3):
    summary = hc.summarise_sweep(sweep3, by="excitatory_count").set_index("excitatory_count")
    assert summary.loc[1, "low"] > 0.02  # clearly above zero at 1E/5I
    assert (summary.loc[2:4, "rate"] < 0.01).all()  # a fraction of a percent at the others
    assert summary.loc[5, "successes"] == 0
    assert summary.loc[1, "low"] > summary.loc[2:5, "high"].min()


def test_partial_convergence_against_each_read_outs_own_chance(sweep3, sweep4, sweep5, every3):
    """Strict recall is compared with its own chance 2^-N (a random output layer shows exactly the
    target), not with 1/N: not below it at the lowest ratio, clearly above it there for N = 3, and
    nothing at the highest ratio. The argmax read-out of the same draws is compared with 1/N: its
    mean is above 1/N at most ratios."""
    for table, N in [(sweep3, 3), (every3["strict"], 3), (sweep4, 4), (sweep5, 5)]:
        summary = hc.summarise_sweep(table)
        chance = hc.chance_recall(N, "strict")
        # the lowest ratio: not below chance
        assert summary["recall_high"].iloc[0] > chance, summary
        assert summary["recall_high"].iloc[-1] < chance, summary  # the highest ratio: below it
        # P - 1 excitatory neurons
        highest = table["excitatory_count"] == table["excitatory_count"].max()
        assert (table.loc[highest, "recall_fraction"] == 0).all()
    # 1E/5I: above chance
    assert hc.summarise_sweep(sweep3)["recall_low"].iloc[0] > hc.chance_recall(3, "strict")
    argmax = hc.summarise_sweep(every3["argmax"])
    assert (argmax["recall_fraction"] > hc.chance_recall(3, "argmax")).sum() >= 3
    assert (argmax["recall_low"] > hc.chance_recall(3, "argmax")).any()


def test_only_networks_without_an_excitatory_input_neuron_converge_at_four_neurons(sweep4):
    assert sweep4["converged"].sum() > 0
    assert (sweep4.loc[sweep4.converged, "excitatory_input"] == 0).all()


def test_an_excitatory_input_neuron_always_has_the_code_all_plus_one(every3):
    params = hc.Params(L=3, N=3, stop_at_convergence=False)
    runs = [r for _, group in hc.plan_experiment(params, e_counts=range(1, 6), allotment="all",
                                                 mappings=[(2, 0, 1)]) for r in group]
    types, result = hc.train_planned(params, runs, seed=0, history=True)
    hidden = result.history["hidden"][0]  # (runs, epochs, inputs, hidden neurons)
    excitatory = types[:, :3] > 0
    assert excitatory.any()
    # every epoch, every hidden neuron
    assert (hidden.transpose(0, 2, 1, 3)[excitatory] == 1).all()


def test_argmax_changes_the_shape_across_ratios(every3):
    by = {readout: hc.summarise_sweep(table).set_index("excitatory_value") for readout,
          table in every3.items()}
    middle = 0.5
    # no longer near zero
    assert by["argmax"].loc[middle, "low"] > by["strict"].loc[middle, "high"]


# ── Notebook 05: the lasting successes ───────────────────────────────────────────────────────────


def test_lasting_successes_need_no_e_input_and_a_net_inhibitory_hidden_layer(sweep3):
    lasting = sweep3[sweep3.lasting]
    assert len(lasting) > 10
    assert (lasting["excitatory_input"] == 0).all()
    assert (lasting["inhibitory_hidden"] > lasting["excitatory_hidden"]).all()
    lost = sweep3[sweep3.converged & ~sweep3.lasting]
    # transient: before the inhibitory weights cross zero
    assert (lost["epochs_to_convergence"] <= 10).all()


def test_counting_random_hidden_codes_predicts_the_lasting_rate(sweep3):
    """E_in = 0, one E and two I hidden neurons: the targets fire (field = A·(I_h - E_h) > 0); a
    non-target output o = pi(j) stays silent at recall of i exactly when Σ_k type(k) h_k(i) h_k(j)
    > 0. Over random codes h, that holds for every pair in 48 of the 2^9 = 512 code triples."""
    hidden_type = np.array([1, -1, -1])
    codes = list(itertools.product((1, -1), repeat=3))
    good = 0
    for h in itertools.product(codes, repeat=3):
        h = np.array(h)
        overlap = (h * hidden_type) @ h.T  # Σ_k type(k) h_k(i) h_k(j)
        good += bool((overlap[~np.eye(3, dtype=bool)] > 0).all())
    assert good == 48
    group = sweep3[(sweep3.excitatory_input == 0) & (sweep3.excitatory_hidden == 1)]
    low, high = hc.wilson_interval(group["lasting"].sum(), len(group))
    assert low <= good / 512 <= high


# ── A chunk of runs drawn at once, and its CSV text ──────────────────────────────────────────────

CHUNKS = {  # parameters and the plan's arguments: every branch of the draw
    "random allotments": (hc.Params(L=3, N=4), {"repeats": 3}),
    "every allotment, shuffled": (hc.Params(L=3, N=3, order="shuffled", dale=True),
                                  {"allotment": "all"}),
    "hidden width, first allotment": (hc.Params(L=4, N=3, M=5, max_epochs=40),
                                      {"allotment": "first", "repeats": 2}),
    "no rounding": (hc.Params(L=2, N=3, w_min=0.013, w_max=0.37, decimals=None), {"repeats": 2}),
    "from 0, rounded to 0 or 1": (hc.Params(L=2, N=3, w_min=0, w_max=1, decimals=0),
                                  {"repeats": 2}),
    "one magnitude, rounded to 0": (hc.Params(L=3, N=2, w_min=0.05, w_max=0.05, decimals=0),
                                    {"repeats": 2}),
    "dual edges": (hc.variant_params("dual edges", N=3, M=4, max_epochs=30), {"repeats": 2}),
    "argmax, converging": (hc.Params(L=4, N=3, M=4, readout="argmax"), {"repeats": 2}),
}


def planned_runs(name):
    params, plan_args = CHUNKS[name]
    return params, [r for _, group in hc.plan_experiment(params, **plan_args) for r in group]


@pytest.mark.parametrize("name", CHUNKS)
@pytest.mark.parametrize("seed", [0, 11])
def test_chunk_draw_is_every_run_drawn_alone(name, seed):
    params, runs = planned_runs(name)
    types, weights, orders = draw_runs(params, runs, seed)
    assert types.shape == (len(runs), params.P) and len(weights) == len(params.weight_keys)
    assert (orders is None) == (params.order == "fixed")
    for b, planned in enumerate(runs):
        alone_types, alone_weights, alone_orders = hc.draw_run(params, planned, seed)
        assert types[b].tobytes() == alone_types.tobytes()
        for W, alone in zip(weights, alone_weights, strict=True):
            # the same bits, -0.0 included
            assert W[b].dtype == alone.dtype and W[b].tobytes() == alone.tobytes()
        if orders is not None:
            assert orders[b].dtype == alone_orders.dtype
            assert np.array_equal(orders[b], alone_orders)


def test_chunk_draw_does_not_depend_on_the_chunk():
    params, runs = planned_runs("random allotments")
    whole = draw_runs(params, runs, 3)
    parts = [draw_runs(params, runs[start:start + 7], 3) for start in range(0, len(runs), 7)]
    assert np.array_equal(whole[0], np.concatenate([part[0] for part in parts]))
    for layer, W in enumerate(whole[1]):
        assert np.array_equal(W, np.concatenate([part[1][layer] for part in parts]))


@pytest.mark.parametrize("name",
                         ["random allotments", "every allotment, shuffled", "argmax, converging"])
def test_csv_chunk_writes_the_rows_as_pandas_does(name):
    params, runs = planned_runs(name)
    table = run_chunk(params, runs, 5)
    count, converged, text = csv_chunk(params, runs, 5)
    assert (count, converged) == (len(runs), int(table["converged"].sum()))
    assert 0 < table["weights_settled_epoch"].isna().sum() < count  # empty fields and numbers
    assert text == table.to_csv(index=False, header=False, lineterminator="\n")
    if name == "argmax, converging":  # converged weights: JSON text in quotes
        assert converged == 7 and text.count('"{""0-1"": [[') == converged


# ── Reading a table back ─────────────────────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def table():
    """60 runs, 3 of them converged (their weights as JSON), 7 whose weights settled."""
    table = hc.run_experiment(hc.Params(L=4, N=3, M=4, readout="argmax"))
    assert table["converged"].sum() == 3 and table["weights_settled_epoch"].notna().sum() == 7
    return table


def written(table, path, edit=lambda rows: None):
    """Write ``table`` to ``path`` as the command line does, after ``edit(rows)`` on its rows of
    fields (the header first, so line ``n`` of the file is ``rows[n - 1]``); returns ``path``."""
    rows = list(csv.reader(io.StringIO(table.to_csv(index=False, lineterminator="\n"))))
    edit(rows)
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    path.write_text(text.getvalue(), encoding="utf-8")
    return path


def test_a_table_reads_back_as_it_was_written(table, tmp_path):
    back = hc.read_results(written(table, tmp_path / "t.csv"))
    assert back["target_mapping"].iloc[1] == [0, 2,
                                              1] and back["weights_settled_epoch"].dtype == "Int64"
    expected = table.assign(target_mapping=[json.loads(m) for m in table["target_mapping"]])
    pd.testing.assert_frame_equal(back, expected, check_exact=True)


def test_a_table_of_only_its_header_reads_as_an_empty_table_of_the_same_columns(table, tmp_path):
    empty = hc.read_results(written(table, tmp_path / "t.csv",
                                    lambda rows: rows.__delitem__(slice(1, None))))
    full = hc.read_results(written(table, tmp_path / "all.csv"))
    assert len(empty) == 0 and empty.dtypes.to_dict() == full.dtypes.to_dict()


def field(line, column, value):
    """An edit of :func:`written`: ``value`` in ``column`` on ``line``."""
    def edit(rows):
        rows[line - 1][hc.COLUMNS.index(column)] = value
    return edit


#: Edits that break a table, and the problem each is refused with (after the file's name).
MALFORMED_TABLES = [
    (lambda rows: [row.pop() for row in rows],
     "line 1: not the header of a sweep table: missing column run"),
    (lambda rows: [row.append("x") for row in rows],
     "line 1: not the header of a sweep table: unknown column 'x'"),
    (lambda rows: rows[0].reverse(),
     "line 1: not the header of a sweep table: the columns excitatory_value, "
     f"{', '.join(hc.COLUMNS[1:])} in this order, once each"),
    (lambda rows: rows[4].pop(), "line 5: 14 fields, not 15"),
    (lambda rows: rows[4].append("7"), "line 5: 16 fields, not 15"),
    (lambda rows: rows.insert(3, []), "line 4: 0 fields, not 15"),  # a blank line
    (field(3, "target_mapping", "[0, 2, 1"),
     "line 3: target_mapping='[0, 2, 1' is not allowed: a JSON list of "
     "1 to 256 integers >= 0 such as [0, 2, 1]"),
    (field(3, "target_mapping", '["0", 2, 1]'),
     "line 3: target_mapping='[\"0\", 2, 1]' is not allowed: a JSON "
     "list of 1 to 256 integers >= 0 such as [0, 2, 1]"),
    (field(12, "converged", "maybe"), "line 12: converged='maybe' is not allowed: True or False"),
    (field(12, "converged_weights", '{"0-1": [[0.1,'),
     "line 12: converged_weights='{\"0-1\": [[0.1,' is not "
     "allowed: empty or a JSON object"),
    (field(7, "run", "six"), "line 7: run='six' is not allowed: an integer in [0, 2^63 - 1]"),
    (field(7, "run", "-5"), "line 7: run='-5' is not allowed: an integer in [0, 2^63 - 1]"),
    (field(7, "epochs_to_convergence", "12.5"),
     "line 7: epochs_to_convergence='12.5' is not allowed: an integer "
     "in [0, 2^63 - 1]"),
    (field(9, "recall_fraction", "nan"),
     "line 9: recall_fraction='nan' is not allowed: a number in [0, 1]"),
    (field(9, "excitatory_value", "1.5"),
     "line 9: excitatory_value='1.5' is not allowed: a number in [0, 1]"),
    (field(9, "allotment", "EXI|III"),
     "line 9: allotment='EXI|III' is not allowed: letters E and I, a | between "
     "layers, such as EII|IEI"),
    (field(9, "weights_settled_epoch", "soon"),
     "line 9: weights_settled_epoch='soon' is not allowed: empty or an "
     "integer in [0, 2^63 - 1]"),
    (field(9, "unique", "1"), "line 9: unique='1' is not allowed: True or False"),
    (field(9, "allotment", "X" * 100),
     f"line 9: allotment='{'X' * 40}…' is not allowed: letters E and I, a | "
     "between layers, such as EII|IEI"),  # a long field is cut in the message
]
MALFORMED_TABLE_IDS = [
    "missing column", "extra column", "columns in another order", "a field too few",
    "a field too many", "blank line", "bad mapping JSON", "mapping of strings", "converged=maybe",
    "bad weights JSON", "non-integer run", "negative run", "fractional epochs", "NaN fraction",
    "ratio above 1", "bad allotment", "non-integer settled epoch", "non-boolean unique",
    "long field"]


@pytest.mark.parametrize("content, problem", [
    (b"", ": an empty file, not a sweep table (no header)"),
    (bytes(range(255, -1, -1)) * 4, ", line 1: not UTF-8 text"),  # binary garbage
    (bytes(range(128)), r", line 1: not the header of a sweep table: it begins '\x00"
                        # ASCII garbage, cut at its first line break
                        r"\x01\x02\x03\x04\x05\x06\x07\x08\t'"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ", line 1: not UTF-8 text"),
    (b"excitatory_value\rinhibitory_value\n", ", line 1: not CSV text"),  # a lone carriage return
])
def test_a_file_that_is_not_a_table_is_refused_naming_it(tmp_path, content, problem):
    path = tmp_path / "t.csv"
    path.write_bytes(content)
    with pytest.raises(ValueError) as error:
        hc.read_results(path)
    assert str(error.value) == f"{path}{problem}"


def test_bytes_that_are_not_text_in_a_row_are_refused_naming_the_line(table, tmp_path):
    path = written(table, tmp_path / "t.csv")
    lines = path.read_bytes().split(b"\n")
    lines[5] = b"\xff\xfe" + lines[5]
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(ValueError) as error:
        hc.read_results(path)
    assert str(error.value) == f"{path}, line 6: not UTF-8 text"


def test_the_readmes_counts_first_success_and_kept_to_the_end():
    """The README's (and notebook 07's) numbers: notebook 05's 6000 networks, L = 3, N = 3, trained
    to epoch 2000. Learnt at some epoch (the workshop's criterion) and still recalled at epoch 2000
    are different counts."""
    from pathlib import Path

    table = hc.run_experiment(hc.Params(L=3, N=3, stop_at_convergence=False), repeats=200, seed=0)
    by_e = table.assign(kept=table.converged & (table.recall_fraction == 1)) \
                .groupby("excitatory_count")
    learnt, kept = by_e["converged"].sum().tolist(), by_e["kept"].sum().tolist()
    assert by_e.size().tolist() == [1200] * 5 and learnt == [64, 1, 4, 2,
                                                             0] and kept == [63, 0, 0, 0, 0]
    lost = table[table.converged & (table.recall_fraction < 1)]
    assert len(lost) == 8 and sorted(set(lost.epochs_to_convergence)) == [4, 5, 6, 7, 8]
    root = Path(__file__).resolve().parent.parent
    readme = " ".join((root / "README.md").read_text(encoding="utf-8").split())
    assert "64, 1, 4, 2 and 0 of 1200 runs learn the map at some epoch" in readme
    assert ("63, 0, 0, 0 and 0 still recall it at epoch 2000, every one without an "
            "excitatory input neuron; the other 8 learnt it and lost it (in this draw at "
            "epochs 4–8") in readme
    maps = (root / "notebooks" / "07_topographic_maps.ipynb").read_text(encoding="utf-8")
    assert ("converged = {1: 64, 2: 1, 3: "
            "4, 4: 2, 5: 0}") in maps and "kept = {1: 63, 2: 0, 3: 0, 4: 0, 5: 0}" in maps


def test_a_row_cut_anywhere_is_refused_naming_its_line(table, tmp_path):
    """A table cut by a kill or a full disk ends without its line break: cut in the run number (run
    17 of 176, say), it would otherwise read as another whole row."""
    full = written(table, tmp_path / "t.csv").read_bytes()
    last = full.rindex(b"\n", 0, len(full) - 1) + 1
    # every position in the last row, its run number included
    for cut in range(last + 1, len(full)):
        path = tmp_path / "cut.csv"
        path.write_bytes(full[:cut])
        with pytest.raises(ValueError) as error:
            hc.read_results(path)
        assert str(error.value).startswith(f"{path}, line {len(table) + 1}: a row cut short (no "
                                           f"line break at its "
                                           "end), as a sweep stopped while writing leaves it")


#: Rows whose fields disagree with each other, and the problem each is refused with.
DISAGREEING_ROWS = [
    (field(3, "target_mapping", "[0, 0, 1]"),
     "line 3: target_mapping='[0, 0, 1]' is not allowed: a permutation of "
     "range(3): the network of allotment 'III|IIIE|IIII' has 3 outputs"),
    (field(3, "target_mapping", "[0, 1, 2, 3]"),
     "line 3: target_mapping='[0, 1, 2, 3]' is not allowed: a "
     "permutation of range(3): the network of allotment 'III|IIIE|IIII' "
     "has 3 outputs"),
    (field(3, "target_mapping", str(list(range(10**6)))),
     "line 3: target_mapping='[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 1…' is not allowed: "
     "a JSON list of 1 to 256 integers >= 0 such as [0, 2, 1]"),
    (field(4, "excitatory_count", "2"),
     "line 4: excitatory_count='2' is not allowed: the 1 E of allotment "
     "'III|EIII|IIII'"),
    (field(4, "inhibitory_count", "9"),
     "line 4: inhibitory_count='9' is not allowed: the 10 I of allotment "
     "'III|EIII|IIII'"),
    (field(5, "allotment", "III|IIII|IIII"),
     "line 5: excitatory_count='1' is not allowed: the 0 E of allotment "
     "'III|IIII|IIII'"),
    (field(4, "excitatory_value", "0.5"),
     "line 4: excitatory_value='0.5' is not allowed: excitatory_count / typed "
     "neurons = 1/11"),
    (field(5, "converged", "True"),
     "line 5: converged_weights='' is not allowed: the final weights (a JSON object) "
     "where converged is True, else empty"),
    (field(6, "run", "9" * 19),
     f"line 6: run='{'9' * 19}' is not allowed: an integer in [0, 2^63 - 1]"),
]
DISAGREEING_ROW_IDS = [
    "not a permutation", "more targets than outputs", "a million targets", "E count", "I count",
    "allotment against the counts", "E share", "converged without weights", "run beyond int64"]


@pytest.mark.parametrize("edit, problem", MALFORMED_TABLES + DISAGREEING_ROWS,
                         ids=MALFORMED_TABLE_IDS + DISAGREEING_ROW_IDS)
def test_a_malformed_table_is_refused_naming_the_file_the_line_and_the_problem(table, tmp_path,
                                                                               edit, problem):
    path = written(table, tmp_path / "t.csv", edit)
    with pytest.raises(ValueError) as error:
        hc.read_results(path)
    assert str(error.value) == f"{path}, {problem}"


def test_a_table_saved_by_a_spreadsheet_reads_the_same(table, tmp_path):
    """UTF-8 with a byte-order mark and CRLF line ends, as Excel saves a CSV file."""
    text = written(table, tmp_path / "t.csv").read_bytes()
    (tmp_path / "excel.csv").write_bytes(b"\xef\xbb\xbf" + text.replace(b"\n", b"\r\n"))
    pd.testing.assert_frame_equal(hc.read_results(tmp_path / "excel.csv"),
                                  hc.read_results(tmp_path / "t.csv"), check_exact=True)


def test_read_results_refuses_what_is_not_a_path_and_never_reads_standard_input(monkeypatch):
    monkeypatch.setattr("sys.stdin", None)
    for value in (987, 0, True, None, b"t.csv", ""):
        with pytest.raises(TypeError, match=r"path=.* is not allowed: the path of a file \(a str "
                                            r"or os.PathLike\)"):
            hc.read_results(value)


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not os.path.exists("/dev/zero"),
                    reason="FIFOs and /dev/zero")
def test_read_results_refuses_a_fifo_a_device_or_a_folder_without_waiting(tmp_path):
    """In a process of its own, so that a wait would be seen (its time limit), not hang the
    tests."""
    os.mkfifo(tmp_path / "fifo.csv")
    (tmp_path / "zero.csv").symlink_to("/dev/zero")
    code = ("import hebb_core\nfor path in ['fifo.csv', 'zero.csv', '.']:\n    try:\n        "
            "hebb_core.read_results(path)\n    except ValueError as error:\n        print(error)")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert done.stdout.splitlines() == ["fifo.csv: not a regular file but a FIFO (a named pipe)",
                                        "zero.csv: not a regular file but a character device",
                                        ".: not a regular file but a folder"]
