"""The learner's words: "seed" means a random seed and nothing else.

The workshop's model is "the workshop's model" (network, code) everywhere a learner reads: the
notebooks' markdown, the strings and comments of their code cells (titles, labels, printed lines),
the README, the guides in ``docs/``, and the texts that the plotting, explorer and command-line
modules put into figures, sliders and help. There, ``seed_uses`` finds every use of the word "seed"
(seeds, seeded, seed's, …) that is not a random seed. The last tests plant bad sentences and good
ones, so that the check is seen to fail when it should and only then.
"""

import ast
import io
import re
import tokenize
from pathlib import Path

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# the modules whose strings end up in a figure, a slider, a printed line or a command's help
SHOWN_BY = ["plots", "map_plots", "explorer_plots", "explorer", "views", "widgets", "cli"]
MODULES = [ROOT / "hebblab" / f"{name}.py" for name in SHOWN_BY]

WORD = re.compile(r"(?<![a-z])seed\w*(?:'s?)?", re.IGNORECASE)  # also in names: 04_seed_…
# In prose, a use of "seed" is a random seed when it matches one of these at the place of the word:
RANDOM_SEED = [
    re.compile(r"random seeds?\b(?!')", re.IGNORECASE),  # "the random seed", "random seeds"
    re.compile(r"seeds\b(?!')", re.IGNORECASE),  # "8 seeds", "over seeds", "fixed seeds"
    re.compile(r"seeded\b", re.IGNORECASE),  # "a seeded generator"
    # "seed 0", "seeds 0–5", "seed=3"; not "seed 5%"
    re.compile(r"seeds? ?[=:]? ?\d+(?![\d.]*\s*%)", re.IGNORECASE),
    # the last slider of a list ("…, mapping, seed |" or a heading that ends "…, presentations,
    # seed")
    re.compile(r"(?<=, )seed(?=[ \t]*(?:\||$))", re.IGNORECASE | re.MULTILINE),
    re.compile(r"(?:same|each|every|per|another|one) seed\b(?!'| model| network| code)",
               re.IGNORECASE),
]
CODE_NAME = re.compile(r"seeds?\b(?!')")  # in code: the argument, the column, the option `--seed`
# in a comment or string
NAME_IN_CODE = re.compile(r"(?<=[.(\[])seed\b(?!')|\bseed(?=[)\]=])|(?<=for )seed(?= in\b)")


def _pieces(text, code):
    """``text`` cut into ``(is_code, piece)``: markdown's fenced blocks and inline code spans are
    code, the rest prose; a program's string or comment is prose."""
    if code:
        return [(False, text)]
    pieces = []
    for number, block in enumerate(re.split(r"^[ \t]*```.*$", text, flags=re.MULTILINE)):
        if number % 2:
            pieces.append((True, block))
        else:
            pieces += [(part.startswith("`"),
                        part) for part in re.split(r"(`+[^`]*`+)", block) if part]
    return pieces


def seed_uses(text, code=False):
    """Every use of "seed" in ``text`` that is not a random seed, as short excerpts. ``text`` is
    markdown (fenced blocks and inline code are code, where the name ``seed`` is the argument), or,
    with ``code=True``, a string or comment of a program: prose, but where ``seed`` may also be a
    name in code (``f(seed)``, ``run.seed``, ``seed=3``, ``for seed in``), and a string that is
    only ``seed`` is the argument's name."""
    found = []
    if code and text.strip().lower() in ("seed", "--seed"):
        return found
    for is_code, piece in _pieces(text, code):
        for match in WORD.finditer(piece):
            start = match.start()
            if is_code:
                allowed = CODE_NAME.match(piece, start) is not None
            else:  # a rule may begin a word before ("random seed", "each seed")
                allowed = any(m.start() <= start < m.end()
                              for rule in RANDOM_SEED for m in rule.finditer(piece))
                allowed = allowed or code and any(m.start() <= start < m.end()
                                                  for m in NAME_IN_CODE.finditer(piece))
            if not allowed:
                found.append(" ".join(piece[max(0, start - 30):match.end() + 30].split()))
    return found


