"""The checks of arguments: every public function of the course refuses a wrong value before any
work starts, with a ``ValueError`` (or ``TypeError``) that names the argument, its value and what
is allowed.

``with_checks(**rules)`` decorates a function with one rule per argument (``a_real``, ``an_int``,
``one_of``, ``an_array``, ``an_instance``, ``or_none``, …) and, optionally, a relation between
them: the declaration of what the function accepts. The declaration stays readable on the function
(``function.rules``, ``function.relation``), and each rule says what it allows (``rule.allowed``,
an :class:`Allowed`), so that tests can try values just outside it. Every call is checked, wherever
it comes from (a learner's own function handed to the course included). This module imports
nothing of the course (``hebb_core`` imports it), so it stays a leaf of the imports.
"""

import dataclasses
import functools
import inspect
import math

import numpy as np

# The largest network and training the course accepts (far beyond what it needs), checked before
# any work starts:
MAX_LAYERS = 10
MAX_NEURONS = 256  # N, and M per hidden layer
MAX_EPOCHS = 1_000_000
MAX_NUMBERS = 10**7  # the most numbers an array of :func:`non_empty_numbers` may hold


def fail(name, value, allowed):
    raise ValueError(f"{name}={value!r} is not allowed: {allowed}")


def as_shown(value, array=None):
    """``value`` as a message shows it: itself if small, else its shape."""
    if array is None or array.dtype == object:
        return value if len(repr(value)) <= 200 else repr(value)[:100] + "…"
    return array.tolist() if array.size <= 24 else f"an array of shape {array.shape}"


def check_int(name, value, low, high=None):
    """Raise ``ValueError`` unless ``value`` is an integer in ``[low, high]``."""
    allowed = f"an integer >= {low}" if high is None else f"an integer in [{low}, {high}]"
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        fail(name, value, allowed)
    if value < low or (high is not None and value > high):
        fail(name, value, allowed)


def check_choice(name, value, choices):
    """Raise ``ValueError`` unless ``value`` is one of ``choices`` (a value of the same type, e.g.
    a string)."""
    if not any(isinstance(value, type(choice)) and value == choice for choice in choices):
        fail(name, value, "one of " + ", ".join(repr(c) for c in choices))


def check_bool(name, value):
    """Raise ``ValueError`` unless ``value`` is ``True`` or ``False`` (not a string such as
    ``"False"``)."""
    if not isinstance(value, (bool, np.bool_)):
        fail(name, value, "True or False")


def check_real(name, value, low, high=None, open_low=False, open_high=False):
    """Raise ``ValueError`` unless ``value`` is a finite number in ``[low, high]``
    (``(low, high]``: ``open_low``; ``[low, high)``: ``open_high``; no upper bound:
    ``high=None``)."""
    allowed = (f"a number in {'(' if open_low else '['}{low}, "
               f"{'∞)' if high is None else f'{high}' + (')' if open_high else ']')}")
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not math.isfinite(value):
        fail(name, value, allowed)
    if (value <= low if open_low else value < low) \
            or (high is not None and (value >= high if open_high else value > high)):
        fail(name, value, allowed)


def as_numbers(name, value, shape, allowed, kinds="iuf"):
    """``value`` as an array of real numbers (``kinds``: numpy's dtype kinds; ``"iu"``: integers)
    of ``shape`` (``None``: any); else ``ValueError`` naming ``name`` and ``allowed`` (a text, or
    a function that makes it, called only then)."""
    try:
        array = (None if isinstance(value, (str, bytes, dict, set)) or value is None
                 else np.asarray(value))
    except (ValueError, TypeError):  # ragged or not numbers
        array = None
    if (array is None or array.dtype.kind not in kinds
            or (shape is not None and array.shape != tuple(shape))):
        fail(name, as_shown(value, array), allowed() if callable(allowed) else allowed)
    return array


def check_array(name, value, shape=None, low=-math.inf, high=math.inf, kinds="iuf"):
    """``value`` as a float array of finite numbers in ``[low, high]`` (and of ``shape``: a tuple,
    ``None`` for any, or an int for a number of axes); else ``ValueError`` naming ``name``, its
    value and what is allowed."""
    def allowed():  # the text, made only for a message: checks run at every call
        return f"finite numbers in [{low}, {high}]" + (
            f" of shape {shape}" if isinstance(shape, tuple) else
            f", {shape}-dimensional" if shape is not None else "")

    array = as_numbers(name, value, shape if isinstance(shape, tuple) else None, allowed, kinds)
    if isinstance(shape, int) and array.ndim != shape:
        fail(name, as_shown(value, array), allowed())
    if array.size:  # NaN is its own least and greatest, and fails both tests
        least, greatest = float(array.min()), float(array.max())
        if not (low <= least and greatest <= high and math.isfinite(least)
                and math.isfinite(greatest)):
            fail(name, as_shown(value, array), allowed())
    return array.astype(np.float64, copy=False)


