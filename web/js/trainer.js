// Training control: requests (one facade call at a time, in order), and
// play/pause, which run in the worker's own loop (the page never waits on
// drawing to train). Every number comes from the facade.

// Why the play loop ended by itself (the worker's "stopped" reason).
const STOPPED = {
  max_epoch: "Training stopped by itself: it reached max_epoch.",
  target_loss: "Training stopped by itself: an epoch's training loss reached target_loss.",
};

// Python trains in slices of this many ms between snapshots (the worker's play
// loop): long enough that packing and posting each snapshot stays a small part
// of the worker's time, short enough for 40 fresh weight sets a second and a
// pause that answers at once.
const PLAY_SLICE_MS = 25;

/**
 * @param {any} store
 * @param {any} client
 * @param {{onSnapshot?: (msg: import("./types").SnapshotMessage) => void, glowKind?: () => string | null}} [hooks]
 */
export function createTrainer(store, client, { onSnapshot = () => {}, glowKind = () => null } = {}) {
  let queue = Promise.resolve();
  let pausedWaiters = [];

  /** One facade call after those before it; `quiet`: a refusal is not a page notice. */
  function request(req, { quiet = false } = {}) {
    const p = queue.then(() => client.call(req));
    queue = p.catch(() => {});
    return p.then((r) => {
      if (!r.ok) {
        if (!quiet) store.set({ notice: r.error });
        throw new Error(r.error);
      }
      return r;
    });
  }

  /** @returns {Promise<import("./types").Snapshot>} */
  async function step(n = 1) {
    const snap = await request({ op: "step", n, snapshot: true });
    store.set({ snapshot: snap });
    return snap;
  }

  /** The worker's play-loop messages (snapshot | paused | stopped). */
  function onWorkerMessage(msg) {
    if (msg.type === "snapshot") {
      if (store.get().playing) onSnapshot(msg);
    } else if (msg.type === "paused" || msg.type === "stopped") {
      if (msg.type === "stopped") {
        store.set({ playing: false, notice: msg.error || STOPPED[msg.reason] || null });
        refresh().catch(() => {}); // the final weights and figures
      }
      const w = pausedWaiters;
      pausedWaiters = [];
      w.forEach((f) => f());
    }
  }

  /** @returns {Promise<import("./types").Snapshot>} */
  async function refresh() {
    const snap = await request({ op: "state" });
    store.set({ snapshot: snap });
    return snap;
  }

  return {
    request,
    step,
    refresh,
    onWorkerMessage,
    play() {
      if (store.get().phase !== "ready" || store.get().playing) return;
      store.set({ playing: true });
      client.send({ type: "play", ms: PLAY_SLICE_MS, glow: glowKind() });
    },
    /** Tell a playing worker about a new glow kind. */
    replay() { if (store.get().playing) client.send({ type: "play", ms: PLAY_SLICE_MS, glow: glowKind() }); },
    /** Stop playing; resolves once the worker has stopped and the page shows its final state. */
    async pause() {
      if (!store.get().playing) return queue;
      const stopped = new Promise((r) => pausedWaiters.push(r));
      client.send({ type: "pause" });
      await stopped;
      store.set({ playing: false });
      return refresh().catch(() => {});
    },
  };
}
