"""The explorers of notebooks 01-03: every slider, at both ends of its range, draws what it should.

Each expected value is computed here from the slider's value (a truth table by hand, the closed form of the rule,
the sizes of the network), not read back from the drawing.
"""

import itertools
import math

import ipywidgets as widgets
import matplotlib
import numpy as np
import pytest

import hebb_core as hc

matplotlib.use("Agg")

BUILDERS = {"mcculloch_pitts": hc.mcculloch_pitts_explorer, "hebb": hc.hebb_explorer,
            "network": hc.network_explorer}
SLIDERS = {"mcculloch_pitts": ["w1", "w2", "theta"],
           "hebb": ["epsilon", "pattern", "neuron_type", "w0"],
           "network": ["epsilon", "excitatory_count", "L", "N", "M", "mapping", "seed"]}


@pytest.fixture(scope="module")
def explorers():
    return {name: build() for name, build in BUILDERS.items()}


def ends(slider):
    """The values at the two ends of a slider's range (for a selection: the first and the last option)."""
    if isinstance(slider, widgets.FloatLogSlider):
        return slider.base ** slider.min, slider.base ** slider.max
    if hasattr(slider, "index"):
        return slider.options[0][1], slider.options[-1][1]
    return slider.min, slider.max


def values(explorer):
    return {name: slider.value for name, slider in explorer.sliders.items()}


def check_mcculloch_pitts(drawn, w1, w2, theta):
    w1, w2, theta = round(w1, 2), round(w2, 2), round(theta, 2)
    by_hand = [int(w1 * x1 + w2 * x2 >= theta) for x1, x2 in itertools.product((0, 1), repeat=2)]
    assert drawn["table"]["S"].tolist() == by_hand
    assert drawn["text"].splitlines()[0] == hc.BOOLEAN_FUNCTIONS[tuple(by_hand)]
    (ax,) = drawn["figure"].axes
    assert len(ax.collections[0].get_offsets()) == 4  # the four binary inputs
    assert len(ax.lines) == (1 if (w1, w2) != (0, 0) else 0)  # the decision line, when there is one


def check_hebb(drawn, epsilon, pattern, neuron_type, w0):
    pre, post = pattern
    w_star = pre * post * neuron_type
    steps = min(math.ceil(5 / epsilon), 5000)
    t = np.arange(steps + 1)
    assert len(drawn["numeric"]) == steps + 1
    np.testing.assert_allclose(drawn["numeric"], w_star + (w0 - w_star) * (1 - epsilon) ** t, rtol=0, atol=1e-12)
    assert abs(drawn["numeric"][-1] - w_star) <= math.exp(-5) * abs(w0 - w_star) + 1e-12  # five time constants
    (ax,) = drawn["figure"].axes
    assert [line.get_ydata()[0] for line in ax.lines[2:3]] == [w_star]  # the dashed fixed point


def check_network(drawn, epsilon, excitatory_count, L, N, M, mapping, seed):
    params = drawn["params"]
    assert (params.L, params.N, params.M, params.epsilon) == (L, N, M, epsilon)
    sizes = params.sizes
    target = list(itertools.permutations(range(N)))[mapping]
    assert drawn["table"]["target"].tolist() == list(target) and len(drawn["table"]) == N
    assert int((drawn["types"] > 0).sum()) == excitatory_count
    assert round(drawn["result"].recall_fraction[0] * N) == drawn["table"]["recalled"].sum()
    axes = drawn["figure"].axes  # network, L-1 heatmaps, their colour bar, L-1 panels of traces
    assert len(axes) == 2 * (L - 1) + 2
    history = drawn["result"].history["weights"]
    for layer, ax in enumerate(axes[-(L - 1):]):
        traces = ax.collections[0].get_segments()  # one line per weight
        weights = history[layer][0].reshape(2001, -1).T  # every weight over epochs 0 … 2000
        assert len(traces) == len(weights) == sizes[layer] * sizes[layer + 1]
        for trace, weight in zip(traces, weights):  # each trace spans all epochs and the weight's whole range
            assert trace[0, 0] == 0 and trace[-1, 0] == 2000
            assert (trace[:, 1].min(), trace[:, 1].max()) == (weight.min(), weight.max())
    assert f"seed {seed}" in drawn["text"]


CHECKS = {"mcculloch_pitts": check_mcculloch_pitts, "hebb": check_hebb, "network": check_network}


def test_sliders_are_explicit_and_the_output_has_a_fixed_height(explorers):
    for name, explorer in explorers.items():
        assert list(explorer.sliders) == SLIDERS[name]
        assert explorer.widget.children[1].layout.height.endswith("px")
    for name in ("hebb", "network"):  # they simulate: redraw only when the slider is released
        assert all(slider.continuous_update is False for slider in explorers[name].sliders.values()
                   if hasattr(slider, "continuous_update"))


def test_defaults_draw_the_courses_examples(explorers):
    assert explorers["mcculloch_pitts"].last["text"].splitlines()[0] == "AND"
    assert explorers["hebb"].last["w_star"] == 1
    network = explorers["network"]
    assert values(network) == hc.EXAMPLE_RUN
    result = network.last["result"]
    assert result.converged[0] and result.epochs_to_convergence[0] == 99 and result.stable[0]
    assert network.figure is network.last["figure"]  # the static figure left for readers without a kernel


@pytest.mark.parametrize("name, slider_name", [(name, slider) for name, sliders in SLIDERS.items()
                                               for slider in sliders])
def test_every_slider_is_safe_at_both_ends(explorers, name, slider_name):
    explorer = explorers[name]
    slider = explorer.sliders[slider_name]
    default = slider.value
    try:
        for end in ends(slider):
            before = explorer.last
            slider.value = end  # interactive_output redraws
            assert explorer.last is not before or end == default
            assert explorer.update() is explorer.last
            assert values(explorer)[slider_name] == end
            CHECKS[name](explorer.last, **values(explorer))
    finally:
        slider.value = default
        if name == "network":  # N, L and M move the ranges of other sliders: put those back too
            for other, value in hc.EXAMPLE_RUN.items():
                if explorer.sliders[other].value != value:
                    explorer.sliders[other].value = value


def test_network_sliders_keep_to_the_networks_ranges_and_redraw_once():
    explorer = hc.network_explorer()
    draws = []
    draw = explorer.draw
    explorer.draw = lambda **slider_values: draws.append(slider_values) or draw(**slider_values)
    sliders = explorer.sliders
    sliders["mapping"].value = 5
    sliders["excitatory_count"].value = 6
    draws.clear()
    sliders["N"].value = 2  # M follows N; the E count (P = 4) and the mapping (2! = 2) are clipped
    assert len(draws) == 1
    assert draws[0] == {**hc.EXAMPLE_RUN, "N": 2, "M": 2, "mapping": 1, "excitatory_count": 4}
    assert (sliders["excitatory_count"].max, sliders["mapping"].max) == (4, 1)
    sliders["L"].value = 5
    assert sliders["excitatory_count"].max == 2 + 2 * 3
    sliders["M"].value = 8
    assert sliders["excitatory_count"].max == 2 + 8 * 3
    assert explorer.last["params"].sizes == (2, 8, 8, 8, 2)


def test_explorer_shows_the_sliders_and_tells_static_readers_what_they_are():
    explorer = hc.mcculloch_pitts_explorer()
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "kernel" in bundle["text/plain"]
