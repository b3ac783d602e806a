"""The course's figure style: the style file every plotting function draws in (sizes for the
notebook's column at 1280 × 720, text of 11 px at least, the Okabe–Ito colours), and the second
cues beside colour (line styles of E and I, markers and line styles of the lines of one plot)."""

import contextlib
from pathlib import Path

#: The course's matplotlib style file, inside the package.
STYLE = Path(__file__).with_name("course.mplstyle")
#: The widest a figure is drawn, in inches at the style's 100 dpi: 800 px, the notebook's column at
#: 1280 × 720 with the file browser open (about 850 px), so that every figure is shown at its own
#: size.
COLUMN_WIDTH = 8.0
#: The colours of excitatory and inhibitory neurons (and of their weights) and of output neurons:
#: Okabe–Ito's vermillion and blue, and a grey.
COLOURS = {"E": "#D55E00", "I": "#0072B2", "output": "#999999"}
WEIGHT_CMAP = "RdBu_r"  # weights: positive red, negative blue, zero white
#: Lines from excitatory neurons solid, from inhibitory ones dashed: a cue beside their colours.
LINESTYLES = {"E": "-", "I": "--"}
#: The markers and the line styles of the lines of one plot, in order: cues beside their colours.
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
DASHES = ("-", "--", "-.", ":", "-", "--", "-.")


@contextlib.contextmanager
def course_style():
    """Draw in the course's style (:data:`STYLE`) inside a ``with`` block, or in a function
    decorated with ``@course_style()``; every plotting function of the course does."""
    import matplotlib
    import matplotlib.pyplot as plt

    interactive = matplotlib.is_interactive()
    try:
        with plt.style.context(STYLE):
            yield
            # JupyterLab's inline backend, loaded by the first figure, turns interactive mode on;
            # leaving the style must not turn it off, or the learner's own figures stop showing
            interactive = matplotlib.is_interactive()
    finally:
        matplotlib.interactive(interactive)
