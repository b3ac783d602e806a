"""Exercises, their checks and solutions, and the student version.

Under each exercise's stub (a code cell tagged ``exercise``) a check, ``hc.check("02.1",
half_life)``, prints one line: ``✅`` for a right answer, ``❌`` and a hint for a wrong one (each
exercise recognises named mistakes with hints of their own), ``❌ not done yet`` for the untouched
stub. The solution is a closed ``<details>`` block in a markdown cell tagged ``solution``, so that
running all cells never runs it; its code is the text that ``%load hc.solutions.exNN_k`` loads.
Hints (``hint``), concept checks (``concept-check``) and "Think!" answers (``answer``) are folded
too. The student version (``tools/strip_solutions.py``) drops the solutions and the notes for
teachers and runs top to bottom, each check saying "not done yet", while every solution, run in the
same kernel beside it, gets its ``✅``: ``make test`` has nbval run each notebook once, as that
student version with a run of each solution after its stub (tests/notebook_copies.py), and the
tests here check how that copy is made. (tests/browser/test_browser_solutions.py does it in
JupyterLab.)
"""

import contextlib
import io
import itertools
import math
import re
from pathlib import Path

import nbformat
import notebook_copies as copies
import numpy as np
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

import hebb_core as hc
from hebblab import exercises, solutions

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
every_notebook = pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
CHECK_CALL, SOLUTION_BLOCK, strip = copies.CHECK_CALL, copies.SOLUTION_BLOCK, copies.strip


def tagged(cell, tag):
    return tag in cell.metadata.get("tags", [])


def run(code, namespace=None):
    """What ``code`` prints, run in a namespace like a notebook's (``namespace`` added)."""
    names = {"np": np, "hc": hc, "math": math, "itertools": itertools, "pd": pd,
             **(namespace or {})}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code, names)
    return out.getvalue()


# ── the tool ─────────────────────────────────────────────────────────────────────────────────────


def small_notebook():
    stub = new_code_cell("def f():\n    return ...", execution_count=1,
                         metadata={"tags": ["exercise"]})
    solution = new_markdown_cell("<details><summary>Solution</summary>1</details>",
                                 metadata={"tags": ["solution"]})
    teacher = new_markdown_cell("For teachers: the key.", metadata={"tags": ["teacher"]})
    answer = new_markdown_cell("<details><summary>Answer</summary>42</details>",
                               metadata={"tags": ["answer"]})
    run_ = new_code_cell("print(1)", execution_count=2,
                         outputs=[new_output("stream", name="stdout", text="1\n")])
    notebook = new_notebook(cells=[new_markdown_cell("# Title"), stub, solution, teacher,
                                   answer, run_])
    notebook.metadata["widgets"] = {"state": {}}
    return notebook


def test_is_solution_reads_the_tags():
    cells = small_notebook().cells
    assert [strip.is_solution(cell) for cell in cells] == [False, False, True, False, False, False]
    assert [strip.is_for_teachers(cell) for cell in cells] == [False, False, False, True, False,
                                                               False]
    assert not strip.is_solution(new_code_cell("x = 1"))  # no tags at all


def test_strip_removes_the_solutions_and_the_notes_for_teachers_and_every_output():
    notebook = small_notebook()
    student = strip.strip_solutions(notebook)
    assert [cell.source for cell in student.cells] == [
        "# Title", "def f():\n    return ...",
        "<details><summary>Answer</summary>42</details>", "print(1)"]
    assert all(cell.outputs == [] and cell.execution_count is None for cell in student.cells
               if cell.cell_type == "code")
    assert "widgets" not in student.metadata
    assert len(notebook.cells) == 6 and notebook.cells[5].outputs  # the original is left as it was
    assert strip.strip_solutions(student) == student  # stripping twice changes nothing


def test_the_command_writes_student_notebooks_and_never_over_the_solutions(tmp_path, capsys):
    source = tmp_path / "notebooks"
    source.mkdir()
    nbformat.write(small_notebook(), source / "01_small.ipynb")
    assert strip.main([str(source), "--out-dir", str(tmp_path / "student")]) == 0
    written = nbformat.read(tmp_path / "student" / "01_small.ipynb", as_version=4)
    assert len(written.cells) == 4
    with pytest.raises(SystemExit) as stop:
        strip.main([str(source), "--out-dir", str(source)])
    assert stop.value.code == 2 and "holds the notebooks with solutions" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        strip.main([str(tmp_path / "missing.ipynb"), "--out-dir", str(tmp_path / "student")])


