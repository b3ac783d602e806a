"""What the browser tests do in a page: open and run a notebook, find an explorer, move a slider,
read the output.

An explorer (``hebb_core.Explorer``, a box of class ``hebb-explorer``) shows its sliders above one
image widget, whose PNG each move replaces, and its text in a ``<pre>`` beside or under it. A move
counts as answered when the image shows another figure, and the text is exactly the expected one.
"""

import json
import re
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Seconds from a slider move to the updated output, per test, and to run all cells, per notebook,
# and the formulas of each page of the site; the test session prints them at its end.
TIMINGS = {}
RUN_TIMES = {}
# page of the static site → (formulas typeset offline, formulas in the notebook's markdown)
FORMULAS = {}
# notebook → (the smallest text of its figures as displayed after Run All, in px; the text; images)
TEXT_SIZES = {}

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


def type_value(page, explorer, label, value, expected):
    """Type ``value`` into the readout box of slider ``label`` and press Enter; as
    :func:`press`."""
    before = read_output(explorer)["src"]
    readout = slider(page, explorer, label).locator(".widget-readout")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(str(value))
    start = time.perf_counter()
    page.keyboard.press("Enter")
    wait_for_answer(page, explorer, expected, before)
    return time.perf_counter() - start


# ── Moving controls with the mouse, and comparing the picture ────────────────────────────────────

# The picture an explorer shows: a digest of its PNG's bytes, its size as displayed and its own
# size in pixels.
PICTURE = """async explorer => {
    const img = explorer.querySelector('img.hebb-explorer-figure');
    const bytes = await (await fetch(img.src)).arrayBuffer();
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    const box = img.getBoundingClientRect();
    const status = explorer.querySelector('.hebb-explorer-status');
    return {sha: [...digest].map(b => b.toString(16).padStart(2, '0')).join(''), src: img.src,
            width: box.width, height: box.height, natural: [img.naturalWidth, img.naturalHeight],
            busy: status ? status.textContent.trim() !== '' : false};
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
    """``{"sha", "src", "width", "height", "natural", "busy"}`` of the explorer's image (see
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