def program_texts(source, comments=True):
    """The strings (f-strings with ``0`` for each field, docstrings left out) and, if asked, the
    comments of a program."""
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node,
                                (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value,
                                 ast.Constant) and isinstance(node.body[0].value.value, str)}
    parts = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
             for part in node.values}
    texts = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            texts.append("".join(part.value if isinstance(part, ast.Constant) else "0"
                                 for part in node.values))
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and id(node) not in docstrings | parts):
            texts.append(node.value)
    if comments:
        texts += [token.string.lstrip("#").strip()
                  for token in tokenize.generate_tokens(io.StringIO(source).readline)
                  if token.type == tokenize.COMMENT]
    return texts


def notebook_problems(path):
    problems = []
    for number, cell in enumerate(nbformat.read(path, as_version=4).cells):
        if cell.cell_type == "markdown":
            problems += [f"cell {number}: {use}" for use in seed_uses(cell.source)]
        elif cell.cell_type == "code":
            source = TransformerManager().transform_cell(cell.source)
            problems += [f"cell {number} (code): {use}" for text in program_texts(source)
                         for use in seed_uses(text, code=True)]
    return problems


# Files whose wording another change is fixing; strict, so that this list has to shrink once it
# lands.
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebooks_say_seed_only_for_a_random_seed(path):
    assert notebook_problems(path) == []


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.name)
def test_the_readme_and_the_guides_say_seed_only_for_a_random_seed(path):
    assert seed_uses(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", MODULES, ids=[path.stem for path in MODULES])
def test_figures_sliders_and_help_say_seed_only_for_a_random_seed(path):
    assert [use for text in program_texts(path.read_text(encoding="utf-8"), comments=False)
            for use in seed_uses(text, code=True)] == []


# ── the check itself, on sentences planted for it ────────────────────────────────────────────────

BAD = [
    "Beyond the seed: variants of the network.",
    "The seed's network never converges.",
    "In the seed, the output layer stays clamped.",
    "the seed model has three layers",
    "all E: seed 0%, k-WTA 95.8%, homeostasis 100%",
    "homeostasis 77.1%, seed 5.6%.",
    "seed, feedback and dual edges 0 of 72",
    "| seed | almost never (notebook 05) |",
    "In this small model the markers *seed* the map.",
    "the same network as the seed code",
    "one seed network per mapping",
    "The Seed's log prints the ratios.",
]
GOOD = [
    "Move the sliders: the strength of excitation, the number of presentations, and the "
    "random seed.",
    "With n = 8 seeds per strength, the intervals are narrow.",
    "The map of seed 0 as it forms.",
    "train maps from seeds 0–5 with otherwise the same parameters",
    "everything random comes from one seeded generator",
    "| 07 · Topographic maps | maps | lateral excitation and inhibition, presentations, seed |",
    "## 7. Explore: lateral excitation, lateral inhibition, presentations, seed",
    "For comparison, the same seed with three excitatory neurons.",
    "each seed draws new initial weights",
    "run `k` of a sweep draws from `default_rng([seed, k])`",
    "```console\npython -m hebb_core sweep --seed 3\n```",
    "seed=3, record_every=250",
]


@pytest.mark.parametrize("sentence", BAD)
def test_the_check_finds_a_seed_that_is_not_a_random_seed(sentence):
    assert seed_uses(sentence)
    assert notebook_like(sentence)


@pytest.mark.parametrize("sentence", GOOD)
def test_the_check_passes_a_random_seed(sentence):
    assert seed_uses(sentence) == []


def notebook_like(sentence):
    """``sentence`` planted in a notebook (markdown, and a figure title in a code cell) finds
    problems in both."""
    return all(seed_uses(text, code=code) for text, code in ((sentence, False), (sentence, True)))


def test_the_check_reads_titles_and_comments_of_code(tmp_path):
    path = tmp_path / "planted.ipynb"
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Planted\n\nTrain seed 0."),
        nbformat.v4.new_code_cell('ax.set(title=f"the seed\'s network, N = {N}")  # fine: seed 0'),
        nbformat.v4.new_code_cell("run = train(seed=3)  # the seed model, trained")])
    nbformat.write(notebook, path)
    assert [problem.split(":")[0] for problem in notebook_problems(path)] == ["cell 1 (code)",
                                                                              "cell 2 (code)"]
