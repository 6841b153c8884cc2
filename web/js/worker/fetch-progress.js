// The worker's fetches while it boots: bytes counted for the progress bar, and
// HTTP errors turned into exceptions that name the file (Pyodide would
// otherwise parse a 404 page). The first failure rejects `fatal`: Pyodide
// hangs instead of failing when the wasm cannot be fetched, so loading races
// against it.
import buildInfo from "../build-info.js";

/** @typedef {{file: string, status?: number, error: string}} Failure */

/** The site's pyodide/ folder. */
export const RUNTIME = new URL("../../pyodide/", import.meta.url);
// Pyodide under Node takes a path, not a file: URL (tests/browser/boot_node.mjs runs this worker in Node).
export const INDEX = RUNTIME.protocol === "file:" ? decodeURIComponent(RUNTIME.pathname) : RUNTIME.href;

const scope = /** @type {import("../types").WorkerScope} */ (/** @type {unknown} */ (self));
const post = (/** @type {import("../types").WorkerMessage} */ msg) => scope.postMessage(msg);

/** Every fetch that failed: {file, status?, error}. */
export const failures = /** @type {Failure[]} */ ([]);
let fail;
/** Rejects at the first failed fetch. */
export const fatal = new Promise((_, reject) => { fail = reject; });
fatal.catch(() => {});
/** @param {Failure} entry */
function failed(entry) {
  if (!failures.some((f) => f.file === entry.file)) failures.push(entry);
  fail(new Error(`${entry.file}: ${entry.error}`));
}

/** Bytes received per file, and the files still arriving. */
export const loaded = {};
export const active = new Set();
/** Bytes this boot will fetch (less the snapshot if it is skipped): boot.js lowers it. */
export const progress = { total: buildInfo.total };

const fileOf = (url) => decodeURIComponent(new URL(url, RUNTIME).pathname.split("/").pop());

let lastReport = 0;
/** Post a progress message (at most every 40 ms unless forced). */
export function report(file, force = false) {
  const now = performance.now();
  if (!force && now - lastReport < 40) return;
  lastReport = now;
  const sum = Object.values(loaded).reduce((a, b) => a + b, 0);
  post({ type: "progress", file: active.size ? [...active].join(", ") : file, loaded: sum,
         total: progress.total });
}

/** The fetch of the worker's global scope before installFetchProgress wrapped it. */
export const realFetch = scope.fetch.bind(scope);

/** Wrap the worker's fetch: count bytes, name the file of an HTTP or network error. */
export function installFetchProgress() {
  scope.fetch = async (input, init) => {
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
      const type = resp.headers.get("Content-Type") || "";
      (async () => {
        const chunks = /** @type {BlobPart[]} */ ([]);
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks.push(value);
          loaded[file] = (loaded[file] || 0) + value.byteLength;
          report(file);
        }
        active.delete(file);
        report(file, true);
        await stage(url, chunks, type);
      })().catch(() => active.delete(file));
    }
    return resp;
  };
}

/** What the offline cache is filled from (web/sw.js reads it at install, checks every sha256). */
export const STAGING = "pynet-fetched";

/**
 * Keep a copy of a runtime file this visit downloaded, so the service worker's
 * install takes it from here instead of downloading it again. Only what no
 * cache holds yet (a repeat visit's files come from the service worker's).
 * @param {string} url @param {BlobPart[]} chunks @param {string} type
 */
export async function stage(url, chunks, type) {
  if (!scope.caches || !url.startsWith(RUNTIME.href)) return;
  try {
    if (await scope.caches.match(url)) return;
    const cache = await scope.caches.open(STAGING);
    await cache.put(url, new Response(new Blob(chunks, { type }), { headers: { "Content-Type": type } }));
  } catch { /* no room or no Cache Storage: the install downloads it instead */ }
}

/** When an import (not a fetch) failed, find out which runtime file is to blame. */
export async function probe() {
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
