"""The static site for readers (``make html``, ``tools/build_site.py``): a page per notebook with
its figures embedded, each with alt text that says what it plots, and a slide deck per notebook
(its reveal.js from the site); the teaching guides as pages; an index that gives each notebook's
title, aim and time and links its page, slides and guide; every page linking back to the index, the
site's own MathJax and reveal.js and nothing else loaded from elsewhere, and each solution closed
until the reader opens it. (tests/browser/test_browser_site.py reads the pages in a browser cut off
from the network, and scans them for accessibility.)"""

import importlib.util
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
every_notebook = pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
EMBEDDED_PNG = re.compile(r'<img\b[^>]*\bsrc="data:image/png;base64,')

spec = importlib.util.spec_from_file_location("build_site", ROOT / "tools" / "build_site.py")
build_site = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_site)


def png_outputs(notebook):
    return sum("image/png" in output.get("data", {})
               for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs)


# ── the site built from the committed notebooks ──────────────────────────────────────────────────

def test_there_are_notebooks():
    assert NOTEBOOKS


@every_notebook
def test_every_notebook_has_its_page_with_its_figures_embedded(site, path):
    page = site / f"{path.stem}.html"
    assert page.exists(), f"no page for {path.name}"
    text = page.read_text(encoding="utf-8")
    figures = png_outputs(nbformat.read(path, as_version=4))
    assert len(EMBEDDED_PNG.findall(text)) >= figures, (f"{page.name}: fewer embedded PNGs than "
                                                        f"the {figures} figures")


def index_items(site):
    """The index's list of notebooks: one ``<li>`` each, as text."""
    index = (site / "index.html").read_text(encoding="utf-8")
    notebooks = index[index.index('<ol class="notebooks">'):]
    return re.findall(r"<li><a href=.*?</li>", notebooks[:notebooks.index("</ol>")], re.S)


def test_the_index_links_every_page_under_its_title(site):
    items = index_items(site)
    links = [re.match(r'<li><a href="([^"]+)">([^<]+)</a>', item).groups() for item in items]
    # in the course's order
    assert [href for href, _ in links] == [f"{path.stem}.html" for path in NOTEBOOKS]
    for (href, title), path in zip(links, NOTEBOOKS):
        expected = build_site.notebook_title(nbformat.read(path, as_version=4), path.stem)
        assert title == build_site.html.escape(expected)
        assert title != path.stem, f"{path.name} has no markdown heading"


def test_the_index_gives_each_notebooks_aim_time_slides_and_guide(site):
    for item, path in zip(index_items(site), NOTEBOOKS, strict=True):
        aim, minutes = build_site.notebook_aim(nbformat.read(path, as_version=4))
        assert aim and minutes, f"{path.name}: no learning objective or time in its first cell"
        assert build_site.html.escape(aim) in item and f"about {minutes} minutes" in item
        assert f'<a href="{path.stem}.slides.html">slides</a>' in item
        guide = re.search(r'<a href="(teaching_guide[\w]*\.html)#([^"]+)">teaching guide</a>',
                          item)
        assert guide, f"{path.name}: no link to the guide that plans it"
        page = (site / guide.group(1)).read_text(encoding="utf-8")
        anchor = build_site.html.unescape(guide.group(2))
        heading = re.search(rf'<h[1-6] id="{re.escape(anchor)}">(.*?)</h', page).group(1)
        assert path.stem[:2] in heading  # the part of the guide about this notebook
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Binder" not in index and "Colab" not in index  # no address set: nothing to open there


def test_binder_and_colab_are_offered_once_an_address_is_set():
    entry = {"page": "03_x.html", "title": "03 · X", "path": "notebooks/03_x.ipynb"}
    without = build_site.index_page([entry], "course", "About.")
    with_address = build_site.index_page([entry], "course", "About.",
                                         address="https://github.com/own/er")
    assert "mybinder" not in without and "colab" not in without
    assert ('href="https://mybinder.org/v2/gh/own/er/HEAD?labpath=notebooks%2F03_x.ipynb">'
            'Binder</a>') in with_address
    assert ('href="https://colab.research.google.com/github/own/er/blob/main/notebooks/03_x.ipynb">'
            'Colab') in with_address


