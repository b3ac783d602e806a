"""Topographic maps: the model of Willshaw & von der Malsburg (1976), its measures of map order,
and its sweeps of lateral excitation and inhibition (notebook 07).

The biological version of the workshop's one-to-one map: a retina and a tectum, two square sheets
of ``size × size`` cells, connected all-to-all by excitatory synapses ``s_ij`` (retinal cell ``i``
→ tectal cell ``j``). Each presentation activates a random pair of neighbouring retinal cells
(``A_i = 1``); the tectal activity ``H`` relaxes to stationarity under short-range lateral
excitation and longer-range lateral inhibition; active pairs grow (Hebb) and each tectal cell's
total input is held constant (competition). A few "polarity markers" fix the map's orientation.
Willshaw & von der Malsburg (1976) Proc R Soc Lond B 194:431–445; parameters as in public teaching
code of the model. Cell ``j`` of a sheet sits at ``(row, col) = divmod(j, size)``.
"""

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from hebblab.analysis import a_table
from hebblab.checks import (
    a_generator,
    a_real,
    an_array,
    an_instance,
    an_int,
    as_shown,
    check_array,
    check_bool,
    check_int,
    check_real,
    fail,
    one_of,
    or_none,
    with_checks,
)
from hebblab.engine import in_two_threads
from hebblab.kernels import relax_tecta, train_tecta
from hebblab.progress import progress_bar

#: Lateral weights e_jk by Manhattan distance d between tectal cells j and k, at strength 1 (the
#: reference set): excitation at d = 1, 2, inhibition at d = 3, nothing beyond (and no
#: self-connection).
LATERAL_WEIGHTS = {1: 0.05, 2: 0.025, 3: -0.06}

#: The strengths swept by the course (multiples of the reference lateral weights; 1 = reference).
LATERAL_STRENGTHS = {"lateral_inhibition": (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0),
                     "lateral_excitation": (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0)}

#: Presentations after which the course draws a forming map, and the seeds of the full sweep (`make
#: figures`).
MAP_STAGES = (0, 500, 1500, 3000, 6000)
MAP_SWEEP_SEEDS = range(20)

# The largest maps and batches accepted (far beyond what the course needs), checked before any work
# starts:
_SIZES = (4, 16)  # cells per side of the retina and of the tectum
_MAX_CELLS = _SIZES[1] ** 2  # cells of a sheet
_MAX_PRESENTATIONS = 10**7  # stimuli of one map
_MAX_MAPS = 256  # maps trained side by side (train_maps' runs, map_sweep's chunk_size)
# maps × presentations of one batch: its records take 24 bytes each
_MAX_BATCH_PRESENTATIONS = 2 * 10**7
_MAX_HISTORY_BYTES = 2**30  # the weights a batch keeps with record_every
_MAX_SWEEP_MAPS = 10**5  # maps of one sweep