def first_bad(name, bad, array, allowed):
    """Raise ``ValueError`` naming the first row ``name[i, …]`` where ``bad`` (a boolean array)
    holds, if any."""
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        where = f"[{', '.join(map(str, index))}]" if index else ""
        fail(name + where, array[index].tolist(), allowed)


def check_matrices(weights, shapes, signs=None):
    """``weights`` as float arrays of ``shapes``, every weight in ``[-1, 1]``; ``signs``: one per
    matrix, ``1``: every weight ``>= 0`` (excitatory synapses), ``-1``: ``<= 0`` (inhibitory),
    ``0``: either."""
    if (isinstance(weights, (str, bytes, dict)) or not hasattr(weights, "__len__")
            or len(weights) != len(shapes)):
        shown = f"{len(weights)} matrices" if isinstance(weights, (list, tuple)) else weights
        fail("weights", shown, f"a list of {len(shapes)} matrices of shapes {shapes}")
    arrays = []
    for layer, (W, shape) in enumerate(zip(weights, shapes)):
        W = np.array(as_numbers(f"weights[{layer}]", W, None,
                                f"an array of numbers of shape {shape}"), np.float64)
        if W.shape != shape:
            fail(f"weights[{layer}]", f"shape {W.shape}", f"shape {shape}")
        if not (np.abs(W) <= 1).all():
            fail(f"weights[{layer}]", f"max |w| = {np.abs(W).max()}",
                 "every weight finite and in [-1, 1]")
        if signs and signs[layer] and (W * signs[layer] < 0).any():
            fail(f"weights[{layer}]", "a weight on the wrong side of 0",
                  "excitatory matrices >= 0 and inhibitory ones <= 0 (edges='dual')")
        arrays.append(W)
    return arrays


def plain_numbers(record, **kinds):
    """Store the fields of a frozen ``record`` named in ``kinds`` as plain Python numbers
    (``kind(value)``; ``None`` stays), so that every caller gets one compiled signature."""
    for name, kind in kinds.items():
        if getattr(record, name) is not None:
            object.__setattr__(record, name, kind(getattr(record, name)))


@dataclasses.dataclass(frozen=True)
class Allowed:
    """What a rule allows, as data: ``kind`` (``"int"``, ``"real"``, ``"choice"``, ``"array"``,
    ``"instance"``, ``"bool"``, ``"function"``, ``"generator"``, ``"shape"``, ``"name"``,
    ``"executor"``, ``"sizes"``, ``"states"``), the range ``[low, high]`` of a number or of an
    array's numbers (``(low, high]``: ``open_low``, ``[low, high)``: ``open_high``; ``high=None``:
    no upper bound), the ``choices`` of ``one_of``, the ``shape`` (a tuple, a number of axes or
    ``None``) and dtype ``kinds`` of an array (``vector``: at least one axis, the last one not
    empty), the ``type`` of an instance, and ``none``: ``None`` is allowed too."""

    kind: str
    low: float | None = None
    high: float | None = None
    open_low: bool = False
    open_high: bool = False
    choices: tuple = ()
    shape: object = None
    kinds: str = "iuf"
    vector: bool = False
    type: object = None
    none: bool = False


def described(rule, allowed):
    """``rule`` (a function ``rule(name, value)``), saying what it allows:
    ``rule.allowed = allowed``."""
    rule.allowed = allowed
    return rule


def allowed_by(rule):
    """What ``rule`` allows (an :class:`Allowed`), or ``None`` for a rule that does not say (a
    function of its own, not made with :func:`described`)."""
    return getattr(rule, "allowed", None)


def with_checks(relation=None, /, **rules):
    """Check the arguments named in ``rules`` at every call, before the decorated function runs:
    each ``rule(name, value)`` raises ``ValueError`` naming the argument, its value and what is
    allowed (the rules are the ``_a_*`` below), then ``relation(arguments)`` checks how the
    arguments fit together (given as a dict, defaults included). The decorated function keeps its
    declaration: ``rules`` (a dict, argument -> rule) and ``relation``."""
    def decorate(function):
        signature = inspect.signature(function)
        names = tuple(signature.parameters)
        defaults = {name: p.default for name, p in signature.parameters.items()
                    if p.default is not p.empty}
        plain = all(p.kind == p.POSITIONAL_OR_KEYWORD for p in signature.parameters.values())
        known, required = set(names), [name for name in names if name not in defaults]

        def given(args, kwargs):
            """The arguments given, by name (``Signature.bind``'s result, found faster)."""
            if plain and len(args) <= len(names):
                arguments = dict(zip(names, args))
                if not kwargs or (not arguments.keys() & kwargs.keys()
                                  and kwargs.keys() <= known):
                    arguments.update(kwargs)
                    if all(name in arguments for name in required):
                        return arguments
            # TypeError for a missing or unknown argument:
            return signature.bind(*args, **kwargs).arguments

        @functools.wraps(function)
        def function_with_checks(*args, **kwargs):
            arguments = given(args, kwargs)
            for name, rule in rules.items():
                if name in arguments:
                    rule(name, arguments[name])
            if relation is not None:
                relation({**defaults, **arguments})
            return function(*args, **kwargs)
        function_with_checks.rules = dict(rules)
        function_with_checks.relation = relation
        return function_with_checks
    return decorate


