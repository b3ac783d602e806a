"""What the browser tests do in a page: open and run a notebook, find an explorer, move a slider,
read the output.

An explorer (``hebb_core.Explorer``, a box of class ``hebb-explorer``) shows its sliders above one
image widget, whose PNG each move replaces, and its text in a ``<pre>`` beside or under it. A move
counts as answered when the image shows another figure, and the text is exactly the expected one.
"""

import hashlib
import json
import re
import time
from pathlib import Path

import ipywidgets as widgets
import matplotlib

import hebb_core as hc
from hebblab.explorer import figure_png

matplotlib.use("Agg")  # the tests' own fresh drawings

ROOT = Path(__file__).resolve().parents[2]

# Seconds from a slider move to the updated output, per test, and the formulas of each page of the
# site; the test session prints them at its end.
TIMINGS = {}
# page of the static site → (formulas typeset offline, formulas in the notebook's markdown)
FORMULAS = {}

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook in the tab on show
NOTEBOOK = f"{PANEL} .jp-Notebook"
STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
PROMPTS = (f"[...document.querySelectorAll('{NOTEBOOK} .jp-CodeCell .jp-InputPrompt')].map(e => "
           f"e.textContent)")

EXPLORER = ".hebb-explorer"
# The explorers' state, read in the page: the text shown beside the figure and the figure's src.
READ_OUTPUT = """explorer => {
    const text = explorer.querySelector('pre.hebb-explorer-text');
    const img = explorer.querySelector('img.hebb-explorer-figure');
    return {text: text ? text.textContent : null, src: img ? img.getAttribute('src') : null};
}"""

# Answered: another figure (the image's src changes with each PNG), and exactly the expected text.
ANSWERED = """([explorer, expected, before]) => {
    const state = (%s)(explorer);
    return state.src !== null && state.src !== before && state.text === expected;
}""" % READ_OUTPUT

# Every execution prompt shows a number (a cell whose input is hidden shows none), or a cell
# failed; and the kernel is idle.
RUN_FINISHED = """() => {
    const prompts = [...document.querySelectorAll('%s .jp-CodeCell .jp-InputPrompt')]
        .map(e => e.textContent.trim());
    const status = document.querySelector('%s .jp-Notebook-ExecutionIndicator');
    const failed = document.querySelector('%s %s') !== null;
    return (failed || prompts.every(p => p === '' || /^\\[\\d+\\]:$/.test(p)))
        && !prompts.some(p => p.includes('*')) && status.dataset.status === 'idle';
}""" % (NOTEBOOK, PANEL, NOTEBOOK, STDERR)

ERRORS = """() => {
    const found = [];
    for (const e of document.querySelectorAll('%s'))
        found.push('stderr: ' + e.textContent.slice(0, 2000));
    for (const e of document.querySelectorAll('.jp-RenderedText')) {
        if (/Traceback|Error/.test(e.textContent))
            found.push('output: ' + e.textContent.slice(0, 2000));
    }
    return found;
}""" % STDERR


def open_notebook(page, lab, name):
    """Open ``name`` in JupyterLab and wait until every cell is on the page and the kernel is
    ready."""
    cells = len(json.loads((lab.notebooks / name).read_text(encoding="utf-8"))["cells"])
    # ?reset: a clean workspace, without the tabs of an earlier test
    page.goto(lab.url(f"/lab/tree/{name}?reset"), timeout=120_000)
    page.wait_for_function(f"n => document.querySelectorAll('{NOTEBOOK} .jp-Cell').length === n",
                           arg=cells,
                           timeout=120_000, polling=250)
    # the status bar reads "Python 3 (ipykernel) | Idle" once the kernel is started and connected
    page.wait_for_function("() => /\\| Idle/.test("
                           "document.querySelector('#jp-main-statusbar').textContent)",
                           timeout=120_000, polling=250)
    page.wait_for_selector(f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']",
                           timeout=120_000)


