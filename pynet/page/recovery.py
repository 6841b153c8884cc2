"""The recovery requests: ``checkpoint`` (what the page keeps of a session) and
``restore`` (rebuild a fresh session, in a new worker, from the page's own
copy -- settings, own data, model JSON -- exactly as it was).

``load_model`` makes the settings follow the model (``auto`` resolved to the
output it chose); a restore must give back the very settings the page had, so
it builds from the settings first, then takes only the weights, the biases
and the epoch from the model, after checking they fit the network built.
"""

from __future__ import annotations

from ..network import Network
from . import data, model_files, session
from .model_files import ModelError
from .settings import LIMITS
from .state import Answer, Request, State


def restore(st: State, req: Request) -> Answer:
    """``{"settings", "json"?, "data"?, "split"?, "table"?, "preset"?}``; on any error
    the session is left as it was (the error names what did not fit). ``split``
    and ``table``: the own data's train/test split and what its CSV cannot say
    (classes, scaling), export_data's: a copy that was accepted once restores,
    even with every point removed or written longer than csv_chars."""
    settings, text, csv_text, preset = (req.get("settings", {}), req.get("json"), req.get("data"),
                                    req.get("preset"))
    with st.transaction():
        if csv_text is not None:
            data.load_csv(st, {"text": csv_text, "settings": settings, "split": req.get("split"),
                               "table": req.get("table")}, copy=True)
        else:
            session.init(st, {"settings": settings})
        if preset:
            session.preset(st, {"name": preset})
        if text is not None:
            if not isinstance(text, str) or len(text) > LIMITS["model_chars"]:
                raise ModelError("json: expected the model's JSON text within model_chars")
            d = model_files.parse_model_json(text)
            if not isinstance(d, dict):
                raise ModelError("model: expected a JSON object")
            try:
                saved = Network.from_dict(d)
            except (ValueError, TypeError, ArithmeticError) as exc:
                raise ModelError(f"model: {exc}") from None
            net = st.need_net()
            if (saved.layers, saved.activation, saved.output_activation, saved.bias) != \
                    (net.layers, net.activation, net.output_activation, net.bias):
                raise ModelError(f"model: layers {saved.layers} ({saved.activation}, "
                                 f"{saved.output_activation}) do not match the network these "
                                 f"settings build ({net.layers}, {net.activation}, "
                                 f"{net.output_activation})")
            pg = d.get("playground")
            epoch = pg.get("epoch", 0) if isinstance(pg, dict) else 0
            if isinstance(epoch, bool) or not isinstance(epoch, int) or not 0 <= epoch <= 10 ** 9:
                raise ModelError(f"model: 'playground.epoch' must be a whole number >= 0, "
                                 f"got {epoch!r:.20}")
            net.weights = [[list(r) for r in w] for w in saved.weights]
            net.biases = [list(b) for b in saved.biases]
            st.epoch = epoch
    return st.report(req)


def checkpoint(st: State, req: Request) -> Answer:
    """``{"data": bool}``: in one answer (so they belong together) the settings,
    the epoch, the preset (or null), the model JSON (export_model's) and, when ``data`` is true and the
    data are own data, the CSV and its split (export_data's): what the page keeps
    to restore."""
    # no losses: a pass over every point (digits: seconds in Pyodide) that the
    # copy does not keep; the page takes one every 2 s while playing
    answer = st.report({"losses": False})
    out = {"settings": answer["settings"], "epoch": st.epoch, "preset": st.preset,
           "json": model_files.export_model(st, {})["json"], "data": None}
    if req.get("data") is True and answer["settings"]["dataset"] == "custom":
        exported = data.export_data(st, {})
        out["data"], out["split"], out["table"] = exported["csv"], exported["split"], exported["table"]
    return out
