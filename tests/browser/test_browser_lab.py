"""The explorers of notebooks 01-07 in JupyterLab, in a real browser, used as a person does: at
1280×720 with the file browser open, every slider of every explorer dragged with the mouse (three
drags, then a quick burst of drags), and after each the picture checked: it keeps its displayed
size, is shown at its own size, and is byte for byte the PNG of a fresh drawing of the setting the
controls show. The seconds from releasing the mouse to the new picture are printed at the end of
the session (min, median, max per explorer; no timing is asserted).

Then every notebook, as Run All shows it (its committed outputs, which nbval checks against a run),
is checked as shown at 1280×720: no output wider than its box, no image shown below 90 % of its
size. And a deck live in JupyterLab (Deck mode): notebook 01's slides fit the screen, and its
explorer follows the mouse on its slide. Screenshots are saved under ``/tmp/shots``.
"""

import hashlib
import json
import time
from pathlib import Path

import ipywidgets as widgets
import matplotlib
import pytest
from figure_text import COLUMN_PX

import hebb_core as hc
from hebblab.explorer import figure_png

from .browser_pages import (
    controls,
    drag,
    errors,
    EXPLORER,
    NOTEBOOK,
    open_notebook,
    PANEL,
    picture,
    room,
    run_all_cells,
)

matplotlib.use("Agg")

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
SCREEN = {"width": 1280, "height": 720}
SHOTS = Path("/tmp/shots")
EXPLORERS = {"01": "mcculloch_pitts_explorer", "02": "hebb_explorer", "03": "network_explorer",
             "04": "sweep_explorer", "05": "answer_explorer", "06": "variant_explorer",
             "07": "map_explorer"}


@pytest.fixture(autouse=True)
def one_kernel_at_a_time(lab):
    """Shut the notebook's kernel down after each test (the machine is small)."""
    yield
    lab.shutdown_kernels()


def show_explorer(page, lab, number):
    """Write a notebook that shows the explorer of notebook ``number`` alone, run it at 1280×720,
    and return it."""
    import nbformat

    code = f"import hebb_core as hc\nhc.{EXPLORERS[number]}()"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                       "language": "python"}
    name = f"explorer_{number}.ipynb"
    (lab.notebooks / name).write_text(nbformat.writes(notebook), encoding="utf-8")
    page.set_viewport_size(SCREEN)
    open_notebook(page, lab, name)
    run_all_cells(page)
    assert not errors(page), "\n".join(errors(page))
    page.wait_for_selector(f"{EXPLORER} img.hebb-explorer-figure")
    return page.locator(EXPLORER)


class Drawings:
    """The explorer built here (the same defaults): the values its controls show, and the PNG a
    fresh drawing of those values gives, by digest (kept, as a slider often comes back to a
    setting)."""

    def __init__(self, number):
        self.explorer = getattr(hc, EXPLORERS[number])()
        self.by_label = {control.description: name
                         for name, control in self.explorer.sliders.items()}
        self.digests = {}

    def values(self, shown):
        """The controls' values from what they show (a readout, a choice, a pressed button)."""
        values = {self.by_label[c["label"]]: c["shown"].replace("−", "-").replace("\xa0", " ")
                  for c in shown}
        for name, text in values.items():
            control = self.explorer.sliders[name]
            if name == "mapping":  # a permutation, the value its number among the N!
                values[name] = hc.all_mappings(int(values["N"])).index(tuple(json.loads(text)))
            elif isinstance(control, widgets.FloatSlider):
                values[name] = float(text)
            elif isinstance(control, widgets.IntSlider):
                values[name] = int(text)
            else:
                options = [(o, o) if isinstance(o, str) else o for o in control.options]
                values[name] = next(value for label, value in options if label == text)
        return values

    def digest(self, values):
        key = tuple(sorted(values.items()))
        if key not in self.digests:
            import matplotlib.pyplot as plt

            drawn = self.explorer.draw(**values)
            plt.close(drawn["figure"])
            self.digests[key] = hashlib.sha256(figure_png(drawn["figure"])).hexdigest()
        return self.digests[key]

    def sliders(self):
        """The labels of the sliders a hand can drag (not greyed out)."""
        return [control.description for control in self.explorer.sliders.values()
                if isinstance(control, (widgets.IntSlider, widgets.FloatSlider,
                                        widgets.SelectionSlider))
                and not control.disabled]


CHANGED = """([explorer, before]) => {
    const img = explorer.querySelector('img.hebb-explorer-figure');
    const status = explorer.querySelector('.hebb-explorer-status');
    return img.src !== before && status.textContent.trim() === '';
}"""


def expected(explorer, drawings):
    """The values the controls show and the digest of a fresh drawing of them; ``None`` while the
    controls disagree (a control tied to another, e.g. 04's N to L, not yet updated by the
    kernel)."""
    try:
        values = drawings.values(controls(explorer))
        return values, drawings.digest(values)
    except ValueError:
        return None


