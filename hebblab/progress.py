"""The progress bar of long runs (a sweep, a sweep of maps): tqdm's bar while they run, and in a
notebook its final state left behind as one line of text.

A notebook saves an output as it was first shown. tqdm's widget bar is first shown at 0 %, and a
page without a kernel (GitHub, the course's site) shows that first state, a bar that never moves;
its later states live only in the widget. So in a notebook the widget is shown under a display id,
and at the end that display is replaced by the bar's final line (``100%|██████████| 1680/1680
[00:12<00:00, 139.50run/s]``): the reader of the running notebook sees the bar move, and the saved
notebook keeps where it ended. Elsewhere (a terminal, a script) it is tqdm's text bar on stderr.
"""

import contextlib
import sys

from hebblab.checks import a_name, an_int, check_bool, with_checks


class _NoBar:
    """What :func:`progress_bar` gives when no bar is wanted: ``update`` does nothing."""

    def update(self, n=1):
        pass


def _in_notebook():
    """Whether this runs in a Jupyter kernel (IPython's kernel app), where outputs are saved in a
    notebook."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and "IPKernelApp" in shell.config


@with_checks(total=an_int(0), unit=a_name, initial=an_int(0), show=check_bool)
@contextlib.contextmanager
def progress_bar(total, unit, initial=0, show=True):
    """A bar over ``total`` items (``initial`` of them done already), counted in ``unit``; call
    ``bar.update(n)`` as ``n`` more are done. It closes when the block ends, also on an error (its
    line then shows how far it got). ``show=False``: no bar at all."""
    if not show:
        yield _NoBar()
        return
    if not _in_notebook():
        from tqdm import tqdm

        with tqdm(total=total, initial=initial, unit=unit) as bar:
            yield bar
        return
    from IPython.display import display
    from tqdm.notebook import tqdm

    bar = tqdm(total=total, initial=initial, unit=unit, display=False)
    bar.displayed = True  # shown here, under a display id, instead of by tqdm
    shown = display(bar.container, display_id=True)
    try:
        yield bar
    finally:
        line = str(bar)  # the final state, as tqdm's text bar writes it
        bar.close()
        shown.update({"text/plain": line}, raw=True)
        bar.container.close()  # the widget is no longer shown anywhere