# ── the checks ───────────────────────────────────────────────────────────────────────────────────


def a_function(body, name="answer", arguments="*args"):
    """A learner's function: ``def name(arguments): body``, defined in a namespace like a
    notebook's."""
    namespace = {"np": np, "hc": hc, "math": math, "itertools": itertools}
    exec(f"def {name}({arguments}):\n    " + body.replace("\n", "\n    "), namespace)
    return namespace[name]


ALTERNATE = """W, kind, pre = np.array([[w0]]), np.array([1.0]), np.array([1.0])
trajectory = [w0]
for t in range(steps):
    W = hc.hebbian_update(W, pre, np.array([{post}]), kind, epsilon)
    trajectory.append(W[0, 0])
return np.array(trajectory)"""

SILENT = """codes = list(itertools.product((1, -1), repeat=len(hidden_types)))
good = 0
for h in itertools.product(codes, repeat=3):
    h = np.array(h)
    overlap = {overlap}
    good += bool((overlap[~np.eye(3, dtype=bool)] > 0).all())
return good / len(codes) ** 3"""

#: Likely mistakes, each with a phrase of the hint that its check must give it (and no other
#: mistake's hint).
MISTAKES = {
    "00.1": [(a_function("return len(hc.generate_ei_ratios(N * L))", arguments="L, N"),
              "output layer too"),
             (a_function("return len(hc.generate_ei_ratios(max(N * (L - 2), 2)))",
                         arguments="L, N"),
              "only the hidden layers")],
    "00.2": [(a_function("P = N * (L - 1)\nk = len(hc.generate_ei_ratios(P))\n"
                         "return (sum(math.comb(P, r[2]) for r in hc.generate_ei_ratios(P)) if e "
                         "else k) * N ** N",
                         arguments="L, N, e=False"), "N**N counts every function"),
             (a_function("P = N * (L - 1)\nk = len(hc.generate_ei_ratios(P))\n"
                         "return (sum(math.comb(P, r[2]) for r in hc.generate_ei_ratios(P)) if "
                         "e else k) * N",
                         arguments="L, N, e=False"), "N counts the outputs"),
             (a_function("P = N * (L - 1)\nk = len(hc.generate_ei_ratios(P))\n"
                         "return (2 ** P if e else k) * math.factorial(N)",
                         arguments="L, N, e=False"),
              "all-I and all-E")],
    "01.1": [(((1.0, 1.0), 1.5), "that is AND"), (((1.0, 1.0), 0.5), "computes OR")],
    "01.2": [(16, "not all 16"), (15, "one more is missing"), (10, "no line can separate")],
    "01.3": [(a_function("inputs = np.array([(0, 0), (0, 1), (1, 0), (1, 1)])\n"
                         "return {hc.BOOLEAN_FUNCTIONS[hc.mcculloch_pitts_unit(inputs, "
                         "(a, b), t)] "
                         "for a, b, t in itertools.product(values, repeat=3)}",
                         arguments="values"), "a tuple"),
             (a_function("return set(hc.BOOLEAN_FUNCTIONS.values())", arguments="values"),
              "XOR or XNOR found")],
    "01.4": [(a_function("return theta", arguments="w, theta"), "the same θ does not work"),
             (a_function("return 2 * theta + sum(w)", arguments="w, theta"), "a sign error"),
             (a_function("return theta - sum(w) / 2", arguments="w, theta"),
              "multiply both sides by 2")],
    "02.1": [(a_function("return np.log(2) / e", arguments="e"), "is the approximation"),
             (a_function("return 1 / e", arguments="e"), "is the time scale"),
             (a_function("return -np.log(0.5) / np.log(1 - e)", arguments="e"), "a sign error")],
    "02.2": [(1, "the pair (1, 1) alone"), (0.0, "the pair (1, 0) alone"),
             (0.7, "running average")],
    "02.3": [(a_function(ALTERNATE.format(post="0.0 if t % 2 == 0 else 1.0"),
                         arguments="w0, epsilon, steps"),
              "the turns are swapped"),
             (a_function(ALTERNATE.format(post="1.0 if t % 2 == 0 else -1.0"),
                         arguments="w0, epsilon, steps"),
              "not (1, -1)")],
    "03.1": [(1, "the target does not make the network"), (0, "learnt its own target")],
    "03.2": [(a_function("return np.array([hc.recall(weights, i, params)[0][2] for i in "
                         "range(params.N)])",
                         arguments="weights, params"), "the output layer"),
             (a_function("return np.array([hc.recall(weights, i, params)[0][0] for i in "
                         "range(params.N)])",
                         arguments="weights, params"), "the input layer")],
    "04.1": [(a_function("p = k / n\nh = z * (p * (1 - p) / n) ** 0.5\nreturn p - h, p + h",
                         arguments="k, n, z=1.96"),
              "Wald"),
             (a_function("p = k / n\nc = (p + z**2 / (2 * n)) / (1 + z**2 / n)\n"
                         "h = z * (p * (1 - p) / n + z**2 / (4 * n**2)) ** 0.5\nreturn "
                         "c - h, c + h",
                         arguments="k, n, z=1.96"), "divided by (1 + z²/n) too")],
    "04.2": [(a_function("return math.log(0.05) / math.log(1 - p)", arguments="p"),
              "round the solution up"),
             (a_function("return math.floor(math.log(0.05) / math.log(1 - p))", arguments="p"),
              "round up, not down"),
             (a_function("return 1 / p", arguments="p"), "mean wait")],
    "04.3": [("about a tenth", "not spread evenly"), ("none", "section 3's histogram"),
             ("most", "answer with one of")],
    "05.1": [(a_function("return e * (1 - e) ** (N - i) / (1 + (1 - e) ** N)",
                         arguments="N, e, i"), "off by one"),
             (a_function("return e * (1 - e) ** i / (1 + (1 - e) ** N)",
                         arguments="N, e, i"), "not i"),
             (a_function("return e * (1 - e) ** (N - 1 - i)", arguments="N, e, i"), "divide by"),
             (a_function("return e / 2", arguments="N, e, i"), "ε/2 is the approximation")],
    "05.2": [(a_function(SILENT.format(overlap="h @ h.T"), arguments="hidden_types"),
              "weighted by its type")],
    "05.3": [(6, "count where the E neurons can sit")],
    "06.1": [(a_function("return math.prod(M - j for j in range(N)) / M ** N",
                         arguments="N, M, k"),
              "C(M, k) codes, not M"),
             (a_function("C = math.comb(M, k)\nreturn math.prod(C - j for j in range(N))",
                         arguments="N, M, k"),
              "divide by all C**N")],
    "06.2": [((8, 4), "must be wider"), ((20, 10), "narrower layer does too"),
             ((14, 3), "take the k with the most"), ("fourteen", "two whole numbers")],
    "06.3": [("all", "the threshold counts"), ("none", "leaves it less to go on")],
    "06.4": [([(0, 1), (2, 3), (0, 2), (1, 3)], "all different"),
             ([(0, 1), (0, 1), (0, 1), (2, 3)], "rates are"),
             ([(0, 1, 2)] * 4, "four codes, each two different units")],
    "07.1": [("other orientations", "another orientation would need learning"),
             ("a map as before", "do more than orient")],
    "07.2": [(a_function("p = hc.sheet_positions(size)\nreturn np.corrcoef(p[:, 0], "
                         "centres[:, 0])[0, 1]",
                         arguments="centres, size"), "one axis only"),
             (a_function("p = hc.sheet_positions(size)\n"
                         "return np.mean([np.corrcoef(p[:, a], centres[:, a])[0, 1] ** 2 for "
                         "a in (0, 1)])",
                         arguments="centres, size"), "r²")],
    "07.3": [(pd.DataFrame({"lateral_excitation": [1.0], "lateral_inhibition": [0.5],
                            "seed": [0]}),
              "sweep both strengths"),
             (pd.DataFrame({"lateral_excitation": [0.5, 1.0, 1.5, 2.0] * 4,
                            "lateral_inhibition": np.repeat([0.5, 1.0, 1.5, 2.0], 4), "seed": 0}),
              "3 seeds")],
    "08.1": [("stays there", "need not be stable"), ("grows without bound", "that is plain Hebb"),
             ("the first one", "answer with one of")],
    "08.2": [(a_function("return w + epsilon * (w @ x) * x", arguments="w, x, epsilon"),
              "plain Hebb, w + ε y x"),
             (a_function("y = w @ x\nreturn epsilon * y * (x - y * w)", arguments="w, x, epsilon"),
              "the change Δw"),
             (a_function("y = w @ x\nreturn w + epsilon * y * (x - w)", arguments="w, x, epsilon"),
              "inside the bracket"),
             (a_function("return np.outer(w, x)", arguments="w, x, epsilon"), "the shape of w")],
    "08.3": [(a_function("return (1 / p) ** 0.5", arguments="p"), "equal 1"),
             (a_function("return 1 / p ** 2", arguments="p"), "not the square of the mean"),
             (a_function("return p", arguments="p"), "that is p itself"),
             (a_function("return 1.0", arguments="p"), "not selective")],
}