@dataclass(frozen=True)
class MapParams:
    """The retinotectal model of Willshaw & von der Malsburg (1976), with the reference parameter
    set: the values of public teaching re-implementations of the model (G. Baxter,
    ``correlated_activity_76``; D. Keitley, ``Map-Formation-Models``), except ``h``, ten times
    theirs (0.0016, over 60 000 presentations).

    size : int, default 6
        Cells per side of the retina and of the tectum (``size²`` cells each), 4 … 16.
    presentations : int, default 6000
        Stimuli (random neighbouring retinal pairs) presented during training, 0 … 10⁷.
    lateral_excitation : float, default 1.0
        Multiplies the excitatory lateral weights, +0.05 at distance 1 and +0.025 at distance 2; in
        [0, 10].
    lateral_inhibition : float, default 1.0
        Multiplies the inhibitory lateral weight, −0.06 at distance 3; in [0, 10].
    alpha : float, default 0.5
        Decay rate of tectal activity ``H``, in (0, 1] (Euler steps of ``dt = 1``).
    theta : float, default 10
        Threshold: a tectal cell's output is ``H* = max(H − theta, 0)``.
    s_mean : float, default 2.5
        Mean input weight of every tectal cell, kept by normalisation (and the mean of the initial
        weights).
    s_sd : float, default 0.14
        Standard deviation of the initial weights, drawn from ``N(s_mean, s_sd)``.
    h : float, default 0.016
        Hebbian growth rate.
    epsilon_mod : float, default 2
        Modification threshold: only tectal cells with ``H* > epsilon_mod`` grow synapses.
    marker_strength : float, default 5
        Polarity markers: the initial weights from the 4 central retinal cells to the 4 tectal
        cells at the same positions are multiplied by this factor (then normalised), once, before
        training; 1 switches them off.
    tol : float, default 1e-3
        Relaxation is stationary when no ``H_j`` changes by more than ``tol`` in one step.
    max_steps : int, default 1000
        Relaxation steps at most (reached only where activity oscillates; counted in
        ``MapRun.capped``).
    max_activity : float, default 1000
        Ceiling on ``H*``: with strong lateral excitation activity would grow without bound. The
        reference parameters stay far below it (the largest ``H*`` is about 140).
    """

    size: int = 6
    presentations: int = 6000
    lateral_excitation: float = 1.0
    lateral_inhibition: float = 1.0
    alpha: float = 0.5
    theta: float = 10.0
    s_mean: float = 2.5
    s_sd: float = 0.14
    h: float = 0.016
    epsilon_mod: float = 2.0
    marker_strength: float = 5.0
    tol: float = 1e-3
    max_steps: int = 1000
    max_activity: float = 1000.0

    def __post_init__(self):
        _a_size("size", self.size)
        check_int("presentations", self.presentations, 0, _MAX_PRESENTATIONS)
        check_int("max_steps", self.max_steps, 1, 10**6)
        _a_strength("lateral_excitation", self.lateral_excitation)
        _a_strength("lateral_inhibition", self.lateral_inhibition)
        check_real("alpha", self.alpha, 0, 1, open_low=True)
        for name in ("theta", "s_sd", "h", "epsilon_mod"):
            check_real(name, getattr(self, name), 0, 1e6)
        for name in ("s_mean", "tol", "max_activity"):
            check_real(name, getattr(self, name), 0, 1e6, open_low=True)
        check_real("marker_strength", self.marker_strength, 1, 1e6)
        # 8 sd below the mean: no initial weight is negative (map_quality's range)
        if self.s_sd > self.s_mean / 8:
            fail("s_sd", self.s_sd,
                 f"a number in [0, s_mean / 8 = {self.s_mean / 8:g}], so that weights start > 0")


# The rules of the arguments (hebblab.checks.with_checks), and the checks that relate them to the
# map's size:
_a_size = an_int(*_SIZES)
_a_strength = a_real(0, 10)
_a_seed = an_int(0, 2**63 - 1)
_a_record_every = an_int(0, _MAX_PRESENTATIONS)
_map_params = an_instance(MapParams, "a MapParams, e.g. MapParams(size=6)")


def _check_weights(s, n=None):
    """``s`` as a float array of input weights ``s_ij`` (retinal cell i → tectal cell j): finite,
    >= 0, every tectal cell with some input; of shape ``(n, n)``, or (``n=None``) ``(..., R, T)``.
    Else ``ValueError`` naming ``s``."""
    array = check_array("s", s, (n, n) if n else None, 0)
    if array.ndim < 2 or not 1 <= min(array.shape[-2:]) <= max(array.shape[-2:]) <= _MAX_CELLS \
            or np.any(array.sum(axis=-2) <= 0):
        fail("s", as_shown(s, array),
             f"weights >= 0 of shape {(n, n) if n else '(..., R, T)'}, R and T <= "
                                     f"{_MAX_CELLS}, every tectal cell (column) with a "
                                     f"positive total input")
    return array


def _check_centres(centres, size):
    """``centres`` as a float array of one (row, col) per tectal cell, ``(size², 2)``; else
    ``ValueError``."""
    return check_array("centres", centres, (size * size, 2), -1e6, 1e6)


def _check_batch(maps, params, record_every, name):
    """Refuse, before any work, a batch of ``maps`` maps of ``params`` whose records would not fit
    in memory (``name``: the argument that sets the batch's size)."""
    if maps * params.presentations > _MAX_BATCH_PRESENTATIONS:
        fail(name, f"{maps} maps × {params.presentations} presentations",
              f"at most {_MAX_BATCH_PRESENTATIONS:,} presentations in one batch: train fewer "
              f"maps at once")
    snapshots = params.presentations // record_every + 2 if record_every else 0
    if snapshots * maps * params.size ** 4 * 8 > _MAX_HISTORY_BYTES:
        fail("record_every", record_every,
             f"a record of at most {_MAX_HISTORY_BYTES // 2**20} MiB of weights for "
              f"{maps} maps of {params.presentations} presentations: record less often")


