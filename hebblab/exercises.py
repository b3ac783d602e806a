"""The checks of the course's exercises: one call under each exercise says whether the answer is
right.

    hc.check("02.1", half_life)

prints one line: ``✅ …`` when the answer is right, ``❌ …`` with a hint aimed at the mistake when
it is not, and ``❌ not done yet: …`` while the stub still holds ``...`` (or ``None``,
``NotImplemented``). It never raises for a learner's answer: an answer that raises an error is
reported in one line too. The output is the same at every run.

An exercise is named ``"NN.k"``: notebook ``NN``, exercise ``k``. Its check compares the answer
with what the course computes (``hebb_core``), not with printed numbers, and accepts every correct
answer (within a tolerance, in any equivalent form). Each check recognises at least one likely
mistake and gives it a hint of its own.

Adding an exercise (e.g. for a new notebook): write a function that takes the learner's answer and
returns the text after ``✅``, or raises :class:`Wrong` with the hint; register it with
:func:`exercise`::

    @exercise("09.1", "oja_update")
    def _(oja_update):
        if numbers_agree(oja_update(...), expected):
            return "right: ..."
        raise Wrong("...a hint...")

The solutions, as text a learner can load into a cell, are in :mod:`hebblab.solutions`
(``%load hc.solutions.ex02_1``).
"""

import inspect
import itertools
import math
from types import SimpleNamespace

import numpy as np

import hebb_core as hc
from hebblab.solutions import SOLUTIONS

#: The solutions' text by attribute, for ``%load hc.solutions.ex02_1`` (exercise "02.1"; see
#: hebblab/solutions.py).
solutions = SimpleNamespace(**{f"ex{name.replace('.', '_')}": text for name,
                               text in SOLUTIONS.items()})

#: The registered checks: exercise name → (what the answer is called, the check function).
CHECKS = {}


class Wrong(Exception):
    """A wrong answer: the message is the hint printed after ``❌``."""


def exercise(name, answer):
    """Register the decorated function as the check of exercise ``name`` ("NN.k"), whose answer is
    ``answer``."""
    def register(test):
        CHECKS[name] = (answer, test)
        return test
    return register


def unfinished(answer):
    """Why ``answer`` is still a stub (a sentence), or ``None`` when it has been filled in."""
    if answer is None or answer is Ellipsis or answer is NotImplemented:
        shown = "..." if answer is Ellipsis else repr(answer)
        return f"the answer is still {shown}: replace it with yours"
    if isinstance(answer, (tuple, list, set, dict)):
        items = answer.values() if isinstance(answer, dict) else answer
        if any(unfinished(item) for item in items):
            return "some of the answer is still ...: fill in every ..."
    if inspect.isfunction(answer) and _holds_ellipsis(answer.__code__):
        return f"{answer.__name__} still holds ...: fill in the line(s) with ..."
    return None


def _holds_ellipsis(code):
    """Whether compiled ``code`` (or code nested in it: a comprehension, a function) has ``...`` as
    a value."""
    return any(constant is Ellipsis or (inspect.iscode(constant) and _holds_ellipsis(constant))
               for constant in code.co_consts)


def verdict(name, answer):
    """The line that :func:`check` prints for ``answer`` to exercise ``name``."""
    if name not in CHECKS:
        raise ValueError(f"name={name!r} is not allowed: an exercise of the course, one of "
                         f"{', '.join(sorted(CHECKS))}")
    called, test = CHECKS[name]
    missing = unfinished(answer)
    if missing:
        return f"❌ not done yet: {missing}"
    try:
        return f"✅ {test(answer)}"
    except Wrong as hint:
        return f"❌ {hint}"
    except Exception as error:  # the learner's code raised: one line, no traceback
        text = str(error).splitlines()[0] if str(error) else ""
        if "ellipsis" in text.lower():
            return f"❌ not done yet: {called} still uses ...: fill in every ..."
        return f"❌ {called} raised {type(error).__name__}: {text}"


def check(name, answer):
    """Print one line: ``✅`` when ``answer`` to exercise ``name`` ("02.1") is right, else ``❌``
    and a hint."""
    print(verdict(name, answer))


def numbers_agree(a, b, tol=1e-9):
    """Whether two numbers or arrays agree within ``tol`` (relative and absolute)."""
    try:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=tol, atol=tol))


def _choice(answer, choices):
    """``answer`` as one of ``choices`` (strings, compared without case and outer spaces)."""
    text = str(answer).strip().lower() if isinstance(answer, str) else None
    if text not in choices:
        raise Wrong(f"answer with one "
                    f"of {', '.join(repr(choice) for choice in choices)} (a string)")
    return text


def _number(answer, what):
    if isinstance(answer, bool) or not isinstance(answer, (int, float, np.integer, np.floating)):
        raise Wrong(f"{what} is a number; got {type(answer).__name__}")
    return float(answer)