# the label of the tab on show, and the number of cells of the notebook in it
ON_SHOW = """() => [
    document.querySelector('.lm-DockPanel-tabBar .lm-mod-current .lm-TabBar-tabLabel')
        ?.textContent,
    document.querySelectorAll('%s .jp-Cell').length]""" % NOTEBOOK

def open_from_the_file_browser(page, lab, name):
    """Double-click ``name`` in the file browser, as a learner opens the next notebook, and wait
    until its tab is on show with every cell on the page."""
    cells = len(json.loads((lab.notebooks / name).read_text(encoding="utf-8"))["cells"])
    page.locator(".jp-DirListing-itemText", has_text=name).dblclick()
    shown = json.dumps([name, cells], separators=(",", ":"))  # as JSON.stringify writes it
    try:
        page.wait_for_function(f"() => JSON.stringify(({ON_SHOW})()) === {json.dumps(shown)}",
                               timeout=120_000, polling=250)
    except Exception:
        raise AssertionError(f"{name} ({cells} cells) is not on show after a double click; "
                             f"on show: {page.evaluate(ON_SHOW)}") from None


def menu(page, *path):
    """Click through the menu bar, e.g. ``menu(page, "Run", "Run All Cells")``."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(path[0])}$")).click()
    for label in path[1:]:
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(label)}$")).click()


def menu_until(page, path, condition, tries=3, seconds=20):
    """Choose the menu item ``path`` until ``condition`` (JavaScript) holds: on a busy machine a
    click can land while the item is still disabled (the notebook not yet the current widget), and
    then nothing happens."""
    for _ in range(tries):
        dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
        # run before the kernel was there: take the notebook's own kernel, as a user would
        if dialog.count():
            dialog.locator("button", has_text=re.compile("^Select$")).click()
        menu(page, *path)
        try:
            page.wait_for_function(condition, timeout=seconds * 1000, polling=100)
            return
        except Exception:
            page.keyboard.press("Escape")  # close the menu, if it is still open
    raise AssertionError(f"{' > '.join(path)} had no effect, {tries} times")



def run_all_cells(page, timeout=300):
    """Clear the committed outputs, run all cells, and wait until every cell has run; returns the
    time (s)."""
    menu_until(page, ("Edit", "Clear Outputs of All Cells"),
               f"() => !{PROMPTS}.some(p => /\\d/.test(p))")
    start = time.perf_counter()
    menu_until(page, ("Run", "Run All Cells"), f"() => {PROMPTS}.some(p => /[\\d*]/.test(p))")
    try:
        page.wait_for_function(RUN_FINISHED, timeout=timeout * 1000, polling=250)
    except Exception as exc:
        status = page.locator(f"{PANEL} .jp-Notebook-ExecutionIndicator") \
            .get_attribute("data-status")
        prompts = page.locator(f"{NOTEBOOK} .jp-CodeCell .jp-InputPrompt").all_inner_texts()
        raise AssertionError(f"the notebook did not finish within {timeout} s "
                             f"({type(exc).__name__}): kernel "
                             f"{status}, prompts {prompts}\n{errors(page)}") from None
    prompts = page.locator(f"{NOTEBOOK} .jp-CodeCell .jp-InputPrompt").all_inner_texts()
    counts = [prompt.strip() for prompt in prompts]
    # consecutive numbers, top to bottom (a cell whose input is hidden shows no prompt)
    first = int(counts[0].strip("[]:")) if counts and counts[0] else 1
    expected = [f"[{n}]:" if count else "" for n, count in enumerate(counts, start=first)]
    assert counts == expected, f"not every cell ran, top to bottom: {counts}\n{errors(page)}"
    return time.perf_counter() - start


def errors(page):
    """Error outputs in the page (anything on stderr, any text with 'Traceback' or 'Error') and
    script errors."""
    return page.evaluate(ERRORS) + [f"page error: {error}" for error in page.errors]


def explorers(page):
    """The explorers on the page, top to bottom."""
    return page.locator(EXPLORER)


def explorer_with(page, label):
    """The one explorer that has a control labelled ``label``."""
    found = explorers(page).filter(has=label_locator(page, label))
    assert found.count() == 1, f"{found.count()} explorers with a control '{label}' on the page"
    return found


def label_locator(page, label):
    return page.locator("label.widget-label", has_text=re.compile(f"^{re.escape(label)}$"))


def slider(page, explorer, label):
    """The slider labelled ``label`` in ``explorer``."""
    return explorer.locator(".widget-slider").filter(has=label_locator(page, label))


def read_output(explorer):
    """``{"text": ..., "src": ...}``: the text printed under the figure, and the figure's ``<img>``
    src."""
    return explorer.evaluate(READ_OUTPUT)


def wait_for_answer(page, explorer, expected, before, timeout=120):
    """Wait until the explorer shows another figure than ``before`` (its src) and exactly
    ``expected``; fail with what it shows."""
    try:
        page.wait_for_function(ANSWERED, arg=[explorer.element_handle(), expected, before],
                               polling="raf", timeout=timeout * 1000)
    except Exception as exc:
        shown = read_output(explorer)
        raise AssertionError(
            f"the explorer did not answer with the expected output within {timeout} s "
            f"({type(exc).__name__});\n"
            f"figure changed: {shown['src'] != before}\n--- expected "
            f"---\n{expected}\n--- shown ---\n"
            f"{shown['text']}\n{errors(page)}") from None


def press(page, explorer, label, key, expected):
    """Focus the handle of slider ``label`` and press ``key`` (e.g. ``ArrowRight``); wait for the
    new figure and ``expected`` text. Returns the seconds from the key press to the updated
    output."""
    before = read_output(explorer)["src"]
    handle = slider(page, explorer, label).locator(".noUi-handle")
    handle.focus()
    start = time.perf_counter()
    handle.press(key)
    wait_for_answer(page, explorer, expected, before)
    return time.perf_counter() - start


def choose(page, explorer, option, expected):
    """Click the toggle button ``option`` in ``explorer``; as :func:`press`."""
    before = read_output(explorer)["src"]
    button = explorer.locator("button.widget-toggle-button",
                              has_text=re.compile(f"^{re.escape(option)}$"))
    button.hover()
    start = time.perf_counter()
    button.click()
    wait_for_answer(page, explorer, expected, before)
    return time.perf_counter() - start


def burst(page, explorer, label, key, count, expected):
    """Press ``key`` ``count`` times in quick succession on slider ``label``; wait for ``expected``
    (the text of the last value). Returns the seconds from the last press to the updated output."""
    before = read_output(explorer)["src"]
    handle = slider(page, explorer, label).locator(".noUi-handle")
    handle.focus()
    for _ in range(count):
        handle.press(key)
    start = time.perf_counter()
    wait_for_answer(page, explorer, expected, before)
    return time.perf_counter() - start


# ── Moving controls with the mouse, and comparing the picture ────────────────────────────────────

# The picture an explorer shows: a digest of its PNG's bytes, its size as displayed and its own
# size in pixels.
PICTURE = """async explorer => {
    const img = explorer.querySelector('img.hebb-explorer-figure');
    await img.decode().catch(() => null);  // a new picture laid out at its size, not 0 × 0
    const bytes = await (await fetch(img.src)).arrayBuffer();
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    const box = img.getBoundingClientRect();
    const status = explorer.querySelector('.hebb-explorer-status');
    return {sha: [...digest].map(b => b.toString(16).padStart(2, '0')).join(''), src: img.src,
            width: box.width, height: box.height, natural: [img.naturalWidth, img.naturalHeight],
            alt: img.alt, busy: status ? status.textContent.trim() !== '' : false};
}"""

# What each control of an explorer shows: its label and its value as displayed (a slider's readout,
# a dropdown's choice, the pressed button), and a slider's track length in pixels.
CONTROLS = """explorer => [...explorer.querySelectorAll(
        '.widget-slider, .widget-dropdown, .widget-toggle-buttons')].map(c => {
    const readout = c.querySelector('.widget-readout');
    const select = c.querySelector('select');
    const pressed = c.querySelector('button.mod-active');
    const track = c.querySelector('.noUi-target');
    return {label: c.querySelector('label.widget-label')?.textContent ?? '',
            shown: readout ? readout.textContent.trim()
                   : select ? select.selectedOptions[0]?.textContent
                   : pressed ? pressed.textContent.trim() : null,
            track: track ? track.getBoundingClientRect().width : null,
            disabled: track ? track.hasAttribute('disabled') : null};
})"""


def picture(explorer):
    """``{"sha", "src", "width", "height", "natural", "alt", "busy"}`` of the explorer's image (see
    :data:`PICTURE`)."""
    return explorer.evaluate(PICTURE)


def controls(explorer):
    """``[{"label", "shown", "track", "disabled"}, …]``: the explorer's controls as displayed
    (:data:`CONTROLS`)."""
    return explorer.evaluate(CONTROLS)


def drag(page, explorer, label, dx):
    """Drag the handle of slider ``label`` by ``dx`` pixels with the mouse (down, move in steps,
    up)."""
    handle = slider(page, explorer, label).locator(".noUi-handle")
    handle.scroll_into_view_if_needed()  # the mouse reaches only what the window shows
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y, steps=6)
    page.mouse.up()


def room(page, explorer, label):
    """Which way the handle of slider ``label`` has more room: +1 right, -1 left."""
    track = slider(page, explorer, label).locator(".noUi-target").bounding_box()
    handle = slider(page, explorer, label).locator(".noUi-handle").bounding_box()
    return 1 if handle["x"] + handle["width"] / 2 < track["x"] + track["width"] / 2 else -1


# ── Checking an explorer's picture against a fresh drawing ──────────────────────────────────────

SCREEN = {"width": 1280, "height": 720}
SHOTS = Path("/tmp/shots")
# the explorer of each notebook, by number
EXPLORERS = {"01": "mcculloch_pitts_explorer", "02": "hebb_explorer", "03": "network_explorer",
             "04": "sweep_explorer", "05": "answer_explorer", "06": "variant_explorer",
             "07": "map_explorer"}


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
                status = explorer.locator(".hebb-explorer-status").text_content().strip()
                raise AssertionError(f"no new picture within {timeout} s of the move from "
                                     f"{before['values']} to {first[0]}; the explorer shows: "
                                     f"{explorer.locator('pre').first.text_content()} "
                                     f"({status or 'not computing'})") from None
    deadline = time.monotonic() + timeout
    # a later message may still be on its way: wait until the picture and the controls agree
    while True:
        shown, now = picture(explorer), expected(explorer, drawings)
        # (a picture replaced while it was read has no box yet: read it again)
        if not shown["busy"] and now is not None and shown["sha"] == now[1] and shown["width"]:
            break
        if time.monotonic() > deadline:
            kept = keep_both(shown, now, drawings)
            raise AssertionError(
                f"the picture is not a fresh drawing of {now}; it shows {shown['alt']!r} "
                f"({'computing' if shown['busy'] else 'not computing'}), "
                f"{'a new' if shown['src'] != before['src'] else 'the same'} picture as before "
                f"the move ({before['values']}); both pictures: {kept}")
        page.wait_for_timeout(200)
    assert (round(shown["width"]), round(shown["height"])) == size, \
        f"the picture changed size at {now[0]}"
    return seconds


def keep_both(shown, now, drawings):
    """Save the picture shown and the fresh drawing of the values ``now`` under :data:`SHOTS`, to
    be looked at side by side; returns their paths."""
    import base64

    import matplotlib.pyplot as plt

    SHOTS.mkdir(exist_ok=True)
    paths = (SHOTS / "mismatch_shown.png", SHOTS / "mismatch_fresh.png")
    paths[0].write_bytes(base64.b64decode(shown["src"].split(",", 1)[1]))
    if now is not None:
        drawn = drawings.explorer.draw(**now[0])
        plt.close(drawn["figure"])
        paths[1].write_bytes(figure_png(drawn["figure"]))
    return [str(path) for path in paths]


def at_its_own_size(explorer):
    """The explorer's picture (:func:`picture`) and its size as displayed, ``(width, height)``:
    its own, its pixels over :data:`hebb_core.PIXEL_RATIO`."""
    shown = picture(explorer)
    size = (round(shown["width"]), round(shown["height"]))
    assert size == (round(shown["natural"][0] / hc.PIXEL_RATIO),
                    round(shown["natural"][1] / hc.PIXEL_RATIO)), "not shown at its own size"
    return shown, size


def state(explorer, drawings):
    """The picture shown and the values of the controls."""
    return {**picture(explorer), "values": drawings.values(controls(explorer))}


def drag_every_slider(page, explorer, drawings, label, size, timings):
    """Drag each slider of ``explorer`` that is not greyed out there (the move waited for), then
    back past where it started in a quick burst of three drags; after each, the picture is a fresh
    drawing of the setting shown, at ``size``."""
    unmoved = []
    for name in drawings.sliders():
        # greyed out: L = 2 has no M
        if next(c["disabled"] for c in controls(explorer) if c["label"] == name):
            continue
        way = room(page, explorer, name)  # the side with more room
        before = state(explorer, drawings)
        drag(page, explorer, name, 90 * way)
        seconds = answered(page, explorer, drawings, before, size)
        if seconds is not None:
            timings(label, seconds)
        if drawings.values(controls(explorer)) == before["values"]:
            unmoved.append(name)
        before = state(explorer, drawings)
        # back in a quick burst, each drag more than half a step of the coarsest slider (L: 77
        # px): the latest value wins
        for _ in range(3):
            drag(page, explorer, name, -40 * way)
        seconds = answered(page, explorer, drawings, before, size)
        if seconds is not None:
            timings(f"{label}, back in a burst", seconds)
    assert not errors(page), "\n".join(errors(page))
    assert len(unmoved) <= 1, f"drags that moved nothing: {unmoved}"


# ── Using an explorer by keyboard alone ──────────────────────────────────────────────────────────

FOCUSABLE = ".noUi-handle, button, select, input[type=checkbox]"
# the focused element: its number among the explorer's controls (-1: another element of the
# explorer; null: the focus is outside the explorer), its tag, whether it is a chosen toggle
# button or greyed out, whether a list shows its last option, and a slider handle's value and
# least value
FOCUSED = """explorer => {
    const e = document.activeElement;
    if (!explorer.contains(e)) return null;
    return {index: [...explorer.querySelectorAll('%s')].indexOf(e), tag: e.tagName,
            handle: e.classList.contains('noUi-handle'),
            active: e.classList.contains('mod-active'),
            disabled: e.disabled === true || e.closest('[disabled]') !== null,
            last: e.tagName === 'SELECT' && e.selectedIndex === e.options.length - 1,
            now: e.getAttribute('aria-valuenow'), min: e.getAttribute('aria-valuemin')};
}""" % FOCUSABLE
DESCRIBE = ("(e, i) => e.querySelectorAll('%s')[i].closest('.widget-inline-hbox, "
            ".widget-box')?.textContent") % FOCUSABLE
BEFORE = ("e => { const start = document.createElement('span'); start.tabIndex = 0; "
          "start.id = 'hebb-before'; e.parentNode.insertBefore(start, e); start.focus(); }")


# the figure as a reader meets it: its picture and its text alternative (a setting may draw the
# same picture as the one before, e.g. hidden M = 7 as M = 8 in 06's first view, but not the same
# description)
FIGURE = ("e => { const img = e.querySelector('img.hebb-explorer-figure'); return img.src "
          "+ img.alt; }")


def figure(explorer):
    return explorer.evaluate(FIGURE)


def use_by_keyboard(page, explorer):
    """Press Tab from just before the explorer until the focus leaves it, and change each control
    it meets by a key before the next Tab, as a keyboard user does (:func:`change_by_keyboard`):
    every control of the explorer must be met, and keep the focus while it redraws. Returns the
    numbers of the controls met, in order."""
    explorer.evaluate(BEFORE)
    met = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = explorer.evaluate(FOCUSED)
        if focused is None:
            break
        if focused["index"] >= 0 and focused["index"] not in met:
            met.append(focused["index"])
            change_by_keyboard(page, explorer, focused)
            after = explorer.evaluate(FOCUSED)
            assert after is not None and after["index"] == focused["index"], \
                f"control {focused['index']} lost the focus when a key changed it: {after}"
    page.evaluate("() => document.getElementById('hebb-before').remove()")
    count = explorer.evaluate(f"e => e.querySelectorAll('{FOCUSABLE}').length")
    assert sorted(met) == list(range(count)), f"Tab met controls {met} of the explorer's {count}"
    return met


def change_by_keyboard(page, explorer, focused):
    """Change the control that has the focus (``focused``, as :data:`FOCUSED` reads it) by a key
    (an arrow for a slider, down to the next smaller value, the quicker to draw; an arrow for a
    list, down to the next option, or up from the last; Space for a button or a box), and wait
    until the figure changes (its picture or its text alternative: two settings may draw the same
    picture); a slider or a list is then put back by the opposite key; a toggle button already
    chosen, and a control greyed out (e.g. M where L = 2 has no hidden layer), are left."""
    index = focused["index"]
    if focused["active"] or focused["disabled"]:
        return
    if focused["handle"]:
        keys = (["ArrowRight", "ArrowLeft"] if focused["now"] == focused["min"]
                else ["ArrowLeft", "ArrowRight"])
    elif focused["tag"] == "SELECT":
        keys = ["ArrowUp", "ArrowDown"] if focused["last"] else ["ArrowDown", "ArrowUp"]
    else:
        keys = ["Space"]
    # a slider or a list is put back, for the next control to act on the first
    for number, key in enumerate(keys):
        # view's settings; only the first key must change the figure
        before = figure(explorer)
        value = page.evaluate("() => document.activeElement.value")
        page.keyboard.press(key)
        if focused["tag"] == "SELECT" \
                and page.evaluate("() => document.activeElement.value") == value:
            # where the arrow alone does not choose: open the list, choose
            page.keyboard.press("Alt+ArrowDown")
            page.keyboard.press(key)
            page.keyboard.press("Enter")
        try:
            page.wait_for_function(f"([e, before]) => ({FIGURE})(e) !== before",
                                   arg=[explorer.element_handle(), before],
                                   timeout=120_000 if number == 0 else 20_000)
        except Exception:
            if number == 0:
                raise AssertionError(f"control {index} ({focused}, "
                                     f"in {explorer.evaluate(DESCRIBE, index)!r}) "
                                     f"changed by {key}, but the figure did not") from None


# ── An accessibility scan ────────────────────────────────────────────────────────────────────────

# axe-core, the npm package that ``make web`` installs
AXE = ROOT / "tools" / "web" / "node_modules" / "axe-core" / "axe.min.js"
# the scan's violations, as "rule (impact): how many elements, first element", in what the
# JavaScript expression ``%s`` gives (``document``: the whole page)
SCAN = """() => axe.run(%s, {resultTypes: ['violations']}).then(result =>
    result.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.length} element(s), `
                               + `e.g. ${v.nodes[0].html.slice(0, 120)}`))"""


def blocking(page, within="document"):
    """The serious and critical violations that axe-core finds on the page as it is now, in
    ``within`` (a JavaScript expression: the whole page, or e.g. ``{include: [element]}``)."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return [v for v in page.evaluate(SCAN % within) if re.search(r"\((?:serious|critical)\)", v)]