@with_checks(size=_a_size)
def sheet_positions(size):
    """``(row, col)`` of every cell of a ``size × size`` sheet, cell ``j`` at ``divmod(j, size)``:
    ``(size², 2)``."""
    return np.column_stack(np.divmod(np.arange(size * size), size))


@with_checks(size=_a_size, metric=one_of("manhattan", "chebyshev"))
def sheet_distances(size, metric="manhattan"):
    """Distances between all cells of a sheet, ``(size², size²)``: ``"manhattan"`` ``|Δrow| +
    |Δcol|`` or ``"chebyshev"`` ``max(|Δrow|, |Δcol|)`` (cells that touch, diagonals included, are
    at 1)."""
    difference = np.abs(sheet_positions(size)[:, None, :] - sheet_positions(size)[None, :, :])
    return difference.sum(axis=-1) if metric == "manhattan" else difference.max(axis=-1)


@with_checks(d=an_array(low=0), lateral_excitation=_a_strength, lateral_inhibition=_a_strength)
def lateral_weight(d, lateral_excitation=1.0, lateral_inhibition=1.0):
    """The lateral weight at Manhattan distance ``d`` (a number or an array):
    :data:`LATERAL_WEIGHTS` with the excitatory part (``d = 1, 2``) times ``lateral_excitation``
    and the inhibitory part (``d = 3``) times ``lateral_inhibition``; 0 at ``d = 0`` and beyond
    3."""
    d = np.asarray(d)
    return np.select([d == 1, d == 2, d == 3], [lateral_excitation * LATERAL_WEIGHTS[1],
                                                lateral_excitation * LATERAL_WEIGHTS[2],
                                                lateral_inhibition * LATERAL_WEIGHTS[3]], 0.0)


@with_checks(size=_a_size, lateral_excitation=_a_strength, lateral_inhibition=_a_strength)
def lateral_connections(size, lateral_excitation=1.0, lateral_inhibition=1.0):
    """The tectum's lateral weights ``e_jk``, ``(size², size²)``, symmetric (no wrap-around at the
    borders)."""
    return lateral_weight(sheet_distances(size), lateral_excitation, lateral_inhibition)


@with_checks(size=_a_size)
def neighbour_pairs(size):
    """Every pair ``(i, k)``, ``i < k``, of cells at Manhattan distance 1: the stimuli, and the
    map's neighbours. Shape ``(2·size·(size−1), 2)``."""
    i, k = np.nonzero(np.triu(sheet_distances(size) == 1))
    return np.column_stack([i, k])


@with_checks(size=_a_size)
def marker_cells(size):
    """The 4 central cells of a sheet (for odd ``size``, the 2 × 2 block just above and left of the
    centre)."""
    low = size // 2 - 1
    return np.array([row * size + col for row in (low, low + 1) for col in (low, low + 1)])


def _normalise(s, s_mean):
    return s * (s_mean / s.mean(axis=-2, keepdims=True))


@with_checks(s_mean=a_real(0, 1e6, open_low=True))
def normalise_inputs(s, s_mean):
    """Rescale every tectal cell's input weights so that their mean is ``s_mean``:
    ``s_ij ← s_mean · s_ij / mean_i s_ij``.
    ``s`` is ``(..., R, T)``; returns a new array."""
    return _normalise(_check_weights(s), s_mean)


@with_checks(params=_map_params, rng=a_generator)
def initial_map_weights(params, rng):
    """Initial weights ``s`` (``(R, T)``, R = T = ``size²``): ``N(s_mean, s_sd)``, the polarity
    markers' weights times ``marker_strength``, then normalised."""
    n = params.size ** 2
    s = rng.normal(params.s_mean, params.s_sd, (n, n))
    markers = marker_cells(params.size)
    # central retinal cell → tectal cell at the same position
    s[markers, markers] *= params.marker_strength
    return _normalise(s, params.s_mean)


#: How :func:`train_maps` trains and :func:`relax_tectum` relaxes: a compiled loop, or numpy step
#: by step (slower; the same maps to the last bit).
MAP_ENGINES = ("compiled", "readable")


def _relax(drive, e, params):
    """:func:`relax_tectum` of arrays already checked and packed: ``drive`` ``(B, T)``, ``e`` ``(B,
    T, T)``, both C-contiguous float64 (what the training loop makes)."""
    H, steps = np.zeros_like(drive), np.zeros(len(drive), dtype=np.int64)
    capped = np.zeros(len(drive), dtype=bool)
    relax_tecta(drive, e, float(params.alpha), float(params.theta), float(params.max_activity),
                float(params.tol), params.max_steps, H, steps, capped)
    return H, steps, capped