@every_notebook
def test_every_notebook_has_a_short_deck_with_its_reveal_js_from_the_site(site, path):
    deck = (site / f"{path.stem}.slides.html").read_text(encoding="utf-8")
    sections = deck.count("<section")
    assert 5 <= sections <= 40, f"{path.name}: {sections} slides"
    assert ('<script src="reveal.js/dist/reveal.js">' in deck
            and 'href="reveal.js/dist/reveal.css"' in deck)
    assert "Reveal.initialize(" in deck and f'href="{path.stem}.html"' in deck
    notebook = nbformat.read(path, as_version=4)
    title = build_site.notebook_title(notebook, path.stem)
    assert title in build_site.html.unescape(deck)
    assert "Exercise" in deck  # the one done in the room
    page = (site / f"{path.stem}.html").read_text(encoding="utf-8")
    assert f'<a href="{path.stem}.slides.html">its slides</a>' in page


def test_the_site_carries_reveal_js():
    """What a deck loads is in the site, copied from the npm package that ``make web`` pins."""
    package = build_site.reveal_folder()
    assert (package / "package.json").read_text().count('"version": "4.6.0"') == 1


def test_the_slide_marks_are_as_the_tool_writes_them():
    """After a merge of notebook edits: `python tools/mark_slides.py`."""
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "mark_slides.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


def test_the_slide_marks_pick_the_title_sections_figures_an_exercise_and_the_summary():
    spec = importlib.util.spec_from_file_location("mark_slides", ROOT / "tools" / "mark_slides.py")
    mark_slides = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mark_slides)
    figure = nbformat.v4.new_output("display_data",
                                    data={"image/png": "iVBO", "text/plain": "<Figure>"})
    cells = [new_markdown_cell("# 03 · X"), new_markdown_cell("## Set-up"),
             new_code_cell("import hebb_core"),
             new_markdown_cell("## 1. One"), new_markdown_cell("Idea."), new_code_cell("a = 1"),
             new_code_cell("plot()", outputs=[figure]), new_code_cell("plot()", outputs=[figure]),
             new_markdown_cell("## 2. Two"), new_markdown_cell("### Exercise 1"),
             new_markdown_cell("### Exercise 2"), new_markdown_cell("## Summary")]
    assert mark_slides.slide_types(cells) == ["slide", "skip", "skip", "slide", "skip", "skip",
                                              "subslide", "skip",
                                              "slide", "slide", "skip", "slide"]


@every_notebook
def test_every_figure_on_the_site_has_alt_text_that_says_what_it_plots(site, path):
    """Each figure's alt text describes it (what draws it, its labels, its section), never a file
    name or nbconvert's "No description has been provided"; a deck's figures too."""
    for name in (f"{path.stem}.html", f"{path.stem}.slides.html"):
        images = Images()
        images.feed((site / name).read_text(encoding="utf-8"))
        assert len(images.alts) >= min(png_outputs(nbformat.read(path, as_version=4)),
                                       1), f"{name}: no figures"
        for alt in images.alts:
            assert alt and len(alt) > 30, f"{name}: a figure without a description: {alt!r}"
            assert "No description" not in alt and not re.search(r"\.(png|svg|jpe?g)\b", alt), alt


class Images(HTMLParser):
    """The alt text of every ``<img>`` of a page (``None`` where it has none)."""

    def __init__(self):
        super().__init__()
        self.alts = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.alts.append(dict(attrs).get("alt"))


@every_notebook
def test_explorers_show_their_figure_or_text_stand_in(site, path):
    """A page has no sliders that cannot move: each widget output shows its figure (an explorer's,
    drawn when the notebook ran) or else its plain text instead."""
    text = (site / f"{path.stem}.html").read_text(encoding="utf-8")
    assert "application/vnd.jupyter.widget-view+json" not in text
    for cell in nbformat.read(path, as_version=4).cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if build_site.WIDGET_VIEW in data:
                shown = (f"data:image/png;base64,{data['image/png'][:200]}" if "image/png" in data
                         else build_site.html.escape(data["text/plain"], quote=False))
                assert shown in text


