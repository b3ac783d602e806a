"""The size of a figure's text as a notebook shows it at 1280 × 720, checked where each figure is
shown: in the kernel that runs the notebook.

``make test`` runs every notebook once (nbval); its kernels, like every kernel the tests start,
load an IPython startup file (``tests/conftest.py`` sets ``IPYTHONDIR``) that calls
:func:`check_shown_figures`. From then on, each matplotlib figure the kernel shows (inline, or an
explorer's) has its smallest visible text measured as displayed: its font size in CSS pixels at
the width the figure is shown at, the notebook's column (:data:`COLUMN_PX`, measured by the
browser tests at 1280 × 720 with the file browser open) where the figure is wider. A text under
:data:`SMALLEST_TEXT_PX` prints a line under the figure, which the committed outputs do not have,
so nbval fails on that cell and shows the line. The browser tests check the other half: the column
is that wide, and every image is shown at its own size or the column's width.

Plain imports only: a kernel imports this module by its path.
"""

#: The smallest text a figure may show, in CSS pixels as displayed.
SMALLEST_TEXT_PX = 11
#: The notebook's output column at 1280 × 720 with JupyterLab's file browser open (CSS pixels).
COLUMN_PX = 848


def smallest_text(figure):
    """``(pixels, text)``: the smallest visible, non-empty text of ``figure`` in CSS pixels as
    displayed (its font size at the figure's dpi, scaled down to the column if the figure is wider
    than it); ``(None, None)`` for a figure without text."""
    import matplotlib.text

    width = figure.get_figwidth() * figure.dpi
    scale = figure.dpi / 72 * min(1.0, COLUMN_PX / width)
    return min(((artist.get_fontsize() * scale, artist.get_text())
                for artist in figure.findobj(matplotlib.text.Text)
                if artist.get_visible() and artist.get_text().strip()), default=(None, None))


def check_shown_figures():
    """From now on, each figure this IPython kernel shows (a matplotlib figure, or an object with a
    ``figure`` attribute, an explorer) whose smallest text is under :data:`SMALLEST_TEXT_PX` as
    displayed prints one line saying so, after the figure."""
    import sys

    from IPython import get_ipython

    shell = get_ipython()
    show = shell.display_formatter.format

    def format_and_check(obj, *args, **kwargs):
        shown = show(obj, *args, **kwargs)
        figures = sys.modules.get("matplotlib.figure")
        figure = obj if figures and isinstance(obj, figures.Figure) else getattr(obj, "figure",
                                                                                 None)
        if figures and isinstance(figure, figures.Figure) and "image/png" in shown[0]:
            pixels, text = smallest_text(figure)
            if pixels is not None and pixels < SMALLEST_TEXT_PX:
                print(f"figure text under {SMALLEST_TEXT_PX} px as displayed at 1280x720: "
                      f"{text!r}, {pixels:.1f} px")
        return shown

    shell.display_formatter.format = format_and_check


def startup_file(folder):
    """Write an IPython folder under ``folder`` whose startup file calls
    :func:`check_shown_figures`, and return it (for ``IPYTHONDIR``)."""
    from pathlib import Path

    startup = Path(folder) / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00_figure_text.py").write_text(
        "import importlib.util\n"
        f"spec = importlib.util.spec_from_file_location('figure_text', {__file__!r})\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(module)\n"
        "module.check_shown_figures()\n"
        "del importlib, spec, module\n")
    return startup.parents[1]