def _relax_readable(drive, e, params):
    """As :func:`_relax`, one tectum after another, step by step in numpy: the readable twin of
    the compiled ``kernels.relax_tecta`` (the same results to the last bit)."""
    H, steps = np.zeros_like(drive), np.zeros(len(drive), dtype=np.int64)
    capped = np.zeros(len(drive), dtype=bool)
    alpha, tol = float(params.alpha), float(params.tol)
    for b in range(len(drive)):
        steps[b], capped[b] = params.max_steps, True
        for step in range(1, params.max_steps + 1):
            H_star = _output(H[b], params)
            lateral = np.zeros_like(H_star)
            for k in np.flatnonzero(H_star > 0.0):  # Σ_k e_jk H*_k: silent cells skipped
                lateral += e[b, :, k] * H_star[k]
            # dH_j/dt = −α H_j + Σ_i s_ij A_i + Σ_k e_jk H*_k, Euler steps of dt = 1
            dH = -alpha * H[b] + drive[b] + lateral
            H[b] += dH
            if np.abs(dH).max() <= tol:
                steps[b], capped[b] = step, False
                break
    return H, steps, capped


_RELAXERS = {"compiled": _relax, "readable": _relax_readable}


@with_checks(params=_map_params, drive=an_array(), e=an_array(), engine=one_of(*MAP_ENGINES))
def relax_tectum(drive, e, params, engine="compiled"):
    """Tectal activity at stationarity for the retinal input ``drive_j = Σ_i s_ij A_i``.

    drive : ``(T,)`` or ``(B, T)``, T = ``params.size²``, B <= 256; e : lateral weights ``(T, T)``
    or ``(B, T, T)`` (:func:`lateral_connections`). Returns ``(H, steps, capped)``: the activity,
    the Euler steps taken, and whether ``params.max_steps`` was reached first (shapes
    ``drive.shape``, ``drive.shape[:-1]``, ``drive.shape[:-1]``). ``engine``: ``"compiled"`` (a
    compiled loop) or ``"readable"`` (numpy, step by step: slower, the same results to the last
    bit).
    """
    T = params.size ** 2
    drive2 = np.array(drive, dtype=np.float64, ndmin=2)
    if np.ndim(drive) not in (1,
                              2) or drive2.shape[1:] != (T,) or not 1 <= len(drive2) <= _MAX_MAPS:
        fail("drive", as_shown(drive, drive2),
             f"an array of shape ({T},) or (B, {T}), 1 <= B <= {_MAX_MAPS}")
    if np.shape(e) not in ((T, T), (len(drive2), T, T)):
        fail("e", f"an array of shape {np.shape(e)}",
             f"shape ({T}, {T}) or ({len(drive2)}, {T}, {T})")
    # a writable copy
    e3 = np.array(np.broadcast_to(np.asarray(e, dtype=np.float64), (len(drive2), T, T)))
    H, steps, capped = _RELAXERS[engine](drive2, e3, params)
    return (H[0], steps[0], capped[0]) if np.ndim(drive) == 1 else (H, steps, capped)


def _output(H, params):
    return np.clip(H - params.theta, 0.0, params.max_activity)


@with_checks(H=an_array(), params=_map_params)
def output_activity(H, params):
    """``H* = min(max(H − θ, 0), max_activity)``: what a tectal cell sends to its neighbours and to
    learning."""
    return _output(H, params)


@with_checks(params=_map_params)
def tectal_response(s, cells, params):
    """``H*`` of every tectal cell at stationarity when the retinal ``cells`` (e.g. a neighbouring
    pair) are active, with weights ``s`` (``(R, T)``): ``(T,)``."""
    n = params.size ** 2
    s = _check_weights(s, n)
    cells = check_array("cells", cells, 1, 0, n - 1, "iu").astype(np.intp)
    e = lateral_connections(params.size, params.lateral_excitation, params.lateral_inhibition)
    return output_activity(relax_tectum(s[cells].sum(axis=0), e, params)[0], params)


@dataclass
class MapRun:
    """One trained map.

    s : final weights ``(R, T)``; history : weights ``(K, R, T)`` after ``history_at``
    presentations (``None`` unless asked for); active : tectal cells with ``H* > 0`` at each
    presentation; steps : relaxation steps at each presentation; capped : presentations whose
    relaxation reached ``max_steps``.
    """

    params: MapParams
    seed: int
    s: np.ndarray
    history: np.ndarray | None
    history_at: np.ndarray | None
    active: np.ndarray
    steps: np.ndarray
    capped: int

    @property
    def centres(self):
        """Receptive-field centres of the final map (:func:`receptive_field_centres`)."""
        return receptive_field_centres(self.s, self.params.size)


