"""hebblab.widgets, the notebooks' explorers: every slider, at both ends of its range, draws what
it should, in notebooks 01-03 (a McCulloch–Pitts unit, the rule, one network), 04 (the sweep; a
slider that only changes the view reuses the computed sweep), 05 (the answer), 06 (the variants)
and 07 (the topographic map).

Each expected value is computed here from the slider's value (a truth table by hand, the closed
form of the rule, the sizes of the network, the allotment string, the size of the sweep,
Propositions 1 and 2), not read back from the drawing.
"""

import itertools
import math
import time

import ipywidgets as widgets
import matplotlib
import numpy as np
import pytest

import hebb_core as hc
from hebblab import views
from hebblab.explorer import figure_png

matplotlib.use("Agg")


def ends(slider):
    """The values at the two ends of a slider's range (for a selection or buttons: the first and
    the last option)."""
    if hasattr(slider, "options"):
        return tuple(option[1] if isinstance(option, tuple) else option
                     for option in (slider.options[0], slider.options[-1]))
    return slider.min, slider.max


def values(explorer):
    return {name: slider.value for name, slider in explorer.sliders.items()}


# ── Notebooks 01-03: a McCulloch–Pitts unit, the rule, one network ───────────────────────────────


BUILDERS = {"mcculloch_pitts": hc.mcculloch_pitts_explorer, "hebb": hc.hebb_explorer,
            "network": hc.network_explorer}
SLIDERS = {"mcculloch_pitts": ["w1", "w2", "theta"],
           "hebb": ["epsilon", "states", "pattern", "neuron_type", "w0"],
           "network": ["epsilon", "excitatory_count", "L", "N", "M", "mapping", "seed"]}


@pytest.fixture(scope="module")
def explorers():
    return {name: build() for name, build in BUILDERS.items()}


def check_mcculloch_pitts(drawn, w1, w2, theta):
    w1, w2, theta = round(w1, 2), round(w2, 2), round(theta, 2)
    by_hand = [int(w1 * x1 + w2 * x2 >= theta) for x1, x2 in itertools.product((0, 1), repeat=2)]
    assert drawn["table"]["S"].tolist() == by_hand
    assert drawn["text"].splitlines()[0] == hc.BOOLEAN_FUNCTIONS[tuple(by_hand)]
    (ax,) = drawn["figure"].axes
    assert len(ax.collections[0].get_offsets()) == 4  # the four binary inputs
    filled = [tuple(colour) == (0, 0, 0, 1) for colour in ax.collections[0].get_facecolors()]
    assert filled == [bool(s) for s in by_hand]  # filled: the unit fires
    (line,) = ax.lines
    x, y = (np.asarray(data, dtype=float) for data in line.get_data())
    if (w1, w2) == (0, 0):
        assert len(x) == 0  # no decision line
    else:
        # every point of the line is on w·x = θ
        np.testing.assert_allclose(w1 * x + w2 * y, theta, atol=1e-9)


def check_hebb(drawn, epsilon, pattern, neuron_type, w0):
    pre, post = pattern
    w_star = pre * post * neuron_type
    steps = min(math.ceil(5 / epsilon), 5000)
    t = np.arange(steps + 1)
    assert len(drawn["numeric"]) == steps + 1
    np.testing.assert_allclose(drawn["numeric"], w_star + (w0 - w_star) * (1 - epsilon) ** t,
                               rtol=0, atol=1e-12)
    # five time constants
    assert abs(drawn["numeric"][-1] - w_star) <= math.exp(-5) * abs(w0 - w_star) + 1e-12
    (ax,) = drawn["figure"].axes
    assert [line.get_ydata()[0] for line in ax.lines[2:3]] == [w_star]  # the dashed fixed point
    # the rule's dots: this trajectory
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), drawn["numeric"])
    assert ax.get_xlim() == (0, steps)


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
        # each trace spans all epochs and the weight's whole range
        for trace, weight in zip(traces, weights):
            assert trace[0, 0] == 0 and trace[-1, 0] == 2000
            assert (trace[:, 1].min(), trace[:, 1].max()) == (weight.min(), weight.max())
    assert f"seed {seed}" in drawn["text"]


