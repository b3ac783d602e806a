"""The layout of the code: ``hebb_core.py`` is the model a student reads, the package ``hebblab``
the machinery behind it, and ``hebb_core.MACHINERY`` the index through which every public name of
the package is also a name of ``hebb_core``, loaded on first use.

Every name of the index resolves to the object its module defines, none is defined twice, the index
lists every public name of the package (so that it cannot drift), ``import hebb_core`` stays light
and never imports the package, the imports of the project (inside functions too) make no loop, no
module imports another's private names, and the code keeps to ruff, lines of 99 characters
included. A module is as long as its one concern needs. Each check is a function that returns the
problems it finds; the tests run it on the project, and the last ones on an index, a file or a tree
made wrong on purpose, so that every check is seen to fail when it should.
"""

import ast
import collections
import functools
import importlib
import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest

import hebb_core as hc

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "hebb_core.py"
PACKAGE = ROOT / "hebblab"
# what `import hebb_core` must not load
HEAVY = {"numba", "matplotlib", "ipywidgets", "pandas", "dask"}
# the compiled loops: only LANES is a name of hebb_core, the loops are the engine's
UNINDEXED = {"kernels"}
# the checks of arguments: a leaf that hebb_core imports itself, so outside the index
CHECKS = "checks"
MAX_LINE = 99  # characters, as ruff counts them (pyproject.toml)
SKIPPED = {"build", "site", "__pycache__", "node_modules"}  # generated folders (see .gitignore)


def package_modules():
    return sorted(path.stem for path in PACKAGE.glob("*.py") if path.stem != "__init__")


def defined_names(source):
    """The names that a module's own code binds at its top level, in order: functions, classes and
    assignments (imports are not definitions)."""
    names = []
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names += [name.id for target in targets for name in ast.walk(target)
                      if isinstance(name, ast.Name)]
    return names


@functools.cache
def defined_in(module):
    return set(defined_names((PACKAGE / f"{module}.py").read_text(encoding="utf-8")))


def import_time_imports(source):
    """The modules that importing ``source`` imports: its import statements outside functions and
    classes."""
    found, nodes = [], list(ast.parse(source).body)
    while nodes:
        node = nodes.pop()
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append("." * node.level + (node.module or ""))
        elif not isinstance(node,
                            (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            nodes.extend(ast.iter_child_nodes(node))
    return found


# ── The checks ───────────────────────────────────────────────────────────────────────────────────


def resolution_problems(index):
    """Each name of ``index`` must be, through ``hebb_core``, the very object that its module
    defines."""
    problems = []
    for module, names in index.items():
        home = importlib.import_module(f"hebblab.{module}")
        for name in names:
            if name not in defined_in(module):
                problems.append(f"{module}.{name}: not defined in hebblab/{module}.py")
            elif not hasattr(hc, name):
                problems.append(f"{module}.{name}: not a name of hebb_core")
            elif getattr(hc, name) is not getattr(home, name):
                problems.append(f"{module}.{name}: hebb_core.{name} is another object")
            elif (inspect.isfunction(getattr(home,
                                             name)) or inspect.isclass(getattr(home, name))) \
                    and getattr(home, name).__module__ != f"hebblab.{module}":
                problems.append(f"{module}.{name}: defined in {getattr(home, name).__module__}")
    return problems


def duplicate_problems(index, model_source):
    """No name in two modules of ``index``, none also defined by the model itself, none defined
    twice in one file."""
    counts = collections.Counter(name for names in index.values() for name in names)
    problems = [f"{name}: in {counts[name]} modules "
                f"of the index" for name in sorted(counts) if counts[name] > 1]
    problems += [f"{name}: indexed and also defined in hebb_core.py"
                 for name in sorted(set(counts) & set(defined_names(model_source)))]
    for path in [MODEL, *sorted(PACKAGE.glob("*.py"))]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defs = collections.Counter(node.name for node in tree.body
                                   if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                        ast.ClassDef)))
        problems += [f"{path.name}: {name} defined {n} times" for name,
                     n in sorted(defs.items()) if n > 1]
    return problems


def coverage_problems(index):
    """The index names every module of the package and every public top-level name of each (but the
    kernels')."""
    problems = [f"{module}: a module of the package missing from the index"
                for module in package_modules() if module not in index and module != CHECKS]
    problems += [f"{module}: in the index but not a module of the package"
                 for module in index if module not in package_modules()]
    for module in sorted(set(package_modules()) - UNINDEXED - {CHECKS}):
        public = {name for name in defined_in(module) if not name.startswith("_")}
        problems += [f"{module}.{name}: public but not in the index"
                     for name in sorted(public - set(index.get(module, ())))]
    return problems