def _check_runs(runs):
    """Refuse ``runs`` unless it is a list of 1 … 256 pairs ``(MapParams, seed)`` that differ at
    most in their lateral strengths."""
    allowed = f"a list of 1 to {_MAX_MAPS} pairs (MapParams, seed)"
    if not isinstance(runs, (list, tuple)) or not 1 <= len(runs) <= _MAX_MAPS:
        fail("runs",
             f"{len(runs)} runs" if isinstance(runs, (list, tuple)) else as_shown(runs), allowed)
    for r, run in enumerate(runs):
        if not isinstance(run,
                          (list, tuple)) or len(run) != 2 or not isinstance(run[0], MapParams):
            fail(f"runs[{r}]", as_shown(run), allowed)
        _a_seed(f"runs[{r}][1]", run[1])
    common = replace(runs[0][0], lateral_excitation=1.0, lateral_inhibition=1.0)
    for p, _ in runs:
        if replace(p, lateral_excitation=1.0, lateral_inhibition=1.0) != common:
            fail("runs", p,
                 f"parameters that differ from {runs[0][0]} only in their lateral strengths")


def _train_readable(s, e, pairs, stimuli, start, stop, params, active, steps, capped):
    """Presentations ``start … stop − 1`` of every map in ``s`` (B, R, T), in place, step by step:
    the readable twin of the compiled ``kernels.train_tecta`` (the same results to the last
    bit)."""
    b = np.arange(len(s))
    for t in range(start, stop):
        A = pairs[stimuli[:, t]]  # the two active retinal cells of each run, A_i = 1
        drive = s[b, A[:, 0]] + s[b, A[:, 1]]  # Σ_i s_ij A_i
        # the compiled relaxation, which test_maps.py holds to its readable twin,
        # _relax_readable, to the last bit (that twin here would make this loop far slower)
        H, steps[:, t], stuck = _relax(drive, e, params)
        H_star = _output(H, params)
        # Δs_ij = h A_i H*_j if H*_j > ε
        growth = params.h * np.where(H_star > params.epsilon_mod, H_star, 0.0)
        s[b, A[:, 0]] += growth
        s[b, A[:, 1]] += growth
        s[...] = _normalise(s, params.s_mean)  # mean_i s_ij = s_mean for every tectal cell j
        active[:, t] = (H_star > 0).sum(axis=-1)
        capped += stuck


def _train_compiled(s, e, pairs, stimuli, start, stop, params, active, steps, capped):
    """As :func:`_train_readable`, by the compiled loop (``kernels.train_tecta``), one map after
    another (in two threads for many maps: ``hebblab.engine.in_two_threads``)."""
    def train(part):
        train_tecta(s[part], e[part], pairs, stimuli[part], start, stop, float(params.h),
                    float(params.epsilon_mod),
                    float(params.s_mean), float(params.alpha), float(params.theta),
                    float(params.max_activity),
                    float(params.tol), params.max_steps, active[part], steps[part], capped[part])
    in_two_threads(len(s), train)


_TRAINERS = {"compiled": _train_compiled, "readable": _train_readable}


