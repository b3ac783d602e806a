"""The analysis of the answer (notebook 05): the closed forms of Proposition 2, the fields of the
targets at recall, the hidden codes of Proposition 1, the recall of a trained network as a table,
and the chance level of each read-out that partial convergence is compared with (notebooks
04-06)."""

import numpy as np
import pandas as pd

from hebb_core import A_PARAMS, check_mapping, read_out, READOUTS
from hebblab.checks import (
    a_name,
    a_real,
    Allowed,
    an_int,
    as_shown,
    check_array,
    described,
    fail,
    MAX_NEURONS,
    one_of,
    with_checks,
)
from hebblab.engine import check_networks, recall_batch
from hebblab.variants import variant_convergence, variant_recall


def a_table(*columns):
    """A rule for ``hebblab.checks.with_checks``: a non-empty pandas DataFrame that has
    ``columns``."""
    for column in columns:
        a_name("columns", column)
    allowed = ("a non-empty "
               "pandas DataFrame") + (f" with the columns {list(columns)}" if columns else "")

    def rule(name, value):
        if not isinstance(value, pd.DataFrame) or value.empty:
            shown = "an empty DataFrame" if isinstance(value, pd.DataFrame) else as_shown(value)
            fail(name, shown, allowed)
        missing = [column for column in columns if column not in value.columns]
        if missing:
            fail(name, f"a DataFrame without the columns {missing}", allowed)
    return rule


@with_checks(N=an_int(1, MAX_NEURONS), epsilon=a_real(0, 1, open_low=True))
def hebb_fixed_points(N, epsilon):
    """Where the rule as written takes the weights of an input neuron presented at step ``i`` of
    every epoch (fixed order), for ``i = 0 … N-1`` (Proposition 2).

    In one epoch such a weight gets one kick ``eps·x`` at step ``i`` and decays at all ``N`` steps:
    ``w_end = (1-eps)^N w_start + eps x d_i`` with ``d_i = (1-eps)^(N-1-i)``.

    * inhibitory input: the kick points against the weight's sign (``x = -sign w``), so the weight
      settles into a period-2 cycle ``±A_I`` with ``A_I = eps d_i / (1 + (1-eps)^N)``;
    * excitatory input: ``x = +1`` always, a fixed point ``A_E = eps d_i / (1 - (1-eps)^N)``.

    The weights from the hidden layer to output neuron ``pi(i)`` are kicked at the same step, so
    they end at the same ``±A_I[i]`` or ``A_E[i]``. For ``i = 0``: ``A_I = eps d/(1 + d(1-eps))``,
    ``A_E = eps d/(1 - d(1-eps))``, ``d = (1-eps)^(N-1)``. Returns ``(A_I, A_E)``, two arrays of
    shape ``(N,)``.
    """
    d = (1 - epsilon) ** (N - 1 - np.arange(N))  # d_i = (1-eps)^(N-1-i): the decays after the kick
    decay = (1 - epsilon) ** N  # one epoch of decay
    # A = -decay·A + eps d_i;  A = decay·A + eps d_i
    return epsilon * d / (1 + decay), epsilon * d / (1 - decay)


@with_checks(N=an_int(1, MAX_NEURONS), readout=one_of(*READOUTS))
def chance_recall(N, readout="strict"):
    """The fraction of pairs that a network answering at random would recall, under each read-out:
    the chance level that partial convergence is compared with.

    * ``strict``: the pair counts when the output layer shows exactly the target at ``+1`` and the
      other ``N - 1`` outputs silent. A random output layer, each neuron firing or not with
      probability 1/2 on its own, shows that one pattern out of its ``2^N`` with probability
      ``2^-N``.
    * ``argmax``: the pair counts when the target has the unique largest field. With the ``N``
      fields in a random order each output is equally likely to be the largest: ``1/N``.

    Returns the chance level, a float in ``(0, 1]``.
    """
    return 2.0**-N if readout == "strict" else 1.0 / N


def _a_code_array(name, value):
    """A rule: states -1, 0 or 1 of shape ``(..., N, n)``, ``N >= 1``, ``1 <= n <=
    MAX_NEURONS``."""
    states = check_array(name, value, None, -1, 1)
    if states.ndim < 2 or states.shape[-2] < 1 or not 1 <= states.shape[-1] <= MAX_NEURONS \
            or not np.all((states == 1) | (states == 0) | (states == -1)):
        fail(name, as_shown(value, states),
             f"states -1, 0 or 1 of shape (..., N, n), N >= 1, 1 <= n <= {MAX_NEURONS}")


