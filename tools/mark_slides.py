"""Mark each notebook's key cells as slides: one short deck per notebook, from the notebook itself.

    python tools/mark_slides.py         # write the slide marks into every notebook's cell metadata
    python tools/mark_slides.py --check # change nothing; exit 1 if a notebook is not as marked

A deck is the notebook's title, then for each numbered section (``## 3. One training step``) its
heading cell and the section's first figure or explorer, the first exercise (done in the room), and
the summary; every other cell is left out of the deck (``skip``). Only each cell's
``metadata.slideshow.slide_type`` is written: sources, outputs and the rest of the metadata stay as
they are. JupyterLab shows the deck live, sliders working, in Deck mode (``jupyterlab-slideshow``,
installed by ``make lab``: the deck button of the notebook's toolbar); ``make html`` renders the
same deck as ``NAME.slides.html`` on the site (``tools/build_site.py``).
"""

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# a numbered section's heading, "## 4. One epoch, and recall"
SECTION = re.compile(r"## \d+[a-z]?\. ")
FIGURE_TYPES = ("image/png", "application/vnd.jupyter.widget-view+json")


def source(cell):
    return "".join(cell["source"])


def shows_a_figure(cell):
    return cell["cell_type"] == "code" and any(
        kind in output.get("data",
                           {}) for output in cell.get("outputs", []) for kind in FIGURE_TYPES)


def slide_types(cells):
    """The slide type of each cell: ``slide`` for the title, each numbered section, the first
    exercise and the summary; ``subslide`` for a section's first figure or explorer; ``skip`` for
    the rest."""
    types, section_has_figure, exercise_marked = [], True, False
    for index, cell in enumerate(cells):
        text = source(cell).lstrip()
        kind = "skip"
        if index == 0:
            kind = "slide"
        elif cell["cell_type"] == "markdown" and (SECTION.match(text)
                                                  or text.startswith("## Summary")):
            kind, section_has_figure = "slide", False
        elif cell["cell_type"] == "markdown" and text.startswith("### Exercise") \
                and not exercise_marked:
            kind, exercise_marked, section_has_figure = "slide", True, True
        elif not section_has_figure and shows_a_figure(cell):
            kind, section_has_figure = "subslide", True
        types.append(kind)
    return types


def mark(notebook):
    """``notebook`` (JSON data) with its cells' slide types set; changes it in place and returns
    it."""
    for cell, kind in zip(notebook["cells"], slide_types(notebook["cells"])):
        cell["metadata"].setdefault("slideshow", {})["slide_type"] = kind
    return notebook


def deck(notebook):
    """The indices of the cells that open a slide or a subslide."""
    return [index for index, cell in enumerate(notebook["cells"])
            if cell["metadata"].get("slideshow", {}).get("slide_type") in ("slide", "subslide")]


def dump(notebook):
    """A notebook as Jupyter writes it (one space of indent, keys sorted, a final newline)."""
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def marked(folder):
    """Every notebook of ``folder``, path → its text with the slide marks."""
    return {path: dump(mark(json.loads(path.read_text(encoding="utf-8"))))
            for path in sorted(Path(folder).glob("[0-9][0-9]_*.ipynb"))}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a notebook is not marked")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks",
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    files = marked(args.notebooks)
    changed = [path for path, text in files.items() if path.read_text(encoding="utf-8") != text]
    for path in changed:
        if args.check:
            print(f"not as marked: {path.name} (run python tools/mark_slides.py)")
        else:
            path.write_text(files[path], encoding="utf-8")
            print(f"marked {path.name}: {len(deck(json.loads(files[path])))} slides")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
