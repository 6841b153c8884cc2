// Module Web Worker: the ONLY code that touches Pyodide.
// Protocol (structured-clone messages, no proxies cross):
//   (loading starts as soon as the worker does)
//   page -> worker  {type: "call", id, request}
//   worker -> page  {type: "progress", file, loaded, total}
//                   {type: "ready", ms} | {type: "failed", error: {message, file, status}}
//                   {type: "result", id, result}   (result: the facade's JSON answer, parsed)
//   play loop (training decoupled from drawing; "call"s are still answered between slices):
//   page -> worker  {type: "play", ms, glow}   train slices of ~ms each until paused
//                                              (glow: a share kind, or null for no glow)
//                   {type: "pause"}
//   worker -> page  {type: "snapshot", seq, epoch, cursor, epoch_size, steps, workerMs,
//                    weights: Float64Array (flat, transferred), glow: Float64Array | null
//                    (at most every 200 ms: the latest step's batch-mean |share|),
//                    train_loss?, test_loss?, train_accuracy?, test_accuracy? (at most every 250 ms,
//                    and with the last snapshot before a stop)
//                    (both spaced further when they cost more than ~1/6 of the time)}
//                   {type: "paused", seq} | {type: "stopped", seq, error}  (training failed)
//                   {type: "stopped", seq, error: null, reason: "max_epoch" | "target_loss"}
//                   (training stopped by itself: the settings' stop condition)
//   heatmaps:  page -> worker {type: "grid", request}  the grid op to answer while playing
//              (null: none); snapshots then carry grid? (at most every ~100 ms, see playGrid)
//
// Boot (see README, "Start-up"): by default the worker restores the heap snapshot
// that build.py made (Python booted, pynet imported) and falls back to the
// normal boot (loadPyodide + loadPackage) when the snapshot is missing, corrupt,
// from another build or fails to restore; the fallback is said on the console
// only. `?boot=normal` on the page's URL (passed on by client.js) skips the
// snapshot. marks.snapshotRestored is set only when the snapshot was used.
import buildInfo from "./build-info.js";

const RUNTIME = new URL("../pyodide/", import.meta.url);
// Pyodide under Node takes a path, not a file: URL (tests/browser/boot_node.mjs runs this worker in Node).
const INDEX = RUNTIME.protocol === "file:" ? decodeURIComponent(RUNTIME.pathname) : RUNTIME.href;
const BOOT_MODES = ["auto", "normal"];
const bootParam = new URL(import.meta.url).searchParams.get("boot");
const BOOT = BOOT_MODES.includes(bootParam) ? bootParam : "auto";
if (bootParam !== null && BOOT !== bootParam) {
  console.warn(`pynet: unknown boot mode "${bootParam}" (known: ${BOOT_MODES.join(", ")}); using "auto"`);
}
const post = (msg) => self.postMessage(msg);
const failures = []; // every fetch that failed: {file, status?, error}
// Rejects at the first failed fetch: Pyodide hangs instead of failing when the
// wasm cannot be fetched, so loading races against this.
let fail;
const fatal = new Promise((_, reject) => { fail = reject; });
fatal.catch(() => {});
function failed(entry) {
  if (!failures.some((f) => f.file === entry.file)) failures.push(entry);
  fail(new Error(`${entry.file}: ${entry.error}`));
}
const loaded = {};   // bytes received per file
let total = buildInfo.total; // bytes this boot will fetch (less the snapshot if it is skipped)
const active = new Set(); // files still arriving
let handle = null;   // PyProxy of pynet.facade.handle, kept for the worker's life
let runtime = null;  // the Pyodide instance (for memoryReport only)

const fileOf = (url) => decodeURIComponent(new URL(url, RUNTIME).pathname.split("/").pop());

let lastReport = 0;
function report(file, force = false) {
  const now = performance.now();
  if (!force && now - lastReport < 40) return;
  lastReport = now;
  const sum = Object.values(loaded).reduce((a, b) => a + b, 0);
  post({ type: "progress", file: active.size ? [...active].join(", ") : file, loaded: sum,
         total });
}

