"""A fingerprint of the course's results: five sweeps, the six variants of notebook 06, a training
history and a map sweep, hashed. A change to the code that must not change any result leaves it as
it was.

    python tools/fingerprint.py          # prints one hash per part and one for the whole
"""

import hashlib
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import hebb_core as hc  # noqa: E402


def digest(*parts):
    h = hashlib.sha256()
    for part in parts:
        if hasattr(part, "to_csv"):
            part = part.to_csv(index=False, float_format="%.17g")
        if isinstance(part, np.ndarray):
            part = np.ascontiguousarray(part).tobytes() + str(part.shape).encode()
        if isinstance(part, str):
            part = part.encode()
        h.update(part)
    return h.hexdigest()[:16]


def sweeps():
    settings = [dict(L=3, N=3), dict(L=2, N=4), dict(L=3, N=3, order="shuffled", max_epochs=300),
                dict(L=4, N=3, M=5, readout="argmax", max_epochs=500),
                dict(L=3, N=3, dale=True, max_epochs=300)]
    return [digest(hc.run_experiment(hc.Params(**s), repeats=3, seed=7)) for s in settings]


def variants():
    out = []
    for name in hc.VARIANTS:
        table = hc.variant_experiment(hc.variant_params(name, N=4, max_epochs=300),
                                      repeats=1, seed=3)
        out.append(digest(table))
    return out


def history():
    params = hc.Params(L=3, N=3, max_epochs=200, stop_at_convergence=False)
    rng = np.random.default_rng(11)
    types = hc.allot_types(params.P, 2, "random", rng)
    weights = hc.initialize_weights(params, types, rng)
    run = hc.train_network(params, types, np.array([2, 0, 1]), weights, history=True)
    parts = [str((run.epochs_to_convergence, run.converged, run.recall_fraction,
                  run.unique, run.stable, run.weights_settled_epoch))]
    parts += list(run.weights)
    for key in sorted(run.history):
        value = run.history[key]
        parts += list(value) if isinstance(value, list) else [value]
    return [digest(*parts)]


def maps():
    table = hc.map_sweep((0.0, 1.0), (1.0, 2.0), seeds=range(2),
                         params=hc.MapParams(presentations=1500))
    run = hc.train_map(hc.MapParams(presentations=800), seed=4)
    return [digest(table), digest(run.s)]


def main():
    parts = {"sweeps": sweeps(), "variants": variants(), "history": history(), "maps": maps()}
    for name, values in parts.items():
        print(f"{name:9s} {' '.join(values)}")
    print("whole    ", digest(*[v for values in parts.values() for v in values]))


if __name__ == "__main__":
    main()
