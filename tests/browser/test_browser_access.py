"""Pages everyone can use: an accessibility scan (axe-core, the npm package that ``make web``
installs) of every page of the static site, every slide of every deck, and the code-free Voilà
page, in a real browser; none may have a serious or critical violation. On the Voilà page a
screen reader meets each slider by its label. And the Voilà page's explorers by keyboard alone:
Tab reaches each control, a key changes it, and the figure changes.
"""

import re

import nbformat
import pytest

from .browser_pages import explorers, NOTEBOOK, open_notebook, ROOT, run_all_cells
from .test_browser_app import open_app

AXE = ROOT / "tools" / "web" / "node_modules" / "axe-core" / "axe.min.js"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
GUIDES = (sorted((ROOT / "docs").glob("teaching_guide*.md"))
          + sorted((ROOT / "docs").glob("troubleshooting.md")))
PAGES = (["index.html"] + [f"{path.stem}.html" for path in NOTEBOOKS]
         + [f"{path.stem}.html" for path in GUIDES])
DECKS = [f"{path.stem}.slides.html" for path in NOTEBOOKS]
BLOCKING = ("serious", "critical")

# the scan's violations, as "rule (impact): how many elements, first element"
SCAN = """() => axe.run(document, {resultTypes: ['violations']}).then(result =>
    result.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.length} element(s), `
                               + `e.g. ${v.nodes[0].html.slice(0, 120)}`))"""


