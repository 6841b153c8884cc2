// Make the page's heap snapshot: Pyodide booted, pynet imported, memory saved.
//
//   TZ=UTC node tools/make_snapshot.mjs --stdlib ZIP --wheel WHL --key HEX --out FILE.gz
//
// Uses Pyodide's undocumented snapshot API (`_makeSnapshot`, `makeMemorySnapshot`,
// marked @private in pyodide.d.ts); acceptable only because package.json pins
// Pyodide exactly, and web/js/runtime.js falls back to the normal boot whenever
// the snapshot cannot be used. What the snapshot needs, checked here (the build
// fails loudly otherwise):
// - the exact runtime and the exact stdlib zip the page will load (the snapshot
//   holds pointers into both): build.py passes dist's files and derives KEY
//   from their sha256, and the page compares KEY before restoring;
// - no heap growth while it is made (a restored heap has its initial size);
// - TZ=UTC: the time zone is frozen into the heap; the page sets the visitor's
//   own again after restoring (as it reseeds `random`).
// pynet.fast's code for the default network is generated here too (see below).
// No Python object may be held by JS when the snapshot is taken, so all work
// goes through runPython with plain results. The wheel is unpacked with
// zipfile rather than loadPackage ("Unexpected hiwire entry" otherwise); the
// MEMFS files do not survive in the heap, so the page unpacks the same wheel
// again after restoring (its data files, and modules imported later).
//
// FILE.gz = gzip( "PYNETSNAP1\n" + KEY (64 hex) + "\n" + Pyodide's snapshot ).
import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  if (i < 0 || i + 1 >= argv.length) {
    console.error(`usage: TZ=UTC node tools/make_snapshot.mjs --stdlib ZIP --wheel WHL --key HEX --out FILE.gz (missing ${name})`);
    process.exit(2);
  }
  return argv[i + 1];
};
const die = (msg) => { console.error(`make_snapshot: ${msg}`); process.exit(1); };
const stdlib = resolve(opt("--stdlib"));
const wheel = resolve(opt("--wheel"));
const key = opt("--key");
const out = resolve(opt("--out"));
if (!/^[0-9a-f]{64}$/.test(key)) die(`--key must be 64 hex digits, got ${key}`);
if (process.env.TZ !== "UTC") die(`run with TZ=UTC (the time zone is frozen into the snapshot); TZ is ${process.env.TZ ?? "unset"}`);

const pyodide = await loadPyodide({
  indexURL: resolve(ROOT, "node_modules", "pyodide") + "/",
  stdLibURL: stdlib,
  _makeSnapshot: true,
  env: { TZ: "UTC" },
});
const heap = () => pyodide._module.HEAP8.length;
const initial = heap();
pyodide.FS.writeFile("/tmp/pynet.whl", new Uint8Array(readFileSync(wheel)));
const report = pyodide.runPython(`
import importlib, json, pkgutil, sys, time, zipfile
site = [p for p in sys.path if p.endswith("site-packages")][0]
with zipfile.ZipFile("/tmp/pynet.whl") as z:
    z.extractall(site)
import os
os.remove("/tmp/pynet.whl")
importlib.invalidate_caches()
import pynet, pynet.facade
# every pynet module, so nothing of pynet is imported after the restore
names = sorted(m.name for m in pkgutil.walk_packages(pynet.__path__, "pynet."))
for name in names:
    importlib.import_module(name)
del z, name, os
# One epoch of the page's default network on a throwaway session: pynet.fast
# caches the epoch code it generates per network shape (a pure function of the
# shape, the same for every visitor), so the visitor's first epoch with the
# default settings skips generating and compiling it. Nothing else is kept.
_warm = pynet.facade.Facade()
for _request in ('{"op": "init", "settings": {}}', '{"op": "step", "n": 1}'):
    assert json.loads(_warm.handle(_request))["ok"], _request
del _warm, _request
json.dumps({"tz": [time.timezone, time.altzone, time.daylight], "modules": names, "python": sys.version.split()[0]})
`);
const info = JSON.parse(report);
if (info.tz.join() !== "0,0,0") die(`the time zone inside Python is not UTC (timezone, altzone, daylight = ${info.tz})`);
const snapshot = pyodide.makeMemorySnapshot();
if (heap() !== initial) {
  die(`the heap grew from ${initial} to ${heap()} bytes while the snapshot was made; a restored ` +
      "heap has its initial size, so this snapshot would not work (import less before snapshotting)");
}
const header = new TextEncoder().encode(`PYNETSNAP1\n${key}\n`);
const body = new Uint8Array(header.length + snapshot.length);
body.set(header);
body.set(snapshot, header.length);
const gz = gzipSync(body, { level: 9 });
writeFileSync(out, gz);
console.log(`snapshot: Python ${info.python}, ${info.modules.length} pynet modules imported, ` +
            `${(snapshot.length / 2 ** 20).toFixed(1)} MiB heap, ${(gz.length / 1e6).toFixed(2)} MB gzipped`);
