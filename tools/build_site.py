"""Render the executed notebooks and an index page to a folder: a static site for readers (``make
html``).

    python tools/build_site.py --out site

Every notebook in ``notebooks/`` becomes ``NAME.html`` (nbconvert's HTML export through
``tools/site_template/site.html.j2``; the figures stay embedded in the page as base64 PNG, each
with alt text that says what it plots) and ``NAME.slides.html``, its slide deck (the cells marked
by ``tools/mark_slides.py``, through ``tools/site_template/slides.html.j2``, with the reveal.js
that the site carries in ``reveal.js/``, copied from the npm package that ``make web`` installs).
Each teaching guide in ``docs/`` becomes a page too, and ``index.html`` lists the notebooks in
order with their titles (each notebook's first markdown heading), aims and times, and links to
their slides and to the part of the guide that plans them. The notebooks are rendered as committed,
outputs included: nothing is run. Links from one notebook to another (``02_hebb_rule.ipynb``) are
pointed at the other page (``02_hebb_rule.html``), and every page links back to the index at its
top and bottom. Sliders need a running kernel, so a page shows an explorer's figure as the notebook
last drew it (or a widget's plain-text stand-in) instead of a saved snapshot of sliders that would
not move.

The site reads offline: its formulas are typeset by the MathJax that the site carries in
``mathjax/`` (copied from the ``jupyter-server-mathjax`` package, which ``make html`` installs from
``requirements-test-lock.txt``), and a page loads nothing else. Each solution (the cells tagged
``solution`` that follow one another, see ``tools/strip_solutions.py``) is a ``<details>`` block,
closed until the reader opens it.
"""

from __future__ import annotations

import argparse
import base64
import html
import re
import shutil
import sys
import tomllib
from pathlib import Path
from urllib.parse import quote

import nbformat

