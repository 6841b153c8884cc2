"""``NeuralNetwork(mode="course")`` against the course's own published code.

The two classes below transcribe python-course.eu's ``train`` methods with
their numpy operations in their order (the one-hidden-layer class with a
bias node, ``weights_in_hidden``/``weights_hidden_out``, whose older form
names them ``wih``/``who``; and the ``network_structure`` class for any
number of layers). Both add the output step to the weights *first* and then
send the raw error back through the updated weights; both cut the bias
node's row off the error sent back. pynet's course mode must give their
numbers after every step, on several shapes. Marked numpy: CPython only.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

import pynet

pytestmark = pytest.mark.numpy


def activation_function(x):
    return 1 / (1 + np.exp(-x))


class CourseOneHidden:
    """The course's ``NeuralNetwork`` with bias nodes (train_single)."""

    def __init__(self, wih, who, learning_rate, bias=None):
        self.weights_in_hidden = np.array(wih, dtype=float)
        self.weights_hidden_out = np.array(who, dtype=float)
        self.learning_rate = learning_rate
        self.bias = bias

    def train(self, input_vector, target_vector):
        if self.bias:
            # adding bias node to the end of the input_vector
            input_vector = np.concatenate((input_vector, [self.bias]))
        input_vector = np.array(input_vector, ndmin=2).T
        target_vector = np.array(target_vector, ndmin=2).T
        output_vector1 = np.dot(self.weights_in_hidden, input_vector)
        output_vector_hidden = activation_function(output_vector1)
        if self.bias:
            output_vector_hidden = np.concatenate((output_vector_hidden, [[self.bias]]))
        output_vector2 = np.dot(self.weights_hidden_out, output_vector_hidden)
        output_vector_network = activation_function(output_vector2)
        output_errors = target_vector - output_vector_network
        # update the weights:
        tmp = output_errors * output_vector_network * (1.0 - output_vector_network)
        tmp = self.learning_rate * np.dot(tmp, output_vector_hidden.T)
        self.weights_hidden_out += tmp
        # calculate hidden errors:
        hidden_errors = np.dot(self.weights_hidden_out.T, output_errors)
        # update the weights:
        tmp = hidden_errors * output_vector_hidden * (1.0 - output_vector_hidden)
        if self.bias:
            x = np.dot(tmp, input_vector.T)[:-1, :]   # last element cut off
        else:
            x = np.dot(tmp, input_vector.T)
        self.weights_in_hidden += self.learning_rate * x


class CourseStructure:
    """The course's ``NeuralNetwork(network_structure=...)`` (train_single)."""

    def __init__(self, matrices, learning_rate, bias=None):
        self.structure = None
        self.weights_matrices = [np.array(m, dtype=float) for m in matrices]
        self.learning_rate = learning_rate
        self.bias = bias

    def train(self, input_vector, target_vector):
        no_of_layers = len(self.weights_matrices) + 1
        input_vector = np.array(input_vector, ndmin=2).T
        layer_index = 0
        # The output/input vectors of the various layers:
        res_vectors = [input_vector]
        while layer_index < no_of_layers - 1:
            in_vector = res_vectors[-1]
            if self.bias:
                # adding bias node to the end of the 'input'_vector
                in_vector = np.concatenate((in_vector, [[self.bias]]))
                res_vectors[-1] = in_vector
            x = np.dot(self.weights_matrices[layer_index], in_vector)
            out_vector = activation_function(x)
            res_vectors.append(out_vector)
            layer_index += 1
        layer_index = no_of_layers - 1
        target_vector = np.array(target_vector, ndmin=2).T
        # The input vectors to the various layers
        output_errors = target_vector - out_vector
        while layer_index > 0:
            out_vector = res_vectors[layer_index]
            in_vector = res_vectors[layer_index - 1]
            if self.bias and not layer_index == (no_of_layers - 1):  # noqa: SIM201  (the course's code)
                out_vector = out_vector[:-1, :].copy()
            tmp = output_errors * out_vector * (1.0 - out_vector)
            tmp = np.dot(tmp, in_vector.T)
            self.weights_matrices[layer_index - 1] += self.learning_rate * tmp
            output_errors = np.dot(self.weights_matrices[layer_index - 1].T, output_errors)
            if self.bias:
                output_errors = output_errors[:-1, :]
            layer_index -= 1


