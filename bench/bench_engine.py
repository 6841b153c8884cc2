"""Training-speed benchmark of pynet's engine (a script, not a test).

Run from the repository root:  python bench/bench_engine.py [--quick] [--strict]
(--quick: fewer repeats; --strict: exit status 1 if a target is missed --
by default the status only reports crashes, as timings on a busy machine
vary by +-10 %).

Problem (TF Playground defaults): circle data (500 points, noise 0, half for
training = 250 points, targets -1/+1), network 2-4-2-1 with tanh hidden and
tanh output, squared loss, learning rate 0.03, batch size 10, so one epoch
is 25 steps. Every implementation starts from the same weights and visits
the samples in the same order (``Network.fit``'s shuffle, replayed), so
their final losses agree.

Rows:
  pynet           ``Network.fit`` (shuffles, then ``pynet.fast.epoch``)
  pynet reference the readable ``Network._step`` loop (what fit did before)
  plain lists     a straightforward list-of-lists implementation (below)
  numpy/sample    the course's style (python-course.eu NeuralNetwork.train):
                  np.dot per sample on column vectors, a step per batch
  Pyodide         pynet inside Pyodide under Node (bench/bench_pyodide.mjs)

Targets (issue): pynet >= 5x plain lists, >= 3x numpy/sample on CPython;
pynet in Pyodide >= 1,000 epochs/s and >= 40 % of CPython's.
Also reported: UCI digits 64-32-10 (tanh, softmax + cross-entropy, batch
10), seconds per epoch.

Also imported inside Pyodide by bench_pyodide.mjs (``pyodide_main``), so
nothing here may import numpy at module level.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if (ROOT / "pynet").is_dir() and str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pynet import fast
from pynet.network import Network

try:
    from pynet import datasets
except ImportError:  # pragma: no cover - datasets.py not written yet
    datasets = None

SEED = 1
LR = 0.03
BATCH = 10
TARGETS = {"plain": 5.0, "numpy": 3.0, "pyodide_eps": 1000.0, "pyodide_ratio": 0.40}


# ------------------------------------------------------------------ data
def playground_data() -> tuple[list[list[float]], list[list[float]]]:
    """250 training points of TF's circle data set, targets -1/+1."""
    if datasets is not None and hasattr(datasets, "circle"):
        X, y = datasets.circle(500, 0.0, seed=SEED)
        X, y, _, _ = datasets.split(X, y, 0.5, seed=SEED)
    else:  # the same distribution, generated inline
        rng = random.Random(SEED)
        X, y = [], []
        for count, lo, hi in ((250, 0.0, 2.5), (250, 3.5, 5.0)):
            for _ in range(count):
                r, a = rng.uniform(lo, hi), rng.uniform(0.0, 2 * math.pi)
                X.append([r * math.sin(a), r * math.cos(a)])
                y.append(1 if r < 2.5 else 0)
        idx = list(range(500))
        rng.shuffle(idx)
        X, y = [X[i] for i in idx[:250]], [y[i] for i in idx[:250]]
    return [list(map(float, x)) for x in X], [[1.0 if v == 1 else -1.0] for v in y]


def digits_data() -> tuple[list[list[float]], list[list[float]], str]:
    if datasets is not None and hasattr(datasets, "digits"):
        X, y = datasets.digits()
        source = "pynet.datasets.digits()"
    else:
        rng = random.Random(SEED)
        X = [[float(rng.randrange(17)) for _ in range(64)] for _ in range(1797)]
        y = [rng.randrange(10) for _ in range(1797)]
        source = "random stand-in (pynet.datasets.digits missing)"
    rows = [[v / 16.0 for v in x] for x in X]
    targets = [[1.0 if k == label else 0.0 for k in range(10)] for label in y]
    return rows, targets, source


def playground_net() -> Network:
    return Network([2, 4, 2, 1], activation="tanh", output_activation="tanh",
                   loss="squared", learning_rate=LR, seed=SEED)


def orders(net: Network, n: int, epochs: int) -> list[list[int]]:
    """The sample order of each epoch exactly as ``net.fit`` will shuffle it."""
    rng = random.Random()
    rng.setstate(net.rng.getstate())
    order = list(range(n))
    out = []
    for _ in range(epochs):
        rng.shuffle(order)
        out.append(list(order))
    return out


def mean_loss(W, B, X, T) -> float:
    """Mean squared loss of a tanh network given as plain lists."""
    total = 0.0
    for x, t in zip(X, T):
        a = x
        for w, b in zip(W, B):
            a = [math.tanh(bk + sum(wkj * aj for wkj, aj in zip(row, a))) for row, bk in zip(w, b)]
        total += 0.5 * sum((tk - ok) ** 2 for tk, ok in zip(t, a))
    return total / len(X)