// Wrap fetch: count bytes for the progress bar, and turn HTTP errors into
// exceptions that name the file (Pyodide would otherwise parse a 404 page).
const realFetch = self.fetch.bind(self);
self.fetch = async (input, init) => {
  const url = typeof input === "string" || input instanceof URL ? String(input) : input.url;
  const file = fileOf(url);
  if (file === "pyodide.asm.wasm") { // the wasm is fetched once pyodide.asm.mjs has run
    loaded["pyodide.asm.mjs"] = buildInfo.sizes["pyodide/pyodide.asm.mjs"] || 0;
  }
  active.add(file);
  report(file, true);
  let resp;
  try {
    resp = await realFetch(input, init);
  } catch (e) {
    active.delete(file);
    let why = `network error (${e.message || e})`;
    if (init && init.integrity) { // a failed integrity check looks like a network error: look again
      try {
        const plain = await realFetch(input, { cache: "no-store" });
        why = plain.ok ? "its sha256 does not match the one in pyodide-lock.json"
          : `HTTP ${plain.status} ${plain.statusText}`;
        if (!plain.ok) failed({ file, status: plain.status, error: why });
      } catch { /* keep the network error */ }
    }
    failed({ file, error: why });
    throw new Error(`${file}: ${why}`);
  }
  if (!resp.ok || !resp.body) active.delete(file);
  if (!resp.ok) {
    failed({ file, status: resp.status, error: `HTTP ${resp.status} ${resp.statusText}` });
    throw new Error(`${file}: HTTP ${resp.status} ${resp.statusText}`);
  }
  if (resp.body) {
    // Count the bytes on a clone, so the original stream goes straight to
    // Pyodide (and the wasm compiles while it streams).
    const reader = resp.clone().body.getReader();
    (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        loaded[file] = (loaded[file] || 0) + value.byteLength;
        report(file);
      }
      active.delete(file);
      report(file, true);
    })().catch(() => active.delete(file));
  }
  return resp;
};

// When an import (not a fetch) failed, find out which runtime file is to blame.
async function probe() {
  for (const name of ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                      "pyodide-lock.json", buildInfo.wheel]) {
    try {
      const r = await realFetch(new URL(name, RUNTIME), { method: "HEAD", cache: "no-store" });
      if (!r.ok) return { file: name, status: r.status, error: `HTTP ${r.status} ${r.statusText}` };
    } catch (e) {
      return { file: name, error: `network error (${e.message || e})` };
    }
  }
  return null;
}

// Wall-clock marks (ms since the epoch) so the page can put them on its own timeline.
const T = () => performance.timeOrigin + performance.now();
const marks = {};

// ---- the normal boot: Pyodide starts Python, loadPackage installs the wheel
async function bootNormally(loadPyodide) {
  const pyodide = await Promise.race([
    loadPyodide({ indexURL: INDEX, stdout: () => {}, stderr: (s) => console.warn(s) }),
    fatal,
  ]);
  marks.pythonStarted = T();
  const errors = [];
  const got = await pyodide.loadPackage("pynet", {
    messageCallback: () => {},
    errorCallback: (m) => errors.push(m),
  });
  // loadPackage resolves to [] instead of throwing when a file fails: make it throw.
  if (errors.length || !got || got.length === 0) {
    throw new Error(`could not load the pynet package: ${errors.join("; ") || "nothing was loaded"}`);
  }
  marks.pynetLoaded = T();
  return pyodide;
}

// ---- the fast boot: restore the heap snapshot (Python booted, pynet imported)
// The snapshot API (`_loadSnapshot`) is private to Pyodide; it is used only
// because package.json pins Pyodide exactly. build.py keys the snapshot on the
// sha256 of the runtime, the stdlib zip and the wheel it was made against, and
// writes the key into build-info.js and into the file's header.
const SNAPSHOT_MAGIC = "PYNETSNAP1\n";