def a_real(low=-1e6, high=1e6, open_low=False, open_high=False):
    return described(lambda name, value: check_real(name, value, low, high, open_low, open_high),
                     Allowed("real", low, high, open_low, open_high))


def an_int(low, high=None):
    return described(lambda name, value: check_int(name, value, low, high),
                     Allowed("int", low, high))


def one_of(*choices):
    return described(lambda name, value: check_choice(name, value, choices),
                     Allowed("choice", choices=choices))


def an_array(shape=None, low=-1e6, high=1e6, kinds="iuf", vector=False):
    """Numbers of ``shape`` (see :func:`check_array`); ``vector``: at least one axis, the last one
    not empty."""
    def rule(name, value):
        array = check_array(name, value, shape, low, high, kinds)
        if vector and (array.ndim == 0 or array.shape[-1] == 0):
            fail(name, as_shown(value, array), "an array of shape (..., n) with n >= 1")
    return described(rule, Allowed("array", low, high, shape=shape, kinds=kinds, vector=vector))


def an_instance(kind, allowed):
    return described(lambda name, value: (isinstance(value, kind)
                                          or fail(name, as_shown(value), allowed)),
                     Allowed("instance", type=kind))


def non_empty_numbers(axes=None, low=-1e6, open_low=False):
    """A rule: finite numbers in ``[low, 1e6]`` (``(low, 1e6]``: ``open_low``) with ``axes`` axes
    (``None``: at least one), no axis empty, at most :data:`MAX_NUMBERS` of them."""
    dimensional = "at least 1-dimensional" if axes is None else f"{axes}-dimensional"
    allowed = (f"finite numbers in {'(' if open_low else '['}{low}, 1000000.0], {dimensional}, "
               f"no axis empty, at most {MAX_NUMBERS:,} of them")

    def rule(name, value):
        array = check_array(name, value, axes, low, 1e6)
        if array.ndim == 0 or 0 in array.shape or array.size > MAX_NUMBERS \
                or open_low and np.any(array <= low):
            fail(name, as_shown(value, array), allowed)
    return described(rule, Allowed("array", low, 1e6, shape=axes, vector=True))


def non_negative_inputs(axes):
    """A rule: :func:`non_empty_numbers` ``>= 0`` whose last axis (an input, or each row of inputs)
    has a positive sum."""
    inner = non_empty_numbers(axes, low=0)

    def rule(name, value):
        inner(name, value)
        if np.any(np.sum(value, axis=-1) <= 0):
            fail(name, as_shown(value, np.asarray(value)),
                 "non-negative numbers, each input (row) with a positive sum")
    return described(rule, allowed_by(inner))


def an_axes(name, value):
    """A rule: a matplotlib ``Axes`` to draw on (matplotlib is imported only to check it)."""
    from matplotlib.axes import Axes

    if not isinstance(value, Axes):
        fail(name, as_shown(value), "a matplotlib Axes, e.g. from plt.subplots()")


def or_none(rule):
    inner = allowed_by(rule)
    return described(lambda name, value: value is None or rule(name, value),
                inner and dataclasses.replace(inner, none=True))


def a_function(name, value):
    if not callable(value):
        fail(name, as_shown(value), "a function")


def a_generator(name, value):
    # np.random looked up here: numpy.random loads only when first needed
    if not isinstance(value, np.random.Generator):
        fail(name, as_shown(value), "a numpy.random.Generator, e.g. np.random.default_rng(0)")


def a_shape(name, value):
    """Leading axes of a batch: a tuple of integers >= 0, e.g. ``()`` or ``(B,)``."""
    if not isinstance(value, tuple) or not all(isinstance(n, (int, np.integer)) and n >= 0
                                               for n in value):
        fail(name, as_shown(value), "a tuple of integers >= 0, e.g. () or (4,)")


