// The worker's play loop: one facade "train_for" slice per turn of the event
// loop. Slices yield through a MessageChannel self-post (a nested setTimeout(0)
// is clamped to 4 ms), so pause and other calls get in between slices.
import { flatten } from "../protocol.js";

const scope = /** @type {import("../types").WorkerScope} */ (/** @type {unknown} */ (self));
const post = (/** @type {import("../types").WorkerMessage} */ msg) => scope.postMessage(msg);

// (a grid can only go out with a snapshot, at the end of a ~25 ms slice: asking for one
// after GRID_MIN_MS, not 100, is what brings ten a second)
const GRID_MIN_MS = 80;

/** @param {() => ((text: string) => string) | null} handleOf the facade's handle, null before boot or after a crash */
export function createPlayLoop(handleOf) {
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

  function slice() {
    const handle = handleOf();
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
    const weights = flatten(r.weights);
    const glowed = flatten(r.glow);
    /** @type {import("../types").SnapshotMessage} */
    const msg = { type: "snapshot", seq: ++seq, epoch: r.epoch, cursor: r.cursor, epoch_size: r.epoch_size,
                  steps: r.steps, workerMs: performance.now() - t0, weights, glow: glowed, busy };
    if (losses || r.stopped) {
      msg.train_loss = r.train_loss; msg.test_loss = r.test_loss;
      msg.train_accuracy = r.train_accuracy; msg.test_accuracy = r.test_accuracy;
    }
    const tg = performance.now();
    playGrid(handle, msg);
    const tp = performance.now();
    busy.grid += tp - tg;
    busy.snapshots += tg - t0 - took;
    scope.postMessage(msg, glowed ? [weights.buffer, glowed.buffer] : [weights.buffer]);
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
  let lastGrid = 0, gridEvery = GRID_MIN_MS;
  function playGrid(handle, msg) {
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

  return {
    /** {type: "play", ms, glow}: start (or retune) the loop. */
    play(msg) {
      const was = playing;
      playing = { ms: msg.ms || 12, glow: msg.glow || null };
      if (!was) busy = newBusy();
      lastLosses = 0;
      lastGlow = 0;
      if (!was) ticker.port2.postMessage(0);
    },
    /** {type: "grid", request}: the grid request to answer while playing (null: none). */
    grid(msg) {
      gridRequest = msg.request || null;
      lastGrid = 0;
    },
    pause() {
      playing = null;
      post({ type: "paused", seq });
    },
    /** Stop without a word (the worker is crashing). */
    stop() { playing = null; },
  };
}
