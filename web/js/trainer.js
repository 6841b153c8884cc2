// Training control: step, play and pause. Every number comes from the facade.

export function createTrainer(store, client) {
  let queue = Promise.resolve();

  // One facade call at a time, in order.
  function request(req) {
    const p = queue.then(() => client.call(req));
    queue = p.catch(() => {});
    return p.then((r) => {
      if (!r.ok) {
        store.set({ notice: r.error, playing: false });
        throw new Error(r.error);
      }
      return r;
    });
  }

  async function step(n = 1) {
    const snap = await request({ op: "step", n, snapshot: true });
    store.set({ snapshot: snap });
    return snap;
  }

  async function loop() {
    while (store.get().playing) {
      try {
        await step(1);
      } catch {
        return;
      }
      await new Promise((r) => requestAnimationFrame(r));
    }
  }

  return {
    request,
    step,
    play() {
      if (store.get().phase !== "ready" || store.get().playing) return;
      store.set({ playing: true });
      loop();
    },
    /** Stop playing; resolves once the step in flight (if any) has finished. */
    pause() {
      store.set({ playing: false });
      return queue;
    },
  };
}