described(_a_code_array, Allowed("array", -1, 1, shape=None, vector=True))


@with_checks(states=_a_code_array)
def distinct_codes(states):
    """How many different state vectors the inputs produce: ``states`` of ±1 (or 0/1), shape
    ``(..., N, n)`` (e.g. the hidden states at recall; ``N >= 1``, ``1 <= n <= MAX_NEURONS``) →
    ints of shape ``(...)``."""
    states = np.asarray(states, dtype=np.float64)
    # ±1 row → binary
    codes = np.sort(((states > 0) * 2 ** np.arange(states.shape[-1])).sum(axis=-1), axis=-1)
    return 1 + (np.diff(codes, axis=-1) != 0).sum(axis=-1)


@with_checks(params=A_PARAMS)
def target_fields(params, types, mappings, weights):
    """The field of every target output neuron at recall, beside Proposition 2's prediction (one
    hidden layer).

    Once the transient has faded, input ``i``'s hidden code at recall is ``h(i)``, and the weights
    onto its target are ``W[1][k, pi(i)] = type(i)·A(i)·type(k)·h_k(i)``
    (:func:`hebb_fixed_points`; an inhibitory input's code has flipped since it was trained), so
    the target's field is

        x_pi(i) = Σ_k h_k(i) W[1][k, pi(i)] = type(i) · A(i) · (E_hidden - I_hidden).

    An inhibitory input's target can only fire when the hidden layer has more I than E neurons; an
    excitatory input's only when it has more E.

    types : ``(B, P)``; mappings : ``(B, N)``; weights : the final weights, one ``(B, n_l,
    n_{l+1})`` array per layer Returns a DataFrame, one row per run and input: ``run`` (``0 …
    B-1``), ``input``, ``input_type``, ``amplitude`` (``A(i)``), ``hidden_balance`` (``E_hidden -
    I_hidden``), ``target_field``, ``predicted`` and ``recalled``.
    """
    if params.L != 3:
        fail("params.L", params.L, "3 (one hidden layer)")
    types, mappings, weights = check_networks(params, types, mappings, weights)
    B, N = mappings.shape
    _, fields = recall_batch(weights, params)
    # x_pi(i) for every input i
    target = np.take_along_axis(fields, mappings[:, :, None], axis=-1)[..., 0]
    input_type, hidden_type = types[:, :N], types[:, N:]
    A_I, A_E = hebb_fixed_points(N, params.epsilon)
    amplitude = np.where(input_type > 0, A_E, A_I)  # A(i)
    balance = hidden_type.sum(axis=1)[:, None]  # E_hidden - I_hidden = Σ_k type(k)
    return pd.DataFrame({
        "run": np.repeat(np.arange(B), N), "input": np.tile(np.arange(N), B),
        "input_type": input_type.ravel().astype(np.int64), "amplitude": amplitude.ravel(),
        "hidden_balance": np.repeat(balance[:, 0], N).astype(np.int64),
        "target_field": target.ravel(),
        # type(i)·A(i)·(E_hidden - I_hidden)
        "predicted": (input_type * amplitude * balance).ravel(),
        "recalled": (read_out(fields, params.readout) == mappings).ravel()})


@with_checks(params=A_PARAMS)
def recall_table(weights, mapping, params):
    """What the network answers to each input (the workshop's recall), as a table with one row per
    input ``i``.

    Columns: ``input``, ``target`` (``pi(i)``), ``output states`` (at recall), ``answer`` (the
    output neuron that answers under ``params.readout``; ``-1``: none) and ``recalled`` (``answer
    == target``).
    """
    mapping = check_mapping(mapping, params.N)
    # the workshop's, when no variant is on
    recalled, winners = variant_convergence(weights, mapping, params)
    outputs = [variant_recall(weights, i, params)[0][-1] for i in range(params.N)]
    return pd.DataFrame({
        "input": np.arange(params.N),
        "target": mapping,
        "output states": [" ".join(f"{s:+.0f}" for s in S) for S in outputs],
        "answer": winners,
        "recalled": recalled,
    })
