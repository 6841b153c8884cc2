// The worker's boot (see README, "Start-up"): by default it restores the heap
// snapshot that build.py made (Python booted, pynet imported) and falls back to
// the normal boot (loadPyodide + loadPackage) when the snapshot is missing,
// corrupt, from another build or fails to restore; the fallback is said on the
// console only. Boot mode "normal" skips the snapshot. marks.snapshotRestored
// is set only when the snapshot was used.
import buildInfo from "../build-info.js";
import { RUNTIME, INDEX, STAGING, failures, fatal, loaded, active, progress, report, realFetch, probe,
         stage } from "./fetch-progress.js";
import { installStdlibRest } from "./stdlib-rest.js";

const scope = /** @type {import("../types").WorkerScope} */ (/** @type {unknown} */ (self));
const post = (/** @type {import("../types").WorkerMessage} */ msg) => scope.postMessage(msg);

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
  installStdlibRest(pyodide, RUNTIME.href); // before loadPackage: it may import more of the stdlib
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
  const chunks = /** @type {BlobPart[]} */ ([]);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded[file] = (loaded[file] || 0) + value.byteLength;
      report(file);
      await writer.write(value);
    }
    await writer.close();
    stage(resp.url || new URL(file, RUNTIME).href, chunks, resp.headers.get("Content-Type") || "");
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
    progress.total = buildInfo.total - (buildInfo.sizes[buildInfo.snapshot.file] || 0) + (loaded[buildInfo.snapshot.file.split("/").pop()] || 0);
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
    installStdlibRest(pyodide, RUNTIME.href);
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

/** Round trips at most this long (ms, before the first byte) mean a local server. */
const LOCAL_TTFB_MS = 10;

/**
 * Whether to fetch and restore the heap snapshot ("auto"), chosen by what it costs
 * here (bench/bench_first_visit.py): the snapshot saves about a second of start-up
 * but is 5 MB more to download, which over a real link (tens of ms per round trip,
 * up to 100 Mbps) costs more than it saves. So: restore it when a cache already
 * holds it (a repeat visit after a fast first one), or when the server is local
 * (named localhost, or pyodide.mjs arrived within LOCAL_TTFB_MS); else boot normally, from
 * bytecode. "normal" never, "snapshot" always.
 * @param {string} mode
 */
async function snapshotPays(mode) {
  if (mode !== "auto") return mode === "snapshot";
  if (RUNTIME.protocol === "file:") return true; // files on this machine (Node: tests/browser/boot_node.mjs)
  // this machine by name (`build.py serve`, the tests): local however busy the machine is
  if (["localhost", "127.0.0.1", "[::1]"].includes(RUNTIME.hostname)) return true;
  const url = new URL(buildInfo.snapshot.file.split("/").pop(), RUNTIME).href;
  try {
    for (const name of await scope.caches.keys()) {
      if (name.startsWith("pynet-") && name !== STAGING && await (await scope.caches.open(name)).match(url)) return true;
    }
  } catch { /* no Cache Storage: decide by the network */ }
  const fetched = performance.getEntriesByType("resource")
    .map((e) => /** @type {PerformanceResourceTiming} */ (e))
    .filter((e) => e.transferSize > 0 && e.responseStart > 0);
  if (!fetched.length) return false; // all from a cache: the snapshot is not, so it is a download
  const ttfb = fetched.map((e) => e.responseStart - e.requestStart).sort((a, b) => a - b);
  return ttfb[Math.floor(ttfb.length / 2)] <= LOCAL_TTFB_MS;
}

/**
 * Boot Python and import pynet.facade; then `onBooted(handle, pyodide)` (handle: an owned
 * PyProxy of pynet.facade.handle) and the "ready" message, or a "failed" message naming the
 * file to blame.
 * @param {"auto" | "normal" | "snapshot"} mode
 * @param {(handle: any, pyodide: any) => void} onBooted
 */
export async function boot(mode, onBooted) {
  const t0 = performance.now();
  marks.workerStarted = T();
  let pyodide;
  try {
    // pyodide.mjs first: its round trip says whether the snapshot pays (snapshotPays)
    const { loadPyodide } = await import(new URL("pyodide.mjs", RUNTIME).href);
    marks.runtimeImported = T();
    const useSnapshot = Boolean(buildInfo.snapshot) && await snapshotPays(mode);
    if (!useSnapshot && buildInfo.snapshot) progress.total -= buildInfo.sizes[buildInfo.snapshot.file] || 0;
    const snapshot = useSnapshot ? fetchSnapshot() : null; // starts downloading at once
    if (snapshot) snapshot.catch(() => {});
    if (snapshot) pyodide = await bootFromSnapshot(loadPyodide, snapshot);
    if (!pyodide) pyodide = await bootNormally(loadPyodide);
    const facade = pyodide.pyimport("pynet.facade");
    const handle = facade.handle.copy(); // an owned proxy; the module proxy is destroyed
    facade.destroy();
    onBooted(handle, pyodide);
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