def a_name(name, value):
    if not isinstance(value, str):
        fail(name, as_shown(value), "a string")


def an_executor(name, value):
    if value is not None and not callable(getattr(value, "submit", None)):
        fail(name, as_shown(value),
             "None or a concurrent.futures.Executor, e.g. ProcessPoolExecutor()")


def a_sizes(name, value):
    """Neurons per layer, input first, e.g. ``(3, 3, 3)``: 2 to ``MAX_LAYERS`` integers in
    [1, ``MAX_NEURONS``]."""
    sizes = check_array(name, value, 1, 1, MAX_NEURONS, "iu")
    if not 2 <= len(sizes) <= MAX_LAYERS:
        fail(name, as_shown(value, sizes), f"2 to {MAX_LAYERS} layer sizes")


def layer_states(name, value):
    """One state vector per layer: a list of 2 to ``MAX_LAYERS`` 1-D float arrays of 1 to
    ``MAX_NEURONS`` states."""
    allowed = (f"a list of 2 to {MAX_LAYERS} float arrays, one per layer, "
               f"of 1 to {MAX_NEURONS} finite states")
    if not isinstance(value, list) or not 2 <= len(value) <= MAX_LAYERS:
        fail(name, as_shown(value), allowed)
    for layer, S in enumerate(value):
        if not isinstance(S, np.ndarray) or S.dtype != np.float64 or S.ndim != 1 \
                or not 1 <= len(S) <= MAX_NEURONS or not np.isfinite(S).all():
            fail(f"{name}[{layer}]", as_shown(S), allowed)


def one_per(name, of, count, axis=-1):
    """A relation's part: ``name`` has ``count`` entries along ``axis``, one per ``of``."""
    def check(arguments):
        shape = np.shape(arguments[name])
        if shape[axis] != count(arguments):
            fail(name, f"an array of shape {shape}",
                 f"{count(arguments)} {'columns' if axis == -1 else 'rows'}, one per {of}")
    return check


def all_of(*parts):
    """A relation made of ``parts``, checked in order."""
    def relation(arguments):
        for part in parts:
            part(arguments)
    return relation


def length(name, axis=-1):
    """The length of the argument ``name`` along ``axis``, from the arguments."""
    return lambda arguments: np.shape(arguments[name])[axis]


def typed_layers(arguments):
    """The relation of ``split_layers`` and ``allotment_string``: one value per typed neuron
    (``sizes[:-1]``)."""
    vector, sizes = arguments.get("vector", arguments.get("types")), arguments["sizes"]
    if np.shape(vector)[-1:] != (sum(sizes[:-1]),):
        fail("vector" if "vector" in arguments else "types", as_shown(vector),
              f"shape (..., {sum(sizes[:-1])}): one value per typed neuron "
              f"of layers of sizes {tuple(sizes)}")


def synaptic_fields(arguments):
    """The relation of ``synaptic_input``: ``S`` of shape ``(..., n_pre)``, ``W`` of shape
    ``(..., n_pre, n_post)``."""
    S, W = np.shape(arguments["S"]), np.shape(arguments["W"])
    if len(W) < 2 or 0 in W[-2:] or W[-2] > MAX_NEURONS or W[-1] > MAX_NEURONS:
        fail("W", f"shape {W}", f"a weight matrix (..., n_pre, n_post), 1 <= n <= {MAX_NEURONS}")
    try:
        np.broadcast_shapes(S[:-1], W[:-2])
    except ValueError:
        S = None
    if S is None or S[-1:] != W[-2:-1]:
        fail("S", f"shape {np.shape(arguments['S'])}", f"shape (..., {W[-2]}) for W of shape {W}")


def clamped_pair(arguments):
    """The relation of ``clamp_neurons``: an input neuron and an output neuron of these layers."""
    states = arguments["neuron_states"]
    check_int("input_idx", arguments["input_idx"], 0, len(states[0]) - 1)
    check_int("output_idx", arguments["output_idx"], 0, len(states[-1]) - 1)


def layer_weights(arguments):
    """The relation of ``forward_pass``: one weight matrix between each pair of neighbouring
    layers."""
    sizes = [len(S) for S in arguments["neuron_states"]]
    check_matrices(arguments["weights"], list(zip(sizes, sizes[1:])))


# What the rules written as plain functions allow (the rules above say it when they are made):
described(check_bool, Allowed("bool"))
described(a_function, Allowed("function"))
described(a_generator, Allowed("generator"))
described(a_shape, Allowed("shape"))
described(a_name, Allowed("name"))
described(an_executor, Allowed("executor", none=True))
described(a_sizes, Allowed("sizes", 1, MAX_NEURONS, shape=1, kinds="iu"))
described(layer_states, Allowed("states"))
