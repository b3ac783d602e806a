"""The static site (``make html``) read offline, in a real browser: every page opened from the disk
(``file://``) with every other request refused, as a reader without a network would.

On every page MathJax (the site's own copy) typesets every formula of the notebook's markdown: the
typeset formulas are exactly as many as the markdown holds, no ``$…$`` or ``\\(…\\)`` is left as
raw text, none failed to typeset, an accessibility scan (axe-core) finds no serious or critical
violation, and the page asked for nothing outside its folder and raised no error. Opening a
solution lays its formulas out where they can be seen. The formula counts per page are printed at
the end; screenshots of each page go to ``/tmp/shots``.
"""

import re
from pathlib import Path

import nbformat
import pytest

from .browser_pages import blocking, FORMULAS, ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SHOTS = Path("/tmp/shots")

# Math in markdown: $$…$$ and $…$ (not an escaped \$; it may wrap onto the next line of its
# paragraph), \(…\) and \[…\], outside code spans and fenced code.
MATH = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$(?!\s)(?:(?!\n\s*\n)[^$])+?(?<![\s\\])\$"
                  r"|\\\(.+?\\\)|\\\[.+?\\\]", re.S)
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)

# Once MathJax has typeset the page: its formulas, errors, and any math left as text in the
# rendered markdown.
READ_MATH = """() => new Promise(resolve => MathJax.Hub.Queue(() => {
    const raw = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent.closest('.jp-RenderedMarkdown')
            || parent.closest('code, pre, script, .MathJax, .MathJax_Display')) continue;
        const found = node.textContent.match(/\\$[^$]+\\$|\\\\\\(|\\\\\\[/g);
        if (found) raw.push(...found.map(text => text.slice(0, 60)));
    }
    resolve({
        typeset: MathJax.Hub.getAllJax().length,
        errors: document.querySelectorAll('.MathJax_Error, merror, .mjx-merror').length,
        raw: raw,
    });
}))"""

# Each typeset formula of the page's solutions: its rendered width, once the solution is open.
OPEN_SOLUTIONS = """() => new Promise(resolve => {
    const blocks = [...document.querySelectorAll('details')];
    blocks.forEach(block => { block.open = true; });
    setTimeout(() => MathJax.Hub.Queue(() => resolve(blocks.map(block =>
        [...block.querySelectorAll('.MathJax')].map(math => math.getBoundingClientRect().width)))),
        200);
})"""


def formulas_in(path):
    """The formulas in a notebook's markdown cells (as MathJax's tex2jax finds them)."""
    cells = nbformat.read(path, as_version=4).cells
    return sum(len(MATH.findall(CODE.sub("", cell.source))) for cell in cells
               if cell.cell_type == "markdown")


@pytest.fixture
def offline(browser):
    """A page that may load files only: every other request is refused, and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    refused = []

    def refuse(route):
        refused.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith("file://"), refuse)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.errors, page.refused = [], refused
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def test_the_notebooks_have_formulas():
    assert sum(map(formulas_in, NOTEBOOKS)) > 100


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_every_formula_is_typeset_offline_and_the_page_has_no_serious_violation(offline, site,
                                                                               path):
    page = offline
    page.goto((site / f"{path.stem}.html").as_uri())
    page.wait_for_function("() => window.MathJax && MathJax.isReady", timeout=60_000)
    math = page.evaluate(READ_MATH)
    # the page as typeset, scanned as test_browser_access.py scans the site's other pages
    assert blocking(page) == []
    expected = formulas_in(path)
    FORMULAS[path.stem] = (math["typeset"], expected)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"site_{path.stem}.png")
    assert math["raw"] == [], f"math left as text: {math['raw'][:5]}"
    assert math["errors"] == 0
    assert math["typeset"] == expected
    widths = page.evaluate(OPEN_SOLUTIONS)
    assert widths, "no solution blocks on the page"
    assert all(width > 0 for block in widths for width in block), \
        "a formula in an opened solution has no width"
    page.screenshot(path=SHOTS / f"site_{path.stem}_solutions_open.png")
    assert page.refused == [], f"requests outside the site: {page.refused}"
    assert page.errors == []


def test_the_index_reads_offline_and_links_every_page(offline, site):
    page = offline
    page.goto((site / "index.html").as_uri())
    # each notebook's title (its slides and guide follow it)
    links = page.locator("ol.notebooks > li > a")
    assert links.count() == len(NOTEBOOKS)
    assert page.locator("ol.notebooks a", has_text="slides").count() == len(NOTEBOOKS)
    links.first.click()
    page.wait_for_url(re.compile(re.escape(NOTEBOOKS[0].stem) + r"\.html$"))
    # and back to the index from the bottom of the page
    page.locator("nav.hebb-site-bottom a").click()
    page.wait_for_url(re.compile(r"index\.html$"))
    assert page.refused == [] and page.errors == []
