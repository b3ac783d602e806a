"""The notebook tools (tools/strip_solutions.py, tools/build_site.py, tools/stamp_notebooks.py)
refuse a malformed notebook or path with one line that names the file and the problem, exit with
status 2 and write nothing; they read notebooks through tools/notebook_files.py."""

import json
import os
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402 (scripts, not modules of the package)
import stamp_notebooks  # noqa: E402
import strip_solutions  # noqa: E402


def good_notebook():
    """A notebook every tool takes: a title cell with the navigation's place, the install cell, a
    solution."""
    install = stamp_notebooks.install_cell(None)
    return new_notebook(cells=[new_markdown_cell("# 00 · A title"), new_code_cell(install),
                               new_markdown_cell("An answer", metadata={"tags": ["solution"]})])


def notebook_bytes(**changes):
    notebook = json.loads(nbformat.writes(good_notebook()))
    notebook.update(changes)
    return json.dumps(notebook).encode()


def cell_changed(**changes):
    notebook = json.loads(nbformat.writes(good_notebook()))
    notebook["cells"][1].update(changes)
    return json.dumps(notebook).encode()


def without(key, cell=None):
    notebook = json.loads(nbformat.writes(good_notebook()))
    del (notebook if cell is None else notebook["cells"][cell])[key]
    return json.dumps(notebook).encode()


MALFORMED = [
    ("empty", b"", "an empty file, not a notebook"),
    ("not JSON", b"{'cells': }",
     "not JSON (line 1, column 2: Expecting property name enclosed in double quotes)"),
    ("a JSON list", b"[1, 2]", "a JSON list, not a notebook (a JSON object)"),
    ("nbformat 3", notebook_bytes(nbformat=3), "nbformat 3, not 4"),
    ("no cells", without("cells"), "no list of cells ('cells')"),
    ("cells not a list", notebook_bytes(cells={"a": 1}), "no list of cells ('cells')"),
    ("a cell without type", without("cell_type", cell=1), "cell 1: no cell_type"),
    ("a cell of another type", cell_changed(cell_type="python"),
     "cell 1: cell_type 'python', not one of markdown"),
    ("tags not a list", cell_changed(metadata={"tags": "solution"}),
     "cell 1: its tags are not a list of strings"),
    ("source not text", cell_changed(source=5), "cell 1: its source is not text"),
    ("10^5-deep JSON", b"[" * 10**5 + b"]" * 10**5, "JSON nested more than 64 deep"),
    ("deep in a cell", cell_changed(metadata={"x": json.loads("[" * 70 + "]" * 70)}),
     "JSON nested more than 64"),
    ("UTF-16", notebook_bytes().decode().encode("utf-16"), "UTF-16 text, not UTF-8"),
    ("not UTF-8", b'{"cells": "\xff"}', "not UTF-8 text (line 1)"),
    ("outputs of a code cell missing", without("outputs", cell=1), "not a valid notebook"),
]
IDS = [name for name, _, _ in MALFORMED]


@pytest.fixture
def folder(tmp_path):
    """A folder with a good notebook, where a bad one goes beside it."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nbformat.write(good_notebook(), notebooks / "00_good.ipynb")
    return notebooks


def refused(capsys, main, argv):
    """Run a tool's ``main(argv)``: it must exit with status 2; its one line on stderr."""
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.splitlines()) == 1
    return captured.err


#: The tools that read a folder of notebooks: ``main``, and its arguments for a folder and for the
#: folder it would write.
NOTEBOOK_TOOLS = {
    "strip_solutions": (strip_solutions.main, lambda folder, out: [str(folder), "--out-dir", out]),
    "build_site": (build_site.main,
                   lambda folder, out: ["--notebooks", str(folder), "--out", out]),
}


@pytest.mark.parametrize("tool", NOTEBOOK_TOOLS)
@pytest.mark.parametrize("content, problem",
                         [(content, problem) for _, content, problem in MALFORMED], ids=IDS)
