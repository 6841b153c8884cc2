"""Errors pynet raises besides the built-in ValueError and TypeError."""

from __future__ import annotations


class DivergedError(ArithmeticError):
    """A training step produced a non-finite loss or weight.

    The network is left exactly as it was before that step (the step is
    rolled back), so nothing the user had is lost. ``step`` is the failing
    step, counted from 1 over the whole call (always 1 for ``train`` and
    ``train_batch``), ``epoch`` is the epoch of ``fit`` (1-based, ``None``
    outside ``fit``) and ``loss`` the value that was not finite (or the
    loss before the bad step).
    """

    def __init__(self, message: str, *, loss: float | None = None,
                 epoch: int | None = None, step: int | None = None) -> None:
        super().__init__(message)
        self.loss = loss
        self.epoch = epoch
        self.step = step
