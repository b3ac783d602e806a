"""The code-free explorers (``make app``: Voilà serving ``app/explorers.ipynb``) in a real browser.

One page, at 1280×720, used as a visitor does, in turn: a screen reader meets every slider by its
name and every figure by its description, and an accessibility scan finds no serious violation;
the page shows the two explorers without any code, each with its default output; keys and buttons
answer with a new figure and exactly the text that ``hebb_core`` computes here; every slider
dragged with the mouse shows a fresh drawing; and Tab reaches every control, which a key changes.
Then the server's side: a page's kernel ends when the page is closed, or once it is idle with no
page.
"""

import re
import time

import matplotlib
import nbformat
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

import hebb_core as hc

from .browser_pages import (
    at_its_own_size,
    blocking,
    choose,
    controls,
    drag_every_slider,
    Drawings,
    errors,
    explorer_with,
    explorers,
    press,
    read_output,
    ROOT,
    SCREEN,
    SHOTS,
    use_by_keyboard,
)
from .conftest import new_context, recording_page, start_voila

matplotlib.use("Agg")


def text(draw, **values):
    """What an explorer prints for these slider values (its drawing function, run here; the figure
    is closed)."""
    import matplotlib.pyplot as plt

    drawn = draw(**values)
    plt.close(drawn["figure"])
    return drawn["text"]


def test_the_app_notebook_only_shows_explorers():
    """The app imports hebb_core and shows widgets: no model code of its own (COURSE.md: one core
    module)."""
    notebook = nbformat.read(ROOT / "app" / "explorers.ipynb", as_version=4)
    code = [cell.source.strip() for cell in notebook.cells if cell.cell_type == "code"]
    assert code == ["import hebb_core as hc", "hc.network_explorer()", "hc.sweep_explorer()"]
    # "computing …" says it, no bar
    assert "progress" not in "".join(cell.source for cell in notebook.cells)
    assert notebook.cells[0].cell_type == "markdown" and notebook.cells[0].source.startswith("# ")


SHOWN = ("() => [...document.querySelectorAll('.hebb-explorer')].filter(e => "
         "e.querySelector('pre')).length === 2")
# Voilà's progress line while it runs the notebook ("Executing 3 of 6"); gone once the page is
# shown
LOADING = "() => document.getElementById('loading_text')?.textContent ?? ''"


def open_app(page, voila, timeout=300):
    """Load the app and wait until both explorers show their default text; returns the seconds it
    took. Fails with Voilà's progress line if the page is not shown within ``timeout`` seconds."""
    start = time.perf_counter()
    page.goto(voila.url("/"), wait_until="commit", timeout=timeout * 1000)
    try:
        page.wait_for_function(SHOWN, timeout=timeout * 1000, polling=250)
    except PlaywrightTimeoutError:
        raise AssertionError(f"the app was not shown within {timeout} s; the page reads "
                             f"{page.evaluate(LOADING)!r}; the server's log:\n"
                             f"{voila.log()}") from None
    return time.perf_counter() - start


def close_page(page):
    """Close the page as a user closes its tab (the page's 'beforeunload' handlers run)."""
    with page.expect_event("close", timeout=30_000):
        page.close(run_before_unload=True)


def kernels(voila):
    """The ids of the kernels the server runs (each named in its connection file's name)."""
    return {re.search(r"kernel-([\w-]+)\.json", " ".join(kernel.cmdline())).group(1)
            for kernel in voila.kernels()}


def gone(voila, kernel, seconds):
    """Whether ``kernel`` has ended within ``seconds``."""
    deadline = time.monotonic() + seconds
    while kernel in kernels(voila) and time.monotonic() < deadline:
        time.sleep(0.1)
    return kernel not in kernels(voila)


def culled(voila, kernel):
    """Whether the server ended ``kernel`` for being idle without a page (its log says so)."""
    return f"Culling 'idle' kernel 'python3' ({kernel})" in voila.log()


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    """Voilà serving the code-free explorers (``app/explorers.ipynb``) as ``make app`` does, with
    a token, its settings from ``app/config``, but for the idle timeout of a kernel without a
    page: 4 s, checked every second, instead of two minutes, checked every 30 s (the last test
    waits for it)."""
    server = start_voila(tmp_path_factory.mktemp("voila"),
                         "--MappingKernelManager.cull_idle_timeout=4",
                         "--MappingKernelManager.cull_interval=1")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def app(browser, voila):
    """The app's page at 1280×720, loaded once for the tests that use it in turn, open until the
    last; ``app.kernel`` is its kernel's id."""
    with recording_page(browser) as page:
        page.set_viewport_size(SCREEN)
        before = kernels(voila)
        open_app(page, voila)
        (page.kernel,) = kernels(voila) - before
        yield page


def test_the_voila_page_has_no_serious_violation_named_sliders_and_described_figures(app):
    """The page as a screen reader meets it: axe-core finds no serious or critical violation; each
    slider's handle (role "slider") is named by its label, which ipywidgets draws beside it
    without tying the two (the page's template, app/jupyter/voila/templates/explorers, ties them),
    so that a screen reader says "seed" with the value, not a bare number; and each explorer's
    figure is an <img> whose alt text says what it shows, from the drawing's own text."""
    page = app
    assert blocking(page) == []
    sliders = page.locator(".hebb-explorer .widget-slider")
    labels = sliders.locator("label.widget-label").all_text_contents()
    assert len(labels) == sliders.count() == 9, labels
    for number in range(explorers(page).count()):
        explorer = explorers(page).nth(number)
        for label in explorer.locator(".widget-slider label.widget-label").all_text_contents():
            assert explorer.get_by_role("slider", name=label, exact=True).count() == 1, label
    alts = page.evaluate("() => [...document.querySelectorAll('.hebb-explorer img')]"
                         ".map(i => i.alt)")
    assert len(alts) == 2, alts
    assert alts[0].startswith("Figure: 1 E of 6 typed neurons (III|EII), target [2, 0, 1]"), alts
    assert alts[1].startswith("Figure: L = 3, N = 3, ε = 0.01, 2000 epochs"), alts


