"""pynet: backpropagation you can watch.

A small, exact, standard-library-only neural network whose every number can
be explained: ``Network`` (the engine), ``Trace`` (one step, with the error
shares the course talks about), ``NeuralNetwork`` (the course's own class).
"""

from __future__ import annotations

from . import datasets, metrics
from .course import NeuralNetwork
from .errors import DivergedError
from .gradient_check import gradcheck
from .network import Network
from .trace import Trace

__all__ = [
           "DivergedError",
           "Network",
           "NeuralNetwork",
           "Trace",
           "datasets",
           "gradcheck",
           "metrics",
]
__version__ = "0.1.0"
