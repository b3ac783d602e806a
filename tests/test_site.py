"""The static site for readers (``make html``, ``tools/build_site.py``): a page per notebook with its figures
embedded, an index that links every page under the notebook's title, every page linking back to the index, the
site's own MathJax and nothing else loaded from elsewhere, and each solution closed until the reader opens it.
(tests/browser/test_browser_site.py reads the pages in a browser cut off from the network.)"""

import importlib.util
import re
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


# ── the site built from the committed notebooks ─────────────────────────────────────────────────────────

def test_there_are_notebooks():
    assert NOTEBOOKS


@every_notebook
def test_every_notebook_has_its_page_with_its_figures_embedded(site, path):
    page = site / f"{path.stem}.html"
    assert page.exists(), f"no page for {path.name}"
    text = page.read_text(encoding="utf-8")
    figures = png_outputs(nbformat.read(path, as_version=4))
    assert len(EMBEDDED_PNG.findall(text)) >= figures, f"{page.name}: fewer embedded PNGs than the {figures} figures"


def test_the_index_links_every_page_under_its_title(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', index)
    assert [href for href, _ in links] == [f"{path.stem}.html" for path in NOTEBOOKS]  # in the course's order
    for (href, title), path in zip(links, NOTEBOOKS):
        expected = build_site.notebook_title(nbformat.read(path, as_version=4), path.stem)
        assert title == build_site.html.escape(expected)
        assert title != path.stem, f"{path.name} has no markdown heading"


@every_notebook
def test_explorers_show_their_figure_or_text_stand_in(site, path):
    """A page has no sliders that cannot move: each widget output shows its figure (an explorer's, drawn when the
    notebook ran) or else its plain text instead."""
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
    assert (site / build_site.MATHJAX / "fonts" / "HTML-CSS" / "STIX-Web" / "woff").is_dir()  # the fonts it asks for
    for page in site.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        loaded = re.findall(r'<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="([^"]+)"', text)
        assert not [url for url in loaded if re.match(r"(?:https?:)?//", url)], f"{page.name} loads from the web"
        assert "require.js" not in text and "require.min.js" not in text
        if page.name != "index.html":
            assert f'<script src="{build_site.MATHJAX_URL}">' in text


@every_notebook
def test_every_page_links_back_to_the_index_at_its_top_and_bottom(site, path):
    text = (site / f"{path.stem}.html").read_text(encoding="utf-8")
    navs = re.findall(r'<nav class="hebb-site-nav [^"]*"><a href="([^"]+)">', text)
    assert navs == ["index.html", "index.html"]
    body = text[text.index("<main>"):]
    assert body.index('<nav class="hebb-site-nav hebb-site-top">') < body.index('class="jp-Cell ')
    assert body.rindex('<nav class="hebb-site-nav hebb-site-bottom">') > body.rindex('class="jp-Cell ')


class SolutionsSeen(HTMLParser):
    """Reads a page: the ``<details>`` blocks (open or not), and what a solution cell (class ``celltag_solution``)
    shows outside any ``<details>``: text, images, code."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

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
    """The code and prose of each solution sit in a ``<details>`` block, closed: each solution is one markdown cell
    that is such a block (tests/test_solutions.py), and so is each "Think!" answer."""
    seen = SolutionsSeen()
    seen.feed((site / f"{path.stem}.html").read_text(encoding="utf-8"))
    assert seen.shown == [], f"solution content outside a closed block: {seen.shown[:5]}"
    assert seen.details and not any(block["open"] for block in seen.details)
    notebook = nbformat.read(path, as_version=4)
    exercises = sum("exercise" in cell.metadata.get("tags", []) for cell in notebook.cells)
    assert exercises >= 2
    solutions = [cell for cell in notebook.cells if build_site.is_solution(cell)]  # each one closed block of its own
    assert len(solutions) >= exercises and all(cell.source.startswith("<details>") for cell in solutions)


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
                     {"closes": True}, None, {"opens": "Solution", "summary": False, "closes": True}]


def test_links_between_notebooks_lead_to_pages(site):
    for page in site.glob("0*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'href="(?:\./)?\d\d_[\w.-]*\.ipynb', text), f"{page.name} links to a notebook file"


# ── the small parts, on made-up notebooks ───────────────────────────────────────────────────────────────

@pytest.mark.parametrize("cells, title", [
    ([new_markdown_cell("# 01 · The neuron\n\nText")], "01 · The neuron"),
    ([new_code_cell("# a comment, not a heading"), new_markdown_cell("Intro\n\n## *Second* level `code`")],
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
                                        "[elsewhere](other.ipynb), [web](https://example.org/02_hebb_rule.ipynb)")


def test_images_from_the_web_become_their_alt_text():
    notebook = new_notebook(cells=[new_markdown_cell(
        "[![Open in Colab](https://colab.example.org/badge.svg)](https://colab.example.org/run) "
        '![local](../figures/a.png) <img src="https://binder.example.org/badge.svg" alt="Binder"> '
        '![titled](http://x.example.org/b.png "a title")')])
    build_site.without_web_images(notebook)
    assert notebook.cells[0].source == ("[Open in Colab](https://colab.example.org/run) ![local](../figures/a.png) "
                                        "Binder titled")


def test_the_builder_renders_a_made_up_notebook(tmp_path):
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    figure = nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"})
    notebook = new_notebook(cells=[new_markdown_cell("# A & B"), new_code_cell("plot()", outputs=[figure])])
    source = tmp_path / "notebooks"
    source.mkdir()
    nbformat.write(notebook, source / "10_made_up.ipynb")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "99_stale.html").write_text("an old page")
    entries = build_site.build_site(source, tmp_path / "site")
    assert entries == [("10_made_up.html", "A & B")]
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["10_made_up.html", "index.html", "mathjax"]
    page = (tmp_path / "site" / "10_made_up.html").read_text(encoding="utf-8")
    assert len(EMBEDDED_PNG.findall(page)) == 1 and png in page
    assert '<a href="10_made_up.html">A &amp; B</a>' in (tmp_path / "site" / "index.html").read_text()


def test_no_notebooks_is_an_error(tmp_path):
    with pytest.raises(SystemExit, match="no notebooks"):
        build_site.build_site(tmp_path, tmp_path / "site")
