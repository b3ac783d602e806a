"""Render the executed notebooks and an index page to a folder: a static site for readers (``make html``).

    python tools/build_site.py --out site

Every notebook in ``notebooks/`` becomes ``NAME.html`` (nbconvert's HTML export; the figures stay embedded in the
page as base64 PNG), and ``index.html`` lists the notebooks in order with their titles (each notebook's first
markdown heading). The notebooks are rendered as committed, outputs included: nothing is run. Links from one
notebook to another (``02_hebb_rule.ipynb``) are pointed at the other page (``02_hebb_rule.html``). Sliders need a
running kernel, so a page shows an explorer's figure as the notebook last drew it (or a widget's plain-text
stand-in) instead of a saved snapshot of sliders that would not move.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import tomllib
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.+?)(?:\s+#+)?\s*$")
# a markdown link target that names a notebook in the same folder, e.g. (02_hebb_rule.ipynb#section)
NOTEBOOK_LINK = re.compile(r"\]\(\s*(?:\./)?([\w.-]+)\.ipynb(#[^)\s]*)?\s*\)")


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
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.html"):
        stale.unlink()
    exporter = HTMLExporter(template_name="lab")
    names = {path.stem for path in paths}
    entries = []
    for path in paths:
        notebook = without_widgets(link_pages(nbformat.read(path, as_version=4), names))
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
