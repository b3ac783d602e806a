"""A faithful transcription of the workshop's own training loops: every weight updated in Python
loops.

It follows the workshop's code fragments (`clamp_neurons`, `forward_pass`, `activation_function`,
`update_weights_using_hebbian`, `check_convergence`) with its data layout: one ``L × N`` array of
neuron states and a dictionary of weight matrices keyed by layer pair. It is kept here, not in the
module, as the speed baseline; it computes every weight in the same order as ``hebb_core`` (strict
read-out, fixed order, no Dale), so both give the same epochs.
"""

import numpy as np


def activation_function(x):
    return np.where(x >= 0, 1.0, -1.0)


def train_workshop_loops(weights, types, mapping, L, N, epsilon=0.01, max_epochs=2000):
    """Train one network as the workshop's code did; returns ``(epochs_to_convergence, converged,
    weight_matrices)``.

    weights : list of ``L-1`` ``(N, N)`` matrices; types : ``(L-1)·N`` values ±1, layer by layer.
    """
    input_layer, output_layer = 0, L - 1
    weight_matrices = {(layer, layer + 1): np.array(W, dtype=float) for layer,
                       W in enumerate(weights)}
    neuron_types = np.asarray(types, dtype=float).reshape(L - 1, N)
    neuron_states = np.zeros((L, N))

    def clamp_neurons(input_idx, output_idx):
        neuron_states.fill(0)
        neuron_states[input_layer, input_idx] = 1
        neuron_states[output_layer, output_idx] = 1

    def forward_pass(last_layer):
        for layer in range(1, last_layer + 1):
            weight_matrix = weight_matrices[(layer - 1, layer)]
            for j in range(N):
                total = neuron_states[layer - 1, 0] * weight_matrix[0, j]
                for i in range(1, N):
                    total = total + neuron_states[layer - 1, i] * weight_matrix[i, j]
                neuron_states[layer, j] = activation_function(total)

    def update_weights_using_hebbian():
        for layer in range(L - 1):
            weight_matrix = weight_matrices[(layer, layer + 1)]
            for i in range(N):
                neuron_type = neuron_types[layer, i]
                pre_activity = neuron_states[layer, i]
                for j in range(N):
                    post_activity = neuron_states[layer + 1, j]
                    # Hebbian update rule
                    current_weight = weight_matrix[i, j]
                    weight_change = epsilon * pre_activity * post_activity * neuron_type
                    new_weight = (1 - epsilon) * current_weight + weight_change
                    weight_matrix[i, j] = new_weight

    def check_convergence():
        for input_idx in range(N):
            neuron_states.fill(0)
            neuron_states[input_layer, input_idx] = 1
            forward_pass(output_layer)
            firing = [j for j in range(N) if neuron_states[output_layer, j] > 0]
            if firing != [mapping[input_idx]]:
                return False
        return True

    for epoch in range(1, max_epochs + 1):
        for input_idx in range(N):
            clamp_neurons(input_idx, mapping[input_idx])
            forward_pass(output_layer - 1)
            update_weights_using_hebbian()
        if check_convergence():
            return epoch, True, list(weight_matrices.values())
    return max_epochs, False, list(weight_matrices.values())