/** The snapshot's bytes (Pyodide's part, header checked), or throws saying why not. */
async function fetchSnapshot() {
  const info = buildInfo.snapshot;
  const file = info.file.split("/").pop();
  // Not through the counting fetch wrapper: a missing snapshot is not a load error.
  const resp = await realFetch(new URL(file, RUNTIME));
  if (!resp.ok || !resp.body) throw new Error(`${file}: HTTP ${resp.status} ${resp.statusText}`);
  active.add(file);
  const gunzip = new DecompressionStream("gzip"); // streams: unpacks while it downloads
  const writer = gunzip.writable.getWriter();
  const unpacked = new Response(gunzip.readable).arrayBuffer();
  unpacked.catch(() => {});
  const reader = resp.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      loaded[file] = (loaded[file] || 0) + value.byteLength;
      report(file);
      await writer.write(value);
    }
    await writer.close();
  } catch (e) {
    writer.abort(e).catch(() => {});
    throw new Error(`${file}: ${e.message || e}`);
  } finally {
    active.delete(file);
    report(file, true);
  }
  let bytes;
  try {
    bytes = new Uint8Array(await unpacked);
  } catch (e) {
    throw new Error(`${file} is not a complete gzip file (${e.message || e})`);
  }
  const head = new TextDecoder().decode(bytes.subarray(0, SNAPSHOT_MAGIC.length + 65));
  const key = head.slice(SNAPSHOT_MAGIC.length, SNAPSHOT_MAGIC.length + 64);
  if (!head.startsWith(SNAPSHOT_MAGIC)) throw new Error(`${file} is not a pynet heap snapshot`);
  if (key !== info.key) throw new Error(`${file} belongs to another build (key ${key.slice(0, 12)}…, expected ${info.key.slice(0, 12)}…)`);
  const body = bytes.subarray(SNAPSHOT_MAGIC.length + 65);
  if (body.length !== info.bytes) throw new Error(`${file} holds ${body.length} bytes, expected ${info.bytes}`);
  return body;
}

const hexToBase64 = (hex) => btoa(String.fromCharCode(...hex.match(/../g).map((h) => parseInt(h, 16))));

/** Restore the snapshot; resolves to a ready Pyodide, or to null (said on the
 * console) when the snapshot cannot be used. Throws only when a file the
 * normal boot needs as well failed (that is a load error for the page). */
async function bootFromSnapshot(loadPyodide, snapshot) {
  // The lock and the wheel, fetched now, in parallel with the snapshot; the
  // wheel is checked against the lock's sha256 (as loadPackage would).
  const lock = fetch(new URL("pyodide-lock.json", RUNTIME)).then((r) => r.json());
  const wheel = lock.then((l) => {
    const entry = l.packages.pynet;
    return fetch(new URL(entry.file_name, RUNTIME), { integrity: `sha256-${hexToBase64(entry.sha256)}` })
      .then((r) => r.arrayBuffer());
  });
  lock.catch(() => {}); // a failure is reported through `fatal` (the fetch wrapper)
  wheel.catch(() => {});
  const fallBack = (why) => {
    console.warn(`pynet: not using the heap snapshot (${why}); booting normally`);
    total = buildInfo.total - (buildInfo.sizes[buildInfo.snapshot.file] || 0) + (loaded[buildInfo.snapshot.file.split("/").pop()] || 0);
    return null;
  };
  let bytes;
  try {
    bytes = await Promise.race([snapshot, fatal]);
  } catch (e) {
    if (failures.length) throw e;
    return fallBack(e.message || e);
  }
  try {
    const pyodide = await Promise.race([
      loadPyodide({ indexURL: INDEX, packageBaseUrl: INDEX, lockFileContents: lock,
                    _loadSnapshot: bytes, stdout: () => {}, stderr: (s) => console.warn(s) }),
      fatal,
    ]);
    marks.pythonStarted = T();
    marks.snapshotRestored = marks.pythonStarted;
    const whl = new Uint8Array(await Promise.race([wheel, fatal]));
    // The heap holds the imported modules, not the files: unpack the same wheel
    // (data files, modules imported later), then make the restored state this
    // visitor's own. Emscripten's localtime() asks JS each time, but the time
    // module's constants were computed once, at build time, in UTC.
    const site = pyodide.runPython("import sys; [p for p in sys.path if p.endswith('site-packages')][0]");
    pyodide.unpackArchive(whl, "wheel", { extractDir: site });
    const zone = (offset) => `UTC${offset <= 0 ? "+" : "-"}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0")}${String(Math.abs(offset) % 60).padStart(2, "0")}`;
    const year = new Date().getFullYear();
    const winter = new Date(year, 0, 1).getTimezoneOffset();
    const summer = new Date(year, 6, 1).getTimezoneOffset();
    const std = Math.max(winter, summer);
    pyodide.runPython(`
import importlib, random, time
importlib.invalidate_caches()  # site-packages changed after the finders cached it
random.seed()                  # the snapshot froze the generator's state
# as CPython computes them from Emscripten's tzset (Modules/timemodule.c)
time.timezone, time.daylight = ${std * 60}, ${Number(winter !== summer)}
time.altzone = time.timezone - 3600 if time.daylight else time.timezone
time.tzname = ("${zone(std)}", "${zone(Math.min(winter, summer))}")
`);
    marks.pynetLoaded = T();
    return pyodide;
  } catch (e) {
    if (failures.length) throw e;
    return fallBack(`it did not restore: ${e.message || e}`);
  }
}