def test_the_pages_load_nothing_from_elsewhere_and_mathjax_from_the_site(site):
    assert (site / build_site.MATHJAX / "MathJax.js").is_file()
    assert (site / build_site.MATHJAX / "config" / "TeX-AMS-MML_HTMLorMML-full.js").is_file()
    # the fonts it asks for
    assert (site / build_site.MATHJAX / "fonts" / "HTML-CSS" / "STIX-Web" / "woff").is_dir()
    for page in site.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        loaded = re.findall(r'<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="([^"]+)"', text)
        assert not [url for url in loaded if re.match(r"(?:https?:)?//",
                                                      url)], f"{page.name} loads from the web"
        assert "require.js" not in text and "require.min.js" not in text
        assert f'<script src="{build_site.MATHJAX_URL}">' in text


@every_notebook
def test_every_page_links_back_to_the_index_at_its_top_and_bottom(site, path):
    text = (site / f"{path.stem}.html").read_text(encoding="utf-8")
    navs = re.findall(r'<nav [^>]*class="hebb-site-nav [^"]*"[^>]*><a href="([^"]+)">', text)
    assert navs == ["index.html", "index.html"]
    body = text[text.index("<main>"):]
    assert body.index('class="hebb-site-nav hebb-site-top"') < body.index('class="jp-Cell ')
    assert body.rindex('class="hebb-site-nav hebb-site-bottom"') > body.rindex('class="jp-Cell ')


