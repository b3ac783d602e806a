"""The machinery behind ``hebb_core``: the compiled engine, the variants, sweeps and statistics, the analysis of
the answer, the topographic-map model, plots, the notebooks' sliders and the command line.

Every public name of these modules is also a name of ``hebb_core`` (``hebb_core.MACHINERY`` lists them), loaded on
first use; the modules import ``hebb_core``, never the reverse at import time.
"""