CHECKS = {"mcculloch_pitts": check_mcculloch_pitts, "hebb": lambda drawn, states,
          **values: check_hebb(drawn, **values), "network": check_network}


def test_sliders_are_explicit_and_the_figure_fits_the_window(explorers):
    for name, explorer in explorers.items():
        assert list(explorer.sliders) == SLIDERS[name]
        assert explorer.image.layout.max_width == "100%" \
            and explorer.image.layout.max_height.endswith("px")
        # the label beside the track, the track at least 200 px; a row
        for slider in explorer.sliders.values():
            # of buttons for a choice on a row of its own
            wide = isinstance(slider, widgets.ToggleButtons) and slider.layout.width == "100%"
            assert slider.layout.width == hc.CONTROL_WIDTH or wide
            assert slider.style.description_width == hc.LABEL_WIDTH
    for name in ("hebb", "network"):  # they simulate: redraw only when the slider is released
        assert all(slider.continuous_update is False for slider in explorers[name].sliders.values()
                   if hasattr(slider, "continuous_update"))


def test_defaults_draw_the_courses_examples(explorers):
    assert explorers["mcculloch_pitts"].last["text"].splitlines()[0] == "AND"
    before = explorers["mcculloch_pitts"].last
    # update() redraws at once and keeps what it returns
    assert explorers["mcculloch_pitts"].update() is explorers["mcculloch_pitts"].last is not before
    assert explorers["hebb"].last["w_star"] == 1
    network = explorers["network"]
    assert values(network) == hc.EXAMPLE_RUN
    result = network.last["result"]
    assert result.converged[0] and result.epochs_to_convergence[0] == 99 and result.stable[0]
    # the static figure left for readers without a kernel
    assert network.figure is network.last["figure"]


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
    assert sliders["excitatory_count"].max == 4
    # each mapping shown as its permutation
    assert sliders["mapping"].options == (("[0, 1]", 0), ("[1, 0]", 1))
    sliders["L"].value = 5
    assert sliders["excitatory_count"].max == 2 + 2 * 3
    sliders["M"].value = 8
    assert sliders["excitatory_count"].max == 2 + 8 * 3
    assert explorer.last["params"].sizes == (2, 8, 8, 8, 2)


def test_every_explorers_figure_has_a_text_alternative_that_follows_its_setting():
    """The figure is an <img> holding the PNG shown, with alt text saying what is drawn (for a
    screen reader)."""
    import base64
    import re

    explorer = hc.mcculloch_pitts_explorer()
    shown = explorer.image.value
    assert ("alt='Figure: the decision line of a two-input unit with w1 = 1, w2 = 1, θ = 1.5: it "
            "computes AND'") in shown
    assert base64.b64encode(explorer.png).decode() in shown
    explorer.sliders["theta"].value = 0.5
    assert "θ = 0.5: it computes OR'" in explorer.image.value
    network = hc.network_explorer()  # elsewhere the first line of the text under the figure
    alt = re.search("alt='([^']*)'", network.image.value).group(1)
    assert alt == "Figure: " + network.last["text"].splitlines()[0].replace("&", "&amp;")


def test_explorer_shows_the_sliders_and_its_figure_to_static_readers():
    import base64

    explorer = hc.mcculloch_pitts_explorer()
    # OR: the bundle shows the figure drawn last, not the default
    explorer.sliders["theta"].value = 0.5
    bundle, metadata = explorer._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] \
        == explorer.widget.model_id
    assert "kernel" in bundle["text/plain"]
    png = base64.b64decode(bundle["image/png"])
    assert png == explorer.png and png.startswith(b"\x89PNG")
    # a fresh drawing's, byte for byte
    assert png == figure_png(hc.draw_mcculloch_pitts(1.0, 1.0, 0.5)["figure"])
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    figure = explorer.figure
    assert (width, height) == (round(hc.PIXEL_RATIO * figure.dpi * figure.get_figwidth()),
                               # finer than shown
                               round(hc.PIXEL_RATIO * figure.dpi * figure.get_figheight()))
    # shown at its own size where no kernel runs (GitHub, the site, a notebook not yet run)
    assert metadata == {"image/png": {"width": round(width / hc.PIXEL_RATIO),
                                       "height": round(height / hc.PIXEL_RATIO)}}
    # lines kept, and wrapped in the box
    assert explorer.text.value.startswith("<pre class='hebb-explorer-text'")
    shown = explorer.text.value
    assert "white-space: pre-wrap;" in shown and shown.endswith(f">{explorer.last['text']}</pre>")
    assert explorer.last["text"].startswith("OR\n")


