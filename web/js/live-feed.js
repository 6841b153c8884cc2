// The play loop's snapshots on the page: the latest weights and glow for the
// network view (fast data, read at display rate, not in the store), the store
// following them at most every STORE_EVERY_MS, and the counts that
// window.pynet.stats() reports.

// The store is slow data: every subscriber re-renders on a change (text, buttons,
// hash), so while playing it follows the play loop at most every STORE_EVERY_MS
// (the network view reads `live` at display rate instead). Snapshots that carry
// losses go in at once; a trailing timer stores the last one of a quiet spell.
const STORE_EVERY_MS = 100;
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length ? s[s.length >> 1] : null; };

/** @typedef {import("./types").SnapshotMessage} SnapshotMessage */

export function createLiveFeed({ store, scheduler }) {
  /** @type {{weights: Float64Array, glow: Float64Array | null, seq: number, workerMs: number} | null} */
  let live = null;
  const stats = { snapshots: 0, workerMs: [], busy: null };
  /** @type {((msg: SnapshotMessage) => void)[]} */
  const beforeStore = [];
  /** @type {((msg: SnapshotMessage) => void)[]} */
  const afterStore = [];
  let storedAt = -Infinity, storeTimer = null, unstored = null;

  function storeLive(msg) {
    const prev = store.get().snapshot;
    if (msg.epoch === prev.epoch && msg.train_loss === undefined) return;
    const next = { ...prev, epoch: msg.epoch, cursor: msg.cursor, epoch_size: msg.epoch_size };
    if (msg.train_loss !== undefined) { next.train_loss = msg.train_loss; next.test_loss = msg.test_loss; }
    const wait = STORE_EVERY_MS - (performance.now() - storedAt);
    if (msg.train_loss === undefined && wait > 0) {
      unstored = msg;
      if (!storeTimer) storeTimer = setTimeout(() => {
        storeTimer = null;
        const m = unstored;
        unstored = null;
        if (m && store.get().playing) storeLive(m); // after a pause, refresh() has the final state
      }, wait);
      return;
    }
    unstored = null;
    storedAt = performance.now();
    store.set({ snapshot: next });
  }

  return {
    /** A play-loop snapshot (the trainer's onSnapshot, while playing). */
    receive(/** @type {SnapshotMessage} */ msg) {
      // the glow comes with some snapshots only: keep the latest
      live = { weights: msg.weights, glow: msg.glow || (live && live.glow), seq: msg.seq, workerMs: msg.workerMs };
      stats.busy = msg.busy ? { ...msg.busy, epoch: msg.epoch } : null; // kept after a pause
      stats.snapshots++;
      for (const fn of beforeStore) fn(msg);
      stats.workerMs.push(msg.workerMs);
      if (stats.workerMs.length > 200) stats.workerMs.shift();
      storeLive(msg);
      scheduler.invalidate("network");
      for (const fn of afterStore) fn(msg);
    },
    /** Call fn(msg) for every snapshot: before the store follows it (the figures), or after (the data plot). */
    listen(fn, { before = false } = {}) { (before ? beforeStore : afterStore).push(fn); },
    /** The latest snapshot's weights and glow while playing (null after Play or Pause until the next). */
    get live() { return live; },
    clear() { live = null; },
    /** For window.pynet.stats(). */
    get snapshots() { return stats.snapshots; },
    get workerMsMedian() { return median(stats.workerMs); },
    /** The play loop's time by kind since Play, and the epoch it had reached (worker/play-loop.js). */
    get workerBusy() { return stats.busy; },
  };
}
