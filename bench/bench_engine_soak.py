"""Python-side soak (run by `python3 build.py bench`; not a test): a million
online `Network.train` steps on the default problem's network (2-4-2-1 tanh,
circle data). After 100,000 steps and after 1,000,000: the memory blocks the
interpreter has allocated (sys.getallocatedblocks), the objects the garbage
collector tracks and the resident set size; then tracemalloc over 10,000 more
steps (tracing all the way would take ~10x as long): the traced growth and
the lines that grew most. Goal (issue 9): no growth.
"""

from __future__ import annotations

import gc
import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pynet import Network
from pynet.facade import Facade

STEPS = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 1_000_000
WARM_UP = STEPS // 10
TRACED = 10_000


def measure() -> dict:
    gc.collect()
    with open("/proc/self/statm") as f:
        rss = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    return {"blocks": sys.getallocatedblocks(), "objects": len(gc.get_objects()), "rss": rss}


def main() -> int:
    f = Facade()
    f.request({"op": "init", "settings": {}})           # the default problem's data
    xs, ts = f.train_x, f.train_t
    n = len(xs)
    net = Network([2, 4, 2, 1], activation="tanh", output_activation="tanh", learning_rate=0.03, seed=1)
    t0 = time.perf_counter()
    for i in range(WARM_UP):
        net.train(xs[i % n], ts[i % n])
    warm = measure()
    for i in range(WARM_UP, STEPS):
        net.train(xs[i % n], ts[i % n])
    end = measure()
    seconds = time.perf_counter() - t0
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    snap0 = tracemalloc.take_snapshot()
    for i in range(TRACED):
        net.train(xs[i % n], ts[i % n])
    gc.collect()
    after, peak = tracemalloc.get_traced_memory()
    top = [s for s in tracemalloc.take_snapshot().compare_to(snap0, "lineno")
           if "tracemalloc" not in str(s)][:3]
    tracemalloc.stop()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"    {STEPS:,} Network.train steps (2-4-2-1 tanh, circle data) in {seconds:.0f} s")
    for name, m in ((f"after {WARM_UP:,}", warm), (f"after {STEPS:,}", end)):
        print(f"    {name:>16} steps: {m['blocks']:,} allocated blocks, {m['objects']:,} gc objects, "
              f"RSS {m['rss'] / 1e6:.1f} MB")
    print(f"    growth: {end['blocks'] - warm['blocks']:+,} blocks, {end['objects'] - warm['objects']:+,} objects, "
          f"RSS {(end['rss'] - warm['rss']) / 1e6:+.2f} MB")
    print(f"    tracemalloc over {TRACED:,} more steps: {(after - before) / 1e3:+.1f} kB (peak {peak / 1e3:.1f} kB)")
    for stat in top:
        print(f"      {stat}")
    print(f"    loss now {net.loss(xs, ts):.4f}; load average (1, 5, 15 min): {load} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