class SolutionsSeen(HTMLParser):
    """Reads a page: the ``<details>`` blocks (open or not), and what a solution cell (class
    ``celltag_solution``) shows outside any ``<details>``: text, images, code."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack, self.details, self.shown = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "details":
            self.details.append({"open": "open" in attrs, "class": attrs.get("class", "")})
        if tag in self.VOID:
            self._shown(tag)
            return
        self.stack.append((tag, "celltag_solution" in (attrs.get("class") or "").split()))
        if tag in ("pre", "code"):
            self._shown(tag)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if data.strip():
            self._shown(data.strip()[:40])

    def _shown(self, what):
        in_solution = any(solution for _, solution in self.stack)
        in_details = any(tag == "details" for tag, _ in self.stack)
        if in_solution and not in_details:
            self.shown.append(what)


@every_notebook
def test_every_solution_is_closed_until_the_reader_opens_it(site, path):
    """The code and prose of each solution sit in a ``<details>`` block, closed: each solution is
    one markdown cell that is such a block (tests/test_solutions.py), and so is each "Think!"
    answer."""
    seen = SolutionsSeen()
    seen.feed((site / f"{path.stem}.html").read_text(encoding="utf-8"))
    assert seen.shown == [], f"solution content outside a closed block: {seen.shown[:5]}"
    assert seen.details and not any(block["open"] for block in seen.details)
    notebook = nbformat.read(path, as_version=4)
    exercises = sum("exercise" in cell.metadata.get("tags", []) for cell in notebook.cells)
    assert exercises >= 2
    # each one closed block of its own
    solutions = [cell for cell in notebook.cells if build_site.is_solution(cell)]
    assert len(solutions) >= exercises and all(cell.source.startswith("<details>")
                                               for cell in solutions)


def test_solution_runs_and_their_marks():
    tag = {"tags": ["solution"]}
    notebook = new_notebook(cells=[
        new_markdown_cell("Question"),
        new_markdown_cell("<details><summary>Answer</summary>yes</details>", metadata=dict(tag)),
        new_code_cell("stub = ..."),
        new_markdown_cell("#### Solution to exercise 1", metadata={"tags": ["solution"]}),
        new_code_cell("stub = 1", metadata={"tags": ["solution"]}),
        new_markdown_cell("Because.", metadata={"tags": ["solution"]}),
        new_markdown_cell("### Exercise 2"),
        new_code_cell("x = 2", metadata={"tags": ["solution"]}),
    ])
    assert build_site.solution_runs(notebook) == [(1, 1), (3, 5), (7, 7)]
    build_site.mark_solutions(notebook)
    marks = [cell.metadata.get("hebb_site") for cell in notebook.cells]
    assert marks == [None, None, None, {"opens": "Solution to exercise 1", "summary": True}, None,
                     {"closes": True}, None,
                     {"opens": "Solution", "summary": False, "closes": True}]


def test_links_between_notebooks_lead_to_pages(site):
    for page in site.glob("0*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'href="(?:\./)?\d\d_[\w.-]*\.ipynb',
                             text), f"{page.name} links to a notebook file"


# ── the small parts, on made-up notebooks ────────────────────────────────────────────────────────

@pytest.mark.parametrize("cells, title", [
    ([new_markdown_cell("# 01 · The neuron\n\nText")], "01 · The neuron"),
    ([new_code_cell("# a comment, not a heading"),
      new_markdown_cell("Intro\n\n## *Second* level `code`")],
     "Second level code"),
    ([new_markdown_cell("# [Linked](https://example.org) title #")], "Linked title"),
    ([new_markdown_cell("no heading here"), new_code_cell("x = 1")], "fallback"),
    ([], "fallback"),
])
def test_the_title_is_the_first_markdown_heading(cells, title):
    assert build_site.notebook_title(new_notebook(cells=cells), "fallback") == title


def test_links_to_notebooks_of_the_site_are_rewritten():
    notebook = new_notebook(cells=[new_markdown_cell(
        "[next](02_hebb_rule.ipynb), [part](./03_maps.ipynb#recall), [elsewhere](other.ipynb), "
        "[web](https://example.org/02_hebb_rule.ipynb)")])
    build_site.link_pages(notebook, {"02_hebb_rule", "03_maps"})
    assert notebook.cells[0].source == ("[next](02_hebb_rule.html), [part](03_maps.html#recall), "
                                        "[elsewhere](other.ipynb), "
                                        "[web](https://example.org/02_hebb_rule.ipynb)")


def test_images_from_the_web_become_their_alt_text():
    notebook = new_notebook(cells=[new_markdown_cell(
        "[![Open in Colab](https://colab.example.org/badge.svg)](https://colab.example.org/run) "
        '![local](../figures/a.png) <img src="https://binder.example.org/badge.svg" alt="Binder"> '
        '![titled](http://x.example.org/b.png "a title")')])
    build_site.without_web_images(notebook)
    assert notebook.cells[0].source == ("[Open in Colab](https://colab.example.org/run) "
                                        "![local](../figures/a.png) "
                                        "Binder titled")


def test_the_builder_renders_a_made_up_notebook(tmp_path):
    png = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9"
           "awAAAABJRU5ErkJggg==")
    figure = nbformat.v4.new_output("display_data",
                                    data={"image/png": png, "text/plain": "<Figure>"})
    notebook = new_notebook(cells=[new_markdown_cell("# A & B"),
                                   new_code_cell("plot()", outputs=[figure])])
    notebook.cells[0].metadata["slideshow"] = {"slide_type": "slide"}
    source = tmp_path / "notebooks"
    source.mkdir()
    nbformat.write(notebook, source / "10_made_up.ipynb")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "99_stale.html").write_text("an old page")
    entries = build_site.build_site(source, tmp_path / "site")
    assert entries == [("10_made_up.html", "A & B")]
    guides = sorted(f"{p.stem}.html" for pattern in build_site.GUIDES
                    for p in build_site.DOCS.glob(pattern))
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == sorted(
        ["10_made_up.html", "10_made_up.slides.html", "index.html", "mathjax",
         "reveal.js", *guides])
    page = (tmp_path / "site" / "10_made_up.html").read_text(encoding="utf-8")
    assert len(EMBEDDED_PNG.findall(page)) == 1 and png in page
    images = Images()
    images.feed(page)
    assert images.alts == ["A figure drawn by the cell's code: plot() (section “A & B”)."]
    assert ('<a href="10_made_up.html">A &amp; B</a>'
            in (tmp_path / "site" / "index.html").read_text())


def test_no_notebooks_is_an_error(tmp_path):
    with pytest.raises(SystemExit, match="no notebooks"):
        build_site.build_site(tmp_path, tmp_path / "site")
