"""Figure text as displayed at 1280 × 720: every kernel the tests start checks each figure it shows
(figure_text.py, loaded by an IPython startup file that tests/conftest.py sets up), so that
nbval's one run of every notebook fails on a figure whose text would be under 11 px on screen.
Here a planted 6-pt label and a figure far wider than the column, shrunk to fit it, are found;
the course's figure passes."""

import figure_text
import matplotlib
import pytest
from matplotlib.figure import Figure
from nbformat.v4 import new_code_cell, new_notebook

import hebb_core as hc

matplotlib.use("Agg")


def test_the_smallest_text_is_measured_as_displayed():
    figure = Figure(figsize=(4, 3), dpi=100)
    figure.subplots().set_xlabel("planted", fontsize=6)
    assert figure_text.smallest_text(figure) == (pytest.approx(6 * 100 / 72), "planted")
    wide = Figure(figsize=(17, 3), dpi=100)  # 1,700 px, shown at the column's 848
    wide.subplots().set_xlabel("wide", fontsize=10)
    pixels, _ = figure_text.smallest_text(wide)
    assert pixels == pytest.approx(10 * 100 / 72 * figure_text.COLUMN_PX / 1700)
    assert pixels < figure_text.SMALLEST_TEXT_PX
    assert figure_text.smallest_text(Figure()) == (None, None)
    course = hc.plot_traces({"w": [0.0, 1.0]})
    assert figure_text.smallest_text(course)[0] >= figure_text.SMALLEST_TEXT_PX


def test_a_kernel_of_the_tests_prints_a_line_under_a_figure_whose_text_is_too_small():
    """A kernel started by the tests (as nbval's are) shows three figures: under the planted
    label's and the shrunk figure's it prints a line that no committed output has, so that nbval
    fails there; the course's figure passes."""
    from nbclient import NotebookClient

    cells = ["import matplotlib.pyplot as plt\nimport hebb_core as hc",
             "figure = hc.plot_traces({'w': [0.0, 1.0]})",
             "figure = plt.figure(figsize=(4, 3), dpi=100)\n"
             "figure.subplots().set_xlabel('planted', fontsize=6);",
             "figure = plt.figure(figsize=(17, 3), dpi=100)\n"
             "figure.subplots().tick_params(labelsize=10)"]
    notebook = new_notebook(cells=[new_code_cell(code) for code in cells])
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    printed = ["".join(output.get("text", "") for output in cell.outputs
                       if output.output_type == "stream") for cell in notebook.cells]
    shown = [sum("image/png" in output.get("data", {}) for output in cell.outputs)
             for cell in notebook.cells]
    assert shown == [0, 1, 1, 1]
    assert printed[:2] == ["", ""]
    assert printed[2] == ("figure text under 11 px as displayed at 1280x720: 'planted', "
                          "8.3 px\n")
    assert printed[3].startswith("figure text under 11 px as displayed at 1280x720: ")
    assert float(printed[3].split(", ")[-1].removesuffix(" px\n")) \
        == pytest.approx(10 * 100 / 72 * figure_text.COLUMN_PX / 1700, abs=0.05)