def test_a_tool_refuses_a_malformed_notebook_and_writes_nothing(folder, capsys, tool, content,
                                                                  problem):
    main, arguments = NOTEBOOK_TOOLS[tool]
    bad, out = folder / "01_bad.ipynb", folder.parent / "out"
    bad.write_bytes(content)
    error = refused(capsys, main, arguments(folder, str(out)))
    # after the program's name
    assert error.split(": ", 1)[1].startswith(f"error: {bad}: ") and problem in error
    assert not out.exists()


@pytest.mark.parametrize("content, problem",
                         [(content, problem) for _, content, problem in MALFORMED
                          if "valid notebook" not in problem],  # nbformat's own schema: not here
                         ids=[name for name, _,
                              problem in MALFORMED if "valid notebook" not in problem])
def test_stamp_notebooks_refuses_a_malformed_notebook_and_writes_nothing(folder, capsys, content,
                                                                           problem):
    root = folder.parent
    shutil.copy(ROOT / "pyproject.toml", root)
    (root / "README.md").write_text("# A course\n", encoding="utf-8")
    bad = folder / "01_bad.ipynb"
    bad.write_bytes(content)
    before = {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}
    error = refused(capsys, stamp_notebooks.main, ["--root", str(root)])
    assert error.startswith(f"stamp_notebooks.py: {bad}: ") and problem in error
    assert {path: path.read_bytes() for path in root.rglob("*") if path.is_file()} == before


def test_a_notebook_without_cells_has_no_title_to_stamp(folder, capsys):
    root = folder.parent
    shutil.copy(ROOT / "pyproject.toml", root)
    (root / "README.md").write_text("# A course\n", encoding="utf-8")
    nbformat.write(new_notebook(cells=[]), folder / "01_empty.ipynb")
    error = refused(capsys, stamp_notebooks.main, ["--root", str(root)])
    assert error == ("stamp_notebooks.py: 01_empty: the first line of a notebook is its title, '# "
                     "NN · Title', not ''\n")


def test_an_output_folder_that_is_a_file_is_refused(folder, capsys):
    (folder.parent / "taken").write_text("a file")
    error = refused(capsys, strip_solutions.main,
                    [str(folder), "--out-dir", str(folder.parent / "taken")])
    assert error.split(": ",
                       1)[1] == (f"error: --out-dir {folder.parent / 'taken'}: it is a file, "
                                       f"not a folder\n")
    error = refused(capsys, build_site.main,
                    ["--notebooks", str(folder), "--out", str(folder.parent / "taken" / "x")])
    assert error.split(": ", 1)[1] == (f"error: --out {folder.parent / 'taken' / 'x'}: "
                                       f"{folder.parent / 'taken'} is a file, not a folder\n")
    assert (folder.parent / "taken").read_text() == "a file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_fifo_named_like_a_notebook_is_refused_without_waiting(folder, capsys):
    # strip_solutions takes a folder's notebooks that are files; named, it is read
    os.mkfifo(folder / "01_pipe.ipynb")
    error = refused(capsys, build_site.main,
                    ["--notebooks", str(folder), "--out", str(folder.parent / "site")])
    assert error.split(": ",
                       1)[1] == (f"error: {folder / '01_pipe.ipynb'}: a FIFO (a named pipe), "
                                       f"not a notebook file\n")


def test_a_missing_folder_of_notebooks_is_refused(tmp_path, capsys):
    error = refused(capsys, build_site.main,
                    ["--notebooks", str(tmp_path / "nowhere"), "--out", str(tmp_path / "s")])
    assert error.split(": ", 1)[1] == f"error: --notebooks {tmp_path / 'nowhere'}: not a folder\n"


def test_the_good_notebooks_go_through_every_tool(folder, capsys):
    assert strip_solutions.main([str(folder), "--out-dir", str(folder.parent / "student")]) == 0
    student = nbformat.read(folder.parent / "student" / "00_good.ipynb", as_version=4)
    assert [cell.cell_type for cell in student.cells] == ["markdown", "code"]
    assert build_site.main(["--notebooks", str(folder), "--out", str(folder.parent / "site")]) == 0
    assert (folder.parent / "site" / "00_good.html").exists()