@with_checks(record_every=_a_record_every, engine=one_of(*MAP_ENGINES))
def train_maps(runs, record_every=0, engine="compiled"):
    """Train several maps at once: ``runs`` is a list of ``(MapParams, seed)`` whose parameters
    differ at most in their lateral strengths. Returns a list of :class:`MapRun`, in order.

    Each run draws everything from ``numpy.random.default_rng(seed)``: its initial weights, then
    its ``presentations`` stimuli. So one seed gives the same start and the same stimuli at every
    lateral strength, and the same result alone or in any batch. ``record_every`` (> 0) keeps the
    weights every that many presentations, and at the end. At most 256 maps, 2·10⁷ presentations
    and 1 GiB of recorded weights at once. ``engine``: ``"compiled"`` (a compiled loop) or
    ``"readable"`` (numpy, step by step); the same maps.
    """
    _check_runs(runs)
    params = runs[0][0]
    _check_batch(len(runs), params, record_every, "runs")
    pairs, B, presentations = np.ascontiguousarray(neighbour_pairs(params.size),
                                                   dtype=np.int64), len(runs), \
        params.presentations
    s, stimuli = [], []
    for p, seed in runs:
        rng = np.random.default_rng(seed)
        s.append(initial_map_weights(p, rng))
        stimuli.append(rng.integers(len(pairs), size=presentations))
    s = np.array(s, dtype=np.float64)
    stimuli = np.array(stimuli, dtype=np.int64).reshape(B, presentations)
    e = np.array([lateral_connections(p.size, p.lateral_excitation,
                                      p.lateral_inhibition) for p, _ in runs],
                 dtype=np.float64)
    active, steps = np.zeros((B, presentations),
                             dtype=np.int64), np.zeros((B, presentations), dtype=np.int64)
    capped, history, history_at, start = np.zeros(B, dtype=np.int64), [], [], 0
    for stop in sorted({*range(0, presentations, record_every or presentations + 1),
                        presentations}):
        _TRAINERS[engine](s, e, pairs, stimuli, start, stop, params, active, steps, capped)
        start = stop
        if record_every:  # the weights every record_every presentations, and at the end
            history.append(s.copy())
            history_at.append(stop)
    history = np.array(history).swapaxes(0, 1) if history else [None] * B
    return [MapRun(p, seed, s[r], history[r], np.array(history_at) if record_every else None,
                   active[r], steps[r], int(capped[r])) for r, (p, seed) in enumerate(runs)]


@with_checks(params=or_none(_map_params), seed=_a_seed, record_every=_a_record_every)
def train_map(params=None, seed=0, record_every=0):
    """Train one map (defaults: the reference parameters) from ``seed``; see :func:`train_maps`.
    Returns a :class:`MapRun`."""
    return train_maps([(params or MapParams(), seed)], record_every)[0]


# ── Measures of map quality (all from the receptive-field centres) ───────────────────────────────


@with_checks(size=_a_size)
def receptive_field_centres(s, size):
    """Centre of each tectal cell's receptive field: the mean retinal position weighted by its
    input weights, ``c_j = Σ_i s_ij x_i / Σ_i s_ij``. ``s`` is ``(R, T)``; returns ``(T, 2)`` (row,
    col) in retinal units."""
    s = _check_weights(s, size * size)
    return (s.T @ sheet_positions(size)) / s.sum(axis=0)[:, None]


@with_checks(size=_a_size)
def map_correlation(centres, size):
    """Pearson's r between tectal position and receptive-field centre, row with row and column with
    column, averaged over the two axes. 1: a perfect map in the orientation the markers ask for; 0:
    no order; −1: reversed. A sheet axis whose centres do not vary at all counts as r = 0."""
    centres = _check_centres(centres, size)
    x = sheet_positions(size) - sheet_positions(size).mean(axis=0)
    c = centres - centres.mean(axis=0)
    norm = np.sqrt((x ** 2).sum(axis=0) * (c ** 2).sum(axis=0))
    r = np.divide((x * c).sum(axis=0), norm, out=np.zeros(2), where=norm > 0)
    return float(r.mean())


@with_checks(size=_a_size)
def neighbour_distance(centres, size):
    """Mean retinal distance between the receptive-field centres of tectal neighbours (Manhattan
    distance 1). 1 on a perfect map (the grid spacing); below 1: neighbours see nearly the same
    place (a compressed or collapsed map); above 1: the map is torn or scrambled (a shuffled 6×6
    map gives about 3)."""
    centres = _check_centres(centres, size)
    pairs = neighbour_pairs(size)
    return float(np.linalg.norm(centres[pairs[:, 0]] - centres[pairs[:, 1]], axis=1).mean())


@with_checks(size=_a_size)
def topographic_error(centres, size):
    """Fraction of retinal positions whose two nearest receptive-field centres belong to tectal
    cells that do not touch (Chebyshev distance > 1), after Kiviluoto (1996). 0 on a perfect map;
    ties go to the lower index."""
    centres = _check_centres(centres, size)
    d = np.linalg.norm(sheet_positions(size)[:, None, :] - centres[None, :, :], axis=-1)
    first, second = np.argsort(d, axis=1, kind="stable")[:, :2].T
    return float(np.mean(sheet_distances(size, "chebyshev")[first, second] > 1))


@with_checks(size=_a_size)
def map_quality(s, size):
    """The three measures of the map with weights ``s``: a dict ``correlation``,
    ``neighbour_distance``, ``topographic_error``."""
    centres = receptive_field_centres(s, size)
    return {"correlation": map_correlation(centres, size),
            "neighbour_distance": neighbour_distance(centres, size),
            "topographic_error": topographic_error(centres, size)}


