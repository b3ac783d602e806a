"""The explorers of notebooks 01-07 in JupyterLab, in a real browser, used as a person does: at
1280×720 with the file browser open, every slider of every explorer dragged with the mouse (three
drags, then a quick burst of drags), and after each the picture checked: it keeps its displayed
size, is shown at its own size, and is byte for byte the PNG of a fresh drawing of the setting the
controls show. The seconds from releasing the mouse to the new picture are printed at the end of
the session (min, median, max per explorer; no timing is asserted).

Then every notebook, run top to bottom (Run All), is checked as shown at 1280×720: no output wider
than its box, no image shown below 90 % of its size, no text of any figure under 11 px as displayed
(each kernel records the smallest text of every figure it shows, figure_text.py; the browser gives
the scale each image is shown at). Screenshots are saved under ``/tmp/shots``.
"""

import hashlib
import json
import time
from pathlib import Path

import ipywidgets as widgets
import matplotlib
import pytest

import hebb_core as hc
from hebblab.explorer import figure_png

from .browser_pages import (
    controls,
    drag,
    errors,
    EXPLORER,
    open_notebook,
    picture,
    room,
    run_all_cells,
    RUN_TIMES,
    TEXT_SIZES,
)
from .figure_text import read_records, SMALLEST_TEXT_PX, text_as_displayed

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


def answered(page, explorer, drawings, before, size, timeout=60):
    """Wait for a new picture after a move and return the seconds it took (``None`` if the move
    left the picture as it was, e.g. a control that this setting does not use: then none is sent);
    then check that the picture is that of a fresh drawing of the setting the controls show, at the
    size it had."""
    start = time.perf_counter()
    seconds = None
    try:
        page.wait_for_function(CHANGED, arg=[explorer.element_handle(), before["src"]],
                               polling="raf", timeout=3000)
        seconds = time.perf_counter() - start
    except Exception:  # noqa: BLE001
        # no new picture yet: the move changed nothing, or the kernel is slow
        values = drawings.values(controls(explorer))
        # else the same picture
        if values != before["values"] and drawings.digest(values) != before["sha"]:
            try:
                page.wait_for_function(CHANGED, arg=[explorer.element_handle(), before["src"]],
                                       polling="raf", timeout=timeout * 1000)
            except Exception:  # noqa: BLE001
                raise AssertionError(f"no new picture within {timeout} s of the move "
                                     f"from {before['values']} to "
                                     f"{drawings.values(controls(explorer))}; the explorer shows: "
                                     f"{explorer.locator('pre').first.text_content()}") from None
            seconds = time.perf_counter() - start
    deadline = time.monotonic() + timeout
    # a later message may still be on its way: wait until the picture and the controls agree
    while True:
        shown, values = picture(explorer), drawings.values(controls(explorer))
        if not shown["busy"] and shown["sha"] == drawings.digest(values):
            break
        assert time.monotonic() < deadline, f"the picture is not a fresh drawing of {values}"
        page.wait_for_timeout(200)
    assert (round(shown["width"]), round(shown["height"])) == size, \
        f"the picture changed size at {values}"
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


# What a notebook shows after Run All: outputs wider than their box, and images shown below 90 % of
# their size (an explorer's picture, drawn at PIXEL_RATIO times its resolution, is meant to be
# shown at its declared width).
LAYOUT = """() => {
    const found = {overflow: [], small: [], images: 0};
    for (const output of document.querySelectorAll('.jp-OutputArea-output')) {
        if (output.scrollWidth > output.clientWidth + 1) found.overflow.push(
            output.textContent.slice(0, 80)
            + ` (${output.scrollWidth} > ${output.clientWidth} px)`);
        for (const img of output.querySelectorAll('img')) {
            const meant = parseFloat(img.style.width) || parseFloat(img.getAttribute('width'))
                || img.naturalWidth;
            const shown = img.getBoundingClientRect().width;
            found.images += 1;
            if (shown < 0.9 * meant)
                found.small.push(`${Math.round(shown)} of ${Math.round(meant)} px`);
        }
    }
    return found;
}"""


@pytest.mark.parametrize("name", sorted(path.name for path in NOTEBOOKS.glob("0*.ipynb")))
def test_every_notebook_after_run_all_fits_the_column_at_1280x720(page, lab, name):
    page.set_viewport_size(SCREEN)
    open_notebook(page, lab, name)
    RUN_TIMES[name] = run_all_cells(page)
    assert not errors(page), "\n".join(errors(page))
    page.wait_for_timeout(1000)  # the last images laid out
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name.removesuffix('.ipynb')}_1280x720.png")
    found = page.evaluate(LAYOUT)
    print(f"{name}: {found['images']} images, {len(found['small'])} shown below 90 %, "
          f"{len(found['overflow'])} outputs wider than their box")
    assert not found["overflow"], f"{name}: outputs wider than their box: {found['overflow']}"
    assert not found["small"], f"{name}: images shown below 90 % of their size: {found['small']}"
    texts, unknown = text_as_displayed(page, read_records(lab.figure_text))
    assert not unknown, f"{name}: {unknown} images that are not a figure the kernel showed"
    if texts:
        TEXT_SIZES[name] = (*min(texts), len(texts))
    small = [f"{text!r}: {pixels:.1f} px" for pixels, text in texts if pixels < SMALLEST_TEXT_PX]
    assert not small, f"{name}: figure text under {SMALLEST_TEXT_PX} px as displayed: {small}"


def test_a_small_label_or_a_figure_shrunk_to_fit_is_found(page, lab):
    """The check of text as displayed finds a label of 6 pt (8 px at 100 dpi), and the 10-pt text
    (14 px) of a figure far wider than the column, shrunk to fit it; the course's figure beside
    them passes."""
    import nbformat

    cells = ["import hebb_core as hc\nfrom matplotlib.figure import Figure",
             "hc.plot_traces({'w': [0.0, 1.0]})",
             "figure = Figure(figsize=(4, 3), dpi=100)\nax = figure.subplots()\n"
             "ax.set_xlabel('planted', fontsize=6)\nax.tick_params(labelsize=10)\nfigure",
             "figure = Figure(figsize=(17, 3), dpi=100)\nax = figure.subplots()\n"
             "ax.tick_params(labelsize=10)\nfigure"]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                       "language": "python"}
    (lab.notebooks / "planted.ipynb").write_text(nbformat.writes(notebook), encoding="utf-8")
    page.set_viewport_size(SCREEN)
    open_notebook(page, lab, "planted.ipynb")
    run_all_cells(page)
    assert not errors(page), "\n".join(errors(page))
    page.wait_for_timeout(1000)
    texts, unknown = text_as_displayed(page, read_records(lab.figure_text))
    assert unknown == 0 and len(texts) >= 3
    *course, (planted, label), (wide, _) = texts
    assert min(course)[0] >= SMALLEST_TEXT_PX
    assert label == "planted" and planted == pytest.approx(6 * 100 / 72, rel=0.01)
    assert wide < SMALLEST_TEXT_PX < 10 * 100 / 72  # its 14 px, shrunk to fit the column
