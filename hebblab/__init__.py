"""The machinery behind ``hebb_core``: the compiled engine, the variants, sweeps and statistics,
the analysis of the answer, the topographic-map model, plots, the notebooks' sliders and the
command line.

Every public name of these modules is also a name of ``hebb_core`` (``hebb_core.MACHINERY`` lists
them), loaded on first use; the modules import ``hebb_core``, never the reverse at import time.
"""

import os
import sys


def _numba_cache_dir():
    """numba's cache of compiled code, in the user's own cache folder rather than beside the
    source, so that a checkout shared by several users cannot hand one user's compiled code to
    another's kernel."""
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(os.path.expanduser("~"), "AppData",
                                                              "Local")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "hebb-course", "numba")


os.environ.setdefault("NUMBA_CACHE_DIR", _numba_cache_dir())  # read by numba when it is imported
if "numba" in sys.modules:  # imported before the course: tell it now
    sys.modules["numba"].core.config.reload_config()
