"""The checks of notebook 08's exercises: each call prints one line, ``✅ …`` when the answer is
right, or ``❌ …`` with a hint aimed at the mistake it recognises (``❌ not done yet: …`` for an
untouched stub), and never raises."""

import numpy as np

from hebblab.selective import oja_step

_CASES = (
    (np.array([0.6, 0.3]), np.array([1.0, -0.5]), 0.1),
    (np.array([-0.2, 0.9, 0.1]), np.array([0.3, 0.4, -1.2]), 0.05),
)


def _say(right, message):
    print(("✅ " if right else "❌ ") + message)


def _answer(function, *arguments):
    """``(value, None)`` or ``(None, the line to print)`` when calling the learner's function
    fails.
    """
    try:
        return function(*arguments), None
    except Exception as error:  # a learner's code may raise anything: say what, never a traceback
        return None, f"your function raised {type(error).__name__}: {error}"


def check_oja_step(oja_step_function):
    """Check a learner's ``oja_step(w, x, epsilon)`` (one step of Oja's rule, returning the new
    ``w``)."""
    if not callable(oja_step_function):
        return _say(False, "pass the function itself: check_oja_step(my_oja_step)")
    for w, x, epsilon in _CASES:
        value, failure = _answer(oja_step_function, w.copy(), x, epsilon)
        if failure:
            return _say(False, failure)
        if value is None or value is Ellipsis:
            return _say(
                False,
                "not done yet: replace the ... with the new w, w + ε y (x − y w), where y = w·x",
            )
        try:
            value = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            return _say(False, f"your step returned {value!r}; expected the new weights, an array")
        right = oja_step(w, x, epsilon)
        if value.shape == right.shape and np.allclose(value, right, atol=1e-12):
            continue
        y = w @ x
        if value.shape != right.shape:
            return _say(
                False,
                f"your step returned shape {value.shape}; expected new weights, shape {w.shape}",
            )
        if np.allclose(value, right - w):
            return _say(False, "you returned the change Δw; return the new weights, w + Δw")
        if np.allclose(value, w + epsilon * y * x):
            return _say(
                False,
                "that is plain Hebb, w + ε y x: it grows without bound; Oja subtracts ε y² w",
            )
        if np.allclose(value, w + epsilon * y * (x - w)):
            return _say(
                False,
                "the forgetting term is y·w inside the bracket, ε y (x − y w), not ε y (x − w)",
            )
        return _say(False, "not Oja's step: compute y = w @ x, then w + epsilon * y * (x - y * w)")
    return _say(True, "right: Δw = ε y (x − y w); the −ε y² w term holds |w| near 1")


def check_bcm_fixed_point(selective_response):
    """Check a learner's ``selective_response(p)``: BCM's response at the selective fixed point to
    a pattern shown with probability ``p`` (the other patterns answered with 0): ``1/p``."""
    if not callable(selective_response):
        return _say(False, "pass the function itself: check_bcm_fixed_point(my_function)")
    for p in (0.5, 0.25, 0.1):
        value, failure = _answer(selective_response, p)
        if failure:
            return _say(False, failure)
        if value is None or value is Ellipsis:
            return _say(
                False, "not done yet: at the fixed point y = θ and θ = ⟨y²⟩ = p y²; solve for y"
            )
        try:
            value = float(value)
        except (TypeError, ValueError):
            return _say(False, f"your function returned {value!r}; expected one number")
        if np.isclose(value, 1 / p):
            continue
        if np.isclose(value, p):
            return _say(False, "that is p itself; from y = θ = p y², divide by p·y")
        if np.isclose(value, np.sqrt(1 / p)):
            return _say(False, "θ is the mean of y², not of y: p y² = y gives y = 1/p, not √(1/p)")
        if np.isclose(value, 1 / p**2):
            return _say(False, "too large: θ = p y² and y = θ give p y = 1")
        if np.isclose(value, 1.0):
            return _say(
                False,
                "y = 1 is where every pattern is answered equally (θ = y², p summing to 1): "
                "that fixed point is not selective, and not stable",
            )
        return _say(False, f"at p = {p} you gave {value:g}; set y = θ and θ = p y², then solve")
    return _say(True, "right: y = 1/p, so rarer patterns get larger responses; θ = p y² = y")
