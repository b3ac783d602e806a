"""Exercises and solutions: the committed notebooks hold the solutions, and the student version still runs.

A solution is any cell tagged ``solution`` (see ``tools/strip_solutions.py``); a stub for students is a code cell
tagged ``exercise``.
"""

import importlib.util
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
every_notebook = pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])

spec = importlib.util.spec_from_file_location("strip_solutions", ROOT / "tools" / "strip_solutions.py")
strip = importlib.util.module_from_spec(spec)
spec.loader.exec_module(strip)


def tagged(cell, tag):
    return tag in cell.metadata.get("tags", [])


def small_notebook():
    stub = new_code_cell("def f():\n    return ...", execution_count=1, metadata={"tags": ["exercise"]})
    solution = new_code_cell("def f():\n    return 1\nprint(f())", execution_count=2,
                             metadata={"tags": ["solution"], "jupyter": {"source_hidden": True}},
                             outputs=[new_output("stream", name="stdout", text="1\n")])
    answer = new_markdown_cell("<details><summary>Answer</summary>42</details>", metadata={"tags": ["solution"]})
    notebook = new_notebook(cells=[new_markdown_cell("# Title"), stub, solution, answer])
    notebook.metadata["widgets"] = {"state": {}}
    return notebook


# ── the tool ────────────────────────────────────────────────────────────────────────────────────────────


def test_is_solution_reads_the_tag():
    stub, solution, answer = small_notebook().cells[1:]
    assert [strip.is_solution(cell) for cell in (stub, solution, answer)] == [False, True, True]
    assert not strip.is_solution(new_code_cell("x = 1"))  # no tags at all


def test_strip_removes_exactly_the_solutions_and_every_output():
    notebook = small_notebook()
    student = strip.strip_solutions(notebook)
    assert [cell.source for cell in student.cells] == ["# Title", "def f():\n    return ..."]
    assert student.cells[1].execution_count is None and student.cells[1].outputs == []
    assert "widgets" not in student.metadata
    assert len(notebook.cells) == 4 and notebook.cells[2].outputs  # the original is left as it was
    assert strip.strip_solutions(student) == student  # stripping twice changes nothing


def test_the_command_writes_student_notebooks_and_never_over_the_solutions(tmp_path, capsys):
    source = tmp_path / "notebooks"
    source.mkdir()
    nbformat.write(small_notebook(), source / "01_small.ipynb")
    assert strip.main([str(source), "--out-dir", str(tmp_path / "student")]) == 0
    written = nbformat.read(tmp_path / "student" / "01_small.ipynb", as_version=4)
    assert len(written.cells) == 2
    with pytest.raises(SystemExit) as stop:
        strip.main([str(source), "--out-dir", str(source)])
    assert stop.value.code == 2 and "holds the notebooks with solutions" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        strip.main([str(tmp_path / "missing.ipynb"), "--out-dir", str(tmp_path / "student")])


# ── the committed notebooks ─────────────────────────────────────────────────────────────────────────────


@every_notebook
def test_the_committed_notebooks_hold_the_solutions(path):
    cells = nbformat.read(path, as_version=4).cells
    stubs = [cell for cell in cells if tagged(cell, "exercise")]
    solutions = [cell for cell in cells if tagged(cell, "solution") and cell.cell_type == "code"]
    assert len(stubs) >= 2, "at least two exercises"
    assert len(solutions) >= len(stubs)
    assert all("..." in stub.source for stub in stubs), "a stub leaves its core lines as ..."
    for solution in solutions:  # run, and collapsed until a reader opens it
        assert solution.execution_count is not None and solution.outputs
        assert solution.metadata.get("jupyter", {}).get("source_hidden") is True
    for cell in cells:  # every "Think!" answer is a collapsed block that the strip takes out
        if cell.cell_type == "markdown" and "<summary><b>Answer</b>" in cell.source:
            assert tagged(cell, "solution") and cell.source.startswith("<details>")


@every_notebook
def test_the_student_version_runs_top_to_bottom(path, tmp_path):
    student = strip.strip_solutions(nbformat.read(path, as_version=4))
    assert not any(strip.is_solution(cell) for cell in student.cells)
    assert any(tagged(cell, "exercise") for cell in student.cells)
    NotebookClient(student, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()  # raises on the first error
    code = [cell for cell in student.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))
    assert not [output for cell in code for output in cell.outputs if output.output_type == "error"]