# ------------------------------------------------------------ contenders
def run_pynet(X, T, epochs):
    """``Network.fit`` as users call it; returns (seconds, W, B)."""
    net = playground_net()
    t0 = time.perf_counter()
    net.fit(X, T, epochs=epochs, batch_size=BATCH)
    dt = time.perf_counter() - t0
    return dt, net.weights, net.biases


def run_kernel(X, T, epochs):
    """``fast.epoch`` alone on the same orders (no shuffling inside the timing)."""
    net = playground_net()
    plan = orders(net, len(X), epochs)
    t0 = time.perf_counter()
    for order in plan:
        fast.epoch(net, X, T, order, BATCH, 0.0, 0.0)
    dt = time.perf_counter() - t0
    return dt, net.weights, net.biases


def run_reference(X, T, epochs):
    """The readable reference: a loop of ``Network._step`` (shuffling included)."""
    net = playground_net()
    rng = random.Random()
    rng.setstate(net.rng.getstate())
    order = list(range(len(X)))
    t0 = time.perf_counter()
    for _ in range(epochs):
        rng.shuffle(order)
        for s in range(0, len(order), BATCH):
            idx = order[s:s + BATCH]
            net._step([X[i] for i in idx], [T[i] for i in idx], net.learning_rate)
    dt = time.perf_counter() - t0
    return dt, net.weights, net.biases


def run_plain(X, T, epochs):
    """A straightforward plain-list implementation (lists of lists, loops)."""
    net = playground_net()
    W = [[list(row) for row in w] for w in net.weights]
    B = [list(b) for b in net.biases]
    rng = random.Random()
    rng.setstate(net.rng.getstate())
    order = list(range(len(X)))
    lr = LR
    t0 = time.perf_counter()
    for _ in range(epochs):
        rng.shuffle(order)
        for s in range(0, len(order), BATCH):
            batch = order[s:s + BATCH]
            gW = [[[0.0] * len(row) for row in w] for w in W]
            gB = [[0.0] * len(b) for b in B]
            for i in batch:
                acts = [X[i]]                               # forward
                for w, b in zip(W, B):
                    a = acts[-1]
                    acts.append([math.tanh(bk + sum(wkj * aj for wkj, aj in zip(row, a)))
                                 for row, bk in zip(w, b)])
                out, t = acts[-1], T[i]
                delta = [(ok - tk) * (1.0 - ok * ok) for ok, tk in zip(out, t)]
                for l in range(len(W) - 1, -1, -1):         # backward
                    a = acts[l]
                    for k, dk in enumerate(delta):
                        grow = gW[l][k]
                        for j, aj in enumerate(a):
                            grow[j] += dk * aj
                        gB[l][k] += dk
                    if l:
                        w = W[l]
                        delta = [(1.0 - aj * aj) * sum(w[k][j] * dk for k, dk in enumerate(delta))
                                 for j, aj in enumerate(a)]
            n = len(batch)
            for w, b, gw, gb in zip(W, B, gW, gB):          # step
                for row, grow in zip(w, gw):
                    for j, g in enumerate(grow):
                        row[j] -= lr * g / n
                for k, g in enumerate(gb):
                    b[k] -= lr * g / n
    dt = time.perf_counter() - t0
    return dt, W, B


def run_numpy(X, T, epochs):
    """The course's numpy style: column vectors, np.dot per sample."""
    import numpy as np

    net = playground_net()
    W = [np.array(w) for w in net.weights]
    B = [np.array(b, ndmin=2).T for b in net.biases]
    rng = random.Random()
    rng.setstate(net.rng.getstate())
    order = list(range(len(X)))
    lr = LR
    t0 = time.perf_counter()
    for _ in range(epochs):
        rng.shuffle(order)
        for s in range(0, len(order), BATCH):
            batch = order[s:s + BATCH]
            gW = [np.zeros(w.shape) for w in W]
            gB = [np.zeros(b.shape) for b in B]
            for i in batch:
                x = np.array(X[i], ndmin=2).T
                t = np.array(T[i], ndmin=2).T
                acts = [x]
                for w, b in zip(W, B):
                    acts.append(np.tanh(np.dot(w, acts[-1]) + b))
                out = acts[-1]
                delta = (out - t) * (1.0 - out * out)
                for l in range(len(W) - 1, -1, -1):
                    gW[l] += np.dot(delta, acts[l].T)
                    gB[l] += delta
                    if l:
                        delta = np.dot(W[l].T, delta) * (1.0 - acts[l] * acts[l])
            n = len(batch)
            for l in range(len(W)):
                W[l] -= lr * gW[l] / n
                B[l] -= lr * gB[l] / n
    dt = time.perf_counter() - t0
    return dt, [w.tolist() for w in W], [b[:, 0].tolist() for b in B]