def test_every_exercise_has_a_check_a_solution_and_named_mistakes():
    assert set(exercises.CHECKS) == set(solutions.SOLUTIONS) == set(MISTAKES)
    assert all(len(MISTAKES[name]) >= 1 for name in MISTAKES)


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_each_named_mistake_gets_its_own_hint(name):
    hints = []
    for answer, phrase in MISTAKES[name]:
        line = exercises.verdict(name, answer)
        assert (line.startswith("❌ ") and "not done yet" not in line
                and phrase in line), (answer, line)
        assert "\n" not in line
        hints.append(line)
    assert len(set(hints)) == len(hints), "two mistakes share a hint"


@pytest.mark.parametrize("stub", [..., None, NotImplemented, ((..., ...), ...), [..., (0, 1)],
                                  a_function("return ..."), a_function("x = ...\nreturn x + 1")])
def test_an_unfinished_stub_is_not_done_yet_never_a_traceback(stub):
    for name in exercises.CHECKS:
        assert exercises.verdict(name, stub).startswith("❌ not done yet: "), name


def test_an_answer_that_raises_gets_one_line():
    line = exercises.verdict("02.1", a_function("return 1 / 0", arguments="e"))
    assert line == "❌ half_life raised ZeroDivisionError: division by zero"
    with pytest.raises(ValueError, match="name='99.1' is not allowed"):
        exercises.check("99.1", 1)