def listing_problems(index, listed):
    """``listed``, what ``dir(hebb_core)`` shows, holds every name of the index."""
    return [f"{name}: not in "
            f"dir(hebb_core)" for names in index.values() for name in names if name not in listed]


def fresh_dir():
    """``dir(hebb_core)`` in a fresh interpreter, before any name of the index has been used (a
    used name is kept in the module's namespace, and would be listed anyway)."""
    return set(subprocess.run([sys.executable, "-c",
                               "import hebb_core; print(*dir(hebb_core))"], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout.split())


def modules_loaded_by(code):
    """The top-level packages that running ``code`` in a fresh interpreter (in the project's
    folder) adds to ``sys.modules``, standard library included."""
    script = (f"import sys; before = set(sys.modules); {code}; "
              "print(*sorted({name.split('.')[0] for name in set(sys.modules) - before}))")
    return set(subprocess.run([sys.executable, "-c", script], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout.split())


def model_import_problems(source, model=True):
    """The model imports, when it is imported, the standard library, numpy and the checks only (the
    rest of the package comes on first use); the checks import the standard library and numpy
    only."""
    allowed = set(sys.stdlib_module_names) | {"numpy"}
    return [f"{'hebb_core' if model else 'hebblab.checks'} imports {name} at import time"
            for name in import_time_imports(source)
            if name.startswith(".") or (name.split(".")[0] not in allowed
                                        and not (model and name == "hebblab.checks"))]


def reverse_import_problems(sources):
    """The package takes from ``hebb_core`` only what the model itself defines, never a name of the
    index (that would import the package through itself). ``sources``: file name → source."""
    own = set(defined_names(MODEL.read_text(encoding="utf-8")))
    problems = []
    for name, source in sources.items():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and node.module == "hebb_core" and node.level == 0:
                problems += [f"{name}: imports {alias.name} from hebb_core, which does "
                             f"not define it"
                             for alias in node.names if alias.name not in own]
    return problems


def private_uses(sources):
    """Uses of the project's private names in ``sources`` (file name → source): ``hc._x``,
    ``hebblab.m._x``, ``from hebblab.m import _x``, and ``m._x`` for a module ``m`` imported from
    the project."""
    def private(name):
        return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))

    def project(module):
        return (module or "").split(".")[0] in {"hebb_core", "hebblab"}

    uses = []
    for file, source in sources.items():
        tree = ast.parse(source)
        modules = {alias.asname or alias.name.split(".")[0] for node in ast.walk(tree)
                   if isinstance(node, ast.Import) for alias in node.names if project(alias.name)}
        modules |= {alias.asname or alias.name for node in ast.walk(tree)
                    if isinstance(node, ast.ImportFrom) and node.module == "hebblab"
                    for alias in node.names}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and project(node.module):
                uses += [f"{file}:{node.lineno}: {node.module}.{alias.name}"
                         for alias in node.names if private(alias.name)]
            elif isinstance(node, ast.Attribute) and private(node.attr):
                root = node.value
                while isinstance(root, (ast.Attribute, ast.Call, ast.Subscript)):
                    root = root.func if isinstance(root, ast.Call) else root.value
                if isinstance(root, ast.Name) and root.id in modules:
                    uses.append(f"{file}:{node.lineno}: {ast.unparse(node)}")
    return sorted(uses, key=lambda use: (use.split(":")[0], int(use.split(":")[1])))


def python_files(root):
    """The project's Python files: every ``*.py`` below ``root`` but in hidden folders (``.venv``,
    ``.git``), virtual environments and generated folders."""
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and d not in SKIPPED
                               and not (Path(folder) / d / "pyvenv.cfg").exists())
        found += [Path(folder) / name for name in sorted(files) if name.endswith(".py")]
    return found


def long_lines(paths):
    return [f"{path}:{number}: {len(line)} characters"
            for path in paths for number,
            line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if len(line) > MAX_LINE]


def project_sources():
    """Module name → source, for ``hebb_core`` and every module of the package (``hebblab`` itself
    included)."""
    sources = {"hebb_core": MODEL.read_text(encoding="utf-8")}
    for path in sorted(PACKAGE.glob("*.py")):
        sources["hebblab" if path.stem == "__init__" else f"hebblab.{path.stem}"] = \
            path.read_text(encoding="utf-8")
    return sources