async function start() {
  const t0 = performance.now();
  marks.workerStarted = T();
  let pyodide;
  try {
    const useSnapshot = Boolean(buildInfo.snapshot) && BOOT === "auto";
    if (!useSnapshot && buildInfo.snapshot) total -= buildInfo.sizes[buildInfo.snapshot.file] || 0;
    const snapshot = useSnapshot ? fetchSnapshot() : null; // starts downloading at once
    if (snapshot) snapshot.catch(() => {});
    const { loadPyodide } = await import(new URL("pyodide.mjs", RUNTIME).href);
    marks.runtimeImported = T();
    if (snapshot) pyodide = await bootFromSnapshot(loadPyodide, snapshot);
    if (!pyodide) pyodide = await bootNormally(loadPyodide);
    const facade = pyodide.pyimport("pynet.facade");
    handle = facade.handle.copy(); // an owned proxy; the module proxy is destroyed
    runtime = pyodide;
    facade.destroy();
  } catch (e) {
    const culprit = failures[0] || (await probe());
    post({
      type: "failed",
      error: {
        message: String((e && e.message) || e),
        file: culprit ? culprit.file : null,
        status: culprit && culprit.status ? culprit.status : null,
        detail: culprit ? culprit.error : null,
      },
    });
    return;
  }
  report("", true);
  marks.facadeImported = T();
  post({ type: "ready", ms: performance.now() - t0, marks });
}

function call(id, request) {
  let result;
  try {
    result = JSON.parse(handle(JSON.stringify(request))); // str in, str out: no proxies
  } catch (e) {
    result = { ok: false, error: `Python error: ${e.message || e}` };
  }
  post({ type: "result", id, result });
}

start(); // loading begins as soon as the worker exists

// ---- the play loop: one facade "train_for" slice per turn of the event loop.
// Slices yield through a MessageChannel self-post (a nested setTimeout(0) is
// clamped to 4 ms), so pause and other calls get in between slices.
let playing = null;  // {ms, glow} while playing
let seq = 0;
let lastLosses = 0;
let lastGlow = 0;
// Losses and the glow cost extra Python time (a pass over the data; a traced
// step): space them so that each takes at most ~1/6 of the time.
let lossEvery = 250, glowEvery = 300;
let plainMs = 12;
// where the play loop's time went since Play (ms; sent with every snapshot for the
// benchmark): train = plain slices, losses/glow = slices that also measured those,
// grid = heatmaps, snapshots = packing the weights, post = handing messages over
let busy = null;
const newBusy = () => ({ train: 0, losses: 0, glow: 0, grid: 0, snapshots: 0, post: 0, since: performance.now() });
const ticker = new MessageChannel();
ticker.port1.onmessage = () => slice();

// weights[l][k][j] -> one Float64Array in the same flat order as js/protocol.js
function flat(nested) {
  let n = 0;
  for (const layer of nested) for (const row of layer) n += row.length;
  const out = new Float64Array(n);
  let i = 0;
  for (const layer of nested) for (const row of layer) for (const v of row) out[i++] = v;
  return out;
}