# for its neighbours strip_solutions.py, notebook_files.py
sys.path.insert(0, str(Path(__file__).resolve().parent))
from notebook_files import check_folder, make_folder, NotebookError, read_node  # noqa: E402
from strip_solutions import is_solution  # noqa: E402  (what a solution is, defined once)

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.+?)(?:\s+#+)?\s*$")
# a markdown link target that names a notebook in the same folder, e.g.
# (02_hebb_rule.ipynb#section)
NOTEBOOK_LINK = re.compile(r"\]\(\s*(?:\./)?([\w.-]+)\.ipynb(#[^)\s]*)?\s*\)")
TEMPLATE = ROOT / "tools" / "site_template"
MATHJAX = "mathjax"  # the site's folder for MathJax
REVEAL = "reveal.js"  # the site's folder for reveal.js
# where `make web` installs it
REVEAL_PACKAGE = ROOT / "tools" / "web" / "node_modules" / "reveal.js"
DOCS = ROOT / "docs"
# the docs that the site carries, for teachers
GUIDES = ("teaching_guide*.md", "troubleshooting.md")
# the configuration the package ships
MATHJAX_URL = f"{MATHJAX}/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"


def notebook_title(notebook, default):
    """The text of the notebook's first markdown heading (any level), without its markup; else
    ``default``."""
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            match = HEADING.match(line)
            if match:
                return plain_text(match.group(1))
    return default


def plain_text(markdown):
    """A heading's text without the markdown around it: links keep their text, emphasis and code
    lose marks."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return re.sub(r"[*_`]+", "", text).strip()


def link_pages(notebook, names):
    """Point markdown links to notebooks in ``names`` (stems) at their pages; changes ``notebook``
    in place."""

    def to_page(match):
        stem, anchor = match.group(1), match.group(2) or ""
        return f"]({stem}.html{anchor})" if stem in names else match.group(0)

    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = NOTEBOOK_LINK.sub(to_page, cell.source)
    return notebook


WEB_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*https?://[^)\s]+(?:\s+\"[^\"]*\")?\s*\)")
WEB_IMG_TAG = re.compile(r"<img\b[^>]*\bsrc=[\"']https?://[^>]*>", re.I)
ALT = re.compile(r"\balt=[\"']([^\"']*)[\"']", re.I)


def without_web_images(notebook):
    """Replace each image that markdown would load from the web (a badge: ``![Open in
    Colab](https://…)``) by its alt text, so that a page loads nothing from elsewhere; a link
    around the image stays. Changes ``notebook`` in place."""

    def alt_text(match):
        alt = ALT.search(match.group(0))
        return html.escape(alt.group(1)) if alt else ""

    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = WEB_IMG_TAG.sub(alt_text, WEB_IMAGE.sub(r"\1", cell.source))
    return notebook


def without_widgets(notebook):
    """Drop the widget views (and the saved widget state) where an output has a text stand-in;
    changes ``notebook`` in place."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data and "text/plain" in data:
                del data[WIDGET_VIEW]
    notebook.metadata.pop("widgets", None)
    return notebook


def solution_runs(notebook):
    """The solutions of ``notebook``: ``(first, last)`` cell indices of each run of consecutive
    solution cells."""
    runs, start = [], None
    for index, cell in enumerate([*notebook.cells, None]):
        if cell is not None and is_solution(cell):
            start = index if start is None else start
        elif start is not None:
            runs.append((start, index - 1))
            start = None
    return runs


def heading_only(cell):
    """The text of a markdown cell that is a single heading line, else ``None``."""
    lines = cell.source.strip().splitlines()
    match = HEADING.match(lines[0]) if cell.cell_type == "markdown" and len(lines) == 1 else None
    return plain_text(match.group(1)) if match else None


def mark_solutions(notebook):
    """Mark where each solution's ``<details>`` block opens and closes on the page (cell metadata
    ``hebb_site``, read by the template); changes ``notebook`` in place and returns it. A solution
    that opens with its heading (``#### Solution to exercise 1``) takes the heading as the block's
    summary; a "Think!" answer that is one ``<details>`` block of its own already is left as it
    is."""
    for first, last in solution_runs(notebook):
        cells = notebook.cells[first:last + 1]
        if (len(cells) == 1 and cells[0].cell_type == "markdown"
                and cells[0].source.lstrip().startswith("<details>")):
            continue
        title = heading_only(cells[0])
        cells[0].metadata.setdefault("hebb_site", {}).update(opens=title or "Solution",
                                                             summary=title is not None)
        cells[-1].metadata.setdefault("hebb_site", {})["closes"] = True
    return notebook


def mathjax_folder():
    """The MathJax 2 that the package ``jupyter-server-mathjax`` ships (its ``static`` folder)."""
    try:
        import jupyter_server_mathjax
    except ImportError:
        raise SystemExit("the site needs MathJax from the package 'jupyter-server-mathjax': `make "
                         "html` installs "
                         "it from requirements-test-lock.txt (or: pip install "
                         "jupyter-server-mathjax)") from None
    return Path(jupyter_server_mathjax.__file__).parent / "static"


OBJECTIVES = re.compile(r"\*\*Learning objectives\*\*\s*\(about (\d+) minutes\)")
BULLET = re.compile(r"^- (.+(?:\n  .+)*)", re.M)


def notebook_aim(notebook):
    """``(aim, minutes)`` from a notebook's first cell: its first learning objective and the time
    it gives, ``(None, None)`` where the cell has none."""
    text = notebook.cells[0].source if notebook.cells else ""
    time = OBJECTIVES.search(text)
    aim = BULLET.search(text[time.end():]) if time else None
    if aim:
        aim = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1",
                     " ".join(aim.group(1).split())).replace("**", "")
        aim = aim.replace("`", "")
    return aim, (int(time.group(1)) if time else None)


SECTION_CALL = re.compile(r"\b((?:hc|plt|sns|ax|axes|fig)(?:\[[^\]]*\])?\.[A-Za-z_]\w*)\(")
LABELS = re.compile(r"""(?:title|xlabel|ylabel|suptitle|set_title|set_xlabel|set_ylabel|label)"""
                    r"""\s*[=(]\s*(?:rf?|f)?(["'])(.+?)\1""")
FIGURE_SIZE = re.compile(r"<Figure size (\d+)x(\d+) with (\d+) Axes>")


def png_description(data):
    """The ``Description`` that a PNG carries in its text chunks (``savefig(metadata=...)``), else
    ``None``."""
    from io import BytesIO

    from PIL import Image

    with Image.open(BytesIO(base64.b64decode(data))) as image:
        return image.text.get("Description") if hasattr(image, "text") else None


def what_draws(call):
    """What the course's function ``call`` (``hc.plot_weight_traces``) draws: the first sentence of
    its docstring, without markup; ``None`` for another call or where the course cannot be
    imported."""
    if not call or not call.startswith("hc."):
        return None
    try:
        import hebb_core
        doc = getattr(hebb_core, call[3:]).__doc__ or ""
    except (ImportError, AttributeError):
        return None
    text = " ".join(doc.split("\n\n")[0].split())
    text = re.sub(r":\w+:`~?([^`]+)`", r"\1", text).replace("``", "")
    text = re.split(r"\s(?:Returns the figure|Keyword arguments|Arguments as for)\b",
                    text)[0].strip()
    text = re.split(r"(?<!e\.g)(?<!i\.e)\.\s", text)[0]  # its first sentence
    return text.rstrip(".") or None


def figure_alt(cell, output, section):
    """Alt text for a figure (a PNG output of ``cell``), from the figure's own data: the
    description the PNG carries where it has one; else what draws it (the docstring of the course's
    plotting function, or the plotting call), the titles and axis labels the code gives it, its
    number of panels and its section."""
    described = png_description(output["data"]["image/png"])
    if described:
        return described
    explorer = WIDGET_VIEW in output.get("data", {})
    calls = [call for call in SECTION_CALL.findall(cell.source)
             if not call.endswith(("show", "close"))]
    plotting = [call for call in calls
                if call.startswith("hc.") and ("plot" in call or "explorer" in call)]
    call = (plotting or calls or [None])[0]
    drawn = what_draws(call)
    if explorer:
        parts = [f"The explorer's first view ({call}, sliders need a "
                 f"running kernel)" + (f": {drawn}" if drawn else "")]
    elif call is None:
        parts = [f"A figure drawn by the cell's code: {' '.join(cell.source.split())[:120]}"]
    else:
        parts = [drawn or f"Figure drawn by {call}()"]
    size = FIGURE_SIZE.search(output.get("data", {}).get("text/plain", ""))
    labels = list(dict.fromkeys(text for _,
                                text in LABELS.findall(cell.source) if "{" not in text))[:4]
    details = []
    if size and int(size.group(3)) > 1:
        details.append(f"{size.group(3)} panels")
    if labels:
        details.append("labelled " + "; ".join(f"“{plain_text(text)}”" for text in labels))
    if section:
        details.append(f"section “{section}”")
    return parts[0] + (f" ({', '.join(details)})" if details else "") + "."


def describe_figures(notebook):
    """Write each figure's alt text into its output's metadata (``"image/png": {"alt": ...}``, read
    by the templates); changes ``notebook`` in place and returns it."""
    section = None
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            section = next((plain_text(m.group(1)) for line in cell.source.splitlines()
                            if (m := HEADING.match(line))), section)
            continue
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                output.setdefault("metadata", {}).setdefault("image/png", {})["alt"] = \
                    figure_alt(cell, output, section)
    return notebook


def reveal_folder():
    """The reveal.js that ``make web`` installs from the npm registry (``tools/web``)."""
    if not (REVEAL_PACKAGE / "dist" / "reveal.js").exists():
        raise SystemExit("the site's slides need reveal.js from the npm registry: run `make web` "
                         "(npm ci --prefix tools/web)")
    return REVEAL_PACKAGE


def copy_reveal(out):
    """Copy what a deck loads (reveal.js's ``dist`` and its notes plugin) into
    ``out/reveal.js``."""
    source, target = reveal_folder(), Path(out) / REVEAL
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source / "dist", target / "dist",
                    ignore=shutil.ignore_patterns("*.map", "*.esm.js"))
    shutil.copytree(source / "plugin" / "notes", target / "plugin" / "notes")
    shutil.copy(source / "LICENSE", target / "LICENSE")


def guide_pages(out):
    """Render each guide in ``docs/`` to ``out/NAME.html``; returns ``{notebook number: (page,
    anchor)}``, where each notebook is planned (the first heading that names it, ``### 04 · The
    E/I-ratio sweep``), and the list of ``(page, title)`` of the guides."""
    from nbconvert.filters import markdown2html

    planned, pages = {}, []
    for path in sorted({p for pattern in GUIDES for p in DOCS.glob(pattern)}):
        text = path.read_text(encoding="utf-8")
        page = f"{path.stem}.html"
        body = markdown2html(text)
        for _, anchor, heading in re.findall(r'<h([1-6]) id="([^"]+)">(.*?)</h\1>', body):
            number = re.match(r"\s*(?:Teaching guide · )?(\d\d)\b",
                              html.unescape(re.sub(r"<[^>]+>", "", heading)))
            if number:
                planned.setdefault(number.group(1), (page, anchor))
        body = re.sub(r'href="(?:[\w./-]*/)?(\d\d_[\w.-]+)\.ipynb', r'href="\1.html', body)
        body = re.sub(r'href="(?!https?:|#|[\w.-]+\.html)([^"]*)"',
                      lambda m: f'href="{doc_target(m.group(1))}"', body)
        title = notebook_title(
            nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text)]), path.stem)
        (out / page).write_text(plain_page(title, body, mathjax=True), encoding="utf-8")
        pages.append((page, title))
        print(f"{path.name} -> {out / page}")
    return planned, pages