# ── The E/I sweep and its statistics ─────────────────────────────────────────────────────────────

#: One row per trained map.
MAP_COLUMNS = ["lateral_excitation", "lateral_inhibition", "seed", "size", "presentations",
               "correlation", "neighbour_distance", "topographic_error", "active_cells",
               "relaxation_steps", "relaxation_capped"]


def _a_list(low, high, kinds="iuf"):
    """A rule: a non-empty list (or 1-d array) of numbers in ``[low, high]``."""
    def rule(name, value):
        if len(check_array(name, value, 1, low, high, kinds)) == 0:
            fail(name, as_shown(value), f"a non-empty list of numbers in [{low}, {high}]")
    return rule


@with_checks(lateral_excitation=_a_list(0, 10), lateral_inhibition=_a_list(0, 10),
             seeds=_a_list(0, 2**63 - 1, "iu"),
          params=or_none(_map_params), chunk_size=an_int(1, _MAX_MAPS), progress=check_bool)
def map_sweep(lateral_excitation=(1.0,), lateral_inhibition=(1.0,), seeds=range(10), params=None,
              chunk_size=64, progress=False):
    """Train a map for every lateral excitation × lateral inhibition × seed; returns a DataFrame
    with one row per run and the columns :data:`MAP_COLUMNS`.

    ``active_cells`` is the mean number of tectal cells with ``H* > 0`` over the last tenth of
    training; ``relaxation_steps`` the mean steps to stationarity; ``relaxation_capped`` the
    relaxations that hit ``max_steps``. Runs are trained ``chunk_size`` (at most 256) at a time;
    ``progress=True`` shows a progress bar. A sweep has at most 10⁵ maps.
    """
    params = params or MapParams()
    seeds = list(seeds)
    maps = len(lateral_excitation) * len(lateral_inhibition) * len(seeds)
    if maps > _MAX_SWEEP_MAPS:
        fail("lateral_excitation × lateral_inhibition × seeds", f"{maps} maps",
             f"at most {_MAX_SWEEP_MAPS:,} maps")
    _check_batch(min(chunk_size, maps), params, 0, "chunk_size")
    runs = [(replace(params, lateral_excitation=float(x), lateral_inhibition=float(i)), seed)
            for x in lateral_excitation for i in lateral_inhibition for seed in seeds]
    rows = []
    with progress_bar(len(runs), "map", show=progress) as bar:
        for start in range(0, len(runs), chunk_size):
            for run in train_maps(runs[start:start + chunk_size]):
                last = run.active[-max(len(run.active) // 10,
                                       1):] if len(run.active) else np.zeros(1)
                rows.append({"lateral_excitation": run.params.lateral_excitation,
                             "lateral_inhibition": run.params.lateral_inhibition, "seed": run.seed,
                             "size": params.size, "presentations": params.presentations,
                             **map_quality(run.s, params.size), "active_cells": float(last.mean()),
                             "relaxation_steps": (float(run.steps.mean()) if len(run.steps)
                                                  else 0.0),
                             "relaxation_capped": run.capped})
            bar.update(min(chunk_size, len(runs) - start))
    return pd.DataFrame(rows, columns=MAP_COLUMNS)


MAX_BOOTSTRAP_VALUES = 10**8  # values × resamples of one bootstrap (0.8 GB of draws)


