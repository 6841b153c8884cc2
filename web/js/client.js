// Main-thread side of the Python worker: starts it, forwards its messages, and
// turns requests into Promises. Knows nothing of Pyodide itself.
//
// index.html loads this module first (async), so the worker starts fetching
// Python before the rest of the page's modules have even arrived; messages
// that come before the page attaches its handlers are kept and delivered then.

// The worker's module graph (runtime.js and what it imports), for naming the file
// that failed to load; tests/js/client.test.mjs checks it against the imports.
const WORKER_FILES = ["runtime.js", "worker/fetch-progress.js", "worker/boot.js", "worker/play-loop.js",
                      "worker/stdlib-rest.js", "protocol.js", "build-info.js"];

let worker = null;
let handlers = null;
let early = [];
let nextId = 1;
const pending = new Map();

function rejectAll(message) {
  for (const { reject } of pending.values()) reject(new Error(message));
  pending.clear();
}

function deliver(msg) {
  if (!handlers) { early.push(msg); return; }
  if (msg.type === "progress") handlers.onProgress(msg);
  else if (msg.type === "ready") handlers.onReady(msg);
  else if (msg.type === "failed") handlers.onFailed(msg.error);
  else if (msg.type === "result") {
    const p = pending.get(msg.id);
    pending.delete(msg.id);
    if (p) p.resolve(msg.result);
  } else if (handlers.onMessage) handlers.onMessage(msg); // the play loop's messages
}

function spawn() {
  if (worker) worker.terminate();
  rejectAll("the Python worker was restarted");
  const script = new URL("./runtime.js", import.meta.url);
  // `?boot=normal` on the page's URL skips the heap snapshot (tests, benchmarks: README "Start-up").
  const boot = new URLSearchParams(location.search).get("boot");
  if (boot) script.searchParams.set("boot", boot);
  worker = new Worker(script, { type: "module" });
  worker.onmessage = ({ data }) => deliver(data);
  worker.onerror = async (event) => {
    event.preventDefault();
    rejectAll("the Python worker failed");
    if (event.filename) { // an uncaught exception in the worker's code
      const file = event.filename.split("/").pop();
      deliver({ type: "failed", error: { file, message: `the Python worker failed in ${file}:${event.lineno}: ${event.message}` } });
      return;
    }
    // The worker's script (or a module it imports) could not be loaded: find out which.
    for (const name of WORKER_FILES) {
      try {
        const r = await fetch(new URL(`./${name}`, import.meta.url), { method: "HEAD", cache: "no-store" });
        if (!r.ok) {
          deliver({ type: "failed", error: { file: `js/${name}`, status: r.status,
            message: `the Python worker could not start: js/${name} answered HTTP ${r.status} ${r.statusText}` } });
          return;
        }
      } catch (e) {
        deliver({ type: "failed", error: { file: `js/${name}`, message: `the Python worker could not start: js/${name}: ${e.message || e}` } });
        return;
      }
    }
    deliver({ type: "failed", error: { file: "js/runtime.js", message: "the Python worker could not start (is this browser too old for module workers?)" } });
  };
}

spawn(); // as early as possible

/** The worker's client; its messages wait for attach(). */
export function createClient() {
  return {
    /** The page's handlers: {onProgress, onReady, onFailed, onMessage}; the messages that
     * came before are delivered now (in a microtask, as later ones come in tasks). */
    attach(h) {
      handlers = h;
      const queued = early;
      early = [];
      queueMicrotask(() => queued.forEach(deliver));
    },
    /** Start a fresh worker (Retry after a load failure). */
    restart: spawn,
    /** Post a play-loop message ({type: "play" | "pause", ...}) to the worker. */
    send(/** @type {import("./types").PageMessage} */ msg) { worker.postMessage(msg); },
    /** One facade request; resolves to its answer ({ok: true, ...} or {ok: false, error}). */
    call(request) {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ type: "call", id, request });
      });
    },
  };
}
