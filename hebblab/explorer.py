"""The machinery of the notebooks' explorers: sliders wired to a drawing function, its figure in one image that
each move replaces, its text beside; moves that come while a figure is being drawn are merged, so that the latest
values are drawn next. A drawing function that takes ``previous`` (what it returned last time, or ``None``) may
update that figure in place instead of building a new one. While the kernel is idle, an explorer readies its figure
for the next move (its layout kept, its background drawn), and hands the settings one step away to ``ahead``, a
function that may compute them in the background (``hebblab.ahead``)."""

import contextlib
import inspect
import io
import re
import weakref
from collections.abc import Callable

from hebblab.checks import an_instance, as_shown, fail, or_none, with_checks

#: How much finer than the figure's own resolution the PNG is drawn: sharp at 150 % zoom, where the figure is
#: shown at its own size (it is often shown smaller), and a third quicker to draw than twice as fine.
PIXEL_RATIO = 1.5
# the text beside the figure: its lines as written (a table stays a table; a line too long scrolls, never breaks
# mid-word), in the notebook's own font size
_TEXT_STYLE = "style='white-space: pre; overflow-wrap: normal; word-break: normal; margin: 0'"
_DELAY = 0.005  # s after the latest move: the moves waiting in the kernel's queue come in before a redraw
_IDLE = 0.3  # s after a drawing with no move since: the kernel is idle, the next move's background can be drawn


def _check_sliders(name, value):
    """Raise ``ValueError`` unless ``value`` is a dict, name → an ipywidgets control that holds a value."""
    import ipywidgets as widgets

    if not isinstance(value, dict) or not all(isinstance(slider, widgets.ValueWidget) for slider in value.values()):
        fail(name, as_shown(value), "a dict, name → an ipywidgets slider or buttons (a ValueWidget)")


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


_BACKGROUNDS = weakref.WeakKeyDictionary()  # figure → (what its background shows, the background's pixels)


def _ticks(axis):
    """What an axis draws: its ticks' places and labels (major and minor) and its offset text."""
    drawn = []
    for ticks in (axis.major, axis.minor):
        places = ticks.locator()
        drawn += [tuple(places), tuple(ticks.formatter.format_ticks(places))]
    return drawn + [axis.get_offset_text().get_text()]


def _background_of(figure):
    """What a figure's background shows: per axes its place, limits, scales, axis labels and ticks."""
    shown = [tuple(figure.get_size_inches()), figure.dpi]
    for ax in figure.axes:
        shown += [ax.get_visible(), ax.axison, ax.get_position().bounds, ax.get_xlim(), ax.get_ylim()]
        shown += [(axis.get_scale(), axis.get_visible(), axis.label.get_text(), *_ticks(axis))
                  for axis in (ax.xaxis, ax.yaxis) if ax.axison]
    return shown


def _foreground(figure):
    """The artists drawn over the background, in drawing order: everything but the figure's and the axes' patches
    and the axes' axes (their ticks and labels); spines only where the axes are on."""
    drawn = []
    for ax in sorted(figure.axes, key=lambda ax: ax.get_zorder()):
        kept = {ax.patch, ax.xaxis, ax.yaxis} | (set() if ax.axison else set(ax.spines.values()))
        drawn += sorted((artist for artist in ax.get_children() if artist not in kept), key=lambda a: a.get_zorder())
    return drawn + sorted((artist for artist in figure.get_children() if artist is not figure.patch
                           and artist not in figure.axes), key=lambda artist: artist.get_zorder())


def _agg_canvas(figure):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    return figure.canvas if isinstance(figure.canvas, FigureCanvasAgg) else FigureCanvasAgg(figure)


def _keep_background(figure, canvas):
    """Draw the figure's background alone (patches, ticks, labels; the rest hidden) and keep its pixels."""
    shown = [artist for artist in _foreground(figure) if artist.get_visible()]
    for artist in shown:
        artist.set_visible(False)
    canvas.draw()
    for artist in shown:
        artist.set_visible(True)
    _BACKGROUNDS[figure] = _background_of(figure), canvas.get_renderer().copy_from_bbox(figure.bbox)


def _has_background(figure):
    kept = _BACKGROUNDS.get(figure)
    return kept is not None and kept[0] == _background_of(figure)


@contextlib.contextmanager
def _finer(figure):
    """The figure at :data:`PIXEL_RATIO` times its resolution, for as long as it is drawn."""
    dpi = figure.dpi
    figure.dpi = PIXEL_RATIO * dpi
    try:
        yield _agg_canvas(figure)
    finally:
        figure.dpi = dpi