# ── 00 · Start here ──────────────────────────────────────────────────────────────────────────────

@exercise("00.1", "count_ei_ratios")
def _check_00_1(count_ei_ratios):
    cases = [(3, 3), (3, 4), (2, 3), (4, 2)]
    mine = [count_ei_ratios(L, N) for L, N in cases]
    right = [len(hc.generate_ei_ratios(N * (L - 1))) for L, N in cases]
    if mine == right:
        return (f"right: {mine[0]} ratios for L = 3, N = 3 and {mine[1]} for L = 3, N = 4, as in "
                f"the workshop")
    if mine == [len(hc.generate_ei_ratios(N * L)) for L, N in cases]:
        raise Wrong("you counted the output layer too: its neurons send no connections, so they "
                    "have no type")
    if mine == [len(hc.generate_ei_ratios(max(N * (L - 2), 2))) for L, N in cases]:
        raise Wrong("you counted only the hidden layers: the input neurons send connections too, "
                    "so they are typed")
    raise Wrong(f"for (L, N) = {cases} you get {mine}: P counts the neurons of every layer but "
                f"the output one")


@exercise("00.2", "count_runs")
def _check_00_2(count_runs):
    for N in (3, 4):
        params = hc.Params(L=3, N=N)
        for every in (False, True):
            plan = hc.plan_experiment(params, allotment="all" if every else "random")
            right, mine = sum(len(runs) for _, runs in plan), count_runs(3, N, every)
            if mine == right:
                continue
            P, counts = params.P, [ratio[2] for ratio in hc.generate_ei_ratios(params.P)]
            allotments = sum(math.comb(P, e) for e in counts) if every else len(counts)
            if mine == allotments * N ** N:
                raise Wrong("N**N counts every function from inputs to outputs; a "
                            "one-to-one map is a "
                            "permutation: N! of them (math.factorial)")
            if mine == allotments * N:
                raise Wrong("N counts the outputs, not the one-to-one maps: there are N! of them")
            if every and mine == 2 ** P * math.factorial(N):
                raise Wrong("2**P counts the all-I and all-E allotments too; the workshop's E "
                            "counts run from "
                            "1 to P - 1")
            raise Wrong(f"count_runs(3, {N}, every_allotment={every}) gives {mine}; the plan "
                        f"has {right} runs")
    return ("right: the same numbers as the core module's plan (30 runs, or 372 with every "
            "allotment, for N = 3)")


# ── 01 · The McCulloch–Pitts neuron ──────────────────────────────────────────────────────────────

@exercise("01.1", "nand")
def _check_01_1(nand):
    try:
        (w1, w2), theta = nand
        outputs = tuple(hc.truth_table((w1, w2), theta).S.tolist())
    except (TypeError, ValueError):
        raise Wrong("nand must look like ((w1, w2), theta), three numbers") from None
    name = hc.BOOLEAN_FUNCTIONS[outputs]
    if name == "NAND":
        return f"right: w = ({w1:g}, {w2:g}), θ = {theta:g} fires 1, 1, 1, 0: NAND"
    if name == "AND":
        raise Wrong("that is AND (0, 0, 0, 1): NAND is its opposite; flip the sign of both "
                    "weights and of θ")
    raise Wrong(f"that unit computes {name} {outputs}; NAND fires for every input but (1, 1)")


@exercise("01.2", "prediction")
def _check_01_2(prediction):
    found = _computable(np.arange(-2, 2.01, 0.5))
    guess = _number(prediction, "the prediction")
    if guess == len(found):
        return (f"right: {len(found)} of the 16; run the scan of exercise 3 to see which "
                f"two are missing")
    if guess == 16:
        raise Wrong("not all 16: section 3 showed one function that no single unit computes")
    if guess == 15:
        raise Wrong("one more is missing: XOR's opposite fails for the same reason as XOR")
    raise Wrong(f"not {prediction:g}: every line through the square of inputs splits it in a new "
                f"way; only the "
                "functions that no line can separate are missing (section 3)")


_FUNCTIONS = set(hc.BOOLEAN_FUNCTIONS.values())


def _computable(values):
    inputs = np.array([(0, 0), (0, 1), (1, 0), (1, 1)])
    return {hc.BOOLEAN_FUNCTIONS[tuple(hc.mcculloch_pitts_unit(inputs, (w1, w2), theta).tolist())]
            for w1, w2, theta in itertools.product(values, repeat=3)}


