"""The explorers of notebooks 01, 02, 03 and 05 in JupyterLab, in a real browser.

Each test opens a notebook, runs all its cells, checks the explorer's default output, then moves one slider by
keyboard (or types into its readout) and waits for a new figure and exactly the text that ``hebb_core`` computes
here for the new values. The seconds from each move to the updated output are printed at the end of the session.
"""

from pathlib import Path

import matplotlib
import pytest

import hebb_core as hc

from .browser_pages import (
    errors,
    explorer_with,
    open_notebook,
    press,
    read_output,
    run_all_cells,
    RUN_TIMES,
    type_value,
)

matplotlib.use("Agg")

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def text(draw, **values):
    """What an explorer prints for these slider values (its drawing function, run here; the figure is closed)."""
    import matplotlib.pyplot as plt

    drawn = draw(**values)
    plt.close(drawn["figure"])
    return drawn["text"]


@pytest.fixture(autouse=True)
def one_kernel_at_a_time(lab):
    """Shut the notebook's kernel down after each test (the machine is small)."""
    yield
    lab.shutdown_kernels()


def run_notebook(page, lab, name):
    if not (NOTEBOOKS / name).exists():
        pytest.fail(f"notebooks/{name} is missing")
    open_notebook(page, lab, name)
    RUN_TIMES[name] = run_all_cells(page)
    assert not errors(page), "\n".join(errors(page))


def test_mcculloch_pitts_explorer(page, lab, timings):
    run_notebook(page, lab, "01_mcculloch_pitts_neuron.ipynb")
    explorer = explorer_with(page, "θ")

    def expected(w1, w2, theta):
        return text(hc.draw_mcculloch_pitts, w1=w1, w2=w2, theta=theta)

    assert read_output(explorer)["text"] == expected(1.0, 1.0, 1.5)  # the default: AND
    label = "01 McCulloch–Pitts explorer"
    timings(label, press(page, explorer, "w₂", "ArrowLeft", expected(1.0, 0.9, 1.5)))  # steps of 0.1
    timings(label, press(page, explorer, "w₂", "ArrowLeft", expected(1.0, 0.8, 1.5)))
    gate = expected(1.0, 0.8, 0.5)
    assert gate.splitlines()[0] == "OR"  # a threshold below both weights makes the unit an OR gate
    timings(label, type_value(page, explorer, "θ", 0.5, gate))
    assert not errors(page), "\n".join(errors(page))


def test_hebb_explorer(page, lab, timings):
    run_notebook(page, lab, "02_hebb_rule.ipynb")
    explorer = explorer_with(page, "pattern")

    def expected(pattern):
        return text(hc.draw_hebb, epsilon=0.05, pattern=pattern, neuron_type=1, w0=0.05)

    assert read_output(explorer)["text"] == expected((1, 1))  # the default: both active, w* = +1
    # the pattern slider steps through hc.HEBB_PATTERNS: (1, 1), (1, 0), (0, 1), ...
    label = "02 Hebb explorer"
    timings(label, press(page, explorer, "pattern", "ArrowRight", expected((1, 0))))
    assert "w* = +0" in expected((1, 0))  # one silent neuron: the weight decays to 0
    timings(label, press(page, explorer, "pattern", "ArrowLeft", expected((1, 1))))
    timings(label, press(page, explorer, "pattern", "ArrowRight", expected((1, 0))))
    assert not errors(page), "\n".join(errors(page))


def test_network_explorer(page, lab, timings):
    """Notebook 03's main explorer: one network trained for 2000 epochs per move (target: under 0.5 s)."""
    run_notebook(page, lab, "03_clamping_and_one_to_one_maps.ipynb")
    explorer = explorer_with(page, "seed")

    def expected(seed):
        return text(hc.draw_network_run, **{**hc.EXAMPLE_RUN, "seed": seed})

    assert read_output(explorer)["text"] == expected(hc.EXAMPLE_RUN["seed"])
    seed = hc.EXAMPLE_RUN["seed"]
    for step, key in ((1, "ArrowRight"), (2, "ArrowRight"), (1, "ArrowLeft")):
        timings("03 network explorer", press(page, explorer, "seed", key, expected(seed + step)))
    assert not errors(page), "\n".join(errors(page))


def test_answer_explorer(page, lab, timings):
    """Notebook 05's explorer: 240 networks per move."""
    name = "05_whats_the_answer.ipynb"
    if not (NOTEBOOKS / name).exists():
        pytest.skip("notebook 05 not present")
    run_notebook(page, lab, name)
    explorer = explorer_with(page, "E in hidden")

    def expected(excitatory_hidden):
        return text(hc.draw_answer, **{**hc.ANSWER_EXAMPLE, "excitatory_hidden": excitatory_hidden})

    assert read_output(explorer)["text"] == expected(hc.ANSWER_EXAMPLE["excitatory_hidden"])
    timings("05 answer explorer", press(page, explorer, "E in hidden", "ArrowRight",
                                        expected(hc.ANSWER_EXAMPLE["excitatory_hidden"] + 1)))
    assert not errors(page), "\n".join(errors(page))