def import_graph(sources):
    """Module name → the modules of ``sources`` that it imports, wherever the import statement
    stands (at the top, in a function, under a condition): ``from hebblab import engine`` imports
    ``hebblab.engine``."""
    graph = {}
    for name, source in sources.items():
        imported = set()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        graph[name] = sorted(imported & set(sources) - {name})
    return graph


def import_loops(graph):
    """Every loop of ``graph`` found by a depth-first walk, as the list of its modules (the first
    one repeated at the end); ``[]``: none."""
    loops, finished = [], set()

    def walk(path):
        for module in graph[path[-1]]:
            if module in path:
                loops.append(path[path.index(module):] + [module])
            elif module not in finished:
                walk(path + [module])
        finished.add(path[-1])

    for module in sorted(graph):
        if module not in finished:
            walk([module])
    return loops


def private_imports(sources):
    """``from <project module> import _name`` in ``sources`` (module name → source): a module that
    uses another module's private name."""
    return [f"{name}:{node.lineno}: {node.module}.{alias.name}"
            for name, source in sources.items() for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.ImportFrom) and node.module in sources
            for alias in node.names if alias.name.startswith("_")]


def ruff(*arguments):
    return subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache",
                           *arguments], cwd=ROOT,
                          capture_output=True, text=True)


# ── The index ────────────────────────────────────────────────────────────────────────────────────


def test_every_name_of_the_index_resolves_to_the_object_its_module_defines():
    assert resolution_problems(hc.MACHINERY) == []
    assert sum(map(len, hc.MACHINERY.values())) > 100  # the whole index was checked


def test_no_name_is_defined_twice():
    assert duplicate_problems(hc.MACHINERY, MODEL.read_text(encoding="utf-8")) == []


def test_the_index_lists_every_module_and_every_public_name_of_the_package():
    assert coverage_problems(hc.MACHINERY) == []


def test_dir_lists_the_index_and_the_models_own_names():
    listed = fresh_dir()
    assert listing_problems(hc.MACHINERY, listed) == []
    assert {"Params", "train_network", "MACHINERY"} <= listed


def test_an_unknown_name_raises_attribute_error():
    with pytest.raises(AttributeError,
                       match=r"^module 'hebb_core' has no attribute 'no_such_name'$"):
        hc.no_such_name
    private = sorted((module, name) for module in set(package_modules()) - {CHECKS}
                     for name in defined_in(module)
                     if name.startswith("_") and not name.startswith("__"))
    assert private  # the package's private helpers are not opened by the index
    assert not any(hasattr(hc, name) for _, name in private)
    assert all(hasattr(importlib.import_module(f"hebblab.{module}"), name) for module,
               name in private)


# ── Imports ──────────────────────────────────────────────────────────────────────────────────────


def test_import_hebb_core_alone_loads_numpy_and_nothing_heavier():
    loaded = modules_loaded_by("import hebb_core")
    assert not loaded & HEAVY
    assert loaded - set(sys.stdlib_module_names) == {"hebb_core", "hebblab", "numpy"}
    script = ("import sys, hebb_core; print(*sorted(name for name in sys.modules if "
              "name.startswith('hebblab')))")
    package = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                             text=True, check=True)
    # of the package, only the checks
    assert package.stdout.split() == ["hebblab", "hebblab.checks"]
    # the first use of a name loads its module, and only then what that module needs
    assert {"hebblab", "numba"} <= modules_loaded_by("import hebb_core; hebb_core.train_batch")


def test_hebb_core_imports_only_the_standard_library_and_numpy_at_import_time():
    assert model_import_problems(MODEL.read_text(encoding="utf-8")) == []
    assert model_import_problems((PACKAGE / f"{CHECKS}.py").read_text(encoding="utf-8"),
                                 model=False) == []
    # the check sees the model's imports
    assert "numpy" in import_time_imports(MODEL.read_text(encoding="utf-8"))


def test_the_package_imports_only_the_models_own_names_from_hebb_core():
    sources = {path.name: path.read_text(encoding="utf-8")
               for path in sorted(PACKAGE.glob("*.py"))}
    assert reverse_import_problems(sources) == []
    # there is something to check
    assert any("from hebb_core import" in source for source in sources.values())