def _png(figure):
    """The figure as PNG bytes, at :data:`PIXEL_RATIO` times its resolution. Most of a redraw's time goes into the
    axes' ticks and labels, which a slider seldom changes: a figure without a layout engine (drawn in place) keeps
    its background (patches, ticks, labels) and, while that stays as it was, redraws only the rest over it."""
    from PIL import Image

    with _finer(figure) as canvas:
        if figure.get_layout_engine() is not None:  # the layout needs every artist: draw them all
            canvas.draw()
        else:
            if not _has_background(figure):
                _keep_background(figure, canvas)
            renderer = canvas.get_renderer()
            renderer.restore_region(_BACKGROUNDS[figure][1])
            for ax in figure.axes:
                ax._update_title_position(renderer)  # as a full drawing places the titles
            for artist in _foreground(figure):
                artist.draw(renderer)
        png = io.BytesIO()  # opaque figures: RGB; quick compression: a tenth larger, a fifth quicker
        Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert(
            "RGB").save(png, format="png", compress_level=1)
        return png.getvalue()


def _freeze(figure):
    """Keep the figure's layout from now on (computed once, should it not have been drawn yet): a layout engine
    would cost more than the redrawing, and without one the background can be kept (:func:`_png`)."""
    if figure.get_layout_engine() is not None:
        figure.draw_without_rendering()
        figure.set_layout_engine(None)


def _in_place(previous):
    """The figure of ``previous`` (a drawing function's last dict) to draw into again, its layout kept."""
    _freeze(previous["figure"])
    return previous["figure"]


def _check_previous(name, value):
    """A rule: ``None`` or the dict a drawing returned (its ``"figure"`` a matplotlib figure)."""
    from matplotlib.figure import Figure

    if not isinstance(value, dict) or not isinstance(value.get("figure"), Figure):
        fail(name, as_shown(value), "None or the dict that this drawing returned last time")


_A_PREVIOUS = or_none(_check_previous)