def shuffle_us(n: int = 250, repeats: int = 5, count: int = 200) -> dict:
    """Microseconds per shuffle of ``n`` indices: ``random.shuffle`` (what
    ``fit`` calls each epoch) and the identical, inlined ``fast.shuffle``."""
    out = {}
    for name, fn in (("random.shuffle", lambda r, x: r.shuffle(x)),
                     ("fast.shuffle", fast.shuffle)):
        rng, order, best = random.Random(SEED), list(range(n)), float("inf")
        for _ in range(repeats):
            t0 = time.perf_counter()
            for _ in range(count):
                fn(rng, order)
            best = min(best, (time.perf_counter() - t0) / count)
        out[name] = best * 1e6
    return out


def best_eps(fn, X, T, epochs, repeats):
    """Best epochs/second over ``repeats`` runs of ``epochs`` epochs."""
    best = min(fn(X, T, epochs)[0] for _ in range(repeats))
    return epochs / best


def digits_seconds(epochs: int = 2, reference: bool = False) -> dict:
    X, T, source = digits_data()
    net = Network([64, 32, 10], activation="tanh", output_activation="softmax",
                  loss="cross_entropy", learning_rate=0.1, seed=SEED)
    fast.kernel(net)  # compile outside the timing
    times = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        net.fit(X, T, epochs=1, batch_size=BATCH)
        times.append(time.perf_counter() - t0)
    out = {"digits_source": source, "digits_s_per_epoch": min(times),
           "digits_loss": net.loss(X, T)}
    if reference:
        ref = Network([64, 32, 10], activation="tanh", output_activation="softmax",
                      loss="cross_entropy", learning_rate=0.1, seed=SEED)
        order = list(range(len(X)))
        t0 = time.perf_counter()
        for s in range(0, len(order), BATCH):
            idx = order[s:s + BATCH]
            ref._step([X[i] for i in idx], [T[i] for i in idx], ref.learning_rate)
        out["digits_reference_s_per_epoch"] = time.perf_counter() - t0
    return out


def pyodide_main(quick: bool = False) -> dict:
    """The timing run inside Pyodide (called by bench_pyodide.mjs)."""
    X, T = playground_data()
    epochs, repeats = (200, 3) if quick else (400, 5)
    out = {"python": sys.version.split()[0], "platform": sys.platform,
           "pynet_eps": best_eps(run_pynet, X, T, epochs, repeats),
           "kernel_eps": best_eps(run_kernel, X, T, epochs, repeats)}
    _, W, B = run_pynet(X, T, 20)
    out["loss_20"] = mean_loss(W, B, X, T)
    out["shuffle_us"] = shuffle_us()
    out.update(digits_seconds(1))
    return out


# ------------------------------------------------------------------ main
def run_pyodide(quick: bool) -> dict:
    node = shutil.which("node")
    script = HERE / "bench_pyodide.mjs"
    if node is None:
        return {"skipped": "node not found on PATH"}
    if not (ROOT / "node_modules" / "pyodide" / "pyodide.mjs").is_file():
        return {"skipped": "node_modules/pyodide missing (run npm ci)"}
    cmd = [node, str(script)] + (["--quick"] if quick else [])
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=240, cwd=ROOT, check=False)
    except subprocess.TimeoutExpired:
        return {"skipped": "bench_pyodide.mjs timed out"}
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return {"skipped": f"bench_pyodide.mjs failed: {' | '.join(tail)}"}
    return json.loads(lines[-1])


FAILED: list[str] = []