@pytest.mark.parametrize("ipywidgets_7", [False, True], ids=["ipywidgets 8", "ipywidgets 7"])
def test_an_explorer_shows_its_bundle_with_ipywidgets_7_and_8(monkeypatch, ipywidgets_7):
    """IPython asks for ``_ipython_display_`` first: ipywidgets 7 (Colab's) shows a widget that
    way, so there an explorer has one, showing its bundle; with ipywidgets 8 it has none, and
    IPython takes ``_repr_mimebundle_``."""
    import IPython.display
    from IPython.utils.dir2 import get_real_method

    has_bundles = hasattr(widgets.Widget, "_repr_mimebundle_")  # ipywidgets 8
    if ipywidgets_7 and has_bundles:  # ipywidgets 8 installed: take away what 7 lacks
        owner = next(cls for cls in widgets.Widget.__mro__ if "_repr_mimebundle_" in vars(cls))
        monkeypatch.delattr(owner, "_repr_mimebundle_")
    elif not ipywidgets_7 and not has_bundles:
        pytest.skip("ipywidgets 7 is installed: only its path can be shown")
    explorer = hc.mcculloch_pitts_explorer()
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objects,
                        **options: shown.append((objects, options)))
    # what IPython's display formatter calls, if anything
    show = get_real_method(explorer, "_ipython_display_")
    if ipywidgets_7:
        show()
        data, metadata = explorer._repr_mimebundle_()
        assert shown == [((data,), {"metadata": metadata, "raw": True})]
    else:
        assert show is None and get_real_method(explorer, "_repr_mimebundle_") is not None
    with pytest.raises(AttributeError):
        explorer.no_such_attribute  # only _ipython_display_ is made up


def recording_draws(explorer):
    """Make ``explorer`` record the values and the thread of each drawing; returns the list."""
    import threading

    draws = []
    draw = explorer.draw
    explorer.draw = lambda **values: (draws.append({**values,
                                                    "thread": threading.current_thread()})
                                      or draw(**values))
    return draws


def test_moves_in_a_running_kernel_are_merged_and_the_latest_values_drawn():
    """In a kernel's event loop, a burst of moves schedules one redraw, which draws the last
    values."""
    import asyncio

    async def burst():
        explorer = hc.mcculloch_pitts_explorer()  # made in the loop, as a notebook cell does
        draws = recording_draws(explorer)
        for theta in (1.2, 0.9, 0.5):  # three presses, taken in before the redraw
            explorer.sliders["theta"].value = theta
        assert draws == []  # nothing drawn yet: the redraw waits for the loop
        await asyncio.sleep(0.2)
        return explorer, draws

    explorer, draws = asyncio.run(burst())
    assert [d["theta"] for d in draws] == [0.5]
    assert explorer.last["text"].startswith("OR")


def test_moves_that_come_in_another_thread_are_drawn_in_the_kernels_thread():
    """JupyterLab may hand a control's message to another thread of the kernel (a subshell) than
    the one running its loop: matplotlib draws one figure at a time (two threads drawing at once
    garble each other's text), so the redraw is drawn in the loop's thread, with the last values,
    once."""
    import asyncio
    import threading

    async def moves_from_another_thread():
        explorer = hc.mcculloch_pitts_explorer()
        draws = recording_draws(explorer)

        def subshell():
            for w1 in (0.7, 0.4, 0.1, -0.2):  # a drag, as its messages come in
                explorer.sliders["w1"].value = w1

        other = threading.Thread(target=subshell)
        other.start()
        while other.is_alive():
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.2)
        return draws

    draws = asyncio.run(moves_from_another_thread())
    assert [(d["w1"], d["thread"]) for d in draws] == [(-0.2, threading.main_thread())]


# ── Notebook 04: the sweep explorer ──────────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def sweep():
    return hc.sweep_explorer()


