"""The challenges of the code-free page (``app/explorers.ipynb``, ``make app``): each answer folded
under its explorer says what the explorer shows for those settings, number for number."""

import re
from pathlib import Path

import matplotlib
import nbformat
import pytest

import hebb_core as hc

ROOT = Path(__file__).resolve().parent.parent

matplotlib.use("Agg")


def drawn_text(draw, **values):
    import matplotlib.pyplot as plt

    drawn = draw(**values)
    plt.close(drawn["figure"])
    return drawn["text"]


@pytest.fixture(scope="module")
def page_text():
    notebook = nbformat.read(ROOT / "app" / "explorers.ipynb", as_version=4)
    return {cell.source.split("\n", 1)[0]: cell.source for cell in notebook.cells
            if cell.cell_type == "markdown"}


def answer(text):
    """The folded answer of a challenge."""
    return re.search(r"<details><summary>Answer</summary>(.*?)</details>", text, re.S).group(1)


def test_every_explorer_has_a_challenge_with_a_folded_answer(page_text):
    sections = [text for title, text in page_text.items() if title.startswith("## ")]
    assert len(sections) == 2
    for text in sections:
        assert "**Challenge.**" in text and answer(text).strip()


def test_the_network_challenge_says_which_e_counts_recall_the_whole_map(page_text):
    text = next(text for title, text in page_text.items() if "one-to-one map" in title)
    recalled = {}
    for count in range(7):
        shown = drawn_text(hc.draw_network_run, **{**hc.EXAMPLE_RUN, "excitatory_count": count})
        recalled[count] = int(re.search(r"\((\d) of 3 recalled\)", shown).group(1))
    assert hc.EXAMPLE_RUN["excitatory_count"] == 1
    assert "III|EII" in drawn_text(hc.draw_network_run, **hc.EXAMPLE_RUN)
    assert recalled == {0: 0, 1: 3, 2: 1, 3: 0, 4: 0, 5: 0, 6: 0}
    assert ("Only for 1 E neuron (3 of 3 recalled). With 0 it recalls none; with 2 one pair; "
            "with 3 to 6 none") \
        in answer(text)


def test_the_sweep_challenge_gives_the_argmax_numbers(page_text):
    text = next(text for title, text in page_text.items() if "E/I ratio" in title)
    strict = drawn_text(hc.draw_sweep, **hc.SWEEP_EXAMPLE)
    assert ("converged (first full "
            "recall): 9 of 1488") in strict and "9 of 1488 runs converge" in text
    assert re.search(r"0\.167\s+9 of 144", strict)  # all of them at the lowest ratio
    argmax = drawn_text(hc.draw_sweep, **{**hc.SWEEP_EXAMPLE, "readout": "argmax"})
    assert ("converged (first full "
            "recall): 149 of 1488") in argmax and "149 of 1488 runs converge" in answer(text)
    rates = dict(re.findall(r"^\s+(0\.\d+)\s+\d+ of\s+\d+\s+([\d.]+%)", argmax, re.M))
    assert rates == {"0.167": "20.1%", "0.333": "3.9%", "0.500": "14.0%", "0.667": "10.8%",
                     "0.833": "0.0%"}
    assert "(0.167) is still the best, at 20.1%" in answer(text)
    assert "3.9% at 0.333, 14.0% at 0.5, 10.8% at 0.667 and none at 0.833" in answer(text)