def doc_target(target):
    """A link of a guide to another file of the repository: a guide's page where the site has one,
    else the index (the site carries the notebooks and guides, not the repository's other
    files)."""
    name = Path(target.split("#")[0]).name
    return f"{Path(name).stem}.html" if any(Path(name).match(p) for p in GUIDES) else "index.html"


MATHJAX_SCRIPT = ('  <script type="text/x-mathjax-config">MathJax.Hub.Config({tex2jax: '
                  '{inlineMath: [["$", "$"]], '
                  'processEscapes: true}, "HTML-CSS": {availableFonts: [], preferredFont: null, '
                  'webFont: "STIX-Web", '
                  'imageFont: null}, messageStyle: "none"});</script>\n'
                  f'  <script src="{MATHJAX_URL}"></script>\n')
PAGE_STYLE = """
    body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem;
           line-height: 1.5; color: #1f1f1f; }
    a { color: #0b4f9c; }
    table { border-collapse: collapse; margin: 1rem 0; }
    th, td { border: 1px solid #bbb; padding: 0.3rem 0.5rem; vertical-align: top; text-align: left; }
    code { background: #f3f3f3; padding: 0 0.2rem; }
    ol.notebooks > li { margin: 0.9rem 0; }
    .meta { color: #444; }
"""  # noqa: E501 (the style sheet as the pages carry it, byte for byte)