def test_sweep_sliders_are_explicit_and_simulate_only_on_release(sweep):
    assert list(sweep.sliders) == ["L", "N", "epsilon", "allotment", "readout", "view"]
    for slider in sweep.sliders.values():
        if isinstance(slider, (widgets.IntSlider, widgets.SelectionSlider)):
            assert slider.continuous_update is False
    assert sweep.image.layout.max_height == "760px"  # at most this tall


def test_sweep_default_is_the_workshops_network_with_every_allotment(sweep):
    assert values(sweep) == {name: value for name,
                             value in hc.SWEEP_EXAMPLE.items() if name != "max_epochs"}
    drawn = sweep.last
    mappings, repeats, runs = hc.sweep_design(hc.Params(L=3, N=3), "all")
    assert len(mappings) == 6 and len(drawn["table"]) == runs == (2**6 - 2) * 6 * repeats
    assert drawn["summary"]["runs"].tolist() == [math.comb(6, e) * 6 * repeats
                                                 for e in range(1, 6)]
    assert drawn["summary"]["successes"].iloc[0] > 0 \
        and drawn["summary"]["successes"].iloc[-1] == 0
    assert drawn["text"].startswith("L = 3, N = 3, ε = 0.01, 2000 epochs, all allotments, "
                                    "strict read-out")
    assert sweep.figure.axes  # the static figure left for readers


def test_the_view_buttons_reuse_the_computed_sweep(sweep):
    table = sweep.last["table"]
    try:
        for view in ("epochs", "recall", "layers", "convergence"):
            sweep.sliders["view"].value = view
            assert sweep.last["table"] is table  # the same runs, kept: not trained again
        sweep.sliders["view"].value = "layers"
        heatmap = sweep.last["figure"].axes[0]
        assert heatmap.get_xlabel() == "E neurons in the hidden layer"
    finally:
        sweep.sliders["view"].value = "convergence"


@pytest.mark.parametrize("name", ["L", "N", "epsilon", "allotment", "readout"])
def test_each_sweep_slider_is_safe_at_both_ends(sweep, name):
    slider = sweep.sliders[name]
    default = slider.value
    try:
        for end in ends(slider):
            slider.value = end  # redraws through interactive_output
            drawn = sweep.last
            drawn_with = values(sweep)
            params = hc.Params(L=drawn_with["L"], N=drawn_with["N"], epsilon=drawn_with["epsilon"],
                               max_epochs=hc.SWEEP_EXAMPLE["max_epochs"],
                               readout=drawn_with["readout"])
            _, _, runs = hc.sweep_design(params, drawn_with["allotment"])
            assert runs <= hc.SWEEP_BUDGET
            assert views.sweep_fits(drawn_with["L"], drawn_with["N"], drawn_with["allotment"])
            table = drawn["table"]
            assert len(table) == runs and drawn["summary"]["runs"].sum() == runs
            assert (table["epochs_to_convergence"] <= params.max_epochs).all()
            assert set(table["excitatory_count"]) == set(range(1, params.P))
            # P letters and L - 2 bars
            assert table["allotment"].str.len().eq(params.P + params.L - 2).all()
            if drawn_with["allotment"] == "first":
                assert table.groupby("excitatory_count")["allotment"].nunique().eq(1).all()
            assert f"{drawn_with['readout']} read-out" in drawn["text"]
    finally:
        slider.value = default


