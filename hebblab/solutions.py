"""The solutions of the course's exercises, as text: each one the filled-in stub and its check.

A learner who wants one loads it into a cell and runs it (``%load`` replaces the cell with the
text)::

    %load hc.solutions.ex02_1

The notebooks show the same text in a folded block under each exercise (the tests check that the
two agree, and that each solution gets ``✅`` from its check, :mod:`hebblab.exercises`). Nothing
here runs on import.
"""

#: Every solution, by exercise ("02.1"): the text that ``%load hc.solutions.ex02_1`` puts in a
#: cell.
SOLUTIONS = {
    "00.1": '''def count_ei_ratios(L, N):
    """How many E/I ratios the workshop's sweep tests for L layers of N neurons each."""
    P = N * (L - 1)  # the number of typed neurons: every layer but the output one
    return len(hc.generate_ei_ratios(P))


hc.check("00.1", count_ei_ratios)''',

    "00.2": '''def count_runs(L, N, every_allotment=False):
    """Networks trained by the workshop's sweep: one per E/I ratio, allotment and
    target mapping."""
    P = N * (L - 1)
    e_counts = [ratio[2] for ratio in hc.generate_ei_ratios(P)]  # E count of each ratio
    mappings = math.factorial(N)  # the number of one-to-one maps of N items
    allotments = sum(math.comb(P, e) if every_allotment else 1 for e in e_counts)
    return allotments * mappings


hc.check("00.2", count_runs)''',

    "01.1": '''nand = ((-1.0, -1.0), -1.5)  # ((w1, w2), theta): AND with every sign flipped

hc.check("01.1", nand)''',

    "01.2": '''prediction = 14  # all but XOR and XNOR, which no single unit computes (section 3)

hc.check("01.2", prediction)''',

    "01.3": '''def computable_functions(values):
    """Names of the two-input Boolean functions that one unit computes for some
    w1, w2, theta in ``values``."""
    inputs = np.array([(0, 0), (0, 1), (1, 0), (1, 1)])
    found = set()
    for w1, w2, theta in itertools.product(values, repeat=3):
        outputs = tuple(hc.mcculloch_pitts_unit(inputs, (w1, w2), theta).tolist())
        found.add(hc.BOOLEAN_FUNCTIONS[outputs])
    return found


hc.check("01.3", computable_functions)''',

    "01.4": '''def sign_threshold(w, theta):
    """The threshold with which weights ``w`` compute on ±1 states what
    ``(w, theta)`` computes on 0/1 states."""
    return 2 * theta - sum(w)  # Σ w x01 >= theta  ⟺  Σ w x± >= 2 theta - Σ w


hc.check("01.4", sign_threshold)''',

    "02.1": '''def half_life(epsilon):
    """Pairings after which the gap |w - w*| has halved: the t that solves
    (1 - epsilon)**t = 1/2."""
    return np.log(0.5) / np.log(1 - epsilon)


hc.check("02.1", half_life)''',

    "02.2": '''prediction = 0.5  # the fraction of steps in which the two neurons fire together

hc.check("02.2", prediction)''',

    "02.3": '''def alternate(w0, epsilon, steps):
    """The weight (from an E neuron) when the pairs (S_i, S_j) = (1, 1) and (1, 0)
    take turns, for ``steps`` steps, (1, 1) first."""
    W, kind, pre = np.array([[w0]]), np.array([1.0]), np.array([1.0])
    trajectory = [w0]
    for t in range(steps):
        post = 1.0 if t % 2 == 0 else 0.0
        W = hc.hebbian_update(W, pre, np.array([post]), kind, epsilon)
        trajectory.append(W[0, 0])
    return np.array(trajectory)


hc.check("02.3", alternate)''',

    "03.1": '''prediction = 6  # every mapping: the output layer can read distinct codes either way

hc.check("03.1", prediction)''',

    "03.2": '''def hidden_codes(weights, params):
    """The hidden layer's states when each input is recalled alone: an array of
    shape (N, M), for L = 3."""
    return np.array([hc.recall(weights, i, params)[0][1] for i in range(params.N)])


hc.check("03.2", hidden_codes)''',

    "04.1": '''def wilson_by_hand(k, n, z=1.96):
    """The Wilson interval (low, high) of k successes in n runs."""
    p = k / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * (p * (1 - p) / n + z**2 / (4 * n**2)) ** 0.5
    return centre - half, centre + half


hc.check("04.1", wilson_by_hand)''',

    "04.2": '''import math


def runs_needed(p, probability=0.95):
    """The smallest number of runs n with a chance of at least `probability` to see
    one success or more."""
    return math.ceil(math.log(1 - probability) / math.log(1 - p))


hc.check("04.2", runs_needed)''',

    "04.3": '''prediction = "all"  # section 3: successes come within a few epochs or about a hundred

hc.check("04.3", prediction)''',

    "05.1": '''def cycle_amplitude(N, epsilon, i):
    """A_I(i): the amplitude of the period-2 cycle of an inhibitory input presented
    at step i of every epoch."""
    d_i = (1 - epsilon) ** (N - 1 - i)  # the decays after the kick, in the same epoch
    return epsilon * d_i / (1 + (1 - epsilon) ** N)


hc.check("05.1", cycle_amplitude)''',

    "05.2": '''import itertools


def fraction_silent(hidden_types):
    """Fraction of the triples of ±1 codes (one per input) for which every
    non-target output stays silent."""
    codes = list(itertools.product((1, -1), repeat=len(hidden_types)))
    good = 0
    for h in itertools.product(codes, repeat=3):
        h = np.array(h)  # (input, hidden neuron)
        overlap = (h * hidden_types) @ h.T  # Σ_k type(k) h_k(i) h_k(j)
        good += bool((overlap[~np.eye(3, dtype=bool)] > 0).all())
    return good / len(codes) ** 3


hc.check("05.2", fraction_silent)''',

    "05.3": '''prediction = 0  # at least two of the five E neurons are inputs: they share a code

hc.check("05.3", prediction)''',

    "06.1": '''def birthday(N, M, k):
    """The chance that N inputs get N different codes, each a random choice of k
    of M units."""
    C = math.comb(M, k)  # the number of codes
    return math.prod(C - j for j in range(N)) / C**N


hc.check("06.1", birthday)''',

    "06.2": '''def best(M):
    """The best chance of unique codes for 8 inputs in M units, over k."""
    return max(hc.kwta_success_probability(8, M, j) for j in range(M + 1))


M = next(m for m in range(1, 30) if best(m) >= 0.99)
k = max(range(M + 1), key=lambda j: hc.kwta_success_probability(8, M, j))

hc.check("06.2", (M, k))''',

    "06.3": '''prediction = "some"  # with k = 2, balanced rates allow shared codes

hc.check("06.3", prediction)''',

    "06.4": '''balanced_but_shared = [(0, 1), (0, 1), (2, 3), (2, 3)]

hc.check("06.4", balanced_but_shared)''',

    "07.1": '''prediction = "nothing is learnt"  # no tectal cell reaches the modification threshold

hc.check("07.1", prediction)''',

    "07.2": '''def my_map_correlation(centres, size):
    """Mean over the two axes of Pearson's r between tectal position
    (hc.sheet_positions) and centre."""
    positions = hc.sheet_positions(size)
    r = [np.corrcoef(positions[:, axis], centres[:, axis])[0, 1] for axis in (0, 1)]
    return np.mean(r)


hc.check("07.2", my_map_correlation)''',

    "07.3": '''strengths = (0.5, 1.0, 1.5, 2.0)
grid = hc.map_sweep(lateral_excitation=strengths, lateral_inhibition=strengths,
                    seeds=range(3))

hc.check("07.3", grid)''',

    "08.1": '''prediction = "turns to the principal component"  # the second eigenvector is unstable

hc.check("08.1", prediction)''',

    "08.2": '''def my_oja_step(w, x, epsilon):
    """One step of Oja's rule.

    w : array (d,), the weights; x : array (d,), one input; epsilon : the learning rate.
    Returns the new weights, an array (d,).
    """
    y = w @ x
    return w + epsilon * y * (x - y * w)  # Δw = ε y (x − y w)


hc.check("08.2", my_oja_step)''',

    "08.3": '''def selective_response(p):
    """BCM's response to its preferred pattern at the selective fixed point.

    p : the probability with which the preferred pattern is shown, in (0, 1].
    Returns the response y (a number).
    """
    return 1 / p  # θ = p y² and y = θ give p y = 1


hc.check("08.3", selective_response)''',
}
