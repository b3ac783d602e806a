"""The machinery of the notebooks' explorers, one way for all of them: controls (ipywidgets), a
drawing function that takes their values and returns a fresh figure and its text, and one image
whose value each move replaces with the figure as PNG. A move shows at once that the figure is
being computed; moves that come while one is drawn are merged, so that the latest values are drawn
next, always in the thread of the kernel's loop (whichever thread a control's message comes in).
Work that a control does not change is kept by the drawing functions themselves, with
:func:`functools.lru_cache`."""

import html
import io
import re
from collections.abc import Callable

from hebblab.checks import an_instance, as_shown, fail, or_none, with_checks

#: How much finer than the figure's own resolution its PNG is drawn: shown at the figure's own
#: size, it stays sharp at 150 % zoom (a pixel of the PNG to a pixel of the screen), and a move
#: draws and encodes 44 % fewer pixels than at 2×.
PIXEL_RATIO = 1.5
#: The controls' sizes: each one this wide, its label in a column of its own beside the track, so
#: that a slider's track is at least 200 px long; two controls side by side in the notebook's
#: column at 1280 × 720.
CONTROL_WIDTH, LABEL_WIDTH = "410px", "96px"
# the text under the figure: a table stays a table (monospace), a line too long for the box wraps
# inside it
_TEXT_STYLE = ("style='white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; "
               "font-family: var(--jp-code-font-family, monospace)'")
_BUSY = "<span style='color: #555'>⏳ computing …</span>"
# s after the latest move: the moves waiting in the kernel's queue come in before a redraw
_DELAY = 0.005


def _check_sliders(name, value):
    """Raise ``ValueError`` unless ``value`` is a dict, name → an ipywidgets control that holds a
    value."""
    import ipywidgets as widgets

    if not isinstance(value, dict) or not all(isinstance(slider, widgets.ValueWidget)
                                              for slider in value.values()):
        fail(name, as_shown(value),
             "a dict, name → an ipywidgets slider or buttons (a ValueWidget)")


def _check_height(name, value):
    """Raise ``ValueError`` unless ``value`` is a CSS height such as ``"520px"``."""
    if not isinstance(value, str) or not re.fullmatch(r"\d+(\.\d+)?(px|em|rem|vh|%)", value):
        fail(name, as_shown(value), "a CSS height such as '520px' (px, em, rem, vh or %)")


_A_DICT = an_instance(dict, "a dict, name → value")
_A_DRAWING = an_instance(Callable, "a function returning a dict with 'figure' and 'text'")


def _running_loop():
    """The event loop of the kernel this runs in (``None`` outside one: a script, a test)."""
    import asyncio

    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _check_figure(name, value):
    """Raise ``ValueError`` unless ``value`` is a matplotlib figure."""
    from matplotlib.figure import Figure

    if not isinstance(value, Figure):
        fail(name, as_shown(value), "a matplotlib Figure")


@with_checks(figure=_check_figure)
def figure_png(figure):
    """The figure as PNG bytes, drawn at :data:`PIXEL_RATIO` times its resolution, at its own size
    (no cropping): what an explorer shows, and what a fresh drawing of the same setting gives, byte
    for byte."""
    import matplotlib.pyplot as plt

    png = io.BytesIO()
    # no hinting: it fits the glyphs to a grid of the PNG's pixels, which are not the screen's
    # (shown at the figure's own size), and takes a tenth of the drawing
    with plt.rc_context({"text.hinting": "no_hinting"}):
        figure.savefig(png, format="png", dpi=PIXEL_RATIO * figure.dpi, bbox_inches=None,
                       metadata={"Software": None},
                       # quick: a fifth larger, a third quicker than the default
                       pil_kwargs={"compress_level": 1})
    return png.getvalue()


