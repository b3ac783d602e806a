"""The map explorer of notebook 07: every slider is safe at both ends, and the static figure is the default map."""

import math

import matplotlib
import numpy as np
import pytest

import hebb_core as hc

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def explorer():
    return hc.map_explorer()


def restore(explorer, name, value):
    """Put a slider back without redrawing (the next test draws anyway)."""
    explorer.holding = True
    try:
        explorer.sliders[name].value = value
    finally:
        explorer.holding = False


def test_sliders_are_explicit_and_redraw_only_on_release(explorer):
    assert list(explorer.sliders) == ["lateral_excitation", "lateral_inhibition", "presentations", "seed"]
    assert all(slider.continuous_update is False for slider in explorer.sliders.values())
    assert explorer.widget.children[1].layout.height == "420px"  # fixed output height: the page does not jump


def test_default_is_the_published_balance_and_forms_a_map(explorer):
    assert {name: slider.value for name, slider in explorer.sliders.items()} == hc.MAP_EXAMPLE
    assert explorer.last["correlation"] > 0.9
    assert explorer.figure is not None  # the static figure left for readers


@pytest.mark.parametrize("name", ["lateral_excitation", "lateral_inhibition", "presentations", "seed"])
def test_each_slider_is_safe_at_both_ends(explorer, name):
    slider = explorer.sliders[name]
    default = slider.value
    try:
        for end in (slider.min, slider.max):
            slider.value = end  # redraws through interactive_output
            drawn = explorer.last
            assert f"{end:g}" in drawn["text"]
            assert all(math.isfinite(drawn[key]) for key in ("correlation", "neighbour_distance",
                                                               "topographic_error"))
            assert np.isfinite(drawn["run"].s).all()
    finally:
        restore(explorer, name, default)


def test_no_inhibition_collapses_the_map(explorer):
    explorer.sliders["lateral_inhibition"].value = 0.0
    try:
        assert explorer.last["correlation"] < 0.1 and explorer.last["neighbour_distance"] < 0.1
    finally:
        restore(explorer, "lateral_inhibition", 1.0)
