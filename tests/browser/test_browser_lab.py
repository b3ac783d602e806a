"""The notebooks in JupyterLab, in a real browser, at 1280×720 with the file browser open.

Every notebook, as Run All shows it (its committed outputs, which nbval checks against a run), is
opened from the file browser, one after the other in one page, and checked as shown: no output
wider than its box, no image shown below 90 % of its size, a column at least as wide as the one
``tests/figure_text.py`` measures text in. And a deck live in JupyterLab (Deck mode): notebook 01's
slides fit the screen, and its explorer follows the mouse on its slide. Screenshots are saved under
``/tmp/shots``.
"""

import time
from pathlib import Path

import pytest
from figure_text import COLUMN_PX

from .browser_pages import (
    answered,
    at_its_own_size,
    controls,
    drag,
    Drawings,
    errors,
    EXPLORER,
    NOTEBOOK,
    open_from_the_file_browser,
    open_notebook,
    PANEL,
    room,
    run_all_cells,
    SCREEN,
    SHOTS,
    state,
)

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


@pytest.fixture(autouse=True)
def one_kernel_at_a_time(lab):
    """Shut the notebooks' kernels down after each test (the machine is small)."""
    yield
    lab.shutdown_kernels()


# What the notebook on show shows: outputs wider than their box, and images shown below their size
# or the column's width, whichever is less (an explorer's picture, drawn at PIXEL_RATIO times its
# resolution, is meant to be shown at its declared width).
LAYOUT = """([panel, column]) => {
    const found = {overflow: [], small: [], images: 0, columns: []};
    for (const output of document.querySelector(panel).querySelectorAll('.jp-OutputArea-output')) {
        found.columns.push(output.clientWidth);
        if (output.scrollWidth > output.clientWidth + 1) found.overflow.push(
            output.textContent.slice(0, 80)
            + ` (${output.scrollWidth} > ${output.clientWidth} px)`);
        for (const img of output.querySelectorAll('img')) {
            const meant = parseFloat(img.style.width) || parseFloat(img.getAttribute('width'))
                || img.naturalWidth;
            const shown = img.getBoundingClientRect().width;
            found.images += 1;
            if (shown < 0.9 * meant || shown < Math.min(meant, column) - 1)
                found.small.push(`${Math.round(shown)} of ${Math.round(meant)} px`);
        }
    }
    return found;
}"""
IMAGES_LOADED = ("() => [...document.querySelectorAll('%s .jp-OutputArea-output img')]"
                 ".every(img => img.complete)") % PANEL



def test_every_notebook_as_run_fits_the_column_at_1280x720(page, lab):
    """What Run All shows is the committed outputs (nbval runs every notebook and compares each
    output with them), so each notebook is opened as committed, not run a second time. Its
    explorers show the figure they drew last, at its declared size, as in a page without a
    kernel; their controls are checked, running, in test_browser_explorers.py."""
    page.set_viewport_size(SCREEN)
    names = sorted(path.name for path in NOTEBOOKS.glob("0*.ipynb"))
    open_notebook(page, lab, names[0])
    SHOTS.mkdir(exist_ok=True)
    wrong = []
    for number, name in enumerate(names):
        if number:
            open_from_the_file_browser(page, lab, name)
        page.wait_for_function(IMAGES_LOADED, polling=250)
        figures = page.locator(f"{PANEL} .jp-OutputArea-output img")
        if figures.count():  # the last figure, often an explorer's
            figures.last.scroll_into_view_if_needed()
        page.screenshot(path=SHOTS / f"{name.removesuffix('.ipynb')}_1280x720.png")
        found = page.evaluate(LAYOUT, [PANEL, COLUMN_PX])
        print(f"{name}: {found['images']} images, {len(found['small'])} shown below their size, "
              f"{len(found['overflow'])} outputs wider than their box, narrowest column "
              f"{min(found['columns'], default=None)} px")
        # the column figure_text.py's check of every figure's text as displayed counts on
        if min(found["columns"], default=COLUMN_PX) < COLUMN_PX:
            wrong.append(f"{name}: columns narrower than {COLUMN_PX} px: {found['columns']}")
        if found["overflow"]:
            wrong.append(f"{name}: outputs wider than their box: {found['overflow']}")
        if found["small"]:
            wrong.append(f"{name}: images shown below 90 % of their size: {found['small']}")
    assert not errors(page), "\n".join(errors(page))
    assert not wrong, "\n".join(wrong)