def test_the_sweep_controls_reach_only_networks_one_move_may_train(sweep):
    """N's range is tied to L and the allotments: a setting beyond it is not reachable, and the
    line under the controls says why; the drawing refuses it, naming the largest N."""
    mappings, repeats, runs = hc.sweep_design(hc.Params(L=3, N=5), "all")
    assert len(mappings) == 24 and repeats == 1 and runs == (2**10 - 2) * 24 > hc.SWEEP_BUDGET
    assert len(set(mappings)) == 24  # a sample of distinct mappings
    assert [views.sweep_largest_N(L, "all") for L in (2, 3, 4, 5)] == [5, 3, 2, 2]
    assert [views.sweep_largest_N(L, "random") for L in (2, 3, 4, 5)] == [5, 5, 4, 3]
    try:
        sweep.sliders["allotment"].value = "random"
        sweep.sliders["N"].value = 5
        assert sweep.note.value == ""
        # N clipped to what every allotment allows at L = 3
        sweep.sliders["allotment"].value = "all"
        assert (sweep.sliders["N"].max, sweep.sliders["N"].value) == (3, 3)
        assert sweep.last["text"].startswith("L = 3, N = 3, ε = 0.01, 2000 epochs, all allotments")
        assert sweep.note.value.startswith("N up to 3 with L = 3 and all allotments")
    finally:
        sweep.sliders["allotment"].value = "all"
        sweep.sliders["N"].value = 3
    with pytest.raises(ValueError, match=r"N=4 is not allowed: an integer in \[2, 3\] for L = 3 "
                                         r"and all allot"):
        hc.draw_sweep(3, 4, 0.01, 2000, "all", "strict", "convergence")


# ── Notebook 05: the answer explorer ─────────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def answer():
    return hc.answer_explorer()


def allotment(e_input, e_hidden, N=3):
    return "E" * e_input + "I" * (N - e_input) + "|" + "E" * e_hidden + "I" * (N - e_hidden)


def check_answer(drawn, excitatory_input, excitatory_hidden, dale, epsilon):
    result, fields = drawn["result"], drawn["fields"]
    assert drawn["text"].startswith(
        f"allotment {allotment(excitatory_input, excitatory_hidden)}: ")
    assert len(result.converged) == 6 * hc.ANSWER_DRAWS
    assert (result.recall_fraction <= 1).all()
    if dale:  # Proposition 1
        assert drawn["codes"].max() <= 2 and not result.converged.any()
        assert result.recall_fraction.max() <= 2 / 3
    if excitatory_input >= 2:  # two E inputs share a code
        assert not result.converged.any()
    if not dale and epsilon == 0.01:  # Proposition 2 after 2000 epochs
        np.testing.assert_allclose(fields["target_field"], fields["predicted"], rtol=0, atol=1e-12)
        wrong_side = fields["input_type"] * fields["hidden_balance"] < 0
        assert not fields.loc[wrong_side, "recalled"].any()
    assert len(drawn["figure"].axes) == 3


def test_answer_sliders_are_explicit_and_the_default_learns_sometimes(answer):
    assert list(answer.sliders) == ["excitatory_input", "excitatory_hidden", "dale", "epsilon"]
    for name in ("excitatory_input", "excitatory_hidden", "epsilon"):
        assert answer.sliders[name].continuous_update is False
    assert answer.image.layout.max_height == "520px"  # at most this tall
    assert values(answer) == hc.ANSWER_EXAMPLE
    check_answer(answer.last, **hc.ANSWER_EXAMPLE)
    assert answer.last["result"].converged.any()  # no E input, a net-inhibitory hidden layer
    assert answer.figure.axes


@pytest.mark.parametrize("name", ["excitatory_input", "excitatory_hidden", "dale", "epsilon"])
def test_each_answer_slider_is_safe_at_both_ends(answer, name):
    slider = answer.sliders[name]
    default = slider.value
    try:
        for end in ends(slider):
            slider.value = end
            check_answer(answer.last, **values(answer))
    finally:
        slider.value = default


def test_a_net_excitatory_hidden_layer_never_keeps_a_map(answer):
    answer.sliders["excitatory_hidden"].value = 2
    try:
        assert (answer.last["result"].recall_fraction < 1).all()
    finally:
        answer.sliders["excitatory_hidden"].value = hc.ANSWER_EXAMPLE["excitatory_hidden"]


# ── Notebook 06: the variant explorer ────────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def variant():
    return hc.variant_explorer()


