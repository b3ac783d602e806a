"""The explorers of notebooks 01-07 in JupyterLab, in a real browser, used as a person does, at
1280×720 with the file browser open.

By mouse: every slider of every explorer dragged there (the move waited for), then back in a quick
burst of drags, and after each the picture checked: it keeps its displayed size, is shown at its
own size, and is byte for byte the PNG of a fresh drawing of the setting the controls show.
The seconds from releasing the mouse to the new picture are printed at the end of the session
(min, median, max per explorer; no timing is asserted).

By keyboard alone: Tab reaches every control of the explorers that the Voilà page does not show
(the Voilà page's own are checked there), and a key changes each: the figure changes.

The seven explorers are shown in one notebook, run once, in one page, as a learner who keeps a
notebook open meets them one after the other. Screenshots are saved under ``/tmp/shots``.
"""

import nbformat
import pytest

from .browser_pages import (
    at_its_own_size,
    controls,
    drag_every_slider,
    Drawings,
    errors,
    EXPLORER,
    EXPLORERS,
    NOTEBOOK,
    open_notebook,
    run_all_cells,
    SCREEN,
    SHOTS,
    use_by_keyboard,
)
from .conftest import recording_page

NUMBERS = list(EXPLORERS)
# the explorers of the notebooks that the Voilà page does not show
BY_KEYBOARD = ["01", "02", "05", "06", "07"]


@pytest.fixture(scope="module")
def shown(browser, lab):
    """A notebook that shows the seven explorers, one per cell, run at 1280×720 in one page."""
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import hebb_core as hc")]
        + [nbformat.v4.new_code_cell(f"hc.{EXPLORERS[number]}()") for number in NUMBERS])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                       "language": "python"}
    nbformat.write(notebook, lab.notebooks / "explorers.ipynb")
    with recording_page(browser) as page:
        page.set_viewport_size(SCREEN)
        open_notebook(page, lab, "explorers.ipynb")
        run_all_cells(page)
        page.wait_for_function(f"() => document.querySelectorAll('{NOTEBOOK} {EXPLORER} "
                               f"img.hebb-explorer-figure').length === {len(NUMBERS)}",
                               timeout=300_000)
        assert not errors(page), "\n".join(errors(page))
        yield page
    lab.shutdown_kernels()


def explorer_of(page, number):
    """The explorer of notebook ``number`` on the page, scrolled to the top of the window."""
    explorer = page.locator(EXPLORER).nth(NUMBERS.index(number))
    explorer.evaluate("e => e.scrollIntoView({block: 'start'})")
    return explorer


@pytest.mark.parametrize("number", NUMBERS)
def test_every_slider_dragged_with_the_mouse_shows_a_fresh_drawing_at_one_size(shown, timings,
                                                                               number):
    page = shown
    explorer = explorer_of(page, number)
    drawings = Drawings(number)
    first, size = at_its_own_size(explorer)
    assert first["sha"] == drawings.digest(drawings.values(controls(explorer)))
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"explorer_{number}_1280x720.png")
    short = [c for c in controls(explorer) if c["track"] is not None and c["track"] < 200]
    assert not short, f"slider tracks shorter than 200 px: {short}"
    drag_every_slider(page, explorer, drawings, f"{number} {EXPLORERS[number].replace('_', ' ')}",
                      size, timings)


@pytest.mark.parametrize("number", BY_KEYBOARD)
def test_every_control_works_by_keyboard_alone(shown, number):
    """Tab reaches every control of the explorer (sliders, buttons, lists, boxes), and a key
    changes it: the figure changes."""
    page = shown
    explorer = explorer_of(page, number)
    use_by_keyboard(page, explorer)
    assert not errors(page), "\n".join(errors(page))
