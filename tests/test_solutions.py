"""Exercises and solutions: the committed notebooks hold the solutions, hidden until a learner opens them, and the
student version still runs.

A solution is any cell tagged ``solution`` (see ``tools/strip_solutions.py``); a stub for students is a code cell
tagged ``exercise``. An exercise's solution opens with its heading, saved collapsed, and the collapse covers exactly
the solution's cells (code, outputs and prose); a "Think!" answer is one closed ``<details>`` block.
(tests/browser/test_browser_solutions.py opens them in JupyterLab.)
"""

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
every_notebook = pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])

HEADING = re.compile(r"^(#{1,6})\s")
COLLAPSED = "jp-MarkdownHeadingCollapsed"  # JupyterLab's cell metadata for a collapsed heading
SOLUTION_HEADING = re.compile(r"^#### Solution to exercise (\d+)$")

spec = importlib.util.spec_from_file_location("strip_solutions", ROOT / "tools" / "strip_solutions.py")
strip = importlib.util.module_from_spec(spec)
spec.loader.exec_module(strip)


def tagged(cell, tag):
    return tag in cell.metadata.get("tags", [])


def small_notebook():
    stub = new_code_cell("def f():\n    return ...", execution_count=1, metadata={"tags": ["exercise"]})
    solution = new_code_cell("def f():\n    return 1\nprint(f())", execution_count=2, metadata={"tags": ["solution"]},
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


def heading_level(cell):
    """The level of the heading that a markdown cell starts with (1 for ``#``), else ``None``."""
    match = HEADING.match(cell.source) if cell.cell_type == "markdown" else None
    return len(match.group(1)) if match else None


def solution_runs(cells):
    """The runs of consecutive solution cells: lists of cell indices."""
    runs = []
    for index, cell in enumerate(cells):
        if tagged(cell, "solution"):
            if runs and runs[-1][-1] == index - 1:
                runs[-1].append(index)
            else:
                runs.append([index])
    return runs


def hiding_problems(cells):
    """How the solutions of a notebook's ``cells`` could show before a learner opens them, or hide what is not
    theirs. Each run of solution cells is either one "Think!" answer (a markdown ``<details>`` block, closed) or an
    exercise's solution: its heading ``#### Solution to exercise N``, saved collapsed, then the rest, which the
    collapse hides, up to the next heading of its level or above, which must be the first cell after the run."""
    problems = []
    for run in solution_runs(cells):
        first, after = cells[run[0]], run[-1] + 1
        if len(run) == 1 and first.cell_type == "markdown" and re.match(r"<details[\s>]", first.source):
            if re.match(r"<details\s+open", first.source):
                problems.append(f"cell {run[0]}: an answer block that is open")
            continue
        if not (first.cell_type == "markdown" and SOLUTION_HEADING.match(first.source)):
            problems.append(f"cell {run[0]}: a solution that does not open with '#### Solution to exercise N'")
            continue
        if first.metadata.get(COLLAPSED) is not True:
            problems.append(f"cell {run[0]}: the solution's heading is not saved collapsed ({COLLAPSED})")
        inside = [index for index in run[1:] if (heading_level(cells[index]) or 5) <= 4]
        if inside:
            problems.append(f"cell {inside[0]}: a heading inside a solution ends its collapse early")
        if len(run) == 1:
            problems.append(f"cell {run[0]}: a solution heading with nothing under it")
        if after < len(cells) and (heading_level(cells[after]) or 5) > 4:
            problems.append(f"cell {after}: hidden under the solution above it, though not a solution")
        if any(cell.metadata.get("jupyter", {}).get("source_hidden") or cell.metadata.get("jupyter", {}).get(
                "outputs_hidden") for cell in (cells[index] for index in run)):
            problems.append(f"cell {run[0]}: parts hidden again inside the collapse (one click must open it all)")
    return problems


@every_notebook
def test_the_committed_notebooks_hold_the_solutions(path):
    cells = nbformat.read(path, as_version=4).cells
    stubs = [cell for cell in cells if tagged(cell, "exercise")]
    solutions = [cell for cell in cells if tagged(cell, "solution") and cell.cell_type == "code"]
    assert len(stubs) >= 2, "at least two exercises"
    assert len(solutions) >= len(stubs)
    assert all("..." in stub.source for stub in stubs), "a stub leaves its core lines as ..."
    for solution in solutions:
        assert solution.execution_count is not None and solution.outputs  # run
    for cell in cells:  # every "Think!" answer is a closed block that the strip takes out
        if cell.cell_type == "markdown" and "<summary><b>Answer</b>" in cell.source:
            assert tagged(cell, "solution") and cell.source.startswith("<details>")


@every_notebook
def test_every_solution_is_hidden_until_opened(path):
    """Each exercise's solution (heading, code, outputs, prose) stays collapsed in JupyterLab until one click, and
    right after each stub comes its solution, numbered in order."""
    cells = nbformat.read(path, as_version=4).cells
    assert hiding_problems(cells) == []
    stubs = [index for index, cell in enumerate(cells) if tagged(cell, "exercise")]
    headings = [SOLUTION_HEADING.match(cell.source) for cell in cells if cell.cell_type == "markdown"]
    assert [int(match.group(1)) for match in headings if match] == list(range(1, len(stubs) + 1))
    for stub in stubs:
        assert SOLUTION_HEADING.match(cells[stub + 1].source), f"cell {stub + 1}: not the solution of the stub above"


def solution_notebook(*cells):
    return [new_markdown_cell("### Exercise 1"), new_code_cell("x = ...", metadata={"tags": ["exercise"]}), *cells]


SOLVED = {"tags": ["solution"]}
HEAD = new_markdown_cell("#### Solution to exercise 1", metadata={"tags": ["solution"], COLLAPSED: True})


@pytest.mark.parametrize("cells, problem", [
    (solution_notebook(HEAD, new_code_cell("x = 1", metadata=SOLVED), new_markdown_cell("## Next")), None),
    (solution_notebook(new_markdown_cell("<details><summary>Answer</summary>1</details>", metadata=SOLVED)), None),
    (solution_notebook(new_markdown_cell("<details open><summary>Answer</summary>1</details>", metadata=SOLVED)),
     "an answer block that is open"),
    (solution_notebook(new_markdown_cell("**Solution to exercise 1**", metadata=SOLVED),
                       new_code_cell("x = 1", metadata=SOLVED)), "does not open with"),
    (solution_notebook(new_markdown_cell("#### Solution to exercise 1", metadata=SOLVED),
                       new_code_cell("x = 1", metadata=SOLVED)), "not saved collapsed"),
    (solution_notebook(HEAD, new_code_cell("x = 1", metadata=SOLVED), new_markdown_cell("Why x is 1.")),
     "hidden under the solution above it"),
    (solution_notebook(HEAD, new_markdown_cell("#### Aside", metadata=SOLVED), new_code_cell("x = 1", metadata=SOLVED)),
     "a heading inside a solution"),
    (solution_notebook(HEAD, new_code_cell("x = 1", metadata={**SOLVED, "jupyter": {"source_hidden": True}})),
     "hidden again inside the collapse"),
    (solution_notebook(HEAD), "nothing under it"),
])
def test_hiding_problems_are_found(cells, problem):
    found = hiding_problems(cells)
    assert (found == []) if problem is None else (len(found) == 1 and problem in found[0]), found


@pytest.fixture(scope="module")
def student_runs(tmp_path_factory):
    """Every notebook's student version, executed in a folder of its own, two at a time (the machine's two cores),
    the longest first: notebook name → (the student version as executed, nbconvert's exit status, its errors)."""
    import subprocess
    import sys
    from concurrent.futures import ThreadPoolExecutor

    folder = tmp_path_factory.mktemp("student")

    def run(path):
        target = folder / path.name
        nbformat.write(strip.strip_solutions(nbformat.read(path, as_version=4)), target)
        done = subprocess.run([sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", "--inplace",
                               "--ExecutePreprocessor.timeout=300", target.name], cwd=folder, capture_output=True,
                              text=True)
        return path.name, (nbformat.read(target, as_version=4), done.returncode, done.stderr[-3000:])

    longest_first = sorted(NOTEBOOKS, key=lambda path: path.name[:2] not in ("06", "07"))
    with ThreadPoolExecutor(2) as pool:
        return dict(pool.map(run, longest_first))


@every_notebook
def test_the_student_version_runs_top_to_bottom(path, student_runs):
    student, status, errors = student_runs[path.name]
    assert status == 0, errors  # nbconvert stops at the first error
    assert not any(strip.is_solution(cell) for cell in student.cells)
    assert any(tagged(cell, "exercise") for cell in student.cells)
    code = [cell for cell in student.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))
    assert not [output for cell in code for output in cell.outputs if output.output_type == "error"]