def check_variant(drawn, variant, k, M, excitatory_count, epsilon):
    params, table = drawn["params"], drawn["table"]
    kwta = hc.VARIANTS[variant].get("lateral") == "kwta"
    assert (params.M, params.P, params.epsilon) == (M, 4 + M, epsilon)
    assert params.k == (min(k, M) if kwta else None)
    assert all(getattr(params, key) == value for key, value in hc.VARIANTS[variant].items())
    e = min(excitatory_count, params.P)
    # every mapping of 4 items, 4 times
    assert len(table) == 24 * 4 and (table["excitatory_count"] == e).all()
    assert (table["epochs_to_convergence"] <= 1000).all()
    assert f"{e} E of {params.P} typed neurons" in drawn["text"]
    closed_form = kwta and e == params.P and params.homeostasis == 0 and params.normalise == "none"
    assert ("closed form" in drawn["text"]) == closed_form
    if closed_form:
        assert f"{hc.kwta_success_probability(4, M, params.k):.1%}" in drawn["text"]
        # k winners in the hidden layer, every input
        assert (table["mean_active"] == params.k).all()


def restore_variant(explorer):
    # M first: it moves the others' ranges
    for name in ("variant", "M", "k", "excitatory_count", "epsilon"):
        explorer.sliders[name].value = hc.VARIANT_EXAMPLE[name]


def test_variant_sliders_are_explicit_and_the_default_is_the_example(variant):
    assert list(variant.sliders) == ["k", "M", "excitatory_count", "epsilon", "variant"]
    # arrow keys in a list move JupyterLab's cells
    assert isinstance(variant.sliders["variant"], widgets.ToggleButtons)
    assert all(variant.sliders[name].continuous_update is False
               for name in ("k", "M", "excitatory_count", "epsilon"))
    assert variant.image.layout.max_height == "520px"  # at most this tall
    assert values(variant) == hc.VARIANT_EXAMPLE
    check_variant(variant.last, **hc.VARIANT_EXAMPLE)
    assert variant.figure.axes


def test_each_variant_draws_with_its_settings_and_k_only_for_k_wta(variant):
    try:
        for name in hc.VARIANTS:
            variant.sliders["variant"].value = name
            assert variant.sliders["k"].disabled == (hc.VARIANTS[name].get("lateral") != "kwta")
            check_variant(variant.last, **values(variant))
    finally:
        restore_variant(variant)


@pytest.mark.parametrize("name", ["k", "M", "excitatory_count", "epsilon"])
def test_each_variant_slider_is_safe_at_both_ends(variant, name):
    slider = variant.sliders[name]
    try:
        for end in ends(slider):
            slider.value = end
            # k and the E count keep to the network
            assert variant.sliders["k"].max == variant.sliders["M"].value
            assert variant.sliders["excitatory_count"].max == 4 + variant.sliders["M"].value
            check_variant(variant.last, **values(variant))
    finally:
        restore_variant(variant)


# ── Notebook 07: the map explorer ────────────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def map_explorer():
    return hc.map_explorer()


def restore(explorer, name, value):
    """Put a slider back without redrawing (the next test draws anyway)."""
    explorer.holding = True
    try:
        explorer.sliders[name].value = value
    finally:
        explorer.holding = False


def test_map_sliders_are_explicit_and_redraw_only_on_release(map_explorer):
    assert list(map_explorer.sliders) == ["lateral_excitation", "lateral_inhibition",
                                          "presentations", "seed"]
    assert all(slider.continuous_update is False for slider in map_explorer.sliders.values())
    assert map_explorer.image.layout.max_height == "420px"  # at most this tall


def test_map_default_is_the_published_balance_and_forms_a_map(map_explorer):
    assert values(map_explorer) == hc.MAP_EXAMPLE
    assert map_explorer.last["correlation"] > 0.9
    assert map_explorer.figure is not None  # the static figure left for readers


@pytest.mark.parametrize("name",
                         ["lateral_excitation", "lateral_inhibition", "presentations", "seed"])
def test_each_map_slider_is_safe_at_both_ends(map_explorer, name):
    slider = map_explorer.sliders[name]
    default = slider.value
    try:
        for end in (slider.min, slider.max):
            slider.value = end  # redraws through interactive_output
            drawn = map_explorer.last
            assert f"{end:g}" in drawn["text"]
            assert all(math.isfinite(drawn[key]) for key in ("correlation", "neighbour_distance",
                                                               "topographic_error"))
            assert np.isfinite(drawn["run"].s).all()
    finally:
        restore(map_explorer, name, default)