def answered(page, explorer, drawings, before, size, timeout=60):
    """Wait for a new picture after a move and return the seconds it took (``None`` if the move
    leaves the picture as it was, e.g. a control that this setting does not use: then none is
    sent); then check that the picture is that of a fresh drawing of the setting the controls
    show, at the size it had. The fresh drawing is made here while the kernel draws its own."""
    start = time.perf_counter()
    seconds = None
    first = expected(explorer, drawings)  # what the controls show at once
    if first is None or (first[0] != before["values"] and first[1] != before["sha"]):
        try:  # controls still settling: their final setting may draw the same picture
            page.wait_for_function(CHANGED, arg=[explorer.element_handle(), before["src"]],
                                   polling="raf", timeout=(3 if first is None else timeout) * 1000)
            seconds = time.perf_counter() - start
        except Exception:  # noqa: BLE001
            if first is not None:
                raise AssertionError(f"no new picture within {timeout} s of the move from "
                                     f"{before['values']} to {first[0]}; the explorer shows: "
                                     f"{explorer.locator('pre').first.text_content()}") from None
    deadline = time.monotonic() + timeout
    # a later message may still be on its way: wait until the picture and the controls agree
    while True:
        shown, now = picture(explorer), expected(explorer, drawings)
        # (a picture replaced while it was read has no box yet: read it again)
        if not shown["busy"] and now is not None and shown["sha"] == now[1] and shown["width"]:
            break
        assert time.monotonic() < deadline, f"the picture is not a fresh drawing of {now}"
        page.wait_for_timeout(200)
    assert (round(shown["width"]), round(shown["height"])) == size, \
        f"the picture changed size at {now[0]}"
    return seconds


def state(explorer, drawings):
    """The picture shown and the values of the controls."""
    return {**picture(explorer), "values": drawings.values(controls(explorer))}


def drag_every_slider(page, explorer, drawings, label, size, timings):
    """Drag each slider of ``explorer`` that is not greyed out three times (each move waited for),
    then three times in a quick burst; after each, the picture is a fresh drawing of the setting
    shown, at ``size``."""
    unmoved = []
    for name in drawings.sliders():
        # greyed out: L = 2 has no M
        if next(c["disabled"] for c in controls(explorer) if c["label"] == name):
            continue
        way = room(page, explorer, name)
        for dx in (90 * way, -90 * way, 90 * way):  # three drags, each waited for
            before = state(explorer, drawings)
            drag(page, explorer, name, dx)
            seconds = answered(page, explorer, drawings, before, size)
            if seconds is not None:
                timings(label, seconds)
            if drawings.values(controls(explorer)) == before["values"]:
                unmoved.append(name)
        way = room(page, explorer, name)
        before = state(explorer, drawings)
        for _ in range(3):  # a quick burst: the latest value wins
            drag(page, explorer, name, 40 * way)
        seconds = answered(page, explorer, drawings, before, size)
        if seconds is not None:
            timings(f"{label}, after a burst", seconds)
    assert not errors(page), "\n".join(errors(page))
    assert len(unmoved) <= 2, f"drags that moved nothing: {unmoved}"


@pytest.mark.parametrize("number", list(EXPLORERS))
def test_every_slider_dragged_with_the_mouse_shows_a_fresh_drawing_at_one_size(page, lab, timings,
                                                                               number):
    explorer = show_explorer(page, lab, number)
    drawings = Drawings(number)
    first = picture(explorer)
    size = (round(first["width"]), round(first["height"]))
    assert size == (round(first["natural"][0] / hc.PIXEL_RATIO),
                    round(first["natural"][1] / hc.PIXEL_RATIO)), \
        "not shown at its own size"
    assert first["sha"] == drawings.digest(drawings.values(controls(explorer)))
    SHOTS.mkdir(exist_ok=True)
    explorer.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.screenshot(path=SHOTS / f"explorer_{number}_1280x720.png")
    short = [c for c in controls(explorer) if c["track"] is not None and c["track"] < 200]
    assert not short, f"slider tracks shorter than 200 px: {short}"
    drag_every_slider(page, explorer, drawings, f"{number} {EXPLORERS[number].replace('_', ' ')}",
                      size, timings)


# What a notebook shows after Run All: outputs wider than their box, and images shown below their
# size or the column's width, whichever is less (an explorer's picture, drawn at PIXEL_RATIO times
# its resolution, is meant to be shown at its declared width).
LAYOUT = """column => {
    const found = {overflow: [], small: [], images: 0, columns: []};
    for (const output of document.querySelectorAll('.jp-OutputArea-output')) {
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


@pytest.mark.parametrize("name", sorted(path.name for path in NOTEBOOKS.glob("0*.ipynb")))
def test_every_notebook_as_run_fits_the_column_at_1280x720(page, lab, name):
    """What Run All shows is the committed outputs (nbval runs every notebook and compares each
    output with them), so the notebook is opened as committed, not run a second time. Its
    explorers show the figure they drew last, at its declared size, as in a page without a
    kernel; their controls are checked, running, by the drags above."""
    page.set_viewport_size(SCREEN)
    open_notebook(page, lab, name)
    assert not errors(page), "\n".join(errors(page))
    page.wait_for_function("() => [...document.querySelectorAll('.jp-OutputArea-output img')]"
                           ".every(img => img.complete)", polling=250)
    SHOTS.mkdir(exist_ok=True)
    figures = page.locator(".jp-OutputArea-output img")
    if figures.count():  # the last figure, often an explorer's
        figures.last.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / f"{name.removesuffix('.ipynb')}_1280x720.png")
    found = page.evaluate(LAYOUT, COLUMN_PX)
    print(f"{name}: {found['images']} images, {len(found['small'])} shown below their size, "
          f"{len(found['overflow'])} outputs wider than their box")
    # the column figure_text.py's check of every figure's text as displayed counts on
    assert min(found["columns"], default=COLUMN_PX) >= COLUMN_PX, found["columns"]
    assert not found["overflow"], f"{name}: outputs wider than their box: {found['overflow']}"
    assert not found["small"], f"{name}: images shown below 90 % of their size: {found['small']}"


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
        first = state(explorer, drawings)
        size = (round(first["width"]), round(first["height"]))
        assert size == (round(first["natural"][0] / hc.PIXEL_RATIO),
                    round(first["natural"][1] / hc.PIXEL_RATIO)), \
            "not shown at its own size"
        assert first["sha"] == drawings.digest(first["values"])
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