def verdict(ok: bool, label: str = "") -> str:
    if not ok:
        FAILED.append(label)
    return "PASS" if ok else "FAIL"


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    X, T = playground_data()
    print(f"pynet engine benchmark  (CPython {sys.version.split()[0]}, {sys.platform})")
    print(f"problem: circle, {len(X)} training points, 2-4-2-1 tanh/tanh, squared loss, "
          f"lr {LR}, batch {BATCH} ({math.ceil(len(X) / BATCH)} steps per epoch)")
    try:
        import numpy  # noqa: F401
        have_numpy = True
    except ImportError:
        have_numpy = False

    # same start, same orders: the final losses after 20 epochs agree
    check = {"pynet": run_pynet, "pynet reference": run_reference, "plain lists": run_plain}
    if have_numpy:
        check["numpy/sample"] = run_numpy
    losses = {name: mean_loss(*fn(X, T, 20)[1:], X, T) for name, fn in check.items()}

    r = 3 if quick else 5
    plan = {  # name: (function, epochs per run)
        "pynet": (run_pynet, 150 if quick else 300),
        "pynet kernel only": (run_kernel, 150 if quick else 300),
        "pynet reference": (run_reference, 10 if quick else 20),
        "plain lists": (run_plain, 10 if quick else 30),
    }
    if have_numpy:
        plan["numpy/sample"] = (run_numpy, 5 if quick else 15)
    best: dict[str, float] = {name: 0.0 for name in plan}
    for _ in range(r):  # interleaved, so load changes hit every row alike
        for name, (fn, epochs) in plan.items():
            best[name] = max(best[name], epochs / fn(X, T, epochs)[0])

    pyo = run_pyodide(quick)
    dig = digits_seconds(2 if quick else 3, reference=not quick)

    print()
    print(f"{'implementation':28s} {'epochs/s':>10s} {'pynet is':>10s}  loss after 20 epochs")
    for name in plan:
        ratio = best["pynet"] / best[name]
        loss = losses.get(name.replace(" kernel only", ""), None)
        print(f"{name:28s} {best[name]:10.0f} {ratio:9.2f}x  "
              f"{'' if loss is None else f'{loss:.15f}'}")
    if "skipped" in pyo:
        print(f"{'pynet in Pyodide':28s} {'skipped':>10s}   ({pyo['skipped']})")
    else:
        print(f"{'pynet in Pyodide':28s} {pyo['pynet_eps']:10.0f} "
              f"{best['pynet'] / pyo['pynet_eps']:9.2f}x  {pyo['loss_20']:.15f}"
              f"   (Python {pyo['python']})")
        print(f"{'pynet kernel only, Pyodide':28s} {pyo['kernel_eps']:10.0f}")
    print()
    print("targets")
    rows = [("pynet / plain lists", best["pynet"] / best["plain lists"], TARGETS["plain"], "x")]
    if have_numpy:
        rows.append(("pynet / numpy per sample", best["pynet"] / best["numpy/sample"],
                     TARGETS["numpy"], "x"))
    for label, value, target, unit in rows:
        v = verdict(value >= target, label)
        print(f"  {label:36s} {value:8.2f}{unit}  >= {target:g}{unit}   {v}")
    if not have_numpy:
        print("  pynet / numpy per sample             skipped (numpy not installed)")
    if "skipped" in pyo:
        print(f"  pynet in Pyodide                     skipped ({pyo['skipped']})")
    else:
        for label, key, cpy in (("", "pynet_eps", "pynet"),
                                (" (kernel only)", "kernel_eps", "pynet kernel only")):
            eps, ratio = pyo[key], pyo[key] / best[cpy]
            v_eps = verdict(eps >= TARGETS["pyodide_eps"], "Pyodide epochs/s" + label)
            v_ratio = verdict(ratio >= TARGETS["pyodide_ratio"], "Pyodide / CPython" + label)
            print(f"  {'pynet in Pyodide' + label + ', epochs/s':36s} {eps:8.0f}   >= "
                  f"{TARGETS['pyodide_eps']:g}    {v_eps}")
            print(f"  {'Pyodide / CPython' + label:36s} {100 * ratio:7.1f}%  >= "
                  f"{100 * TARGETS['pyodide_ratio']:g}%     {v_ratio}")
    print()
    print("per-epoch shuffle of 250 indices in fit (included in the 'pynet' rows):")
    shuf = shuffle_us()
    print(f"  CPython  random.shuffle {shuf['random.shuffle']:6.1f} us, identical inlined "
          f"fast.shuffle {shuf['fast.shuffle']:6.1f} us")
    if "skipped" not in pyo:
        ps = pyo["shuffle_us"]
        print(f"  Pyodide  random.shuffle {ps['random.shuffle']:6.1f} us, identical inlined "
              f"fast.shuffle {ps['fast.shuffle']:6.1f} us")
    print()
    print(f"digits 64-32-10 (tanh, softmax + cross-entropy, batch {BATCH}, 1797 samples, "
          f"{dig['digits_source']})")
    print(f"  pynet CPython        {dig['digits_s_per_epoch']:8.3f} s/epoch  "
          f"(loss after {2 if quick else 3} epochs {dig['digits_loss']:.4f})")
    if "digits_reference_s_per_epoch" in dig:
        print(f"  reference CPython    {dig['digits_reference_s_per_epoch']:8.3f} s/epoch")
    if "skipped" not in pyo:
        print(f"  pynet in Pyodide     {pyo['digits_s_per_epoch']:8.3f} s/epoch")
    if FAILED:
        print(f"\n{len(FAILED)} target(s) missed in this run: {', '.join(FAILED)}")
    return 1 if FAILED and "--strict" in argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
