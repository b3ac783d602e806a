"""The command line's sweep, run in this process with its phases timed (for ``command.py``):

    python command_phases.py LAUNCHED sweep ARGUMENTS…

``LAUNCHED`` is the caller's ``time.monotonic()`` just before it started this process (the same
clock on Linux). Prints, as JSON, the seconds from then to the first run drawn (``start-up``),
those spent drawing, in the engine, in building the table's CSV text and in writing it, the
engine's first call (it also loads the compiled loop from numba's cache) and the total to the end
of the command. Only these few functions are wrapped; the command is unchanged.
"""

import contextlib
import json
import os
import sys
import time


def main(launched, argv):
    from hebblab import cli, sweeps

    spent = {"drawing": 0.0, "engine": 0.0, "table": 0.0, "write": 0.0}
    marks = {}

    def timed(module, name, phase):
        function = getattr(module, name)

        def run(*args, **kwargs):
            marks.setdefault(name, time.monotonic())
            start = time.monotonic()
            try:
                return function(*args, **kwargs)
            finally:
                spent[phase] += time.monotonic() - start
                marks.setdefault(f"{name} done", time.monotonic())

        setattr(module, name, run)

    for module, name, phase in ((sweeps, "draw_runs", "drawing"),
                                (sweeps, "train_batch", "engine"),
                                (sweeps, "_table_columns", "table"),
                                (sweeps, "_csv_lines", "table"), (cli, "_append", "write")):
        timed(module, name, phase)
    with open(os.devnull, "w") as log, contextlib.redirect_stdout(log):
        status = cli.main(argv)
    spent["total"] = time.monotonic() - launched
    spent["start-up"] = marks["draw_runs"] - launched
    spent["first chunk"] = marks["train_batch done"] - marks["train_batch"]
    print(json.dumps(spent))
    return status


if __name__ == "__main__":
    sys.exit(main(float(sys.argv[1]), sys.argv[2:]))
