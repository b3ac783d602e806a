"""The notebooks as nbval runs them, so that each is executed once per test run and that one run
checks three things: the committed outputs, the student version, and every solution where it is
used.

    python tests/notebook_copies.py notebooks build/nbval

Each copy is the notebook's student version (``tools/strip_solutions.py``: no solution, no note
for teachers; every code cell is the committed one, with its committed outputs kept) with, after
each exercise's stub, one code cell more, tagged ``solution-run``. That cell runs the solution in
a copy of the notebook's names, so the learner's names stay as they were, and its expected output
is the line that the notebook's solution block says the check prints ("✅ right …"). nbval then
compares every code cell's output with the committed one; the stubs print "❌ not done yet".
"""

import importlib.util
import re
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_output

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("strip_solutions",
                                              ROOT / "tools" / "strip_solutions.py")
strip = importlib.util.module_from_spec(spec)
spec.loader.exec_module(strip)

#: The last line of an exercise's stub: its check, ``hc.check("NN.k", answer)``.
CHECK_CALL = re.compile(r'^hc\.check\("(\d\d)\.(\d+)", (.+)\)$')
#: A solution block: exercise number, the solution's code, what its check prints, and why.
SOLUTION_BLOCK = re.compile(r"^<details>\n<summary><b>Solution to exercise (\d+)</b> \(click to "
                            r"open\)</summary>\n\n"
                            r"```python\n(.*?)\n```\n\nIts check "
                            r"prints:\n\n```\n(.*?)\n```\n\n(.*)\n\n</details>$",
                            re.S)
SOLUTION_RUN = "solution-run"


def tagged(cell, tag):
    return tag in cell.metadata.get("tags", [])


def exercises_of(cells):
    """``(stub index, exercise name, answer name)`` for each stub of a notebook, in order."""
    found = []
    for index, cell in enumerate(cells):
        if tagged(cell, "exercise"):
            match = CHECK_CALL.match(cell.source.strip().splitlines()[-1])
            assert match, f"cell {index}: a stub ends with its check, hc.check(\"NN.k\", answer)"
            found.append((index, f"{match.group(1)}.{match.group(2)}", match.group(3)))
    return found


def solution_run(notebook, stub):
    """The cell that runs the solution of the exercise whose stub is ``notebook.cells[stub]``,
    with the output that the solution block after the stub says its check prints."""
    name = exercises_of([notebook.cells[stub]])[0][1]
    block = SOLUTION_BLOCK.match(notebook.cells[stub + 1].source)
    assert block, f"cell {stub + 1}: not the solution block of exercise {name}"
    code = f"exec(hc.solutions.ex{name.replace('.', '_')}, dict(globals()))"
    printed = new_output("stream", name="stdout", text=block.group(3) + "\n")
    return new_code_cell(code, metadata={"tags": [SOLUTION_RUN]}, outputs=[printed],
                         execution_count=notebook.cells[stub].execution_count)  # nbval runs it


def checked_copy(notebook):
    """The copy of ``notebook`` that nbval runs (see the module's docstring)."""
    runs = {index: solution_run(notebook, index) for index, _, _ in exercises_of(notebook.cells)}
    copy = nbformat.from_dict(notebook)
    copy.cells = []
    for index, cell in enumerate(notebook.cells):
        if not (strip.is_solution(cell) or strip.is_for_teachers(cell)):
            copy.cells.append(cell)
        if index in runs:
            copy.cells.append(runs[index])
    return copy


def main(folder, out_dir):
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in sorted(Path(folder).glob("*.ipynb")):
        nbformat.write(checked_copy(nbformat.read(path, as_version=4)), out_dir / path.name)


if __name__ == "__main__":
    main(*sys.argv[1:])