def test_a_right_answer_in_another_form_is_accepted():
    """Any threshold between the same fields, the half-life by another formula, codes in another
    order."""
    assert exercises.verdict("01.4", a_function("return 2 * theta - sum(w) + 0.01",
                                                arguments="w, theta"))[0] == "✅"
    assert exercises.verdict("02.1", a_function("return -np.log(2) / np.log1p(-e)",
                                                arguments="e"))[0] == "✅"
    assert exercises.verdict("06.4", [(3, 2), (0, 1), (1, 0), (2, 3)])[0] == "✅"
    assert exercises.verdict("04.3", " All ")[0] == "✅"
    assert exercises.verdict("06.2", (14, 7))[0] == "✅"
    assert exercises.verdict("08.1", "Turns to the principal component")[0] == "✅"
    assert exercises.verdict("08.2",
                             a_function("return list(w + epsilon * (w @ x) * (x - (w @ x) * w))",
                                        arguments="w, x, epsilon"))[0] == "✅"
    assert exercises.verdict("08.3", a_function("return np.reciprocal(float(p))",
                                                arguments="p"))[0] == "✅"


# ── the committed notebooks ──────────────────────────────────────────────────────────────────────


exercises_of = copies.exercises_of


def closed_blocks(source):
    """The ``<details>`` blocks of a markdown cell: (summary, open?)."""
    return re.findall(r"<details( open)?>\n<summary>(.*?)</summary>", source)


@every_notebook
def test_every_exercise_has_hints_a_stub_with_its_check_and_a_folded_solution(path):
    cells = nbformat.read(path, as_version=4).cells
    found = exercises_of(cells)
    number = path.name[:2]
    assert [name for _, name, _ in found] == [f"{number}.{k}" for k in range(1, len(found) + 1)]
    assert len(found) >= 2, "at least two exercises"
    assert any("predict" in cells[index - 2].source for index, _,
               _ in found), "one exercise is a prediction"
    for index, name, answer in found:
        stub, hints, solution = cells[index], cells[index - 1], cells[index + 1]
        assert cells[index - 2].source.startswith(f"### Exercise {name.split('.')[1]}")
        assert tagged(hints, "hint") and [summary for _, summary
                                          in closed_blocks(hints.source)] == ["Hint 1", "Hint 2"]
        assert "..." in stub.source, "a stub leaves its core lines as ..."
        comments = " ".join(re.findall(r"#(.*)", stub.source))
        assert not re.search(r"[\w.]+\(|hint",
                             comments), f"{name}: a comment of the stub gives code away"
        assert run(stub.source).startswith("❌ not done yet: "), name
        assert tagged(solution, "solution") and solution.cell_type == "markdown"
        block = SOLUTION_BLOCK.match(solution.source)
        assert block and block.group(1) == name.split(".")[1], (f"cell {index + 1}: not the "
                                                                f"solution block")
        assert block.group(2) == solutions.SOLUTIONS[name], (f"{name}: the notebook's "
                                                             f"solution and "
                                                             f"%load's differ")
        assert f"`%load hc.solutions.ex{name.replace('.', '_')}`" in block.group(4)
        assert block.group(3).startswith("✅ right")
        assert "\n" not in block.group(3)
    assert all(cell.cell_type == "markdown" for cell in cells
               if tagged(cell, "solution")), "a solution would run"


