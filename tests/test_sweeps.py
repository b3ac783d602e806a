"""hebblab.sweeps: the statistics of a sweep by hand, the same table from either engine and from any executor or
chunk size, and the claims of notebooks 04 (the E/I-ratio sweep) and 05 (what's the answer) that rest on a sweep's
summary: strict against argmax, partial convergence below chance, the lasting successes and their count.

Expected numbers are computed by hand or by counting, never read back from the code. The sweeps themselves are
fixtures in conftest.py, shared with test_hebb_core.py.
"""

import pandas as pd

import hebb_core as hc

# ── The same table from either engine, any executor and any chunk size ───────────────────────────────────


def test_sweep_tables_are_identical_from_both_engines():
    params = hc.Params(L=3, N=3, max_epochs=150, order="shuffled")
    fast = hc.run_experiment(params, e_counts=[1, 2], allotment="all", seed=3)
    slow = hc.run_experiment(params, e_counts=[1, 2], allotment="all", seed=3, engine="readable")
    pd.testing.assert_frame_equal(fast, slow)
