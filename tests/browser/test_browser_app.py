"""The code-free explorers (``make app``: Voilà serving ``app/explorers.ipynb``) in a real browser.

The page must show the two explorers without any code, each with its default output; moving one slider of each
must answer with a new figure and exactly the text that ``hebb_core`` computes here.
"""

import matplotlib
import nbformat
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

import hebb_core as hc

from .browser_pages import errors, explorer_with, explorers, press, read_output, ROOT

matplotlib.use("Agg")


def text(draw, **values):
    """What an explorer prints for these slider values (its drawing function, run here; the figure is closed)."""
    import matplotlib.pyplot as plt

    drawn = draw(**values)
    plt.close(drawn["figure"])
    return drawn["text"]


def test_the_app_notebook_only_shows_explorers():
    """The app imports hebb_core and shows widgets: no model code of its own (COURSE.md: one core module)."""
    notebook = nbformat.read(ROOT / "app" / "explorers.ipynb", as_version=4)
    code = [cell.source.strip() for cell in notebook.cells if cell.cell_type == "code"]
    assert code == ["import hebb_core as hc", "hc.network_explorer()", "hc.sweep_explorer()"]
    assert notebook.cells[0].cell_type == "markdown" and notebook.cells[0].source.startswith("# ")


SHOWN = "() => [...document.querySelectorAll('.hebb-explorer')].filter(e => e.querySelector('pre')).length === 2"


def test_the_explorers_answer_in_voila(page, voila, timings):
    # Voilà streams the page while it runs the notebook, then the page draws the widgets: wait for both explorers'
    # default text. Now and then Voilà stalls on the first explorer's cell (its kernel idle, the page showing
    # "Executing 3 of 6" for good); a teacher reloads the page, which starts a new kernel, and so does the test, once.
    for attempt in (1, 2):
        page.goto(voila.url("/"), wait_until="commit", timeout=300_000)
        try:
            page.wait_for_function(SHOWN, timeout=300_000, polling=250)
            break
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
    assert explorers(page).count() == 2
    shown = page.locator("body").inner_text()
    assert "hebb_core" not in shown and "hc." not in shown, "the app shows code"

    network = explorer_with(page, "seed")
    seed = hc.EXAMPLE_RUN["seed"]
    assert read_output(network)["text"] == text(hc.draw_network_run, **hc.EXAMPLE_RUN)
    timings("app: network explorer", press(page, network, "seed", "ArrowRight",
                                           text(hc.draw_network_run, **{**hc.EXAMPLE_RUN, "seed": seed + 1})))

    sweep = explorer_with(page, "max epochs")
    assert read_output(sweep)["text"] == text(hc.draw_sweep, **hc.SWEEP_EXAMPLE)
    timings("app: sweep explorer", press(page, sweep, "N", "ArrowLeft",
                                         text(hc.draw_sweep, **{**hc.SWEEP_EXAMPLE, "N": hc.SWEEP_EXAMPLE["N"] - 1})))
    assert not errors(page), "\n".join(errors(page))
