"""Pages everyone can use: an accessibility scan (axe-core, the npm package that ``make web``
installs) of the static site's index and guides and every slide of every deck, in a real browser;
none may have a serious or critical violation. (The notebooks' pages are scanned in
test_browser_site.py once their formulas are typeset, and the Voilà page in test_browser_app.py,
with its other checks, on one page.)
"""

import pytest

from .browser_pages import AXE, blocking, ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
GUIDES = (sorted((ROOT / "docs").glob("teaching_guide*.md"))
          + sorted((ROOT / "docs").glob("troubleshooting.md")))
# the notebooks' pages are scanned once typeset, in test_browser_site.py
PAGES = ["index.html"] + [f"{path.stem}.html" for path in GUIDES]
DECKS = [f"{path.stem}.slides.html" for path in NOTEBOOKS]


@pytest.fixture(scope="module", autouse=True)
def axe_is_there():
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make web` installs axe-core from the npm registry")


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
    # each slide scanned as it stands, not while it slides in (a scan mid-transition would read
    # colours half faded)
    reader.evaluate("() => Reveal.configure({transition: 'none', backgroundTransition: 'none'})")
    total = reader.evaluate("() => Reveal.getTotalSlides()")
    assert total >= 5
    for index in range(total):
        # the whole page on the first slide (its title, language, landmarks), then each slide
        found = blocking(reader, "{include: [Reveal.getCurrentSlide()]}" if index else "document")
        assert found == [], f"slide {index + 1} of {total}: {found}"
        # reveal.js: the next slide, down a column before the next one
        reader.keyboard.press("Space")
    assert reader.evaluate("() => Reveal.isLastSlide()")
    assert refused == []