@every_notebook
def test_run_all_neither_runs_a_solution_nor_replaces_the_learners_code(path):
    """No code cell but the stub assigns an exercise's answer; no code cell calls a check but the
    stub."""
    cells = nbformat.read(path, as_version=4).cells
    for index, name, answer in exercises_of(cells):
        defines = re.compile(rf"^(def {answer}\(|{re.escape(answer)} =)",
                             re.M) if answer.isidentifier() else None
        for other, cell in enumerate(cells):
            if cell.cell_type != "code" or other == index:
                continue
            assert f'hc.check("{name}"' not in cell.source
            assert defines is None or not defines.search(cell.source), \
                f"cell {other} replaces {answer}"


@every_notebook
def test_every_think_has_one_folded_answer_or_concept_check(path):
    cells = nbformat.read(path, as_version=4).cells
    for index, cell in enumerate(cells):
        if cell.cell_type == "markdown" and not re.search(r"^>?\s*\*\*Think!\*\*",
                                                          cell.source, re.M):
            continue
        if cell.cell_type != "markdown":
            continue
        after = cells[index + 1:index + 3]
        kinds = [next((tag for tag in ("concept-check", "answer") if tagged(c, tag)),
                      None) for c in after]
        assert kinds[0] in ("concept-check",
                            "answer"), f"cell {index}: a Think! with nothing to check it by"
        answers = [c for c in after if tagged(c, "answer")]
        assert len(answers) <= 1
        for answer in answers:  # one closed block, labelled for its question
            assert answer.source.startswith("<details>\n<summary><b>Answer:</b> ")
            assert [is_open for is_open, _ in closed_blocks(answer.source)] == [""]
    assert not any(cell.source.startswith("**Answer.**") for cell in cells), \
        "a visible answer beside a folded one"


@every_notebook
def test_concept_checks_are_plain_html_with_one_right_option(path):
    checks = [cell for cell in nbformat.read(path,
                                             as_version=4).cells if tagged(cell, "concept-check")]
    for cell in checks:
        blocks = re.findall(r"<details>\n<summary>[A-E]\. .*?</summary>\n\n(✅|❌) ", cell.source)
        assert len(blocks) >= 2 and blocks.count("✅") == 1, cell.source[:200]
        assert len(blocks) == cell.source.count("<details")
        # JupyterLab sanitises those
        assert not re.search(r"<script|<form|<input|\son\w+=", cell.source)


def test_numbers():
    """The counts that the documentation quotes, for notebooks 00-07."""
    first = [path for path in NOTEBOOKS if path.name[:2] <= "07"]
    notebooks = [nbformat.read(path, as_version=4).cells for path in first]
    stubs = sum(tagged(cell, "exercise") for cells in notebooks for cell in cells)
    concept = sum(tagged(cell, "concept-check") for cells in notebooks for cell in cells)
    assert stubs == len([name for name in exercises.CHECKS if name[:2] <= "07"]) == 24
    assert concept == 10
    assert sum(len(mistakes) for name, mistakes in MISTAKES.items() if name[:2] <= "07") >= 50


