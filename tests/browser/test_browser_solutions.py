"""Exercises in JupyterLab, in a real browser: what is folded stays folded, opens with one click,
and running all cells runs no solution and leaves a learner's code in place.

An exercise's solution is a closed ``<details>`` block in a markdown cell, so no solution code ever
runs with the notebook; hints, concept checks and "Think!" answers are closed blocks too, which
JupyterLab renders as they are (plain HTML, no script). A learner who has written a function (here:
one with a likely mistake in it) and runs all cells sees the check's hint for that mistake, "not
done yet" for an exercise not yet done, and their own function still in use afterwards.
``tests/test_solutions.py`` checks the same cells in every notebook. The tests share one page, in
which each opens its notebook from the file browser, as a learner goes from one to the next.
"""

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

import hebb_core as hc

from .browser_pages import (
    errors,
    NOTEBOOK,
    open_from_the_file_browser,
    open_notebook,
    run_all_cells,
)
from .conftest import recording_page

START = next((Path(__file__).resolve().parents[2] / "notebooks").glob("00_*.ipynb"))
FOLDED = ("solution", "hint", "answer", "concept-check")

# Per cell: its tags' kind of fold, the open state of each <details> block rendered in it, the text
# of its outputs.
CELLS = """() => [...document.querySelectorAll('%s .jp-Cell')].map(cell => ({
    details: [...cell.querySelectorAll('.jp-RenderedMarkdown details')].map(block => block.open),
    shown: [...cell.querySelectorAll('.jp-RenderedMarkdown details pre')].map(
        // false inside a closed <details> (content-visibility: hidden)
        pre => pre.checkVisibility()),
    outputs: [...cell.querySelectorAll('.jp-OutputArea-output')]
        .map(output => output.textContent).join(''),
}))""" % NOTEBOOK


LEARNER = "00_learner.ipynb"


def learners_copy():
    """Notebook 00 with exercise 1 answered with a likely mistake (the output layer counted),
    exercise 2 untouched, and a last cell that uses the learner's function; and the numbers of the
    exercises' cells."""
    notebook = nbformat.read(START, as_version=4)
    stubs = [index for index, cell in enumerate(notebook.cells)
             if "exercise" in cell.metadata.get("tags", [])]
    mine = notebook.cells[stubs[0]].source.replace("P = ...", "P = N * L")
    assert mine != notebook.cells[stubs[0]].source
    notebook.cells[stubs[0]].source = mine
    notebook.cells.append(new_code_cell('print("mine:", count_ei_ratios(3, 3))'))
    return notebook, stubs


@pytest.fixture(scope="module")
def shown(browser, lab):
    """One page with notebook 00 open; the learner's copy of it is in the file browser."""
    nbformat.write(learners_copy()[0], lab.notebooks / LEARNER)
    with recording_page(browser) as page:
        open_notebook(page, lab, START.name)
        yield page
    lab.shutdown_kernels()


def folded(cell):
    return "<details>" in cell.source and any(tag in cell.metadata.get("tags", [])
                                              for tag in FOLDED)


def test_solutions_hints_and_answers_are_closed_and_one_click_opens_one(shown, lab):
    page = shown
    cells = nbformat.read(START, as_version=4).cells
    open_from_the_file_browser(page, lab, START.name)
    state = page.evaluate(CELLS)
    assert len(state) == len(cells)
    kinds = set()
    for index, cell in enumerate(cells):
        if folded(cell):
            kinds |= set(cell.metadata["tags"]) & set(FOLDED)
            assert state[index]["details"] and not any(state[index]["details"]), \
                f"cell {index}: not closed"
    assert kinds == {"solution", "hint", "answer"}  # 00 has no concept check; 01-07 have them
    solution = next(index for index, cell in enumerate(cells)
                    if "solution" in cell.metadata.get("tags", [])
                    and "Solution to exercise 1" in cell.source)
    # the code and what the check prints, out of view
    assert state[solution]["shown"] == [False, False]
    # one click
    page.locator(f"{NOTEBOOK} .jp-Cell").nth(solution).locator("summary").first.click()
    state = page.evaluate(CELLS)
    assert state[solution]["details"] == [True] and state[solution]["shown"] == [True, True]
    later = [index for index, cell in enumerate(cells) if folded(cell) and index != solution]
    assert not any(any(state[index]["details"]) for index in later), \
        "one click opened another block too"
    assert not errors(page), "\n".join(errors(page))


def test_running_all_cells_runs_no_solution_and_keeps_the_learners_function(shown, lab):
    """Exercise 1 answered with a likely mistake (the output layer counted), exercise 2 untouched;
    after Run All the checks say so, and the learner's function is the one in use."""
    page = shown
    notebook, stubs = learners_copy()
    open_from_the_file_browser(page, lab, LEARNER)
    run_all_cells(page)
    state = page.evaluate(CELLS)
    assert state[stubs[0]]["outputs"].startswith("❌ you counted the output layer too")
    assert state[stubs[1]]["outputs"].startswith("❌ not done yet: ")
    # 3 layers of 3 counted
    assert state[-1]["outputs"].strip() == f"mine: {len(hc.generate_ei_ratios(3 * 3))}"
    assert not any("✅" in cell["outputs"] for cell in state), "a solution ran"
    for index, cell in enumerate(notebook.cells):
        if folded(cell):
            assert not any(state[index]["details"]), f"cell {index} opened by running all cells"
    assert not errors(page), "\n".join(errors(page))


def test_a_concept_check_answers_at_one_click(shown, lab, tmp_path):
    """01's first concept check, as JupyterLab renders it: its options closed, and one click on an
    option shows whether it is right."""
    path = next(START.parent.glob("01_*.ipynb"))
    cells = nbformat.read(path, as_version=4).cells
    index = next(index for index, cell in enumerate(cells)
                 if "concept-check" in cell.metadata.get("tags", []))
    right = [line.startswith("✅") for line in cells[index].source.splitlines()
             if line[:1] in ("✅", "❌")]
    page = shown
    open_from_the_file_browser(page, lab, path.name)
    options = page.locator(f"{NOTEBOOK} .jp-Cell").nth(index) \
        .locator(".jp-RenderedMarkdown details")
    assert options.count() == len(right) >= 2
    for number, is_right in enumerate(right):
        options.nth(number).locator("summary").click()
        assert options.nth(number).evaluate("block => block.open")
        text = options.nth(number).inner_text()
        assert ("✅" in text, "❌" in text) == (is_right, not is_right), text
    options.nth(0).scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "concept_check.png"))
    assert not errors(page), "\n".join(errors(page))
