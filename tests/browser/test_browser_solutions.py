"""The solutions in JupyterLab, in a real browser: hidden when a notebook opens, and open with one click.

An exercise's solution opens with its heading, saved collapsed: JupyterLab shows the heading and an "n cells
hidden" button, and keeps the solution's code, outputs and prose out of view until the button is clicked once;
then all of them show. A "Think!" answer is a ``<details>`` block, closed. Running all cells (what a learner does
first) leaves the solutions hidden. Two notebooks are opened as committed (no cell is run), the first and the one
with the most solutions, and 03 is run: the same metadata does the same in every notebook, which
``tests/test_solutions.py`` checks for each.
"""

from pathlib import Path

import nbformat
import pytest

from .browser_pages import errors, NOTEBOOK, open_notebook, run_all_cells

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))

# Per cell of the notebook on show: whether it is in view (laid out), and, for a code cell, whether its input
# editor and its outputs are; and the open state of each <details> block in a rendered markdown cell.
CELLS = """() => [...document.querySelectorAll('%s .jp-Cell')].map(cell => {
    const shown = element => element !== null && element.offsetParent !== null && element.getClientRects().length > 0;
    const outputs = [...cell.querySelectorAll('.jp-OutputArea-output')];
    return {
        shown: shown(cell),
        input: shown(cell.querySelector(cell.classList.contains('jp-MarkdownCell') ? '.jp-RenderedMarkdown'
                                                                                 : '.jp-InputArea-editor')),
        outputs: outputs.length ? outputs.every(shown) : null,
        details: [...cell.querySelectorAll('.jp-RenderedMarkdown details')].map(block => block.open),
    };
})""" % NOTEBOOK


@pytest.fixture(autouse=True)
def one_kernel_at_a_time(lab):
    yield
    lab.shutdown_kernels()


def solution_runs(cells):
    """``(heading index, [indices of the cells under it])`` for each exercise's solution."""
    runs = []
    for index, cell in enumerate(cells):
        if "solution" not in cell.metadata.get("tags", []):
            continue
        if cell.cell_type == "markdown" and cell.source.startswith("#### Solution to exercise"):
            runs.append((index, []))
        elif runs and index - 1 in (runs[-1][0], *runs[-1][1]):
            runs[-1][1].append(index)
    return runs


def check_hidden_then_open(page, cells):
    """Every solution is hidden, every answer block closed; one click on a solution's button shows all of it."""
    state = page.evaluate(CELLS)
    assert len(state) == len(cells)
    runs = solution_runs(cells)
    assert runs
    for index, cell in enumerate(cells):
        if "solution" in cell.metadata.get("tags", []) and cell.source.startswith("<details"):
            assert state[index]["details"] == [False], f"cell {index}: the answer block is open"
    for heading, hidden in runs:
        assert state[heading]["shown"], f"cell {heading}: the solution's heading is not in view"
        assert hidden and not any(state[index]["shown"] for index in hidden), f"cell {heading}: the solution shows"
    buttons = page.locator(f"{NOTEBOOK} .jp-Cell .jp-showHiddenCellsButton")
    assert buttons.count() == len(runs)
    for number, (heading, hidden) in enumerate(runs):
        button = page.locator(f"{NOTEBOOK} .jp-Cell").nth(heading).locator(".jp-showHiddenCellsButton")
        assert button.inner_text().strip() == f"{len(hidden)} cell{'s' if len(hidden) > 1 else ''} hidden"
        button.click()  # one click
        state = page.evaluate(CELLS)
        for index in hidden:
            assert state[index]["shown"] and state[index]["input"], f"cell {index} still hidden after the click"
            if cells[index].cell_type == "code" and cells[index].outputs:
                assert state[index]["outputs"], f"cell {index}: outputs still hidden after the click"
        later = [index for _, rest in runs[number + 1:] for index in rest]
        assert not any(state[index]["shown"] for index in later), "one click opened another solution too"


@pytest.mark.parametrize("path", [path for path in NOTEBOOKS if path.name[:2] in ("00", "06")],
                         ids=lambda path: path.stem)
def test_solutions_are_hidden_until_one_click(page, lab, path):
    open_notebook(page, lab, path.name)
    check_hidden_then_open(page, nbformat.read(path, as_version=4).cells)
    assert not errors(page), "\n".join(errors(page))


def test_running_all_cells_leaves_the_solutions_hidden(page, lab):
    path = next(path for path in NOTEBOOKS if path.name.startswith("03_"))
    open_notebook(page, lab, path.name)
    run_all_cells(page)
    check_hidden_then_open(page, nbformat.read(path, as_version=4).cells)
    assert not errors(page), "\n".join(errors(page))