def test_the_first_notebook_tells_each_copy_the_truth():
    cells = nbformat.read(NOTEBOOKS[0], as_version=4).cells
    student = strip.strip_solutions(nbformat.read(NOTEBOOKS[0], as_version=4)).cells
    text = "\n".join(cell.source for cell in student if cell.cell_type == "markdown")
    for claim in ("Solution to exercise", "%load", "teaching_guide", "strip_solutions",
                  "Try first", "solution"):
        assert claim not in text, f"the student copy speaks of {claim!r}"
    assert any(tagged(cell, "teacher") and "strip_solutions.py" in cell.source for cell in cells)
    guess = next(cell for cell in cells if tagged(cell,
                                                  "answer") and "make a guess" in cell.source)
    assert not re.search(r"converge|excitatory neuron|bottleneck|sign",
                         guess.source), "a spoiler of 03-05"


# ── the student version, run once by nbval ───────────────────────────────────────────────────────


@every_notebook
def test_nbval_runs_the_student_version_with_every_solution_and_the_committed_outputs(path):
    """``make test`` has nbval run each notebook once, as its copy (tests/notebook_copies.py): that
    run is the student version's, its code cells and their outputs are the committed notebook's,
    each stub prints "❌ not done yet", and after each stub its solution prints what its block
    says."""
    committed = nbformat.read(path, as_version=4)
    copy = copies.checked_copy(committed)
    student = strip.strip_solutions(committed)
    assert not any(strip.is_solution(cell) or strip.is_for_teachers(cell) for cell in copy.cells)
    for tag in ("exercise", "hint", "concept-check", "answer"):  # everything a learner uses stays
        assert (sum(tagged(cell, tag) for cell in copy.cells)
                == sum(tagged(cell, tag) for cell in committed.cells))
    own = [cell for cell in copy.cells if not tagged(cell, copies.SOLUTION_RUN)]
    assert [cell.source for cell in own] == [cell.source for cell in student.cells]
    code = [cell for cell in committed.cells if cell.cell_type == "code"]
    assert [(cell.source, cell.outputs) for cell in own if cell.cell_type == "code"] \
        == [(cell.source, cell.outputs) for cell in code]
    solved = {name: SOLUTION_BLOCK.match(committed.cells[index + 1].source).group(3)
              for index, name, _ in exercises_of(committed.cells)}
    for index, name, _ in exercises_of(copy.cells):
        assert printed_by(copy.cells[index]).startswith("❌ not done yet: "), name
        ran = copy.cells[index + 1]
        assert tagged(ran, copies.SOLUTION_RUN) and printed_by(ran) == solved[name] + "\n", name
        assert ran.source == f"exec(hc.solutions.ex{name.replace('.', '_')}, dict(globals()))"


def test_a_solution_that_fails_its_check_fails_nbval(tmp_path):
    """A planted wrong solution: nbval, run on the copy, reports the cell of its run."""
    import subprocess
    import sys

    notebook = new_notebook(cells=[
        new_code_cell("import hebb_core as hc\nhc.solutions.ex02_1 = 'hc.check(\"02.1\", 7)'",
                      execution_count=1),
        new_code_cell('answer = None\nhc.check("02.1", answer)', execution_count=2,
                      metadata={"tags": ["exercise"]},
                      outputs=[new_output("stream", name="stdout",
                                          text=exercises.verdict("02.1", None) + "\n")]),
        new_markdown_cell(committed_block("02.1"), metadata={"tags": ["solution"]})])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(copies.checked_copy(notebook), tmp_path / "planted.ipynb")
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                           "--nbval", "--nbval-current-env", str(tmp_path / "planted.ipynb")],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 1 and "1 failed, 2 passed" in done.stdout, done.stdout[-2000:]


def committed_block(name):
    """The solution block of exercise ``name`` in its notebook."""
    for path in NOTEBOOKS:
        cells = nbformat.read(path, as_version=4).cells
        for index, found, _ in exercises_of(cells):
            if found == name:
                return cells[index + 1].source
    raise LookupError(name)


def printed_by(cell):
    return "".join(output.get("text",
                              "") for output in cell.outputs if output.output_type == "stream")


def test_load_puts_a_solution_into_the_cell():
    """``%load hc.solutions.ex02_1`` (IPython's own magic) replaces the cell's text with the
    solution's."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    # history in memory: the test run's IPYTHONDIR is gone by the time the shell ends
    settings = Config()
    settings.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=settings)
    shell.user_ns["hc"] = hc
    loaded = []
    shell.set_next_input = lambda text, replace=False: loaded.append((text, replace))
    shell.run_line_magic("load", "hc.solutions.ex02_1")
    assert loaded == [("# %load hc.solutions.ex02_1\n" + solutions.SOLUTIONS["02.1"], True)]