function slice() {
  if (!playing || !handle) return;
  const t0 = performance.now();
  const losses = t0 - lastLosses >= lossEvery;
  const glow = !losses && playing.glow && t0 - lastGlow >= glowEvery ? playing.glow : null;
  let r;
  try {
    r = JSON.parse(handle(JSON.stringify({ op: "train_for", ms: playing.ms, glow, losses })));
  } catch (e) {
    r = { ok: false, error: `Python error: ${e.message || e}` };
  }
  if (!r.ok) {
    playing = null;
    post({ type: "stopped", seq, error: r.error, errorType: r.type || null });
    return;
  }
  const took = performance.now() - t0;
  busy[losses ? "losses" : glow ? "glow" : "train"] += took;
  if (losses) { lastLosses = t0; lossEvery = Math.max(250, 6 * (took - plainMs)); }
  else if (glow) { lastGlow = t0; glowEvery = Math.max(300, 6 * (took - plainMs)); }
  else plainMs = took;
  const weights = flat(r.weights);
  const glowed = r.glow ? flat(r.glow) : null;
  const msg = { type: "snapshot", seq: ++seq, epoch: r.epoch, cursor: r.cursor, epoch_size: r.epoch_size,
                steps: r.steps, workerMs: performance.now() - t0, weights, glow: glowed, busy };
  if (losses || r.stopped) {
    msg.train_loss = r.train_loss; msg.test_loss = r.test_loss;
    msg.train_accuracy = r.train_accuracy; msg.test_accuracy = r.test_accuracy;
  }
  const tg = performance.now();
  playGrid(msg);
  const tp = performance.now();
  busy.grid += tp - tg;
  busy.snapshots += tg - t0 - took;
  self.postMessage(msg, glowed ? [weights.buffer, glowed.buffer] : [weights.buffer]);
  if (r.stopped) { // max_epoch or target_loss reached: the loop ends by itself
    playing = null;
    post({ type: "stopped", seq, error: null, reason: r.stopped });
    return;
  }
  busy.post += performance.now() - tp;
  ticker.port2.postMessage(0);
}

// ---- heatmaps while playing (issue 8): the page names one grid request
// ({type: "grid", request} | {type: "grid", request: null}); the play loop
// answers it with a snapshot (msg.grid) at most every gridEvery ms, spaced so
// that it takes at most ~1/5 of the time. Training never waits for drawing:
// the page draws whichever grid is the latest.
let gridRequest = null;
// (a grid can only go out with a snapshot, at the end of a ~25 ms slice: asking for one
// after GRID_MIN_MS, not 100, is what brings ten a second)
const GRID_MIN_MS = 80;
let lastGrid = 0, gridEvery = GRID_MIN_MS;
function playGrid(msg) {
  if (!gridRequest) return;
  const t0 = performance.now();
  if (t0 - lastGrid < gridEvery) return;
  let r;
  try {
    r = JSON.parse(handle(JSON.stringify(gridRequest)));
  } catch (e) {
    r = { ok: false };
  }
  lastGrid = t0;
  gridEvery = Math.max(GRID_MIN_MS, 5 * (performance.now() - t0));
  if (r.ok) msg.grid = r;
  else gridRequest = null; // a request this network refuses: stop asking until the page sends another
}

self.onmessage = (event) => {
  const msg = event.data;
  if (msg.type === "call") {
    if (!handle) post({ type: "result", id: msg.id, result: { ok: false, error: "Python is not ready" } });
    else call(msg.id, msg.request);
  } else if (msg.type === "play") {
    const was = playing;
    playing = { ms: msg.ms || 12, glow: msg.glow || null };
    if (!was) busy = newBusy();
    lastLosses = 0;
    lastGlow = 0;
    if (!was) ticker.port2.postMessage(0);
  } else if (msg.type === "grid") {
    gridRequest = msg.request || null;
    lastGrid = 0;
  } else if (msg.type === "pause") {
    playing = null;
    post({ type: "paused", seq });
  } else if (msg.type === "memory") {
    post({ type: "memory", ...memoryReport() });
  } else if (msg.type === "crash") {
    crashForTest();
  }
};

// ---- robustness (see README "Robustness")
/** The wasm heap's size in bytes (Pyodide's linear memory: it only grows) for the soak benchmark. */
function memoryReport() {
  const heap = runtime && runtime._module && runtime._module.HEAP8;
  return { wasmBytes: heap ? heap.buffer.byteLength : null };
}
/** Test hook (window.pynet._crashWorker): the worker dies as if Python had failed fatally:
 * no more answers, and an uncaught error that the page sees as the worker's onerror. */
function crashForTest() {
  handle = null;
  playing = null;
  self.onmessage = null;
  throw new Error("pynet test hook: the worker was made to crash");
}