def test_no_inhibition_collapses_the_map(map_explorer):
    map_explorer.sliders["lateral_inhibition"].value = 0.0
    try:
        assert map_explorer.last["correlation"] < 0.1 \
            and map_explorer.last["neighbour_distance"] < 0.1
    finally:
        restore(map_explorer, "lateral_inhibition", 1.0)


# ── Bad arguments: refused before any work, with the bound ───────────────────────────────────────


@pytest.mark.parametrize("build, keyword, message", [
    (hc.network_explorer, {"seed": True}, "seed=True is not allowed: a whole number"),
    (hc.hebb_explorer, {"neuron_type": True}, "neuron_type=True is not allowed: one of 1, -1"),
    (hc.variant_explorer, {"M": 1}, "M=1 is not allowed: an integer in [2, 10]"),
    (hc.network_explorer, {"N": 2, "mapping": 2},
     "mapping=2 is not allowed: an integer in [0, 1]"),
    (hc.network_explorer, {"epsilon": 0.03},
     "epsilon=0.03 is not allowed: one of 0.001, 0.002, 0.005, 0.01, 0.02, "
     "0.05, 0.1, 0.2, 0.5, 1.0"),
])
def test_an_explorer_refuses_a_start_value_beyond_its_slider(build, keyword, message):
    with pytest.raises(ValueError) as error:
        build(**keyword)
    assert str(error.value) == message


@pytest.mark.parametrize("draw, arguments, message", [
    (hc.draw_network_run, {**hc.EXAMPLE_RUN, "mapping": 6},
     "mapping=6 is not allowed: an integer in [0, 5]"),
    (hc.draw_answer, {**hc.ANSWER_EXAMPLE, "N": 6}, "N=6 is not allowed: an integer in [1, 5]"),
    (hc.draw_answer, {**hc.ANSWER_EXAMPLE, "excitatory_hidden": 4},
     "excitatory_hidden=4 is not allowed: an integer in [0, 3]"),
    (hc.draw_variant, {**hc.VARIANT_EXAMPLE, "k": 9}, "k=9 is not allowed: an integer in [0, 8]"),
    (hc.draw_variant, {**hc.VARIANT_EXAMPLE, "excitatory_count": 13},
     "excitatory_count=13 is not allowed: an integer in [0, 12]"),
    (hc.draw_sweep, {**hc.SWEEP_EXAMPLE, "view": "layer"},
     "view='layer' is not allowed: one of 'convergence', 'epochs', 'recall', 'layers'"),
])
def test_a_drawing_refuses_a_value_beyond_the_network(draw, arguments, message):
    with pytest.raises(ValueError) as error:
        draw(**arguments)
    assert str(error.value) == message


def test_an_explorer_needs_a_css_height():
    with pytest.raises(ValueError, match=r"height=3 is not allowed: a CSS height such as '520px'"):
        hc.Explorer({}, lambda: hc.draw_mcculloch_pitts(1.0, 1.0, 1.5), 3)


def pixels(png):
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


@pytest.mark.parametrize("build, moves", [
    (hc.mcculloch_pitts_explorer, [("theta", 0.5), ("w2", -1.0), ("w1", 0.0), ("w2", 0.0)]),
    (hc.hebb_explorer, [("w0", 0.3), ("states", "±1"), ("pattern", (-1, 1)), ("epsilon", 0.001)]),
    (hc.network_explorer,
     [("seed", 20), ("excitatory_count", 4), ("N", 2), ("L", 5), ("mapping", 1)]),
    (hc.sweep_explorer,
     [("epsilon", 0.02), ("view", "layers"), ("view", "epochs"), ("allotment", "random")]),
    (hc.answer_explorer, [("excitatory_hidden", 2), ("excitatory_input", 2), ("dale", True)]),
    (hc.variant_explorer,
     [("excitatory_count", 10), ("variant", "k-WTA + homeostasis"), ("M", 2)]),
    (lambda: hc.map_explorer(presentations=500),
     [("seed", 3), ("presentations", 0), ("lateral_inhibition", 0.0)]),
])
def test_every_redraw_is_a_fresh_drawing_of_the_setting_pixel_for_pixel_at_one_size(build, moves):
    """After each move the image shown is, byte for byte, the PNG of a fresh drawing of the
    controls' values, at PIXEL_RATIO times the figure's resolution, and of one size whatever the
    setting (shown at the figure's own width)."""
    import matplotlib.pyplot as plt

    explorer = build()
    size = pixels(explorer.png).shape
    width = explorer.image.layout.width
    assert size[:2] == tuple(round(hc.PIXEL_RATIO * side) for side in reversed(explorer.size))
    for name, value in moves:
        explorer.sliders[name].value = value
        shown = explorer.png
        assert pixels(shown).shape == size and explorer.image.layout.width == width
        fresh = explorer.draw(**values(explorer))
        assert shown == figure_png(fresh["figure"]) and explorer.last["text"] == fresh["text"]
        plt.close(fresh["figure"])


