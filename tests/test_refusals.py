"""Calls that a careful tester found accepted, or refused blaming another argument than the wrong
one: each is now refused before any work, naming the argument, its value and what is allowed (the
command line's and the sweep table's cases are in test_cli.py and test_sweeps.py)."""

import numpy as np
import pytest

import hebb_core as hc
from hebblab.map_plots import plot_map_stages


def test_hebb_table_names_its_own_argument():
    with pytest.raises(ValueError, match=r"^w='abc' is not allowed: a number in \[-1, 1\]$"):
        hc.hebb_table("abc", 0.1)


@pytest.mark.parametrize("variant", ["workshop", "feedback", "dual edges"])
def test_k_is_refused_for_a_variant_without_k_wta(variant):
    with pytest.raises(ValueError,
                       match=rf"^k='bogus' is not allowed: None for the variant '{variant}'"):
        hc.variant_params(variant, k="bogus")
    assert hc.variant_params("k-WTA", k=3).k == 3 and hc.variant_params(variant).k is None


def test_willshaw_net_blames_a_size_that_is_not_an_integer():
    with pytest.raises(ValueError, match=r"^N_A=2.5 is not allowed: an integer >= 1$"):
        hc.willshaw_net(N_A=2.5, N_B=10, M_A=3, M_B=2, R=3, rng=np.random.default_rng(0))


def test_a_map_stage_beyond_the_run_is_refused_not_drawn_as_the_last():
    run = hc.train_map(hc.MapParams(presentations=200), record_every=100)
    with pytest.raises(ValueError, match=r"^stages=\[1000000\] is not allowed: numbers in \[0, "
                                         r"200\], this run's "):
        plot_map_stages(run, [10**6])
    assert plot_map_stages(run, [100, 200]) is not None


def test_initial_map_weights_that_could_be_negative_are_refused_and_every_legal_map_is_measured():
    """map_quality measures maps of weights >= 0: the initial spread is bounded so that no weight
    starts negative, and a map trained with the widest spread allowed is measured."""
    with pytest.raises(ValueError, match=r"^s_sd=1000.0 is not allowed: a number in \[0, s_mean / "
                                         r"8 = 0.3125\]"):
        hc.MapParams(s_sd=1e3)
    run = hc.train_map(hc.MapParams(s_sd=2.5 / 8, presentations=100))
    assert run.s.min() >= 0 and set(hc.map_quality(run.s,
                                                   6)) == {"correlation", "neighbour_distance",
                                                                   "topographic_error"}
