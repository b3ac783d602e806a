"""The committed notebooks: run top to bottom in one kernel, free of errors, and built the way
COURSE.md says.

nbval (``make test``) re-runs every notebook and compares its outputs; it passes a cell that was
never run, so these tests check the execution order and the error outputs of the committed files
themselves.
"""

import ast
from pathlib import Path

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PART_ONE = ["00_start_here", "01_mcculloch_pitts_neuron", "02_hebb_rule",
            "03_clamping_and_one_to_one_maps"]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def read(path):
    return nbformat.read(path, as_version=4)


def code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def markdown(notebook):
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


def tags(cell):
    return cell.metadata.get("tags", [])


def by_name(names):
    paths = [ROOT / "notebooks" / f"{name}.ipynb" for name in names]
    return pytest.mark.parametrize("path", paths, ids=names)


every_notebook = pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])


def test_part_one_is_there():
    assert [path.stem for path in NOTEBOOKS][:4] == PART_ONE


@every_notebook
def test_executed_top_to_bottom_in_one_kernel(path):
    counts = [cell.execution_count for cell in code_cells(read(path))]
    assert counts == list(range(1, len(counts) + 1)), f"{path.name}: execution counts {counts}"


@every_notebook
def test_no_errors_and_no_warnings_in_the_outputs(path):
    for number, cell in enumerate(code_cells(read(path)), start=1):
        for output in cell.outputs:
            assert output.output_type != "error", (f"{path.name}, code "
                                                   f"cell {number}: {output.get('ename')}")
            assert output.get("name") != "stderr", (f"{path.name}, code "
                                                    f"cell {number}: {output.text[:200]}")


@every_notebook
def test_widget_cells_are_left_out_of_the_comparison(path):
    for cell in code_cells(read(path)):
        if any(WIDGET_VIEW in output.get("data", {}) for output in cell.outputs):
            assert "nbval-ignore-output" in tags(cell), cell.source


@every_notebook
def test_figures_are_png_so_that_nbval_does_not_compare_them(path):
    for cell in code_cells(read(path)):
        for output in cell.outputs:
            assert "image/svg+xml" not in output.get("data", {}), cell.source


@by_name(PART_ONE)
def test_the_shape_of_a_notebook(path):
    notebook = read(path)
    text = markdown(notebook)
    assert notebook.cells[0].cell_type == "markdown" and notebook.cells[0].source.startswith("# ")
    assert "**Learning objectives** (about " in text and " minutes)" in text
    assert "## Set-up" in text and "## Summary" in text and "## References" in text
    assert "> **Think!**" in text
    for reference in ("McCulloch, W. S. & Pitts, W. (1943)", "Hebb, D. O. (1949)"):
        assert reference in text


@by_name(PART_ONE[1:])
def test_the_teaching_notebooks_cite_dayan_and_abbott_and_show_a_figure_in_every_explorer(path):
    notebook = read(path)
    assert ("Dayan, P. & Abbott, L. F. (2001). *Theoretical "
            "Neuroscience*, ch.") in markdown(notebook)
    cells = code_cells(notebook)
    explorers = [cell for cell in cells
                 if "nbval-ignore-output" in tags(cell) and "explorer()" in cell.source]
    # the explorer's own output carries its figure, for readers without a kernel
    for cell in explorers:
        assert any("image/png" in output.get("data", {}) for output in cell.outputs)
    # no static copy
    assert not any(".figure" in cell.source and "explorer" in cell.source for cell in cells)


@every_notebook
def test_the_install_cell_runs_pip_only_where_the_core_module_is_missing(path):
    first = code_cells(read(path))[0]
    tree = ast.parse(TransformerManager().transform_cell(first.source))
    (attempt,) = tree.body
    assert isinstance(attempt, ast.Try)
    assert [ast.unparse(node) for node in attempt.body] == ["import hebb_core"]
    (handler,) = attempt.handlers
    assert ast.unparse(handler.type) == "ImportError"
    runs = [ast.unparse(node) for node in ast.walk(handler) if isinstance(node, ast.Call)
            and ast.unparse(node.func) == "subprocess.run"]
    # the course alone, then only what is missing
    assert len(runs) == 2 and "'--no-deps'" in runs[0]
    # no address: one line, no error
    assert not [node for node in ast.walk(handler) if isinstance(node, ast.Raise)]


@by_name(PART_ONE)
def test_no_model_code_outside_the_exercises(path):
    """Functions are defined only by exercises and their solutions; the model itself comes from
    hebb_core."""
    for cell in code_cells(read(path)):
        if not {"exercise", "solution"} & set(tags(cell)):
            tree = ast.parse(TransformerManager().transform_cell(cell.source))
            assert not [node for node in ast.walk(tree)
                        if isinstance(node, (ast.FunctionDef, ast.ClassDef))], cell.source


# characters: a code line of the course is read whole in the notebook's column
CODE_LINE_LIMIT = 88


def long_code_lines(notebook):
    """(code cell number, line number, length) of every code line longer than the limit."""
    return [(number, line_number, len(line))
            for number, cell in enumerate(code_cells(notebook), start=1)
            for line_number, line in enumerate(cell.source.splitlines(), start=1)
            if len(line) > CODE_LINE_LIMIT]


COURSE_NOTEBOOKS = [*NOTEBOOKS, ROOT / "app" / "explorers.ipynb"]


@pytest.mark.parametrize("path", COURSE_NOTEBOOKS,
                         ids=[*(path.stem for path in NOTEBOOKS), "app-explorers"])
def test_every_code_line_fits_the_column(path):
    long_lines = long_code_lines(read(path))
    assert not long_lines, (f"{path.name}: code lines over {CODE_LINE_LIMIT} characters "
                            f"(cell, line, length): {long_lines}")


def test_a_code_line_over_the_limit_is_found():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("x" * 200),
        nbformat.v4.new_code_cell("short = 1\n" + "x = " + "1" * 85),
        nbformat.v4.new_code_cell("y = " + "2" * 84)])
    assert long_code_lines(notebook) == [(1, 2, 89)]