class Explorer:
    """Sliders wired to a drawing function, ready to show in a notebook.

    sliders : dict, name → widget; the drawing function is called with their values as keyword arguments (and with
        ``previous``, the dict it returned last time or ``None``, if it takes that keyword: it may then update that
        figure in place and return it again)
    draw : function returning a dict with at least ``"figure"`` and ``"text"`` (shown beside the figure)
    height : the tallest the figure is shown (CSS, e.g. ``"520px"``; never taller than the window leaves room for)
    ahead : ``None``, or a function that, in a kernel, is given :meth:`nearby` after each drawing, to compute in the
        background what drawing those values would need (e.g. :meth:`hebblab.ahead.Memo.ahead`)

    A notebook shows the sliders, the figure and its text when the explorer is the last line of a cell; a page
    without a kernel (GitHub, nbviewer, the course's site) shows the figure drawn then. Moving a slider redraws:
    at once outside a kernel, else as soon as the kernel has taken in the moves waiting for it (the latest values
    win). :meth:`update` redraws at once and returns what was drawn (also kept in ``last``); ``figure`` is the
    latest figure.
    """

    @with_checks(sliders=_check_sliders, draw=_A_DRAWING, height=_check_height, given=or_none(_A_DICT),
              ahead=or_none(an_instance(Callable, "None or a function taking a list of the sliders' values")))
    def __init__(self, sliders, draw, height, given=None, ahead=None):
        import ipywidgets as widgets

        for name, value in (given or {}).items():  # a slider clamps a value beyond its range: refuse it instead
            if name not in sliders:
                fail("given", as_shown(given), "values for the sliders " + ", ".join(sliders))
            slider = sliders[name]
            if not hasattr(slider, "options") and slider.value != value:
                low, high = (slider.base ** slider.min, slider.base ** slider.max) if hasattr(slider, "base") \
                    else (slider.min, slider.max)
                fail(name, value, f"a number in [{low:g}, {high:g}] (the slider's range)")
        self.sliders, self.draw, self.last, self.holding, self._scheduled = sliders, draw, None, False, None
        self.ahead, self._moved_last = ahead, (None, 1)  # the slider moved last, and which way
        for slider in sliders.values():  # compact: a row that wraps, about four sliders wide; buttons side by side
            slider.style.description_width = "5em"
            slider.layout = widgets.Layout(width="auto" if not hasattr(slider, "readout") else
                                           "20em" if hasattr(slider, "options") else "16em")  # names: wider
        controls = widgets.HBox(list(sliders.values()), layout=widgets.Layout(flex_flow="row wrap"))
        # the figure at its own size at most, smaller where the page is narrow or the window low (a projector)
        self.image = widgets.Image(format="png", layout=widgets.Layout(
            max_width="100%", height="auto", max_height=f"min({height}, calc(100vh - 230px))",
            object_fit="contain", object_position="left top", flex="0 1 auto"))
        self.text = widgets.HTML(layout=widgets.Layout(flex="1 1 18em", overflow="auto"))  # beside, or below
        self.widget = widgets.VBox([controls, widgets.HBox([self.image, self.text],
                                                           layout=widgets.Layout(flex_flow="row wrap"))])
        self.widget.add_class("hebb-explorer")
        for slider in sliders.values():
            slider.observe(self._moved, names="value")
        self.update()

    def _moved(self, change):
        """A slider moved: redraw now outside a kernel; in one, once the moves waiting have been taken in."""
        if self.holding:  # ranges being adjusted: the slider that moved redraws
            return
        name = next(name for name, slider in self.sliders.items() if slider is change["owner"])
        way = change["new"] > change["old"] if isinstance(change["new"], (int, float)) else True
        self._moved_last = name, 1 if way else -1
        loop = _running_loop()
        if loop is None:
            self.update()
            return
        if self._scheduled is not None:  # a redraw waits: put it after this move, which the next may follow
            self._scheduled.cancel()
        self._scheduled = loop.call_later(_DELAY, self._redraw)

    def _redraw(self):
        """The scheduled redraw, with the sliders' values now; an error is shown in place of the text."""
        self._scheduled = None
        try:
            self.update()
        except Exception as error:  # noqa: BLE001 (shown to the reader; the kernel's loop must go on)
            import html

            self.text.value = f"<pre style='color: #b71c1c'>{html.escape(f'{type(error).__name__}: {error}')}</pre>"

    def update(self):
        """Redraw with the sliders' current values; returns the drawing function's dict."""
        import html

        import matplotlib.pyplot as plt

        values = {name: slider.value for name, slider in self.sliders.items()}
        in_place = "previous" in inspect.signature(self.draw).parameters
        drawn = self.draw(**values, previous=self.last) if in_place else self.draw(**values)
        plt.close(drawn["figure"])  # out of pyplot's list (shown once, here), still drawable
        self.last = drawn
        figure = drawn["figure"]
        self.image.layout.width = f"{round(figure.get_figwidth() * figure.dpi)}px"
        self.image.value = _png(figure)
        self.text.value = f"<pre class='hebb-explorer-text' {_TEXT_STYLE}>{html.escape(drawn['text'])}</pre>"
        loop = _running_loop()
        if loop is not None:
            loop.call_later(_IDLE, self._when_idle, figure)
            if self.ahead is not None:
                self.ahead(self.nearby())
        return drawn

    def _when_idle(self, figure):
        if self._scheduled is None and self.last is not None and self.last["figure"] is figure:
            self.prepare()

    def prepare(self):
        """Ready the figure shown for the next move: its layout kept and its background drawn (in a kernel this
        runs by itself once no move has come for a moment), so that the next move redraws only what it changes.
        The picture shown does not change."""
        figure = self.last["figure"]
        _freeze(figure)
        with _finer(figure) as canvas:
            if not _has_background(figure):
                _keep_background(figure, canvas)

    def nearby(self):
        """The sliders' values one step away from those shown, likeliest first: the slider moved last, on the way
        it moved, then back; then the others, each down and up. Sliders that are greyed out, log sliders and buttons
        are left out (a log slider's next value, computed here, need not be the browser's to the last bit)."""
        values = {name: slider.value for name, slider in self.sliders.items()}
        last, way = self._moved_last
        nearby = []
        for name in sorted(self.sliders, key=lambda name: name != last):
            slider = self.sliders[name]
            if slider.disabled or not hasattr(slider, "step") or hasattr(slider, "base") or hasattr(slider, "options"):
                continue
            for sign in (way, -way) if name == last else (-1, 1):
                value = slider.value + sign * slider.step
                if slider.min <= value <= slider.max:
                    nearby.append({**values, name: value})
        return nearby

    @property
    def figure(self):
        return self.last["figure"]

    def _repr_mimebundle_(self, **kwargs):
        """The sliders' view for a running kernel, the latest figure (PNG) and a line of text for a page without."""
        import base64

        return {
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2, "version_minor": 0, "model_id": self.widget.model_id},
            "image/png": base64.b64encode(self.image.value).decode("ascii"),
            "text/plain": "(sliders: they need a running kernel, e.g. JupyterLab, Binder or Colab)",
        }

    def __getattr__(self, name):
        """ipywidgets 7 shows a widget through ``_ipython_display_``, which IPython prefers to
        ``_repr_mimebundle_``: only there does an explorer have one, showing the same bundle."""
        import ipywidgets as widgets

        if name != "_ipython_display_" or hasattr(widgets.Widget, "_repr_mimebundle_"):
            raise AttributeError(name)
        from IPython.display import display

        return lambda: display(self._repr_mimebundle_(), raw=True)
