"""The explorers of notebooks 04 (the sweep) and 05 (the answer): every slider, at both ends of its range, draws what
it should; a slider that only changes the view reuses the computed sweep.

Expected values come from the slider's value (the allotment string, the size of the sweep, Propositions 1 and 2),
not from the drawing.
"""

import math

import ipywidgets as widgets
import matplotlib
import numpy as np
import pytest

import hebb_core as hc

matplotlib.use("Agg")


def ends(slider):
    """The values at the two ends of a slider's range (for buttons: the first and the last option)."""
    if isinstance(slider, widgets.FloatLogSlider):
        return slider.base ** slider.min, slider.base ** slider.max
    if hasattr(slider, "options"):
        return tuple(option[1] if isinstance(option, tuple) else option
                     for option in (slider.options[0], slider.options[-1]))
    return slider.min, slider.max


@pytest.fixture(scope="module")
def sweep():
    return hc.sweep_explorer()


@pytest.fixture(scope="module")
def answer():
    return hc.answer_explorer()


# ── Notebook 04: the sweep explorer ─────────────────────────────────────────────────────────────────────


def test_sweep_sliders_are_explicit_and_simulate_only_on_release(sweep):
    assert list(sweep.sliders) == ["L", "N", "epsilon", "max_epochs", "allotment", "readout", "view"]
    for slider in sweep.sliders.values():
        if isinstance(slider, (widgets.IntSlider, widgets.FloatLogSlider)):
            assert slider.continuous_update is False
    assert sweep.widget.children[1].layout.height == "760px"  # fixed output height


def test_sweep_default_is_the_workshops_network_with_every_allotment(sweep):
    assert {name: slider.value for name, slider in sweep.sliders.items()} == hc.SWEEP_EXAMPLE
    drawn = sweep.last
    mappings, repeats, runs = hc.sweep_design(hc.Params(L=3, N=3), "all")
    assert len(mappings) == 6 and len(drawn["table"]) == runs == (2**6 - 2) * 6 * repeats
    assert drawn["summary"]["runs"].tolist() == [math.comb(6, e) * 6 * repeats for e in range(1, 6)]
    assert drawn["summary"]["successes"].iloc[0] > 0 and drawn["summary"]["successes"].iloc[-1] == 0
    assert drawn["text"].startswith("L = 3, N = 3, ε = 0.01, 2000 epochs, all allotments, strict read-out")
    assert sweep.figure.axes  # the static figure left for readers


def test_the_view_buttons_reuse_the_computed_sweep(sweep):
    table, cached = sweep.last["table"], len(sweep.cache)
    try:
        for view in ("epochs", "recall", "layers", "convergence"):
            sweep.sliders["view"].value = view
            assert sweep.last["table"] is table and len(sweep.cache) == cached
        sweep.sliders["view"].value = "layers"
        heatmap = sweep.last["figure"].axes[0]
        assert heatmap.get_xlabel() == "E neurons in the hidden layer"
    finally:
        sweep.sliders["view"].value = "convergence"


@pytest.mark.parametrize("name", ["L", "N", "epsilon", "max_epochs", "allotment", "readout"])
def test_each_sweep_slider_is_safe_at_both_ends(sweep, name):
    slider = sweep.sliders[name]
    default = slider.value
    try:
        for end in ends(slider):
            slider.value = end  # redraws through interactive_output
            drawn = sweep.last
            values = {key: s.value for key, s in sweep.sliders.items()}
            params = hc.Params(L=values["L"], N=values["N"], epsilon=values["epsilon"],
                               max_epochs=values["max_epochs"], readout=values["readout"])
            _, _, runs = hc.sweep_design(params, values["allotment"])
            if runs > hc.SWEEP_BUDGET:
                assert drawn["table"] is None and "Choose random allotments" in drawn["text"]
                continue
            table = drawn["table"]
            assert len(table) == runs and drawn["summary"]["runs"].sum() == runs
            assert (table["epochs_to_convergence"] <= values["max_epochs"]).all()
            assert set(table["excitatory_count"]) == set(range(1, params.P))
            assert table["allotment"].str.len().eq(params.P + params.L - 2).all()  # P letters and L - 2 bars
            if values["allotment"] == "first":
                assert table.groupby("excitatory_count")["allotment"].nunique().eq(1).all()
            assert f"{values['readout']} read-out" in drawn["text"]
    finally:
        slider.value = default


def test_the_budget_refuses_every_allotment_of_a_large_network():
    mappings, repeats, runs = hc.sweep_design(hc.Params(L=3, N=5), "all")
    assert len(mappings) == 24 and repeats == 1 and runs == (2**10 - 2) * 24 > hc.SWEEP_BUDGET
    drawn = hc.draw_sweep(3, 5, 0.01, 2000, "all", "strict", "convergence")
    assert drawn["table"] is None and f"{runs} networks" in drawn["text"]
    assert len(set(mappings)) == 24  # a sample of distinct mappings
    _, repeats, runs = hc.sweep_design(hc.Params(L=5, N=5), "random")
    assert runs == 19 * 24 * repeats <= hc.SWEEP_BUDGET  # random allotments always fit


# ── Notebook 05: the answer explorer ────────────────────────────────────────────────────────────────────


def allotment(e_input, e_hidden, N=3):
    return "E" * e_input + "I" * (N - e_input) + "|" + "E" * e_hidden + "I" * (N - e_hidden)


def check_answer(drawn, excitatory_input, excitatory_hidden, dale, epsilon):
    result, fields = drawn["result"], drawn["fields"]
    assert drawn["text"].startswith(f"allotment {allotment(excitatory_input, excitatory_hidden)}: ")
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
    assert answer.widget.children[1].layout.height == "520px"
    assert {name: slider.value for name, slider in answer.sliders.items()} == hc.ANSWER_EXAMPLE
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
            check_answer(answer.last, **{key: s.value for key, s in answer.sliders.items()})
    finally:
        slider.value = default


def test_a_net_excitatory_hidden_layer_never_keeps_a_map(answer):
    answer.sliders["excitatory_hidden"].value = 2
    try:
        assert (answer.last["result"].recall_fraction < 1).all()
    finally:
        answer.sliders["excitatory_hidden"].value = hc.ANSWER_EXAMPLE["excitatory_hidden"]
