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
// This file is the worker's entry: it answers the page's messages. Its parts:
//   worker/fetch-progress.js  the boot's fetches: progress and named load errors
//   worker/boot.js            heap snapshot or normal boot (README, "Start-up");
//                             `?boot=normal` on the page's URL (passed on by client.js)
//                             skips the snapshot
//   worker/play-loop.js       the play loop's slices, snapshots and heatmaps
import { installFetchProgress } from "./worker/fetch-progress.js";
import { boot } from "./worker/boot.js";
import { createPlayLoop } from "./worker/play-loop.js";

const BOOT_MODES = ["auto", "normal", "snapshot"];
const bootParam = new URL(import.meta.url).searchParams.get("boot");
const BOOT = BOOT_MODES.includes(bootParam) ? bootParam : "auto";
if (bootParam !== null && BOOT !== bootParam) {
  console.warn(`pynet: unknown boot mode "${bootParam}" (known: ${BOOT_MODES.join(", ")}); using "auto"`);
}
const scope = /** @type {import("./types").WorkerScope} */ (/** @type {unknown} */ (self));
const post = (/** @type {import("./types").WorkerMessage} */ msg) => scope.postMessage(msg);
let handle = null;   // PyProxy of pynet.facade.handle, kept for the worker's life
let runtime = null;  // the Pyodide instance (for memoryReport only)

installFetchProgress();
// loading begins as soon as the worker exists
boot(/** @type {"auto" | "normal" | "snapshot"} */ (BOOT), (h, pyodide) => { handle = h; runtime = pyodide; });

function call(id, request) {
  let result;
  try {
    result = JSON.parse(handle(JSON.stringify(request))); // str in, str out: no proxies
  } catch (e) {
    result = { ok: false, error: `Python error: ${e.message || e}` };
  }
  post({ type: "result", id, result });
}

const loop = createPlayLoop(() => handle);

scope.onmessage = (event) => {
  const msg = event.data;
  if (msg.type === "call") {
    if (!handle) post({ type: "result", id: msg.id, result: { ok: false, error: "Python is not ready" } });
    else call(msg.id, msg.request);
  } else if (msg.type === "play") {
    loop.play(msg);
  } else if (msg.type === "grid") {
    loop.grid(msg);
  } else if (msg.type === "pause") {
    loop.pause();
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
  loop.stop();
  scope.onmessage = null;
  throw new Error("pynet test hook: the worker was made to crash");
}