@with_checks(confidence=a_real(0, 1, open_low=True), seed=_a_seed)
def bootstrap_interval(values, confidence=0.95, resamples=2000, seed=0):
    """Percentile bootstrap interval of the mean of ``values``: ``(low, high)``, drawn from
    ``default_rng(seed)``."""
    values = check_array("values", values, 1)
    check_int("len(values)", len(values), 1, MAX_BOOTSTRAP_VALUES)
    check_int("resamples", resamples, 1, MAX_BOOTSTRAP_VALUES // len(values))
    draws = np.random.default_rng(seed).integers(len(values), size=(resamples, len(values)))
    means = values[draws].mean(axis=1)
    low, high = np.quantile(means, [(1 - confidence) / 2, (1 + confidence) / 2])
    return float(low), float(high)


@with_checks(by=one_of(*MAP_COLUMNS[:5]), measure=one_of(*MAP_COLUMNS[5:]),
             confidence=a_real(0, 1, open_low=True))
def summarise_maps(table, by, measure="correlation", confidence=0.95):
    """Mean of ``measure`` over seeds for each value of ``by`` (a column of the runs' parameters,
    e.g. ``"lateral_inhibition"``), with its bootstrap interval: a DataFrame with the columns
    ``by``, ``n`` (runs), ``mean``, ``low``, ``high``. ``table`` is from :func:`map_sweep`."""
    a_table(by, measure)("table", table)
    rows = []
    for value, group in table.groupby(by, sort=True):
        low, high = bootstrap_interval(group[measure], confidence)
        rows.append({by: value, "n": len(group), "mean": float(group[measure].mean()), "low": low,
                     "high": high})
    return pd.DataFrame(rows)


# ── Is the map still changing? ───────────────────────────────────────────────────────────────────

#: One row per recorded snapshot of a map (:func:`map_history`): its run's parameters, the
#: presentations so far, and the three measures.
HISTORY_COLUMNS = MAP_COLUMNS[:8]


def _recorded_runs(name, runs):
    """Refuse ``runs`` unless it is a non-empty list of :class:`MapRun` that kept their history."""
    allowed = ("a non-empty list of MapRun trained with record_every > 0, e.g. train_maps(runs, "
               "record_every=1000)")
    if not isinstance(runs, (list, tuple)) or not 1 <= len(runs) <= _MAX_SWEEP_MAPS:
        fail(name,
             f"{len(runs)} runs" if isinstance(runs, (list, tuple)) else as_shown(runs), allowed)
    for r, run in enumerate(runs):
        if not isinstance(run, MapRun) or run.history is None:
            fail(f"{name}[{r}]", as_shown(run), allowed)


@with_checks(runs=_recorded_runs)
def map_history(runs):
    """The measures of :func:`map_quality` at every snapshot of ``runs`` (:class:`MapRun` trained
    with ``record_every > 0``): a DataFrame with one row per run and snapshot and the columns
    :data:`HISTORY_COLUMNS`, where ``presentations`` counts the presentations before that
    snapshot."""
    rows = [{"lateral_excitation": run.params.lateral_excitation,
             "lateral_inhibition": run.params.lateral_inhibition,
             "seed": run.seed, "size": run.params.size, "presentations": int(at),
             **map_quality(s, run.params.size)}
            for run in runs for at, s in zip(run.history_at, run.history)]
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)


@with_checks(since=an_int(0, _MAX_PRESENTATIONS), measure=one_of(*HISTORY_COLUMNS[5:]),
             tolerance=a_real(0, 10),
          confidence=a_real(0, 1, open_low=True))
def map_drift(history, since, measure="correlation", tolerance=0.02, confidence=0.95):
    """How much the maps of each setting still change after ``since`` presentations. ``history`` is
    from :func:`map_history`; ``since`` must be one of its snapshots, before the last.

    For each setting (lateral excitation × lateral inhibition): ``n`` seeds, the mean of
    ``measure`` at ``since`` (``at_since``) and at the last snapshot (``at_last``, after ``last``
    presentations), the mean change of each seed's map between the two (``change``) with its
    bootstrap interval (``low``, ``high``), and ``stationary``: whether ``|change| < tolerance``.
    Returns a DataFrame with one row per setting."""
    a_table("lateral_excitation", "lateral_inhibition", "seed", "presentations",
            measure)("history", history)
    rows = []
    for (excitation, inhibition), group in history.groupby(["lateral_excitation",
                                                            "lateral_inhibition"], sort=True):
        last = int(group["presentations"].max())
        if since not in set(group["presentations"]) or since >= last:
            fail("since", since,
                 f"a snapshot before the last ({last}) of every setting, e.g. {last // 2}")
        at = group.pivot_table(index="seed", columns="presentations",
                               values=measure)[[since, last]].dropna()
        change = (at[last] - at[since]).to_numpy()
        low, high = bootstrap_interval(change, confidence)
        rows.append({"lateral_excitation": excitation, "lateral_inhibition": inhibition,
                     "n": len(at), "since": since, "last": last,
                     "at_since": float(at[since].mean()),
                     "at_last": float(at[last].mean()), "change": float(change.mean()), "low": low,
                     "high": high, "stationary": bool(abs(change.mean()) < tolerance)})
    return pd.DataFrame(rows)


# ═════════════════════════════════════════════════════════════════════════════════════════════════
# 6. Plots
# ═════════════════════════════════════════════════════════════════════════════════════════════════
# Every plot function takes data (and, optionally, the axes to draw on) and returns the figure;
# none calls plt.show(). matplotlib is imported inside them so that `import hebb_core` stays fast
# for the command line.