def test_the_imports_of_the_project_make_no_loop():
    graph = import_graph(project_sources())
    assert "hebblab.sweeps" in graph["hebblab.cli"]  # an import inside a function counts
    assert graph["hebb_core"] == ["hebblab.checks"]  # the model imports the checks, nothing else
    assert import_loops(graph) == []


def test_no_module_imports_another_modules_private_name():
    """A helper shared between modules is a public name of its module: the underscore means
    private (before: 154 imports of private names between modules)."""
    assert private_imports(project_sources()) == []


def test_a_private_import_is_found():
    planted = {"hebblab.a": "from hebblab.b import _helper, public\n", "hebblab.b": ""}
    assert private_imports(planted) == ["hebblab.a:1: hebblab.b._helper"]


def test_the_models_own_functions_never_hand_off_to_the_package():
    """``hebb_core`` loads a module of the package only where a name of the index is first used
    (``__getattr__``) and for the command line, never inside one of its own functions."""
    tree = ast.parse(MODEL.read_text(encoding="utf-8"))
    callers = {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))
               for call in ast.walk(node)
               if isinstance(call, ast.Call) and "_machinery" in ast.unparse(call.func)}
    assert callers == {"__getattr__"}


def test_the_tests_use_public_names_only():
    tests = Path(__file__).resolve().parent
    sources = {str(path.relative_to(tests)): path.read_text(encoding="utf-8")
               for path in sorted(tests.rglob("*.py"))}
    assert len(sources) > 10 and private_uses(sources) == []


# ── Style and size ───────────────────────────────────────────────────────────────────────────────


def test_no_line_of_the_projects_python_code_is_longer_than_99_characters():
    """ruff's line length, with the project's settings (its one exception: the solutions' code,
    loaded into the notebooks as it is written)."""
    files = python_files(ROOT)
    assert {MODEL, PACKAGE / "engine.py", Path(__file__).resolve()} <= set(files)
    pytest.importorskip("ruff", reason="ruff is pinned in requirements-test-lock.txt (make lint)")
    done = ruff("--force-exclude", "--select", "E501", *map(str, files))
    assert done.returncode == 0, done.stdout