def html_document(title, body, mathjax):
    """A whole page of the site: ``body`` (HTML, what ``<body>`` holds) under the head every page
    shares, with MathJax where ``mathjax``."""
    script = MATHJAX_SCRIPT if mathjax else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{html.escape(title)}</title>
{script}  <style>{PAGE_STYLE}  </style>
</head>
<body>
{body}
</body>
</html>
"""


def plain_page(title, body, mathjax=False):
    """A page of the site that is not a notebook: ``body`` (HTML) under the site's navigation."""
    return html_document(title, '<nav aria-label="course"><a href="index.html">↑ All notebooks of '
                                f'the course</a></nav>\n<main>\n{body}\n</main>', mathjax)


def index_page(entries, title, description, guides=(), address=None):
    """The index: ``entries`` is a list of dicts (``page``, ``title``, ``aim``, ``minutes``,
    ``slides``, ``guide``: a ``(page, anchor)`` or ``None``, ``path``: the notebook's path in the
    repository) in the order of the course; ``guides`` the ``(page, title)`` of the guides; Binder
    and Colab links only where ``address`` (the repository's) is set."""
    items = []
    for entry in entries:
        links = []
        if entry.get("slides"):
            links.append(f'<a href="{html.escape(entry["slides"])}">slides</a>')
        if entry.get("guide"):
            page, anchor = entry["guide"]
            links.append(f'<a href="{html.escape(page)}#{html.escape(anchor)}">teaching guide</a>')
        if address:
            links += [f'<a href="{html.escape(url)}">{name}</a>'
                      for name, url in open_elsewhere(address, entry["path"])]
        meta = " · ".join(([f"about {entry['minutes']} minutes"] if entry.get("minutes") else [])
                          + links)
        aim = f"<br>{html.escape(entry['aim'])}" if entry.get("aim") else ""
        items.append(f'    <li><a href="{html.escape(entry["page"])}">'
                     f'{html.escape(entry["title"])}</a>{aim}'
                     + (f'<br><span class="meta">{meta}</span>' if meta else "") + "</li>")
    guide_list = "".join(f'<li><a href="{html.escape(page)}">{html.escape(name)}</a></li>'
                         for page, name in guides)
    guide_block = f"\n  <h2>For teachers</h2>\n  <ul>{guide_list}</ul>" if guides else ""
    where = ("open them in JupyterLab (<code>make lab</code>), or on Binder or Colab from the "
             "links above."
             if address else "open them in JupyterLab: <code>make lab</code> in the "
                             "course's folder.")
    items = "\n".join(items)
    return html_document(title, f"""<main>
  <h1>{html.escape(title)}</h1>
  <p>{html.escape(description)} The notebooks below are shown as they were last run; to move the sliders,
  {where}</p>
  <ol class="notebooks">
{items}
  </ol>{guide_block}
</main>""", mathjax=True)  # noqa: E501 (the page as it is written out, byte for byte)


