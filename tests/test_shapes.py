"""spec.shapes(): the data sets' input and output sizes the page draws
before Python is ready (written into build-info.js) are those of the
networks the facade really builds."""

from __future__ import annotations

import json

from pynet.page import spec
from pynet.facade import Facade
from pynet.page.settings import DATASETS, OUTPUT_ACTIVATIONS


def test_shapes_are_the_layers_the_facade_builds_for_every_data_set_and_output():
    shapes = spec.shapes()
    assert set(shapes) == set(DATASETS) - {"custom"}
    checked = 0
    for name, shape in shapes.items():
        for act in OUTPUT_ACTIVATIONS:
            hidden = [4, 2]
            r = json.loads(Facade().handle(json.dumps(
                {"op": "init", "settings": {"dataset": name, "output_activation": act,
                                            "hidden": hidden}})))
            if not r["ok"]:     # e.g. softmax on regression: not offered in shapes either
                assert act not in shape["outputs"], (name, act, r["error"])
                continue
            assert r["layers"] == [shape["inputs"], *hidden, shape["outputs"][act]], (name, act)
            checked += 1
    assert checked >= 30


def test_iris_and_digits_shapes():
    shapes = spec.shapes()
    assert shapes["iris"]["inputs"] == 4 and shapes["iris"]["outputs"]["auto"] == 3
    assert shapes["digits"]["inputs"] == 64 and shapes["digits"]["outputs"]["auto"] == 10
    assert shapes["plane"]["outputs"] == {"auto": 1, "tanh": 1, "sigmoid": 1, "linear": 1}