@pytest.fixture(scope="module", autouse=True)
def axe_is_there():
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make web` installs axe-core from the npm registry")


def blocking(page):
    """The serious and critical violations that axe-core finds on the page as it is now."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return [v for v in page.evaluate(SCAN) if re.search(r"\((?:serious|critical)\)", v)]


@pytest.fixture
def reader(browser):
    """A page that may load files only (the site offline)."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.route(lambda url: not url.startswith("file://"), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


@pytest.mark.parametrize("name", PAGES)
def test_every_page_of_the_site_has_no_serious_violation(reader, site, name):
    reader.goto((site / name).as_uri())
    reader.wait_for_function("() => !window.MathJax || (MathJax.isReady && "
                             "MathJax.Hub.queue.running === 0)")
    assert blocking(reader) == []


@pytest.mark.parametrize("name", DECKS)
def test_every_slide_of_every_deck_has_no_serious_violation_and_the_deck_runs_offline(
        reader, site, name):
    refused = []
    reader.context.route(lambda url: not url.startswith("file://"),
                         lambda route: (refused.append(route.request.url),
                                        route.abort()))
    reader.goto((site / name).as_uri())
    reader.wait_for_function("() => window.Reveal && Reveal.isReady()")
    total = reader.evaluate("() => Reveal.getTotalSlides()")
    assert total >= 5
    for index in range(total):
        found = blocking(reader)
        assert found == [], f"slide {index + 1} of {total}: {found}"
        # reveal.js: the next slide, down a column before the next one
        reader.keyboard.press("Space")
    assert reader.evaluate("() => Reveal.isLastSlide()")
    assert refused == []


def test_the_voila_page_has_no_serious_violation_named_sliders_and_described_figures(page, voila):
    """The page as a screen reader meets it: axe-core finds no serious or critical violation; each
    slider's handle (role "slider") is named by its label, which ipywidgets draws beside it
    without tying the two (the page's template, app/jupyter/voila/templates/explorers, ties them),
    so that a screen reader says "seed" with the value, not a bare number; and each explorer's
    figure is an <img> whose alt text says what it shows, from the drawing's own text."""
    open_app(page, voila)
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


def test_the_voila_pages_explorers_work_by_keyboard_alone(page, voila):
    """Tab reaches every control of each explorer (sliders, buttons, lists, boxes), and a key
    changes it: the figure changes."""
    open_app(page, voila)
    for number in range(explorers(page).count()):
        explorer = explorers(page).nth(number)
        for index in tab_through(page, explorer):
            change_by_keyboard(page, explorer, index)


# the explorers of the notebooks that the Voilà page does not show
LAB_EXPLORERS = ["mcculloch_pitts_explorer", "hebb_explorer", "answer_explorer",
                 "variant_explorer", "map_explorer"]


def test_every_other_explorer_of_the_course_works_by_keyboard_alone(page, lab):
    """The explorers of notebooks 01, 02, 05, 06 and 07 in JupyterLab, as the Voilà page's
    above."""
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import hebb_core as hc")]
        + [nbformat.v4.new_code_cell(f"hc.{name}()") for name in LAB_EXPLORERS])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                       "language": "python"}
    nbformat.write(notebook, lab.notebooks / "keyboard.ipynb")
    open_notebook(page, lab, "keyboard.ipynb")
    run_all_cells(page)
    page.wait_for_function(f"() => document.querySelectorAll('{NOTEBOOK} .hebb-explorer pre')"
                           f".length === {len(LAB_EXPLORERS)}", timeout=300_000)
    for number in range(len(LAB_EXPLORERS)):
        explorer = explorers(page).nth(number)
        explorer.scroll_into_view_if_needed()
        for index in tab_through(page, explorer):
            change_by_keyboard(page, explorer, index)


CONTROLS = ".noUi-handle, button, select, input[type=checkbox]"
# the focused element: its number among the explorer's controls (-1: another element of the
# explorer; null: the focus is outside the explorer), its tag, whether it is a chosen toggle
# button, and a slider handle's value and least value
FOCUSED = """explorer => {
    const e = document.activeElement;
    if (!explorer.contains(e)) return null;
    return {index: [...explorer.querySelectorAll('%s')].indexOf(e), tag: e.tagName,
            handle: e.classList.contains('noUi-handle'),
            active: e.classList.contains('mod-active'),
            now: e.getAttribute('aria-valuenow'), min: e.getAttribute('aria-valuemin')};
}""" % CONTROLS
DESCRIBE = ("(e, i) => e.querySelectorAll('%s')[i].closest('.widget-inline-hbox, "
            ".widget-box')?.textContent") % CONTROLS
BEFORE = ("e => { const start = document.createElement('span'); start.tabIndex = 0; "
          "start.id = 'hebb-before'; e.parentNode.insertBefore(start, e); start.focus(); }")


# the figure as a reader meets it: its picture and its text alternative (a setting may draw the
# same picture as the one before, e.g. hidden M = 7 as M = 8 in 06's first view, but not the same
# description)
FIGURE = ("e => { const img = e.querySelector('img.hebb-explorer-figure'); return img.src "
          "+ img.alt; }")


def figure(explorer):
    return explorer.evaluate(FIGURE)


def tab_through(page, explorer):
    """Press Tab from just before the explorer until the focus leaves it; the numbers of the
    controls it met, in order. Every control of the explorer must be met."""
    explorer.evaluate(BEFORE)
    met = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = explorer.evaluate(FOCUSED)
        if focused is None:
            break
        if focused["index"] >= 0:
            met.append(focused["index"])
    page.evaluate("() => document.getElementById('hebb-before').remove()")
    count = explorer.evaluate(f"e => e.querySelectorAll('{CONTROLS}').length")
    assert sorted(met) == list(range(count)), f"Tab met controls {met} of the explorer's {count}"
    return met


def change_by_keyboard(page, explorer, index):
    """Reach control ``index`` of the explorer by Tab alone, change it by a key (an arrow for a
    slider, down to the next smaller value, the quicker to draw; an arrow for a list; Space for a
    button or a box), and wait until the figure changes (its picture or its text alternative: two
    settings may draw the same picture); a slider or a list is then put back by the opposite key,
    and a toggle button already chosen is left."""
    explorer.evaluate(BEFORE)
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = explorer.evaluate(FOCUSED)
        if focused is None or focused["index"] == index:
            break
    page.evaluate("() => document.getElementById('hebb-before').remove()")
    assert focused and focused["index"] == index, f"Tab did not reach control {index}"
    if focused["active"]:
        return
    if focused["handle"]:
        keys = (["ArrowRight", "ArrowLeft"] if focused["now"] == focused["min"]
                else ["ArrowLeft", "ArrowRight"])
    elif focused["tag"] == "SELECT":
        keys = ["ArrowDown", "ArrowUp"]
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