def open_elsewhere(address, path):
    """``(name, url)`` of the Binder and Colab links for the notebook at ``path`` in the
    repository."""
    owner, name = address.rstrip("/").split("/")[-2:]
    return [("Binder",
             f"https://mybinder.org/v2/gh/{owner}/{name}/HEAD?labpath={quote(path, safe='')}"),
            ("Colab", f"https://colab.research.google.com/github/{owner}/{name}/blob/main/{path}")]


def build_site(notebooks, out):
    """Render every ``*.ipynb`` in ``notebooks`` to ``out`` (a page and a deck each), the guides,
    and ``out/index.html``; returns the ``(page, title)`` of the notebooks.

    Every notebook is read, checked (``notebook_files.read_node``) and rendered before anything is
    written: a malformed one, or an ``out`` that is a file, is a ``NotebookError`` naming it, and
    ``out`` is left as it was."""
    from nbconvert import HTMLExporter, SlidesExporter
    from stamp_notebooks import repository  # the repository's address, read in one place

    if not Path(notebooks).is_dir():
        raise NotebookError(f"--notebooks {notebooks}: not a folder")
    paths = sorted(Path(notebooks).glob("*.ipynb"))
    if not paths:
        raise SystemExit(f"no notebooks in {notebooks}")
    read = [read_node(path) for path in paths]
    out = check_folder(out, "--out")
    mathjax = mathjax_folder()
    reveal_folder()
    exporter = HTMLExporter(template_name="lab", template_file="site.html.j2",
                            extra_template_paths=[str(TEMPLATE)], mathjax_url=MATHJAX_URL)
    slides = SlidesExporter(template_file="slides.html.j2", extra_template_paths=[str(TEMPLATE)],
                            mathjax_url=MATHJAX_URL, reveal_url_prefix=REVEAL, exclude_input=True,
                            exclude_input_prompt=True, exclude_output_prompt=True,
                            reveal_theme="white")
    names = {path.stem for path in paths}
    rendered = []  # (file name, text): every page and deck, made before anything is written
    entries = []
    for path, notebook in zip(paths, read):
        notebook = mark_solutions(without_widgets(describe_figures(
            without_web_images(link_pages(notebook, names)))))
        title = notebook_title(notebook, path.stem)
        aim, minutes = notebook_aim(notebook)
        deck = f"{path.stem}.slides.html"
        has_deck = any(cell.metadata.get("slideshow",
                                         {}).get("slide_type") in ("slide", "subslide")
                       for cell in notebook.cells)
        resources = {"metadata": {"name": title}, "hebb_slides": deck if has_deck else None}
        body, _ = exporter.from_notebook_node(notebook, resources=resources)
        rendered.append((f"{path.stem}.html", body))
        if has_deck:
            body, _ = slides.from_notebook_node(notebook,
                                                resources={"metadata": {"name": title},
                                                           "hebb_page": f"{path.stem}.html"})
            rendered.append((deck, body))
        entries.append({"page": f"{path.stem}.html", "title": title, "aim": aim,
                        "minutes": minutes,
                        "slides": deck if has_deck else None, "path": f"notebooks/{path.name}"})
    make_folder(out, "--out")
    for stale in out.glob("*.html"):
        stale.unlink()
    shutil.rmtree(out / MATHJAX, ignore_errors=True)
    shutil.copytree(mathjax, out / MATHJAX)
    copy_reveal(out)
    planned, guides = guide_pages(out)
    for name, body in rendered:
        (out / name).write_text(body, encoding="utf-8")
        print(f"{name} -> {out / name}")
    for entry in entries:
        entry["guide"] = planned.get(entry["page"][:2])
    project_text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    address = repository(project_text)
    project = tomllib.loads(project_text)["project"]
    (out / "index.html").write_text(index_page(entries, project["name"], project["description"],
                                               guides, address),
                                    encoding="utf-8")
    print(f"index -> {out / 'index.html'}")
    return [(entry["page"], entry["title"]) for entry in entries]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", default=ROOT / "notebooks", type=Path,
                        help="folder of notebooks")
    parser.add_argument("--out", default=ROOT / "site", type=Path,
                        help="folder for the site (default: site/)")
    args = parser.parse_args(argv)
    try:
        build_site(args.notebooks, args.out)
    except (ValueError, OSError) as error:  # a NotebookError is a ValueError
        parser.exit(2, f"{parser.prog}: error: {error}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