@exercise("01.3", "computable_functions")
def _check_01_3(computable_functions):
    for values in (np.arange(-2, 2.01, 0.5), np.array([-1.0, 0.0, 1.0])):
        try:
            mine = computable_functions(values)
        except TypeError as error:
            if "unhashable" in str(error):
                raise Wrong("outputs must be a tuple to be a key of hc.BOOLEAN_FUNCTIONS: "
                            "tuple(array.tolist())") \
                    from None
            raise
        right = _computable(values)
        if set(mine) != right:
            extra, lost = sorted(set(mine) - right), sorted(right - set(mine))
            if {"XOR", "XNOR"} & set(extra):
                raise Wrong("XOR or XNOR found: check that outputs uses the 0/1 states "
                            "of the unit "
                            "(hc.mcculloch_pitts_unit with its default states)")
            raise Wrong(f"the grid {values.tolist()} gives {sorted(right)}; you have "
                        f"extra {extra}, missing {lost}")
    fine = _computable(np.arange(-2, 2.01, 0.5))
    return (f"right: {len(fine)} functions on the grid of 0.5 steps; "
            f"missing: {sorted(_FUNCTIONS - fine)}")


@exercise("01.4", "sign_threshold")
def _check_01_4(sign_threshold):
    units = list(hc.LOGIC_GATES.values()) + [((2.0, -1.0), 0.5), ((3.0, 1.0), 3.5),
                                             ((-1.0, -2.0), -2.5)]
    for w, theta in units:
        mine = sign_threshold(w, theta)
        binary = hc.truth_table(w, theta).S.to_numpy()
        sign = hc.truth_table(w, _number(mine, "the threshold"), states="sign").S.to_numpy()
        if not (binary == (sign + 1) // 2).all():
            if numbers_agree(mine, theta):
                raise Wrong("the same θ does not work: with ±1 states every field changes (see "
                            "the formula)")
            if numbers_agree(mine, 2 * theta + sum(w)):
                raise Wrong("a sign error: Σ w x01 = (Σ w x± + Σ w)/2, so Σ w is "
                            "subtracted, not added")
            if numbers_agree(mine, theta - sum(w) / 2) or numbers_agree(mine, theta - sum(w)):
                raise Wrong("multiply both sides by 2: the ±1 field is twice the 0/1 "
                            "field minus Σ w")
            raise Wrong(f"with w = {w}, θ = {theta}: θ' = {mine} computes another function "
                        f"on ±1 states")
    return ("right: the same function on ±1 states for every gate (θ' = 2θ − Σ w, or any θ' "
            "between the same fields)")


# ── 02 · Hebb's rule ─────────────────────────────────────────────────────────────────────────────

@exercise("02.1", "half_life")
def _check_02_1(half_life):
    for epsilon in (0.01, 0.1, 0.5, 0.9):
        mine = _number(half_life(epsilon), "half_life(epsilon)")
        if not numbers_agree((1 - epsilon) ** mine, 0.5, 1e-6):
            if numbers_agree(mine, np.log(2) / epsilon, 1e-6):
                raise Wrong("ln 2 / ε is the approximation (good only for small ε); the "
                            "exact t solves "
                            "(1 - ε)**t = 1/2: take the log of both sides")
            if numbers_agree(mine, 1 / epsilon, 1e-6):
                raise Wrong("1/ε is the time scale (the gap shrinks by e), not the half-life")
            if numbers_agree(-mine, np.log(0.5) / np.log(1 - epsilon), 1e-6):
                raise Wrong("a sign error: both logarithms are negative, so the "
                            "half-life is positive")
            raise Wrong(f"half_life({epsilon}) = {mine:.4g}, but (1 - ε)**t must equal 1/2")
        gap = np.abs(hc.repeat_pairing(0.0, 1, 1, 1, epsilon, 200) - 1)
        if int(np.argmax(gap <= 0.5 + 1e-12)) != math.ceil(mine - 1e-9):
            raise Wrong(f"half_life({epsilon}) = {mine:.4g} does not match the rule's own steps")
    return (f"right: {half_life(0.01):.2f} pairings for ε = 0.01 (ln 2/ε "
            f"gives {np.log(2) / 0.01:.2f})")


def _alternating(w0, epsilon, steps, even, odd):
    """The weights ``[w0, w1, …, w_steps]`` of an excitatory synapse whose presynaptic neuron
    fires (state 1) at every step and whose postsynaptic neuron's state is ``even`` on the even
    steps ``t = 0, 2, …`` and ``odd`` on the others, by the workshop's rule."""
    W, kind, pre = np.array([[w0]]), np.array([1.0]), np.array([1.0])
    weights = [w0]
    for t in range(steps):
        W = hc.hebbian_update(W, pre, np.array([even if t % 2 == 0 else odd]), kind, epsilon)
        weights.append(W[0, 0])
    return weights


@exercise("02.2", "prediction")
def _check_02_2(prediction):
    trajectory = _alternating(0.0, 0.05, 400, 1.0, 0.0)
    settled = (trajectory[-1] + trajectory[-2]) / 2
    guess = _number(prediction, "the prediction")
    if abs(guess - settled) <= 0.02:
        return (f"right: the weight settles around {settled:.3f}, the fraction of steps in "
                f"which both fire")
    if abs(guess - 1) <= 0.02:
        raise Wrong("1 is where the pair (1, 1) alone leads; here it comes only every other step")
    if abs(guess) <= 0.02:
        raise Wrong("0 is where the pair (1, 0) alone leads; here (1, 1) comes every other step")
    raise Wrong("think of the rule as a running average of S_i S_j: what is its average "
                "over two steps?")


@exercise("02.3", "alternate")
def _check_02_3(alternate):
    for w0, epsilon, steps in ((0.0, 0.05, 400), (0.3, 0.2, 7)):
        mine = np.asarray(alternate(w0, epsilon, steps), dtype=float)
        right, swapped, signed = (_alternating(w0, epsilon, steps, even, odd)
                                  for even, odd in ((1.0, 0.0), (0.0, 1.0), (1.0, -1.0)))
        if numbers_agree(mine, right):
            continue
        if numbers_agree(mine, swapped):
            raise Wrong("the turns are swapped: (1, 1) comes first, on the even steps t "
                        "= 0, 2, 4, …")
        if numbers_agree(mine, signed):
            raise Wrong("the pair is (1, 0), not (1, -1): the silent neuron's state is 0 here")
        raise Wrong(f"alternate({w0}, {epsilon}, {steps}) differs from the rule's weights")
    return "right: the weight ends alternating around 1/2, between 1/(2 - ε) and (1 - ε)/(2 - ε)"


# ── 03 · Clamping and one-to-one maps ────────────────────────────────────────────────────────────

def _example_network():
    params = hc.Params(L=3, N=3, stop_at_convergence=False)
    rng = np.random.default_rng([19, 0])
    types = hc.allot_types(params.P, excitatory_count=1, allotment="random", rng=rng)
    return params, types, hc.initialize_weights(params, types, rng)


def _every_mapping(params, types, weights):
    """Train one copy of a network (``types``, initial ``weights``) for each of the N! target
    mappings, at once: ``(mappings, BatchResult)``."""
    mappings = np.array(hc.all_mappings(params.N))
    copies = len(mappings)
    return mappings, hc.train_batch(params, np.repeat(types[None], copies, axis=0), mappings,
                                    [np.repeat(W[None], copies, axis=0) for W in weights])


@exercise("03.1", "prediction")
def _check_03_1(prediction):
    _, every = _every_mapping(*_example_network())
    learnt = int(np.sum(every.converged))
    guess = _number(prediction, "the prediction")
    if guess == learnt:
        return (f"right: {learnt} of the 6 mappings are learnt at some epoch; the next "
                f"cell shows when")
    if guess == 1:
        raise Wrong("the target does not make the network: the allotment and the weights set the "
                    "hidden codes, "
                    "and the output layer can learn to read them either way round")
    if guess == 0:
        raise Wrong("this network learnt its own target in section 5: why would another "
                    "permutation be harder?")
    raise Wrong("a whole number from 0 to 6: how many of the six targets does this network learn?")


@exercise("03.2", "hidden_codes")
def _check_03_2(hidden_codes):
    params = hc.Params(L=3, N=3)
    for seed in (0, 1, 2):
        rng = np.random.default_rng(seed)
        types = hc.allot_types(params.P, excitatory_count=2, allotment="random", rng=rng)
        weights = hc.initialize_weights(params, types, rng)
        weights = [W * np.where(rng.random(W.shape) < 0.5, -1, 1) for W in weights]  # mixed signs
        mine = np.asarray(hidden_codes(weights, params))
        layers = [np.array([hc.recall(weights, i, params)[0][layer] for i in range(params.N)])
                  for layer in range(3)]
        if numbers_agree(mine, layers[1]):
            continue
        if numbers_agree(mine, layers[2]):
            raise Wrong("that is the output layer (states[2]); the hidden code is the "
                        "layer in between")
        if numbers_agree(mine, layers[0]):
            raise Wrong("that is the input layer (states[0], one-hot); the hidden code is "
                        "the next layer")
        raise Wrong(f"expected an array of shape (N, M) = (3, 3) of ±1, one row per input; "
                    f"got {mine.shape}")
    return "right: one row per input, the hidden layer's states at recall"


# ── 04 · The E/I-ratio sweep ─────────────────────────────────────────────────────────────────────

@exercise("04.1", "wilson_by_hand")
def _check_04_1(wilson_by_hand):
    for k, n in ((0, 6), (1, 24), (7, 20), (30, 30)):
        mine, right = wilson_by_hand(k, n), hc.wilson_interval(k, n)
        if numbers_agree(mine, right, 1e-4):
            continue
        p, z = k / n, 1.96
        wald = (p - z * math.sqrt(p * (1 - p) / n), p + z * math.sqrt(p * (1 - p) / n))
        if numbers_agree(mine, wald, 1e-4):
            raise Wrong("that is the textbook (Wald) interval p ± z·sqrt(p(1-p)/n); Wilson's has "
                        "the extra terms")
        centre = (p + z ** 2 / (2 * n)) / (1 + z ** 2 / n)
        half = z * math.sqrt(p * (1 - p) / n + z ** 2 / (4 * n ** 2))
        if numbers_agree(mine, (centre - half, centre + half), 1e-4):
            raise Wrong("the half-width is divided by (1 + z²/n) too")
        raise Wrong(f"{k} of {n}: you get {tuple(np.round(mine, 4))}, hc.wilson_interval gives "
                    f"{tuple(np.round(right, 4))}")
    return "right: the same intervals as hc.wilson_interval (to 4 decimals; z = 1.96 is rounded)"


@exercise("04.2", "runs_needed")
def _check_04_2(runs_needed):
    for p in (0.05, 0.2, 0.01, 0.5, 0.3, 0.95):
        right = next(n for n in itertools.count(1) if 1 - (1 - p) ** n >= 0.95)
        mine = runs_needed(p)
        if mine == right and float(mine).is_integer():
            continue
        exact = math.log(0.05) / math.log(1 - p)
        if numbers_agree(mine, exact, 1e-9) and not float(exact).is_integer():
            raise Wrong("runs come in whole numbers: round the solution up (math.ceil)")
        if mine == right - 1:
            raise Wrong(f"{mine} runs give less than 95% for p = {p}: round up, not down")
        if numbers_agree(mine, 1 / p, 1e-9):
            raise Wrong("1/p is the mean wait for a first success; 95% needs 1 - (1 - "
                        "p)**n >= 0.95")
        raise Wrong(f"runs_needed({p}) = {mine}; the smallest n with 1 - (1 - p)**n >= "
                    f"0.95 is another")
    return f"right: {runs_needed(0.05)} runs for p = 5%, {runs_needed(0.01)} for 1%"


_SHORT_CHOICES = ("all", "about a tenth", "none")


@exercise("04.3", "prediction")
def _check_04_3(prediction):
    choice = _choice(prediction, _SHORT_CHOICES)
    long = [hc.run_experiment(hc.Params(L=3, N=3), allotment="all",
                              seed=seed) for seed in range(5)]
    epochs = np.concatenate([run.epochs_to_convergence[run.converged].to_numpy() for run in long])
    by_200 = np.mean(epochs <= 200)
    right = "all" if by_200 == 1 else "none" if by_200 == 0 else "about a tenth"
    if choice == right:
        return f"right: {np.sum(epochs <= 200)} of the {len(epochs)} successes came by epoch 200"
    if choice == "about a tenth":
        raise Wrong("learning is not spread evenly over the 2000 epochs: section 3 shows when the "
                    "successes come")
    raise Wrong("look at section 3's histogram of the epochs of the first success")


# ── 05 · What's the answer? ──────────────────────────────────────────────────────────────────────

@exercise("05.1", "cycle_amplitude")
def _check_05_1(cycle_amplitude):
    for N, epsilon in ((5, 0.05), (3, 0.01), (4, 0.3)):
        right = hc.hebb_fixed_points(N, epsilon)[0]
        mine = np.array([_number(cycle_amplitude(N, epsilon, i),
                                 "cycle_amplitude") for i in range(N)])
        if numbers_agree(mine, right):
            continue
        i = np.arange(N)
        if numbers_agree(mine, epsilon * (1 - epsilon) ** (N - i) / (1 + (1 - epsilon) ** N)):
            raise Wrong("off by one: the kick at step i is followed by N - 1 - i decays in "
                        "the same epoch")
        if numbers_agree(mine, epsilon * (1 - epsilon) ** i / (1 + (1 - epsilon) ** N)):
            raise Wrong("the decays come after the kick: N - 1 - i of them, not i")
        if numbers_agree(mine, epsilon * (1 - epsilon) ** (N - 1 - i)):
            raise Wrong("the weight also decays over the next epoch before its next "
                        "kick: divide by "
                        "1 + (1 - ε)**N")
        if numbers_agree(mine, np.full(N, epsilon / 2)):
            raise Wrong("ε/2 is the approximation; the exercise asks for the exact A_I(i), which "
                        "depends on i")
        raise Wrong(f"N = {N}, ε = {epsilon}: you get {np.round(mine, 6)}, the "
                    f"course {np.round(right, 6)}")
    return ("right: the same amplitudes as hc.hebb_fixed_points, from 0.023 (i = 0) to 0.028 (i "
            "= 4) at N = 5")


def _silent_fraction(hidden_types):
    codes = np.array(list(itertools.product((1, -1), repeat=len(hidden_types))))
    good = 0
    for triple in itertools.product(range(len(codes)), repeat=3):
        h = codes[list(triple)]
        overlap = (h * hidden_types) @ h.T
        good += bool((overlap[~np.eye(3, dtype=bool)] > 0).all())
    return good / len(codes) ** 3


@exercise("05.2", "fraction_silent")
def _check_05_2(fraction_silent):
    for hidden_types in (np.array([1, -1, -1]), np.array([-1, -1, -1]), np.array([1, 1, -1])):
        mine = _number(fraction_silent(hidden_types), "fraction_silent")
        right = _silent_fraction(hidden_types)
        if numbers_agree(mine, right):
            continue
        plain = _silent_fraction(np.ones(3)) if len(hidden_types) == 3 else None
        if numbers_agree(mine, plain):
            raise Wrong("each hidden neuron's product h_k(i) h_k(j) is weighted by its type(k) "
                        "(E +1, I -1)")
        raise Wrong(f"types {hidden_types.tolist()}: you get {mine:.4f}; counting gives "
                    f"another fraction")
    return (f"right: {_silent_fraction(np.array([1, -1, -1])):.2%} of the code triples keep the "
            f"other outputs silent")


@exercise("05.3", "prediction")
def _check_05_3(prediction):
    sweep = hc.run_experiment(hc.Params(L=3, N=3), e_counts=[5], allotment="all", seed=0)
    learnt = int(sweep.converged.sum())
    guess = _number(prediction, "the prediction")
    if guess == learnt:
        return (f"right: {learnt} of {len(sweep)}; with five E neurons of six, at least two are "
                f"input neurons")
    raise Wrong("count where the E neurons can sit: with five of six typed neurons E, how "
                "many are in the "
                "input layer at least? Then use section 3a")


# ── 06 · Beyond the workshop's model ─────────────────────────────────────────────────────────────

@exercise("06.1", "birthday")
def _check_06_1(birthday):
    for N, M in ((3, 6), (4, 8), (2, 3), (5, 4)):
        for k in range(M + 1):
            mine, right = birthday(N, M, k), hc.kwta_success_probability(N, M, k)
            if numbers_agree(mine, right):
                continue
            C = math.comb(M, k)
            if numbers_agree(mine, math.prod(M - j for j in range(N)) / M ** N):
                raise Wrong("a code is a choice of k units among M: there are C(M, k) "
                            "codes, not M")
            if C >= N and numbers_agree(mine, math.prod(C - j for j in range(N))):
                raise Wrong("that counts the ways to give N different codes; divide by "
                            "all C**N ways")
            raise Wrong(f"birthday({N}, {M}, {k}) = {mine}, the course gives {right}")
    return "right: the same as hc.kwta_success_probability, largest at k = M/2"


@exercise("06.2", "(M, k)")
def _check_06_2(answer):
    try:
        M, k = answer
        M, k = int(M), int(k)
    except (TypeError, ValueError):
        raise Wrong("give the answer as (M, k), two whole numbers") from None
    best = {m: max(hc.kwta_success_probability(8, m,
                                               j) for j in range(m + 1)) for m in range(1, 30)}
    smallest = min(m for m, p in best.items() if p >= 0.99)
    if M == smallest and hc.kwta_success_probability(8, M, k) >= 0.99:
        return f"right: M = {M}, k = {k} gives {hc.kwta_success_probability(8, M, k):.3f}"
    if M == 8:
        raise Wrong(f"M = 8 reaches only {best[8]:.2f} (at k = 4): the layer must be wider")
    if M > smallest and best[M] >= 0.99:
        raise Wrong(f"M = {M} works, but a narrower layer does too: find the smallest")
    if M == smallest:
        raise Wrong(f"M = {M} is right, but k = {k} gives "
                    f"only {hc.kwta_success_probability(8, M, k):.3f}: "
                    "take the k with the most codes")
    raise Wrong(f"with M = {M} no k reaches 0.99 ({best.get(M, 0):.3f} at best)")


_HOMEOSTASIS_CHOICES = ("all", "some", "none")


@exercise("06.3", "prediction")
def _check_06_3(prediction):
    choice = _choice(prediction, _HOMEOSTASIS_CHOICES)
    params = hc.variant_params("k-WTA + homeostasis", N=4, M=4, k=2, epsilon=0.05, max_epochs=1000)
    table = hc.variant_experiment(params, e_counts=[params.P], repeats=5)
    unique = int(table.codes_unique.sum())
    right = "all" if unique == len(table) else "none" if unique == 0 else "some"
    if choice == right:
        return f"right: unique codes in {unique} of {len(table)} runs; exercise 4 shows why"
    if choice == "all":
        raise Wrong("the threshold counts how often a unit fires; with k = 2, can inputs share "
                    "codes and still "
                    "give every unit the rate 1/2?")
    raise Wrong("with k = 1 the threshold separated every input; k = 2 leaves it less to go "
                "on, not nothing")


@exercise("06.4", "balanced_but_shared")
def _check_06_4(codes):
    try:
        codes = [tuple(sorted(int(unit) for unit in code)) for code in codes]
    except (TypeError, ValueError):
        raise Wrong("give four codes, each a pair of units, e.g. [(0, 1), ...]") from None
    if len(codes) != 4 or any(len(set(code)) != 2 or not set(code) <= {0, 1, 2, 3}
                              for code in codes):
        raise Wrong("four codes, each two different units among 0, 1, 2, 3")
    rates = np.bincount(np.ravel(codes), minlength=4) / 4
    if len(set(codes)) == 4:
        raise Wrong("these four codes are all different: the question asks for codes that some "
                    "inputs share")
    if not np.allclose(rates, 0.5):
        raise Wrong(f"the units' rates are {rates.tolist()}: each must fire for exactly two of "
                    f"the four inputs")
    return ("right: every unit fires at the rate 1/2, so the thresholds stay put, yet "
            "codes are shared")


# ── 07 · Topographic maps ────────────────────────────────────────────────────────────────────────

_UNMARKED_CHOICES = ("a map as before", "other orientations", "nothing is learnt")


@exercise("07.1", "prediction")
def _check_07_1(prediction):
    choice = _choice(prediction, _UNMARKED_CHOICES)
    params = hc.MapParams(marker_strength=1.0)
    runs = hc.train_maps([(params, seed) for seed in range(6)])
    still = all(np.allclose(run.s, hc.initial_map_weights(params,
                                                          np.random.default_rng(run.seed)), rtol=0,
                            atol=1e-12) for run in runs)
    if still and choice == "nothing is learnt":
        return "right: after 6000 presentations the weights of all six seeds are the initial ones"
    if choice == "other orientations":
        raise Wrong("a map in another orientation would need learning to start; does any synapse "
                    "grow without "
                    "the markers? Compare H* with the modification threshold")
    if choice == "a map as before":
        raise Wrong("the markers do more than orient: what lifts the first tectal cells "
                    "above ε_mod?")
    raise Wrong("run the cell below and look at the weights")


@exercise("07.2", "my_map_correlation")
def _check_07_2(my_map_correlation):
    size = 6
    perfect = hc.sheet_positions(size).astype(float)
    rng = np.random.default_rng(1)
    examples = {"perfect": perfect, "shuffled": perfect[rng.permutation(len(perfect))],
                "flipped rows": perfect * np.array([-1.0, 1.0]),
                "noisy": perfect + rng.normal(0, 1, perfect.shape)}
    for name, centres in examples.items():
        mine = _number(my_map_correlation(centres, size), "my_map_correlation")
        right = hc.map_correlation(centres, size)
        if numbers_agree(mine, right):
            continue
        positions = hc.sheet_positions(size)
        r = [np.corrcoef(positions[:, axis], centres[:, axis])[0, 1] for axis in (0, 1)]
        if numbers_agree(mine, r[0]) or numbers_agree(mine, r[1]):
            raise Wrong("that is one axis only: average r over rows (axis 0) and columns (axis 1)")
        if numbers_agree(mine, np.mean(np.square(r))):
            raise Wrong("that is r², which hides a flipped map: average r itself")
        raise Wrong(f"the {name} map: you get {mine:.4f}, hc.map_correlation gives {right:.4f}")
    return ("right: the same as hc.map_correlation on a perfect, a shuffled, a flipped "
            "and a noisy map")


@exercise("07.3", "grid")
def _check_07_3(grid):
    try:
        columns = {name: sorted(set(grid[name])) for name in ("lateral_excitation",
                                                              "lateral_inhibition", "seed")}
    except (KeyError, TypeError):
        raise Wrong("grid is the table that hc.map_sweep returns") from None
    strengths = [0.5, 1.0, 1.5, 2.0]
    if columns["lateral_excitation"] != strengths or columns["lateral_inhibition"] != strengths:
        raise Wrong("sweep both strengths over (0.5, 1, 1.5, 2): lateral_excitation and "
                    "lateral_inhibition")
    if columns["seed"] != [0, 1, 2]:
        raise Wrong(f"3 seeds, 0 to 2 (seeds=range(3)); you have {columns['seed']}")
    right = hc.map_sweep(lateral_excitation=strengths, lateral_inhibition=strengths,
                         seeds=range(3))
    key = ["lateral_excitation", "lateral_inhibition", "seed"]
    mine = grid.sort_values(key)["correlation"].to_numpy()
    if not numbers_agree(mine, right.sort_values(key)["correlation"].to_numpy()):
        raise Wrong("the grid has the right settings but other map orders: use hc.map_sweep's "
                    "default parameters")
    best = right.groupby(key[:2]).correlation.mean().idxmax()
    return (f"right: 16 settings × 3 seeds; the best mean map order is at excitation {best[0]}, "
            f"inhibition {best[1]}")


# ── 08 · Making Hebb's rule selective ─────────────────────────────────────────────────────────

_OJA_CHOICES = ("stays there", "turns to the principal component", "grows without bound")
#: The input covariance of notebook 08's section 1.
_OJA_INPUT = np.array([[3.0, 1.0, 0.5], [1.0, 2.0, 0.3], [0.5, 0.3, 1.0]])


@exercise("08.1", "prediction")
def _check_08_1(prediction):
    choice = _choice(prediction, _OJA_CHOICES)
    vectors = np.linalg.eigh(_OJA_INPUT)[1]  # columns: eigenvectors, the largest eigenvalue's last
    norms, cosines, turned = [], [], []
    for seed in range(6):
        samples = hc.gaussian_inputs(_OJA_INPUT, 20_000, np.random.default_rng(seed))
        history = hc.train_oja(samples, w0=vectors[:, 1], epsilon=0.002)
        cos = np.abs(history @ vectors[:, 2]) / np.linalg.norm(history, axis=1)
        norms.append(np.linalg.norm(history[-1]))
        cosines.append(cos[-1])
        turned.append(int(np.argmax(cos > 0.99)))
    right = ("grows without bound" if max(norms) > 10 else
             "turns to the principal component" if min(cosines) > 0.99 else "stays there")
    if choice == right:
        return (f"right: all six runs turn to the principal component (|cos| > 0.99 after "
                f"{min(turned)} to {max(turned)} samples, at the end ≥ {min(cosines):.3f}; "
                f"|w| = {max(norms):.3f})")
    if choice == "stays there":
        raise Wrong("a fixed point need not be stable: each sample pushes w a little off it; "
                    "section 1 says which eigenvector is stable")
    raise Wrong("that is plain Hebb; Oja's forgetting term −ε y² w holds |w| near 1 wherever w "
                "points")


_OJA_CASES = ((np.array([0.6, 0.3]), np.array([1.0, -0.5]), 0.1),
              (np.array([-0.2, 0.9, 0.1]), np.array([0.3, 0.4, -1.2]), 0.05))


@exercise("08.2", "my_oja_step")
def _check_08_2(my_oja_step):
    for w, x, epsilon in _OJA_CASES:
        mine, right = my_oja_step(w.copy(), x.copy(), epsilon), hc.oja_step(w, x, epsilon)
        if numbers_agree(mine, right):
            continue
        y = w @ x
        try:
            shape = np.shape(np.asarray(mine, dtype=float))
        except (TypeError, ValueError):
            shape = None
        if shape != w.shape:
            got = type(mine).__name__ + (f" of shape {shape}" if shape else "")
            raise Wrong(f"return the new weights, numbers in an array of the shape of "
                        f"w, {w.shape}; "
                        f"you return {got}")
        if numbers_agree(mine, right - w):
            raise Wrong("that is the change Δw; return the new weights, w + Δw")
        if numbers_agree(mine, w + epsilon * y * x):
            raise Wrong("that is plain Hebb, w + ε y x: it grows without bound; Oja subtracts "
                        "ε y² w")
        if numbers_agree(mine, w + epsilon * y * (x - w)):
            raise Wrong("the forgetting term is y w inside the bracket: ε y (x − y w), not "
                        "ε y (x − w)")
        raise Wrong(f"w = {w.tolist()}, x = {x.tolist()}, ε = {epsilon}: you get "
                    f"{np.round(np.asarray(mine, dtype=float), 6).tolist()}, Oja's step gives "
                    f"{np.round(right, 6).tolist()}")
    return "right: the same new weights as hc.oja_step; the −ε y² w term holds |w| near 1"


@exercise("08.3", "selective_response")
def _check_08_3(selective_response):
    for p in (0.5, 0.25, 0.1):
        mine = _number(selective_response(p), f"selective_response({p})")
        points, selective = hc.bcm_fixed_points([p, 1 - p])
        right = max(point[0] for point in points[selective])  # answers pattern 1 alone
        if numbers_agree(mine, right):
            continue
        if numbers_agree(mine, np.sqrt(1 / p)):
            raise Wrong("√(1/p) makes ⟨y²⟩ = p y² equal 1; at BCM's fixed point it equals θ = y, "
                        "not 1")
        if numbers_agree(mine, 1 / p ** 2):
            raise Wrong("θ is the mean of y², ⟨y²⟩ = p y², not the square of the mean, "
                        "⟨y⟩² = p² y²")
        if numbers_agree(mine, p):
            raise Wrong("that is p itself; from y = θ = p y², divide by p y")
        if numbers_agree(mine, 1.0):
            raise Wrong("y = 1 answers every pattern alike (θ = Σ p y², the p summing to 1): "
                        "that point is not selective, and not stable")
        raise Wrong(f"at p = {p} you give {mine:g}: set y = θ and θ = p y², then solve for y")
    return "right: y = 1/p, as hc.bcm_fixed_points gives: the rarer the pattern, the larger y"
