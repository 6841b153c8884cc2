"""The one object that owns the page's state: settings, data, network, the
stepping cursor and the panel's names, with the few computations every
request needs (building from settings, the inputs and targets the network
sees, losses and accuracies, the state answer) and one transaction:

    with st.transaction():      # a refused change changes nothing
        ...

Request handlers (``pynet.page.session``, ``training``, ``data``, ...) take
a :class:`State` and the request dict and return the answer dict; the table
of every request is ``pynet.page.requests.REQUESTS``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from .. import forward, losses
from ..network import Network
from . import settings as _s
from . import tabular
from .settings import SettingsError, validate_settings
from .spec import Spec
from .values import finite_or_none

Request = dict[str, Any]
Answer = dict[str, Any]
#: the weights, the biases and the generator's state of a network (State.snapshot)
Params = tuple[list[list[list[float]]], list[list[float]], Any]


class State:
    """One training session. Not thread-safe (Pyodide has no threads)."""

    def __init__(self) -> None:
        self.settings: dict[str, Any] | None = None
        self.net: Network | None = None
        self.epoch = 0
        self.train_x: list[list[float]] = []
        self.train_t: list[list[float]] = []
        self.test_x: list[list[float]] = []
        self.test_t: list[list[float]] = []
        self.table: tabular.Table | None = None      # every point of the current data, unscaled
        self.custom: tabular.Table | None = None     # the user's own data (dataset "custom")
        self.train_idx: list[int] = []               # rows of table in the training set
        self.test_idx: list[int] = []
        # own data's split as the user saw it, kept across rebuilds (data.kept_split)
        self.custom_split: dict[str, Any] | None = None
        self.spec: Spec | None = None
        self.stopped: str | None = None              # why the last training stopped
        self.panel_ns: dict[str, Any] = {}           # the Python panel's names, kept between runs
        # the epoch cursor of the fine steps (pynet.page.training)
        self._order: list[int] = []
        self._cursor = 0
        self._order_key: tuple[Any, int] | None = None
        # the loss seen while training the current epoch: ((net, epoch), sum, count)
        self._seen: tuple[Any, float, int] = (None, 0.0, 0)
        self._preset: tuple[str, Any] | None = None
        # the last traced step (pynet.page.gradient): rows, weights before it, its updates
        self.last_step: dict[str, Any] | None = None

    # ------------------------------------------------------------ transaction
    @contextlib.contextmanager
    def transaction(self, params: bool = False) -> Iterator[None]:
        """On any exception in the block, put every attribute back as it was
        (and, with ``params``, the network's weights, biases and generator,
        which are changed in place), then re-raise: a refused change changes
        nothing."""
        keep = dict(vars(self))
        net = self.net
        saved = self.snapshot() if params and net is not None else None
        try:
            yield
        except BaseException:
            vars(self).clear()
            vars(self).update(keep)
            if saved is not None:
                self.restore_snapshot(saved)
            raise

    def snapshot(self) -> Params:
        net = self.need_net()
        return ([[list(row) for row in w] for w in net.weights],
                [list(b) for b in net.biases], net.rng.getstate())

    def restore_snapshot(self, snap: Params) -> None:
        """Write a snapshot back into the network (in place: the panel's ``net``
        and anything holding its rows see the same lists)."""
        net = self.need_net()
        weights, biases, rng_state = snap
        for w, saved in zip(net.weights, weights):
            for row, new in zip(w, saved):
                row[:] = new
        for b, new in zip(net.biases, biases):
            b[:] = new
        net.rng.setstate(rng_state)

    # ------------------------------------------------------------ building
    @property
    def preset(self) -> str | None:
        """The preset that built the current network, or None (init and
        set_state build a new network, which ends the preset)."""
        if self._preset is not None and self._preset[1] is self.net:
            return self._preset[0]
        return None

    def validate(self, settings: Any, base: dict[str, Any] | None = None) -> dict[str, Any]:
        return validate_settings(settings, base, len(self.custom.features) if self.custom else None)

    def _table(self, s: dict[str, Any]) -> tabular.Table:
        if s["dataset"] != "custom":
            return tabular.generated(s["dataset"], s["samples"], s["noise"], s["seed"],
                                     s["train_ratio"])
        if self.custom is None:
            raise SettingsError("dataset: 'custom' is your own data and there is none yet: "
                                "load a CSV or add points first")
        return self.custom

    def build(self, settings: dict[str, Any]) -> None:
        """Data, split and a fresh network for the settings; changes nothing on error."""
        s = settings
        table = self._table(s)
        kept = self.kept_split(s, table)    # own data: the split the user saw
        train_idx, test_idx = kept or tabular.split_indices(len(table.x), s["train_ratio"], s["seed"])
        if kept is None and (not train_idx or not test_idx):
            raise SettingsError(f"train_ratio: {s['train_ratio']:g} of {len(table.x)} samples "
                                f"leaves an empty training or test set")
        spec = Spec(s, table)
        net = Network([len(table.features), *s["hidden"], spec.outputs],
                      activation=s["activation"], output_activation=spec.output_activation,
                      loss=spec.loss, bias=s["bias"], learning_rate=s["learning_rate"],
                      init=s["init"], seed=s["seed"])
        self.settings = s
        self.net = net
        self.epoch = 0
        self.table, self.spec = table, spec
        self.train_idx, self.test_idx = train_idx, test_idx
        self.derive()

    def kept_split(self, s: dict[str, Any],
                   table: tabular.Table) -> tuple[list[int], list[int]] | None:
        """The split own data keeps while ``seed`` and ``train_ratio`` stay (None: split
        by the seed): the one in force when the network is rebuilt (another hidden
        size), when the user comes back from another data set, or the one given to
        load_csv (a reload). Points clicked into the training set stay there."""
        if self.settings is not None and self.settings["dataset"] == "custom" and \
                self.table is self.custom:
            self.custom_split = {"table": self.table, "seed": self.settings["seed"],
                                 "train_ratio": self.settings["train_ratio"],
                                 "train": list(self.train_idx), "test": list(self.test_idx)}
        k = self.custom_split
        if s["dataset"] != "custom" or k is None or k["table"] is not table or \
                (k["seed"], k["train_ratio"]) != (s["seed"], s["train_ratio"]):
            return None
        return list(k["train"]), list(k["test"])

    def derive(self) -> None:
        """The network's inputs and targets from the table (scaled, encoded)."""
        assert self.table is not None and self.spec is not None
        t, spec = self.table, self.spec
        self.train_x = [t.scaled(t.x[i]) for i in self.train_idx]
        self.train_t = [spec.encode(t.y[i]) for i in self.train_idx]
        self.test_x = [t.scaled(t.x[i]) for i in self.test_idx]
        self.test_t = [spec.encode(t.y[i]) for i in self.test_idx]
        self.rows_changed()

    def need_net(self) -> Network:
        if self.net is None:
            raise SettingsError("no network yet: send {\"op\": \"init\"} first")
        return self.net

    def rows_changed(self) -> None:
        """The training rows changed (a data edit, a rebuild, a preset): the epoch
        order drawn for the old rows no longer indexes them, so the next fine step
        draws a new one (the samples already stepped stay trained)."""
        self._order, self._cursor, self._order_key = [], 0, None
        self.last_step = None

    def no_preset(self, what: str) -> None:
        """Refuse ``what`` while a preset's own example is trained instead of the data."""
        if self.preset is not None:
            raise SettingsError(f"{what}: the {self.preset} preset trains its own example, not "
                                f"a data set; choose a data set first")

    def need_rows(self, what: str) -> None:
        """Refuse ``what`` when there is no training point to train or trace."""
        if not self.train_x:
            raise SettingsError(f"{what}: there are no training points (add points, load a CSV "
                                f"or choose a data set)")

    def need_data(self) -> tuple[Network, dict[str, Any], tabular.Table, Spec]:
        """The network, settings, table and spec of a session built from settings."""
        net = self.need_net()
        assert self.settings is not None and self.table is not None and self.spec is not None
        return net, self.settings, self.table, self.spec

    # ------------------------------------------------------------ measuring
    def losses(self) -> Answer:
        self.need_net()
        train_loss, train_acc = self.measure(self.train_x, self.train_t, self.train_idx)
        test_loss, test_acc = self.measure(self.test_x, self.test_t, self.test_idx)
        return {"epoch": self.epoch, "train_loss": train_loss, "test_loss": test_loss,
                "train_accuracy": train_acc, "test_accuracy": test_acc}

    def measure(self, xs: list[list[float]], ts: list[list[float]],
                rows: list[int]) -> tuple[float | None, float | None]:
        """Mean loss (= Network.loss) and accuracy (classes only) in one forward pass."""
        net, spec, table = self.need_net(), self.spec, self.table
        if not xs or spec is None or table is None:
            return None, None
        # a preset trains its own example, not the table's rows: no classes to count
        classes = spec.classes if self.preset is None else None
        total, right = 0.0, 0
        name, out_act = net.loss_name, net.output_activation
        # the output layer's (z, o) from a generated forward pass (pynet.forward),
        # the same numbers as net._forward gives, several times faster
        for (z, o), t, r in zip(forward.last_layer(net, xs), ts, rows):
            total += losses.loss(name, out_act, z, o, t)
            if classes and spec.decide(o) == table.y[r]:
                right += 1
        return finite_or_none(total / len(xs)), (right / len(xs) if classes else None)

    def describe(self) -> Answer:
        """What ``state`` reports about the data and the model besides the numbers."""
        t, spec = self.table, self.spec
        dataset = (self.settings or {}).get("dataset", "")
        return {"kind": t.kind if t else None, "classes": t.classes if t else None,
                "features": t.features if t else None, "scaling": t.scaling if t else None,
                "outputs": spec.outputs if spec else None,
                # hidden's node limit for this data (the page's +/- buttons stop there)
                "hidden_nodes": _s.node_limit(dataset, len(t.features)) if t else None}

    def report(self, req: Request) -> Answer:
        """The ``state`` request's answer: the full snapshot."""
        net = self.need_net()
        # "losses": false (the stepping ops on big data) skips the losses' forward
        # passes over every point; the answer then has no loss or accuracy keys
        out: Answer = self.losses() if req.get("losses", True) is not False else {"epoch": self.epoch}
        out.update({
            "settings": dict(self.settings or {}),
            "layers": list(net.layers),
            "activations": net.layer_activations,
            "weights": [[list(row) for row in w] for w in net.weights],
            "biases": [list(b) for b in net.biases],
            "train_size": len(self.train_x),
            "test_size": len(self.test_x),
            "loss": net.loss_name,
        })
        out.update(self.describe())
        return out