def test_the_explorers_answer_in_voila(app, timings):
    page = app
    assert explorers(page).count() == 2
    shown = page.locator("body").inner_text()
    assert "hebb_core" not in shown and "hc." not in shown, "the app shows code"

    network = explorer_with(page, "seed")
    seed = hc.EXAMPLE_RUN["seed"]
    assert read_output(network)["text"] == text(hc.draw_network_run, **hc.EXAMPLE_RUN)
    for step, key in ((1, "ArrowRight"), (2, "ArrowRight"), (1, "ArrowLeft"), (2, "ArrowRight"),
                      (3, "ArrowRight")):
        timings("app: network explorer", press(page, network, "seed", key,
                                               text(hc.draw_network_run,
                                                    **{**hc.EXAMPLE_RUN, "seed": seed + step})))

    sweep = explorer_with(page, "read-out")
    assert read_output(sweep)["text"] == text(hc.draw_sweep, **hc.SWEEP_EXAMPLE)
    values = dict(hc.SWEEP_EXAMPLE)
    for option, move in (("argmax", {"readout": "argmax"}), ("strict", {"readout": "strict"}),
                         ("first", {"allotment": "first"}), ("argmax", {"readout": "argmax"}),
                         # three new sweeps, two from the explorer's cache
                         ("strict", {"readout": "strict"})):
        values.update(move)
        timings("app: sweep explorer", choose(page, sweep, option, text(hc.draw_sweep, **values)))
    values["N"] -= 1
    timings("app: sweep explorer, N one smaller",
            press(page, sweep, "N", "ArrowLeft", text(hc.draw_sweep, **values)))
    assert not errors(page), "\n".join(errors(page))


def test_every_slider_of_the_app_dragged_with_the_mouse_shows_a_fresh_drawing(app, timings):
    """As in JupyterLab: each slider of both explorers dragged there, then back in a burst, and the
    picture after each a fresh drawing of the setting shown, at its own size; the text in a
    monospace font (its tables aligned), and no progress bar on the page."""
    page = app
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / "app_1280x720.png")
    assert page.locator("progress, .widget-progress").count() == 0
    for number, label in (("03", "seed"), ("04", "read-out")):
        explorer, drawings = explorer_with(page, label), Drawings(number)
        font = explorer.locator("pre.hebb-explorer-text") \
            .evaluate("e => getComputedStyle(e).fontFamily")
        assert "mono" in font.lower(), font
        _, size = at_its_own_size(explorer)
        assert not [c for c in controls(explorer) if c["track"] is not None and c["track"] < 200]
        drag_every_slider(page, explorer, drawings, f"app: explorer of {number}", size, timings)


def test_the_explorers_work_by_keyboard_alone(app):
    """Tab reaches every control of each explorer (sliders, buttons, lists, boxes), and a key
    changes it: the figure changes."""
    page = app
    for number in range(explorers(page).count()):
        explorer = explorers(page).nth(number)
        use_by_keyboard(page, explorer)
    assert not errors(page), "\n".join(errors(page))


def test_closing_the_page_ends_its_kernel(browser, voila):
    """Each page load starts a kernel; closing the tab must end it (a workshop reloads many
    times), through the page's shutdown request, not by the server's culling of idle kernels."""
    context = new_context(browser)  # its own cookies, as a reload in another tab or browser
    page = context.new_page()
    before = kernels(voila)
    open_app(page, voila)
    (kernel,) = kernels(voila) - before
    close_page(page)
    # the browser stays open, as when a user closes a tab: closing the context could cancel the
    # request
    assert gone(voila, kernel, 30), f"a closed page's kernel still runs:\n{voila.log()}"
    assert not culled(voila, kernel), f"a closed page's kernel was culled:\n{voila.log()}"
    context.close()
    assert "403 POST" not in voila.log(), voila.log()


def test_a_kernel_no_page_is_connected_to_is_ended_once_idle_and_an_open_pages_never(
        app, browser, voila):
    """A page that goes without its shutdown request (a browser that crashes or sleeps) leaves a
    kernel no page is connected to: the server ends it once it has been idle long enough (two
    minutes in ``app/config/voila.py``, 4 s here), and leaves the kernel of a page still open, the
    app's page of the tests before, however long it idles."""
    idle_since = time.perf_counter()  # no test uses the app's page from here on
    dropped = new_context(browser)
    page = dropped.new_page()
    before = kernels(voila)
    open_app(page, voila)
    (kernel,) = kernels(voila) - before
    page.close(run_before_unload=False)  # no shutdown request, as when a browser crashes
    start = time.perf_counter()
    assert gone(voila, kernel, 60), voila.log()
    print(f"\na kernel without a page ended {time.perf_counter() - start:.1f} s after its page "
          f"went")
    assert culled(voila, kernel), voila.log()
    # the open page's kernel lives on, idle for longer than the timeout and two checks (the
    # other page's load and end took most of that already)
    time.sleep(max(0.0, 4 + 2 - (time.perf_counter() - idle_since)))
    assert app.kernel in kernels(voila) and not culled(voila, app.kernel), voila.log()
    dropped.close()
