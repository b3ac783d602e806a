"""Write what every notebook shares from one source: the navigation, the install cell and the
badges.

    # stamp the notebooks and the README from pyproject.toml
    python tools/stamp_notebooks.py
    # set the address, then stamp
    python tools/stamp_notebooks.py --repository https://github.com/<owner>/<name>
    # change nothing; exit 1 if a file is not as stamped
    python tools/stamp_notebooks.py --check

The repository's address lives in one place, ``Repository`` in ``pyproject.toml``'s
``[project.urls]``. From it this script writes

* the first code cell of every notebook, folded, which installs the course on Colab (or any Jupyter
  without it) once per runtime, leaving the packages already there as they are; without an address
  it says in one neutral line that the course is not installed and that the README says how;
* the Colab and Binder badges under the title of every notebook and of the README (none without an
  address);
* the navigation line under each notebook's title and at the end of its last cell: the previous
  notebook, ``00 · Start here`` and the next one, with the titles of the notebooks' own first
  lines.

It touches nothing else, and stamping twice changes nothing. Only the standard library: it runs
before anything is installed.
"""

import argparse
import json
import re
import sys
import tomllib
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for its neighbour notebook_files.py
from notebook_files import read_notebook  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BRANCH = "main"  # Colab opens a notebook from a branch; Binder builds the default branch (HEAD)

GITHUB = re.compile(r"https://github\.com/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))"
                    r"/([A-Za-z0-9._-]{1,100})")
_ITEM = r"(?:\[[^\]]*\]\(\d\d_[\w.-]*\.ipynb\)|\*\*\d\d · [^*]+\*\*)"
# a line of links to notebooks only (also the old, hand-written)
NAV = re.compile(rf"{_ITEM}(?: (?:\||·) {_ITEM})*")
BADGES = re.compile(r"\[!\[Open in Colab\]\(.*")
INSTALL_MARK = "# @title Set-up"
OLD_INSTALL_MARKS = ("# Binder and Colab", "# Colab (or any Jupyter without the course):")
NOT_SET = '""  # not set yet'
# the install cell is folded: JupyterLab shows it as one line of dots, Colab as its title (a form)
INSTALL_METADATA = {"jupyter": {"source_hidden": True}, "cellView": "form"}

INSTALL_CELL = '''\
# @title Set-up: installs the course where it is missing (Colab)
# Where it is installed, nothing happens. Written by tools/stamp_notebooks.py from
# pyproject.toml; it leaves every package already there as it is.
try:
    import hebb_core
except ImportError:
    COURSE_REPOSITORY = {address}
    if not COURSE_REPOSITORY:
        print("The course is not installed here: its README says how "
              "(make lab, or pip install .).")
    else:
        import importlib
        import importlib.metadata as metadata
        import re
        import subprocess
        import sys

        pip = [sys.executable, "-m", "pip", "install", "--quiet"]
        # the course alone
        subprocess.run([*pip, "--no-deps", f"hebb-course @ git+{{COURSE_REPOSITORY}}"],
                       check=True)
        installed = {{(distribution.metadata["Name"] or "").lower()
                     for distribution in metadata.distributions()}}
        missing = [requirement for requirement in metadata.requires("hebb-course")
                   if "extra ==" not in requirement
                   and re.match(r"[\\w.-]+", requirement)[0].lower() not in installed]
        if missing:  # only what this runtime lacks (Colab has it all)
            subprocess.run([*pip, *missing], check=True)
        importlib.invalidate_caches()
        import hebb_core'''


def check_repository(address):
    """The address as given, if it is a GitHub repository's
    (``https://github.com/<owner>/<name>``): Colab opens notebooks from GitHub. Otherwise
    ``ValueError``."""
    if not isinstance(address, str) or not GITHUB.fullmatch(address) or address.endswith(".git"):
        raise ValueError(f"repository: {address!r} is not a GitHub repository's address, "
                         "https://github.com/<owner>/<name> (no .git, no trailing /)")
    return address


def repository(pyproject_text):
    """``Repository`` in ``[project.urls]``, checked; ``None`` where it is not set."""
    address = tomllib.loads(pyproject_text).get("project", {}).get("urls", {}).get("Repository")
    return None if address is None else check_repository(address)


def set_repository(pyproject_text, address):
    """The text of pyproject.toml with ``Repository = address`` in ``[project.urls]`` (replaced or
    added)."""
    line = f'Repository = "{check_repository(address)}"'
    lines = pyproject_text.split("\n")
    start = lines.index("[project.urls]")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("[")), len(lines))
    for i in range(start + 1, end):
        if re.match(r"Repository\s*=", lines[i]):
            lines[i] = line
            break
    else:
        lines.insert(start + 1, line)
    text = "\n".join(lines)
    assert repository(text) == address
    return text


def install_cell(address):
    """The source of every notebook's first code cell, for ``address`` (or ``None``: not set)."""
    return INSTALL_CELL.format(address=f'"{address}"' if address else NOT_SET)


def badges(address, path):
    """The badges that open ``path`` (a notebook, relative to the repository) on Colab and on
    Binder; ``None`` without an address."""
    if not address:
        return None
    owner, name = GITHUB.fullmatch(address).groups()
    colab = f"https://colab.research.google.com/github/{owner}/{name}/blob/{BRANCH}/{path}"
    binder = f"https://mybinder.org/v2/gh/{owner}/{name}/HEAD?labpath={quote(path, safe='')}"
    return ("[![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
            f"({colab}) "
            f"[![Open on Binder](https://mybinder.org/badge_logo.svg)]({binder})")


