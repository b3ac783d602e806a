"""Make the student version of the course's notebooks: the solutions and the notes for teachers
taken out, the outputs cleared.

    python tools/strip_solutions.py notebooks --out-dir student

The committed notebooks hold the solutions. A solution is a markdown cell tagged ``solution``: one
closed ``<details>`` block, "Solution to exercise N", with the solution's code (the same text as
``hebblab/solutions.py``, which ``%load hc.solutions.ex02_1`` loads into a cell), what its check
prints, and why. Being markdown, a solution never runs with the notebook. A note for teachers is a
cell tagged ``teacher``. Both are taken out. Everything a learner uses stays: the stubs (tagged
``exercise``) with their checks (``hc.check(...)``), the hints (``hint``), the concept checks
(``concept-check``) and the answers to "Think!" questions (``answer``). The student version has no
outputs, so that every student starts from a clean notebook, and each check prints ``❌ not done
yet`` until its stub is filled in.
"""

import argparse
import copy
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for its neighbour notebook_files.py
from notebook_files import check_folder, make_folder, read_node  # noqa: E402

SOLUTION_TAG = "solution"
TEACHER_TAG = "teacher"


def is_solution(cell):
    """Whether a notebook cell is part of a solution (it carries the tag ``solution``)."""
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def is_for_teachers(cell):
    """Whether a notebook cell is a note for teachers (it carries the tag ``teacher``)."""
    return TEACHER_TAG in cell.get("metadata", {}).get("tags", [])


def strip_solutions(notebook):
    """A copy of ``notebook`` without its solution cells and notes for teachers, with every output
    and execution count cleared."""
    student = copy.deepcopy(notebook)
    student.cells = [cell for cell in student.cells
                     if not (is_solution(cell) or is_for_teachers(cell))]
    for cell in student.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    student.metadata.pop("widgets", None)  # saved slider states belong to the executed version
    return student


def notebook_paths(paths):
    """The ``.ipynb`` files named in ``paths`` (files, or folders whose notebooks are taken),
    sorted by name."""
    found = []
    for path in map(Path, paths):
        found += sorted(path.glob("*.ipynb")) if path.is_dir() else [path]
    missing = [str(path) for path in found if not path.is_file() or path.suffix != ".ipynb"]
    if missing or not found:
        raise ValueError(f"not notebooks: {', '.join(missing) or ' '.join(map(str, paths))}")
    return found


def main(argv=None):
    """Write the student version of every notebook named on the command line into ``--out-dir``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="notebooks, or folders of notebooks")
    parser.add_argument("--out-dir", required=True, type=Path,
                        help="folder for the student notebooks")
    args = parser.parse_args(argv)
    try:  # every notebook read and checked, and the folder, before anything is written
        paths = notebook_paths(args.paths)
        notebooks = [read_node(path) for path in paths]
        check_folder(args.out_dir, "--out-dir")
        if any(path.parent.resolve() == args.out_dir.resolve() for path in paths):
            raise ValueError(f"--out-dir {args.out_dir} holds the notebooks with solutions; "
                             f"choose another folder")
        make_folder(args.out_dir, "--out-dir")
        for path, notebook in zip(paths, notebooks):
            nbformat.write(strip_solutions(notebook), args.out_dir / path.name)
            print(f"Wrote {args.out_dir / path.name}")
    except (ValueError, OSError) as error:
        parser.exit(2, f"{parser.prog}: error: {error}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