def test_ruff_finds_nothing():
    pytest.importorskip("ruff", reason="ruff is pinned in requirements-test-lock.txt (make lint)")
    done = ruff(".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_models_workshop_starts_early_in_its_file():
    """A student reading ``hebb_core.py`` top to bottom meets the workshop's parameters, then its
    neuron, within the first 320 lines (of 99 characters)."""
    lines = MODEL.read_text(encoding="utf-8").splitlines()
    assert lines.index("class Params:") < lines.index("def activation_function(x):") < 320


# ── Every check fails when it should ─────────────────────────────────────────────────────────────


def wrong(index, module, add=(), drop=()):
    """A copy of ``index`` with names added to and dropped from ``module``."""
    return {**index,
            module: tuple(name for name in index.get(module, ()) if name not in drop) + tuple(add)}


@pytest.mark.parametrize("module, name, problem", [
    ("engine", "no_such_name", "engine.no_such_name: not defined in hebblab/engine.py"),
    # imported there
    ("widgets", "recall_batch", "widgets.recall_batch: not defined in hebblab/widgets.py"),
    # defined there, not indexed
    ("kernels", "train_lanes", "kernels.train_lanes: not a name of hebb_core"),
])
def test_a_name_that_does_not_resolve_is_found(module, name, problem):
    assert resolution_problems(wrong(hc.MACHINERY, module, add=[name])) == [problem]


def test_a_name_that_resolves_to_another_object_is_found(monkeypatch):
    engine, widgets = (importlib.import_module(f"hebblab.{module}")
                       for module in ("engine", "widgets"))
    monkeypatch.setattr(hc, "train_batch", engine.train_compiled)
    assert resolution_problems({"engine": ("train_batch",)}) == [
        "engine.train_batch: hebb_core.train_batch is another object"]
    # an alias: `draw_hebb = train_compiled`
    monkeypatch.setattr(widgets, "draw_hebb", engine.train_compiled)
    monkeypatch.setattr(hc, "draw_hebb", engine.train_compiled)
    assert resolution_problems({"widgets": ("draw_hebb",)}) == ["widgets.draw_hebb: defined in "
                                                                "hebblab.engine"]


def test_a_name_defined_twice_is_found():
    model = MODEL.read_text(encoding="utf-8")
    assert duplicate_problems(wrong(hc.MACHINERY, "sweeps", add=["train_batch"]), model) == [
        "train_batch: in 2 modules of the index"]
    assert duplicate_problems(wrong(hc.MACHINERY, "engine", add=["Params"]), model) == [
        "Params: indexed and also defined in hebb_core.py"]
    assert duplicate_problems(hc.MACHINERY, model + "\n\ndef train_batch():\n    pass\n") == [
        "train_batch: indexed and also defined in hebb_core.py"]


def test_a_public_name_missing_from_the_index_is_found():
    assert coverage_problems(wrong(hc.MACHINERY, "plots", drop=["plot_network"])) == [
        "plots.plot_network: public but not in the index"]
    problems = coverage_problems({module: names for module,
                                  names in hc.MACHINERY.items() if module != "maps"})
    assert problems[0] == "maps: a module of the package missing from the index"
    assert len(problems) == 1 + len(hc.MACHINERY["maps"])  # and each of its names
    assert coverage_problems({**hc.MACHINERY, "nowhere": ()}) == [
        "nowhere: in the index but not a module of the package"]
    assert listing_problems(wrong(hc.MACHINERY, "engine", add=["no_such_name"]), fresh_dir()) == [
        "no_such_name: not in dir(hebb_core)"]


def test_an_import_that_is_too_heavy_or_in_reverse_is_found():
    assert model_import_problems("import numpy as np\nimport pandas as pd\n") == [
        "hebb_core imports pandas at import time"]
    assert model_import_problems("try:\n    from hebblab import engine\nexcept "
                                 "ImportError:\n    pass\n") == [
        "hebb_core imports hebblab at import time"]
    assert model_import_problems("from . import engine\n") == ["hebb_core imports . "
                                                               "at import time"]
    # on first use: allowed
    assert model_import_problems("def plot():\n    import matplotlib\n") == []
    assert reverse_import_problems({"x.py": "def f():\n    from hebb_core import Params, "
                                            "train_batch\n"}) == [
        "x.py: imports train_batch from hebb_core, which does not define it"]
    # analysis imports pandas
    assert "pandas" in modules_loaded_by("import hebb_core; hebb_core.recall_table")


def test_an_import_loop_and_a_private_import_are_found():
    sources = {"a": "import b\n", "b": "def f():\n    from c import x\n",
               "c": "from a import _y\n", "d": "import a\n"}
    graph = import_graph(sources)
    assert graph == {"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}
    assert import_loops(graph) == [["a", "b", "c", "a"]]
    assert import_loops({**graph, "c": []}) == []
    assert private_imports(sources) == ["c:1: a._y"]


def test_a_private_name_used_by_a_test_is_found():
    source = ("import hebb_core as hc\nimport hebblab.cli\nfrom hebblab import kernels\n"
              "from hebblab.sweeps import _results_table\nhc._fail('x', 1, "
              "'y')\nhebblab.cli._build_parser()\n"
              "kernels._lane_state\nhc.__dir__()\nhc.Params()._x\n")
    assert private_uses({"x.py": source}) == ["x.py:4: hebblab.sweeps._results_table",
                                              "x.py:5: hc._fail",
                                              "x.py:6: hebblab.cli._build_parser",
                                              "x.py:7: kernels._lane_state",
                                              "x.py:9: hc.Params()._x"]


def test_a_long_line_and_a_lint_error_are_found(tmp_path):
    (tmp_path / "ok.py").write_text("x = 1  # " + "a" * (MAX_LINE - 9) + "\n")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "long.py").write_text("#" * 500 + "\n")  # not the project's code
    (tmp_path / "long.py").write_text(("# " + "word " * 30)[:MAX_LINE + 1] + "\n")
    files = python_files(tmp_path)
    assert files == [tmp_path / "long.py", tmp_path / "ok.py"]
    assert long_lines(files) == [f"{tmp_path / 'long.py'}:1: 100 characters"]
    pytest.importorskip("ruff", reason="ruff is pinned in requirements-test-lock.txt (make lint)")
    done = ruff("--config", str(ROOT / "pyproject.toml"), "--select", "E501",
                str(tmp_path / "long.py"))
    assert done.returncode == 1 and "E501" in done.stdout
    (tmp_path / "unused.py").write_text("import os\n")
    done = ruff("--config", str(ROOT / "pyproject.toml"), str(tmp_path / "unused.py"))
    assert done.returncode == 1 and "F401" in done.stdout