# ── A deck live in JupyterLab ────────────────────────────────────────────────────────────────────

DECK_NOTEBOOK = "01_mcculloch_pitts_neuron.ipynb"
# the cells of the slide on show in Deck mode (jupyterlab-slideshow), and where each is on screen
ON_SCREEN = ".jp-deck-mod-onscreen"
SLIDE = """() => [...document.querySelectorAll('%s')].map(cell => {
    const box = cell.getBoundingClientRect();
    return {top: Math.round(box.top), bottom: Math.round(box.bottom),
            text: cell.textContent.trim().slice(0, 60),
            explorer: cell.querySelector('%s') !== null};
})""" % (ON_SCREEN, EXPLORER)


def slide_on_show(page, before=None, timeout=20):
    """The cells of the slide on show, once it is another slide than ``before`` and stands still
    (the same places twice, 0.1 s apart)."""
    deadline = time.monotonic() + timeout
    shown = page.evaluate(SLIDE)
    while True:
        page.wait_for_timeout(100)
        again = page.evaluate(SLIDE)
        if again and again == shown and again != before:
            return again
        assert time.monotonic() < deadline, f"no other slide within {timeout} s: {again}"
        shown = again


def to_the_explorers_slide(page):
    """Press Space from the slide on show until the explorer's slide is on show; every slide on
    the way must fit the screen. Returns the number of slides shown."""
    shown, slides = slide_on_show(page), 1
    while True:
        cut = [cell for cell in shown if cell["top"] < 0 or cell["bottom"] > SCREEN["height"]]
        assert not cut, f"slide {slides} of the deck is cut off at 1280×720: {cut}"
        if any(cell["explorer"] for cell in shown):
            return slides
        assert slides < 12, f"no explorer on the first {slides} slides of the deck"
        page.keyboard.press("Space")
        shown, slides = slide_on_show(page, before=shown), slides + 1


def test_a_deck_live_in_jupyterlab_fits_the_screen_and_its_explorer_follows_the_mouse(page, lab,
                                                                                     timings):
    """As a teacher presents notebook 01 at 1280×720: run it, start its deck from the notebook's
    toolbar (Deck mode), press Space until the explorer's slide is on show; every slide on the
    way fits the screen. Then each slider of the explorer dragged with the mouse on the slide: the
    picture is a fresh drawing of the setting shown, at its own size. The deck's stop button ends
    it."""
    page.set_viewport_size(SCREEN)
    open_notebook(page, lab, DECK_NOTEBOOK)
    run_all_cells(page)
    page.locator(f"{NOTEBOOK} .jp-Cell").first.click()  # the deck starts at the active cell
    page.locator(f"{PANEL} [data-jp-item-name='deck']").click()
    try:
        to_the_explorers_slide(page)
        explorer = page.locator(f"{ON_SCREEN} {EXPLORER}")
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SHOTS / "deck_01_explorer_1280x720.png")
        drawings = Drawings("01")
        first, size = at_its_own_size(explorer)
        assert first["sha"] == drawings.digest(drawings.values(controls(explorer)))
        for name in drawings.sliders():
            before = state(explorer, drawings)
            drag(page, explorer, name, 90 * room(page, explorer, name))
            seconds = answered(page, explorer, drawings, before, size)
            assert drawings.values(controls(explorer)) != before["values"], \
                f"dragging {name} moved nothing"
            timings("01 explorer on its slide", seconds)
        page.screenshot(path=SHOTS / "deck_01_explorer_dragged_1280x720.png")
    finally:
        # JupyterLab remembers a deck left on, and would open the next notebook as one
        page.locator(".jp-deck-mod-stop").click()
    page.wait_for_function(f"() => !document.querySelector('{ON_SCREEN}')")
    assert not errors(page), "\n".join(errors(page))
