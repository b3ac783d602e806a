"""Render the executed notebooks and an index page to a folder: a static site for readers (``make html``).

    python tools/build_site.py --out site

Every notebook in ``notebooks/`` becomes ``NAME.html`` (nbconvert's HTML export through
``tools/site_template/site.html.j2``; the figures stay embedded in the page as base64 PNG), and ``index.html``
lists the notebooks in order with their titles (each notebook's first markdown heading). The notebooks are rendered
as committed, outputs included: nothing is run. Links from one notebook to another (``02_hebb_rule.ipynb``) are
pointed at the other page (``02_hebb_rule.html``), and every page links back to the index at its top and bottom.
Sliders need a running kernel, so a page shows an explorer's figure as the notebook last drew it (or a widget's
plain-text stand-in) instead of a saved snapshot of sliders that would not move.

The site reads offline: its formulas are typeset by the MathJax that the site carries in ``mathjax/`` (copied
from the ``jupyter-server-mathjax`` package, which ``make html`` installs from ``requirements-test-lock.txt``),
and a page loads nothing else. Each solution (the cells tagged ``solution`` that follow one another, see
``tools/strip_solutions.py``) is a ``<details>`` block, closed until the reader opens it.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
import tomllib
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for its neighbour strip_solutions.py
from strip_solutions import is_solution  # noqa: E402  (what a solution is, defined once)

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.+?)(?:\s+#+)?\s*$")
# a markdown link target that names a notebook in the same folder, e.g. (02_hebb_rule.ipynb#section)
NOTEBOOK_LINK = re.compile(r"\]\(\s*(?:\./)?([\w.-]+)\.ipynb(#[^)\s]*)?\s*\)")
TEMPLATE = ROOT / "tools" / "site_template"
MATHJAX = "mathjax"  # the site's folder for MathJax
MATHJAX_URL = f"{MATHJAX}/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"  # the configuration the package ships


def notebook_title(notebook, default):
    """The text of the notebook's first markdown heading (any level), without its markup; else ``default``."""
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            match = HEADING.match(line)
            if match:
                return plain_text(match.group(1))
    return default


def plain_text(markdown):
    """A heading's text without the markdown around it: links keep their text, emphasis and code lose marks."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return re.sub(r"[*_`]+", "", text).strip()


def link_pages(notebook, names):
    """Point markdown links to notebooks in ``names`` (stems) at their pages; changes ``notebook`` in place."""

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
    """Replace each image that markdown would load from the web (a badge: ``![Open in Colab](https://…)``) by its
    alt text, so that a page loads nothing from elsewhere; a link around the image stays. Changes ``notebook`` in
    place."""

    def alt_text(match):
        alt = ALT.search(match.group(0))
        return html.escape(alt.group(1)) if alt else ""

    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = WEB_IMG_TAG.sub(alt_text, WEB_IMAGE.sub(r"\1", cell.source))
    return notebook


def without_widgets(notebook):
    """Drop the widget views (and the saved widget state) where an output has a text stand-in; changes
    ``notebook`` in place."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data and "text/plain" in data:
                del data[WIDGET_VIEW]
    notebook.metadata.pop("widgets", None)
    return notebook


def solution_runs(notebook):
    """The solutions of ``notebook``: ``(first, last)`` cell indices of each run of consecutive solution cells."""
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
    """Mark where each solution's ``<details>`` block opens and closes on the page (cell metadata ``hebb_site``,
    read by the template); changes ``notebook`` in place and returns it. A solution that opens with its heading
    (``#### Solution to exercise 1``) takes the heading as the block's summary; a "Think!" answer that is one
    ``<details>`` block of its own already is left as it is."""
    for first, last in solution_runs(notebook):
        cells = notebook.cells[first:last + 1]
        if len(cells) == 1 and cells[0].cell_type == "markdown" and cells[0].source.lstrip().startswith("<details>"):
            continue
        title = heading_only(cells[0])
        cells[0].metadata.setdefault("hebb_site", {}).update(opens=title or "Solution", summary=title is not None)
        cells[-1].metadata.setdefault("hebb_site", {})["closes"] = True
    return notebook


def mathjax_folder():
    """The MathJax 2 that the package ``jupyter-server-mathjax`` ships (its ``static`` folder)."""
    try:
        import jupyter_server_mathjax
    except ImportError:
        raise SystemExit("the site needs MathJax from the package 'jupyter-server-mathjax': `make html` installs "
                         "it from requirements-test-lock.txt (or: pip install jupyter-server-mathjax)") from None
    return Path(jupyter_server_mathjax.__file__).parent / "static"


def index_page(entries, title, description):
    """The index: ``entries`` is a list of ``(page file, title)`` in the order of the course."""
    items = "\n".join(f'    <li><a href="{html.escape(page)}">{html.escape(name)}</a></li>' for page, name in entries)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{html.escape(title)}</title>
  <style>
    body {{ font-family: system-ui, sans-serif; max-width: 44rem; margin: 3rem auto; padding: 0 1rem;
           line-height: 1.5; color: #222; }}
    li {{ margin: 0.4rem 0; }}
    a {{ color: #1565c0; }}
  </style>
</head>
<body>
  <h1>{html.escape(title)}</h1>
  <p>{html.escape(description)} The notebooks below are shown as they were last run; to move the sliders,
  open them in JupyterLab (<code>make lab</code>) or on Binder.</p>
  <ol>
{items}
  </ol>
</body>
</html>
"""


def build_site(notebooks, out):
    """Render every ``*.ipynb`` in ``notebooks`` to ``out`` and write ``out/index.html``; returns the pages."""
    from nbconvert import HTMLExporter

    paths = sorted(Path(notebooks).glob("*.ipynb"))
    if not paths:
        raise SystemExit(f"no notebooks in {notebooks}")
    mathjax = mathjax_folder()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.html"):
        stale.unlink()
    shutil.rmtree(out / MATHJAX, ignore_errors=True)
    shutil.copytree(mathjax, out / MATHJAX)
    exporter = HTMLExporter(template_name="lab", template_file="site.html.j2", extra_template_paths=[str(TEMPLATE)],
                            mathjax_url=MATHJAX_URL)
    names = {path.stem for path in paths}
    entries = []
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        notebook = mark_solutions(without_widgets(without_web_images(link_pages(notebook, names))))
        title = notebook_title(notebook, path.stem)
        body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title}})
        (out / f"{path.stem}.html").write_text(body, encoding="utf-8")
        entries.append((f"{path.stem}.html", title))
        print(f"{path.name} -> {out / (path.stem + '.html')}")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (out / "index.html").write_text(index_page(entries, project["name"], project["description"]), encoding="utf-8")
    print(f"index -> {out / 'index.html'}")
    return entries


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", default=ROOT / "notebooks", type=Path, help="folder of notebooks")
    parser.add_argument("--out", default=ROOT / "site", type=Path, help="folder for the site (default: site/)")
    args = parser.parse_args(argv)
    build_site(args.notebooks, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