def test_a_drawing_of_another_size_is_refused():
    sizes = iter([(4, 3), (5, 3)])

    def draw(a):
        import matplotlib.pyplot as plt

        return {"figure": plt.figure(figsize=next(sizes)), "text": ""}
    explorer = hc.Explorer({"a": widgets.IntSlider()}, draw, "100px")
    with pytest.raises(ValueError, match="a drawing must keep one size for every setting"):
        explorer.sliders["a"].value = 1


def test_the_sweep_explorer_trains_for_the_epochs_it_is_given():
    """``max_epochs`` is no slider (the successes come long before 2000 epochs): a keyword fixes
    it."""
    explorer = hc.sweep_explorer(max_epochs=100)
    assert "max_epochs" not in explorer.sliders and ", 100 epochs," in explorer.last["text"]
    assert (explorer.last["table"]["epochs_to_convergence"] <= 100).all()


# The smallest text a figure may show, in CSS pixels as displayed at 1280 × 720. An explorer's
# figure is shown at its own size there (tests/browser/test_browser_explorers.py checks that the
# image's displayed size is its natural size over the pixel ratio: a displayed scale of 1), so its
# text is as large as its font size at the figure's dpi.
SMALLEST_TEXT_PX = 11


def smallest_text(figure, scale=1.0):
    """The smallest visible, non-empty text of ``figure`` as displayed at ``scale``: (pixels, the
    text)."""
    import matplotlib.text

    sizes = [(artist.get_fontsize() * figure.dpi / 72 * scale, artist.get_text())
             for artist in figure.findobj(matplotlib.text.Text)
             if artist.get_visible() and artist.get_text().strip()]
    return min(sizes)


def test_no_text_in_any_explorers_figure_is_under_11_px_as_displayed():
    for name in ("mcculloch_pitts_explorer", "hebb_explorer", "network_explorer", "sweep_explorer",
                 "answer_explorer", "variant_explorer", "map_explorer"):  # each at its defaults
        pixels, text = smallest_text(getattr(hc, name)().figure)
        assert pixels >= SMALLEST_TEXT_PX, f"{name}: {text!r} is {pixels:.1f} px high"
    planted = hc.draw_mcculloch_pitts(1.0, 1.0, 1.5)["figure"]  # a 6-pt label is found
    planted.axes[0].set_xlabel("small", fontsize=6)
    assert smallest_text(planted) == (6 * planted.dpi / 72, "small") \
        and smallest_text(planted)[0] < SMALLEST_TEXT_PX


def test_an_explorer_works_in_its_own_thread_only_so_a_fork_meanwhile_cannot_hang():
    """The explorers keep no background thread (no training ahead, no fork handlers): a move draws
    in the caller's thread. So a process forked while explorers are in use, as a sweep's worker
    pool or a learner's own code may do, has nothing to wait for and ends at once."""
    import os
    import threading

    before = set(threading.enumerate())
    explorer = hc.variant_explorer()  # 06's: the one that used to train ahead in a thread
    explorer.sliders["M"].value = explorer.sliders["M"].max
    network = hc.network_explorer()
    network.sliders["seed"].value += 1
    assert set(threading.enumerate()) == before
    pid = os.fork()
    if pid == 0:  # the child: use an explorer, then leave at once
        try:
            hc.network_explorer().sliders["seed"].value += 2
        finally:
            os._exit(0)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.05)
    else:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        pytest.fail("the forked child did not end within 60 s")
    assert os.waitstatus_to_exitcode(status) == 0
