"""Checks that the dependency lists of the project agree with each other.

``pyproject.toml`` says what is needed for what: ``[project].dependencies`` what the notebooks need
to run, the extras ``lab``, ``app`` and ``cluster`` what JupyterLab, Voilà and a dask cluster add,
the ``dev`` dependency group the test tools. The same ranges are written down again in

* ``requirements.txt``   -- the runtime set, for pip users,
* ``environment.yml``    -- the runtime set and the ``lab`` extra, for conda users and Binder,

``requirements-lock.txt`` pins the runtime set and the ``lab`` extra (and everything they pull in)
to one exact version each, which is what ``make lab`` installs; ``requirements-test-lock.txt`` pins
all of it, extras and test tools too, at the same versions where both pin a package (``make
test``); ``requirements-colab-lock.txt`` pins Colab's versions for the Colab-like check
(``tools/colab_like_check.sh``). These tests fail as soon as one of the files drifts from the
others.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements.txt"
ENVIRONMENT = ROOT / "environment.yml"
LOCK = ROOT / "requirements-lock.txt"
TEST_LOCK = ROOT / "requirements-test-lock.txt"
COLAB_LOCK = ROOT / "requirements-colab-lock.txt"
PYPROJECT = ROOT / "pyproject.toml"

# Conda entries that are tooling rather than project dependencies.
CONDA_ONLY = {"python", "pip"}


# --------------------------------------------------------------------------
# Parsers
# --------------------------------------------------------------------------


def _content_lines(text: str) -> list[str]:
    """Non-blank lines of a requirements file, with comments removed."""
    lines = []
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        if line.startswith("#"):
            line = ""
        if line:
            lines.append(line)
    return lines


def parse_requirements(text: str) -> dict[str, Requirement]:
    """Map canonical package name -> Requirement for a requirements file.

    pip options (``-r``, ``-e``, ``--index-url`` ...) are rejected: the
    course's requirements files hold plain requirement lines only.
    """
    reqs: dict[str, Requirement] = {}
    for line in _content_lines(text):
        if line.startswith("-"):
            raise ValueError(f"unexpected pip option in requirements: {line!r}")
        try:
            req = Requirement(line)
        except InvalidRequirement as exc:
            raise ValueError(f"cannot parse requirement {line!r}: {exc}") from exc
        name = canonicalize_name(req.name)
        if name in reqs:
            raise ValueError(f"{req.name!r} is listed twice")
        reqs[name] = req
    return reqs


_CONDA_SPEC = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*?)\s*$")


def parse_conda_spec(entry: str) -> tuple[str, SpecifierSet]:
    """Split a conda match spec such as ``numpy>=2.1,<3`` into name and range.

    Only the subset of conda's syntax that pip also understands is accepted
    (``>=``, ``<``, ``==``, ``!=`` ... joined with commas); conda-only forms
    such as ``numpy=2.1`` or ``a|b`` are rejected so that a range can never
    silently mean something different for conda and for pip.
    """
    if "::" in entry or "[" in entry:
        raise ValueError(f"channel or bracket syntax not supported: {entry!r}")
    match = _CONDA_SPEC.match(entry)
    if not match:
        raise ValueError(f"cannot parse conda dependency {entry!r}")
    name, spec = match.groups()
    spec = spec.replace(" ", "")
    if "|" in spec or re.search(r"(^|,)=[^=]", spec):
        raise ValueError(f"conda-only version syntax in {entry!r}")
    try:
        return canonicalize_name(name), SpecifierSet(spec)
    except InvalidSpecifier as exc:
        raise ValueError(f"cannot parse version range in {entry!r}: {exc}") from exc


def parse_environment(text: str) -> tuple[dict[str, SpecifierSet], list[str]]:
    """Return (conda dependencies by canonical name, pip section lines)."""
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("dependencies"), list):
        raise ValueError("environment.yml has no 'dependencies' list")
    conda: dict[str, SpecifierSet] = {}
    pip_lines: list[str] = []
    for item in data["dependencies"]:
        if isinstance(item, dict):
            if set(item) != {"pip"}:
                raise ValueError(f"unexpected mapping in dependencies: {item!r}")
            pip_lines.extend(str(x) for x in item["pip"])
            continue
        name, spec = parse_conda_spec(str(item))
        if name in conda:
            raise ValueError(f"{name!r} is listed twice in environment.yml")
        conda[name] = spec
    return conda, pip_lines


def parse_lock(text: str) -> dict[str, Version]:
    """Map canonical name -> pinned version; every line must be ``name==X``."""
    pins: dict[str, Version] = {}
    for line in _content_lines(text):
        req = Requirement(line)  # raises on anything pip would not accept
        specs = list(req.specifier)
        if len(specs) != 1 or specs[0].operator != "==" or "*" in specs[0].version:
            raise ValueError(f"lock line is not an exact pin: {line!r}")
        name = canonicalize_name(req.name)
        if name in pins:
            raise ValueError(f"{req.name!r} is pinned twice")
        pins[name] = Version(specs[0].version)
    return pins


# --------------------------------------------------------------------------
# Comparisons (return a list of human-readable problems; empty means OK)
# --------------------------------------------------------------------------


def compare_ranges(
    pip_reqs: dict[str, Requirement], conda: dict[str, SpecifierSet]
) -> list[str]:
    problems = []
    conda = {k: v for k, v in conda.items() if k not in CONDA_ONLY}
    for name in sorted(pip_reqs.keys() - conda.keys()):
        problems.append(f"{name}: in requirements.txt but not in environment.yml")
    for name in sorted(conda.keys() - pip_reqs.keys()):
        problems.append(f"{name}: in environment.yml but not in requirements.txt")
    for name in sorted(pip_reqs.keys() & conda.keys()):
        req = pip_reqs[name]
        if req.extras or req.marker or req.url:
            problems.append(f"{name}: extras/markers/URLs have no conda equivalent")
        if req.specifier != conda[name]:
            problems.append(
                f"{name}: requirements.txt has '{req.specifier}', "
                f"environment.yml has '{conda[name]}'"
            )
        if not str(req.specifier):
            problems.append(f"{name}: no version range given")
    return problems


def compare_lock(
    pip_reqs: dict[str, Requirement], pins: dict[str, Version]
) -> list[str]:
    problems = []
    for name, req in sorted(pip_reqs.items()):
        if name not in pins:
            problems.append(f"{name}: not pinned in requirements-lock.txt")
        elif not req.specifier.contains(pins[name], prereleases=True):
            problems.append(
                f"{name}: pinned {pins[name]} lies outside '{req.specifier}'"
            )
    return problems


def compare_pyproject(
    pip_reqs: dict[str, Requirement], dependencies: list[str]
) -> list[str]:
    problems = []
    project = parse_requirements("\n".join(dependencies))
    for name in sorted(pip_reqs.keys() - project.keys()):
        problems.append(f"{name}: in requirements.txt but not in pyproject.toml")
    for name in sorted(project.keys() - pip_reqs.keys()):
        problems.append(f"{name}: in pyproject.toml but not in requirements.txt")
    for name in sorted(pip_reqs.keys() & project.keys()):
        a, b = pip_reqs[name], project[name]
        if (a.specifier, a.extras, str(a.marker), a.url) != (
            b.specifier,
            b.extras,
            str(b.marker),
            b.url,
        ):
            problems.append(
                f"{name}: requirements.txt has '{pip_reqs[name]}', "
                f"pyproject.toml has '{project[name]}'"
            )
    return problems


# --------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def requirements() -> dict[str, Requirement]:
    reqs = parse_requirements(REQUIREMENTS.read_text(encoding="utf-8"))
    assert reqs, "requirements.txt lists no packages"
    return reqs


@pytest.fixture(scope="module")
def pyproject() -> dict:
    with PYPROJECT.open("rb") as fh:
        return tomllib.load(fh)


def extras_and_dev(pyproject: dict) -> dict[str, Requirement]:
    """Every requirement of the extras and of the ``dev`` group, by canonical name."""
    lines = [line for extra in pyproject["project"]["optional-dependencies"].values()
             for line in extra]
    return parse_requirements("\n".join(lines + pyproject["dependency-groups"]["dev"]))


# --------------------------------------------------------------------------
# The checks on the real files
# --------------------------------------------------------------------------


def test_environment_matches_requirements_and_the_lab_extra(requirements, pyproject):
    conda, _ = parse_environment(ENVIRONMENT.read_text(encoding="utf-8"))
    problems = compare_ranges({**requirements, **lab_extra(pyproject)}, conda)
    assert not problems, "\n".join(problems)


def test_the_runtime_set_is_what_the_notebooks_need(pyproject):
    """JupyterLab, Voilà, dask and the test tools are extras or the dev group, never runtime
    dependencies."""
    runtime = parse_requirements("\n".join(pyproject["project"]["dependencies"]))
    assert set(runtime) == {"numpy", "numba", "matplotlib", "seaborn", "pandas",
                            "ipywidgets", "tqdm"}
    assert set(pyproject["project"]["optional-dependencies"]) == {"lab", "app", "cluster"}
    assert {"pytest", "nbval", "playwright", "ruff"} <= set(extras_and_dev(pyproject))


def test_environment_python_matches_requires_python(pyproject):
    conda, _ = parse_environment(ENVIRONMENT.read_text(encoding="utf-8"))
    assert "python" in conda, "environment.yml does not pin python"
    requires_python = SpecifierSet(pyproject["project"]["requires-python"])
    assert conda["python"] == requires_python, (
        f"environment.yml has python '{conda['python']}', "
        f"pyproject.toml requires-python is '{requires_python}'"
    )


def test_environment_installs_the_project():
    conda, pip_lines = parse_environment(ENVIRONMENT.read_text(encoding="utf-8"))
    assert "pip" in conda, "environment.yml needs 'pip' for its pip section"
    assert any(
        line.strip() in {".", "-e .", "--editable ."} for line in pip_lines
    ), f"environment.yml's pip section does not install the project: {pip_lines}"


def lab_extra(pyproject: dict) -> dict[str, Requirement]:
    return parse_requirements("\n".join(pyproject["project"]["optional-dependencies"]["lab"]))


def test_test_lock_pins_every_requirement_inside_its_range(requirements, pyproject):
    """What ``make test`` installs holds the runtime set, every extra and the test tools."""
    pins = parse_lock(TEST_LOCK.read_text(encoding="utf-8"))
    problems = compare_lock({**requirements, **extras_and_dev(pyproject)}, pins)
    assert not problems, "\n".join(problems)


def test_lab_lock_is_lean(requirements, pyproject):
    """What ``make lab`` installs holds the runtime set and JupyterLab with its slide show, inside
    their ranges, and none of the tools for tests, the Voilà page or a cluster."""
    pins = parse_lock(LOCK.read_text(encoding="utf-8"))
    problems = compare_lock({**requirements, **lab_extra(pyproject)}, pins)
    assert not problems, "\n".join(problems)
    elsewhere = set(extras_and_dev(pyproject)) - set(lab_extra(pyproject))
    assert {"pytest", "nbval", "playwright", "ruff", "voila", "distributed"} <= elsewhere
    assert not elsewhere & set(pins), (f"the lab's lock pins tools it does not "
                                       f"use: {sorted(elsewhere & set(pins))}")
    assert not {"dask", "coverage"} & set(pins)


def test_the_two_locks_agree(pyproject):
    """The test lock holds every package of the lab's lock at the same version: the tests run what
    learners run."""
    lab = parse_lock(LOCK.read_text(encoding="utf-8"))
    full = parse_lock(TEST_LOCK.read_text(encoding="utf-8"))
    problems = compare_locks(lab, full)
    assert not problems, "\n".join(problems)


def compare_locks(lab: dict[str, Version], full: dict[str, Version]) -> list[str]:
    problems = [f"{name}: in requirements-lock.txt, not in requirements-test-lock.txt"
                for name in sorted(lab.keys() - full.keys())]
    problems += [f"{name}: {lab[name]} in requirements-lock.txt, {full[name]} in "
                 f"requirements-test-lock.txt"
                 for name in sorted(lab.keys() & full.keys()) if lab[name] != full[name]]
    return problems


def test_disagreeing_locks_are_detected():
    assert compare_locks({"numpy": Version("2.4.6")},
                         {"numpy": Version("2.4.5")})[0].startswith("numpy: 2.4.6")
    assert compare_locks({"tqdm": Version("4.70.1")},
                         {})[0].startswith("tqdm: in requirements-lock.txt")
    assert compare_locks({"numpy": Version("2.4.6")},
                         {"numpy": Version("2.4.6"), "ruff": Version("0.17.6")}) == []


def test_colab_lock_pins_the_runtime_set_inside_its_ranges_and_what_runs_notebooks(requirements):
    """Colab's versions lie inside the ranges (the floors are Colab's); ipywidgets 7 there, 8 in
    the main lock."""
    pins = parse_lock(COLAB_LOCK.read_text(encoding="utf-8"))
    problems = compare_lock(requirements, pins)
    assert not problems, "\n".join(problems)
    assert {"ipykernel", "nbval", "pytest", "nbclient"} <= set(pins)
    assert pins["ipywidgets"].major == 7
    assert parse_lock(LOCK.read_text(encoding="utf-8"))["ipywidgets"].major == 8
    floors = {name: Version(spec.version) for name, req in requirements.items()
              for spec in req.specifier if spec.operator == ">="}
    # these floors are Colab's own versions
    for name in ("numpy", "pandas", "matplotlib", "numba", "ipywidgets"):
        assert pins[name].release[:2] == floors[name].release[:2], \
            f"{name}: Colab's {pins[name]}, floor {floors[name]}"


def test_locks_do_not_pin_the_project_itself(pyproject):
    for lock in (LOCK, TEST_LOCK):
        pins = parse_lock(lock.read_text(encoding="utf-8"))
        assert canonicalize_name(pyproject["project"]["name"]) not in pins, lock.name


def test_pyproject_dependencies_match_requirements(requirements, pyproject):
    problems = compare_pyproject(requirements, pyproject["project"]["dependencies"])
    assert not problems, "\n".join(problems)


def test_pyproject_declares_the_module(pyproject):
    assert pyproject["project"]["name"] == "hebb-course"
    assert pyproject["tool"]["setuptools"]["py-modules"] == ["hebb_core"]


# --------------------------------------------------------------------------
# The checks above must be able to fail: feed them known-bad input
# --------------------------------------------------------------------------

GOOD_REQS = "numpy>=2.1,<3\nSome_Package>=1.0,<2  # comment\n"


def test_names_are_normalised():
    conda, _ = parse_environment(
        "dependencies:\n  - some-package>=1.0,<2\n  - NumPy<3,>=2.1\n"
    )
    assert compare_ranges(parse_requirements(GOOD_REQS), conda) == []


@pytest.mark.parametrize(
    "conda_deps, expected",
    [
        ("  - numpy>=2.1,<4\n  - some-package>=1.0,<2\n", "numpy"),  # wider range
        ("  - numpy>=2.1\n  - some-package>=1.0,<2\n", "numpy"),  # no upper bound
        ("  - some-package>=1.0,<2\n", "numpy"),  # missing package
        ("  - numpy>=2.1,<3\n  - some-package>=1.0,<2\n  - tqdm\n", "tqdm"),  # extra
    ],
)
def test_mismatched_environment_is_detected(conda_deps, expected):
    conda, _ = parse_environment("dependencies:\n" + conda_deps)
    problems = compare_ranges(parse_requirements(GOOD_REQS), conda)
    assert problems and all(p.startswith(expected) for p in problems), problems


@pytest.mark.parametrize("entry", ["numpy=2.1", "numpy>=2.1|<1", "conda-forge::numpy"])
def test_conda_only_syntax_is_rejected(entry):
    with pytest.raises(ValueError):
        parse_conda_spec(entry)


@pytest.mark.parametrize(
    "lock, expected",
    [
        ("numpy==3.0.0\nsome-package==1.5\n", "numpy: pinned 3.0.0 lies outside"),
        ("some_package==1.5\n", "numpy: not pinned"),
    ],
)
def test_bad_lock_is_detected(lock, expected):
    problems = compare_lock(parse_requirements(GOOD_REQS), parse_lock(lock))
    assert problems and problems[0].startswith(expected), problems


@pytest.mark.parametrize("line", ["numpy>=2.1", "numpy", "numpy==2.*", "-e ."])
def test_unpinned_lock_line_is_rejected(line):
    with pytest.raises((ValueError, InvalidRequirement)):
        parse_lock(line + "\n")


def test_good_lock_is_accepted():
    lock = "NumPy==2.4.6\nsome-package==1.5\n"
    assert compare_lock(parse_requirements(GOOD_REQS), parse_lock(lock)) == []


@pytest.mark.parametrize(
    "deps, expected",
    [
        (["numpy>=2.1,<3", "Some_Package>=1.0,<3"], "some-package"),
        (["numpy>=2.1,<3"], "some-package"),
        (["numpy>=2.1,<3", "some-package>=1.0,<2", "tqdm"], "tqdm"),
    ],
)
def test_mismatched_pyproject_is_detected(deps, expected):
    problems = compare_pyproject(parse_requirements(GOOD_REQS), deps)
    assert problems and problems[0].startswith(expected), problems


def test_matching_pyproject_is_accepted():
    deps = ["some-package<2,>=1.0", "NUMPY>=2.1,<3"]
    assert compare_pyproject(parse_requirements(GOOD_REQS), deps) == []


def test_duplicate_requirement_is_rejected():
    with pytest.raises(ValueError):
        parse_requirements("numpy>=2\nNumPy<3\n")
