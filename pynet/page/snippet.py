"""``export_python``: a stand-alone script that rebuilds a trained network
with ``pynet`` in plain CPython and prints its predictions on a few points.

The model is written as a Python literal (``pprint``: floats in their
shortest exact ``repr``), so ``Network.from_dict`` rebuilds it bit for bit;
the points are written unscaled, as in the data, with the scaling the page
applied (``(v - shift) / scale``), so the script's outputs equal the page's.
"""

from __future__ import annotations

import pprint

from ..network import Network
from .tabular import Table


def python_source(net: Network, table: Table, points: list[list[float]], title: str) -> str:
    """Source text of the script (see the module docstring)."""
    model = pprint.pformat(net.to_dict(), width=96, sort_dicts=False)
    lines = [
        f'"""{title}',
        "",
        "Rebuilds the trained network with pynet (pip install the pynet wheel from the",
        "page's site, or put the pynet folder on sys.path) and prints its outputs.",
        '"""',
        "from pynet import Network",
        "",
        f"MODEL = {model}",
        "",
        f"FEATURES = {table.features!r}",
    ]
    if table.classes is not None:
        lines.append(f"CLASSES = {table.classes!r}")
    if table.shift is not None and table.scale is not None:
        lines += [f"SHIFT = {table.shift!r}", f"SCALE = {table.scale!r}", "",
                  "",
                  "def prepare(row):",
                  f'    """The page\'s scaling ({table.scaling})."""',
                  "    return [(v - s) / d for v, s, d in zip(row, SHIFT, SCALE)]"]
    else:
        lines += ["", "", "def prepare(row):",
                  '    """The page used the values as given."""',
                  "    return list(row)"]
    lines += ["", "",
              f"POINTS = {pprint.pformat(points, width=96)}",
              "",
              "net = Network.from_dict(MODEL)",
              "for point in POINTS:",
              "    output = net.run(prepare(point))"]
    if table.classes is None:
        lines.append("    print(point, '->', output)")
    elif net.layers[-1] == 1:
        mid = 0.0 if net.output_activation in ("tanh", "linear") else 0.5
        lines.append(f"    print(point, '->', output, CLASSES[int(output[0] > {mid!r})])")
    else:
        lines.append("    print(point, '->', output, "
                     "CLASSES[max(range(len(output)), key=output.__getitem__)])")
    return "\n".join(lines) + "\n"


def parse_output(text: str) -> list[tuple[list[float], list[float]]]:
    """``(point, output)`` per line the script prints (for tests and tools)."""
    import ast
    pairs = []
    for line in text.strip().splitlines():
        point, _, rest = line.partition(" -> ")
        end = rest.index("]") + 1
        pairs.append((ast.literal_eval(point), ast.literal_eval(rest[:end])))
    return pairs