def figure_img(png, alt, height):
    """An ``<img>`` of class ``hebb-explorer-figure`` showing ``png`` (a data URI) with the text
    alternative ``alt``, as wide as its box and at most ``height`` tall."""
    import base64

    return (f"<img class='hebb-explorer-figure' alt='{html.escape(alt, quote=True)}' "
            f"src='data:image/png;base64,{base64.b64encode(png).decode('ascii')}' "
            f"style='display: block; "
            f"width: 100%; height: auto; max-height: {height}; object-fit: contain; "
            f"object-position: left top'>")


def alt_text(drawn):
    """The text alternative of a drawing's figure: its ``"alt"``, else the first line of its
    text."""
    lines = [line.strip() for line in drawn["text"].splitlines() if line.strip()]
    return drawn.get("alt") or "Figure: " + (lines[0] if lines else "the explorer's drawing")


class Explorer:
    """Controls wired to a drawing function, ready to show in a notebook.

    sliders : dict, name → control (a slider, buttons, a dropdown); the drawing function is
        called with their values as keyword arguments
    draw : function returning a dict with at least ``"figure"`` (a new figure, of the same size
        for every setting) and ``"text"`` (shown under the figure); ``"alt"``, if given, describes
        the figure for a screen reader (else the text's first line does: the setting drawn and
        what it gives)
    height : the tallest the figure is shown (CSS, e.g. ``"520px"``)
    note : a line shown under the controls (e.g. why a control is greyed out), or ``None``

    A notebook shows the controls, the figure and its text when the explorer is the last line of a
    cell; a page without a kernel (GitHub, nbviewer, the course's site) shows the figure drawn
    then. Moving a control redraws: at once outside a kernel, else as soon as the kernel has taken
    in the moves waiting for it (the latest values win). :meth:`update` redraws at once and returns
    what was drawn (also kept in ``last``); ``figure`` is the latest figure.
    """

    @with_checks(sliders=_check_sliders, draw=_A_DRAWING, height=_check_height,
                 given=or_none(_A_DICT))
    def __init__(self, sliders, draw, height, given=None):
        import ipywidgets as widgets

        # a slider clamps a value beyond its range: refuse it instead
        for name, value in (given or {}).items():
            if name not in sliders:
                fail("given", as_shown(given), "values for the sliders " + ", ".join(sliders))
            slider = sliders[name]
            if not hasattr(slider, "options") and slider.value != value:
                low, high = ((slider.base ** slider.min, slider.base ** slider.max)
                             if hasattr(slider, "base") else (slider.min, slider.max))
                fail(name, value, f"a number in [{low:g}, {high:g}] (the slider's range)")
        (self.sliders, self.draw, self.last,
         self.holding, self._scheduled) = sliders, draw, None, False, None
        # the kernel's event loop, in whose thread every redraw runs (None outside a kernel)
        self._loop = _running_loop()
        for slider in sliders.values():  # the label in a column of its own, the track the rest
            slider.style.description_width = LABEL_WIDTH
            slider.layout = widgets.Layout(width=CONTROL_WIDTH)
        controls = widgets.HBox(list(sliders.values()),
                                layout=widgets.Layout(flex_flow="row wrap"))
        # a line under the controls: why one is greyed out, or a range tied to another
        self.note = widgets.HTML()
        # "computing …" while a move is drawn
        self.status = widgets.HTML(layout=widgets.Layout(height="1.6em"))
        self.status.add_class("hebb-explorer-status")
        # the figure at its own size (the width set by the first drawing), smaller only where the
        # page is narrow: an <img> with its text alternative (alt) in an HTML widget, since
        # ipywidgets' Image has no alt
        self.height, self.png = height, None
        self.image = widgets.HTML(layout=widgets.Layout(max_width="100%", max_height=height))
        self.text = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.widget = widgets.VBox([controls, self.note, self.status, self.image, self.text])
        self.widget.add_class("hebb-explorer")
        for slider in sliders.values():
            slider.observe(self._moved, names="value")
        self.size = None  # the figure's size in pixels, fixed by the first drawing
        self.update()

    def _moved(self, change):
        """A control moved: redraw now outside a kernel; in one, say at once that it computes, and
        redraw once the moves waiting have been taken in."""
        if self.holding:  # ranges being adjusted: the control that moved redraws
            return
        if self._loop is None or self._loop.is_closed():
            self.update()
            return
        # JupyterLab may hand a control's message to another thread of the kernel than the one
        # the explorer was made in (a subshell): matplotlib draws one figure at a time, and two
        # threads drawing at once garble each other's text, so every redraw goes to the kernel's
        # loop
        self._loop.call_soon_threadsafe(self._schedule)

    def _schedule(self):
        """In the kernel's loop: say that it computes, and put the redraw after this move, which
        the next may follow."""
        self.status.value = _BUSY
        if self._scheduled is not None:
            self._scheduled.cancel()
        self._scheduled = self._loop.call_later(_DELAY, self._redraw)

    def _redraw(self):
        """The scheduled redraw, with the controls' values now; an error is shown in place of the
        text."""
        self._scheduled = None
        try:
            self.update()
        except Exception as error:  # noqa: BLE001
            # shown to the reader; the kernel's loop must go on
            self.status.value = ""
            self.text.value = (f"<pre style='color: #b71c1c'>"
                               f"{html.escape(f'{type(error).__name__}: {error}')}</pre>")

    def update(self):
        """Redraw with the controls' current values; returns the drawing function's dict."""
        import matplotlib.pyplot as plt

        values = {name: slider.value for name, slider in self.sliders.items()}
        drawn = self.draw(**values)
        figure = drawn["figure"]
        plt.close(figure)  # out of pyplot's list (shown once, here)
        size = (round(figure.get_figwidth() * figure.dpi),
                round(figure.get_figheight() * figure.dpi))
        if self.size is None:
            self.size = size
            # its own size: the PNG has PIXEL_RATIO times as many pixels each way
            self.image.layout.width = f"{size[0]}px"
        elif size != self.size:
            raise ValueError(f"the figure is {size[0]} × {size[1]} px, the "
                             f"explorer's {self.size[0]} × "
                             f"{self.size[1]} px: a drawing must keep one size for every setting")
        self.last = drawn
        self.png = figure_png(figure)
        self.image.value = figure_img(self.png, alt_text(drawn), self.height)
        self.text.value = (f"<pre class='hebb-explorer-text' {_TEXT_STYLE}>"
                           f"{html.escape(drawn['text'])}</pre>")
        if self._scheduled is None:
            self.status.value = ""
        return drawn

    @property
    def figure(self):
        return self.last["figure"]

    def _repr_mimebundle_(self, **kwargs):
        """The controls' view for a running kernel, the latest figure (PNG) and a line of text for
        a page without. The PNG, drawn at :data:`PIXEL_RATIO` times its resolution, declares the
        size it is meant to be shown at, so that a page without a kernel (GitHub, the static
        site, a notebook opened but not run) shows it at that size."""
        import base64
        import struct

        width, height = struct.unpack(">II", self.png[16:24])  # the PNG header's IHDR size
        shown = {"width": round(width / PIXEL_RATIO), "height": round(height / PIXEL_RATIO)}
        return ({
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2, "version_minor": 0, "model_id": self.widget.model_id},
            "image/png": base64.b64encode(self.png).decode("ascii"),
            "text/plain": "(sliders: they need a running kernel, e.g. JupyterLab, "
                          "Binder or Colab)",
        }, {"image/png": shown})

    def __getattr__(self, name):
        """ipywidgets 7 shows a widget through ``_ipython_display_``, which IPython prefers to
        ``_repr_mimebundle_``: only there does an explorer have one, showing the same bundle."""
        import ipywidgets as widgets

        if name != "_ipython_display_" or hasattr(widgets.Widget, "_repr_mimebundle_"):
            raise AttributeError(name)
        from IPython.display import display

        data, metadata = self._repr_mimebundle_()
        return lambda: display(data, metadata=metadata, raw=True)