def assert_matrices(got, want, what):
    assert len(got) == len(want)
    for l, (g, w) in enumerate(zip(got, want)):
        np.testing.assert_allclose(np.array(g), w, rtol=1e-12, atol=1e-14,
                                   err_msg=f"{what}: matrix {l}")


def test_the_notes_vector_after_one_step():
    """seed-math.md: wih after one step of the course's code."""
    WIH = [[0.15, 0.20], [0.25, 0.30]]
    WHO = [[0.40, 0.45], [0.50, 0.55]]
    x, t = [0.05, 0.10], [0.01, 0.99]
    course = CourseOneHidden(WIH, WHO, 0.5)
    course.train(x, t)
    want = [[0.1498145367602327, 0.19962907352046544],
            [0.24974191623746944, 0.29948383247493887]]
    np.testing.assert_allclose(course.weights_in_hidden, want, rtol=1e-15)
    nn = pynet.NeuralNetwork(2, 2, 2, 0.5, mode="course")
    nn.wih, nn.who = WIH, WHO
    nn.train(x, t)
    assert_matrices([nn.wih, nn.who], [course.weights_in_hidden, course.weights_hidden_out],
                    "2-2-2")
    # the structure form of the course's code agrees with its one-hidden form
    other = CourseStructure([WIH, WHO], 0.5)
    other.train(x, t)
    assert_matrices(other.weights_matrices,
                    [course.weights_in_hidden, course.weights_hidden_out], "forms")


@pytest.mark.parametrize("bias", [None, 1.0, 0.5, -2.0])
@pytest.mark.parametrize("shape", [(2, 3, 2), (3, 5, 1), (1, 1, 1), (4, 2, 3)])
def test_one_hidden_layer_as_the_course_does_it(shape, bias):
    n_in, n_hidden, n_out = shape
    rng = random.Random(hash((shape, bias)) % 1000)
    nn = pynet.NeuralNetwork(n_in, n_out, n_hidden, 0.4, bias=bias, mode="course",
                             seed=rng.randrange(1000))
    course = CourseOneHidden(nn.wih, nn.who, 0.4, bias)
    for step in range(6):
        x = [rng.uniform(-1, 1) for _ in range(n_in)]
        t = [rng.uniform(0.01, 0.99) for _ in range(n_out)]
        nn.train(x, t)
        course.train(np.array(x), t)
        assert_matrices([nn.wih, nn.who], [course.weights_in_hidden, course.weights_hidden_out],
                        f"{shape} bias={bias} step {step + 1}")


@pytest.mark.parametrize("bias", [None, 1.0, 0.5])
@pytest.mark.parametrize("structure", [[2, 3, 2], [3, 4, 5, 2], [2, 3, 3, 3, 1], [5, 2, 6, 3]])
def test_network_structure_as_the_course_does_it(structure, bias):
    rng = random.Random(len(structure) * 10 + (0 if bias is None else int(bias * 4)))
    nn = pynet.NeuralNetwork(network_structure=structure, learning_rate=0.3, bias=bias,
                             mode="course", seed=rng.randrange(1000))
    course = CourseStructure(nn.weights_matrices, 0.3, bias)
    for step in range(5):
        x = [rng.uniform(-1, 1) for _ in range(structure[0])]
        t = [rng.uniform(0.01, 0.99) for _ in range(structure[-1])]
        nn.train(x, t)
        course.train(x, t)
        assert_matrices(nn.weights_matrices, course.weights_matrices,
                        f"{structure} bias={bias} step {step + 1}")


def test_updated_weights_matter():
    """The difference from pre-update errors is real, not within tolerance."""
    nn = pynet.NeuralNetwork(2, 2, 2, 0.5, mode="course")
    nn.wih, nn.who = [[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]
    nn.train([0.05, 0.10], [0.01, 0.99])
    pre_update = [[0.14963237256764172, 0.19926474513528344],
                  [0.24955845292242282, 0.2991169058448456]]
    assert abs(nn.wih[0][0] - pre_update[0][0]) > 1e-4