def title(notebook):
    """A notebook's title, from the first line of its first cell (``# 03 · Clamping and one-to-one
    maps``)."""
    first = "".join(notebook["cells"][0]["source"]).split("\n", 1)[0] if notebook["cells"] else ""
    match = re.fullmatch(r"# (\d\d · .+?)(?::.*)?", first)
    if not match:
        raise ValueError(f"the first line of a notebook is its title, '# NN · Title', "
                         f"not {first!r}")
    return match.group(1)


def navigation(names, titles, index):
    """The line that links notebook ``index`` to the one before, to 00 and to the one after."""
    link = "[{}]({}.ipynb)".format
    items = []
    if index > 0:
        items.append(link(f"← {titles[index - 1]}", names[index - 1]))
    if index > 1:
        items.append(link(titles[0], names[0]))
    if index + 1 < len(names):
        items.append(link(f"{titles[index + 1]} →", names[index + 1]))
    return " | ".join(items)


def _lines(cell):
    return "".join(cell["source"]).split("\n")


def _set(cell, lines):
    text = "\n".join(lines)
    cell["source"] = text.splitlines(keepends=True)


def _strip_blank(lines, end):
    while lines and not (lines[-1] if end else lines[0]).strip():
        lines.pop(-1 if end else 0)


def stamp_head(lines, nav, badge_line):
    """The first cell's lines: the title, then the navigation and the badges, then the cell's own
    text."""
    head, rest = lines[0], lines[1:]
    _strip_blank(rest, end=False)
    while rest and (NAV.fullmatch(rest[0]) or BADGES.fullmatch(rest[0])):
        rest.pop(0)
        _strip_blank(rest, end=False)
    return [head, "", nav, ""] + ([badge_line, ""] if badge_line else []) + rest


def stamp_tail(lines, nav):
    """The last cell's lines, ending with the navigation."""
    lines = list(lines)
    _strip_blank(lines, end=True)
    while lines and NAV.fullmatch(lines[-1]):
        lines.pop()
        _strip_blank(lines, end=True)
    return lines + ([""] if lines else []) + [nav]


def _markdown(lines):
    cell = {"cell_type": "markdown", "metadata": {}, "source": []}
    _set(cell, lines)
    return cell


def stamp_notebooks(notebooks, address):
    """Stamp ``notebooks`` (name → notebook as JSON data, in the course's order) in place for
    ``address``."""
    names = list(notebooks)
    titles = []
    for name in names:
        try:
            titles.append(title(notebooks[name]))
        except ValueError as error:
            raise ValueError(f"{name}: {error}") from None
    for index, name in enumerate(names):
        cells = notebooks[name]["cells"]
        nav = navigation(names, titles, index)
        if cells[0]["cell_type"] != "markdown":
            raise ValueError(f"{name}: the first cell is the title's markdown cell")
        _set(cells[0],
             stamp_head(_lines(cells[0]), nav, badges(address, f"notebooks/{name}.ipynb")))
        code = next((cell for cell in cells if cell["cell_type"] == "code"), None)
        if code is None or not "".join(code["source"]).startswith((INSTALL_MARK,
                                                                    *OLD_INSTALL_MARKS)):
            raise ValueError(f"{name}: the first code cell is the install cell")
        _set(code, install_cell(address).split("\n"))
        code["metadata"].update(INSTALL_METADATA)
        if cells[-1]["cell_type"] == "markdown" and len(cells) > 1:
            _set(cells[-1], stamp_tail(_lines(cells[-1]), nav))
        else:
            cells.append(_markdown([nav]))
    return notebooks


def stamp_readme(text, address):
    """The README with the badges that open notebook 00 under its title (none without an
    address)."""
    lines = text.split("\n")
    head, rest = lines[0], lines[1:]
    _strip_blank(rest, end=False)
    while rest and BADGES.fullmatch(rest[0]):
        rest.pop(0)
        _strip_blank(rest, end=False)
    badge_line = badges(address, "notebooks/00_start_here.ipynb")
    return "\n".join([head, ""] + ([badge_line, ""] if badge_line else []) + rest)


def dump(notebook):
    """A notebook as Jupyter writes it (one space of indent, keys sorted, a final newline)."""
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def stamped(root, address):
    """Every file this script writes, path → its stamped text, for the course in ``root``."""
    paths = sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    notebooks = stamp_notebooks({path.stem: read_notebook(path) for path in paths}, address)
    files = {path: dump(notebooks[path.stem]) for path in paths}
    readme = root / "README.md"
    files[readme] = stamp_readme(readme.read_text(encoding="utf-8"), address)
    return files


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repository", help="set pyproject.toml's [project.urls] Repository to "
                                             "this address first")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a file is not as stamped")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    pyproject = args.root / "pyproject.toml"
    try:
        text = pyproject.read_text(encoding="utf-8")
        if args.repository is not None:
            text = set_repository(text, args.repository)
            if not args.check:
                pyproject.write_text(text, encoding="utf-8")
        files = stamped(args.root, repository(text))
    # a malformed notebook (notebook_files.NotebookError) too
    except (ValueError, OSError) as error:
        parser.exit(2, f"stamp_notebooks.py: {error}\n")
    changed = [path for path,
               content in files.items() if path.read_text(encoding="utf-8") != content]
    if args.check:
        for path in changed:
            print(f"not as stamped: {path.relative_to(args.root)} (run python "
                  f"tools/stamp_notebooks.py)")
        return 1 if changed else 0
    for path in changed:
        path.write_text(files[path], encoding="utf-8")
        print(f"stamped {path.relative_to(args.root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
