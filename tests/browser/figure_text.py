"""The size of a figure's text as a notebook shows it. A kernel of the browser tests' JupyterLab
records, for every figure it shows (a matplotlib figure, or an explorer with its figure), the
digest of the PNG it sends and the smallest text of the figure in that PNG's pixels
(:func:`record_shown_figures`, installed by an IPython startup file). The browser then gives each
image's displayed width over its natural width, so that the text's height as displayed is known
for every image of a notebook, whatever code drew it: the course's plotting functions, a
notebook's own labels, an explorer.

Plain imports only: a kernel imports this module by its path.
"""

import base64
import hashlib
import io
import json

#: The smallest text a figure may show, in CSS pixels as displayed at 1280 × 720.
SMALLEST_TEXT_PX = 11


def smallest_text(figure, dpi=None):
    """``(pixels, text)``: the smallest visible, non-empty text of ``figure``, its height (font
    size) in pixels at ``dpi`` (default: the figure's own); ``(None, None)`` for a figure without
    text."""
    import matplotlib.text

    dpi = dpi or figure.dpi
    return min(((artist.get_fontsize() * dpi / 72, artist.get_text())
                for artist in figure.findobj(matplotlib.text.Text)
                if artist.get_visible() and artist.get_text().strip()), default=(None, None))


def png_record(png, figure):
    """``{"sha", "px", "text"}`` of a figure shown as ``png`` (bytes): the digest of the PNG and
    its smallest text in the PNG's pixels, at the resolution the PNG declares (matplotlib writes
    it: the figure's dpi inline, :data:`hebblab.explorer.PIXEL_RATIO` times it in an explorer)."""
    from PIL import Image

    dpi = Image.open(io.BytesIO(png)).info.get("dpi", (figure.dpi,))[0]
    px, text = smallest_text(figure, dpi)
    return {"sha": hashlib.sha256(png).hexdigest(), "px": px, "text": text}


def record_shown_figures(path):
    """From now on, each figure this IPython kernel shows as PNG adds a line to ``path`` (JSON, a
    :func:`png_record`): a matplotlib figure, or an object with a ``figure`` attribute (an
    explorer) whose display includes a PNG."""
    import sys

    from IPython import get_ipython

    shell = get_ipython()
    show = shell.display_formatter.format

    def format_and_record(obj, *args, **kwargs):
        data, metadata = show(obj, *args, **kwargs)
        figures = sys.modules.get("matplotlib.figure")
        figure = obj if figures and isinstance(obj, figures.Figure) else getattr(obj, "figure",
                                                                                 None)
        png = data.get("image/png")
        if png is not None and figures and isinstance(figure, figures.Figure):
            png = base64.b64decode(png) if isinstance(png, str) else png
            try:
                line = json.dumps(png_record(png, figure))
            except Exception:  # noqa: BLE001 - the figure is shown all the same; the test finds
                return data, metadata  # its image without a record
            with open(path, "a", encoding="utf-8") as out:
                out.write(line + "\n")
        return data, metadata

    shell.display_formatter.format = format_and_record


def read_records(path):
    """The records written by :func:`record_shown_figures`, by the PNG's digest."""
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except FileNotFoundError:
        return {}
    return {record["sha"]: record for record in map(json.loads, lines)}


# Every image of the notebook's outputs: a digest of its bytes, its displayed and natural widths.
SHOWN_IMAGES = """async () => {
    const found = [];
    for (const img of document.querySelectorAll('.jp-OutputArea-output img')) {
        const bytes = await (await fetch(img.src)).arrayBuffer();
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
        found.push({sha: [...digest].map(b => b.toString(16).padStart(2, '0')).join(''),
                    shown: img.getBoundingClientRect().width, natural: img.naturalWidth});
    }
    return found;
}"""


def text_as_displayed(page, records):
    """``(texts, unknown)`` for the notebook open in ``page``: for each image with text its
    smallest text as displayed, ``(pixels, text)`` (the text in the PNG's pixels times the
    displayed over the natural width), and the number of images no record names (not a figure the
    kernel showed)."""
    texts, unknown = [], 0
    for image in page.evaluate(SHOWN_IMAGES):
        record = records.get(image["sha"])
        if record is None or not image["natural"]:
            unknown += 1
        elif record["px"] is not None:
            texts.append((record["px"] * image["shown"] / image["natural"], record["text"]))
    return texts, unknown
