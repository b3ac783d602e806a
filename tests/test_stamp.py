"""What tools/stamp_notebooks.py writes: the committed notebooks and README are as it stamps them
from pyproject.toml (stamping again changes nothing), an address set there reaches every install
cell and badge, the navigation links every notebook to its neighbours and to 00, and the install
cell behaves on Colab as it says."""

import importlib.metadata
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

# in sys.modules: the install cell's import is then made to fail, and to work
import hebb_core  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import stamp_notebooks as stamp  # noqa: E402 (a script, not a module of the package)

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ADDRESS = "https://github.com/some-owner/hebb-course"
LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
BADGE = re.compile(r"\[!\[[^\]]*\]\([^)]*\)\]\(([^)]*)\)")  # [![alt](image)](target)


def pyproject_address():
    return (tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
            ["project"]["urls"].get("Repository"))


def source(cell):
    return "".join(cell["source"])


def first_code(notebook):
    return next(cell for cell in notebook["cells"] if cell["cell_type"] == "code")


def test_the_committed_files_are_as_stamped_from_pyproject():
    """Re-running the script changes nothing; after a merge of notebook edits, `python
    tools/stamp_notebooks.py`."""
    address = stamp.repository((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert address == pyproject_address()
    for path, text in stamp.stamped(ROOT, address).items():
        assert path.read_text(encoding="utf-8") == text, (f"{path.name} is not as stamped: run "
                                                          f"tools/stamp_notebooks.py")
    assert stamp.main(["--check"]) == 0


@pytest.fixture
def course(tmp_path):
    """A copy of what the script touches, to stamp with an address."""
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks",
                    ignore=shutil.ignore_patterns("*.csv", ".ipynb*"))
    for name in ("README.md", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_an_address_set_in_pyproject_reaches_every_install_cell_and_badge_and_can_be_taken_back(
        course):
    assert stamp.main(["--root", str(course), "--repository", ADDRESS]) == 0
    assert stamp.repository((course / "pyproject.toml").read_text(encoding="utf-8")) == ADDRESS
    for path in sorted((course / "notebooks").glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        assert f'COURSE_REPOSITORY = "{ADDRESS}"\n' in source(first_code(notebook))
        links = BADGE.findall(source(notebook["cells"][0]))
        colab = ("https://colab.research.google.com/github/some-owner/hebb-course/blob/main/"
                 f"notebooks/{path.name}")
        binder = ("https://mybinder.org/v2/gh/some-owner/hebb-course/HEAD?labpath="
                  f"notebooks%2F{path.name}")
        assert links == [colab, binder], links
    readme = (course / "README.md").read_text(encoding="utf-8")
    assert readme.split("\n")[2].count("00_start_here.ipynb") == 2  # the badges, under the title
    assert stamp.main(["--root", str(course), "--check"]) == 0  # stamping again changes nothing
    stamped = {path: path.read_text(encoding="utf-8")
               for path in (course / "notebooks").glob("*.ipynb")}
    assert stamp.main(["--root", str(course), "--repository", ADDRESS]) == 0
    assert stamped == {path: path.read_text(encoding="utf-8") for path in stamped}
    # back to no address: the files as committed
    (course / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8"),
                                           encoding="utf-8")
    assert stamp.main(["--root", str(course)]) == 0
    for path in NOTEBOOKS + [ROOT / "README.md"]:
        copy = course / path.relative_to(ROOT)
        assert copy.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), path.name


@pytest.mark.parametrize("address", ["http://github.com/a/b", "https://gitlab.com/a/b",
                                     "https://github.com/a",
                                     "https://github.com/a/b/",
                                     "https://github.com/a/b.git", "", 3])
def test_an_address_that_is_not_a_github_repository_is_refused(address, course, capsys):
    with pytest.raises(ValueError, match="^repository: "):
        stamp.check_repository(address)
    if isinstance(address, str):
        with pytest.raises(SystemExit) as exit_:
            stamp.main(["--root", str(course), "--repository", address])
        assert exit_.value.code == 2 and "repository: " in capsys.readouterr().err
        assert ((course / "pyproject.toml").read_text(encoding="utf-8")
                == (ROOT / "pyproject.toml").read_text("utf-8"))


def test_every_notebook_starts_and_ends_with_links_to_its_neighbours_and_to_00():
    titles = {}
    notebooks = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in NOTEBOOKS}
    for name, notebook in notebooks.items():
        titles[name] = re.match(r"# (\d\d · [^:\n]+)", source(notebook["cells"][0])).group(1)
    names = list(notebooks)
    for index, name in enumerate(names):
        expected = ([names[index - 1]] if index else []) + ([names[0]] if index > 1 else []) + \
            ([names[index + 1]] if index + 1 < len(names) else [])
        cells = notebooks[name]["cells"]
        head = source(cells[0]).split("\n")[2]
        tail = source(cells[-1]).split("\n")[-1]
        assert head == tail, name
        links = LINK.findall(head)
        assert [target for _, target in links] == expected, name
        for text, target in links:
            assert titles[target] in text and (ROOT / "notebooks" / target).exists()
    # 00 leads on to 01
    assert "→" in LINK.findall(source(notebooks[names[0]]["cells"][0]).split("\n")[2])[0][0]


def test_stamping_replaces_hand_written_navigation_and_keeps_the_rest():
    lines = ["# 02 · Hebb's rule", "",
             "[00 · Start here](00_start_here.ipynb) | **02 · Hebb's rule**", "",
             "**Learning objectives** (about 25 minutes)"]
    nav = stamp.navigation(["00_a", "01_b", "02_c"], ["00 · A", "01 · B", "02 · C"], 2)
    assert nav == "[← 01 · B](01_b.ipynb) | [00 · A](00_a.ipynb)"
    assert stamp.stamp_head(lines, nav, None) == ["# 02 · Hebb's rule", "", nav, "", lines[-1]]
    badges = stamp.badges(ADDRESS, "notebooks/02_c.ipynb")
    with_badges = stamp.stamp_head(lines, nav, badges)
    assert with_badges == ["# 02 · Hebb's rule", "", nav, "", badges, "", lines[-1]]
    assert stamp.stamp_head(with_badges, nav, None) == ["# 02 · Hebb's rule", "", nav,
                                                        "", lines[-1]]
    tail = ["## References", "", "- Hebb (1949).", "",
            "[← 01 · X](01_x.ipynb) | [03 · Y →](03_y.ipynb)", ""]
    assert stamp.stamp_tail(tail, nav) == ["## References", "", "- Hebb (1949).", "", nav]
    # prose stays
    prose = ["**Next:** [03 · Clamping](03_clamping.ipynb): the rule at work in a network."]
    assert stamp.stamp_tail(prose, nav) == prose + ["", nav]


def run_install_cell(monkeypatch, address, installed=None):
    """Run the install cell where ``hebb_core`` is missing, with pip replaced by a recorder; the
    packages of this environment count as there, except ``installed`` (names) where given."""
    calls, module = [], sys.modules["hebb_core"]
    monkeypatch.setitem(sys.modules, "hebb_core", None)  # `import hebb_core` raises ImportError

    def pip(command, check):
        assert command[:4] == [sys.executable, "-m", "pip", "install"] and check
        calls.append(command[command.index("--quiet") + 1:])
        monkeypatch.setitem(sys.modules, "hebb_core", module)  # installed: the import now works

    monkeypatch.setattr(subprocess, "run", pip)
    monkeypatch.setattr(importlib.metadata, "requires",
                        lambda name: ["numpy>=2.1,<3", "tqdm>=4.66,<5",
                                      'jupyterlab>=4.2,<5; extra == "lab"'])
    if installed is not None:
        everything = importlib.metadata.distributions
        monkeypatch.setattr(importlib.metadata, "distributions", lambda: [
            distribution for distribution in everything()
            if distribution.metadata["Name"].lower() in installed])
    exec(compile(stamp.install_cell(address), "install cell", "exec"), {})
    return calls


def test_the_install_cell_installs_the_course_alone_where_colab_has_every_dependency(monkeypatch,
                                                                                     capsys):
    calls = run_install_cell(monkeypatch, ADDRESS)
    assert calls == [["--no-deps", f"hebb-course @ git+{ADDRESS}"]]
    assert capsys.readouterr().out == ""


def test_the_install_cell_installs_only_what_is_missing(monkeypatch):
    calls = run_install_cell(monkeypatch, ADDRESS, installed={"numpy"})
    # not numpy, not the extra
    assert calls == [["--no-deps", f"hebb-course @ git+{ADDRESS}"], ["tqdm>=4.66,<5"]]


def test_without_an_address_the_install_cell_says_in_one_neutral_line_where_to_look(monkeypatch,
                                                                                    capsys):
    calls = run_install_cell(monkeypatch, None)
    out, err = capsys.readouterr()
    assert calls == [] and out.count("\n") == 1 and "README" in out and err == ""
    # a publisher's business, not a reader's
    assert "repository" not in out and "stamp_notebooks" not in out


def test_the_install_cell_is_folded_in_jupyterlab_and_colab():
    for path in NOTEBOOKS:
        cell = first_code(json.loads(path.read_text(encoding="utf-8")))
        assert cell["metadata"]["jupyter"]["source_hidden"] is True, path.name
        assert (cell["metadata"]["cellView"] == "form"
                and source(cell).startswith("# @title ")), path.name
